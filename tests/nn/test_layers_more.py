"""LayerNorm, BatchNorm1d/2d, Embedding, Conv2d, MaxPool2d, AvgPool2d and AdaptiveAvgPool2d against
PyTorch (same weights in; outputs, gradients, running statistics, grad_fn names, reprs, state_dict
keys and error texts out), against central finite differences, and compiled (onnxruntime) against
eager training steps."""
import numpy as np
import pytest

import onnxgraft as og
import onnxgraft.nn as nn
import onnxgraft.nn.functional as F

from ._util import og_tensor, torch_tensor, copy_weights, assert_close, grad_fn_name, forward_backward

RNG = np.random.default_rng(7)


def _randn(*shape, dtype=np.float32):
    return RNG.standard_normal(shape).astype(dtype)


def _both(og_module, t_module, x, torch, upstream=None):
    return forward_backward(og_module, t_module, x, torch, upstream, rng=RNG)


def _randomize(og_module):
    """Non-trivial affine parameters (the default ones/zeros would hide mistakes)."""
    with og.no_grad():
        for p in og_module.parameters():
            p.copy_(og.tensor(_randn(*p.shape, dtype=np.dtype(str.__str__(p.dtype)))))


def _fd_check(fn, x, eps=1e-6, rtol=1e-5):
    """fn's gradient of <v, fn(x)> at float64 x against central differences."""
    x = np.asarray(x, np.float64)
    xt = og.tensor(x, requires_grad=True)
    out = fn(xt)
    v = RNG.standard_normal(tuple(out.shape))
    (out * og.tensor(v)).sum().backward()
    num = np.zeros_like(x)
    for i in np.ndindex(x.shape):
        d = np.zeros_like(x)
        d[i] = eps
        up = float((fn(og.tensor(x + d)).numpy() * v).sum())
        down = float((fn(og.tensor(x - d)).numpy() * v).sum())
        num[i] = (up - down) / (2 * eps)
    np.testing.assert_allclose(xt.grad.numpy(), num, rtol=rtol, atol=rtol)


# -- LayerNorm --------------------------------------------------------------------------------------------
@pytest.mark.parametrize("shape, normalized", [((4, 5), 5), ((2, 3, 4), (3, 4)), ((6,), [6])])
@pytest.mark.parametrize("affine, bias", [(True, True), (True, False), (False, False)])
def test_layer_norm_matches_torch(torch, shape, normalized, affine, bias):
    m = nn.LayerNorm(normalized, eps=1e-4, elementwise_affine=affine, bias=bias)
    tm = torch.nn.LayerNorm(normalized, eps=1e-4, elementwise_affine=affine, bias=bias)
    _randomize(m)
    copy_weights(m, tm)
    xo, xt, yo, yt = _both(m, tm, _randn(*shape), torch)
    assert grad_fn_name(yo) == grad_fn_name(yt) == "NativeLayerNormBackward0"
    assert_close(yo, yt, atol=1e-5)
    assert_close(xo.grad, xt.grad, rtol=1e-4, atol=1e-5)
    for (name, p), tp in zip(m.named_parameters(), tm.parameters()):
        assert_close(p.grad, tp.grad, rtol=1e-4, atol=1e-5)
    assert repr(m) == repr(tm)
    assert list(m.state_dict()) == list(tm.state_dict())


def test_layer_norm_finite_differences():
    w, b = og.tensor(_randn(3).astype(np.float64)), og.tensor(_randn(3).astype(np.float64))
    _fd_check(lambda x: F.layer_norm(x, (3,), w, b), _randn(2, 3).astype(np.float64))


def test_layer_norm_errors():
    with pytest.raises(RuntimeError, match=r"^Given normalized_shape=\[4\], expected input with shape \[\*, 4\], "
                                           r"but got input of size\[2, 3\]$"):
        nn.LayerNorm(4)(og.zeros(2, 3))
    with pytest.raises(RuntimeError, match=r"Expected weight to be of same shape as normalized_shape, but got "
                                           r"weight of shape \[4\] and normalized_shape = \[3\]"):
        F.layer_norm(og.zeros(2, 3), (3,), weight=og.ones(4))


# -- BatchNorm --------------------------------------------------------------------------------------------
@pytest.mark.parametrize("cls, shape", [("BatchNorm1d", (6, 3)), ("BatchNorm1d", (4, 3, 5)),
                                        ("BatchNorm2d", (2, 3, 4, 5)), ("BatchNorm3d", (2, 3, 2, 3, 2))])
@pytest.mark.parametrize("momentum", [0.1, None])
def test_batch_norm_training_and_eval_match_torch(torch, cls, shape, momentum):
    m = getattr(nn, cls)(3, momentum=momentum)
    tm = getattr(torch.nn, cls)(3, momentum=momentum)
    _randomize(m)
    copy_weights(m, tm)
    for step in range(3):
        xo, xt, yo, yt = _both(m, tm, _randn(*shape) * 2 + 1, torch)
        assert grad_fn_name(yo) == grad_fn_name(yt) == "NativeBatchNormBackward0"
        assert_close(yo, yt, atol=1e-5)
        assert_close(xo.grad, xt.grad, rtol=1e-4, atol=1e-5)
        assert_close(m.weight.grad, tm.weight.grad, rtol=1e-4, atol=1e-5)
        assert_close(m.bias.grad, tm.bias.grad, rtol=1e-4, atol=1e-5)
    assert_close(m.running_mean, tm.running_mean)
    assert_close(m.running_var, tm.running_var)
    assert_close(m.num_batches_tracked, tm.num_batches_tracked)
    m.eval()
    tm.eval()
    xo, xt, yo, yt = _both(m, tm, _randn(*shape), torch)
    assert grad_fn_name(yo) == grad_fn_name(yt)
    assert_close(yo, yt, atol=1e-5)
    assert_close(xo.grad, xt.grad, rtol=1e-4, atol=1e-5)
    assert_close(m.weight.grad, tm.weight.grad, rtol=1e-4, atol=1e-5)
    assert repr(m) == repr(tm)
    assert list(m.state_dict()) == list(tm.state_dict())


@pytest.mark.parametrize("kwargs", [dict(affine=False), dict(track_running_stats=False), dict(bias=False),
                                    dict(eps=1e-3, momentum=0.3)])
def test_batch_norm_options_match_torch(torch, kwargs):
    m, tm = nn.BatchNorm1d(4, **kwargs), torch.nn.BatchNorm1d(4, **kwargs)
    assert repr(m) == repr(tm)
    assert list(m.state_dict()) == list(tm.state_dict())
    assert [n for n, _ in m.named_buffers()] == [n for n, _ in tm.named_buffers()]
    _randomize(m)
    copy_weights(m, tm)
    for train in (True, False):
        m.train(train)
        tm.train(train)
        xo, xt, yo, yt = _both(m, tm, _randn(5, 4), torch)
        assert_close(yo, yt, atol=1e-5)
        assert_close(xo.grad, xt.grad, rtol=1e-4, atol=1e-5)
    for a, b in zip(m.buffers(), tm.buffers()):
        assert_close(a, b)


def test_batch_norm_finite_differences():
    w, b = og.tensor(_randn(3).astype(np.float64)), og.tensor(_randn(3).astype(np.float64))
    _fd_check(lambda x: F.batch_norm(x, None, None, w, b, training=True), _randn(4, 3, 2).astype(np.float64))


def test_batch_norm_errors():
    with pytest.raises(ValueError, match=r"^Expected more than 1 value per channel when training, got input "
                                         r"size torch.Size\(\[1, 4\]\)$"):
        nn.BatchNorm1d(4)(og.zeros(1, 4))
    with pytest.raises(ValueError, match=r"^expected 2D or 3D input \(got 4D input\)$"):
        nn.BatchNorm1d(4)(og.zeros(2, 4, 3, 3))
    with pytest.raises(ValueError, match=r"^expected 4D input \(got 3D input\)$"):
        nn.BatchNorm2d(3)(og.zeros(2, 3, 4))
    with pytest.raises(RuntimeError, match=r"^running_mean should contain 5 elements not 4$"):
        nn.BatchNorm1d(4)(og.zeros(2, 5))


def test_batch_norm_no_grad_eval_does_not_touch_buffers():
    m = nn.BatchNorm1d(2)
    m.eval()
    before = m.running_mean._version
    m(og.randn(4, 2))
    assert m.running_mean._version == before and int(m.num_batches_tracked) == 0


# -- Embedding --------------------------------------------------------------------------------------------
@pytest.mark.parametrize("padding_idx", [None, 0, -1])
@pytest.mark.parametrize("index_dtype", ["int64", "int32"])
def test_embedding_matches_torch(torch, padding_idx, index_dtype):
    m = nn.Embedding(6, 3, padding_idx=padding_idx)
    tm = torch.nn.Embedding(6, 3, padding_idx=padding_idx)
    if padding_idx is not None:  # the padding row starts at zero
        assert not m.weight.detach()[padding_idx].numpy().any()
    copy_weights(m, tm)
    idx = np.array([[0, 2, 5, 2], [5, 1, 0, 0]], dtype=index_dtype)
    yo, yt = m(og.tensor(idx)), tm(torch.tensor(idx))
    assert grad_fn_name(yo) == grad_fn_name(yt) == "EmbeddingBackward0"
    g = _randn(2, 4, 3)
    yo.backward(og_tensor(g))
    yt.backward(torch_tensor(torch, g))
    assert_close(yo, yt)
    assert_close(m.weight.grad, tm.weight.grad)
    assert repr(m) == repr(tm)
    assert m.padding_idx == tm.padding_idx


def test_embedding_max_norm_and_freq_match_torch(torch):
    m = nn.Embedding(5, 3, max_norm=1.0, scale_grad_by_freq=True)
    tm = torch.nn.Embedding(5, 3, max_norm=1.0, scale_grad_by_freq=True)
    copy_weights(m, tm)
    idx = np.array([1, 3, 1, 1, 4])
    yo, yt = m(og.tensor(idx)), tm(torch.tensor(idx))
    yo.sum().backward()
    yt.sum().backward()
    assert_close(yo, yt)
    assert_close(m.weight, tm.weight)       # rows 1, 3, 4 renormalized in place
    assert_close(m.weight.grad, tm.weight.grad)
    assert repr(m) == repr(tm)


def test_embedding_from_pretrained(torch):
    w = _randn(4, 2)
    m, tm = nn.Embedding.from_pretrained(og.tensor(w)), torch.nn.Embedding.from_pretrained(torch.tensor(w))
    assert m.weight.requires_grad is tm.weight.requires_grad is False
    assert_close(m(og.tensor([3, 0])), tm(torch.tensor([3, 0])))


def test_embedding_errors():
    e = nn.Embedding(10, 3)
    with pytest.raises(RuntimeError, match=r"^Expected tensor for argument #1 'indices' to have one of the following "
                                           r"scalar types: Long, Int; but got torch.FloatTensor instead \(while "
                                           r"checking arguments for embedding\)$"):
        e(og.tensor([1.0]))
    for bad in (10, -1):
        with pytest.raises(IndexError, match=r"^index out of range in self$"):
            e(og.tensor([bad]))
    with pytest.raises(AssertionError, match="Padding_idx must be within num_embeddings"):
        nn.Embedding(5, 2, padding_idx=5)


# -- Conv2d and pooling ---------------------------------------------------------------------------------
@pytest.mark.parametrize("kwargs, shape", [
    (dict(in_channels=3, out_channels=4, kernel_size=3), (2, 3, 6, 5)),
    (dict(in_channels=2, out_channels=3, kernel_size=(2, 3), stride=2, padding=1, bias=False), (1, 2, 7, 6)),
    (dict(in_channels=4, out_channels=6, kernel_size=3, dilation=2, groups=2, padding="same"), (2, 4, 7, 7)),
    (dict(in_channels=2, out_channels=2, kernel_size=4, padding="same"), (1, 2, 5, 5)),
    (dict(in_channels=3, out_channels=2, kernel_size=1), (2, 3, 3, 4)),
    (dict(in_channels=2, out_channels=3, kernel_size=3, stride=(1, 2), padding=(2, 0)), (2, 5, 6)),  # unbatched
])
def test_conv2d_matches_torch(torch, kwargs, shape):
    m, tm = nn.Conv2d(**kwargs), torch.nn.Conv2d(**kwargs)
    assert [(n, tuple(p.shape)) for n, p in m.named_parameters()] == \
        [(n, tuple(p.shape)) for n, p in tm.named_parameters()]
    copy_weights(m, tm)
    xo, xt, yo, yt = _both(m, tm, _randn(*shape), torch)
    assert grad_fn_name(yo) == grad_fn_name(yt)
    assert_close(yo, yt, rtol=1e-4, atol=1e-5)
    assert_close(xo.grad, xt.grad, rtol=1e-4, atol=1e-5)
    assert_close(m.weight.grad, tm.weight.grad, rtol=1e-4, atol=1e-4)
    if m.bias is not None:
        assert_close(m.bias.grad, tm.bias.grad, rtol=1e-4, atol=1e-4)
    assert repr(m) == repr(tm)


def test_conv2d_init_bounds():
    m = nn.Conv2d(3, 8, 3)
    bound = 1 / np.sqrt(27)
    w, b = m.weight.detach().numpy(), m.bias.detach().numpy()
    assert np.abs(w).max() <= bound and np.abs(b).max() <= bound
    assert np.abs(w).max() > bound / 2


def test_conv2d_finite_differences():
    w = og.tensor(_randn(2, 2, 2, 3).astype(np.float64))
    _fd_check(lambda x: F.conv2d(x, w, stride=(2, 1), padding=1), _randn(1, 2, 4, 5).astype(np.float64))
    x = og.tensor(_randn(1, 2, 4, 5).astype(np.float64))
    _fd_check(lambda w: F.conv2d(x, w, stride=(2, 1), padding=1), _randn(2, 2, 2, 3).astype(np.float64))


def test_conv2d_errors():
    c = nn.Conv2d(3, 8, 3)
    with pytest.raises(RuntimeError, match=r"^Given groups=1, weight of size \[8, 3, 3, 3\], expected "
                                           r"input\[2, 4, 5, 5\] to have 3 channels, but got 4 channels instead$"):
        c(og.zeros(2, 4, 5, 5))
    with pytest.raises(RuntimeError, match=r"^Calculated padded input size per channel: \(2 x 2\). Kernel size: "
                                           r"\(3 x 3\). Kernel size can't be greater than actual input size$"):
        c(og.zeros(2, 3, 2, 2))
    with pytest.raises(RuntimeError, match=r"^Expected 3D \(unbatched\) or 4D \(batched\) input to conv2d, but got "
                                           r"input of size: \[3, 5, 5, 5, 5\]$"):
        c(og.zeros(3, 5, 5, 5, 5))
    with pytest.raises(ValueError, match="in_channels must be divisible by groups"):
        nn.Conv2d(3, 8, 3, groups=2)
    with pytest.raises(ValueError, match="padding='same' is not supported for strided convolutions"):
        nn.Conv2d(4, 6, 3, stride=2, padding="same")


@pytest.mark.parametrize("kwargs", [dict(kernel_size=2), dict(kernel_size=3, stride=2, padding=1),
                                    dict(kernel_size=(2, 3), stride=1, dilation=(1, 2)),
                                    dict(kernel_size=3, stride=2, ceil_mode=True)])
def test_max_pool2d_matches_torch(torch, kwargs):
    m, tm = nn.MaxPool2d(**kwargs), torch.nn.MaxPool2d(**kwargs)
    xo, xt, yo, yt = _both(m, tm, _randn(2, 3, 7, 8), torch)
    assert grad_fn_name(yo) == grad_fn_name(yt) == "MaxPool2DWithIndicesBackward0"
    assert_close(yo, yt)
    assert_close(xo.grad, xt.grad)
    assert repr(m) == repr(tm)
    x = _randn(2, 3, 7, 8)
    _, io = F.max_pool2d(og_tensor(x), return_indices=True, **kwargs)
    _, it = torch.nn.functional.max_pool2d(torch_tensor(torch, x), return_indices=True, **kwargs)
    assert_close(io, it)


def test_max_pool2d_ties_send_the_gradient_to_the_first_maximum(torch):
    x = np.zeros((1, 1, 4, 4), np.float32)
    xo, xt = og_tensor(x, True), torch_tensor(torch, x, True)
    F.max_pool2d(xo, 2).sum().backward()
    torch.nn.functional.max_pool2d(xt, 2).sum().backward()
    assert_close(xo.grad, xt.grad)


@pytest.mark.parametrize("kwargs", [dict(kernel_size=2), dict(kernel_size=3, stride=2, padding=1),
                                    dict(kernel_size=3, stride=2, padding=1, count_include_pad=False),
                                    dict(kernel_size=3, stride=2, padding=1, ceil_mode=True),
                                    dict(kernel_size=3, stride=2, ceil_mode=True, count_include_pad=False),
                                    dict(kernel_size=2, divisor_override=3)])
def test_avg_pool2d_matches_torch(torch, kwargs):
    m, tm = nn.AvgPool2d(**kwargs), torch.nn.AvgPool2d(**kwargs)
    xo, xt, yo, yt = _both(m, tm, _randn(2, 3, 7, 8), torch)
    assert grad_fn_name(yo) == grad_fn_name(yt) == "AvgPool2DBackward0"
    assert_close(yo, yt)
    assert_close(xo.grad, xt.grad)
    assert repr(m) == repr(tm)


@pytest.mark.parametrize("size", [(1, 1), 3, (2, None), (4, 5)])
def test_adaptive_avg_pool2d_matches_torch(torch, size):
    m, tm = nn.AdaptiveAvgPool2d(size), torch.nn.AdaptiveAvgPool2d(size)
    xo, xt, yo, yt = _both(m, tm, _randn(2, 3, 7, 5), torch)
    assert grad_fn_name(yo) == grad_fn_name(yt)
    assert_close(yo, yt)
    assert_close(xo.grad, xt.grad)
    assert repr(m) == repr(tm)


def test_pool_errors():
    x = og.zeros(1, 1, 4, 4)
    with pytest.raises(RuntimeError, match=r"^pad should be at most half of effective kernel size, but got pad=2, "
                                           r"kernel_size=2 and dilation=1$"):
        F.max_pool2d(x, 2, padding=2)
    with pytest.raises(RuntimeError, match=r"^Given input size: \(1x4x4\). Calculated output size: \(1x0x0\). "
                                           r"Output size is too small$"):
        F.avg_pool2d(x, 5)



# -- 1-D layers and GroupNorm ------------------------------------------------------------------------------
@pytest.mark.parametrize("kwargs, shape", [
    (dict(in_channels=3, out_channels=4, kernel_size=3, stride=2, padding=1), (2, 3, 9)),
    (dict(in_channels=4, out_channels=4, kernel_size=2, padding="same", groups=2, bias=False, dilation=2), (1, 4, 6)),
    (dict(in_channels=2, out_channels=3, kernel_size=3), (2, 7)),   # unbatched
])
def test_conv1d_matches_torch(torch, kwargs, shape):
    m, tm = nn.Conv1d(**kwargs), torch.nn.Conv1d(**kwargs)
    assert [(n, tuple(p.shape)) for n, p in m.named_parameters()] == \
        [(n, tuple(p.shape)) for n, p in tm.named_parameters()]
    assert (m.kernel_size, m.stride, m.padding, m.dilation) == (tm.kernel_size, tm.stride, tm.padding, tm.dilation)
    copy_weights(m, tm)
    xo, xt, yo, yt = _both(m, tm, _randn(*shape), torch)
    assert grad_fn_name(yo) == grad_fn_name(yt)
    assert_close(yo, yt, rtol=1e-4, atol=1e-5)
    assert_close(xo.grad, xt.grad, rtol=1e-4, atol=1e-5)
    assert_close(m.weight.grad, tm.weight.grad, rtol=1e-4, atol=1e-4)
    assert repr(m) == repr(tm)


@pytest.mark.parametrize("name, kwargs", [("MaxPool1d", dict(kernel_size=3, stride=2, padding=1)),
                                          ("MaxPool1d", dict(kernel_size=2, ceil_mode=True)),
                                          ("AvgPool1d", dict(kernel_size=3, stride=2, padding=1,
                                                             count_include_pad=False)),
                                          ("AvgPool1d", dict(kernel_size=2))])
def test_pool1d_matches_torch(torch, name, kwargs):
    m, tm = getattr(nn, name)(**kwargs), getattr(torch.nn, name)(**kwargs)
    xo, xt, yo, yt = _both(m, tm, _randn(2, 3, 9), torch)
    assert grad_fn_name(yo) == grad_fn_name(yt)
    assert_close(yo, yt)
    assert_close(xo.grad, xt.grad)
    assert repr(m) == repr(tm)


@pytest.mark.parametrize("groups, shape", [(2, (3, 4, 5)), (1, (2, 6)), (3, (2, 3, 2, 2))])
def test_group_norm_matches_torch(torch, groups, shape):
    m, tm = nn.GroupNorm(groups, shape[1]), torch.nn.GroupNorm(groups, shape[1])
    _randomize(m)
    copy_weights(m, tm)
    xo, xt, yo, yt = _both(m, tm, _randn(*shape), torch)
    assert grad_fn_name(yo) == grad_fn_name(yt) == "NativeGroupNormBackward0"
    assert_close(yo, yt, atol=1e-5)
    assert_close(xo.grad, xt.grad, rtol=1e-4, atol=1e-5)
    assert_close(m.weight.grad, tm.weight.grad, rtol=1e-4, atol=1e-5)
    assert repr(m) == repr(tm)


def test_group_norm_errors():
    with pytest.raises(ValueError, match=r"^num_channels \(4\) must be divisible by num_groups \(3\)$"):
        nn.GroupNorm(3, 4)
    with pytest.raises(RuntimeError, match=r"^Expected weight to be a vector of size equal to the number of channels "
                                           r"in input, but got weight of shape \[4\] and input of shape \[2, 6\]$"):
        nn.GroupNorm(2, 4)(og.zeros(2, 6))

# -- compiled steps (onnxruntime) against eager ------------------------------------------------------------
def _train(model, make_step, data, compiled, steps):
    opt = og.optim.SGD(model.parameters(), lr=0.1, momentum=0.9)
    step = make_step(model, opt)
    if compiled:
        step = og.compile(step)
    losses = [float(step(*batch)) for batch in data[:steps]]
    if compiled:  # the steps after the eager warm-up (SGD momentum) really ran in onnxruntime
        assert step.last_plan is not None and step.last_plan.session is not None
    return losses


def _classifier_step(model, opt):
    def step(x, y):
        opt.zero_grad()
        loss = F.cross_entropy(model(x), y)
        loss.backward()
        opt.step()
        return loss
    return step


def _compare_compiled(build, data, steps=10, atol=1e-5):
    og.manual_seed(3)
    eager = build()
    og.manual_seed(3)
    compiled = build()
    le = _train(eager, _classifier_step, data, False, steps)
    lc = _train(compiled, _classifier_step, data, True, steps)
    np.testing.assert_allclose(lc, le, rtol=1e-4, atol=atol)
    se, sc = eager.state_dict(), compiled.state_dict()
    assert list(se) == list(sc)
    for k in se:
        np.testing.assert_allclose(sc[k].numpy(), se[k].numpy(), rtol=1e-4, atol=atol, err_msg=k)
    return eager, compiled


@pytest.mark.parametrize("momentum", [0.1, None])
def test_compiled_batchnorm_mlp_matches_eager(momentum):
    data = [(og.tensor(_randn(8, 5) * 3 + 1), og.tensor(RNG.integers(0, 3, 8))) for _ in range(10)]
    eager, compiled = _compare_compiled(
        lambda: nn.Sequential(nn.Linear(5, 6), nn.BatchNorm1d(6, momentum=momentum), nn.ReLU(), nn.Linear(6, 3)),
        data)
    assert int(compiled[1].num_batches_tracked) == 10
    # eval mode after compiled training uses the running statistics the compiled steps left
    eager.eval()
    compiled.eval()
    x = og.tensor(_randn(4, 5))
    np.testing.assert_allclose(compiled(x).detach().numpy(), eager(x).detach().numpy(), rtol=1e-4, atol=1e-5)


def test_compiled_embedding_layernorm_model_matches_eager():
    class Bag(nn.Module):
        def __init__(self):
            super().__init__()
            self.emb = nn.Embedding(12, 6, padding_idx=0)
            self.norm = nn.LayerNorm(6)
            self.head = nn.Linear(6, 3)

        def forward(self, tokens):
            return self.head(self.norm(self.emb(tokens)).mean(1))

    data = [(og.tensor(RNG.integers(0, 12, (4, 5))), og.tensor(RNG.integers(0, 3, 4))) for _ in range(10)]
    eager, compiled = _compare_compiled(Bag, data)
    assert not compiled.emb.weight.detach()[0].numpy().any()  # the padding row got no update


def test_compiled_cnn_matches_eager():
    class Net(nn.Module):
        def __init__(self):
            super().__init__()
            self.conv1 = nn.Conv2d(1, 4, 3, padding=1)
            self.bn = nn.BatchNorm2d(4)
            self.conv2 = nn.Conv2d(4, 6, 3, stride=2)
            self.pool = nn.MaxPool2d(2)
            self.avg = nn.AvgPool2d(3, stride=1, padding=1)
            self.gap = nn.AdaptiveAvgPool2d(1)
            self.fc = nn.Linear(6, 3)

        def forward(self, x):
            x = self.pool(F.relu(self.bn(self.conv1(x))))
            x = F.relu(self.conv2(self.avg(x)))
            return self.fc(self.gap(x).flatten(1))

    data = [(og.tensor(_randn(4, 1, 10, 10)), og.tensor(RNG.integers(0, 3, 4))) for _ in range(6)]
    _compare_compiled(Net, data, steps=6, atol=1e-4)


def test_captured_cnn_exports_standard_onnx(tmp_path):
    onnx = pytest.importorskip("onnx")
    model = nn.Sequential(nn.Conv2d(1, 2, 3), nn.MaxPool2d(2), nn.Flatten(), nn.Linear(8, 2))
    opt = og.optim.SGD(model.parameters(), lr=0.1)

    @og.compile
    def step(x, y):
        opt.zero_grad()
        loss = F.cross_entropy(model(x), y)
        loss.backward()
        opt.step()
        return loss

    for _ in range(2):
        step(og.tensor(_randn(2, 1, 6, 6)), og.tensor([0, 1]))
    path = step.export(str(tmp_path / "cnn.onnx"))
    m = onnx.load(path)
    onnx.checker.check_model(m)
    assert {n.domain for n in m.graph.node} <= {""}

"""The nn extras: more activations (ReLU6 ... GLU, PReLU), margin/KL/likelihood losses, Bilinear,
PairwiseDistance, Unflatten, ParameterList/ParameterDict, parameters_to_vector, full backward hooks
and the orthogonal_/trunc_normal_/dirac_ initializers.

Checked against PyTorch (values, gradients, grad_fn names, reprs, error texts), against central
finite differences in float64, and compiled (onnxruntime) training steps against eager ones."""
import warnings

import numpy as np
import pytest

import onnxgraft as og
import onnxgraft.nn as nn
import onnxgraft.nn.functional as F

# kinks and saturation points of every activation, and values whose exp overflows float32
GRID = np.array([[-300.0, -7.0, -3.0, -2.0, -1.0, -0.5, 0.0, 0.5],
                 [1.0, 2.0, 3.0, 6.0, 30.0, 300.0, -0.25, 0.25]], np.float32)

ACTIVATIONS = {
    "relu6": lambda F, x: F.relu6(x),
    "hardtanh": lambda F, x: F.hardtanh(x, -2.0, 3.0),
    "selu": lambda F, x: F.selu(x),
    "celu": lambda F, x: F.celu(x, 1.5),
    "logsigmoid": lambda F, x: F.logsigmoid(x),
    "softmin": lambda F, x: F.softmin(x, 1),
    "softsign": lambda F, x: F.softsign(x),
    "tanhshrink": lambda F, x: F.tanhshrink(x),
    "hardshrink": lambda F, x: F.hardshrink(x, 0.5),
    "softshrink": lambda F, x: F.softshrink(x, 0.5),
    "hardsigmoid": lambda F, x: F.hardsigmoid(x),
    "hardswish": lambda F, x: F.hardswish(x),
    "mish": lambda F, x: F.mish(x),
    "threshold": lambda F, x: F.threshold(x, 0.5, -3.0),
    "glu_dim0": lambda F, x: F.glu(x, 0),
    "glu_last": lambda F, x: F.glu(x),
}


def _grads(lib, fn, arrays, grad_idx):
    """fn's value and the gradients of <w, fn(...)> (w a fixed ramp) for the inputs in grad_idx."""
    ts = [lib.tensor(a, requires_grad=i in grad_idx) for i, a in enumerate(arrays)]
    out = fn(*ts)
    w = np.linspace(0.5, 1.5, int(np.prod(out.shape))).reshape(tuple(out.shape)).astype(np.float32)
    gs = lib.autograd.grad((out * lib.tensor(w)).sum(), [ts[i] for i in grad_idx])
    return out, gs


def _match_torch(torch, og_fn, t_fn, arrays, grad_idx=(0,), rtol=1e-5, atol=1e-6):
    yo, go = _grads(og, og_fn, arrays, grad_idx)
    yt, gt = _grads(torch, t_fn, arrays, grad_idx)
    assert yo.dtype == str(yt.dtype).replace("torch.", "")
    np.testing.assert_allclose(yo.detach().numpy(), yt.detach().numpy(), rtol=rtol, atol=atol)
    for a, b in zip(go, gt):
        np.testing.assert_allclose(a.numpy(), b.numpy(), rtol=rtol * 10, atol=atol)
    assert yo.grad_fn.name() == yt.grad_fn.name()


@pytest.mark.parametrize("name", list(ACTIVATIONS))
def test_activation_matches_torch_at_kinks_and_extremes(torch, name):
    fn = ACTIVATIONS[name]
    _match_torch(torch, lambda x: fn(F, x), lambda x: fn(torch.nn.functional, x), [GRID])


@pytest.mark.parametrize("name", list(ACTIVATIONS))
def test_activation_gradient_matches_finite_differences(name):
    # float64 points away from the kinks (where a one-sided choice is made, checked above)
    x = np.array([[-2.7, -1.3, -0.8, -0.3], [0.2, 0.9, 1.7, 2.6]])
    fn = ACTIVATIONS[name]
    xt = og.tensor(x, requires_grad=True)
    out = fn(F, xt)
    v = np.linspace(-1.0, 1.0, int(np.prod(out.shape))).reshape(tuple(out.shape))
    (out * og.tensor(v)).sum().backward()
    num = np.zeros_like(x)
    eps = 1e-6
    for i in np.ndindex(x.shape):
        d = np.zeros_like(x)
        d[i] = eps
        num[i] = ((fn(F, og.tensor(x + d)).numpy() - fn(F, og.tensor(x - d)).numpy()) * v).sum() / (2 * eps)
    np.testing.assert_allclose(xt.grad.numpy(), num, rtol=1e-5, atol=1e-7)


@pytest.mark.parametrize("name", ["selu", "celu", "logsigmoid", "mish", "softsign", "hardswish", "glu_last",
                                  "softmin"])
def test_activation_second_order_matches_torch(torch, name):
    """Composed from registry ops, the gradients differentiate again (create_graph=True)."""
    x = np.array([[-2.7, -1.3, -0.3, 0.2], [0.9, 2.6, -0.6, 1.1]])
    fn = ACTIVATIONS[name]
    out = []
    for lib, functional in ((og, F), (torch, torch.nn.functional)):
        t = lib.tensor(x, requires_grad=True)
        y = fn(functional, t)
        g, = lib.autograd.grad((y * y).sum(), t, create_graph=True)
        h, = lib.autograd.grad((g * lib.tensor(np.linspace(1, 2, 8).reshape(2, 4))).sum(), t)
        out.append(h.detach().numpy())
    np.testing.assert_allclose(out[0], out[1], rtol=1e-7, atol=1e-10)


@pytest.mark.parametrize("weight", [[0.25], [0.25, -0.1, 0.5]])
def test_prelu_matches_torch(torch, weight):
    x = np.linspace(-2, 2, 24).reshape(2, 3, 4).astype(np.float32)
    w = np.array(weight, np.float32)
    _match_torch(torch, F.prelu, torch.nn.functional.prelu, [x, w], grad_idx=(0, 1))


def test_activation_modules_match_torch(torch):
    x = og.tensor(GRID)
    tx = torch.tensor(GRID)
    for args, name in [((), "ReLU6"), ((-2, 3), "Hardtanh"), ((), "SELU"), ((0.7,), "CELU"), ((), "LogSigmoid"),
                       ((1,), "Softmin"), ((), "Softsign"), ((), "Tanhshrink"), ((0.3,), "Hardshrink"),
                       ((0.3,), "Softshrink"), ((), "Hardsigmoid"), ((), "Hardswish"), ((), "Mish"),
                       ((0.1, 20.0), "Threshold"), ((0,), "GLU"), ((), "PReLU")]:
        m, tm = getattr(nn, name)(*args), getattr(torch.nn, name)(*args)
        assert repr(m) == repr(tm)
        np.testing.assert_allclose(m(x).detach().numpy(), tm(tx).detach().numpy(), rtol=1e-5, atol=1e-6)


def test_module_reprs():
    assert repr(nn.Hardtanh()) == "Hardtanh(min_val=-1.0, max_val=1.0)"
    assert repr(nn.ReLU6(inplace=True)) == "ReLU6(inplace=True)"
    assert repr(nn.PReLU()) == "PReLU(num_parameters=1)"
    assert repr(nn.Threshold(0.1, 20, True)) == "Threshold(threshold=0.1, value=20, inplace=True)"
    assert repr(nn.CELU(2.0, True)) == "CELU(alpha=2.0, inplace=True)"
    assert repr(nn.Hardsigmoid(True)) == "Hardsigmoid()"  # PyTorch's has no extra_repr
    assert repr(nn.Mish(True)) == "Mish(inplace=True)"
    assert repr(nn.Softshrink(0.3)) == "Softshrink(0.3)"
    assert repr(nn.Unflatten(1, (2, 5))) == "Unflatten(dim=1, unflattened_size=(2, 5))"
    assert repr(nn.Bilinear(2, 3, 4)) == "Bilinear(in1_features=2, in2_features=3, out_features=4, bias=True)"
    for cls in ["KLDivLoss", "MarginRankingLoss", "CosineEmbeddingLoss", "SoftMarginLoss", "MultiLabelSoftMarginLoss",
                "PoissonNLLLoss", "GaussianNLLLoss", "TripletMarginLoss", "MultiMarginLoss", "CosineSimilarity",
                "PairwiseDistance"]:
        assert repr(getattr(nn, cls)()) == cls + "()"


def test_prelu_module_parameter():
    m = nn.PReLU(3, init=0.1)
    assert [n for n, _ in m.named_parameters()] == ["weight"]
    np.testing.assert_array_equal(m.weight.detach().numpy(), np.full(3, 0.1, np.float32))
    y = m(og.tensor([[[-1.0, 2.0], [3.0, -4.0], [-5.0, 6.0]]]))
    y.sum().backward()
    np.testing.assert_allclose(m.weight.grad.numpy(), [-1.0, -4.0, -5.0])


def test_inplace_activations():
    x = og.tensor([-1.0, 0.5, 7.0], requires_grad=True)
    h = x * 1
    out = F.relu6(h, inplace=True)
    assert out is h and h.grad_fn.name() == "HardtanhBackward0"
    np.testing.assert_array_equal(h.detach().numpy(), [0.0, 0.5, 6.0])
    h = x * 1
    F.selu(h, True)
    assert h.grad_fn.name() == "EluBackward1"
    h = x * 1
    F.threshold(h, 0.1, 5.0, True)
    assert h.grad_fn.name() == "ThresholdBackward1"
    np.testing.assert_array_equal(h.detach().numpy(), [5.0, 0.5, 7.0])
    with pytest.raises(RuntimeError, match="a leaf Variable that requires grad is being used in an in-place"):
        F.hardtanh(x, inplace=True)


def test_integer_inputs():
    assert F.relu6(og.tensor([1, -2, 8])).tolist() == [1, 0, 6]
    assert F.hardtanh(og.tensor([1, -2, 8])).dtype == og.int64
    assert F.threshold(og.tensor([1, 2, 3]), 1, 7).tolist() == [7, 2, 3]
    with pytest.raises(NotImplementedError, match="\"elu_cpu\" not implemented for 'Long'"):
        F.selu(og.tensor([1, 2]))
    with pytest.raises(NotImplementedError, match="\"mish_cpu\" not implemented for 'Long'"):
        F.mish(og.tensor([1, 2]))


def test_softshrink_keeps_negative_zero():
    out = F.softshrink(og.tensor([-0.5, -0.2, 0.0, 0.2, 0.7]))
    assert np.signbit(out.numpy()).tolist() == [True, True, False, False, False]


# -- losses -------------------------------------------------------------------------------------------------
A = np.array([[0.2, -1.0, 0.5], [1.5, 0.3, -0.7]], np.float32)
B = np.array([[0.3, 0.3, 0.4], [0.1, 0.6, 0.3]], np.float32)
B0 = np.array([[0.0, 0.5, 0.5], [0.1, 0.6, 0.3]], np.float32)
W3 = np.array([1.0, 2.0, 0.5], np.float32)
I1, I2, Y = (np.array(v, np.float32) for v in ([1.0, 2.0, 3.0], [2.0, 1.0, 3.0], [1.0, -1.0, 1.0]))
POS = np.array([[0.0, 1.0, 2.0], [3.0, 5.0, 0.5]], np.float32)
VAR = np.array([[0.5, 1e-8, 2.0], [1.0, 1.0, 3.0]], np.float32)

# name: (F call given (F, torch-like module, *tensors), arrays, differentiable inputs)
LOSSES = {
    "kl_div": (lambda F, T, x, t, r: F.kl_div(x, t, reduction=r), [A, B0], (0,)),
    "kl_div_log_target": (lambda F, T, x, t, r: F.kl_div(x, t, reduction=r, log_target=True), [A, np.log(B)], (0, 1)),
    "margin_ranking": (lambda F, T, a, b, y, r: F.margin_ranking_loss(a, b, y, margin=0.5, reduction=r), [I1, I2, Y],
                       (0, 1)),
    "cosine_embedding": (lambda F, T, a, b, r: F.cosine_embedding_loss(a, b, T.tensor([1.0, -1.0]), margin=0.1,
                                                                       reduction=r), [A, B - 0.3], (0, 1)),
    "soft_margin": (lambda F, T, x, y, r: F.soft_margin_loss(x, y, reduction=r), [I1 - 2, Y], (0,)),
    "multilabel_soft_margin": (lambda F, T, x, t, w, r: F.multilabel_soft_margin_loss(x, t, w, reduction=r),
                               [A, (B > 0.3).astype(np.float32), W3], (0,)),
    "poisson_nll": (lambda F, T, x, t, r: F.poisson_nll_loss(x, t, reduction=r), [A, B * 5], (0,)),
    "poisson_nll_full": (lambda F, T, x, t, r: F.poisson_nll_loss(x, t, log_input=False, full=True, reduction=r),
                         [np.abs(A) + 0.1, POS], (0,)),
    "gaussian_nll": (lambda F, T, x, t, v, r: F.gaussian_nll_loss(x, t, v, reduction=r), [A, B, VAR], (0, 2)),
    "gaussian_nll_full_hetero": (lambda F, T, x, t, v, r: F.gaussian_nll_loss(x, t, v, full=True, reduction=r),
                                 [A, B, np.array([0.5, 2.0], np.float32)], (0, 2)),
    "triplet": (lambda F, T, a, p, n, r: F.triplet_margin_loss(a, p, n, reduction=r), [A, B, A * 0.5], (0, 1, 2)),
    "triplet_swap_p1": (lambda F, T, a, p, n, r: F.triplet_margin_loss(a, p, n, p=1, swap=True, margin=2.0,
                                                                       reduction=r), [A, B, A * 0.5], (0, 1, 2)),
    "multi_margin": (lambda F, T, x, r: F.multi_margin_loss(x, T.tensor([0, 2]), reduction=r), [A], (0,)),
    "multi_margin_p2_weight": (lambda F, T, x, w, r: F.multi_margin_loss(x, T.tensor([1, 2]), p=2, margin=0.7,
                                                                         weight=w, reduction=r), [A, W3], (0,)),
    "multi_margin_1d": (lambda F, T, x, r: F.multi_margin_loss(x, T.tensor(1), reduction=r), [A[0]], (0,)),
    # the existing losses with their less common options
    "cross_entropy_smoothing_weight": (lambda F, T, x, w, r: F.cross_entropy(
        x, T.tensor([0, 2]), weight=w, label_smoothing=0.2, reduction=r), [A, W3], (0,)),
    "cross_entropy_probabilities": (lambda F, T, x, t, r: F.cross_entropy(x, t, label_smoothing=0.2, reduction=r),
                                    [A, B], (0, 1)),
    "bce_with_logits_pos_weight": (lambda F, T, x, t, pw, r: F.binary_cross_entropy_with_logits(
        x, t, pos_weight=pw, reduction=r), [A * 10, B, W3], (0, 1)),
}


@pytest.mark.parametrize("reduction", ["none", "mean", "sum"])
@pytest.mark.parametrize("name", list(LOSSES))
def test_loss_matches_torch(torch, name, reduction):
    fn, arrays, grad_idx = LOSSES[name]
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # kl_div's 'mean' warning (checked below)
        _match_torch(torch, lambda *t: fn(F, og, *t, reduction), lambda *t: fn(torch.nn.functional, torch, *t,
                                                                               reduction), arrays, grad_idx)


@pytest.mark.parametrize("log_target", [False, True])
def test_kl_div_batchmean(torch, log_target):
    t = np.log(B) if log_target else B
    _match_torch(torch, lambda x, y: F.kl_div(x, y, reduction="batchmean", log_target=log_target),
                 lambda x, y: torch.nn.functional.kl_div(x, y, reduction="batchmean", log_target=log_target),
                 [A, t], (0, 1))


def test_kl_div_warns_for_mean_and_zero_target_is_finite():
    with pytest.warns(UserWarning, match="'batchmean' divides only by the batch size"):
        loss = F.kl_div(og.tensor(A), og.tensor(B0))
    assert np.isfinite(loss.item())
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        F.kl_div(og.tensor(A), og.tensor(B0), reduction="batchmean")


@pytest.mark.parametrize("name", ["poisson_nll", "gaussian_nll", "triplet", "cosine_embedding", "multi_margin",
                                  "multilabel_soft_margin", "soft_margin", "margin_ranking"])
def test_loss_gradient_matches_finite_differences(name):
    fn, arrays, grad_idx = LOSSES[name]
    arrays = [a.astype(np.float64) for a in arrays]
    if name == "gaussian_nll":
        arrays[2] = np.abs(arrays[2]) + 0.5  # keep the variance above the clamp
    ts = [og.tensor(a, requires_grad=i == 0) for i, a in enumerate(arrays)]
    fn(F, og, *ts, "sum").backward()
    num = np.zeros_like(arrays[0])
    eps = 1e-6
    for i in np.ndindex(arrays[0].shape):
        d = np.zeros_like(arrays[0])
        d[i] = eps
        up = fn(F, og, og.tensor(arrays[0] + d), *[og.tensor(a) for a in arrays[1:]], "sum").item()
        down = fn(F, og, og.tensor(arrays[0] - d), *[og.tensor(a) for a in arrays[1:]], "sum").item()
        num[i] = (up - down) / (2 * eps)
    np.testing.assert_allclose(ts[0].grad.numpy(), num, rtol=1e-5, atol=1e-7)


def test_loss_modules_match_functions():
    x, t = og.tensor(A), og.tensor(B)
    a, b, y = og.tensor(I1), og.tensor(I2), og.tensor(Y)
    cases = [
        (nn.KLDivLoss(reduction="batchmean", log_target=True)(x, t.log()),
         F.kl_div(x, t.log(), reduction="batchmean", log_target=True)),
        (nn.MarginRankingLoss(0.3, reduction="sum")(a, b, y), F.margin_ranking_loss(a, b, y, 0.3, reduction="sum")),
        (nn.CosineEmbeddingLoss(0.2)(x, t, og.tensor([1.0, -1.0])),
         F.cosine_embedding_loss(x, t, og.tensor([1.0, -1.0]), 0.2)),
        (nn.SoftMarginLoss()(a, y), F.soft_margin_loss(a, y)),
        (nn.MultiLabelSoftMarginLoss(weight=og.tensor(W3))(x, t), F.multilabel_soft_margin_loss(x, t, og.tensor(W3))),
        (nn.PoissonNLLLoss(log_input=False, full=True)(x.abs(), t), F.poisson_nll_loss(x.abs(), t, False, True)),
        (nn.GaussianNLLLoss(full=True)(x, t, og.ones(2, 3)), F.gaussian_nll_loss(x, t, og.ones(2, 3), full=True)),
        (nn.TripletMarginLoss(margin=0.5, p=1, swap=True)(x, t, x * 2),
         F.triplet_margin_loss(x, t, x * 2, 0.5, 1, swap=True)),
        (nn.MultiMarginLoss(p=2, weight=og.tensor(W3))(x, og.tensor([2, 0])),
         F.multi_margin_loss(x, og.tensor([2, 0]), 2, weight=og.tensor(W3))),
    ]
    for module_out, fn_out in cases:
        np.testing.assert_allclose(module_out.detach().numpy(), fn_out.detach().numpy(), rtol=1e-6)


ERRORS = [
    (lambda: F.kl_div(og.tensor(A), og.tensor(B), reduction="bad"), ValueError,
     "bad is not a valid value for reduction"),
    (lambda: F.multilabel_soft_margin_loss(og.tensor(A), og.tensor(B), reduction="bad"), ValueError,
     "bad is not valid"),
    (lambda: F.gaussian_nll_loss(og.tensor(A), og.tensor(B), og.ones(3, 3)), ValueError, "var is of incorrect size"),
    (lambda: F.gaussian_nll_loss(og.tensor(A), og.tensor(B), -og.ones(2, 3)), ValueError,
     "var has negative entry/entries"),
    (lambda: F.glu(og.ones(5)), RuntimeError, "Halving dimension must be even, but dimension 0 is size 5"),
    (lambda: F.glu(og.tensor(1.0)), RuntimeError, "glu does not support scalars because halving size must be even"),
    (lambda: F.prelu(og.ones(2, 4), og.ones(3)), RuntimeError,
     "Mismatch of parameter numbers and input channel size. Found parameter numbers = 3 and channel size = 4."),
    (lambda: F.hardtanh(og.ones(2), 2, 1), ValueError, "min_val cannot be greater than max_val"),
    (lambda: F.softshrink(og.ones(2), -1), RuntimeError, "lambda must be in range"),
    (lambda: F.triplet_margin_loss(og.tensor(A), og.tensor(B), og.tensor(A), margin=0), ValueError,
     "margin must be greater than 0, got 0"),
    (lambda: F.triplet_margin_loss(og.tensor(A), og.tensor(B), og.tensor(A[0])), RuntimeError,
     "anchor 2D, positive 2D, and negative 1D inputs"),
    (lambda: F.cosine_embedding_loss(og.tensor(A), og.tensor(A), og.ones(2, 1)), RuntimeError,
     "0D or 1D target tensor expected, multi-target not supported"),
    (lambda: F.cosine_embedding_loss(og.tensor(A[0]), og.tensor(A[0]), og.ones(2)), RuntimeError,
     r"1D target tensor expects 2D input tensors, but found inputs with sizes \[3\] and \[3\]."),
    (lambda: F.margin_ranking_loss(og.tensor(I1), og.tensor(I2), og.tensor(Y[None])), RuntimeError,
     "margin_ranking_loss : All input tensors should have same dimension"),
    (lambda: F.multi_margin_loss(og.tensor(A), og.tensor([0, 2]), p=3), ValueError, "only p == 1 and p == 2 supported"),
    (lambda: F.multi_margin_loss(og.tensor(A), og.tensor([0, 3])), RuntimeError, "target out of range"),
    (lambda: F.bilinear(og.tensor(A), og.tensor(B[:1]), og.ones(4, 3, 3)), RuntimeError,
     "bilinear\\(\\): input batch dimensions do not match at dim 0: got 2 and 1"),
    (lambda: F.bilinear(og.tensor(A), og.tensor(B), og.ones(4, 2, 3)), RuntimeError,
     "bilinear\\(\\): input1 size does not match weight size: got 3 but expected 2"),
    (lambda: nn.Hardtanh(2, 1), AssertionError, r"max_val \(1\) must be greater than min_val \(2\)"),
    (lambda: nn.TripletMarginLoss(margin=0), ValueError, "TripletMarginLoss: expected margin to be greater than 0"),
    (lambda: nn.Unflatten(1, 5), TypeError, "unflattened_size must be a tuple of ints, but found type int"),
]


@pytest.mark.parametrize("i", range(len(ERRORS)))
def test_errors_match_torch_text(i):
    call, exc, text = ERRORS[i]
    with pytest.raises(exc, match=text):
        call()


# -- distances, bilinear, unflatten ---------------------------------------------------------------------------
def test_pairwise_distance_and_cosine_similarity(torch):
    tf = torch.nn.functional
    _match_torch(torch, F.pairwise_distance, tf.pairwise_distance, [A, B], (0, 1))
    _match_torch(torch, lambda a, b: F.pairwise_distance(a, b, 1, keepdim=True),
                 lambda a, b: tf.pairwise_distance(a, b, 1, keepdim=True), [A, B], (0, 1))
    _match_torch(torch, F.pairwise_distance, tf.pairwise_distance, [A[0], B[0]], (0, 1))
    out = nn.CosineSimilarity(dim=0)(og.tensor(A), og.tensor(B))
    np.testing.assert_allclose(out.numpy(), tf.cosine_similarity(torch.tensor(A), torch.tensor(B), 0).numpy(),
                               rtol=1e-6)


@pytest.mark.parametrize("bias", [True, False])
@pytest.mark.parametrize("lead", [(2,), (2, 2), ()])
def test_bilinear_matches_torch(torch, bias, lead):
    m, tm = nn.Bilinear(3, 2, 4, bias=bias), torch.nn.Bilinear(3, 2, 4, bias=bias)
    tm.load_state_dict({k: torch.tensor(v.numpy()) for k, v in m.state_dict().items()})
    x1 = np.linspace(-1, 1, int(np.prod(lead + (3,)))).reshape(lead + (3,)).astype(np.float32)
    x2 = np.linspace(2, -1, int(np.prod(lead + (2,)))).reshape(lead + (2,)).astype(np.float32)
    params = [m.weight] + ([m.bias] if bias else [])
    tparams = [tm.weight] + ([tm.bias] if bias else [])
    xo, xt = og.tensor(x1, requires_grad=True), torch.tensor(x1, requires_grad=True)
    yo, yt = m(xo, og.tensor(x2)), tm(xt, torch.tensor(x2))
    np.testing.assert_allclose(yo.detach().numpy(), yt.detach().numpy(), rtol=1e-5, atol=1e-6)
    assert yo.grad_fn.name() == yt.grad_fn.name()
    go = og.autograd.grad((yo * yo).sum(), [xo] + params)
    gt = torch.autograd.grad((yt * yt).sum(), [xt] + tparams)
    for a, b in zip(go, gt):
        np.testing.assert_allclose(a.numpy(), b.numpy(), rtol=1e-4, atol=1e-5)
    bound = 1 / np.sqrt(3)
    assert np.abs(m.weight.detach().numpy()).max() <= bound


def test_unflatten():
    m = nn.Unflatten(1, (2, 5))
    assert tuple(m(og.ones(3, 10)).shape) == (3, 2, 5)
    with pytest.raises(TypeError, match="found element of type float at pos 1"):
        nn.Unflatten(1, (2, 2.5))


# -- containers -------------------------------------------------------------------------------------------------
def test_parameter_list(torch):
    pl = nn.ParameterList([nn.Parameter(og.ones(2, 3)), og.zeros(2)])
    pl.append(og.tensor([1.0, 2.0], dtype=og.float64))
    pl.append("not a tensor")
    tl = torch.nn.ParameterList([torch.nn.Parameter(torch.ones(2, 3)), torch.zeros(2)])
    tl.append(torch.tensor([1.0, 2.0], dtype=torch.float64))
    tl.append("not a tensor")
    assert repr(pl) == repr(tl)
    assert len(pl) == 4 and isinstance(pl[1], nn.Parameter) and pl[1].requires_grad
    assert [n for n, _ in pl.named_parameters()] == ["0", "1", "2"]
    assert repr(pl[1:3]) == repr(tl[1:3])
    pl[0] = og.ones(1)
    assert tuple(pl[0].shape) == (1,) and isinstance(pl[0], nn.Parameter)
    with pytest.raises(IndexError, match="index 10 is out of range"):
        pl[10]
    with pytest.raises(TypeError, match="ParameterList.extend should be called with an iterable, but got Tensor"):
        pl.extend(og.ones(2))
    with pytest.raises(RuntimeError, match="ParameterList should not be called."):
        pl(1)


def test_parameter_dict(torch):
    pd = nn.ParameterDict({"b": nn.Parameter(og.ones(2)), "a": og.zeros(3, dtype=og.float64)})
    pd["c"] = og.ones(1, 2)
    td = torch.nn.ParameterDict({"b": torch.nn.Parameter(torch.ones(2)), "a": torch.zeros(3, dtype=torch.float64)})
    td["c"] = torch.ones(1, 2)
    assert repr(pd) == repr(td)
    assert list(pd.keys()) == ["a", "b", "c"]  # a plain dict is added in sorted key order
    assert "a" in pd and pd.get("z") is None
    assert tuple(pd.pop("a").shape) == (3,)
    assert [n for n, _ in pd.named_parameters()] == ["b", "c"]
    merged = pd | nn.ParameterDict({"d": og.ones(1)})
    assert list(merged) == ["b", "c", "d"] and list(pd) == ["b", "c"]
    with pytest.raises(TypeError, match="not a string \\(type is 'int'\\)"):
        pd[1]


def test_containers_register_in_parent_and_train():
    class Net(nn.Module):
        def __init__(self):
            super().__init__()
            self.ws = nn.ParameterList([nn.Parameter(og.ones(2)) for _ in range(2)])
            self.scales = nn.ParameterDict({"s": nn.Parameter(og.tensor(3.0))})

        def forward(self, x):
            return (x * self.ws[0] + self.ws[1]).sum() * self.scales["s"]

    net = Net()
    assert [n for n, _ in net.named_parameters()] == ["ws.0", "ws.1", "scales.s"]
    assert list(net.state_dict()) == ["ws.0", "ws.1", "scales.s"]
    opt = og.optim.SGD(net.parameters(), lr=0.1)
    net(og.tensor([1.0, 2.0])).backward()
    opt.step()
    np.testing.assert_allclose(net.ws[0].detach().numpy(), [0.7, 0.4])
    np.testing.assert_allclose(net.scales["s"].item(), 3.0 - 0.1 * 5.0)


def test_parameters_to_vector_round_trip():
    m = nn.Linear(2, 3)
    v = nn.utils.parameters_to_vector(m.parameters())
    assert tuple(v.shape) == (9,) and v.grad_fn.name() == "CatBackward0"
    nn.utils.vector_to_parameters(og.arange(9.0), m.parameters())
    np.testing.assert_array_equal(m.weight.detach().numpy(), np.arange(6.0).reshape(3, 2))
    np.testing.assert_array_equal(m.bias.detach().numpy(), [6.0, 7.0, 8.0])
    with pytest.raises(TypeError, match="expected torch.Tensor, but got: list"):
        nn.utils.vector_to_parameters([1.0], m.parameters())


# -- full backward hooks --------------------------------------------------------------------------------------
def _hook_run(lib):
    lin = lib.nn.Linear(3, 2)
    with lib.no_grad():
        lin.weight.copy_(lib.tensor([[1.0, 2.0, 3.0], [-1.0, 0.5, 0.0]]))
        lin.bias.fill_(0.1)
    log = []

    def hook(m, gi, go):
        log.append(("hook", [None if g is None else g.tolist() for g in gi], [g.tolist() for g in go]))

    def pre(m, go):
        log.append(("pre", [g.tolist() for g in go]))
        return (go[0] * 2,)

    h1, h2 = lin.register_full_backward_hook(hook), lin.register_full_backward_pre_hook(pre)
    x = lib.tensor([[1.0, 2.0, 3.0]], requires_grad=True)
    y = lin(x)
    log.append(y.grad_fn.name())
    y.sum().backward()
    log.append((x.grad.tolist(), lin.weight.grad.tolist()))
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # "Full backward hook is firing when ... no inputs require gradients"
        lin(lib.tensor([[1.0, 0.0, 0.0]])).sum().backward()
    h1.remove()
    h2.remove()
    lin.register_full_backward_hook(lambda m, gi, go: (gi[0] * 0 + 5,))  # replaces grad_input
    x.grad = None
    lin(x).pow(2).sum().backward()
    log.append(x.grad.tolist())

    class Two(lib.nn.Module):
        def forward(self, a, b, k):
            return a * k, b + a

    m = Two()
    m.register_full_backward_hook(lambda mod, gi, go: log.append(
        ("two", [None if g is None else g.tolist() for g in gi], [None if g is None else g.tolist() for g in go])))
    a, b = lib.tensor([1.0, 2.0], requires_grad=True), lib.tensor([3.0, 4.0])
    p, _ = m(a, b, 3.0)
    p.sum().backward()  # the second output is unused: its grad_output is None
    bad = Two()
    bad.register_full_backward_hook(lambda mod, gi, go: (None,))
    try:
        bad(a, b, 2.0)[0].sum().backward()
    except RuntimeError as e:
        log.append(str(e))
    return log


def test_full_backward_hooks_match_torch(torch):
    assert _hook_run(og) == _hook_run(torch)


def test_full_backward_hooks_values():
    log = _hook_run(og)
    assert log[0] == "BackwardHookFunctionBackward"
    assert log[1] == ("pre", [[[1.0, 1.0]]])
    assert log[2] == ("hook", [[[0.0, 5.0, 6.0]]], [[[2.0, 2.0]]])  # after the pre-hook doubled grad_output
    assert log[-1] == "Backward hook returned an invalid number of grad_input, got 1, but expected 3"


def test_full_backward_hook_refuses_capture():
    from onnxgraft.frontend.trace import CaptureError
    lin = nn.Linear(2, 2)
    lin.register_full_backward_hook(lambda m, gi, go: None)
    with pytest.raises(CaptureError, match="full backward hooks"):
        og.trace(lambda x: lin(x).sum(), og.ones(1, 2, requires_grad=True))


# -- init ------------------------------------------------------------------------------------------------------
def test_orthogonal_():
    for shape in [(4, 6), (6, 4), (3, 2, 2)]:
        w = nn.init.orthogonal_(og.empty(*shape), gain=2.0)
        m = w.numpy().reshape(shape[0], -1)
        small = m @ m.T if shape[0] <= m.shape[1] else m.T @ m
        np.testing.assert_allclose(small, 4.0 * np.eye(small.shape[0]), atol=1e-5)
    with pytest.raises(ValueError, match="Only tensors with 2 or more dimensions are supported"):
        nn.init.orthogonal_(og.empty(3))


def test_trunc_normal_():
    w = nn.init.trunc_normal_(og.empty(200, 100), std=0.02, a=-0.04, b=0.04)
    v = w.numpy()
    assert v.min() >= -0.04 and v.max() <= 0.04
    assert abs(v.std() - 0.02 * 0.8796) < 1e-3  # the std of N(0, s^2) truncated at +-2s
    with pytest.warns(UserWarning, match="mean is more than 2 std from \\[a, b\\]"):
        w = nn.init.trunc_normal_(og.empty(2000), mean=5.0, a=-1.0, b=1.0)
    assert w.numpy().min() >= -1.0 and w.numpy().max() <= 1.0 and w.numpy().mean() > 0.5


def test_dirac_():
    w = nn.init.dirac_(og.empty(4, 2, 3, 3), groups=2)
    expected = np.zeros((4, 2, 3, 3), np.float32)
    for o, i in [(0, 0), (1, 1), (2, 0), (3, 1)]:
        expected[o, i, 1, 1] = 1
    np.testing.assert_array_equal(w.numpy(), expected)
    # a Dirac conv weight is the identity map
    x = og.randn(1, 3, 5)
    ident = nn.init.dirac_(og.empty(3, 3, 3))
    np.testing.assert_array_equal(ident.numpy()[:, :, 1], np.eye(3, dtype=np.float32))
    with pytest.raises(ValueError, match="Only tensors with 3, 4, or 5 dimensions are supported"):
        nn.init.dirac_(og.empty(3, 3))
    with pytest.raises(ValueError, match="dim 0 must be divisible by groups"):
        nn.init.dirac_(og.empty(3, 2, 3), 2)
    del x


# -- compiled (onnxruntime) training steps against eager --------------------------------------------------------
def _model():
    return nn.Sequential(nn.Linear(6, 8), nn.PReLU(8), nn.Linear(8, 8), nn.SELU(), nn.Linear(8, 8), nn.GLU(),
                         nn.Hardswish(), nn.Unflatten(1, (2, 2)), nn.Flatten(), nn.Linear(4, 4), nn.Mish(),
                         nn.Linear(4, 4))


COMPILED_LOSSES = {
    "kl_div": lambda out, x: F.kl_div(F.log_softmax(out, 1), F.softmax(x[:, :4], 1), reduction="batchmean"),
    "triplet": lambda out, x: F.triplet_margin_loss(out, x[:, :4], x[:, 2:], swap=True),
    "multi_margin": lambda out, x: F.multi_margin_loss(out, og.tensor([0, 3, 1, 2, 2]), p=2),
    "poisson_full": lambda out, x: F.poisson_nll_loss(out, x[:, :4].abs() * 3, full=True),
    "gaussian": lambda out, x: F.gaussian_nll_loss(out[:, :2], x[:, :2], F.softplus(out[:, 2:])),
    "cosine_embedding": lambda out, x: F.cosine_embedding_loss(out, x[:, :4], og.tensor([1.0, -1.0, 1.0, -1.0, 1.0])),
    "soft_and_ranking": lambda out, x: F.soft_margin_loss(out, x[:, :4].sign()) + F.margin_ranking_loss(
        out[:, 0], out[:, 1], og.tensor([1.0, -1.0, 1.0, 1.0, -1.0]), 0.1),
    "multilabel_bilinear": lambda out, x: F.multilabel_soft_margin_loss(
        F.bilinear(out, x[:, :3], og.ones(4, 4, 3) * 0.1, og.zeros(4)), (x[:, 2:] > 0).float()),
}


@pytest.mark.parametrize("name", list(COMPILED_LOSSES))
def test_compiled_step_matches_eager(name):
    term = COMPILED_LOSSES[name]
    x = og.tensor(np.linspace(-2, 2, 30).reshape(5, 6).astype(np.float32))
    runs = []
    for compiled in (False, True):
        og.manual_seed(1)
        model = _model()
        opt = og.optim.SGD(model.parameters(), lr=0.1)

        def step(x):
            opt.zero_grad()
            loss = term(model(x), x)
            loss.backward()
            opt.step()
            return loss

        fn = og.compile(step) if compiled else step
        losses = [float(fn(x)) for _ in range(4)]
        runs.append((losses, [p.detach().numpy().copy() for p in model.parameters()]))
    (le, pe), (lc, pc) = runs
    assert le[-1] != le[0]  # the parameters moved
    np.testing.assert_allclose(lc, le, rtol=1e-5, atol=1e-6)
    for a, b in zip(pc, pe):
        np.testing.assert_allclose(a, b, rtol=1e-4, atol=1e-6)

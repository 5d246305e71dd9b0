"""nn.ConvTranspose1d/2d and F.conv_transpose1d/2d: values and gradients against PyTorch and
central differences, PyTorch's parameter shapes, init bounds, reprs and error texts, and a compiled
training step (exported as ONNX ConvTranspose) against the eager one."""
import math

import numpy as np
import pytest

import onnxgraft as og
import onnxgraft.nn as nn
import onnxgraft.nn.functional as F

rng = np.random.default_rng(7)

# (nd, batch, in, out, groups, spatial, kernel, stride, padding, dilation, output_padding)
GEOMETRIES = [
    (1, 2, 4, 6, 2, (5,), (3,), 2, 1, 1, 1),
    (1, 1, 3, 2, 1, (4,), (2,), 1, 0, 2, 0),
    (1, 2, 4, 4, 4, (6,), (3,), 3, 2, 2, 1),
    (2, 2, 4, 6, 2, (4, 5), (3, 2), 2, 1, 1, 1),
    (2, 1, 3, 2, 1, (3, 3), (2, 3), 1, 0, 2, 0),
    (2, 2, 2, 4, 2, (5, 4), (3, 3), 3, 1, 2, 2),
]


def _fn(lib, nd):
    return getattr(lib.nn.functional if lib is not og else F, f"conv_transpose{nd}d")


@pytest.mark.parametrize("geometry", GEOMETRIES, ids=repr)
@pytest.mark.parametrize("bias", [True, False])
def test_values_and_gradients_match_torch(geometry, bias):
    torch = pytest.importorskip("torch")
    nd, n, cin, cout, groups, sp, k, s, p, d, op = geometry
    x, w, b = (rng.standard_normal((n, cin) + sp), rng.standard_normal((cin, cout // groups) + k),
               rng.standard_normal(cout))
    tx, tw, tb = (torch.tensor(a, requires_grad=True) for a in (x, w, b))
    ty = _fn(torch, nd)(tx, tw, tb if bias else None, s, p, op, groups, d)
    gy = rng.standard_normal(tuple(ty.shape))
    ty.backward(torch.tensor(gy))
    ox, ow, ob = (og.tensor(a, requires_grad=True) for a in (x, w, b))
    y = _fn(og, nd)(ox, ow, ob if bias else None, s, p, op, groups, d)
    assert y.grad_fn.name() == "ConvolutionBackward0"
    np.testing.assert_allclose(y.detach().numpy(), ty.detach().numpy(), rtol=1e-12, atol=1e-12)
    y.backward(og.tensor(gy))
    for mine, theirs in ((ox, tx), (ow, tw)) + (((ob, tb),) if bias else ()):
        np.testing.assert_allclose(mine.grad.numpy(), theirs.grad.numpy(), rtol=1e-12, atol=1e-12)


def _numeric_grad(f, arrays, i, eps=1e-6):
    base = [a.copy() for a in arrays]
    grad = np.zeros_like(base[i])
    for idx in np.ndindex(base[i].shape):
        plus = [a.copy() for a in base]
        minus = [a.copy() for a in base]
        plus[i][idx] += eps
        minus[i][idx] -= eps
        grad[idx] = (f(*plus) - f(*minus)) / (2 * eps)
    return grad


def test_gradients_match_central_differences_and_second_order():
    x, w, b = rng.standard_normal((1, 2, 3, 2)), rng.standard_normal((2, 2, 2, 2)), rng.standard_normal(4)
    v = rng.standard_normal((1, 4, 7, 2))

    def loss(x, w, b):
        out = F.conv_transpose2d(og.tensor(x), og.tensor(w), og.tensor(b), stride=2, padding=(0, 1),
                                 output_padding=(1, 0), groups=2)
        return float((out * og.tensor(v)).sum())

    ts = [og.tensor(a, requires_grad=True) for a in (x, w, b)]
    out = F.conv_transpose2d(*ts, stride=2, padding=(0, 1), output_padding=(1, 0), groups=2)
    assert tuple(out.shape) == v.shape
    grads = og.autograd.grad((out * og.tensor(v)).sum(), ts, create_graph=True)
    for i, g in enumerate(grads):
        np.testing.assert_allclose(g.detach().numpy(), _numeric_grad(loss, [x, w, b], i), rtol=1e-6, atol=1e-7)
    # second order: d/dw <u, dL/dx> is a bilinear form in (x, w); checked by differences of dL/dx
    u = rng.standard_normal(x.shape)
    (gw,) = og.autograd.grad((grads[0] * og.tensor(u)).sum(), [ts[1]])

    def dx_dot_u(x_, w_, b_):
        t = [og.tensor(a, requires_grad=True) for a in (x_, w_, b_)]
        o = F.conv_transpose2d(*t, stride=2, padding=(0, 1), output_padding=(1, 0), groups=2)
        (g,) = og.autograd.grad((o * og.tensor(v)).sum(), [t[0]])
        return float((g * og.tensor(u)).sum())
    np.testing.assert_allclose(gw.numpy(), _numeric_grad(dx_dot_u, [x, w, b], 1), rtol=1e-6, atol=1e-7)


def test_layers_shapes_init_and_repr():
    m = nn.ConvTranspose2d(4, 6, 3, stride=2, padding=1, output_padding=1, groups=2, bias=False, dilation=2)
    assert repr(m) == ("ConvTranspose2d(4, 6, kernel_size=(3, 3), stride=(2, 2), padding=(1, 1), dilation=(2, 2), "
                       "output_padding=(1, 1), groups=2, bias=False)")
    assert repr(nn.ConvTranspose1d(4, 6, 3)) == "ConvTranspose1d(4, 6, kernel_size=(3,), stride=(1,))"
    m = nn.ConvTranspose2d(4, 6, (3, 2), groups=2)
    assert tuple(m.weight.shape) == (4, 3, 3, 2) and tuple(m.bias.shape) == (6,)
    assert m.transposed and m.output_padding == (0, 0) and m.kernel_size == (3, 2)
    # kaiming_uniform_(a=sqrt(5)) over fan_in = (out/groups) * k: bound 1/sqrt(fan_in), the bias's too
    bound = 1 / math.sqrt(3 * 3 * 2)
    assert np.abs(m.weight.detach().numpy()).max() <= bound and np.abs(m.bias.detach().numpy()).max() <= bound
    m1 = nn.ConvTranspose1d(2, 3, 4, stride=3)
    assert tuple(m1.weight.shape) == (2, 3, 4) and m1.stride == (3,) and m1.output_padding == (0,)
    assert tuple(m1(og.ones(1, 2, 5)).shape) == (1, 3, 16)
    assert tuple(m1(og.ones(2, 5), output_size=[18]).shape) == (3, 18)


def test_layer_matches_torch_with_copied_weights():
    torch = pytest.importorskip("torch")
    x = np.linspace(-1, 1, 2 * 4 * 3 * 3, dtype=np.float32).reshape(2, 4, 3, 3)
    mine, theirs = nn.ConvTranspose2d(4, 2, 3, stride=2, padding=1), torch.nn.ConvTranspose2d(4, 2, 3, stride=2, padding=1)
    with og.no_grad():
        mine.weight.copy_(og.tensor(theirs.weight.detach().numpy()))
        mine.bias.copy_(og.tensor(theirs.bias.detach().numpy()))
    y, ty = mine(og.tensor(x), output_size=(6, 6)), theirs(torch.tensor(x), output_size=(6, 6))
    assert y.dtype == og.float32 and tuple(y.shape) == tuple(ty.shape)
    np.testing.assert_allclose(y.detach().numpy(), ty.detach().numpy(), rtol=1e-5, atol=1e-6)
    assert str(y.sum()) == str(ty.sum())


ERRORS = [
    (lambda L: L.nn.functional.conv_transpose2d(L.zeros(2, 4, 5), L.zeros(4, 3, 3, 3)),
     "Given transposed=1, weight of size [4, 3, 3, 3], expected input[1, 2, 4, 5] to have 4 channels, but got 2 "
     "channels instead"),
    (lambda L: L.nn.functional.conv_transpose2d(L.zeros(5), L.zeros(4, 3, 3, 3)),
     "Expected 3D (unbatched) or 4D (batched) input to conv_transpose2d, but got input of size: [5]"),
    (lambda L: L.nn.functional.conv_transpose1d(L.zeros(2, 4, 5, 5), L.zeros(4, 3, 3)),
     "Expected 2D (unbatched) or 3D (batched) input to conv_transpose1d, but got input of size: [2, 4, 5, 5]"),
    (lambda L: L.nn.functional.conv_transpose1d(L.zeros(1, 3, 5), L.zeros(4, 3, 3)),
     "Given transposed=1, weight of size [4, 3, 3], expected input[1, 3, 5] to have 4 channels, but got 3 "
     "channels instead"),
    (lambda L: L.nn.functional.conv_transpose2d(L.zeros(1, 4, 5, 5), L.zeros(4, 3, 3, 3), L.zeros(5)),
     "Given transposed=1, weight of size [4, 3, 3, 3], expected bias to be 1-dimensional with 3 elements, but got "
     "bias of size [5] instead"),
    (lambda L: L.nn.functional.conv_transpose2d(L.zeros(1, 4, 5, 5), L.zeros(4, 3, 3, 3), stride=2,
                                                output_padding=2),
     "output padding must be smaller than either stride or dilation, but got output_padding_height: 2 "
     "output_padding_width: 2 stride_height: 2 stride_width: 2 dilation_height: 1 dilation_width: 1"),
    (lambda L: L.nn.functional.conv_transpose2d(L.zeros(1, 4, 1, 1), L.zeros(4, 3, 3, 3), padding=3),
     "Given input size per channel: (1 x 1). Calculated output size per channel: (-3 x -3). Output size is too small"),
    (lambda L: L.nn.functional.conv_transpose2d(L.zeros(1, 4, 5, 5, dtype=L.float64), L.zeros(4, 3, 3, 3)),
     "expected scalar type Double but found Float"),
    (lambda L: L.nn.ConvTranspose2d(4, 3, 3, groups=3), "in_channels must be divisible by groups"),
    (lambda L: L.nn.ConvTranspose2d(4, 6, 3, padding_mode="reflect"),
     'Only "zeros" padding mode is supported for ConvTranspose2d'),
]


@pytest.mark.parametrize("make, message", ERRORS, ids=[m for _, m in ERRORS])
def test_error_texts_are_pytorchs(make, message):
    with pytest.raises((RuntimeError, ValueError)) as mine:
        make(og)
    assert str(mine.value) == message
    torch = pytest.importorskip("torch")
    with pytest.raises(type(mine.value)) as theirs:
        make(torch)
    assert str(theirs.value) == message


def test_compiled_training_step_matches_eager():
    def build():
        model = nn.Sequential(nn.ConvTranspose2d(2, 3, 3, stride=2, padding=1, output_padding=1), nn.Tanh())
        with og.no_grad():
            for i, p in enumerate(model.parameters()):
                p.copy_(og.linspace(-0.5, 0.5 + 0.1 * i, p.numel()).reshape(p.shape))
        return model, og.optim.SGD(model.parameters(), lr=0.1)

    x = og.linspace(-1, 1, 2 * 2 * 3 * 3).reshape(2, 2, 3, 3)
    target = og.linspace(0, 1, 2 * 3 * 6 * 6).reshape(2, 3, 6, 6)

    def make_step(model, opt):
        def step(x, target):
            opt.zero_grad()
            loss = ((model(x) - target) ** 2).mean()
            loss.backward()
            opt.step()
            return loss
        return step

    eager_model, eager_opt = build()
    comp_model, comp_opt = build()
    eager, compiled = make_step(eager_model, eager_opt), og.compile(make_step(comp_model, comp_opt))
    for _ in range(3):
        le, lc = eager(x, target), compiled(x, target)
        np.testing.assert_allclose(lc.detach().numpy(), le.detach().numpy(), rtol=1e-5, atol=1e-6)
    for pe, pc in zip(eager_model.parameters(), comp_model.parameters()):
        np.testing.assert_allclose(pc.detach().numpy(), pe.detach().numpy(), rtol=1e-5, atol=1e-6)


def test_conv1d_transpose_exports_as_onnx_conv_transpose():
    onnx = pytest.importorskip("onnx")
    from onnxgraft.export.onnx import to_model
    w = og.linspace(-1, 1, 2 * 3 * 2).reshape(2, 3, 2).requires_grad_()
    graph = og.trace(lambda x: F.conv_transpose1d(x, w, stride=2).sum(), og.ones(1, 2, 4))
    model = to_model(graph)
    onnx.checker.check_model(model)
    assert "ConvTranspose" in {n.op_type for n in model.graph.node}

"""Layers and activations against PyTorch: same weights in, same outputs, gradients and grad_fn
names out."""
import warnings

import numpy as np
import pytest

import onnxgraft as og
import onnxgraft.nn as nn
import onnxgraft.nn.functional as F

from ._util import og_tensor, torch_tensor, copy_weights, assert_close, grad_fn_name, forward_backward

RNG = np.random.default_rng(1234)


def _randn(*shape, dtype=np.float32):
    return RNG.standard_normal(shape).astype(dtype)


def _forward_backward(og_module, t_module, x, torch, upstream=None):
    return forward_backward(og_module, t_module, x, torch, upstream, rng=RNG)


@pytest.mark.parametrize("bias", [True, False])
@pytest.mark.parametrize("in_shape", [(5, 4), (3, 5, 4), (4,), (2, 1, 3, 4)])
@pytest.mark.parametrize("dtype", [np.float32, np.float64])
def test_linear_matches_torch(torch, bias, in_shape, dtype):
    m = nn.Linear(4, 3, bias=bias)
    tm = torch.nn.Linear(4, 3, bias=bias)
    if dtype == np.float64:
        m.double()
        tm.double()
    copy_weights(m, tm)
    xo, xt, yo, yt = _forward_backward(m, tm, _randn(*in_shape, dtype=dtype), torch)
    assert grad_fn_name(yo) == grad_fn_name(yt)
    assert_close(yo, yt)
    assert_close(xo.grad, xt.grad)
    assert_close(m.weight.grad, tm.weight.grad)
    assert_close(m.bias.grad if bias else None, tm.bias.grad if bias else None)


def test_linear_2d_is_one_addmm_with_pytorchs_argument_order():
    """One op (exported as one ONNX Gemm) whose grad_fn lists bias, input, weight, as PyTorch's
    addmm(bias, input, weight.t()) does: `loss.grad_fn.next_functions[0][0]` walks reach the bias."""
    m = nn.Linear(4, 3)
    y = m(og.randn(2, 4))
    assert y.grad_fn.name() == "AddmmBackward0"
    assert y.grad_fn.opdef.name == "Addmm" and y.grad_fn.attrs == {"transB": 1}
    assert [type(fn).__name__ for fn, _ in y.grad_fn.next_functions] == ["AccumulateGrad", "NoneType",
                                                                         "AccumulateGrad"]
    assert y.grad_fn.next_functions[0][0].variable is m.bias
    from onnxgraft.export.onnx import to_model
    g = og.trace(lambda x: m(x), og.randn(2, 4))
    assert [n.op_type for n in to_model(g).graph.node] == ["Gemm"]


def test_linear_no_bias_is_mm_of_transpose(torch):
    m = nn.Linear(4, 3, bias=False)
    y = m(og.randn(2, 4))
    assert y.grad_fn.name() == "MmBackward0"
    assert y.grad_fn.next_functions[1][0].name() == "TBackward0"
    assert m.bias is None and [n for n, _ in m.named_parameters()] == ["weight"]


def test_linear_errors_match_torch(torch):
    m, tm = nn.Linear(4, 3), torch.nn.Linear(4, 3)
    for shape in [(2, 5), (3, 2, 5), (5,)]:
        with pytest.raises(RuntimeError) as theirs:
            tm(torch.randn(*shape))
        with pytest.raises(RuntimeError) as ours:
            m(og.randn(*shape))
        assert str(ours.value) == str(theirs.value)
    with pytest.raises(RuntimeError) as theirs:
        tm(torch.randn(2, 4, dtype=torch.float64))
    with pytest.raises(RuntimeError) as ours:
        m(og.randn(2, 4, dtype=og.float64))
    assert str(ours.value) == str(theirs.value)


def test_linear_shapes_and_repr(torch):
    m = nn.Linear(784, 512)
    assert m.weight.shape == (512, 784) and m.bias.shape == (512,)
    assert m.weight.requires_grad and m.weight.is_leaf and isinstance(m.weight, nn.Parameter)
    assert repr(m) == repr(torch.nn.Linear(784, 512))
    assert repr(nn.Linear(3, 2, bias=False)) == repr(torch.nn.Linear(3, 2, bias=False))
    assert nn.Linear(3, 2, dtype=og.float64).weight.dtype == og.float64


def test_mlp_training_steps_match_torch(torch):
    """Three SGD steps of a small MLP on both sides give the same losses and weights."""
    def build(mod):
        return mod.Sequential(mod.Flatten(), mod.Linear(12, 16), mod.ReLU(), mod.Linear(16, 8), mod.Tanh(),
                              mod.Linear(8, 5), mod.Sigmoid(), mod.Linear(5, 4))
    m, tm = build(nn), build(torch.nn)
    copy_weights(m, tm)
    x, y = _randn(6, 3, 4), RNG.integers(0, 4, 6)
    for _ in range(3):
        lo = F.cross_entropy(m(og_tensor(x)), og.tensor(y))
        lt = torch.nn.functional.cross_entropy(tm(torch.tensor(x)), torch.tensor(y))
        assert_close(lo, lt)
        m.zero_grad()
        tm.zero_grad()
        lo.backward()
        lt.backward()
        for (name, p), (tname, tp) in zip(m.named_parameters(), tm.named_parameters()):
            assert name == tname
            assert_close(p.grad, tp.grad)
        with og.no_grad():
            for p in m.parameters():
                p -= 0.5 * p.grad
        with torch.no_grad():
            for p in tm.parameters():
                p -= 0.5 * p.grad
    for (_, p), (_, tp) in zip(m.named_parameters(), tm.named_parameters()):
        assert_close(p, tp)


@pytest.mark.parametrize("name, dim", [("relu", None), ("sigmoid", None), ("tanh", None), ("softmax", 1),
                                       ("softmax", 0), ("softmax", -1), ("log_softmax", 1),
                                       ("log_softmax", -1)])
def test_activation_functions_match_torch(torch, name, dim):
    x = _randn(4, 5)
    x[0, :2] = 0.0  # relu's subgradient at 0
    xo, xt = og_tensor(x, True), torch_tensor(torch, x, True)
    args = () if dim is None else (dim,)
    yo, yt = getattr(F, name)(xo, *args), getattr(torch.nn.functional, name)(xt, *args)
    g = _randn(4, 5)
    yo.backward(og_tensor(g))
    yt.backward(torch_tensor(torch, g))
    assert grad_fn_name(yo) == grad_fn_name(yt)
    assert_close(yo, yt)
    assert_close(xo.grad, xt.grad)


@pytest.mark.parametrize("make", [
    lambda nn_: nn_.ReLU(), lambda nn_: nn_.Sigmoid(), lambda nn_: nn_.Tanh(), lambda nn_: nn_.Softmax(dim=1),
    lambda nn_: nn_.LogSoftmax(dim=2), lambda nn_: nn_.Flatten(), lambda nn_: nn_.Flatten(0, 1),
    lambda nn_: nn_.Flatten(1, 2), lambda nn_: nn_.Identity(), lambda nn_: nn_.Dropout(0.3).eval()])
def test_activation_modules_match_torch(torch, make):
    m, tm = make(nn), make(torch.nn)
    assert repr(m) == repr(tm)
    xo, xt, yo, yt = _forward_backward(m, tm, _randn(2, 3, 4), torch)
    assert grad_fn_name(yo) == grad_fn_name(yt)
    assert_close(yo, yt)
    assert_close(xo.grad, xt.grad)


def test_relu_inplace(torch):
    x = og.randn(3, 4, requires_grad=True)
    h = x * 1.0
    out = nn.ReLU(inplace=True)(h)
    assert out is h and float(out.detach().min()) >= 0.0
    out.sum().backward()
    np.testing.assert_array_equal(x.grad.numpy(), (x.detach().numpy() * 1.0 > 0).astype(np.float32))
    assert repr(nn.ReLU(inplace=True)) == repr(torch.nn.ReLU(inplace=True))


def test_softmax_implicit_dim_warns_like_torch(torch):
    x = og.randn(2, 3)
    with pytest.warns(UserWarning, match="Implicit dimension choice for softmax has been deprecated"):
        y = nn.Softmax()(x)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        expected = torch.nn.Softmax()(torch.tensor(x.numpy()))
    assert_close(y, expected)
    with pytest.warns(UserWarning, match="Implicit dimension choice for log_softmax"):
        F.log_softmax(og.randn(2, 3, 4))
    assert repr(nn.Softmax()) == "Softmax(dim=None)"


def test_dropout_training_statistics_and_gradient():
    p = 0.3
    x = og.ones(200, 500, requires_grad=True)
    y = F.dropout(x, p)
    assert y.grad_fn.name() == "MulBackward0"
    values = y.detach().numpy()
    kept = values != 0
    assert abs(kept.mean() - (1 - p)) < 0.01
    np.testing.assert_allclose(values[kept], 1 / (1 - p), rtol=1e-6)
    y.sum().backward()
    # the gradient is the mask itself: 1/(1-p) where kept, 0 where dropped
    np.testing.assert_array_equal(x.grad.numpy(), values)


def test_dropout_module_train_eval_and_seed():
    d = nn.Dropout(0.5)
    x = og.randn(4, 10)
    og.manual_seed(7)
    a = d(x).numpy()
    og.manual_seed(7)
    b = d(x).numpy()
    np.testing.assert_array_equal(a, b)
    assert (a == 0).any()
    d.eval()
    assert d(x) is x
    assert F.dropout(x, 0.5, training=False) is x
    assert F.dropout(x, 0.0) is x
    assert F.dropout(x, 1.0).numpy().max() == 0.0 and F.dropout(x, 1.0).numpy().min() == 0.0


def test_dropout_inplace_and_errors(torch):
    x = og.ones(100)
    out = F.dropout(x, 0.5, inplace=True)
    assert out is x and (x.numpy() == 0).any()
    with pytest.raises(ValueError) as ours:
        nn.Dropout(1.5)
    with pytest.raises(ValueError) as theirs:
        torch.nn.Dropout(1.5)
    assert str(ours.value) == str(theirs.value)
    with pytest.raises(ValueError, match="dropout probability has to be between 0 and 1, but got -0.1"):
        F.dropout(x, -0.1)
    assert repr(nn.Dropout(0.2, True)) == repr(torch.nn.Dropout(0.2, True))


def test_identity_accepts_arguments(torch):
    m = nn.Identity(54, unused_argument1=0.1)
    x = og.randn(2)
    assert m(x) is x
    assert repr(m) == repr(torch.nn.Identity(54, unused_argument1=0.1))


def test_linear_dtype_mismatch_errors_match_torch(torch):
    cases = [("float64", "float32", None), ("float32", "float64", None), ("float32", "float32", "float64"),
             ("float64", "float32", "float32"), ("float32", "float32", "float16")]
    for xd, wd, bd in cases:
        msgs = []
        for lib in (og, torch):
            x, w = lib.ones(2, 3, dtype=getattr(lib, xd)), lib.ones(4, 3, dtype=getattr(lib, wd))
            b = None if bd is None else lib.ones(4, dtype=getattr(lib, bd))
            with pytest.raises(RuntimeError) as err:
                lib.nn.functional.linear(x, w, b)
            msgs.append(str(err.value))
        assert msgs[0] == msgs[1]

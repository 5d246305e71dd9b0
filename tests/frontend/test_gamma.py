"""torch.lgamma, digamma, polygamma, mvlgamma (and their Tensor and in-place forms): values printed
as PyTorch prints them (poles and infinities included), gradients against PyTorch and central
differences, grad_fn names, error texts, and the refusal under capture (ONNX has no such ops)."""
import math

import numpy as np
import pytest

import onnxgraft as og
from onnxgraft.frontend.trace import CaptureError

SPECIAL = [0.0, -0.0, -1.0, -2.5, 0.5, 1.0, 2.0, 1e-3, 30.0, math.inf, -math.inf, math.nan, 1e-8, -1e-8,
           1e20, -0.5, -1.5, -100.5, 3.7, -3.3, 1.4616, 12.0, 9.99, -7.25, 8.5, 9.0, 9.5, -4090.3]
FUNCS = {
    "lgamma": lambda L, x: L.lgamma(x),
    "digamma": lambda L, x: L.digamma(x),
    **{f"polygamma{n}": (lambda n: lambda L, x: L.polygamma(n, x))(n) for n in (0, 1, 2, 3, 5, 10)},
    "mvlgamma3": lambda L, x: L.mvlgamma(x, 3),
}


@pytest.mark.parametrize("dtype", ["float32", "float64"])
@pytest.mark.parametrize("name", list(FUNCS))
def test_values_print_as_pytorch(name, dtype):
    torch = pytest.importorskip("torch")
    values = np.array(SPECIAL, dtype=dtype)
    mine = FUNCS[name](og, og.tensor(values))
    theirs = FUNCS[name](torch, torch.tensor(values))
    assert str(mine) == str(theirs)
    close = np.isclose(mine.numpy(), theirs.numpy(), rtol=1e-5 if dtype == "float32" else 1e-9, atol=0,
                       equal_nan=True)
    assert close.all(), values[~close]


def test_known_values():
    x = og.tensor([1.0, 2.0, 0.5], dtype=og.float64)
    euler = 0.5772156649015329
    np.testing.assert_allclose(og.lgamma(x).numpy(), [0.0, 0.0, math.log(math.pi) / 2], atol=1e-15)
    np.testing.assert_allclose(og.digamma(x).numpy(), [-euler, 1 - euler, -euler - 2 * math.log(2)], rtol=1e-15)
    np.testing.assert_allclose(og.polygamma(1, x).numpy(), [math.pi ** 2 / 6, math.pi ** 2 / 6 - 1, math.pi ** 2 / 2],
                               rtol=1e-14)
    zeta3 = 1.2020569031595942
    np.testing.assert_allclose(og.polygamma(2, x).numpy(), [-2 * zeta3, -2 * zeta3 + 2, -14 * zeta3], rtol=1e-14)


def test_integer_inputs_promote_to_float32_and_poles():
    assert og.lgamma(og.tensor([1, 2, 3])).dtype == og.float32
    assert og.digamma(og.tensor([True])).dtype == og.float32
    assert og.mvlgamma(og.tensor([3, 4]), 2).dtype == og.float32
    assert str(og.lgamma(og.tensor([0.0, -1.0]))) == "tensor([inf, inf])"
    assert str(og.digamma(og.tensor([0.0, -0.0, -1.0]))) == "tensor([-inf, inf, nan])"


def _numeric(f, x, eps=1e-6):
    return (f(x + eps) - f(x - eps)) / (2 * eps)


@pytest.mark.parametrize("name, grad_fn", [("lgamma", "LgammaBackward0"), ("digamma", "DigammaBackward0"),
                                           ("polygamma1", "PolygammaBackward0"),
                                           ("polygamma3", "PolygammaBackward0"),
                                           ("mvlgamma3", "MvlgammaBackward0")])
def test_gradients_against_differences_and_torch(name, grad_fn):
    values = np.array([1.3, 2.7, 5.5, 0.4 if not name.startswith("mv") else 1.6, -0.7 if not name.startswith("mv") else 3.1])
    x = og.tensor(values, requires_grad=True)
    y = FUNCS[name](og, x)
    assert y.grad_fn.name() == grad_fn
    (g,) = og.autograd.grad(y.sum(), [x], create_graph=True)
    f = lambda v: FUNCS[name](og, og.tensor(v)).numpy()  # noqa: E731
    np.testing.assert_allclose(g.detach().numpy(), _numeric(f, values), rtol=1e-7)
    # second order, from the registry's chain lgamma -> digamma -> polygamma(1) -> polygamma(2) ...
    (gg,) = og.autograd.grad(g.sum(), [x])
    h = lambda v: og.autograd.grad(FUNCS[name](og, (t := og.tensor(v, requires_grad=True))).sum(), [t])[0].numpy()  # noqa: E731
    np.testing.assert_allclose(gg.numpy(), _numeric(h, values), rtol=1e-6)
    torch = pytest.importorskip("torch")
    tx = torch.tensor(values, requires_grad=True)
    (tg,) = torch.autograd.grad(FUNCS[name](torch, tx).sum(), [tx])
    np.testing.assert_allclose(g.detach().numpy(), tg.numpy(), rtol=1e-9)


def test_gradient_at_poles_is_pytorchs():
    b = og.tensor([0.0, -1.0, 1e30], requires_grad=True)
    og.lgamma(b).sum().backward()
    assert str(b.grad) == "tensor([   -inf,     nan, 69.0776])"


def test_tensor_methods_and_inplace_forms():
    a = og.tensor([3.0, 4.0])
    assert str(a.clone().lgamma_()) == "tensor([0.6931, 1.7918])"
    assert str(a.clone().digamma_()) == "tensor([0.9228, 1.2561])"
    assert str(a.clone().polygamma_(1)) == "tensor([0.3949, 0.2838])"
    assert str(a.clone().mvlgamma_(2)) == "tensor([1.5502, 3.5651])"
    assert str(a.polygamma(0)) == str(a.digamma())


ERRORS = [
    (lambda L: L.mvlgamma(L.tensor([1.5]), 0), RuntimeError, "p has to be greater than or equal to 1"),
    (lambda L: L.polygamma(-1, L.tensor([1.5])), RuntimeError, "polygamma(n, x) does not support negative n."),
    (lambda L: L.tensor([1, 2]).lgamma_(), RuntimeError, "result type Float can't be cast to the desired output "
                                                         "type Long"),
    (lambda L: L.polygamma(1.5, L.tensor([1.5])), TypeError, "polygamma(): argument 'n' (position 1) must be int, "
                                                             "not float"),
    (lambda L: L.lgamma(2.0), TypeError, "lgamma(): argument 'input' (position 1) must be Tensor, not float"),
]


@pytest.mark.parametrize("make, kind, message", ERRORS, ids=[m for _, _, m in ERRORS])
def test_error_texts(make, kind, message):
    with pytest.raises(kind) as mine:
        make(og)
    assert str(mine.value) == message
    torch = pytest.importorskip("torch")
    with pytest.raises(kind) as theirs:
        make(torch)
    assert str(theirs.value) == message


@pytest.mark.parametrize("name", ["lgamma", "digamma", "polygamma1", "mvlgamma3"])
def test_capture_refuses_naming_the_op(name):
    op = name.rstrip("0123456789")
    with pytest.raises(CaptureError, match=rf"torch\.{op} \(ONNX has no {op} operator\) cannot be recorded"):
        og.trace(lambda x: FUNCS[name](og, x).sum(), og.tensor([2.0, 3.0]))

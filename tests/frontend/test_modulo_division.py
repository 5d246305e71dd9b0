"""`%`, `//`, remainder, fmod and div(rounding_mode=...): PyTorch's values (Python's sign rule,
exact remainders, 1.0 // 0.1 == 9), dtypes, refusals (integer division by zero, Bool), gradients,
and the same values from a compiled (ONNX) step."""
import numpy as np
import pytest

import onnxgraft as og

X = [-7.5, 7.5, 1.0, -0.3, 2.2, 5.0, -0.0]
Y = [2.0, -2.0, 0.1, 0.7, -0.9, 0.0, 0.1]
K = [-7, 7, 5, -5, 0, 9]

CASES = {
    "mod": lambda t, x, y, k: x % y,
    "floordiv": lambda t, x, y, k: x // y,
    "fmod": lambda t, x, y, k: t.fmod(x, y),
    "remainder scalar": lambda t, x, y, k: x.remainder(0.3),
    "rmod": lambda t, x, y, k: 7.5 % x,
    "rfloordiv int": lambda t, x, y, k: 7 // (k + 10),
    "int mod": lambda t, x, y, k: k % 3,
    "int mod negative": lambda t, x, y, k: k % -3,
    "int floordiv": lambda t, x, y, k: k // -2,
    "int fmod": lambda t, x, y, k: t.fmod(k, 3),
    "int trunc": lambda t, x, y, k: k.div(-2, rounding_mode="trunc"),
    "int % float": lambda t, x, y, k: k % 2.5,
    "floor_divide": lambda t, x, y, k: t.floor_divide(k, 4),
}


def _inputs(lib):
    return lib.tensor(X), lib.tensor(Y), lib.tensor(K)


@pytest.mark.parametrize("name", sorted(CASES))
def test_values_and_dtypes_match_torch(name):
    torch = pytest.importorskip("torch")
    ours = CASES[name](og, *_inputs(og))
    ref = CASES[name](torch, *_inputs(torch))
    assert str(ours.dtype) == str(ref.dtype)
    # bit for bit, signed zeros included
    np.testing.assert_array_equal(np.signbit(ours.numpy()), np.signbit(ref.numpy()))
    np.testing.assert_array_equal(ours.numpy(), ref.numpy())


@pytest.mark.parametrize("fn", [lambda k: k % 0, lambda k: k // 0, lambda k: k.fmod(0),
                                lambda k: k.div(og.tensor([0, 1, 1, 1, 1, 1]), rounding_mode="trunc")])
def test_integer_division_by_zero_raises(fn):
    with pytest.raises(RuntimeError, match="ZeroDivisionError"):
        fn(og.tensor(K))


def test_bool_operands_are_refused_as_in_pytorch():
    b = og.tensor([True, False])
    with pytest.raises(NotImplementedError, match="\"remainder_cpu\" not implemented for 'Bool'"):
        b % b
    with pytest.raises(NotImplementedError, match="\"div_floor_cpu\" not implemented for 'Bool'"):
        b // b
    with pytest.raises(RuntimeError, match="with two bool tensors is not supported"):
        b - b
    with pytest.raises(RuntimeError, match="with a bool tensor is not supported"):
        og.tensor([1, 2]) - True
    with pytest.raises(RuntimeError, match="Negation, the `-` operator, on a bool tensor"):
        -b


def test_remainder_and_fmod_gradients_match_torch():
    torch = pytest.importorskip("torch")
    grads = []
    for lib in (og, torch):
        x = lib.tensor([2.3, -1.7, 0.4, -2.6], requires_grad=True)
        y = lib.tensor([0.7, -0.9, 1.6, 1.1], requires_grad=True)
        out = (x % y) * lib.tensor([1.0, 2.0, 3.0, 4.0]) + lib.fmod(x, y)
        assert out.grad_fn.next_functions[0][0].next_functions[0][0].name() == "RemainderBackward1"
        out.sum().backward()
        grads.append((x.grad.numpy(), y.grad.numpy()))
    np.testing.assert_allclose(grads[0][0], grads[1][0], rtol=1e-6)
    np.testing.assert_allclose(grads[0][1], grads[1][1], rtol=1e-6)


def test_remainder_gradient_by_finite_differences():
    x = og.tensor([2.3, -1.7, 0.4], dtype=og.float64, requires_grad=True)
    y = og.tensor([0.7, -0.9, 1.6], dtype=og.float64, requires_grad=True)
    (x % y).sum().backward()
    eps = 1e-6
    fd_y = ((x.detach() % (y.detach() + eps)) - (x.detach() % (y.detach() - eps))) / (2 * eps)
    np.testing.assert_allclose(x.grad.numpy(), np.ones(3))
    np.testing.assert_allclose(y.grad.numpy(), fd_y.numpy(), rtol=1e-6)


def test_compiled_step_matches_eager():
    def step(x, y, k):
        return x % y, x // y, x.fmod(y), k % 3, k // -2, 7.5 % x, x.remainder(0.3)

    eager = step(*_inputs(og))
    compiled = og.compile(step)(*_inputs(og))
    for a, b in zip(eager, compiled):
        np.testing.assert_array_equal(a.numpy(), b.numpy())

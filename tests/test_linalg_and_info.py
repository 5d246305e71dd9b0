"""torch.linalg (norms, inv, det, solve), finfo/iinfo, the legacy tensor types, testing.assert_close
and set_num_threads. Printed output is also compared with PyTorch in tests/swap/programs/86_linalg.py
and 87_finfo_legacy_types_assert_close.py."""
import numpy as np
import pytest

import onnxgraft as og
from onnxgraft.runtime import threads

A64 = np.array([[2.0, 1.0, 0.5], [1.0, 3.0, 0.2], [0.1, 0.4, 4.0]])


def numeric_grad(f, x, eps=1e-6):
    g = np.zeros_like(x)
    for i in np.ndindex(x.shape):
        hi, lo = x.copy(), x.copy()
        hi[i] += eps
        lo[i] -= eps
        g[i] = (f(hi) - f(lo)) / (2 * eps)
    return g


@pytest.mark.parametrize("name, fn, ref", [
    ("inv", lambda a: og.linalg.inv(a).sum(), lambda a: np.linalg.inv(a).sum()),
    ("det", lambda a: og.det(a), lambda a: np.linalg.det(a)),
    ("solve", lambda a: (og.linalg.solve(a, og.tensor([1.0, -2.0, 0.5], dtype=og.float64)) ** 2).sum(),
     lambda a: (np.linalg.solve(a, np.array([1.0, -2.0, 0.5])) ** 2).sum()),
    ("fro", lambda a: og.linalg.norm(a), lambda a: np.linalg.norm(a)),
    ("ord3", lambda a: og.linalg.vector_norm(a, 3), lambda a: (np.abs(a) ** 3).sum() ** (1 / 3)),
])
def test_gradients_match_finite_differences(name, fn, ref):
    a = og.tensor(A64, requires_grad=True)
    out = fn(a)
    assert np.isclose(out.item(), ref(A64))
    out.backward()
    np.testing.assert_allclose(a.grad.numpy(), numeric_grad(ref, A64), rtol=1e-5, atol=1e-7)


def test_against_pytorch():
    torch = pytest.importorskip("torch")
    for fn in ("inv", "det"):
        a, t = og.tensor(A64, requires_grad=True), torch.tensor(A64, requires_grad=True)
        getattr(og.linalg, fn)(a).sum().backward()
        getattr(torch.linalg, fn)(t).sum().backward()
        np.testing.assert_allclose(a.grad.numpy(), t.grad.numpy(), rtol=1e-12)
    for ord in (1, -1, np.inf, -np.inf, "fro"):
        np.testing.assert_allclose(og.linalg.matrix_norm(og.tensor(A64), ord).item(),
                                   torch.linalg.matrix_norm(torch.tensor(A64), ord).item())


def test_singular_and_misshapen_inputs():
    with pytest.raises(og.linalg.LinAlgError, match="The diagonal element 2 is zero"):
        og.linalg.inv(og.tensor([[1.0, 2.0], [2.0, 4.0]]))
    with pytest.raises(RuntimeError, match="A must be batches of square matrices, but they are 2 by 3"):
        og.det(og.zeros(2, 3))
    with pytest.raises(og.linalg.LinAlgError, match="The solver failed because the input matrix is singular"):
        og.linalg.solve(og.zeros(2, 2), og.ones(2))
    with pytest.raises(NotImplementedError, match="singular values"):
        og.linalg.matrix_norm(og.ones(2, 2), "nuc")


def test_det_trains_compiled_and_inv_is_refused_by_name():
    w = og.nn.Parameter(og.tensor([[2.0, 0.5], [0.3, 1.5]]))
    opt = og.optim.SGD([w], lr=0.01)

    def step(target):
        opt.zero_grad()
        loss = (og.det(w) - target) ** 2
        loss.backward()
        opt.step()
        return loss

    eager_w = og.nn.Parameter(w.detach().clone())
    eager_opt = og.optim.SGD([eager_w], lr=0.01)
    compiled = og.compile(step)
    for _ in range(5):
        compiled(og.tensor(1.0))
        eager_opt.zero_grad()
        ((og.det(eager_w) - 1.0) ** 2).backward()
        eager_opt.step()
    np.testing.assert_allclose(w.detach().numpy(), eager_w.detach().numpy(), rtol=1e-5)

    def inv_step(x):
        opt.zero_grad()
        loss = (og.linalg.inv(w) @ x).sum()
        loss.backward()
        opt.step()
        return loss
    compiled_inv = og.compile(inv_step)
    with pytest.raises(Exception, match=r"linalg.inv \(node .* at .*test_linalg_and_info.py:\d+.* has no operator"):
        for _ in range(2):  # the first call may run eagerly (it leaves a .grad where there was none)
            compiled_inv(og.ones(2))


def test_finfo_iinfo_and_legacy_types():
    assert og.finfo(og.float32).eps == float(np.finfo(np.float32).eps)
    assert og.finfo().dtype == "float32" and og.iinfo(og.int64).max == 2 ** 63 - 1
    with pytest.raises(TypeError, match="requires a floating point input type"):
        og.finfo(og.int32)
    x = og.LongTensor([1, 2])
    assert x.dtype == og.int64 and isinstance(x, og.LongTensor) and not isinstance(x, og.FloatTensor)
    assert og.FloatTensor(2, 3).shape == (2, 3) and x.type(og.DoubleTensor).dtype == og.float64
    assert repr(type(og.ones(1))) == "<class 'torch.Tensor'>"
    assert repr(og.nn.Parameter) == "<class 'torch.nn.parameter.Parameter'>"
    assert type(og.ones(1)).__module__ == "onnxgraft.frontend.tensor"   # pickling finds the real class


def test_assert_close_messages_and_tolerances():
    og.testing.assert_close(og.tensor([1.0, 2.0]), og.tensor([1.0, 2.0 + 1e-7]))
    with pytest.raises(AssertionError, match=r"Mismatched elements: 1 / 2 \(50.0%\)"):
        og.testing.assert_close(og.tensor([1.0, 2.0]), og.tensor([1.0, 2.5]))
    with pytest.raises(AssertionError, match="attribute 'dtype' do not match"):
        og.testing.assert_close(og.ones(1), og.ones(1, dtype=og.float64))
    with pytest.raises(AssertionError, match="Tensor-likes are not equal"):
        og.testing.assert_close(og.tensor([1, 2]), og.tensor([1, 3]))
    with pytest.raises(ValueError, match="Both 'rtol' and 'atol'"):
        og.testing.assert_close(og.ones(1), og.ones(1), rtol=0.1)
    with pytest.raises(AssertionError, match="custom"):
        og.testing.assert_close(og.ones(1), og.zeros(1), msg="custom")


def test_set_num_threads_sets_the_threads_of_new_compiled_sessions():
    model = og.nn.Linear(4, 2)
    step = og.compile(lambda x: model(x).sum())
    try:
        og.set_num_threads(1)
        assert og.get_num_threads() == 1
        step(og.ones(3, 4))
        assert step.last_plan.session.get_session_options().intra_op_num_threads == 1
        with pytest.raises(RuntimeError, match="positive integer"):
            og.set_num_threads(0)
    finally:
        threads._SET = None


def test_det_gradient_of_a_singular_matrix_is_its_cofactor_matrix():
    a = og.tensor([[1.0, 2.0], [2.0, 4.0]], requires_grad=True)
    og.det(a).backward()
    assert a.grad.tolist() == [[4.0, -2.0], [-2.0, 1.0]]
    big = og.tensor(np.eye(9) * 2, requires_grad=True)   # above 8x8: det(A) A^-T
    og.det(big).backward()
    np.testing.assert_allclose(big.grad.numpy(), np.eye(9) * 2 ** 8)


def test_set_default_dtype_accepts_float32_and_refuses_others_clearly():
    og.set_default_dtype(og.float32)
    assert og.get_default_dtype() == og.float32
    with pytest.raises(NotImplementedError, match="default floating dtype is torch.float32"):
        og.set_default_dtype(og.float64)
    with pytest.raises(TypeError, match="only floating-point types are supported as the default type"):
        og.set_default_dtype(og.int64)

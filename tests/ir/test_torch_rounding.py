"""Bit-exact agreement with PyTorch's CPU kernels where their order of rounding is known:
sums (cascade order), means, linspace, add/sub with alpha, addcmul, lerp, integer powers, and the
optimizer updates written with them. Training loops print `loss.item()` to 7+ digits, so "close"
is not enough here: these tests compare bytes."""
import numpy as np
import pytest

import onnxgraft as og
from onnxgraft.ir.ops.cascade_sum import cascade_sum

torch = pytest.importorskip("torch")

RNG = np.random.default_rng(11)


def _data(shape, dtype=np.float32):
    # values spread over six decades, so that the order of additions shows in the last bits
    return (RNG.standard_normal(shape) * 10 ** RNG.uniform(-3, 3, shape)).astype(dtype)


@pytest.mark.parametrize("shape,dim", [
    ((7,), None), ((8,), None), ((100,), None), ((2000,), None), ((4096,), None),
    ((100, 3), 0), ((100, 3), 1), ((50, 40), 0), ((50, 40), 1), ((30, 70), 0), ((400, 9), 0),
    ((120, 33), 0), ((4, 5, 6), None), ((4, 5, 6), 2), ((4, 5, 6), 0), ((4, 5, 6), (1, 2)),
    ((20, 17, 9), (0, 1)), ((10, 1, 30), 2), ((64, 1), 0),
])
@pytest.mark.parametrize("dtype", [np.float32, np.float64])
def test_sum_and_mean_match_torch_bit_for_bit(shape, dim, dtype):
    for _ in range(5):
        x = _data(shape, dtype)
        for name in ("sum", "mean"):
            ours = getattr(og.tensor(x), name)() if dim is None else getattr(og.tensor(x), name)(dim=dim)
            ref = getattr(torch.tensor(x), name)() if dim is None else getattr(torch.tensor(x), name)(dim=dim)
            assert ours.numpy().tobytes() == ref.numpy().tobytes(), (name, shape, dim)


def test_cascade_sum_differs_from_pairwise_and_falls_back_where_unknown():
    x = _data(2000)
    # the test above would be vacuous if numpy already added in PyTorch's order
    assert any(np.sum(y) != cascade_sum(y, None, 0) for y in (x, x[::-1].copy(), x * 3))
    # a middle axis and an integer array are left to numpy
    assert cascade_sum(_data((3, 4, 5)), (1,), 0) is None
    assert cascade_sum(np.arange(10), None, 0) is None
    # a sum of negative zeros is +0, as PyTorch's accumulators start at +0
    assert np.signbit(cascade_sum(np.full(5, -0.0, np.float32), None, 0)) == np.False_


@pytest.mark.parametrize("args", [(-3.141592653589793, 3.141592653589793, 2000), (0, 1, 10), (-1, 1, 20),
                                  (0.1, 0.9, 101), (2, -5, 64), (0, 1, 1), (-1e3, 1e-3, 999), (0, 1, 0)])
@pytest.mark.parametrize("dtype", ["float32", "float64"])
def test_linspace_matches_torch_bit_for_bit(args, dtype):
    ours = og.linspace(*args, dtype=getattr(og, dtype)).numpy()
    ref = torch.linspace(*args, dtype=getattr(torch, dtype)).numpy()
    assert ours.tobytes() == ref.tobytes()


def test_fused_elementwise_updates_match_torch():
    a, b, c = _data(1003), _data(1003), np.abs(_data(1003)) + 0.5
    for lib in (og, torch):
        A, B, C = lib.tensor(a), lib.tensor(b), lib.tensor(c)
        got = [A.add(B, alpha=-0.01), A.sub(B, alpha=0.3), A.clone().add_(B, alpha=0.7),
               A.addcmul(B, C, value=0.3), A.clone().addcmul_(B, C, value=-1), A.lerp(B, 0.1),
               A.lerp(B, 0.9), A.addcdiv(B, C, value=0.3), B ** 2, B ** 3, lib.add(A, B, alpha=2.5)]
        if lib is og:
            ours = [t.numpy() for t in got]
        else:
            ref = [t.numpy() for t in got]
    for i, (o, r) in enumerate(zip(ours, ref)):
        assert o.tobytes() == r.tobytes(), i


def test_fused_paths_keep_autograd_and_errors():
    # with gradients the composed ops run (so the graph is recorded): values still right
    x = og.tensor([1.0, 2.0], requires_grad=True)
    y = x.add(og.tensor([3.0, 4.0]), alpha=2)
    y.sum().backward()
    assert y.grad_fn is not None and x.grad.tolist() == [1.0, 1.0]
    # 0-dim tensors stay arrays after a fused in-place update
    s = og.tensor(1.5)
    s.add_(og.tensor(2.0), alpha=-0.5)
    s.mul_(0.9)
    assert abs(s.item() - 0.45) < 1e-7
    with pytest.raises(RuntimeError, match="must match the size"):
        og.ones(3).addcmul(og.ones(2), og.ones(2))


@pytest.mark.parametrize("name,kwargs", [
    ("SGD", {"lr": 0.01}), ("SGD", {"lr": 0.01, "momentum": 0.9}),
    ("SGD", {"lr": 0.01, "momentum": 0.9, "nesterov": True, "weight_decay": 1e-2}),
    ("Adam", {"lr": 0.01}), ("Adam", {"lr": 0.01, "weight_decay": 0.1}), ("AdamW", {"lr": 0.01}),
    ("Adam", {"lr": 0.01, "amsgrad": True}), ("Adagrad", {"lr": 0.01}),
    ("Adagrad", {"lr": 0.01, "lr_decay": 0.01, "weight_decay": 0.1}), ("RMSprop", {"lr": 0.01}),
    ("RMSprop", {"lr": 0.01, "momentum": 0.9}), ("RMSprop", {"lr": 0.01, "centered": True}),
])
def test_optimizer_steps_match_torch_bit_for_bit(name, kwargs):
    # PyTorch's float32 sqrt is not always correctly rounded (numpy's is), so the optimizers that
    # divide by a square root may differ by an ulp where that happens; SGD must agree to the bit
    p0 = _data(31)
    grads = [_data(31) for _ in range(6)]
    results = []
    for lib in (og, torch):
        p = lib.nn.Parameter(lib.tensor(p0.copy()))
        opt = getattr(lib.optim, name)([p], **kwargs)
        for g in grads:
            p.grad = lib.tensor(g.copy())
            opt.step()
        results.append(p.detach().numpy())
    if name == "SGD":
        assert results[0].tobytes() == results[1].tobytes()
    else:
        np.testing.assert_array_max_ulp(results[0], results[1], maxulp=2)
        # most elements agree exactly (a formula in another order would miss on many)
        assert (results[0] == results[1]).mean() > 0.9


@pytest.mark.parametrize("args", [(0, 1, 0.1), (-1, 1, 0.05), (0, 5, 0.3), (0, 100, 0.37), (-3.14, 3.14, 0.01),
                                  (10, 0, -0.5), (5,), (0.0, 1e-3, 1e-5)])
@pytest.mark.parametrize("dtype", ["float32", "float64"])
def test_float_arange_matches_torch_bit_for_bit(args, dtype):
    ours = og.arange(*args, dtype=getattr(og, dtype)).numpy()
    ref = torch.arange(*args, dtype=getattr(torch, dtype)).numpy()
    assert ours.tobytes() == ref.tobytes()


@pytest.mark.parametrize("name", ["exp", "log", "tanh", "sigmoid"])
def test_transcendental_kernels_are_correctly_rounded_as_torch(name):
    # numpy's float32 loops are often an ulp off; PyTorch's (and now onnxgraft's) round once
    # (PyTorch's own kernels are not correctly rounded for every input: an ulp apart is allowed,
    # and most values must agree exactly, which numpy's float32 loops do not)
    x = (np.random.default_rng(3).standard_normal(200) * 3).astype(np.float32)
    if name == "log":
        x = np.abs(x) + 0.1
    ours = getattr(og, name)(og.tensor(x)).numpy()
    ref = getattr(torch, name)(torch.tensor(x)).numpy()
    np.testing.assert_array_max_ulp(ours, ref, maxulp=1)
    assert (ours == ref).mean() > 0.95
    assert getattr(og, name)(og.tensor(x, dtype=og.float64)).dtype == og.float64


def test_cross_entropy_loss_matches_torch_bit_for_bit():
    # log_softmax with correctly rounded exp/log, a short row summed in order, and nll_loss's
    # cascade over the batch (ignored samples skipped): the printed loss agrees to every digit
    rng = np.random.default_rng(5)
    agree = 0
    for _ in range(40):
        n, c = int(rng.integers(1, 40)), int(rng.integers(2, 12))
        x = (rng.standard_normal((n, c)) * 2).astype(np.float32)
        t = rng.integers(0, c, n)
        t[rng.random(n) < 0.2] = -100
        if (t == -100).all():
            t[0] = 0
        losses = []
        for lib in (og, torch):
            for reduction in ("mean", "sum"):
                losses.append(lib.nn.functional.cross_entropy(lib.tensor(x), lib.tensor(t), reduction=reduction).item())
        agree += losses[:2] == losses[2:]
    assert agree >= 36  # PyTorch's vectorized exp/log are themselves an ulp off now and then


def test_sums_above_the_exact_order_size_are_numpys_and_close():
    """PyTorch's order is reproduced up to EXACT_ORDER_MAX elements for sums along axes and up to
    FULL_REDUCTION_MAX for sums of a whole tensor (what programs print in full); larger sums are
    numpy's, within float rounding of PyTorch's."""
    from onnxgraft.ir.ops.cascade_sum import EXACT_ORDER_MAX, FULL_REDUCTION_MAX, cascade_sum
    x = _data((FULL_REDUCTION_MAX + 1,))
    assert cascade_sum(x, None, 0) is None
    got = og.tensor(x).sum().item()
    np.testing.assert_allclose(got, torch.tensor(x).sum().item(), rtol=1e-5)
    rows = _data((EXACT_ORDER_MAX // 16 + 1, 16))
    assert cascade_sum(rows, (0,), 0) is None and cascade_sum(rows, None, 0) is not None


@pytest.mark.parametrize("shape", [(10000,), (100, 300), (32768,), (8, 64, 64)])
def test_whole_tensor_sums_match_torch_up_to_one_threads_size(shape):
    for _ in range(3):
        x = _data(shape)
        for name in ("sum", "mean"):
            ours, ref = getattr(og.tensor(x), name)(), getattr(torch.tensor(x), name)()
            assert ours.numpy().tobytes() == ref.numpy().tobytes(), (name, shape)


@pytest.mark.parametrize("m,n,k", [(2, 2, 2), (4, 3, 10), (64, 10, 32), (32, 16, 64), (5, 7, 100), (1, 1, 100),
                                   (1, 1, 255), (100, 3, 13), (16, 64, 256)])
@pytest.mark.parametrize("layout", ["NN", "TN", "NT"])
def test_small_matrix_products_match_torch_bit_for_bit(m, n, k, layout):
    # PyTorch's sgemm accumulates over k in order with fused multiply-adds for these shapes
    for _ in range(3):
        a, b = _data((m, k)), _data((k, n))
        ta = torch.tensor(a.T.copy()).t() if layout == "TN" else torch.tensor(a)
        tb = torch.tensor(b.T.copy()).t() if layout == "NT" else torch.tensor(b)
        oa = og.tensor(a.T.copy()).t() if layout == "TN" else og.tensor(a)
        ob = og.tensor(b.T.copy()).t() if layout == "NT" else og.tensor(b)
        ref = torch.mm(ta, tb).numpy()
        if layout == "NT" and m < 32:
            continue   # MKL picks other kernels for small transposed right operands: order unknown
        assert (oa @ ob).numpy().tobytes() == ref.tobytes()


def test_numpys_blas_order_differs_from_torchs():
    # the test above would be vacuous if numpy's BLAS already multiplied in PyTorch's order
    from onnxgraft.ir.ops import nn as nn_ops
    pairs = [(_data((m, k)), _data((k, n))) for m, n, k in [(4, 3, 10), (5, 7, 100), (1, 1, 100)] * 5]
    assert any((a @ b).tobytes() != nn_ops.ordered_matmul(a, b).tobytes() for a, b in pairs)


def test_linear_training_matches_torch_bit_for_bit():
    # a regression and an MLP trained with PyTorch's random data: every printed loss is equal
    def run(lib):
        lib.manual_seed(0)
        x, y = lib.randn(64, 30), lib.randn(64, 5)
        model = lib.nn.Sequential(lib.nn.Linear(30, 20), lib.nn.ReLU(), lib.nn.Linear(20, 5))
        opt = lib.optim.SGD(model.parameters(), lr=1e-3, momentum=0.9)
        losses = []
        for _ in range(15):
            loss = lib.nn.functional.mse_loss(model(x), y, reduction="sum")
            opt.zero_grad()
            loss.backward()
            opt.step()
            losses.append(loss.item())
        return losses
    assert run(og) == run(torch)


def test_large_or_vector_products_keep_numpys_blas():
    from onnxgraft.ir.ops import nn as nn_ops
    a, b = _data((300, 300)), _data((300, 2))
    assert np.array_equal(nn_ops.ordered_matmul(a, b), a @ b)          # k above the exact-order bound
    v, w = _data((1, 40)), _data((40, 8))
    assert np.array_equal(nn_ops.ordered_matmul(v, w), v @ w)          # a vector product (gemv in MKL)


@pytest.mark.parametrize("shape,dim", [((64, 3), 1), ((20, 10), -1), ((8, 100), 1), ((4, 16), 1), ((3, 33), 1),
                                       ((2, 5, 17), 2), ((30,), 0), ((3, 4), 0), ((2, 3, 20), 1)])
def test_softmax_family_matches_torch_bit_for_bit(shape, dim):
    # PyTorch's kernels: SLEEF's exp, 16-lane sums, fused multiply-subtract in log_softmax's backward
    rng = np.random.default_rng(sum(shape))
    x = (rng.standard_normal(shape) * 3).astype(np.float32)
    g = rng.standard_normal(shape).astype(np.float32)
    axis_is_last = dim % len(shape) == len(shape) - 1
    for fn in ("softmax", "log_softmax"):
        ours_x, ref_x = og.tensor(x, requires_grad=True), torch.tensor(x, requires_grad=True)
        ours, ref = getattr(og, fn)(ours_x, dim), getattr(torch, fn)(ref_x, dim)
        if axis_is_last:   # over other dims the split of vector and scalar exp is not fully known
            assert ours.detach().numpy().tobytes() == ref.detach().numpy().tobytes()
        # the backward from PyTorch's own forward output, so that only the backward kernel is compared
        ours_out = og.tensor(ref.detach().numpy())
        from onnxgraft.ir.ops import softmax_kernels
        axis = dim % len(shape)
        kernel = softmax_kernels.softmax_backward if fn == "softmax" else softmax_kernels.log_softmax_backward
        (ref_grad,) = torch.autograd.grad(ref, ref_x, torch.tensor(g))
        assert kernel(g, ours_out.numpy(), axis).tobytes() == ref_grad.numpy().tobytes()
        (ours_grad,) = og.autograd.grad(ours, ours_x, og.tensor(g))
        np.testing.assert_allclose(ours_grad.numpy(), ref_grad.numpy(), rtol=1e-6, atol=1e-7)


def test_cross_entropy_training_matches_torch_bit_for_bit():
    def run(lib):
        lib.manual_seed(0)
        x, y = lib.randn(200, 2), lib.randint(0, 3, (200,))
        model = lib.nn.Sequential(lib.nn.Linear(2, 16), lib.nn.ReLU(), lib.nn.Linear(16, 3))
        opt = lib.optim.SGD(model.parameters(), lr=0.1)
        losses = []
        for _ in range(10):
            loss = lib.nn.functional.cross_entropy(model(x), y)
            opt.zero_grad()
            loss.backward()
            opt.step()
            losses.append(loss.item())
        return losses
    assert run(og) == run(torch)


@pytest.mark.parametrize("n", [1, 2, 3, 4, 5, 8, 9, 16, 17, 31, 32, 33, 48, 63, 64, 65, 81, 100, 127, 128, 177,
                               255, 256, 300, 511, 512, 700, 4097, 8191])
def test_dot_matches_torch_bit_for_bit(n):
    # MKL sdot's order: 4 separately rounded sums up to 8 elements, then 4 x 16 FMA lanes with
    # its own tail and reduction tree (nn.py); checked on contiguous and offset (unaligned) views
    for _ in range(3):
        x, y = _data((n + 1,))[1:], _data((n,))
        ref = torch.dot(torch.from_numpy(x), torch.from_numpy(y)).numpy()
        assert og.tensor(x).dot(og.tensor(y)).numpy().tobytes() == ref.tobytes()
        assert (og.tensor(x) @ og.tensor(y)).numpy().tobytes() == ref.tobytes()


@pytest.mark.parametrize("m,k", [(2, 2), (3, 10), (7, 33), (15, 100), (9, 255)])
def test_column_major_matrix_vector_products_match_torch_bit_for_bit(m, k):
    # a transposed (column-major) matrix times a vector or a column: MKL's sgemv "N", in order
    for _ in range(3):
        a, v = _data((k, m)), _data((k,))
        ta, oa = torch.tensor(a).t(), og.tensor(a).t()
        ref = torch.mv(ta, torch.tensor(v)).numpy()
        assert og.mv(oa, og.tensor(v)).numpy().tobytes() == ref.tobytes()
        assert (oa @ og.tensor(v)).numpy().tobytes() == ref.tobytes()
        col = torch.mm(ta, torch.tensor(v[:, None])).numpy()
        assert og.mm(oa, og.tensor(v[:, None])).numpy().tobytes() == col.tobytes()


def test_numpys_vector_product_order_differs_from_torchs():
    # the two tests above would be vacuous if numpy already summed in MKL's sdot / sgemv order
    dots = [(_data((n,)), _data((n,))) for n in (8, 33, 100, 300) for _ in range(5)]
    assert any(np.dot(x, y).tobytes() != og.tensor(x).dot(og.tensor(y)).numpy().tobytes() for x, y in dots)
    mats = [(_data((k, m)), _data((k,))) for m, k in ((7, 33), (15, 100)) for _ in range(5)]
    assert any((a.T @ v).tobytes() != (og.tensor(a).t() @ og.tensor(v)).numpy().tobytes() for a, v in mats)


def test_row_major_vector_products_keep_numpys_blas():
    # sgemv "T" (nn.Linear(k, 1), torch.mv(A, v)) and 16-row blocks of sgemv "N": order unknown
    from onnxgraft.ir.ops import nn as nn_ops
    a, v = _data((5, 40)), _data((40, 1))
    assert np.array_equal(nn_ops.ordered_matmul(a, v), a @ v)
    t = _data((40, 20)).T
    assert np.array_equal(nn_ops.ordered_matmul(t, v), t @ v)

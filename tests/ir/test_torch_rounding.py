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
        long_chain = n == 2 and m >= 16 or n == 3 and m >= 11 or n >= 4 and m >= 9
        if layout == "NT" and (m == 1 and k > 32 or m < 32 and (k > 200 or k > 33 and not long_chain)):
            continue   # MKL's gemv / small-NT kernels there: order unknown (numpy's BLAS)
        assert (oa @ ob).numpy().tobytes() == ref.tobytes()   # NT with m < 32: nn.py's small-NT kernels


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
    v, w = _data((1, 40)), _data((40, 20))
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


# -- few rows or few outputs: MKL's gemv kernels and its small "NT" kernels (nn.py) -------------------
@pytest.mark.parametrize("m,k", [(1, 2), (1, 5), (2, 3), (3, 16), (3, 32), (1, 24), (4, 2), (4, 3), (5, 5),
                                 (7, 16), (8, 17), (13, 9), (64, 3), (470, 17)])
def test_row_major_matrix_vector_products_match_torch_bit_for_bit(m, k):
    # sgemv "T": 4-row blocks (element 0 starts lane 1) and single rows (element 0 added last)
    for _ in range(3):
        a, v, bias = _data((m, k)), _data((k,)), _data((1,))
        ref = torch.mv(torch.tensor(a), torch.tensor(v)).numpy()
        assert og.mv(og.tensor(a), og.tensor(v)).numpy().tobytes() == ref.tobytes()
        assert (og.tensor(a) @ og.tensor(v)).numpy().tobytes() == ref.tobytes()
        w = v.reshape(1, k).copy()   # a real (1, k) weight (v[None] would reach torch with stride 0)
        lin = torch.nn.functional.linear(torch.tensor(a), torch.tensor(w), torch.tensor(bias)).numpy()
        ours = og.nn.functional.linear(og.tensor(a), og.tensor(w), og.tensor(bias)).numpy()
        assert ours.tobytes() == lin.tobytes()
        if m > 1:   # (1, k) @ a contiguous (k, 1) is a 1x1 mm: the in-order chain, tested above
            col = torch.mm(torch.tensor(a), torch.tensor(v.reshape(k, 1).copy())).numpy()
            assert og.mm(og.tensor(a), og.tensor(v.reshape(k, 1).copy())).numpy().tobytes() == col.tobytes()
        from onnxgraft.ir.ops import nn as nn_ops   # x @ W.t() with the transposed view, as addmm sees it
        ref_t = torch.mm(torch.tensor(a), torch.tensor(w).t()).numpy()
        assert nn_ops.ordered_matmul(a, w.T).tobytes() == ref_t.tobytes()


@pytest.mark.parametrize("k,n", [(2, 2), (8, 3), (64, 7), (255, 15), (17, 20), (30, 3)])
def test_vector_times_matrix_matches_torch_bit_for_bit(k, n):
    # (1, k) @ (k, n) is gemv on b^T: sgemv "N" for a row-major b (g^T @ x, a Linear's weight
    # gradient with one output), sgemv "T" for a column-major b; the layouts are numpy views here
    from onnxgraft.ir.ops import nn as nn_ops
    for _ in range(3):
        v = _data((1, k))
        if n < 16:
            b = _data((k, n))
            ref = torch.mm(torch.tensor(v.T.copy()).t(), torch.tensor(b)).numpy()   # g.t(): a view
            assert nn_ops.ordered_matmul(v, b).tobytes() == ref.tobytes()
            assert (og.tensor(v[0]) @ og.tensor(b)).numpy().tobytes() == ref[0].tobytes()
        if k <= 17 or n <= 3 and k <= 32:
            w = _data((n, k))       # b = w.T, column-major
            ref = torch.mm(torch.tensor(v), torch.tensor(w).t()).numpy()
            assert nn_ops.ordered_matmul(v, w.T).tobytes() == ref.tobytes()


@pytest.mark.parametrize("m,n,k", [(2, 2, 2), (15, 2, 31), (7, 2, 16), (10, 3, 5), (2, 3, 24), (3, 5, 4), (5, 11, 9),
                                   (16, 2, 20), (11, 3, 7), (4, 4, 16), (2, 8, 33), (31, 19, 12), (9, 6, 200),
                                   (3, 64, 20)])
def test_linear_on_few_rows_matches_torch_bit_for_bit(m, n, k):
    # F.linear / addmm(bias, x, W.t()) with m < 32: 16 halved FMA lanes per element for the small
    # cases (n == 2 and m < 16, n == 3 and m < 11, 4 <= n <= 11 with m < n and k <= n), else the
    # in-order FMA chain; the bias is added to the finished product
    from onnxgraft.ir.ops import nn as nn_ops
    for _ in range(3):
        x, w, bias = _data((m, k)), _data((n, k)), _data((n,))
        ref = torch.nn.functional.linear(torch.tensor(x), torch.tensor(w), torch.tensor(bias)).numpy()
        ours = og.nn.functional.linear(og.tensor(x), og.tensor(w), og.tensor(bias)).numpy()
        assert ours.tobytes() == ref.tobytes()
        mm = torch.mm(torch.tensor(x), torch.tensor(w).t()).numpy()
        assert nn_ops.ordered_matmul(x, w.T).tobytes() == mm.tobytes()   # the NT layout as a view


def test_numpys_order_differs_from_torchs_for_gemv_and_small_linear():
    # the three tests above would be vacuous if numpy's BLAS already summed in these orders
    from onnxgraft.ir.ops import nn as nn_ops
    cases = [(_data((m, k)), _data((k, 1))) for m, k in ((3, 16), (8, 17), (64, 9))]
    cases += [(_data((1, k)), _data((k, n))) for k, n in ((64, 7), (255, 15))]
    cases += [(_data((m, k)), _data((n, k)).T) for m, n, k in ((15, 2, 31), (10, 3, 16), (5, 11, 9))]
    assert sum((a @ b).tobytes() != nn_ops.ordered_matmul(a, b).tobytes() for a, b in cases * 3) >= 3


def test_unmeasured_gemv_and_small_linear_shapes_keep_numpys_blas():
    from onnxgraft.ir.ops import nn as nn_ops
    for a, b in [(_data((5, 40)), _data((40, 1))),        # 4-row sgemv "T" blocks beyond k = 17
                 (_data((2, 40)), _data((40, 1))),        # single sgemv "T" rows beyond k = 32
                 (_data((600, 17)), _data((17, 1))),      # MKL splits the rows over threads
                 (_data((4, 40)), _data((2, 40)).T),      # NT lanes beyond k = 31
                 (_data((2, 64)), _data((5, 64)).T),      # NT with few rows and larger k
                 (_data((1, 40)), _data((6, 40)).T)]:     # (1, k) @ column-major (k, n), k > 17
        assert np.array_equal(nn_ops.ordered_matmul(a, b), a @ b)


@pytest.mark.parametrize("rows,features,outputs", [(3, 3, 1), (64, 3, 1), (2, 2, 2), (10, 2, 2), (8, 3, 3)])
def test_tiny_regression_training_matches_torch_bit_for_bit(rows, features, outputs):
    # nn.Linear(3, 1) / nn.Linear(2, 2) trained for 20 steps: every printed loss.item() is equal
    def run(lib):
        lib.manual_seed(0)
        x, y = lib.randn(rows, features), lib.randn(rows, outputs)
        model = lib.nn.Linear(features, outputs)
        opt = lib.optim.SGD(model.parameters(), lr=0.05)
        losses = []
        for _ in range(20):
            loss = lib.nn.functional.mse_loss(model(x), y)
            opt.zero_grad()
            loss.backward()
            opt.step()
            losses.append(loss.item())
        return losses
    assert run(og) == run(torch)


@pytest.mark.parametrize("k,n", [(256, 3), (257, 2), (2000, 3), (5001, 15)])
def test_long_column_gemv_matches_torch_bit_for_bit(k, n):
    # sgemv "N" from k = 256 on: one FMA chain per MKL thread's share of k (1 or 2 threads)
    from onnxgraft.ir.ops import nn as nn_ops
    from onnxgraft.runtime import threads
    if threads.get() not in (1, 2) or torch.get_num_threads() != threads.get():
        pytest.skip("the split of k over threads was measured for 1 and 2 threads")
    for _ in range(2):
        x, g, v = _data((k, n)), _data((k, 1)), _data((k,))
        ref = torch.mm(torch.tensor(g.T.copy()), torch.tensor(x)).numpy()    # a Linear's g.t() @ x
        assert nn_ops.ordered_matmul(g.T.copy(), x).tobytes() == ref.tobytes()
        ref_mv = torch.mv(torch.tensor(x).t(), torch.tensor(v)).numpy()
        assert nn_ops.ordered_matmul(x.T, v).tobytes() == ref_mv.tobytes()
        assert not np.array_equal(nn_ops.ordered_matmul(x.T, v), x.T @ v) or k < 300  # numpy's order differs


@pytest.mark.parametrize("n", [1, 5, 31, 32, 33, 100, 1000])
def test_sigmoid_matches_torch_bit_for_bit(n):
    # SLEEF's exp over blocks of 32 elements, glibc's expf on the n % 32 tail; PyTorch's
    # backward g * (1 - y) * y
    rng = np.random.default_rng(n)
    for _ in range(5):
        x = (rng.standard_normal(n) * 5).astype(np.float32)
        g = rng.standard_normal(n).astype(np.float32)
        ours_x, ref_x = og.tensor(x, requires_grad=True), torch.tensor(x, requires_grad=True)
        ours, ref = og.sigmoid(ours_x), torch.sigmoid(ref_x)
        assert ours.detach().numpy().tobytes() == ref.detach().numpy().tobytes()
        (ours_g,), (ref_g,) = og.autograd.grad(ours, ours_x, og.tensor(g)), torch.autograd.grad(ref, ref_x, torch.tensor(g))
        assert ours_g.numpy().tobytes() == ref_g.numpy().tobytes()

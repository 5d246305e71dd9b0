"""Indexed writes, cumulative ops and order statistics (frontend/tensor_scatter.py) against
PyTorch 2.13: values, dtypes, shapes, grad_fn names and gradients from one table of programs run
with both libraries; error texts for common misuse; finite differences where torch is absent;
and capture/export of the exportable ones (onnxgraft.compile and onnxgraft.onnx.export on
onnxruntime against eager)."""
import numpy as np
import pytest

import onnxgraft as og
from onnxgraft.frontend.trace import CaptureError

rng = np.random.default_rng(7)
X34 = rng.standard_normal((3, 4))
S34 = rng.standard_normal((3, 4))
S24 = rng.standard_normal((2, 4))  # src of the index's shape (PyTorch's scatter backward needs that)
S32 = rng.standard_normal((3, 2))
IDX = [[0, 1, 2, 0], [2, 0, 0, 1]]
IDX_DUP = [[0, 0, 0, 0], [0, 0, 0, 0]]          # every src element of a column lands on one position
ZEROS = np.array([[2.0, 0.0, 3.0, 4.0, -1.5], [0.0, 1.5, 0.0, 2.0, 0.5]])
XZ = X34.copy()
XZ[0, 0] = XZ[0, 2] = 0.0                        # zeros in self at scattered positions
SZ = S24.copy()
SZ[0, 1] = 0.0                                  # a single zero among the factors of a position
SZ[0, 3] = SZ[1, 3] = 0.0                       # two zeros meeting at one position
TIES = np.array([[1.0, 3.0, 3.0, 2.0, 5.0, 5.0], [2.0, 2.0, -1.0, 7.0, 7.0, 0.5]])


def _i(lib, values):
    return lib.tensor(values, dtype=lib.int64)


# (id, program, inputs). A program gets the library and the inputs as tensors (floating ones
# require grad) and returns a tensor or a tuple of tensors.
PROGRAMS = [
    ("scatter", lambda T, x, s: x.scatter(0, _i(T, IDX), s), [X34, S24]),
    ("scatter-dup", lambda T, x, s: x.scatter(1, _i(T, [[1, 1], [3, 3], [0, 2]]), s), [X34, S32]),
    ("scatter-value", lambda T, x: x.scatter(1, _i(T, [[0], [3], [1]]), 2.5), [X34]),
    ("scatter_", lambda T, x, s: (x * 1).scatter_(0, _i(T, IDX), s), [X34, S24]),
    ("scatter_add", lambda T, x, s: x.scatter_add(0, _i(T, IDX_DUP), s), [X34, S24]),
    ("scatter_add_", lambda T, x, s: (x + 0).scatter_add_(1, _i(T, [[3, 3], [0, 1], [2, 2]]), s), [X34, S32]),
    ("scatter_add-int32-index", lambda T, x, s: x.scatter_add(0, T.tensor(IDX, dtype=T.int32), s), [X34, S24]),
    ("scatter_reduce-sum", lambda T, x, s: x.scatter_reduce(0, _i(T, IDX_DUP), s, "sum"), [X34, S24]),
    ("scatter_reduce-sum-noself", lambda T, x, s: x.scatter_reduce(0, _i(T, IDX), s, "sum", include_self=False),
     [X34, S24]),
    ("scatter_reduce-mean", lambda T, x, s: x.scatter_reduce(0, _i(T, IDX_DUP), s, "mean"), [X34, S24]),
    ("scatter_reduce-mean-noself", lambda T, x, s: x.scatter_reduce(0, _i(T, IDX_DUP), s, "mean",
                                                                   include_self=False), [X34, S24]),
    ("scatter_reduce-prod", lambda T, x, s: x.scatter_reduce(0, _i(T, IDX_DUP), s, "prod"), [X34, S24]),
    ("scatter_reduce-prod-noself", lambda T, x, s: x.scatter_reduce(0, _i(T, IDX), s, "prod",
                                                                   include_self=False), [X34, S24]),
    ("scatter_reduce-prod-zeros", lambda T, x, s: x.scatter_reduce(0, _i(T, IDX_DUP), s, "prod"), [XZ, SZ]),
    ("scatter_reduce-prod-zeros-noself", lambda T, x, s: x.scatter_reduce(0, _i(T, IDX_DUP), s, "prod",
                                                                         include_self=False), [XZ, SZ]),
    ("scatter_reduce-amax", lambda T, x, s: x.scatter_reduce(0, _i(T, IDX_DUP), s, "amax"), [X34, S24]),
    ("scatter_reduce-amin-noself", lambda T, x, s: x.scatter_reduce(0, _i(T, IDX), s, "amin",
                                                                   include_self=False), [X34, S24]),
    ("scatter_reduce-amax-ties", lambda T, x, s: x.scatter_reduce(1, _i(T, [[0, 0, 1]]), s, "amax"),
     [np.array([[1.0, 2.0, 0.0]]), np.array([[1.0, 1.0, 2.0]])]),
    ("index_add", lambda T, x, s: x.index_add(0, _i(T, [2, 0, 2]), s), [X34, rng.standard_normal((3, 4))]),
    ("index_add-alpha-dim1", lambda T, x, s: x.index_add(1, _i(T, [3, 1]), s, alpha=-2.0),
     [X34, rng.standard_normal((3, 2))]),
    ("index_add_", lambda T, x, s: (x * 2).index_add_(0, _i(T, [1]), s), [X34, rng.standard_normal((1, 4))]),
    ("index_copy", lambda T, x, s: x.index_copy(1, _i(T, [3, 0]), s), [X34, rng.standard_normal((3, 2))]),
    ("index_copy_", lambda T, x, s: (x * 1).index_copy_(0, _i(T, [2]), s), [X34, rng.standard_normal((1, 4))]),
    ("index_fill", lambda T, x: x.index_fill(1, _i(T, [0, 2]), -1.0), [X34]),
    ("index_fill-tensor", lambda T, x, v: x.index_fill(0, _i(T, [1, 2]), v), [X34, np.array(0.75)]),
    ("index_fill_", lambda T, x: (x + 1).index_fill_(0, _i(T, [0]), 9.0), [X34]),
    ("index_put", lambda T, x, v: x.index_put((_i(T, [0, 2]), _i(T, [1, 3])), v), [X34, np.array([5.0, 6.0])]),
    ("index_put-acc", lambda T, x, v: x.index_put((_i(T, [0, 0, 2]),), v, accumulate=True),
     [X34, rng.standard_normal((3, 4))]),
    ("index_put-bcast", lambda T, x, v: x.index_put((_i(T, [1]),), v), [X34, np.array(3.0)]),
    ("index_put_", lambda T, x, v: (x * 1).index_put_((_i(T, [[0], [2]]), _i(T, [1, 2])), v),
     [X34, rng.standard_normal((2, 2))]),
    ("index_put-bool", lambda T, x, v: x.index_put((T.tensor([True, False, True]),), v), [X34, np.array(-1.0)]),
    ("masked_scatter", lambda T, x, s: x.masked_scatter(x > 0, s), [X34, rng.standard_normal(12)]),
    ("masked_scatter-bcast", lambda T, x, s: x.masked_scatter(T.tensor([True, False, False, True]), s),
     [X34, rng.standard_normal((4, 4))]),
    ("masked_scatter_", lambda T, x, s: (x * 1).masked_scatter_(x < 0, s), [X34, rng.standard_normal(12)]),
    ("fill_diagonal_", lambda T, x: (x * 1).fill_diagonal_(0.5), [X34]),
    ("fill_diagonal_-wrap", lambda T, x: (x * 1).fill_diagonal_(-2.0, wrap=True),
     [rng.standard_normal((7, 3))]),
    ("fill_diagonal_-3d", lambda T, x: (x * 1).fill_diagonal_(1.0), [rng.standard_normal((2, 2, 2))]),
    ("put", lambda T, x, s: x.put(_i(T, [0, -1, 5]), s), [X34, np.array([1.0, 2.0, 3.0])]),
    ("put_-acc", lambda T, x, s: (x * 1).put_(_i(T, [[1, 1], [7, 1]]), s, accumulate=True),
     [X34, rng.standard_normal((2, 2))]),
    ("take", lambda T, x: x.take(_i(T, [[0, 5], [11, -1], [5, 5]])), [X34]),
    ("take_along_dim", lambda T, x: T.take_along_dim(x, _i(T, IDX), 0), [X34]),
    ("take_along_dim-bcast", lambda T, x: T.take_along_dim(x, _i(T, [[0], [3], [1]]), 1), [X34]),
    ("take_along_dim-none", lambda T, x: x.take_along_dim(_i(T, [0, 5, 5])), [X34]),
    ("take_along_dim-argsort", lambda T, x: T.take_along_dim(x, x.argsort(1), 1), [X34]),
    ("cumprod", lambda T, x: x.cumprod(1), [X34]),
    ("cumprod-dim0", lambda T, x: T.cumprod(x, 0), [X34]),
    ("cumprod-zeros", lambda T, x: x.cumprod(1), [ZEROS]),
    ("cumprod-3d", lambda T, x: x.cumprod(-2), [rng.standard_normal((2, 3, 2))]),
    ("cummax", lambda T, x: x.cummax(1), [TIES]),
    ("cummin-dim0", lambda T, x: T.cummin(x, 0), [TIES]),
    ("logcumsumexp", lambda T, x: x.logcumsumexp(1), [X34]),
    ("logcumsumexp-wide", lambda T, x: x.logcumsumexp(0), [np.array([-1000.0, 0.0, 1000.0, -np.inf])]),
    ("nansum", lambda T, x: x.nansum(), [np.array([[1.0, np.nan, 2.0], [np.nan, 3.0, -1.0]])]),
    ("nansum-dim", lambda T, x: T.nansum(x, 1, keepdim=True), [np.array([[1.0, np.nan, 2.0], [4.0, 3.0, -1.0]])]),
    ("nanmean", lambda T, x: x.nanmean(), [np.array([[1.0, np.nan, 2.0], [np.nan, 3.0, -1.0]])]),
    ("nanmean-dim", lambda T, x: T.nanmean(x, 0), [np.array([[1.0, np.nan, 2.0], [np.nan, 3.0, -1.0]])]),
    ("std_mean", lambda T, x: T.std_mean(x), [X34]),
    ("std_mean-dim", lambda T, x: T.std_mean(x, 1, keepdim=True), [X34]),
    ("std_mean-unbiased", lambda T, x: T.std_mean(x, False), [X34]),
    ("var_mean-correction", lambda T, x: T.var_mean(x, dim=0, correction=0), [X34]),
    ("var_mean-unbiased-dim", lambda T, x: T.var_mean(x, 1, False), [X34]),
    ("kthvalue", lambda T, x: x.kthvalue(2, 1), [X34]),
    ("kthvalue-keepdim", lambda T, x: T.kthvalue(x, 3, 0, True), [X34]),
    ("mode", lambda T, x: x.mode(1), [TIES]),
    ("mode-keepdim", lambda T, x: T.mode(x, 0, keepdim=True), [TIES]),
    ("msort", lambda T, x: x.msort(), [X34]),
    ("unique", lambda T, x: T.unique(x.round()), [np.array([3.0, 1.0, 1.0, 2.0, 3.0])]),
    ("sort-unique-ints", lambda T: T.unique(_i(T, [3, 1, 1, 2, 0, 0]), return_inverse=True, return_counts=True), []),
]

GRAD_FREE = [
    ("cumprod-int", lambda T: _i(T, [[1, 2, 3], [2, 0, 5]]).cumprod(1)),
    ("cumprod-int32", lambda T: T.tensor([1, 2, 3], dtype=T.int32).cumprod(0)),
    ("cumprod-bool", lambda T: T.tensor([True, True, False]).cumprod(0)),
    ("cumprod-dtype", lambda T: _i(T, [1, 2, 3]).cumprod(0, dtype=T.float32)),
    ("cummax-int32", lambda T: T.tensor([1, 5, 2, 5], dtype=T.int32).cummax(0)),
    ("cummax-nan", lambda T: T.tensor([1.0, float("nan"), 3.0, float("nan")]).cummax(0)),
    ("cummin-0d", lambda T: T.tensor(2.0).cummin(0)),
    ("logcumsumexp-float32", lambda T: T.tensor([[0.5, -1.0, 2.0]]).logcumsumexp(1)),
    ("nansum-int", lambda T: T.tensor([1, 2], dtype=T.int32).nansum()),
    ("scatter-larger-src", lambda T: T.zeros(2, 3).scatter(1, _i(T, [[2, 0]]), T.arange(1.0, 7.0).reshape(2, 3))),
    ("scatter-int", lambda T: _i(T, [0, 0, 0]).scatter(0, _i(T, [2, 0]), _i(T, [5, 6]))),
    ("scatter_add-int", lambda T: _i(T, [0, 0, 0]).scatter_add(0, _i(T, [0, 0, 2]), _i(T, [1, 2, 3]))),
    ("scatter-reduce-add", lambda T: T.zeros(3).scatter(0, _i(T, [0, 0, 2]), T.ones(3), reduce="add")),
    ("scatter-reduce-mul", lambda T: T.full((3,), 2.0).scatter(0, _i(T, [0, 0, 2]), T.full((3,), 3.0),
                                                               reduce="multiply")),
    ("scatter_reduce-int-mean", lambda T: T.arange(6).scatter_reduce(0, _i(T, [0, 0, 1]), _i(T, [5, 6, 7]), "mean")),
    ("scatter_reduce-int-mean-noself", lambda T: T.arange(6).scatter_reduce(0, _i(T, [0, 0, 1]),
                                                                            _i(T, [5, 6, 7]), "mean",
                                                                            include_self=False)),
    ("scatter_reduce-int-amax", lambda T: T.arange(6).scatter_reduce(0, _i(T, [0, 0, 1]), _i(T, [5, 6, -7]),
                                                                     "amax", include_self=False)),
    ("argwhere", lambda T: T.argwhere(T.tensor([[1.0, 0.0], [0.0, 3.0]]))),
    ("argwhere-bool", lambda T: T.tensor([True, False, True]).argwhere()),
    ("argwhere-0d", lambda T: T.argwhere(T.tensor(3.0))),
    ("argwhere-0d-zero", lambda T: T.argwhere(T.tensor(0.0))),
    ("kthvalue-ties", lambda T: T.tensor([3.0, 1.0, 1.0, 2.0, 0.0, 0.0]).kthvalue(2)),
    ("kthvalue-int", lambda T: _i(T, [3, 1, 2]).kthvalue(1)),
    ("mode-1d", lambda T: _i(T, [1, 3, 3, 2, 1, 5]).mode()),
    ("mode-0d", lambda T: T.tensor(3.0).mode()),
    ("unique-sorted-false", lambda T: T.unique(_i(T, [3, 1, 1, 2, 0, 0]), sorted=False)),
    ("unique-counts", lambda T: T.tensor([3.0, 1.0, 2.0, 1.0]).unique(return_counts=True)),
    ("unique-dim", lambda T: _i(T, [[3, 1], [1, 2], [3, 1]]).unique(dim=0, return_inverse=True, return_counts=True)),
    ("unique-dim1", lambda T: _i(T, [[3, 1, 3], [1, 2, 1]]).unique(dim=1, return_inverse=True)),
    ("unique-bool", lambda T: T.tensor([True, False, True]).unique()),
    ("unique-0d", lambda T: T.unique(T.tensor(3), return_inverse=True)),
    ("unique_consecutive", lambda T: T.unique_consecutive(_i(T, [3, 1, 1, 2, 0, 0, 1]), return_inverse=True,
                                                          return_counts=True)),
    ("unique_consecutive-2d", lambda T: _i(T, [[1, 1], [2, 2]]).unique_consecutive()),
    ("unique_consecutive-dim", lambda T: _i(T, [[3, 1], [3, 1], [1, 2]]).unique_consecutive(dim=0,
                                                                                          return_counts=True)),
    ("bincount", lambda T: T.bincount(_i(T, [3, 1, 1, 2, 0, 0]), minlength=6)),
    ("bincount-weights", lambda T: T.bincount(_i(T, [3, 1, 1]), weights=T.tensor([0.5, 1.0, 2.0]))),
    ("bincount-weights64", lambda T: _i(T, [3, 1, 1]).bincount(T.tensor([0.5, 1.0, 2.0], dtype=T.float64))),
    ("bincount-int-weights", lambda T: T.bincount(_i(T, [1, 2]), _i(T, [1, 2]))),
    ("bincount-empty", lambda T: T.bincount(T.tensor([], dtype=T.int64))),
    ("bincount-int32", lambda T: T.bincount(T.tensor([1, 2], dtype=T.int32))),
    ("histc", lambda T: T.histc(T.tensor([1.0, 2.0, 1.0, 4.0, 0.5]), bins=4, min=0, max=3)),
    ("histc-auto", lambda T: T.tensor([1.0, 2.0, 1.0, 4.0, 0.5]).histc(bins=4)),
    ("histc-same", lambda T: T.histc(T.tensor([1.0, 1.0]), bins=3)),
    ("histc-edges", lambda T: T.histc(T.tensor([-1.0, 0.0, 0.25, 0.5, 1.0, 2.0]), bins=4, min=0, max=1)),
    ("histc-float64", lambda T: T.histc(T.tensor([0.1, 0.2, 0.3, 0.7], dtype=T.float64), bins=10, min=0, max=1)),
    ("bucketize", lambda T: T.bucketize(_i(T, [[3, 6, 9], [3, 6, 9]]), _i(T, [1, 3, 5, 7, 9]))),
    ("bucketize-right", lambda T: T.bucketize(_i(T, [3, 6, 9]), _i(T, [1, 3, 5, 7, 9]), right=True)),
    ("bucketize-int32", lambda T: T.bucketize(_i(T, [1, 5]), _i(T, [1, 3]), out_int32=True)),
    ("bucketize-scalar", lambda T: T.bucketize(4, _i(T, [1, 3, 5]))),
    ("searchsorted", lambda T: T.searchsorted(T.tensor([1.0, 2.0, 3.0]), T.tensor([2.5, 2.0]))),
    ("searchsorted-right", lambda T: T.searchsorted(_i(T, [1, 3, 5]), _i(T, [3, 4]), right=True)),
    ("searchsorted-side", lambda T: T.searchsorted(_i(T, [1, 3, 5]), _i(T, [3, 4]), right=False, side="right")),
    ("searchsorted-2d", lambda T: T.searchsorted(T.tensor([[1.0, 2, 3], [2, 4, 6]]),
                                                 T.tensor([[2.5, 2.0], [5.0, 1.0]]))),
    ("searchsorted-sorter", lambda T: T.searchsorted(T.tensor([3.0, 1, 2]), T.tensor([2.5]),
                                                     sorter=_i(T, [1, 2, 0]))),
    ("searchsorted-scalar", lambda T: T.searchsorted(_i(T, [1, 3]), 2, right=True)),
    ("msort-int", lambda T: _i(T, [[3, 1], [1, 2], [0, 5]]).msort()),
    ("take-int", lambda T: _i(T, [[1, 2], [3, 4]]).take(_i(T, [3, 0]))),
]


def _as_tuple(out):
    return tuple(out) if isinstance(out, tuple) else (out,)


def _run(lib, program, arrays, backward=True):
    xs = [lib.tensor(a, requires_grad=a.dtype.kind == "f") for a in arrays]
    outs = _as_tuple(program(lib, *xs))
    seen = []
    for o in outs:
        fn = o.grad_fn
        seen.append((np.array(o.detach().numpy()), str(o.dtype), tuple(o.shape),
                     None if fn is None else fn.name(), bool(o.requires_grad)))
    grads = []
    live = [o for o in outs if o.requires_grad]
    if backward and live:
        loss = None
        for k, o in enumerate(live):
            w = lib.tensor(np.linspace(0.5, 2.0 + k, max(o.numel(), 1)).reshape(tuple(o.shape)), dtype=o.dtype)
            # NaN positions get no gradient; keep the loss finite by masking them out of the weight
            term = (lib.where(o == o, o, lib.zeros_like(o)) * w).sum()  # noqa: PLR0124
            loss = term if loss is None else loss + term
        loss.backward()
        grads = [None if x.grad is None else x.grad.numpy() for x in xs]
    return seen, grads


def _compare(ours, theirs, rtol=1e-10):
    (seen_o, grads_o), (seen_t, grads_t) = ours, theirs
    assert len(seen_o) == len(seen_t)
    for (vo, do, so, fo, ro), (vt, dt_, st, ft, rt) in zip(seen_o, seen_t):
        assert (do, so, fo, ro) == (dt_, st, ft, rt)
        np.testing.assert_allclose(vo, vt, rtol=rtol, atol=rtol, equal_nan=True)
    assert len(grads_o) == len(grads_t)
    for go, gt in zip(grads_o, grads_t):
        assert (go is None) == (gt is None)
        if go is not None:
            np.testing.assert_allclose(go, gt, rtol=rtol, atol=rtol)


@pytest.mark.parametrize("name, program, arrays", PROGRAMS, ids=[p[0] for p in PROGRAMS])
def test_matches_torch_values_grad_fns_and_gradients(name, program, arrays):
    torch = pytest.importorskip("torch")
    backward = not name.startswith("unique")
    _compare(_run(og, program, arrays, backward), _run(torch, program, arrays, backward))


@pytest.mark.parametrize("name, program", GRAD_FREE, ids=[p[0] for p in GRAD_FREE])
def test_matches_torch_without_gradients(name, program):
    torch = pytest.importorskip("torch")
    ours, theirs = _as_tuple(program(og)), _as_tuple(program(torch))
    assert len(ours) == len(theirs)
    for o, t in zip(ours, theirs):
        assert (str(o.dtype), tuple(o.shape)) == (str(t.dtype), tuple(t.shape)), name
        np.testing.assert_allclose(o.numpy(), t.numpy(), rtol=1e-6, equal_nan=True)
        assert repr(o) == repr(t)
    if type(theirs[0]).__module__ == "torch.return_types":
        assert repr(program(og)) == repr(program(torch))


# -- error texts (PyTorch's, word for word) ------------------------------------------------------------
X = np.arange(12.0).reshape(3, 4)
ERRORS = [
    ("scatter-float-index", lambda T, x: x.scatter(0, T.tensor([[0.0]]), 1.0)),
    ("scatter-ndim", lambda T, x: x.scatter(0, _i(T, [0, 1]), x)),
    ("scatter-oob", lambda T, x: x.scatter(0, _i(T, [[3, 0]]), x)),
    ("scatter-negative", lambda T, x: x.scatter(0, _i(T, [[-1, 0]]), x)),
    ("scatter-dtype", lambda T, x: x.scatter(0, _i(T, [[0]]), x.double())),
    ("scatter-too-big", lambda T, x: x.scatter(0, T.zeros(4, 4, dtype=T.int64), x)),
    ("scatter-reduce-arg", lambda T, x: x.scatter(0, _i(T, [[0]]), x, reduce="max")),
    ("scatter_reduce-arg", lambda T, x: x.scatter_reduce(0, _i(T, [[0]]), x, "foo")),
    ("scatter_add-dtype", lambda T, x: x.scatter_add(0, _i(T, [[0]]), x.long())),
    ("scatter-dim", lambda T, x: x.scatter(2, _i(T, [[0]]), x)),
    ("leaf-scatter_", lambda T, x: x.requires_grad_().scatter_(0, _i(T, [[0]]), 1.0)),
    ("leaf-index_add_", lambda T, x: x.requires_grad_().index_add_(0, _i(T, [0]), T.ones(1, 4))),
    ("index_add-vector", lambda T, x: x.index_add(0, _i(T, [[0]]), T.ones(1, 4))),
    ("index_add-shape", lambda T, x: x.index_add(0, _i(T, [0]), T.ones(1, 3))),
    ("index_add-count", lambda T, x: x.index_add(0, _i(T, [0, 1]), T.ones(1, 4))),
    ("index_add-oob", lambda T, x: x.index_add(0, _i(T, [3]), T.ones(1, 4))),
    ("index_add-float-index", lambda T, x: x.index_add(0, T.tensor([0.0]), T.ones(1, 4))),
    ("index_add-dtype", lambda T, x: x.index_add(0, _i(T, [0]), T.ones(1, 4, dtype=T.float64))),
    ("index_copy-int32", lambda T, x: x.index_copy(0, T.tensor([0], dtype=T.int32), T.ones(1, 4))),
    ("index_copy-shape", lambda T, x: x.index_copy(0, _i(T, [0]), T.ones(1, 3))),
    ("index_fill-int32", lambda T, x: x.index_fill(0, T.tensor([0], dtype=T.int32), 1.0)),
    ("index_fill-value", lambda T, x: x.index_fill(0, _i(T, [0, 1]), T.tensor([1.0, 2.0]))),
    ("index_fill-oob", lambda T, x: x.index_fill(0, _i(T, [5]), 1.0)),
    ("index_put-dtype", lambda T, x: x.index_put((_i(T, [0]),), T.tensor(1.0, dtype=T.float64))),
    ("index_put-shape", lambda T, x: x.index_put((_i(T, [0, 0]),), T.ones(3))),
    ("index_put-oob", lambda T, x: x.index_put((_i(T, [3]),), T.tensor(-1.0))),
    ("index_put-float", lambda T, x: x.index_put((T.tensor([0.0]),), T.tensor(1.0))),
    ("index_put-too-many", lambda T, x: x.index_put((_i(T, [0]), _i(T, [1]), _i(T, [1])), T.tensor(1.0))),
    ("masked_scatter-few", lambda T, x: x.masked_scatter(x > 1, T.ones(3))),
    ("masked_scatter-mask", lambda T, x: x.masked_scatter((x > 1).long(), T.ones(30))),
    ("masked_scatter-dtype", lambda T, x: x.masked_scatter(x > 1, T.ones(30, dtype=T.float64))),
    ("fill_diagonal_-1d", lambda T, x: T.zeros(3).fill_diagonal_(1)),
    ("fill_diagonal_-unequal", lambda T, x: T.zeros(2, 3, 2).fill_diagonal_(1)),
    ("put-oob", lambda T, x: x.put(_i(T, [12]), T.tensor([1.0]))),
    ("put-count", lambda T, x: x.put(_i(T, [1, 2]), T.tensor([1.0]))),
    ("put-int32", lambda T, x: x.put(T.tensor([0], dtype=T.int32), T.tensor([1.0]))),
    ("put-dtype", lambda T, x: x.put(_i(T, [0]), T.tensor([1.0], dtype=T.float64))),
    ("take-oob", lambda T, x: x.take(_i(T, [12]))),
    ("take-negative-oob", lambda T, x: x.take(_i(T, [-13]))),
    ("take-int32", lambda T, x: x.take(T.tensor([1], dtype=T.int32))),
    ("take_along_dim-ndim", lambda T, x: T.take_along_dim(x, _i(T, [0, 1]), 0)),
    ("take_along_dim-dtype", lambda T, x: T.take_along_dim(x, T.tensor([[0.0]]), 0)),
    ("take_along_dim-bcast", lambda T, x: T.take_along_dim(x, _i(T, [[0, 1]]), 0)),
    ("cumprod-dim", lambda T, x: x[0].cumprod(1)),
    ("cummax-dim", lambda T, x: x[0].cummax(1)),
    ("logcumsumexp-int", lambda T, x: x.long().logcumsumexp(0)),
    ("nanmean-int", lambda T, x: x.long().nanmean()),
    ("std_mean-int", lambda T, x: T.std_mean(x.long())),
    ("var_mean-int", lambda T, x: T.var_mean(x.long())),
    ("kthvalue-k", lambda T, x: x.kthvalue(5, 1)),
    ("kthvalue-0", lambda T, x: x.kthvalue(0, 1)),
    ("bincount-negative", lambda T, x: T.bincount(_i(T, [-1, 2]))),
    ("bincount-float", lambda T, x: T.bincount(T.tensor([1.0, 2.0]))),
    ("bincount-2d", lambda T, x: T.bincount(_i(T, [[1, 2]]))),
    ("bincount-weights", lambda T, x: T.bincount(_i(T, [1, 2]), T.tensor([1.0]))),
    ("bincount-minlength", lambda T, x: T.bincount(_i(T, [1, 2]), minlength=-1)),
    ("histc-int", lambda T, x: T.histc(_i(T, [1, 2]), bins=3)),
    ("histc-range", lambda T, x: T.histc(x, bins=3, min=3, max=1)),
    ("histc-bins", lambda T, x: T.histc(x, bins=0)),
    ("searchsorted-side", lambda T, x: T.searchsorted(x[0], x[1], side="middle")),
    ("searchsorted-conflict", lambda T, x: T.searchsorted(x[0], x[1], right=True, side="left")),
    ("searchsorted-shape", lambda T, x: T.searchsorted(x[:2], x[:1])),
    ("bucketize-2d", lambda T, x: T.bucketize(x[0], x)),
    ("unique-backward", lambda T, x: x.requires_grad_().unique().sum().backward()),
    ("unique-dim-backward", lambda T, x: x.requires_grad_().unique(dim=0).sum().backward()),
    ("unique_consecutive-backward", lambda T, x: x.requires_grad_().unique_consecutive().sum().backward()),
    ("scatter-reduce-backward", lambda T, x: T.zeros(3, requires_grad=True).scatter(
        0, _i(T, [0, 0]), T.ones(2), reduce="add").sum().backward()),
]


def _error(lib, program):
    x = lib.tensor(X.astype(np.float32))
    with pytest.raises(Exception) as info:
        program(lib, x)
    return type(info.value).__name__, str(info.value)


@pytest.mark.parametrize("name, program", ERRORS, ids=[e[0] for e in ERRORS])
def test_errors_match_torch(name, program):
    torch = pytest.importorskip("torch")
    theirs = _error(torch, program)
    ours = _error(og, program)
    assert ours[1] == theirs[1]
    # NotImplementedError, IndexError and RuntimeError as PyTorch raises them
    assert ours[0] == theirs[0]


# -- gradients without torch: central differences in float64 ----------------------------------------------
def _fd_check(fn, x, eps=1e-6, rtol=1e-6):
    t = og.tensor(x, requires_grad=True)
    w = np.linspace(0.5, 1.5, fn(og.tensor(x)).numel()).reshape(tuple(fn(og.tensor(x)).shape))
    (fn(t) * og.tensor(w)).sum().backward()
    fd = np.zeros_like(x)
    for j in np.ndindex(x.shape):
        e = np.zeros_like(x)
        e[j] = eps
        hi = float((fn(og.tensor(x + e)).numpy() * w).sum())
        lo = float((fn(og.tensor(x - e)).numpy() * w).sum())
        fd[j] = (hi - lo) / (2 * eps)
    np.testing.assert_allclose(t.grad.numpy(), fd, rtol=rtol, atol=rtol)


@pytest.mark.parametrize("fn, x", [
    (lambda t: t.cumprod(1), ZEROS),                       # zeros: the pairwise products stay exact
    (lambda t: t.logcumsumexp(1), X34 * 3),
    (lambda t: t.scatter_reduce(0, og.tensor(IDX_DUP), og.tensor(S24), "amax"), X34),
    (lambda t: og.tensor(X34).scatter_reduce(0, og.tensor(IDX_DUP), t, "prod"), S24),
    (lambda t: t.cummin(1).values, X34),
    (lambda t: og.std_mean(t, 0)[0] + og.var_mean(t, 0)[1], X34),
], ids=["cumprod-zeros", "logcumsumexp", "scatter_reduce-amax", "scatter_reduce-prod-src", "cummin", "std_var_mean"])
def test_gradients_match_finite_differences(fn, x):
    _fd_check(fn, x)


def test_cumprod_second_order_through_create_graph():
    x = og.tensor([2.0, -0.5, 3.0], dtype=og.float64, requires_grad=True)
    g, = og.autograd.grad(x.cumprod(0).sum(), x, create_graph=True)
    h, = og.autograd.grad(g.sum(), x)
    # f = a + ab + abc; sum of its gradient = 1 + b + bc + a + ac + ab, whose gradient is below
    a, b, c = x.detach().numpy()
    np.testing.assert_allclose(h.numpy(), [1 + b + c, 1 + a + c, a + b], rtol=1e-12)


# -- in-place rules --------------------------------------------------------------------------------------
def test_inplace_scatter_bumps_the_version_and_rebinds_grad_fn():
    src = og.tensor([[1.0, 2.0]], requires_grad=True)
    x = og.zeros(2, 2)
    x.scatter_(0, og.tensor([[1, 0]]), src)
    assert x._version == 1 and x.grad_fn.name() == "ScatterBackward0" and x.requires_grad
    (x * og.tensor([[1.0, 10.0], [100.0, 1000.0]])).sum().backward()
    np.testing.assert_array_equal(src.grad.numpy(), [[100.0, 10.0]])


def test_inplace_write_on_a_saved_tensor_is_caught():
    a = og.tensor([1.0, 2.0, 3.0], requires_grad=True)
    b = a * 1
    c = b.sin()                                  # saves b
    b.index_fill_(0, og.tensor([0]), 0.0)
    with pytest.raises(RuntimeError, match="modified by an inplace operation"):
        c.sum().backward()


def test_fill_diagonal_grad_fn_is_copy_slices():
    y = og.zeros(3, 3, requires_grad=True).clone()
    y.fill_diagonal_(2.0)
    assert repr(y).endswith("grad_fn=<CopySlices>)")
    assert y.grad_fn.name() == "torch::autograd::CopySlices"


def test_scatter_with_reduce_has_pytorchs_not_implemented_grad_fn():
    y = og.zeros(3, requires_grad=True).scatter(0, og.tensor([0, 0]), og.ones(2), reduce="add")
    assert "grad_fn=<NotImplemented>" in repr(y)
    assert y.grad_fn.name() == "torch::autograd::NotImplemented"


# -- capture and export --------------------------------------------------------------------------------------
IDX_C = np.array([[0, 2, 1], [1, 0, 2]], dtype=np.int64)


def _scatter_model(lib):
    """A step whose loss runs through the exportable ops, from fixed weights."""
    w = lib.tensor(np.linspace(-0.6, 0.9, 12).reshape(4, 3).astype(np.float32), requires_grad=True)
    bias = lib.tensor(np.array([0.1, -0.2, 0.3], np.float32), requires_grad=True)
    opt = lib.optim.SGD([w, bias], lr=0.05)
    idx = lib.tensor(IDX_C)

    def step(x, order):
        opt.zero_grad()
        h = (x @ w + bias).tanh()                                 # (5, 3)
        h = h.scatter_add(0, idx, h[:2] * 2.0)
        h = h.scatter(0, idx, h[3:] * 0.5)
        h = lib.take_along_dim(h, order, 1)                       # order is a step input
        h = h.index_add(0, lib.tensor([4, 0]), h[1:3], alpha=0.5)
        h = h.index_copy(1, lib.tensor([2]), h[:, :1] * 3.0)
        c = h.cumprod(1)
        s = h.logcumsumexp(0)
        r = h.scatter_reduce(1, lib.tensor([[0, 0, 1]] * 5), h * h, "amax")
        loss = c.sum() + s.mean() + r.sum() + h.take(lib.tensor([0, 7, 14])).sum() + h.nansum()
        loss.backward()
        opt.step()
        return loss
    return step, (w, bias)


def _data(lib):
    rng = np.random.default_rng(3)
    x = lib.tensor(rng.standard_normal((5, 4)).astype(np.float32))
    order = lib.tensor(np.argsort(rng.standard_normal((5, 3)), axis=1).astype(np.int64))
    return x, order


def test_compiled_training_step_matches_eager():
    step, params = _scatter_model(og)
    eager_step, eager_params = _scatter_model(og)
    compiled = og.compile(step)
    data = _data(og)
    for _ in range(3):
        a = compiled(*data)
        b = eager_step(*data)
        np.testing.assert_allclose(float(a), float(b), rtol=2e-5)
    for p, q in zip(params, eager_params):
        np.testing.assert_allclose(p.detach().numpy(), q.detach().numpy(), rtol=2e-5, atol=1e-6)


def test_compiled_training_step_matches_torch():
    torch = pytest.importorskip("torch")
    step, params = _scatter_model(og)
    t_step, t_params = _scatter_model(torch)
    compiled = og.compile(step)
    data, t_data = _data(og), _data(torch)
    for _ in range(2):
        np.testing.assert_allclose(float(compiled(*data)), float(t_step(*t_data)), rtol=2e-5)
    for p, q in zip(params, t_params):
        np.testing.assert_allclose(p.detach().numpy(), q.detach().numpy(), rtol=2e-5, atol=1e-6)


def test_onnx_export_of_gather_and_scatter_runs_in_onnxruntime(tmp_path):
    ort = pytest.importorskip("onnxruntime")

    class Net(og.nn.Module):
        def __init__(self):
            super().__init__()
            self.lin = og.nn.Linear(4, 3)

        def forward(self, x, idx):
            h = self.lin(x)
            picked = og.take_along_dim(h, idx, 1)
            spread = og.zeros(5, 3).scatter_add(1, idx, picked.exp())
            return picked.cumprod(1) + spread.scatter_reduce(
                0, idx, picked, "amin", include_self=False)[:, :2]

    net = Net()
    x, _ = _data(og)
    idx = og.tensor(np.array([[2, 0], [1, 1], [0, 2], [2, 2], [1, 0]], np.int64))
    path = tmp_path / "scatter.onnx"
    og.onnx.export(net, (x, idx), str(path))
    sess = ort.InferenceSession(str(path), providers=["CPUExecutionProvider"])
    feeds = dict(zip([i.name for i in sess.get_inputs()], (x.numpy(), idx.numpy())))
    with og.no_grad():
        want = net(x, idx).numpy()
    np.testing.assert_allclose(sess.run(None, feeds)[0], want, rtol=1e-5, atol=1e-6)
    ops = {n.op_type for n in __import__("onnx").load(str(path)).graph.node}
    assert {"GatherElements", "ScatterElements"} <= ops


@pytest.mark.parametrize("what, body", [
    ("torch.unique", lambda x: x.unique().sum()),
    ("torch.argwhere", lambda x: x.argwhere().sum()),
    ("torch.masked_scatter", lambda x: x.masked_scatter(x > 0, x).sum()),
    ("torch.cummax", lambda x: x.cummax(0).values.sum()),
    ("torch.bincount", lambda x: x.long().bincount().sum()),
    ("torch.histc", lambda x: x.histc(4).sum()),
    ("torch.kthvalue", lambda x: x.kthvalue(1).values.sum()),
    ("torch.searchsorted", lambda x: og.searchsorted(og.tensor([0.0, 2.0]), x).sum()),
    ("torch.index_put with tensor indices", lambda x: x.index_put((x.long(),), x).sum()),
])
def test_value_dependent_ops_refuse_capture_naming_the_op(what, body):
    with pytest.raises(CaptureError) as info:
        og.trace(body, og.tensor([1.0, 3.0, 2.0]))
    assert what in str(info.value) and "static ONNX graph" in str(info.value)


def test_inplace_index_writes_with_a_step_input_index_compile_to_state_updates():
    """A sparse update (rows chosen by an input of the step) through index_add_ and scatter_add_ under
    no_grad: functionalized into state outputs, equal to the eager steps."""
    def make():
        w = og.tensor(np.linspace(-1, 1, 8).reshape(4, 2).astype(np.float32), requires_grad=True)
        counts = og.zeros(4)

        def step(x, rows):
            loss = (x @ w.t()).tanh().sum()
            loss.backward()
            with og.no_grad():
                w.index_add_(0, rows, w.grad.index_select(0, rows), alpha=-0.1)
                counts.scatter_add_(0, rows, og.ones(2))
                w.grad = None
            return loss
        return w, counts, step

    x = og.tensor(np.random.default_rng(0).standard_normal((3, 2)).astype(np.float32))
    rows = og.tensor([0, 2])
    (w1, c1, eager), (w2, c2, step) = make(), make()
    compiled = og.compile(step)
    for _ in range(3):
        np.testing.assert_allclose(float(compiled(x, rows)), float(eager(x, rows).detach()), rtol=1e-5)
    np.testing.assert_allclose(w2.detach().numpy(), w1.detach().numpy(), rtol=1e-5, atol=1e-6)
    np.testing.assert_array_equal(c2.numpy(), [3.0, 0.0, 3.0, 0.0])


def test_amax_scatter_needs_opset_18_to_export():
    from onnxgraft.export.onnx import ExportError, to_model

    def fn(x):
        return og.zeros(2).scatter_reduce(0, og.tensor([0, 0, 1]), x, "amax")
    graph = og.trace(fn, og.tensor([1.0, 2.0, 3.0]))
    with pytest.raises(ExportError, match="opset 18"):
        to_model(graph, opset=17)
    assert any(n.op_type == "ScatterElements" for n in to_model(graph).graph.node)


def test_gather_with_a_step_input_index_compiles_and_matches_eager():
    """gather is one GatherElements: its index may be a compiled step's input (a new batch of
    labels each call), not only a constant."""
    w_c = og.nn.Parameter(og.arange(12, dtype=og.float32).reshape(3, 4) / 10)
    w_e = og.nn.Parameter(w_c.detach().clone())
    opt_c, opt_e = og.optim.SGD([w_c], lr=0.1), og.optim.SGD([w_e], lr=0.1)

    def make(w, opt):
        def step(idx):
            opt.zero_grad()
            loss = (w.gather(1, idx) ** 2).sum()
            loss.backward()
            opt.step()
            return loss
        return step

    compiled, eager = og.compile(make(w_c, opt_c)), make(w_e, opt_e)
    for k in range(4):
        idx = og.tensor([[k % 4, 0], [1, (k + 1) % 4], [3, 3]])
        assert abs(compiled(idx).item() - eager(idx).item()) < 1e-6
    np.testing.assert_allclose(w_c.detach().numpy(), w_e.detach().numpy(), rtol=1e-6)
    assert any(compiled.graph.node(n)["op"] == "GatherElements" for n in compiled.graph.nodes())

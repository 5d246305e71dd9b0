"""Tensor methods: Indexed writes and order statistics: scatter/scatter_add, index_add_/index_copy_/
index_fill_, take/take_along_dim, cumulative products and extrema, unique, bincount, kthvalue, mode,
searchsorted.

Mixed into Tensor (frontend/tensor.py). `TORCH_METHODS` names the methods that are also torch.*
free functions (torch.name(input, ...) is input.name(...)); `TORCH_FUNCTIONS` maps other torch.*
names to functions.

How they are built:
- indexed writes are the registry's ScatterElements / ScatterReduce (ONNX ScatterElements) and
  reads GatherElements / Gather, so they export and their gradients are PyTorch's formulas
  (scatter: src gets g gathered at index, self gets g with the written positions zeroed);
- cumprod and logcumsumexp are compositions over a lower-triangular (n, n) spread of the
  reduced dim, so gradients (cumprod's at zeros included) come from the products and
  log-sum-exps they are made of, and they export;
- order statistics (cummax, kthvalue, mode) pick their indices from the values eagerly and read
  the values through a Gather, whose gradient scatters to the picked positions;
- results whose shape or indices depend on the values (unique, argwhere, bincount, histc,
  bucketize, masked_scatter's positions) are computed eagerly with numpy and cannot be recorded
  by a capture: there they raise a CaptureError naming the op.
"""
import numpy as np

from ..ir.ops.registry import OpDef
from .grad_mode import STATE
from .node import apply, new_node, _NAMED, BackwardNode
from . import dtype as dt


def _tensor_module():
    from . import tensor
    return tensor


def _wrap(array, requires_grad=False):
    return _tensor_module()._wrap(array, requires_grad)


def _is_tensor(x):
    return isinstance(x, _tensor_module().Tensor)


def _dim(t, dim):
    return _tensor_module()._norm_dims(dim, t.ndim)[0]


def _concrete(t):
    """The numpy array of `t`, or None while a capture records it symbolically."""
    data = t._data
    return data if isinstance(data, np.ndarray) else None


def _eager_only(what, *tensors):
    """Refuse, under capture, an op that computes from tensor values: values a recorded step does
    not know (symbolic) or that change from step to step (parameters)."""
    if STATE.tracer is None:
        return
    for t in tensors:
        if _is_tensor(t) and (_concrete(t) is None or t._requires_grad):
            STATE.tracer.data_dependent(f"torch.{what} (its result is computed from the tensor's values)")


def _legacy(dtype):
    return dt.LEGACY[str.__str__(dtype)]


def _shape_list(shape):
    return f"[{', '.join(map(str, shape))}]"


# -- grad_fns of results PyTorch has no derivative for -----------------------------------------------
class _NotImplementedNode(BackwardNode):
    """PyTorch's `torch::autograd::NotImplemented` grad_fn (scatter with reduce=...)."""
    __slots__ = ()

    def name(self):
        return "torch::autograd::NotImplemented"


_NOT_IMPLEMENTED = "NotImplemented"
_NAMED.setdefault(_NOT_IMPLEMENTED, type(_NOT_IMPLEMENTED, (_NotImplementedNode,), {"__slots__": ()}))


def _raising_vjp(message, error=NotImplementedError):
    def vjp(g, out, *inputs, **attrs):
        raise error(message)
    return vjp


# Unregistered OpDefs: these results carry a grad_fn (as in PyTorch) whose backward raises
# PyTorch's error; nothing records them into a graph (the ops are eager-only or a capture
# records the registry op underneath).
_NO_DERIVATIVE = {
    "scatter": OpDef("scatter", None, None,
                     _raising_vjp("derivative for aten::scatter is not implemented", RuntimeError),
                     (), 1, True, _NOT_IMPLEMENTED, "scatter"),
    "_unique2": OpDef("_unique2", None, None,
                      _raising_vjp("the derivative for '_unique2' is not implemented."),
                      (), 1, True, "Unique2Backward0", "scatter"),
    "unique_dim": OpDef("unique_dim", None, None,
                        _raising_vjp("the derivative for 'unique_dim' is not implemented."),
                        (), 1, True, "UniqueDimBackward0", "scatter"),
    "unique_consecutive": OpDef("unique_consecutive", None, None,
                                _raising_vjp("the derivative for 'unique_consecutive' is not implemented."),
                                (), 1, True, "UniqueConsecutiveBackward0", "scatter"),
}


def _without_derivative(out, inputs, which):
    """Give `out` PyTorch's grad_fn for an op without a derivative: backward through it raises."""
    if STATE.tracer is not None or not STATE.grad_enabled or out._data.dtype.kind != "f":
        return out
    if not any(t._requires_grad for t in inputs if _is_tensor(t)):
        return out
    opdef = _NO_DERIVATIVE[which]
    inputs = tuple(t for t in inputs if _is_tensor(t))
    out._requires_grad = True
    out.grad_fn = new_node(opdef, {}, inputs, out, opdef.grad_name)
    return out


# -- argument checks with PyTorch's texts ---------------------------------------------------------------
def _bounds(idx, n, dim, exc=RuntimeError, negative=False):
    if idx is None or not idx.size:
        return
    lo = -n if negative else 0
    bad = (idx < lo) | (idx >= n)
    if bad.any():
        raise exc(f"index {idx[bad].flat[0]} is out of bounds for dimension {dim} with size {n}")


def _scatter_checks(self, d, index, src, what="scatter"):
    if not _is_tensor(index) or index.dtype not in ("int64", "int32"):
        raise RuntimeError(f"{what}(): Expected dtype int32/int64 for index")
    if index.ndim != self.ndim and (index.ndim or self.ndim):
        raise RuntimeError("Index tensor must have the same number of dimensions as self tensor")
    if _is_tensor(src):
        if src.ndim != index.ndim and (index.ndim or src.ndim):
            raise RuntimeError("Index tensor must have the same number of dimensions as src tensor")
        if any(i > s for i, s in zip(index.shape, src.shape)) or any(
                i > s for k, (i, s) in enumerate(zip(index.shape, self.shape)) if k != d):
            raise RuntimeError(f"Expected index {_shape_list(index.shape)} to be no larger than self "
                               f"{_shape_list(self.shape)} apart from dimension {d} and to be no larger "
                               f"size than src {_shape_list(src.shape)}")
        if src.dtype != self.dtype:
            raise RuntimeError(f"{what}(): Expected self.dtype to be equal to src.dtype")
    elif any(i > s for k, (i, s) in enumerate(zip(index.shape, self.shape)) if k != d):
        raise RuntimeError(f"Expected index {_shape_list(index.shape)} to be no larger than self "
                           f"{_shape_list(self.shape)} apart from dimension {d}")
    _bounds(_concrete(index), self.shape[d] if self.ndim else 1, d)


def _fit(src, index):
    """src cut to the index's shape: scatters read only that leading block of a larger src (ONNX's
    ScatterElements wants updates of the index's shape; the Slice's gradient pads back)."""
    if tuple(src.shape) == tuple(index.shape) or not index.ndim:
        return src
    return src[tuple(slice(0, n) for n in index.shape)]


def _value_like(self, value, shape):
    """A Python number or 0-d tensor as updates of `shape` in self's dtype."""
    if _is_tensor(value):
        v = value.to(self.dtype) if value.dtype != self.dtype else value
        return v.reshape(()).expand(shape) if tuple(shape) else v.reshape(())
    return _wrap(np.full(tuple(shape), value, dtype=self._data.dtype))


def _spread(index, d, shape):
    """A 1-D index along dim d, broadcast to `shape` (the index ScatterElements wants)."""
    line = [1] * len(shape)
    line[d] = shape[d]
    return index.reshape(line).expand(shape)


def _index_vector(index, what, long_only=False, exc=RuntimeError):
    if not _is_tensor(index) or index.dtype not in (("int64",) if long_only else ("int64", "int32")):
        got = _legacy(index.dtype) if _is_tensor(index) else type(index).__name__
        if long_only:
            raise exc(f"{what}(): Expected a long tensor for index, but got {got}")
        raise exc(f"{what}(): Expected dtype int32/int64 for index but got: {got}")
    if index.ndim > 1:
        raise IndexError(f"{what}(): Index is supposed to be a vector, but got dim: {index.ndim} with type: "
                         f"{_legacy(index.dtype)} and size: {_shape_list(index.shape)}")
    return index.reshape(-1) if index.ndim == 0 else index


def _inplace(self, make):
    """Run out-of-place `make(self)` and make its result self's new value, with PyTorch's in-place
    rules (leaf errors, version bump, grad_fn rebinding; functionalized under capture)."""
    from .inplace import check_inplace, commit, _history_alias
    check_inplace(self)
    # a stand-in for self's old value and history, so that ops that save their input do not see
    # the in-place write as a modification of what they saved
    src = _history_alias(self) if (STATE.tracer is None and STATE.grad_enabled and self._requires_grad) else self
    return commit(self, make(src))


def _cumulative_spread(x, d, fill):
    """x with dim d moved last and spread to (..., n, n): row i holds x[..., :i+1] and `fill`
    after it, so a reduction over the last dim gives the cumulative result at i."""
    T = _tensor_module()
    if d != x.ndim - 1:
        x = x.transpose(d, -1)
    n = x.shape[-1]
    tri = _wrap(np.tril(np.ones((n, n), dtype=bool)))
    rows = x.unsqueeze(-2).expand(*x.shape[:-1], n, n)
    return T.where(tri, rows, _wrap(np.asarray(fill, dtype=x._data.dtype if _concrete(x) is not None
                                               else np.dtype(x.dtype)))), n


def _move_back(y, d, ndim):
    return y.transpose(d, -1) if d != ndim - 1 else y


def _cum_extreme_indices(a, d, largest):
    """Indices of cummax/cummin along d: the latest position of the running extreme (ties go to
    the later element; a NaN takes over and stays, as PyTorch's kernel does)."""
    a = np.moveaxis(a, d, -1)
    n = a.shape[-1]
    out = np.zeros(a.shape, np.int64)
    if n == 0:
        return np.moveaxis(out, -1, d)
    best, at = a[..., 0].copy(), np.zeros(a.shape[:-1], np.int64)
    floating = a.dtype.kind == "f"
    for i in range(1, n):
        v = a[..., i]
        take = (v >= best) if largest else (v <= best)
        if floating:
            take = np.isnan(v) | (take & ~np.isnan(best))
        best = np.where(take, v, best)
        at = np.where(take, i, at)
        out[..., i] = at
    return np.moveaxis(out, -1, d)


def _named_pair(values, indices, kind):
    return _tensor_module()._MinMax(values, indices, kind)


class ScatterMethods:
    __slots__ = ()

    # -- scatter family ------------------------------------------------------------------------------
    def scatter(self, dim, index, src=None, value=None, *, reduce=None):
        """torch.scatter: self with src (a tensor, or a number `value`) written at `index` along dim;
        `reduce='add'|'multiply'` combines instead (PyTorch has no derivative for that form)."""
        if src is None:
            if value is None:
                raise TypeError("scatter() missing 1 required positional arguments: \"src\" or \"value\"")
            src = value
        d = _dim(self, dim)
        _scatter_checks(self, d, index, src)
        named = "ScatterBackward0" if _is_tensor(src) else "ScatterBackward1"
        updates = _fit(src, index) if _is_tensor(src) else _value_like(self, src, index.shape)
        if reduce is None:
            return apply("ScatterElements", (self, index, updates), {"axis": d}, named)
        if reduce not in ("add", "multiply"):
            raise RuntimeError("reduce argument must be either add or multiply.")
        if reduce == "add":
            out = apply("ScatterElements", (self, index, updates), {"axis": d, "reduction": "add"}, named)
        else:
            out = apply("ScatterReduce", (self, index, updates), {"axis": d, "reduction": "mul"}, named)
        return _without_derivative(out, (self, updates), "scatter")

    def scatter_(self, dim, index, src=None, value=None, *, reduce=None):
        return _inplace(self, lambda s: ScatterMethods.scatter(s, dim, index, src, value, reduce=reduce))

    def scatter_add(self, dim, index, src):
        """torch.scatter_add: self with src added at `index` along dim (repeated indices add up)."""
        d = _dim(self, dim)
        if not _is_tensor(src):
            raise TypeError(f"scatter_add(): argument 'src' must be Tensor, not {type(src).__name__}")
        _scatter_checks(self, d, index, src)
        return apply("ScatterElements", (self, index, _fit(src, index)), {"axis": d, "reduction": "add"},
                     "ScatterAddBackward0")

    def scatter_add_(self, dim, index, src):
        return _inplace(self, lambda s: ScatterMethods.scatter_add(s, dim, index, src))

    def scatter_reduce(self, dim, index, src, reduce, *, include_self=True):
        """torch.scatter_reduce with reduce 'sum', 'prod', 'mean', 'amax' or 'amin' (include_self:
        whether self's values take part)."""
        if reduce not in ("sum", "prod", "mean", "amax", "amin"):
            raise RuntimeError(f"reduce argument must be either sum, prod, mean, amax or amin, got {reduce}")
        d = _dim(self, dim)
        _scatter_checks(self, d, index, src, "scatter_reduce")
        src = _fit(src, index)
        attrs = {"axis": d}
        base = self
        if not include_self:
            # the written positions start from the reduction's identity, so self takes no part
            # there (and gets no gradient: ScatterElements zeroes it)
            kind = self._data.dtype
            identity = {"sum": 0, "mean": 0, "prod": 1,
                        "amax": -np.inf if kind.kind == "f" else np.iinfo(kind).min,
                        "amin": np.inf if kind.kind == "f" else np.iinfo(kind).max}[reduce]
            base = apply("ScatterElements", (self, index, _value_like(self, identity, index.shape)), attrs)
        if reduce in ("sum", "mean"):
            out = apply("ScatterElements", (base, index, src), {**attrs, "reduction": "add"})
        else:
            red = {"prod": "mul", "amax": "max", "amin": "min"}[reduce]
            out = apply("ScatterReduce", (base, index, src), {**attrs, "reduction": red})
        if reduce == "mean":
            # divided by how many values met at each position (self counting once if included)
            ones = np.ones(tuple(index.shape), self._data.dtype if _concrete(self) is not None
                           else np.dtype(self.dtype))
            start = _wrap(np.ones(tuple(self.shape), ones.dtype))
            if not include_self:
                start = apply("ScatterElements", (start, index, _wrap(np.zeros_like(ones))), attrs)
            count = apply("ScatterElements", (start, index, _wrap(ones)), {**attrs, "reduction": "add"})
            out = out / count if out.is_floating_point() else out.div(count, rounding_mode="floor")
        return out._renamed("ScatterReduceBackward0")

    def scatter_reduce_(self, dim, index, src, reduce, *, include_self=True):
        return _inplace(self, lambda s: ScatterMethods.scatter_reduce(s, dim, index, src, reduce,
                                                                      include_self=include_self))

    # -- index_* family ---------------------------------------------------------------------------------
    def _index_source_checks(self, d, index, source, what):
        if self.ndim and source.ndim and (source.ndim != self.ndim or any(
                a != b for k, (a, b) in enumerate(zip(self.shape, source.shape)) if k != d)):
            if what == "index_copy_":
                # PyTorch compares the slice shapes (the shapes without dim d) and names the
                # position within them
                dst = [n for k, n in enumerate(self.shape) if k != d]
                src = [n for k, n in enumerate(source.shape) if k != d]
                k = next((k for k, (p, q) in enumerate(zip(dst, src)) if p != q), min(len(dst), len(src)))
                raise RuntimeError(
                    f"index_copy_(): Source/destination tensor must have same slice shapes. Destination "
                    f"slice shape: {dst[k] if k < len(dst) else 1} at dimension {k} and source slice shape: "
                    f"{src[k] if k < len(src) else 1} at dimension {k}.")
            raise RuntimeError(f"source tensor shape must match self tensor shape, excluding the specified "
                               f"dimension. Got self.shape = {_shape_list(self.shape)} source.shape = "
                               f"{_shape_list(source.shape)}")
        n_src = source.shape[d] if source.ndim else 1
        if index.numel() != n_src:
            if what == "index_copy_":
                raise RuntimeError(f"index_copy_(): Number of indices ({index.numel()}) should be equal to "
                                   f"source.size(dim) ({n_src})")
            raise RuntimeError(f"{what}(): Number of indices ({index.numel()}) should be equal to "
                               f"source.size(dim): ({n_src}), for dim: {d}")
        _bounds(_concrete(index), self.shape[d] if self.ndim else 1, d)

    def index_add(self, dim, index, source, *, alpha=1):
        """torch.index_add: self with alpha * source[i] added to self.select(dim, index[i])."""
        d = _dim(self, dim)
        index = _index_vector(index, "index_add_")
        self._index_source_checks(d, index, source, "index_add_")
        if source.dtype != self.dtype:
            raise RuntimeError(f"index_add_(): self ({_legacy(self.dtype)}) and source "
                               f"({_legacy(source.dtype)}) must have the same scalar type")
        src = source.reshape(self.shape[:d] + (1,) + self.shape[d + 1:]) if source.ndim == 0 and self.ndim else source
        if alpha != 1:
            src = src * alpha
        return apply("ScatterElements", (self, _spread(index, d, tuple(src.shape)), src),
                     {"axis": d, "reduction": "add"}, "IndexAddBackward0")

    def index_add_(self, dim, index, source, *, alpha=1):
        return _inplace(self, lambda s: ScatterMethods.index_add(s, dim, index, source, alpha=alpha))

    def index_copy(self, dim, index, source):
        """torch.index_copy: self with source[i] written to self.select(dim, index[i])."""
        d = _dim(self, dim)
        index = _index_vector(index, "index_copy_", long_only=True)
        self._index_source_checks(d, index, source, "index_copy_")
        if source.dtype != self.dtype:
            raise RuntimeError(f"index_copy_(): self and source expected to have the same dtype, but got "
                               f"(self) {_legacy(self.dtype)} and (source) {_legacy(source.dtype)}")
        return apply("ScatterElements", (self, _spread(index, d, tuple(source.shape)), source), {"axis": d},
                     "IndexCopyBackward0")

    def index_copy_(self, dim, index, source):
        return _inplace(self, lambda s: ScatterMethods.index_copy(s, dim, index, source))

    def index_fill(self, dim, index, value):
        """torch.index_fill: self with self.select(dim, i) set to value for every i in index."""
        d = _dim(self, dim)
        if not _is_tensor(index) or index.dtype != "int64":
            raise IndexError("index_fill_(): Expected dtype int64 for index.")
        if _is_tensor(value) and value.ndim:
            raise RuntimeError(f"index_fill_ only supports a 0-dimensional value tensor, but got tensor "
                               f"with {value.ndim} dimension(s).")
        index = _index_vector(index, "index_fill_", long_only=True)
        _bounds(_concrete(index), self.shape[d] if self.ndim else 1, d, IndexError, negative=True)
        if _concrete(index) is not None and (index._data < 0).any():
            index = _wrap(np.where(index._data < 0, index._data + self.shape[d], index._data))
        shape = self.shape[:d] + (index.numel(),) + self.shape[d + 1:]
        updates = _value_like(self, value, shape)
        return apply("ScatterElements", (self, _spread(index, d, shape), updates), {"axis": d},
                     "IndexFillBackward1" if _is_tensor(value) else "IndexFillBackward0")

    def index_fill_(self, dim, index, value):
        return _inplace(self, lambda s: ScatterMethods.index_fill(s, dim, index, value))

    def index_put(self, indices, values, accumulate=False):
        """torch.index_put: self[indices] = values (or += with accumulate=True), indices a tuple of
        integer or bool tensors for the leading dims."""
        indices = tuple(indices)
        arrays = []
        for i in indices:
            if not _is_tensor(i):
                i = _wrap(np.asarray(i))
            if i.dtype == "bool" or i.dtype == "uint8":
                _eager_only("index_put with a boolean mask", i)
                arrays.extend(np.nonzero(i._data))
            elif i.dtype in ("int64", "int32", "int16", "int8"):
                _eager_only("index_put with tensor indices", i)
                arrays.append(i._data)
            else:
                raise IndexError("tensors used as indices must be long, int, byte or bool tensors")
        if len(arrays) > self.ndim:
            raise IndexError(f"too many indices for tensor of dimension {self.ndim} (got {len(arrays)})")
        try:
            arrays = np.broadcast_arrays(*arrays)
        except ValueError:
            shapes = ", ".join(_shape_list(a.shape) for a in arrays)
            raise IndexError(f"shape mismatch: indexing tensors could not be broadcast together with shapes "
                             f"{shapes}") from None
        k = len(arrays)
        lead, rest = tuple(self.shape[:k]), tuple(self.shape[k:])
        fixed = []
        for axis, (a, n) in enumerate(zip(arrays, lead)):
            _bounds(a, n, axis, IndexError, negative=True)
            fixed.append(np.where(a < 0, a + n, a))
        picked = arrays[0].shape if arrays else ()
        flat = np.ravel_multi_index(fixed, lead).astype(np.int64) if fixed and fixed[0].size else \
            np.zeros(picked, np.int64)
        if not _is_tensor(values):
            values = _wrap(np.asarray(values, dtype=self._data.dtype))
        if values.dtype != self.dtype:
            raise RuntimeError(f"Index put requires the source and destination dtypes match, got "
                               f"{_legacy(self.dtype)} for the destination and {_legacy(values.dtype)} "
                               f"for the source.")
        target = tuple(picked) + rest
        try:
            ok = np.broadcast_shapes(tuple(values.shape), target) == target
        except ValueError:
            ok = False
        if not ok:
            raise RuntimeError(f"shape mismatch: value tensor of shape {_shape_list(values.shape)} cannot be "
                               f"broadcast to indexing result of shape {_shape_list(target)}")
        m = int(flat.size)
        vals = (values.expand(target) if tuple(values.shape) != target else values).reshape((m,) + rest)
        data = self.reshape((int(np.prod(lead, dtype=np.int64)),) + rest)
        idx = _wrap(np.ascontiguousarray(np.broadcast_to(flat.reshape((m,) + (1,) * len(rest)), (m,) + rest)))
        out = apply("ScatterElements", (data, idx, vals),
                    {"axis": 0, "reduction": "add" if accumulate else "none"}, "IndexPutBackward0")
        return out.reshape(self.shape)._renamed("IndexPutBackward0")

    def index_put_(self, indices, values, accumulate=False):
        return _inplace(self, lambda s: ScatterMethods.index_put(s, indices, values, accumulate))

    def masked_scatter(self, mask, source):
        """torch.masked_scatter: self with the positions where mask is True filled, in order, by
        the leading elements of source."""
        if not _is_tensor(mask) or mask.dtype != "bool":
            got = _legacy(mask.dtype) if _is_tensor(mask) else type(mask).__name__
            raise RuntimeError(f"masked_scatter_ only supports boolean masks, but got mask with dtype {got}")
        if source.dtype != self.dtype:
            raise RuntimeError(f"masked_scatter: expected self and source to have same dtypes but got"
                               f"{_legacy(self.dtype)} and {_legacy(source.dtype)}")
        _eager_only("masked_scatter", mask)
        try:
            m = np.broadcast_to(mask._data, tuple(self.shape))
        except ValueError:
            raise RuntimeError(f"The size of tensor a ({mask.shape[-1] if mask.ndim else 1}) must match the size "
                               f"of tensor b ({self.shape[-1] if self.ndim else 1}) at non-singleton dimension "
                               f"{max(self.ndim - 1, 0)}") from None
        pos = np.flatnonzero(m).astype(np.int64)
        if source.numel() < pos.size:
            raise RuntimeError("Number of elements of source < number of ones in mask")
        src = source.reshape(-1)
        if pos.size < src.shape[0]:
            src = src[:pos.size]
        out = apply("ScatterElements", (self.reshape(-1), _wrap(pos), src), {"axis": 0}, "MaskedScatterBackward0")
        return out.reshape(self.shape)._renamed("MaskedScatterBackward0")

    def masked_scatter_(self, mask, source):
        return _inplace(self, lambda s: ScatterMethods.masked_scatter(s, mask, source))

    def fill_diagonal_(self, fill_value, wrap=False):
        """Tensor.fill_diagonal_: write fill_value on the main diagonal (all dims of equal length, or
        a matrix; `wrap=True` continues below a tall matrix's square every cols+1 rows)."""
        T = _tensor_module()
        if self.ndim < 2:
            raise RuntimeError("dimensions must larger than 1")
        shape = tuple(self.shape)
        if self.ndim > 2 and len(set(shape)) != 1:
            raise RuntimeError("all dimensions of input must be of equal length")
        n = int(np.prod(shape, dtype=np.int64))
        if self.ndim == 2:
            rows, cols = shape
            step = cols + 1
            stop = n if wrap and rows > cols else min(rows, cols) * cols
        else:
            step = int(sum(int(np.prod(shape[i + 1:], dtype=np.int64)) for i in range(self.ndim)))
            stop = n
        mask = np.zeros(n, bool)
        mask[np.arange(0, stop, step)] = True
        mask = _wrap(mask.reshape(shape))
        value = fill_value.to(self.dtype) if _is_tensor(fill_value) else fill_value
        return _inplace(self, lambda s: T.where(mask, value, s)._renamed("CopySlices"))

    def put(self, index, source, accumulate=False):
        """torch.put: self viewed flat, with source written (or added) at the flat positions index."""
        if not _is_tensor(index) or index.dtype != "int64":
            raise RuntimeError(f"put_(): Expected a long tensor for index, but got "
                               f"{_legacy(index.dtype) if _is_tensor(index) else type(index).__name__}")
        if source.dtype != self.dtype:
            raise RuntimeError(f"put_(): self and source expected to have the same dtype, but got self.dtype = "
                               f"{_legacy(self.dtype)} and source.dtype = {_legacy(source.dtype)}")
        if source.numel() != index.numel():
            raise IndexError(f"put_(): Expected source and index to have the same number of elements, but got "
                             f"source.numel() = {source.numel()}, index.numel() = {index.numel()}")
        n = self.numel()
        idx = _concrete(index)
        if idx is not None and idx.size and ((idx < -n) | (idx >= n)).any():
            bad = idx[(idx < -n) | (idx >= n)].flat[0]
            raise IndexError(f"out of range: tried to access index {bad} on a tensor of {n} elements.")
        out = apply("ScatterElements", (self.reshape(-1), index.reshape(-1), source.reshape(-1)),
                    {"axis": 0, "reduction": "add" if accumulate else "none"}, "PutBackward0")
        return out.reshape(self.shape)._renamed("PutBackward0")

    def put_(self, index, source, accumulate=False):
        return _inplace(self, lambda s: ScatterMethods.put(s, index, source, accumulate))

    # -- reads -------------------------------------------------------------------------------------------
    def take(self, index):
        """torch.take: the elements of self (viewed flat) at `index`, in index's shape."""
        if not _is_tensor(index) or index.dtype != "int64":
            raise RuntimeError(f"take(): Expected a long tensor for index, but got "
                               f"{_legacy(index.dtype) if _is_tensor(index) else type(index).__name__}")
        n = self.numel()
        idx = _concrete(index)
        if idx is not None and idx.size:
            bad = (idx < -n) | (idx >= n)
            if bad.any():
                raise IndexError(f"out of range: tried to access index {idx[bad].flat[0]} on a tensor of "
                                 f"{n} elements.")
            if (idx < 0).any():
                index = _wrap(np.where(idx < 0, idx + n, idx))
        return apply("Gather", (self.reshape(-1), index), {"axis": 0}, "TakeBackward0")

    def take_along_dim(self, indices, dim=None):
        """torch.take_along_dim: gather along dim with self and indices broadcast against each other
        (dim=None: both flattened)."""
        if not _is_tensor(indices) or indices.dtype != "int64":
            got = _legacy(indices.dtype) if _is_tensor(indices) else type(indices).__name__
            raise RuntimeError(f"torch.take_along_dim(): dtype of indices should be Long but got {got}")
        if dim is None:
            x, idx, d = self.reshape(-1), indices.reshape(-1), 0
        else:
            if self.ndim != indices.ndim:
                raise RuntimeError(f"torch.take_along_dim(): input and indices should have the same number of "
                                   f"dimensions, but got {self.ndim} dimensions for input, and {indices.ndim} "
                                   f"dimensions for indices")
            d = _dim(self, dim)
            sx, si = list(self.shape), list(indices.shape)
            sx[d] = si[d] = 1
            from ..ir.ops.shape_rules import broadcast_shapes, ShapeError
            try:
                common = list(broadcast_shapes("take_along_dim", tuple(sx), tuple(si)))
            except ShapeError as exc:
                raise RuntimeError(str(exc)) from None
            want_x, want_i = list(common), list(common)
            want_x[d], want_i[d] = self.shape[d], indices.shape[d]
            x = self if list(self.shape) == want_x else self.expand(want_x)
            idx = indices if list(indices.shape) == want_i else indices.expand(want_i)
        _bounds(_concrete(idx), x.shape[d] if x.ndim else 1, d)
        if x.ndim == 0:
            return apply("Identity", (x,), {}, "GatherBackward0")
        return apply("GatherElements", (x, idx), {"axis": d}, "GatherBackward0")

    def argwhere(self):
        """torch.argwhere: the (N, ndim) int64 coordinates of the nonzero elements."""
        _eager_only("argwhere", self)
        return _wrap(np.argwhere(self._data).astype(np.int64))

    # -- cumulative ops ---------------------------------------------------------------------------------
    def cumprod(self, dim, *, dtype=None):
        """torch.cumprod. With a gradient it is the product over a lower-triangular spread of the dim
        (pairwise Muls), so the gradient is exact at zeros too; O(n^2) in the dim's length."""
        x = self.to(dtype) if dtype is not None else self
        if dtype is None and x.dtype in ("bool", "uint8", "int8", "int16", "int32"):
            x = x.to(dt.int64)  # integral inputs accumulate in int64, as in PyTorch
        d = _dim(x, dim) if x.ndim else _tensor_module()._norm_dims(dim, 0)[0]
        if x.ndim == 0:
            return apply("Identity", (x,), {}, "CumprodBackward0")
        if STATE.tracer is None and not (STATE.grad_enabled and x._requires_grad):
            return _wrap(np.cumprod(x._data, axis=d))
        spread, _ = _cumulative_spread(x, d, 1)
        return _move_back(spread.prod(-1), d, x.ndim)._renamed("CumprodBackward0")

    def cumprod_(self, dim, *, dtype=None):
        return _inplace(self, lambda s: ScatterMethods.cumprod(s, dim, dtype=dtype))

    def _cum_extreme(self, dim, largest):
        kind = "cummax" if largest else "cummin"
        d = _tensor_module()._norm_dims(dim, self.ndim)[0]
        _eager_only(kind, self)
        if self.ndim == 0:
            return _named_pair(apply("Identity", (self,), {}, "CummaxBackward0" if largest else "CumminBackward0"),
                               _wrap(np.asarray(0, np.int64)), kind)
        idx = _wrap(_cum_extreme_indices(self._data, d, largest))
        values = self._take_along(d, idx, "CummaxBackward0" if largest else "CumminBackward0")
        return _named_pair(values, idx, kind)

    def cummax(self, dim):
        """torch.cummax: running maxima along dim and where each was found (ties: the later one)."""
        return self._cum_extreme(dim, True)

    def cummin(self, dim):
        """torch.cummin: running minima along dim and where each was found (ties: the later one)."""
        return self._cum_extreme(dim, False)

    def logcumsumexp(self, dim):
        """torch.logcumsumexp: log(cumsum(exp(x))) along dim, without overflow. With a gradient it
        is a log-sum-exp over a lower-triangular spread of the dim (O(n^2) in its length)."""
        if not self.is_floating_point():
            raise NotImplementedError(f"\"logcumsumexp_out_cpu\" not implemented for '{_legacy(self.dtype)}'")
        d = _dim(self, dim) if self.ndim else _tensor_module()._norm_dims(dim, 0)[0]
        if self.ndim == 0:
            return apply("Identity", (self,), {}, "LogcumsumexpBackward0")
        if STATE.tracer is None and not (STATE.grad_enabled and self._requires_grad):
            return _wrap(np.logaddexp.accumulate(self._data, axis=d))
        spread, _ = _cumulative_spread(self, d, -np.inf)
        # the row maximum, detached and clamped to finite values, keeps exp in range; -inf entries
        # (the spread's fill) contribute exp(-inf) = 0 and no gradient
        info = np.finfo(np.dtype(self.dtype))
        m = spread.amax(-1, keepdim=True).detach().clamp(float(info.min), float(info.max))
        out = ((spread - m).exp().sum(-1, keepdim=True).log() + m).squeeze(-1)
        return _move_back(out, d, self.ndim)._renamed("LogcumsumexpBackward0")

    # -- NaN-aware reductions --------------------------------------------------------------------------
    def nansum(self, dim=None, keepdim=False, *, dtype=None):
        """torch.nansum: sum treating NaN as zero (NaN positions get no gradient)."""
        T = _tensor_module()
        x = self.to(dtype) if dtype is not None else self
        if x.is_floating_point():
            # x != x holds only at NaN, and records as graph ops (isnan reads the values)
            x = T.where(x != x, 0.0, x)  # noqa: PLR0124
        return x.sum(dim, keepdim)._renamed("NansumBackward0")

    def nanmean(self, dim=None, keepdim=False, *, dtype=None):
        """torch.nanmean: mean over the non-NaN elements (nansum / their count)."""
        x = self.to(dtype) if dtype is not None else self
        if not x.is_floating_point():
            raise RuntimeError(f"nanmean(): expected input to have floating point or complex dtype but got "
                               f"{_legacy(x.dtype)}")
        count = (x == x).sum(dim, keepdim)  # noqa: PLR0124  (the elements that are not NaN)
        return x.nansum(dim, keepdim) / count

    # -- order statistics -------------------------------------------------------------------------------
    def kthvalue(self, k, dim=-1, keepdim=False):
        """torch.kthvalue: the k-th smallest element along dim and its index (ties: stable order)."""
        T = _tensor_module()
        d = T._norm_dims(dim, self.ndim)[0]
        n = self.shape[d] if self.ndim else 1
        if not 1 <= k <= n:
            raise RuntimeError(f"kthvalue(): selected number k out of range for dimension {d}")
        _eager_only("kthvalue", self)
        if self.ndim == 0:
            return _named_pair(apply("Identity", (self,), {}, "KthvalueBackward0"),
                               _wrap(np.asarray(0, np.int64)), "kthvalue")
        order = np.argsort(self._data, axis=d, kind="stable")
        idx = np.take(order, [k - 1], axis=d).astype(np.int64)
        return self._pick(d, idx, keepdim, "KthvalueBackward0", "kthvalue")

    def _pick(self, d, idx, keepdim, name, kind):
        values = self._take_along(d, _wrap(idx), name)
        if not keepdim:
            values, idx = values.squeeze(d)._renamed(name), idx.squeeze(d)
        return _named_pair(values, _wrap(np.array(idx)), kind)

    def mode(self, dim=-1, keepdim=False):
        """torch.mode: the most frequent value along dim (the smallest among equally frequent ones)
        and the index of its last occurrence."""
        T = _tensor_module()
        d = T._norm_dims(dim, self.ndim)[0]
        _eager_only("mode", self)
        if self.ndim == 0:
            return _named_pair(apply("Identity", (self,), {}, "ModeBackward0"),
                               _wrap(np.asarray(0, np.int64)), "mode")
        a = np.moveaxis(self._data, d, -1)
        rows = a.reshape(-1, a.shape[-1])
        picked = np.zeros(rows.shape[0], np.int64)
        for r, row in enumerate(rows):
            vals, counts = np.unique(row, return_counts=True)
            best = vals[np.argmax(counts)]  # np.unique sorts, so the first maximum is the smallest value
            picked[r] = np.flatnonzero(row == best)[-1]
        idx = np.moveaxis(picked.reshape(a.shape[:-1] + (1,)), -1, d)
        return self._pick(d, idx, keepdim, "ModeBackward0", "mode")

    def msort(self):
        """torch.msort: sorted along dim 0."""
        return self.sort(0)[0]

    # -- value-dependent results (eager only) ---------------------------------------------------------------
    def unique(self, sorted=True, return_inverse=False, return_counts=False, dim=None):
        """torch.unique: the distinct values (sorted), and optionally where each element went
        (inverse) and how often each value occurs (counts)."""
        _eager_only("unique", self)
        data = self._data
        if dim is None:
            vals, inv, counts = np.unique(data.reshape(-1), return_inverse=True, return_counts=True)
            inv = inv.reshape(data.shape)
            which = "_unique2"
        else:
            d = _dim(self, dim)
            vals, inv, counts = np.unique(data, axis=d, return_inverse=True, return_counts=True)
            inv = inv.reshape(-1)
            which = "unique_dim"
        out = _without_derivative(_wrap(np.ascontiguousarray(vals)), (self,), which)
        res = (out,) + ((_wrap(inv.astype(np.int64)),) if return_inverse else ()) + \
            ((_wrap(counts.astype(np.int64)),) if return_counts else ())
        return res[0] if len(res) == 1 else res

    def unique_consecutive(self, return_inverse=False, return_counts=False, dim=None):
        """torch.unique_consecutive: collapse runs of equal consecutive values (or slices along dim)."""
        _eager_only("unique_consecutive", self)
        data = self._data
        if dim is None:
            a, d = data.reshape(-1), 0
        else:
            d = _dim(self, dim)
            a = data
        moved = np.moveaxis(a, d, 0)
        n = moved.shape[0]
        change = np.ones(n, bool)
        if n > 1:
            diff = moved[1:] != moved[:-1]
            change[1:] = diff.reshape(n - 1, -1).any(axis=1) if diff.ndim > 1 else diff
        starts = np.flatnonzero(change)
        vals = np.moveaxis(moved[starts], 0, d)
        inv = (np.cumsum(change) - 1).astype(np.int64)
        counts = np.diff(np.append(starts, n)).astype(np.int64)
        if dim is None:
            inv = inv.reshape(data.shape)
        out = _without_derivative(_wrap(np.ascontiguousarray(vals)), (self,), "unique_consecutive")
        res = (out,) + ((_wrap(inv),) if return_inverse else ()) + ((_wrap(counts),) if return_counts else ())
        return res[0] if len(res) == 1 else res

    def bincount(self, weights=None, minlength=0):
        """torch.bincount: occurrences of each non-negative integer (weighted sums with weights)."""
        if self._data.dtype.kind not in "iu":
            raise NotImplementedError(f"\"bincount_cpu\" not implemented for '{_legacy(self.dtype)}'")
        _eager_only("bincount", self, weights)
        if self.ndim != 1 or (self.numel() and self._data.min() < 0):
            raise RuntimeError("bincount only supports 1-d non-negative integral inputs.")
        if minlength < 0:
            raise RuntimeError("minlength should be >= 0")
        if weights is None:
            return _wrap(np.bincount(self._data.astype(np.intp), minlength=minlength).astype(np.int64))
        if weights.ndim != 1 or weights.shape[0] != self.shape[0]:
            raise RuntimeError("weights should be 1-d and have the same length as input")
        out_dtype = weights._data.dtype if weights.is_floating_point() else np.float64
        counts = np.bincount(self._data.astype(np.intp), weights=weights._data.astype(np.float64),
                             minlength=minlength)
        return _wrap(counts.astype(out_dtype))

    def histc(self, bins=100, min=0, max=0):
        """torch.histc: counts of the elements in `bins` equal-width bins over [min, max] (the data's
        range when min == max); elements outside are ignored, max itself goes to the last bin."""
        if not self.is_floating_point():
            raise NotImplementedError(f"\"histogram_cpu\" not implemented for '{_legacy(self.dtype)}'")
        if bins <= 0:
            raise RuntimeError(f"torch.histogram(): bins must be > 0, but got {bins} for dimension 0")
        _eager_only("histc", self)
        data = self._data.reshape(-1)
        lo, hi = float(min), float(max)
        if lo > hi:
            raise RuntimeError("torch.histc: max must be larger than min")
        if lo == hi and data.size:
            lo, hi = float(data.min()), float(data.max())
        if lo == hi:
            lo, hi = lo - 1, hi + 1
        # PyTorch's histc kernel: bin = int((x - min) * bins / (max - min)) computed in the input's
        # dtype (no search among the edges), with x == max in the last bin
        lo_t, hi_t = data.dtype.type(lo), data.dtype.type(hi)
        keep = data[(data >= lo_t) & (data <= hi_t)]
        pos = ((keep - lo_t) * data.dtype.type(bins) / (hi_t - lo_t)).astype(np.int64)
        pos = np.minimum(pos, bins - 1)
        return _wrap(np.bincount(pos, minlength=bins).astype(data.dtype))


def _sides(right, side):
    if side is not None:
        if side not in ("left", "right"):
            raise RuntimeError(f"torch.searchsorted(): side can only be 'left' or 'right' but got {side}")
        if right and side == "left":
            raise RuntimeError("torch.searchsorted(): side and right can't be set to opposites, got side of "
                               "left while right was True")
        return side
    return "right" if right else "left"


def _as_tensor(x):
    return x if _is_tensor(x) else _wrap(np.asarray(x))


def searchsorted(sorted_sequence, input, *, out_int32=False, right=False, side=None, sorter=None):
    """torch.searchsorted: for each value, the index where it would be inserted into the sorted
    innermost dim of sorted_sequence (`right`/`side` choose the insertion after equal values)."""
    side = _sides(right, side)
    seq, values = _as_tensor(sorted_sequence), _as_tensor(input)
    _eager_only("searchsorted", seq, values)
    s, v = seq._data, values._data
    if sorter is not None:
        s = np.take_along_axis(s, _as_tensor(sorter)._data, axis=-1)
    out_dtype = np.int32 if out_int32 else np.int64
    if s.ndim <= 1:
        return _wrap(np.asarray(np.searchsorted(s, v, side=side)).astype(out_dtype))
    if v.ndim != s.ndim or v.shape[:-1] != s.shape[:-1]:
        raise RuntimeError(f"torch.searchsorted(): boundaries tensor should be 1 dimension or the first N-1 "
                           f"dimensions of boundaries tensor and input value tensor must match, but we got "
                           f"boundaries tensor {_shape_list(s.shape)} and input value tensor {_shape_list(v.shape)}")
    rows_s, rows_v = s.reshape(-1, s.shape[-1]), v.reshape(-1, v.shape[-1])
    out = np.stack([np.searchsorted(a, b, side=side) for a, b in zip(rows_s, rows_v)]) if rows_s.shape[0] else \
        np.zeros(rows_v.shape, np.int64)
    return _wrap(out.reshape(v.shape).astype(out_dtype))


def bucketize(input, boundaries, *, out_int32=False, right=False):
    """torch.bucketize: the index of the bucket of each value given 1-D boundaries
    (right=False: boundaries[i-1] < x <= boundaries[i])."""
    boundaries = _as_tensor(boundaries)
    if boundaries.ndim != 1:
        raise RuntimeError(f"boundaries tensor must be 1 dimension, but got dim({boundaries.ndim})")
    return searchsorted(boundaries, input, out_int32=out_int32, right=right)


def isin(elements, test_elements, *, assume_unique=False, invert=False):
    """torch.isin: a bool tensor shaped like `elements`, True where an element occurs in
    `test_elements` (either may be a Python scalar); both are compared in their promoted dtype, as
    PyTorch does (an int64 3 matches a float32 3.0). `assume_unique` only selects a faster path."""
    from ..ir.dtypes import promote, scalar_dtype
    operands = []
    for x in (elements, test_elements):
        if _is_tensor(x):
            if str(x.dtype) == "torch.bool":
                raise RuntimeError("Unsupported input type encountered for isin(): Bool")
            operands.append((x._data.dtype.name, x._data.ndim))
        else:
            operands.append((scalar_dtype(x), -1))
    _eager_only("isin", elements, test_elements)
    common = np.dtype(promote(*operands))
    a, b = (np.asarray(x._data if _is_tensor(x) else x).astype(common) for x in (elements, test_elements))
    return _wrap(np.asarray(np.isin(a, b, invert=invert)))


def _check_floating(input, what):
    if not input.is_floating_point():
        raise RuntimeError(f"{what} only support floating point and complex dtypes")


def _var_args(dim, unbiased, correction):
    if isinstance(dim, bool):  # the var_mean(input, unbiased) overload
        dim, unbiased = None, dim
    if correction is None:
        correction = 1 if unbiased is None or unbiased else 0
    return dim, correction


def var_mean(input, dim=None, unbiased=None, keepdim=False, *, correction=None):
    """torch.var_mean: (variance, mean) over dim, with Bessel's correction unless unbiased=False
    (or the given correction)."""
    _check_floating(input, "var_mean")
    dim, correction = _var_args(dim, unbiased, correction)
    var = input.var(dim, keepdim=keepdim, correction=correction)._renamed("VarMeanBackward0")
    return var, input.mean(dim, keepdim)._renamed("VarMeanBackward0")


def std_mean(input, dim=None, unbiased=None, keepdim=False, *, correction=None):
    """torch.std_mean: (standard deviation, mean) over dim (see var_mean)."""
    _check_floating(input, "std_mean")
    dim, correction = _var_args(dim, unbiased, correction)
    std = input.std(dim, keepdim=keepdim, correction=correction)._renamed("StdMeanBackward0")
    return std, input.mean(dim, keepdim)._renamed("StdMeanBackward0")


TORCH_METHODS = ("scatter", "scatter_add", "scatter_reduce", "index_add", "index_copy", "index_fill",
                 "index_put", "index_put_", "masked_scatter", "put", "take", "take_along_dim", "argwhere",
                 "cumprod", "cummax", "cummin", "logcumsumexp", "nansum", "nanmean", "kthvalue", "mode",
                 "msort", "unique", "unique_consecutive", "bincount", "histc")
TORCH_FUNCTIONS = {"searchsorted": searchsorted, "bucketize": bucketize, "isin": isin, "var_mean": var_mean,
                   "std_mean": std_mean}

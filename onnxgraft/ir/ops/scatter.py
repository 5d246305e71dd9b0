"""Registry ops for frontend/tensor_scatter.py (see registry.py for the contract): element-wise
gathers and scatters along one axis, with ONNX's semantics.

- GatherElements(x, idx, axis): out[..., i, ...] = x[..., idx[..., i, ...], ...] (torch.gather,
  take_along_dim); the ONNX op of the same name.
- ScatterElements(data, idx, updates, axis, reduction): data with updates written ("none") or
  added ("add") at the positions idx names along axis (torch.scatter, scatter_add, index_add,
  index_copy, index_put, put_); the ONNX op of the same name.
- ScatterReduce(data, idx, updates, axis, reduction): the same with reduction "mul", "max" or
  "min" (scatter_reduce's prod, amax, amin). A separate op because its gradient reads data,
  updates and the output, while ScatterElements' reads only the indices: an in-place change of
  src after `scatter` must not trip the version check (PyTorch saves only the index there).
  Exported as ONNX ScatterElements with that reduction (export/lower_scatter.py).

Indices are int64 or int32 and may be negative (counted from the end), as in ONNX.
"""
import numpy as np

from .registry import defop, ShapeError
from .shape_rules import fmt, normalize_axis

F = "scatter"


def _coords(idx, axis, n):
    """Index arrays addressing, for every element of idx, the position it names along axis."""
    coords = list(np.indices(idx.shape, sparse=True))
    coords[axis] = np.where(idx < 0, idx + n, idx)
    return tuple(np.broadcast_arrays(*coords))


def _check_ranks(op, x, idx, axis):
    if len(x[0]) != len(idx[0]):
        raise ShapeError(f"{op}: the index has {len(idx[0])} dimensions and the tensor "
                         f"{len(x[0])}; they must have the same number of dimensions")
    if idx[1] not in ("int64", "int32"):
        raise ShapeError(f"{op}: indices must be int64 or int32, got {idx[1]}")
    return normalize_axis(op, axis, len(x[0]))


# -- GatherElements --------------------------------------------------------------------------------
def _gather_elements(x, idx, axis):
    axis = axis % max(x.ndim, 1)
    if x.ndim == 0:
        return x.copy()
    return x[_coords(idx, axis, x.shape[axis])]


def _gather_elements_infer(x, idx, axis):
    a = _check_ranks("gather", x, idx, axis)
    for d, (sx, si) in enumerate(zip(x[0], idx[0])):
        if d != a and si > sx:
            raise ShapeError(f"gather: index of shape {fmt(idx[0])} is larger than the input "
                             f"{fmt(x[0])} at dimension {d}")
    return [(tuple(idx[0]), x[1])]


def _zeros(like, shape, dtype):
    """Zeros of a static shape, as Expand of a scalar (no full-size constant in a graph)."""
    return like._scalar(0, dtype).expand_to(shape)


# forward: out = x[idx] along axis; backward: g scatter-added into zeros of x's shape
defop("GatherElements", eager=_gather_elements, infer=_gather_elements_infer, saves=(1,), family=F,
      grad_name="GatherBackward0",
      vjp=lambda g, out, x, idx, axis: (
          g._op("ScatterElements", _zeros(g, x.shape, g.dtype), idx, g, axis=axis, reduction="add"),
          None))


# -- ScatterElements -------------------------------------------------------------------------------
_UFUNC = {"add": np.add, "mul": np.multiply, "max": np.maximum, "min": np.minimum}


def _scatter(data, idx, updates, axis, reduction="none"):
    out = data.copy()
    if data.ndim == 0:  # a 0-d tensor: the one element is the position
        if idx.size:
            u = updates.reshape(())
            out[...] = u if reduction == "none" else _UFUNC[reduction](out, u)
        return out
    axis = axis % data.ndim
    where = _coords(idx, axis, data.shape[axis])
    if reduction == "none":
        out[where] = updates  # numpy writes repeated positions in order: the last one stays
    else:
        _UFUNC[reduction].at(out, where, updates)
    return out


def _scatter_infer(data, idx, updates, axis, reduction="none"):
    a = _check_ranks("scatter", data, idx, axis) if data[0] or idx[0] else 0
    # ONNX's form: updates of the index's shape (the frontend slices a larger src first)
    if tuple(updates[0]) != tuple(idx[0]):
        raise ShapeError(f"scatter: updates of shape {fmt(updates[0])} do not match the index's shape "
                         f"{fmt(idx[0])}")
    for d, (sd, si) in enumerate(zip(data[0], idx[0])):
        if d != a and si > sd:
            raise ShapeError(f"Expected index [{', '.join(map(str, idx[0]))}] to be no larger than self "
                             f"[{', '.join(map(str, data[0]))}] apart from dimension {a}")
    if data[1] != updates[1]:
        raise ShapeError("scatter(): Expected self.dtype to be equal to src.dtype")
    return [data]


def _gathered(g, idx, axis):
    """The gradient of `updates`: g read at the scattered positions."""
    return g._op("GatherElements", g, idx, axis=axis)


def _scatter_vjp(g, out, data, idx, updates, axis, reduction="none"):
    # forward "none": out = data with updates written at idx; backward: g with the written
    #   positions zeroed (ScatterElements of zeros), and g read at idx (GatherElements).
    # forward "add": out = data + updates added at idx; backward: g, and g read at idx.
    if reduction == "none":
        grad_data = lambda: g._op("ScatterElements", g, idx, _zeros(g, idx.shape, g.dtype),  # noqa: E731
                                  axis=axis)
    else:
        grad_data = g
    return (grad_data, None, lambda: _gathered(g, idx, axis))


defop("ScatterElements", eager=_scatter, infer=_scatter_infer, vjp=_scatter_vjp, saves=(1,), family=F,
      grad_name="ScatterBackward0")


def _reduce_infer(data, idx, updates, axis, reduction):
    if reduction not in ("mul", "max", "min"):
        raise ShapeError(f"ScatterReduce: reduction must be mul, max or min, got {reduction!r}")
    return _scatter_infer(data, idx, updates, axis, reduction)


def _prod_vjp(g, out, data, idx, updates, axis):
    """PyTorch's scatter_reduce "prod" rule: the product of the other factors, exact at zeros.
    data: g * (the product with data's zeros read as 1) / (data with zeros read as 1).
    updates: g * out / u where u != 0; where u is the only zero at its position, g times the
    product with u read as 1; where several zeros meet, 0 (out is 0 either way)."""
    def grad_data():
        zero = data.eq(0)
        masked = zero.select(1, data)
        return g * masked._op("ScatterReduce", masked, idx, updates, axis=axis, reduction="mul") / masked

    def grad_updates():
        zero = updates.eq(0)
        n_zeros = _zeros(g, data.shape, g.dtype)._op("ScatterElements", _zeros(g, data.shape, g.dtype), idx,
                                                     zero.cast_to(g.dtype), axis=axis, reduction="add")
        single = zero.logical_and(_gathered(n_zeros, idx, axis).eq(1))
        without = data._op("ScatterReduce", data, idx, single.select(1, updates), axis=axis, reduction="mul")
        return single.select(_gathered(g * without, idx, axis),
                             _gathered(g * out, idx, axis) / zero.select(1, updates))
    return (grad_data, None, grad_updates)


def _scatter_reduce_vjp(g, out, data, idx, updates, axis, reduction):
    # forward "mul": out = data * prod(updates at each position); backward: the product of the
    #   other factors (see _prod_vjp).
    # forward "max"/"min": out = the extreme of data and the updates at each position; backward:
    #   g shared evenly among the entries equal to the result (data and updates alike), as
    #   PyTorch's amax/amin rule does.
    if reduction == "mul":
        return _prod_vjp(g, out, data, idx, updates, axis)
    hit_data = data.eq(out).cast_to(g.dtype)
    hit_upd = updates.eq(out._op("GatherElements", out, idx, axis=axis)).cast_to(g.dtype)
    count = hit_data._op("ScatterElements", hit_data, idx, hit_upd, axis=axis, reduction="add")
    share = g / count
    return (lambda: hit_data * share, None, lambda: hit_upd * _gathered(share, idx, axis))


defop("ScatterReduce", eager=_scatter, infer=_reduce_infer, vjp=_scatter_reduce_vjp,
      saves=(0, 1, 2, "out"), family=F, grad_name="ScatterReduceBackward0")

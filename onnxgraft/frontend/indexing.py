"""Tensor indexing: basic indexing (ints, slices, None, Ellipsis) lowered to Slice, Squeeze and
Unsqueeze; one integer-tensor index lowered to Gather; boolean masks through their nonzero indices."""
import numpy as np

from .node import apply
from .grad_mode import STATE


def _expand_index(t, index):
    if not isinstance(index, tuple):
        index = (index,)
    n_real = sum(1 for i in index if i is not None and i is not Ellipsis)
    if n_real > t.ndim:
        raise IndexError(f"too many indices for tensor of dimension {t.ndim}")
    out = []
    for i in index:
        if i is Ellipsis:
            out.extend([slice(None)] * (t.ndim - n_real))
        else:
            out.append(i)
    # identity, not `in`: `in` compares with ==, and a Tensor item would answer elementwise
    if not any(i is Ellipsis for i in index):
        out.extend([slice(None)] * (t.ndim - n_real))
    return out


def getitem(t, index):
    from .tensor import Tensor, _wrap, _view_of
    if isinstance(index, Tensor) and index.dtype == "bool":
        if STATE.tracer is not None:
            STATE.tracer.data_dependent("boolean mask indexing (its result's shape depends on the values)")
        if index.shape == t.shape:
            flat = t.reshape(-1)
            idx = _wrap(np.flatnonzero(index._data).astype(np.int64))
            return apply("Gather", (flat, idx), {"axis": 0}, "IndexBackward0")
        idx = _wrap(np.flatnonzero(index._data).astype(np.int64))
        return apply("Gather", (t, idx), {"axis": 0}, "IndexBackward0")
    items = _expand_index(t, index)
    joint = _joint_advanced(t, items)
    if joint is not None:
        return joint
    out = t
    axis = 0
    squeeze = []
    unsqueeze = []
    gathered = False
    # PyTorch applies the items one by one (select, slice, unsqueeze; advanced indexing last), so
    # the result's grad_fn is named after the last item that does something
    last = None
    for item in items:
        if item is None:
            unsqueeze.append(axis + len(unsqueeze) - len(squeeze))
            last = "UnsqueezeBackward0"
            continue
        if isinstance(item, (int, np.integer)) and not isinstance(item, bool):
            n = t.shape[axis]
            if not -n <= item < n:
                raise IndexError(f"index {item} is out of bounds for dimension {axis} with size {n}")
            i = int(item) % n
            out = apply("Slice", (out,), {"starts": (i,), "ends": (i + 1,), "axes": (axis,), "steps": (1,)},
                        "SliceBackward0")
            squeeze.append(axis)
            last = "SelectBackward0"
        elif isinstance(item, slice):
            start, stop, step = item.indices(t.shape[axis])
            if step <= 0:
                raise ValueError("step must be greater than zero")
            if (start, stop, step) != (0, t.shape[axis], 1):
                out = apply("Slice", (out,), {"starts": (start,), "ends": (stop,), "axes": (axis,),
                                              "steps": (step,)}, "SliceBackward0")
                last = "SliceBackward0"
        elif isinstance(item, (Tensor, list, np.ndarray)):
            if gathered:
                raise NotImplementedError("onnxgraft supports one integer-tensor index per indexing "
                                          "expression; index the axes one at a time")
            idx = item if isinstance(item, Tensor) else _wrap(np.asarray(item, dtype=np.int64))
            if idx.dtype not in ("int64", "int32"):
                raise IndexError("tensors used as indices must be long, int, byte or bool tensors")
            n = t.shape[axis]
            if idx._data.size and STATE.tracer is None and (idx._data.min() < -n or idx._data.max() >= n):
                bad = idx._data[(idx._data < -n) | (idx._data >= n)].flat[0]
                raise IndexError(f"index {bad} is out of bounds for dimension {axis} with size {n}")
            if STATE.tracer is None and idx._data.size and idx._data.min() < 0:
                idx = _wrap(np.where(idx._data < 0, idx._data + n, idx._data))
            out = apply("Gather", (out, idx), {"axis": axis - len(squeeze) * 0}, "IndexBackward0")
            gathered = True
            axis += 1
            continue
        else:
            raise TypeError(f"onnxgraft cannot index a tensor with {type(item).__name__} "
                            f"(use ints, slices, None, ..., or an integer tensor)")
        axis += 1
    if squeeze:
        out = apply("Squeeze", (out,), {"axes": tuple(squeeze)},
                    "SelectBackward0" if len(squeeze) == 1 and out is not t else "SqueezeBackward1")
    if unsqueeze:
        out = apply("Unsqueeze", (out,), {"axes": tuple(unsqueeze)}, "UnsqueezeBackward0")
    if out is t:
        out = apply("Identity", (t,), {}, "AliasBackward0")
    elif last is not None:
        out._renamed("IndexBackward0" if gathered else last)
    if STATE.tracer is None and not (STATE.grad_enabled and t._requires_grad):
        # outside autograd, indexing gives a numpy view, so writes through it reach `t` as in PyTorch
        try:
            view = t._data[tuple(_np_index(items))]
            if isinstance(view, np.ndarray) and np.shares_memory(view, t._data):
                out._data = view
        except (IndexError, TypeError):
            pass
    return _view_of(t, out)


def _is_advanced(item):
    from .tensor import Tensor
    return isinstance(item, (Tensor, list, np.ndarray)) and not isinstance(item, bool)


def _joint_advanced(t, items):
    """`x[i, j]` with integer tensors on adjacent axes (after full slices only), as one Gather over
    those axes merged into one: the flat positions come from the index values. None when the
    index is not of that form."""
    from .tensor import Tensor, _wrap
    advanced = [k for k, item in enumerate(items) if _is_advanced(item)]
    if len(advanced) < 2:
        return None
    a, k = advanced[0], len(advanced)
    if advanced != list(range(a, a + k)) or any(
            not (isinstance(item, slice) and item == slice(None)) for item in items[:a] + items[a + k:]):
        return None
    idxs = [np.asarray(item._data if isinstance(item, Tensor) else item) for item in items[a:a + k]]
    if any(i.dtype.kind not in "iu" for i in idxs):
        return None
    if STATE.tracer is not None:
        STATE.tracer.data_dependent("indexing with several integer tensors")
    try:
        idxs = np.broadcast_arrays(*idxs)
    except ValueError:
        shapes = ", ".join(f"[{', '.join(map(str, i.shape))}]" for i in idxs)
        raise IndexError(f"shape mismatch: indexing tensors could not be broadcast together with shapes "
                         f"{shapes}") from None
    dims = t.shape[a:a + k]
    fixed = []
    for axis, (i, n) in enumerate(zip(idxs, dims)):
        if i.size and (i.min() < -n or i.max() >= n):
            bad = i[(i < -n) | (i >= n)].flat[0]
            raise IndexError(f"index {bad} is out of bounds for dimension {a + axis} with size {n}")
        fixed.append(np.where(i < 0, i + n, i))
    flat = np.ravel_multi_index(fixed, dims).astype(np.int64) if fixed[0].size else fixed[0].astype(np.int64)
    merged = t.reshape(tuple(t.shape[:a]) + (int(np.prod(dims)),) + tuple(t.shape[a + k:]))
    return apply("Gather", (merged, _wrap(flat)), {"axis": a}, "IndexBackward0")


def _np_index(items):
    from .tensor import Tensor
    return [i._data if isinstance(i, Tensor) else i for i in items]


def setitem(t, index, value):
    from .tensor import Tensor
    from .inplace import check_inplace
    check_inplace(t)
    if STATE.tracer is not None or (STATE.grad_enabled and (t._requires_grad or
                                                            (isinstance(value, Tensor) and value._requires_grad))):
        raise NotImplementedError(
            "onnxgraft does not yet record item assignment (x[i] = v) for autograd or capture; build the "
            "value with torch.where or torch.cat instead, or assign under torch.no_grad()")
    if isinstance(index, Tensor):
        index = index._data
    elif isinstance(index, tuple):
        index = tuple(i._data if isinstance(i, Tensor) else i for i in index)
    t._data[index] = value._data if isinstance(value, Tensor) else value
    t._vc[0] += 1

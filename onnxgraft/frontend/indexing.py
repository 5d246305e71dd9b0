"""Tensor indexing: basic indexing (ints, slices, None, Ellipsis) lowered to Slice, Squeeze and
Unsqueeze; one integer-tensor index lowered to Gather; boolean masks through their nonzero indices."""
import numpy as np

from .node import apply
from .grad_mode import STATE


def _check_0dim_index(t, index):
    """PyTorch's own errors for a bare int or slice on a 0-dim tensor (`loss.data[0]`, the
    pre-0.4 way to read a loss, is the common case)."""
    if t.ndim != 0 or isinstance(index, (bool, np.bool_)):
        return
    if isinstance(index, (int, np.integer)):
        if index == 0:
            raise IndexError("invalid index of a 0-dim tensor. Use `tensor.item()` in Python or "
                             "`tensor.item<T>()` in C++ to convert a 0-dim tensor to a number")
        raise IndexError(f"index {index} is out of bounds for dimension 0 with size 0")
    if isinstance(index, slice):
        raise IndexError("slice() cannot be applied to a 0-dim tensor.")


def _expand_index(t, index):
    _check_0dim_index(t, index)
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
            # PyTorch reads a range like the list of its integers (x[range(n), target])
            out.append(list(i) if isinstance(i, range) else i)
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
        for j, (m, n) in enumerate(zip(index.shape, t.shape)):
            if m != n:
                raise IndexError(f"The shape of the mask {list(index.shape)} at index {j} does not match "
                                 f"the shape of the indexed tensor {list(t.shape)} at index {j}")
        if index.ndim > t.ndim:
            raise IndexError("too many indices for tensor of dimension " + str(t.ndim))
        # a mask over the leading dims selects along those dims merged into one
        merged = t if index.ndim == 1 else t.reshape((-1,) + tuple(t.shape[index.ndim:]))
        idx = _wrap(np.flatnonzero(index._data).astype(np.int64))
        return apply("Gather", (merged, idx), {"axis": 0}, "IndexBackward0")
    items = _expand_index(t, index)
    joint = _joint_advanced(t, items)
    if joint is not None:
        return joint
    advanced = [k for k, item in enumerate(items) if _is_advanced(item)]
    if len(advanced) > 1 or advanced and np.ndim(_np_index(items[advanced[0]:advanced[0] + 1])[0]) > 1 and any(
            not (isinstance(item, slice) and item == slice(None)) for item in items[advanced[0] + 1:]):
        # (the loop below reads a tensor index as taking one dim's place: true when it is 1-d, or
        # when only full slices follow it)
        return _general_advanced(t, items)
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
            raw = item._data if isinstance(item, Tensor) else np.asarray(item)
            if raw.dtype == np.bool_ and raw.ndim == 1:
                # a 1-d mask on one axis selects that axis's positions where it is True
                if STATE.tracer is not None:
                    STATE.tracer.data_dependent("boolean mask indexing (its result's shape depends on "
                                                "the values)")
                if raw.shape[0] != t.shape[axis]:
                    raise IndexError(f"The shape of the mask [{raw.shape[0]}] at index 0 does not match "
                                     f"the shape of the indexed tensor {list(t.shape)} at index {axis}")
                item = np.flatnonzero(raw)
            idx = item if isinstance(item, Tensor) else _wrap(np.asarray(item, dtype=np.int64))
            if idx.dtype not in ("int64", "int32"):
                raise IndexError("tensors used as indices must be long, int, byte or bool tensors")
            n = t.shape[axis]
            if idx._data.size and STATE.tracer is None and (idx._data.min() < -n or idx._data.max() >= n):
                bad = idx._data[(idx._data < -n) | (idx._data >= n)].flat[0]
                # PyTorch counts the dimension among the tensor indices (moved to the front)
                raise IndexError(f"index {bad} is out of bounds for dimension 0 with size {n}")
            if STATE.tracer is None and idx._data.size and idx._data.min() < 0:
                idx = _wrap(np.where(idx._data < 0, idx._data + n, idx._data))
            out = apply("Gather", (out, idx), {"axis": axis - len(squeeze) * 0}, "IndexBackward0")
            gathered = True
            axis += 1
            continue
        else:
            raise IndexError(f"only integers, slices (`:`), ellipsis (`...`), None and long or byte "
                             f"Variables are valid indices (got {type(item).__name__})")
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
                if STATE.grad_enabled and not t._requires_grad:
                    # an in-place op that gives the view history gives `t` history too (write_back)
                    out._view_src = (t, lambda b: getitem(b, index))
        except (IndexError, TypeError):
            pass
    elif STATE.tracer is None and t.grad_fn is not None and not any(_is_advanced(i) for i in items):
        # under autograd the result is a copy; remember where it came from, so that an in-place
        # op on it is written back into `t` with PyTorch's history (CopySlices), see write_back
        out._view_src = (t, lambda b: getitem(b, index))
    return _view_of(t, out)


def write_back(view, base, make_view):
    """After an in-place op changed `view` (= make_view(base), held as a copy under autograd),
    write its new value into `base` as PyTorch's in-place op on a view does: base gets the
    history CopySlices (its old value with the view's positions replaced) and the view becomes
    make_view(base) again, with grad_fn AsStridedBackward0."""
    from .tensor import _wrap
    from .inplace import commit, _history_alias
    # the view's positions in base: the same view taken of base's flat indices
    pos = make_view(_wrap(np.arange(base._data.size, dtype=np.int64).reshape(base._data.shape)))._data
    src = _history_alias(base) if base._requires_grad else base
    new = src.reshape(-1).index_put((_wrap(pos.reshape(-1)),), view.reshape(-1))
    commit(base, new.reshape(base.shape)._renamed("CopySlices"))
    fresh = make_view(base)
    fresh._renamed("AsStridedBackward0")
    view.grad_fn, view._output_nr, view._requires_grad = fresh.grad_fn, fresh._output_nr, fresh._requires_grad


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
    if any(i.dtype.kind == "f" and (i.size or isinstance(item, Tensor)) for i, item in zip(idxs, items[a:a + k])):
        # a float index is the user's mistake, whatever else the expression holds (an empty list
        # reads as float64 in numpy but is an empty integer index in PyTorch)
        raise IndexError("tensors used as indices must be long, int, byte or bool tensors")
    idxs = [i.astype(np.int64) if i.size == 0 and i.dtype.kind == "f" else i for i in idxs]
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
            raise IndexError(f"index {bad} is out of bounds for dimension {axis} with size {n}")
        fixed.append(np.where(i < 0, i + n, i))
    flat = np.ravel_multi_index(fixed, dims).astype(np.int64) if fixed[0].size else fixed[0].astype(np.int64)
    merged = t.reshape(tuple(t.shape[:a]) + (int(np.prod(dims)),) + tuple(t.shape[a + k:]))
    return apply("Gather", (merged, _wrap(flat)), {"axis": a}, "IndexBackward0")


def _general_advanced(t, items):
    """Any index with several tensor/list indices (`x[i, :, j]`, `x[0, rows, 1:3]`), as one Gather
    over the flattened tensor: the flat positions are the same index applied to an array of
    positions. PyTorch first applies the ints as selects, then indexes the rest as numpy does
    (separated tensor indices move their dims to the front), so ints are applied first here too."""
    from .tensor import Tensor, _wrap
    if STATE.tracer is not None:
        STATE.tracer.data_dependent("indexing with several integer tensors")
    pos = np.arange(t._data.size, dtype=np.int64).reshape(t._data.shape)
    select, rest, ordinal = [], [], 0
    for item in items:
        if isinstance(item, Tensor) and item.ndim == 0 and item.dtype != "bool":
            item = int(item._data)  # a 0-dim integer tensor reads as an int: a select
        if item is None:
            rest.append(None)
            continue
        if isinstance(item, (int, np.integer)) and not isinstance(item, bool):
            n = pos.shape[len(select)]
            if not -n <= item < n:
                raise IndexError(f"index {item} is out of bounds for dimension {len(select)} with size {n}")
            select.append(int(item))
            continue
        select.append(slice(None))
        if _is_advanced(item):
            raw = np.asarray(item._data if isinstance(item, Tensor) else item)
            if raw.dtype.kind == "f" and (raw.size or isinstance(item, Tensor)):
                raise IndexError("tensors used as indices must be long, int, byte or bool tensors")
            if raw.dtype.kind != "b":
                raw = raw.astype(np.int64)
                n = t.shape[len(select) - 1]
                if raw.size and (raw.min() < -n or raw.max() >= n):
                    bad = raw[(raw < -n) | (raw >= n)].flat[0]
                    raise IndexError(f"index {bad} is out of bounds for dimension {ordinal} with size {n}")
            ordinal += 1
            item = raw
        rest.append(item)
    pos = pos[tuple(select)]
    try:
        pos = pos[tuple(rest)]
    except IndexError as exc:
        if "broadcast" not in str(exc):
            raise
        shapes = ", ".join("[" + ", ".join(map(str, np.asarray(i).shape)) + "]" for i in rest if _is_advanced(i))
        raise IndexError(f"shape mismatch: indexing tensors could not be broadcast together with shapes "
                         f"{shapes}") from None
    return apply("Gather", (t.reshape(-1), _wrap(np.ascontiguousarray(pos))), {"axis": 0}, "IndexBackward0")


def _np_index(items):
    from .tensor import Tensor
    return [i._data if isinstance(i, Tensor) else i for i in items]


def _views_first(t, index):
    """Whether PyTorch's `x[index] = v` first takes a view of x: it does for an int, None, a bool
    scalar or a slice not covering its whole dim (full slices and Ellipsis are skipped, tensor and
    list indices go to index_put). Decides the leaf error's wording and the grad_fn's name."""
    from .tensor import Tensor
    items = index if isinstance(index, tuple) else (index,)
    n_real = sum(i.ndim if isinstance(i, Tensor) and i.dtype == "bool" else 1
                 for i in items if i is not None and i is not Ellipsis and not isinstance(i, bool))
    dim = 0
    for i in items:
        if i is None or isinstance(i, (bool, int, np.integer)):
            return True
        if isinstance(i, Tensor) and i.ndim == 0 and i.dtype != "bool":  # read as an int: a select
            return True
        if i is Ellipsis:
            dim += max(t.ndim - n_real, 0)
        elif isinstance(i, slice):
            if dim < t.ndim and i.indices(t.shape[dim]) != (0, t.shape[dim], 1):
                return True
            dim += 1
        else:
            dim += i.ndim if isinstance(i, Tensor) and i.dtype == "bool" else 1
    return False


def _torch_index_message(t, text):
    """numpy's IndexError text in PyTorch's words (x[i] = v writes through numpy): numpy says
    "axis" and "array" where PyTorch says "dimension" and "tensor"."""
    import re
    if text.startswith("too many indices"):
        return f"too many indices for tensor of dimension {t.ndim}"
    return re.sub(r"out of bounds for axis (\d+)", r"out of bounds for dimension \1", text)


def _recorded_setitem(t, index, value, np_index):
    """x[index] = value as a recorded in-place op: the flat positions the index selects get the
    value (broadcast, cast to x's dtype) through index_put, so gradients reach both x's old
    history (zero at the overwritten places) and the value."""
    from .tensor import Tensor, _wrap
    from .inplace import commit, _history_alias
    pos = np.arange(t._data.size, dtype=np.int64).reshape(t._data.shape)[np_index]
    if isinstance(value, Tensor):
        v = value if value.dtype == t.dtype else value.to(t.dtype)
    else:
        v = _wrap(np.asarray(value, dtype=t._data.dtype))
    while v.ndim > pos.ndim and v.shape[0] == 1:  # PyTorch drops leading size-1 dims of the value
        v = v.squeeze(0)
    if tuple(v.shape) != pos.shape:
        v = v.expand(pos.shape)
    if _views_first(t, index):
        name = "CopySlices"
    elif pos.size == t._data.size and not isinstance(index, Tensor) and not any(
            isinstance(i, (Tensor, list)) for i in (index if isinstance(index, tuple) else (index,))):
        name = "CopyBackwards" if isinstance(value, Tensor) else "FillBackward3"
    else:
        name = "IndexPutBackward0"
    src = _history_alias(t) if t._requires_grad else t
    new = src.reshape(-1).index_put((_wrap(pos.reshape(-1)),), v.reshape(-1))
    return commit(t, new.reshape(t.shape)._renamed(name))


def setitem(t, index, value):
    from .tensor import Tensor
    from .inplace import check_inplace
    if (STATE.grad_enabled and t._requires_grad and t.grad_fn is None and STATE.tracer is None
            and _views_first(t, index)):
        raise RuntimeError("a view of a leaf Variable that requires grad is being used in an in-place "
                           "operation.")
    check_inplace(t)
    _check_0dim_index(t, index)
    recorded = STATE.grad_enabled and (t._requires_grad or (isinstance(value, Tensor) and value._requires_grad))
    if STATE.tracer is not None:
        raise NotImplementedError(
            "onnxgraft does not yet record item assignment (x[i] = v) for capture; build the "
            "value with torch.where or torch.cat instead, or assign under torch.no_grad()")
    orig_index = index
    if isinstance(index, Tensor):
        index = index._data
    elif isinstance(index, tuple):
        index = tuple(i._data if isinstance(i, Tensor) else i for i in index)
    try:
        if recorded:
            return _recorded_setitem(t, orig_index, value, index)
        t._data[index] = value._data if isinstance(value, Tensor) else value
    except IndexError as exc:
        raise IndexError(_torch_index_message(t, str(exc))) from None
    t._vc[0] += 1

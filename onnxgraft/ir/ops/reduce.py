"""Reductions: ReduceSum, ReduceMean, ReduceMax, ReduceMin, ArgMax, ArgMin. `axes=None` reduces every axis."""
import numpy as np

from .registry import defop
from .shape_rules import reduced, normalize_axis
from .cascade_sum import cascade_sum

F = "reduce"


def _np_axes(axes):
    return None if axes is None else tuple(axes)


def _restore(g, x, axes, keepdims):
    """Expand a reduced gradient back to x's shape (re-inserting dropped axes first)."""
    if not keepdims:
        kept = tuple(1 if (axes is None or i in axes or i - x.ndim in axes) else s
                     for i, s in enumerate(x.shape))
        g = g.reshape_to(kept)
    return g.expand_to(x.shape)


def _count(x, axes):
    if axes is None:
        return int(np.prod(x.shape, dtype=np.int64))
    return int(np.prod([x.shape[a] for a in axes], dtype=np.int64))


def _count_np(x, axes):
    return x.size if axes is None else int(np.prod([x.shape[a] for a in axes], dtype=np.int64))


def _sum(x, axes=None, keepdims=1):
    # PyTorch's order of additions where it is known, so float sums agree to the last bit
    out = cascade_sum(x, axes, keepdims)
    if out is not None:
        return out
    out = np.sum(x, axis=_np_axes(axes), keepdims=bool(keepdims))
    return np.asarray(out, dtype=np.int64 if x.dtype.kind in "iub" else x.dtype)


def _sum_infer(x, axes=None, keepdims=1):
    (shape, dtype), = reduced("sum")(x, axes, keepdims)
    return [(shape, "int64" if dtype in ("bool", "int8", "int16", "int32", "uint8") else dtype)]


# forward: sum(x, axes); backward: g expanded back over the reduced axes
defop("ReduceSum", eager=_sum, infer=_sum_infer, family=F, grad_name="SumBackward0",
      vjp=lambda g, out, x, axes=None, keepdims=1: (_restore(g, x, axes, keepdims),))


def _mean(x, axes=None, keepdims=1):
    # PyTorch's CPU mean is its sum divided by the count (in the tensor's dtype)
    total = cascade_sum(x, axes, keepdims)
    if total is not None:
        return np.asarray(total / x.dtype.type(_count_np(x, axes)), dtype=x.dtype)
    return np.asarray(np.mean(x, axis=_np_axes(axes), keepdims=bool(keepdims)), dtype=x.dtype)


# forward: mean(x, axes); backward: g expanded / count
defop("ReduceMean", eager=_mean, infer=reduced("mean"), family=F, grad_name="MeanBackward0",
      vjp=lambda g, out, x, axes=None, keepdims=1: (_restore(g, x, axes, keepdims) / _count(x, axes),))


def _max(x, axes=None, keepdims=1, select=0):
    return np.asarray(np.max(x, axis=_np_axes(axes), keepdims=bool(keepdims)))


def _min(x, axes=None, keepdims=1, select=0):
    return np.asarray(np.min(x, axis=_np_axes(axes), keepdims=bool(keepdims)))


def _max_vjp(g, out, x, axes=None, keepdims=1, select=0, arg="ArgMax"):
    # forward: max (min) over axes; backward: g shared evenly among the elements equal to the
    # result (PyTorch's amax/amin and max() rule), or with select=1 (max(dim)/min(dim), one axis)
    # all of g to the element whose index max/min returns (PyTorch's value_selecting_reduction).
    # ReduceMin has its own op rather than -max(-x): the negations would turn the zeros of the
    # gradient into -0.0, which PyTorch never prints
    if select:
        axis = axes[0] % x.ndim
        index = x._op(arg, x, axis=axis, keepdims=1)
        positions = np.arange(x.shape[axis], dtype=np.int64).reshape(
            tuple(-1 if a == axis else 1 for a in range(x.ndim)))
        hit = index.eq(index._const(positions))
        return (hit.select(_restore(g, x, axes, keepdims), 0),)
    hit = x.eq(_restore(out, x, axes, keepdims))
    share = hit.cast_to(x.dtype)
    return (hit.select(_restore(g, x, axes, keepdims), 0) / share.reduce_sum(axes, True).expand_to(x.shape),)


def _selecting(rule):
    return lambda x, axes=None, keepdims=1, select=0: rule(x, axes, keepdims)


defop("ReduceMax", eager=_max, infer=_selecting(reduced("max")), vjp=_max_vjp, saves=(0, "out"), family=F,
      grad_name="MaxBackward1")
defop("ReduceMin", eager=_min, infer=_selecting(reduced("min")), saves=(0, "out"), family=F,
      grad_name="MinBackward1", vjp=lambda g, out, x, axes=None, keepdims=1, select=0:
      _max_vjp(g, out, x, axes, keepdims, select, "ArgMin"))


def _argmax(x, axis=0, keepdims=1):
    return np.asarray(np.argmax(x, axis=axis, keepdims=bool(keepdims)), dtype=np.int64)


def _argmax_infer(x, axis=0, keepdims=1):
    (shape, _), = reduced("argmax")(x, (normalize_axis("argmax", axis, len(x[0])),), keepdims)
    return [(shape, "int64")]


def _argmin(x, axis=0, keepdims=1):
    return np.asarray(np.argmin(x, axis=axis, keepdims=bool(keepdims)), dtype=np.int64)


defop("ArgMax", eager=_argmax, infer=_argmax_infer, differentiable=False, family=F)
defop("ArgMin", eager=_argmin, infer=_argmax_infer, differentiable=False, family=F)

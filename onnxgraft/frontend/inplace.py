"""In-place ops with PyTorch's rules: leaf and view-of-leaf errors, version bumps, history
rewriting for tensors that require grad, and functionalization while a capture records."""
import numpy as np

from .grad_mode import STATE
from .node import apply
from . import dtype as dt

_UFUNCS = {"add": np.add, "sub": np.subtract, "mul": np.multiply, "div": np.true_divide, "pow": np.power}
_OPS = {"add": lambda a, b: a + b, "sub": lambda a, b: a - b, "mul": lambda a, b: a * b,
        "div": lambda a, b: a / b, "pow": lambda a, b: a ** b}


def check_inplace(t):
    if t._inference and not STATE.inference:
        raise RuntimeError("Inplace update to inference tensor outside InferenceMode is not allowed."
                           "You can make a clone to get a normal tensor before doing inplace update."
                           "See https://github.com/pytorch/rfcs/pull/17 for more details.")
    if STATE.grad_enabled:
        base = t._base
        if base is not None and base._requires_grad and base.grad_fn is None:
            raise RuntimeError("a view of a leaf Variable that requires grad is being used in an "
                               "in-place operation.")
        if t._requires_grad and t.grad_fn is None:
            raise RuntimeError("a leaf Variable that requires grad is being used in an in-place operation.")


def _history_alias(t):
    """A stand-in for t's value before the in-place op, for the new grad_fn to save."""
    from .tensor import _wrap
    old = _wrap(t._data.copy(), t._requires_grad, t.grad_fn)
    old._output_nr = t._output_nr
    if t._requires_grad and t.grad_fn is None:
        old._accum = None
    return old


def inplace_binary(t, kind, other, alpha=1):
    from .tensor import Tensor
    check_inplace(t)
    other_req = isinstance(other, Tensor) and other._requires_grad
    if STATE.tracer is None and not (STATE.grad_enabled and (t._requires_grad or other_req)):
        # fast path: write straight into the buffer (views and `.data` aliases see it)
        b = other._data if isinstance(other, Tensor) else other
        if alpha != 1:
            b = b * alpha
        try:
            if kind == "div" and t._data.dtype.kind != "f":
                raise TypeError("int")
            _UFUNCS[kind](t._data, b, out=t._data, casting="same_kind")
        except TypeError:  # numpy's casting error for e.g. an int tensor += 0.5
            raise _cast_error(t, other) from None
        except ValueError as exc:
            raise RuntimeError(_shape_error(t, other, exc)) from None
        t._vc[0] += 1
        return t
    src = _history_alias(t) if (STATE.grad_enabled and t._requires_grad) else t
    b = other * alpha if alpha != 1 else other
    return commit(t, _OPS[kind](src, b))


def _cast_error(t, other):
    from .tensor import Tensor
    other_dt = other.dtype if isinstance(other, Tensor) else ("float32" if isinstance(other, float) else "int64")
    return RuntimeError(f"result type {dt.LEGACY.get(other_dt, other_dt)} can't be cast to the desired "
                        f"output type {dt.LEGACY[t.dtype]}")


def _shape_error(t, other, exc):
    shape = tuple(getattr(other, "shape", ()))
    if not _bc(t.shape, shape):  # PyTorch's broadcasting text
        from ..ir.ops.shape_rules import broadcast_shapes, ShapeError
        try:
            broadcast_shapes("in-place", tuple(t.shape), shape)
        except ShapeError as shape_error:
            return str(shape_error)
    return (f"output with shape [{', '.join(map(str, t.shape))}] doesn't match the broadcast shape "
            f"[{', '.join(map(str, np.broadcast_shapes(t.shape, shape) if _bc(t.shape, shape) else shape))}]")


def _bc(a, b):
    try:
        np.broadcast_shapes(a, b)
        return True
    except ValueError:
        return False


def commit(t, result):
    """Make `result` the new value of `t` (same object, same storage), bumping its version."""
    if STATE.tracer is not None:
        check_inplace(t)
        STATE.tracer.assign(t, result)
        return t
    check_inplace(t)
    if tuple(result.shape) != tuple(t.shape) and not (
            _bc(t.shape, result.shape) and np.broadcast_shapes(t.shape, result.shape) == tuple(t.shape)):
        raise RuntimeError(_shape_error(t, result, None))
    if result.dtype != t.dtype and not np.can_cast(result._data.dtype, t._data.dtype, "same_kind"):
        raise RuntimeError(f"result type {dt.LEGACY[result.dtype]} can't be cast to the desired output "
                           f"type {dt.LEGACY[t.dtype]}")
    try:
        np.copyto(t._data, result._data, casting="unsafe")
    except ValueError as exc:
        raise RuntimeError(f"in-place update of a tensor whose memory cannot be written "
                           f"(an expanded tensor?): {exc}") from None
    t._vc[0] += 1
    if result._requires_grad and STATE.grad_enabled:
        node = result.grad_fn
        t.grad_fn, t._output_nr, t._requires_grad = node, result._output_nr, True
        if node is not None and not isinstance(node.out, type(None)) and node.opdef.saves_out:
            node.out = (t._data, t._vc, t._vc[0])
    elif t.grad_fn is not None and STATE.grad_enabled:
        # the new value does not depend on anything that requires grad (fill_, copy_ of a constant)
        t.grad_fn, t._requires_grad = None, False
    return t


def fill_(t, value):
    from .tensor import Tensor, _wrap
    check_inplace(t)
    if isinstance(value, Tensor):
        if value.ndim != 0:
            raise RuntimeError(f"fill_ only supports 0-dimension value tensor but got tensor with "
                               f"{value.ndim} dimensions.")
        return copy_(t, value)
    if STATE.tracer is None and not (STATE.grad_enabled and t._requires_grad):
        t._data[...] = value
        t._vc[0] += 1
        return t
    return commit(t, _wrap(np.full(t.shape, value, dtype=t._data.dtype)))


def copy_(t, src):
    from .tensor import Tensor, _wrap
    check_inplace(t)
    if not isinstance(src, Tensor):
        src = _wrap(np.asarray(src))
    if STATE.tracer is None and not (STATE.grad_enabled and (t._requires_grad or src._requires_grad)):
        try:
            np.copyto(t._data, src._data, casting="unsafe")
        except ValueError:
            raise RuntimeError(f"The size of tensor a ({t.shape[-1] if t.ndim else 1}) must match the size of "
                               f"tensor b ({src.shape[-1] if src.ndim else 1}) at non-singleton dimension "
                               f"{max(t.ndim - 1, 0)}") from None
        t._vc[0] += 1
        return t
    value = src.cast_to(t.dtype) if src.dtype != t.dtype else src
    if tuple(value.shape) != tuple(t.shape):
        value = value.expand_to(t.shape)
    if value is src:
        value = apply("Identity", (src,), {}, "CopyBackwards")
    return commit(t, value)

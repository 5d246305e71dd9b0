"""In-place ops with PyTorch's rules: leaf and view-of-leaf errors, version bumps, history
rewriting for tensors that require grad, and functionalization while a capture records."""
import numpy as np

from .grad_mode import STATE
from .node import apply
from . import dtype as dt

_UFUNCS = {"add": np.add, "sub": np.subtract, "mul": np.multiply, "div": np.true_divide, "pow": np.power}
_OPS = {"add": lambda a, b: a + b, "sub": lambda a, b: a - b, "mul": lambda a, b: a * b,
        "div": lambda a, b: a / b, "pow": lambda a, b: a ** b}


class _InferenceVersion(list):
    """Version counter of an inference tensor being updated in place outside inference_mode.
    PyTorch raises only when the update bumps the version, i.e. after the data was written (the
    tensor keeps the new values), so the error is raised by the bump, not before the write."""
    __slots__ = ()

    def __setitem__(self, i, value):
        if not STATE.inference:
            raise RuntimeError("Inplace update to inference tensor outside InferenceMode is not allowed."
                               "You can make a clone to get a normal tensor before doing inplace update."
                               "See https://github.com/pytorch/rfcs/pull/17 for more details.")
        list.__setitem__(self, i, value)


def check_inplace(t):
    if t._inference and not STATE.inference and type(t._vc) is not _InferenceVersion:
        t._vc = _InferenceVersion(t._vc)
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


# The float64 round trip that reproduces a fused multiply-add costs five passes over 8-byte copies:
# on a 784x512 weight it tripled the eager optimizer step. Above this size the update is computed
# in float32 (last-bit differences from PyTorch, in values no program prints in full: large models
# differ from PyTorch's MKL matrix products by more already).
FUSED_MAX_ELEMENTS = 65536


def fused_alpha(a, b, alpha, kind):
    """a + alpha * b (kind "add") or a - alpha * b for float32 arrays, rounded once as PyTorch's CPU
    kernels round it (they use a fused multiply-add, so an optimizer's p.add_(g, alpha=-lr) differs
    in the last bit from p - lr * g). In float64 alpha * b is exact, so one rounding back to float32
    gives the fused result. None where this does not apply (other dtypes, add/sub only)."""
    if kind not in ("add", "sub") or not isinstance(alpha, (int, float)) or isinstance(alpha, bool):
        return None
    if a.dtype != np.float32 or not isinstance(b, np.ndarray) or b.dtype != np.float32:
        return None
    if max(a.size, b.size) > FUSED_MAX_ELEMENTS:
        return None
    # the kernel holds alpha as a float32 scalar; sub(a, b, alpha) is add(a, b, -alpha)
    s = np.float64(np.float32(alpha if kind == "add" else -alpha))
    # np.asarray: 0-dim arithmetic gives numpy scalars, and a tensor's buffer must stay an array
    return np.asarray((a.astype(np.float64) + s * b.astype(np.float64)).astype(np.float32))


def fused_eager(kind, a, b, c, scalar):
    """addcmul / lerp of float32 tensors computed as PyTorch's CPU kernels compute them, with a
    fused multiply-add (one rounding), where nothing is recorded (eager, no gradient: optimizer
    updates); None elsewhere, and the caller composes the op from recorded ops.

        addcmul(a, b, c, value=v)  = fma(v * b, c, a)
        lerp(a, b, w), |w| < 0.5   = fma(w, b - a, a)
        lerp(a, b, w), otherwise   = fma(-(b - a), 1 - w, b)
    """
    from .tensor import Tensor, _wrap
    if STATE.tracer is not None or STATE.inference or isinstance(scalar, (Tensor, bool)):
        return None
    tensors = (a, b) if c is None else (a, b, c)
    if not all(isinstance(x, Tensor) and x._data.dtype == np.float32 for x in tensors):
        return None
    if STATE.grad_enabled and any(x._requires_grad for x in tensors):
        return None
    try:  # mismatched shapes: the composed op raises PyTorch's error
        shape = np.broadcast_shapes(*(x.shape for x in tensors))
    except ValueError:
        return None
    if int(np.prod(shape, dtype=np.int64)) > FUSED_MAX_ELEMENTS:
        return None
    f64 = np.float64
    if kind == "addcmul":
        prod = b._data * np.float32(scalar)
        out = prod.astype(f64) * c._data.astype(f64) + a._data.astype(f64)
    else:
        w = np.float32(scalar)
        diff = b._data - a._data
        if abs(w) < 0.5:
            out = f64(w) * diff.astype(f64) + a._data.astype(f64)
        else:
            out = (-diff).astype(f64) * f64(np.float32(1) - w) + b._data.astype(f64)
    return _wrap(np.asarray(out.astype(np.float32)))


def _check_no_overlap(t):
    """PyTorch's arithmetic in-place ops refuse a tensor whose elements share memory (an expand)."""
    strides = getattr(t._data, "strides", ())
    if any(s == 0 and n > 1 for s, n in zip(strides, t._data.shape)):
        raise RuntimeError("unsupported operation: more than one element of the written-to tensor refers "
                           "to a single memory location. Please clone() the tensor before performing the "
                           "operation.")


def inplace_binary(t, kind, other, alpha=1):
    from .tensor import Tensor
    check_inplace(t)
    if STATE.tracer is None:
        _check_no_overlap(t)
    other_req = isinstance(other, Tensor) and other._requires_grad
    if STATE.tracer is None and not (STATE.grad_enabled and (t._requires_grad or other_req)):
        # fast path: write straight into the buffer (views and `.data` aliases see it)
        b = other._data if isinstance(other, Tensor) else other
        fused = fused_alpha(t._data, b, alpha, kind) if alpha != 1 else None
        if alpha != 1:
            b = b * alpha
        try:
            if kind == "div" and t._data.dtype.kind != "f":
                raise TypeError("int")
            if fused is not None:
                np.copyto(t._data, fused, casting="unsafe")
            elif kind == "pow" and t._data.dtype.kind in "iu" and np.asarray(b).dtype.kind in "iu":
                # integers to integer powers: PyTorch's rules for negative exponents (Tensor.__pow__
                # refuses a negative number, the Pow kernel computes a tensor of them)
                if not isinstance(other, Tensor) and b < 0:
                    raise RuntimeError("Integers to negative integer powers are not allowed.")
                from ..ir.ops.elementwise import _pow
                np.copyto(t._data, _pow(t._data, np.asarray(b)), casting="same_kind")
            else:
                _UFUNCS[kind](t._data, b, out=t._data, casting="same_kind")
        except TypeError:  # numpy's casting error for e.g. an int tensor += 0.5
            raise _cast_error(t, other, kind) from None
        except ValueError as exc:
            raise RuntimeError(_shape_error(t, other, exc)) from None
        t._vc[0] += 1
        return t
    src = _history_alias(t) if (STATE.grad_enabled and t._requires_grad) else t
    b = other * alpha if alpha != 1 else other
    return commit(t, _OPS[kind](src, b))


def _cast_error(t, other, kind=None):
    from .tensor import Tensor
    from ..ir.dtypes import promote, scalar_dtype, is_floating, DEFAULT_FLOAT
    # the dtype the out-of-place op would give (PyTorch names it): promotion, and true division
    # of integers gives the default float
    theirs = (str.__str__(other.dtype), other.ndim) if isinstance(other, Tensor) else (scalar_dtype(other), -1)
    result = promote((str.__str__(t.dtype), max(t.ndim, 1)), theirs)
    if kind == "div" and not is_floating(result):
        result = DEFAULT_FLOAT
    return RuntimeError(f"result type {dt.LEGACY.get(result, result)} can't be cast to the desired "
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
    src = getattr(t, "_view_src", None)
    if src is not None and STATE.grad_enabled and (t._requires_grad or src[0]._requires_grad):
        # t is a view (held as a copy under autograd): the write reaches its base, as in PyTorch
        from .indexing import write_back
        write_back(t, *src)
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

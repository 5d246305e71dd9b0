"""ReduceLogSumExp: logsumexp as one op, so that its gradient is PyTorch's logsumexp_backward,
grad * exp(x - result), term for term. Through the composed formula log(sum(exp(x - m))) + m the
chain rule gives grad / sum * exp(x - m), which rounds differently in most elements: the gradients
of Categorical(logits=...) policies (logits - logits.logsumexp(-1)) then drift from PyTorch's.

Forward: PyTorch's CPU logsumexp: m = amax(x) over the axes with infinite maxima replaced by 0,
then log(sum(exp(x - m))) + m, with onnxgraft's Exp/Log kernels and PyTorch's summation order.
The name and attributes are ONNX's ReduceLogSumExp (axes, keepdims), which export emits directly.
"""
import numpy as np

from .registry import defop, get
from .reduce import _restore, _sum
from .shape_rules import reduced

F = "reduce"


def _logsumexp(x, axes=None, keepdims=1):
    axes_t = None if axes is None else tuple(axes)
    with np.errstate(invalid="ignore", over="ignore"):
        m = np.max(x, axis=axes_t, keepdims=True)
        m = np.where(np.isinf(m), x.dtype.type(0), m).astype(x.dtype)
        total = _sum(get("Exp").eager(np.subtract(x, m)), axes, 1)
        out = np.add(get("Log").eager(total), m)
    if not keepdims:
        out = np.squeeze(out, axis=axes_t) if axes_t is not None else out.reshape(())
    return np.asarray(out, dtype=x.dtype)


def _infer(x, axes=None, keepdims=1):
    if x[1] not in ("float16", "float32", "float64"):
        from .registry import ShapeError
        raise ShapeError(f"logsumexp(): expected a floating point input, got {x[1]}")
    return reduced("logsumexp")(x, axes, keepdims)


def _vjp(g, out, x, axes=None, keepdims=1):
    # PyTorch: grad * (self - result).exp(), with grad and result unsqueezed over the reduced axes
    return (_restore(g, x, axes, keepdims) * (x - _restore(out, x, axes, keepdims)).exp(),)


defop("ReduceLogSumExp", eager=_logsumexp, infer=_infer, vjp=_vjp, saves=(0, "out"), family=F,
      grad_name="LogsumexpBackward0")

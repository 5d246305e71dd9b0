"""Binary cross entropy on probabilities (BceLoss) and on logits (BceWithLogitsLoss) as single
ops, so that their gradients are PyTorch's kernels term for term rather than the chain rule
through a composed formula (which rounds differently in 40-60% of elements, and then every later
`loss.item()` of a logistic-regression loop differs in the last digits).

Forward (the values PyTorch prints, each elementwise step rounded once):
  BceLoss:           (t - 1) * max(log1p(-p), -100) - t * max(log(p), -100)
  BceWithLogitsLoss: (1 - t) * x - log_sigmoid(x), log_sigmoid(x) = min(x, 0) - log1p(exp(-|x|))
then mean (PyTorch's summation order, reduce.py) or sum or none.
Backward (PyTorch's binary_cross_entropy_backward / ..._with_logits_backward):
  BceLoss:           g * (p - t) / max((1 - p) * p, 1e-12), then / numel for a mean
  BceWithLogitsLoss: (sigmoid(x) - t) * g, then / numel for a mean
The target gets no gradient here; functional.py keeps the composed formulas for a target that
requires grad, for weights and for pos_weight.
"""
import numpy as np

from .registry import defop, ShapeError
from .shape_rules import broadcast_shapes

F = "nn"
_EPSILON = 1e-12


def _f64(fn, x):
    return fn(x.astype(np.float64)).astype(x.dtype) if x.dtype == np.float32 else fn(x)


def _reduced(loss, reduction):
    from .reduce import _mean, _sum
    if reduction == "none":
        return loss
    return _mean(loss, None, 0) if reduction == "mean" else _sum(loss, None, 0)


def _bce(p, t, reduction="mean"):
    with np.errstate(divide="ignore", invalid="ignore"):
        log_p = np.maximum(_f64(np.log, p), p.dtype.type(-100))
        log_q = np.maximum(_f64(np.log1p, np.negative(p)), p.dtype.type(-100))
    one = p.dtype.type(1)
    return _reduced((t - one) * log_q - t * log_p, reduction)


def _bce_with_logits(x, t, reduction="mean"):
    # PyTorch's formula: (1 - t) * x - log_sigmoid(x), with its log_sigmoid kernel (activations.py)
    from .activations import REGISTRY_LOGSIGMOID
    one = x.dtype.type(1)
    return _reduced((one - t) * x - REGISTRY_LOGSIGMOID(x), reduction)


def _infer(name):
    def rule(x, t, reduction="mean"):
        if reduction not in ("mean", "sum", "none"):
            raise ShapeError(f"{reduction} is not a valid value for reduction")
        if tuple(x[0]) != tuple(t[0]):
            raise ShapeError(f"{name}: target size {tuple(t[0])} differs from the input size {tuple(x[0])}")
        broadcast_shapes(name, x[0], t[0])
        return [(tuple(x[0]) if reduction == "none" else (), x[1])]
    return rule


def _eager(*values):
    from ...frontend.grad_mode import STATE
    return not STATE.grad_enabled and STATE.tracer is None and all(hasattr(v, "_data") for v in values)


def _bce_vjp(g, out, p, t, reduction="mean"):
    n = int(np.prod(tuple(p.shape), dtype=np.int64))
    if _eager(g, p, t):
        from ...frontend.tensor import _wrap
        pd, td = p._data, t._data
        one = pd.dtype.type(1)
        grad = g._data * (pd - td) / np.maximum((one - pd) * pd, pd.dtype.type(_EPSILON))
        if reduction == "mean":
            grad = grad / pd.dtype.type(n)
        return (_wrap(np.asarray(grad, dtype=pd.dtype)), None)
    prod = (1 - p) * p
    grad = g * (p - t) / (prod > _EPSILON).select(prod, _EPSILON)   # max(prod, eps) with OpMixin ops
    return ((grad / n if reduction == "mean" else grad), None)


def _bce_with_logits_vjp(g, out, x, t, reduction="mean"):
    n = int(np.prod(tuple(x.shape), dtype=np.int64))
    grad = (x.sigmoid() - t) * g
    return ((grad / n if reduction == "mean" else grad), None)


defop("BceLoss", eager=_bce, infer=_infer("binary_cross_entropy"), vjp=_bce_vjp, saves=(0, 1), family=F,
      grad_name="BinaryCrossEntropyBackward0")
defop("BceWithLogitsLoss", eager=_bce_with_logits, infer=_infer("binary_cross_entropy_with_logits"),
      vjp=_bce_with_logits_vjp, saves=(0, 1), family=F, grad_name="BinaryCrossEntropyWithLogitsBackward0")

"""ONNX lowerings of BceLoss and BceWithLogitsLoss (ir/ops/bce.py): ONNX has neither op, so each
is its elementwise formula in basic ops, then ReduceMean/ReduceSum over every axis (none: as it
is). log1p(-p) is written log(1 - p): a compiled step is compared with eager within 1e-5."""
from .lower_math import _Emit
from .onnx import lowering


def _reduce(e, loss, outs, reduction):
    if reduction == "none":
        e.op("Identity", loss, out=outs[0])
    else:
        e.op("ReduceMean" if reduction == "mean" else "ReduceSum", loss, out=outs[0], keepdims=0)


@lowering("BceLoss")
def _bce(w, d, ins, outs, metas):
    # (t - 1) * max(log(1 - p), -100) - t * max(log(p), -100)
    e = _Emit(w, d["name"], metas[0][1])
    p, t = ins
    floor = e.c(-100.0)
    log_p = e.op("Max", e.op("Log", p), floor)
    log_q = e.op("Max", e.op("Log", e.sub(e.c(1.0), p)), floor)
    loss = e.sub(e.mul(e.sub(t, e.c(1.0)), log_q), e.mul(t, log_p))
    _reduce(e, loss, outs, d["attrs"].get("reduction", "mean"))


@lowering("BceWithLogitsLoss")
def _bce_with_logits(w, d, ins, outs, metas):
    # (1 - t) * x + relu(-x) + log(1 + exp(-|x|))
    e = _Emit(w, d["name"], metas[0][1])
    x, t = ins
    ax = e.op("Abs", x)
    softplus_neg = e.add(e.op("Relu", e.op("Neg", x)), e.op("Log", e.add(e.c(1.0), e.op("Exp", e.op("Neg", ax)))))
    loss = e.add(e.mul(e.sub(e.c(1.0), t), x), softplus_neg)
    _reduce(e, loss, outs, d["attrs"].get("reduction", "mean"))

"""ONNX lowerings of the activation ops of ir/ops/activations.py, each its formula in standard
ops (no Gelu/Mish/Softplus-with-beta at the exported opset; onnxruntime's Erf has no float64
kernel, so float64 erf is lower_math's series). A compiled step matches eager within float
rounding, not bit for bit: onnxruntime has its own exp/log/tanh."""
import math

from .lower_math import _Emit, _erf64
from .onnx import lowering


def _softplus(e, x):
    """log(1 + exp(x)) = relu(x) + log(1 + exp(-|x|)), finite for every x."""
    tail = e.op("Log", e.add(e.c(1.0), e.op("Exp", e.op("Neg", e.op("Abs", x)))))
    return e.add(e.op("Relu", x), tail)


def _erf(e, x):
    """ONNX Erf where onnxruntime has a kernel (float32), else lower_math's float64 series."""
    if e.dtype != "float64":
        return e.op("Erf", x)
    out = e.w.tmp(f"{e.name}/erf")
    _erf64(e, x, out)
    return out


@lowering("Gelu")
def _gelu(w, d, ins, outs, metas):
    e = _Emit(w, d["name"], metas[0][1])
    (x,) = ins
    if d["attrs"].get("approximate", "none") == "tanh":
        cube = e.mul(e.mul(x, x), x)
        inner = e.mul(e.add(x, e.mul(cube, e.c(0.044715))), e.c(math.sqrt(2.0 / math.pi)))
        core = e.op("Tanh", inner)
    else:
        core = _erf(e, e.mul(x, e.c(math.sqrt(0.5))))
    e.mul(e.mul(x, e.c(0.5)), e.add(core, e.c(1.0)), out=outs[0])


@lowering("Silu")
def _silu(w, d, ins, outs, metas):
    e = _Emit(w, d["name"], metas[0][1])
    (x,) = ins
    e.mul(x, e.op("Sigmoid", x), out=outs[0])


@lowering("Softplus")
def _softplus_op(w, d, ins, outs, metas):
    # x where beta x > threshold, else softplus(beta x) / beta
    e = _Emit(w, d["name"], metas[0][1])
    (x,) = ins
    beta = float(d["attrs"].get("beta", 1.0))
    threshold = float(d["attrs"].get("threshold", 20.0))
    bx = e.mul(x, e.c(beta))
    soft = e.div(_softplus(e, bx), e.c(beta))
    e.where(e.op("Greater", bx, e.c(threshold)), x, soft, out=outs[0])


@lowering("LogSigmoid")
def _logsigmoid(w, d, ins, outs, metas):
    # min(x, 0) - log(1 + exp(-|x|))
    e = _Emit(w, d["name"], metas[0][1])
    (x,) = ins
    tail = e.op("Log", e.add(e.c(1.0), e.op("Exp", e.op("Neg", e.op("Abs", x)))))
    e.sub(e.op("Min", x, e.c(0.0)), tail, out=outs[0])


@lowering("EluKernel")
def _elu(w, d, ins, outs, metas):
    # scale x where x > 0, else alpha scale (exp(input_scale min(x, 0)) - 1)
    e = _Emit(w, d["name"], metas[0][1])
    (x,) = ins
    attrs = d["attrs"]
    alpha, scale = float(attrs.get("alpha", 1.0)), float(attrs.get("scale", 1.0))
    input_scale = float(attrs.get("input_scale", 1.0))
    neg = e.mul(e.sub(e.op("Exp", e.mul(e.op("Min", x, e.c(0.0)), e.c(input_scale))), e.c(1.0)),
                e.c(alpha * scale))
    e.where(e.op("Greater", x, e.c(0.0)), e.mul(x, e.c(scale)), neg, out=outs[0])


@lowering("Mish")
def _mish(w, d, ins, outs, metas):
    e = _Emit(w, d["name"], metas[0][1])
    (x,) = ins
    e.mul(x, e.op("Tanh", _softplus(e, x)), out=outs[0])


def _relu6_shifted(e, x):
    """min(max(x + 3, 0), 6)."""
    return e.op("Min", e.op("Max", e.add(x, e.c(3.0)), e.c(0.0)), e.c(6.0))


@lowering("HardSigmoidKernel")
def _hardsigmoid(w, d, ins, outs, metas):
    e = _Emit(w, d["name"], metas[0][1])
    e.div(_relu6_shifted(e, ins[0]), e.c(6.0), out=outs[0])


@lowering("HardSwishKernel")
def _hardswish(w, d, ins, outs, metas):
    e = _Emit(w, d["name"], metas[0][1])
    e.div(e.mul(ins[0], _relu6_shifted(e, ins[0])), e.c(6.0), out=outs[0])

"""ONNX lowerings of BatchNorm and BatchNormRunningStats (ir/ops/batchnorm.py), composed of standard
ops: ReduceMean over the batch and spatial axes for the batch statistics, then (x - mean) * invstd *
weight + bias with the per-channel terms unsqueezed to (1, C, 1, ...). A compiled step matches the
eager kernels (PyTorch's rounding orders) within 1e-5, not bit for bit."""
from .lower_math import _Emit
from .onnx import lowering


def _axes(metas):
    nd = len(metas[0][0])
    return [0] + list(range(2, nd))


def _per_channel(e, w, d, v, metas):
    nd = len(metas[0][0])
    return e.op("Unsqueeze", v, w.ints(f"{d['name']}/axes", [0] + list(range(2, nd))))


@lowering("BatchNorm")
def _batch_norm(w, d, ins, outs, metas):
    e = _Emit(w, d["name"], metas[0][1])
    attrs = d["attrs"]
    x, weight, bias = ins[:3]
    eps = e.c(float(attrs.get("eps", 1e-5)))
    red = w.ints(f"{d['name']}/red", _axes(metas))
    if attrs.get("training", True):
        mean = e.op("ReduceMean", x, red, keepdims=1)
        centered = e.sub(x, mean)
        var = e.op("ReduceMean", e.mul(centered, centered), red, keepdims=1)
    else:
        centered = e.sub(x, _per_channel(e, w, d, ins[3], metas))
        var = _per_channel(e, w, d, ins[4], metas)
    invstd = e.op("Reciprocal", e.op("Sqrt", e.add(var, eps)))
    scaled = e.mul(e.mul(centered, invstd), _per_channel(e, w, d, weight, metas))
    e.add(scaled, _per_channel(e, w, d, bias, metas), out=outs[0])


@lowering("BatchNormRunningStats")
def _running_stats(w, d, ins, outs, metas):
    # stacked (momentum * mean + (1 - m) * rm, m * unbiased var + (1 - m) * rv)
    e = _Emit(w, d["name"], metas[1][1])
    x, rm, rv, m = ins
    shape = metas[0][0]
    count = 1
    for i, s in enumerate(shape):
        if i != 1:
            count *= s
    red = w.ints(f"{d['name']}/red", _axes(metas))
    mean = e.op("ReduceMean", x, red, keepdims=1)
    centered = e.sub(x, mean)
    var_sum = e.op("ReduceSum", e.mul(centered, centered), red, keepdims=0)
    mean = e.op("ReduceMean", x, red, keepdims=0)
    m32 = e.op("Cast", m, to=_elem(metas[1][1]))
    rest = e.sub(e.c(1.0), m32)
    new_mean = e.add(e.mul(m32, mean), e.mul(rest, rm))
    unbiased = e.div(var_sum, e.c(float(max(count - 1, 1))))
    new_var = e.add(e.mul(m32, unbiased), e.mul(rest, rv))
    zero = w.ints(f"{d['name']}/zero", [0])
    e.op("Concat", e.op("Unsqueeze", new_mean, zero), e.op("Unsqueeze", new_var, zero), out=outs[0], axis=0)


def _elem(dtype):
    from onnx import helper
    import numpy as np
    return helper.np_dtype_to_tensor_dtype(np.dtype(str(dtype)))

"""ONNX lowerings of the ops in ir/ops/scatter.py (see export/onnx.py: LOWER, lowering).

GatherElements and ScatterElements are ONNX ops of the same name and semantics and are written as
they are. ScatterReduce is ONNX ScatterElements with reduction "mul", "max" or "min"; "max" and
"min" exist from opset 18 on."""
from .onnx import lowering, ExportError


@lowering("ScatterReduce")
def _scatter_reduce(w, d, ins, outs, metas):
    reduction = d["attrs"]["reduction"]
    if reduction in ("max", "min") and w.opset < 18:
        raise ExportError(f"to_model: node {d['name']!r} scatters with reduction {reduction!r} "
                          f"(scatter_reduce amax/amin), which ONNX ScatterElements has from opset 18 "
                          f"on; export with opset_version >= 18")
    w.add("ScatterElements", ins, outs, d["name"], axis=d["attrs"]["axis"], reduction=reduction)

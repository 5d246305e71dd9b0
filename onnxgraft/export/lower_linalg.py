"""ONNX lowerings of the ops in ir/ops/linalg.py."""
from .onnx import ExportError, lowering


@lowering("Inverse")
def _inverse(w, d, ins, outs, metas):
    # onnxruntime's Inverse is a com.microsoft contrib op, which this exporter never writes
    where = f" at {d['where']}" if d.get("where") else ""
    raise ExportError(f"to_model: linalg.inv (node {d['name']!r}{where}; also inside linalg.solve, and the "
                      f"gradient of det above 8x8) has no operator in standard ONNX; keep it outside the "
                      f"exported or compiled step")


@lowering("Det")
def _det(w, d, ins, outs, metas):
    if metas[0][1] != "float32":
        # onnxruntime implements Det for float32 only
        raise ExportError(f"to_model: det (node {d['name']!r}) of a {metas[0][1]} matrix: onnxruntime's "
                          f"Det runs on float32 only; convert the matrix with .float() first")
    w.add("Det", ins, outs, d["name"])

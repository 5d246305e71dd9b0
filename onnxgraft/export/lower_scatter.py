"""ONNX lowerings of the ops in ir/ops/scatter.py (see export/onnx.py: LOWER, lowering)."""

"""ONNX lowerings of the ops in ir/ops/math.py (see export/onnx.py: LOWER, lowering)."""

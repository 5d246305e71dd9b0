"""ONNX lowerings of the ops in ir/ops/combine.py (see export/onnx.py: LOWER, lowering)."""

"""ONNX lowerings of the ops in ir/ops/combine.py (see export/onnx.py: LOWER, lowering).

Empty while ir/ops/combine.py declares no ops: the combination ops of frontend/tensor_combine.py
are compositions of ops that export/onnx.py already lowers."""

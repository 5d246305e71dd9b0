"""Registry ops for frontend/tensor_combine.py (see registry.py for the contract).

None so far, on purpose: every shape and combination op there (einsum, tensordot, kron, cross,
tile, roll, rot90, unfold, diag_embed, block_diag, cdist, addmm...) is an exact composition of
existing ops (Reshape, Transpose, Expand, Slice, Pad, Concat, Gather, Where, Mul, MatMul, Gemm,
ReduceSum), whose kernels, VJPs and ONNX lowerings already exist and are tested once each.
"""

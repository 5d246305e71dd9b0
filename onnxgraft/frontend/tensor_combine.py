"""Tensor methods: Shape and combination ops: broadcast_to, movedim, tile, roll, stacking helpers, einsum, tensordot, kron, cross, addmm/baddbmm, and in-place shape changes (t_, transpose_, squeeze_, unsqueeze_).

Mixed into Tensor (frontend/tensor.py). `TORCH_METHODS` names the methods that are also torch.*
free functions (torch.name(input, ...) is input.name(...)); `TORCH_FUNCTIONS` maps other torch.*
names to functions."""


class CombineMethods:
    __slots__ = ()


TORCH_METHODS = ()
TORCH_FUNCTIONS = {}

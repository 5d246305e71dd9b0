"""Tensor methods: Indexed writes and order statistics: scatter/scatter_add, index_add_/index_copy_/index_fill_, take/take_along_dim, cumulative products and extrema, unique, bincount, kthvalue, mode, searchsorted.

Mixed into Tensor (frontend/tensor.py). `TORCH_METHODS` names the methods that are also torch.*
free functions (torch.name(input, ...) is input.name(...)); `TORCH_FUNCTIONS` maps other torch.*
names to functions."""


class ScatterMethods:
    __slots__ = ()


TORCH_METHODS = ()
TORCH_FUNCTIONS = {}

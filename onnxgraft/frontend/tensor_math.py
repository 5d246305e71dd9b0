"""Tensor methods: Unary and binary math beyond the basics: inverse trig and hyperbolic functions, erf, hypot, logaddexp, lerp, addcmul/addcdiv, nan_to_num, and the in-place forms PyTorch names with a trailing _.

Mixed into Tensor (frontend/tensor.py). `TORCH_METHODS` names the methods that are also torch.*
free functions (torch.name(input, ...) is input.name(...)); `TORCH_FUNCTIONS` maps other torch.*
names to functions."""


class MathMethods:
    __slots__ = ()


TORCH_METHODS = ()
TORCH_FUNCTIONS = {}

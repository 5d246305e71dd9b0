"""torch.* free functions, each a thin wrapper over a Tensor method or the registry."""
from .tensor import Tensor, _wrap, cat, where, maximum, _norm_dims  # noqa: F401  (where: re-exported as torch.where)
from .node import apply
import numpy as np


def _t(x):
    return x if isinstance(x, Tensor) else _wrap(np.asarray(x, dtype=np.float32 if isinstance(x, float) else None))


def add(input, other, *, alpha=1):
    return _t(input).add(other, alpha=alpha)


def sub(input, other, *, alpha=1):
    return _t(input).sub(other, alpha=alpha)


subtract = sub


def mul(input, other):
    return _t(input) * other


multiply = mul


def div(input, other, *, rounding_mode=None):
    return _t(input).div(other, rounding_mode=rounding_mode)


divide = true_divide = div


def pow(input, exponent):
    if not isinstance(input, Tensor):
        return exponent.__rpow__(input)
    return input ** exponent


def neg(input):
    return -input


negative = neg


def matmul(input, other):
    return input @ other


def mm(input, mat2):
    return input.mm(mat2)


def bmm(input, mat2):
    if input.ndim != 3 or mat2.ndim != 3:
        raise RuntimeError(f"batch1 must be a 3D tensor" if input.ndim != 3 else "batch2 must be a 3D tensor")
    b, _, k = input.shape
    if mat2.shape[0] != b or mat2.shape[1] != k:
        raise RuntimeError(f"Expected size for first two dimensions of batch2 tensor to be: [{b}, {k}] "
                           f"but got: [{mat2.shape[0]}, {mat2.shape[1]}].")
    return (input @ mat2)._renamed("BmmBackward0")


def stack(tensors, dim=0):
    from .tensor import _tensor_list
    tensors = _tensor_list("stack", tensors)
    if not tensors:
        raise RuntimeError("stack expects a non-empty TensorList")
    for i, t in enumerate(tensors[1:], 1):
        if t.shape != tensors[0].shape:
            raise RuntimeError(f"stack expects each tensor to be equal size, but got "
                               f"[{', '.join(map(str, tensors[0].shape))}] at entry 0 and "
                               f"[{', '.join(map(str, t.shape))}] at entry {i}")
    d = _norm_dims(dim, tensors[0].ndim + 1)[0]
    parts = [apply("Unsqueeze", (t,), {"axes": (d,)}, "UnsqueezeBackward0") for t in tensors]
    out = cat(parts, d)
    return out._renamed("StackBackward0")


concat = concatenate = cat


def _method(name):
    def fn(input, *args, **kwargs):
        return getattr(input, name)(*args, **kwargs)
    fn.__name__ = name
    fn.__doc__ = f"torch.{name}(input, ...) is input.{name}(...)."
    return fn


for _name in ("exp", "log", "sqrt", "rsqrt", "abs", "sin", "cos", "tanh", "sigmoid", "relu", "sign",
              "reciprocal", "square", "sum", "mean", "max", "min", "amax", "argmax", "argmin", "norm",
              "var", "std", "prod", "clamp", "clip", "softmax", "log_softmax", "t", "transpose", "permute",
              "reshape", "flatten", "squeeze", "unsqueeze", "numel", "clone", "detach", "floor", "round",
              "split", "chunk", "unbind", "select", "narrow", "masked_fill", "allclose", "equal", "all",
              "any", "dot", "eq", "ne", "gt", "lt", "ge", "le", "logical_not", "logical_and",
              "tan", "log1p", "expm1", "log2", "log10", "ceil", "trunc", "frac",
              "remainder", "fmod", "floor_divide", "logical_or", "logical_xor", "isnan", "isinf", "isfinite", "isclose",
              "outer", "ger", "mv", "gather", "index_select", "masked_select", "nonzero", "count_nonzero",
              "sort", "argsort", "topk", "median", "cumsum", "logsumexp", "diagonal", "diag", "triu",
              "tril", "flip", "amin", "clamp_min", "clamp_max", "unflatten", "det", "inverse"):
    globals()[_name] = _method(_name)

from . import tensor_math, tensor_combine, tensor_scatter, tensor_misc  # noqa: E402  (their torch.* names)

for _module in (tensor_math, tensor_combine, tensor_scatter):
    for _name in _module.TORCH_METHODS:
        globals()[_name] = _method(_name)
    globals().update(_module.TORCH_FUNCTIONS)
# in-place free functions only where the method exists (a family may not define every one)
globals().update({k: v for k, v in tensor_misc.TORCH_FUNCTIONS.items()
                  if not k.endswith("_") or hasattr(Tensor, k)})


def is_tensor(obj):
    return isinstance(obj, Tensor)


def is_floating_point(input):
    return input.is_floating_point()


def minimum(input, other):
    return input.minimum(other)  # tensor_math: ties split the gradient, as PyTorch's


def square_(input):
    return input.mul_(input)


def broadcast_shapes(*shapes):
    """The shape all `shapes` broadcast to, checked from the last dim as torch._refs does (so a
    mismatch names the argument's index and the shape common so far, in PyTorch's words)."""
    import builtins  # this module's max is torch.max
    from .tensor import Size
    shapes = [(s,) if isinstance(s, (int, np.integer)) else s for s in shapes if s is not None]
    for shape in shapes:
        if not isinstance(shape, (tuple, list)):
            raise RuntimeError(f"Input shapes should be of type ints, a tuple of ints, or a list of ints, "
                               f"got {shape}")
    common = [1] * builtins.max((len(s) for s in shapes), default=0)
    for arg, shape in enumerate(shapes):
        for i in range(-1, -1 - len(shape), -1):
            if shape[i] == common[i]:
                continue
            if common[i] == 1:
                if shape[i] < 0:
                    raise ValueError("Attempting to broadcast a dimension with negative length!")
                common[i] = shape[i]
            elif shape[i] != 1:
                raise RuntimeError(f"Attempting to broadcast a dimension of length {shape[i]} at {i}! "
                                   f"Mismatching argument at index {arg} had {shape}; but expected shape "
                                   f"should be broadcastable to {common}")
    return Size(common)


def promote_types(type1, type2):
    """The smallest dtype both can be cast to, by PyTorch's rules (a float wins over any integer)."""
    from ..ir.dtypes import _wider
    from . import dtype as dt
    return dt.BY_NAME[_wider(str.__str__(dt.to_dtype(type1)), str.__str__(dt.to_dtype(type2)))]


def result_type(tensor, other):
    """The dtype `tensor op other` computes in: dimensioned tensors win over 0-d ones, which win
    over Python numbers, within a category (bool < integer < floating)."""
    from ..ir.dtypes import promote, scalar_dtype
    from . import dtype as dt

    def operand(x):
        if isinstance(x, Tensor):
            return str.__str__(x.dtype), x.ndim
        return scalar_dtype(x), -1
    return dt.BY_NAME[promote(operand(tensor), operand(other))]


def can_cast(from_, to):
    """PyTorch's casting rule for in-place results: no floating -> integral and no non-bool -> bool."""
    from ..ir.dtypes import category
    from . import dtype as dt
    src, dst = category(str.__str__(dt.to_dtype(from_))), category(str.__str__(dt.to_dtype(to)))
    return not (src == 2 and dst < 2) and not (src > 0 and dst == 0)


def _write_out(name, result, out):
    """`torch.name(..., out=t)`: the result written into `t` (resized when its shape differs, as
    PyTorch does with a deprecation warning) and `t` returned; a tuple result into a tuple `out`."""
    import warnings
    from . import dtype as dt
    from .grad_mode import STATE
    if isinstance(result, tuple) and isinstance(out, (tuple, list)) and len(out) == len(result):
        for r, o in zip(result, out):
            _write_out(name, r, o)
        kind = getattr(result, "kind", None)
        if kind is not None:  # torch.return_types.max and kin: their `_out` variant
            from .tensor import _MinMax
            return _MinMax(out[0], out[1], kind + "_out")
        return type(result)(out)
    if not isinstance(result, Tensor):
        raise TypeError(f"{name}() got an unexpected keyword argument 'out'")
    if not isinstance(out, Tensor):
        raise TypeError(f"{name}(): argument 'out' must be Tensor, not {type(out).__name__}")
    if STATE.grad_enabled and (result.requires_grad or out.requires_grad):
        raise RuntimeError(f"{name}(): functions with out=... arguments don't support automatic "
                           f"differentiation, but one of the arguments requires grad.")
    if not can_cast(result.dtype, out.dtype):
        raise RuntimeError(f"result type {dt.LEGACY[result.dtype]} can't be cast to the desired output "
                           f"type {dt.LEGACY[out.dtype]}")
    if out.shape != result.shape:
        if out.numel():
            warnings.warn(f"An output with one or more elements was resized since it had shape "
                          f"{list(out.shape)}, which does not match the required output shape "
                          f"{list(result.shape)}. This behavior is deprecated, and in a future PyTorch "
                          f"release outputs will not be resized unless they have zero elements. You can "
                          f"explicitly reuse an out tensor t by resizing it, inplace, to zero elements "
                          f"with t.resize_(0).", UserWarning, stacklevel=3)
        out._data = np.empty(result._data.shape, out._data.dtype)  # new storage, as a resize gives
    out._data[...] = result._data
    out._vc[0] += 1
    return out


def _with_out(fn, name):
    """`fn` also taking PyTorch's `out=` keyword (the result written into a given tensor)."""
    import functools
    import inspect
    try:
        if "out" in inspect.signature(fn).parameters:
            return fn
    except (TypeError, ValueError):
        return fn

    @functools.wraps(fn)
    def wrapper(*args, out=None, **kwargs):
        if out is None:
            return fn(*args, **kwargs)
        return _write_out(name, fn(*args, **kwargs), out)
    return wrapper


# numpy's `axis=` / `keepdims=` on every torch.* function with a dim, as PyTorch takes them, and
# PyTorch's `out=` on the out-of-place ones
from .tensor import _numpy_arg_names  # noqa: E402
for _name, _fn in list(globals().items()):
    if not _name.startswith("_") and callable(_fn) and getattr(_fn, "__module__", None) != "builtins" \
            and not isinstance(_fn, type):
        _fn = _numpy_arg_names(_fn, _name)
        globals()[_name] = _fn if _name.endswith("_") else _with_out(_fn, _name)

__all__ = [n for n in dir() if not n.startswith("_")]

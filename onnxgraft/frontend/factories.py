"""Tensor factories: tensor, as_tensor, from_numpy, ones, zeros, full, arange, linspace, eye,
randn, rand, randint, and their _like forms."""
import builtins

import numpy as np

from . import dtype as dt
from . import random as rnd
from .tensor import Tensor, _wrap, _dims, _init_tensor, _DTYPE_OF_NP


# the numpy dtype object of each onnxgraft dtype (for np.array, which parses a dtype string)
_NP_DTYPE = {d: np.dtype(name) for name, d in dt.BY_NAME.items()}


def _infer_dtype(data):
    """PyTorch's dtype for Python data: bool, int64, or the default float32."""
    if isinstance(data, Tensor):
        return data.dtype
    if isinstance(data, np.ndarray) or isinstance(data, np.generic):
        return dt.to_dtype(data.dtype)
    if isinstance(data, (list, tuple)):
        return _dtype_of_kinds(_scan(data, set()))
    if isinstance(data, builtins.bool):
        return dt.bool
    if isinstance(data, builtins.int):
        return dt.int64
    return dt.float32


def _dtype_of_kinds(kinds):
    if "f" in kinds:
        return dt.float32
    if "i" in kinds:
        return dt.int64
    if "b" in kinds:
        return dt.bool
    return dt.float32


def _scan(data, kinds):
    """Add to `kinds` the kind of every scalar in nested lists: "f", "i" or "b", and also "t" when
    an element is a Tensor. Returns `kinds`."""
    for x in data:
        tx = type(x)
        # exact Python scalars first: tensor([1.0]) is the common call, and each isinstance
        # below costs as much as this whole test
        if tx is builtins.float:
            kinds.add("f")
        elif tx is builtins.int:
            kinds.add("i")
        elif isinstance(x, (list, tuple)):
            _scan(x, kinds)
        elif isinstance(x, Tensor):
            kinds.add("f" if x.is_floating_point() else ("b" if x.dtype == "bool" else "i"))
            kinds.add("t")
        elif isinstance(x, (builtins.bool, np.bool_)):
            kinds.add("b")
        elif isinstance(x, (builtins.int, np.integer)):
            kinds.add("i")
        else:
            kinds.add("f")
    return kinds


def _make(arr, dtype, requires_grad):
    t = object.__new__(Tensor)  # Tensor.__new__ would add a Python frame; the same object results
    _init_tensor(t, arr, requires_grad)
    return t


def _unwrap(data):
    if isinstance(data, (list, tuple)):
        return [_unwrap(x) for x in data]
    if isinstance(data, Tensor):
        return data._data
    return data


def tensor(data, dtype=None, device=None, requires_grad=False, pin_memory=False):
    """A new tensor holding a copy of `data` (PyTorch's dtype inference: float32 for Python floats)."""
    if device is not None:
        from .tensor import _check_device
        _check_device(device)
    if dtype is None and isinstance(data, (list, tuple)):
        # one scan gives the dtype and whether Tensor elements need unwrapping
        kinds = _scan(data, set())
        dtype = _dtype_of_kinds(kinds)
        src = _unwrap(data) if "t" in kinds else data
    else:
        dtype = dt.to_dtype(dtype) or _infer_dtype(data)
        src = data._data if isinstance(data, Tensor) else _unwrap(data)
    try:
        # numpy parses a dtype given as a string on every call; a numpy dtype object it does not
        arr = np.array(src, dtype=_NP_DTYPE.get(dtype, dtype))
    except (ValueError, TypeError) as exc:
        if isinstance(data, Tensor):
            raise
        raise TypeError(f"tensor(): could not make a tensor from {type(data).__name__}: {exc}") from None
    # a dict keyed by the numpy dtype object: numpy 2 computes `dtype.name` in Python (1.5 us)
    if arr.dtype not in _DTYPE_OF_NP and arr.dtype.name not in dt.BY_NAME:
        raise TypeError(f"tensor(): unsupported dtype {arr.dtype} (supported: "
                        f"{', '.join(dt.BY_NAME)})")
    t = object.__new__(Tensor)  # _make, inlined: the commonest factory call
    _init_tensor(t, arr, requires_grad)
    return t


def as_tensor(data, dtype=None, device=None):
    """Like tensor(), sharing memory with a numpy array or Tensor of the same dtype."""
    dtype = dt.to_dtype(dtype)
    if isinstance(data, Tensor):
        return data if dtype is None or dtype == data.dtype else data.to(dtype)
    if isinstance(data, np.ndarray) and (dtype is None or dtype == data.dtype.name):
        return from_numpy(data)
    return tensor(data, dtype=dtype)


def from_numpy(array):
    """A tensor sharing memory with a numpy array."""
    if not isinstance(array, np.ndarray):
        raise TypeError(f"expected np.ndarray (got {type(array).__name__})")
    dt.to_dtype(array.dtype)
    return _make(array, None, False)


def _factory(fill):
    def factory(*size, dtype=None, device=None, requires_grad=False, out=None, layout=None, pin_memory=False):
        dtype = dt.to_dtype(dtype) or dt.float32
        return _make(fill(_dims(size), dtype), dtype, requires_grad)
    return factory


zeros = _factory(lambda shape, d: np.zeros(shape, dtype=d))
ones = _factory(lambda shape, d: np.ones(shape, dtype=d))
empty = _factory(lambda shape, d: np.zeros(shape, dtype=d))
zeros.__doc__ = "A tensor of zeros: zeros(2, 3) or zeros((2, 3))."
ones.__doc__ = "A tensor of ones: ones(2, 3) or ones((2, 3))."


def full(size, fill_value, dtype=None, device=None, requires_grad=False):
    dtype = dt.to_dtype(dtype) or _infer_dtype(fill_value)
    return _make(np.full(_dims((size,)), fill_value, dtype=dtype), dtype, requires_grad)


def _like(fill):
    def factory(input, dtype=None, device=None, requires_grad=False, memory_format=None):
        dtype = dt.to_dtype(dtype) or input.dtype
        return _make(fill(tuple(input.shape), dtype), dtype, requires_grad)
    return factory


zeros_like = _like(lambda shape, d: np.zeros(shape, dtype=d))
ones_like = _like(lambda shape, d: np.ones(shape, dtype=d))
empty_like = zeros_like


def full_like(input, fill_value, dtype=None, requires_grad=False):
    dtype = dt.to_dtype(dtype) or input.dtype
    return _make(np.full(tuple(input.shape), fill_value, dtype=dtype), dtype, requires_grad)


def rand_like(input, dtype=None):
    return rand(*input.shape, dtype=dtype or input.dtype)


def randn_like(input, dtype=None):
    return randn(*input.shape, dtype=dtype or input.dtype)


def arange(start, end=None, step=1, dtype=None, device=None, requires_grad=False):
    if end is None:
        start, end = 0, start
    if dtype is None:
        is_float = any(isinstance(v, builtins.float) or (isinstance(v, Tensor) and v.is_floating_point())
                       for v in (start, end, step))
        dtype = dt.float32 if is_float else dt.int64
    dtype = dt.to_dtype(dtype)
    start, end, step = (float(v) if isinstance(v, Tensor) else v for v in (start, end, step))
    n = max(0, int(np.ceil((end - start) / step)))
    arr = (start + np.arange(n, dtype=np.float64) * step).astype(dtype)
    return _make(arr, dtype, requires_grad)


def linspace(start, end, steps, dtype=None, device=None, requires_grad=False):
    dtype = dt.to_dtype(dtype) or dt.float32
    return _make(np.linspace(start, end, int(steps), dtype=np.float64).astype(dtype), dtype, requires_grad)


def logspace(start, end, steps, base=10.0, dtype=None, device=None, requires_grad=False):
    """`steps` values from base**start to base**end, evenly spaced in the exponent."""
    dtype = dt.to_dtype(dtype) or dt.float32
    exps = np.linspace(start, end, int(steps), dtype=np.float64)
    return _make(np.power(float(base), exps).astype(dtype), dtype, requires_grad)


def eye(n, m=None, dtype=None, device=None, requires_grad=False):
    dtype = dt.to_dtype(dtype) or dt.float32
    return _make(np.eye(n, m, dtype=dtype), dtype, requires_grad)


def randn(*size, dtype=None, generator=None, device=None, requires_grad=False):
    """Standard normal samples from onnxgraft's generator (seeded by manual_seed)."""
    dtype = dt.to_dtype(dtype) or dt.float32
    return _make(rnd.normal(_dims(size), dtype, generator=generator), dtype, requires_grad)


def rand(*size, dtype=None, generator=None, device=None, requires_grad=False):
    """Uniform samples in [0, 1) from onnxgraft's generator."""
    dtype = dt.to_dtype(dtype) or dt.float32
    return _make(rnd.uniform(_dims(size), dtype, generator=generator), dtype, requires_grad)


def randint(low, high=None, size=None, *, dtype=None, generator=None, device=None):
    if size is None:
        low, high, size = 0, low, high
    dtype = dt.to_dtype(dtype) or dt.int64
    return _make(rnd.integers(low, high, _dims((size,)), dtype, generator=generator), dtype, False)


def randperm(n, dtype=None, generator=None, device=None):
    dtype = dt.to_dtype(dtype) or dt.int64
    return _make(rnd._gen(generator).permutation(n).astype(dtype), dtype, False)


def normal(mean, std, size=None, generator=None):
    return _wrap(rnd.normal(_dims((size,)), "float32", mean, std, generator=generator))


def stack_rows(tensors):
    from .functions import stack
    return stack(tensors, 0)

"""Tensor factories: tensor, as_tensor, from_numpy, ones, zeros, full, arange, linspace, eye,
randn, rand, randint, and their _like forms."""
import builtins

import numpy as np

from . import dtype as dt
from . import random as rnd
from .tensor import Tensor, _wrap, _dims, _init_tensor, _DTYPE_OF_NP
from ..ir.dtypes import _wider


# the numpy dtype object of each onnxgraft dtype (for np.array, which parses a dtype string)
_NP_DTYPE = {d: np.dtype(name) for name, d in dt.BY_NAME.items()}


def _infer_dtype(data):
    """PyTorch's dtype for Python data: bool, int64, or the default float32."""
    if isinstance(data, Tensor):
        return data.dtype
    if isinstance(data, np.ndarray) or isinstance(data, np.generic):
        return _numpy_dtype(data)
    if isinstance(data, (list, tuple)):
        return _dtype_of_kinds(_scan(data, set()))
    if isinstance(data, builtins.bool):
        return dt.bool
    if isinstance(data, builtins.int):
        return dt.int64
    return dt.float32


def _numpy_dtype(array):
    """The dtype of a numpy array or scalar, refused in PyTorch's words when onnxgraft has none
    for it (object and string arrays are the usual mistake: ragged data, mixed columns)."""
    try:
        return dt.to_dtype(array.dtype)
    except TypeError:
        supported = [name for name in ("float64", "float32", "float16", "int64", "int32", "int16",
                                       "int8", "uint8") if name in dt.BY_NAME]
        raise TypeError(f"can't convert np.ndarray of type numpy.{array.dtype.type.__name__}. The only "
                        f"supported types are: {', '.join(supported)}, and bool.") from None


# the dtype each Python scalar kind stands for inside a list (PyTorch: floats take the default dtype)
_KIND_DTYPE = {"f": "float32", "i": "int64", "b": "bool"}


def _dtype_of_kinds(kinds):
    """PyTorch's dtype for a list whose scalars are of `kinds`: Python scalar kinds ("f", "i",
    "b") and the dtype names of numpy scalars, arrays and tensors, combined by promote_types."""
    if len(kinds) == 1:  # the common lists: all Python floats, or all ints, or all bools
        kind, = kinds
        if kind in _KIND_DTYPE:
            return dt.BY_NAME[_KIND_DTYPE[kind]]
    result = None
    for kind in kinds:
        name = _KIND_DTYPE.get(kind, kind)
        if name == "t":
            continue
        result = name if result is None else _wider(result, name)
    return dt.BY_NAME[result] if result is not None else dt.float32


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
            kinds.add(x._data.dtype.name)  # its own dtype, promoted with the rest (as in PyTorch)
            kinds.add("t")
        elif isinstance(x, (np.ndarray, np.generic)):
            kinds.add(_numpy_dtype(x))  # np.float64(1.0) in a list makes a float64 tensor
        elif isinstance(x, builtins.bool):
            kinds.add("b")
        elif isinstance(x, builtins.int):
            kinds.add("i")
        elif x is None:
            raise RuntimeError("Could not infer dtype of NoneType")  # numpy would make it a NaN
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
        # a tensor inside a list stands for a Python scalar, as in PyTorch
        if data._data.size != 1:
            raise ValueError("only one element tensors can be converted to Python scalars")
        return data._data.reshape(())
    return data


def _bad_element_message(data):
    """PyTorch's text for a list holding something that is not a number: a string where the first
    elements are read for the shape counts as one more dimension; elsewhere it is a bad type."""
    x = data
    while isinstance(x, (list, tuple)) and x:
        x = x[0]
    if isinstance(x, str):
        return ValueError(f"too many dimensions '{type(x).__name__}'")

    def find(x):
        if isinstance(x, (list, tuple)):
            for item in x:
                found = find(item)
                if found is not None:
                    return found
            return None
        if isinstance(x, str):
            return TypeError(f"new(): invalid data type '{type(x).__name__}'")
        if not isinstance(x, (builtins.bool, builtins.int, builtins.float, np.ndarray, np.generic, Tensor)):
            return RuntimeError(f"Could not infer dtype of {type(x).__name__}")
        return None
    return find(data)


def _ragged_message(data):
    """PyTorch's text for nested lists of uneven lengths: the shape is read along the first
    elements, and the first sequence (depth first) of another length is named."""
    shape, x = [], data
    while isinstance(x, (list, tuple)):
        shape.append(len(x))
        if not x:
            break
        x = x[0]

    def check(x, d):
        if d >= len(shape) or not isinstance(x, (list, tuple)):
            return None
        if len(x) != shape[d]:
            return f"expected sequence of length {shape[d]} at dim {d} (got {len(x)})"
        for item in x:
            found = check(item, d + 1)
            if found:
                return found
        return None
    return check(data, 0)


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
        if data is None:
            raise RuntimeError("Could not infer dtype of NoneType")  # numpy would make it a NaN
        dtype = dt.to_dtype(dtype) or _infer_dtype(data)
        src = data._data if isinstance(data, Tensor) else _unwrap(data)
    try:
        # numpy parses a dtype given as a string on every call; a numpy dtype object it does not
        arr = np.array(src, dtype=_NP_DTYPE.get(dtype, dtype))
    except (ValueError, TypeError) as exc:
        if isinstance(data, Tensor):
            raise
        if isinstance(data, str):
            raise TypeError("new(): invalid data type 'str'") from None
        ragged = _ragged_message(data)
        if ragged:
            raise ValueError(ragged) from None
        bad = _bad_element_message(data)
        if bad is not None:
            raise bad from None
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
    _numpy_dtype(array)
    return _make(array, None, False)


def _check_size(shape, op=None):
    """PyTorch's refusal of a negative size (zeros words it its own way)."""
    for n in shape:
        if n < 0:
            if op == "zeros":
                raise RuntimeError("zeros: Dimension size must be non-negative.")
            raise RuntimeError(f"Trying to create tensor with negative dimension {n}: {list(shape)}")
    return shape


def _factory(fill, op):
    def factory(*size, dtype=None, device=None, requires_grad=False, out=None, layout=None, pin_memory=False):
        dtype = dt.to_dtype(dtype) or dt.float32
        return _make(fill(_check_size(_dims(size), op), dtype), dtype, requires_grad)
    return factory


zeros = _factory(lambda shape, d: np.zeros(shape, dtype=d), "zeros")
ones = _factory(lambda shape, d: np.ones(shape, dtype=d), "ones")
empty = _factory(lambda shape, d: np.zeros(shape, dtype=d), "empty")
zeros.__doc__ = "A tensor of zeros: zeros(2, 3) or zeros((2, 3))."
ones.__doc__ = "A tensor of ones: ones(2, 3) or ones((2, 3))."


def full(size, fill_value, dtype=None, device=None, requires_grad=False):
    if not isinstance(fill_value, (builtins.int, builtins.float, builtins.bool, np.number, np.bool_, Tensor)):
        raise TypeError(f"full(): argument 'fill_value' (position 2) must be Number, not "
                        f"{type(fill_value).__name__}")
    dtype = dt.to_dtype(dtype) or _infer_dtype(fill_value)
    return _make(np.full(_check_size(_dims((size,))), fill_value, dtype=dtype), dtype, requires_grad)


def _keep_layout(arr, like):
    """`arr` laid out in memory as `like` is (PyTorch's *_like keep a permuted tensor's strides),
    unless `like` is C-ordered already or expanded (0 strides: the result is contiguous)."""
    src = like._data
    if src.flags.c_contiguous or 0 in src.strides:
        return arr
    out = np.empty_like(src, dtype=arr.dtype, order="K")
    out[...] = arr
    return out


def _like(fill):
    def factory(input, dtype=None, device=None, requires_grad=False, memory_format=None):
        dtype = dt.to_dtype(dtype) or input.dtype
        return _make(_keep_layout(fill(tuple(input.shape), dtype), input), dtype, requires_grad)
    return factory


zeros_like = _like(lambda shape, d: np.zeros(shape, dtype=d))
ones_like = _like(lambda shape, d: np.ones(shape, dtype=d))
empty_like = zeros_like


def full_like(input, fill_value, dtype=None, requires_grad=False):
    dtype = dt.to_dtype(dtype) or input.dtype
    return _make(np.full(tuple(input.shape), fill_value, dtype=dtype), dtype, requires_grad)


def rand_like(input, dtype=None, *, generator=None, device=None, requires_grad=False, layout=None,
              memory_format=None):
    return rand(*input.shape, dtype=dtype or input.dtype, generator=generator, requires_grad=requires_grad)


def randn_like(input, dtype=None, *, generator=None, device=None, requires_grad=False, layout=None,
               memory_format=None):
    return randn(*input.shape, dtype=dtype or input.dtype, generator=generator, requires_grad=requires_grad)


def arange(start, end=None, step=1, dtype=None, device=None, requires_grad=False):
    if end is None:
        start, end = 0, start
    if dtype is None:
        is_float = any(isinstance(v, builtins.float) or (isinstance(v, Tensor) and v.is_floating_point())
                       for v in (start, end, step))
        dtype = dt.float32 if is_float else dt.int64
    dtype = dt.to_dtype(dtype)
    start, end, step = (float(v) if isinstance(v, Tensor) else v for v in (start, end, step))
    if step == 0:
        raise RuntimeError("step must be nonzero")
    if (end - start) * step < 0:
        raise RuntimeError("upper bound and lower bound inconsistent with step sign")
    n = max(0, int(np.ceil((end - start) / step)))
    if str.__str__(dtype) in ("float32", "float64"):
        return _make(_float_arange(float(start), float(step), n, np.dtype(str.__str__(dtype))), dtype, requires_grad)
    arr = (start + np.arange(n, dtype=np.float64) * step).astype(dtype)
    return _make(arr, dtype, requires_grad)


def _float_arange(start, step, n, dtype):
    """PyTorch's CPU arange for float dtypes, bit for bit: start + step * i in float64 (its
    accumulate type) as a fused multiply-add; its vectorized loop (two 32-byte vectors at a time)
    computes each vector's first value, rounds it to the dtype, and adds step * lane to that."""
    width = 32 // dtype.itemsize
    i = np.arange(n, dtype=np.float64)
    out = _fma(np.full(n, step), i, np.full(n, start)).astype(dtype)
    nvec = (n // (2 * width)) * (2 * width)
    if nvec:
        base = out[:nvec:width].astype(np.float64)  # each vector's first value, already rounded
        lanes = np.arange(width, dtype=np.float64)
        shape = (nvec // width, width)
        out[:nvec] = _fma(np.full(shape, step), np.broadcast_to(lanes, shape),
                          np.broadcast_to(base[:, None], shape)).astype(dtype).reshape(-1)
    return out


def linspace(start, end, steps, dtype=None, device=None, requires_grad=False):
    """`steps` evenly spaced values from start to end, bit for bit as PyTorch's CPU kernel computes
    them for float32/float64: the first half as start + step * i, the second half as
    end - step * (steps - 1 - i), each a fused multiply-add in the tensor's dtype."""
    dtype = dt.to_dtype(dtype) or dt.float32
    steps = int(steps)
    if steps < 0:
        raise RuntimeError("number of steps must be non-negative")
    if str.__str__(dtype) in ("float32", "float64") and steps > 1:
        T = np.dtype(str.__str__(dtype)).type
        first, last = T(start), T(end)
        step = T((last - first) / T(steps - 1))
        i = np.arange(steps)
        low = _fma(step, i.astype(T), first)
        high = _fma(-step, (steps - 1 - i).astype(T), last)
        return _make(np.where(i < steps // 2, low, high).astype(T), dtype, requires_grad)
    return _make(np.linspace(start, end, steps, dtype=np.float64).astype(dtype), dtype, requires_grad)


def _fma(a, b, c):
    """a * b + c rounded once (a fused multiply-add), elementwise, in the dtype of b. float32 goes
    through float64, where the product is exact; float64 uses the error-free transformations
    (Dekker's product, Knuth's sum), exact but for double-rounding ties."""
    if b.dtype == np.float32:
        return (np.float64(a) * b.astype(np.float64) + np.float64(c)).astype(np.float32)
    split = 134217729.0  # 2**27 + 1: Veltkamp's splitter for 53-bit mantissas
    p = a * b
    ta, tb = split * a, split * b
    ah, bh = ta - (ta - a), tb - (tb - b)
    al, bl = a - ah, b - bh
    ep = ((ah * bh - p) + ah * bl + al * bh) + al * bl
    s = p + c
    bb = s - p
    es = (p - (s - bb)) + (c - bb)
    return s + (ep + es)


def logspace(start, end, steps, base=10.0, dtype=None, device=None, requires_grad=False):
    """`steps` values from base**start to base**end, evenly spaced in the exponent."""
    dtype = dt.to_dtype(dtype) or dt.float32
    if int(steps) < 0:
        raise RuntimeError("number of steps must be non-negative")
    exps = np.linspace(start, end, int(steps), dtype=np.float64)
    return _make(np.power(float(base), exps).astype(dtype), dtype, requires_grad)


def eye(n, m=None, dtype=None, device=None, requires_grad=False):
    dtype = dt.to_dtype(dtype) or dt.float32
    for name, k in (("n", n), ("m", m)):
        if k is not None and k < 0:
            raise RuntimeError(f"{name} must be greater or equal to 0, got {k}")
    return _make(np.eye(n, m, dtype=dtype), dtype, requires_grad)


def _float_only(dtype, kernel):
    """PyTorch's refusal of a floating-point sampler for an integer dtype."""
    if not str.__str__(dtype).startswith("float"):
        legacy = dt.LEGACY.get(str.__str__(dtype), str.__str__(dtype))
        raise NotImplementedError(f"\"{kernel}\" not implemented for '{legacy}'")


def randn(*size, dtype=None, generator=None, device=None, requires_grad=False, out=None, layout=None,
          pin_memory=False):
    """Standard normal samples: PyTorch's numbers for the same seed (see frontend/random.py)."""
    dtype = dt.to_dtype(dtype) or dt.float32
    _float_only(dtype, "normal_kernel_cpu")
    shape = _check_size(_dims(size))
    return _make(rnd.normal(shape, dtype, generator=generator), dtype, requires_grad)


def rand(*size, dtype=None, generator=None, device=None, requires_grad=False, out=None, layout=None,
         pin_memory=False):
    """Uniform samples in [0, 1): PyTorch's numbers for the same seed."""
    dtype = dt.to_dtype(dtype) or dt.float32
    _float_only(dtype, "check_uniform_bounds")
    shape = _check_size(_dims(size))
    return _make(rnd.uniform(shape, dtype, generator=generator), dtype, requires_grad)


def _int_bound(value):
    return int(value.item()) if isinstance(value, Tensor) else int(value)


def randint(low=None, high=None, size=None, *, dtype=None, generator=None, device=None, requires_grad=False,
            out=None, layout=None, pin_memory=False):
    """Uniform integers in [low, high) (low defaults to 0): PyTorch's numbers for the same seed."""
    if size is None and high is not None and not isinstance(high, (int, float, Tensor)):
        low, high, size = 0, low, high          # randint(high, size)
    if size is not None and not isinstance(size, (tuple, list)) and not hasattr(size, "__len__"):
        raise TypeError(f"randint() received an invalid combination of arguments - got (int, int, "
                        f"{type(size).__name__}), but expected one of:\n * (int high, tuple of ints size, ...)\n"
                        f" * (int low, int high, tuple of ints size, ...)")
    if size is None and isinstance(high, int) and not isinstance(high, bool):
        raise TypeError("randint(): argument 'size' (position 2) must be tuple of ints, not int")
    if high is None or size is None:
        raise TypeError("randint() missing required arguments: expected randint(high, size) or "
                        "randint(low, high, size), where size is a tuple of ints")
    low = 0 if low is None else _int_bound(low)
    high = _int_bound(high)
    if low >= high:
        raise RuntimeError(f"random_ expects 'from' to be less than 'to', but got from={low} >= to={high}")
    dtype = dt.to_dtype(dtype) or dt.int64
    shape = _check_size(_dims((size,)))
    values = _make(rnd.integers(low, high, shape, dtype, generator=generator), dtype, False)
    return values.requires_grad_() if requires_grad else values


def randint_like(input, low=0, high=None, *, dtype=None, generator=None, device=None, requires_grad=False):
    if high is None:
        low, high = 0, low
    return randint(low, high, tuple(input.shape), dtype=dtype or input.dtype, generator=generator,
                   requires_grad=requires_grad)


def randperm(n, *, dtype=None, generator=None, device=None, requires_grad=False, out=None, layout=None,
             pin_memory=False):
    """A random permutation of 0..n-1: PyTorch's for the same seed."""
    dtype = dt.to_dtype(dtype) or dt.int64
    _check_size((n,))
    return _make(rnd.permutation(int(n), generator=generator).astype(dtype), dtype, requires_grad)


def normal(mean, std=1.0, size=None, *, generator=None, dtype=None, out=None, device=None, requires_grad=False,
           layout=None, pin_memory=False):
    """Normal samples: torch.normal(mean, std, size) with numbers, or elementwise means/stds given
    as tensors (samples drawn as standard normals, then scaled by std and shifted by mean)."""
    mean_t, std_t = isinstance(mean, Tensor), isinstance(std, Tensor)
    if not mean_t and not std_t:
        if size is None:
            raise TypeError("normal() received an invalid combination of arguments: with a number mean and std, "
                            "pass size=(...) as well")
        dtype = dt.to_dtype(dtype) or dt.float32
        _float_only(dtype, "normal_kernel_cpu")
        if std < 0.0:
            raise RuntimeError(f"normal expects std >= 0.0, but found std {std:g}")
        return _make(rnd.normal(_check_size(_dims((size,))), dtype, mean, std, generator=generator),
                     dtype, requires_grad)
    if std_t and np.any(std._data < 0):
        raise RuntimeError("normal expects all elements of std >= 0.0")
    if not std_t and std < 0.0:
        raise RuntimeError(f"normal expects std >= 0.0, but found std {std:g}")
    like = mean if mean_t else std
    shape = np.broadcast_shapes(tuple(mean.shape) if mean_t else (), tuple(std.shape) if std_t else ())
    from .grad_mode import no_grad
    with no_grad():   # torch.normal's output is not differentiable with respect to mean or std
        if not std_t:   # PyTorch draws N(0, std) directly, then adds the means
            return _make(rnd.normal(shape, like._data.dtype, 0.0, std, generator=generator), like.dtype,
                         False).add_(mean)
        samples = _make(rnd.normal(shape, like._data.dtype, generator=generator), like.dtype, False)
        return samples.mul_(std).add_(mean)


def stack_rows(tensors):
    from .functions import stack
    return stack(tensors, 0)

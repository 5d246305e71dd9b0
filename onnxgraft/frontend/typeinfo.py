"""torch.finfo / torch.iinfo, and the legacy tensor types (torch.FloatTensor, torch.LongTensor, ...).

The legacy types are constructors and isinstance targets only, as in PyTorch: `FloatTensor([1, 2])`
makes a float32 tensor, `FloatTensor(2, 3)` one of that shape, and `isinstance(x, FloatTensor)`
asks whether x is a float32 tensor; they are not subclasses of Tensor.
"""
import math

import numpy as np

from . import dtype as dt


def _g(value):
    return format(value, "g")


class finfo:
    """Machine limits of a floating dtype: bits, eps, max, min, tiny (= smallest_normal), resolution."""

    def __init__(self, type=None):
        d = dt.to_dtype(type) if type is not None else dt.float32
        if np.dtype(str(d).replace("torch.", "")).kind != "f":
            raise TypeError("torch.finfo() requires a floating point input type. Use torch.iinfo to handle "
                            "'torch.finfo'")
        info = np.finfo(np.dtype(str(d).replace("torch.", "")))
        self.bits = int(info.bits)
        self.eps = float(info.eps)
        self.max = float(info.max)
        self.min = float(info.min)
        self.tiny = self.smallest_normal = float(info.smallest_normal)
        self.resolution = 10.0 ** -math.floor(-math.log10(self.eps))
        self.dtype = str(d).replace("torch.", "")

    def __eq__(self, other):
        return isinstance(other, finfo) and self.dtype == other.dtype

    def __hash__(self):
        return hash(("finfo", self.dtype))

    def __repr__(self):
        return (f"finfo(resolution={_g(self.resolution)}, min={_g(self.min)}, max={_g(self.max)}, "
                f"eps={_g(self.eps)}, smallest_normal={_g(self.smallest_normal)}, tiny={_g(self.tiny)}, "
                f"dtype={self.dtype})")

    __str__ = __repr__


class iinfo:
    """Machine limits of an integer dtype: bits, max, min."""

    def __init__(self, type):
        d = dt.to_dtype(type)
        name = str(d).replace("torch.", "")
        if np.dtype(name).kind not in "iu":
            raise TypeError("torch.iinfo() requires an integer input type. Use torch.finfo to handle "
                            "'torch.iinfo'")
        info = np.iinfo(np.dtype(name))
        self.bits, self.max, self.min, self.dtype = int(info.bits), int(info.max), int(info.min), name

    def __eq__(self, other):
        return isinstance(other, iinfo) and self.dtype == other.dtype

    def __hash__(self):
        return hash(("iinfo", self.dtype))

    def __repr__(self):
        return f"iinfo(min={_g(float(self.min))}, max={_g(float(self.max))}, dtype={self.dtype})"

    __str__ = __repr__


class _LegacyType(type):
    """isinstance(x, torch.FloatTensor) is `x is a float32 Tensor`."""

    def __instancecheck__(cls, obj):
        from .tensor import Tensor
        return isinstance(obj, Tensor) and obj.dtype == cls.dtype

    def __repr__(cls):
        return f"<class 'torch.{cls.__name__}'>"


def _legacy_new(cls, *args, device=None):
    from .factories import tensor, zeros
    from .tensor import Size, Tensor
    if not args:
        return zeros(0, dtype=cls.dtype)
    if len(args) == 1 and isinstance(args[0], Tensor):
        return args[0].to(cls.dtype)
    if all(isinstance(a, int) and not isinstance(a, bool) for a in args):
        return zeros(*args, dtype=cls.dtype)   # PyTorch leaves the memory uninitialized
    if len(args) == 1 and isinstance(args[0], Size):
        return zeros(*args[0], dtype=cls.dtype)
    if len(args) == 1:
        return tensor(args[0], dtype=cls.dtype)
    raise TypeError(f"new() received an invalid combination of arguments - got "
                    f"({', '.join(type(a).__name__ for a in args)})")


def _legacy(name, dtype):
    return _LegacyType(name, (), {"dtype": dtype, "__new__": _legacy_new, "__module__": __name__,
                                  "__doc__": f"Makes {dtype} tensors; isinstance(x, {name}) checks the dtype."})


LEGACY_TYPES = {f"{prefix}Tensor": _legacy(f"{prefix}Tensor", dt.BY_NAME[name]) for name, prefix in dt.LEGACY.items()}

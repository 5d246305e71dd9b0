"""torch-like dtype objects. A dtype is a `str` subclass holding the numpy name ("float32"), so
the IR and numpy take it as it is, while it prints as PyTorch prints it (`torch.float32`)."""
import builtins

import numpy as np


class dtype(str):
    __slots__ = ()

    @property
    def is_floating_point(self):
        return self in ("float16", "float32", "float64")

    @property
    def is_complex(self):
        return False

    @property
    def is_signed(self):
        return self not in ("bool", "uint8")

    @property
    def itemsize(self):
        return np.dtype(str.__str__(self)).itemsize  # str(self) is "torch.float32"

    def __repr__(self):
        return f"torch.{str.__str__(self)}"

    __str__ = __repr__

    def __reduce__(self):
        return (dtype, (str.__str__(self),))


float16 = half = dtype("float16")
float32 = float = dtype("float32")
float64 = double = dtype("float64")
uint8 = dtype("uint8")
int8 = dtype("int8")
int16 = short = dtype("int16")
int32 = int = dtype("int32")
int64 = long = dtype("int64")
bool = dtype("bool")

BY_NAME = {str.__str__(d): d for d in (float16, float32, float64, uint8, int8, int16, int32, int64, bool)}

# legacy torch names for error texts ("torch.FloatTensor")
LEGACY = {"float32": "Float", "float64": "Double", "float16": "Half", "int64": "Long", "int32": "Int",
          "int16": "Short", "int8": "Char", "uint8": "Byte", "bool": "Bool"}
C_NAMES = {"float32": "float", "float64": "double", "float16": "c10::Half", "int64": "long int",
           "int32": "int", "int16": "short int", "int8": "signed char", "uint8": "unsigned char",
           "bool": "bool"}


class layout:
    """torch.layout: how a tensor's elements are stored. onnxgraft tensors are dense numpy
    arrays, so every tensor's `.layout` is `strided`."""
    __slots__ = ("name",)

    def __init__(self, name):
        self.name = name

    def __repr__(self):
        return f"torch.{self.name}"

    def __reduce__(self):
        return (layout, (self.name,))


strided = layout("strided")


def to_dtype(d):
    """Accept an onnxgraft dtype, a numpy dtype or type, a name, or Python's float/int/bool."""
    if d is None:
        return None
    if isinstance(d, dtype):
        return d
    if d is builtins.float:  # Python's float is a double: PyTorch maps it to torch.float64
        return float64
    if d is builtins.int:
        return int64
    if d is builtins.bool:
        return bool
    name = np.dtype(d).name if not isinstance(d, str) else d
    try:
        return BY_NAME[name]
    except KeyError:
        raise TypeError(f"onnxgraft does not support dtype {d!r}; supported: "
                        f"{', '.join(repr(x) for x in BY_NAME.values())}") from None

"""Dtypes of the IR: numpy dtype names, and PyTorch's type-promotion rules.

The IR names dtypes by their numpy name ("float32", "int64", "bool"); the frontend wraps each
in a torch-like `dtype` object. Promotion follows PyTorch, not numpy: a dimensioned tensor wins
over a 0-dim tensor, which wins over a Python scalar, within the same category
(bool < integer < floating).
"""
import numpy as np

FLOATING = ("float16", "float32", "float64")
INTEGRAL = ("uint8", "int8", "int16", "int32", "int64")
SUPPORTED = FLOATING + INTEGRAL + ("bool",)
DEFAULT_FLOAT = "float32"


def category(dtype):
    """0 for bool, 1 for integers, 2 for floating point."""
    if dtype == "bool":
        return 0
    return 2 if dtype in FLOATING else 1


def is_floating(dtype):
    return dtype in FLOATING


def scalar_dtype(value):
    """The dtype a Python scalar stands for when it meets a tensor (before promotion)."""
    if isinstance(value, (bool, np.bool_)):
        return "bool"
    if isinstance(value, (int, np.integer)):
        return "int64"
    return DEFAULT_FLOAT


def _wider(a, b):
    if a == b:
        return a
    # across categories the higher one wins as it is (PyTorch: float32 with int64 is float32, where
    # numpy says float64); within a category numpy's promotion agrees with PyTorch's
    if category(a) != category(b):
        return a if category(a) > category(b) else b
    return np.promote_types(a, b).name


def promote(*operands):
    """Result dtype of an elementwise op over `operands`, each a (dtype, rank) pair where rank is
    -1 for a Python scalar, 0 for a 0-dim tensor and >0 otherwise (PyTorch's three priority classes)."""
    best = {}
    for dtype, rank in operands:
        klass = 2 if rank > 0 else (1 if rank == 0 else 0)
        cur = best.get(klass)
        best[klass] = dtype if cur is None else _wider(cur, dtype)
    result = None
    for klass in (2, 1, 0):
        dtype = best.get(klass)
        if dtype is None:
            continue
        if result is None:
            result = dtype
        elif category(dtype) > category(result):
            # A lower-priority operand of a higher category lifts the result to that category;
            # a Python float lifts an integer tensor to the default float, as in PyTorch.
            result = DEFAULT_FLOAT if (klass == 0 and category(dtype) == 2) else dtype
    return result

"""Tensor printing that reproduces PyTorch 2.13's ``repr(tensor)`` exactly.

Users compare our output with PyTorch's character for character, so this module
mirrors the layout rules of ``torch/_tensor_str.py``:

* one formatter is chosen per tensor (not per element), so every element is
  padded to a common width;
* floating tensors print in one of three modes: "int mode" (all finite
  values are whole numbers, printed as ``1.``), fixed point with
  ``precision`` decimals, or scientific notation;
* rows are wrapped to ``linewidth`` and large tensors are summarized with
  ``...`` keeping ``edgeitems`` items at each end of every dimension;
* trailing items (``dtype=...``, ``requires_grad=True``, ``grad_fn=<...>``)
  are appended, moving to a new line when they would overflow ``linewidth``.

Only numpy and the standard library are used, so the module works without
PyTorch installed.  All number formatting goes through Python ``float``
formatting of the exactly converted value, which is what PyTorch does too
(``Tensor.__format__`` and ``tolist()`` both go through ``item()``), so
rounding decisions agree bit for bit.
"""

from __future__ import annotations

import contextlib
import dataclasses
import math
from collections.abc import Iterator, Sequence
from typing import Any

import numpy as np

__all__ = [
    "format_tensor",
    "set_printoptions",
    "get_printoptions",
    "printoptions",
]


@dataclasses.dataclass
class _PrinterOptions:
    """Global print options; defaults are PyTorch's ``default`` profile."""

    precision: int = 4
    threshold: float = 1000
    edgeitems: int = 3
    linewidth: int = 80
    sci_mode: bool | None = None


_PRINT_OPTS = _PrinterOptions()

# numpy dtype -> the name PyTorch prints for the corresponding torch dtype.
_TORCH_DTYPE_NAMES: dict[np.dtype, str] = {
    np.dtype(np.float64): "torch.float64",
    np.dtype(np.float32): "torch.float32",
    np.dtype(np.float16): "torch.float16",
    np.dtype(np.int64): "torch.int64",
    np.dtype(np.int32): "torch.int32",
    np.dtype(np.int16): "torch.int16",
    np.dtype(np.int8): "torch.int8",
    np.dtype(np.uint64): "torch.uint64",
    np.dtype(np.uint32): "torch.uint32",
    np.dtype(np.uint16): "torch.uint16",
    np.dtype(np.uint8): "torch.uint8",
    np.dtype(np.bool_): "torch.bool",
}

# The default floating dtype. An *empty* tensor prints its dtype whenever it
# differs from this one (there are no elements to show whether it is integral).
_DEFAULT_DTYPE = np.dtype(np.float32)

# Dtypes whose name is omitted for non-empty tensors: the default float dtype,
# plus int64 and bool, which are what PyTorch infers from int / bool literals.
_DTYPES_WITHOUT_SUFFIX = frozenset(
    {_DEFAULT_DTYPE, np.dtype(np.int64), np.dtype(np.bool_)}
)


def set_printoptions(
    precision: int | None = None,
    threshold: float | None = None,
    edgeitems: int | None = None,
    linewidth: int | None = None,
    profile: str | None = None,
    sci_mode: bool | None = None,
) -> None:
    """Set global print options, with the same semantics as ``torch.set_printoptions``.

    Args:
        precision: digits after the decimal point for floating output (default 4).
        threshold: element count above which a tensor is summarized (default 1000).
        edgeitems: items kept at each end of a summarized dimension (default 3).
        linewidth: characters per line used for wrapping (default 80).
        profile: ``"default"``, ``"short"`` or ``"full"``; applied first, so the
            other arguments can override it.
        sci_mode: force scientific notation on (True) or off (False).  Like
            PyTorch, this argument is *always* applied, so omitting it resets
            the choice to automatic (None).
    """
    if profile is not None:
        if profile == "default":
            _PRINT_OPTS.precision = 4
            _PRINT_OPTS.threshold = 1000
            _PRINT_OPTS.edgeitems = 3
            _PRINT_OPTS.linewidth = 80
        elif profile == "short":
            _PRINT_OPTS.precision = 2
            _PRINT_OPTS.threshold = 1000
            _PRINT_OPTS.edgeitems = 2
            _PRINT_OPTS.linewidth = 80
        elif profile == "full":
            _PRINT_OPTS.precision = 4
            _PRINT_OPTS.threshold = math.inf
            _PRINT_OPTS.edgeitems = 3
            _PRINT_OPTS.linewidth = 80

    if precision is not None:
        _PRINT_OPTS.precision = precision
    if threshold is not None:
        _PRINT_OPTS.threshold = threshold
    if edgeitems is not None:
        _PRINT_OPTS.edgeitems = edgeitems
    if linewidth is not None:
        _PRINT_OPTS.linewidth = linewidth
    # Unconditional on purpose: PyTorch resets sci_mode on every call.
    _PRINT_OPTS.sci_mode = sci_mode


def get_printoptions() -> dict[str, Any]:
    """Return the current options as keyword arguments for :func:`set_printoptions`."""
    return dataclasses.asdict(_PRINT_OPTS)


@contextlib.contextmanager
def printoptions(**kwargs: Any) -> Iterator[None]:
    """Temporarily change print options (same arguments as :func:`set_printoptions`)."""
    old = get_printoptions()
    set_printoptions(**kwargs)
    try:
        yield
    finally:
        set_printoptions(**old)


class _Formatter:
    """Formats the scalars of one tensor so that they all share one width.

    Constructed from the values that will actually be printed (the summarized
    data for large tensors), exactly like ``torch._tensor_str._Formatter``.
    """

    def __init__(self, values: np.ndarray, opts: _PrinterOptions) -> None:
        self.floating = values.dtype.kind == "f"
        self.precision = opts.precision
        self.int_mode = True
        self.sci_mode = False
        self.max_width = 1

        flat = values.reshape(-1)
        if not self.floating:
            # Integers and bools print as Python would print them.
            for value in flat.tolist():
                self.max_width = max(self.max_width, len(f"{value}"))
            return

        # Work in float64: the conversion is exact for float16/32, and PyTorch
        # also does its range arithmetic in double (float16 would overflow).
        flat = flat.astype(np.float64)
        nonzero_finite = flat[np.isfinite(flat) & (flat != 0)]
        if nonzero_finite.size == 0:
            # Only zeros / nan / inf: keep int mode with width 1, as PyTorch does.
            return

        abs_vals = np.abs(nonzero_finite)
        abs_min = abs_vals.min()
        abs_max = abs_vals.max()

        self.int_mode = bool(np.all(nonzero_finite == np.ceil(nonzero_finite)))

        if opts.sci_mode is None:
            # Scientific notation when fixed point would hide information: a
            # wide dynamic range, very large values, or very small values.
            # (max / min may overflow to inf for float64 extremes; that is
            # the intended "wide range" answer, so silence the warning.)
            with np.errstate(over="ignore"):
                ratio = abs_max / abs_min
            self.sci_mode = bool(ratio > 1000.0 or abs_max > 1.0e8 or abs_min < 1.0e-4)
        else:
            self.sci_mode = opts.sci_mode

        p = self.precision
        values_list = nonzero_finite.tolist()
        if self.sci_mode:
            widths = (len(f"{v:.{p}e}") for v in values_list)
        elif self.int_mode:
            # +1 for the trailing "." that marks the tensor as floating.
            widths = (len(f"{v:.0f}") + 1 for v in values_list)
        else:
            widths = (len(f"{v:.{p}f}") for v in values_list)
        self.max_width = max(self.max_width, max(widths))

    def width(self) -> int:
        """Width in characters of every formatted element."""
        return self.max_width

    def format(self, value: float | int | bool) -> str:
        """Format one Python scalar, right-aligned to :meth:`width`."""
        if self.floating:
            if self.sci_mode:
                ret = f"{value:{self.max_width}.{self.precision}e}"
            elif self.int_mode:
                ret = f"{value:.0f}"
                # nan / inf have no decimal point to add.
                if not (math.isinf(value) or math.isnan(value)):
                    ret += "."
            else:
                ret = f"{value:.{self.precision}f}"
        else:
            ret = f"{value}"
        return ret.rjust(self.max_width)


def _to_python_list(values: np.ndarray) -> list[Any]:
    """Convert an array to Python scalars (float for every float dtype)."""
    if values.dtype.kind == "f":
        values = values.astype(np.float64)
    return values.tolist()


def _vector_str(
    vec: np.ndarray,
    indent: int,
    summarize: bool,
    formatter: _Formatter,
    opts: _PrinterOptions,
) -> str:
    """Format a 1-D array, wrapping lines at ``opts.linewidth``."""
    # Each element occupies its width plus ", ".
    element_length = formatter.width() + 2
    elements_per_line = max(1, math.floor((opts.linewidth - indent) / element_length))

    edge = opts.edgeitems
    if summarize and not edge:
        data = ["..."]
    elif summarize and vec.shape[0] > 2 * edge:
        data = (
            [formatter.format(v) for v in _to_python_list(vec[:edge])]
            + [" ..."]
            + [formatter.format(v) for v in _to_python_list(vec[-edge:])]
        )
    else:
        data = [formatter.format(v) for v in _to_python_list(vec)]

    lines = [
        ", ".join(data[i : i + elements_per_line])
        for i in range(0, len(data), elements_per_line)
    ]
    return "[" + (",\n" + " " * (indent + 1)).join(lines) + "]"


def _tensor_str_with_formatter(
    arr: np.ndarray,
    indent: int,
    summarize: bool,
    formatter: _Formatter,
    opts: _PrinterOptions,
) -> str:
    """Recursively format ``arr``; ``indent`` is the column of its opening bracket."""
    dim = arr.ndim
    if dim == 0:
        return formatter.format(_to_python_list(arr))
    if dim == 1:
        return _vector_str(arr, indent, summarize, formatter, opts)

    edge = opts.edgeitems
    n = arr.shape[0]
    if summarize and n > 2 * edge:
        slices = (
            [
                _tensor_str_with_formatter(arr[i], indent + 1, summarize, formatter, opts)
                for i in range(edge)
            ]
            + ["..."]
            + [
                _tensor_str_with_formatter(arr[i], indent + 1, summarize, formatter, opts)
                for i in range(n - edge, n)
            ]
        )
    else:
        slices = [
            _tensor_str_with_formatter(arr[i], indent + 1, summarize, formatter, opts)
            for i in range(n)
        ]

    # Slices of a dim-D tensor are joined with D - 1 newlines: matrix rows sit
    # on consecutive lines, matrices of a 3-D tensor are one blank line apart.
    separator = "," + "\n" * (dim - 1) + " " * (indent + 1)
    return "[" + separator.join(slices) + "]"


def _summarized_data(arr: np.ndarray, edge: int) -> np.ndarray:
    """The elements that remain visible after summarization.

    The formatter is built from these only, so hidden elements do not affect
    the chosen width or notation (matching ``get_summarized_data``).
    """
    if arr.ndim == 0:
        return arr
    if arr.ndim == 1:
        if arr.shape[0] > 2 * edge:
            # With edge == 0, ``arr[-0:]`` is the whole vector; PyTorch has the
            # same slicing quirk, and nothing is printed in that case anyway.
            return np.concatenate((arr[:edge], arr[-edge:]))
        return arr
    if not edge:
        return np.empty((0,) * arr.ndim, dtype=arr.dtype)
    n = arr.shape[0]
    if n > 2 * edge:
        rows = list(range(edge)) + list(range(n - edge, n))
    else:
        rows = list(range(n))
    return np.stack([_summarized_data(arr[i], edge) for i in rows])


def _tensor_str(arr: np.ndarray, indent: int, opts: _PrinterOptions) -> str:
    """Format the bracketed body of a tensor (without ``tensor(`` and suffixes)."""
    if arr.size == 0:
        return "[]"
    summarize = arr.size > opts.threshold
    visible = _summarized_data(arr, opts.edgeitems) if summarize else arr
    formatter = _Formatter(visible, opts)
    return _tensor_str_with_formatter(arr, indent, summarize, formatter, opts)


def _add_suffixes(
    tensor_str: str,
    suffixes: Sequence[str],
    indent: int,
    linewidth: int,
) -> str:
    """Append ``, suffix`` items and the closing parenthesis.

    A suffix moves to its own line (aligned under the first bracket) when the
    current line would exceed ``linewidth``.
    """
    parts = [tensor_str]
    # PyTorch's length of the last line is off by two when the string has no
    # newline (rfind returns -1) and one too long otherwise; reproduce it.
    last_line_len = len(tensor_str) - tensor_str.rfind("\n") + 1
    for suffix in suffixes:
        if last_line_len + len(suffix) + 2 > linewidth:
            parts.append(",\n" + " " * indent + suffix)
            last_line_len = indent + len(suffix)
        else:
            parts.append(", " + suffix)
            last_line_len += len(suffix) + 2
    parts.append(")")
    return "".join(parts)


def format_tensor(array: np.ndarray, *, suffixes: Sequence[str] = ()) -> str:
    """Return ``'tensor(...)'`` exactly as PyTorch prints a tensor with these values.

    Args:
        array: values of the tensor; dtype float64/32/16, int64/32/16/8,
            uint8 (also uint16/32/64) or bool.  0-d arrays print as scalars.
        suffixes: already formatted trailing items supplied by the caller,
            e.g. ``['requires_grad=True']`` or ``['grad_fn=<AddBackward0>']``.
            They are placed after the ``size=`` / ``dtype=`` items that this
            function adds itself.

    Returns:
        The full representation, e.g. ``'tensor([1., 2.], dtype=torch.float64)'``.
    """
    arr = np.asarray(array)
    dtype_name = _TORCH_DTYPE_NAMES.get(arr.dtype)
    if dtype_name is None:
        raise TypeError(f"format_tensor: unsupported dtype {arr.dtype}")

    opts = _PRINT_OPTS
    prefix = "tensor("
    indent = len(prefix)
    all_suffixes: list[str] = []

    if arr.size == 0:
        # Like NumPy, show the shape unless it is the plain (0,).
        if arr.ndim != 1:
            all_suffixes.append(f"size={tuple(int(d) for d in arr.shape)}")
        # No elements reveal whether the tensor is integral, so every
        # non-default dtype (int64 and bool included) is named explicitly.
        if arr.dtype != _DEFAULT_DTYPE:
            all_suffixes.append(f"dtype={dtype_name}")
        body = "[]"
    else:
        # With edgeitems == 0 nothing is shown, so the shape is printed instead.
        if not opts.edgeitems:
            all_suffixes.append(f"size={tuple(int(d) for d in arr.shape)}")
        if arr.dtype not in _DTYPES_WITHOUT_SUFFIX:
            all_suffixes.append(f"dtype={dtype_name}")
        body = _tensor_str(arr, indent, opts)

    all_suffixes.extend(suffixes)
    return _add_suffixes(prefix + body, all_suffixes, indent, opts.linewidth)

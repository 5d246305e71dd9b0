"""torch.nn.functional.interpolate (modes nearest, linear, bilinear, trilinear). Re-exported by
`functional`, so it is reached as `F.interpolate`.

Resampling is separable: each spatial dim is resampled on its own with one Gather (nearest) or
two Gathers and their weights (linear), innermost dim first, which is the order in which
PyTorch's CPU kernel nests its sums, so float32 results agree to the bit. The source positions
and weights depend only on the sizes, so they are computed here in the input's precision with
PyTorch's formulas (UpSample.h: nearest_idx, area_pixel_compute_source_index); the gradient is
Gather's scatter-add and the result exports as Gather/Mul/Add.
"""
import math

import numpy as np

from ..frontend.node import apply
from ..frontend.tensor import _wrap

_LINEAR = {"linear": 1, "bilinear": 2, "trilinear": 3}
_NAMES = {"nearest": "UpsampleNearest{}DBackward0", "linear": "UpsampleLinear1DBackward0",
          "bilinear": "UpsampleBilinear2DBackward0", "trilinear": "UpsampleTrilinear3DBackward0"}


def _per_dim(value, spatial, what, letter):
    k = len(spatial)
    if isinstance(value, (list, tuple)):
        if len(value) != k:
            raise ValueError(f"Input and {what.split()[0]} must have the same number of spatial dimensions, but got "
                             f"input with spatial dimensions of {list(spatial)} and {what} of "
                             f"{'shape ' if letter == 's' else ''}{list(value)}. "
                             f"Please provide input tensor in (N, C, d1, d2, ...,dK) format and {what} "
                             f"in ({letter}1, {letter}2, ...,{letter}K) format.")
        return list(value)
    return [value] * k


def _source_scale(in_size, out_size, scale, align_corners, opmath):
    """PyTorch's area_pixel_compute_scale: the step between source positions of neighbouring
    outputs (a given scale_factor is used as 1/scale_factor, not recomputed from the sizes)."""
    if align_corners:
        return opmath(in_size - 1) / opmath(out_size - 1) if out_size > 1 else opmath(0)
    if scale is not None and scale > 0:
        return opmath(1.0 / scale)
    return opmath(in_size) / opmath(out_size)


def _nearest_positions(in_size, out_size, scale):
    if out_size == in_size:
        return np.arange(out_size)
    if out_size == 2 * in_size:
        return np.arange(out_size) >> 1
    step = np.float32(1.0 / scale) if scale is not None and scale > 0 else np.float32(in_size) / np.float32(out_size)
    return np.minimum(np.floor(np.arange(out_size, dtype=np.float32) * step).astype(np.int64), in_size - 1)


def _linear_positions(in_size, out_size, scale, align_corners, opmath):
    """(i0, i1, w0, w1): out[j] = in[i0[j]] * w0[j] + in[i1[j]] * w1[j]."""
    step = _source_scale(in_size, out_size, scale, align_corners, opmath)
    dst = np.arange(out_size).astype(opmath)
    src = step * dst if align_corners else np.maximum(step * (dst + opmath(0.5)) - opmath(0.5), opmath(0))
    i0 = np.minimum(np.floor(src).astype(np.int64), in_size - 1)
    w1 = np.clip(src - i0.astype(opmath), 0, 1).astype(opmath)
    i1 = i0 + (i0 < in_size - 1)
    return i0, i1, (opmath(1) - w1).astype(opmath), w1


def interpolate(input, size=None, scale_factor=None, mode="nearest", align_corners=None,
                recompute_scale_factor=None, antialias=False):
    """Resample the spatial dims (all dims after N and C) to `size`, or by `scale_factor`."""
    k = input.ndim - 2
    if mode in ("nearest",) + tuple(_LINEAR):
        if align_corners is not None and mode == "nearest":
            raise ValueError("align_corners option can only be set with the interpolating modes: "
                             "linear | bilinear | bicubic | trilinear")
    else:
        raise NotImplementedError(f"onnxgraft's interpolate supports modes nearest, linear, bilinear and "
                                  f"trilinear, not {mode!r}")
    if antialias:
        raise NotImplementedError("onnxgraft's interpolate does not antialias")
    if size is not None and scale_factor is not None:
        raise ValueError("only one of size or scale_factor should be defined")
    if size is None and scale_factor is None:
        raise ValueError("either size or scale_factor should be defined")
    if mode in _LINEAR and k != _LINEAR[mode] or k not in (1, 2, 3):
        raise NotImplementedError(f"Got {input.ndim}D input, but {mode} mode needs "
                                  f"{_LINEAR.get(mode, k) + 2}D input" if mode in _LINEAR else
                                  f"Input Error: Only 3D, 4D and 5D input Tensors supported (got "
                                  f"{input.ndim}D) for the modes: nearest | linear | bilinear | bicubic | "
                                  f"trilinear | lanczos | area | nearest-exact (got {mode})")
    spatial = input.shape[2:]
    if size is not None:
        sizes, scales = [int(s) for s in _per_dim(size, input.shape[2:], "output size", "o")], [None] * k
    else:
        scales = [float(s) for s in _per_dim(scale_factor, input.shape[2:], "scale_factor", "s")]
        sizes = [int(math.floor(float(n) * s)) for n, s in zip(spatial, scales)]
        if recompute_scale_factor:
            scales = [None] * k
    opmath = np.float64 if input.dtype == "float64" else np.float32
    out = input
    for d in reversed(range(k)):  # innermost dim first: PyTorch's kernel nests its sums that way
        axis, n, m = d + 2, spatial[d], sizes[d]
        if mode == "nearest":
            out = apply("Gather", (out, _wrap(_nearest_positions(n, m, scales[d]))), {"axis": axis},
                        "IndexBackward0")
            continue
        i0, i1, w0, w1 = _linear_positions(n, m, scales[d], bool(align_corners), opmath)
        shape = (m,) + (1,) * (k - 1 - d)  # the weights broadcast along `axis`
        lo = apply("Gather", (out, _wrap(i0)), {"axis": axis}, "IndexBackward0")
        hi = apply("Gather", (out, _wrap(i1)), {"axis": axis}, "IndexBackward0")
        out = lo * _wrap(w0.reshape(shape).astype(input._data.dtype)) + \
            hi * _wrap(w1.reshape(shape).astype(input._data.dtype))
    return out._renamed(_NAMES[mode].format(k))


def upsample(input, size=None, scale_factor=None, mode="nearest", align_corners=None):
    """Deprecated alias of interpolate, kept by PyTorch."""
    return interpolate(input, size, scale_factor, mode, align_corners)


__all__ = ["interpolate", "upsample"]

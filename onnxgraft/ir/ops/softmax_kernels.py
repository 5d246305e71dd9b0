"""PyTorch's float32 softmax and log_softmax kernels (CPU, SoftMaxKernel.cpp), in numpy.

Cross-entropy gradients and softmax outputs are printed and trained on; the same formula with a
different exp or summation order differs in the last bit for 5-35% of elements, and those bits
reach `loss.item()` after one step. PyTorch's vectorised kernels use:

- exp and log: SLEEF's expf and logf (u10: within one ulp, not always correctly rounded),
  reproduced below from their published algorithms (exp: Cody-Waite reduction by ln 2, a
  degree-6 polynomial, fused multiply-adds; log: double-float atanh series), except in the
  scalar tail of a non-last-dim kernel, which calls std::exp (correctly rounded here);
- row sums over the last dim (vec::reduce_all): below 16 elements left to right; otherwise a
  16-lane accumulator (the first 16 elements, then each further block of 16 added lane-wise, a
  ragged tail added into the first lanes), then a halving tree (lane i + lane i+8, i+4, i+2, i+1);
- sums over other dims: left to right along the dim, for every inner position;
- log_softmax backward: g - exp(y) * sum(g) with one rounding (a fused multiply-subtract);
  softmax backward: (g - sum(g * y)) * y, the sum over a non-last dim as fused multiply-adds.
Measured on PyTorch 2.13 (AVX-512): softmax, log_softmax and both backwards bit-equal over the
last dim for rows of 3 to 1000 classes (tests/ir/test_torch_rounding.py). Softmax over a
non-last dim matches in about 98% of elements (the forward's split between vector and scalar
exp is not fully known).
"""
import numpy as np

from .sleef import _fma, sleef_expf, sleef_logf  # noqa: F401  (sleef_expf/logf: this module's API too)

_F = np.float32
_LANES = 16


def _exact_exp(x):
    return np.exp(x.astype(np.float64)).astype(np.float32)


def lastdim_sum(e):
    """Sums over the last axis in vec::reduce_all's order (keepdims)."""
    n = e.shape[-1]
    if n < _LANES:
        return np.add.accumulate(e, axis=-1)[..., -1:] if n else np.zeros(e.shape[:-1] + (1,), e.dtype)
    acc = e[..., :_LANES].copy()
    full = n - n % _LANES
    for start in range(_LANES, full, _LANES):
        acc += e[..., start:start + _LANES]
    if n % _LANES:
        acc[..., :n % _LANES] += e[..., full:]
    while acc.shape[-1] > 1:
        half = acc.shape[-1] // 2
        acc = acc[..., :half] + acc[..., half:]
    return acc


def _dim_sum(e, axis):
    """Left-to-right sums along a non-last axis (keepdims), as PyTorch's vertical loops add."""
    return np.add.accumulate(e, axis=axis).take([-1], axis=axis) if e.shape[axis] else \
        np.sum(e, axis=axis, keepdims=True)


def _inner_exp(x, axis):
    """exp of a non-last-dim kernel: SLEEF where a full 16-lane vector of inner positions fits,
    std::exp (correctly rounded) in the scalar tail of each outer row."""
    inner = int(np.prod(x.shape[axis + 1:], dtype=np.int64))
    vector_part = inner - inner % _LANES
    flat = x.reshape(x.shape[:axis + 1] + (inner,))
    out = np.empty_like(flat)
    out[..., :vector_part] = sleef_expf(flat[..., :vector_part])
    out[..., vector_part:] = _exact_exp(flat[..., vector_part:])
    return out.reshape(x.shape)


def softmax(x, axis):
    """float32 softmax over `axis` (normalized to 0..ndim-1) in PyTorch's order."""
    shifted = x - np.max(x, axis=axis, keepdims=True)
    if axis == x.ndim - 1:
        e = sleef_expf(shifted)
        return e * (_F(1) / lastdim_sum(e))
    e = _inner_exp(shifted, axis)
    return e / _dim_sum(e, axis)


def log_softmax(x, axis):
    """float32 log_softmax over `axis` in PyTorch's order: (x - max) - log(sum(exp(x - max)))."""
    shifted = x - np.max(x, axis=axis, keepdims=True)
    if axis == x.ndim - 1:
        return shifted - sleef_logf(lastdim_sum(sleef_expf(shifted)))
    total = _dim_sum(_inner_exp(shifted, axis), axis)
    with np.errstate(divide="ignore"):
        return shifted - np.log(total.astype(np.float64)).astype(np.float32)


def log_softmax_backward(g, y, axis):
    """g - exp(y) * sum(g) along `axis`, rounded once (last dim: SLEEF exp, vector-order sum)."""
    if axis == y.ndim - 1:
        e, total = sleef_expf(y), lastdim_sum(g)
    else:
        e, total = _inner_exp(y, axis), _dim_sum(g, axis)
    return (g.astype(np.float64) - e.astype(np.float64) * total.astype(np.float64)).astype(np.float32)


def _dim_dot(g, y, axis):
    """sum(g * y) along a non-last axis, left to right, each step a fused multiply-add (keepdims)."""
    g64, y64 = np.moveaxis(g, axis, 0).astype(np.float64), np.moveaxis(y, axis, 0).astype(np.float64)
    acc = np.zeros(g64.shape[1:], np.float32)
    for i in range(g64.shape[0]):
        acc = (g64[i] * y64[i] + acc).astype(np.float32)
    return np.expand_dims(acc, axis)


def softmax_backward(g, y, axis):
    """(g - sum(g * y)) * y along `axis` (last dim: products rounded, then the vector-order sum;
    other dims: a fused multiply-add chain along the dim)."""
    total = lastdim_sum(g * y) if axis == y.ndim - 1 else _dim_dot(g, y, axis)
    return (g - total) * y

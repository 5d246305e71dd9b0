"""Batch normalization as PyTorch's CPU kernels compute it (aten/src/ATen/native/cpu/batch_norm_kernel.cpp
and Normalization.cpp), so that a BatchNorm layer's outputs, gradients and running statistics, and
every later `loss.item()` of a training loop, carry PyTorch's float32 bits.

Batch statistics (batch_norm_cpu_collect_stats_kernel), per channel c over the N*HW values:
  - HW > 1 (contiguous impl): one float64 running sum of the values in memory order; mean =
    float32(sum / count); var_sum = float32 of a float64 running sum of float32 (x - mean)^2.
  - HW == 1, an (N, C) input (channels-last impl), count > threads: each thread sums its contiguous
    chunk of rows (at::parallel_for: ceil(count / threads) rows a thread) into a float32 buffer,
    row after row; the thread partials are then added in float64. The variance pass is the same
    with buffer + (x - mean) * (x - mean) (a fused multiply-add). count <= threads: float64 sums.
    So the result depends on the thread count (onnxgraft.set_num_threads, runtime/threads.py).
Then invstd = float32(1 / sqrt(float64(float32(var_sum / n)) + eps)). Running statistics, measured on
torch 2.13 in float32 with m = float32(momentum): m * mean + (1 - m) * running_mean, and
fma(m, var_sum / (n - 1), (1 - m) * running_var).
Measured, not in the source read: the backward's (N, C) dx is unfused in the last C % 8 channels;
an (N, C) input with N <= threads uses one fused float32 chain for C <= 16 or C > 2048.
Not yet exact: the backward of 3-D/4-D inputs (the contiguous kernel's vec::reduce_all orders):
within float32 rounding of PyTorch's, not bit for bit.
Output (batch_norm_cpu_contiguous_impl): alpha = invstd * weight, beta = bias - mean * alpha per
channel, y = x * alpha + beta, each a fused multiply-add. Eval uses invstd = 1 / sqrt(running_var +
float32(eps)) in float32.
Backward (batch_norm_cpu_backward_kernel): sum(dy) and dotp = sum((x - mean) * dy) per channel, then
dx = (dy - sum / n - (x - mean) * k) * invstd * w with k = dotp * invstd * invstd / n, dW = dotp *
invstd, dB = sum. The ops:
  BatchNormStats(x) -> (2, C) rows mean and var_sum (no gradient; the running-stat update)
  BatchNorm(x, weight, bias[, running_mean, running_var], training, eps) -> y
"""
import numpy as np

from .registry import defop, ShapeError
from .sleef import _fma

F = "nn"
_F32 = np.float32


def _threads():
    from ...runtime import threads
    return max(1, threads.get())


def _rows(x):
    """x (N, C, *) as (N*HW values in PyTorch's per-channel memory order, C) and HW."""
    n, c = x.shape[0], x.shape[1]
    hw = int(np.prod(x.shape[2:], dtype=np.int64)) if x.ndim > 2 else 1
    return np.ascontiguousarray(np.moveaxis(x.reshape(n, c, hw), 1, 2).reshape(n * hw, c)), hw


def _seq64(v):
    """Sequential float64 sum over axis 0 (accumulate is defined as sequential)."""
    if v.shape[0] == 0:
        return np.zeros(v.shape[1:], np.float64)
    return np.add.accumulate(v.astype(np.float64), axis=0)[-1]


def _thread_chunks(count):
    t = min(_threads(), count)
    chunk = -(-count // t)
    return [(b, min(count, b + chunk)) for b in range(0, count, chunk)]


def _seq32(v):
    return np.add.accumulate(v, axis=0)[-1]


def batch_stats(x):
    """(mean, var_sum) per channel, float32, in PyTorch's order (module docstring)."""
    if x.dtype != np.float32:
        rows, _ = _rows(x)
        mean = rows.mean(axis=0).astype(x.dtype)
        d = rows - mean
        return mean, (d * d).sum(axis=0).astype(x.dtype)
    rows, hw = _rows(x)
    count = rows.shape[0]
    if hw == 1 and (count > _threads() or not 16 < rows.shape[1] <= 2048):
        # count <= threads (measured with 2 rows, 2 threads): float64 sums as in the source for
        # 17..2048 channels, one float32 fused chain (a single chunk) for fewer or more channels
        chunks = _thread_chunks(count) if count > _threads() else [(0, count)]
        parts = [_seq32(rows[b:e]) for b, e in chunks]
        mean = (_seq64(np.stack(parts)) / count).astype(_F32)
        vparts = []
        for b, e in chunks:
            acc = np.zeros(rows.shape[1], _F32)
            for r in rows[b:e]:
                d = r - mean
                acc = _fma(d, d, acc)
            vparts.append(acc)
        var_sum = _seq64(np.stack(vparts)).astype(_F32)
        return mean, var_sum
    mean = (_seq64(rows) / count).astype(_F32)
    d = rows - mean
    var_sum = _seq64(d * d).astype(_F32)
    return mean, var_sum


def _bshape(x):
    return (1, x.shape[1]) + (1,) * (x.ndim - 2)


def _eval_invstd(rv, eps):
    # collect_linear_and_constant_terms: 1 / sqrt(running_var + float32(eps)), all float32
    return (rv.dtype.type(1) / np.sqrt(rv + rv.dtype.type(eps))).astype(rv.dtype)


def _train_invstd(var_sum, count, eps):
    # InvStd<double>(var_sum / n, eps): the quotient in float32, the rest in float64
    var = (var_sum / var_sum.dtype.type(count)).astype(np.float64)
    return (1.0 / np.sqrt(var + eps)).astype(var_sum.dtype)


def _mean_invstd(x, training, eps, rm=None, rv=None):
    if training:
        mean, var_sum = batch_stats(x)
        return mean, _train_invstd(var_sum, x.size // x.shape[1], eps)
    return rm, _eval_invstd(rv, eps)


def _batch_norm(x, weight, bias, rm=None, rv=None, training=True, eps=1e-5):
    mean, invstd = _mean_invstd(x, training, eps, rm, rv)
    alpha = (invstd * weight).astype(x.dtype)
    if x.dtype == np.float32:
        beta = _fma(-mean, alpha, bias)   # bias - mean * alpha, contracted
        bs = _bshape(x)
        return _fma(x, alpha.reshape(bs), beta.reshape(bs))
    bs = _bshape(x)
    return (x * alpha.reshape(bs) + (bias - mean * alpha).reshape(bs)).astype(x.dtype)


def _stats(x, rm, rv, momentum):
    """The updated (running_mean, running_var) stacked: measured in float32 as
    m * mean + (1 - m) * running_mean and fma(m, var_sum / (n - 1), (1 - m) * running_var)."""
    mean, var_sum = batch_stats(x)
    dt = rm.dtype.type
    m64 = float(np.asarray(momentum, np.float64))
    m = dt(m64)
    rest = dt(1) - m   # measured: (1 - momentum) in float32
    count = x.size // x.shape[1]
    new_mean = m * mean + rest * rm
    unbiased = (var_sum / dt(count - 1)).astype(rm.dtype)
    new_var = _fma(m, unbiased, rest * rv) if rm.dtype == np.float32 else m * unbiased + rest * rv
    return np.stack([new_mean, new_var]).astype(rm.dtype)


def _bn_infer(x, w, b, rm=None, rv=None, training=True, eps=1e-5):
    if len(x[0]) < 2:
        raise ShapeError(f"batch_norm: expected an input with at least 2 dims, got {len(x[0])}")
    return [(tuple(x[0]), x[1])]


def _stats_infer(x, rm, rv, momentum):
    return [((2, x[0][1]), rm[1])]


def _eager(*values):
    from ...frontend.grad_mode import STATE
    return not STATE.grad_enabled and STATE.tracer is None and all(hasattr(v, "_data") for v in values)


def backward_kernel(dy, x, weight, mean, invstd, training):
    """PyTorch's batch_norm_cpu_backward_kernel (float32): (dx, dW, dB)."""
    c = x.shape[1]
    count = x.size // c
    rows, hw = _rows(x)
    drows, _ = _rows(dy)
    if hw == 1:
        # channels-last impl: per-thread float32 partials over row chunks (fused for dotp),
        # added in float32
        main = c
        sums, dots = [], []
        for b, e in _thread_chunks(count):
            s = np.zeros(c, np.float32)
            d = np.zeros(c, np.float32)
            for r in range(b, e):
                s = s + drows[r]
                cen = rows[r] - mean
                d = np.concatenate([_fma(cen[:main], drows[r, :main], d[:main]),
                                    d[main:] + cen[main:] * drows[r, main:]])
            sums.append(s)
            dots.append(d)
        # the threads' partials added in float64 (accscalar_t)
        total = _seq64(np.stack(sums)).astype(np.float32)
        dot = _seq64(np.stack(dots)).astype(np.float32)
        if training:
            k = dot * invstd * invstd / np.float32(count)
            gm = total / np.float32(count)
            cen = rows - mean
            # (dy - grad_mean) - (x - mean) * k: one fused multiply-add in the full 16-lane
            # (and 8-lane) vectors; the last n_channel % 8 channels measured unfused
            main = c - c % 8
            inner = np.concatenate([_fma(-cen[:, :main], k[:main], drows[:, :main] - gm[:main]),
                                    drows[:, main:] - gm[main:] - cen[:, main:] * k[main:]], axis=1)
            dxr = inner * invstd * weight
        else:
            dxr = drows * invstd * weight
        dx = np.moveaxis(dxr.reshape(x.shape[0], hw, c), 2, 1).reshape(x.shape)
        return dx.astype(np.float32), (dot * invstd).astype(np.float32), total
    n = x.shape[0]
    x3 = x.reshape(n, c, hw)
    g3 = dy.reshape(n, c, hw)
    total = np.zeros(c, np.float64)
    dot = np.zeros(c, np.float64)
    for i in range(n):
        total += _reduce_all(g3[i], lambda acc, v: acc + v)
        prod = (x3[i] - mean[:, None]) * g3[i]
        dot += _reduce_all(prod, lambda acc, v: acc + v, fused=(x3[i] - mean[:, None], g3[i]))
    total32 = total.astype(np.float32)
    dot32 = dot.astype(np.float32)
    bs = (1, c, 1)
    if training:
        k = (dot32 * invstd * invstd / np.float32(count)).astype(np.float32)
        gm = (total32 / np.float32(count)).astype(np.float32)
        dx = _fma(-(x3 - mean.reshape(bs)), k.reshape(bs), g3 - gm.reshape(bs)) * invstd.reshape(bs) \
            * weight.reshape(bs)
    else:
        dx = g3 * invstd.reshape(bs) * weight.reshape(bs)
    return dx.reshape(x.shape).astype(np.float32), (dot32 * invstd).astype(np.float32), total32


def _reduce_all(v, op, fused=None):
    """vec::reduce_all / map2_reduce_all over the last axis (rows = channels), 16-lane AVX-512:
    lanes accumulate every 16th value (the first block loaded as is, the tail masked), then a
    tree 8/4/2/1 lanes. `fused` = (a, b): the map a * b is contracted into the accumulation."""
    size = v.shape[-1]
    lanes = 16
    if size < lanes:  # vec_reduce_all's slow path: lane 0 adds the others in order
        return np.add.accumulate(v, axis=-1)[..., -1].astype(np.float64)
    else:
        acc = v[..., :lanes].copy()
        full = size - size % lanes
        for d in range(lanes, full, lanes):
            if fused is None:
                acc = acc + v[..., d:d + lanes]
            else:
                acc = _fma(fused[0][..., d:d + lanes], fused[1][..., d:d + lanes], acc)
        if size - full > 0 and full >= lanes:
            t = size - full
            if fused is None:
                acc[..., :t] = acc[..., :t] + v[..., full:]
            else:
                acc[..., :t] = _fma(fused[0][..., full:], fused[1][..., full:], acc[..., :t])
    for half in (8, 4, 2, 1):
        acc = acc[..., :half] + acc[..., half:2 * half]
    return acc[..., 0].astype(np.float64)


def _bn_vjp(g, out, x, w, b, rm=None, rv=None, training=True, eps=1e-5):
    if _eager(g, x, w) and x._data.dtype == np.float32 and g._data.dtype == np.float32:
        from ...frontend.tensor import _wrap
        xd = x._data
        mean, invstd = _mean_invstd(xd, training, eps, None if rm is None else rm._data,
                                    None if rv is None else rv._data)
        if not training:  # the backward kernel's invstd: 1 / sqrt(running_var + eps) in float64
            invstd = (1.0 / np.sqrt(rv._data.astype(np.float64) + eps)).astype(np.float32)
        dx, dw, db = backward_kernel(g._data, xd, w._data, mean, invstd, training)
        grads = (_wrap(dx), _wrap(dw), _wrap(db))
        return grads + ((None, None) if rm is not None else ())
    # composed (create_graph, capture): the same formulas with OpMixin ops
    c = x.shape[1]
    nd = len(tuple(x.shape))
    bs = (1, c) + (1,) * (nd - 2)
    count = int(np.prod(tuple(x.shape), dtype=np.int64)) // c
    if training:
        mean = x.sum_to(bs) / count
        centered = x - mean
        invstd = ((centered * centered).sum_to(bs) / count + eps).sqrt().reciprocal()
    else:
        centered = x - rm.reshape_to(bs)
        invstd = (rv.reshape_to(bs) + eps).sqrt().reciprocal()
    total = g.sum_to(bs)
    dot = (centered * g).sum_to(bs)
    wb = w.reshape_to(bs)
    if training:
        k = dot * invstd * invstd / count
        dx = (g - total / count - centered * k) * invstd * wb
    else:
        dx = g * invstd * wb
    grads = (dx, (dot * invstd).reshape_to((c,)), total.reshape_to((c,)))
    return grads + ((None, None) if rm is not None else ())


defop("BatchNorm", eager=_batch_norm, infer=_bn_infer, vjp=_bn_vjp, saves=(0, 1, 3, 4), family=F,
      grad_name="NativeBatchNormBackward0")
defop("BatchNormRunningStats", eager=_stats, infer=_stats_infer, differentiable=False, family=F)

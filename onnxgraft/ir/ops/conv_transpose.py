"""Registry ops Conv and ConvTranspose (ONNX's, with ONNX's attributes): the kernels behind
F.conv1d/2d (nn.Conv1d/2d), F.conv_transpose1d/2d (nn.ConvTranspose1d/2d), and the convolutions
their gradients are made of.

Layouts (N-D over the trailing spatial axes, 1-D and 2-D used by the frontend):
- Conv(x (N, C, *S), W (O, C/group, *K)[, B (O,)]): y[n, o, j] = sum_{c, t} xpad[n, c, j*s + t*d] W[o, c, t];
- ConvTranspose(x (N, C, *S), W (C, O/group, *K)[, B (O,)]): its adjoint,
  y[n, o, i*s + t*d - p] += x[n, c, i] W[c, o, t], of spatial size (S-1)*s - p_begin - p_end + d*(K-1)
  + output_padding + 1.
`pads` is ONNX's (begins..., ends...). Each op's gradients are the other op or itself with the
roles of its operands swapped (PyTorch's convolution_backward does the same), so gradients of any
order, and the autodiff pass, need no other primitive:
- Conv:          dx = ConvTranspose(g, W) (output_padding recovering x's size),
                 dW = Conv(x^T, g^T) with stride and dilation exchanged;
- ConvTranspose: dx = Conv(g, W) (same strides, pads, dilations),
                 dW = Conv(g^T, x^T) with stride and dilation exchanged;
- both:          dB = sum of g over every axis but the channels.
Eager float32 kernels: where oneDNN's summation order is known (batch >= 2, no groups, at most 16
summed channels, below a work bound; see the ordered kernels below) Conv's forward, and its input,
weight and bias gradients in a plain eager backward, reproduce PyTorch's digits bit for bit;
elsewhere they are im2col + one BLAS matmul (within float32 rounding of exact). ConvTranspose
computes float32 through float64 matmuls. Under create_graph or capture the gradients are the
composed ops above, so they differentiate again and export.
"""
import itertools

import numpy as np

from .registry import defop, ShapeError
from .shape_rules import fmt

F = "nn"


def _geometry(nd, strides, pads, dilations):
    strides = tuple(strides) if strides is not None else (1,) * nd
    dilations = tuple(dilations) if dilations is not None else (1,) * nd
    pads = tuple(pads) if pads is not None else (0,) * (2 * nd)
    return strides, pads, dilations


def _acc(dtype):
    return np.float64 if dtype in (np.float32, np.float16) else dtype


def _check_auto_pad(op, auto_pad):
    if auto_pad not in (None, "NOTSET"):
        raise ShapeError(f"{op}: auto_pad={auto_pad!r} is not supported; give explicit pads")


def _conv_out_size(n, k, s, pb, pe, d):
    return (n + pb + pe - d * (k - 1) - 1) // s + 1


# -- PyTorch's float32 summation orders (oneDNN's CPU kernels, measured bit for bit against torch) -----
# A fused multiply-add is emulated exactly enough: the float64 product of two float32s is exact,
# the float64 sum is rounded once to float32. Each recipe runs one vectorised numpy step per term
# of its chain; beyond ORDERED_WORK_MAX multiply-adds (or ORDERED_STEPS_MAX steps) the matmul path
# (within an ulp of exact) keeps large convolutions fast.
ORDERED_WORK_MAX = 1 << 21
ORDERED_STEPS_MAX = 1024
ORDERED_CHANNELS_MAX = 16   # beyond 16 summed channels oneDNN blocks the channels: order unknown


def _ordered_ok(x, w, group, steps, work, summed_channels):
    # a single image (batch 1) runs another kernel in oneDNN, as do groups: order unknown
    return (x.dtype == np.float32 and w.dtype == np.float32 and group == 1 and summed_channels <= ORDERED_CHANNELS_MAX
            and steps <= ORDERED_STEPS_MAX and work <= ORDERED_WORK_MAX and x.ndim in (3, 4) and x.shape[0] >= 2)


def _tap_slices(tap, dilations, strides, out_sp):
    """The positions j*s + t*d (j < out) of one kernel tap in the padded input."""
    return tuple(slice(t * d, t * d + s * (m - 1) + 1, s) for t, d, s, m in zip(tap, dilations, strides, out_sp))


def _conv_forward_ordered(xp, w, b, strides, dilations, out_sp):
    """Conv forward as oneDNN's direct kernel sums it (at most 16 input channels, kernels larger than
    1x1, no groups): per output element one fused multiply-add at a time over the taps in (kh, kw)
    order and, within a tap, the channels in order; the bias added last."""
    n, c = xp.shape[:2]
    o, nd = w.shape[0], len(out_sp)
    wd = w.astype(np.float64)
    acc = np.zeros((n, o) + out_sp, np.float32)
    buf = np.empty(acc.shape, np.float64)
    for tap in itertools.product(*[range(k) for k in w.shape[2:]]):
        xt = xp[(slice(None), slice(None)) + _tap_slices(tap, dilations, strides, out_sp)].astype(np.float64)
        for ci in range(c):
            wt = wd[(slice(None), ci) + tap].reshape((1, o) + (1,) * nd)
            np.multiply(xt[:, ci:ci + 1], wt, out=buf)
            buf += acc
            acc[...] = buf          # one rounding: the fused multiply-add
    if b is not None:
        acc += b.reshape((1, o) + (1,) * nd)
    return acc


def _threads():
    # torch's intra-op thread count (onnxgraft.set_num_threads, else the usable cores): the weight
    # gradient splits the images between threads. runtime/threads.py imports only os.
    from ...runtime import threads
    return threads.get()


def _balance(work, team):
    """oneDNN's balance211: the first threads take ceil(work / team) items, the others one fewer."""
    n1 = -(-work // team)
    t1 = work - (n1 - 1) * team
    return [n1] * t1 + [n1 - 1] * (team - t1)


def _weight_grad_split(n, out_sp):
    """How oneDNN splits dW's work between threads, as the (start, end) rows of each thread's
    chain, a row being one output row of one image (1-D: the whole image); None where the split is
    not known. Measured: output heights up to 9 give each thread whole images (balance211 over the
    images); from height 10, with at least as many images as threads, the (image, row) pairs are
    balanced instead."""
    t = max(1, _threads())
    rows = out_sp[0] if len(out_sp) == 2 else 1
    if t == 1:
        sizes = [n * rows]
    elif rows <= 9:
        sizes = [k * rows for k in _balance(n, min(t, n))]
    elif n >= t:
        sizes = _balance(n * rows, t)
    else:
        return None
    ends = np.cumsum(sizes)
    return [(int(e - k), int(e)) for k, e in zip(sizes, ends) if k]


def _conv_weight_grad_ordered(x, g, ks, strides, pads, dilations, bounds):
    """dW of Conv as oneDNN sums it (at most 16 input channels, no groups): the (image, output row)
    pairs are split into the contiguous chunks `bounds`, each thread runs ONE fused multiply-add
    chain over its rows and, within a row, the output positions in order; the threads' partial
    sums are then added in order."""
    nd = x.ndim - 2
    n, o, c = x.shape[0], g.shape[1], x.shape[1]
    # 1-D as a height-1 image
    x4 = x if nd == 2 else x[:, :, None]
    g4 = g if nd == 2 else g[:, :, None]
    ks2 = tuple(ks) if nd == 2 else (1,) + tuple(ks)
    st, dl = (tuple(strides), tuple(dilations)) if nd == 2 else ((1,) + tuple(strides), (1,) + tuple(dilations))
    pd = (pads[0], pads[2], pads[1], pads[3]) if nd == 2 else (0, 0, pads[0], pads[1])
    oh, ow = g4.shape[2:]
    xp = np.pad(x4, [(0, 1), (0, 0), (pd[0], pd[1]), (pd[2], pd[3])]).astype(np.float64)  # + one zero image
    span = tuple(d * (k - 1) + 1 for d, k in zip(dl, ks2))
    win = np.lib.stride_tricks.sliding_window_view(xp, span, axis=(2, 3))
    win = win[:, :, ::st[0], ::st[1], ::dl[0], ::dl[1]][:, :, :oh, :ow]   # (N+1, C, oh, ow, kh, kw) view
    gd = np.concatenate([g4, np.zeros((1,) + g4.shape[1:], g4.dtype)]).astype(np.float64)
    starts, ends = np.array([b[0] for b in bounds]), np.array([b[1] for b in bounds])
    acc = np.zeros((len(bounds), o, c) + ks2, np.float32)
    buf = np.empty(acc.shape, np.float64)
    for i in range(int((ends - starts).max())):
        q = starts + i
        ims, rs = np.where(q < ends, q // oh, n), np.where(q < ends, q % oh, 0)  # past a chunk's end: zeros
        xrow = win[ims, :, rs][:, None]                 # (parts, 1, C, ow, kh, kw)
        grow = gd[ims, :, rs][:, :, None, :, None, None]  # (parts, O, 1, ow, 1, 1)
        for col in range(ow):
            np.multiply(grow[:, :, :, col], xrow[:, :, :, col], out=buf)
            buf += acc
            acc[...] = buf
    total = acc[0]
    for part in acc[1:]:
        total = total + part
    return total if nd == 2 else total[:, :, 0]


def _conv_bias_grad_ordered(g, bounds):
    """dB of Conv as oneDNN's weight-gradient kernel sums it: each thread's (image, row) chunk in one
    chain of float32 adds over its rows' positions in order, then the threads' sums in order."""
    n, o = g.shape[:2]
    g4 = g.reshape(n, o, g.shape[2] if g.ndim == 4 else 1, -1)
    oh, ow = g4.shape[2:]
    rows = np.concatenate([g4.transpose(0, 2, 1, 3).reshape(n * oh, o, ow), np.zeros((1, o, ow), g.dtype)])
    starts, ends = np.array([b[0] for b in bounds]), np.array([b[1] for b in bounds])
    acc = np.zeros((len(bounds), o), np.float32)
    for i in range(int((ends - starts).max())):
        q = starts + i
        block = rows[np.where(q < ends, q, n * oh)]      # (parts, O, ow); past a chunk's end: zeros
        for col in range(ow):
            acc += block[:, :, col]
    total = acc[0]
    for part in acc[1:]:
        total = total + part
    return total


def _conv_input_grad_ordered(g, w, sp, strides, pads, dilations):
    """dx of Conv as oneDNN sums it (at most 16 output channels, no groups): per input element one
    fused multiply-add chain over the taps in (kh, kw) order and, within a tap, the output channels
    in order (taps that miss the element add nothing)."""
    nd = g.ndim - 2
    n, o, out_sp = g.shape[0], w.shape[0], tuple(g.shape[2:])
    c = w.shape[1]
    full_sp = tuple(m + pads[i] + pads[i + nd] for i, m in enumerate(sp))
    acc = np.zeros((n, c) + full_sp, np.float32)
    gd = g.astype(np.float64)
    wd = w.astype(np.float64)
    for tap in itertools.product(*[range(k) for k in w.shape[2:]]):
        sl = (slice(None), slice(None)) + _tap_slices(tap, dilations, strides, out_sp)
        part = acc[sl]
        buf = np.empty(part.shape, np.float64)
        for oi in range(o):
            wt = wd[(oi, slice(None)) + tap].reshape((1, c) + (1,) * nd)
            np.multiply(gd[:, oi:oi + 1], wt, out=buf)
            buf += part
            part[...] = buf         # a view of acc: one rounding per fused multiply-add
    return acc[(slice(None), slice(None)) + tuple(slice(pads[i], pads[i] + m) for i, m in enumerate(sp))]


def _conv(x, w, b=None, strides=None, pads=None, dilations=None, group=1, kernel_shape=None, auto_pad=None):
    nd = x.ndim - 2
    strides, pads, dilations = _geometry(nd, strides, pads, dilations)
    n = x.shape[0]
    o, cg = w.shape[:2]
    ks = w.shape[2:]
    ntaps = int(np.prod(ks, dtype=np.int64))
    if ntaps > 1:
        out_sp = tuple(_conv_out_size(x.shape[2 + i], ks[i], strides[i], pads[i], pads[i + nd], dilations[i])
                       for i in range(nd))
        positions = int(np.prod(out_sp, dtype=np.int64))
        if _ordered_ok(x, w, group, ntaps * cg, n * o * positions * ntaps * cg, cg):
            xp = np.pad(x, [(0, 0), (0, 0)] + [(pads[i], pads[i + nd]) for i in range(nd)])
            return _conv_forward_ordered(xp, w, b, strides, dilations, out_sp)
    cols, out_sp = _im2col(x, ks, strides, pads, dilations, group)
    # float32 in float32 BLAS (as PyTorch's large convolutions: within float32 rounding of exact)
    out = np.matmul(w.reshape(group, o // group, cols.shape[2]), cols).reshape((n, o) + out_sp)
    if b is not None:
        out += b.reshape((1, o) + (1,) * nd)
    return out


def _im2col(x, ks, strides, pads, dilations, group):
    """(columns (N, group, C/group * taps, positions), output spatial size): the input under every
    kernel tap, the taps innermost as in W's row-major layout."""
    nd = x.ndim - 2
    n, c = x.shape[:2]
    xp = np.pad(x, [(0, 0), (0, 0)] + [(pads[i], pads[i + nd]) for i in range(nd)])
    out_sp = tuple(_conv_out_size(x.shape[2 + i], ks[i], strides[i], pads[i], pads[i + nd], dilations[i])
                   for i in range(nd))
    xg = xp.reshape((n, group, c // group) + xp.shape[2:])
    taps = [xg[(slice(None),) * 3 + _tap_slices(tap, dilations, strides, out_sp)]
            for tap in itertools.product(*[range(k) for k in ks])]
    cols = np.stack(taps, axis=3).reshape(n, group, (c // group) * len(taps), int(np.prod(out_sp, dtype=np.int64)))
    return cols, out_sp


def _conv_input_grad_matmul(g, w, sp, strides, pads, dilations, group):
    """dx of Conv in BLAS: the columns' gradient W^T @ g, then each tap's columns added back at
    their input positions (col2im)."""
    nd = g.ndim - 2
    n, o, out_sp = g.shape[0], w.shape[0], tuple(g.shape[2:])
    cg, ks = w.shape[1], tuple(w.shape[2:])
    ntaps = int(np.prod(ks, dtype=np.int64))
    wg = w.reshape(group, o // group, cg * ntaps).transpose(0, 2, 1)
    cols = np.matmul(wg, g.reshape(n, group, o // group, -1)).reshape((n, group * cg, ntaps) + out_sp)
    full = np.zeros((n, group * cg) + tuple(m + pads[i] + pads[i + nd] for i, m in enumerate(sp)), g.dtype)
    for t, tap in enumerate(itertools.product(*[range(k) for k in ks])):
        full[(slice(None), slice(None)) + _tap_slices(tap, dilations, strides, out_sp)] += cols[:, :, t]
    return full[(slice(None), slice(None)) + tuple(slice(pads[i], pads[i] + m) for i, m in enumerate(sp))]


def _conv_weight_grad_matmul(x, g, ks, strides, pads, dilations, group):
    """dW of Conv in BLAS: g times the input's columns, summed over images and positions in one matmul."""
    n, o = g.shape[:2]
    cols, _ = _im2col(x, ks, strides, pads, dilations, group)          # (N, group, C/group*taps, P)
    k, p = cols.shape[2], cols.shape[3]
    gg = g.reshape(n, group, o // group, p).transpose(1, 2, 0, 3).reshape(group, o // group, n * p)
    cc = cols.transpose(1, 0, 3, 2).reshape(group, n * p, k)
    return np.matmul(gg, cc).reshape((o, x.shape[1] // group) + tuple(ks))


def _conv_transpose(x, w, b=None, strides=None, pads=None, dilations=None, group=1, output_padding=None,
                    kernel_shape=None, auto_pad=None, output_shape=None):
    nd = x.ndim - 2
    strides, pads, dilations = _geometry(nd, strides, pads, dilations)
    output_padding = tuple(output_padding) if output_padding is not None else (0,) * nd
    n, c = x.shape[:2]
    cg, og = c // group, w.shape[1]
    ks, sp = w.shape[2:], x.shape[2:]
    acc = _acc(x.dtype)
    positions = int(np.prod(sp, dtype=np.int64))
    ntaps = int(np.prod(ks, dtype=np.int64))
    # every tap's contribution at once: (N, group, O/group * taps, positions) = W^T @ x per group
    wg = w.astype(acc, copy=False).reshape(group, cg, og * ntaps).transpose(0, 2, 1)
    contrib = np.matmul(wg, x.astype(acc, copy=False).reshape(n, group, cg, positions))
    contrib = contrib.reshape((n, group, og, ntaps) + tuple(sp))
    full_sp = tuple((m - 1) * s + d * (k - 1) + 1 + op
                    for m, s, d, k, op in zip(sp, strides, dilations, ks, output_padding))
    full = np.zeros((n, group, og) + full_sp, acc)
    for t, tap in enumerate(itertools.product(*[range(k) for k in ks])):
        sl = tuple(slice(i * d, i * d + s * (m - 1) + 1, s) for i, d, s, m in zip(tap, dilations, strides, sp))
        full[(slice(None),) * 3 + sl] += contrib[:, :, :, t]
    crop = tuple(slice(pads[i], full_sp[i] - pads[i + nd]) for i in range(nd))
    out = full[(slice(None),) * 3 + crop].reshape((n, group * og) + tuple(m - pads[i] - pads[i + nd]
                                                                          for i, m in enumerate(full_sp)))
    if b is not None:
        out = out + b.astype(acc, copy=False).reshape((1, group * og) + (1,) * nd)
    return out.astype(x.dtype, copy=False)


def _common_infer(op, x, w, b, group):
    (xs, xdt), (ws, wdt) = x, w
    if len(xs) < 3 or len(ws) != len(xs):
        raise ShapeError(f"{op}: expected input (N, C, *spatial) and weight of the same rank, got input "
                         f"{fmt(xs)} and weight {fmt(ws)}")
    if xdt != wdt or (b is not None and b[1] != xdt):
        raise ShapeError(f"{op}: input, weight and bias must have the same dtype, got {xdt}, {wdt}"
                         f"{', ' + b[1] if b is not None else ''}")
    if group < 1:
        raise ShapeError(f"{op}: group must be positive, got {group}")


def _conv_infer(x, w, b=None, strides=None, pads=None, dilations=None, group=1, kernel_shape=None, auto_pad=None):
    _check_auto_pad("Conv", auto_pad)
    _common_infer("Conv", x, w, b, group)
    (xs, xdt), (ws, _) = x, w
    nd = len(xs) - 2
    strides, pads, dilations = _geometry(nd, strides, pads, dilations)
    if ws[0] % group or xs[1] != ws[1] * group:
        raise ShapeError(f"Conv: weight {fmt(ws)} with group={group} does not fit input {fmt(xs)}")
    if b is not None and tuple(b[0]) != (ws[0],):
        raise ShapeError(f"Conv: bias of shape {fmt(b[0])}, expected ({ws[0]},)")
    out = tuple(_conv_out_size(xs[2 + i], ws[2 + i], strides[i], pads[i], pads[i + nd], dilations[i])
                for i in range(nd))
    if min(out, default=1) < 1:
        raise ShapeError(f"Conv: kernel {fmt(ws[2:])} is larger than the padded input {fmt(xs)}")
    return [((xs[0], ws[0]) + out, xdt)]


def _conv_transpose_size(m, k, s, pb, pe, d, op):
    return (m - 1) * s - pb - pe + d * (k - 1) + op + 1


def _conv_transpose_infer(x, w, b=None, strides=None, pads=None, dilations=None, group=1, output_padding=None,
                          kernel_shape=None, auto_pad=None, output_shape=None):
    _check_auto_pad("ConvTranspose", auto_pad)
    if output_shape is not None:
        raise ShapeError("ConvTranspose: output_shape is not supported; give pads and output_padding")
    _common_infer("ConvTranspose", x, w, b, group)
    (xs, xdt), (ws, _) = x, w
    nd = len(xs) - 2
    strides, pads, dilations = _geometry(nd, strides, pads, dilations)
    output_padding = tuple(output_padding) if output_padding is not None else (0,) * nd
    if xs[1] != ws[0] or ws[0] % group:
        raise ShapeError(f"ConvTranspose: weight {fmt(ws)} with group={group} does not fit input {fmt(xs)}")
    o = ws[1] * group
    if b is not None and tuple(b[0]) != (o,):
        raise ShapeError(f"ConvTranspose: bias of shape {fmt(b[0])}, expected ({o},)")
    out = tuple(_conv_transpose_size(xs[2 + i], ws[2 + i], strides[i], pads[i], pads[i + nd], dilations[i],
                                     output_padding[i]) for i in range(nd))
    if min(out, default=1) < 1:
        raise ShapeError(f"ConvTranspose: the output size {fmt(out)} is not positive (input {fmt(xs)}, "
                         f"weight {fmt(ws)}, pads {fmt(pads)})")
    return [((xs[0], o) + out, xdt)]


# -- gradients -----------------------------------------------------------------------------------------
def _crop(v, sizes):
    """v's trailing spatial axes cut to `sizes` (a Slice only where an axis is longer)."""
    nd = len(sizes)
    if tuple(v.shape[2:]) == tuple(sizes):
        return v
    return v._op("Slice", v, starts=(0,) * nd, ends=tuple(sizes), axes=tuple(range(2, 2 + nd)), steps=(1,) * nd)


def _swap_batch_channels(v, group, lead_groups):
    """(N, group*k, *S) -> (k, group*N, *S) when lead_groups (the grouped operand), else
    (group*k, N, *S) (channels first, then batch)."""
    n, ch = v.shape[0], v.shape[1]
    sp = tuple(v.shape[2:])
    nd = len(sp)
    if lead_groups:
        k = ch // group
        r = v.reshape_to((n, group, k) + sp).permute_to((2, 1, 0) + tuple(range(3, 3 + nd)))
        return r.reshape_to((k, group * n) + sp)
    return v.permute_to((1, 0) + tuple(range(2, 2 + nd)))


def _weight_grad(big, small, ks, strides, pads, dilations, group):
    """sum over batch and positions of big[n, p, j*s + t*d - pad] * small[n, q, j]: the weight
    gradient of both ops, as one grouped Conv of `big` (as batch x channels swapped, grouped) by
    `small` (as a kernel), stride and dilation exchanged. Returns (big channels/group, small
    channels, *K)."""
    nd = len(ks)
    a = _swap_batch_channels(big, group, True)        # (P/group, group*N, *S_big)
    kern = _swap_batch_channels(small, group, False)  # (Q, N, *S_small)
    out = a._op("Conv", a, kern, strides=tuple(dilations), pads=tuple(pads), dilations=tuple(strides), group=group)
    return _crop(out, ks)                              # (P/group, Q, *K)


def _bias_grad(g):
    return g.reduce_sum((0,) + tuple(range(2, g.ndim)), False)


def _eager(*values):
    """A plain eager backward (no create_graph, no capture): the numpy kernels in PyTorch's order may
    run; otherwise the gradients are composed of ops, so they differentiate and export."""
    from ...frontend.grad_mode import STATE
    return not STATE.grad_enabled and STATE.tracer is None and all(hasattr(v, "_data") for v in values)


def _conv_vjp(g, out, x, w, b=None, strides=None, pads=None, dilations=None, group=1, kernel_shape=None,
              auto_pad=None):
    nd = x.ndim - 2
    strides, pads, dilations = _geometry(nd, strides, pads, dilations)
    ks, sp = tuple(w.shape[2:]), tuple(x.shape[2:])

    eager = _eager(g, x, w) and g._data.dtype == x._data.dtype
    # the backward orders are measured without dilation (dilated backward kernels sum otherwise)
    ordered = eager and all(d == 1 for d in dilations)
    n, o, c = x.shape[0], w.shape[0], x.shape[1]
    ntaps = int(np.prod(ks, dtype=np.int64))
    positions = int(np.prod(tuple(g.shape[2:]), dtype=np.int64))

    def grad_x():
        if ordered and _ordered_ok(x._data, w._data, group, ntaps * o, n * c * positions * ntaps * o, o):
            from ...frontend.tensor import _wrap
            return _wrap(_conv_input_grad_ordered(g._data, w._data, sp, strides, pads, dilations))
        if eager:
            from ...frontend.tensor import _wrap
            return _wrap(_conv_input_grad_matmul(g._data, w._data, sp, strides, pads, dilations, group))
        # the transposed conv of g by W, with the output_padding that gives back x's size
        op = tuple(sp[i] - _conv_transpose_size(g.shape[2 + i], ks[i], strides[i], pads[i], pads[i + nd],
                                                dilations[i], 0) for i in range(nd))
        return g._op("ConvTranspose", g, w, strides=strides, pads=pads, dilations=dilations, group=group,
                     output_padding=op)

    # oneDNN's weight-gradient kernel also sums the bias gradient: the same split, plain adds
    split = _weight_grad_split(n, tuple(g.shape[2:])) if ordered and x.ndim in (3, 4) else None
    steps = max(e - b for b, e in split) * (positions // (g.shape[2] if nd == 2 else 1)) if split else 0
    if split is not None and not _ordered_ok(x._data, w._data, group, steps, n * positions * o * c * ntaps, c):
        split = None

    def grad_w():
        if split is not None:
            from ...frontend.tensor import _wrap
            return _wrap(_conv_weight_grad_ordered(x._data, g._data, ks, strides, pads, dilations, split))
        if eager:
            from ...frontend.tensor import _wrap
            return _wrap(_conv_weight_grad_matmul(x._data, g._data, ks, strides, pads, dilations, group))
        # dW[o, c, t] = sum x[n, c, j*s + t*d - p] g[n, o, j]: (C/group, O, *K) -> (O, C/group, *K)
        dw = _weight_grad(x, g, ks, strides, pads, dilations, group)
        return dw.permute_to((1, 0) + tuple(range(2, 2 + nd)))

    def grad_b():
        if split is not None:
            from ...frontend.tensor import _wrap
            return _wrap(_conv_bias_grad_ordered(g._data, split))
        return _bias_grad(g)
    grads = (grad_x, grad_w)
    return grads if b is None else grads + (grad_b,)


def _conv_transpose_vjp(g, out, x, w, b=None, strides=None, pads=None, dilations=None, group=1,
                        output_padding=None, kernel_shape=None, auto_pad=None, output_shape=None):
    nd = x.ndim - 2
    strides, pads, dilations = _geometry(nd, strides, pads, dilations)
    ks, sp = tuple(w.shape[2:]), tuple(x.shape[2:])

    def grad_x():
        # the adjoint of the adjoint: the conv of g by W (W's (C, O/group) layout is Conv's (out, in/group))
        dx = g._op("Conv", g, w, strides=strides, pads=pads, dilations=dilations, group=group)
        return _crop(dx, sp)

    def grad_w():
        # dW[c, o, t] = sum g[n, o, i*s + t*d - p] x[n, c, i]: (O/group, C, *K) -> (C, O/group, *K)
        dw = _weight_grad(g, x, ks, strides, pads, dilations, group)
        return dw.permute_to((1, 0) + tuple(range(2, 2 + nd)))
    grads = (grad_x, grad_w)
    return grads if b is None else grads + (lambda: _bias_grad(g),)


defop("Conv", eager=_conv, infer=_conv_infer, vjp=_conv_vjp, saves=(0, 1), family=F,
      grad_name="ConvolutionBackward0")
defop("ConvTranspose", eager=_conv_transpose, infer=_conv_transpose_infer, vjp=_conv_transpose_vjp, saves=(0, 1),
      family=F, grad_name="ConvolutionBackward0")

"""Registry ops Conv and ConvTranspose (ONNX's, with ONNX's attributes): the kernels behind
F.conv_transpose1d/2d (nn.ConvTranspose1d/2d), and the convolution their gradients are made of.

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
Kernels compute float32 through float64 matmuls (results within an ulp of exact, as PyTorch's are).
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


def _conv(x, w, b=None, strides=None, pads=None, dilations=None, group=1, kernel_shape=None, auto_pad=None):
    nd = x.ndim - 2
    strides, pads, dilations = _geometry(nd, strides, pads, dilations)
    n, c = x.shape[:2]
    o, cg = w.shape[:2]
    ks = w.shape[2:]
    acc = _acc(x.dtype)
    xp = np.pad(x.astype(acc, copy=False), [(0, 0), (0, 0)] + [(pads[i], pads[i + nd]) for i in range(nd)])
    out_sp = tuple(_conv_out_size(x.shape[2 + i], ks[i], strides[i], pads[i], pads[i + nd], dilations[i])
                   for i in range(nd))
    xg = xp.reshape((n, group, cg) + xp.shape[2:])
    taps = []
    for tap in itertools.product(*[range(k) for k in ks]):
        sl = tuple(slice(t * d, t * d + s * (m - 1) + 1, s) for t, d, s, m in zip(tap, dilations, strides, out_sp))
        taps.append(xg[(slice(None),) * 3 + sl])
    # columns (N, group, C/group * taps, positions), the taps innermost as in W's row-major layout
    cols = np.stack(taps, axis=3).reshape(n, group, cg * len(taps), int(np.prod(out_sp, dtype=np.int64)))
    wg = w.astype(acc, copy=False).reshape(group, o // group, cg * len(taps))
    out = np.matmul(wg, cols).reshape((n, o) + out_sp)
    if b is not None:
        out = out + b.astype(acc, copy=False).reshape((1, o) + (1,) * nd)
    return out.astype(x.dtype, copy=False)


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


def _conv_vjp(g, out, x, w, b=None, strides=None, pads=None, dilations=None, group=1, kernel_shape=None,
              auto_pad=None):
    nd = x.ndim - 2
    strides, pads, dilations = _geometry(nd, strides, pads, dilations)
    ks, sp = tuple(w.shape[2:]), tuple(x.shape[2:])

    def grad_x():
        # the transposed conv of g by W, with the output_padding that gives back x's size
        op = tuple(sp[i] - _conv_transpose_size(g.shape[2 + i], ks[i], strides[i], pads[i], pads[i + nd],
                                                dilations[i], 0) for i in range(nd))
        return g._op("ConvTranspose", g, w, strides=strides, pads=pads, dilations=dilations, group=group,
                     output_padding=op)

    def grad_w():
        # dW[o, c, t] = sum x[n, c, j*s + t*d - p] g[n, o, j]: (C/group, O, *K) -> (O, C/group, *K)
        dw = _weight_grad(x, g, ks, strides, pads, dilations, group)
        return dw.permute_to((1, 0) + tuple(range(2, 2 + nd)))
    grads = (grad_x, grad_w)
    return grads if b is None else grads + (lambda: _bias_grad(g),)


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

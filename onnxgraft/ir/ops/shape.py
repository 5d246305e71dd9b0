"""Shape ops: Reshape, Transpose, Expand, Squeeze, Unsqueeze, Concat, Slice, Pad, Gather.

Shapes are attributes with every size resolved (no -1, no 0-copy), so the exported step has
static shapes; the exporter turns them into constant inputs where ONNX wants inputs.
"""
import numpy as np

from .registry import defop, ShapeError
from .shape_rules import fmt, normalize_axis

F = "shape"


def _reshape_infer(x, shape):
    n_in, n_out = int(np.prod(x[0], dtype=np.int64)), int(np.prod(shape, dtype=np.int64))
    if n_in != n_out:
        raise ShapeError(f"reshape: shape '[{', '.join(map(str, shape))}]' is invalid for input "
                         f"of size {n_in}")
    return [(tuple(shape), x[1])]


# forward: reshape(x, shape); backward: reshape(g, x.shape)
defop("Reshape", eager=lambda x, shape: np.reshape(x, shape), infer=_reshape_infer, family=F,
      grad_name="ViewBackward0", vjp=lambda g, out, x, shape: (g.reshape_to(x.shape),))


def _transpose_infer(x, perm):
    if sorted(perm) != list(range(len(x[0]))):
        raise ShapeError(f"permute: {tuple(perm)} is not a permutation of the "
                         f"{len(x[0])} dimensions of a tensor of shape {fmt(x[0])}")
    return [(tuple(x[0][p] for p in perm), x[1])]


# forward: transpose(x, perm); backward: transpose(g, inverse(perm))
defop("Transpose", eager=lambda x, perm: np.transpose(x, perm).copy(), infer=_transpose_infer,
      family=F, grad_name="PermuteBackward0",
      vjp=lambda g, out, x, perm: (g.permute_to(np.argsort(perm)),))


def _expand_infer(x, shape):
    shape = tuple(shape)
    src = x[0]
    if len(shape) < len(src):
        raise ShapeError(f"expand: the number of sizes provided ({len(shape)}) must be greater or "
                         f"equal to the number of dimensions in the tensor ({len(src)})")
    # checked from the last dimension, with PyTorch's text
    for i in range(len(shape) - 1, len(shape) - len(src) - 1, -1):
        d = src[i - len(shape) + len(src)]
        if d != 1 and d != shape[i]:
            raise ShapeError(
                f"The expanded size of the tensor ({shape[i]}) must match the existing size ({d}) at "
                f"non-singleton dimension {i}.  Target sizes: [{', '.join(map(str, shape))}].  "
                f"Tensor sizes: [{', '.join(map(str, src))}]")
    return [(shape, x[1])]


# forward: broadcast x to shape; backward: sum_to(g, x.shape)
defop("Expand", eager=lambda x, shape: np.broadcast_to(x, shape).copy(), infer=_expand_infer,
      family=F, grad_name="ExpandBackward0", vjp=lambda g, out, x, shape: (g.sum_to(x.shape),))


def _unsqueeze_infer(x, axes):
    ndim = len(x[0]) + len(axes)
    axes = sorted(normalize_axis("unsqueeze", a, ndim) for a in axes)
    shape = list(x[0])
    for a in axes:
        shape.insert(a, 1)
    return [(tuple(shape), x[1])]


# forward: insert size-1 axes; backward: reshape(g, x.shape)
defop("Unsqueeze", eager=lambda x, axes: np.reshape(x, _unsqueeze_infer((x.shape, ""), axes)[0][0]),
      infer=_unsqueeze_infer, family=F, grad_name="UnsqueezeBackward0",
      vjp=lambda g, out, x, axes: (g.reshape_to(x.shape),))


def _squeeze_infer(x, axes=None):
    shape = x[0]
    if axes is None:
        return [(tuple(s for s in shape if s != 1), x[1])]
    axes = {normalize_axis("squeeze", a, len(shape)) for a in axes}
    return [(tuple(s for i, s in enumerate(shape) if not (i in axes and s == 1)), x[1])]


# forward: drop size-1 axes; backward: reshape(g, x.shape)
defop("Squeeze", eager=lambda x, axes=None: np.reshape(x, _squeeze_infer((x.shape, ""), axes)[0][0]),
      infer=_squeeze_infer, family=F, grad_name="SqueezeBackward0",
      vjp=lambda g, out, x, axes=None: (g.reshape_to(x.shape),))


def _concat_infer(*xs, axis):
    first = xs[0][0]
    for i, (s, _) in enumerate(xs):
        if not s:
            raise ShapeError(f"zero-dimensional tensor (at position {i}) cannot be concatenated")
    axis = normalize_axis("cat", axis, len(first))
    # PyTorch's texts, word for word
    for i, (s, _) in enumerate(xs[1:], 1):
        if len(s) != len(first):
            raise ShapeError(f"Tensors must have same number of dimensions: got {len(first)} and {len(s)}")
        for k, (a, b) in enumerate(zip(first, s)):
            if k != axis and a != b:
                raise ShapeError(f"Sizes of tensors must match except in dimension {axis}. Expected "
                                 f"size {a} but got size {b} for tensor number {i} in the list.")
    size = sum(s[axis] for s, _ in xs)
    return [(first[:axis] + (size,) + first[axis + 1:], xs[0][1])]


def _concat_vjp(g, out, *xs, axis):
    # forward: concat(xs, axis); backward: the slice of g that each input filled
    axis = axis % len(out.shape)
    grads, start = [], 0
    for x in xs:
        stop = start + x.shape[axis]
        grads.append(g._op("Slice", g, starts=(start,), ends=(stop,), axes=(axis,), steps=(1,)))
        start = stop
    return tuple(grads)


defop("Concat", eager=lambda *xs, axis: np.concatenate(xs, axis=axis), infer=_concat_infer,
      vjp=_concat_vjp, family=F, grad_name="CatBackward0")


def _slices(shape, starts, ends, axes, steps):
    index = [slice(None)] * len(shape)
    for s, e, a, st in zip(starts, ends, axes, steps):
        index[a] = slice(s, e, st)
    return tuple(index)


def _slice(x, starts, ends, axes, steps):
    return x[_slices(x.shape, starts, ends, axes, steps)].copy()


def _slice_infer(x, starts, ends, axes, steps):
    shape = list(x[0])
    for s, e, a, st in zip(starts, ends, axes, steps):
        a = normalize_axis("slice", a, len(shape))
        shape[a] = len(range(*slice(s, e, st).indices(shape[a])))
    return [(tuple(shape), x[1])]


def _slice_vjp(g, out, x, starts, ends, axes, steps):
    # forward: x[start:end:step] on axes; backward: g padded with zeros back to x's shape.
    # Steps other than 1 scatter: every step-th entry of a zero tensor (built by Pad + Reshape).
    if any(st != 1 for st in steps):
        return (g._op("SliceGrad", g, shape=tuple(x.shape), starts=starts, ends=ends, axes=axes,
                      steps=steps),)
    pads = [0] * (2 * x.ndim)
    for s, e, a, st in zip(starts, ends, axes, steps):
        a = a % x.ndim
        lo, hi, _ = slice(s, e, 1).indices(x.shape[a])
        hi = max(hi, lo)
        pads[a], pads[x.ndim + a] = lo, x.shape[a] - hi
    return (g._op("Pad", g, pads=tuple(pads)),)


defop("Slice", eager=_slice, infer=_slice_infer, vjp=_slice_vjp, family=F, grad_name="SliceBackward0")


def _pad(x, pads, value=0.0):
    n = x.ndim
    return np.pad(x, [(pads[i], pads[n + i]) for i in range(n)], constant_values=value)


def _pad_infer(x, pads, value=0.0):
    n = len(x[0])
    return [(tuple(s + pads[i] + pads[n + i] for i, s in enumerate(x[0])), x[1])]


def _pad_vjp(g, out, x, pads, value=0.0):
    # forward: constant padding; backward: the slice of g that x filled
    n = x.ndim
    return (g._op("Slice", g, starts=tuple(pads[:n]), ends=tuple(pads[i] + x.shape[i] for i in range(n)),
                  axes=tuple(range(n)), steps=(1,) * n),)


defop("Pad", eager=_pad, infer=_pad_infer, vjp=_pad_vjp, family=F, grad_name="ConstantPadNdBackward0")


def _slice_grad(g, shape, starts, ends, axes, steps):
    out = np.zeros(shape, dtype=g.dtype)
    out[_slices(shape, starts, ends, axes, steps)] = g
    return out


defop("SliceGrad", eager=_slice_grad, infer=lambda g, shape, **kw: [(tuple(shape), g[1])], family=F,
      vjp=lambda gg, out, g, shape, starts, ends, axes, steps: (
          gg._op("Slice", gg, starts=starts, ends=ends, axes=axes, steps=steps),))


def _gather(x, idx, axis=0):
    return np.take(x, idx, axis=axis)


def _gather_infer(x, idx, axis=0):
    axis = normalize_axis("index_select", axis, len(x[0]))
    return [(x[0][:axis] + tuple(idx[0]) + x[0][axis + 1:], x[1])]


def _gather_vjp(g, out, x, idx, axis=0):
    # forward: take(x, idx, axis); backward: g scatter-added into zeros of x's shape
    return (g._op("GatherGrad", g, idx, shape=tuple(x.shape), axis=axis % x.ndim), None)


defop("Gather", eager=_gather, infer=_gather_infer, vjp=_gather_vjp, saves=(1,), family=F,
      grad_name="IndexBackward0")


def _gather_grad(g, idx, shape, axis):
    out = np.zeros(shape, dtype=g.dtype)
    moved = np.moveaxis(out, axis, 0)
    gm = g.reshape(g.shape[:axis] + (-1,) + g.shape[axis + idx.ndim:]) if idx.ndim != 1 else g
    np.add.at(moved, idx.reshape(-1), np.moveaxis(gm, axis, 0))
    return out


defop("GatherGrad", eager=_gather_grad, infer=lambda g, idx, shape, axis: [(tuple(shape), g[1])],
      family=F, saves=(1,),
      vjp=lambda gg, out, g, idx, shape, axis: (gg._op("Gather", gg, idx, axis=axis), None))

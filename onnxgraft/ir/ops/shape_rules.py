"""Shared shape/dtype rules. Each is a pure function of input metas ((shape, dtype) pairs) and
attributes, returns a list of output metas, and raises ShapeError in the user's terms."""
from .registry import ShapeError


def fmt(shape):
    return "(" + ", ".join(str(s) for s in shape) + ("," if len(shape) == 1 else "") + ")"


def broadcast_shapes(op, *shapes):
    ndim = max(len(s) for s in shapes)
    out = []
    for axis in range(ndim):
        size = 1
        for s in shapes:
            k = axis - (ndim - len(s))
            if k < 0:
                continue
            d = s[k]
            if d != 1:
                if size not in (1, d):
                    raise ShapeError(f"{op}: shapes {', '.join(fmt(s) for s in shapes)} cannot be "
                                     f"broadcast together (size {size} vs {d} at dimension {axis})")
                size = d
        out.append(size)
    return tuple(out)


def same(x, **attrs):
    """Output like the (only) input."""
    return [x]


def broadcast(op):
    def rule(*metas, **attrs):
        return [(broadcast_shapes(op, *(m[0] for m in metas)), metas[0][1])]
    return rule


def compare(op):
    def rule(*metas, **attrs):
        return [(broadcast_shapes(op, *(m[0] for m in metas)), "bool")]
    return rule


def normalize_axis(op, axis, ndim):
    if not -max(ndim, 1) <= axis < max(ndim, 1):
        raise ShapeError(f"{op}: dimension {axis} is out of range for a tensor of {ndim} "
                         f"dimensions (expected to be in range of [{-max(ndim, 1)}, {max(ndim, 1) - 1}])")
    return axis % max(ndim, 1)


def reduced(op):
    def rule(x, axes=None, keepdims=1):
        shape, dtype = x
        axes = range(len(shape)) if axes is None else {normalize_axis(op, a, len(shape)) for a in axes}
        out = tuple((1 if i in axes else s) for i, s in enumerate(shape) if keepdims or i not in axes)
        return [(out, dtype)]
    return rule

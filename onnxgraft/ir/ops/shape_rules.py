"""Shared shape/dtype rules. Each is a pure function of input metas ((shape, dtype) pairs) and
attributes, returns a list of output metas, and raises ShapeError in the user's terms."""
from .registry import ShapeError


def fmt(shape):
    return "(" + ", ".join(str(s) for s in shape) + ("," if len(shape) == 1 else "") + ")"


def broadcast_shapes(op, *shapes):
    """The broadcast shape of `shapes` (for op `op`). Folded left to right and checked from the
    last dimension, as PyTorch's TensorIterator does, so the error is PyTorch's word for word:
    "tensor a" is the shape broadcast so far, "tensor b" the next operand, and the dimension
    counts in the result."""
    out = tuple(shapes[0])
    for b in shapes[1:]:
        a, b = out, tuple(b)
        ndim = max(len(a), len(b))
        res = [1] * ndim
        for i in range(ndim - 1, -1, -1):
            sa = a[i - ndim + len(a)] if i - ndim + len(a) >= 0 else 1
            sb = b[i - ndim + len(b)] if i - ndim + len(b) >= 0 else 1
            if sa != sb and sa != 1 and sb != 1:
                raise ShapeError(f"The size of tensor a ({sa}) must match the size of tensor b ({sb}) "
                                 f"at non-singleton dimension {i}")
            res[i] = sb if sa == 1 else sa
        out = tuple(res)
    return out


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
        if axes is not None:
            listed = [normalize_axis(op, a, len(shape)) for a in axes]
            for a in listed:
                if listed.count(a) > 1:
                    raise ShapeError(f"dim {a} appears multiple times in the list of dims")
        axes = range(len(shape)) if axes is None else set(listed)
        out = tuple((1 if i in axes else s) for i, s in enumerate(shape) if keepdims or i not in axes)
        return [(out, dtype)]
    return rule

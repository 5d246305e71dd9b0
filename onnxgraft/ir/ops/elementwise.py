"""Elementwise ops: arithmetic, unary math, comparisons, Where, Cast, Clip.

Each VJP undoes broadcasting with one `sum_to`. One-line forms: `forward: ...; backward: ...`.
"""
import numpy as np

from .registry import defop
from .shape_rules import broadcast, compare, same

F = "elementwise"


def _div(x, y):
    # Integer division floors, as torch.floor_divide and numpy's //. onnxruntime's integer Div
    # truncates toward zero instead, so the ONNX lowering of Div corrects for it.
    if x.dtype.kind in "iub":
        return np.floor_divide(x, y)
    return np.true_divide(x, y)


def _pow(x, y):
    if x.dtype.kind in "iu" and y.dtype.kind in "iu" and np.any(y < 0):
        # PyTorch's integer power of tensors: x ** -n is 1 for x == 1, +-1 for x == -1, else 0
        # (a negative *number* exponent is refused earlier, by Tensor.__pow__, as PyTorch does)
        x, y = np.broadcast_arrays(x, y)
        inverse = np.where(x == 1, 1, np.where(x == -1, np.where(y % 2 == 0, 1, -1), 0))
        return np.where(y < 0, inverse, np.power(x, np.maximum(y, 0))).astype(x.dtype, copy=False)
    if x.dtype.kind == "f" and np.ndim(y) == 0:
        # PyTorch's kernel for a number exponent specializes these, bit for bit (a general
        # power rounds differently from the products)
        e = float(y)
        with np.errstate(divide="ignore", invalid="ignore"):
            if e == 2.0:
                return x * x
            if e == 3.0:
                return x * x * x
            if e == -2.0:
                return (1 / (x * x)).astype(x.dtype, copy=False)
            if e == 0.5:
                return np.sqrt(x)
            if e == -0.5:
                return (1 / np.sqrt(x)).astype(x.dtype, copy=False)
            if e == -1.0:
                return (1 / x).astype(x.dtype, copy=False)
    return np.power(x, y).astype(x.dtype, copy=False)


# forward: x + y; backward: g, g (each summed to its input's shape; lazy, so that the constant
# of x + 1 costs no reduction)
defop("Add", eager=np.add, infer=broadcast("add"), family=F,
      vjp=lambda g, out, x, y: (lambda: g.sum_to(x.shape), lambda: g.sum_to(y.shape)))
# forward: x - y; backward: g, -g
defop("Sub", eager=np.subtract, infer=broadcast("sub"), family=F,
      vjp=lambda g, out, x, y: (g.sum_to(x.shape), lambda: (-g).sum_to(y.shape)))
# forward: x * y; backward: g * y, g * x
defop("Mul", eager=np.multiply, infer=broadcast("mul"), saves=(0, 1), family=F,
      vjp=lambda g, out, x, y: (lambda: (g * y).sum_to(x.shape), lambda: (g * x).sum_to(y.shape)))
# forward: x / y; backward: g / y, -g * ((x / y) / y)
defop("Div", eager=_div, infer=broadcast("div"), saves=(0, 1), family=F,
      vjp=lambda g, out, x, y: (lambda: (g / y).sum_to(x.shape),
                                lambda: (-g * ((x / y) / y)).sum_to(y.shape)))  # PyTorch's div_tensor_other_backward order
# forward: x ** y; backward: g * y * x^(y-1), g * out * log(x)  (the second only if y needs it)
defop("Pow", eager=_pow, infer=broadcast("pow"), saves=(0, 1, "out"), family=F,
      vjp=lambda g, out, x, y: (lambda: (g * (y * x ** (y - 1))).sum_to(x.shape),
                                lambda: (g * out * x.log()).sum_to(y.shape)))

# forward: -x; backward: -g
defop("Neg", eager=np.negative, infer=same, family=F, vjp=lambda g, out, x: (-g,))
def _f64(fn):
    """A float32 kernel evaluated in float64 and rounded once: correctly rounded, as PyTorch's
    CPU exp/log/tanh/sin/cos nearly always are, where numpy's own float32 loops are often an ulp
    off (a loss printed to 7 digits then differs)."""
    def kernel(x):
        if x.dtype != np.float32:
            return fn(x)
        with np.errstate(all="ignore"):  # inf and NaN results are answers, as in PyTorch
            return np.asarray(fn(x.astype(np.float64)).astype(np.float32))
    kernel.__name__ = fn.__name__
    return kernel


# forward: exp(x); backward: g * out
defop("Exp", eager=_f64(np.exp), infer=same, saves=("out",), family=F, vjp=lambda g, out, x: (g * out,))
# forward: log(x); backward: g / x
defop("Log", eager=_f64(np.log), infer=same, saves=(0,), family=F, vjp=lambda g, out, x: (g / x,))
# forward: sqrt(x); backward: g / (2 out)
defop("Sqrt", eager=np.sqrt, infer=same, saves=("out",), family=F,
      vjp=lambda g, out, x: (g / (out * 2),))
# forward: |x|; backward: g * sign(x)  (0 at x = 0, as PyTorch)
defop("Abs", eager=np.abs, infer=same, saves=(0,), family=F, vjp=lambda g, out, x: (g * x.sign(),))
# forward: sign(x); backward: 0 almost everywhere, so no gradient flows
defop("Sign", eager=np.sign, infer=same, family=F, vjp=lambda g, out, x: (g * 0,))
# forward: 1 / x; backward: -g * (out * out), PyTorch's order of roundings
defop("Reciprocal", eager=np.reciprocal, infer=same, saves=("out",), family=F,
      vjp=lambda g, out, x: (-g * (out * out),))
# forward: sin(x); backward: g * cos(x)
defop("Sin", eager=_f64(np.sin), infer=same, saves=(0,), family=F, vjp=lambda g, out, x: (g * x.cos(),))
# forward: cos(x); backward: -g * sin(x)
defop("Cos", eager=_f64(np.cos), infer=same, saves=(0,), family=F, vjp=lambda g, out, x: (-g * x.sin(),))
# forward: tan(x); backward: g * (1 + out^2)
defop("Tan", eager=np.tan, infer=same, saves=("out",), family=F,
      vjp=lambda g, out, x: (g * (1 + out * out),))

# forward: tanh(x); backward: g * (1 - out^2)
def _backward_runs_eagerly(*values):
    """True when a VJP runs on float32 tensors and records nothing (no create_graph, no capture):
    it may then compute PyTorch's fused kernel in numpy instead of composing ops."""
    from ...frontend.grad_mode import STATE
    return (not STATE.grad_enabled and STATE.tracer is None
            and all(getattr(getattr(v, "_data", None), "dtype", None) == np.float32 for v in values))


def _tanh_vjp(g, out, x):
    # PyTorch's tanh_backward is g * (1 - y * y) with 1 - y * y one fused multiply-subtract
    if _backward_runs_eagerly(g, out):
        from ...frontend.tensor import _wrap
        y = out._data.astype(np.float64)
        return (_wrap(g._data * (1.0 - y * y).astype(np.float32)),)
    return (g * (1 - out * out),)


defop("Tanh", eager=_f64(np.tanh), infer=same, saves=("out",), family=F, vjp=_tanh_vjp)

# PyTorch's sigmoid kernel runs vectorised over blocks of 32 float32 elements, with SLEEF's exp,
# and the remaining n % 32 elements through std::exp (glibc's expf, not always correctly rounded); one thread handles up to
# 32768 elements, larger tensors are split between threads (each part with its own tail, which is
# not reproduced: elements there can differ in the last bit)
_SIGMOID_BLOCK = 32


def _sigmoid(x):
    # 1 / (1 + exp(-x)); exp(-x) = inf for very negative x gives the exact 0
    with np.errstate(over="ignore"):
        if x.dtype == np.float32:
            from .glibc_float import expf_vectorized
            from .sleef import sleef_expf
            flat = -np.ascontiguousarray(x).reshape(-1)
            vector_part = x.size - x.size % _SIGMOID_BLOCK
            e = np.empty_like(flat)
            e[:vector_part] = sleef_expf(flat[:vector_part])
            e[vector_part:] = expf_vectorized(flat[vector_part:])    # the scalar tail: glibc's expf
            e = e.reshape(x.shape)
        else:
            e = _f64(np.exp)(np.negative(x))
        one = np.asarray(1, dtype=x.dtype)
        return np.asarray(one / (one + e)).astype(x.dtype, copy=False)


# forward: 1 / (1 + exp(-x)); backward: g * (1 - out) * out, in PyTorch's order of roundings
defop("Sigmoid", eager=_sigmoid, infer=same, saves=("out",), family=F,
      vjp=lambda g, out, x: (g * (1 - out) * out,))
# forward: max(x, 0); backward: g where out > 0. At x = 0 the subgradient is 0, as in PyTorch.
defop("Relu", eager=lambda x: np.maximum(x, 0, dtype=x.dtype), infer=same, saves=("out",),
      family=F, vjp=lambda g, out, x: ((out > 0).select(g, 0),))
# forward: x; no gradient flows back (detach() inside a captured step). Exported as Identity.
defop("StopGradient", eager=lambda x: x.copy(), infer=same, differentiable=False, family=F)
# forward: x; backward: g
defop("Identity", eager=lambda x: x.copy(), infer=same, family=F, vjp=lambda g, out, x: (g,))


def _cast_infer(x, to):
    return [(x[0], to)]


def _cast_vjp(g, out, x, to):
    # forward: cast(x, to); backward: cast(g, x.dtype); none into integer inputs
    return (g.cast_to(x.dtype),) if x.dtype.startswith("float") else (None,)


defop("Cast", eager=lambda x, to: x.astype(to), infer=_cast_infer, vjp=_cast_vjp, family=F)


def _clip(x, min=None, max=None):
    return np.clip(x, min, max).astype(x.dtype, copy=False)


def _clip_vjp(g, out, x, min=None, max=None):
    # forward: clamp(x, min, max); backward: g where min <= x <= max (inclusive, as PyTorch)
    keep = None
    if min is not None:
        keep = x >= min
    if max is not None:
        upper = x <= max
        keep = upper if keep is None else keep.logical_and(upper)
    return (g if keep is None else keep.select(g, 0),)


defop("Clip", eager=_clip, infer=same, vjp=_clip_vjp, saves=(0,), family=F,
      grad_name="ClampBackward1")


def _where_infer(c, x, y):
    from .shape_rules import broadcast_shapes
    return [(broadcast_shapes("where", c[0], x[0], y[0]), x[1])]


# forward: c ? x : y; backward: none, g where c, g where not c
defop("Where", eager=np.where, infer=_where_infer, saves=(0,), family=F,
      vjp=lambda g, out, c, x, y: (None, lambda: c.select(g, 0).sum_to(x.shape),
                                   lambda: c.select(0, g).sum_to(y.shape)))

for _name, _fn in (("Greater", np.greater), ("Less", np.less), ("Equal", np.equal),
                   ("GreaterOrEqual", np.greater_equal), ("LessOrEqual", np.less_equal),
                   ("And", np.logical_and), ("Or", np.logical_or)):
    defop(_name, eager=_fn, infer=compare(_name.lower()), differentiable=False, family=F)
defop("Not", eager=np.logical_not, infer=same, differentiable=False, family=F)

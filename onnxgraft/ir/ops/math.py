"""Registry ops for frontend/tensor_math.py (see registry.py for the contract): inverse trig and
hyperbolic functions, erf/erfc, atan2, and rounding (floor, ceil, round, trunc).

Each is an ONNX op of the same name and semantics except Erfc, Atan2 and Trunc, which ONNX lacks;
export/lower_math.py writes those (and the float64 forms that onnxruntime has no kernel for).
VJP rules use registered ops only, so double backward and the autodiff pass come for free.
"""
import math

import numpy as np

from .registry import defop
from .shape_rules import broadcast, same

F = "math"
_TWO_OVER_SQRT_PI = 2.0 / math.sqrt(math.pi)


def _via_float64(fn):
    """A numpy kernel evaluated in float64 and rounded to the input's dtype: float32 results are
    then correctly rounded, where numpy's float32 loops can be an ulp off (and print differently
    from PyTorch at 4 decimals more often)."""
    def kernel(x):
        with np.errstate(all="ignore"):  # NaN and inf results are answers, as in PyTorch
            if x.dtype == np.float64:
                return fn(x)
            return fn(x.astype(np.float64)).astype(x.dtype, copy=False)
    kernel.__name__ = fn.__name__
    return kernel


def _via_float64_binary(fn):
    def kernel(y, x):
        with np.errstate(all="ignore"):
            if y.dtype == np.float64:
                return fn(y, x)
            return fn(y.astype(np.float64), x.astype(np.float64)).astype(y.dtype, copy=False)
    kernel.__name__ = fn.__name__
    return kernel


def _pointwise(fn):
    """A numpy kernel from a scalar function of the math module (erf, erfc): computed in float64
    and rounded to the input's dtype, so float32 results are correctly rounded."""
    ufunc = np.frompyfunc(fn, 1, 1)

    def kernel(x):
        return np.asarray(ufunc(x.astype(np.float64)), dtype=np.float64).astype(x.dtype, copy=False)
    kernel.__name__ = fn.__name__
    return kernel


def _one_minus_square(x):
    return 1 - x * x


def _rsqrt(x):
    return x.sqrt().reciprocal()


# The backward formulas keep PyTorch's form (derivatives.yaml), so that a gradient taken with
# create_graph=True has PyTorch's grad_fn (asin's is MulBackward0: grad * rsqrt(1 - x^2)).
# forward: asin(x); backward: g * rsqrt(1 - x^2)
defop("Asin", eager=_via_float64(np.arcsin), infer=same, saves=(0,), family=F,
      vjp=lambda g, out, x: (g * _rsqrt(_one_minus_square(x)),))
# forward: acos(x); backward: g * -rsqrt(1 - x^2)
defop("Acos", eager=_via_float64(np.arccos), infer=same, saves=(0,), family=F,
      vjp=lambda g, out, x: (g * -_rsqrt(_one_minus_square(x)),))
# forward: atan(x); backward: g / (1 + x^2)
defop("Atan", eager=_via_float64(np.arctan), infer=same, saves=(0,), family=F,
      vjp=lambda g, out, x: (g / (x * x + 1),))
# forward: sinh(x); backward: g * cosh(x)
defop("Sinh", eager=_via_float64(np.sinh), infer=same, saves=(0,), family=F,
      vjp=lambda g, out, x: (g * x._op("Cosh", x),))
# forward: cosh(x); backward: g * sinh(x)
defop("Cosh", eager=_via_float64(np.cosh), infer=same, saves=(0,), family=F,
      vjp=lambda g, out, x: (g * x._op("Sinh", x),))
# forward: asinh(x); backward: g * rsqrt(x^2 + 1)
defop("Asinh", eager=_via_float64(np.arcsinh), infer=same, saves=(0,), family=F,
      vjp=lambda g, out, x: (g * _rsqrt(x * x + 1),))
# forward: acosh(x); backward: g * rsqrt(x^2 - 1)
defop("Acosh", eager=_via_float64(np.arccosh), infer=same, saves=(0,), family=F,
      vjp=lambda g, out, x: (g * _rsqrt(x * x - 1),))
# forward: atanh(x); backward: g / (1 - x^2)
defop("Atanh", eager=_via_float64(np.arctanh), infer=same, saves=(0,), family=F,
      vjp=lambda g, out, x: (g / _one_minus_square(x),))
# forward: erf(x); backward: 2/sqrt(pi) * exp(-x^2) * g
defop("Erf", eager=_pointwise(math.erf), infer=same, saves=(0,), family=F,
      vjp=lambda g, out, x: ((-(x * x)).exp() * _TWO_OVER_SQRT_PI * g,))
# forward: erfc(x) = 1 - erf(x), without the cancellation in the tails;
# backward: -2/sqrt(pi) * exp(-x^2) * g
defop("Erfc", eager=_pointwise(math.erfc), infer=same, saves=(0,), family=F,
      vjp=lambda g, out, x: ((-(x * x)).exp() * -_TWO_OVER_SQRT_PI * g,))


def _atan2_vjp(g, out, y, x):
    # forward: atan2(y, x); backward: g * x * r, g * -y * r with r = 1 / (x^2 + y^2)
    recip = (y * y + x * x).reciprocal()
    return (lambda: (g * x * recip).sum_to(y.shape), lambda: (g * -y * recip).sum_to(x.shape))


defop("Atan2", eager=_via_float64_binary(np.arctan2), infer=broadcast("atan2"), saves=(0, 1), family=F, vjp=_atan2_vjp)


# Rounding: piecewise constant, so the gradient is zero everywhere (PyTorch's FloorBackward0 and
# friends give zeros too, rather than refusing); `g * 0` keeps g's shape and dtype.
def _zero_vjp(g, out, x, **attrs):
    return (g * 0,)


def _round(x, decimals=0):
    # numpy rounds half to even, as PyTorch does; decimals scales by 10**decimals as PyTorch does
    if x.dtype.kind != "f":
        return x.copy() if decimals >= 0 else np.round(x, decimals)
    return np.round(x, decimals).astype(x.dtype, copy=False)


def _keep_dtype(fn):
    # numpy's floor of an integer array is floating; PyTorch's is the integers themselves
    def kernel(x):
        return fn(x) if x.dtype.kind == "f" else x.copy()
    kernel.__name__ = fn.__name__
    return kernel


defop("Floor", eager=_keep_dtype(np.floor), infer=same, family=F, vjp=_zero_vjp)
defop("Ceil", eager=_keep_dtype(np.ceil), infer=same, family=F, vjp=_zero_vjp)
defop("Round", eager=_round, infer=same, family=F, vjp=_zero_vjp)
defop("Trunc", eager=_keep_dtype(np.trunc), infer=same, family=F, vjp=_zero_vjp)


# forward: log(1 + x), accurate for tiny x (log(1 + 1e-8) is 0 in float32; log1p is 1e-8);
# backward: g / (1 + x)
defop("Log1p", eager=_via_float64(np.log1p), infer=same, saves=(0,), family=F, grad_name="Log1PBackward0",
      vjp=lambda g, out, x: (g / (x + 1),))
# forward: exp(x) - 1, accurate for tiny x; backward: g * (out + 1)
defop("Expm1", eager=_via_float64(np.expm1), infer=same, saves=("out",), family=F,
      grad_name="Expm1Backward0", vjp=lambda g, out, x: (g * (out + 1),))


# Modulo: fmod=0 is Python's and PyTorch's remainder (the result takes the divisor's sign), fmod=1
# C's fmod (the dividend's sign). numpy's kernels are exact (no a - b * floor(a / b) rounding), as
# PyTorch's are; an integer divisor of 0 is refused by the frontend before this runs.
def _mod(a, b, fmod=0):
    with np.errstate(all="ignore"):  # a float divisor of 0 gives NaN, as in PyTorch
        if fmod or a.dtype.kind != "f":
            return (np.fmod if fmod else np.mod)(a, b)
        # PyTorch's float remainder: fmod moved by one divisor where the signs disagree (numpy's
        # mod agrees but for the sign of a zero result: -0.0 % 0.1 is -0.0 in PyTorch)
        r = np.fmod(a, b)
        return np.where((r != 0) & ((r < 0) != (b < 0)), r + b, r).astype(r.dtype, copy=False)


def _mod_vjp(g, out, a, b, fmod=0):
    # forward: r = a - b * q, q = floor(a / b) (trunc for fmod); backward: g, -g * q
    return (lambda: g.sum_to(a.shape),
            lambda: (-g * a._op("Trunc" if fmod else "Floor", a / b)).sum_to(b.shape))


defop("Mod", eager=_mod, infer=broadcast("remainder"), saves=(0, 1), family=F, vjp=_mod_vjp)

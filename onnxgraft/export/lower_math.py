"""ONNX lowerings of the ops in ir/ops/math.py (see export/onnx.py: LOWER, lowering).

onnxruntime's CPU kernels for Asin, Acos, Atan, Sinh, Cosh, Asinh, Acosh, Atanh and Erf are
float32/float16 only, so float64 nodes are written as compositions of ops that have float64
kernels (Exp, Log, Sqrt, Sin, Cos, arithmetic), accurate to about 1e-13 relative:
- atan: a float32 Atan as the first guess, refined by one exact step
  atan(r) = y0 + atan((r - tan y0) / (1 + r tan y0)), whose argument (~1e-8) is its own atan;
  arguments beyond 1 are reflected (atan(r) = pi/2 - atan(1/r)) so tan y0 stays bounded;
- asin, acos: through atan (asin x = atan(x / sqrt((1-x)(1+x))), acos x = 2 atan(sqrt((1-x)/(1+x))));
- sinh, asinh, atanh: their exp/log forms, with a Taylor branch near 0 where those cancel;
- erf, erfc: the all-positive series erf x = 2/sqrt(pi) e^{-x^2} sum (2x^2)^k x / (2k+1)!! below
  |x| = 2.5 and the continued fraction of erfc above it (tests/frontend/test_math_ops.py and the
  one-op export test check them against math.erf/erfc).
ONNX has no Erfc, Atan2 or Trunc; they are composed for every dtype.
"""
import math

import numpy as np

from .onnx import lowering, _tensor_type

_NATIVE = ("Asin", "Acos", "Atan", "Sinh", "Cosh", "Asinh", "Acosh", "Atanh", "Erf")


class _Emit:
    """Writes the nodes of one lowering: each method adds one node and returns its value name;
    `out=` names the final value instead of a fresh temporary."""

    def __init__(self, w, name, dtype):
        self.w, self.name, self.dtype, self.k = w, name, dtype, 0

    def op(self, op, *inputs, out=None, **attrs):
        self.k += 1
        base = f"{self.name}/{op}{self.k}"
        res = out if out is not None else self.w.tmp(base)
        self.w.add(op, list(inputs), [res], base if out is None else self.name, **attrs)
        return res

    def c(self, value):
        return self.w.scalar(f"{self.name}/c", value, self.dtype)

    # small conveniences over op()
    def add(self, a, b, out=None):
        return self.op("Add", a, b, out=out)

    def sub(self, a, b, out=None):
        return self.op("Sub", a, b, out=out)

    def mul(self, a, b, out=None):
        return self.op("Mul", a, b, out=out)

    def div(self, a, b, out=None):
        return self.op("Div", a, b, out=out)

    def where(self, cond, a, b, out=None):
        return self.op("Where", cond, a, b, out=out)

    def less(self, a, b):
        return self.op("Less", a, b)

    def negate_where_negative(self, x, y, out=None):
        """y where x >= 0, -y where x < 0 (odd functions computed on |x|)."""
        return self.where(self.less(x, self.c(0.0)), self.op("Neg", y), y, out=out)


def _atan(e, x, out=None):
    """atan(x) in e.dtype: the native kernel below float64, the refined form in float64."""
    if e.dtype != "float64":
        return e.op("Atan", x, out=out)
    a = e.op("Abs", x)
    big = e.op("Greater", a, e.c(1.0))
    r = e.where(big, e.div(e.c(1.0), a), a)
    y0 = e.op("Cast", e.op("Atan", e.op("Cast", r, to=_tensor_type("float32"))), to=_tensor_type("float64"))
    t0 = e.div(e.op("Sin", y0), e.op("Cos", y0))
    d = e.div(e.sub(r, t0), e.add(e.c(1.0), e.mul(r, t0)))
    y = e.add(y0, d)
    y = e.where(big, e.sub(e.c(math.pi / 2), y), y)
    return e.negate_where_negative(x, y, out=out)


def _native_or(fn):
    """Register the float64 composition `fn(e, x, out)`; other dtypes use the native ONNX op."""
    def lower(w, d, ins, outs, metas):
        dtype = metas[0][1]
        if dtype != "float64":
            w.add(d["op"], ins, outs, d["name"])
            return
        fn(_Emit(w, d["name"], dtype), ins[0], outs[0])
    return lower


def _asin64(e, x, out):
    # asin x = atan(x / sqrt((1 - x)(1 + x))); |x| = 1 gives x / 0 = +-inf and atan(+-inf) = +-pi/2
    one = e.c(1.0)
    root = e.op("Sqrt", e.mul(e.sub(one, x), e.add(one, x)))
    _atan(e, e.div(x, root), out=out)


def _acos64(e, x, out):
    # acos x = 2 atan(sqrt((1 - x) / (1 + x))): no cancellation near x = 1, where acos is small
    one = e.c(1.0)
    half_angle = _atan(e, e.op("Sqrt", e.div(e.sub(one, x), e.add(one, x))))
    e.mul(e.c(2.0), half_angle, out=out)


def _small(e, x, limit=0.01):
    return e.less(e.op("Abs", x), e.c(limit))


def _sinh64(e, x, out):
    # (e^x - e^-x) / 2 cancels near 0: x (1 + x^2/6 (1 + x^2/20)) there (next term x^7/5040)
    ex = e.op("Exp", x)
    wide = e.mul(e.sub(ex, e.div(e.c(1.0), ex)), e.c(0.5))
    x2 = e.mul(x, x)
    inner = e.add(e.c(1.0), e.mul(x2, e.c(1.0 / 20.0)))
    taylor = e.mul(x, e.add(e.c(1.0), e.mul(e.mul(x2, e.c(1.0 / 6.0)), inner)))
    e.where(_small(e, x), taylor, wide, out=out)


def _cosh64(e, x, out):
    ex = e.op("Exp", x)
    e.mul(e.add(ex, e.div(e.c(1.0), ex)), e.c(0.5), out=out)


def _log_hypot_term(e, a, root):
    # log(a + root) for a <= 1e8, log(a) + log(2) above, where a^2 would overflow first
    huge = e.op("Greater", a, e.c(1e8))
    return e.where(huge, e.add(e.op("Log", a), e.c(math.log(2.0))), e.op("Log", e.add(a, root)))


def _asinh64(e, x, out):
    # sign(x) log(|x| + sqrt(x^2 + 1)); near 0: x (1 - x^2/6 (1 - 9 x^2/20)) (next term ~x^7/22)
    a = e.op("Abs", x)
    wide = _log_hypot_term(e, a, e.op("Sqrt", e.add(e.mul(a, a), e.c(1.0))))
    x2 = e.mul(x, x)
    inner = e.sub(e.c(1.0), e.mul(x2, e.c(9.0 / 20.0)))
    taylor = e.mul(x, e.sub(e.c(1.0), e.mul(e.mul(x2, e.c(1.0 / 6.0)), inner)))
    e.where(_small(e, x), taylor, e.negate_where_negative(x, wide), out=out)


def _acosh64(e, x, out):
    # log(x + sqrt((x - 1)(x + 1))): the product keeps digits near x = 1; x < 1 gives NaN
    one = e.c(1.0)
    root = e.op("Sqrt", e.mul(e.sub(x, one), e.add(x, one)))
    _copy(e, _log_hypot_term(e, x, root), out)


def _atanh64(e, x, out):
    # log((1 + x) / (1 - x)) / 2; near 0: x (1 + x^2/3 (1 + 3 x^2/5)) (next term x^7/7)
    one = e.c(1.0)
    wide = e.mul(e.op("Log", e.div(e.add(one, x), e.sub(one, x))), e.c(0.5))
    x2 = e.mul(x, x)
    inner = e.add(e.c(1.0), e.mul(x2, e.c(3.0 / 5.0)))
    taylor = e.mul(x, e.add(e.c(1.0), e.mul(e.mul(x2, e.c(1.0 / 3.0)), inner)))
    e.where(_small(e, x), taylor, wide, out=out)


def _copy(e, value, out):
    e.op("Identity", value, out=out)


_SPLIT, _SERIES_TERMS, _FRACTION_TERMS = 2.5, 40, 30


def _erf_parts(e, x):
    """(erf |x|, erfc |x|, |x|) in float64. Below 2.5 the series (40 terms: 5e-16 relative), above
    it the continued fraction of erfc (30 terms: 1e-12 relative); each side is evaluated at |x|
    clamped into its own range, so the branch not taken never overflows."""
    a = e.op("Abs", x)
    split = e.c(_SPLIT)
    low = e.op("Min", a, split)
    high = e.op("Max", a, split)
    one = e.c(1.0)
    # erf: Horner form of 1 + z/3 (1 + z/5 (1 + ...)), z = 2 x^2
    low2 = e.mul(low, low)
    z = e.mul(low2, e.c(2.0))
    s = one
    for k in range(_SERIES_TERMS, 0, -1):
        s = e.add(one, e.mul(e.mul(z, s), e.c(1.0 / (2 * k + 1))))
    erf_low = e.mul(e.mul(e.op("Exp", e.op("Neg", low2)), e.c(2.0 / math.sqrt(math.pi))), e.mul(low, s))
    # erfc: e^{-x^2} / (sqrt(pi) (x + (1/2) / (x + 1 / (x + (3/2) / (x + ...)))))
    frac = high
    for k in range(_FRACTION_TERMS, 0, -1):
        frac = e.add(high, e.div(e.c(k / 2.0), frac))
    erfc_high = e.div(e.op("Exp", e.op("Neg", e.mul(high, high))), e.mul(frac, e.c(math.sqrt(math.pi))))
    is_low = e.less(a, split)
    erf_abs = e.where(is_low, erf_low, e.sub(one, erfc_high))
    erfc_abs = e.where(is_low, e.sub(one, erf_low), erfc_high)
    return erf_abs, erfc_abs


def _keep_nan(e, x, value, out):
    # Min/Max need not carry NaN through; the answer for NaN is NaN
    e.where(e.op("IsNaN", x), x, value, out=out)


def _erf64(e, x, out):
    erf_abs, _ = _erf_parts(e, x)
    _keep_nan(e, x, e.negate_where_negative(x, erf_abs), out)


def _erfc64(e, x, out):
    _, erfc_abs = _erf_parts(e, x)
    # erfc(-x) = 2 - erfc(x)
    value = e.where(e.less(x, e.c(0.0)), e.sub(e.c(2.0), erfc_abs), erfc_abs)
    _keep_nan(e, x, value, out)


for _op, _fn in (("Asin", _asin64), ("Acos", _acos64), ("Atan", lambda e, x, out: _atan(e, x, out)),
                 ("Sinh", _sinh64), ("Cosh", _cosh64), ("Asinh", _asinh64), ("Acosh", _acosh64),
                 ("Atanh", _atanh64), ("Erf", _erf64)):
    lowering(_op)(_native_or(_fn))


@lowering("Erfc")
def _erfc(w, d, ins, outs, metas):
    # no ONNX Erfc: computed in float64 for every dtype, so float32's tails (erfc(5) = 1.5e-12)
    # keep their digits, where 1 - Erf(x) would round them to 0
    dtype = metas[0][1]
    e = _Emit(w, d["name"], "float64")
    if dtype == "float64":
        _erfc64(e, ins[0], outs[0])
        return
    wide = e.op("Cast", ins[0], to=_tensor_type("float64"))
    result = e.w.tmp(f"{d['name']}/float64")
    _erfc64(e, wide, result)
    e.op("Cast", result, out=outs[0], to=_tensor_type(dtype))


@lowering("Atan2")
def _atan2(w, d, ins, outs, metas):
    # atan(y / x), moved by +-pi into the left half-plane (x < 0, sign of y), and 0 at the origin
    # (PyTorch's atan2(0, 0)); x = 0 gives y / 0 = +-inf and atan(+-inf) = +-pi/2
    y, x = ins
    e = _Emit(w, d["name"], d["dtype"])
    zero = e.c(0.0)
    base = _atan(e, e.div(y, x))
    shift = e.where(e.less(y, zero), e.c(-math.pi), e.c(math.pi))
    moved = e.where(e.less(x, zero), e.add(base, shift), base)
    origin = e.op("And", e.op("Equal", x, zero), e.op("Equal", y, zero))
    e.where(origin, e.op("Mul", y, zero), moved, out=outs[0])


def _integer(metas):
    return np.dtype(metas[0][1]).kind != "f"


@lowering("Floor", "Ceil")
def _floor_ceil(w, d, ins, outs, metas):
    # ONNX's Floor and Ceil are floating-point only; on integers they are the identity
    w.add("Identity" if _integer(metas) else d["op"], ins, outs, d["name"])


@lowering("Trunc")
def _trunc(w, d, ins, outs, metas):
    if _integer(metas):
        w.add("Identity", ins, outs, d["name"])
        return
    # no ONNX Trunc: ceil below zero, floor above
    e = _Emit(w, d["name"], metas[0][1])
    x = ins[0]
    e.where(e.less(x, e.c(0.0)), e.op("Ceil", x), e.op("Floor", x), out=outs[0])


@lowering("Round")
def _round(w, d, ins, outs, metas):
    decimals = int(d["attrs"].get("decimals", 0) or 0)
    if _integer(metas):
        w.add("Identity", ins, outs, d["name"])
        return
    if decimals == 0:
        w.add("Round", ins, outs, d["name"])  # half to even, as numpy and PyTorch
        return
    # round(x * 10^d) / 10^d (numpy's and PyTorch's way; negative d divides first)
    e = _Emit(w, d["name"], metas[0][1])
    scale = e.c(10.0 ** abs(decimals))
    if decimals > 0:
        e.div(e.op("Round", e.mul(ins[0], scale)), scale, out=outs[0])
    else:
        e.mul(e.op("Round", e.div(ins[0], scale)), scale, out=outs[0])


@lowering("Log1p")
def _log1p(w, d, ins, outs, metas):
    # ONNX has no Log1p. Goldberg's form: with u = 1 + x (rounded), log1p(x) = log(u) * x / (u - 1),
    # whose rounding errors cancel; where u == 1 (x below half an ulp of 1), log1p(x) = x.
    e = _Emit(w, d["name"], metas[0][1])
    (x,) = ins
    one = e.c(1.0)
    u = e.add(x, one)
    um1 = e.sub(u, one)
    exact = e.op("Equal", um1, e.c(0.0))
    safe = e.where(exact, one, um1)
    scaled = e.div(e.mul(e.op("Log", u), x), safe)
    e.where(exact, x, scaled, out=outs[0])


@lowering("Expm1")
def _expm1(w, d, ins, outs, metas):
    # Kahan's form: with u = exp(x), expm1(x) = (u - 1) * x / log(u); where u == 1, it is x, and
    # where u - 1 == -1 (x very negative), -1. exp overflow gives inf, as expm1 does.
    e = _Emit(w, d["name"], metas[0][1])
    (x,) = ins
    one = e.c(1.0)
    u = e.op("Exp", x)
    um1 = e.sub(u, one)
    tiny = e.op("Equal", u, one)
    big = e.op("Equal", u, e.op("Exp", e.c(math.inf)))
    log_u = e.op("Log", e.where(tiny, e.c(2.0), u))
    kahan = e.div(e.mul(um1, x), log_u)
    e.where(tiny, x, e.where(big, u, e.where(e.op("Equal", um1, e.c(-1.0)), um1, kahan)), out=outs[0])


@lowering("Mod")
def _mod(w, d, ins, outs, metas):
    # ONNX Mod takes integers with either sign rule, but floats only with fmod=1 (C's fmod);
    # Python's remainder of floats is fmod moved by one divisor where the signs disagree.
    dtype = metas[0][1]
    fmod = d["attrs"].get("fmod", 0)
    if np.dtype(dtype).kind != "f" or fmod:
        w.add("Mod", ins, outs, d["name"], fmod=int(fmod))
        return
    e = _Emit(w, d["name"], dtype)
    a, b = ins
    r = e.op("Mod", a, b, fmod=1)
    zero = e.c(0.0)
    moved = e.op("And", e.op("Not", e.op("Equal", r, zero)),
                 e.op("Xor", e.less(r, zero), e.less(b, zero)))
    e.where(moved, e.add(r, b), r, out=outs[0])

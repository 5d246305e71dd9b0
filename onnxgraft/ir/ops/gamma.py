"""Registry ops of the log-gamma family (see registry.py for the contract): Lgamma, Digamma and
Polygamma (attribute n >= 1), the kernels behind torch.lgamma, digamma, polygamma and mvlgamma.

The kernels follow the algorithms of PyTorch's CPU kernels (aten/src/ATen/native/Math.h), so that
values at poles and infinities are PyTorch's, and results print as PyTorch's do:
- lgamma: the C library's lgamma (Python's math.lgamma) in float64, rounded to the input dtype;
  +inf at 0 and at the negative integers (the poles), as std::lgamma;
- digamma: the recurrence psi(x) = psi(x + 1) - 1/x up to x >= 10, then the asymptotic series
  log x - 1/(2x) - sum B_2k / (2k x^2k); the reflection psi(x) = psi(1 - x) - pi / tan(pi x) below 0,
  with tan taken of the fractional part of x (exact); -inf at +0, +inf at -0, NaN at the negative
  integers. Computed in the input's dtype, as PyTorch's float and double kernels are;
- trigamma (polygamma n = 1): the reflection below 1/2, the recurrence and the asymptotic series
  1/x + 1/(2x^2) + sum B_2k / x^(2k+1). float32 takes PyTorch's float kernel step for step (6 steps
  of recurrence, series to B_6: what float32 can hold), so its values at the poles are PyTorch's
  too (1.2914e+15 at -1: 1/sin(pi x)^2 of the float32 rounding of pi x); float64 takes 10 steps and
  the series to B_14, accurate to about 1e-16 relative (PyTorch's double kernel stops at 3e-10);
- polygamma n >= 2: (-1)^(n+1) n! zeta(n + 1, x), the Hurwitz zeta function by Cephes' method
  (direct sum until the argument exceeds 9, then Euler-Maclaurin with 12 Bernoulli terms, each
  loop stopping where its term falls below float64's epsilon), computed in float64.
ONNX has none of these: the frontend refuses them under capture (frontend/tensor_math.py).
Their derivatives are each other: lgamma' = digamma, digamma' = polygamma(1, .), polygamma(n, .)' =
polygamma(n + 1, .), so gradients of any order come from the registry.
"""
import math

import numpy as np

from .registry import defop, ShapeError
from .shape_rules import same

F = "math"


def _working(kernel):
    """Run `kernel` in float32 or float64: half-precision inputs go through float32 and back."""
    def run(x, **attrs):
        with np.errstate(all="ignore"):  # inf and NaN results are answers, as in PyTorch
            if x.dtype in (np.float32, np.float64):
                return kernel(x, **attrs)
            return kernel(x.astype(np.float32), **attrs).astype(x.dtype)
    run.__name__ = kernel.__name__
    return run


_LGAMMA = np.frompyfunc(math.lgamma, 1, 1)


@_working
def _lgamma(x):
    x64 = x.astype(np.float64)
    # math.lgamma raises at the poles (0 and the negative integers); std::lgamma gives +inf there
    poles = (x64 <= 0) & (x64 == np.floor(x64))
    safe = np.where(poles, 1.0, x64)
    out = np.asarray(_LGAMMA(safe), dtype=np.float64)
    return np.where(poles, np.inf, out).astype(x.dtype)


# PyTorch's asymptotic coefficients of digamma (Cephes psi), highest power of 1/x^2 first
_PSI_A = (8.33333333333333333333E-2, -2.10927960927960927961E-2, 7.57575757575757575758E-3,
          -4.16666666666666666667E-3, 3.96825396825396825397E-3, -8.33333333333333333333E-3,
          8.33333333333333333333E-2)
_PSI_10 = 2.25175258906672110764


def _digamma_positive(x):
    """digamma for x > 0 (and NaN, +inf), in x's dtype."""
    t = x.dtype.type
    x = x.copy()
    result = np.zeros_like(x)
    low = x < 10
    while low.any():  # at most 10 steps for positive x
        result[low] -= t(1) / x[low]
        x[low] += t(1)
        low = x < 10
    z = t(1) / (x * x)
    poly = np.full_like(x, t(_PSI_A[0]))
    for a in _PSI_A[1:]:
        poly = poly * z + t(a)
    y = np.where(x < t(1e17), z * poly, t(0))
    series = result + np.log(x) - t(0.5) / x - y
    return np.where(x == 10, result + t(_PSI_10), series)


@_working
def _digamma(x):
    negative = x < 0
    integer = x == np.trunc(x)
    reflect = negative & ~integer
    # psi(x) = psi(1 - x) - pi / tan(pi r), r the fractional part of x: tan has period pi, and
    # pi * r is exact where pi * x is not; computed in double for both dtypes, as PyTorch does
    r = np.modf(np.where(reflect, x, 0.5).astype(np.float64))[0]
    correction = (np.pi / np.tan(np.pi * r)).astype(x.dtype)
    out = _digamma_positive(np.where(reflect, x.dtype.type(1) - x, np.where(negative, 1, x)).astype(x.dtype))
    out = np.where(reflect, out - correction, out)
    out = np.where(negative & integer, np.nan, out)                       # the poles below 0 (and -inf)
    return np.where(x == 0, np.copysign(np.inf, -x), out).astype(x.dtype)  # +-0 gives -+inf


@_working
def _trigamma(x):
    t = x.dtype.type
    exact = x.dtype == np.float64
    sign = np.where(x < 0.5, t(-1), t(1))
    # reflection below 1/2: psi1(x) = pi^2 / sin^2(pi x) - psi1(1 - x)
    s = np.sin(t(math.pi) * x)
    result = np.where(x < 0.5, -(t(math.pi) * t(math.pi)) / (s * s), t(0))
    x = np.where(x < 0.5, t(1) - x, x)
    for _ in range(10 if exact else 6):
        result = result + t(1) / (x * x)
        x = x + t(1)
    ixx = t(1) / (x * x)
    if exact:
        # 1/x + 1/(2x^2) + (B2 + B4/x^2 + ... + B14/x^12) / x^3
        bern = (1 / 6, -1 / 30, 1 / 42, -1 / 30, 5 / 66, -691 / 2730, 7 / 6)
        poly = np.full_like(x, bern[-1])
        for b in bern[-2::-1]:
            poly = poly * ixx + b
        result = result + (t(1) + t(1) / (t(2) * x) + ixx * poly) / x
    else:
        result = result + (t(1) + t(1) / (t(2) * x)
                           + ixx * (t(1 / 6) - ixx * (t(1 / 30) - ixx * t(1 / 42)))) / x
    return sign * result


# Bernoulli divisors of the Euler-Maclaurin terms of Cephes' zeta: (2k)! / B_2k
_ZETA_A = (12.0, -720.0, 30240.0, -1209600.0, 47900160.0, -1.8924375803183791606e9, 7.47242496e10,
           -2.950130727918164224e12, 1.1646782814350067249e14, -4.5979787224074726105e15,
           1.8152105401943546773e17, -7.1661652561756670113e18)
_MACHEP = 1.11022302462515654042E-16


def _zeta(s, q):
    """Hurwitz zeta(s, q) = sum_k (q + k)^-s for an integer s >= 2, elementwise over float64 q."""
    out = np.zeros_like(q)
    pole = (q <= 0) & (q == np.floor(q))
    out[pole] = np.inf
    far = (q < -_MAX_STEPS) & ~pole
    if far.any():
        # Cephes sums the m = -floor(q) negative terms one by one (1e8 steps at q = -1e8 + 0.5);
        # they are (-1)^s (zeta(s, 1 - f) - zeta(s, 1 - f + m)) with f = q + m in (0, 1)
        m = -np.floor(q[far])
        f = q[far] + m
        sign = -1.0 if int(s) % 2 else 1.0
        out[far] = _zeta_cephes(s, f) + sign * (_zeta_cephes(s, 1.0 - f) - _zeta_cephes(s, 1.0 - f + m))
    rest = ~pole & ~far
    out[rest] = _zeta_cephes(s, q[rest])
    return out


_MAX_STEPS = 4096


def _zeta_cephes(s, q):
    """zeta(s, q) over a 1-D float64 array without poles, as Cephes computes it step for step:
    the direct sum s = q^-s + (q+1)^-s + ... (stopping early where a term falls below epsilon
    relative to the sum) while fewer than 9 terms were added or the argument is <= 9, then the
    Euler-Maclaurin tail. The sums run in Cephes' order (np.add.accumulate is sequential), so
    the rounding, cancellation at negative half-integers included, is PyTorch's."""
    if q.size == 0:
        return q.copy()
    finite_low = q[np.isfinite(q) & (q <= 9)]
    width = 10 + (int(np.ceil(9 - finite_low.min())) + 2 if finite_low.size else 0)
    grid = np.ones((q.size, width))
    grid[:, 0] = q
    a = np.add.accumulate(grid, axis=1)        # a += 1, step by step, as Cephes does
    b = a ** -s
    total = np.add.accumulate(b, axis=1)       # total[:, i]: the sum after step i
    steps = np.arange(width)
    # the loop runs step i + 1 while i < 9 or a_i <= 9: it ends at the first i >= 9 with not a_i <= 9
    ends = (steps >= 9) & ~(a <= 9.0)
    end = np.argmax(ends, axis=1)
    tiny = (steps >= 1) & (-_MACHEP * total < b) & (b < _MACHEP * total) & (steps <= end[:, None])
    early = tiny.any(axis=1)
    stop = np.where(early, np.argmax(tiny, axis=1), end)
    rows = np.arange(q.size)
    result = total[rows, stop]
    w, b, acc = a[rows, end], b[rows, end], result
    em = ~early
    acc = np.where(em, acc + b * w / (s - 1.0) - 0.5 * b, acc)
    fac, k = np.ones_like(q), 0.0
    for coef in _ZETA_A:
        fac = fac * (s + k)
        b = b / w
        term = fac * b / coef
        acc = np.where(em, acc + term, acc)
        em &= ~(np.abs(term / acc) < _MACHEP)
        k += 1.0
        fac = fac * (s + k)
        b = b / w
        k += 1.0
    return acc


def _polygamma(x, n=1):
    if n == 0:
        return _digamma(x)
    if n == 1:
        return _trigamma(x)
    with np.errstate(all="ignore"):
        work = x.astype(np.float32) if x.dtype not in (np.float32, np.float64) else x
        t = work.dtype.type
        # (-1)^(n+1) n! zeta(n + 1, x); n! = exp(lgamma(n + 1)) in the input dtype, as PyTorch's
        scale = t(1 if n % 2 else -1) * t(math.exp(math.lgamma(n + 1.0)))
        out = scale * _zeta(float(n + 1), work.astype(np.float64)).astype(work.dtype)
        return out.astype(x.dtype)


def _polygamma_infer(x, n=1):
    if n < 0:
        raise ShapeError("polygamma(n, x) does not support negative n.")
    return [x]


# forward: lgamma(x); backward: g * digamma(x)
defop("Lgamma", eager=_lgamma, infer=same, saves=(0,), family=F,
      vjp=lambda g, out, x: (g * x._op("Digamma", x),))
# forward: digamma(x); backward: g * polygamma(1, x)
defop("Digamma", eager=_digamma, infer=same, saves=(0,), family=F,
      vjp=lambda g, out, x: (g * x._op("Polygamma", x, n=1),))
# forward: polygamma(n, x); backward: g * polygamma(n + 1, x)
defop("Polygamma", eager=_polygamma, infer=_polygamma_infer, saves=(0,), family=F,
      vjp=lambda g, out, x, n=1: (g * x._op("Polygamma", x, n=n + 1),))

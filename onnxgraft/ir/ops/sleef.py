"""SLEEF's float32 exp and log (the vectorised functions PyTorch's CPU kernels call through
Vectorized<float>::exp/log), reproduced bit for bit in numpy from SLEEF's published algorithms
(AVX-512 code path, with its fused multiply-adds). Used where PyTorch's kernel is known to call
them: softmax/log_softmax (softmax_kernels.py) and the vectorised part of sigmoid."""
import numpy as np

_F = np.float32
_R_LN2 = _F(1.442695040888963407359924681001892137426645954152985934135449406931)
_L2U = _F(0.693145751953125)
_L2L = _F(1.428606765330187045e-06)
_EXP_POLY = (0.00139304355252534151077271, 0.00833336077630519866943359, 0.0416664853692054748535156,
             0.166666671633720397949219, 0.5)


def _fma(a, b, c):
    """a * b + c rounded once for float32 operands (the float64 product is exact)."""
    return (np.asarray(a, np.float64) * np.asarray(b, np.float64) + np.asarray(c, np.float64)).astype(np.float32)


def sleef_expf(x):
    """SLEEF's float32 exp (xexpf): PyTorch's Vectorized<float>::exp."""
    x = np.asarray(x, np.float32)
    q = np.rint(x * _R_LN2).astype(np.int32)
    qf = q.astype(np.float32)
    s = _fma(qf, -_L2U, x)
    s = _fma(qf, -_L2L, s)
    u = np.full_like(s, _F(0.000198527617612853646278381))
    for coef in _EXP_POLY:
        u = _fma(u, s, _F(coef))
    u = _F(1.0) + _fma(s * s, u, s)
    # u * 2**q in two factors, so that neither power of two over- or underflows on its own
    half = q >> 1
    with np.errstate(over="ignore", under="ignore", invalid="ignore"):
        u = u * ((half + 127) << 23).view(np.float32) * ((q - half + 127) << 23).view(np.float32)
    u = np.where(x < _F(-104), _F(0), u)
    return np.where(x > _F(100), _F(np.inf), np.where(np.isnan(x), x, u))


def _dfadd2(x, y):
    """x + y as a double-float (sum, error), SLEEF's dfadd2."""
    s = x + y
    v = s - x
    return s, (x - (s - v)) + (y - v)


def sleef_logf(d):
    """SLEEF's float32 log (xlogf_u1, AVX-512 path): PyTorch's Vectorized<float>::log. The input
    splits as m * 2**e with m in [0.75, 1.5); log m = 2 atanh((m - 1) / (m + 1)) is evaluated in
    double-float arithmetic with an odd polynomial, and e * ln 2 added as a double-float."""
    d = np.asarray(d, np.float32)
    with np.errstate(all="ignore"):
        e = (np.frexp(d * _F(1.0 / 0.75))[1] - 1).astype(np.float32)     # getexp(d / 0.75)
        fraction = np.frexp(d)[0]
        m = (fraction * 2).astype(np.float32)
        m = np.where(m >= _F(1.5), fraction, m).astype(np.float32)          # getmant into [0.75, 1.5)
        s_hi = _F(0.69314718246459960938) * e
        s_lo = _fma(_F(-1.904654323148236017e-09), e, _fma(_F(0.69314718246459960938), e, -s_hi))
        n_hi, n_lo = _dfadd2(_F(-1), m)
        d_hi, d_lo = _dfadd2(_F(1), m)
        inv = _F(1) / d_hi
        q = n_hi * inv
        x_hi = q
        x_lo = _fma(q, _fma(-d_lo, inv, _fma(-d_hi, inv, _F(1))), _fma(n_lo, inv, _fma(inv, n_hi, -q)))
        x2 = x_hi * x_hi
        t = _fma(_F(0.3027294874), x2, _F(0.3996108174))
        t = _fma(t, x2, _F(0.6666694880))
        total = s_hi + x_hi * _F(2)
        lo = (((s_hi - total) + x_hi * _F(2)) + s_lo) + x_lo * _F(2)
        w = (x2 * x_hi) * t
        hi = total + w
        lo = ((total - hi) + w) + lo
        r = hi + lo
        r = np.where(np.isposinf(d), _F(np.inf), r)
        r = np.where((d < 0) | np.isnan(d), _F(np.nan), r)
        return np.where(d == 0, _F(-np.inf), r).astype(np.float32)

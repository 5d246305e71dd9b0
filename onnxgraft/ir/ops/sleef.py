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


def _ldexp_pow2(e):
    """2**e for integer e in float32's normal range, built from its exponent bits (vldexp3(1, e))."""
    return ((np.asarray(e, np.int32) + 127) << 23).view(np.float32)


def sleef_log1pf(d):
    """SLEEF's float32 log1p (xlog1pf, AVX-512 path with FMA): PyTorch's Vectorized<float>::log1p.
    1 + d = m * 2**e with m in [0.75, 1.5) (e from getexp((1 + d) / 0.75)); m - 1 is formed
    without rounding as fma(d, 2**-e, 2**-e - 1), then log(1 + (m - 1)) = 2 atanh(x) with
    x = (m - 1) / (m + 1) as a double-float, and e * ln 2 added as a double-float. Arguments over
    1e23 take SLEEF's logf (log1p(d) = log(d) there in float32)."""
    d = np.asarray(d, np.float32)
    one = _F(1)
    with np.errstate(all="ignore"):
        dp1 = d + one
        e = (np.frexp(dp1 * _F(1.0 / 0.75))[1] - 1).astype(np.float32)     # getexp
        e = np.where(np.isposinf(dp1), _F(128), e)
        e = np.where(np.isfinite(e), e, _F(0))
        t = _ldexp_pow2(-np.clip(e, -126, 127).astype(np.int32))
        m = _fma(d, t, t - one)
        s_hi = _F(0.69314718246459960938) * e
        s_lo = _fma(_F(-1.904654323148236017e-09), e, _fma(_F(0.69314718246459960938), e, -s_hi))
        # x = m / (2 + m) as a double-float (dfdiv of (m, 0) by dfadd(2, m))
        den_hi = _F(2) + m
        den_lo = (_F(2) - den_hi) + m
        inv = one / den_hi
        q = m * inv
        u = _fma(inv, m, -q)
        v = _fma(-den_lo, inv, _fma(-den_hi, inv, one))
        x_hi = q
        x_lo = _fma(q, v, u)          # n_lo = 0: fma(0, inv, u) = u
        x2 = x_hi * x_hi
        p = _fma(_F(0.3027294874), x2, _F(0.3996108174))
        p = _fma(p, x2, _F(0.6666694880))
        total = s_hi + x_hi * _F(2)
        lo = (((s_hi - total) + x_hi * _F(2)) + s_lo) + x_lo * _F(2)
        w = (x2 * x_hi) * p
        hi = total + w
        lo = ((total - hi) + w) + lo
        r = hi + lo
        r = np.where(d > _F(1e38), _F(np.inf), r)
        r = np.where((d < -one) | np.isnan(d), _F(np.nan), r)
        r = np.where(d == -one, _F(-np.inf), r)
        r = np.where((d == 0) & np.signbit(d), _F(-0.0), r)
        big = d > _F(1e23)
        if big.any():
            r = np.where(big, sleef_logf(np.where(big, d, one)), r)
        return r.astype(np.float32)


# -- double-float helpers (SLEEF's df.h, FMA variants) and the functions built on them ------------
def _df_add2_f(xh, xl, y):
    """dfadd2_vf2_vf2_vf: (xh, xl) + y without assuming |x| >= |y|."""
    s = xh + y
    v = s - xh
    return s, ((xh - (s - v)) + (y - v)) + xl


def _df_add2_ff(xh, xl, yh, yl):
    """dfadd2_vf2_vf2_vf2."""
    s = xh + yh
    v = s - xh
    return s, ((xh - (s - v)) + (yh - v)) + (xl + yl)


def _df_add_ff(xh, xl, yh, yl):
    """dfadd_vf2_vf2_vf2 (|x| >= |y|)."""
    s = xh + yh
    return s, (((xh - s) + yh) + xl) + yl


def _df_mul_f(xh, xl, y):
    """dfmul_vf2_vf2_vf."""
    s = xh * y
    return s, _fma(xl, y, _fma(xh, y, -s))


def _df_mul_ff(xh, xl, yh, yl):
    """dfmul_vf2_vf2_vf2."""
    s = xh * yh
    return s, _fma(xh, yl, _fma(xl, yh, _fma(xh, yh, -s)))


def _df_squ(xh, xl):
    """dfsqu_vf2_vf2."""
    s = xh * xh
    return s, _fma(xh + xh, xl, _fma(xh, xh, -s))


def _df_rec(dh, dl):
    """dfrec_vf2_vf2: 1 / d as a double-float."""
    s = _F(1) / dh
    return s, s * _fma(-dl, s, _fma(-dh, s, _F(1)))


def _df_div(nh, nl, dh, dl):
    """dfdiv_vf2_vf2_vf2: n / d as a double-float."""
    t = _F(1) / dh
    s = nh * t
    u = _fma(t, nh, -s)
    v = _fma(-dl, t, _fma(-dh, t, _F(1)))
    return s, _fma(s, v, _fma(nl, t, u))


def _ldexp2(d, e):
    """vldexp2_vf_vf_vi2: d * 2**e in two factors."""
    half = e >> 1
    return d * ((half + 127) << 23).view(np.float32) * ((e - half + 127) << 23).view(np.float32)


def _expk2f(dh, dl):
    """SLEEF's expk2f: exp of a double-float, as a double-float."""
    q = np.rint((dh + dl) * _R_LN2).astype(np.int32)
    qf = q.astype(np.float32)
    sh, sl = _df_add2_f(dh, dl, qf * -_L2U)
    sh, sl = _df_add2_f(sh, sl, qf * -_L2L)
    u = _F(0.1980960224e-3)
    for c in (0.1394256484e-2, 0.8333456703e-2, 0.4166637361e-1):
        u = _fma(u, sh, _F(c))
    th, tl = _df_add2_f(*_df_mul_f(sh, sl, u), _F(0.166666659414234244790680580464))
    th, tl = _df_add2_f(*_df_mul_ff(sh, sl, th, tl), _F(0.5))
    th, tl = _df_add2_ff(sh, sl, *_df_mul_ff(*_df_squ(sh, sl), th, tl))
    s = _F(1) + th                                   # dfadd_vf2_vf_vf2(1, t)
    th, tl = s, ((_F(1) - s) + th) + tl
    th, tl = _ldexp2(th, q), _ldexp2(tl, q)
    gone = dh < _F(-104)
    return np.where(gone, _F(0), th), np.where(gone, _F(0), tl)


def sleef_expm1f(a):
    """SLEEF's float32 expm1 (xexpm1f, u10): PyTorch's Vectorized<float>::expm1."""
    a = np.asarray(a, np.float32)
    with np.errstate(all="ignore"):
        dh, dl = _expk2f(np.clip(a, _F(-120), _F(120)), np.zeros_like(a))
        dh, dl = _df_add2_f(dh, dl, _F(-1))
        x = dh + dl
        x = np.where(a > _F(88.72283172607421875), _F(np.inf), x)
        x = np.where(a < _F(-16.635532333438687426013570), _F(-1), x)
        x = np.where((a == 0) & np.signbit(a), _F(-0.0), x)
        return np.where(np.isnan(a), a, x).astype(np.float32)


def sleef_tanhf(x):
    """SLEEF's float32 tanh (xtanhf, u10): PyTorch's Vectorized<float>::tanh."""
    x = np.asarray(x, np.float32)
    with np.errstate(all="ignore"):
        y = np.minimum(np.abs(x), _F(20))
        dh, dl = _expk2f(y, np.zeros_like(y))
        eh, el = _df_rec(dh, dl)
        nh, nl = _df_add_ff(dh, dl, -eh, -el)
        mh, ml = _df_add_ff(dh, dl, eh, el)
        rh, rl = _df_div(nh, nl, mh, ml)
        y = rh + rl
        y = np.where((np.abs(x) > _F(8.664339742)) | np.isnan(y), _F(1), y)
        y = np.where(np.signbit(x), -y, y)
        return np.where(np.isnan(x), x, y).astype(np.float32)

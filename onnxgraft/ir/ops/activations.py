"""Activations as single registry ops whose float32 forward and backward reproduce PyTorch's CPU
kernels bit for bit (aten/src/ATen/native/cpu/Activation.cpp), where composing them from exp,
log and sigmoid rounded differently in 5-90% of elements.

GELU (erf form) of a contiguous tensor of more than one element goes to oneDNN instead
(onednn_eltwise.py). The other kernels (cpu_kernel_vec) run a vectorised lambda over blocks of 32
float32 elements (two AVX-512 vectors), calling SLEEF's exp/expm1/log1p/tanh (sleef.py) and
PyTorch's own erf polynomial, and a scalar lambda over the n % 32 tail (over everything for a
strided input), calling glibc's expf, expm1f, log1pf and tanhf, which are not always correctly
rounded and are reproduced in glibc_float.py (std::erf, used only for one-element or strided
GELU, is taken as correctly rounded). GCC contracts a * b + c into one fused multiply-add in both
(`_fma`). LogSigmoid's forward is a hand-written loop that uses vector code (partial loads) for
every element. Other dtypes use the scalar formulas in their own precision.

Not reproduced: tensors over 32768 elements are split between threads, each part with its own
tail (elements there can differ in the last bit); strided GELU in float32 (glibc's erff).

The VJPs compute PyTorch's backward kernel in numpy on the eager fast path (no create_graph, no
capture) and a composed OpMixin formula otherwise (double backward, ONNX capture).
"""
import math

import numpy as np

from .registry import defop, ShapeError
from .glibc_float import expf as _exp, expm1f as _expm1, log1pf as _log1p, tanhf as _tanh
from .onednn_eltwise import gelu_bwd, gelu_fwd
from .sleef import _fma, sleef_expf, sleef_expm1f, sleef_log1pf, sleef_tanhf

F = "nn"
_F32 = np.float32
_BLOCK = 32
_SQRT1_2 = 0.70710678118654752440
_2_SQRTPI = 1.12837916709551257390
_SQRT2 = 1.41421356237309504880


# -- kernel plumbing -------------------------------------------------------------------------------
def _split(*arrays):
    """Flat C-order copies of same-shaped arrays and the length of the vectorised part."""
    flat = [np.ascontiguousarray(a).reshape(-1) for a in arrays]
    n = flat[0].size
    return flat, n - n % _BLOCK


def _kernel(vec, scalar, *arrays, all_vector=False):
    """cpu_kernel_vec on float32 arrays: `vec` on whole blocks of 32, `scalar` on the tail."""
    shape = arrays[0].shape
    flat, nv = _split(*arrays)
    if all_vector:
        nv = flat[0].size
    elif not all(a.flags.c_contiguous for a in arrays):
        nv = 0   # TensorIterator vectorises only contiguous inner loops: strided views go scalar
    out = np.empty(flat[0].size, np.float32)
    with np.errstate(all="ignore"):
        if nv:
            out[:nv] = vec(*(a[:nv] for a in flat))
        if nv < out.size:
            out[nv:] = scalar(*(a[nv:] for a in flat))
    return out.reshape(shape)


def _cr(fn):
    """A std:: float function: evaluated in float64 and rounded once to float32."""
    def f(x):
        with np.errstate(all="ignore"):
            return np.asarray(fn(np.asarray(x, np.float64))).astype(np.float32)
    return f


def _erf64(x):
    try:
        from scipy.special import erf
        return erf(x)
    except ImportError:  # scipy is optional: math.erf elementwise
        return np.vectorize(math.erf, otypes=[np.float64])(x)


_erf = _cr(_erf64)


def _erf_vec(x):
    """Vectorized<float>::erf (vec512_float.h): Abramowitz & Stegun 7.1.26 with fused
    multiply-adds and SLEEF's exp: sign(x) (1 - r t exp(-x^2)), t = 1 / (1 + p |x|)."""
    one = _F32(1)
    ax = np.abs(x)
    t = one / _fma(_F32(0.3275911), ax, one)
    r = _fma(_F32(1.061405429), t, _F32(-1.453152027))
    r = _fma(r, t, _F32(1.421413741))
    r = _fma(r, t, _F32(-0.284496736))
    r = _fma(r, t, _F32(0.254829592))
    e = -sleef_expf(-(x * x))
    res = _fma(e * t, r, one)
    return np.where(np.signbit(x), -res, res).astype(np.float32)


def _eager(*values):
    from ...frontend.grad_mode import STATE
    return not STATE.grad_enabled and STATE.tracer is None and all(hasattr(v, "_data") for v in values)


def _wrap(a):
    from ...frontend.tensor import _wrap as w
    return w(np.asarray(a))


def _same(x, **attrs):
    if np.dtype(x[1]).kind != "f":
        raise ShapeError(f"activation: expected a floating point input, got {x[1]}")
    return [(tuple(x[0]), x[1])]


def _unary(kernel32, kernel_any):
    """Dispatch an elementwise eager kernel on dtype: float32 reproduces PyTorch's rounding."""
    def eager(x, **attrs):
        if x.dtype == np.float32:
            return kernel32(x, **attrs)
        with np.errstate(all="ignore"):
            return np.asarray(kernel_any(x, **attrs)).astype(x.dtype, copy=False)
    return eager


def _grad(kernel32, kernel_any, g, x, **attrs):
    g = np.ascontiguousarray(np.broadcast_to(g, x.shape))   # autograd materialises the gradient
    if x.dtype == np.float32:
        return kernel32(g.astype(np.float32, copy=False), x, **attrs)
    with np.errstate(all="ignore"):
        return np.asarray(kernel_any(g, x, **attrs)).astype(x.dtype, copy=False)


# -- composed pieces for the OpMixin (create_graph / capture) formulas -----------------------------
def _softplus_mixin(x):
    """log(1 + exp(x)) = relu(x) + log(1 + exp(-|x|)), finite for every x."""
    return x.relu() + ((-x.abs()).exp() + 1).log()


# -- GELU ----------------------------------------------------------------------------------------
_KALPHA = _F32(_SQRT1_2)
_KBETA_ERF = _F32(_2_SQRTPI * _SQRT1_2 * 0.5)
_KBETA_TANH = _F32(_SQRT2 * _2_SQRTPI * 0.5)
_KKAPPA = _F32(0.044715)


def _onednn(x):
    """PyTorch's use_mkldnn(x) for gelu: a contiguous tensor of more than one element."""
    return x.size > 1 and x.flags.c_contiguous


def _gelu32(x, approximate="none"):
    half, one = _F32(0.5), _F32(1)
    if approximate == "tanh":

        def body(tanh):
            def f(x):
                inner = _KBETA_TANH * _fma(_KKAPPA, x * x * x, x)
                return (half * x) * (one + tanh(inner))
            return f
        return _kernel(body(sleef_tanhf), body(_tanh), x)
    if _onednn(x):   # PyTorch hands these to oneDNN (onednn_eltwise.py)
        with np.errstate(all="ignore"):
            return gelu_fwd(x)
    return _kernel(lambda x: (x * half) * (one + _erf_vec(x * _KALPHA)),
                   lambda x: (x * half) * (one + _erf(x * _KALPHA)), x)


def _gelu_any(x, approximate="none"):
    if approximate == "tanh":
        inner = math.sqrt(2 / math.pi) * (x + 0.044715 * x * x * x)
        return 0.5 * x * (1 + np.tanh(inner))
    return x * 0.5 * (1 + _erf64(x * _SQRT1_2))


def _gelu_grad32(g, x, approximate="none"):
    half, one = _F32(0.5), _F32(1)
    if approximate == "tanh":

        def body(tanh):
            def f(dy, x):
                x_sq = x * x
                inner = _KBETA_TANH * _fma(_KKAPPA, x * x * x, x)
                th = tanh(inner)
                left = half * x
                right = one + th
                left_d = half * right
                tanh_d = _fma(-th, th, one)
                inner_d = _KBETA_TANH * _fma(_F32(3) * _KKAPPA, x_sq, one)
                right_d = (left * tanh_d) * inner_d
                return dy * (left_d + right_d)
            return f
        return _kernel(body(sleef_tanhf), body(_tanh), g, x)

    if _onednn(x):
        with np.errstate(all="ignore"):
            return gelu_bwd(g, x)

    def body(erf, exp):
        def f(dy, x):
            cdf = half * (one + erf(x * _KALPHA))
            pdf = _KBETA_ERF * exp((x * x) * _F32(-0.5))
            return dy * _fma(x, pdf, cdf)
        return f
    return _kernel(body(_erf_vec, sleef_expf), body(_erf, _exp), g, x)


def _gelu_grad_any(g, x, approximate="none"):
    if approximate == "tanh":
        beta = math.sqrt(2) * 2 / math.sqrt(math.pi) * 0.5
        th = np.tanh(beta * (x + 0.044715 * x ** 3))
        return g * (0.5 * (1 + th) + 0.5 * x * (1 - th * th) * beta * (1 + 3 * 0.044715 * x * x))
    cdf = 0.5 * (1 + _erf64(x * _SQRT1_2))
    pdf = _2_SQRTPI * _SQRT1_2 * 0.5 * np.exp(-0.5 * x * x)
    return g * (cdf + x * pdf)


def _gelu_vjp(g, out, x, approximate="none"):
    if _eager(g, x):
        return (_wrap(_grad(_gelu_grad32, _gelu_grad_any, g._data, x._data, approximate=approximate)),)
    if approximate == "tanh":
        beta = math.sqrt(2) * 2 / math.sqrt(math.pi) * 0.5
        th = ((x + x * x * x * 0.044715) * beta).tanh()
        return (g * ((th + 1) * 0.5 + x * 0.5 * (1 - th * th) * ((x * x) * (3 * 0.044715) + 1) * beta),)
    xs = x * _SQRT1_2
    cdf = (xs._op("Erf", xs) + 1) * 0.5
    pdf = (x * x * -0.5).exp() * (_2_SQRTPI * _SQRT1_2 * 0.5)
    return (g * (cdf + x * pdf),)


def _gelu_infer(x, approximate="none"):
    if approximate not in ("none", "tanh"):
        raise ShapeError("approximate argument must be either none or tanh.")
    return _same(x)


# -- SiLU ----------------------------------------------------------------------------------------
def _silu32(x):
    one = _F32(1)
    return _kernel(lambda x: x / (one + sleef_expf(-x)), lambda x: x / (one + _exp(-x)), x)


def _silu_grad32(g, x):
    one = _F32(1)

    def body(exp):
        def f(dy, x):
            s = one / (one + exp(-x))
            return (dy * s) * _fma(x, one - s, one)
        return f
    return _kernel(body(sleef_expf), body(_exp), g, x)


def _silu_vjp(g, out, x):
    if _eager(g, x):
        return (_wrap(_grad(_silu_grad32, lambda g, x: g * (s := 1 / (1 + np.exp(-x))) * (1 + x * (1 - s)),
                            g._data, x._data)),)
    s = x.sigmoid()
    return (g * s * (x * (1 - s) + 1),)


# -- Softplus ------------------------------------------------------------------------------------
def _softplus32(x, beta=1.0, threshold=20.0):
    b, th = _F32(beta), _F32(threshold)
    return _kernel(lambda x: np.where(x * b > th, x, sleef_log1pf(sleef_expf(x * b)) / b),
                   lambda x: np.where(x * b > th, x, _log1p(_exp(x * b)) / b), x)


def _softplus_any(x, beta=1.0, threshold=20.0):
    bx = x * beta
    return np.where(bx > threshold, x, np.log1p(np.exp(np.minimum(bx, threshold))) / beta)


def _softplus_grad32(g, x, beta=1.0, threshold=20.0):
    b, th, one = _F32(beta), _F32(threshold), _F32(1)

    def body(exp):
        def f(dy, x):
            z = exp(x * b)
            return np.where(x * b > th, dy, (dy * z) / (z + one))
        return f
    return _kernel(body(sleef_expf), body(_exp), g, x)


def _softplus_grad_any(g, x, beta=1.0, threshold=20.0):
    z = np.exp(np.minimum(x * beta, threshold))
    return np.where(x * beta > threshold, g, g * z / (z + 1))


def _softplus_vjp(g, out, x, beta=1.0, threshold=20.0):
    if _eager(g, x):
        return (_wrap(_grad(_softplus_grad32, _softplus_grad_any, g._data, x._data,
                            beta=beta, threshold=threshold)),)
    bx = x * beta
    return ((bx > threshold).select(g, g * bx.sigmoid()),)


# -- LogSigmoid ----------------------------------------------------------------------------------
def _logsigmoid32(x):
    # PyTorch's own loop: every element through vector code (the last partial vector is loaded
    # masked), min(x, 0) - log1p(exp(-|x|))
    return _kernel(lambda x: np.minimum(x, _F32(0)) - sleef_log1pf(sleef_expf(-np.abs(x))), None, x,
                   all_vector=True)


def _logsigmoid_any(x):
    return np.minimum(x, 0) - np.log1p(np.exp(-np.abs(x)))


def _logsigmoid_grad32(g, x):
    one, zero = _F32(1), _F32(0)
    buffer = sleef_expf(-np.abs(np.ascontiguousarray(x))).reshape(x.shape)   # the forward's buffer

    def f(x, b, dy):
        neg = x < zero
        return (np.where(neg, one, zero) - np.where(neg, one, -one) * (b / (one + b))) * dy
    return _kernel(f, f, x, buffer, g)


def _logsigmoid_grad_any(g, x):
    b = np.exp(-np.abs(x))
    neg = x < 0
    return (np.where(neg, 1.0, 0.0) - np.where(neg, 1.0, -1.0) * (b / (1 + b))) * g


def _logsigmoid_vjp(g, out, x):
    if _eager(g, x):
        return (_wrap(_grad(_logsigmoid_grad32, _logsigmoid_grad_any, g._data, x._data)),)
    return (g * (-x).sigmoid(),)


# -- ELU family (elu, selu, celu: PyTorch's elu kernel with alpha, scale, input_scale) ---------------
def _elu_coefs(alpha, scale, input_scale, dtype):
    t = np.dtype(dtype).type
    return t(alpha) * t(scale), t(scale), t(input_scale)


def _elu32(x, alpha=1.0, scale=1.0, input_scale=1.0):
    neg, pos, inp = _elu_coefs(alpha, scale, input_scale, np.float32)
    return _kernel(lambda x: np.where(x > 0, x * pos, sleef_expm1f(x * inp) * neg),
                   lambda x: np.where(x <= 0, _expm1(x * inp) * neg, x * pos), x)


def _elu_any(x, alpha=1.0, scale=1.0, input_scale=1.0):
    neg, pos, inp = _elu_coefs(alpha, scale, input_scale, x.dtype)
    return np.where(x <= 0, np.expm1(np.minimum(x, 0) * inp) * neg, x * pos)


def _elu_grad32(g, x, alpha=1.0, scale=1.0, input_scale=1.0):
    neg, pos, inp = _elu_coefs(alpha, scale, input_scale, np.float32)
    return _kernel(lambda a, b: np.where(b > 0, a * pos, ((a * inp) * neg) * sleef_expf(b * inp)),
                   lambda a, b: np.where(b <= 0, ((a * inp) * neg) * _exp(b * inp), a * pos), g, x)


def _elu_grad_any(g, x, alpha=1.0, scale=1.0, input_scale=1.0):
    neg, pos, inp = _elu_coefs(alpha, scale, input_scale, x.dtype)
    return np.where(x <= 0, g * inp * neg * np.exp(np.minimum(x, 0) * inp), g * pos)


def _elu_vjp(g, out, x, alpha=1.0, scale=1.0, input_scale=1.0):
    if _eager(g, x):
        return (_wrap(_grad(_elu_grad32, _elu_grad_any, g._data, x._data,
                            alpha=alpha, scale=scale, input_scale=input_scale)),)
    neg = float(alpha) * float(scale)
    # exp of min(x, 0): the unselected branch must stay finite (inf * 0 would be NaN)
    xn = (x > 0).select(0.0, x)
    return ((x > 0).select(g * scale, g * (input_scale * neg) * (xn * input_scale).exp()),)


# -- Mish ----------------------------------------------------------------------------------------
def _mish32(x):
    return _kernel(lambda x: x * sleef_tanhf(sleef_log1pf(sleef_expf(x))),
                   lambda x: x * _tanh(_log1p(_exp(x))), x)


def _mish_any(x):
    return x * np.tanh(np.logaddexp(0, x))


def _mish_grad32(g, x):
    one = _F32(1)

    def body(exp, log1p, tanh):
        def f(dy, x):
            s = one / (one + exp(-x))
            tsp = tanh(log1p(exp(x)))
            return dy * _fma(x * s, _fma(-tsp, tsp, one), tsp)
        return f
    return _kernel(body(sleef_expf, sleef_log1pf, sleef_tanhf), body(_exp, _log1p, _tanh), g, x)


def _mish_grad_any(g, x):
    s = 1 / (1 + np.exp(-x))
    tsp = np.tanh(np.logaddexp(0, x))
    return g * (tsp + x * s * (1 - tsp * tsp))


def _mish_vjp(g, out, x):
    if _eager(g, x):
        return (_wrap(_grad(_mish_grad32, _mish_grad_any, g._data, x._data)),)
    tsp = _softplus_mixin(x).tanh()
    return (g * (tsp + x * x.sigmoid() * (1 - tsp * tsp)),)


# -- Hardsigmoid / Hardswish ---------------------------------------------------------------------
def _hardsigmoid(x):
    t = x.dtype.type
    return np.minimum(np.maximum(x + t(3), t(0)), t(6)) / t(6)


def _hardsigmoid_grad(g, x):
    t = x.dtype.type
    inside = (x > t(-3)) & (x < t(3))
    # PyTorch's kernel multiplies by scalar_t(1.0f / 6.0f): float32's 1/6, for float64 too
    return np.where(inside, g * t(np.float32(1) / np.float32(6)), t(0))


def _hardsigmoid_vjp(g, out, x):
    if _eager(g, x):
        return (_wrap(_hardsigmoid_grad(np.broadcast_to(g._data, x.shape), x._data).astype(x._data.dtype)),)
    return (((x > -3.0).logical_and(x < 3.0)).select(g * float(np.float32(1) / np.float32(6)), 0.0),)


def _hardswish(x):
    t = x.dtype.type
    return (x * np.minimum(np.maximum(x + t(3), t(0)), t(6))) / t(6)


def _hardswish_grad(g, x):
    t = x.dtype.type
    # PyTorch 2.13's boundaries: 0 up to and at -3, g from 3 on
    mid = g * ((x / t(3)) + t(0.5))
    return np.where(x <= t(-3), t(0), np.where(x < t(3), mid, g))


def _hardswish_vjp(g, out, x):
    if _eager(g, x):
        return (_wrap(_hardswish_grad(np.broadcast_to(g._data, x.shape), x._data).astype(x._data.dtype)),)
    return ((x <= -3.0).select(0.0, (x < 3.0).select(g * (x / 3.0 + 0.5), g)),)


# -- declarations --------------------------------------------------------------------------------
defop("Gelu", eager=_unary(_gelu32, _gelu_any), infer=_gelu_infer, vjp=_gelu_vjp, saves=(0,), family=F,
      grad_name="GeluBackward0")
defop("Silu", eager=_unary(_silu32, lambda x: x / (1 + np.exp(-x))), infer=_same, vjp=_silu_vjp, saves=(0,),
      family=F, grad_name="SiluBackward0")
defop("Softplus", eager=_unary(_softplus32, _softplus_any), infer=_same, vjp=_softplus_vjp, saves=(0,),
      family=F, grad_name="SoftplusBackward0")
defop("LogSigmoid", eager=_unary(_logsigmoid32, _logsigmoid_any), infer=_same, vjp=_logsigmoid_vjp,
      saves=(0,), family=F, grad_name="LogSigmoidBackward0")
defop("EluKernel", eager=_unary(_elu32, _elu_any), infer=_same, vjp=_elu_vjp, saves=(0,), family=F,
      grad_name="EluBackward0")
defop("Mish", eager=_unary(_mish32, _mish_any), infer=_same, vjp=_mish_vjp, saves=(0,), family=F,
      grad_name="MishBackward0")
defop("HardSigmoidKernel", eager=_hardsigmoid, infer=_same, vjp=_hardsigmoid_vjp, saves=(0,), family=F,
      grad_name="HardsigmoidBackward0")
defop("HardSwishKernel", eager=_hardswish, infer=_same, vjp=_hardswish_vjp, saves=(0,), family=F,
      grad_name="HardswishBackward0")


# the LogSigmoid eager kernel, for BceWithLogitsLoss's forward (bce.py)
REGISTRY_LOGSIGMOID = _unary(_logsigmoid32, _logsigmoid_any)

"""Tensor methods: Unary and binary math beyond the basics: inverse trig and hyperbolic functions, erf, hypot, logaddexp, lerp, addcmul/addcdiv, nan_to_num, and the in-place forms PyTorch names with a trailing _.

Mixed into Tensor (frontend/tensor.py). `TORCH_METHODS` names the methods that are also torch.*
free functions (torch.name(input, ...) is input.name(...)); `TORCH_FUNCTIONS` maps other torch.*
names to functions.

Registry ops (ir/ops/math.py) back the functions no composition gives to PyTorch's precision
(asin ... atanh, erf, erfc, atan2, rounding); the rest are compositions of existing ops whose top
node takes PyTorch's grad_fn name, so their gradients, double backward and capture come from the
ops they are made of. Float-valued functions compute integer and bool inputs in the default
float dtype, as PyTorch does.
"""
import math

import numpy as np

from .grad_mode import STATE
from .node import apply

_NUMBER = (int, float, bool, np.number, np.bool_)


def _tensor_module():
    # tensor.py imports this module while it defines Tensor: bind its names on first use
    from . import tensor
    return tensor


def _floating(x):
    """x itself when floating, else x in the default float dtype (PyTorch's int -> float rule)."""
    return x if x._data.dtype.kind == "f" else x.to("float32")


def _unary(op, name=None):
    def method(self):
        return apply(op, (_floating(self),), {}, name)
    method.__name__ = op.lower()
    method.__doc__ = f"Elementwise {op.lower()} (computed in the default float dtype for integer inputs)."
    return method


def _need_tensor(fn_name, arg_name, position, value):
    """PyTorch's text when a Python number is given where only a Tensor is accepted."""
    if not isinstance(value, _tensor_module().Tensor):
        raise TypeError(f"{fn_name}(): argument '{arg_name}' (position {position}) must be Tensor, "
                        f"not {type(value).__name__}")


def _float_pair(fn_name, a, b, integers=True):
    """Both operands at PyTorch's promoted dtype; integer results become the default float when
    `integers` (a float-valued function), and are refused as PyTorch's CPU kernels refuse them
    otherwise."""
    _need_tensor(fn_name, "other", 2, b)
    x, y = a._operands(b)
    if x._data.dtype.kind != "f":
        if not integers:
            from .dtype import LEGACY
            raise NotImplementedError(f'"{fn_name}_cpu" not implemented for '
                                      f"'{LEGACY[str.__str__(x.dtype)]}'")
        x, y = x.to("float32"), y.to("float32")
    return x, y


def _inplace(self, compute):
    """Run `compute` on this tensor's current value and make the result its new value, with
    PyTorch's in-place rules (leaf check, version bump, history). The op reads a copy of the old
    value when autograd tracks it: its VJP may need that value after the write."""
    from .inplace import check_inplace, commit, _history_alias
    check_inplace(self)
    src = self
    if STATE.tracer is None and STATE.grad_enabled and self._requires_grad:
        src = _history_alias(self)
    return commit(self, compute(src))


# in-place forms of float-valued functions: an integer tensor gets PyTorch's "can't be cast" error
_FLOAT_VALUED = {"cos", "sin", "tan", "reciprocal", "rsqrt", "log", "log1p", "log2", "log10", "expm1",
                 "lgamma", "digamma", "polygamma", "mvlgamma"}


def _inplace_method(name):
    lift = _floating if name in _FLOAT_VALUED else (lambda x: x)

    def method(self, *args, **kwargs):
        return _inplace(self, lambda src: getattr(lift(src), name)(*args, **kwargs))
    method.__name__ = name + "_"
    method.__doc__ = f"In-place {name}: the result is written into this tensor."
    return method


class MathMethods:
    __slots__ = ()

    # -- inverse trig and hyperbolic functions, erf ------------------------------------------------
    asin = arcsin = _unary("Asin")
    acos = arccos = _unary("Acos")
    atan = arctan = _unary("Atan")
    sinh = _unary("Sinh")
    cosh = _unary("Cosh")
    asinh = arcsinh = _unary("Asinh")
    acosh = arccosh = _unary("Acosh")
    atanh = arctanh = _unary("Atanh")
    erf = _unary("Erf")
    erfc = _unary("Erfc")

    def atan2(self, other):
        """Elementwise angle of the point (other, self): atan(self / other) in the right quadrant."""
        y, x = _float_pair("atan2", self, other)
        return apply("Atan2", (y, x), {})

    arctan2 = atan2

    # -- rounding: piecewise constant, so zero gradients (PyTorch records them too) ------------------
    def floor(self):
        return apply("Floor", (self,), {})

    def ceil(self):
        return apply("Ceil", (self,), {})

    def trunc(self):
        return apply("Trunc", (self,), {})

    fix = trunc

    def round(self, decimals=0):
        """Round half to even; `decimals` rounds to that many decimal places (RoundBackward1)."""
        if decimals == 0:
            return apply("Round", (self,), {})
        return apply("Round", (self,), {"decimals": int(decimals)}, "RoundBackward1")

    def frac(self):
        return (self - self.trunc())._renamed("FracBackward0")

    # -- float-valued compositions ----------------------------------------------------------------
    def exp2(self):
        # 2 ** x with the Pow kernel: exact for integer exponents (exp(x ln 2) is not);
        # its exponent gradient g * out * ln 2 is exp2's
        return (2.0 ** _floating(self))._renamed("Exp2Backward0")

    def deg2rad(self):
        return (_floating(self) * (math.pi / 180.0))._renamed("Deg2RadBackward0")

    def rad2deg(self):
        return (_floating(self) * (180.0 / math.pi))._renamed("Rad2DegBackward0")

    def sinc(self):
        """sin(pi x) / (pi x), 1 at 0 (where the gradient is 0)."""
        x = _floating(self)
        zero = x == 0
        # the double where keeps 0/0 out of the branch not taken, whose gradient would be NaN
        safe = zero.select(1.0, x)
        px = safe * math.pi
        return zero.select(1.0, px.sin() / px)._renamed("SincBackward0")

    def logit(self, eps=None):
        """log(x / (1 - x)); with `eps`, x is first clamped to [eps, 1 - eps] (gradient 0 outside)."""
        x = _floating(self)
        if eps is not None:
            x = x.clamp(eps, 1.0 - eps)
        else:
            # outside [0, 1] PyTorch's gradient is NaN, as the value is: a factor NaN there
            # (1 elsewhere) gives both
            outside = (x < 0) | (x > 1)
            x = x * outside.select(math.nan, x._const(np.ones((), x._data.dtype)))
        return (x / (1 - x)).log()._renamed("LogitBackward0")

    def xlogy(self, other):
        """self * log(other), 0 where self is 0 (unless other is NaN)."""
        t = _tensor_module()
        if not isinstance(other, t.Tensor):
            x, y = _floating_scalar_pair(self, other)
            name = "XlogyBackward2"
        else:
            x, y = _float_pair("xlogy", self, other)
            name = "XlogyBackward0"
        return _xlogy(x, y, name)

    def hypot(self, other):
        """sqrt(self^2 + other^2)."""
        x, y = _float_pair("hypot", self, other, integers=False)
        return (x * x + y * y).sqrt()._renamed("HypotBackward0")

    def logaddexp(self, other):
        """log(exp(self) + exp(other)) without overflow."""
        a, b = _float_pair("logaddexp", self, other, integers=False)
        t = _tensor_module()
        # the larger argument, held constant: the gradient of m + log(e^(a-m) + e^(b-m)) is
        # softmax's, e^(a - out), which splits ties evenly as PyTorch does; infinities shift by 0
        m = t.maximum(a, b).detach()
        m = (m.abs() == math.inf).select(0.0, m)
        ea, eb = (a - m).exp(), (b - m).exp()
        out = m + (ea + eb).log()
        # log(1 + u) for the smaller term u = e^-|a-b| loses u below 1e-8 (logaddexp(-100, 0) is
        # 3.8e-44); Kahan's log1p restores the value, and the correction carries no gradient
        u = (-(a - b).abs()).exp().detach()
        v = u + 1
        w = v - 1
        log1p = (w == 0).select(u, v.log() * u / (w == 0).select(1.0, w))
        # the correction is NaN only where out is infinite or NaN already: then none is needed
        corr = (t.maximum(a, b).detach() + log1p) - out.detach()
        corr = (corr != corr).select(0.0, corr)
        return (out + corr)._renamed("LogaddexpBackward0")

    def float_power(self, exponent):
        """self ** exponent computed in float64."""
        t = _tensor_module()
        base = self.to("float64")
        if isinstance(exponent, t.Tensor):
            return base ** exponent.to("float64")
        return base ** float(exponent)

    def fmax(self, other):
        """Elementwise maximum that ignores NaN (NaN only where both are NaN)."""
        _need_tensor("fmax", "other", 2, other)
        a, b = self._operands(other)
        keep = a >= b
        if b._data.dtype.kind == "f":
            keep = keep | (b != b)
        return _tensor_module().where(keep, a, b)._renamed("FmaxBackward0")

    def fmin(self, other):
        """Elementwise minimum that ignores NaN (NaN only where both are NaN)."""
        _need_tensor("fmin", "other", 2, other)
        a, b = self._operands(other)
        keep = a <= b
        if b._data.dtype.kind == "f":
            keep = keep | (b != b)
        return _tensor_module().where(keep, a, b)._renamed("FminBackward0")

    def maximum(self, other):
        _need_tensor("maximum", "other", 2, other)
        return _tensor_module().maximum(self, other)

    def minimum(self, other):
        _need_tensor("minimum", "other", 2, other)
        return _minimum(self, other)

    def sgn(self):
        """sign for real tensors (bool stays bool); its gradient is 0."""
        if self._data.dtype.kind == "b":
            return self.clone()
        return self.sign()._renamed("SgnBackward0")

    def heaviside(self, values):
        """0 where self < 0, `values` where self == 0, 1 where self > 0. PyTorch has no derivative
        for it: the result carries no gradient."""
        t = _tensor_module()
        _need_tensor("heaviside", "values", 2, values)
        if self.dtype != values.dtype:
            raise RuntimeError("heaviside is not yet implemented for tensors with different dtypes.")
        x, v = self.detach(), values.detach()
        pos = (x > 0).to(x.dtype)
        return t.where(x == 0, v, pos)

    def nan_to_num(self, nan=0.0, posinf=None, neginf=None):
        """NaN -> `nan`, +inf -> `posinf`, -inf -> `neginf` (default: the dtype's largest finite
        values); integer and bool tensors are returned as a copy."""
        if self._data.dtype.kind != "f":
            return self.clone()
        t = _tensor_module()
        info = np.finfo(self._data.dtype)
        posinf = float(info.max) if posinf is None else posinf
        neginf = float(info.min) if neginf is None else neginf
        out = t.where(self == math.inf, posinf, self)
        out = t.where(self == -math.inf, neginf, out)
        out = t.where(self != self, nan, out)
        return out._renamed("NanToNumBackward0")

    def lerp(self, end, weight):
        """self + weight * (end - self), in PyTorch's two-sided form (exact at weight 1)."""
        t = _tensor_module()
        from .dtype import C_NAMES
        if self._data.dtype.kind != "f":
            from .dtype import LEGACY
            raise NotImplementedError(f'"lerp_kernel_scalar" not implemented for '
                                      f"'{LEGACY[str.__str__(self.dtype)]}'")
        for what, other in (("end", end), ("weight", weight)):
            if isinstance(other, t.Tensor) and other.dtype != self.dtype and (what == "end" or other.ndim):
                raise RuntimeError(f"expected dtype {C_NAMES[str.__str__(self.dtype)]} for `{what}` but "
                                   f"got dtype {C_NAMES[str.__str__(other.dtype)]}")
        # PyTorch checks the shapes in argument order before computing: the same error text
        from ..ir.ops.shape_rules import broadcast_shapes
        from ..ir.ops.registry import ShapeError
        try:
            broadcast_shapes("lerp", *(tuple(x.shape) for x in (self, end, weight) if isinstance(x, t.Tensor)))
        except ShapeError as exc:
            raise RuntimeError(str(exc)) from None
        from .inplace import fused_eager
        fused = fused_eager("lerp", self, end, None, weight)
        if fused is not None:
            return fused
        diff = end - self
        if isinstance(weight, t.Tensor):
            w = weight.to(self.dtype)
            low = self + w * diff
            high = end - diff * (1 - w)
            return t.where(w.abs() < 0.5, low, high)._renamed("LerpBackward1")
        if abs(weight) < 0.5:
            return (self + diff * weight)._renamed("LerpBackward0")
        return (end - diff * (1 - weight))._renamed("LerpBackward0")

    def addcmul(self, tensor1, tensor2, *, value=1):
        """self + value * tensor1 * tensor2."""
        from .inplace import fused_eager
        fused = fused_eager("addcmul", self, tensor1, tensor2, value)
        if fused is not None and fused.shape == self.shape:
            return fused
        prod = tensor1 * tensor2 if value == 1 else (tensor1 * _cast_value(tensor1, tensor2, self, value)) * tensor2
        return (self + prod)._renamed("AddcmulBackward0")

    def addcdiv(self, tensor1, tensor2, *, value=1):
        """self + value * tensor1 / tensor2."""
        t = _tensor_module()
        if all(isinstance(x, t.Tensor) and x._data.dtype.kind in "biu" for x in (tensor1, tensor2)):
            raise RuntimeError(_ADDCDIV_INTEGER)
        quot = tensor1 / tensor2 if value == 1 else (tensor1 * value) / tensor2
        return (self + quot)._renamed("AddcdivBackward0")

    # -- the log-gamma family (registry ops of ir/ops/gamma.py) -----------------------------------------
    def lgamma(self):
        """log |Gamma(x)| elementwise: +inf at the poles 0, -1, -2, ... (LgammaBackward0)."""
        _no_onnx_form("lgamma")
        return apply("Lgamma", (_floating(self),), {})

    def digamma(self):
        """The logarithmic derivative of Gamma: -inf at +0, +inf at -0, NaN at -1, -2, ..."""
        _no_onnx_form("digamma")
        return apply("Digamma", (_floating(self),), {})

    def polygamma(self, n):
        """The n-th derivative of digamma (n = 0 is digamma itself; PolygammaBackward0)."""
        _no_onnx_form("polygamma")
        n = _polygamma_order(n)
        return apply("Polygamma", (_floating(self),), {"n": n})

    def mvlgamma(self, p):
        """The multivariate log-gamma function of dimension p:
        sum_{i<p} lgamma(x - i/2) + p (p - 1) / 4 * log(pi) (MvlgammaBackward0)."""
        _no_onnx_form("mvlgamma")
        if p < 1:
            raise RuntimeError("p has to be greater than or equal to 1")
        x = _floating(self)
        # PyTorch's order: the offsets -(p-1)/2, ..., -1/2, 0 added and summed along a new last dim
        offsets = _tensor_module()._wrap(np.arange(-(p - 1) / 2, 0.5, 0.5).astype(x._data.dtype))
        out = (x.unsqueeze(-1) + offsets).lgamma().sum(-1) + p * (p - 1) * math.log(math.pi) * 0.25
        return out._renamed("MvlgammaBackward0")

    # -- dtype conversions ----------------------------------------------------------------------------
    def byte(self):
        return self.to("uint8")

    def char(self):
        return self.to("int8")

    def short(self):
        return self.to("int16")

    # -- in-place forms -------------------------------------------------------------------------------
    for _name in ("cos", "sin", "tan", "floor", "ceil", "round", "trunc", "fix", "frac", "sign", "sgn",
                  "reciprocal", "rsqrt", "square", "log", "log1p", "log2", "log10", "expm1", "fmod",
                  "remainder", "clamp_min", "clamp_max", "nan_to_num", "asin", "acos", "atan",
                  "arcsin", "arccos", "arctan", "sinh", "cosh", "asinh", "acosh", "atanh", "arcsinh",
                  "arccosh", "arctanh", "erf", "erfc", "exp2", "deg2rad", "rad2deg", "logit", "sinc",
                  "lgamma", "digamma", "polygamma", "mvlgamma",
                  "atan2", "arctan2", "hypot", "xlogy", "heaviside", "fmax", "fmin", "logical_not"):
        locals()[_name + "_"] = _inplace_method(_name)
    del _name

    def float_power_(self, exponent):
        if self._data.dtype != np.float64:
            from .dtype import LEGACY
            raise RuntimeError(f"the base given to float_power_ has dtype {LEGACY[str.__str__(self.dtype)]} "
                               "but the operation's result requires dtype Double")
        return _inplace(self, lambda src: src.float_power(exponent))


_ADDCDIV_INTEGER = (
    "Integer division with addcdiv is no longer supported, and in a future  release addcdiv will "
    "perform a true division of tensor1 and tensor2. The historic addcdiv behavior can be implemented "
    "as (input + value * torch.trunc(tensor1 / tensor2)).to(input.dtype) for integer inputs and as "
    "(input + value * tensor1 / tensor2) for float inputs. The future addcdiv behavior is just the "
    "latter implementation: (input + value * tensor1 / tensor2), for all dtypes.")


def _cast_value(tensor1, tensor2, input, value):
    """addcmul's `value` as PyTorch takes it: truncated to an integer when the result is integral."""
    from ..ir.dtypes import promote
    dtypes = [(str.__str__(x.dtype), x.ndim) for x in (input, tensor1, tensor2) if hasattr(x, "dtype")]
    if dtypes and promote(*dtypes) in ("uint8", "int8", "int16", "int32", "int64"):
        return int(value)
    return value


def _floating_scalar_pair(x, number):
    """xlogy(tensor, number): the number at the tensor's float dtype (or the default float)."""
    x = _floating(x)
    return x, x._const(np.asarray(number, dtype=x._data.dtype))


def _xlogy(x, y, name):
    # x * log(y) is already 0 at x = 0 for finite positive y; where y <= 0 or y = inf it would
    # be NaN, and PyTorch gives 0 (value, and x's gradient, which is log(y) elsewhere, even at
    # x = 0). The double where keeps the NaN out of both; NaN in y stays NaN.
    zero = (x == 0).logical_and((y <= 0) | (y == math.inf))
    safe = zero.select(1.0, y)
    # + 0.0 turns 0 * log(y) = -0.0 (y < 1) into PyTorch's +0.0 and leaves every other value
    return (zero.select(0.0, x * safe.log()) + 0.0)._renamed(name)


def _xlogy_scalar_first(number, other):
    """torch.xlogy(number, tensor)."""
    y = _floating(other)
    x = y._const(np.asarray(number, dtype=y._data.dtype))
    return _xlogy(x, y, "XlogyBackward1")


def _minimum(a, b):
    t = _tensor_module()
    a, b = a._operands(b)
    if a._data.dtype.kind != "f":
        return t.where(a <= b, a, b)
    # ties split the gradient evenly, as PyTorch's minimum does; NaN in either gives NaN
    return t.where(a < b, a, t.where(b < a, b, a * 0.5 + b * 0.5))._renamed("MinimumBackward0")


def xlogy(input, other):
    """torch.xlogy: input * log(other), 0 where input is 0; either argument may be a number."""
    t = _tensor_module()
    if not isinstance(input, t.Tensor):
        return _xlogy_scalar_first(input, other)
    return input.xlogy(other)


def float_power(input, exponent):
    """torch.float_power: input ** exponent in float64 (input may be a number)."""
    t = _tensor_module()
    if not isinstance(input, t.Tensor):
        return float(input) ** exponent.to("float64")
    return input.float_power(exponent)


def _no_onnx_form(name):
    """Refuse, under capture, an op that standard ONNX has no operator for (the log-gamma family)."""
    if STATE.tracer is not None:
        STATE.tracer.data_dependent(f"torch.{name} (ONNX has no {name} operator)")


def _polygamma_order(n):
    if isinstance(n, bool) or not isinstance(n, (int, np.integer)):
        raise TypeError(f"polygamma(): argument 'n' (position 1) must be int, not {type(n).__name__}")
    if n < 0:
        raise RuntimeError("polygamma(n, x) does not support negative n.")
    return int(n)


def polygamma(n, input):
    """torch.polygamma(n, input): the n-th derivative of digamma, elementwise."""
    n = _polygamma_order(n)
    _need_tensor("polygamma", "input", 2, input)
    return input.polygamma(n)


def _need_input(fn):
    """torch.fn(input, other) for the functions that take two tensors."""
    def free(input, *args, **kwargs):
        _need_tensor(fn, "input", 1, input)
        return getattr(input, fn)(*args, **kwargs)
    free.__name__ = fn
    free.__doc__ = f"torch.{fn}(input, other) is input.{fn}(other)."
    return free


def _inplace_free(name):
    def free(input, *args, **kwargs):
        return getattr(input, name)(*args, **kwargs)
    free.__name__ = name
    free.__doc__ = f"torch.{name}(input, ...) is input.{name}(...)."
    return free


TORCH_METHODS = (
    "asin", "acos", "atan", "arcsin", "arccos", "arctan", "sinh", "cosh", "asinh", "acosh", "atanh",
    "arcsinh", "arccosh", "arctanh", "erf", "erfc", "exp2", "deg2rad", "rad2deg", "sinc", "logit",
    "sgn", "nan_to_num", "lerp", "addcmul", "addcdiv", "trunc", "fix", "round", "floor", "ceil", "frac",
)
TORCH_FUNCTIONS = {
    "xlogy": xlogy,
    "float_power": float_power,
    "polygamma": polygamma,
    # torch.lgamma(2.0) is PyTorch's TypeError naming the argument, not an AttributeError
    **{name: _need_input(name) for name in ("lgamma", "digamma", "mvlgamma")},
    **{name: _need_input(name) for name in ("atan2", "arctan2", "hypot", "logaddexp", "fmax", "fmin",
                                             "maximum", "minimum", "heaviside")},
    # the in-place forms PyTorch also has as torch.* functions
    **{name: _inplace_free(name) for name in (
        "cos_", "sin_", "tan_", "floor_", "ceil_", "round_", "trunc_", "fix_", "frac_", "reciprocal_",
        "rsqrt_", "square_", "log_", "log1p_", "log2_", "log10_", "expm1_", "clamp_min_", "clamp_max_",
        "nan_to_num_", "asin_", "acos_", "atan_", "arcsin_", "arccos_", "arctan_", "sinh_", "cosh_",
        "asinh_", "acosh_", "atanh_", "arcsinh_", "arccosh_", "arctanh_", "erf_", "erfc_", "exp2_",
        "deg2rad_", "rad2deg_", "logit_", "sinc_", "xlogy_")},
}

"""torch.poisson (PyTorch's CPU sampler, draw for draw) and the Poisson distribution."""
import ctypes
import ctypes.util
import math

import numpy as np

import onnxgraft as torch
from . import constraints
from .exp_family import ExponentialFamily
from .utils import _Number, broadcast_all

__all__ = ["Poisson", "poisson"]


def _libm_lgamma():
    # PyTorch's acceptance test calls glibc's std::lgamma; CPython's math.lgamma is its own
    # approximation, which can differ in the last bit
    try:
        fn = ctypes.CDLL(ctypes.util.find_library("m") or "libm.so.6").lgamma
        fn.restype, fn.argtypes = ctypes.c_double, [ctypes.c_double]
        return fn
    except (OSError, AttributeError):
        return math.lgamma


_lgamma = _libm_lgamma()


def _sample_poisson(lam, draw):
    # aten/src/ATen/native/Distributions.cpp sample_poisson (adapted from numpy's distributions.c):
    # transformed rejection (Hoermann 1993) for lambda >= 10, multiplication of uniforms below
    if lam >= 10:
        slam = math.sqrt(lam)
        loglam = math.log(lam)
        b = 0.931 + 2.53 * slam
        a = -0.059 + 0.02483 * b
        invalpha = 1.1239 + 1.1328 / (b - 3.4)
        vr = 0.9277 - 3.6224 / (b - 2)
        while True:
            u = draw() - 0.5
            v = draw()
            us = 0.5 - abs(u)
            k = math.floor((2 * a / us + b) * u + lam + 0.43)
            if us >= 0.07 and v <= vr:
                return k
            if k < 0 or (us < 0.013 and v > us):
                continue
            # log(0) of a zero draw is -inf in C; math.log raises, so spell the -inf out
            log_v = math.log(v) if v > 0 else -math.inf
            if log_v + math.log(invalpha) - math.log(a / (us * us) + b) <= -lam + k * loglam - _lgamma(k + 1.0):
                return k
    if lam == 0:
        return 0
    enlam = math.exp(-lam)
    x, prod = 0, 1.0
    while True:
        prod *= draw()
        if prod > enlam:
            x += 1
        else:
            return x


def poisson(input, generator=None):
    """A tensor of input's shape and dtype whose elements are Poisson(rate = input element) counts.

    PyTorch's CPU kernel, element by element in memory order with its double-precision uniform
    draws, so seeded results equal PyTorch's. The result's gradient with respect to the rates is
    zero (grad_fn PoissonBackward0), as in PyTorch."""
    from ..frontend import random as rnd
    from ..frontend.tensor import _wrap
    if not isinstance(input, torch.Tensor):
        raise TypeError(f"poisson(): argument 'input' (position 1) must be Tensor, not {type(input).__name__}")
    dtype = np.dtype(str.__str__(input.dtype))
    if dtype.kind != "f":
        raise NotImplementedError(f'"poisson_cpu" not implemented for \'{str(input.dtype).replace("torch.", "").capitalize()}\'')
    rates = input.detach().numpy().astype(np.float64).reshape(-1)
    gen = rnd._gen(generator)
    scale = 2.0 ** -53

    def draw():  # at::uniform_real_distribution<double>(0, 1): 53 bits of one random64()
        return float(int(gen.words64(1)[0]) & ((1 << 53) - 1)) * scale

    out = np.empty(rates.shape, dtype=np.float64)
    for i, lam in enumerate(rates.tolist()):
        if not lam >= 0:
            raise RuntimeError("invalid Poisson rate, expected rate to be non-negative")
        out[i] = _sample_poisson(lam, draw)
    result = _wrap(out.astype(dtype).reshape(tuple(input.shape)))
    if input.requires_grad and torch.is_grad_enabled():
        # d poisson / d rate is defined as zero: a zero-valued term links the rates to the result
        rate = input
        result = (result + (rate - rate.detach()) * 0)._renamed("PoissonBackward0")
    return result


class Poisson(ExponentialFamily):
    """Poisson distribution with the given rate; samples are float counts drawn with torch.poisson."""
    arg_constraints = {"rate": constraints.nonnegative}
    support = constraints.nonnegative_integer

    @property
    def mean(self):
        return self.rate

    @property
    def mode(self):
        return self.rate.floor()

    @property
    def variance(self):
        return self.rate

    def __init__(self, rate, validate_args=None):
        (self.rate,) = broadcast_all(rate)
        batch_shape = torch.Size() if isinstance(rate, _Number) else self.rate.size()
        super().__init__(batch_shape, validate_args=validate_args)

    def expand(self, batch_shape, _instance=None):
        new = self._get_checked_instance(Poisson, _instance)
        batch_shape = torch.Size(batch_shape)
        new.rate = self.rate.expand(batch_shape)
        super(Poisson, new).__init__(batch_shape, validate_args=False)
        new._validate_args = self._validate_args
        return new

    def sample(self, sample_shape=torch.Size()):
        shape = self._extended_shape(sample_shape)
        with torch.no_grad():
            return poisson(self.rate.expand(shape))

    def log_prob(self, value):
        if self._validate_args:
            self._validate_sample(value)
        rate, value = broadcast_all(self.rate, value)
        return value.xlogy(rate) - rate - (value + 1).lgamma()

    @property
    def _natural_params(self):
        return (torch.log(self.rate),)

    def _log_normalizer(self, x):
        return torch.exp(x)

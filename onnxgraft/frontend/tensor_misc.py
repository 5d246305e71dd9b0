"""Tensor methods: random sampling from a tensor's values (bernoulli, multinomial) and the
Python-callable maps (apply_, map_). Mixed into Tensor (frontend/tensor.py).

Samples are PyTorch's for the same seed (frontend/random.py has the recipes); shapes, dtypes
and errors are PyTorch's too. Sampling cannot be recorded into a captured
step (a static graph would replay one sample), and says so under capture.
"""
import numpy as np

from . import dtype as dt
from . import random as rnd


def _check_probabilities(p):
    if np.any((p < 0) | (p > 1)) or np.any(np.isnan(p)):
        raise RuntimeError("Expected p_in >= 0 && p_in <= 1 to be true, but got false.  (Could this error message be "
                           "improved?  If so, please report an enhancement request to PyTorch.)")


class MiscMethods:
    __slots__ = ()

    def bernoulli(self, p=None, *, generator=None):
        """0/1 draws: each element is 1 with probability `p` (default: this tensor's values)."""
        from .tensor import _wrap
        rnd._gen(generator)   # first: under capture this refuses before reading symbolic data
        if p is not None and not hasattr(p, "_data"):
            out = _wrap(np.zeros(self.shape, dtype=self._data.dtype))
            return out.bernoulli_(p, generator=generator)
        probs = self._data if p is None else np.broadcast_to(p._data, self.shape)
        if probs.dtype.kind not in "f":
            raise NotImplementedError(f"\"bernoulli_tensor_cpu_p_\" not implemented for "
                                      f"'{dt.LEGACY.get(self._data.dtype.name, self._data.dtype.name)}'")
        _check_probabilities(probs)
        return _wrap(rnd.bernoulli_tensor(probs, generator).astype(self._data.dtype))

    def bernoulli_(self, p=0.5, *, generator=None):
        from .inplace import commit
        from .tensor import Tensor, _wrap
        rnd._gen(generator)
        if isinstance(p, Tensor):
            probs = np.broadcast_to(p._data, self.shape)
            _check_probabilities(probs)
            draws = rnd.bernoulli_tensor(probs, generator)
        else:
            if not 0 <= p <= 1:
                raise RuntimeError(f"bernoulli_ expects p to be in [0, 1], but got p={p:g}")
            draws = rnd.bernoulli_scalar(self.shape, p, generator)
        return commit(self, _wrap(draws.astype(self._data.dtype)))

    def multinomial(self, num_samples, replacement=False, *, generator=None):
        """Indices drawn from each row's categorical distribution (weights need not sum to 1).
        PyTorch's recipe: without replacement (or one sample), the top-k of weight / Exp(1) noise;
        with replacement, a binary search of float64 uniforms in the normalized cumulative sums."""
        from .tensor import _wrap
        gen = rnd._gen(generator)
        if self.ndim not in (1, 2):
            raise RuntimeError("prob_dist must be 1 or 2 dim")
        w = self._data
        if w.dtype.kind != "f":
            raise RuntimeError(f"multinomial only supports floating-point dtypes for input, got: "
                               f"{dt.LEGACY.get(w.dtype.name, w.dtype.name)}")
        if not np.all(np.isfinite(w)) or np.any(w < 0):
            raise RuntimeError("probability tensor contains either `inf`, `nan` or element < 0")
        rows = w.reshape(-1, w.shape[-1])
        if np.any(rows.sum(-1) <= 0):
            raise RuntimeError("invalid multinomial distribution (sum of probabilities <= 0)")
        if not replacement and num_samples > rows.shape[-1]:
            raise RuntimeError("cannot sample n_sample > prob_dist.size(-1) samples without replacement")
        # (no check of zero-weight categories without replacement: PyTorch's CPU kernel draws them
        # last, as the exponential noise's top-k does here)
        if not replacement or num_samples == 1:
            noise = rnd.exponential(rows.shape, 1.0, gen).astype(rows.dtype)
            keys = rows / noise
            # a stable sort of the negated keys: the largest first, ties in index order
            out = np.argsort(-keys, axis=-1, kind="stable")[:, :num_samples]
        else:
            out = np.empty((rows.shape[0], num_samples), dtype=np.int64)
            for r, row in enumerate(rows):
                cumulative = np.cumsum(row)
                cumulative = cumulative / cumulative[-1]
                cumulative[-1] = 1
                out[r] = np.searchsorted(cumulative, gen.uniform64(num_samples), side="left")
        return _wrap(out.astype(np.int64).reshape(w.shape[:-1] + (num_samples,)))

    def apply_(self, callable):
        """Replace each element x by callable(x), in place (a Python call per element)."""
        from .inplace import commit
        from .tensor import _wrap
        flat = [callable(v) for v in self._data.reshape(-1).tolist()]
        return commit(self, _wrap(np.asarray(flat, dtype=self._data.dtype).reshape(self.shape)))

    def map_(self, tensor, callable):
        """Replace each element x by callable(x, y) with y the matching element of `tensor`."""
        from .inplace import commit
        from .tensor import _wrap
        other = np.broadcast_to(tensor._data, self.shape).reshape(-1).tolist()
        flat = [callable(a, b) for a, b in zip(self._data.reshape(-1).tolist(), other)]
        return commit(self, _wrap(np.asarray(flat, dtype=self._data.dtype).reshape(self.shape)))


def bernoulli(input, p=None, *, generator=None, out=None):
    return input.bernoulli(p, generator=generator)


def multinomial(input, num_samples, replacement=False, *, generator=None):
    return input.multinomial(num_samples, replacement, generator=generator)


def empty_strided(size, stride, *, dtype=None, device=None, requires_grad=False):
    """An uninitialized (here: zero) tensor of `size`; numpy arrays are laid out C-contiguously,
    so the strides asked for are not kept."""
    from .factories import zeros
    return zeros(*size, dtype=dtype, requires_grad=requires_grad)


def _inplace_function(name):
    def fn(input, *args, **kwargs):
        return getattr(input, name)(*args, **kwargs)
    fn.__name__ = name
    fn.__doc__ = f"torch.{name}(input, ...) is input.{name}(...)."
    return fn


TORCH_FUNCTIONS = {"bernoulli": bernoulli, "multinomial": multinomial, "empty_strided": empty_strided}
# torch.abs_, torch.clamp_, ...: the in-place methods as free functions
for _name in ("abs_", "clamp_", "clip_", "exp_", "log_", "neg_", "sqrt_", "sigmoid_", "tanh_", "relu_",
              "zero_", "fill_", "sin_", "cos_", "floor_", "ceil_", "round_", "trunc_", "reciprocal_",
              "rsqrt_", "square_", "sign_", "frac_", "log1p_", "expm1_", "erf_"):
    TORCH_FUNCTIONS[_name] = _inplace_function(_name)

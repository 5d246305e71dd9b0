"""onnxgraft's own random generator. The same seed gives the same numbers on every run and every
machine (numpy's PCG64); they are not PyTorch's numbers."""
import numpy as np

# PyTorch also starts its default generator from a fixed seed; onnxgraft uses the same constant
DEFAULT_SEED = 67280421310721


class Generator:
    def __init__(self, seed=DEFAULT_SEED):
        self.manual_seed(seed)

    def manual_seed(self, seed):
        self._seed = int(seed)
        self.rng = np.random.Generator(np.random.PCG64(self._seed))
        return self

    def initial_seed(self):
        return self._seed

    def get_state(self):
        return self.rng.bit_generator.state

    def set_state(self, state):
        self.rng.bit_generator.state = state


default_generator = Generator()


def manual_seed(seed):
    """Seed onnxgraft's generator (randn, rand, randint, init, dropout)."""
    return default_generator.manual_seed(seed)


def seed():
    s = int(np.random.SeedSequence().entropy % (2 ** 63))
    default_generator.manual_seed(s)
    return s


def initial_seed():
    return default_generator.initial_seed()


def _gen(generator):
    from .grad_mode import STATE
    if STATE.tracer is not None:
        # the IR has no random ops: a captured step would replay one fixed sample on every call
        STATE.tracer.data_dependent("drawing random numbers (randn, rand, randint, normal_, ...: a "
                                    "recorded graph would replay one fixed sample)")
    return (generator or default_generator).rng


def normal(shape, dtype, mean=0.0, std=1.0, generator=None):
    out = _gen(generator).standard_normal(shape, dtype=np.float64 if dtype == "float64" else np.float32)
    if std != 1.0 or mean != 0.0:
        out = out * std + mean
    return out.astype(dtype, copy=False)


def uniform(shape, dtype, low=0.0, high=1.0, generator=None):
    out = _gen(generator).random(shape, dtype=np.float64 if dtype == "float64" else np.float32)
    if low != 0.0 or high != 1.0:
        out = out * (high - low) + low
    return out.astype(dtype, copy=False)


def integers(low, high, shape, dtype, generator=None):
    return _gen(generator).integers(low, high, size=shape, dtype=dtype)


def fill_random(t, kind, a, b, generator=None):
    """uniform_/normal_: refill `t` in place (under no_grad, as nn.init does)."""
    from .tensor import _wrap
    from .inplace import commit
    values = uniform(t.shape, t._data.dtype.name, a, b, generator) if kind == "uniform" else \
        normal(t.shape, t._data.dtype.name, a, b, generator)
    return commit(t, _wrap(values))

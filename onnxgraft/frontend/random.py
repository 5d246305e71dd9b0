"""Random numbers that are PyTorch's, bit for bit.

PyTorch's CPU generator is a 32-bit Mersenne Twister (mt19937) seeded the classic way
(init_genrand with the low 32 bits of the seed), and each sampler turns its raw 32- or 64-bit
words into values with a fixed recipe. numpy's MT19937 produces the same words from the same
seed, so reproducing PyTorch's numbers needs only its recipes, written down here:

- uniform float32: the low 24 bits of one word times 2**-24; float64: the low 53 bits of a
  64-bit draw (two words, first word high) times 2**-53. Bounds are applied as one fused
  multiply-add `x * (to - from) + from`, in the tensor's precision (PyTorch's compiler fuses it).
- randint / random_: a word (or a 64-bit draw when the range reaches 2**32) modulo the range.
- randperm: Fisher-Yates, swapping i with i + word % (n - i).
- normal, fewer than 16 values (or not float32/float64 contiguous): Box-Muller in double on two
  float64 uniforms, returning the cosine sample and caching the sine sample in the generator
  for the next call (the cache survives between calls, as PyTorch's does).
- normal, 16 or more float32 values: all uniforms are drawn first, then transformed in blocks of
  16 (8 cosine + 8 sine samples) with the float32 polynomial log/sin/cos of PyTorch's AVX2 kernel
  (Pommier's avx_mathfun, with the multiply-adds its compiler fuses); a ragged tail redraws 16
  fresh uniforms for the last 16 slots. float64: the same blocks with libm's log/sin/cos.
- bernoulli with a scalar p, dropout, exponential, cauchy, geometric, log_normal: one float64
  uniform per element through the textbook inverse transform.

Every entry point checks for an active capture first: a recorded graph would replay one fixed
sample on every call, so drawing random numbers there is refused with a clear error.
"""
import math
import os
import struct

import numpy as np

# PyTorch's default CPU generator starts from this seed (c10::detail::default_rng_seed_val);
# a program that never calls manual_seed therefore still sees PyTorch's numbers
DEFAULT_SEED = 67280421310721
_UINT64 = (1 << 64) - 1
_MT_WORDS = 624
_STATE_BYTES = 5056   # sizeof(at::CPUGeneratorImplState): get_rng_state() has PyTorch's length and layout


def _seed_value(seed):
    """PyTorch's reading of a seed: an int (floats truncate, strings of digits parse), negative
    values wrap to uint64, values beyond uint64 are refused with PyTorch's message."""
    seed = int(seed)
    if seed > _UINT64 or seed < -(1 << 63):
        raise ValueError("Overflow when unpacking long long")
    return seed & _UINT64


class Generator:
    """torch.Generator: an independent stream of PyTorch-identical random numbers (CPU)."""

    def __init__(self, device="cpu"):
        kind = str(getattr(device, "type", device)).split(":")[0]
        if kind != "cpu":
            raise RuntimeError(f"onnxgraft generators live on the CPU; got device {kind!r}")
        self.manual_seed(DEFAULT_SEED)

    @property
    def device(self):
        from .tensor import Device
        return Device("cpu")

    def manual_seed(self, seed):
        """Restart the stream from `seed`; returns the generator (as PyTorch's does)."""
        self._seed = _seed_value(seed)
        self._bits = np.random.MT19937()
        self._bits._legacy_seeding(self._seed & 0xFFFFFFFF)
        self._next_normal = None     # the cached sine sample of the scalar Box-Muller path
        return self

    def seed(self):
        """Reseed from the operating system's entropy; returns the new seed."""
        new_seed = int.from_bytes(os.urandom(8), "little")
        self.manual_seed(new_seed)
        return new_seed

    def initial_seed(self):
        return self._seed

    def get_state(self):
        """The full state as a uint8 tensor in PyTorch's CPUGeneratorImplState layout (5056 bytes)."""
        from .tensor import _wrap
        mt = self._bits.state["state"]
        pos = int(mt["pos"])
        cached = self._next_normal
        raw = struct.pack("<QiiQ", self._seed, _MT_WORDS + 1 - pos, 1, pos)
        raw += np.asarray(mt["key"], dtype="<u8").tobytes()
        raw += struct.pack("<dddi4x", 0.0, 0.0 if cached is None else cached, 0.0, int(cached is not None))
        raw += struct.pack("<f?3x", 0.0, False)
        return _wrap(np.frombuffer(raw, dtype=np.uint8).copy())

    def set_state(self, new_state):
        """Restore a state taken by get_state() (here or from PyTorch's get_rng_state())."""
        from .tensor import Tensor
        if not isinstance(new_state, Tensor):
            raise TypeError(f"expected a torch.ByteTensor, but got {type(new_state).__name__}")
        data = np.ascontiguousarray(new_state._data)
        if data.dtype != np.uint8:
            raise TypeError("RNG state must be a torch.ByteTensor")
        if data.size != _STATE_BYTES:
            raise RuntimeError(f"Expected a CPUGeneratorImplState of size {_STATE_BYTES} but found the input "
                               f"RNG state size to be {data.size}")
        raw = data.tobytes()
        seed, left, _, _ = struct.unpack_from("<QiiQ", raw, 0)
        key = np.frombuffer(raw, dtype="<u8", count=_MT_WORDS, offset=24).astype(np.uint32)
        _, cached, _, valid = struct.unpack_from("<dddi", raw, 24 + 8 * _MT_WORDS)
        self._seed = seed
        self._bits = np.random.MT19937()
        self._bits.state = {"bit_generator": "MT19937", "state": {"key": key, "pos": _MT_WORDS + 1 - left}}
        self._next_normal = cached if valid else None
        return self

    def __repr__(self):
        return f"<torch._C.Generator object at {hex(id(self))}>"

    # -- raw draws -------------------------------------------------------------------------------
    def words(self, n):
        """n raw 32-bit words (as uint64)."""
        return self._bits.random_raw(n)

    def words64(self, n):
        """n 64-bit draws, each from two words (the first one high), as PyTorch's random64()."""
        w = self._bits.random_raw(2 * n)
        return (w[0::2] << np.uint64(32)) | w[1::2]

    def uniform32(self, n):
        return (self.words(n) & np.uint64(0xFFFFFF)).astype(np.float32) * np.float32(2.0 ** -24)

    def uniform64(self, n):
        return (self.words64(n) & np.uint64((1 << 53) - 1)).astype(np.float64) * (2.0 ** -53)


default_generator = Generator()


def manual_seed(seed):
    """Seed the default generator: onnxgraft then draws PyTorch's numbers for that seed."""
    return default_generator.manual_seed(seed)


def seed():
    return default_generator.seed()


def initial_seed():
    return default_generator.initial_seed()


def get_rng_state():
    return default_generator.get_state()


def set_rng_state(new_state):
    default_generator.set_state(new_state)


def _gen(generator):
    from .grad_mode import STATE
    if STATE.tracer is not None:
        # the IR has no random ops: a captured step would replay one fixed sample on every call
        STATE.tracer.data_dependent("drawing random numbers (randn, rand, randint, normal_, ...: a "
                                    "recorded graph would replay one fixed sample)")
    if generator is None:
        return default_generator
    if not isinstance(generator, Generator):
        raise TypeError(f"generator must be a torch.Generator, not {type(generator).__name__}")
    return generator


# -- float helpers -----------------------------------------------------------------------------------
def _fma64(a, b, c):
    """a * b + c rounded once (float64), the way the C++ compiler's fused multiply-add gives it:
    the product's rounding error is recovered exactly (Dekker) and added back before rounding."""
    a, b, c = np.asarray(a, np.float64), np.asarray(b, np.float64), np.asarray(c, np.float64)
    p = a * b
    t = 134217729.0 * a
    a_hi = t - (t - a)
    a_lo = a - a_hi
    t = 134217729.0 * b
    b_hi = t - (t - b)
    b_lo = b - b_hi
    p_err = ((a_hi * b_hi - p) + a_hi * b_lo + a_lo * b_hi) + a_lo * b_lo
    s = p + c
    back = s - p
    s_err = (p - (s - back)) + (c - back)
    return s + (s_err + p_err)


def _fma32(a, b, c):
    """a * b + c for float32 operands rounded once: the float64 product is exact, so only the sum
    rounds before the final rounding to float32."""
    return (np.asarray(a, np.float64) * np.float64(b) + np.float64(c)).astype(np.float32)


_F = np.float32


def _avx_log(x):
    """float32 natural log of PyTorch's AVX2 normal kernel (cephes polynomial, avx_mathfun)."""
    x = np.maximum(x, _F(1.17549435e-38))
    bits = x.view(np.int32)
    e = ((bits >> 23) - 0x7F).astype(np.float32) + _F(1)
    x = ((bits & ~0x7F800000) | _F(0.5).view(np.int32)).view(np.float32)
    small = x < _F(0.707106781186547524)
    x = x - _F(1) + np.where(small, x, _F(0))
    e = e - np.where(small, _F(1), _F(0))
    z = x * x
    y = np.full_like(x, _F(7.0376836292e-2))
    for coef in (-1.1514610310e-1, 1.1676998740e-1, -1.2420140846e-1, 1.4249322787e-1, -1.6668057665e-1,
                 2.0000714765e-1, -2.4999993993e-1, 3.3333331174e-1):
        y = _fma32(y, x, _F(coef))
    y = _fma32(y * x, z, e * _F(-2.12194440e-4))
    y = _fma32(z, _F(-0.5), y)
    return _fma32(e, _F(0.693359375), x + y)


def _avx_sincos(x):
    """float32 (sin, cos) of PyTorch's AVX2 normal kernel (cephes polynomials, avx_mathfun)."""
    sin_negative = np.signbit(x)
    x = np.abs(x)
    octant = (((x * _F(1.27323954473516)).astype(np.int32) + 1) & ~1)
    y = octant.astype(np.float32)
    sin_negative = sin_negative ^ ((octant & 4) != 0)
    cos_negative = ((~(octant - 2)) & 4) != 0
    use_sin_poly = (octant & 2) == 0
    for dp in (-0.78515625, -2.4187564849853515625e-4, -3.77489497744594108e-8):
        x = _fma32(y, _F(dp), x)
    z = x * x
    cos_poly = _fma32(np.full_like(z, _F(2.443315711809948e-5)), z, _F(-1.388731625493765e-3))
    cos_poly = _fma32(cos_poly, z, _F(4.166664568298827e-2))
    cos_poly = _fma32(cos_poly * z, z, -(z * _F(0.5))) + _F(1)
    sin_poly = _fma32(np.full_like(z, _F(-1.9515295891e-4)), z, _F(8.3321608736e-3))
    sin_poly = _fma32(sin_poly, z, _F(-1.6666654611e-1))
    sin_poly = _fma32(sin_poly * z, x, x)
    s = np.where(use_sin_poly, sin_poly, cos_poly)
    c = np.where(use_sin_poly, cos_poly, sin_poly)
    return np.where(sin_negative, -s, s), np.where(cos_negative, -c, c)


def _box_muller_blocks32(u, mean, std):
    """In place on u (n x 16 uniforms, float32): the AVX2 kernel's 8 cosine + 8 sine samples."""
    radius = np.sqrt(_F(-2) * _avx_log(_F(1) - u[:, :8]))
    s, c = _avx_sincos(_F(2.0 * math.pi) * u[:, 8:])
    u[:, :8] = _fma32(radius * c, _F(std), _F(mean))
    u[:, 8:] = _fma32(radius * s, _F(std), _F(mean))


def _box_muller_blocks64(u, mean, std):
    """In place on u (n x 16 float64 uniforms): normal_fill_16 in double with libm's functions."""
    if u.size <= 1 << 16:   # libm through math: the exact functions PyTorch links (numpy's may differ in an ulp)
        radius = np.array([math.sqrt(-2.0 * math.log(1.0 - v)) for v in u[:, :8].ravel()]).reshape(-1, 8)
        theta = (2.0 * math.pi) * u[:, 8:].ravel()
        cos = np.array([math.cos(t) for t in theta]).reshape(-1, 8)
        sin = np.array([math.sin(t) for t in theta]).reshape(-1, 8)
    else:
        radius = np.sqrt(-2.0 * np.log(1.0 - u[:, :8]))
        theta = (2.0 * math.pi) * u[:, 8:]
        cos, sin = np.cos(theta), np.sin(theta)
    u[:, :8] = _fma64(radius * cos, std, mean)
    u[:, 8:] = _fma64(radius * sin, std, mean)


# -- samplers (arrays in PyTorch's element order) ----------------------------------------------------
def _count(shape):
    return int(np.prod(shape, dtype=np.int64))


def uniform(shape, dtype, low=0.0, high=1.0, generator=None):
    gen = _gen(generator)
    n = _count(shape)
    if np.dtype(dtype) == np.float64:
        out = _fma64(gen.uniform64(n), float(high) - float(low), float(low))
    else:
        lo, hi = _F(low), _F(high)
        out = _fma32(gen.uniform32(n), hi - lo, lo)
    return out.astype(dtype, copy=False).reshape(shape)


def _normal_scalar_path(gen, n, mean, std):
    """normal_distribution<double>: Box-Muller pairs, the sine sample cached in the generator."""
    out = np.empty(n, dtype=np.float64)
    for i in range(n):
        if gen._next_normal is not None:
            out[i] = _scalar_fma(gen._next_normal, std, mean)
            gen._next_normal = None
            continue
        u1, u2 = gen.uniform64(2)
        radius = math.sqrt(-2.0 * math.log1p(-u2))
        theta = 2.0 * math.pi * u1
        gen._next_normal = radius * math.sin(theta)
        out[i] = _scalar_fma(radius * math.cos(theta), std, mean)
    return out


def _scalar_fma(value, std, mean):
    return value if std == 1.0 and mean == 0.0 else float(_fma64(value, std, mean))


def normal(shape, dtype, mean=0.0, std=1.0, generator=None):
    gen = _gen(generator)
    n = _count(shape)
    dtype = np.dtype(dtype)
    if n >= 16 and dtype in (np.float32, np.float64):
        vectorized = dtype == np.float32
        u = gen.uniform32(n) if vectorized else gen.uniform64(n)
        blocks = _box_muller_blocks32 if vectorized else _box_muller_blocks64
        full = n - n % 16
        head = u[:full].reshape(-1, 16)
        blocks(head, mean, std)
        u[:full] = head.ravel()
        if n % 16:
            # PyTorch redraws 16 fresh uniforms for the last 16 slots (overwriting some done ones)
            tail = (gen.uniform32(16) if vectorized else gen.uniform64(16)).reshape(1, 16)
            blocks(tail, mean, std)
            u[n - 16:] = tail.ravel()
        return u.reshape(shape)
    return _normal_scalar_path(gen, n, float(mean), float(std)).astype(dtype).reshape(shape)


def integers(low, high, shape, dtype, generator=None):
    """Uniform integers in [low, high): a word (a 64-bit draw for ranges of 2**32 or more) mod range."""
    gen = _gen(generator)
    span = int(high) - int(low)
    n = _count(shape)
    draws = gen.words64(n) if span >= 1 << 32 else gen.words(n)
    values = (draws % np.uint64(span)).astype(np.int64) + int(low)
    return values.astype(dtype).reshape(shape)


def full_range(shape, dtype, generator=None):
    """Tensor.random_() without bounds: [0, 2**mantissa] for floats, [0, max] for integers."""
    gen = _gen(generator)
    n = _count(shape)
    dtype = np.dtype(dtype)
    if dtype == np.bool_:
        return (gen.words(n) & np.uint64(1)).astype(bool).reshape(shape)
    wide = dtype in (np.int64, np.float64)
    draws = gen.words64(n) if wide else gen.words(n)
    if dtype.kind == "f":
        modulus = (1 << np.finfo(dtype).nmant + 1) + 1
    else:
        modulus = int(np.iinfo(dtype).max) + 1
    return (draws % np.uint64(modulus)).astype(dtype).reshape(shape)


def permutation(n, generator=None):
    gen = _gen(generator)
    order = np.arange(n, dtype=np.int64)
    if n > 1:
        offsets = (gen.words(n - 1) % np.arange(n, 1, -1, dtype=np.uint64)).tolist()
        for i, z in enumerate(offsets):   # the swaps depend on each other: a sequential loop
            j = i + z
            order[i], order[j] = order[j], order[i]
    return order


def bernoulli_scalar(shape, p, generator=None):
    """Tensor.bernoulli_(p) with a number p (dropout's mask): one float64 uniform per element < p."""
    return _gen(generator).uniform64(_count(shape)).reshape(shape) < float(p)


def bernoulli_tensor(probs, generator=None):
    """Draws against per-element probabilities: float32 uniforms for float32 p, float64 otherwise."""
    gen = _gen(generator)
    n = probs.size
    if probs.dtype == np.float64:
        return gen.uniform64(n).reshape(probs.shape) < probs
    return gen.uniform32(n).reshape(probs.shape) < probs.astype(np.float32, copy=False)


def _libm(fn, values):
    return np.array([fn(v) for v in values.tolist()], dtype=np.float64)


def exponential(shape, lambd=1.0, generator=None):
    u = _gen(generator).uniform64(_count(shape))
    return (-1.0 / lambd * _libm(math.log1p, -u)).reshape(shape)


def cauchy(shape, median=0.0, sigma=1.0, generator=None):
    u = _gen(generator).uniform64(_count(shape))
    return _fma64(sigma, _libm(math.tan, math.pi * (u - 0.5)), median).reshape(shape)


def geometric(shape, p, generator=None):
    u = _gen(generator).uniform64(_count(shape))
    return np.ceil(_libm(math.log, u) / math.log1p(-p)).reshape(shape)


def log_normal(shape, mean=1.0, std=2.0, generator=None):
    gen = _gen(generator)
    return _libm(math.exp, _normal_scalar_path(gen, _count(shape), float(mean), float(std))).reshape(shape)


def _fill_order(t):
    """PyTorch fills a tensor in memory order: the axes of `t` from largest to smallest stride."""
    if t._data.flags.c_contiguous:
        return list(range(t._data.ndim))
    strides = t._data.strides
    return sorted(range(t._data.ndim), key=lambda axis: -abs(strides[axis]))


def fill_random(t, kind, a=None, b=None, generator=None):
    """Refill `t` in place with samples of `kind` (uniform_, normal_, random_, exponential_, ...),
    recorded as an in-place write (as nn.init's no_grad writes are)."""
    from .tensor import _wrap
    from .inplace import commit
    order = _fill_order(t)
    shape = tuple(t.shape[axis] for axis in order)
    dtype = t._data.dtype
    contiguous = order == list(range(len(order))) and t._data.flags.c_contiguous
    if kind == "uniform":
        values = uniform(shape, dtype, a, b, generator)
    elif kind == "normal":
        values = normal(shape, dtype, a, b, generator) if contiguous else \
            _normal_scalar_path(_gen(generator), _count(shape), float(a), float(b)).astype(dtype).reshape(shape)
    elif kind == "random":
        values = full_range(shape, dtype, generator) if a is None else integers(a, b, shape, dtype, generator)
    elif kind == "exponential":
        values = exponential(shape, a, generator)
    elif kind == "cauchy":
        values = cauchy(shape, a, b, generator)
    elif kind == "geometric":
        values = geometric(shape, a, generator)
    elif kind == "log_normal":
        values = log_normal(shape, a, b, generator)
    else:
        raise ValueError(f"unknown random fill {kind!r}")
    values = np.asarray(values).astype(dtype, copy=False).transpose(np.argsort(order))
    return commit(t, _wrap(np.ascontiguousarray(values)))

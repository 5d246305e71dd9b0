"""oneDNN's float32 GELU (erf form), reproduced bit for bit in numpy. PyTorch's CPU gelu and
gelu_backward hand contiguous float32 tensors of more than one element to oneDNN (ideep
eltwise_gelu_erf) rather than to its own ATen kernel, so these are the values PyTorch prints.
From oneDNN's jit_uni_eltwise_injector (AVX-512 core path):
- forward: 0.5 x (1 + P(|x|) sign(x)), P one of 25 degree-5 minimax polynomials picked by the
  exponent and two leading mantissa bits of |x|, evaluated with fused multiply-adds;
- backward: g * (0.5 + 0.5 erf(r) + r / sqrt(pi) exp(-r^2)), r = x / sqrt(2), with Abramowitz &
  Stegun's erf and oneDNN's own exp polynomial.
Every element goes through the vector code (masked tail), so there is no scalar tail to model."""
import numpy as np

from .sleef import _fma as fma

_F = np.float32


def _h(*vals):
    """float32 values from their bit patterns, as oneDNN's tables write them."""
    return np.array(vals, dtype=np.uint32).view(np.float32)


# gelu_erf_minimax_pol: _POL[degree][interval]
_POL = [
 _h(0xa6f2cb94,0x32827792,0x3381cc0c,0x34523d4a,0x351ac44d,0x35f36d88,0x36ee8229,0x37b8a3bb,0x3867a213,0x3940033b,
    0x3a2a5a1d,0x3ae35863,0x3b7828f2,0x3c08b14b,0x3c515ed3,0xbb503236,0xbd8d8e5e,0xbe8abcd9,0xbf0c19a2,0xbeccb328,
    0x3e176ced,0x3f470d99,0x3f7abb28,0x3f800000,0x00000000),
 _h(0x3f4c422a,0x3f4c421f,0x3f4c4207,0x3f4c41cb,0x3f4c413b,0x3f4c3fad,0x3f4c3a2f,0x3f4c2d40,0x3f4c146a,0x3f4bc341,
    0x3f4ad08c,0x3f48f8cf,0x3f45fac7,0x3f404e07,0x3f3b980f,0x3f48dff3,0x3f78b21b,0x3fbb0704,0x40019c32,0x3fe536d6,
    0x3f81331e,0x3e6c8684,0x3c98f936,0x00000000,0x3f800000),
 _h(0xb62173f4,0x3735e4cf,0x37f2ff89,0x388c23be,0x3917535c,0x39ab2ab0,0x3a60fadb,0x3af9b960,0x3b6e5491,0x3c0a4ec5,
    0x3ca5aa8c,0x3d2138d9,0x3d8737d4,0x3ddfb660,0x3e0f27ab,0x3d94004b,0xbe0efdeb,0xbf1d96c3,0xbf89db58,0xbf6d9897,
    0xbef69fb8,0xbdc4f8a8,0xbbde6422,0x00000000,0x00000000),
 _h(0xbe081a19,0xbe084570,0xbe08639b,0xbe089837,0xbe08f409,0xbe09ab95,0xbe0b66d0,0xbe0e400a,0xbe124df8,0xbe1bde02,
    0xbe2f19c9,0xbe4931bf,0xbe685fbc,0xbe89c95f,0xbe96cbca,0xbe8044aa,0xbe0550f2,0x3dcfd6a1,0x3e94c826,0x3e79345f,
    0x3decec91,0x3ca46568,0x3aa1e00a,0x00000000,0x00000000),
 _h(0xba3d61db,0x39f097a3,0x3a5845dc,0x3ab1fa35,0x3b0cefb8,0x3b653ab6,0x3bcae527,0x3c221712,0x3c6c5840,0x3cc0a703,
    0x3d1dcc19,0x3d63656d,0x3d955907,0x3dbf9910,0x3dd53f69,0x3db7dcef,0x3d639ebe,0xba6ede48,0xbd22be69,0xbd041cf1,
    0xbc64f5ab,0xbb097a32,0xb8ebf380,0x00000000,0x00000000),
 _h(0x3cb7d80c,0x3c9b6050,0x3c978d11,0x3c92e850,0x3c8d058b,0x3c848454,0x3c6cd623,0x3c4c824b,0x3c2a7935,0x3be0b390,
    0x3b0651ac,0xbb232f53,0xbbd42fa0,0xbc2c5366,0xbc492c9e,0xbc2a7aa6,0xbbd55d04,0xba823a76,0x3b102aa8,0x3ae25a7e,
    0x3a31f792,0x38b84375,0x3689bb5a,0x00000000,0x00000000),
]


def gelu_fwd(x):
    """oneDNN's eltwise_gelu_erf forward on a float32 array."""
    x = np.asarray(x, np.float32)
    ax = np.abs(x)
    # interval index: (bits(|x|) + 0xc21fffff) >> 21 in int32 arithmetic, clamped to [1, 24];
    # beyond rbound erf is 1 (interval 23)
    bits = ax.view(np.int32).astype(np.int64) + np.int64(np.uint32(0xc21fffff).view(np.int32))
    bits = ((bits + 2**31) % 2**32 - 2**31).astype(np.int32)
    idx = np.clip(bits >> 21, 1, 24)
    idx = np.where(_h(0x40b15cee)[0] < ax, 23, idx)
    pol = _POL[5][idx]
    for d in range(4, -1, -1):
        pol = fma(pol, ax, _POL[d][idx])
    pol = np.where(np.signbit(x), -pol, pol)
    return (x * (pol + _F(1))) * _F(0.5)


def onednn_exp(x):
    """oneDNN's float32 exp: 2**n exp(r) with a degree-5 polynomial, n = floor(x log2(e) + 1/2)."""
    x = np.asarray(x, np.float32)
    with np.errstate(all="ignore"):
        return _exp(x)


def _exp(x):
    lo, hi = _h(0xc2aeac50)[0], _h(0x42b17218)[0]
    small = x < lo
    x = np.maximum(np.minimum(x, hi), lo)
    # n = floor(x log2(e) + 0.5), r = x - n ln2 (one fused multiply-add); 2**n as 2 * 2**(n - 1)
    fx = x * _h(0x3fb8aa3b)[0] + _F(0.5)
    n = np.floor(fx)
    r = fma(-n, _h(0x3f317218)[0], x)
    k = np.nan_to_num(n - _F(1)).astype(np.int32)
    p2 = ((k + 127) << 23).view(np.float32)
    p2 = np.where(small, _F(0), p2)
    p = _h(0x3c07cfce)[0]
    for c in (0x3d2b9d0d, 0x3e2aad40, 0x3efffee3, 0x3f7ffffb, 0x3f800000):
        p = fma(p, r, _h(c)[0])
    return (p * p2) * _F(2)


def gelu_bwd(g, x):
    """oneDNN's eltwise_gelu_erf backward: the derivative at x times g."""
    # R = x / sqrt(2); d = 0.5 + 0.5 erf(R) + R / sqrt(pi) exp(-R^2), erf by A&S 7.1.26
    R = x * _h(0x3f3504f3)[0]
    Q = onednn_exp(-(R * R))
    T = (R * _h(0x3f106eba)[0]) * Q
    W = _F(1) / fma(_h(0x3ea7ba05)[0], np.abs(R), _F(1))
    s = -Q * W
    r = _h(0x3f87dc22)[0]
    for c in (0xbfba00e3, 0x3fb5f0e3, 0xbe91a98e, 0x3e827906):
        r = fma(r, W, _h(c)[0])
    erf = fma(s, r, _F(1))
    erf = np.where(np.signbit(R), -erf, erf)
    P = T + _F(0.5)
    return fma(erf, _F(0.5), P) * g

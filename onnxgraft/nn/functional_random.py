"""The random parts of torch.nn.functional beyond F.dropout: channel-wise dropout (dropout1d/2d/3d),
alpha dropout (alpha_dropout, feature_alpha_dropout), randomized leaky ReLU (rrelu, rrelu_) and
gumbel_softmax. Re-exported by `functional`, so they are reached as `F.<name>`.

Each draws its numbers the way PyTorch's CPU kernel does, from the same generator, in the same
order and arithmetic, so the same seed gives the same masks, slopes and samples:
- feature dropout (ATen's feature_dropout): noise of shape (N, C, 1, ...) = bernoulli_(1 - p),
  divided by 1 - p, then input * noise: whole channels are zeroed;
- alpha dropout: the same Bernoulli noise, mapped to a * noise and b = (noise - 1) * alpha * a +
  alpha * a * p (each step rounded in the input's dtype), then input * noise + b;
- rrelu in training: one float64 uniform in [lower, upper) per non-positive element, in order.
Input checks and warnings are torch.nn.functional's, word for word.
"""
import math
import warnings

import numpy as np

from ..frontend import random as rnd
from ..frontend.factories import empty_like, zeros_like
from ..frontend.grad_mode import STATE
from ..frontend.tensor import _wrap
from . import functional as _F


def _feature_dropout(input, p, training, inplace):
    """ATen's feature_dropout on a (N, C, *spatial) input."""
    if p == 0.0 or not training or input.numel() == 0:
        return input
    if input.ndim < 2:
        raise RuntimeError("Feature dropout requires at least 2 dimensions in the input")
    _no_capture("dropout")
    dtype = np.dtype(str.__str__(input.dtype))
    if p == 1.0:  # PyTorch multiplies by a zero scalar without drawing
        noise = _wrap(np.zeros((), dtype))
    else:
        shape = tuple(input.shape[:2]) + (1,) * (input.ndim - 2)
        keep = rnd.bernoulli_scalar(shape, 1.0 - p)
        noise = _wrap(keep.astype(dtype) / dtype.type(1.0 - p))
    return input.mul_(noise) if inplace else input * noise


def _no_capture(what):
    if STATE.tracer is not None:
        # a draw made now would be baked into the graph as a constant and reused every step
        from ..frontend.trace import CaptureError
        raise CaptureError(f"{what} in training mode cannot be captured yet (its random numbers would "
                           "become constants of the graph); call model.eval() for the captured step")


def _check_p(p):
    if p < 0.0 or p > 1.0:
        raise ValueError(f"dropout probability has to be between 0 and 1, but got {p}")


def _unbatched(input, inplace, batched, p, training):
    """Feature dropout of an input without its batch dim, as PyTorch: through a batch of one."""
    if batched:
        return _feature_dropout(input, p, training, inplace)
    input = input.unsqueeze_(0) if inplace else input.unsqueeze(0)
    result = _feature_dropout(input, p, training, inplace)
    return result.squeeze_(0) if inplace else result.squeeze(0)


def dropout1d(input, p=0.5, training=True, inplace=False):
    """Zero whole channels of a (N, C, L) or (C, L) input with probability p (scaling the rest by
    1/(1-p)); the identity when not training."""
    _check_p(p)
    inp_dim = input.ndim
    if inp_dim not in (2, 3):
        raise RuntimeError(
            f"dropout1d: Expected 2D or 3D input, but received a {inp_dim}D input. "
            "Note that dropout1d exists to provide channel-wise dropout on inputs with 1 "
            "spatial dimension, a channel dimension, and an optional batch dimension "
            "(i.e. 2D or 3D inputs).")
    return _unbatched(input, inplace, inp_dim == 3, p, training)


def dropout2d(input, p=0.5, training=True, inplace=False):
    """Zero whole channels of a (N, C, H, W) input with probability p (scaling the rest by
    1/(1-p)). A 3-D input is taken as (N, C, L), with PyTorch's warning."""
    _check_p(p)
    inp_dim = input.ndim
    if inp_dim not in (3, 4):
        warnings.warn(
            f"dropout2d: Received a {inp_dim}-D input to dropout2d, which is deprecated "
            "and will result in an error in a future release. To retain the behavior "
            "and silence this warning, please use dropout instead. Note that dropout2d "
            "exists to provide channel-wise dropout on inputs with 2 spatial dimensions, "
            "a channel dimension, and an optional batch dimension (i.e. 3D or 4D inputs).", stacklevel=2)
    if inp_dim == 3:
        warnings.warn(
            "dropout2d: Received a 3D input to dropout2d and assuming that channel-wise "
            "1D dropout behavior is desired - input is interpreted as shape (N, C, L), where C "
            "is the channel dim. This behavior will change in a future release to interpret the "
            "input as one without a batch dimension, i.e. shape (C, H, W). To maintain the 1D "
            "channel-wise dropout behavior, please switch to using dropout1d instead.", stacklevel=2)
    return _feature_dropout(input, p, training, inplace)


def dropout3d(input, p=0.5, training=True, inplace=False):
    """Zero whole channels of a (N, C, D, H, W) or (C, D, H, W) input with probability p (scaling
    the rest by 1/(1-p))."""
    _check_p(p)
    inp_dim = input.ndim
    if inp_dim not in (4, 5):
        warnings.warn(
            f"dropout3d: Received a {inp_dim}-D input to dropout3d, which is deprecated "
            "and will result in an error in a future release. To retain the behavior "
            "and silence this warning, please use dropout instead. Note that dropout3d "
            "exists to provide channel-wise dropout on inputs with 3 spatial dimensions, "
            "a channel dimension, and an optional batch dimension (i.e. 4D or 5D inputs).", stacklevel=2)
    return _unbatched(input, inplace, inp_dim == 5, p, training)


# SELU's alpha, as in ATen's alpha dropout (its scale makes the kept units' variance 1)
_ALPHA = 1.7580993408473766


def _alpha_dropout(input, p, training, inplace, feature):
    """ATen's _dropout_impl for alpha dropout: dropped units take SELU's saturation value, and an
    affine map (a, b) keeps zero mean and unit variance."""
    _check_p(p)
    if p == 0.0 or not training or input.numel() == 0:
        return input
    if feature and input.ndim < 2:
        raise RuntimeError("Feature dropout requires at least 2 dimensions in the input")
    dtype = np.dtype(str.__str__(input.dtype))
    if p == 1.0:
        zero = _wrap(np.zeros((), dtype))
        return input.mul_(zero) if inplace else input * zero
    _no_capture("alpha dropout")
    shape = tuple(input.shape[:2]) + (1,) * (input.ndim - 2) if feature else tuple(input.shape)
    keep = rnd.bernoulli_scalar(shape, 1.0 - p).astype(dtype)
    a = 1.0 / math.sqrt((_ALPHA * _ALPHA * p + 1) * (1 - p))
    # each scalar is rounded to the tensor's dtype, as ATen's float kernels take them
    b = (keep + dtype.type(-1)) * dtype.type(_ALPHA * a) + dtype.type(_ALPHA * a * p)
    noise = _wrap(keep * dtype.type(a))
    out = input.mul_(noise) if inplace else input * noise
    return out.add_(_wrap(b))


def alpha_dropout(input, p=0.5, training=False, inplace=False):
    """Alpha dropout (for SELU networks): drops units to SELU's negative saturation value and
    rescales so the output keeps zero mean and unit variance. Note training=False by default."""
    return _alpha_dropout(input, p, training, inplace, False)


def feature_alpha_dropout(input, p=0.5, training=False, inplace=False):
    """Alpha dropout of whole channels of a (N, C, ...) input."""
    return _alpha_dropout(input, p, training, inplace, True)


def rrelu(input, lower=1.0 / 8, upper=1.0 / 3, training=False, inplace=False):
    """Randomized leaky ReLU: while training, each non-positive x is scaled by a slope drawn
    uniformly from [lower, upper); otherwise by the fixed slope (lower + upper) / 2.
    grad_fn RreluWithNoiseBackward0, as PyTorch's."""
    if not training:
        out = _F.leaky_relu(input, (lower + upper) / 2)
        out = input.copy_(out) if inplace else out
        return out._renamed("RreluWithNoiseBackward0")
    _no_capture("rrelu")
    dtype = np.dtype(str.__str__(input.dtype))
    x = np.ascontiguousarray(input.detach().numpy()).reshape(-1)
    # ATen's kernel: the bounds in the op's math type (float32 for float32 input), widened to
    # float64 for the uniform draw (one 53-bit draw per non-positive element, in order), the
    # slope rounded back: r = float(u * (upper - lower) + lower)
    lo, hi = float(dtype.type(lower)), float(dtype.type(upper))
    negative = x <= 0
    slopes = rnd._gen(None).uniform64(int(negative.sum())) * (hi - lo) + lo
    noise = np.ones(x.shape, dtype)
    noise[negative] = slopes.astype(dtype)
    noise = _wrap(noise.reshape(tuple(input.shape)))
    out = input.mul_(noise) if inplace else input * noise
    return out._renamed("RreluWithNoiseBackward0")


def rrelu_(input, lower=1.0 / 8, upper=1.0 / 3, training=False):
    """In-place rrelu."""
    return rrelu(input, lower, upper, training, inplace=True)


def gumbel_softmax(logits, tau=1, hard=False, eps=1e-10, dim=-1):
    """Samples from the Gumbel-softmax distribution: softmax((logits + g) / tau) with g = -log(E),
    E ~ Exp(1). hard=True returns one-hot vectors in the forward pass with the soft sample's
    gradient (straight-through), as PyTorch."""
    if eps != 1e-10:
        warnings.warn("`eps` parameter is deprecated and has no effect.", stacklevel=2)
    gumbels = -empty_like(logits).exponential_().log()  # ~Gumbel(0, 1)
    gumbels = (logits + gumbels) / tau  # ~Gumbel(logits, tau)
    y_soft = gumbels.softmax(dim)
    if not hard:
        return y_soft
    index = y_soft.max(dim, keepdim=True)[1]
    y_hard = zeros_like(logits).scatter_(dim, index, 1.0)
    return y_hard - y_soft.detach() + y_soft


__all__ = ["dropout1d", "dropout2d", "dropout3d", "alpha_dropout", "feature_alpha_dropout", "rrelu", "rrelu_",
           "gumbel_softmax"]

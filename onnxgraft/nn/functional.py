"""torch.nn.functional: activations, linear, dropout and losses, written in Tensor ops only.

No function here reads a tensor's values (no `._data` math), so every forward pass records into
an ONNX graph under capture just as it runs eagerly. Where PyTorch has a fused kernel, a
composition of registry ops stands in and its last node takes PyTorch's grad_fn name
(MseLossBackward0, BinaryCrossEntropyWithLogitsBackward0), so printed graphs read the same.
"""
import warnings

import numpy as np

from ..frontend import dtype as dt
from ..frontend import random as rnd
from ..frontend.grad_mode import STATE
from ..frontend.node import apply
from ..frontend.tensor import _wrap, where as _where

_REDUCTIONS = ("mean", "sum", "none")


# -- helpers -----------------------------------------------------------------------------------------
def _legacy_reduction(size_average, reduce, emit_warning=True):
    """Map PyTorch's deprecated size_average/reduce flags onto a reduction string."""
    size_average = True if size_average is None else size_average
    reduce = True if reduce is None else reduce
    ret = "mean" if (size_average and reduce) else ("sum" if reduce else "none")
    if emit_warning:
        warnings.warn(f"size_average and reduce args will be deprecated, please use reduction='{ret}' "
                      "instead.", stacklevel=3)
    return ret


def _reduction(size_average, reduce, reduction):
    if size_average is not None or reduce is not None:
        return _legacy_reduction(size_average, reduce)
    if reduction not in _REDUCTIONS:
        raise ValueError(f"{reduction} is not a valid value for reduction")
    return reduction


def _reduce(loss, reduction):
    if reduction == "mean":
        return loss.mean()
    if reduction == "sum":
        return loss.sum()
    return loss


def _check_broadcast(a, b):
    """PyTorch's broadcast error text (it scans from the last dimension)."""
    a, b = tuple(a), tuple(b)
    n = max(len(a), len(b))
    for i in range(n - 1, -1, -1):
        sa = a[i - (n - len(a))] if i >= n - len(a) else 1
        sb = b[i - (n - len(b))] if i >= n - len(b) else 1
        if sa != sb and sa != 1 and sb != 1:
            raise RuntimeError(f"The size of tensor a ({sa}) must match the size of tensor b ({sb}) at "
                               f"non-singleton dimension {i}")


def _warn_size(input, target):
    if tuple(target.shape) != tuple(input.shape):
        warnings.warn(f"Using a target size ({target.shape}) that is different to the input size "
                      f"({input.shape}). This will likely lead to incorrect results due to broadcasting. "
                      "Please ensure they have the same size.", stacklevel=3)


def _legacy(name):
    return dt.LEGACY.get(str.__str__(name), str.__str__(name))


# -- activations -------------------------------------------------------------------------------------
def relu(input, inplace=False):
    """max(x, 0); the gradient at 0 is 0, as in PyTorch."""
    return input.relu_() if inplace else input.relu()


def relu_(input):
    return input.relu_()


def sigmoid(input):
    return input.sigmoid()


def tanh(input):
    return input.tanh()


def _softmax_dim(name, ndim, stacklevel):
    warnings.warn(f"Implicit dimension choice for {name} has been deprecated. Change the call to "
                  "include dim=X as an argument.", stacklevel=stacklevel)
    return 0 if ndim in (0, 1, 3) else 1


def softmax(input, dim=None, _stacklevel=3, dtype=None):
    """exp(x) / sum(exp(x)) along `dim` (ONNX Softmax)."""
    if dim is None:
        dim = _softmax_dim("softmax", input.ndim, _stacklevel)
    if dtype is not None:
        input = input.to(dtype)
    return input.softmax(dim)


def log_softmax(input, dim=None, _stacklevel=3, dtype=None):
    """x - log(sum(exp(x))) along `dim`, computed stably (ONNX LogSoftmax)."""
    if dim is None:
        dim = _softmax_dim("log_softmax", input.ndim, _stacklevel)
    if dtype is not None:
        input = input.to(dtype)
    return input.log_softmax(dim)


# -- linear ------------------------------------------------------------------------------------------
def linear(input, weight, bias=None):
    """y = x W^T + b. A 2-D input with bias is one ONNX Gemm (transB=1), as PyTorch's addmm;
    other ranks are flattened to 2-D around it, as PyTorch does."""
    if input.dtype != weight.dtype:
        raise RuntimeError(f"mat1 and mat2 must have the same dtype, but got {_legacy(input.dtype)} and "
                           f"{_legacy(weight.dtype)}")
    if input.ndim == 0:
        raise RuntimeError(f"both arguments to linear need to be at least 1D, but they are 0D and "
                           f"{weight.ndim}D")
    if weight.ndim != 2:
        out = input @ weight.t()
        return out if bias is None else out + bias
    k = input.shape[-1]
    if k != weight.shape[1]:
        rows = int(np.prod(input.shape[:-1], dtype=np.int64))
        raise RuntimeError(f"mat1 and mat2 shapes cannot be multiplied ({rows}x{k} and "
                           f"{weight.shape[1]}x{weight.shape[0]})")
    if input.ndim == 2:
        if bias is not None:
            return apply("Gemm", (input, weight, bias), {"transB": 1}, "AddmmBackward0")
        return input @ weight.t()
    out = linear(input.reshape(-1, k), weight, bias).reshape(tuple(input.shape[:-1]) + (weight.shape[0],))
    if bias is None:  # PyTorch's names for the no-bias folding
        out._renamed("SqueezeBackward4" if input.ndim == 1 else "UnsafeViewBackward0")
    return out


# -- dropout -----------------------------------------------------------------------------------------
def dropout(input, p=0.5, training=True, inplace=False):
    """Zero each element with probability p and scale the rest by 1/(1-p); the identity when
    not training. The mask comes from onnxgraft's generator (seeded by manual_seed)."""
    if p < 0.0 or p > 1.0:
        raise ValueError(f"dropout probability has to be between 0 and 1, but got {p}")
    if not training or p == 0.0:
        return input
    if STATE.tracer is not None:
        # a mask drawn now would be baked into the graph as a constant and reused every step
        from ..frontend.trace import CaptureError
        raise CaptureError("dropout in training mode cannot be captured yet (its random mask would "
                           "become a constant of the graph); call model.eval() or use p=0 for the "
                           "captured step")
    dtype = np.dtype(str.__str__(input.dtype))  # the mask depends on shape and dtype, not on values
    if p == 1.0:
        noise = np.zeros(tuple(input.shape), dtype)
    else:
        keep = rnd.uniform(tuple(input.shape), "float32") >= np.float32(p)
        noise = keep.astype(dtype) * np.asarray(1.0 / (1.0 - p), dtype)
    noise = _wrap(noise)
    return input.mul_(noise) if inplace else input * noise


# -- regression losses -------------------------------------------------------------------------------
def mse_loss(input, target, size_average=None, reduce=None, reduction="mean", weight=None):
    """Mean squared error, (input - target)^2 reduced; grad_fn MseLossBackward0."""
    _warn_size(input, target)
    reduction = _reduction(size_average, reduce, reduction)
    _check_broadcast(input.shape, target.shape)
    diff = input - target
    squared = diff * diff
    if weight is not None:
        if tuple(weight.shape) != tuple(input.shape):
            raise ValueError("Weights and input must have the same size.")
        weighted = squared * weight
        return weighted if reduction == "none" else (
            weighted.sum() if reduction == "sum" else weighted.sum() / weight.sum())
    return _reduce(squared, reduction)._renamed("MseLossBackward0")


def l1_loss(input, target, size_average=None, reduce=None, reduction="mean", weight=None):
    """Mean absolute error, |input - target| reduced (the gradient at 0 is 0, as PyTorch)."""
    _warn_size(input, target)
    reduction = _reduction(size_average, reduce, reduction)
    _check_broadcast(input.shape, target.shape)
    err = (input - target).abs()
    if weight is not None:
        if tuple(weight.shape) != tuple(input.shape):
            raise ValueError("Weights and input must have the same size.")
        weighted = err * weight
        return weighted if reduction == "none" else (
            weighted.sum() if reduction == "sum" else weighted.sum() / weight.sum())
    return _reduce(err, reduction)


# -- classification losses ---------------------------------------------------------------------------
def _check_class_weight(weight, n_classes, who=""):
    if weight is not None and (weight.ndim != 1 or weight.shape[0] != n_classes):
        raise RuntimeError(f"{who}weight tensor should be defined either for all {n_classes} classes or no "
                           f"classes but got weight tensor of shape: [{', '.join(map(str, weight.shape))}]")


def nll_loss(input, target, weight=None, size_average=None, ignore_index=-100, reduce=None,
             reduction="mean"):
    """Negative log likelihood of class indices: -input[n, target[n]] (times weight[target[n]]),
    skipping `ignore_index`; 'mean' divides by the total weight of the kept samples."""
    reduction = _reduction(size_average, reduce, reduction)
    if input.ndim < 1:
        raise ValueError(f"Expected 1 or more dimensions (got {input.ndim})")
    if input.ndim == 1:
        if target.ndim == 1 and target.shape[0] != 1:
            raise ValueError(f"For 1D input, 1D target must have size 1, but got target size: {target.shape[0]}")
    else:
        batch = target.shape[0] if target.ndim else 0
        if batch != input.shape[0]:
            raise ValueError(f"Expected input batch_size ({input.shape[0]}) to match target batch_size "
                             f"({batch}).")
        if input.ndim == 2 and target.ndim > 1:
            raise RuntimeError("0D or 1D target tensor expected, multi-target not supported")
        expected = tuple(input.shape[:1]) + tuple(input.shape[2:])
        if input.ndim > 2 and tuple(target.shape) != expected:
            raise RuntimeError(f"Expected target size [{', '.join(map(str, expected))}], got "
                               f"[{', '.join(map(str, target.shape))}]")
    if target.dtype not in ("int64", "uint8"):
        raise RuntimeError(f"expected target dtype to be Long or Byte, but got {_legacy(target.dtype)}")
    n_classes = input.shape[0 if input.ndim == 1 else 1]
    _check_class_weight(weight, n_classes)
    if weight is not None and weight.dtype != input.dtype:
        raise RuntimeError(f"expected scalar type {_legacy(input.dtype)} but found {_legacy(weight.dtype)}")
    if target.dtype == "uint8":
        target = target.long()
    one_d = input.ndim == 1
    if one_d:  # the ONNX op wants (N, C): a batch of one
        input, target = input.unsqueeze(0), target.reshape(1)
    inputs = (input, target) if weight is None else (input, target, weight)
    # PyTorch's names: images (N, C, H, W) go through its 2-D kernel, other ranks are viewed as images
    name = "NllLossBackward0" if input.ndim <= 2 else (
        "ViewBackward0" if reduction == "none" and input.ndim != 4 else "NllLoss2DBackward0")
    out = apply("NegativeLogLikelihoodLoss", inputs, {"reduction": reduction, "ignore_index": ignore_index},
                name)
    if one_d and reduction == "none":
        out = out.squeeze(0)._renamed("NllLossBackward0")
    return out


def cross_entropy(input, target, weight=None, size_average=None, ignore_index=-100, reduce=None,
                  reduction="mean", label_smoothing=0.0):
    """log_softmax over the class dimension followed by nll_loss; `target` holds class indices,
    or class probabilities when it has the input's shape. `label_smoothing` mixes the target with
    the uniform distribution, as PyTorch does."""
    reduction = _reduction(size_average, reduce, reduction)
    if not 0.0 <= label_smoothing <= 1.0:
        raise RuntimeError(f"label_smoothing must be between 0.0 and 1.0. Got: {label_smoothing}")
    if tuple(input.shape) == tuple(target.shape):
        return _cross_entropy_probs(input, target, weight, reduction, label_smoothing)
    class_dim = 0 if input.ndim == 1 else 1
    logp = log_softmax(input, class_dim) if input.ndim >= 1 else input
    nll = nll_loss(logp, target, weight, None, ignore_index, None, reduction)
    if label_smoothing == 0.0:
        return nll
    # smoothing term: -sum_c w_c logp_c per sample, 0 at ignored samples, reduced like nll
    if input.ndim == 1:
        logp, target = logp.unsqueeze(0), target.reshape(1)
    n_classes = logp.shape[1]
    if weight is not None:
        shape = [1] * logp.ndim
        shape[1] = n_classes
        smooth = -(logp * weight.reshape(shape)).sum(1)
    else:
        smooth = -logp.sum(1)
    ignored = target == ignore_index
    smooth = smooth.masked_fill(ignored, 0.0)
    if reduction == "mean":
        if weight is not None:
            # normalized by the kept samples' weights, consistent with nll_loss
            picked = weight[target.masked_fill(ignored, 0)].masked_fill(ignored, 0.0)
            smooth = smooth.sum() / picked.sum()
        else:
            smooth = smooth.sum() / (~ignored).sum()
    elif reduction == "sum":
        smooth = smooth.sum()
    elif input.ndim == 1:
        smooth = smooth.squeeze(0)
    return (1 - label_smoothing) * nll + smooth * (label_smoothing / n_classes)


def _cross_entropy_probs(input, target, weight, reduction, label_smoothing):
    if not target.is_floating_point():
        raise RuntimeError(f"Expected floating point type for target with class probabilities, got "
                           f"{_legacy(target.dtype)}")
    class_dim = 0 if input.ndim == 1 else 1
    n_classes = input.shape[class_dim]
    _check_class_weight(weight, n_classes, "cross_entropy: ")
    logp = log_softmax(input, class_dim)
    if label_smoothing > 0.0:
        target = target * (1 - label_smoothing) + label_smoothing / n_classes
    prod = logp * target
    if weight is not None:
        shape = [1] * input.ndim
        shape[class_dim] = n_classes
        prod = prod * weight.reshape(shape)
    if reduction == "none":
        return -prod.sum(class_dim)
    if reduction == "sum":
        return -prod.sum()
    # PyTorch averages over the samples (all positions but the class dimension)
    return (-prod.sum() / (input.numel() // n_classes))._renamed("DivBackward1")


def binary_cross_entropy_with_logits(input, target, weight=None, size_average=None, reduce=None,
                                     reduction="mean", pos_weight=None):
    """Sigmoid + binary cross entropy in one stable formula:
    loss = (1 - y) x + (1 + (pos_weight - 1) y) softplus(-x), times `weight` if given."""
    reduction = _reduction(size_average, reduce, reduction)
    if tuple(target.shape) != tuple(input.shape):
        raise ValueError(f"Target size ({target.shape}) must be the same as input size ({input.shape})")
    x, y = input, target
    ax = x.abs()
    # softplus(-x) = log(1 + exp(-x)) = relu(-x) + log(1 + exp(-|x|)), which never overflows. relu(-x) is
    # written (|x| - x) / 2: its subgradient at x = 0 is then -1/2, the true derivative of softplus(-x)
    # there, so zero logits (a zero-initialized head) get the exact gradient sigmoid(0) - y.
    softplus_neg = (ax - x) * 0.5 + (1 + (-ax).exp()).log()
    if pos_weight is None:
        loss = (1 - y) * x + softplus_neg
    else:
        loss = (1 - y) * x + ((pos_weight - 1) * y + 1) * softplus_neg
    if weight is not None:
        loss = loss * weight
    return _reduce(loss, reduction)._renamed("BinaryCrossEntropyWithLogitsBackward0")


def binary_cross_entropy(input, target, weight=None, size_average=None, reduce=None, reduction="mean"):
    """-(y log p + (1 - y) log(1 - p)) over probabilities; each log is clamped at -100, as
    PyTorch does, so p = 0 or 1 gives a finite loss."""
    reduction = _reduction(size_average, reduce, reduction)
    if tuple(target.shape) != tuple(input.shape):
        raise ValueError(f"Using a target size ({target.shape}) that is different to the input size "
                         f"({input.shape}) is deprecated. Please ensure they have the same size.")
    log_p = input.log().clamp(min=-100)
    log_q = (1 - input).log().clamp(min=-100)
    loss = -(target * log_p + (1 - target) * log_q)
    if weight is not None:
        loss = loss * weight
    return _reduce(loss, reduction)._renamed("BinaryCrossEntropyBackward0")


def smooth_l1_loss(input, target, size_average=None, reduce=None, reduction="mean", beta=1.0):
    """0.5 d^2 / beta where |d| < beta, else |d| - 0.5 beta (d = input - target)."""
    reduction = _reduction(size_average, reduce, reduction)
    _check_broadcast(input.shape, target.shape)
    d = (input - target).abs()
    if beta == 0:
        loss = d
    else:
        loss = _where(d < beta, d * d * (0.5 / beta), d - 0.5 * beta)
    return _reduce(loss, reduction)._renamed("SmoothL1LossBackward0")


def huber_loss(input, target, reduction="mean", delta=1.0, weight=None):
    """0.5 d^2 where |d| < delta, else delta (|d| - 0.5 delta)."""
    d = (input - target).abs()
    loss = _where(d < delta, d * d * 0.5, (d - 0.5 * delta) * delta)
    if weight is not None:
        loss = loss * weight
    return _reduce(loss, _reduction(None, None, reduction))._renamed("HuberLossBackward0")


# -- more activations --------------------------------------------------------------------------------
def leaky_relu(input, negative_slope=0.01, inplace=False):
    """x where x > 0, else negative_slope * x (the slope at 0 is negative_slope, as PyTorch)."""
    out = _where(input > 0, input, input * negative_slope)._renamed("LeakyReluBackward0")
    return input.copy_(out) if inplace else out


def elu(input, alpha=1.0, inplace=False):
    """x where x > 0, else alpha (exp(x) - 1)."""
    out = _where(input > 0, input, (input.exp() - 1) * alpha)._renamed("EluBackward0")
    return input.copy_(out) if inplace else out


def gelu(input, approximate="none"):
    """x Phi(x): exact with erf, or PyTorch's tanh approximation."""
    if approximate == "tanh":
        inner = (input + input * input * input * 0.044715) * float(np.sqrt(2.0 / np.pi))
        return (input * 0.5 * (inner.tanh() + 1))._renamed("GeluBackward0")
    if approximate != "none":
        raise RuntimeError(f"approximate argument must be either none or tanh.")
    return (input * 0.5 * (_erf(input * float(1 / np.sqrt(2.0))) + 1))._renamed("GeluBackward0")


def _erf(x):
    """erf from registry ops: Abramowitz & Stegun 7.1.26, |error| < 1.5e-7 (below float32's
    resolution of erf's range). Composed rather than a primitive, as onnxruntime's Erf kernel has
    no float64. Its gradient at 0 is 0 (sign's), harmless in gelu, where x * erf'(x) vanishes there."""
    ax = x.abs()
    t = (ax * 0.3275911 + 1).reciprocal()
    poly = t * (0.254829592 + t * (-0.284496736 + t * (1.421413741 + t * (-1.453152027 + t * 1.061405429))))
    return x.sign() * (1 - poly * (-(ax * ax)).exp())


def silu(input, inplace=False):
    """x * sigmoid(x)."""
    out = (input * input.sigmoid())._renamed("SiluBackward0")
    return input.copy_(out) if inplace else out


def softplus(input, beta=1.0, threshold=20.0):
    """log(1 + exp(beta x)) / beta, and x itself where beta x > threshold (as PyTorch)."""
    bx = input * beta
    # relu(bx) + log(1 + exp(-|bx|)) never overflows
    soft = (bx.relu() + ((-bx.abs()).exp() + 1).log()) / beta
    return _where(bx > threshold, input, soft)._renamed("SoftplusBackward0")


def hardtanh(input, min_val=-1.0, max_val=1.0, inplace=False):
    out = input.clamp(min_val, max_val)._renamed("HardtanhBackward0")
    return input.copy_(out) if inplace else out


def normalize(input, p=2.0, dim=1, eps=1e-12, out=None):
    """input / max(||input||_p along dim, eps)."""
    norm = input.norm(p, dim, keepdim=True).clamp_min(eps).expand_as(input)
    return input / norm


def cosine_similarity(x1, x2, dim=1, eps=1e-8):
    """<x1, x2> / (max(||x1||, eps) max(||x2||, eps)) along dim."""
    n1 = x1.norm(2, dim, keepdim=True).clamp_min(eps)
    n2 = x2.norm(2, dim, keepdim=True).clamp_min(eps)
    return ((x1 / n1) * (x2 / n2)).sum(dim)


def one_hot(tensor, num_classes=-1):
    """int64 one-hot rows of class indices (num_classes -1: one more than the largest index)."""
    if tensor.dtype != dt.int64:
        raise RuntimeError("one_hot is only applicable to index tensor of type LongTensor.")
    idx = tensor._data
    if num_classes == -1:
        num_classes = int(idx.max()) + 1 if idx.size else 0
    if idx.size and (idx.min() < 0 or idx.max() >= num_classes):
        raise RuntimeError("Class values must be smaller than num_classes." if idx.max() >= num_classes
                           else "Class values must be non-negative.")
    return _wrap((idx[..., None] == np.arange(num_classes)).astype(np.int64))


def pad(input, pad, mode="constant", value=None):
    """Constant padding: `pad` lists (before, after) pairs from the last dim backwards."""
    if mode != "constant":
        raise NotImplementedError(f"onnxgraft's pad supports mode='constant', not {mode!r}")
    if len(pad) % 2 or len(pad) // 2 > input.ndim:
        raise RuntimeError("Padding length must be divisible by 2" if len(pad) % 2 else
                           "Padding length should be less than or equal to two times the input dimension")
    n = input.ndim
    before, after = [0] * n, [0] * n
    for i in range(len(pad) // 2):
        before[n - 1 - i], after[n - 1 - i] = int(pad[2 * i]), int(pad[2 * i + 1])
    attrs = {"pads": tuple(before + after)}
    if value:
        attrs["value"] = float(value)
    return apply("Pad", (input,), attrs, "ConstantPadNdBackward0")


__all__ = ["relu", "relu_", "sigmoid", "tanh", "softmax", "log_softmax", "linear", "dropout", "mse_loss",
           "l1_loss", "nll_loss", "cross_entropy", "binary_cross_entropy_with_logits", "binary_cross_entropy",
           "smooth_l1_loss", "huber_loss", "leaky_relu", "elu", "gelu", "silu", "softplus", "hardtanh",
           "normalize", "cosine_similarity", "one_hot", "pad"]

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
from ..frontend.grad_mode import STATE, no_grad
from ..frontend.node import apply
from ..frontend.function import composite
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


def _need_tensor(fn, arg, pos, value):
    """PyTorch's argument check, for the usual mistake of passing a list or numpy array to a layer."""
    from ..frontend.tensor import Tensor
    if not isinstance(value, Tensor):
        cls = type(value)
        name = cls.__name__ if cls.__module__ in ("builtins", "__main__") else f"{cls.__module__}.{cls.__name__}"
        raise TypeError(f"{fn}(): argument '{arg}' (position {pos}) must be Tensor, not {name}")


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
    _need_tensor("relu", "input", 1, input)
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
    _need_tensor("linear", "input", 1, input)
    # PyTorch's texts: addmm checks the bias against the weight first, then mat1 against mat2;
    # without a bias the matmul's own check speaks, in C type names
    if bias is not None and bias.dtype != weight.dtype:
        raise RuntimeError(f"self and mat2 must have the same dtype, but got {_legacy(bias.dtype)} and "
                           f"{_legacy(weight.dtype)}")
    if input.dtype != weight.dtype:
        if bias is None:
            raise RuntimeError(f"expected m1 and m2 to have the same dtype, but got: "
                               f"{dt.C_NAMES[input._data.dtype.name]} != {dt.C_NAMES[weight._data.dtype.name]}")
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
            _check_bias_expands(bias, (input.shape[0], weight.shape[0]))
            return apply("Addmm", (bias, input, weight), {"transB": 1}, "AddmmBackward0")
        return input @ weight.t()
    out = linear(input.reshape(-1, k), weight, bias).reshape(tuple(input.shape[:-1]) + (weight.shape[0],))
    if bias is None:  # PyTorch's names for the no-bias folding
        out._renamed("SqueezeBackward4" if input.ndim == 1 else "UnsafeViewBackward0")
    return out


def _check_bias_expands(bias, target):
    """PyTorch's addmm expands the bias to the output's (rows, out_features); its error when not."""
    if bias.ndim > len(target):
        return  # the Gemm shape rule reports it
    offset = len(target) - bias.ndim
    for i in reversed(range(bias.ndim)):
        size, want = bias.shape[i], target[offset + i]
        if size != want and size != 1:
            raise RuntimeError(f"The expanded size of the tensor ({want}) must match the existing size ({size}) at "
                               f"non-singleton dimension {offset + i}.  Target sizes: {_sizes(target)}.  "
                               f"Tensor sizes: {_sizes(bias.shape)}")


# -- dropout -----------------------------------------------------------------------------------------
def dropout(input, p=0.5, training=True, inplace=False):
    """Zero each element with probability p and scale the rest by 1/(1-p); the identity when
    not training. The mask is PyTorch's for the same seed (torch.manual_seed)."""
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
    # PyTorch's recipe (and numbers): noise = bernoulli_(1 - p), then noise / (1 - p) in the
    # input's dtype, then input * noise
    if p == 1.0:   # PyTorch multiplies by zero without drawing
        noise = _wrap(np.zeros(tuple(input.shape), dtype))
    else:
        keep = rnd.bernoulli_scalar(tuple(input.shape), 1.0 - p)
        noise = _wrap(keep.astype(dtype) / dtype.type(1.0 - p))
    return input.mul_(noise) if inplace else input * noise


# -- regression losses -------------------------------------------------------------------------------
def mse_loss(input, target, size_average=None, reduce=None, reduction="mean", weight=None):
    """Mean squared error, (input - target)^2 reduced; grad_fn MseLossBackward0."""
    _warn_size(input, target)
    reduction = _reduction(size_average, reduce, reduction)
    _check_broadcast(input.shape, target.shape)
    if weight is None:
        if input.dtype != target.dtype:  # one op on one dtype: promote as the subtraction would
            input, target = input._operands(target)
        return apply("MseLoss", (input, target), {"reduction": reduction}, "MseLossBackward0")
    if tuple(weight.shape) != tuple(input.shape):
        raise ValueError("Weights and input must have the same size.")
    diff = input - target
    weighted = diff * diff * weight
    return weighted if reduction == "none" else (
        weighted.sum() if reduction == "sum" else weighted.sum() / weight.sum())


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
    if target.dtype in ("int64", "int32", "int16", "int8", "uint8") and input.dtype in ("float16", "float32",
                                                                                      "float64"):
        # PyTorch's kernel computes (1 - target).mul_(input) in place: an integer (0/1 Long) target
        # cannot hold the floating result
        from ..frontend import dtype as _dt
        raise RuntimeError(f"result type {_dt.LEGACY[input.dtype]} can't be cast to the desired output "
                           f"type {_dt.LEGACY[target.dtype]}")
    if weight is None and pos_weight is None and not target.requires_grad and input.dtype == target.dtype:
        # one op whose backward is PyTorch's kernel (ir/ops/bce.py)
        return apply("BceWithLogitsLoss", (input, target), {"reduction": reduction},
                     "BinaryCrossEntropyWithLogitsBackward0")
    if weight is None and pos_weight is None and input.dtype == target.dtype:
        # a target that requires grad (Bernoulli.entropy passes probs): the value is still the one
        # op's (PyTorch's kernel), and a term of value exactly 0 carries PyTorch's target gradient
        # -input * grad (the where keeps an infinite logit from making 0 * inf = nan of the value)
        loss = apply("BceWithLogitsLoss", (input, target.detach()), {"reduction": reduction},
                     "BinaryCrossEntropyWithLogitsBackward0")
        xd = input.detach()
        neg_x = _where(xd.isfinite(), -xd, 0.0)
        return (loss + _reduce((target - target.detach()) * neg_x, reduction))._renamed(
            "BinaryCrossEntropyWithLogitsBackward0")
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
    # PyTorch's kernel takes the target in the input's dtype (a 0/1 Long target is the usual mistake)
    if target.dtype != input.dtype:
        raise RuntimeError(f"Found dtype {_legacy(target.dtype)} but expected {_legacy(input.dtype)}")
    # logits passed where probabilities belong: PyTorch checks the values (eagerly; a capture
    # cannot see values, and the clamped logs below then keep the loss finite)
    if STATE.tracer is None:
        p = input._data
        if p.size and not ((p >= 0) & (p <= 1)).all():
            raise RuntimeError("all elements of input should be between 0 and 1")
    # PyTorch's kernel, term for term: (y - 1) max(log1p(-p), -100) - y max(log p, -100); log1p(-p)
    # rather than log(1 - p), whose rounded 1 - p shifts the printed loss in the last digits
    if weight is None and not target.requires_grad:
        # one op whose backward is PyTorch's kernel (ir/ops/bce.py)
        return apply("BceLoss", (input, target), {"reduction": reduction}, "BinaryCrossEntropyBackward0")
    log_p = input.log().clamp(min=-100)
    log_q = (-input).log1p().clamp(min=-100)
    loss = (target - 1) * log_q - target * log_p
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


def _activation_input(input, kernel):
    """PyTorch's dispatch error for an integer input to a floating-point activation kernel."""
    if not input.is_floating_point():
        raise NotImplementedError(f'"{kernel}" not implemented for \'{_legacy(input.dtype)}\'')


def elu(input, alpha=1.0, inplace=False):
    """x where x > 0, else alpha (exp(x) - 1): one op with PyTorch's kernels (ir/ops/activations.py)."""
    _activation_input(input, "elu_cpu")
    # inplace: the op saves its input for backward, so it reads a copy of the tensor it overwrites
    out = apply("EluKernel", (input.clone() if inplace else input,), {"alpha": float(alpha)}, "EluBackward0")
    return input.copy_(out)._renamed("EluBackward1") if inplace else out


def gelu(input, approximate="none"):
    """x Phi(x): exact with erf, or PyTorch's tanh approximation; one op whose float32 values are
    PyTorch's (oneDNN's for the erf form, ATen's kernel for tanh; ir/ops/activations.py)."""
    if approximate not in ("none", "tanh"):
        raise RuntimeError("approximate argument must be either none or tanh.")
    _activation_input(input, "GeluKernelImpl")
    return apply("Gelu", (input,), {"approximate": approximate}, "GeluBackward0")


def silu(input, inplace=False):
    """x * sigmoid(x), computed as PyTorch's kernel x / (1 + exp(-x)) (ir/ops/activations.py)."""
    _activation_input(input, "silu_cpu")
    out = apply("Silu", (input.clone() if inplace else input,), {}, "SiluBackward0")
    return input.copy_(out)._renamed("SiluBackward0") if inplace else out


def softplus(input, beta=1.0, threshold=20.0):
    """log(1 + exp(beta x)) / beta, and x itself where beta x > threshold: PyTorch's kernel
    log1p(exp(beta x)) / beta as one op (ir/ops/activations.py); the gradient is sigmoid(beta x)."""
    _activation_input(input, "softplus_cpu")
    return apply("Softplus", (input,), {"beta": float(beta), "threshold": float(threshold)},
                 "SoftplusBackward0")


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
    """Padding by `pad`, (before, after) pairs from the last dim backwards: mode "constant" fills
    with `value`; "reflect", "replicate" and "circular" repeat the input's own values."""
    if mode != "constant":
        return _pad_from_input(input, pad, mode, value)
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


_PAD_NAMES = {"reflect": "ReflectionPad{}DBackward0", "replicate": "ReplicationPad{}DBackward0",
              "circular": "CopySlices"}  # PyTorch writes circular padding slice by slice


def _pad_from_input(input, pad, mode, value):
    """Non-constant padding as one Gather per padded dim: the source position of every output
    position along that dim is computed here (reflected, clamped or wrapped), so the gradient is
    Gather's scatter-add and the result exports as ONNX Gather. Negative pads crop."""
    if mode not in _PAD_NAMES:
        raise NotImplementedError(f"Unrecognised padding mode {mode}")
    if value is not None and value != 0:
        raise RuntimeError(f'Padding mode "{mode}" doesn\'t take in value argument')
    k = len(pad) // 2
    if len(pad) % 2 or k not in (1, 2, 3) or input.ndim not in (k + 1, k + 2):
        raise NotImplementedError(
            f"Padding size {len(pad)} is not supported for {input.ndim}D input tensor.\n"
            "Supported combinations for non-constant padding:\n"
            "  - 2D or 3D input: padding size = 2 (pads last dimension)\n"
            "  - 3D or 4D input: padding size = 4 (pads last 2 dimensions)\n"
            "  - 4D or 5D input: padding size = 6 (pads last 3 dimensions)")
    out = input
    for i in range(k):
        d = input.ndim - 1 - i
        n, before, after = input.shape[d], int(pad[2 * i]), int(pad[2 * i + 1])
        if mode == "circular" and (before > n or after > n):
            raise RuntimeError("Padding value causes wrapping around more than once.")
        if mode == "reflect" and (before >= n or after >= n):
            raise RuntimeError(f"Argument #4: Padding size should be less than the corresponding input "
                               f"dimension, but got: padding ({before}, {after}) at dimension {d} of input "
                               f"{list(input.shape)}")
        pos = np.arange(-before, n + after)
        if mode == "reflect":  # mirror about the edge elements, which are not repeated
            pos = np.abs(pos)
            pos = np.where(pos >= n, 2 * (n - 1) - pos, pos)
        elif mode == "replicate":
            pos = np.clip(pos, 0, n - 1)
        else:
            pos = pos % n
        out = apply("Gather", (out, _wrap(pos.astype(np.int64))), {"axis": d}, "IndexBackward0")
    return out._renamed(_PAD_NAMES[mode].format(k))


# -- normalization -----------------------------------------------------------------------------------
def _sizes(shape):
    return "[" + ", ".join(map(str, shape)) + "]"


def layer_norm(input, normalized_shape, weight=None, bias=None, eps=1e-5):
    """(x - mean) / sqrt(var + eps) over the last len(normalized_shape) dims (biased variance),
    then * weight + bias. Composed from registry ops, so it differentiates, captures and exports
    as they do; the output keeps PyTorch's grad_fn name, NativeLayerNormBackward0."""
    _need_tensor("layer_norm", "input", 1, input)
    shape = (int(normalized_shape),) if isinstance(normalized_shape, (int, np.integer)) else \
        tuple(int(s) for s in normalized_shape)
    if not shape:
        raise RuntimeError("Expected normalized_shape to be at least 1-dimensional, i.e., containing at "
                           "least one element, but got normalized_shape = []")
    for name, p in (("weight", weight), ("bias", bias)):
        if p is not None and tuple(p.shape) != shape:
            raise RuntimeError(f"Expected {name} to be of same shape as normalized_shape, but got {name} of "
                               f"shape {_sizes(p.shape)} and normalized_shape = {_sizes(shape)}")
    k = len(shape)
    if input.ndim < k or tuple(input.shape[input.ndim - k:]) != shape:
        raise RuntimeError(f"Given normalized_shape={_sizes(shape)}, expected input with shape "
                           f"[*, {', '.join(map(str, shape))}], but got input of size{_sizes(input.shape)}")
    dims = tuple(range(input.ndim - k, input.ndim))
    centered = input - input.mean(dims, keepdim=True)
    var = (centered * centered).mean(dims, keepdim=True)
    out = centered * (var + eps).rsqrt()
    if weight is not None:
        out = out * weight
    if bias is not None:
        out = out + bias
    return out._renamed("NativeLayerNormBackward0")


def _verify_batch_size(size):
    n = size[0]
    for s in size[2:]:
        n *= s
    if n == 1:
        raise ValueError(f"Expected more than 1 value per channel when training, got input size {size}")


def batch_norm(input, running_mean, running_var, weight=None, bias=None, training=False, momentum=0.1,
               eps=1e-5):
    """Batch normalization over every dim but the channel dim (dim 1).

    Training: normalizes with the batch mean and biased variance, and (when running stats are
    given) updates them in place under no_grad as PyTorch does, with the unbiased variance:
    running = momentum * batch + (1 - momentum) * running. `momentum` may be a 0-d tensor (the
    cumulative average of BatchNorm with momentum=None), so a captured step keeps it in the graph.
    Eval: normalizes with the running statistics. The output's grad_fn is NativeBatchNormBackward0."""
    if training:
        _verify_batch_size(input.shape)
    if input.ndim < 2:
        raise ValueError(f"expected 2D or 3D input (got {input.ndim}D input)")
    c = input.shape[1]
    for name, t in (("running_mean", running_mean), ("running_var", running_var), ("weight", weight),
                    ("bias", bias)):
        if t is not None and t.numel() != c:
            raise RuntimeError(f"{name} should contain {c} elements not {t.numel()}")
    if not training:
        for name, t in (("running_mean", running_mean), ("running_var", running_var)):
            if t is None:
                raise RuntimeError(f"{name} must be defined in evaluation mode")
    # one op with PyTorch's CPU kernel orders (ir/ops/batchnorm.py); the affine terms default to
    # constants that take no gradient, as PyTorch's kernel uses 1 and 0
    from ..frontend.factories import ones, zeros, tensor
    from ..frontend.tensor import Tensor
    w = weight if weight is not None else ones(c, dtype=input.dtype)
    b = bias if bias is not None else zeros(c, dtype=input.dtype)
    if training:
        out = apply("BatchNorm", [input, w, b], dict(training=True, eps=float(eps)), "NativeBatchNormBackward0")
        if running_mean is not None and running_var is not None:
            m = momentum if isinstance(momentum, Tensor) else tensor(float(momentum), dtype="float64")
            with no_grad():
                new = apply("BatchNormRunningStats", [input.detach(), running_mean, running_var, m], {}, None)
                running_mean.copy_(new[0])
                running_var.copy_(new[1])
        return out
    return apply("BatchNorm", [input, w, b, running_mean, running_var], dict(training=False, eps=float(eps)),
                 "NativeBatchNormBackward0")


# -- embedding ---------------------------------------------------------------------------------------
def embedding(input, weight, padding_idx=None, max_norm=None, norm_type=2.0, scale_grad_by_freq=False,
              sparse=False):
    """Rows of `weight` picked by the integer indices in `input` (one ONNX Gather along axis 0; its
    gradient scatter-adds into the rows). Entries equal to `padding_idx` pass no gradient to their
    row. `max_norm` renormalizes the looked-up rows of `weight` in place first, as PyTorch does."""
    _need_tensor("embedding", "indices", 2, input)
    if input.dtype not in (dt.int64, dt.int32):
        raise RuntimeError(f"Expected tensor for argument #1 'indices' to have one of the following scalar "
                           f"types: Long, Int; but got torch.{_legacy(input.dtype)}Tensor instead (while "
                           f"checking arguments for embedding)")
    if sparse:
        raise NotImplementedError("onnxgraft has no sparse tensors: use embedding with sparse=False "
                                  "(its weight gradient is then dense)")
    n = weight.shape[0]
    if padding_idx is not None:
        if padding_idx > 0:
            assert padding_idx < n, "Padding_idx must be within num_embeddings"
        elif padding_idx < 0:
            assert padding_idx >= -n, "Padding_idx must be within num_embeddings"
            padding_idx = n + padding_idx
    eager = STATE.tracer is None
    if eager:
        idx = input._data
        if idx.size and (idx.min() < 0 or idx.max() >= n):
            raise IndexError("index out of range in self")
    elif max_norm is not None or scale_grad_by_freq:
        from ..frontend.trace import CaptureError
        raise CaptureError("embedding with max_norm or scale_grad_by_freq depends on the index values; "
                           "it cannot be recorded into a static ONNX graph")
    if max_norm is not None:
        _embedding_renorm(weight, input._data, max_norm, norm_type)
    out = apply("Gather", (weight, input), {"axis": 0}, "EmbeddingBackward0")
    if scale_grad_by_freq and out._requires_grad:
        # the gradient of each looked-up row is divided by how often its index occurs in the batch;
        # frozen + (out - frozen) * s has out's value and passes g * s back
        counts = np.bincount(input._data.reshape(-1), minlength=n)
        scale = _wrap((1.0 / counts[input._data])[..., None].astype(np.dtype(str.__str__(out.dtype))))
        frozen = out.detach()
        out = frozen + (out - frozen) * scale
    if padding_idx is not None and out._requires_grad:
        # the same values, but positions holding padding_idx pass no gradient to its row
        out = _where((input == padding_idx).unsqueeze(-1), out.detach(), out)
    return out._renamed("EmbeddingBackward0")


def _embedding_renorm(weight, idx, max_norm, norm_type):
    """PyTorch's embedding_renorm_: every row used by idx whose norm exceeds max_norm is multiplied
    (in place, untracked) by max_norm / (norm + 1e-7)."""
    rows = np.unique(idx.reshape(-1))
    data = weight._data
    norms = np.linalg.norm(data[rows].astype(np.float64), ord=norm_type, axis=1)
    big = norms > max_norm
    if big.any():
        scale = (max_norm / (norms[big] + 1e-7)).astype(data.dtype)
        data[rows[big]] *= scale[:, None]
        weight._vc[0] += 1


# -- convolution and pooling -------------------------------------------------------------------------
def _pair(v):
    if isinstance(v, (int, np.integer)):
        return (int(v), int(v))
    v = tuple(int(x) for x in v)
    return v * 2 if len(v) == 1 else v


def _windows(x, kernel, stride, dilation, out_hw):
    """(N, C, kh*kw, Ho*Wo): the input values under each kernel tap (row-major over the taps),
    one strided Slice of the (padded) input per tap, so the gradient (Pad/SliceGrad + Add) and the
    export come from existing ops."""
    n, c = x.shape[0], x.shape[1]
    (kh, kw), (sh, sw), (dh, dw), (ho, wo) = kernel, stride, dilation, out_hw
    taps = []
    for i in range(kh):
        for j in range(kw):
            start = (i * dh, j * dw)
            end = (i * dh + sh * (ho - 1) + 1, j * dw + sw * (wo - 1) + 1)
            if (start, end, (sh, sw)) == ((0, 0), tuple(x.shape[2:]), (1, 1)):
                tap = x
            else:
                tap = apply("Slice", (x,), {"starts": start, "ends": end, "axes": (2, 3), "steps": (sh, sw)})
            taps.append(tap.reshape(n, c, 1, ho * wo))
    return taps[0] if len(taps) == 1 else apply("Concat", tuple(taps), {"axis": 2})


def _pad2d(x, top, bottom, left, right, value=0.0):
    if not (top or bottom or left or right):
        return x
    attrs = {"pads": (0, 0, top, left, 0, 0, bottom, right)}
    if value:
        attrs["value"] = float(value)
    return apply("Pad", (x,), attrs)


# C++ names of the dtypes, as PyTorch's convolution kernels print them
_C_TYPE = {"float32": "float", "float64": "double", "float16": "c10::Half", "int64": "long int", "int32": "int",
           "int16": "short int", "int8": "signed char", "uint8": "unsigned char", "bool": "bool"}


def _conv_dtype_error(input, weight, bias):
    """PyTorch's refusal of a convolution whose input, weight and bias dtypes differ (a float64 numpy
    batch into a float32 model is the usual case): with a bias, the bias check comes first."""
    i, w = str.__str__(input.dtype), str.__str__(weight.dtype)
    if bias is not None and str.__str__(bias.dtype) != i:
        b = str.__str__(bias.dtype)
        raise RuntimeError(f"Input type ({_C_TYPE.get(i, i)}) and bias type ({_C_TYPE.get(b, b)}) should be the same")
    if "float16" in (i, w) or i == "float32":  # a float32 input goes to oneDNN, which words it so
        raise RuntimeError(f"Input type (torch.{_legacy(i)}Tensor) and weight type (torch.{_legacy(w)}Tensor) should "
                           f"be the same or input should be a MKLDNN tensor and weight is a dense tensor")
    raise RuntimeError(f"expected scalar type {_legacy(i)} but found {_legacy(w)}")


def _conv_param(value, nd, name):
    """stride/padding/dilation as nd ints, PyTorch's text for a list of the wrong length (nd is the
    weight's spatial rank, as in PyTorch's check)."""
    if isinstance(value, (int, np.integer)):
        return (int(value),) * nd
    v = tuple(int(e) for e in value)
    if len(v) == 1:
        return v * nd
    if len(v) != nd:
        raise RuntimeError(f"expected {name} to be a single integer value or a list of {nd} values to match the "
                           f"convolution dimensions, but got {name}={list(v)}")
    return v


def _convolution(nd, input, weight, bias, stride, padding, dilation, groups):
    """conv1d/conv2d: PyTorch's checks in PyTorch's order, then ONE registry op, Conv (grad_fn
    ConvolutionBackward0 with next_functions (input, weight, bias) as PyTorch's; the eager kernels
    sum in PyTorch's float32 order where it is known, ir/ops/conv_transpose.py)."""
    fname = f"conv{nd}d"
    _need_tensor(fname, "input", 1, input)
    _need_tensor(fname, "weight", 2, weight)
    if input.ndim not in (nd + 1, nd + 2):
        raise RuntimeError(f"Expected {nd + 1}D (unbatched) or {nd + 2}D (batched) input to {fname}, but got input of "
                           f"size: {_sizes(input.shape)}")
    unbatched = input.ndim == nd + 1
    x = input.unsqueeze(0) if unbatched else input
    wnd = max(weight.ndim - 2, 0)
    # PyTorch's argument parser makes conv2d's ints pairs and conv1d's single values, then checks
    # them against the weight's spatial rank
    given = lambda v: (v,) * nd if isinstance(v, (int, np.integer)) else v  # noqa: E731
    stride = _conv_param(given(stride), wnd, "stride")
    dilation = _conv_param(given(dilation), wnd, "dilation")
    if not isinstance(padding, str):
        padding = _conv_param(given(padding), wnd, "padding")
        if any(p < 0 for p in padding):
            raise RuntimeError("negative padding is not supported")
    if any(s <= 0 for s in stride):
        raise RuntimeError("non-positive stride is not supported")
    if any(d <= 0 for d in dilation):
        raise RuntimeError("non-positive dilation is not supported")
    if groups <= 0:
        raise RuntimeError("non-positive groups is not supported")
    if weight.ndim != x.ndim:
        raise RuntimeError(f"Expected {weight.ndim}-dimensional input for {weight.ndim}-dimensional weight "
                           f"{_sizes(weight.shape)}, but got {x.ndim}-dimensional input of size {_sizes(x.shape)} "
                           f"instead")
    c, ws = x.shape[1], tuple(weight.shape)
    o, cg, ks = ws[0], ws[1], ws[2:]
    if o < groups:
        raise RuntimeError(f"Given groups={groups}, expected weight to be at least {groups} at dimension 0, but got "
                           f"weight of size {_sizes(ws)} instead")
    if o % groups:
        # PyTorch prints this one size in double brackets
        raise RuntimeError(f"Given groups={groups}, expected weight to be divisible by {groups} at dimension 0, "
                           f"but got weight of size [{_sizes(ws)}] instead")
    if c != cg * groups:
        raise RuntimeError(f"Given groups={groups}, weight of size {_sizes(ws)}, expected input{_sizes(x.shape)} to "
                           f"have {cg * groups} channels, but got {c} channels instead")
    if bias is not None and (bias.ndim != 1 or bias.shape[0] != o):
        raise RuntimeError(f"Given weight of size {_sizes(ws)}, expected bias to be 1-dimensional with {o} elements, "
                           f"but got bias of size {_sizes(bias.shape)} instead")
    if x.dtype != weight.dtype or (bias is not None and bias.dtype != x.dtype):
        _conv_dtype_error(x, weight, bias)
    begins, ends = _conv_pads(padding, ks, stride, dilation)
    if begins != ends:
        # 'same' with an even effective kernel: PyTorch pads the input's ends by the odd extra first
        # (ConstantPadNdBackward0) and convolves with the symmetric rest
        extra = tuple(e - b for b, e in zip(begins, ends))
        x = apply("Pad", (x,), {"pads": (0,) * (nd + 2) + (0, 0) + extra}, "ConstantPadNdBackward0")
        ends = begins
    padded = tuple(m + b + e for m, b, e in zip(x.shape[2:], begins, ends))
    span = tuple(d * (k - 1) + 1 for d, k in zip(dilation, ks))
    if any(p < k for p, k in zip(padded, span)):
        fmt = lambda v: " x ".join(str(e) for e in v)  # noqa: E731
        raise RuntimeError(f"Calculated padded input size per channel: ({fmt(padded)}). Kernel size: ({fmt(span)}). "
                           f"Kernel size can't be greater than actual input size")
    if STATE.tracer is not None and str.__str__(x.dtype) not in ("float32", "float16"):
        # onnxruntime has no float64 Conv kernel: under capture float64 convolutions stay the
        # composed im2col (Slice/Concat/MatMul), which exports and runs in float64
        out = _conv_im2col(x, weight, bias, stride, begins + ends, dilation, groups)
    else:
        attrs = {"strides": stride, "pads": begins + ends, "dilations": dilation, "group": int(groups)}
        out = apply("Conv", (x, weight) if bias is None else (x, weight, bias), attrs)
        node = out.grad_fn
        if bias is None and node is not None:
            # PyTorch's ConvolutionBackward0 always lists the bias slot: (None, 0) without one
            node.next_functions = node.next_functions + ((None, 0),)
    return out.squeeze(0) if unbatched else out


def _conv_pads(padding, kernel, stride, dilation):
    """(begins, ends) per spatial axis from the numbers or 'valid'/'same' ('same' puts the odd extra
    row/column at the end, as PyTorch does)."""
    nd = len(kernel)
    if not isinstance(padding, str):
        return tuple(padding), tuple(padding)
    if padding == "valid":
        return (0,) * nd, (0,) * nd
    if padding != "same":
        raise RuntimeError(f"Invalid padding string: '{padding}'")
    if any(s != 1 for s in stride):
        raise RuntimeError("padding='same' is not supported for strided convolutions")
    totals = tuple(d * (k - 1) for k, d in zip(kernel, dilation))
    return tuple(t // 2 for t in totals), tuple(t - t // 2 for t in totals)


def _conv_im2col(x, weight, bias, stride, pads, dilation, groups):
    """The convolution composed of registry ops (the capture of a float64 convolution): one strided
    Slice per kernel tap, a Concat and one batched MatMul of the (groups, O/groups, C/groups*taps)
    weight with the columns; 1-D as a height-1 image. Gradients and export follow from those ops."""
    nd = x.ndim - 2
    if nd == 1:
        out = _conv_im2col(x.unsqueeze(2), weight.unsqueeze(2), bias, (1,) + tuple(stride),
                           (0, pads[0], 0, pads[1]), (1,) + tuple(dilation), groups)
        return out.squeeze(2)._renamed("ConvolutionBackward0")
    n, c, h, w = x.shape
    o, cg, kh, kw = weight.shape
    hp, wp = h + pads[0] + pads[2], w + pads[1] + pads[3]
    ekh, ekw = dilation[0] * (kh - 1) + 1, dilation[1] * (kw - 1) + 1
    ho, wo = (hp - ekh) // stride[0] + 1, (wp - ekw) // stride[1] + 1
    cols = _windows(_pad2d(x, pads[0], pads[2], pads[1], pads[3]), (kh, kw), stride, dilation, (ho, wo))
    cols = cols.reshape(n, groups, cg * kh * kw, ho * wo)
    out = weight.reshape(groups, o // groups, cg * kh * kw) @ cols     # (N, groups, O/groups, Ho*Wo)
    out = out.reshape(n, o, ho, wo)
    if bias is not None:
        out = out + bias.reshape(1, o, 1, 1)
    return out._renamed("ConvolutionBackward0")


def conv2d(input, weight, bias=None, stride=1, padding=0, dilation=1, groups=1):
    """2-D cross-correlation of (N, C, H, W) (or unbatched (C, H, W)) with weight (O, C/groups, kh, kw),
    bias (O,). padding: an int, a pair, 'valid' or 'same'. One registry op (Conv), whose grad_fn is
    PyTorch's ConvolutionBackward0; captured training steps export it as ONNX's Conv."""
    return _convolution(2, input, weight, bias, stride, padding, dilation, groups)


def conv1d(input, weight, bias=None, stride=1, padding=0, dilation=1, groups=1):
    """1-D cross-correlation of (N, C, L) (or unbatched (C, L)) with weight (O, C/groups, k), bias (O,).
    One registry op (Conv) over one spatial axis, grad_fn ConvolutionBackward0 as PyTorch's."""
    return _convolution(1, input, weight, bias, stride, padding, dilation, groups)


def _single(v):
    if isinstance(v, (int, np.integer)):
        return (int(v),)
    return tuple(int(x) for x in v)


def max_pool1d(input, kernel_size, stride=None, padding=0, dilation=1, ceil_mode=False, return_indices=False):
    """Max over windows of (N, C, L) (or (C, L)): max_pool2d over a height-1 image, as PyTorch does
    (so the output's grad_fn is SqueezeBackward1)."""
    if input.ndim not in (2, 3):
        raise RuntimeError(f"max_pool1d() Expected 2D or 3D input tensor, but got {_sizes(input.shape)}")
    (k,) = _single(kernel_size)
    (s,) = (k,) if stride is None or (not isinstance(stride, int) and len(stride) == 0) else _single(stride)
    (p,), (d,) = _single(padding), _single(dilation)
    if p > k // 2:
        raise RuntimeError(f"max_pool1d() padding should be at most half of kernel size, but got padding={p} and "
                           f"kernel_size={k}")
    n_out = _pool_out(input.shape[-1], k, s, p, d, ceil_mode)
    if n_out < 1:
        raise RuntimeError(f"max_pool1d() Invalid computed output size: {n_out}")
    res = max_pool2d(input.unsqueeze(-2), (1, k), (1, s), (0, p), (1, d), ceil_mode, return_indices)
    if return_indices:
        return res[0].squeeze(-2), res[1].squeeze(-2)
    return res.squeeze(-2)


def avg_pool1d(input, kernel_size, stride=None, padding=0, ceil_mode=False, count_include_pad=True):
    """Mean over windows of (N, C, L) (or (C, L)): avg_pool2d over a height-1 image, as PyTorch does."""
    (k,) = _single(kernel_size)
    (s,) = (k,) if stride is None or (not isinstance(stride, int) and len(stride) == 0) else _single(stride)
    (p,) = _single(padding)
    return avg_pool2d(input.unsqueeze(-2), (1, k), (1, s), (0, p), ceil_mode, count_include_pad).squeeze(-2)


def group_norm(input, num_groups, weight=None, bias=None, eps=1e-5):
    """Normalizes each of `num_groups` channel groups of every sample over its channels and spatial
    positions (biased variance), then applies the per-channel weight and bias.
    grad_fn NativeGroupNormBackward0."""
    if input.ndim < 2:
        raise RuntimeError(f"Expected at least 2 dimensions for input tensor but received {input.ndim}")
    n, c = input.shape[0], input.shape[1]
    if c % num_groups:
        raise RuntimeError(f"Expected number of channels in input to be divisible by num_groups, but got input of "
                           f"shape {_sizes(input.shape)} and num_groups={num_groups}")
    for name, t in (("weight", weight), ("bias", bias)):
        if t is not None and (t.ndim != 1 or t.shape[0] != c):
            raise RuntimeError(f"Expected {name} to be a vector of size equal to the number of channels in input, "
                               f"but got {name} of shape {_sizes(t.shape)} and input of shape {_sizes(input.shape)}")

    def norm(input, weight, bias):
        grouped = input.reshape(n, num_groups, -1)
        centered = grouped - grouped.mean(-1, keepdim=True)
        var = (centered * centered).mean(-1, keepdim=True)
        out = (centered * (var + eps).rsqrt()).reshape(tuple(input.shape))
        bshape = (1, c) + (1,) * (input.ndim - 2)
        if weight is not None:
            out = out * weight.reshape(bshape)
        if bias is not None:
            out = out + bias.reshape(bshape)
        return out

    # one grad_fn with next_functions (input, weight, bias), as PyTorch's
    return composite(norm, (input, weight, bias), "NativeGroupNormBackward0")

def _pool_args(input, kernel_size, stride, padding, dilation):
    if input.ndim not in (3, 4):
        raise RuntimeError("non-empty 3D or 4D (batch mode) tensor expected for input")
    kernel = _pair(kernel_size)
    stride = kernel if stride is None or (not isinstance(stride, int) and len(stride) == 0) else _pair(stride)
    padding, dilation = _pair(padding), _pair(dilation)
    for p, k, d in zip(padding, kernel, dilation):
        if p > ((k - 1) * d + 1) // 2:
            raise RuntimeError(f"pad should be at most half of effective kernel size, but got pad={p}, "
                               f"kernel_size={k} and dilation={d}")
    return kernel, stride, padding, dilation


def _pool_out(size, k, s, p, d, ceil_mode):
    """PyTorch's pooling output size (ceil mode drops a last window that starts in the padding)."""
    span = size + 2 * p - d * (k - 1) - 1
    out = (span + (s - 1 if ceil_mode else 0)) // s + 1
    if ceil_mode and (out - 1) * s >= size + p:
        out -= 1
    return out


def _pool_windows(input, kernel, stride, padding, dilation, ceil_mode, fill):
    unbatched = input.ndim == 3
    x = input.unsqueeze(0) if unbatched else input
    n, c, h, w = x.shape
    ho = _pool_out(h, kernel[0], stride[0], padding[0], dilation[0], ceil_mode)
    wo = _pool_out(w, kernel[1], stride[1], padding[1], dilation[1], ceil_mode)
    if ho < 1 or wo < 1:
        raise RuntimeError(f"Given input size: ({c}x{h}x{w}). Calculated output size: ({c}x{max(ho, 0)}x"
                           f"{max(wo, 0)}). Output size is too small")
    # ceil mode may read past the padded input: pad the far side further (those taps never win/count)
    extra_h = max(0, (ho - 1) * stride[0] + dilation[0] * (kernel[0] - 1) + 1 - (h + 2 * padding[0]))
    extra_w = max(0, (wo - 1) * stride[1] + dilation[1] * (kernel[1] - 1) + 1 - (w + 2 * padding[1]))
    xp = _pad2d(x, padding[0], padding[0] + extra_h, padding[1], padding[1] + extra_w, fill)
    return _windows(xp, kernel, stride, dilation, (ho, wo)), (n, c, h, w, ho, wo), unbatched


def max_pool2d(input, kernel_size, stride=None, padding=0, dilation=1, ceil_mode=False, return_indices=False):
    """Max over each window of (N, C, H, W) (padding counts as -inf). The gradient goes to the first
    maximum of each window (row-major), as PyTorch's: an ArgMax picks it and a Where routes g there.
    grad_fn MaxPool2DWithIndicesBackward0; `return_indices` gives flat H*W positions as PyTorch."""
    kernel, stride, padding, dilation = _pool_args(input, kernel_size, stride, padding, dilation)
    taps = kernel[0] * kernel[1]
    found = {}

    def pool(x):
        cols, sizes, unbatched = _pool_windows(x, kernel, stride, padding, dilation, ceil_mode, float("-inf"))
        best = apply("ArgMax", (cols,), {"axis": 2, "keepdims": 1})
        hit = best == _wrap(np.arange(taps, dtype=np.int64).reshape(1, 1, taps, 1))
        found.update(hit=hit, sizes=sizes, unbatched=unbatched)
        out = _where(hit, cols, 0.0).sum(2).reshape(sizes[0], sizes[1], sizes[4], sizes[5])
        return out.squeeze(0) if unbatched else out

    # one grad_fn over the composed ops, whose next_functions are the input's as PyTorch's
    out = composite(pool, (input,), "MaxPool2DWithIndicesBackward0")
    hit, (n, c, h, w, ho, wo), unbatched = found["hit"], found["sizes"], found["unbatched"]
    if not return_indices:
        return out
    # the flat input position of every tap of every window, a constant picked by the same mask
    oh, ow = np.arange(ho) * stride[0] - padding[0], np.arange(wo) * stride[1] - padding[1]
    ki, kj = np.divmod(np.arange(taps), kernel[1])
    rows = oh[None, :, None] + (ki * dilation[0])[:, None, None]
    cols_ = ow[None, None, :] + (kj * dilation[1])[:, None, None]
    flat = (rows * w + cols_).reshape(1, 1, taps, ho * wo).astype(np.int64)
    indices = _where(hit, _wrap(flat), 0).sum(2).reshape(n, c, ho, wo)
    return out, (indices.squeeze(0) if unbatched else indices)


def avg_pool2d(input, kernel_size, stride=None, padding=0, ceil_mode=False, count_include_pad=True,
               divisor_override=None):
    """Mean over each window of (N, C, H, W): the window sum (zeros in the padding) divided by a
    constant divisor per output position, computed with PyTorch's rules for padding and ceil mode.
    grad_fn AvgPool2DBackward0."""
    kernel, stride, padding, _ = _pool_args(input, kernel_size, stride, padding, 1)

    def pool(input):
        cols, (n, c, h, w, ho, wo), unbatched = _pool_windows(input, kernel, stride, padding, (1, 1), ceil_mode,
                                                              0.0)
        total = cols.sum(2).reshape(n, c, ho, wo)
        if divisor_override:
            out = total / float(divisor_override)
        else:
            div = np.outer(_avg_divisors(h, ho, kernel[0], stride[0], padding[0], count_include_pad),
                           _avg_divisors(w, wo, kernel[1], stride[1], padding[1], count_include_pad))
            if np.all(div == div.flat[0]):
                out = total / float(div.flat[0])
            else:
                out = total / _wrap(div.astype(np.dtype(str.__str__(total.dtype))))
        return out.squeeze(0) if unbatched else out

    # one grad_fn whose next_functions are the input's, as PyTorch's
    return composite(pool, (input,), "AvgPool2DBackward0")


def _avg_divisors(size, n_out, k, s, p, count_include_pad):
    """Per output position along one axis: the window length PyTorch divides by."""
    start = np.arange(n_out) * s - p
    end = np.minimum(start + k, size + p)
    pool = end - start
    if count_include_pad:
        return pool
    return np.minimum(end, size) - np.maximum(start, 0)


def adaptive_avg_pool2d(input, output_size):
    """Mean over PyTorch's adaptive windows (rows floor(i*H/oh) .. ceil((i+1)*H/oh)): a linear map,
    written as two MatMuls with constant averaging matrices. grad_fn AdaptiveAvgPool2DBackward0."""
    if input.ndim not in (3, 4):
        raise RuntimeError(f"adaptive_avg_pool2d(): Expected 3D or 4D tensor, but got {_sizes(input.shape)}")
    h, w = input.shape[-2:]
    oh, ow = output_size if isinstance(output_size, (tuple, list)) else (output_size, output_size)
    oh, ow = h if oh is None else int(oh), w if ow is None else int(ow)
    if (oh, ow) == (1, 1):  # PyTorch takes the mean for a global pool (grad_fn MeanBackward1)
        return input.mean((-2, -1), keepdim=True)
    dtype = np.dtype(str.__str__(input.dtype))
    rows, cols = _adaptive_matrix(h, oh).astype(dtype), _adaptive_matrix(w, ow).astype(dtype)
    left, right = _wrap(rows), _wrap(np.ascontiguousarray(cols.T))
    return composite(lambda x: left @ x @ right, (input,), "AdaptiveAvgPool2DBackward0")


def adaptive_avg_pool1d(input, output_size):
    """Mean over adaptive windows along the last dim: PyTorch's route, a 2-D adaptive pool of
    height 1 squeezed back (grad_fn SqueezeBackward1)."""
    if input.ndim not in (2, 3):
        raise RuntimeError(f"Expected 2 to 3 dimensions, but got {input.ndim}-dimensional tensor for argument "
                           "#1 'self' (while checking arguments for adaptive_avg_pool1d)")
    n = output_size[0] if isinstance(output_size, (tuple, list)) else output_size
    return adaptive_avg_pool2d(input.unsqueeze(-2), (1, n)).squeeze(-2)


def _adaptive_matrix(size, n_out):
    m = np.zeros((n_out, size))
    for i in range(n_out):
        lo, hi = (i * size) // n_out, -((-(i + 1) * size) // n_out)
        m[i, lo:hi] = 1.0 / (hi - lo)
    return m


__all__ = ["relu", "relu_", "sigmoid", "tanh", "softmax", "log_softmax", "linear", "dropout", "mse_loss",
           "l1_loss", "nll_loss", "cross_entropy", "binary_cross_entropy_with_logits", "binary_cross_entropy",
           "smooth_l1_loss", "huber_loss", "leaky_relu", "elu", "gelu", "silu", "softplus", "hardtanh",
           "normalize", "cosine_similarity", "one_hot", "pad", "layer_norm", "batch_norm", "embedding",
           "conv2d", "max_pool2d", "avg_pool2d", "adaptive_avg_pool2d", "adaptive_avg_pool1d", "conv1d", "max_pool1d", "avg_pool1d",
           "group_norm"]

from .functional_extra import *  # noqa: E402,F401,F403 more activations and losses (last: its hardtanh wins)
from .functional_resample import interpolate, upsample  # noqa: E402,F401
from .functional_random import *  # noqa: E402,F401,F403 dropout1d/2d/3d, alpha_dropout, rrelu, gumbel_softmax
from .functional_attention import (scaled_dot_product_attention, multi_head_attention_forward,  # noqa: E402,F401
                                  _canonical_mask, _none_or_dtype)
from .conv_transpose import conv_transpose1d, conv_transpose2d  # noqa: E402,F401
from .embedding_bag import embedding_bag  # noqa: E402,F401

"""More of torch.nn.functional: the remaining activations, margin/KL/likelihood losses, bilinear
and pairwise_distance. Re-exported by `functional`, so they are reached as `F.<name>`.

As in `functional`, every function is a composition of registry ops (no reads of tensor values,
except for argument checks that PyTorch makes and that a capture skips), so gradients, capture and
ONNX export come from the ops; the result takes PyTorch's grad_fn name. Boundary gradients follow
PyTorch's kernels (comments say which side a tie falls on), and where a branch of a `where` could
overflow, its argument is clamped first so that the unused branch cannot turn a zero gradient into
NaN (0 * inf).
"""
import math
import warnings

from ..frontend import dtype as dt
from ..frontend.grad_mode import STATE
from ..frontend.factories import arange, ones_like
from ..frontend.tensor import where as _where
from . import functional as _F

_REDUCTIONS = ("none", "mean", "sum")


# -- helpers -----------------------------------------------------------------------------------------
def _floating(input, kernel):
    """PyTorch's dispatch error for an integer input to a floating-point-only kernel."""
    if not input.is_floating_point():
        raise NotImplementedError(f'"{kernel}" not implemented for \'{_F._legacy(input.dtype)}\'')


def _inplace(input, out, name):
    """`inplace=True`: write `out` into `input` (PyTorch's in-place rules: version counter, leaf
    error) and give the result PyTorch's grad_fn name for the in-place kernel."""
    return input.copy_(out)._renamed(name)


def _source(input, inplace):
    """The operand of an activation op: for inplace=True a copy, since the op saves its input for
    backward and the result is then written into that input."""
    return input.clone() if inplace else input


def _sizes(shape):
    return "[" + ", ".join(map(str, shape)) + "]"


def _reduction_enum(size_average, reduce, reduction):
    """_Reduction.get_enum: the legacy flags win (with their warning); an unknown string raises."""
    if size_average is not None or reduce is not None:
        return _F._legacy_reduction(size_average, reduce)
    if reduction not in _REDUCTIONS:
        raise ValueError(f"{reduction} is not a valid value for reduction")
    return reduction


def _clip(x, lo, hi):
    """x clamped to [lo, hi] with PyTorch's hardtanh gradient: 1 strictly inside, 0 at and beyond
    the bounds (clamp's gradient, by contrast, passes at the bounds). NaN stays NaN."""
    out = _where(x <= lo, lo, _where(x >= hi, hi, x))
    return out if out.dtype == x.dtype else out.to(x.dtype)  # integer tensors stay integer


def _log1p(u):
    """log(1 + u) to float precision for small u (Kahan: log(w) * u / (w - 1) with w = 1 + u, which
    cancels the rounding of w); Tensor.log1p is log(1 + u), which loses the digits of u < 1e-4 in
    float32. The denominator is kept nonzero in the unused branch so its gradient is not NaN."""
    w = u + 1
    same = w == 1
    return _where(same, u, w.log() * (u / _where(same, 1.0, w - 1)))


def _softplus(x):
    """log(1 + exp(x)) without overflow, as two smooth branches joined at 0:
    x + log1p(exp(-x)) for x > 0 and log1p(exp(x)) otherwise (each exp sees a clamped argument,
    so the branch `where` drops never overflows into a NaN gradient)."""
    pos = x + _log1p((-x.clamp(min=0.0)).exp())
    neg = _log1p(x.clamp(max=0.0).exp())
    return _where(x > 0, pos, neg)


# -- activations -------------------------------------------------------------------------------------
def hardtanh(input, min_val=-1.0, max_val=1.0, inplace=False):
    """x clamped to [min_val, max_val]; the gradient is 1 strictly between the bounds and 0 at
    them, as PyTorch's HardtanhBackward0 (this replaces the clamp-based version of `functional`,
    whose gradient passes at the bounds)."""
    if min_val > max_val:
        raise ValueError("min_val cannot be greater than max_val")
    if input.dtype == dt.bool:
        raise NotImplementedError("\"hardtanh\" not implemented for 'Bool'")
    out = _clip(input, min_val, max_val)._renamed("HardtanhBackward0")
    return _inplace(input, out, "HardtanhBackward0") if inplace else out


def hardtanh_(input, min_val=-1.0, max_val=1.0):
    return hardtanh(input, min_val, max_val, inplace=True)


def relu6(input, inplace=False):
    """min(max(x, 0), 6): hardtanh(x, 0, 6), with its grad_fn (HardtanhBackward0)."""
    return hardtanh(input, 0.0, 6.0, inplace)


_SELU_ALPHA = 1.6732632423543772848170429916717
_SELU_SCALE = 1.0507009873554804934193349852946


def selu(input, inplace=False):
    """scale * (x if x > 0 else alpha (exp(x) - 1)), PyTorch's constants; grad_fn EluBackward0."""
    _floating(input, "elu_cpu")
    out = _F.apply("EluKernel", (_source(input, inplace),), {"alpha": _SELU_ALPHA, "scale": _SELU_SCALE}, "EluBackward0")
    return _inplace(input, out, "EluBackward1") if inplace else out


def selu_(input):
    return selu(input, inplace=True)


def celu(input, alpha=1.0, inplace=False):
    """x if x > 0 else alpha (exp(x / alpha) - 1); grad_fn CeluBackward0."""
    _floating(input, "elu_cpu")
    if alpha == 0:
        raise RuntimeError("ZeroDivisionError: alpha cannot be 0 for CELU")
    # PyTorch's celu is its elu kernel with input_scale 1 / alpha
    out = _F.apply("EluKernel", (_source(input, inplace),), {"alpha": float(alpha), "input_scale": 1.0 / float(alpha)},
                   "CeluBackward0")
    return _inplace(input, out, "CeluBackward1") if inplace else out


def celu_(input, alpha=1.0):
    return celu(input, alpha, inplace=True)


def logsigmoid(input):
    """log(sigmoid(x)) = min(x, 0) - log1p(exp(-|x|)), finite for any x; grad_fn LogSigmoidBackward0
    (its gradient at 0 is 1/2, the exact value)."""
    _floating(input, "log_sigmoid_cpu")
    # one op with PyTorch's kernels: min(x, 0) - log1p(exp(-|x|)) forward, and a backward from the
    # same exp(-|x|), without cancellation (ir/ops/activations.py)
    return _F.apply("LogSigmoid", (input,), {}, "LogSigmoidBackward0")


def softmin(input, dim=None, _stacklevel=3, dtype=None):
    """softmax(-x) along `dim` (PyTorch's implicit-dim rule and warning when dim is None)."""
    if dim is None:
        dim = _F._softmax_dim("softmin", input.ndim, _stacklevel)
    if dtype is not None:
        input = input.to(dtype)
    return (-input).softmax(dim)


def softsign(input):
    """x / (1 + |x|)."""
    return input / (input.abs() + 1)


def tanhshrink(input):
    """x - tanh(x)."""
    return input - input.tanh()


def _check_lambd(input, lambd):
    if lambd < 0:
        raise RuntimeError(f"lambda must be in range [0, 3.40282e+38] for input dtype "
                           f"{_F._legacy(input.dtype)}, but found {lambd:g}")


def hardshrink(input, lambd=0.5):
    """x where |x| > lambd, else 0 (the gradient is 0 at +-lambd, as PyTorch's kernel)."""
    _floating(input, "hardshrink_cpu")
    return _where((input >= -lambd) & (input <= lambd), 0.0, input)._renamed("HardshrinkBackward0")


def softshrink(input, lambd=0.5):
    """x - lambd above lambd, x + lambd below -lambd, else 0 (x * 0, so it keeps x's sign as
    PyTorch's kernel does: -0. prints for negative x)."""
    _floating(input, "softshrink_check")
    _check_lambd(input, lambd)
    out = _where(input > lambd, input - lambd, _where(input < -lambd, input + lambd, input * 0.0))
    return out._renamed("SoftshrinkBackward0")


def hardsigmoid(input, inplace=False):
    """min(max(x + 3, 0), 6) / 6; the gradient is 1/6 strictly inside (-3, 3), as PyTorch."""
    _floating(input, "hardsigmoid_cpu")
    out = _F.apply("HardSigmoidKernel", (_source(input, inplace),), {}, "HardsigmoidBackward0")
    return _inplace(input, out, "HardsigmoidBackward0") if inplace else out


def hardswish(input, inplace=False):
    """x * min(max(x + 3, 0), 6) / 6. The inner clip's gradient is 0 at the bounds, which gives
    PyTorch's derivative: 0 up to -3, x/3 + 1/2 strictly inside (-3, 3), 1 from 3 on."""
    _floating(input, "hardswish_cpu")
    out = _F.apply("HardSwishKernel", (_source(input, inplace),), {}, "HardswishBackward0")
    return _inplace(input, out, "HardswishBackward0") if inplace else out


def mish(input, inplace=False):
    """x * tanh(softplus(x)); grad_fn MishBackward0."""
    _floating(input, "mish_cpu")
    out = _F.apply("Mish", (_source(input, inplace),), {}, "MishBackward0")
    return _inplace(input, out, "MishBackward0") if inplace else out


def threshold(input, threshold, value, inplace=False):
    """x where x > threshold, else value (NaN stays NaN, as PyTorch's `x <= threshold ? value : x`)."""
    out = _where(input <= threshold, value, input)
    if out.dtype != input.dtype:  # an int tensor with a float value keeps the tensor's dtype
        out = out.to(input.dtype)
    out = out._renamed("ThresholdBackward0")
    return _inplace(input, out, "ThresholdBackward1") if inplace else out


def threshold_(input, threshold, value):
    return _threshold(input, threshold, value, inplace=True)


_threshold = threshold


def glu(input, dim=-1):
    """a * sigmoid(b), where a and b are the two halves of `input` along `dim`."""
    if input.ndim == 0:
        raise RuntimeError("glu does not support scalars because halving size must be even")
    _floating(input, "glu_cpu")
    d = dim + input.ndim if dim < 0 else dim
    size = input.shape[d]
    if size % 2:
        raise RuntimeError(f"Halving dimension must be even, but dimension {d} is size {size}")
    a, b = input.chunk(2, d)
    return (a * b.sigmoid())._renamed("GluBackward0")


def prelu(input, weight):
    """x where x > 0, else weight * x; a weight of C entries applies per channel (dim 1).
    The slope at 0 is the weight's (PyTorch's `x > 0` test); grad_fn PreluKernelBackward0."""
    if input.dtype != weight.dtype:
        raise RuntimeError(f"prelu: Type promoting not supported. Got {_F._legacy(input.dtype)} and "
                           f"{_F._legacy(weight.dtype)}")
    n = weight.numel()
    if n != 1:
        if input.ndim == 0:
            raise RuntimeError("Not allow zero-dim input tensor.")
        channels = input.shape[1] if input.ndim > 1 else 1
        if channels != n:
            raise RuntimeError(f"Mismatch of parameter numbers and input channel size. Found parameter numbers = "
                               f"{n} and channel size = {channels}.")
    if weight.ndim > 1:
        raise RuntimeError(f"prelu: Expected `weight` to be a scalar or 1D tensor, but got: ndim = {weight.ndim}")
    w = weight
    if input.ndim != weight.ndim:
        shape = [1] * input.ndim
        if input.ndim > 1:
            shape[1] = n
        w = weight.reshape(tuple(shape))
    return _where(input > 0, input, w * input)._renamed("PreluKernelBackward0")


# -- distances and bilinear --------------------------------------------------------------------------
def pairwise_distance(x1, x2, p=2.0, eps=1e-6, keepdim=False):
    """||x1 - x2 + eps||_p over the last dimension (PyTorch adds eps before the norm)."""
    dim = max(x1.ndim, x2.ndim) - 1
    diff = x1 - x2 + eps
    if dim < 0:  # two scalars: the norm of a 0-d tensor is its absolute value
        return diff.abs()._renamed("NormBackward1")
    return diff.norm(p, dim, keepdim)._renamed("NormBackward1")


def bilinear(input1, input2, weight, bias=None):
    """y_k = x1^T W_k x2 + b_k for weight (out, in1, in2); leading dims of x1 and x2 are batch dims.
    Written as one MatMul of x1 with W viewed as (in1, out * in2), a product with x2 and a sum."""
    if input1.ndim != input2.ndim:
        raise RuntimeError(f"bilinear(): input dimensions do not match: got {input1.ndim} and {input2.ndim}")
    for i in range(input1.ndim - 1):
        if input1.shape[i] != input2.shape[i]:
            raise RuntimeError(f"bilinear(): input batch dimensions do not match at dim {i}: got {input1.shape[i]} and "
                               f"{input2.shape[i]}")
    out_f, in1, in2 = weight.shape
    if input1.shape[-1] != in1:
        raise RuntimeError(f"bilinear(): input1 size does not match weight size: got {input1.shape[-1]} but "
                           f"expected {in1}")
    if input2.shape[-1] != in2:
        raise RuntimeError(f"bilinear(): input2 size does not match weight size: got {input2.shape[-1]} but "
                           f"expected {in2}")
    if bias is not None and bias.shape[0] != out_f:
        raise RuntimeError(f"bilinear(): bias size does not match weight size: got {bias.shape[0]} but expected "
                           f"{out_f}")
    batch = tuple(input1.shape[:-1])
    a = input1.reshape(-1, in1)
    b = input2.reshape(-1, 1, in2)
    t = (a @ weight.permute(1, 0, 2).reshape(in1, out_f * in2)).reshape(-1, out_f, in2)
    out = (t * b).sum(-1).reshape(batch + (out_f,))._renamed("ViewBackward0")
    return out if bias is None else out + bias


# -- losses ------------------------------------------------------------------------------------------
def kl_div(input, target, size_average=None, reduce=None, reduction="mean", log_target=False):
    """Pointwise KL divergence target * (log target - input) for log-probabilities `input`
    (exp(target) * (target - input) when `log_target`); 0 where target is 0. 'batchmean' divides
    the sum by the batch size; 'mean' (the default, with PyTorch's warning) by the element count."""
    if size_average is not None or reduce is not None:
        reduction = _F._legacy_reduction(size_average, reduce)
    else:
        if reduction == "mean":
            warnings.warn("reduction: 'mean' divides the total loss by both the batch size and the support size."
                          "'batchmean' divides only by the batch size, and aligns with the KL div math "
                          "definition.'mean' will be changed to behave the same as 'batchmean' in the next major "
                          "release.", stacklevel=2)
        if reduction not in _REDUCTIONS + ("batchmean",):
            raise ValueError(f"{reduction} is not a valid value for reduction")
    _F._check_broadcast(target.shape, input.shape)  # PyTorch's kernel starts from target
    if log_target:
        loss = target.exp() * (target - input)
    else:
        loss = target.xlogy(target) - target * input
    if reduction == "batchmean":
        total = loss.sum()
        return total / input.shape[0] if input.ndim != 0 else total
    return _F._reduce(loss, reduction)


def margin_ranking_loss(input1, input2, target, margin=0, size_average=None, reduce=None, reduction="mean"):
    """max(0, -target * (input1 - input2) + margin), reduced (clamp_min's gradient passes at 0)."""
    reduction = _reduction_enum(size_average, reduce, reduction)
    if input1.ndim != input2.ndim or input1.ndim != target.ndim:
        raise RuntimeError(f"margin_ranking_loss : All input tensors should have same dimension but got sizes: "
                           f"input1: {input1.shape}, input2: {input2.shape}, target: {target.shape} ")
    loss = (-target * (input1 - input2) + margin).clamp_min(0)
    return _F._reduce(loss, reduction)


def cosine_embedding_loss(input1, input2, target, margin=0, size_average=None, reduce=None, reduction="mean"):
    """1 - cos(x1, x2) where target is 1, max(0, cos(x1, x2) - margin) where it is -1 (PyTorch's
    formula: cos = <x1, x2> / sqrt((|x1|^2 + 1e-12)(|x2|^2 + 1e-12)))."""
    reduction = _reduction_enum(size_average, reduce, reduction)
    tdim = target.ndim
    if tdim not in (0, 1):
        raise RuntimeError("0D or 1D target tensor expected, multi-target not supported")
    if tdim == 1 and (input1.ndim != 2 or input2.ndim != 2):
        raise RuntimeError(f"1D target tensor expects 2D input tensors, but found inputs with sizes "
                           f"{_sizes(input1.shape)} and {_sizes(input2.shape)}.")
    if tdim == 0 and (input1.ndim != 1 or input2.ndim != 1):
        raise RuntimeError(f"0D target tensor expects 1D input tensors, but found inputs with sizes "
                           f"{_sizes(input1.shape)} and {_sizes(input2.shape)}.")
    eps = 1e-12
    prod = (input1 * input2).sum(tdim)
    mag1 = (input1 * input1).sum(tdim) + eps
    mag2 = (input2 * input2).sum(tdim) + eps
    cos = prod / (mag1 * mag2).sqrt()
    pos = _where(target == 1, 1 - cos, 0.0)
    neg = _where(target == -1, (cos - margin).clamp_min(0), 0.0)
    return _F._reduce(pos + neg, reduction)


def soft_margin_loss(input, target, size_average=None, reduce=None, reduction="mean"):
    """log(1 + exp(-target * input)), reduced; grad_fn SoftMarginLossBackward0. Computed without
    overflow (PyTorch's kernel gives inf once exp overflows; this gives the finite value)."""
    reduction = _reduction_enum(size_average, reduce, reduction)
    _F._check_broadcast(input.shape, target.shape)
    loss = _softplus(-target * input)
    return _F._reduce(loss, reduction)._renamed("SoftMarginLossBackward0")


def multilabel_soft_margin_loss(input, target, weight=None, size_average=None, reduce=None, reduction="mean"):
    """-(y logsigmoid(x) + (1 - y) logsigmoid(-x)), weighted, averaged over the class (last) dim,
    then reduced over the samples."""
    if size_average is not None or reduce is not None:
        reduction = _F._legacy_reduction(size_average, reduce)
    loss = -(target * logsigmoid(input) + (1 - target) * logsigmoid(-input))
    if weight is not None:
        loss = loss * weight
    class_dim = input.ndim - 1
    loss = loss.sum(class_dim) / input.shape[class_dim]
    if reduction == "none":
        return loss
    if reduction == "mean":
        return loss.mean()
    if reduction == "sum":
        return loss.sum()
    raise ValueError(reduction + " is not valid")


def poisson_nll_loss(input, target, log_input=True, full=False, size_average=None, eps=1e-8, reduce=None,
                     reduction="mean"):
    """Poisson negative log likelihood: exp(input) - target * input for log rates, else
    input - target * log(input + eps); `full` adds Stirling's term for targets above 1."""
    if size_average is not None or reduce is not None:
        reduction = _F._legacy_reduction(size_average, reduce)
    if reduction not in _REDUCTIONS:
        raise ValueError(reduction + " is not a valid value for reduction")
    if log_input:
        loss = input.exp() - target * input
    else:
        loss = input - target * (input + eps).log()
    if full:
        # target * log(target) - target + log(2 pi target) / 2, 0 where target <= 1 (PyTorch's mask);
        # the log is taken of max(target, 1) so masked entries never produce NaN
        safe = target.clamp_min(1.0)
        stirling = safe * safe.log() - safe + (safe * (2 * math.pi)).log() * 0.5
        loss = loss + stirling.masked_fill(target <= 1, 0.0)
    return _F._reduce(loss, reduction)


def gaussian_nll_loss(input, target, var, full=False, eps=1e-6, reduction="mean"):
    """0.5 (log(var) + (input - target)^2 / var) (+ 0.5 log(2 pi) when `full`), with var clamped
    below at eps. The clamp is not differentiated through (PyTorch clamps under no_grad): the
    gradient reaches var as if unclamped, at the clamped value."""
    if isinstance(var, float):
        if var < 0:
            raise ValueError("var has negative entry/entries")
        var = var * ones_like(input)
    elif STATE.tracer is None and bool((var < 0).any()):
        raise ValueError("var has negative entry/entries")
    if tuple(var.shape) != tuple(input.shape):
        if tuple(input.shape[:-1]) == tuple(var.shape):
            var = var.unsqueeze(-1)
        elif input.ndim == var.ndim and sum(y for x, y in zip(input.shape, var.shape) if x != y) == 1:
            pass  # heteroscedastic over all but one dim of size 1: broadcasts
        else:
            raise ValueError("var is of incorrect size")
    if reduction not in _REDUCTIONS:
        raise ValueError(reduction + " is not valid")
    var = var + (var.clamp_min(eps) - var).detach()
    diff = input - target
    loss = 0.5 * (var.log() + diff * diff / var)
    if full:
        loss = loss + 0.5 * math.log(2 * math.pi)
    return _F._reduce(loss, reduction)


def triplet_margin_loss(anchor, positive, negative, margin=1.0, p=2, eps=1e-6, swap=False, size_average=None,
                        reduce=None, reduction="mean"):
    """max(0, margin + d(a, p) - d(a, n)) with d the pairwise p-norm distance; `swap` uses
    min(d(a, n), d(p, n)) as the negative distance."""
    reduction = _reduction_enum(size_average, reduce, reduction)
    if margin <= 0:
        raise ValueError(f"margin must be greater than 0, got {margin}")
    if not anchor.ndim == positive.ndim == negative.ndim:
        raise RuntimeError(f"The anchor, positive, and negative tensors are expected to have the same number of "
                           f"dimensions, but got: anchor {anchor.ndim}D, positive {positive.ndim}D, and negative "
                           f"{negative.ndim}D inputs")
    d_pos = pairwise_distance(anchor, positive, p, eps)
    d_neg = pairwise_distance(anchor, negative, p, eps)
    if swap:
        from ..frontend.functions import minimum
        d_neg = minimum(d_neg, pairwise_distance(positive, negative, p, eps))
    return _F._reduce((d_pos - d_neg + margin).clamp_min(0), reduction)


def multi_margin_loss(input, target, p=1, margin=1.0, weight=None, size_average=None, reduce=None,
                      reduction="mean"):
    """Multi-class hinge loss: for each sample, sum over classes i != y of
    max(0, margin - x[y] + x[i])^p (times weight[y]), divided by the class count. The gradient
    is 0 where the hinge is exactly 0, as PyTorch's kernel (`z > 0`)."""
    reduction = _reduction_enum(size_average, reduce, reduction)
    if p not in (1, 2):
        raise ValueError("only p == 1 and p == 2 supported")
    if weight is not None and weight.ndim != 1:
        raise ValueError("weight must be one-dimensional")
    one_d = input.ndim <= 1
    x = input.reshape(1, -1) if one_d else input
    if x.ndim != 2 or (not one_d and target.ndim != 1) or target.numel() != x.shape[0]:
        raise RuntimeError(f"inconsistent target size, expected {x.shape[0]} but got {_sizes(target.shape)}")
    n_classes = x.shape[1]
    y = target.reshape(-1, 1)
    if STATE.tracer is None:
        idx = y._data
        if idx.size and (idx.min() < 0 or idx.max() >= n_classes):
            raise RuntimeError("target out of range")
    # a comparison mask rather than gather, so a capture needs no index values
    is_target = y == arange(n_classes).reshape(1, -1)
    z = x - _where(is_target, x, 0.0).sum(1, keepdim=True) + margin
    hinge = _where(z > 0, z, 0.0)
    if p == 2:
        hinge = hinge * hinge
    if weight is not None:
        hinge = hinge * _where(is_target, weight.reshape(1, -1), 0.0).sum(1, keepdim=True)
    loss = _where(is_target, 0.0, hinge).sum(1) / n_classes  # drop the target's own term (margin^p)
    if one_d and reduction == "none":
        loss = loss.reshape(tuple(target.shape)) if target.ndim else loss.reshape(())
    return _F._reduce(loss, reduction)._renamed("MultiMarginLossBackward0")


__all__ = ["hardtanh", "hardtanh_", "relu6", "selu", "selu_", "celu", "celu_", "logsigmoid", "softmin", "softsign",
           "tanhshrink", "hardshrink", "softshrink", "hardsigmoid", "hardswish", "mish", "threshold", "threshold_",
           "glu", "prelu", "pairwise_distance", "bilinear", "kl_div", "margin_ranking_loss", "cosine_embedding_loss",
           "soft_margin_loss", "multilabel_soft_margin_loss", "poisson_nll_loss", "gaussian_nll_loss",
           "triplet_margin_loss", "multi_margin_loss"]

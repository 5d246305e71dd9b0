"""Transposed convolutions: F.conv_transpose1d / F.conv_transpose2d and nn.ConvTranspose1d /
nn.ConvTranspose2d, with PyTorch's arguments, parameter shapes (in, out/groups, *kernel), default
initialization, reprs and error texts.

Both functions are one registry op, ONNX's ConvTranspose (ir/ops/conv_transpose.py), whose grad_fn
is PyTorch's ConvolutionBackward0 and whose gradients are convolutions (the registry's Conv); a
training step using them captures, compiles and exports as the standard ConvTranspose operator
(export/lower_conv_transpose.py). conv_transpose1d is the same op over one spatial axis.
"""

from ..frontend import dtype as dt
from ..frontend.factories import empty
from ..frontend.node import apply
from ..frontend.tensor import _check_device
from . import functional as F
from .module import Module, Parameter


def _tuple(v, nd, name):
    """An int or a sequence as nd ints; PyTorch's text for a sequence of the wrong length."""
    if isinstance(v, (list, tuple)):
        v = tuple(int(x) for x in v)
        if len(v) == 1 and nd > 1:
            return v * nd
        if len(v) != nd:
            raise RuntimeError(f"expected {name} to be a single integer value or a list of {nd} values to match "
                               f"the convolution dimensions, but got {name}={list(v)}")
        return v
    return (int(v),) * nd


def _conv_transpose(nd, input, weight, bias, stride, padding, output_padding, groups, dilation):
    fname = f"conv_transpose{nd}d"
    F._need_tensor(fname, "input", 1, input)
    F._need_tensor(fname, "weight", 2, weight)
    if input.ndim not in (nd + 1, nd + 2):
        raise RuntimeError(f"Expected {nd + 1}D (unbatched) or {nd + 2}D (batched) input to {fname}, but got "
                           f"input of size: {F._sizes(input.shape)}")
    unbatched = input.ndim == nd + 1
    x = input.unsqueeze(0) if unbatched else input
    if weight.ndim != nd + 2:
        raise RuntimeError(f"{fname}: expected a {nd + 2}-D weight (in_channels, out_channels/groups, *kernel), "
                           f"got shape {F._sizes(weight.shape)}")
    stride, padding = _tuple(stride, nd, "stride"), _tuple(padding, nd, "padding")
    output_padding, dilation = _tuple(output_padding, nd, "output_padding"), _tuple(dilation, nd, "dilation")
    if groups < 1:
        raise RuntimeError("non-positive groups is not supported")
    c, ws = x.shape[1], tuple(weight.shape)
    if c != ws[0]:
        raise RuntimeError(f"Given transposed=1, weight of size {F._sizes(ws)}, expected input"
                           f"{F._sizes(x.shape)} to have {ws[0]} channels, but got {c} channels instead")
    if ws[0] % groups:
        raise RuntimeError(f"Given groups={groups}, expected weight to be divisible by {groups} at dimension 0, "
                           f"but got weight of size {F._sizes(ws)} instead")
    out_channels = ws[1] * groups
    if bias is not None and (bias.ndim != 1 or bias.shape[0] != out_channels):
        raise RuntimeError(f"Given transposed=1, weight of size {F._sizes(ws)}, expected bias to be 1-dimensional "
                           f"with {out_channels} elements, but got bias of size {F._sizes(bias.shape)} instead")
    if any(op >= s and op >= d for op, s, d in zip(output_padding, stride, dilation)):
        axes = ("height", "width") if nd == 2 else ("",)
        parts = lambda what, vals: " ".join(  # noqa: E731
            f"{what}{'_' + a if a else ''}: {v}" for a, v in zip(axes, vals))
        raise RuntimeError(f"output padding must be smaller than either stride or dilation, but got "
                           f"{parts('output_padding', output_padding)} {parts('stride', stride)} "
                           f"{parts('dilation', dilation)}")
    if x.dtype != weight.dtype or (bias is not None and bias.dtype != x.dtype):
        F._conv_dtype_error(x, weight, bias)
    sizes = tuple((m - 1) * s - 2 * p + d * (k - 1) + op + 1
                  for m, s, p, d, k, op in zip(x.shape[2:], stride, padding, dilation, ws[2:], output_padding))
    if min(sizes) < 1:
        fmt = lambda v: " x ".join(str(e) for e in v)  # noqa: E731
        raise RuntimeError(f"Given input size per channel: ({fmt(x.shape[2:])}). Calculated output size per "
                           f"channel: ({fmt(sizes)}). Output size is too small")
    attrs = {"strides": stride, "pads": padding + padding, "dilations": dilation, "group": int(groups),
             "output_padding": output_padding}
    inputs = (x, weight) if bias is None else (x, weight, bias)
    out = apply("ConvTranspose", inputs, attrs)
    return out.squeeze(0) if unbatched else out


def conv_transpose1d(input, weight, bias=None, stride=1, padding=0, output_padding=0, groups=1, dilation=1):
    """1-D transposed convolution ("deconvolution") of (N, C_in, L) (or unbatched (C_in, L)) with
    weight (C_in, C_out/groups, k): the gradient of conv1d with respect to its input. Output length
    (L - 1) * stride - 2 * padding + dilation * (k - 1) + output_padding + 1."""
    return _conv_transpose(1, input, weight, bias, stride, padding, output_padding, groups, dilation)


def conv_transpose2d(input, weight, bias=None, stride=1, padding=0, output_padding=0, groups=1, dilation=1):
    """2-D transposed convolution of (N, C_in, H, W) (or unbatched (C_in, H, W)) with weight
    (C_in, C_out/groups, kh, kw): the gradient of conv2d with respect to its input."""
    return _conv_transpose(2, input, weight, bias, stride, padding, output_padding, groups, dilation)


class _ConvTransposeNd(Module):
    """What ConvTranspose1d and ConvTranspose2d share (PyTorch's _ConvTransposeNd): weight of shape
    (in_channels, out_channels/groups, *kernel_size), initialized as PyTorch's convolutions are."""

    _nd = 0

    def __init__(self, in_channels, out_channels, kernel_size, stride=1, padding=0, output_padding=0, groups=1,
                 bias=True, dilation=1, padding_mode="zeros", device=None, dtype=None):
        super().__init__()
        if device is not None:
            _check_device(device)
        dtype = dt.to_dtype(dtype) or dt.float32
        if padding_mode != "zeros":
            raise ValueError(f'Only "zeros" padding mode is supported for {type(self).__name__}')
        if groups <= 0:
            raise ValueError("groups must be a positive integer")
        if in_channels % groups != 0:
            raise ValueError("in_channels must be divisible by groups")
        if out_channels % groups != 0:
            raise ValueError("out_channels must be divisible by groups")
        if isinstance(padding, str):
            raise ValueError(f"padding={padding!r} is not supported for {type(self).__name__}; give the padding "
                             f"as an int or a tuple")
        nd = self._nd
        self.in_channels = in_channels
        self.out_channels = out_channels
        self.kernel_size = _tuple(kernel_size, nd, "kernel_size")
        self.stride = _tuple(stride, nd, "stride")
        self.padding = _tuple(padding, nd, "padding")
        self.dilation = _tuple(dilation, nd, "dilation")
        self.transposed = True
        self.output_padding = _tuple(output_padding, nd, "output_padding")
        self.groups = groups
        self.padding_mode = padding_mode
        self.weight = Parameter(empty((in_channels, out_channels // groups) + self.kernel_size, dtype=dtype))
        if bias:
            self.bias = Parameter(empty(out_channels, dtype=dtype))
        else:
            self.register_parameter("bias", None)
        self.reset_parameters()

    def reset_parameters(self):
        # PyTorch's _ConvNd.reset_parameters: fan_in of the (in, out/groups, *k) weight is out/groups * k
        from .layers import reset_conv_parameters   # layers imports functional, which imports this module
        reset_conv_parameters(self)

    def _output_padding(self, input, output_size):
        """output_padding that gives `output_size` (PyTorch's _ConvTransposeNd._output_padding)."""
        if output_size is None:
            return self.output_padding
        nd = self._nd
        output_size = [int(s) for s in output_size]
        has_batch = input.ndim == nd + 2
        if len(output_size) == nd + 2 or (len(output_size) == nd + 1 and not has_batch):
            output_size = output_size[-nd:]
        if len(output_size) != nd:
            raise ValueError(f"ConvTranspose{nd}D: for {input.ndim}D input, output_size must have {nd} or "
                             f"{nd + (2 if has_batch else 1)} elements (got {len(output_size)})")
        spatial = input.shape[-nd:]
        result = []
        for d in range(nd):
            low = ((spatial[d] - 1) * self.stride[d] - 2 * self.padding[d]
                   + self.dilation[d] * (self.kernel_size[d] - 1) + 1)
            high = low + self.stride[d] - 1
            if not low <= output_size[d] <= high:
                raise ValueError(f"requested an output size of {output_size}, but valid sizes range from "
                                 f"{[(spatial[i] - 1) * self.stride[i] - 2 * self.padding[i] + self.dilation[i] * (self.kernel_size[i] - 1) + 1 for i in range(nd)]} "  # noqa: E501
                                 f"to {[(spatial[i] - 1) * self.stride[i] - 2 * self.padding[i] + self.dilation[i] * (self.kernel_size[i] - 1) + self.stride[i] for i in range(nd)]} "  # noqa: E501
                                 f"(for an input of {list(spatial)})")
            result.append(output_size[d] - low)
        return tuple(result)

    def extra_repr(self):
        from .layers import conv_extra_repr
        return conv_extra_repr(self)


class ConvTranspose1d(_ConvTransposeNd):
    """1-D transposed convolution with weight (in, out/groups, k) and bias (out,); forward(input,
    output_size=None) picks the output_padding that gives output_size, as PyTorch's does."""

    _nd = 1

    def forward(self, input, output_size=None):
        output_padding = self._output_padding(input, output_size)
        return conv_transpose1d(input, self.weight, self.bias, self.stride, self.padding, output_padding,
                                self.groups, self.dilation)


class ConvTranspose2d(_ConvTransposeNd):
    """2-D transposed convolution with weight (in, out/groups, kh, kw) and bias (out,); forward(input,
    output_size=None) picks the output_padding that gives output_size, as PyTorch's does."""

    _nd = 2

    def forward(self, input, output_size=None):
        output_padding = self._output_padding(input, output_size)
        return conv_transpose2d(input, self.weight, self.bias, self.stride, self.padding, output_padding,
                                self.groups, self.dilation)


__all__ = ["ConvTranspose1d", "ConvTranspose2d"]

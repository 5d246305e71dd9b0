"""Lazy modules (`nn.LazyLinear(10)`, `nn.LazyConv2d(16, 3)`): layers whose input size is read from
the first batch they see, as the d2l book builds its models.

Until then their parameters are `UninitializedParameter`s (no shape, printed
`<UninitializedParameter>`). The first call materializes them with the input's size, initializes
them as the eager layer does, and turns the module into that layer (`LazyLinear` becomes
`Linear`), as PyTorch does; loading a state dict materializes them with the checkpoint's shapes.
"""
import itertools

from ..frontend import dtype as dt
from ..frontend.factories import empty, tensor
from ..frontend.grad_mode import no_grad
from ..frontend.tensor import Tensor, _check_device, _init_tensor
from .layers import Linear, Conv2d, Conv1d, BatchNorm1d, BatchNorm2d
from .module import Module, Parameter


class _Uninitialized:
    """What uninitialized parameters and buffers share: no shape until `materialize(shape)`."""
    __slots__ = ()  # the same layout as the class it becomes, so __class__ can change in place
    cls_to_become = None

    def materialize(self, shape, device=None, dtype=None):
        """Give the tensor storage of `shape` (uninitialized values) and make it a plain
        Parameter (or Tensor, for a buffer)."""
        self._data = empty(tuple(shape), dtype=dt.to_dtype(dtype) or self.dtype)._data
        self.__class__ = self.cls_to_become

    @property
    def shape(self):
        raise RuntimeError(
            "Can't access the shape of an uninitialized parameter or buffer. This error usually happens in "
            "`load_state_dict` when trying to load an uninitialized parameter into an initialized one. Call "
            "`forward` to initialize the parameters before accessing their attributes.")

    def detach(self):
        # a state_dict of a lazy module holds the uninitialized tensors themselves, as PyTorch's
        return self

    def __repr__(self):
        return f"<{type(self).__name__}>"

    __str__ = __repr__

    def __deepcopy__(self, memo):
        if id(self) not in memo:
            memo[id(self)] = type(self)(self.requires_grad, dtype=self.dtype)
        return memo[id(self)]


class UninitializedParameter(_Uninitialized, Parameter):
    """A parameter whose shape is not known yet; `materialize(shape)` makes it a Parameter."""
    _torch_name = "torch.nn.parameter.UninitializedParameter"
    cls_to_become = Parameter

    def __new__(cls, requires_grad=True, device=None, dtype=None):
        if device is not None:
            _check_device(device)
        return Parameter.__new__(cls, empty((0,), dtype=dt.to_dtype(dtype) or dt.float32), requires_grad)

    def __init__(self, requires_grad=True, device=None, dtype=None):
        pass


class UninitializedBuffer(_Uninitialized, Tensor):
    """A buffer whose shape is not known yet (a lazy BatchNorm's running statistics)."""
    __slots__ = ()
    _torch_name = "torch.nn.parameter.UninitializedBuffer"
    cls_to_become = Tensor

    def __new__(cls, requires_grad=False, device=None, dtype=None):
        if device is not None:
            _check_device(device)
        t = Tensor.__new__(cls)
        _init_tensor(t, empty((0,), dtype=dt.to_dtype(dtype) or dt.float32)._data, requires_grad)
        return t

    def __init__(self, requires_grad=False, device=None, dtype=None):
        pass


class LazyModuleMixin:
    """Shared by the lazy layers: a forward pre-hook that materializes the parameters from the
    first input (`initialize_parameters`), then becomes `cls_to_become`."""
    cls_to_become = None

    def _lazy_setup(self):
        self._initialize_hook = self.register_forward_pre_hook(self._infer_parameters)

    def has_uninitialized_params(self):
        """True while some parameter is still an UninitializedParameter."""
        return any(isinstance(t, _Uninitialized)
                   for t in itertools.chain(self._parameters.values(), self._buffers.values()))

    def _infer_parameters(self, module, args):
        self.initialize_parameters(*args)
        if self.has_uninitialized_params():
            raise RuntimeError(f"module {self._get_name()} has not been fully initialized")
        self._initialize_hook.remove()
        del self._initialize_hook
        if self.cls_to_become is not None:
            self.__class__ = self.cls_to_become

    def _upgrade_state_dict(self, state_dict, prefix, local_metadata):
        # loading a checkpoint fixes the shapes: materialize to them, so the copy can check and fill
        for name, t in itertools.chain(self._parameters.items(), self._buffers.items()):
            key = prefix + name
            if isinstance(t, _Uninitialized) and key in state_dict:
                t.materialize(state_dict[key].shape)
        super()._upgrade_state_dict(state_dict, prefix, local_metadata)


class LazyLinear(LazyModuleMixin, Linear):
    """Linear whose in_features is the last dimension of the first input."""
    cls_to_become = Linear

    def __init__(self, out_features, bias=True, device=None, dtype=None):
        Module.__init__(self)
        self.in_features = 0
        self.out_features = out_features
        self.weight = UninitializedParameter(device=device, dtype=dtype)
        if bias:
            self.bias = UninitializedParameter(device=device, dtype=dtype)
        else:
            self.register_parameter("bias", None)
        self._lazy_setup()

    def reset_parameters(self):
        if not self.has_uninitialized_params() and self.in_features != 0:
            super().reset_parameters()

    def initialize_parameters(self, input):
        if self.has_uninitialized_params():
            with no_grad():
                self.in_features = input.shape[-1]
                self.weight.materialize((self.out_features, self.in_features))
                if self.bias is not None:
                    self.bias.materialize((self.out_features,))
                self.reset_parameters()
        if self.in_features == 0:  # materialized by load_state_dict: the input confirms the size
            if input.shape[-1] != self.weight.shape[-1]:
                raise AssertionError(f"The in_features inferred from input: {input.shape[-1]} is not equal "
                                     f"to in_features from self.weight: {self.weight.shape[-1]}")
            self.in_features = input.shape[-1]


class _LazyConvMixin(LazyModuleMixin):
    """in_channels from dim 1 of a batched input (dim 0 of an unbatched one)."""
    _spatial = 2

    def _lazy_conv_params(self, bias, dtype):
        # the eager constructor ran with in_channels=0; its parameters give way to uninitialized ones
        self.weight = UninitializedParameter(dtype=dtype)
        if bias:
            self.bias = UninitializedParameter(dtype=dtype)
        self._lazy_setup()

    def reset_parameters(self):
        if not self.has_uninitialized_params() and self.in_channels != 0:
            super().reset_parameters()

    def initialize_parameters(self, input, *args, **kwargs):
        if not self.has_uninitialized_params():
            return
        batched = self._spatial + 2
        if input.ndim not in (batched - 1, batched):
            raise RuntimeError(f"Expected {batched - 1}D (unbatched) or {batched}D (batched) input to "
                               f"{self.cls_to_become.__name__}, but got input of size: {list(input.shape)}")
        self.in_channels = input.shape[1] if input.ndim == batched else input.shape[0]
        if self.in_channels % self.groups != 0:
            raise ValueError("in_channels must be divisible by groups")
        with no_grad():
            self.weight.materialize((self.out_channels, self.in_channels // self.groups) + tuple(self.kernel_size))
            if self.bias is not None:
                self.bias.materialize((self.out_channels,))
            self.reset_parameters()


class LazyConv2d(_LazyConvMixin, Conv2d):
    """Conv2d whose in_channels is read from the first input."""
    cls_to_become = Conv2d
    _spatial = 2

    def __init__(self, out_channels, kernel_size, stride=1, padding=0, dilation=1, groups=1, bias=True,
                 padding_mode="zeros", device=None, dtype=None):
        Conv2d.__init__(self, 0, out_channels, kernel_size, stride, padding, dilation, groups, bias,
                        padding_mode, device, dtype)
        self._lazy_conv_params(bias, dtype)


class LazyConv1d(_LazyConvMixin, Conv1d):
    """Conv1d whose in_channels is read from the first input."""
    cls_to_become = Conv1d
    _spatial = 1

    def __init__(self, out_channels, kernel_size, stride=1, padding=0, dilation=1, groups=1, bias=True,
                 padding_mode="zeros", device=None, dtype=None):
        Conv1d.__init__(self, 0, out_channels, kernel_size, stride, padding, dilation, groups, bias,
                        padding_mode, device, dtype)
        self._lazy_conv_params(bias, dtype)


class _LazyNormBase(LazyModuleMixin):
    """num_features from dim 1 of the first input; weight, bias and running statistics wait for it."""

    def _lazy_norm_init(self, eps, momentum, affine, track_running_stats, device, dtype, bias):
        # the eager constructor runs with no features and nothing to allocate, as PyTorch's
        type(self).cls_to_become.__init__(self, 0, eps, momentum, False, False, device, dtype, bias=False)
        self.affine = affine
        self.track_running_stats = track_running_stats
        if affine:
            self.weight = UninitializedParameter(dtype=dtype)
            if bias:
                self.bias = UninitializedParameter(dtype=dtype)
        if track_running_stats:
            self.running_mean = UninitializedBuffer(dtype=dtype)
            self.running_var = UninitializedBuffer(dtype=dtype)
            self.num_batches_tracked = tensor(0, dtype=dt.int64)
        self._lazy_setup()

    def reset_parameters(self):
        if not self.has_uninitialized_params() and self.num_features != 0:
            super().reset_parameters()

    def initialize_parameters(self, input):
        if self.has_uninitialized_params():
            self.num_features = input.shape[1]
            with no_grad():
                if self.affine:
                    self.weight.materialize((self.num_features,))
                    if self.bias is not None:
                        self.bias.materialize((self.num_features,))
                if self.track_running_stats:
                    self.running_mean.materialize((self.num_features,))
                    self.running_var.materialize((self.num_features,))
                self.reset_parameters()


class LazyBatchNorm1d(_LazyNormBase, BatchNorm1d):
    """BatchNorm1d whose num_features is read from the first input."""
    cls_to_become = BatchNorm1d

    def __init__(self, eps=1e-5, momentum=0.1, affine=True, track_running_stats=True, device=None, dtype=None,
                 *, bias=True):
        self._lazy_norm_init(eps, momentum, affine, track_running_stats, device, dtype, bias)


class LazyBatchNorm2d(_LazyNormBase, BatchNorm2d):
    """BatchNorm2d whose num_features is read from the first input."""
    cls_to_become = BatchNorm2d

    def __init__(self, eps=1e-5, momentum=0.1, affine=True, track_running_stats=True, device=None, dtype=None,
                 *, bias=True):
        self._lazy_norm_init(eps, momentum, affine, track_running_stats, device, dtype, bias)


__all__ = ["UninitializedParameter", "UninitializedBuffer", "LazyModuleMixin", "LazyLinear", "LazyConv1d",
           "LazyConv2d", "LazyBatchNorm1d", "LazyBatchNorm2d"]

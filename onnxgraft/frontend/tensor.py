"""`Tensor`: a numpy array with PyTorch's autograd semantics.

A Tensor holds `_data` (a numpy array; a `SymbolicArray` while a capture records it),
`requires_grad`, `grad`, `grad_fn`, and a version counter `_vc` (a one-element list shared with
`detach()` and views, as PyTorch shares it). Ops go through `node.apply`, which runs the registry
kernel and records a grad_fn; torch-style methods map their arguments onto ONNX ops there.
"""
import builtins
import warnings
import weakref

import numpy as np

from ..ir.opmixin import OpMixin
from ..ir import dtypes as ir_dtypes
from . import dtype as dt
from .grad_mode import STATE
from .node import apply, AccumulateGrad, BackwardNode
from .printing import format_tensor
from .tensor_math import MathMethods
from .tensor_combine import CombineMethods
from .tensor_scatter import ScatterMethods
from .tensor_misc import MiscMethods


class _TensorType(type):
    """Prints Tensor classes as PyTorch names them (`print(type(x))` gives <class 'torch.Tensor'>),
    while __module__ stays true so that pickling and introspection find onnxgraft's classes."""

    def __repr__(cls):
        name = cls.__dict__.get("_torch_name") or getattr(cls, "_torch_name_inherited", None)
        return f"<class '{name}'>" if name else super().__repr__()


class Size(tuple, metaclass=_TensorType):
    """torch.Size: a tuple of ints that prints as `torch.Size([2, 3])`."""
    __slots__ = ()
    _torch_name = "torch.Size"

    # concatenation and repetition stay torch.Size, from either side, as PyTorch's do
    def __add__(self, other):
        return Size(tuple.__add__(self, other)) if isinstance(other, tuple) else NotImplemented

    def __radd__(self, other):
        return Size(other + tuple(self)) if isinstance(other, tuple) else NotImplemented

    def __mul__(self, n):
        return Size(tuple.__mul__(self, n))

    __rmul__ = __mul__

    def __repr__(self):
        return f"torch.Size([{', '.join(map(str, self))}])"

    __str__ = __repr__

    def __getitem__(self, index):
        item = tuple.__getitem__(self, index)
        return Size(item) if isinstance(index, slice) else item

    def numel(self):
        return int(np.prod(self, dtype=np.int64))


# numpy 2's `dtype.name` is computed in Python (about 1.5 us a call, several calls per op); a dict
# keyed by the numpy dtype object answers in a hash lookup
_DTYPE_OF_NP = {np.dtype(name): d for name, d in dt.BY_NAME.items()}


def _wrap(array, requires_grad=False, grad_fn=None):
    """Fast constructor used by every op: no checks, no copies."""
    t = object.__new__(Tensor)  # skips Tensor.__new__'s Python frame; the same object results
    t._data = array
    t._requires_grad = requires_grad
    t.grad_fn = grad_fn
    t._grad = None
    t._vc = [0]
    t._output_nr = 0
    t._hooks = None
    t._accum = None
    t._base = None
    t._inference = False
    t._retains_grad = False
    return t


def _fused_alpha(a, b, alpha, kind):
    """a.add(b, alpha=...) / a.sub(b, alpha=...) rounded once, as PyTorch's fused multiply-add
    kernel rounds it, where nothing is recorded (eager, no gradient: an optimizer's update); None
    elsewhere, and the op is then composed of Mul and Add so autograd and capture see it."""
    if alpha == 1 or not isinstance(b, Tensor) or STATE.tracer is not None or STATE.inference:
        return None
    if STATE.grad_enabled and (a._requires_grad or b._requires_grad):
        return None
    from .inplace import fused_alpha
    out = fused_alpha(a._data, b._data, alpha, kind)
    return None if out is None else _wrap(out)


# the engine module, bound on first backward: it imports this module, and an import statement
# inside backward() costs about 0.7 us a call
_engine = None


def _bind_engine():
    global _engine
    from . import engine
    _engine = engine


_NON_LEAF_GRAD_WARNING = (
    "The .grad attribute of a Tensor that is not a leaf Tensor is being accessed. Its .grad attribute "
    "won't be populated during autograd.backward(). If you indeed want the .grad field to be populated "
    "for a non-leaf Tensor, use .retain_grad() on the non-leaf Tensor. If you access the non-leaf "
    "Tensor by mistake, make sure you access the leaf Tensor instead. See "
    "github.com/pytorch/pytorch/pull/30531 for more information.")


# 0-d arrays for the Python numbers that meet floating tensors (x * 2, 1 - x), per (number,
# numpy dtype): made once and shared read-only, instead of an np.asarray on every op. 0.0 and
# -0.0 are equal keys, so zero is not cached; the dict is emptied when full (a learning rate that
# changes every step would otherwise grow it).
_SCALAR_ARRAYS = {}


def _scalar_array(value, np_dtype):
    key = (value, np_dtype)
    arr = _SCALAR_ARRAYS.get(key)
    if arr is None:
        arr = np.asarray(value, dtype=np_dtype)
        if value:
            if len(_SCALAR_ARRAYS) >= 256:
                _SCALAR_ARRAYS.clear()
            arr.flags.writeable = False
            _SCALAR_ARRAYS[key] = arr
    return arr


def _dims(args):
    """Accept f(2, 3), f((2, 3)) and f([2, 3]) as PyTorch does."""
    if len(args) == 1 and isinstance(args[0], (tuple, list, Size)):
        return tuple(int(a) for a in args[0])
    return tuple(int(a) for a in args)


def _norm_dims(dim, ndim):
    if dim is None:
        return None
    dims = (dim,) if isinstance(dim, (int, np.integer)) else tuple(dim)
    for d in dims:
        if not -max(ndim, 1) <= d < max(ndim, 1):
            raise IndexError(f"Dimension out of range (expected to be in range of "
                             f"[{-max(ndim, 1)}, {max(ndim, 1) - 1}], but got {d})")
    return tuple(int(d) % max(ndim, 1) for d in dims)


def _arithmetic(name, op, reverse=False):
    """Tensor's `+`, `-`, `*` (OpMixin's operators), with the same-dtype fast path of `_binary`
    inlined: these are the commonest ops, and the inlining saves a Python call on each."""
    def operator(self, other):
        if isinstance(other, Tensor) and self._data.dtype is other._data.dtype:
            return apply(op, (other, self) if reverse else (self, other), {}, None)
        return self._binary(op, other, reverse)
    operator.__name__ = name
    operator.__qualname__ = "Tensor." + name
    return operator


class Tensor(OpMixin, MathMethods, CombineMethods, ScatterMethods, MiscMethods, metaclass=_TensorType):
    __slots__ = ("_data", "_requires_grad", "grad_fn", "_grad", "_vc", "_output_nr", "_hooks",
                 "_accum", "_base", "_inference", "_retains_grad", "_view_src", "__weakref__")
    _torch_name = "torch.Tensor"

    # -- construction ------------------------------------------------------------------------
    def __new__(cls, *args, **kwargs):
        return super().__new__(cls)

    def __init__(self, *args, dtype=None, requires_grad=False):
        """Legacy constructor: `Tensor([1., 2.])` copies data as float32; `Tensor(2, 3)` makes a
        (zero-filled) tensor of that shape."""
        if len(args) == 1 and not isinstance(args[0], (int, np.integer)):
            data = args[0]
            arr = np.array(data._data if isinstance(data, Tensor) else data, dtype=dtype or np.float32)
        else:
            arr = np.zeros(_dims(args), dtype=dtype or np.float32)
        _init_tensor(self, arr, requires_grad)

    # -- metadata ----------------------------------------------------------------------------
    @property
    def shape(self):
        return Size(self._data.shape)

    def size(self, dim=None):
        if dim is None:
            return Size(self._data.shape)
        return self._data.shape[_norm_dims(dim, self._data.ndim)[0]]

    @property
    def dtype(self):
        d = self._data.dtype
        try:
            return _DTYPE_OF_NP[d]
        except (KeyError, TypeError):  # non-native byte order, or a capture's symbolic dtype
            return dt.BY_NAME[d.name]

    @property
    def ndim(self):
        return self._data.ndim

    def dim(self):
        return self._data.ndim

    ndimension = dim

    def numel(self):
        return int(self._data.size)

    nelement = numel

    def element_size(self):
        return self._data.itemsize

    @property
    def itemsize(self):
        return self._data.itemsize

    @property
    def nbytes(self):
        """Bytes the elements take (numel * element_size), as PyTorch's `Tensor.nbytes`."""
        return int(self._data.size) * self._data.itemsize

    def is_signed(self):
        return self.dtype.is_signed

    def data_ptr(self):
        """Address of the first element: views that share memory (numpy views) share addresses."""
        return self._data.__array_interface__["data"][0]

    def storage_offset(self):
        """Elements between the start of the storage a view shares and this tensor's first element
        (0 for a tensor that owns its data, as PyTorch)."""
        base = self._base
        if base is None or self._data.size == 0 or not np.shares_memory(self._data, base._data):
            return 0
        return (self.data_ptr() - base.data_ptr()) // self._data.itemsize

    @property
    def device(self):
        return _CPU

    @property
    def is_cuda(self):
        return False

    def is_floating_point(self):
        return self._data.dtype.kind == "f"

    def is_inference(self):
        return self._inference

    def __len__(self):
        if self._data.ndim == 0:
            raise TypeError("len() of a 0-d tensor")
        return self._data.shape[0]

    # -- autograd attributes -------------------------------------------------------------------
    @property
    def requires_grad(self):
        return self._requires_grad

    @requires_grad.setter
    def requires_grad(self, flag):
        self.requires_grad_(flag)

    def requires_grad_(self, requires_grad=True):
        if self.grad_fn is not None:
            if not requires_grad:
                raise RuntimeError(
                    "you can only change requires_grad flags of leaf variables. If you want to use a "
                    "computed variable in a subgraph that doesn't require differentiation use "
                    "var_no_grad = var.detach().")
            return self
        if requires_grad and self._data.dtype.kind != "f":
            raise RuntimeError("only Tensors of floating point dtype can require gradients")
        if requires_grad and self._inference and not STATE.inference:
            raise RuntimeError("Setting requires_grad=True on inference tensor outside InferenceMode is "
                               "not allowed.")
        self._requires_grad = bool(requires_grad)
        return self

    @property
    def is_leaf(self):
        return self.grad_fn is None

    @property
    def grad(self):
        if self.grad_fn is not None and not self._retains_grad:
            warnings.warn(_NON_LEAF_GRAD_WARNING, UserWarning, stacklevel=2)
        return self._grad

    @grad.setter
    def grad(self, value):
        if value is not None:
            if not isinstance(value, Tensor):
                raise TypeError(f"assigned grad expected to be a Tensor or None but got grad of type "
                                f"{type(value).__name__}")
            if value.shape != self.shape:
                raise RuntimeError(f"attempting to assign a gradient of size '[{', '.join(map(str, value.shape))}]' "
                                   f"to a tensor of size '[{', '.join(map(str, self.shape))}]'. Please ensure "
                                   "that the gradient and the tensor are the same size")
            if value.dtype != self.dtype:
                raise RuntimeError(
                    f"attempting to assign a gradient with dtype '{dt.C_NAMES[value.dtype]}' to a tensor "
                    f"with grad_dtype '{dt.LEGACY[self.dtype]}'. The gradient must match the tensor's "
                    "grad_dtype (defaults to the tensor's dtype). You can set the tensor's grad_dtype "
                    "attribute with a specific dtype, or None to allow any dtype. Set grad_dtype with "
                    "caution. Diverging the dtypes of a tensor and its gradient may break downstream "
                    "systems that assume they match.")
        if STATE.tracer is not None:
            STATE.tracer.note_grad(self)  # a capture gives every .grad back as it found it
        self._grad = value

    @property
    def layout(self):
        return dt.strided

    @property
    def _version(self):
        if self._inference:
            raise RuntimeError("Inference tensors do not track version counter.")
        return self._vc[0]

    @property
    def output_nr(self):
        return self._output_nr

    @property
    def retains_grad(self):
        return self._retains_grad

    def _accumulator(self):
        """The AccumulateGrad node of this leaf (one per leaf, held weakly, as in PyTorch)."""
        acc = self._accum() if self._accum is not None else None
        if acc is None:
            acc = AccumulateGrad(self)
            self._accum = weakref.ref(acc)
        return acc

    def retain_grad(self):
        if not self._requires_grad:
            raise RuntimeError("can't retain_grad on Tensor that has requires_grad=False")
        if self.grad_fn is not None and not self._retains_grad:
            fn = self.grad_fn
            if fn._retained is None:
                fn._retained = {}
            fn._retained[self._output_nr] = weakref.ref(self)
            self._retains_grad = True

    def register_hook(self, hook):
        if not self._requires_grad:
            raise RuntimeError("cannot register a hook on a tensor that doesn't require gradient")
        if self.grad_fn is not None:
            return self.grad_fn._add_pre_hook(self._output_nr, hook)
        if self._hooks is None:
            self._hooks = {"pre": [], "post": []}
        self._hooks["pre"].append(hook)
        from .node import _RemovableHandle
        return _RemovableHandle(self._hooks["pre"], hook)

    def register_post_accumulate_grad_hook(self, hook):
        if self.grad_fn is not None:
            raise RuntimeError("post accumulate grad hooks cannot be registered on non-leaf tensors")
        if self._hooks is None:
            self._hooks = {"pre": [], "post": []}
        self._hooks["post"].append(hook)
        from .node import _RemovableHandle
        return _RemovableHandle(self._hooks["post"], hook)

    def backward(self, gradient=None, retain_graph=None, create_graph=False, inputs=None):
        """Accumulate d(self)/d(leaf) into each leaf's `.grad` (see autograd.backward)."""
        if _engine is None:
            _bind_engine()
        _engine.backward(self, None if gradient is None else [gradient], retain_graph,
                         create_graph, inputs)

    # -- data access -----------------------------------------------------------------------------
    @property
    def data(self):
        """A tensor sharing this one's storage, outside autograd (its own version counter)."""
        return _wrap(self._data)

    @data.setter
    def data(self, value):
        self._data = value._data if isinstance(value, Tensor) else np.asarray(value)

    def detach(self):
        if STATE.tracer is not None:
            # a captured graph needs a node where gradients stop (the value itself is unchanged)
            return apply("StopGradient", (self,), {})
        t = _wrap(self._data)
        t._vc = self._vc
        t._inference = self._inference
        return t

    def detach_(self):
        if self._base is not None:
            # PyTorch's full text (its DDP hint included), so the printed error matches
            raise RuntimeError(
                "Can't detach views in-place. Use detach() instead. If you are using DistributedDataParallel "
                "(DDP) for training, and gradient_as_bucket_view is set as True, gradients are views of DDP "
                "buckets, and hence detach_() cannot be called on these gradients. To fix this error, please "
                "refer to the Optimizer.zero_grad() function in torch/optim/optimizer.py as the solution.")
        self.grad_fn = None
        self._requires_grad = False
        return self

    def numpy(self, force=False):
        if self._requires_grad and not force:
            raise RuntimeError("Can't call numpy() on Tensor that requires grad. Use "
                               "tensor.detach().numpy() instead.")
        if STATE.tracer is not None and hasattr(type(self._data), "_value_needed"):
            # under capture the data is symbolic: say so here, not when the caller uses it
            self._data._value_needed("tensor.numpy()")
        return self._data

    def item(self):
        if self._data.size != 1:
            raise RuntimeError(f"a Tensor with {self._data.size} elements cannot be converted to Scalar")
        return self._data.reshape(()).item()

    def tolist(self):
        return self._data.tolist()

    def __float__(self):
        if self._data.size != 1:
            raise ValueError("only one element tensors can be converted to Python scalars")
        if self._requires_grad and STATE.grad_enabled:
            # PyTorch warns once per process (and not under no_grad, where LBFGS reads its loss);
            # Python's default filter shows it once per call site
            warnings.warn("Converting a tensor with requires_grad=True to a scalar may lead to "
                          "unexpected behavior.\nConsider using tensor.detach() first.", UserWarning,
                          stacklevel=2)
        return builtins.float(self.item())

    def __int__(self):
        if self._data.size != 1:
            raise ValueError("only one element tensors can be converted to Python scalars")
        return builtins.int(self.item())

    def __index__(self):
        if self._data.dtype.kind not in "iu" or self._data.size != 1:
            raise TypeError("only integer tensors of a single element can be converted to an index")
        return builtins.int(self.item())

    def __bool__(self):
        if self._data.size != 1:
            raise RuntimeError("Boolean value of Tensor with no values is ambiguous" if self._data.size == 0
                               else "Boolean value of Tensor with more than one value is ambiguous")
        return builtins.bool(self.item())

    def __format__(self, spec):
        if self._data.ndim == 0:
            return self.item().__format__(spec)
        return object.__format__(self, spec)

    def __array__(self, dtype=None, copy=None):
        if self._requires_grad:  # np.array(t) goes through numpy(), as in PyTorch
            raise RuntimeError("Can't call numpy() on Tensor that requires grad. Use tensor.detach().numpy() "
                               "instead.")
        return self._data if dtype is None else self._data.astype(dtype)

    def __array_wrap__(self, array, context=None, return_scalar=False):
        """numpy ufuncs of a tensor give a tensor (`np.exp(t)`, `np.greater(t, 0)`), as PyTorch's
        do: sharing the result's memory, and a bool result as uint8 (PyTorch's workaround)."""
        from .factories import from_numpy
        array = np.asarray(array)
        return from_numpy(array.astype(np.uint8) if array.dtype == np.bool_ else array)

    def __repr__(self, *, tensor_contents=None):
        suffixes = []
        if self.grad_fn is not None:
            suffixes.append(f"grad_fn=<{type(self.grad_fn).__name__}>")
        elif self._requires_grad:
            suffixes.append("requires_grad=True")
        return format_tensor(np.asarray(self._data), suffixes=suffixes)

    __str__ = __repr__

    def __iter__(self):
        if self._data.ndim == 0:
            raise TypeError("iteration over a 0-d tensor")
        return (self[i] for i in range(self._data.shape[0]))

    __hash__ = object.__hash__

    def __reduce_ex__(self, proto):
        raise TypeError("onnxgraft tensors are not pickled (loading a pickle can run code); use "
                        "onnxgraft.save / onnxgraft.load")

    def __deepcopy__(self, memo):
        # copy.deepcopy(model) is common (best-model snapshots); like PyTorch, leaves only
        if self.grad_fn is not None:
            raise RuntimeError("Only Tensors created explicitly by the user (graph leaves) support the "
                               "deepcopy protocol at the moment.  If you were attempting to deepcopy a "
                               "module, this may be because of a torch.nn.utils.weight_norm usage, see "
                               "https://github.com/pytorch/pytorch/pull/103001")
        if id(self) in memo:
            return memo[id(self)]
        new = _wrap(self._data.copy(), self._requires_grad)
        memo[id(self)] = new
        if self._grad is not None:
            new._grad = self._grad.__deepcopy__(memo)
        return new

    # -- the OpMixin contract ------------------------------------------------------------------------
    def _const(self, array):
        return _wrap(np.asarray(array))

    def _op(self, op, *inputs, _name=None, **attrs):
        return apply(op, inputs, attrs, _name)

    def _operands(self, other, reverse=False):
        # Fast paths for the two common cases of an eager program, where OpMixin's generic
        # lifting and promotion would cost more than a small op itself (bench/eager_overhead.py):
        # a tensor of the same dtype (nothing to promote), and a Python int or float meeting a
        # floating tensor (the tensor's dtype wins; the 0-d constant comes from a cache).
        if isinstance(other, Tensor):
            if self._data.dtype is other._data.dtype:
                return (other, self) if reverse else (self, other)
        elif (type(other) is float or type(other) is int) and STATE.tracer is None:
            np_dtype = self._data.dtype
            if np_dtype.kind == "f":
                c = _wrap(_scalar_array(other, np_dtype))
                return (c, self) if reverse else (self, c)
        return OpMixin._operands(self, other, reverse)

    def _binary(self, op, other, reverse=False, _name=None):
        if isinstance(other, Tensor) and self._data.dtype is other._data.dtype:
            # _operands's first fast path, repeated here to save a call on the commonest op
            return apply(op, (other, self) if reverse else (self, other), {}, _name)
        a, b = self._operands(other, reverse)
        return apply(op, (a, b), {}, _name)

    def sum_to(self, shape):
        # every broadcasting VJP calls this, nearly always with the tensor's own shape: compared
        # on the numpy shape, as self.shape would build a torch.Size first
        if self._data.shape == shape:
            return self
        return OpMixin.sum_to(self, shape)

    __add__ = _arithmetic("__add__", "Add")
    __radd__ = _arithmetic("__radd__", "Add", reverse=True)
    _plain_sub = _arithmetic("__sub__", "Sub")

    def __sub__(self, other):
        if self._data.dtype.kind == "b" or type(other) is builtins.bool or (
                isinstance(other, Tensor) and other._data.dtype.kind == "b"):
            _refuse_bool_sub(self, other)
        return self._plain_sub(other)

    def __rsub__(self, other):
        if self._data.dtype.kind == "b" or type(other) is builtins.bool:
            _refuse_bool_sub(self, other)
        return OpMixin.__rsub__(self, other)

    def __neg__(self):
        if self._data.dtype.kind == "b":
            raise RuntimeError("Negation, the `-` operator, on a bool tensor is not supported. If you are "
                               "trying to invert a mask, use the `~` or `logical_not()` operator instead.")
        return OpMixin.__neg__(self)

    __mul__ = _arithmetic("__mul__", "Mul")
    __rmul__ = _arithmetic("__rmul__", "Mul", reverse=True)

    # -- torch-named math ------------------------------------------------------------------------------
    def add(self, other, *, alpha=1):
        fused = _fused_alpha(self, other, alpha, "add")
        if fused is not None:
            return fused
        return self + (other * alpha if alpha != 1 else other)

    def sub(self, other, *, alpha=1):
        fused = _fused_alpha(self, other, alpha, "sub")
        if fused is not None:
            return fused
        return self - (other * alpha if alpha != 1 else other)

    subtract = sub

    def mul(self, other):
        return self * other

    multiply = mul

    def div(self, other, *, rounding_mode=None):
        if rounding_mode is None:
            return self / other
        if rounding_mode not in ("floor", "trunc"):
            raise ValueError(f"div expected rounding_mode to be one of None, 'trunc', or 'floor' but found "
                             f"'{rounding_mode}'")
        a, b = self._operands(other)
        a._refuse_bool(f"div_{rounding_mode}_cpu")
        if not a.is_floating_point():
            # integer operands keep their dtype and divide exactly (the IR's integer Div floors)
            a._int_divisor(b)
            q = apply("Div", (a, b), {}, None)
            if rounding_mode == "trunc":  # a floored quotient with a remainder and mixed signs is one low
                q = where((q * b != a) & ((a < 0) != (b < 0)), q + 1, q)
            return q
        if rounding_mode == "trunc":
            return (a / b).trunc()._renamed("DivBackward2")
        # Python's floor division (PyTorch's too) divides a - (a mod b), an exact multiple of b,
        # rather than flooring a / b: 1.0 // 0.1 is 9.0, where floor(1.0 / 0.1) would give 10.0
        exact = ((a - apply("Mod", (a, b), {"fmod": 0}, None)) / b).round()
        exact = where(exact == 0, a / b * 0, exact)  # a zero quotient takes a / b's sign (-0.0 // 0.1)
        return where(b == 0, a / b, exact)._renamed("DivBackward2")

    def _refuse_bool(self, kernel):
        if self._data.dtype.kind == "b":
            raise NotImplementedError(f"\"{kernel}\" not implemented for 'Bool'")

    def _int_divisor(self, divisor):
        # an integer division by zero has no answer: PyTorch raises (floats give inf or NaN)
        if STATE.tracer is None and divisor._data.dtype.kind in "iu" and np.any(divisor._data == 0):
            raise RuntimeError("ZeroDivisionError")

    def floor_divide(self, other):
        return self.div(other, rounding_mode="floor")

    divide = div
    true_divide = div

    def __pow__(self, other):
        if isinstance(other, (int, np.integer)) and other < 0 and self._data.dtype.kind in "iub":
            # PyTorch refuses a negative number exponent of an integer tensor (a tensor of
            # negative exponents is computed: see the Pow kernel)
            raise RuntimeError("Integers to negative integer powers are not allowed.")
        return OpMixin.__pow__(self, other)

    def pow(self, exponent):
        return self ** exponent

    def neg(self):
        return -self

    negative = neg

    def square(self):
        return self ** 2  # PowBackward0, as in PyTorch

    def rsqrt(self):
        return self.sqrt().reciprocal()._renamed("RsqrtBackward0")

    def __rtruediv__(self, other):
        # PyTorch's `number / t` is `t.reciprocal() * number` (MulBackward0 after ReciprocalBackward0)
        x = self if self.is_floating_point() else self.to(dt.float32)
        return x.reciprocal() * other

    # floor, ceil, round, trunc, frac: tensor_math.MathMethods (registry ops with zero gradients)

    def mm(self, other):
        if self.ndim != 2 or getattr(other, "ndim", 0) != 2:
            raise RuntimeError("self must be a matrix" if self.ndim != 2 else "mat2 must be a matrix")
        return self @ other  # 2-D @ 2-D: MatMul named MmBackward0, with PyTorch's dtype checks

    def matmul(self, other):
        return self @ other

    def __matmul__(self, other):
        a, b = self, other if isinstance(other, Tensor) else _wrap(np.asarray(other))
        if a.dtype != b.dtype:  # matmul does not promote in PyTorch
            raise RuntimeError(_matmul_dtype_message(a, b))
        # PyTorch's matmul dispatches by rank (mm, mv, dot; batches fold into mm or bmm and are
        # viewed back: UnsafeViewBackward0), and the result's grad_fn is the last step's
        name = "MmBackward0" if a.ndim == 2 and b.ndim == 2 else (
            "DotBackward0" if a.ndim == 1 and b.ndim == 1 else
            "MvBackward0" if a.ndim == 2 and b.ndim == 1 else
            "SqueezeBackward4" if a.ndim == 1 else
            "CloneBackward0" if a.ndim == 2 else "UnsafeViewBackward0")
        return apply("MatMul", (a, b), {}, name)

    def dot(self, other):
        if self.ndim != 1 or getattr(other, "ndim", 1) != 1:
            raise RuntimeError(f"1D tensors expected, but got {self.ndim}D and {other.ndim}D tensors")
        return self @ other

    def __eq__(self, other):
        if isinstance(other, (list, tuple, str)):
            # PyTorch's `==` declines a list (NotImplemented), so Python answers False by identity
            return NotImplemented
        return self._binary("Equal", other)

    def __ne__(self, other):
        if isinstance(other, (list, tuple, str)):
            return NotImplemented
        return self._binary("Equal", other).logical_not()

    def __abs__(self):
        return self.abs()

    def ne(self, other):
        return self != other

    def gt(self, other):
        return self > other

    def lt(self, other):
        return self < other

    def ge(self, other):
        return self >= other

    def le(self, other):
        return self <= other

    def __and__(self, other):
        return self._binary("And", other)

    def __or__(self, other):
        return self._binary("Or", other)

    def __xor__(self, other):
        return self.logical_xor(other)

    def __invert__(self):
        return self.logical_not()

    def __mod__(self, other):
        return self.remainder(other)

    def __rmod__(self, other):
        a, b = self._operands(other, reverse=True)
        return a._modulo(b, 0, "RemainderBackward1")

    def __floordiv__(self, other):
        return self.div(other, rounding_mode="floor")

    def __rfloordiv__(self, other):
        a, b = self._operands(other, reverse=True)
        return a.div(b, rounding_mode="floor")

    # -- reductions ----------------------------------------------------------------------------------
    def sum(self, dim=None, keepdim=False, *, dtype=None):
        x = self.to(dtype) if dtype is not None else self
        axes = _norm_dims(dim, x.ndim)
        return apply("ReduceSum", (x,), {"axes": axes, "keepdims": int(keepdim)},
                     "SumBackward0" if dim is None else "SumBackward1")

    def mean(self, dim=None, keepdim=False, *, dtype=None):
        x = self.to(dtype) if dtype is not None else self
        if not x.is_floating_point():
            which = "Input" if dtype is None else "Optional"
            raise RuntimeError(f"mean(): could not infer output dtype. {which} dtype must be either a "
                               f"floating point or complex dtype. Got: {dt.LEGACY[x.dtype]}")
        axes = _norm_dims(dim, x.ndim)
        return apply("ReduceMean", (x,), {"axes": axes, "keepdims": int(keepdim)},
                     "MeanBackward0" if dim is None else "MeanBackward1")

    def max(self, dim=None, keepdim=False):
        if isinstance(dim, Tensor):
            return maximum(self, dim)
        if dim is None:
            _check_full_reduction(self, "max")
            return apply("ReduceMax", (self,), {"axes": None, "keepdims": 0}, "MaxBackward1")
        axes = _norm_dims(dim, self.ndim)
        _check_dim_reduction(self, "max", axes)
        return self._selecting_reduction("ReduceMax", axes, keepdim, self.argmax(dim, True), "MaxBackward0")

    def min(self, dim=None, keepdim=False):
        if isinstance(dim, Tensor):
            return self.minimum(dim)
        if dim is None:
            _check_full_reduction(self, "min")
            return apply("ReduceMin", (self,), {"axes": None, "keepdims": 0}, "MinBackward1")
        axes = _norm_dims(dim, self.ndim)
        _check_dim_reduction(self, "min", axes)
        return self._selecting_reduction("ReduceMin", axes, keepdim, self.argmin(dim, True), "MinBackward0",
                                         "min")

    def _selecting_reduction(self, op, axes, keepdim, index, grad_name, kind="max"):
        """max(dim)/min(dim): (values, indices). select=1 sends the whole gradient to the element at
        the returned index, as PyTorch's value_selecting_reduction_backward does (amax/amin and
        max() split it between ties)."""
        indices = index if keepdim else index.squeeze(axes[0])
        values = apply(op, (self,), {"axes": axes, "keepdims": int(keepdim), "select": 1}, grad_name)
        return _MinMax(values, indices, kind)

    def amax(self, dim=None, keepdim=False):
        _check_dim_reduction(self, "amax", dim)
        return apply("ReduceMax", (self,), {"axes": _norm_dims(dim, self.ndim), "keepdims": int(keepdim)},
                     "AmaxBackward0")

    def amin(self, dim=None, keepdim=False):
        _check_dim_reduction(self, "amin", dim)
        return apply("ReduceMin", (self,), {"axes": _norm_dims(dim, self.ndim), "keepdims": int(keepdim)},
                     "AminBackward0")

    def argmax(self, dim=None, keepdim=False):
        if dim is None:
            _check_full_reduction(self, "argmax")
            return apply("ArgMax", (self.reshape(-1),), {"axis": 0, "keepdims": 0})
        _check_dim_reduction(self, "argmax", dim)
        return apply("ArgMax", (self,), {"axis": _norm_dims(dim, self.ndim)[0], "keepdims": int(keepdim)})

    def argmin(self, dim=None, keepdim=False):
        if dim is None:
            _check_full_reduction(self, "argmin")
            return apply("ArgMin", (self.reshape(-1),), {"axis": 0, "keepdims": 0})
        _check_dim_reduction(self, "argmin", dim)
        return apply("ArgMin", (self,), {"axis": _norm_dims(dim, self.ndim)[0], "keepdims": int(keepdim)})

    def norm(self, p="fro", dim=None, keepdim=False, dtype=None):
        if self._data.dtype.kind in "iub":  # PyTorch's norm runs linalg's, which refuses integers
            from ..linalg import _require_float
            _require_float("linalg.matrix_norm" if p == "nuc" else "linalg.vector_norm", self)
        if dtype is not None:
            return self.to(dtype).norm(p, dim, keepdim)
        if p == "nuc":
            from ..linalg import matrix_norm
            return matrix_norm(self, p, (-2, -1) if dim is None else dim, keepdim)
        if p not in ("fro", 2, 2.0, 1, 1.0, float("inf"), "inf"):
            from ..linalg import vector_norm  # p = 0, -inf and the general p, as PyTorch's norm does
            return vector_norm(self, p, dim, keepdim)
        if p in ("fro", 2, 2.0):
            # sqrt's derivative is infinite at 0; PyTorch's norm gives a zero vector a zero gradient.
            # Both selects keep the 0 * inf of the unselected branch out of the chain.
            sq = (self * self).sum(dim, keepdim)
            zero = sq == 0
            root = where(zero, 1, sq).sqrt()
            return where(zero, 0, root)._renamed("LinalgVectorNormBackward0")
        if p in (1, 1.0):
            return self.abs().sum(dim, keepdim)._renamed("LinalgVectorNormBackward0")
        if p in (float("inf"), "inf"):
            return self.abs().amax(dim, keepdim)._renamed("LinalgVectorNormBackward0")

    def det(self):
        from ..linalg import det
        return det(self)

    def inverse(self):
        from ..linalg import inv
        return inv(self)

    def var(self, dim=None, unbiased=True, keepdim=False, *, correction=None):
        if not self.is_floating_point():
            raise RuntimeError("std and var only support floating point and complex dtypes")
        correction = (1 if unbiased else 0) if correction is None else correction
        mean = self.mean(dim, keepdim=True)
        n = self.numel() if dim is None else int(np.prod([self.shape[d] for d in _norm_dims(dim, self.ndim)]))
        return (((self - mean) ** 2).sum(dim, keepdim) / max(n - correction, 0))._renamed("VarBackward0")

    def std(self, dim=None, unbiased=True, keepdim=False, *, correction=None):
        return self.var(dim, unbiased, keepdim, correction=correction).sqrt()._renamed("StdBackward0")

    def prod(self, dim=None, keepdim=False):
        if not (self._requires_grad and STATE.grad_enabled) and STATE.tracer is None:
            out = np.prod(self._data, axis=dim, keepdims=keepdim)
            return _wrap(np.asarray(out, dtype=np.int64 if self._data.dtype.kind in "biu" else out.dtype))
        # Pairwise products along the reduced axis (moved last): log2(n) rounds of
        # x[..., 0::2] * x[..., 1::2]. Exact for zeros and negatives, where exp(sum(log x)) is not,
        # and every round is a Mul, whose gradient is the product of the other factors.
        x = self.reshape(-1) if dim is None else self
        d = 0 if dim is None else _norm_dims(dim, self.ndim)[0]
        if d != x.ndim - 1:
            x = x.transpose(d, -1)
        while x.shape[-1] != 1:
            if x.shape[-1] % 2 or x.shape[-1] == 0:  # an odd count (or none) is padded with a 1
                x = cat([x, x.new_ones(*x.shape[:-1], 1)], -1)
                if x.shape[-1] == 1:
                    break
            x = x[..., 0::2] * x[..., 1::2]
        if dim is None:
            return x.reshape(())._renamed("ProdBackward0")
        if d != x.ndim - 1:
            x = x.transpose(d, -1)
        return (x if keepdim else x.squeeze(d))._renamed("ProdBackward1")

    def all(self, dim=None, keepdim=False):
        return _wrap(np.asarray(np.all(self._data, axis=dim, keepdims=keepdim)))

    def any(self, dim=None, keepdim=False):
        return _wrap(np.asarray(np.any(self._data, axis=dim, keepdims=keepdim)))

    def _renamed(self, name):
        if self.grad_fn is not None and hasattr(self.grad_fn, "rename"):
            self.grad_fn.rename(name)
        return self

    # -- elementwise named ops -------------------------------------------------------------------------
    def clamp(self, min=None, max=None):
        if min is None and max is None:
            raise RuntimeError("torch.clamp: At least one of 'min' or 'max' must not be None")
        if self._data.dtype.kind in "iub" and (type(min) is builtins.float or type(max) is builtins.float):
            # a float bound promotes an integer tensor to the default float, as in PyTorch
            return self.to(dt.float32).clamp(min, max)
        if isinstance(min, Tensor) or isinstance(max, Tensor):
            # two selects rather than maximum/minimum: the gradient reaches x wherever
            # min <= x <= max (ties included) and max wins when min > max, as PyTorch's clamp does
            out = self
            if min is not None:
                out = where(out < min, min, out)
            if max is not None:
                out = where(out > max, max, out)
            return out._renamed("ClampBackward0")
        return apply("Clip", (self,), {"min": min, "max": max}, "ClampBackward1")

    clip = clamp

    def clamp_min(self, min):
        return self.clamp(min=min)._renamed("ClampMinBackward0")

    def clamp_max(self, max):
        return self.clamp(max=max)._renamed("ClampMaxBackward0")

    def softmax(self, dim):
        _check_softmax_dtype(self, "softmax", dim)
        return apply("Softmax", (self,), {"axis": _norm_dims(dim, self.ndim)[0]})

    def log_softmax(self, dim):
        _check_softmax_dtype(self, "log_softmax", dim)
        return apply("LogSoftmax", (self,), {"axis": _norm_dims(dim, self.ndim)[0]})

    def where(self, condition, other):
        return where(condition, self, other)

    def masked_fill(self, mask, value):
        _check_bool_mask(mask)
        return where(mask, value, self)._renamed("MaskedFillBackward0")

    # -- dtype conversion ------------------------------------------------------------------------------
    def to(self, *args, dtype=None, copy=False, **kwargs):
        for a in args:
            if isinstance(a, Tensor):
                dtype = a.dtype
            elif isinstance(a, str) and a not in dt.BY_NAME:
                _check_device(a)
            elif a is not None and not isinstance(a, Device):
                dtype = a
        if "device" in kwargs:
            _check_device(kwargs["device"])
        if dtype is None:
            return self.clone() if copy else self
        dtype = dt.to_dtype(dtype)
        if dtype == self.dtype:
            return self.clone() if copy else self
        return apply("Cast", (self,), {"to": str.__str__(dtype)}, "ToCopyBackward0")

    def type(self, dtype=None):
        if dtype is None:
            return f"torch.{dt.LEGACY[self.dtype]}Tensor"
        if isinstance(dtype, type) and isinstance(getattr(dtype, "dtype", None), dt.dtype):
            dtype = dtype.dtype   # a legacy type: x.type(torch.LongTensor)
        if isinstance(dtype, str) and dtype.endswith("Tensor"):
            legacy = {v: k for k, v in dt.LEGACY.items()}
            dtype = legacy[dtype.split(".")[-1][:-len("Tensor")]]
        return self.to(dtype)

    def float(self):
        return self.to(dt.float32)

    def double(self):
        return self.to(dt.float64)

    def half(self):
        return self.to(dt.float16)

    def long(self):
        return self.to(dt.int64)

    def int(self):
        return self.to(dt.int32)

    def bool(self):
        return self.to(dt.bool)

    def cpu(self):
        return self

    def cuda(self, *args, **kwargs):
        _check_device("cuda")

    def contiguous(self, *args, **kwargs):
        if STATE.tracer is None and self._data.flags.c_contiguous:  # layouts are unknown under capture
            return self
        return apply("Identity", (self,), {}, "CloneBackward0")  # numpy's copy is C-ordered

    def clone(self, *, memory_format=None):
        out = apply("Identity", (self,), {}, "CloneBackward0")
        src = self._data
        if STATE.tracer is None and not src.flags.c_contiguous and 0 not in src.strides:
            # PyTorch's clone keeps a permuted tensor's memory order (memory_format=preserve), as
            # numpy's order="K" does; an expanded tensor (0 strides) is copied contiguous there too
            out._data = src.copy(order="K")
        return out

    # -- shapes ------------------------------------------------------------------------------------------
    def _resolve_shape(self, shape, op):
        shape = list(_dims(shape))
        n = self._data.size
        if shape.count(-1) > 1:
            raise RuntimeError("only one dimension can be inferred")
        if -1 in shape:
            known = int(np.prod([s for s in shape if s != -1], dtype=np.int64))
            if known == 0 or n % known:
                raise RuntimeError(f"shape '[{', '.join(map(str, shape))}]' is invalid for input of size {n}")
            shape[shape.index(-1)] = n // known
        if int(np.prod(shape, dtype=np.int64)) != n:
            raise RuntimeError(f"shape '[{', '.join(map(str, shape))}]' is invalid for input of size {n}")
        return tuple(shape)

    def reshape(self, *shape):
        shape = self._resolve_shape(shape, "reshape")
        name = "ViewBackward0"
        if STATE.tracer is None and not self._data.flags.c_contiguous:
            try:  # numpy reshapes copy-free exactly where PyTorch's reshape is a view
                self._data.view().shape = shape
            except AttributeError:
                name = "UnsafeViewBackward0"  # PyTorch's reshape copies: clone + _unsafe_view
        return _view_of(self, apply("Reshape", (self,), {"shape": shape}, name))

    def view(self, *shape):
        if len(shape) == 1 and not isinstance(shape[0], (tuple, list, Size, int, np.integer)):
            return self.to(shape[0])
        if STATE.tracer is None and not self._data.flags.c_contiguous:
            # numpy refuses a copy-free reshape exactly where PyTorch's view() finds no strides
            probe = self._data.view()
            try:
                probe.shape = self._resolve_shape(shape, "view")
            except AttributeError:
                raise RuntimeError("view size is not compatible with input tensor's size and stride (at "
                                   "least one dimension spans across two contiguous subspaces). Use "
                                   ".reshape(...) instead.") from None
        return self.reshape(*shape)

    def view_as(self, other):
        return self.reshape(other.shape)

    reshape_as = view_as

    def flatten(self, start_dim=0, end_dim=-1):
        if self.ndim == 0:
            return self.reshape(1)
        s, e = _norm_dims((start_dim, end_dim), self.ndim)
        shape = self.shape[:s] + (int(np.prod(self.shape[s:e + 1], dtype=np.int64)),) + self.shape[e + 1:]
        return self.reshape(shape)

    def unflatten(self, dim, sizes):
        d = _norm_dims(dim, self.ndim)[0]
        sizes = tuple(sizes)
        if not sizes:
            raise RuntimeError("unflatten: sizes must be non-empty")
        known = int(np.prod([s for s in sizes if s != -1], dtype=np.int64))
        n = self.shape[d]
        if sizes.count(-1) <= 1 and (known != n if -1 not in sizes else known == 0 or n % known):
            raise RuntimeError(f"unflatten: Provided sizes {list(sizes)} don't multiply up to the size of "
                               f"dim {d} ({n}) in the input tensor")
        return self.reshape(self.shape[:d] + sizes + self.shape[d + 1:])

    def squeeze(self, dim=None):
        if dim is None:
            return _view_of(self, apply("Squeeze", (self,), {"axes": None}, "SqueezeBackward0"))
        return _view_of(self, apply("Squeeze", (self,), {"axes": _norm_dims(dim, self.ndim)},
                                    "SqueezeBackward1"))

    def unsqueeze(self, dim):
        d = _norm_dims(dim, self.ndim + 1)[0]
        return _view_of(self, apply("Unsqueeze", (self,), {"axes": (d,)}, "UnsqueezeBackward0"))

    def permute(self, *dims):
        if len(_dims(dims)) != self.ndim:
            raise RuntimeError(f"permute(sparse_coo): number of dimensions in the tensor input does not "
                               f"match the length of the desired ordering of dimensions i.e. input.dim() = "
                               f"{self.ndim} is not equal to len(dims) = {len(_dims(dims))}")
        perm = tuple(_norm_dims(d, self.ndim)[0] for d in _dims(dims))
        if len(set(perm)) != len(perm):
            raise RuntimeError("permute(): duplicate dims are not allowed.")
        return _strided(self, apply("Transpose", (self,), {"perm": perm}, "PermuteBackward0"),
                        lambda a: np.transpose(a, perm))

    def transpose(self, dim0, dim1):
        d0, d1 = _norm_dims((dim0, dim1), self.ndim)
        perm = list(range(self.ndim))
        perm[d0], perm[d1] = perm[d1], perm[d0]
        return _strided(self, apply("Transpose", (self,), {"perm": tuple(perm)}, "TransposeBackward0"),
                        lambda a: np.transpose(a, perm))

    swapaxes = transpose

    def t(self):
        if self.ndim > 2:
            raise RuntimeError(f"t() expects a tensor with <= 2 dimensions, but self is {self.ndim}D")
        # on 0-d and 1-d tensors t() is still a new view (with its own grad_fn), not `self`
        return _strided(self, apply("Transpose", (self,), {"perm": tuple(range(self.ndim))[::-1]},
                                    "TBackward0"), np.transpose)

    @property
    def T(self):
        return _strided(self, apply("Transpose", (self,), {"perm": tuple(range(self.ndim))[::-1]},
                                    "PermuteBackward0"), np.transpose)

    @property
    def mT(self):
        return self.transpose(-2, -1)

    def expand(self, *sizes):
        sizes = list(_dims(sizes))
        lead = len(sizes) - self.ndim
        if lead < 0:
            raise RuntimeError(f"expand(torch.{dt.LEGACY[self.dtype]}Tensor{{[{', '.join(map(str, self.shape))}]}}, "
                               f"size=[{', '.join(map(str, sizes))}]): the number of sizes provided "
                               f"({len(sizes)}) must be greater or equal to the number of dimensions in "
                               f"the tensor ({self.ndim})")
        for i, s in enumerate(sizes):
            if s == -1:
                if i < lead:
                    raise RuntimeError(f"The expanded size of the tensor (-1) isn't allowed in a leading, "
                                       f"non-existing dimension {i}")
                sizes[i] = self.shape[i - lead]
        return _strided(self, apply("Expand", (self,), {"shape": tuple(sizes)}, "ExpandBackward0"),
                        lambda a: np.broadcast_to(a, sizes))

    def expand_as(self, other):
        return self.expand(other.shape)

    def repeat(self, *sizes):
        sizes = _dims(sizes)
        if len(sizes) < self.ndim:
            raise RuntimeError("Number of dimensions of repeat dims can not be smaller than number of "
                               "dimensions of tensor")
        x = self.reshape((1,) * (len(sizes) - self.ndim) + tuple(self.shape))
        return _repeat(x, sizes)

    def chunk(self, chunks, dim=0):
        if chunks <= 0:
            raise RuntimeError(f"chunk expects `chunks` to be greater than 0, got: {chunks}")
        dim = _norm_dims(dim, self.ndim)[0]
        size = -(-self.shape[dim] // chunks)
        return self.split(size, dim)

    def split(self, split_size, dim=0):
        d = _norm_dims(dim, self.ndim)[0]
        n = self.shape[d]
        if split_size == 0 and n != 0:
            raise RuntimeError(f"split_size can only be 0 if dimension size is 0, but got dimension "
                               f"size of {n}")
        sizes = [split_size] * (n // split_size) + ([n % split_size] if n % split_size else []) \
            if isinstance(split_size, int) else list(split_size)
        if not isinstance(split_size, int) and builtins.sum(sizes) != n:
            raise RuntimeError(f"split_with_sizes expects split_sizes to sum exactly to {n} (input tensor's "
                               f"size at dimension {d}), but got split_sizes={sizes}")
        # one slice per piece; PyTorch has one multi-output node, whose name each piece's grad_fn takes
        name = "SplitBackward0" if isinstance(split_size, int) else "SplitWithSizesBackward0"
        out, start = [], 0
        for s in sizes:
            out.append(_slice(self, d, start, start + s, 1)._renamed(name))
            start += s
        return tuple(out)

    def unbind(self, dim=0):
        return tuple(self.select(dim, i)._renamed("UnbindBackward0") for i in range(self.shape[dim]))

    def select(self, dim, index):
        """torch's `select(dim, index)`. VJP rules call OpMixin's `mask.select(if_true, if_false)`
        under the same name; one of its two arguments is always a tensor, never so here."""
        if isinstance(dim, OpMixin) or isinstance(index, OpMixin):
            return OpMixin.select(self, dim, index)
        d = _norm_dims(dim, self.ndim)[0]
        n = self.shape[d]
        if not -n <= index < n:
            raise IndexError(f"select(): index {index} out of range for tensor of size "
                             f"[{', '.join(map(str, self.shape))}] at dimension {d}")
        index %= n
        part = _slice(self, d, index, index + 1, 1)
        out = apply("Squeeze", (part,), {"axes": (d,)}, "SelectBackward0")
        if STATE.tracer is None and self.grad_fn is not None:
            # retaken by in-place write-back (indexing.write_back) as one select of self
            out._view_src = (self, lambda b: b.select(d, index))
        return _view_of(self, out)

    def narrow(self, dim, start, length):
        d = _norm_dims(dim, self.ndim)[0]
        if start + length > self.shape[d]:
            raise RuntimeError(f"start ({start}) + length ({length}) exceeds dimension size "
                               f"({self.shape[d]}).")
        return _slice(self, d, start, start + length, 1)

    def __getitem__(self, index):
        from .indexing import getitem
        return getitem(self, index)

    def __setitem__(self, index, value):
        from .indexing import setitem
        setitem(self, index, value)

    # -- in-place ops --------------------------------------------------------------------------------
    def _inplace(self, result):
        """Make `result` this tensor's new value, as PyTorch's in-place ops do."""
        from .inplace import commit
        return commit(self, result)

    def _old_value(self):
        """What an in-place op whose gradient rule reads its input (clamp_, abs_) computes from:
        under autograd a stand-in for the value before the write, so the write does not count as
        a modification of what the rule saved."""
        if STATE.tracer is None and STATE.grad_enabled and self._requires_grad:
            from .inplace import _history_alias
            return _history_alias(self)
        return self

    def add_(self, other, *, alpha=1):
        return self._inplace_binary("add", other, alpha)

    def sub_(self, other, *, alpha=1):
        return self._inplace_binary("sub", other, alpha)

    def mul_(self, other):
        return self._inplace_binary("mul", other)

    def div_(self, other):
        return self._inplace_binary("div", other)

    def pow_(self, exponent):
        return self._inplace_binary("pow", exponent)

    def _inplace_binary(self, kind, other, alpha=1):
        from .inplace import inplace_binary
        return inplace_binary(self, kind, other, alpha)

    __iadd__ = add_
    __isub__ = sub_
    __imul__ = mul_
    __itruediv__ = div_

    def zero_(self):
        return self.fill_(0)

    def fill_(self, value):
        from .inplace import fill_
        return fill_(self, value)

    def copy_(self, src, non_blocking=False):
        from .inplace import copy_
        return copy_(self, src)

    def clamp_(self, min=None, max=None):
        return self._inplace(self._old_value().clamp(min, max))

    def neg_(self):
        return self._inplace(-self)

    def exp_(self):
        return self._inplace(self.exp())

    def sqrt_(self):
        return self._inplace(self.sqrt())

    def relu_(self):
        return self._inplace(self.relu())

    def sigmoid_(self):
        return self._inplace(self.sigmoid())

    def tanh_(self):
        return self._inplace(self.tanh())

    def abs_(self):
        return self._inplace(self._old_value().abs())

    def addcmul_(self, t1, t2, *, value=1):
        return self._inplace(self.addcmul(t1, t2, value=value))

    def addcdiv_(self, t1, t2, *, value=1):
        return self._inplace(self.addcdiv(t1, t2, value=value))

    def lerp_(self, end, weight):
        return self._inplace(self.lerp(end, weight))

    # -- in-place random fills: PyTorch's numbers for the same seed (frontend/random.py) -----------
    def _float_fill(self, kernel):
        if self._data.dtype.kind != "f":
            raise NotImplementedError(f"\"{kernel}\" not implemented for "
                                      f"'{dt.LEGACY.get(self._data.dtype.name, self._data.dtype.name)}'")

    def uniform_(self, a=0.0, b=1.0, *, generator=None):
        from .random import fill_random
        self._float_fill("check_uniform_bounds")
        if a > b:
            raise RuntimeError(f"uniform_ expects to return a [from, to) range, but found from={a:g} > to={b:g}")
        return fill_random(self, "uniform", a, b, generator)

    def normal_(self, mean=0.0, std=1.0, *, generator=None):
        from .random import fill_random
        self._float_fill("normal_kernel_cpu")
        if std < 0.0:
            raise RuntimeError(f"normal expects std >= 0.0, but found std {std:g}")
        return fill_random(self, "normal", mean, std, generator)

    def random_(self, from_=None, to=None, *, generator=None, **kwargs):
        """Integers: random_() the dtype's full range, random_(to) [0, to), random_(from, to)."""
        from .random import fill_random
        from_ = kwargs.pop("from", from_)
        if kwargs:
            raise TypeError(f"random_() got an unexpected keyword argument '{next(iter(kwargs))}'")
        if from_ is not None and to is None:
            from_, to = 0, from_
        if from_ is not None and from_ >= to:
            raise RuntimeError(f"random_ expects 'from' to be less than 'to', but got from={from_} >= to={to}")
        return fill_random(self, "random", from_, to, generator)

    def exponential_(self, lambd=1.0, *, generator=None):
        from .random import fill_random
        self._float_fill("exponential_cpu")
        if not lambd > 0.0:
            raise RuntimeError(f"exponential_ expects lambda > 0.0, but found lambda={lambd:g}")
        return fill_random(self, "exponential", lambd, None, generator)

    def cauchy_(self, median=0.0, sigma=1.0, *, generator=None):
        from .random import fill_random
        self._float_fill("cauchy_cpu")
        return fill_random(self, "cauchy", median, sigma, generator)

    def geometric_(self, p, *, generator=None):
        from .random import fill_random
        if not 0 < p < 1:
            raise RuntimeError(f"geometric_ expects p to be in (0, 1), but got p={p:g}")
        return fill_random(self, "geometric", p, None, generator)

    def log_normal_(self, mean=1.0, std=2.0, *, generator=None):
        from .random import fill_random
        self._float_fill("log_normal_cpu")
        if not std > 0.0:
            raise RuntimeError(f"log_normal_ expects std > 0.0, but found std={std:g}")
        return fill_random(self, "log_normal", mean, std, generator)

    def new_zeros(self, *size, dtype=None, requires_grad=False):
        return _wrap(np.zeros(_dims(size), dtype=dtype or self.dtype)).requires_grad_(requires_grad)

    def new_empty(self, *size, dtype=None, requires_grad=False):
        # zero-filled like onnxgraft's torch.empty: uninitialised memory would make runs differ
        return self.new_zeros(*size, dtype=dtype, requires_grad=requires_grad)

    def new_ones(self, *size, dtype=None, requires_grad=False):
        return _wrap(np.ones(_dims(size), dtype=dtype or self.dtype)).requires_grad_(requires_grad)

    def new_full(self, size, fill_value, dtype=None, requires_grad=False):
        return _wrap(np.full(_dims(size), fill_value, dtype=dtype or self.dtype)).requires_grad_(requires_grad)

    def new_tensor(self, data, dtype=None, requires_grad=False):
        return _wrap(np.array(data, dtype=dtype or self.dtype)).requires_grad_(requires_grad)

    def allclose(self, other, rtol=1e-05, atol=1e-08, equal_nan=False):
        return builtins.bool(np.allclose(self._data, other._data, rtol, atol, equal_nan))

    def equal(self, other):
        return self.shape == other.shape and builtins.bool(np.array_equal(self._data, other._data))

    def isclose(self, other, rtol=1e-05, atol=1e-08, equal_nan=False):
        other = other._data if isinstance(other, Tensor) else other
        return _wrap(np.asarray(np.isclose(self._data, other, rtol, atol, equal_nan)))

    # -- more elementwise math -----------------------------------------------------------------------
    def tan(self):
        x = self._floating()
        return apply("Tan", (x,), {})

    def log1p(self):
        x = self._floating()
        return apply("Log1p", (x,), {}, "Log1PBackward0")

    def expm1(self):
        x = self._floating()
        return apply("Expm1", (x,), {}, "Expm1Backward0")

    def log2(self):
        return (self.log() / float(np.log(2.0)))._renamed("Log2Backward0")

    def log10(self):
        return (self.log() / float(np.log(10.0)))._renamed("Log10Backward0")

    def remainder(self, other):
        # Python's (and PyTorch's) modulo: the result takes the divisor's sign
        a, b = self._operands(other)
        return a._modulo(b, 0, "RemainderBackward1" if isinstance(other, Tensor) else "RemainderBackward0")

    def fmod(self, other):
        # C's fmod: the result takes the dividend's sign
        a, b = self._operands(other)
        return a._modulo(b, 1, "FmodBackward1" if isinstance(other, Tensor) else "FmodBackward0")

    def _modulo(self, divisor, fmod, name):
        """`self mod divisor` of promoted operands, with PyTorch's refusals (Bool, integer 0)."""
        self._refuse_bool("fmod_cpu" if fmod else "remainder_cpu")
        if not self.is_floating_point():
            self._int_divisor(divisor)
        return apply("Mod", (self, divisor), {"fmod": fmod}, name)

    def logical_or(self, other):
        return self.to(dt.bool)._binary("Or", other.to(dt.bool) if isinstance(other, Tensor) else other)

    def logical_xor(self, other):
        return self.to(dt.bool) != (other.to(dt.bool) if isinstance(other, Tensor) else other)

    def isnan(self):
        return _wrap(np.isnan(self._data))

    def isinf(self):
        return _wrap(np.isinf(self._data))

    def isfinite(self):
        return _wrap(np.isfinite(self._data))

    def outer(self, other):
        return self.unsqueeze(1) * other.unsqueeze(0)

    ger = outer

    def mv(self, vec):
        return self @ vec

    def bmm(self, mat2):
        from .functions import bmm
        return bmm(self, mat2)

    def type_as(self, other):
        return self.to(other.dtype)

    # -- memory layout: eager tensors are numpy arrays, whose views (transpose, expand) keep their
    # strides as PyTorch's views do -------------------------------------------------------------------
    def is_contiguous(self, memory_format=None):
        return builtins.bool(self._data.flags.c_contiguous)

    def stride(self, dim=None):
        if self._data.flags.c_contiguous:  # PyTorch's strides for size-1 dims, not numpy's
            strides, step = [], 1
            for n in reversed(self._data.shape):
                strides.append(step)
                step *= builtins.max(n, 1)
            strides = tuple(reversed(strides))
        else:
            strides = tuple(s // self._data.itemsize for s in self._data.strides)
        return strides if dim is None else strides[_norm_dims(dim, self.ndim)[0]]

    # -- reductions along a dim that PyTorch answers with (values, indices) --------------------------
    def _take_along(self, dim, index, name):
        """`torch.gather(self, dim, index)` as one Gather over the flattened tensor: the flat
        positions come from the index values, so the gradient flows to `self` only."""
        idx = index._data if isinstance(index, Tensor) else np.asarray(index)
        d = _norm_dims(dim, self.ndim)[0] if self.ndim else 0
        if self.ndim == 0:
            return apply("Identity", (self,), {}, name)
        if idx.ndim != self.ndim:
            raise RuntimeError("Index tensor must have the same number of dimensions as input tensor")
        n = self.shape[d]
        if idx.size and (idx.min() < -n or idx.max() >= n):
            bad = idx[(idx < -n) | (idx >= n)].flat[0]
            raise RuntimeError(f"index {bad} is out of bounds for dimension {d} with size {n}")
        coords = list(np.indices(idx.shape, sparse=True))
        coords[d] = np.where(idx < 0, idx + n, idx)
        flat = np.ravel_multi_index(np.broadcast_arrays(*coords), self.shape).astype(np.int64)
        return apply("Gather", (self.reshape(-1), _wrap(flat)), {"axis": 0}, name)

    def gather(self, dim, index):
        if isinstance(index, Tensor) and index.dtype not in (dt.int64, dt.int32):
            raise RuntimeError("gather(): Expected dtype int32/int64 for index")
        if not isinstance(index, Tensor) or self.ndim == 0:
            return self._take_along(dim, index, "GatherBackward0")
        if index.ndim != self.ndim:
            raise RuntimeError("Index tensor must have the same number of dimensions as input tensor")
        d = _norm_dims(dim, self.ndim)[0]
        idx = index._data
        if isinstance(idx, np.ndarray) and idx.size:
            n = self.shape[d]
            bad = (idx < 0) | (idx >= n)
            if bad.any():
                raise RuntimeError(f"index {idx[bad].flat[0]} is out of bounds for dimension {d} with size {n}")
        # one GatherElements: the index stays a tensor, so a captured step may take it as an input
        return apply("GatherElements", (self, index), {"axis": d}, "GatherBackward0")

    def index_select(self, dim, index):
        d = _norm_dims(dim, self.ndim)[0]
        if not isinstance(index, Tensor):
            raise TypeError(f"index_select(): argument 'index' (position 2) must be Tensor, not "
                            f"{type(index).__name__}")
        if index._data.dtype not in (np.int64, np.int32):
            raise RuntimeError("index_select(): Expected dtype int32 or int64 for index")
        n = self.shape[d] if self.ndim else 1
        if STATE.tracer is None and index._data.size and (index._data.min() < 0 or index._data.max() >= n):
            if d == 0 or self.ndim < 2:
                raise IndexError("index out of range in self")
            # PyTorch's CPU kernel for an inner dim checks with its own words, naming the first bad index
            bad = index._data[(index._data < 0) | (index._data >= n)].flat[0]
            raise RuntimeError(f"INDICES element is out of DATA bounds, id={bad} axis_dim={n}")
        return self[(slice(None),) * d + (index,)]._renamed("IndexSelectBackward0")

    def masked_select(self, mask):
        mask = mask.expand_as(self) if mask.shape != self.shape else mask
        return self[mask]._renamed("MaskedSelectBackward0")

    def nonzero(self, *, as_tuple=False):
        idx = np.nonzero(self._data)
        if as_tuple:
            return tuple(_wrap(i.astype(np.int64)) for i in idx)
        return _wrap(np.stack(idx, axis=1).astype(np.int64) if idx else np.zeros((1, 0), np.int64))

    def count_nonzero(self, dim=None):
        return _wrap(np.asarray(np.count_nonzero(self._data, axis=dim), dtype=np.int64))

    def sort(self, dim=-1, descending=False, stable=False):
        d = _norm_dims(dim, self.ndim)[0] if self.ndim else 0
        if not self.ndim:
            idx = np.zeros((), np.int64)
        elif descending:
            # a stable ascending sort of the reversed data, read backwards: ties keep their order,
            # NaN (largest, as in PyTorch) comes first, and no value is negated (bool, int64 min)
            n = self._data.shape[d]
            idx = n - 1 - np.flip(np.argsort(np.flip(self._data, axis=d), axis=d, kind="stable"), axis=d)
        else:
            idx = np.argsort(self._data, axis=d, kind="stable")
        idx = _wrap(idx.astype(np.int64))
        return _MinMax(self._take_along(d, idx, "SortBackward0"), idx, "sort")

    def argsort(self, dim=-1, descending=False, stable=False):
        return self.sort(dim, descending, stable)[1]

    def topk(self, k, dim=-1, largest=True, sorted=True):
        d = _norm_dims(dim, self.ndim)[0] if self.ndim else 0
        if self.ndim and not 0 <= k <= self.shape[d]:
            raise RuntimeError("selected index k out of range")
        order = self.argsort(d, descending=largest, stable=True)
        idx = order.narrow(d, 0, k) if self.ndim else order
        idx = _wrap(np.ascontiguousarray(idx._data))
        return _MinMax(self._take_along(d, idx, "TopkBackward0"), idx, "topk")

    def median(self, dim=None, keepdim=False):
        # PyTorch's median is the lower of the two middle values for an even count
        if dim is None:
            flat = self.reshape(-1)
            i = int(np.argsort(flat._data, kind="stable")[(flat.numel() - 1) // 2])
            if flat._data.dtype.kind == "f" and np.isnan(flat._data).any():
                i = int(np.argmax(np.isnan(flat._data)))  # NaN propagates (its first position)
            return apply("Gather", (flat, _wrap(np.asarray(i, np.int64))), {"axis": 0}, "MedianBackward0")
        d = _norm_dims(dim, self.ndim)[0]
        order = np.argsort(self._data, axis=d, kind="stable")
        mid = np.take(order, [(self.shape[d] - 1) // 2], axis=d).astype(np.int64)
        if self._data.dtype.kind == "f":  # a slice holding NaN gives NaN, at its first NaN's index
            nan = np.isnan(self._data)
            mid = np.where(nan.any(axis=d, keepdims=True), np.argmax(nan, axis=d, keepdims=True), mid)
        values = self._take_along(d, _wrap(mid), "MedianBackward1")
        idx = _wrap(mid)
        if not keepdim:
            values, idx = values.squeeze(d)._renamed("MedianBackward1"), _wrap(mid.squeeze(d))
        return _MinMax(values, idx, "median")

    def cumsum(self, dim, *, dtype=None):
        x = self.to(dtype) if dtype is not None else self
        d = _norm_dims(dim, x.ndim)[0] if x.ndim else 0
        if not (x._requires_grad and STATE.grad_enabled) and STATE.tracer is None:
            out = np.cumsum(x._data, axis=d)
            return _wrap(out.astype(np.int64) if x._data.dtype.kind in "biu" else out)
        # with a gradient: a matmul with an upper-triangular ones matrix along the dim (small dims
        # are the norm in autograd programs, and MatMul's VJP gives the reversed cumsum)
        n = x.shape[d]
        tri = _wrap(np.triu(np.ones((n, n), dtype=x._data.dtype)))
        return (x.transpose(d, -1) @ tri).transpose(d, -1)._renamed("CumsumBackward0")

    def logsumexp(self, dim, keepdim=False):
        if self.ndim > 0 and self.is_floating_point():
            # one op whose backward is PyTorch's grad * exp(x - result) (ir/ops/logsumexp.py)
            axes = sorted(set(_norm_dims(dim, self.ndim)))
            return apply("ReduceLogSumExp", (self,), {"axes": axes, "keepdims": int(bool(keepdim))},
                         "LogsumexpBackward0")
        m = self.amax(dim, keepdim=True).detach()
        m = where(m.isinf(), 0.0, m) if m.is_floating_point() else m
        out = (self - m).exp().sum(dim, keepdim=True).log() + m
        return (out if keepdim else out.squeeze(dim))._renamed("LogsumexpBackward0")

    # -- matrix helpers ---------------------------------------------------------------------------------
    def diagonal(self, offset=0, dim1=0, dim2=1):
        if self.ndim != 2 or (dim1, dim2) != (0, 1):
            raise NotImplementedError("onnxgraft's diagonal() takes the diagonal of a matrix")
        rows, cols = self.shape
        i = np.arange(builtins.max(0, builtins.min(rows - builtins.max(-offset, 0), cols - builtins.max(offset, 0))))
        flat = (i + builtins.max(-offset, 0)) * cols + i + builtins.max(offset, 0)
        return apply("Gather", (self.reshape(-1), _wrap(flat.astype(np.int64))), {"axis": 0}, "DiagonalBackward0")

    def diag(self, diagonal=0):
        if self.ndim == 1:
            n = self.shape[0] + abs(diagonal)
            # out[r, c] = x[c - k] on the k-th diagonal: broadcast x (padded to n) along the rows, shifted
            # to the diagonal's columns, and select with where (a 0/1 mask product would print -0.)
            mask = _wrap(np.eye(n, k=diagonal, dtype=bool))
            if diagonal > 0:
                cols = cat([self.new_zeros(diagonal), self])
            elif diagonal < 0:
                cols = cat([self, self.new_zeros(-diagonal)])
            else:
                cols = self
            full = cols.unsqueeze(0).expand(n, n)
            return where(mask, full, _wrap(np.zeros((), self._data.dtype)))._renamed("DiagEmbedBackward0")
        if self.ndim == 2:  # PyTorch's diag of a matrix is diagonal_copy, named after it
            return self.diagonal(diagonal)._renamed("DiagonalBackward0_copy")
        raise RuntimeError("diag(): Supports 1D or 2D tensors. Got " + f"{self.ndim}D")

    def trace(self):
        if self.ndim != 2:
            raise RuntimeError("trace: expected a matrix, but got tensor with dim " + str(self.ndim))
        return self.diagonal().sum()._renamed("TraceBackward0")

    def _triangle(self, keep, name):
        if self.ndim < 2:
            raise RuntimeError(f"{name.lower()[:4]}: input tensor must have at least 2 dimensions")
        return where(_wrap(keep), self, _wrap(np.zeros((), self._data.dtype)))._renamed(name)

    def triu(self, diagonal=0):
        return self._triangle(np.triu(np.ones(self.shape[-2:], dtype=bool), diagonal), "TriuBackward0")

    def tril(self, diagonal=0):
        return self._triangle(np.tril(np.ones(self.shape[-2:], dtype=bool), diagonal), "TrilBackward0")

    def flip(self, *dims):
        out = self
        for d in _norm_dims(_dims(dims), self.ndim):
            n = self.shape[d]
            out = apply("Gather", (out, _wrap(np.arange(n - 1, -1, -1, dtype=np.int64))), {"axis": d})
        return out._renamed("FlipBackward0") if out is not self else self.clone()

    def masked_fill_(self, mask, value):
        return self._inplace(self.masked_fill(mask, value))


_RETURN_TYPES = {}  # kind ("max", "sort", ...) -> its _MinMax subclass


class _MinMax(tuple):
    """(values, indices) of max/min along a dim, as torch.return_types.max."""

    def __new__(cls, values, indices, kind="max"):
        if cls is _MinMax:
            # one class per kind, named as PyTorch's: type(r).__name__ is "max", type(r) prints
            # <class 'torch.return_types.max'>
            cls = _RETURN_TYPES.get(kind)
            if cls is None:
                cls = _RETURN_TYPES[kind] = type(kind, (_MinMax,), {"__module__": "torch.return_types",
                                                                   "__qualname__": kind})
        self = super().__new__(cls, (values, indices))
        self.kind = kind
        return self

    def __getnewargs__(self):
        # copy.copy / deepcopy rebuild through __new__ (tuple's default passes one tuple)
        return (self[0], self[1], self.kind)

    def __getattr__(self, name):
        # only reached for a missing attribute (r.argmax()): PyTorch's C type names itself in full
        raise AttributeError(f"'torch.return_types.{self.__dict__.get('kind', 'max')}' object has no "
                             f"attribute '{name}'")

    def __repr__(self):
        return f"torch.return_types.{self.kind}(\nvalues={self[0]!r},\nindices={self[1]!r})"

    __str__ = __repr__

    @property
    def values(self):
        return self[0]

    @property
    def indices(self):
        return self[1]


class Device:
    def __init__(self, kind="cpu", index=None):
        self.type, self.index = kind, index

    def __repr__(self):
        return f"device(type='{self.type}')" if self.index is None else \
            f"device(type='{self.type}', index={self.index})"

    def __str__(self):
        return self.type if self.index is None else f"{self.type}:{self.index}"

    def __eq__(self, other):
        return str(self) == str(other)

    __hash__ = object.__hash__


_CPU = Device("cpu")


def _check_device(device):
    if str(device).split(":")[0] not in ("cpu",):
        raise RuntimeError(f"onnxgraft eager tensors live on the CPU; device {str(device)!r} is used by "
                           f"compiled steps: onnxgraft.compile(step, device='cuda')")


def _init_tensor(t, arr, requires_grad):
    t._data = arr
    t._requires_grad = False
    t.grad_fn = None
    t._grad = None
    t._vc = [0]
    t._output_nr = 0
    t._hooks = None
    t._accum = None
    t._base = None
    t._inference = STATE.inference
    t._retains_grad = False
    if requires_grad:
        if arr.dtype.kind != "f":
            raise RuntimeError("Only Tensors of floating point and complex dtype can require gradients")
        t._requires_grad = True


def _refuse_bool_sub(a, b):
    """PyTorch refuses `-` with a bool operand (a Python bool counts as a bool tensor)."""
    def is_bool(x):
        return type(x) is builtins.bool or (isinstance(x, Tensor) and x._data.dtype.kind == "b")
    if is_bool(a) and is_bool(b):
        raise RuntimeError("Subtraction, the `-` operator, with two bool tensors is not supported. "
                           "Use the `^` or `logical_xor()` operator instead.")
    raise RuntimeError("Subtraction, the `-` operator, with a bool tensor is not supported. If you are "
                       "trying to invert a mask, use the `~` or `logical_not()` operator instead.")


def _view_of(base, out):
    """Mark `out` as a view of `base` (PyTorch views share the version counter). Under autograd,
    a view of a non-leaf also remembers how to retake it (the op that made it), so that an
    in-place op on the view is written back into `base`'s history (indexing.write_back)."""
    node = out.grad_fn
    if (STATE.tracer is None and base.grad_fn is not None and isinstance(node, BackwardNode)
            and node.n_inputs == 1 and node.next_functions[0] == (base.grad_fn, base._output_nr)
            and getattr(out, "_view_src", None) is None):  # out = op(base), op a one-input view
        op, attrs, name = node.opdef.name, node.attrs, node._name
        out._view_src = (base, lambda b: apply(op, (b,), attrs, name))
    if STATE.tracer is None and np.shares_memory(out._data, base._data):
        out._vc = base._vc
        if base._inference:  # a view of an inference tensor is one too, in any mode
            out._inference = True
        out._base = base._base if base._base is not None else base
    elif base._requires_grad and base.grad_fn is None:
        out._base = base
    return out


def _strided(base, out, numpy_view):
    """Transpose and Expand as PyTorch views: outside autograd and capture the result holds
    `numpy_view(base's array)` (strides permuted, or 0 where expanded), so `is_contiguous()`,
    `stride()`, `view()`'s refusal and writes through the view behave as in PyTorch. Under autograd
    the kernel's copy stays (a write through a view would need PyTorch's rebase of `base`'s graph)."""
    if STATE.tracer is None and out.grad_fn is None:
        out._data = numpy_view(base._data)
    elif STATE.tracer is None:
        # under autograd: a private copy laid out with the view's strides, so is_contiguous(),
        # contiguous() (CloneBackward0), view()'s refusal and reshape's copy match PyTorch too
        # (an expand's broadcast copy would be read-only: it keeps the kernel's copy)
        laid_out = numpy_view(base._data.copy(order="K"))
        if laid_out.flags.writeable:
            out._data = laid_out
    return _view_of(base, out)


def _slice(x, axis, start, stop, step):
    return _view_of(x, apply("Slice", (x,), {"starts": (start,), "ends": (stop,), "axes": (axis,),
                                             "steps": (step,)}, "SliceBackward0"))


def _repeat(x, sizes):
    out = x
    for axis, r in enumerate(sizes):
        if r != 1:
            out = apply("Concat", tuple([out] * r), {"axis": axis}, "RepeatBackward0")
    return out


def maximum(a, b):
    a, b = a._operands(b)
    if a._data.dtype.kind != "f":
        return where(a >= b, a, b)
    # ties split the gradient evenly, as PyTorch's maximum does; NaN in either gives NaN
    return where(a > b, a, where(b > a, b, a * 0.5 + b * 0.5))._renamed("MaximumBackward0")


def _matmul_dtype_message(a, b):
    """PyTorch's text for matmul operands of different dtypes (it depends on the operand ranks)."""
    if a.ndim == 1 and b.ndim == 1:
        return (f"dot : expected both vectors to have same dtype, but found {dt.LEGACY[a.dtype]} "
                f"and {dt.LEGACY[b.dtype]}")
    if a.ndim == 2 and b.ndim == 1:
        return (f"addmv input tensors must have the same dtype, but got {dt.LEGACY[b.dtype]}, "
                f"{dt.LEGACY[a.dtype]}, and {dt.LEGACY[b.dtype]}")
    return (f"expected m1 and m2 to have the same dtype, but got: {dt.C_NAMES[a.dtype]} != "
            f"{dt.C_NAMES[b.dtype]}")


def where(condition, input=None, other=None):
    if input is None and other is None:  # torch.where(condition) is nonzero(as_tuple=True)
        return _t_nonzero_tuple(condition)
    if not isinstance(condition, Tensor):
        condition = _wrap(np.asarray(condition, dtype=bool))
    if condition.dtype == "uint8":  # deprecated in PyTorch, still accepted
        condition = condition.to(dt.bool)
    elif condition.dtype != "bool":
        raise RuntimeError(f"where expected condition to be a boolean tensor, but got a tensor with dtype "
                           f"{dt.LEGACY[condition.dtype]}")
    if isinstance(input, Tensor):
        x, y = input._operands(other)
    elif isinstance(other, Tensor):
        y, x = other._operands(input)
    else:
        # two Python scalars: bool, int64 or the default float dtype, as PyTorch's scalar typing gives
        kinds = {type(input), type(other)}
        np_dtype = (np.bool_ if kinds == {bool} else np.int64 if kinds <= {bool, int} else np.float32)
        x, y = _wrap(np.asarray(input, np_dtype)), _wrap(np.asarray(other, np_dtype))
    return apply("Where", (condition, x, y), {}, "WhereBackward0")


def _t_nonzero_tuple(condition):
    if not isinstance(condition, Tensor):
        condition = _wrap(np.asarray(condition))
    return condition.nonzero(as_tuple=True)


def _check_full_reduction(t, op):
    """PyTorch refuses max/min/argmax/argmin over all of an empty tensor (there is no identity)."""
    if t._data.size == 0 and STATE.tracer is None:
        if op.startswith("arg"):
            raise IndexError(f"{op}(): Expected reduction dim to be specified for input.numel() == 0.")
        raise RuntimeError(f"{op}(): Expected reduction dim to be specified for input.numel() == 0. "
                           f"Specify the reduction dim with the 'dim' argument.")


def _check_dim_reduction(t, op, dim):
    """PyTorch refuses max/min/amax/argmax... along a dim of size 0 (a whole empty tensor is
    _check_full_reduction's case)."""
    if STATE.tracer is not None or t._data.size:
        return
    if dim is None or dim == ():
        _check_full_reduction(t, op)
        return
    for d in _norm_dims(dim, t.ndim):
        if t.shape[d] == 0:
            raise IndexError(f"{op}(): Expected reduction dim {d} to have non-zero size.")


def _check_softmax_dtype(t, op, dim):
    """PyTorch's CPU softmax kernels are defined for floating types only, and say so by name."""
    if t._data.dtype.kind != "f":
        last = t.ndim == 0 or _norm_dims(dim, t.ndim)[0] == t.ndim - 1
        kernel = f"{op}_lastdim_kernel_impl" if last else f"{op}_kernel_impl"
        raise NotImplementedError(f'"{kernel}" not implemented for \'{dt.LEGACY[t.dtype]}\'')


def _check_bool_mask(mask):
    if isinstance(mask, Tensor) and mask._data.dtype.kind != "b":
        raise RuntimeError(f"masked_fill_ only supports boolean masks, but got mask with dtype "
                           f"{dt.C_NAMES.get(mask.dtype, mask.dtype)}")


def _tensor_list(op, tensors):
    """PyTorch's refusal of a single tensor where a sequence of tensors is expected."""
    if isinstance(tensors, Tensor):
        raise TypeError(f"{op}(): argument 'tensors' (position 1) must be tuple of Tensors, not Tensor")
    return list(tensors)


def cat(tensors, dim=0):
    tensors = _tensor_list("cat", tensors)
    if not tensors:
        raise ValueError("torch.cat(): expected a non-empty list of Tensors")
    out_dtype = ir_dtypes.promote(*((t.dtype, 1) for t in tensors))
    tensors = [t.cast_to(out_dtype) for t in tensors]
    d = _norm_dims(dim, tensors[0].ndim)[0] if tensors[0].ndim else dim
    return apply("Concat", tuple(tensors), {"axis": d}, "CatBackward0")


# the numpy spellings PyTorch's C++ argument parser takes for its own parameter names
_NUMPY_NAMES = (("axis", "dim"), ("keepdims", "keepdim"), ("x", "input"), ("a", "input"), ("x1", "input"),
                ("x2", "other"))
# written in Python in PyTorch (torch/_tensor.py, torch/functional.py), so without those aliases
_PYTHON_LEVEL = frozenset(("split", "norm", "unique", "unique_consecutive", "unflatten"))


def _numpy_arg_names(fn, name=None):
    """`fn` also taking numpy's keyword names where it has PyTorch's: `axis=` for `dim=`,
    `keepdims=` for `keepdim=` (and `x=`/`a=`/`x1=` for `input=`, `x2=` for `other=`), as PyTorch's
    argument parser accepts them on every function written in C++ (`x.sum(axis=0)`,
    `torch.mean(x, axis=1, keepdims=True)`). Functions without such parameters, with a parameter
    of the numpy name, or written in Python in PyTorch come back unchanged."""
    import functools
    import inspect
    if (name or getattr(fn, "__name__", "")) in _PYTHON_LEVEL:
        return fn
    try:
        params = inspect.signature(fn).parameters
    except (TypeError, ValueError):
        return fn
    renames = {k: v for k, v in _NUMPY_NAMES if v in params and k not in params}
    if not renames:
        return fn

    @functools.wraps(fn)
    def wrapper(*args, **kwargs):
        if kwargs:  # the common call passes dims positionally or by their PyTorch names: one test
            for numpy_name, torch_name in renames.items():
                if numpy_name in kwargs:
                    if torch_name in kwargs:  # PyTorch's parser then sees the alias as unknown
                        raise TypeError(f"{fn.__name__}() got an unexpected keyword argument '{numpy_name}'")
                    kwargs[torch_name] = kwargs.pop(numpy_name)
        return fn(*args, **kwargs)
    return wrapper


for _cls in Tensor.__mro__[:-1]:
    for _name, _fn in list(vars(_cls).items()):
        if callable(_fn) and not isinstance(_fn, type) and not _name.startswith("_") \
                and getattr(Tensor, _name, None) is _fn:
            _wrapped = _numpy_arg_names(_fn, _name)
            if _wrapped is not _fn:
                setattr(Tensor, _name, _wrapped)
cat = _numpy_arg_names(cat)

"""`OpMixin`: the op methods shared by eager Tensors and symbolic graph values.

VJP rules are written against these methods only, so one rule runs eagerly (on Tensors), records
itself under create_graph=True, and appends backward nodes to an `ir.Graph` (on `ir.Value`s).
A subclass provides `shape`, `dtype` (a dtype name), `_op(op, *inputs, _name=None, **attrs)` and
`_const(array)` (a value of its own kind holding a constant).
"""
import numpy as np

from .dtypes import category, promote, scalar_dtype, is_floating

_NUMBER = (int, float, bool, np.number, np.bool_)


class OpMixin:
    __slots__ = ()
    __array_priority__ = 1000  # numpy defers `ndarray + Tensor` to our reflected operators

    # -- operands ---------------------------------------------------------------------------
    @property
    def ndim(self):
        return len(self.shape)

    def _scalar(self, value, dtype):
        try:
            return self._const(np.asarray(value, dtype=dtype))
        except OverflowError:
            # PyTorch casts a Python int beyond the tensor's integer range with C's wraparound
            # (uint8 tensor + -2 adds 254)
            return self._const(np.asarray(value).astype(dtype))

    def _operands(self, other, reverse=False):
        """Lift `other` and cast both operands to PyTorch's promoted dtype."""
        mine = self.dtype
        if isinstance(other, _NUMBER):
            sdt = scalar_dtype(other)
            # fast path: a Python scalar never changes a floating tensor's dtype
            dt = mine if category(mine) >= category(sdt) else promote((mine, 1), (sdt, -1))
            a, b = (self if mine == dt else self.cast_to(dt)), self._scalar(other, dt)
        else:
            if not isinstance(other, OpMixin):
                other = self._const(np.asarray(other))
            theirs = other.dtype
            if mine == theirs:
                a, b = self, other
            else:
                dt = promote((mine, self.ndim), (theirs, other.ndim))
                a = self if mine == dt else self.cast_to(dt)
                b = other if theirs == dt else other.cast_to(dt)
        return (b, a) if reverse else (a, b)

    def _binary(self, op, other, reverse=False, _name=None):
        a, b = self._operands(other, reverse)
        return self._op(op, a, b, _name=_name)

    # -- arithmetic --------------------------------------------------------------------------
    def __add__(self, other):
        return self._binary("Add", other)

    def __radd__(self, other):
        return self._binary("Add", other, True)

    def __sub__(self, other):
        return self._binary("Sub", other)

    def __rsub__(self, other):
        return self._binary("Sub", other, True, _name="RsubBackward1")

    def __mul__(self, other):
        return self._binary("Mul", other)

    def __rmul__(self, other):
        return self._binary("Mul", other, True)

    def __truediv__(self, other):
        a, b = self._operands(other)
        if not is_floating(a.dtype):  # true division of integers gives the default float
            a, b = a.cast_to("float32"), b.cast_to("float32")
        return self._op("Div", a, b)

    def __rtruediv__(self, other):
        a, b = self._operands(other, True)
        if not is_floating(a.dtype):
            a, b = a.cast_to("float32"), b.cast_to("float32")
        return self._op("Div", a, b)

    def __neg__(self):
        return self._op("Neg", self)

    def __pow__(self, other):
        name = "PowBackward0" if isinstance(other, _NUMBER) else "PowBackward1"
        return self._binary("Pow", other, _name=name)

    def __rpow__(self, other):
        return self._binary("Pow", other, True, _name="PowBackward2")

    def __matmul__(self, other):
        return self._op("MatMul", *self._operands(other))

    def __rmatmul__(self, other):
        return self._op("MatMul", *self._operands(other, True))

    # -- comparisons (no gradient) -------------------------------------------------------------
    def __gt__(self, other):
        return self._binary("Greater", other)

    def __lt__(self, other):
        return self._binary("Less", other)

    def __ge__(self, other):
        return self._binary("GreaterOrEqual", other)

    def __le__(self, other):
        return self._binary("LessOrEqual", other)

    def eq(self, other):
        return self._binary("Equal", other)

    def logical_and(self, other):
        return self._op("And", self, other)

    def logical_not(self):
        return self._op("Not", self)

    # -- unary -----------------------------------------------------------------------------------
    # Float functions of integer or bool tensors compute in float32 (PyTorch's default dtype), as
    # torch.tensor([1, 2]).exp() does; VJP rules call these on float values only (no cast there).
    def _floating(self):
        return self if is_floating(self.dtype) else self.cast_to("float32")

    def exp(self):
        x = self._floating()
        return x._op("Exp", x)

    def log(self):
        x = self._floating()
        return x._op("Log", x)

    def sqrt(self):
        x = self._floating()
        return x._op("Sqrt", x)

    def abs(self):
        return self._op("Abs", self)

    def sign(self):
        return self._op("Sign", self)

    def sin(self):
        x = self._floating()
        return x._op("Sin", x)

    def cos(self):
        x = self._floating()
        return x._op("Cos", x)

    def tanh(self):
        x = self._floating()
        return x._op("Tanh", x)

    def sigmoid(self):
        x = self._floating()
        return x._op("Sigmoid", x)

    def relu(self):
        return self._op("Relu", self)

    def reciprocal(self):
        x = self._floating()
        return x._op("Reciprocal", x)

    # -- structural ops with ONNX-shaped arguments (used by VJP rules and lowerings) ----------------
    def cast_to(self, dtype):
        # str.__str__: the frontend's dtype is a str subclass whose str() is "torch.float32"
        to = str.__str__(dtype) if isinstance(dtype, str) else str(dtype)
        return self if self.dtype == dtype else self._op("Cast", self, to=to)

    def reduce_sum(self, axes=None, keepdims=True):
        return self._op("ReduceSum", self, axes=_axes(axes), keepdims=int(keepdims))

    def reduce_mean(self, axes=None, keepdims=True):
        return self._op("ReduceMean", self, axes=_axes(axes), keepdims=int(keepdims))

    def reduce_max(self, axes=None, keepdims=True):
        return self._op("ReduceMax", self, axes=_axes(axes), keepdims=int(keepdims))

    def reshape_to(self, shape):
        shape = tuple(int(s) for s in shape)
        return self if shape == tuple(self.shape) else self._op("Reshape", self, shape=shape)

    def permute_to(self, perm):
        return self._op("Transpose", self, perm=tuple(int(p) for p in perm))

    def expand_to(self, shape):
        shape = tuple(int(s) for s in shape)
        return self if shape == tuple(self.shape) else self._op("Expand", self, shape=shape)

    def unsqueeze_at(self, axes):
        return self._op("Unsqueeze", self, axes=_axes(axes))

    def squeeze_at(self, axes):
        return self._op("Squeeze", self, axes=_axes(axes))

    def select(self, if_true, if_false):
        """Where(self, if_true, if_false) with self a bool mask; scalars take the other's dtype."""
        like = if_true if isinstance(if_true, OpMixin) else if_false
        if not isinstance(if_true, OpMixin):
            if_true = like._scalar(if_true, like.dtype)
        if not isinstance(if_false, OpMixin):
            if_false = like._scalar(if_false, like.dtype)
        return self._op("Where", self, if_true, if_false)

    def swap_last(self):
        """Transpose of the last two axes (a matrix transpose of a batch)."""
        perm = list(range(self.ndim))
        perm[-1], perm[-2] = perm[-2], perm[-1]
        return self.permute_to(perm)

    def sum_to(self, shape):
        """Sum a broadcast gradient back to `shape` (PyTorch's sum_to): over the leading axes
        broadcasting added and over the axes where `shape` has 1. Constant axes keep the exported
        step's shapes static."""
        shape = tuple(shape)
        mine = tuple(self.shape)
        if mine == shape:
            return self
        lead = len(mine) - len(shape)
        axes = list(range(lead)) + [lead + i for i, s in enumerate(shape)
                                    if s == 1 and mine[lead + i] != 1]
        out = self.reduce_sum(axes, keepdims=True) if axes else self
        return out.reshape_to(shape)


def _axes(axes):
    if axes is None:
        return None
    if isinstance(axes, (int, np.integer)):
        return (int(axes),)
    return tuple(int(a) for a in axes)

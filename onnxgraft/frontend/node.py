"""Eager autograd graph nodes (`grad_fn`s) and `apply`, which runs one registry op on Tensors.

A node is plain state: the op, its attributes, what it saved (inputs and/or output, with the
versions they had), and `next_functions`. The VJP lives in the registry, not in the node. Saved
values are dropped after backward unless retain_graph=True, so a long loop keeps flat memory.
"""
import itertools

import numpy as np

from ..ir.ops.registry import REGISTRY, ShapeError, NoGradientError
from .dtype import BY_NAME
from .grad_mode import STATE

_seq = itertools.count()
# tensor._wrap, bound on first use by _bind_wrap(): tensor.py imports this module, and an import
# inside `apply` would cost about 0.7 us on every op
_wrap = None


def _bind_wrap():
    global _wrap
    from .tensor import _wrap as wrap
    _wrap = wrap

BACKWARD_TWICE = (
    "Trying to backward through the graph a second time (or directly access saved tensors after "
    "they have already been freed). Saved intermediate values of the graph are freed when you call "
    ".backward() or autograd.grad(). Specify retain_graph=True if you need to backward through the "
    "graph a second time or if you need to access saved tensors after calling backward.")

_HINT = ("Hint: enable anomaly detection to find the operation that failed to compute its gradient, "
         "with torch.autograd.set_detect_anomaly(True, check_nan=False).")


class Meta:
    """Stands in for an input (or output) the VJP does not read: only its shape and dtype are
    kept. Never modified, so that nodes share one per shape and dtype (`_METAS`)."""
    __slots__ = ("shape", "dtype")

    def __init__(self, shape, dtype):
        self.shape, self.dtype = shape, dtype

    @property
    def ndim(self):
        return len(self.shape)

    def __getattr__(self, name):
        raise AttributeError(f"internal error: a gradient rule read the value of an input its op "
                             f"does not save (add it to the op's `saves`); tried .{name}")


class Node:
    """Base of grad_fn objects: `name()`, `next_functions`, hooks, `metadata`."""
    __module__ = "torch.autograd.graph"  # its public name: isinstance(fn, torch.autograd.graph.Node)
    __slots__ = ("seq", "next_functions", "_pre_hooks", "_hooks", "_retained", "_meta", "__weakref__")

    def name(self):
        return type(self).__name__

    @property
    def metadata(self):
        """A dict for the user's own annotations of this node (empty until written), as in PyTorch."""
        if self._meta is None:
            self._meta = {}
        return self._meta

    @metadata.setter
    def metadata(self, value):
        # constructors set the slot `_meta` to None directly (a property setter per node is a
        # Python call on the hot path); the dict is only made when someone reads it
        self._meta = value

    def register_hook(self, fn):
        if self._hooks is None:
            self._hooks = []
        self._hooks.append(fn)
        return _RemovableHandle(self._hooks, fn)

    def register_prehook(self, fn):
        """fn(grad_outputs) -> None or replacement grad_outputs: runs before this node's backward
        with the tuple of all its output gradients (key None: not one output's tensor hook)."""
        return self._add_pre_hook(None, fn)

    def _add_pre_hook(self, output_nr, fn):
        if self._pre_hooks is None:
            self._pre_hooks = {}
        hooks = self._pre_hooks.setdefault(output_nr, [])
        hooks.append(fn)
        return _RemovableHandle(hooks, fn)

    def __repr__(self):
        return f"<{type(self).__name__} object at {hex(id(self))}>"


class _RemovableHandle:
    def __init__(self, hooks, fn):
        self._hooks, self._fn = hooks, fn

    def remove(self):
        if self._fn in self._hooks:
            self._hooks.remove(self._fn)

    def __repr__(self):
        # printed as PyTorch's handle class (programs print the handles they get back)
        return f"<torch.utils.hooks.RemovableHandle object at {hex(id(self))}>"

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        self.remove()


class BackwardNode(Node):
    """grad_fn of a registry op. `inputs` holds saved Tensors (with their versions) and, for the
    inputs not saved, (shape, numpy dtype) pairs that unpack() turns into Metas.
    Each node is an instance of a subclass named like PyTorch's (MulBackward0), so that
    `type(grad_fn).__name__` reads as in PyTorch (graph drawers such as torchviz print it)."""
    __slots__ = ("opdef", "attrs", "inputs", "versions", "out", "_name", "released", "n_inputs",
                 "edges")

    def __new__(cls, opdef, attrs, inputs, out, name):
        return new_node(opdef, attrs, inputs, out, name)

    def _unpack_saved(self, spec):
        """What PyTorch's `grad_fn._saved_<name>` returns: the saved input itself (None when the
        other operand does not require grad, so PyTorch did not save it), a copy-free Tensor of the
        saved result, a Python exponent, or a shape."""
        if self.released:
            raise RuntimeError(BACKWARD_TWICE)
        kind, i = spec
        if _wrap is None:
            _bind_wrap()
        if kind == "result":
            if not self.opdef.saves_out:  # this op's VJP does not need its output
                return None
            arr, vc, v = self.out
            if vc[0] != v:
                raise RuntimeError(_modified_message(_wrap(arr, True, self), v))
            out = _wrap(arr, True, self)
            out._vc = vc
            return out
        if kind == "sizes":
            return tuple(self.inputs[i][0] if isinstance(self.inputs[i], tuple) else self.inputs[i].shape)
        if kind == "numel":
            shape = self.inputs[i][0] if isinstance(self.inputs[i], tuple) else self.inputs[i].shape
            return int(np.prod(shape, dtype=np.int64))
        t = self.inputs[i]
        if isinstance(t, tuple):
            return None
        if kind == "if_other_grad":
            other = self.inputs[1 - i]
            if isinstance(other, tuple) or not other._requires_grad:
                return None
        if self.versions is not None and self.versions[i] is not None and t._vc[0] != self.versions[i]:
            raise RuntimeError(_modified_message(t, self.versions[i]))
        if kind == "scalar":
            # the Python number of a Scalar overload (x ** 2): stored as a 0-dim tensor, read back
            # as an int when integral, the common spelling (x ** 2.0 reads back as 2 too)
            v = t._data.item()
            return int(v) if float(v).is_integer() else v
        return t

    def rename(self, name):
        """Give the node the grad_fn name of the frontend function that produced it."""
        self._name = name
        self.__class__ = named_class(name)

    def name(self):
        # PyTorch's hand-written (not generated) nodes answer with their C++ name
        return "torch::autograd::" + self._name if self._name in _CPP_NODES else self._name

    def release(self):
        """Drop the saved values; unpack() raises from now on, before reading anything."""
        opdef = self.opdef
        if opdef.saves or opdef.saves_out:
            self.inputs = self.versions = self.out = None
            self.released = True

    def unpack(self):
        """The saved values for the VJP (Metas for the unsaved), checking that none was freed or
        modified in place."""
        if _wrap is None:
            _bind_wrap()
        if self.released:
            raise RuntimeError(BACKWARD_TWICE)
        inputs = self.inputs
        versions = self.versions
        if versions is None:  # nothing saved: all (shape, dtype) pairs
            inputs = list(map(_METAS.get, inputs))  # no Python frame per input
            if None in inputs:  # a shape not met before
                inputs = [_METAS.get(pair) or _new_meta(pair) for pair in self.inputs]
        else:
            for t, v in zip(inputs, versions):
                if v is not None and t._vc[0] != v:
                    raise RuntimeError(_modified_message(t, v))
            if None in versions:  # some inputs not saved
                inputs = [t if v is not None else _METAS.get(t) or _new_meta(t)
                          for t, v in zip(inputs, versions)]
        out = self.out
        if self.opdef.saves_out:
            arr, vc, v = out
            if vc[0] != v:
                raise RuntimeError(
                    "one of the variables needed for gradient computation has been modified by an "
                    f"inplace operation: [{_type_name(arr)} [{', '.join(map(str, arr.shape))}]], which is "
                    f"output 0 of {self._name.replace('Backward0', '').replace('Backward1', '')}, is at "
                    f"version {vc[0]}; expected version {v} instead. {_HINT}")
            # rebuilt with this node as grad_fn, so that create_graph differentiates through it
            out = _wrap(arr, True, self)
            out._vc = vc
        else:
            out = _METAS.get(out) or _new_meta(out)
        return inputs, out


# frontend dtype of a numpy dtype: a dict keyed by the dtype object, since numpy 2 computes
# `dtype.name` in Python (about 1.5 us a call)
_DTYPE_OF_NP = {np.dtype(name): d for name, d in BY_NAME.items()}


def _frontend_dtype(np_dtype):
    try:
        return _DTYPE_OF_NP[np_dtype]
    except KeyError:  # a non-native byte order
        return BY_NAME[np_dtype.name]


# The Metas, shared per (numpy shape, numpy dtype) pair: a program meets few distinct shapes,
# and a dict lookup costs less than a new Meta for every unsaved input of every backward node.
# Emptied when full, for programs whose shapes keep changing.
_METAS = {}


def _new_meta(pair):
    meta = Meta(pair[0], _frontend_dtype(pair[1]))
    if len(_METAS) >= 1024:
        _METAS.clear()
    _METAS[pair] = meta
    return meta


_NAMED = {}
# grad_fn names of torch's Scalar overloads, and which input is the Python number there
_SCALAR_ARG = {"PowBackward0": 1, "PowBackward2": 0, "RsubBackward1": 0}
_CPP_NODES = ("CopyBackwards", "CopySlices")

# PyTorch's `grad_fn._saved_<name>` accessors (the "Saved tensors" section of Autograd
# mechanics) for common nodes: name -> (kind, input index). "input": the saved input itself;
# "if_other_grad": saved only when the other operand requires grad (mul, div: d/dself needs
# other, d/dother needs self); "result": the op's output; "scalar": a Scalar overload's number;
# "sizes"/"numel": the input's shape / element count.
_SELF, _RESULT = {"_saved_self": ("input", 0)}, {"_saved_result": ("result", 0)}
_SAVED_ATTRS = {
    "PowBackward0": {"_saved_self": ("input", 0), "_saved_exponent": ("scalar", 1)},
    "PowBackward1": {"_saved_self": ("input", 0), "_saved_exponent": ("input", 1), **_RESULT},
    "MulBackward0": {"_saved_self": ("if_other_grad", 0), "_saved_other": ("if_other_grad", 1)},
    "DivBackward0": {"_saved_self": ("if_other_grad", 0), "_saved_other": ("input", 1)},
    "MmBackward0": {"_saved_self": ("input", 0), "_saved_mat2": ("input", 1),
                    "_saved_self_sym_sizes": ("sizes", 0), "_saved_mat2_sym_sizes": ("sizes", 1)},
    "SumBackward0": {"_saved_self_sym_sizes": ("sizes", 0)},
    "MeanBackward0": {"_saved_self_sym_sizes": ("sizes", 0), "_saved_self_sym_numel": ("numel", 0)},
    **{n: _RESULT for n in ("ExpBackward0", "SigmoidBackward0", "TanhBackward0", "SqrtBackward0",
                            "ReluBackward0", "RsqrtBackward0", "TanBackward0", "Exp2Backward0",
                            "ReciprocalBackward0", "Expm1Backward0")},
    # (log2 and log10 are composites here: their node is not the one that saved the input)
    **{n: _SELF for n in ("LogBackward0", "SinBackward0", "CosBackward0", "AbsBackward0", "Log1PBackward0",
                          "AtanBackward0", "AsinBackward0",
                          "AcosBackward0", "ErfBackward0", "SinhBackward0", "CoshBackward0")},
}


def named_class(name):
    """The BackwardNode subclass called `name`, made once per name (same layout: no new slots)."""
    cls = _NAMED.get(name)
    if cls is None:
        # PyTorch's generated node classes live in builtins: type(grad_fn) prints <class 'MulBackward0'>
        # PyTorch's `_saved_<name>` accessors of this node kind, as properties of its class (not
        # a __getattr__ on BackwardNode: a Python __getattr__ slows every attribute read of every
        # node, on the hot path of apply and backward)
        saved = {attr: property(lambda self, spec=spec: self._unpack_saved(spec))
                 for attr, spec in _SAVED_ATTRS.get(name, {}).items()}
        cls = _NAMED[name] = type(name, (BackwardNode,), {"__slots__": (), "__module__": "builtins", **saved})
    return cls


def new_node(opdef, attrs, inputs, out, name):
    """The grad_fn (a BackwardNode named `name`) of `out` = op(*inputs). A function rather than
    an __init__: apply calls it for every recorded op, and a class call costs one more frame."""
    node = object.__new__(_NAMED.get(name) or named_class(name))
    node.opdef = opdef
    node.attrs = attrs
    node._name = name
    node._pre_hooks = node._hooks = node._retained = node._meta = None
    node.released = False
    saves = opdef.saves
    node.n_inputs = len(inputs)
    nexts = []
    kept = []
    # one version per input, None where not saved; no list at all when nothing is saved
    versions = [] if saves else None
    # `edges`: the inputs that have an entry in next_functions, when not all do. As in
    # PyTorch, integer and bool inputs (indices, masks, targets) are not differentiable and
    # get none, nor does the Python number of a torch Scalar overload (x ** 2, 1 - x).
    edges = None
    for i, t in enumerate(inputs):
        arr = t._data
        if t._requires_grad:  # floating, as only floating tensors can require grad
            if edges is not None:
                edges.append(i)
            fn = t.grad_fn
            nexts.append((fn, t._output_nr) if fn is not None else (t._accumulator(), 0))
        elif arr.dtype.kind not in "fc" or (arr.ndim == 0 and i == _SCALAR_ARG.get(name)):
            if edges is None:
                edges = list(range(i))
        else:
            if edges is not None:
                edges.append(i)
            nexts.append((None, 0))
        if versions is not None and i in saves:
            if t._inference:
                raise RuntimeError(
                    "Inference tensors cannot be saved for backward. Please do not use Tensors "
                    "created in inference mode in computation tracked by autograd. To work around "
                    "this, you can make a clone to get a normal tensor and use it in autograd, or "
                    "use `torch.no_grad()` instead of `torch.inference_mode()`.")
            kept.append(t)
            versions.append(t._vc[0])
        else:
            # (shape, numpy dtype): unpack() looks up the Meta, so that nodes dropped without a
            # backward (much of a forward pass) never pay for it
            kept.append((arr.shape, arr.dtype))
            if versions is not None:
                versions.append(None)
    node.next_functions = tuple(nexts)
    node.edges = edges
    # numbered after the AccumulateGrad nodes created just above: consumers come later
    node.seq = next(_seq)
    node.inputs = kept
    node.versions = versions
    # the output is saved as (array, version counter, version), not as the Tensor: the Tensor
    # points to this node, and holding it here would make a reference cycle. Unsaved, it is
    # (shape, numpy dtype), as unsaved inputs are.
    arr = out._data
    node.out = (arr, out._vc, out._vc[0]) if opdef.saves_out else (arr.shape, arr.dtype)
    return node


def _type_name(arr):
    from .dtype import LEGACY
    return f"torch.{LEGACY.get(arr.dtype.name, arr.dtype.name)}Tensor"


def _modified_message(t, version):
    where = ""
    if t.grad_fn is not None:
        where = f", which is output {t._output_nr} of {t.grad_fn.name().replace('Backward0', '').replace('Backward1', '')},"
    return ("one of the variables needed for gradient computation has been modified by an inplace "
            f"operation: [{_type_name(t._data)} [{', '.join(map(str, t.shape))}]]{where} is at version "
            f"{t._vc[0]}; expected version {version} instead. {_HINT}")


class AccumulateGrad(Node):
    """The grad_fn-like node of a leaf: adds incoming gradients into `variable.grad`."""
    __slots__ = ("variable",)
    __module__ = "builtins"  # printed <class 'AccumulateGrad'>, as PyTorch's C++ class

    def __init__(self, variable):
        self.seq = next(_seq)
        self.variable = variable
        self.next_functions = ()
        self._pre_hooks = self._hooks = self._retained = self._meta = None

    def name(self):
        return "torch::autograd::AccumulateGrad"


def apply(op, inputs, attrs, name=None):
    """Run registry op `op` on Tensors `inputs`; record a grad_fn when gradients are tracked,
    and record a graph node when a capture is active."""
    opdef = REGISTRY[op]
    if STATE.tracer is not None:
        return STATE.tracer.record(opdef, inputs, attrs, name)
    if _wrap is None:
        _bind_wrap()
    try:
        # unrolled for the common arities: on small tensors, building the argument list costs
        # as much as the kernel
        if attrs:
            res = opdef.eager(*[t._data for t in inputs], **attrs)
        elif len(inputs) == 2:
            res = opdef.eager(inputs[0]._data, inputs[1]._data)
        elif len(inputs) == 1:
            res = opdef.eager(inputs[0]._data)
        else:
            res = opdef.eager(*[t._data for t in inputs])
    except Exception as exc:
        raise explain_failure(opdef, inputs, attrs, exc) from None
    need = False
    if STATE.grad_enabled and opdef.differentiable:
        for t in inputs:
            if t._requires_grad:
                need = True
                break
    if opdef.n_outputs == 1:
        if type(res) is not np.ndarray:
            res = np.asarray(res)
        # only floating outputs carry gradients: x.long() does not require grad, as in PyTorch
        if need and res.dtype.kind != "f":
            need = False
        out = _wrap(res, need)
        if STATE.inference:
            out._inference = True
        if need:
            out.grad_fn = new_node(opdef, attrs, inputs, out, name or opdef.grad_name)
        return out
    outs = tuple(_wrap(np.asarray(r), need) for r in res)
    if need:
        node = new_node(opdef, attrs, inputs, outs[0], name or opdef.grad_name)
        for i, o in enumerate(outs):
            if o._data.dtype.kind == "f":
                o.grad_fn, o._output_nr = node, i
            else:  # integer outputs (indices) carry no gradient
                o._requires_grad = False
    return outs


def explain_failure(opdef, inputs, attrs, exc):
    """Turn a numpy failure inside a kernel into an error in the user's terms."""
    metas = [(tuple(t.shape), t.dtype) for t in inputs]
    try:
        opdef.infer(*metas, **{k: v for k, v in attrs.items() if v is not None})
    except ShapeError as shape_error:
        # str(error) stays PyTorch's exact text (programs print it); the traceback also shows a
        # note naming the op, every input shape and the user's line
        err = RuntimeError(str(shape_error))
        from .trace import user_frame
        where = user_frame()
        shapes = " and ".join(f"({', '.join(map(str, m[0]))}{',' if len(m[0]) == 1 else ''})" for m in metas)
        err.add_note(f"onnxgraft: {opdef.name} of inputs with shapes {shapes}"
                     f"{' at ' + where if where else ''}")
        return err
    except Exception:
        pass
    if isinstance(exc, (RuntimeError, IndexError)):
        return exc
    shapes = ", ".join(f"{tuple(m[0])} {m[1]}" for m in metas)
    return RuntimeError(f"{opdef.name} failed on inputs of shape/dtype {shapes}: {exc}")


__all__ = ["apply", "BackwardNode", "AccumulateGrad", "Node", "Meta", "NoGradientError"]

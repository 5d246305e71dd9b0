"""`autograd.Function`: user-defined ops with a custom backward written in tensor ops.

forward runs without gradient tracking; its outputs get a `<Name>Backward` node whose backward
calls the user's `backward(ctx, *grads)`. Because that backward is written in tensor ops, it also
runs under create_graph=True and (in a capture) appends graph nodes.
"""

from .grad_mode import STATE, no_grad
from .node import Node, _seq


class FunctionCtx:
    def __init__(self):
        self._saved = ()
        self._freed = False
        self.needs_input_grad = ()
        self._non_differentiable = set()
        self.materialize_grads = True
        self._dirty = set()

    def save_for_backward(self, *tensors):
        self._saved = tuple(tensors)
        self._versions = tuple(None if t is None else t._vc[0] for t in tensors)

    @property
    def saved_tensors(self):
        """What forward saved; freed by a backward without retain_graph, as in PyTorch."""
        if self._freed:
            from .node import BACKWARD_TWICE
            raise RuntimeError(BACKWARD_TWICE)
        return self._saved

    def mark_non_differentiable(self, *tensors):
        self._non_differentiable.update(id(t) for t in tensors)

    def mark_dirty(self, *tensors):
        """Declare inputs that forward modified in place: apply returns them as the same objects,
        with this Function as their new history."""
        self._dirty = set(id(t) for t in tensors)

    def set_materialize_grads(self, value):
        self.materialize_grads = bool(value)


class _FunctionOpDef:
    """Duck-types a registry OpDef so the engine runs a user Function like any other node."""
    saves = ()
    saves_out = False
    vjp = True

    def __init__(self, cls, n_outputs):
        self.name = cls.__name__
        self.cls = cls
        self.n_outputs = n_outputs


class FunctionNode(Node):
    """grad_fn of a Function; an instance of a subclass named `<Function>Backward`, as in PyTorch.
    `edges`: the indices of the tensor arguments, the only ones with an entry in next_functions."""
    __slots__ = ("opdef", "ctx", "attrs", "inputs", "n_inputs", "released", "_name", "out", "edges")

    def name(self):
        return self._name

    def __repr__(self):
        # PyTorch makes these classes in torch.autograd.function, and its repr shows that module
        return f"<torch.autograd.function.{type(self).__name__} object at {hex(id(self))}>"

    def release(self):
        self.released = True
        if self.ctx._saved:
            self.ctx._freed = True

    def unpack(self):
        return self.inputs, self.out


class Function:
    """Subclass with static `forward(ctx, *args)` and `backward(ctx, *grad_outputs)`; call
    `MyFunction.apply(*args)`."""

    @staticmethod
    def forward(ctx, *args, **kwargs):
        raise NotImplementedError("autograd.Function subclasses must define forward(ctx, *args)")

    @staticmethod
    def backward(ctx, *grad_outputs):
        raise NotImplementedError("autograd.Function subclasses must define backward(ctx, *grads)")

    @classmethod
    def apply(cls, *args, **kwargs):
        from .tensor import Tensor
        ctx = _ctx_class(cls)()
        tensors = [a for a in args if isinstance(a, Tensor)]
        ctx.needs_input_grad = tuple(isinstance(a, Tensor) and a._requires_grad for a in args)
        track = STATE.grad_enabled and any(t._requires_grad for t in tensors)
        with no_grad():
            out = cls.forward(ctx, *args, **kwargs)
        outs = out if isinstance(out, tuple) else (out,)
        if ctx._dirty and STATE.grad_enabled:
            for a in tensors:
                if id(a) in ctx._dirty and a._requires_grad and a.grad_fn is None:
                    raise RuntimeError("a leaf Variable that requires grad has been used in an in-place "
                                       "operation.")
        for o in outs:  # PyTorch bumps the version of returned dirty tensors, tracked or not
            if isinstance(o, Tensor) and id(o) in ctx._dirty:
                o._vc[0] += 1
        if track:
            from .tensor import _wrap
            node = FunctionNode.__new__(_node_class(cls))
            node._pre_hooks = node._hooks = node._retained = node._meta = None
            node.opdef = _FunctionOpDef(cls, len(outs))
            node.ctx = ctx
            node.attrs = {}
            node.released = False
            node._name = f"{cls.__name__}Backward"
            node.n_inputs = len(args)
            node.inputs = [a if isinstance(a, Tensor) else None for a in args]
            node.out = outs
            node.edges = [i for i, a in enumerate(args) if isinstance(a, Tensor)]
            node.next_functions = tuple(
                ((a.grad_fn, a._output_nr) if a.grad_fn is not None else (a._accumulator(), 0))
                if a._requires_grad else (None, 0) for a in (args[i] for i in node.edges))
            node.seq = next(_seq)
            fresh = []
            for i, o in enumerate(outs):
                if isinstance(o, Tensor):
                    # a dirty input stays the same object, now with this history
                    if id(o) not in ctx._dirty and any(o is a for a in tensors):  # returning an input: give it its own identity
                        o = _wrap(o._data)
                    if id(o) not in ctx._non_differentiable and o.is_floating_point():
                        o._requires_grad, o.grad_fn, o._output_nr = True, node, i
                fresh.append(o)
            outs = tuple(fresh)
            # (shape, dtype) of each output: a missing gradient is materialized as zeros of it
            node.out = tuple((tuple(o.shape), o._data.dtype) if isinstance(o, Tensor) else None for o in outs)
        return outs if isinstance(out, tuple) else outs[0]


def _function_vjp(node, grads):
    ctx = node.ctx
    for t, v in zip(getattr(ctx, "_saved", ()), getattr(ctx, "_versions", ())):
        if t is not None and t._vc[0] != v:
            from .node import _modified_message
            raise RuntimeError(_modified_message(t, v))
    if ctx.materialize_grads and any(g is None for g in grads):
        from .tensor import _wrap
        import numpy as np
        grads = [g if g is not None or meta is None else _wrap(np.zeros(*meta))
                 for g, meta in zip(grads, node.out)]
    res = node.opdef.cls.backward(ctx, *grads)
    if not isinstance(res, tuple):
        res = (res,)
    if len(res) > node.n_inputs and all(r is None for r in res[node.n_inputs:]):
        res = res[:node.n_inputs]  # trailing Nones are allowed, as in PyTorch
    if len(res) != node.n_inputs:
        raise RuntimeError(f"function {node._name} returned an incorrect number of gradients "
                           f"(expected {node.n_inputs}, got {len(res)})")
    return [res[i] for i in node.edges]


_NODE_CLASSES = {}
_CTX_CLASSES = {}


def _ctx_class(cls):
    """The FunctionCtx subclass named `<cls>Backward`: in PyTorch ctx is the grad_fn node itself,
    so `type(ctx).__name__` reads like the node's class."""
    sub = _CTX_CLASSES.get(cls)
    if sub is None:
        sub = _CTX_CLASSES[cls] = type(f"{cls.__name__}Backward", (FunctionCtx,),
                                       {"__module__": "torch.autograd.function"})
    return sub


def _node_class(cls):
    """The FunctionNode subclass of Function `cls`, named `<cls>Backward` (made once per class)."""
    sub = _NODE_CLASSES.get(cls)
    if sub is None:
        sub = _NODE_CLASSES[cls] = type(f"{cls.__name__}Backward", (FunctionNode,),
                                        {"__slots__": (), "__module__": "torch.autograd.function"})
    return sub


class _CompositeOpDef(_FunctionOpDef):
    """Duck-types an OpDef for a composite node (see `composite`)."""

    def __init__(self, name, n_outputs):
        self.name = name
        self.cls = _Composite
        self.n_outputs = n_outputs


class _Composite:
    """The backward of a composite node: the gradient through the ops the composite recorded,
    by a nested autograd.grad (reentrant, as PyTorch's checkpointing), so create_graph still
    records differentiable ops."""

    @staticmethod
    def backward(ctx, g):
        from .engine import grad
        inner, tensors = ctx.saved_tensors
        wanted = [t for t in tensors if t is not None and t._requires_grad]
        # the inner graph is kept until this node is released (the outer backward's retain_graph)
        got = iter(grad(inner, wanted, g, retain_graph=True, create_graph=STATE.grad_enabled,
                        allow_unused=True))
        return tuple(next(got) if t is not None and t._requires_grad else None for t in tensors)


_COMPOSITE_CLASSES = {}


def _composite_class(name):
    """The FunctionNode subclass printed as PyTorch's generated node `name` (<class 'name'>)."""
    sub = _COMPOSITE_CLASSES.get(name)
    if sub is None:
        sub = _COMPOSITE_CLASSES[name] = type(name, (FunctionNode,), {
            "__slots__": (), "__module__": "builtins",
            "__repr__": lambda self: f"<{type(self).__name__} object at {hex(id(self))}>"})
    return sub


def composite(fn, tensors, name):
    """`fn(*tensors)`, a function PyTorch computes as one op but onnxgraft composes of several, with
    ONE grad_fn named `name` whose next_functions are the inputs' (as PyTorch's node), so walks of
    grad_fn.next_functions see PyTorch's graph. Its backward differentiates the composed ops. In a
    capture the composed ops are recorded as they are: the graph has no grad_fn names. An entry
    of `tensors` may be None (an optional argument not given): its slot is (None, 0)."""
    from .tensor import _wrap
    track = STATE.grad_enabled and STATE.tracer is None and any(t is not None and t._requires_grad
                                                                for t in tensors)
    out = fn(*tensors)
    if not track or out.grad_fn is None:
        return out._renamed(name)
    ctx = FunctionCtx()
    # no version checks of its own: the composed ops check the values they saved when the nested
    # grad runs them; releasing this node frees the inner graph (a second backward raises)
    ctx._saved, ctx._versions = (out, tuple(tensors)), ()
    node = FunctionNode.__new__(_composite_class(name))
    node._pre_hooks = node._hooks = node._retained = node._meta = None
    node.opdef = _CompositeOpDef(name, 1)
    node.ctx = ctx
    node.attrs = {}
    node.released = False
    node._name = name
    node.n_inputs = len(tensors)
    node.inputs = list(tensors)
    node.edges = list(range(len(tensors)))
    node.next_functions = tuple(
        ((t.grad_fn, t._output_nr) if t.grad_fn is not None else (t._accumulator(), 0))
        if t is not None and t._requires_grad else (None, 0) for t in tensors)
    node.seq = next(_seq)
    node.out = ((tuple(out.shape), out._data.dtype),)
    result = _wrap(out._data)
    result._requires_grad, result.grad_fn, result._output_nr = True, node, 0
    return result

"""Capture: record what user code does with Tensors into an `ir.Graph`.

While a `Tracer` is active (grad_mode.STATE.tracer), `node.apply` appends graph nodes instead of
computing: every Tensor made inside holds a `SymbolicArray` (shape, dtype and the graph value it
stands for) instead of numbers. Tensors that already hold numbers (parameters, optimizer state,
constants) are lifted into the graph on first use. In-place updates are functionalized: the
updated Tensor now stands for a new graph value, and for pre-existing tensors (parameters,
optimizer buffers) the last such value becomes a state output paired with the tensor's input.
`loss.backward()` runs the autodiff pass; `optimizer.step()` records itself through the same
Tensor ops it runs eagerly. The user's Tensors keep their values: a failed capture changes nothing.
"""
import inspect
import os
import sys

import numpy as np

from ..ir import Graph, Value, emit
from ..ir.ops.registry import ShapeError, NoGradientError
from ..passes.autodiff import differentiate
from .grad_mode import STATE
from .node import Node

_PACKAGE_DIR = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))


class CaptureError(RuntimeError):
    """User code did something a training graph cannot record."""


def user_frame():
    """'file:line' of the innermost frame outside onnxgraft (the user's line)."""
    f = sys._getframe(1)
    while f is not None:
        path = os.path.abspath(f.f_code.co_filename)
        if not path.startswith(_PACKAGE_DIR + os.sep):
            cwd = os.getcwd() + os.sep
            shown = path[len(cwd):] if path.startswith(cwd) else f.f_code.co_filename
            return f"{shown}:{f.f_lineno}"
        f = f.f_back
    return None


class SymbolicArray:
    """Stands in for a Tensor's numpy array during capture: it knows its shape and dtype and the
    graph value it stands for (`ref`, mutable so that in-place updates reach every alias)."""
    __slots__ = ("shape", "dtype", "ref", "tracer")

    def __init__(self, shape, dtype, ref, tracer):
        self.shape = tuple(int(s) for s in shape)
        self.dtype = np.dtype(dtype)
        self.ref = ref
        self.tracer = tracer

    @property
    def ndim(self):
        return len(self.shape)

    @property
    def size(self):
        return int(np.prod(self.shape, dtype=np.int64))

    @property
    def itemsize(self):
        return self.dtype.itemsize

    def _value_needed(self, what):
        where = user_frame()
        raise CaptureError(
            f"{what} needs the value of a tensor, which is not known while onnxgraft records a graph"
            f"{' (at ' + where + ')' if where else ''}. A recorded step cannot branch on tensor values "
            "(e.g. `if loss.item() > 1:`) or leave the graph through Python numbers; compute it with "
            "tensor ops (torch.where, clamp), move it out of the captured step, or run this step eagerly.")

    def __array__(self, *args, **kwargs):
        self._value_needed("converting a tensor to a numpy array")

    def __float__(self):
        self._value_needed("float(tensor)")

    def __int__(self):
        self._value_needed("int(tensor)")

    def __bool__(self):
        self._value_needed("using a tensor as a Python bool")

    def __len__(self):
        return self.shape[0]

    def reshape(self, *args):
        self._value_needed("tensor.item()")

    def tolist(self):
        self._value_needed("tensor.tolist()")

    def __getattr__(self, name):
        if name.startswith("__array"):  # numpy's protocols: np.asarray, printing a tensor
            self._value_needed("converting a tensor to a numpy array (np.asarray, print)")
        self._value_needed(f"reading the tensor's data (.{name})")

    def __repr__(self):
        return f"<symbolic {self.dtype.name}{list(self.shape)} = %{self.ref[0]}>"


class TracedNode(Node):
    """grad_fn shown on captured tensors (for printing and `.is_leaf`; the graph does the work)."""
    __slots__ = ("_name",)

    def __init__(self, name):
        self._name = name
        self.next_functions = ()
        self._pre_hooks = self._hooks = self._retained = self._meta = None
        self.seq = 0

    def name(self):
        return self._name


class Tracer:
    def __init__(self, name="step", param_names=None):
        self.graph = Graph(name)
        self.param_names = param_names or {}   # id(array) -> readable name
        self.lifted = {}       # id(array) -> [array, node id, current (node, out), tensor]
        self.mutated = []      # ids of lifted arrays that were assigned to, in order
        self.saved_grads = {}  # id(tensor) -> (tensor, its eager .grad before capture)
        self.n_consts = 0

    # -- values --------------------------------------------------------------------------------
    def value(self, t):
        """The graph value a Tensor stands for, lifting concrete tensors on first use."""
        data = t._data
        if type(data) is SymbolicArray:
            if data.tracer is not self:
                raise CaptureError("a tensor from another capture was used; captures cannot be nested")
            return Value(self.graph, *data.ref)
        entry = self.lifted.get(id(data))
        if entry is None:
            arr = np.asarray(data)
            name = self.param_names.get(id(data))
            if name is None:
                name = f"const_{self.n_consts}"
                self.n_consts += 1
            # every pre-existing tensor starts as a Param; finish() demotes those that were neither
            # trained nor updated to Const
            nid = self.graph.add_node("Param", out_meta=[(arr.shape, arr.dtype.name)], name=name,
                                      value=arr)
            self.graph.node(nid)["requires_grad"] = bool(t._requires_grad)
            entry = [arr, nid, (nid, 0), t]
            self.lifted[id(data)] = entry
        return Value(self.graph, *entry[2])

    def wrap(self, value, requires_grad, name=None):
        from .tensor import _wrap
        t = _wrap(SymbolicArray(value.shape, value.dtype, value.ref, self), requires_grad)
        if requires_grad:
            t.grad_fn = TracedNode(name or "CapturedBackward")
        return t

    def record(self, opdef, inputs, attrs, name):
        where = user_frame()
        values = [self.value(t) for t in inputs]
        need = STATE.grad_enabled and opdef.differentiable and any(t._requires_grad for t in inputs)
        if need:
            for i, t in enumerate(inputs):
                # `.data` (or a gradient taken without create_graph) shares its graph value with
                # a tensor gradients flow through; eagerly it is a constant, so stop them here
                if not t._requires_grad and self.graph.node(values[i].node).get("requires_grad", True):
                    values[i] = emit(self.graph, "StopGradient", [values[i]], {}, where=where)[0]
                    self.graph.node(values[i].node)["requires_grad"] = False
        try:
            outs = emit(self.graph, opdef.name, values, attrs, where=where,
                        phase="optimizer" if not STATE.grad_enabled and self._in_step else "forward")
        except ShapeError as exc:
            raise RuntimeError(f"{exc}{' (at ' + where + ')' if where else ''}") from None
        # the autodiff pass differentiates only through nodes recorded with gradient tracking, so
        # detach(), .data and no_grad stop gradients in a captured step as they do eagerly
        self.graph.node(outs[0].node)["requires_grad"] = need
        wrapped = [self.wrap(v, need, name or opdef.grad_name) for v in outs]
        return wrapped[0] if opdef.n_outputs == 1 else tuple(wrapped)

    _in_step = False

    def assign(self, target, result):
        """Functionalize `target.op_(...)`: `target` now stands for `result`'s value."""
        value = self.value(result)
        if tuple(value.shape) != tuple(target.shape):
            value = value.expand_to(target.shape)
        if value.dtype != target.dtype:
            value = value.cast_to(target.dtype)
        data = target._data
        if type(data) is SymbolicArray:
            data.ref = value.ref
        else:
            self.value(target)  # lift it: its first value is the state input
            entry = self.lifted[id(data)]
            entry[2] = value.ref
            if id(data) not in self.mutated:
                self.mutated.append(id(data))
        if STATE.grad_enabled and result._requires_grad:
            target._requires_grad = True
            target.grad_fn = result.grad_fn

    def data_dependent(self, what):
        where = user_frame()
        raise CaptureError(f"{what} cannot be recorded into a static ONNX graph"
                           f"{' (at ' + where + ')' if where else ''}; run it outside the captured step")

    # -- autograd under capture ----------------------------------------------------------------------
    def _leaves(self):
        """Lifted tensors that require grad (the trainable parameters the graph touched)."""
        return [(e[3], e) for e in self.lifted.values() if e[3]._requires_grad and e[3].grad_fn is None]

    def _differentiate(self, outputs, grad_outputs, wrt_refs):
        results = None
        for i, out in enumerate(outputs):
            if not out._requires_grad:
                self._explain_no_grad(out, i)
            seed = None
            if grad_outputs is not None and grad_outputs[i] is not None:
                seed = self.value(grad_outputs[i])
            elif out.numel() != 1:
                raise RuntimeError("grad can be implicitly created only for scalar outputs")
            try:
                got = differentiate(self.graph, self.value(out).ref, wrt_refs, seed)
            except NoGradientError as exc:
                raise NoGradientError(str(exc)) from None
            if results is None:
                results = got
            else:
                for k, v in got.items():
                    if v is not None:
                        results[k] = v if results[k] is None else results[k] + v
        return results

    def _explain_no_grad(self, out, i):
        """A loss that does not require grad: name the non-differentiable op that cut the path."""
        import networkx as nx
        loss_node = self.value(out).node
        params = {e[1] for _, e in self._leaves()}
        for nid in sorted(nx.ancestors(self.graph.nx, loss_node) | {loss_node}, reverse=True):
            d = self.graph.node(nid)
            from ..ir.ops.registry import REGISTRY
            if d["op"] in REGISTRY and not REGISTRY[d["op"]].differentiable and \
                    nx.ancestors(self.graph.nx, nid) & params:
                raise RuntimeError(
                    f"element {i} of tensors does not require grad and does not have a grad_fn: the loss "
                    f"depends on the parameters only through {d['op']}, which has no gradient"
                    f"{' (at ' + d['where'] + ')' if d.get('where') else ''}")
        raise RuntimeError(f"element {i} of tensors does not require grad and does not have a grad_fn")

    def backward(self, outputs, grad_outputs, inputs, create_graph=False):
        self._in_step = True  # ops recorded from here on under no_grad are the optimizer update
        leaves = [t for t, _ in self._leaves()] if inputs is None else list(inputs)
        refs = [self.value(t).ref for t in leaves]
        grads = self._differentiate(outputs, grad_outputs, refs)
        for t, ref in zip(leaves, refs):
            g = grads.get(ref)
            if g is None:
                continue
            if id(t) not in self.saved_grads:
                self.saved_grads[id(t)] = (t, t._grad)
            gt = self.wrap(g, create_graph)  # create_graph: later ops differentiate through it
            if t._grad is None:
                t._grad = gt
            else:
                from .inplace import commit
                commit(t._grad, t._grad + gt)
            self.graph.grads[self.lifted[id(t._data)][1] if id(t._data) in self.lifted else ref[0]] = g.ref

    def grad(self, outputs, inputs, grad_outputs, allow_unused, materialize_grads, create_graph=False):
        refs = [self.value(t).ref for t in inputs]
        grads = self._differentiate(outputs, grad_outputs, refs)
        result = []
        for i, ref in enumerate(refs):
            g = grads.get(ref)
            if g is None:
                if not allow_unused:
                    raise RuntimeError(f"The differentiated Tensor at index {i} appears to not have been used "
                                       "in the graph. Set allow_unused=True if this is the desired behavior.")
                result.append(self.wrap(Value(self.graph, *ref)._const(
                    np.zeros(inputs[i].shape, inputs[i].dtype)), False) if materialize_grads else None)
            else:
                result.append(self.wrap(g, create_graph))
        return tuple(result)

    # -- finishing -----------------------------------------------------------------------------------
    def note_grad(self, t):
        """`t.grad` is about to be assigned (zero_grad, `p.grad = None`): remember its value."""
        if id(t) not in self.saved_grads:
            self.saved_grads[id(t)] = (t, t._grad)

    def restore(self):
        """Give the user's tensors back their eager `.grad` (capture must leave no trace).
        `left_grads` keeps [(tensor, its .grad before the capture)] for the tensors the step left
        holding a recorded gradient: eagerly, the next call would start from that gradient."""
        self.left_grads = [(t, g) for t, g in self.saved_grads.values()
                           if t._grad is not None and type(t._grad._data) is SymbolicArray]
        for t, g in self.saved_grads.values():
            t._grad = g
        self.saved_grads.clear()

    def finish(self, outputs, output_names=None):
        """Set the graph's outputs and state map; demote untouched, untrained lifted tensors to Const."""
        g = self.graph
        refs = []
        for out in outputs:
            refs.append(self.value(out).ref)
        g.meta["outputs"] = refs
        g.meta["output_names"] = list(output_names or [])
        mutated = set(self.mutated)
        for key in self.mutated:
            g.state[self.lifted[key][1]] = self.lifted[key][2]
        for key, (arr, nid, cur, t) in self.lifted.items():
            if key in mutated:
                continue
            elif not (t._requires_grad and t.grad_fn is None):
                d = g.node(nid)
                d["op"] = "Const"
                g.params.remove(nid)
        # parameters in the modules' declaration order (weight before bias), not the order the
        # ops first read them (nn.Linear's addmm reads its bias first, as PyTorch's does)
        rank = {pid: k for k, pid in enumerate(self.param_names)}
        by_node = {nid: rank.get(key, len(rank)) for key, (arr, nid, cur, t) in self.lifted.items()}
        g.params.sort(key=lambda nid: by_node.get(nid, len(rank)))
        # the step's own outputs first, then the new value of every state input, in state order
        g.meta["outputs"] = refs + list(g.state.values())
        name_outputs(g, len(refs), output_names)
        return g


def name_outputs(graph, n_user, user_names=None):
    """Output names: the caller's, else 'loss' for a scalar first output of a training step and
    'output_<i>' for the rest; '<state input>.new' for state outputs. Call again after renaming
    state inputs."""
    names = list(user_names or [])
    trains = any(d.get("phase") == "backward" for _, d in graph.nx.nodes(data=True))
    for i in range(len(names), n_user):
        shape, dtype = graph.out_meta(*graph.outputs[i])
        names.append("loss" if i == 0 and trains and shape == () else f"output_{i}")
    for nid in graph.state:
        names.append(f"{graph.node(nid)['name']}.new")
    graph.meta["output_names"] = names
    graph.meta["n_user_outputs"] = n_user


def _module_param_names(fn, extra=()):
    """Readable names for the tensors a step function can reach: module parameters and buffers by
    their module path ('0.weight'), optimizer state as '<param>.<key>'."""
    from ..nn.module import Module
    from ..optim.optimizer import Optimizer
    from .tensor import Tensor
    modules, optimizers = [], []
    seen = set()

    leaves = []

    def visit(obj, label):
        if id(obj) in seen:
            return
        if isinstance(obj, Tensor):
            # a bare leaf the step trains (the seeds' `w1 = torch.randn(..., requires_grad=True)`)
            # is named after its variable
            if obj._requires_grad and obj.grad_fn is None and label:
                seen.add(id(obj))
                leaves.append((label, obj))
        elif isinstance(obj, Module):
            seen.add(id(obj))
            modules.append((label, obj))
        elif isinstance(obj, Optimizer):
            seen.add(id(obj))
            optimizers.append((label, obj))

    visit(fn, "")
    target = getattr(fn, "__func__", fn)
    self_obj = getattr(fn, "__self__", None)
    if self_obj is not None:
        visit(self_obj, "")
        for k, v in vars(self_obj).items() if hasattr(self_obj, "__dict__") else ():
            visit(v, k)
    code = getattr(target, "__code__", None)
    if code is not None:
        glb = getattr(target, "__globals__", {})
        for name in code.co_names:
            if name in glb:
                visit(glb[name], name)
        for name, cell in zip(code.co_freevars, getattr(target, "__closure__", None) or ()):
            try:
                visit(cell.cell_contents, name)
            except ValueError:
                pass
    for i, obj in enumerate(extra):
        visit(obj, f"arg{i}")
    names = {}
    by_param = {}
    # a module that is part of another found module is named through its parent
    inner = {id(sub) for _, m in modules for sub in m.modules() if sub is not m}
    modules = [(label, m) for label, m in modules if id(m) not in inner]
    # prefix names with the variable name only when two modules with parameters could collide
    multi = sum(1 for _, m in modules if any(True for _ in m.parameters())) > 1
    for label, m in modules:
        prefix = f"{label}." if (multi and label) else ""
        for pname, p in m.named_parameters():
            names.setdefault(id(p._data), prefix + pname)
            by_param[id(p)] = prefix + pname
        for bname, b in m.named_buffers():
            names.setdefault(id(b._data), prefix + bname)
    try:  # the step's arguments are graph inputs by these names: a leaf must not take one
        taken = set(inspect.signature(fn).parameters)
    except (TypeError, ValueError):
        taken = set()
    for label, t in leaves:
        if type(t._data) is not SymbolicArray and id(t._data) not in names and label not in taken:
            names[id(t._data)] = label
            by_param[id(t)] = label
    return names, by_param, modules, optimizers


def capture(fn, args, names=None, name=None):
    """Run `fn(*args)` under a Tracer. Returns (tracer, result): `result` holds symbolic Tensors.
    Tensor arguments become Input nodes named after `fn`'s parameters."""
    from .tensor import Tensor
    if STATE.tracer is not None:
        raise CaptureError("onnxgraft cannot capture inside another capture")
    tracer = Tracer(name or getattr(fn, "__name__", type(fn).__name__), names or {})
    try:
        arg_names = list(inspect.signature(fn).parameters)
    except (TypeError, ValueError):
        arg_names = []
    symbolic_args = []
    for i, a in enumerate(args):
        if isinstance(a, Tensor):
            arg_name = arg_names[i] if i < len(arg_names) and arg_names[i] not in ("args", "kwargs") \
                else f"input_{i}"
            arr = np.asarray(a._data)
            nid = tracer.graph.add_node("Input", out_meta=[(arr.shape, arr.dtype.name)], name=arg_name)
            tracer.graph.node(nid)["requires_grad"] = bool(a._requires_grad)
            t = tracer.wrap(Value(tracer.graph, nid), a._requires_grad)
            t.grad_fn = None
            symbolic_args.append(t)
        else:
            symbolic_args.append(a)
    STATE.tracer = tracer
    try:
        result = fn(*symbolic_args)
    except Exception as exc:
        # frontend errors keep PyTorch's text; the note says it happened during a capture, where
        where = _traceback_user_frame(exc.__traceback__)
        if not isinstance(exc, CaptureError) and hasattr(exc, "add_note"):
            exc.add_note(f"(raised while onnxgraft captured {tracer.graph.name!r}"
                         f"{', at ' + where if where else ''}; nothing was changed)")
        raise
    finally:
        STATE.tracer = None
        tracer.restore()
    return tracer, result


def _traceback_user_frame(tb):
    """'file:line' of the innermost traceback frame outside onnxgraft, or None."""
    where = None
    while tb is not None:
        code = tb.tb_frame.f_code
        path = os.path.abspath(code.co_filename)
        if not path.startswith(_PACKAGE_DIR + os.sep):
            cwd = os.getcwd() + os.sep  # shown as user_frame() shows it
            where = f"{path[len(cwd):] if path.startswith(cwd) else code.co_filename}:{tb.tb_lineno}"
        tb = tb.tb_next
    return where


def flatten_result(result):
    """The Tensors a step returned, in order (a Tensor, or a tuple/list of them, nested as in an
    LSTM's `(output, (h_n, c_n))`: flattened depth-first, as torch.onnx.export does)."""
    from .tensor import Tensor
    if isinstance(result, Tensor):
        return [result]
    if isinstance(result, (tuple, list)):
        return [t for r in result for t in (flatten_result(r) if isinstance(r, (tuple, list)) else
                                            [r] if isinstance(r, Tensor) else [])]
    return []


def trace(fn, *example_inputs, output_names=None):
    """Run `fn(*example_inputs)` once, recording every op into an `ir.Graph` (returned).

    Data arguments become `Input` nodes named after `fn`'s parameters; parameters of the modules
    `fn` reaches become `Param` nodes named by module path. Nothing the user holds is changed.

    `trace(matrix)` with a Tensor is PyTorch's `torch.trace` (the sum of the diagonal), so code
    written for PyTorch keeps working under `import onnxgraft as torch`."""
    from .tensor import Tensor
    if isinstance(fn, Tensor):
        if example_inputs:
            raise TypeError("trace(input) takes one matrix; to capture a function call trace(fn, *inputs)")
        return fn.trace()
    names, _, _, _ = _module_param_names(fn)
    tracer, result = capture(fn, example_inputs, names)
    return tracer.finish(flatten_result(result), output_names)

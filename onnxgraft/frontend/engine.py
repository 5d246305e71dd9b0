"""The eager autograd engine: `backward` and `grad` over grad_fn graphs.

Nodes get increasing sequence numbers at creation, and every consumer of a value is created after
its producer, so visiting the reachable nodes in decreasing sequence order sees each node after
all the gradients flowing into it have been summed. No in-degree counting: a heap keyed on the
sequence number holds the nodes that have received a gradient, so a small graph costs no
collection pass and no sort (PyTorch pays a fixed cost of tens of microseconds per backward;
bench/eager_overhead.py compares).
"""
import warnings
from heapq import heappop, heappush

import numpy as np

from ..ir.ops.registry import NoGradientError
from .grad_mode import STATE, ANOMALY
from .node import AccumulateGrad, Meta, apply, _seq
# imported at module level (an import inside a function costs about 0.7 us a call, several
# calls per backward); tensor.py imports this module lazily, so there is no cycle
from .tensor import Tensor, _wrap
from .function import FunctionNode, _function_vjp


def _hook_name(hook):
    return getattr(hook, "__name__", type(hook).__name__)


def _hook_result(hook, old, res):
    """A gradient hook's replacement gradient, checked as PyTorch checks it: a Tensor of the same
    size and type as the gradient it replaces."""
    if not isinstance(res, Tensor):
        raise TypeError(f"expected Variable, but hook returned '{type(res).__name__}'")
    if tuple(res.shape) != tuple(old.shape):
        raise RuntimeError(f"hook '{_hook_name(hook)}' has changed the size of value")
    if res.dtype != old.dtype:
        from .dtype import LEGACY
        raise RuntimeError(f"hook '{_hook_name(hook)}' has changed the type of value (was "
                           f"torch.{LEGACY[old.dtype]}Tensor got torch.{LEGACY[res.dtype]}Tensor)")
    return res


def _as_tensor_list(x):
    if x is None:
        return None
    if isinstance(x, Tensor):
        return [x]
    return list(x)


_ONES = {}  # (shape, numpy dtype) -> an array of ones, never handed out (copied)


def _root_grads(outputs, grad_outputs, create_graph):
    # PyTorch pairs them with zip (extra gradients are dropped) and its engine then counts them
    if grad_outputs is not None and len(grad_outputs) < len(outputs):
        raise RuntimeError(f"got {len(outputs)} tensors and {len(grad_outputs)} gradients")
    grads = []
    for i, out in enumerate(outputs):
        g = None if grad_outputs is None else grad_outputs[i]
        if g is None:
            if out._data.size != 1:
                raise RuntimeError("grad can be implicitly created only for scalar outputs")
            # a copy of a cached array of ones: np.ones is a Python function in numpy, and costs
            # three times as much
            pair = (out._data.shape, out._data.dtype)
            ones = _ONES.get(pair)
            if ones is None:
                if len(_ONES) >= 64:
                    _ONES.clear()
                ones = _ONES[pair] = np.ones(pair[0], dtype=pair[1])
            g = _wrap(ones.copy())
        else:
            if not isinstance(g, Tensor):
                g = _wrap(np.asarray(g, dtype=out._data.dtype))
            if tuple(g.shape) != tuple(out.shape):
                raise RuntimeError(f"Mismatch in shape: grad_output[{i}] has a shape of {g.shape} and "
                                   f"output[{i}] has a shape of {out.shape}.")
            if not create_graph:
                g = g.detach()
        grads.append(g)
    return grads


def _collect(roots):
    """Every node reachable from `roots`, in decreasing sequence order."""
    seen = set()
    order = []
    stack = [r for r in roots if r is not None]
    while stack:
        node = stack.pop()
        if node in seen:
            continue
        seen.add(node)
        order.append(node)
        for nxt, _ in node.next_functions:
            if nxt is not None and nxt not in seen:
                stack.append(nxt)
    order.sort(key=lambda n: n.seq, reverse=True)
    return order


def _needed(order, targets):
    """The nodes with a path to a target node: only their VJPs can matter. A target itself
    receives its gradient but runs its VJP only if another target lies beyond it."""
    targets = set(targets)
    needed = set()
    for node in reversed(order):  # increasing seq: next_functions come first
        for nxt, _ in node.next_functions:
            if nxt is not None and (nxt in needed or nxt in targets):
                needed.add(node)
                break
    return needed


def _key(node, output_nr):
    """Key of one output's gradient: the node itself for output 0 (nearly every node has one
    output; no tuple to build and hash), (node, output_nr) for the others."""
    return node if output_nr == 0 else (node, output_nr)


def _add(a, b):
    return b if a is None else a + b


def _sum(a, b, create_graph):
    """a + b for two gradients flowing into one value."""
    if create_graph or a._data.dtype is not b._data.dtype:
        return a + b  # recorded (or promoted) as the op
    # unrecorded and nothing to promote: the numpy sum, without an op dispatch (what `a + b`
    # would compute under no_grad)
    res = np.add(a._data, b._data)
    out = _wrap(res if type(res) is np.ndarray else np.asarray(res))
    if STATE.inference:
        out._inference = True
    return out


def run(outputs, grad_outputs, retain_graph, create_graph, capture=None, accumulate=True):
    """Core of backward/grad. `capture` is a list of (node, output_nr) whose incoming gradients
    are returned (keyed by `_key`) instead of (or besides) accumulated into leaves."""
    grads = {}  # summed incoming gradient per _key(node, output_nr)
    # (-seq, node) for each key of `grads` when it is created: popped in decreasing seq order. A
    # node with several outputs may be pushed more than once; its later pops find no gradient
    # left and are skipped. (Equal entries compare equal without comparing nodes, and two
    # different nodes never share a seq.)
    heap = []
    for out, g in zip(outputs, grad_outputs):
        if not out._requires_grad:
            raise RuntimeError("element 0 of tensors does not require grad and does not have a grad_fn")
        node = out.grad_fn if out.grad_fn is not None else out._accumulator()
        key = _key(node, out._output_nr)
        cur = grads.get(key)
        if cur is None:
            grads[key] = g
            heappush(heap, (-node.seq, node))
        else:
            grads[key] = cur + g
    needed = None
    wanted = {}
    wanted_nodes = ()
    if capture is not None:
        targets = [n for n, _ in capture if n is not None]
        needed = _needed(_collect([n for _, n in heap]), targets)
        wanted = {_key(n, nr): None for n, nr in capture if n is not None}
        wanted_nodes = set(targets)
    handed_out = set()
    prev_mode = STATE.grad_enabled
    STATE.grad_enabled = create_graph
    check_nan = ANOMALY[0] and ANOMALY[1]  # read once: the loop runs per node
    try:
        while heap:
            node = heappop(heap)[1]
            if needed is not None and node not in needed and node not in wanted_nodes:
                continue
            if type(node) is AccumulateGrad:
                g = grads.pop(node, None)
                if g is None:
                    continue
                var = node.variable
                if var._hooks is not None:
                    for hook in var._hooks["pre"]:
                        res = hook(g)
                        if res is not None:
                            g = _hook_result(hook, g, res)
                if node in wanted:
                    wanted[node] = g
                if accumulate:
                    _accumulate(var, g, create_graph, handed_out)
                    if var._hooks is not None:
                        for hook in var._hooks["post"]:
                            hook(var)
                continue
            n_outputs = node.opdef.n_outputs
            if n_outputs == 1:
                outs_g = [grads.pop(node, None)]
                if outs_g[0] is None:
                    continue
            else:
                outs_g = [grads.pop(_key(node, nr), None) for nr in range(n_outputs)]
                if all(g is None for g in outs_g):
                    continue
            if node._pre_hooks is not None:
                for nr, hooks in node._pre_hooks.items():
                    if nr is None:
                        continue
                    for hook in hooks:
                        if outs_g[nr] is not None:
                            res = hook(outs_g[nr])
                            if res is not None:
                                outs_g[nr] = _hook_result(hook, outs_g[nr], res)
                # grad_fn.register_prehook hooks see (and may replace) all the output gradients,
                # after the tensor hooks, as in PyTorch
                for hook in node._pre_hooks.get(None, ()):
                    res = hook(tuple(outs_g))
                    if res is not None:
                        res = tuple(res)
                        if len(res) != len(outs_g):
                            raise RuntimeError(f"hook '{_hook_name(hook)}' has returned an incorrect number of "
                                               f"values (got {len(res)}, but expected {len(outs_g)})")
                        outs_g = [old if r is None or old is None else _hook_result(hook, old, r)
                                  for old, r in zip(outs_g, res)]
            if node._retained is not None:
                for nr, ref in node._retained.items():
                    t = ref()
                    if t is not None and outs_g[nr] is not None:
                        g = outs_g[nr]
                        # a retained .grad accumulates across backward calls into a new tensor
                        # (out of place, unlike a leaf's .grad), as in PyTorch
                        if t._grad is None:
                            t._grad = g if create_graph else _wrap(g._data.copy())
                        elif create_graph or t._grad._requires_grad:
                            t._grad = t._grad + g
                        else:
                            t._grad = _wrap(t._grad._data + g._data)
            if wanted:
                for nr in range(n_outputs):
                    key = _key(node, nr)
                    if key in wanted:
                        wanted[key] = outs_g[nr]
            if needed is not None and node not in needed:
                continue  # a target with nothing wanted beyond it
            slots, inputs = _call_vjp(node, outs_g)
            if node._hooks is not None:
                # hooks see the node's gradients and may replace them: all are computed first
                in_grads = [None if nxt is None else _slot_value(node, r, x)
                            for (nxt, _), r, x in zip(node.next_functions, slots, inputs)] \
                    if inputs is not None else slots
                for hook in node._hooks:
                    res = hook(in_grads, tuple(outs_g))
                    if res is not None:
                        in_grads = tuple(res)
                slots, inputs = in_grads, None
            if check_nan:
                if inputs is not None:
                    slots = [None if nxt is None else _slot_value(node, r, x)
                             for (nxt, _), r, x in zip(node.next_functions, slots, inputs)]
                    inputs = None
                for i, g in enumerate(slots):
                    if type(g) is Tensor and np.isnan(g._data).any():
                        raise RuntimeError(f"Function '{node.name()}' returned nan values in its {i}th output.")
            # one pass computes each slot (unless final already: inputs is None), checks it and
            # sends it on to its next node
            for (nxt, nr), g, x in zip(node.next_functions, slots, slots if inputs is None else inputs):
                if nxt is None or g is None:
                    continue
                if inputs is not None:  # _slot_value(node, g, x), inlined: one call less per edge
                    if callable(g):
                        g = g()
                        if g is None:
                            continue
                    g_shape = g._data.shape if type(g) is Tensor else tuple(g.shape)
                    if g_shape != (x.shape if type(x) is Meta else x._data.shape):
                        raise _shape_mismatch(node, g_shape, x)
                key = nxt if nr == 0 else (nxt, nr)
                cur = grads.get(key)
                if cur is None:
                    grads[key] = g
                    heappush(heap, (-nxt.seq, nxt))
                else:
                    grads[key] = _sum(cur, g, create_graph)
            if not retain_graph:
                node.release()
    finally:
        STATE.grad_enabled = prev_mode
    return wanted


# Ops whose PyTorch derivative is itself an op (tanh_backward, ...): under create_graph the
# gradient's grad_fn is named after it, not after the last elementwise step of the rule here.
# grad_fn name -> (registry op it must be, name of the gradient's grad_fn).
_DOUBLE_BACKWARD = {
    "TanhBackward0": ("Tanh", "TanhBackwardBackward0"),
    "SigmoidBackward0": ("Sigmoid", "SigmoidBackwardBackward0"),
    "ReluBackward0": ("Relu", "ThresholdBackwardBackward0"),
    "SoftmaxBackward0": ("Softmax", "SoftmaxBackwardDataBackward0"),
    "LogSoftmaxBackward0": ("LogSoftmax", "LogSoftmaxBackwardDataBackward0"),
}


def _call_vjp(node, outs_g):
    """Run the node's gradient rule on the gradients of its outputs. Returns (slots, inputs), one
    per next_functions entry: a slot is a gradient, None, or a lazy slot (a callable), and is
    checked against its input's shape by _slot_value; inputs is None where the slots are final
    gradients already (a Function's)."""
    opdef = node.opdef
    if isinstance(node, FunctionNode):
        return _function_vjp(node, outs_g), None
    if opdef.vjp is None:
        raise NoGradientError(f"the derivative for '{opdef.name}' ({node.name()}) is not implemented")
    inputs, out = node.unpack()
    if len(outs_g) == 1:
        g = outs_g[0]
    else:
        g = tuple(gi if gi is not None else _wrap(np.zeros(m.shape, m.dtype)) for gi, m in zip(outs_g, out))
    attrs = node.attrs
    # the renaming only matters when the rule records a graph (create_graph: grad mode is on)
    double = _DOUBLE_BACKWARD.get(node._name) if STATE.grad_enabled else None
    if double is not None and double[0] != opdef.name:
        double = None
    if double is not None:
        first = next(_seq)  # nodes made by this rule have larger sequence numbers
    # no `**{}` when there are no attributes: it would build an empty dict on every call
    res = opdef.vjp(g, out, *inputs, **attrs) if attrs else opdef.vjp(g, out, *inputs)
    if double is not None:
        for r in res:
            if isinstance(r, Tensor) and r.grad_fn is not None and getattr(r.grad_fn, "seq", -1) > first:
                r._renamed(double[1])
    if len(res) != node.n_inputs:
        raise AssertionError(f"gradient rule of {opdef.name} returned {len(res)} gradients for "
                             f"{node.n_inputs} inputs")
    if node.edges is not None:  # next_functions lists only the differentiable inputs
        res = [res[i] for i in node.edges]
        inputs = [inputs[i] for i in node.edges]
    return res, inputs


def _slot_value(node, r, x):
    """The gradient in slot `r` of a rule, for input `x` (a Meta or a saved Tensor): a lazy slot
    is computed (only for an input that needs it), and the shape must be the input's."""
    if callable(r):
        r = r()
    if r is not None:
        # numpy shapes where there are arrays: Tensor.shape builds a torch.Size per call
        r_shape = r._data.shape if type(r) is Tensor else tuple(r.shape)
        if r_shape != (x.shape if type(x) is Meta else x._data.shape):
            raise _shape_mismatch(node, r_shape, x)
    return r


def _shape_mismatch(node, shape, x):
    x_shape = x.shape if type(x) is Meta else x._data.shape
    return AssertionError(f"gradient rule of {node.opdef.name} produced shape {tuple(shape)} for an "
                          f"input of shape {tuple(x_shape)}")


def _accumulate(var, g, create_graph, handed_out):
    """AccumulateGrad: the first gradient becomes `.grad`; later ones are added in place into the
    same tensor object (out of place under create_graph), as PyTorch does."""
    dtype = g._data.dtype
    if dtype is not var._data.dtype and dtype != var._data.dtype:  # numpy's: no dtype.name
        g = g.cast_to(var.dtype)
    cur = var._grad
    if cur is None:
        if create_graph:
            # PyTorch stores a copy, so a .grad with history has grad_fn CopyBackwards
            var._grad = apply("Identity", (g,), {}, "CopyBackwards") if g._requires_grad \
                else _wrap(g._data.copy())
        else:
            arr = g._data
            # the same array may be handed to two leaves (x + y passes g through) or belong to the
            # caller (backward(gradient=...)): then .grad gets its own copy, since later
            # accumulation writes into it
            arr_id = id(arr)
            if arr.base is not None or arr_id in handed_out:
                arr = arr.copy()
                arr_id = id(arr)
            else:
                flags = arr.flags  # made anew on every access
                if not flags.writeable or not flags.owndata:
                    arr = arr.copy()
                    arr_id = id(arr)
            handed_out.add(arr_id)
            var._grad = _wrap(arr)
    elif create_graph:
        var._grad = cur + g
    else:  # in place even when .grad has history (from an earlier create_graph), as PyTorch
        np.add(cur._data, g._data, out=cur._data)
        cur._vc[0] += 1


def backward(tensors, grad_tensors=None, retain_graph=None, create_graph=False, inputs=None):
    """torch.autograd.backward: sum the gradients of `tensors` into the leaves' `.grad`."""
    outputs = _as_tensor_list(tensors)
    grad_list = None if grad_tensors is None else _as_tensor_list(grad_tensors)
    if STATE.tracer is not None:
        return STATE.tracer.backward(outputs, grad_list, inputs, create_graph)
    if create_graph:
        # PyTorch warns once per process; Python's default filter shows it once per call site
        warnings.warn(
            "Using backward() with create_graph=True will create a reference cycle between the parameter "
            "and its gradient which can cause a memory leak. We recommend using autograd.grad when creating "
            "the graph to avoid this. If you have to use this function, make sure to reset the .grad fields "
            "of your parameters to None after use to break the cycle and avoid the leak.", UserWarning,
            stacklevel=3)
    if retain_graph is None:
        retain_graph = create_graph
    for i, out in enumerate(outputs):
        if not out._requires_grad:
            raise RuntimeError(f"element {i} of tensors does not require grad and does not have a grad_fn")
    grads = _root_grads(outputs, grad_list, create_graph)
    if inputs is None:
        run(outputs, grads, retain_graph, create_graph)
        return
    inputs = _as_tensor_list(inputs)
    if not inputs:
        raise RuntimeError("'inputs' argument to backward() cannot be empty.")
    targets = [_target(t) for t in inputs]
    got = run(outputs, grads, retain_graph, create_graph, capture=targets, accumulate=False)
    for t, key in zip(inputs, targets):
        g = got.get(_key(*key))
        if g is not None:
            if t.grad_fn is None:
                _accumulate(t, g, create_graph, set())
            else:
                t._grad = _add(t._grad, g)


def _target(t):
    if not t._requires_grad:
        raise RuntimeError("One of the differentiated Tensors does not require grad")
    if t.grad_fn is not None:
        return (t.grad_fn, t._output_nr)
    return (t._accumulator(), 0)


def grad(outputs, inputs, grad_outputs=None, retain_graph=None, create_graph=False,
         only_inputs=True, allow_unused=None, is_grads_batched=False, materialize_grads=False):
    """torch.autograd.grad: the gradients of `outputs` with respect to `inputs`, returned as a
    tuple; `.grad` fields are left untouched."""
    outputs = _as_tensor_list(outputs)
    inputs = _as_tensor_list(inputs)
    grad_list = _as_tensor_list(grad_outputs)
    if not inputs:
        raise RuntimeError("`inputs` argument to `grad()` cannot be empty.")
    if allow_unused is None:
        allow_unused = materialize_grads
    if STATE.tracer is not None:
        return STATE.tracer.grad(outputs, inputs, grad_list, allow_unused, materialize_grads,
                                 create_graph)
    if retain_graph is None:
        retain_graph = create_graph
    for i, out in enumerate(outputs):
        if not out._requires_grad:
            raise RuntimeError(f"element {i} of tensors does not require grad and does not have a grad_fn")
    grads = _root_grads(outputs, grad_list, create_graph)
    targets = [_target(t) for t in inputs]
    got = run(outputs, grads, retain_graph, create_graph, capture=targets, accumulate=False)
    result = []
    for i, (t, key) in enumerate(zip(inputs, targets)):
        g = got.get(_key(*key))
        if g is None:
            if not allow_unused:
                raise RuntimeError(f"The differentiated Tensor at index {i} appears to not have been used "
                                   "in the graph. Set allow_unused=True if this is the desired behavior.")
            if materialize_grads:
                g = _wrap(np.zeros(t._data.shape, t._data.dtype))
        elif not create_graph and g._requires_grad:
            g = g.detach()
        result.append(g)
    return tuple(result)

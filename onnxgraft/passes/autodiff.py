"""autodiff: append the backward subgraph of a loss to an `ir.Graph`.

Walks the nodes between the differentiated values and the loss in reverse topological order
(descending node ids) and runs each op's registry VJP on symbolic `ir.Value`s, the same rules
the eager engine runs. Gradients reaching a value from several uses are summed with Add; values
no gradient reaches get no gradient node; an op without a rule raises, naming the op and the
user's line. Appended nodes carry phase="backward".
"""
import numpy as np

from ..ir.ops.registry import REGISTRY, NoGradientError
from ..ir.value import Value, phase_scope


def _ancestors_and_descendants(graph, loss_node, wrt_nodes):
    """Nodes on some path wrt -> loss: only their VJPs can contribute."""
    import networkx as nx
    up = nx.ancestors(graph.nx, loss_node) | {loss_node}
    # a node captured without gradient tracking (detach, .data, no_grad) passes no gradient, and
    # neither does a non-differentiable op (comparisons, ArgMax): nothing past it is on a path
    def passes_gradient(n):
        d = graph.node(n)
        op = REGISTRY.get(d["op"])
        return n in wrt_nodes or (d.get("requires_grad", True) and (op is None or op.differentiable))
    tracked = nx.subgraph_view(graph.nx, filter_node=passes_gradient)
    down = set()
    for w in wrt_nodes:
        down |= nx.descendants(tracked, w) | {w}
    return up & down


def differentiate(graph, loss, wrt, seed=None):
    """Append d(loss)/d(w) for each (node, out) ref in `wrt`; return {ref: Value or None}.

    `loss` is a (node, out) ref; `seed` an optional Value holding the output cotangent (ones of
    the loss's shape by default, as `loss.backward()`)."""
    loss = tuple(loss)
    wrt = [tuple(w) for w in wrt]
    on_path = _ancestors_and_descendants(graph, loss[0], [w[0] for w in wrt])
    cot = {}
    with phase_scope("backward"):
        lv = Value(graph, *loss)
        if seed is None:
            seed = lv._const(np.ones(lv.shape, dtype=lv.dtype))
        cot[loss] = seed
        for nid in [n for n in reversed(graph.nodes()) if n in on_path]:
            data = graph.node(nid)
            op = data["op"]
            if op in ("Input", "Param", "Const"):
                continue
            opdef = REGISTRY[op]
            n_out = graph.n_outputs(nid)
            gs = [cot.get((nid, k)) for k in range(n_out)]
            if all(g is None for g in gs):
                continue
            if not opdef.differentiable:
                continue
            if opdef.vjp is None:
                raise NoGradientError(f"{op}: no gradient rule is registered for this op"
                                      f"{_at(data)}; it lies on the path from the parameters to the loss")
            inputs = [Value(graph, src, out) for src, out in graph.input_values(nid)]
            outs = [Value(graph, nid, k) for k in range(n_out)]
            if n_out == 1:
                g, out = gs[0], outs[0]
            else:
                g = tuple(gi if gi is not None else o._const(np.zeros(o.shape, o.dtype))
                          for gi, o in zip(gs, outs))
                out = tuple(outs)
            res = opdef.vjp(g, out, *inputs, **data["attrs"])
            if len(res) != len(inputs):
                raise AssertionError(f"gradient rule of {op} returned {len(res)} gradients for "
                                     f"{len(inputs)} inputs")
            for x, r in zip(inputs, res):
                if r is None or x.node not in on_path:
                    continue
                if callable(r):
                    r = r()
                if r is None:
                    continue
                if tuple(r.shape) != tuple(x.shape):
                    raise AssertionError(f"gradient rule of {op} produced shape {tuple(r.shape)} "
                                         f"for an input of shape {tuple(x.shape)}")
                prev = cot.get(x.ref)
                cot[x.ref] = r if prev is None else prev + r
    return {w: cot.get(w) for w in wrt}


def _at(data):
    where = data.get("where")
    return f" (called at {where})" if where else ""

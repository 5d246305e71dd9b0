"""dce: remove nodes that no graph output, state output or gradient (g.grads) depends on.
Inputs, state inputs and differentiated Params stay: they are the step's interface."""
import networkx as nx

from .manager import register


@register("dce")
def dce(graph):
    live = set()
    # the gradient map is part of the interface too (a traced `loss.backward()` is read through
    # it); in a training step the update consumes every gradient, so this keeps nothing extra
    roots = ({tuple(r)[0] for r in graph.outputs} | {tuple(v)[0] for v in graph.state.values()}
             | {tuple(v)[0] for v in graph.grads.values() if v is not None})
    for r in roots:
        live.add(r)
        live |= nx.ancestors(graph.nx, r)
    keep = set(graph.inputs) | set(graph.state) | set(graph.grads)
    dead = [n for n in graph.nodes() if n not in live and n not in keep]
    if dead:
        graph.remove_nodes(dead)
    return graph

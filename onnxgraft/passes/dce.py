"""dce: remove nodes that no graph output or state output depends on. Inputs, and Params that
are state or trainable, stay: they are the step's interface."""
import networkx as nx

from .manager import register


@register("dce")
def dce(graph):
    live = set()
    roots = {tuple(r)[0] for r in graph.outputs} | {tuple(v)[0] for v in graph.state.values()}
    for r in roots:
        live.add(r)
        live |= nx.ancestors(graph.nx, r)
    keep = set(graph.inputs) | set(graph.state)
    dead = [n for n in graph.nodes() if n not in live and n not in keep]
    if dead:
        graph.remove_nodes(dead)
    return graph

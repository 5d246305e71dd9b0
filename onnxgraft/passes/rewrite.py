"""Shared helper of the rewriting passes: redirect every use of one value to another."""


def replace_uses(graph, old, new):
    """Point every consumer, graph output and state output of `old` (node, out) at `new`."""
    old, new = tuple(old), tuple(new)
    for _, dst, key, data in list(graph.nx.out_edges(old[0], keys=True, data=True)):
        if data["out"] == old[1]:
            graph.nx.remove_edge(old[0], dst, key)
            graph.nx.add_edge(new[0], dst, idx=data["idx"], out=new[1])
    graph.meta["outputs"] = [new if tuple(o) == old else o for o in graph.outputs]
    graph.meta["state"] = {k: (new if tuple(v) == old else v) for k, v in graph.state.items()}
    graph.meta["grads"] = {k: (new if v is not None and tuple(v) == old else v) for k, v in graph.grads.items()}

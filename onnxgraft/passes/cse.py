"""cse: merge nodes computing the same op with the same attributes on the same inputs, and Const
nodes holding equal small values."""
from .manager import register
from .rewrite import replace_uses


def _key(graph, nid):
    d = graph.node(nid)
    if d["op"] == "Const":
        v = d["value"]
        if v.size > 16:
            return None
        return ("Const", v.dtype.name, v.shape, v.tobytes())
    if d["op"] in ("Input", "Param"):
        return None
    attrs = tuple(sorted((k, repr(v)) for k, v in d["attrs"].items()))
    return (d["op"], attrs, tuple(graph.input_values(nid)))


@register("cse")
def cse(graph):
    seen = {}
    for nid in graph.nodes():
        key = _key(graph, nid)
        if key is None:
            continue
        first = seen.get(key)
        if first is None:
            seen[key] = nid
            continue
        for k in range(graph.n_outputs(nid)):
            replace_uses(graph, (nid, k), (first, k))
    return graph

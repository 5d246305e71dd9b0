"""fold: evaluate nodes whose inputs are all constants with their numpy kernel, and replace them
with one Const (bias-correction factors, reshaped constants, casts of literals)."""
import numpy as np

from ..ir.ops.registry import REGISTRY
from .manager import register
from .rewrite import replace_uses

MAX_FOLD_ELEMENTS = 1 << 16  # keep large broadcast constants as ops, not initializers


@register("fold")
def fold(graph):
    for nid in graph.nodes():
        if nid not in graph.nx:
            continue
        d = graph.node(nid)
        if d["op"] in ("Input", "Param", "Const") or graph.n_outputs(nid) != 1:
            continue
        srcs = graph.input_values(nid)
        if not srcs or any(graph.node(s)["op"] != "Const" for s, _ in srcs):
            continue
        if int(np.prod(d["shape"], dtype=np.int64)) > MAX_FOLD_ELEMENTS:
            continue
        value = np.asarray(REGISTRY[d["op"]].eager(*[graph.node(s)["value"] for s, _ in srcs], **d["attrs"]))
        value = value.astype(d["dtype"], copy=False)
        c = graph.add_node("Const", out_meta=[(value.shape, value.dtype.name)], value=value,
                           phase=d["phase"], name=f"{d['name']}_folded")
        replace_uses(graph, (nid, 0), (c, 0))
    return graph

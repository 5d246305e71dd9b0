"""simplify: local algebraic rewrites, a table of (pattern, replacement), each with its rule."""
import numpy as np

from .manager import register
from .rewrite import replace_uses


def _const_value(graph, ref):
    d = graph.node(ref[0])
    return d["value"] if d["op"] == "Const" else None


def _is_scalar(graph, ref, number):
    v = _const_value(graph, ref)
    return v is not None and v.size == 1 and float(v.reshape(())) == number


def _same_meta(graph, a, b):
    return graph.out_meta(*a) == graph.out_meta(*b)


def _identity(graph, nid, ins):
    # Identity(x) -> x
    return ins[0]


def _reshape_noop(graph, nid, ins):
    # Reshape(x, shape) -> x when shape is x's shape (also Expand, Cast to the same dtype)
    return ins[0] if _same_meta(graph, ins[0], (nid, 0)) else None


def _transpose_pair(graph, nid, ins):
    # Transpose(Transpose(x, p), q) -> x when q undoes p
    src = graph.node(ins[0][0])
    if src["op"] != "Transpose":
        return None
    p, q = src["attrs"]["perm"], graph.node(nid)["attrs"]["perm"]
    if [p[i] for i in q] == list(range(len(p))):
        return graph.input_values(ins[0][0])[0]
    return None


def _mul_one(graph, nid, ins):
    # Mul(x, 1) -> x and Mul(1, x) -> x when the shape and dtype do not change
    for keep, other in ((0, 1), (1, 0)):
        if _is_scalar(graph, ins[other], 1.0) and _same_meta(graph, ins[keep], (nid, 0)):
            return ins[keep]
    return None


def _add_zero(graph, nid, ins):
    # Add(x, 0) -> x, Add(0, x) -> x, Sub(x, 0) -> x when the shape and dtype do not change
    op = graph.node(nid)["op"]
    pairs = ((0, 1), (1, 0)) if op == "Add" else ((0, 1),)
    for keep, other in pairs:
        if _is_scalar(graph, ins[other], 0.0) and _same_meta(graph, ins[keep], (nid, 0)):
            return ins[keep]
    return None


def _div_one(graph, nid, ins):
    # Div(x, 1) -> x
    return ins[0] if _is_scalar(graph, ins[1], 1.0) and _same_meta(graph, ins[0], (nid, 0)) else None


RULES = {
    "Identity": _identity,
    "Reshape": _reshape_noop,
    "Expand": _reshape_noop,
    "Cast": _reshape_noop,
    "Transpose": _transpose_pair,
    "Mul": _mul_one,
    "Add": _add_zero,
    "Sub": _add_zero,
    "Div": _div_one,
}


@register("simplify")
def simplify(graph):
    for nid in graph.nodes():
        rule = RULES.get(graph.node(nid)["op"])
        if rule is None:
            continue
        new = rule(graph, nid, graph.input_values(nid))
        if new is not None:
            replace_uses(graph, (nid, 0), tuple(new))
    return graph

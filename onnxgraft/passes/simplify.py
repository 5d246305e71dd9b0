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


def _single_user(graph, ref):
    return len(list(graph.nx.out_edges(ref[0]))) == 1


def _scalar_const(graph, ref):
    v = _const_value(graph, ref)
    return v if v is not None and v.size == 1 else None


def _new_const(graph, value, phase):
    value = np.asarray(value)
    nid = graph.add_node("Const", out_meta=[(value.shape, value.dtype.name)], value=value, phase=phase)
    return (nid, 0)


def _reshape(graph, nid, ins):
    # Reshape(x, shape) -> x when shape is x's shape;
    # Reshape(ReduceSum(x, axes, keepdims=1), s) -> ReduceSum(x, axes, keepdims=0) when s is the
    # shape without the reduced axes (how sum_to ends): one node instead of two
    if _same_meta(graph, ins[0], (nid, 0)):
        return ins[0]
    src = graph.node(ins[0][0])
    if src["op"] != "ReduceSum" or not src["attrs"].get("keepdims", 1) or not _single_user(graph, ins[0]):
        return None
    axes = src["attrs"].get("axes")
    x = graph.input_values(ins[0][0])[0]
    x_shape = graph.out_meta(*x)[0]
    ndim = len(x_shape)
    axes = set(range(ndim)) if axes is None else {a % ndim for a in axes}
    dropped = tuple(s for i, s in enumerate(x_shape) if i not in axes)
    if dropped != tuple(graph.node(nid)["shape"]):
        return None
    attrs = dict(src["attrs"], keepdims=0)
    d = graph.node(nid)
    new = graph.add_node("ReduceSum", [x], attrs=attrs, out_meta=[(d["shape"], d["dtype"])],
                         phase=d["phase"], name=f"{src['name']}_squeezed")
    return (new, 0)


def _mul(graph, nid, ins):
    # Mul(x, 1) -> x; Mul(Mul(x, c1), c2) -> Mul(x, c1 * c2) for scalar constants c1, c2:
    # one pass over x instead of two (gradient scalings followed by a learning rate)
    same = _mul_one(graph, nid, ins)
    if same is not None:
        return same
    d = graph.node(nid)
    # Mul(x, C) -> Mul(x, c) when the constant C holds one repeated value and x already has the
    # output's shape (the folded 1/N of a mean's gradient): then the chain rule below applies
    for keep, other in ((0, 1), (1, 0)):
        v = _const_value(graph, ins[other])
        if v is not None and v.size > 1 and _same_meta(graph, ins[keep], (nid, 0)) \
                and np.all(v == v.flat[0]):
            c = _new_const(graph, np.asarray(v.flat[0], dtype=v.dtype), d["phase"])
            new = graph.add_node("Mul", [ins[keep], c], out_meta=[(d["shape"], d["dtype"])],
                                 phase=d["phase"], name=d["name"])
            return (new, 0)
    for inner, outer in ((0, 1), (1, 0)):
        c2 = _scalar_const(graph, ins[outer])
        src = graph.node(ins[inner][0])
        if c2 is None or src["op"] != "Mul" or not _single_user(graph, ins[inner]):
            continue
        src_ins = graph.input_values(ins[inner][0])
        for k in (0, 1):
            c1 = _scalar_const(graph, src_ins[1 - k])
            x = src_ins[k]
            if c1 is None or not _same_meta(graph, x, (nid, 0)) or c1.dtype != c2.dtype:
                continue
            c = _new_const(graph, (c1 * c2).astype(c1.dtype).reshape(
                c1.shape if c1.ndim >= c2.ndim else c2.shape), d["phase"])
            new = graph.add_node("Mul", [x, c], out_meta=[(d["shape"], d["dtype"])], phase=d["phase"],
                                 name=d["name"])
            return (new, 0)
    return None


def _add(graph, nid, ins):
    # Add(x, 0) -> x; Add(t, t) -> Mul(t, 2) (the same cost, and Mul chains fold above)
    same = _add_zero(graph, nid, ins)
    if same is not None:
        return same
    if tuple(ins[0]) == tuple(ins[1]) and graph.node(nid)["dtype"].startswith("float"):
        d = graph.node(nid)
        c = _new_const(graph, np.asarray(2, dtype=d["dtype"]), d["phase"])
        new = graph.add_node("Mul", [ins[0], c], out_meta=[(d["shape"], d["dtype"])], phase=d["phase"],
                             name=d["name"])
        return (new, 0)
    return None


RULES = {
    "Identity": _identity,
    "Reshape": _reshape,
    "Expand": _reshape_noop,
    "Cast": _reshape_noop,
    "Transpose": _transpose_pair,
    "Mul": _mul,
    "Add": _add,
    "Sub": _add_zero,
    "Div": _div_one,
}


@register("simplify")
def simplify(graph):
    for nid in graph.nodes():
        if nid not in graph.nx:
            continue
        rule = RULES.get(graph.node(nid)["op"])
        if rule is None:
            continue
        new = rule(graph, nid, graph.input_values(nid))
        if new is not None:
            replace_uses(graph, (nid, 0), tuple(new))
    return graph

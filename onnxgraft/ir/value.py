"""`Value`: a symbolic output of a graph node. VJP rules run on Values to append backward nodes."""
import contextlib

import numpy as np

from .opmixin import OpMixin
from .ops import registry

# The phase stamped on nodes appended inside `phase_scope` (the autodiff pass appends "backward"
# nodes even when a rule computes from forward values, e.g. cos(x) in sin's VJP).
_PHASE = [None]


@contextlib.contextmanager
def phase_scope(phase):
    prev, _PHASE[0] = _PHASE[0], phase
    try:
        yield
    finally:
        _PHASE[0] = prev


class Value(OpMixin):
    __slots__ = ("graph", "node", "out", "shape", "dtype", "phase")

    def __init__(self, graph, node, out=0, phase="forward"):
        self.graph = graph
        self.node = node
        self.out = out
        self.shape, self.dtype = graph.out_meta(node, out)
        self.phase = phase

    __hash__ = object.__hash__

    @property
    def ref(self):
        return (self.node, self.out)

    def _const(self, array):
        array = np.asarray(array)
        phase = _PHASE[0] or self.phase
        nid = self.graph.add_node("Const", out_meta=[(array.shape, array.dtype.name)], value=array,
                                  phase=phase, name=f"const_{self.graph._counter}")
        return Value(self.graph, nid, 0, phase)

    def _op(self, op, *inputs, _name=None, **attrs):
        return emit(self.graph, op, inputs, attrs, phase=self.phase)[0]

    def __repr__(self):
        d = self.graph.node(self.node)
        return f"<Value %{self.node}.{self.out} {d['op']} {self.shape} {self.dtype}>"


def emit(graph, op, inputs, attrs, phase="forward", name=None, where=None):
    """Append one op to `graph` (shape rule checked) and return its outputs as Values."""
    opdef = registry.get(op)
    phase = _PHASE[0] or phase
    metas = [(tuple(v.shape), v.dtype) for v in inputs]
    attrs = {k: v for k, v in attrs.items() if v is not None}
    out_meta = opdef.infer(*metas, **attrs)
    nid = graph.add_node(op, [v.ref for v in inputs], attrs=attrs, out_meta=out_meta, phase=phase,
                         name=name, where=where)
    return [Value(graph, nid, i, phase) for i in range(len(out_meta))]

"""merge_state: compute once the scalar state that several parameters keep in step.

Adam keeps one step counter per parameter, and every counter gets the same update and the same
bias-correction arithmetic: a dozen scalar nodes per parameter. When several scalar state inputs
start equal and their updates are the same computation, reading the first one everywhere leaves
their outputs one shared value, and cse folds the copies away. This is only valid while the
inputs stay equal, so the pass returns the groups it merged and the caller must check, before
each run, that they still are (a compiled step recaptures when Python made them differ).
"""
import numpy as np

from .cse import cse
from .dce import dce
from .rewrite import replace_uses


def merge_equal_scalar_state(graph):
    """Return (graph, groups): each group a list of state input node ids merged into its first."""
    by_value = {}
    for nid in graph.state:
        d = graph.node(nid)
        value = d.get("value")
        if value is None or np.asarray(value).size != 1:
            continue
        key = (d["dtype"], tuple(d["shape"]), np.asarray(value).tobytes())
        by_value.setdefault(key, []).append(nid)
    groups = [nids for nids in by_value.values() if len(nids) > 1]
    if not groups:
        return graph, []
    trial = graph.copy()
    for nids in groups:
        for other in nids[1:]:
            _redirect_reads(trial, other, nids[0])
    trial = dce(cse(trial))
    kept = []
    for nids in groups:
        outs = {tuple(trial.state[n]) for n in nids}
        if len(outs) == 1:
            kept.append(nids)
    if not kept:
        return graph, []
    # redo on the original graph with only the groups whose updates really coincide
    for nids in kept:
        for other in nids[1:]:
            _redirect_reads(graph, other, nids[0])
    return dce(cse(graph)), kept


def _redirect_reads(graph, old, new):
    """Point the consumers of state input `old` at `new`, keeping `old` as a graph input and
    its own entry in the state map (its output is recomputed from `new`)."""
    keep_state = dict(graph.state)
    keep_outputs = list(graph.outputs)
    replace_uses(graph, (old, 0), (new, 0))
    # replace_uses also rewrites outputs and state values that were `old` itself (a state
    # passed through unchanged); those must stay what they were
    graph.meta["state"] = {k: (v if tuple(v) != (new, 0) or tuple(keep_state[k]) != (old, 0)
                               else keep_state[k]) for k, v in graph.state.items()}
    graph.meta["outputs"] = [o if tuple(o) != (new, 0) or tuple(k) != (old, 0) else k
                             for o, k in zip(graph.outputs, keep_outputs)]

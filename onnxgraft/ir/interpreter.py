"""A numpy interpreter of graphs: runs every node with its registry kernel. The reference that
passes are checked against (interpret before and after a pass)."""
import numpy as np

from .ops import registry


def interpret(graph, feeds=None, params=None):
    """Run `graph`; `feeds` maps Input names to arrays, `params` maps Param names to arrays
    (defaulting to the values stored in the graph). Returns {(node, out): array}."""
    feeds = feeds or {}
    params = params or {}
    env = {}
    for nid in graph.nodes():
        d = graph.node(nid)
        op = d["op"]
        if op == "Input":
            if d["name"] not in feeds:
                raise KeyError(f"interpret: no value given for graph input {d['name']!r}")
            env[(nid, 0)] = np.asarray(feeds[d["name"]])
        elif op == "Param":
            env[(nid, 0)] = np.asarray(params.get(d["name"], d["value"]))
        elif op == "Const":
            env[(nid, 0)] = d["value"]
        else:
            args = [env[ref] for ref in graph.input_values(nid)]
            res = registry.get(op).eager(*args, **d["attrs"])
            if isinstance(res, tuple):
                for i, r in enumerate(res):
                    env[(nid, i)] = np.asarray(r)
            else:
                env[(nid, 0)] = np.asarray(res)
    return env


def run_outputs(graph, feeds=None, params=None):
    """Values of the graph's outputs, in order."""
    env = interpret(graph, feeds, params)
    return [env[tuple(ref)] for ref in graph.outputs]

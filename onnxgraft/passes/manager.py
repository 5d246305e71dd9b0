"""The pass manager: runs a pipeline of registered passes to a fixed point, verifies the graph
after each pass when asked (shape rules re-run), and names the passes already run when one fails."""
from ..ir.ops.registry import REGISTRY

PASSES = {}
DEFAULT_PIPELINE = ("simplify", "fold", "cse", "dce")


class PassError(RuntimeError):
    pass


def register(name):
    def deco(fn):
        PASSES[name] = fn
        fn.pass_name = name
        return fn
    return deco


def verify(graph):
    """Re-run every node's shape/dtype rule and check edges; raise on the first mismatch."""
    for nid in graph.nodes():
        d = graph.node(nid)
        if d["op"] in ("Input", "Param", "Const"):
            if d["op"] == "Const" and tuple(d["value"].shape) != tuple(d["shape"]):
                raise PassError(f"node %{nid} ({d['name']}): Const value shape {d['value'].shape} "
                                f"!= declared {d['shape']}")
            continue
        metas = [graph.out_meta(src, out) for src, out in graph.input_values(nid)]
        slots = sorted(e[2]["idx"] for e in graph.nx.in_edges(nid, data=True))
        if slots != list(range(len(slots))):
            raise PassError(f"node %{nid} ({d['op']}): input slots {slots} are not 0..n-1")
        got = REGISTRY[d["op"]].infer(*metas, **d["attrs"])
        want = [graph.out_meta(nid, k) for k in range(graph.n_outputs(nid))]
        if [(tuple(s), t) for s, t in got] != [(tuple(s), t) for s, t in want]:
            raise PassError(f"node %{nid} ({d['op']} {d['name']}): shape rule gives {got}, graph says {want}")
    return graph


def run_pipeline(graph, names=DEFAULT_PIPELINE, *, check=False, max_rounds=10):
    """Run the passes in order, repeating the whole pipeline until no pass changes the graph."""
    done = []
    for _ in range(max_rounds):
        before = _fingerprint(graph)
        for name in names:
            try:
                graph = PASSES[name](graph)
                if check:
                    verify(graph)
            except Exception as exc:
                ran = ", ".join(done) or "none"
                raise PassError(f"pass {name!r} failed ({exc}); passes already run: {ran}") from exc
            done.append(name)
        if _fingerprint(graph) == before:
            break
    return graph


def _fingerprint(graph):
    # node ids come from a counter, so a rewrite that replaces a node changes this set even when
    # the node count stays the same
    return (tuple(sorted(graph.nx.nodes)), graph.nx.number_of_edges(), tuple(graph.outputs),
            tuple(sorted(graph.state.items())))

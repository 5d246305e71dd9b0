"""`Graph`: a networkx.MultiDiGraph whose nodes are ONNX operators.

Schema (see DESIGN.md):
- node ids are ints from a per-graph counter, so ascending ids are a topological order;
- node attributes: op, domain, attrs (ONNX attributes as plain Python values), shape and dtype
  (of output 0), out_meta (a tuple of (shape, dtype) per output, for multi-output ops), name,
  value (Const and Param nodes), phase ("forward", "backward", "optimizer");
- edges carry idx (which input of the consumer) and out (which output of the producer);
- g.graph holds inputs, params, outputs (lists of (node, out) pairs or node ids), grads
  ({param node: grad value}) and state ({state input node: state output (node, out)}).
Only plain data lives here: the graph pickles, diffs and exports.
"""
import networkx as nx

PSEUDO_OPS = ("Input", "Param", "Const")


class Graph:
    def __init__(self, name="onnxgraft"):
        self.nx = nx.MultiDiGraph(name=name, inputs=[], params=[], outputs=[], output_names=[],
                                  grads={}, state={}, loss=None)
        self._counter = 0

    # -- the ordered lists a training step needs -------------------------------------------------
    @property
    def name(self):
        return self.nx.graph["name"]

    @property
    def meta(self):
        return self.nx.graph

    @property
    def inputs(self):
        return self.nx.graph["inputs"]

    @property
    def params(self):
        return self.nx.graph["params"]

    @property
    def outputs(self):
        return self.nx.graph["outputs"]

    @property
    def state(self):
        return self.nx.graph["state"]

    @property
    def grads(self):
        return self.nx.graph["grads"]

    # -- building ------------------------------------------------------------------------------
    def add_node(self, op, inputs=(), *, attrs=None, out_meta, name=None, value=None,
                 phase="forward", domain="", where=None):
        """Append a node; `inputs` are (node, out) pairs; `out_meta` one (shape, dtype) per output."""
        nid = self._counter
        self._counter += 1
        shape, dtype = out_meta[0]
        data = dict(op=op, domain=domain, attrs=dict(attrs or {}), shape=tuple(shape), dtype=dtype,
                    name=name or f"{op.lower()}_{nid}", phase=phase)
        if len(out_meta) > 1:
            data["out_meta"] = tuple((tuple(s), d) for s, d in out_meta)
        if value is not None:
            data["value"] = value
        if where:
            data["where"] = where
        self.nx.add_node(nid, **data)
        for idx, (src, out) in enumerate(inputs):
            self.nx.add_edge(src, nid, idx=idx, out=out)
        if op == "Input":
            self.inputs.append(nid)
        elif op == "Param":
            self.params.append(nid)
        return nid

    # -- reading -------------------------------------------------------------------------------
    def node(self, nid):
        return self.nx.nodes[nid]

    def nodes(self):
        """Node ids in a deterministic topological order: ascending ids, except that nodes a pass
        inserted later (a folded constant) come before their consumers."""
        return list(nx.lexicographical_topological_sort(self.nx))

    def input_values(self, nid):
        """The (node, out) pairs feeding `nid`, ordered by input slot."""
        edges = sorted(self.nx.in_edges(nid, data=True), key=lambda e: e[2]["idx"])
        return [(src, d["out"]) for src, _, d in edges]

    def out_meta(self, nid, out=0):
        data = self.nx.nodes[nid]
        if out == 0:
            return data["shape"], data["dtype"]
        return data["out_meta"][out]

    def n_outputs(self, nid):
        return len(self.nx.nodes[nid].get("out_meta", ((),)))

    def users(self, nid):
        return sorted({dst for _, dst in self.nx.out_edges(nid)})

    def remove_nodes(self, nids):
        self.nx.remove_nodes_from(nids)
        keep = set(self.nx.nodes)
        self.meta["inputs"] = [n for n in self.inputs if n in keep]
        self.meta["params"] = [n for n in self.params if n in keep]

    def copy(self):
        new = Graph.__new__(Graph)
        new.nx = self.nx.copy()
        new.nx.graph = {k: (v.copy() if isinstance(v, (list, dict)) else v)
                        for k, v in self.nx.graph.items()}
        new._counter = self._counter
        return new

    def __len__(self):
        return self.nx.number_of_nodes()

    def __repr__(self):
        return (f"<Graph {self.name}: {len(self)} nodes, {len(self.inputs)} inputs, "
                f"{len(self.params)} params, {len(self.outputs)} outputs>")

    def summary(self):
        """One line per node: `%id = Op[attrs](inputs) : shape dtype  (phase)`."""
        lines = []
        for nid in self.nodes():
            d = self.node(nid)
            args = ", ".join(f"%{s}" + (f".{o}" if o else "") for s, o in self.input_values(nid))
            attrs = f"[{d['attrs']}]" if d["attrs"] else ""
            lines.append(f"%{nid} = {d['op']}{attrs}({args}) : {d['shape']} {d['dtype']}"
                         f"  # {d['name']} ({d['phase']})")
        return "\n".join(lines)

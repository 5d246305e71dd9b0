"""Graphviz DOT text of an `ir.Graph` (plain text: no graphviz package needed to write it).

Op nodes are filled by phase (forward, backward, optimizer); graph inputs, parameters and
constants have their own shapes; graph outputs get a double border and their output name.
Render with `dot -Tsvg graph.dot -o graph.svg`.
"""
from ..ir.graph import Graph

PHASE_COLORS = {"forward": "#cfe2ff", "backward": "#f8d7da", "optimizer": "#d1e7dd"}
PSEUDO_STYLE = {"Input": 'shape=invhouse, fillcolor="#fff3cd"',
                "Param": 'shape=cylinder, fillcolor="#e2d9f3"',
                "Const": 'shape=note, fillcolor="#f1f3f5"'}


def _quote(text):
    return '"' + str(text).replace("\\", "\\\\").replace('"', '\\"').replace("\n", "\\n") + '"'


def _shape(shape, dtype):
    dims = "(" + ", ".join(map(str, shape)) + ("," if len(shape) == 1 else "") + ")"
    return f"{dims} {dtype}"


def _attrs(attrs):
    parts = []
    for key in sorted(attrs):
        value = attrs[key]
        if isinstance(value, tuple) and len(value) > 6:  # long shapes and index lists stay readable
            value = "(" + ", ".join(map(str, value[:6])) + ", ...)"
        parts.append(f"{key}={value}")
    text = ", ".join(parts)
    return text if len(text) <= 60 else text[:57] + "..."


def to_dot(graph: Graph, *, title=None):
    """The graph as Graphviz DOT text: one box per node (op, attributes, output shape and dtype,
    name), edges labeled with the producer's output index where an op has several outputs."""
    out_names = list(graph.meta.get("output_names") or [])
    outputs = {}
    for i, ref in enumerate(graph.outputs):
        nid = ref if isinstance(ref, int) else ref[0]
        outputs.setdefault(nid, []).append(out_names[i] if i < len(out_names) else f"output {i}")
    lines = [f"digraph {_quote(title or graph.name)} {{",
             "  rankdir=TB;",
             '  node [shape=box, style="rounded,filled", fontname="Helvetica", fontsize=10];',
             '  edge [fontname="Helvetica", fontsize=8, color="#6c757d"];']
    phases = set()
    for nid in graph.nodes():
        d = graph.node(nid)
        op = d["op"]
        label = [d["name"] if op in PSEUDO_STYLE else op]
        if op in PSEUDO_STYLE:
            label.append(op)
        elif d["attrs"]:
            label.append(_attrs(d["attrs"]))
        label.append(_shape(d["shape"], d["dtype"]))
        if op not in PSEUDO_STYLE:
            label.append(d["name"])
        if nid in outputs:
            label.append("-> " + ", ".join(outputs[nid]))
        style = PSEUDO_STYLE.get(op)
        if style is None:
            phase = d.get("phase", "forward")
            phases.add(phase)
            style = f'fillcolor="{PHASE_COLORS.get(phase, "#ffffff")}"'
        if nid in outputs:
            style += ", peripheries=2"
        lines.append(f"  n{nid} [label={_quote(chr(10).join(label))}, {style}];")
    for nid in graph.nodes():
        multi = {src for src, _ in graph.input_values(nid) if graph.n_outputs(src) > 1}
        for src, out in graph.input_values(nid):
            extra = f" [label={_quote(out)}]" if src in multi else ""
            lines.append(f"  n{src} -> n{nid}{extra};")
    if phases:
        lines.append("  subgraph cluster_legend {")
        lines.append('    label="phase"; fontname="Helvetica"; fontsize=9; color="#adb5bd";')
        for phase in sorted(phases):
            lines.append(f'    legend_{phase} [label={_quote(phase)}, '
                         f'fillcolor="{PHASE_COLORS.get(phase, "#ffffff")}"];')
        lines.append("  }")
    lines.append("}")
    return "\n".join(lines) + "\n"

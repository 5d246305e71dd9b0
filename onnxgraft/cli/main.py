"""`onnxgraft` command: demo, bench, export-demo, inspect, draw.

    onnxgraft demo            train on the bundled diabetes data (eager and compiled) and time it
    onnxgraft bench           training-step benchmark against PyTorch eager, if installed
    onnxgraft inspect M.onnx  ops, inputs, outputs and training state of an ONNX file
    onnxgraft draw M.onnx     Graphviz DOT of an ONNX file's graph
"""
import argparse
import sys


def _demo(args):
    from .demo import run_demo
    return run_demo(epochs=args.epochs, steps=args.steps, export=args.export, device=args.device)


def _bench(args):
    from .. import benchmark
    names = args.workload or list(benchmark.WORKLOADS)
    unknown = [n for n in names if n not in benchmark.WORKLOADS]
    if unknown:
        print(f"onnxgraft bench: unknown workload {unknown[0]!r}; choose from "
              f"{', '.join(benchmark.WORKLOADS)}", file=sys.stderr)
        return 2
    try:
        import torch  # noqa: F401
        have_torch = not args.no_torch
    except ImportError:
        have_torch = False
        print("onnxgraft bench: PyTorch is not installed, so ratios are against onnxgraft eager "
              "(install the oracle with: pip install torch==2.13.0)", file=sys.stderr)
    benchmark.run(names, steps=args.steps, include_torch=have_torch, device=args.device, out=args.out)
    if args.out:
        print(f"results written to {args.out}")
    return 0


def _inspect(args):
    import json
    import onnx
    try:
        model = onnx.load(args.model)
    except Exception as exc:
        print(f"onnxgraft inspect: cannot read {args.model!r} as an ONNX model: {exc}", file=sys.stderr)
        return 2
    g = model.graph
    ops = {}
    for n in g.node:
        key = n.op_type if not n.domain else f"{n.domain}::{n.op_type}"
        ops[key] = ops.get(key, 0) + 1
    init = {i.name for i in g.initializer}
    meta = {p.key: p.value for p in model.metadata_props}
    print(f"{args.model}: opset {[o.version for o in model.opset_import]}, {len(g.node)} nodes")
    print("inputs:")
    for i in g.input:
        dims = [d.dim_value or d.dim_param for d in i.type.tensor_type.shape.dim]
        print(f"  {i.name} {dims}{' (initializer)' if i.name in init else ''}")
    print("outputs:")
    for o in g.output:
        dims = [d.dim_value or d.dim_param for d in o.type.tensor_type.shape.dim]
        print(f"  {o.name} {dims}")
    print("ops: " + ", ".join(f"{k} x{v}" for k, v in sorted(ops.items())))
    state = json.loads(meta.get("onnxgraft.state", "{}"))
    if state:
        print(f"training state ({len(state)} tensors, onnxgraft.state): feed each output back as its input")
        for k, v in state.items():
            print(f"  {v} -> {k}")
    return 0


def _draw(args):
    import onnx
    from ..export.onnx import from_model
    from ..export.dot import to_dot
    graph = from_model(onnx.load(args.model))
    text = to_dot(graph)
    if args.output:
        with open(args.output, "w") as f:
            f.write(text)
        print(f"wrote {args.output} (render with: dot -Tpng {args.output} -o graph.png)")
    else:
        print(text)
    return 0


def build_parser():
    p = argparse.ArgumentParser(prog="onnxgraft", description="PyTorch-style training, exported as one "
                                "standard ONNX training step that stock onnxruntime runs.")
    sub = p.add_subparsers(dest="command", required=True)
    d = sub.add_parser("demo", help="train a 2-layer net on the bundled diabetes data, eager and "
                                    "compiled, export the training step, and time both")
    d.add_argument("--epochs", type=int, default=300, help="full-batch training steps (default 300)")
    d.add_argument("--steps", type=int, default=200, help="timed steps per contender (default 200)")
    d.add_argument("--export", default="diabetes_train_step.onnx",
                   help="where to write the exported training step (default diabetes_train_step.onnx)")
    d.add_argument("--device", choices=("cpu", "cuda"), default="cpu")
    d.set_defaults(fn=_demo)
    b = sub.add_parser("bench", help="training-step benchmark: compiled vs eager vs PyTorch eager")
    b.add_argument("--workload", action="append", help="workload name (repeatable); default all")
    b.add_argument("--steps", type=int, default=200, help="timed steps per contender (default 200)")
    b.add_argument("--device", choices=("cpu", "cuda"), default="cpu")
    b.add_argument("--no-torch", action="store_true", help="do not time PyTorch even if installed")
    b.add_argument("--out", help="write the results as JSON to this file")
    b.set_defaults(fn=_bench)
    i = sub.add_parser("inspect", help="summarize an ONNX file (ops, inputs, outputs, training state)")
    i.add_argument("model")
    i.set_defaults(fn=_inspect)
    g = sub.add_parser("draw", help="write an ONNX file's graph as Graphviz DOT")
    g.add_argument("model")
    g.add_argument("-o", "--output", help="DOT file to write (default: print)")
    g.set_defaults(fn=_draw)
    return p


def main(argv=None):
    args = build_parser().parse_args(argv)
    return args.fn(args) or 0


if __name__ == "__main__":
    sys.exit(main())

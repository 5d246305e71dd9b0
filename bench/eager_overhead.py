"""Eager per-op overhead of onnxgraft against PyTorch, measured in the same process.

Two workloads, both on 1-element float32 tensors so that the arithmetic is free and what is
timed is pure framework overhead:
  add        `a + b` with both inputs requiring grad: forward only (the result and its grad_fn
             are built and dropped).
  tiny_graph the seeds' graph, built and differentiated from scratch each time:
             w = tensor([1.], requires_grad=True); x = tensor([2.], requires_grad=True)
             a = w + x; b = w + 1; y = a * b; y.backward()

Method: each repeat times a batch of `--inner` calls with time.perf_counter_ns and divides; the
two frameworks alternate batch by batch (interleaved), so drifts of clock speed or machine load
hit both alike; the figure reported is the median over `--repeats` batches. PyTorch keeps its
default intra-op thread count (1-element tensors never reach its thread pool, so the setting does
not change these numbers); the count in use is printed and saved.

Usage: python bench/eager_overhead.py [--repeats 200] [--inner 200] [--out PATH]
Targets: add within 2x of PyTorch; tiny_graph no slower than PyTorch.
Writes bench/results/eager_overhead.json.
"""
import argparse
import gc
import json
import os
import platform
import statistics
import sys
import time

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), ".."))

import onnxgraft  # noqa: E402


def make_workloads(lib):
    """Closures running one call of each workload in framework `lib` (onnxgraft or torch)."""
    a = lib.tensor([1.0], requires_grad=True)
    b = lib.tensor([2.0], requires_grad=True)

    def add():
        a + b

    def tiny_graph():
        w = lib.tensor([1.0], requires_grad=True)
        x = lib.tensor([2.0], requires_grad=True)
        a_ = w + x
        b_ = w + 1
        y = a_ * b_
        y.backward()

    return {"add": add, "tiny_graph": tiny_graph}


def time_batch(fn, inner):
    """Mean nanoseconds per call over one batch of `inner` calls."""
    t0 = time.perf_counter_ns()
    for _ in range(inner):
        fn()
    return (time.perf_counter_ns() - t0) / inner


def check_same_results(torch):
    """Both frameworks must compute the same tiny graph, or the comparison means nothing."""
    out = []
    for lib in (onnxgraft, torch):
        w = lib.tensor([1.0], requires_grad=True)
        x = lib.tensor([2.0], requires_grad=True)
        y = (w + x) * (w + 1)
        y.backward()
        out.append((float(y.detach().numpy()[0]), float(w.grad.numpy()[0]), float(x.grad.numpy()[0])))
    if out[0] != out[1]:
        raise SystemExit(f"onnxgraft and PyTorch disagree on the tiny graph: {out[0]} vs {out[1]}")


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--repeats", type=int, default=200, help="timed batches per workload and framework")
    parser.add_argument("--inner", type=int, default=200, help="calls per timed batch")
    parser.add_argument("--warmup", type=int, default=20, help="untimed batches first")
    parser.add_argument("--out", default=os.path.join(os.path.dirname(os.path.abspath(__file__)),
                                                     "results", "eager_overhead.json"))
    args = parser.parse_args(argv)
    try:
        import torch
    except ImportError:
        raise SystemExit("this benchmark compares against PyTorch: pip install torch==2.13.0") from None
    check_same_results(torch)

    libs = {"onnxgraft": make_workloads(onnxgraft), "torch": make_workloads(torch)}
    targets = {"add": 2.0, "tiny_graph": 1.0}
    results = {}
    gc_was_enabled = gc.isenabled()
    for name in targets:
        samples = {"onnxgraft": [], "torch": []}
        for _ in range(args.warmup):
            for lib in libs:
                time_batch(libs[lib][name], args.inner)
        gc.collect()
        gc.disable()  # a collection landing in one framework's batch would bias that batch
        try:
            for _ in range(args.repeats):
                for lib in libs:
                    samples[lib].append(time_batch(libs[lib][name], args.inner))
        finally:
            if gc_was_enabled:
                gc.enable()
        og = statistics.median(samples["onnxgraft"]) / 1000
        pt = statistics.median(samples["torch"]) / 1000
        results[name] = {"onnxgraft_us": round(og, 3), "torch_us": round(pt, 3),
                         "ratio": round(og / pt, 3), "target_ratio": targets[name],
                         "meets_target": og / pt <= targets[name]}

    print(f"{'workload':<12} {'onnxgraft us':>13} {'PyTorch us':>11} {'ratio':>7} {'target':>7}")
    for name, r in results.items():
        mark = "ok" if r["meets_target"] else "MISSED"
        print(f"{name:<12} {r['onnxgraft_us']:>13.2f} {r['torch_us']:>11.2f} {r['ratio']:>7.2f} "
              f"{'<= ' + str(r['target_ratio']):>7} {mark}")
    # the two ratios in words: time per call of onnxgraft over PyTorch's, measured in this run
    what = {"add": "per-op overhead (a + b, grad tracked)",
            "tiny_graph": "tiny graph, built and differentiated"}
    for name, r in results.items():
        print(f"{what[name]}: onnxgraft takes {r['ratio']:.2f}x PyTorch's time "
              f"(target <= {r['target_ratio']:g}x): {'met' if r['meets_target'] else 'MISSED'}")
    record = {
        "workloads": results,
        "method": "median over repeats of batch means; frameworks interleaved batch by batch; gc off while timing",
        "repeats": args.repeats, "inner": args.inner,
        "torch_version": torch.__version__, "torch_num_threads": torch.get_num_threads(),
        "onnxgraft_version": onnxgraft.__version__, "numpy_version": __import__("numpy").__version__,
        "python": platform.python_version(), "machine": platform.machine(),
        "cpu_count": os.cpu_count(),
        # other processes on a small machine slow both frameworks; the ratios hold up better
        "load_average_1min": round(os.getloadavg()[0], 2) if hasattr(os, "getloadavg") else None,
    }
    os.makedirs(os.path.dirname(args.out), exist_ok=True)
    with open(args.out, "w") as f:
        json.dump(record, f, indent=2)
        f.write("\n")
    print(f"wrote {args.out}")
    return 0


if __name__ == "__main__":
    sys.exit(main())

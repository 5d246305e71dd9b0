"""Training-step benchmark: onnxgraft compiled (one onnxruntime call per step) against onnxgraft
eager and PyTorch eager, measured in one run, interleaved, medians over many steps.

Used by `onnxgraft bench` and `bench/train_step.py`. Every timing is reported as a ratio against
PyTorch eager measured in the same run on the same machine (when PyTorch is installed)."""
import json
import statistics
import time

import numpy as np

WORKLOADS = {
    # name: (layer sizes, batch, optimizer)
    "mlp784-b32-sgd": ((784, 512, 512, 10), 32, "sgd"),
    "mlp784-b32-adamw": ((784, 512, 512, 10), 32, "adamw"),
    "mlp784-b256-sgd": ((784, 512, 512, 10), 256, "sgd"),
    "mlp784-b256-adamw": ((784, 512, 512, 10), 256, "adamw"),
    "mlp13-b100-sgd": ((13, 50, 1), 100, "sgd"),
}


def _build(lib, sizes, opt_name, init):
    """The same MLP and optimizer in `lib` (onnxgraft or torch), weights copied from `init`."""
    nn = lib.nn
    layers = []
    for i in range(len(sizes) - 1):
        layers.append(nn.Linear(sizes[i], sizes[i + 1]))
        if i < len(sizes) - 2:
            layers.append(nn.ReLU())
    model = nn.Sequential(*layers)
    with lib.no_grad():
        for p, v in zip(model.parameters(), init):
            p.copy_(lib.from_numpy(v.copy()))
    if opt_name == "sgd":
        opt = lib.optim.SGD(model.parameters(), lr=0.01, momentum=0.9)
    else:
        opt = lib.optim.AdamW(model.parameters(), lr=1e-3)
    loss_fn = nn.CrossEntropyLoss() if sizes[-1] > 1 else nn.MSELoss()
    return model, opt, loss_fn


def _make_step(model, opt, loss_fn):
    def train_step(x, y):
        opt.zero_grad()
        loss = loss_fn(model(x), y)
        loss.backward()
        opt.step()
        return loss
    return train_step


def _data(sizes, batch, rng):
    x = rng.standard_normal((batch, sizes[0])).astype(np.float32)
    if sizes[-1] > 1:
        y = rng.integers(0, sizes[-1], size=batch).astype(np.int64)
    else:
        y = rng.standard_normal((batch, 1)).astype(np.float32)
    return x, y


def interleaved_medians(contenders, steps, warmup=20, block=10):
    """Median milliseconds per call of each contender, over `steps` calls each.

    Interleaved in blocks: each round runs `block` consecutive calls of every contender in turn,
    so the noise of a shared machine hits them all alike. Blocks rather than single calls: each
    library keeps worker threads spinning for a while after a call (PyTorch's OpenMP pool,
    OpenBLAS, onnxruntime), and alternating call by call would time one library against
    another's spinning threads on a 2-core machine. The first call of a block still pays that
    hand-over; the median over all calls does not."""
    for fn in contenders.values():
        for _ in range(warmup):
            fn()
    times = {k: [] for k in contenders}
    done = 0
    while done < steps:
        n = min(block, steps - done)
        for k, fn in contenders.items():
            for _ in range(n):
                t = time.perf_counter_ns()
                fn()
                times[k].append(time.perf_counter_ns() - t)
        done += n
    return {k: statistics.median(v) / 1e6 for k, v in times.items()}


def run_workload(name, steps=200, warmup=20, include_torch=True, include_eager=True, device="cpu"):
    """Time one workload; returns a dict of medians (ms per step) and ratios."""
    import onnxgraft as og
    sizes, batch, opt_name = WORKLOADS[name]
    rng = np.random.default_rng(0)
    init = []
    for i in range(len(sizes) - 1):
        bound = 1 / np.sqrt(sizes[i])
        init.append(rng.uniform(-bound, bound, (sizes[i + 1], sizes[i])).astype(np.float32))
        init.append(rng.uniform(-bound, bound, (sizes[i + 1],)).astype(np.float32))
    xs, ys = _data(sizes, batch, rng)

    contenders = {}
    model, opt, loss_fn = _build(og, sizes, opt_name, init)
    compiled = og.compile(_make_step(model, opt, loss_fn), device=device)
    x_og, y_og = og.from_numpy(xs), og.from_numpy(ys)
    t0 = time.perf_counter()
    compiled(x_og, y_og)  # first call: capture, autodiff, passes, export, session (+ eager warm-up)
    if compiled.last_plan is None:
        compiled(x_og, y_og)
    build_s = time.perf_counter() - t0
    contenders["onnxgraft compiled"] = lambda: compiled(x_og, y_og)
    if include_eager:
        em, eo, el = _build(og, sizes, opt_name, init)
        eager_step = _make_step(em, eo, el)
        contenders["onnxgraft eager"] = lambda: eager_step(x_og, y_og)
    torch = None
    if include_torch:
        try:
            import torch
        except ImportError:
            torch = None
    if torch is not None:
        tm, to, tl = _build(torch, sizes, opt_name, init)
        torch_step = _make_step(tm, to, tl)
        x_t, y_t = torch.from_numpy(xs), torch.from_numpy(ys)
        contenders["pytorch eager"] = lambda: torch_step(x_t, y_t)

    med = interleaved_medians(contenders, steps, warmup)
    result = {"workload": name, "steps": steps, "ms_per_step": med, "compile_s": build_s,
              "nodes": len(compiled.graph)}
    if "pytorch eager" in med:
        result["speedup_vs_pytorch"] = {k: med["pytorch eager"] / v for k, v in med.items()}
    return result


def run(names=None, steps=200, include_torch=True, include_eager=True, device="cpu", out=None, progress=print):
    names = names or list(WORKLOADS)
    results = []
    for name in names:
        progress(f"running {name} ({steps} interleaved steps)...")
        results.append(run_workload(name, steps, include_torch=include_torch, include_eager=include_eager,
                                    device=device))
        progress(format_row(results[-1]))
    if out:
        with open(out, "w") as f:
            json.dump(results, f, indent=2)
    return results


def format_row(r):
    med = r["ms_per_step"]
    parts = [f"{k} {v:.3f} ms" for k, v in med.items()]
    line = f"{r['workload']:<20} " + " | ".join(parts) + f" | capture+export+session {r['compile_s']:.2f} s"
    if "speedup_vs_pytorch" in r:
        line += f" | compiled vs PyTorch: {r['speedup_vs_pytorch']['onnxgraft compiled']:.2f}x"
    return line

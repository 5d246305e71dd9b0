"""Flat memory over a long eager training loop: the grad_fn graph of each step must be freed.

Runs `--steps` eager steps of an MLP (784-256-10, ReLU, cross-entropy, SGD, batch 64, fresh
random data every step) and reads the process's peak resident set size (VmHWM in
/proc/self/status; resource.getrusage's ru_maxrss where /proc is missing) after step 100 and
after the last step. The first 100 steps let numpy's allocator, the optimizer state and Python's
caches settle, so the growth after them is what a leak would show.

Prints the growth in percent and exits with status 1 if it is 5% or more (the design's "a long
eager training loop keeps flat memory"). Also prints the current RSS and the number of live
gc-tracked objects at both points: a leak of graph nodes shows there first.

Usage: python bench/memory_eager.py [--steps 2000] [--batch 64] [--threshold 5.0]
"""
import argparse
import gc
import os
import resource
import sys
import time

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), ".."))

import onnxgraft as torch  # noqa: E402
from onnxgraft import nn, optim  # noqa: E402


def memory_kib():
    """(peak RSS, current RSS) of this process in KiB; current is None without /proc."""
    try:
        with open("/proc/self/status") as f:
            fields = dict(line.split(":", 1) for line in f if ":" in line)
        return int(fields["VmHWM"].split()[0]), int(fields["VmRSS"].split()[0])
    except (OSError, KeyError, ValueError):
        peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
        # ru_maxrss is in KiB on Linux and in bytes on macOS
        return (peak // 1024 if sys.platform == "darwin" else peak), None


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--steps", type=int, default=2000)
    parser.add_argument("--batch", type=int, default=64)
    parser.add_argument("--warmup", type=int, default=100, help="step after which the baseline is read")
    parser.add_argument("--threshold", type=float, default=5.0, help="fail at this growth in percent")
    args = parser.parse_args(argv)
    if args.steps <= args.warmup:
        parser.error(f"--steps ({args.steps}) must exceed --warmup ({args.warmup})")

    torch.manual_seed(0)
    model = nn.Sequential(nn.Linear(784, 256), nn.ReLU(), nn.Linear(256, 10))
    optimizer = optim.SGD(model.parameters(), lr=0.01)
    criterion = nn.CrossEntropyLoss()

    base = None
    t0 = time.perf_counter()
    for step in range(1, args.steps + 1):
        x = torch.randn(args.batch, 784)
        y = torch.randint(0, 10, (args.batch,))
        optimizer.zero_grad()
        loss = criterion(model(x), y)
        loss.backward()
        optimizer.step()
        if step == args.warmup:
            gc.collect()
            base = memory_kib() + (len(gc.get_objects()),)
            loss_at_base = loss.item()
    elapsed = time.perf_counter() - t0
    gc.collect()
    end = memory_kib() + (len(gc.get_objects()),)

    growth = 100.0 * (end[0] - base[0]) / base[0]
    print(f"MLP 784-256-10, SGD, batch {args.batch}: {args.steps} eager steps in {elapsed:.2f} s "
          f"({1000 * elapsed / args.steps:.3f} ms/step); loss {loss_at_base:.4f} at step {args.warmup}, "
          f"{loss.item():.4f} at the end")
    for label, (peak, cur, objs) in ((f"after step {args.warmup}", base), (f"after step {args.steps}", end)):
        cur_text = "n/a" if cur is None else f"{cur / 1024:.1f} MiB"
        print(f"  {label:<17} peak RSS {peak / 1024:.1f} MiB, current RSS {cur_text}, gc objects {objs}")
    print(f"peak RSS growth: {growth:+.2f}% (limit {args.threshold:.1f}%); gc-tracked objects "
          f"{end[2] - base[2]:+d}")
    if growth >= args.threshold:
        print("FAIL: memory grows over an eager training loop (a leak of graph nodes or saved values?)")
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main())

"""Training-step benchmark (issue: capture a training step and run it on onnxruntime).

Times, in one run and interleaved, with medians over --steps steps:
  onnxgraft compiled (one onnxruntime call per step), onnxgraft eager, PyTorch eager.
Workloads: MLP 784-512-512-10 at batch 32 and 256 with SGD(momentum) and AdamW, and MLP 13-50-1
at batch 100 with SGD. Ratios are against PyTorch eager measured in the same run.

    python bench/train_step.py                       # all workloads, 200 steps each
    python bench/train_step.py --workload mlp13-b100-sgd --steps 500
    onnxgraft bench                                  # the same, from the installed command
"""
import argparse
import os
import sys

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), ".."))

from onnxgraft import benchmark  # noqa: E402


def main():
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    p.add_argument("--workload", action="append", choices=list(benchmark.WORKLOADS))
    p.add_argument("--steps", type=int, default=200)
    p.add_argument("--no-eager", action="store_true", help="skip onnxgraft eager (faster)")
    p.add_argument("--out", default=os.path.join(os.path.dirname(__file__), "results", "train_step.json"))
    args = p.parse_args()
    benchmark.run(args.workload, steps=args.steps, include_eager=not args.no_eager, out=args.out)
    print(f"results written to {args.out}")


if __name__ == "__main__":
    main()

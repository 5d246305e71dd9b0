"""Run many standalone PyTorch-style programs in one interpreter and report what each printed.

    run_programs("torch" | "onnxgraft", {name: source}) -> {name: stdout}

Every source imports torch (`import torch`, `import torch.nn as nn`, `from torch import ...`);
for onnxgraft those imports are rewritten (`to_onnxgraft`), so the same text runs on both
libraries. One subprocess per library keeps suites fast (importing torch costs about a second):
each program still gets fresh globals, and grad mode and print options are reset between
programs so one cannot leak state into the next. Used by tests/seeds and tests/swap.

    python tests/program_runner.py torch|onnxgraft < programs.json > outputs.json
"""
import contextlib
import io
import json
import os
import re
import subprocess
import sys

REPO = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))


def to_onnxgraft(source):
    """The same program with its torch imports pointed at onnxgraft: `import torch`,
    `import torch.nn as nn`, `import torch.nn.functional as F`, `from torch[.x] import ...`.
    [ \\t] rather than \\s: a \\s* could swallow the line breaks around an indented import."""
    source = re.sub(r"^([ \t]*)import torch[ \t]*$", r"\1import onnxgraft as torch", source, flags=re.M)
    source = re.sub(r"^([ \t]*)import torch((?:\.\w+)+) as", r"\1import onnxgraft\2 as", source, flags=re.M)
    source = re.sub(r"^([ \t]*)from torch((?:\.\w+)*) import", r"\1from onnxgraft\2 import", source,
                    flags=re.M)
    return source


def _run_here(lib, sources):
    module = __import__(lib)
    results = {}
    for name, source in sources.items():
        if lib == "onnxgraft":
            source = to_onnxgraft(source)
        # each program starts from a fresh process's generator state (both libraries share
        # PyTorch's default seed), so its numbers do not depend on the programs before it
        module.default_generator.manual_seed(67280421310721)
        buf = io.StringIO()
        with contextlib.redirect_stdout(buf):
            try:
                exec(compile(source, f"<{name}>", "exec"), {"__name__": "__main__"})
            except BaseException as exc:  # noqa: BLE001  (reported, then compared like any output)
                print(f"UNCAUGHT {type(exc).__name__}: {exc}")
        module.set_grad_enabled(True)
        module.set_printoptions(profile="default")
        results[name] = buf.getvalue()
    return results


def run_programs(lib, sources):
    """{name: stdout} of every program run under `lib` in one fresh interpreter."""
    env = dict(os.environ, PYTHONPATH=REPO + os.pathsep + os.environ.get("PYTHONPATH", ""))
    proc = subprocess.run([sys.executable, os.path.abspath(__file__), lib], input=json.dumps(sources),
                          capture_output=True, text=True, env=env, timeout=300, cwd=REPO)
    if proc.returncode != 0:
        raise RuntimeError(f"the {lib} program runner failed:\n{proc.stderr}")
    return json.loads(proc.stdout)


if __name__ == "__main__":
    json.dump(_run_here(sys.argv[1], json.load(sys.stdin)), sys.stdout)

"""Ordinary PyTorch programs (tests/swap/programs/NN_name.py, written with `import torch`) run
once with PyTorch and once with their imports pointed at onnxgraft: both must print the same.

The programs are the kind found in autograd tutorials, blog posts and Stack Overflow answers:
gradients, hooks, custom Functions, training loops with nn and optim, tensor printing, shape
ops, dtype rules, error messages. They build their data deterministically (onnxgraft has its
own random generator, so random values are never printed). The only text masked before
comparing is object addresses (`0x...`).

All programs of one library run in one interpreter (this file run as a script) so the test
takes seconds: importing torch once per program would take most of a minute. Each program gets
fresh globals, and grad mode and print options are reset between programs.
"""
import contextlib
import io
import json
import os
import re
import subprocess
import sys

import pytest

HERE = os.path.dirname(os.path.abspath(__file__))
REPO = os.path.dirname(os.path.dirname(HERE))
PROGRAMS = os.path.join(HERE, "programs")
NAMES = sorted(f[:-3] for f in os.listdir(PROGRAMS) if re.match(r"\d\d_\w+\.py$", f))


def to_onnxgraft(source):
    """The same program with its torch imports pointed at onnxgraft: `import torch`,
    `import torch.nn as nn`, `import torch.nn.functional as F`, `from torch[.x] import ...`."""
    source = re.sub(r"^([ \t]*)import torch[ \t]*$", r"\1import onnxgraft as torch", source, flags=re.M)
    source = re.sub(r"^([ \t]*)import torch((?:\.\w+)+) as", r"\1import onnxgraft\2 as", source, flags=re.M)
    source = re.sub(r"^([ \t]*)from torch((?:\.\w+)*) import", r"\1from onnxgraft\2 import", source,
                    flags=re.M)
    return source


def mask(text):
    """Hide what differs by nature: object addresses."""
    return re.sub(r"0x[0-9a-fA-F]+", "0x...", text)


def _run_all(lib):
    """Run every program under `lib` ('torch' or 'onnxgraft') in this interpreter."""
    module = __import__(lib)
    results = {}
    for name in NAMES:
        with open(os.path.join(PROGRAMS, name + ".py")) as f:
            source = f.read()
        if lib == "onnxgraft":
            source = to_onnxgraft(source)
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


def _run(lib):
    env = dict(os.environ, PYTHONPATH=REPO + os.pathsep + os.environ.get("PYTHONPATH", ""))
    proc = subprocess.run([sys.executable, os.path.abspath(__file__), lib], capture_output=True,
                          text=True, env=env, timeout=300, cwd=REPO)
    if proc.returncode != 0:
        raise RuntimeError(f"the {lib} runner failed:\n{proc.stderr}")
    return json.loads(proc.stdout)


@pytest.fixture(scope="module")
def torch_out():
    pytest.importorskip("torch")
    return _run("torch")


@pytest.fixture(scope="module")
def onnxgraft_out():
    return _run("onnxgraft")


def test_rewrite():
    """The import rewrite covers the spellings the programs use."""
    src = ("import torch\nimport torch.nn as nn\nimport torch.nn.functional as F\n"
           "from torch import nn, optim\nfrom torch.autograd import Variable, grad\n"
           "import torch.optim as optim\n    import torch\n")
    assert to_onnxgraft(src) == (
        "import onnxgraft as torch\nimport onnxgraft.nn as nn\nimport onnxgraft.nn.functional as F\n"
        "from onnxgraft import nn, optim\nfrom onnxgraft.autograd import Variable, grad\n"
        "import onnxgraft.optim as optim\n    import onnxgraft as torch\n")


def test_programs_exist():
    assert len(NAMES) >= 30


@pytest.mark.parametrize("name", NAMES)
def test_same_output(name, torch_out, onnxgraft_out):
    """onnxgraft prints exactly what PyTorch prints for the same program."""
    assert "UNCAUGHT" not in torch_out[name], torch_out[name]
    assert mask(onnxgraft_out[name]) == mask(torch_out[name])


if __name__ == "__main__":
    json.dump(_run_all(sys.argv[1]), sys.stdout)

"""Ordinary PyTorch programs (tests/swap/programs/NN_name.py, written with `import torch`) run
once with PyTorch and once with their imports pointed at onnxgraft: both must print the same.

The programs are the kind found in autograd tutorials, blog posts and Stack Overflow answers:
gradients, hooks, custom Functions, training loops with nn and optim, tensor printing, shape
ops, dtype rules, error messages. They build their data deterministically (onnxgraft has its
own random generator, so random values are never printed). The only text masked before
comparing is object addresses (`0x...`).

All programs of one library run in one interpreter (tests/program_runner.py) so the test takes
seconds: importing torch once per program would take most of a minute.
"""
import os
import re

import pytest

from tests.program_runner import run_programs, to_onnxgraft

HERE = os.path.dirname(os.path.abspath(__file__))
PROGRAMS = os.path.join(HERE, "programs")
NAMES = sorted((f[:-3] for f in os.listdir(PROGRAMS) if re.match(r"\d{2,3}_\w+\.py$", f)),
               key=lambda name: int(name.split("_")[0]))


def mask(text):
    """Hide what differs by nature: object addresses."""
    return re.sub(r"0x[0-9a-fA-F]+", "0x...", text)


def _run(lib):
    sources = {}
    for name in NAMES:
        with open(os.path.join(PROGRAMS, name + ".py")) as f:
            sources[name] = f.read()
    return run_programs(lib, sources)


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


"""compile(device="cuda"): trains on the GPU where onnxruntime's CUDA provider really works, and
elsewhere says so in one line and trains on the CPU."""
import numpy as np
import pytest

import onnxgraft as og
from onnxgraft.runtime.session import cuda_available
from tests.capture import workloads as W

USABLE, REASON = cuda_available()


def _train(optimizer="adamw", steps=8):
    eager, compiled = W.mlp(og, optimizer), W.mlp(og, optimizer)
    step = og.compile(compiled.step, device="cuda")
    for _ in range(steps):
        np.testing.assert_allclose(step(*compiled.data).item(), eager.step(*eager.data).item(),
                                   rtol=1e-5, atol=1e-6)
    return eager, compiled, step


@pytest.mark.skipif(not USABLE, reason=f"CUDA is not usable here: {REASON}")
@pytest.mark.parametrize("optimizer", ["momentum", "adamw"])
def test_cuda_step_matches_eager(optimizer):
    eager, compiled, step = _train(optimizer)
    assert step.last_plan.device == "cuda" and step.last_plan.devstate is not None
    W.assert_same(W.params_of(compiled), W.params_of(eager), rtol=1e-5, atol=1e-6, what="parameters")
    W.assert_same(W.optimizer_state_of(compiled), W.optimizer_state_of(eager), rtol=1e-5, atol=1e-6,
                  what="optimizer state")
    # a write from Python reaches the device before the next step
    with og.no_grad():
        compiled.module[0].weight.mul_(0.5)
        eager.module[0].weight.mul_(0.5)
    step(*compiled.data)
    eager.step(*eager.data)
    W.assert_same(W.params_of(compiled), W.params_of(eager), rtol=1e-5, atol=1e-6, what="after mul_")


@pytest.mark.skipif(USABLE, reason="CUDA works here: there is no fallback to see")
def test_cuda_request_falls_back_to_cpu_with_one_line_and_trains(capfd):
    capfd.readouterr()
    eager, compiled, step = _train("momentum")
    err = capfd.readouterr().err
    lines = [line for line in err.splitlines() if line.strip()]
    assert len(lines) == 1, err  # one line of ours; none of onnxruntime's raw [E:]/[W:] lines
    assert lines[0].startswith("onnxgraft: CUDA was requested but is not usable here (")
    assert lines[0].endswith("running on CPU")
    assert step.last_plan.device == "cpu"
    W.assert_same(W.params_of(compiled), W.params_of(eager), what="parameters")
    W.assert_same(W.optimizer_state_of(compiled), W.optimizer_state_of(eager), what="optimizer state")

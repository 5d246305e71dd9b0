"""A compiled training step trains exactly like the eager one (and like PyTorch): 20 steps of
forward, loss.backward() and optimizer.step() end at the same parameters and optimizer state."""
import numpy as np
import pytest

import onnxgraft as og
from onnxgraft.runtime.compiled import CompiledStep
from tests.capture import workloads as W

STEPS = 20
CASES = [(w, o) for w in W.WORKLOADS for o in W.OPTIMIZERS]


def _train(run, step, steps=STEPS):
    losses = [float(step(*run.data).detach().numpy()) for _ in range(steps)]
    assert np.all(np.isfinite(losses)) and losses[-1] < losses[0], losses  # a real training run
    return losses


@pytest.mark.parametrize("workload,optimizer", CASES, ids=[f"{w}-{o}" for w, o in CASES])
def test_compiled_matches_eager(workload, optimizer):
    eager, compiled = W.WORKLOADS[workload](og, optimizer), W.WORKLOADS[workload](og, optimizer)
    step = og.compile(compiled.step)
    eager_losses = _train(eager, eager.step)
    compiled_losses = _train(compiled, step)
    np.testing.assert_allclose(compiled_losses, eager_losses, rtol=1e-5, atol=1e-6)
    W.assert_same(W.params_of(compiled), W.params_of(eager), what="parameters")
    state = W.optimizer_state_of(compiled)
    W.assert_same(state, W.optimizer_state_of(eager), what="optimizer state")
    if optimizer in ("adam", "adamw"):
        assert {k for _, k in state} == {"step", "exp_avg", "exp_avg_sq"}
        assert all(state[(i, "step")] == STEPS for i, k in state if k == "step")
    elif optimizer != "sgd":
        assert {k for _, k in state} == {"momentum_buffer"}
    # one signature, one plan: the steps after the first ran in onnxruntime
    assert len(step._plans) == 1


@pytest.mark.parametrize("workload,optimizer", CASES, ids=[f"{w}-{o}" for w, o in CASES])
def test_compiled_matches_pytorch(workload, optimizer):
    torch = pytest.importorskip("torch")
    ref, compiled = W.WORKLOADS[workload](torch, optimizer), W.WORKLOADS[workload](og, optimizer)
    W.assert_same(W.params_of(compiled), W.params_of(ref), rtol=0, atol=0, what="initial weights")
    step = og.compile(compiled.step)
    np.testing.assert_allclose(_train(compiled, step), _train(ref, ref.step), rtol=1e-5, atol=1e-6)
    W.assert_same(W.params_of(compiled), W.params_of(ref), what="parameters")
    W.assert_same(W.optimizer_state_of(compiled), W.optimizer_state_of(ref), what="optimizer state")


def test_seed_loop_with_plain_tensors_and_manual_updates():
    """Seed 001: leaf tensors updated through `.data` and zeroed through `.grad.data.zero_()`."""
    eager, compiled = W.seed_tensors(og), W.seed_tensors(og)
    step = og.compile(compiled.step)
    np.testing.assert_allclose(_train(compiled, step), _train(eager, eager.step), rtol=1e-5, atol=1e-6)
    W.assert_same(W.params_of(compiled), W.params_of(eager), what="weights")
    # the gradients are zeroed at the end of every step, compiled as eagerly
    for (_, p), (_, q) in zip(compiled.params, eager.params):
        np.testing.assert_array_equal(p.grad.numpy(), q.grad.numpy())
        assert not p.grad.numpy().any()
    names = {step.graph.node(n)["name"] for n in step.graph.params}
    assert {"w1", "w2"} <= names  # leaves are named after their variables


def test_seed_loop_matches_pytorch():
    torch = pytest.importorskip("torch")
    ref, compiled = W.seed_tensors(torch), W.seed_tensors(og)
    step = og.compile(compiled.step)
    np.testing.assert_allclose(_train(compiled, step), _train(ref, ref.step), rtol=1e-5, atol=1e-6)
    W.assert_same(W.params_of(compiled), W.params_of(ref), what="weights")


@pytest.mark.parametrize("resident", [False, True], ids=["cpu", "resident"])
def test_gradients_accumulate_across_compiled_steps_like_eager(resident):
    """No zero_grad in the step: eagerly each call adds to .grad. The compiled step must too (the
    gradient becomes state), and .grad reads back the accumulated value."""
    def build():
        run = W.mlp(og, "sgd", batch=4)
        opt, model, loss_fn = run.optimizer, run.module, og.nn.CrossEntropyLoss()

        def step(x, y):
            loss = loss_fn(model(x), y)
            loss.backward()
            opt.step()
            return loss
        run.step = step
        return run

    eager, compiled = build(), build()
    step = CompiledStep(compiled.step, _resident=resident)
    for _ in range(4):
        np.testing.assert_allclose(step(*compiled.data).item(), eager.step(*eager.data).item(), rtol=1e-5)
    W.assert_same(W.params_of(compiled), W.params_of(eager), what="parameters")
    for (name, p), (_, q) in zip(compiled.params, eager.params):
        np.testing.assert_allclose(p.grad.numpy(), q.grad.numpy(), rtol=1e-5, atol=1e-6, err_msg=name)
    assert "0.weight.grad" in {step.graph.node(n)["name"] for n in step.graph.state}


def test_parameters_left_out_of_the_optimizer_accumulate_their_gradient():
    """A layer that requires grad but is not optimized: eagerly its .grad grows every step
    (zero_grad only clears the optimizer's parameters)."""
    def build():
        run = W.mlp(og, "sgd", batch=4)
        model, loss_fn = run.module, og.nn.CrossEntropyLoss()
        opt = og.optim.SGD(model[4].parameters(), lr=0.1)

        def step(x, y):
            opt.zero_grad()
            loss = loss_fn(model(x), y)
            loss.backward()
            opt.step()
            return loss
        run.step, run.optimizer = step, opt
        return run

    eager, compiled = build(), build()
    step = og.compile(compiled.step)
    for _ in range(3):
        step(*compiled.data)
        eager.step(*eager.data)
    first = dict(compiled.params)["0.weight"]
    np.testing.assert_allclose(first.grad.numpy(), dict(eager.params)["0.weight"].grad.numpy(),
                               rtol=1e-5, atol=1e-6)
    W.assert_same(W.params_of(compiled), W.params_of(eager), what="parameters")

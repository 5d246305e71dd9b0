"""What a training graph cannot record fails with an error naming what and the user's line, and
a call that fails (at capture or in onnxruntime) leaves parameters, optimizer state and .grad as
they were."""
import inspect

import numpy as np
import pytest

import onnxgraft as og
from onnxgraft.frontend.trace import CaptureError
from onnxgraft.runtime import compiled as compiled_module
from onnxgraft.runtime.compiled import CompiledStep
from tests.capture import workloads as W


def _line_of(fn, text):
    """The line number of the first line of `fn`'s source containing `text`."""
    lines, start = inspect.getsourcelines(fn)
    return start + next(i for i, line in enumerate(lines) if text in line)


def _where(fn, text):
    return f"test_errors.py:{_line_of(fn, text)}"


def _mlp_step(body):
    """A compiled MLP step whose loss is `body(model, x, y)`."""
    run = W.mlp(og, "sgd", batch=4)

    def step(x, y):
        run.optimizer.zero_grad()
        loss = body(run.module, x, y)
        loss.backward()
        run.optimizer.step()
        return loss
    return run, step


def _ce(model, x, y):
    return og.nn.functional.cross_entropy(model(x), y)


def branch_on_loss(model, x, y):
    loss = _ce(model, x, y)
    if loss.item() > 1:  # branch
        loss = loss * 0.5
    return loss


def boolean_mask(model, x, y):
    out = model(x)
    return out[out > 0].sum()  # mask


def numpy_inside(model, x, y):
    out = model(x)
    scale = out.detach().numpy().max()  # numpy
    return out.sum() * float(scale)


def random_inside(model, x, y):
    noise = og.randn(4, 20) * 0.1  # random
    return _ce(model, x + noise, y)


def print_inside(model, x, y):
    loss = _ce(model, x, y)
    print(loss)  # print
    return loss


def argmax_only(model, x, y):
    predicted = model(x).argmax(1)  # argmax
    return (predicted.float() - y.float()).pow(2).mean()


@pytest.mark.parametrize("body,marker,words", [
    (branch_on_loss, "# branch", ["tensor.item()", "if loss.item() > 1:"]),
    (boolean_mask, "# mask", ["boolean mask indexing", "static ONNX graph"]),
    (numpy_inside, "# numpy", ["tensor.numpy()"]),
    (random_inside, "# random", ["random numbers", "fixed sample"]),
    (print_inside, "# print", ["print"]),
], ids=["item-branch", "boolean-mask", "numpy", "random", "print"])
def test_unrecordable_code_names_what_and_where(body, marker, words):
    run, step = _mlp_step(body)
    before = W.params_of(run)
    with pytest.raises(CaptureError) as info:
        og.compile(step)(*run.data)
    message = str(info.value)
    assert _where(body, marker) in message, message
    for word in words:
        assert word in message
    W.assert_same(W.params_of(run), before, rtol=0, atol=0, what="parameters")
    assert run.optimizer.state_dict()["state"] == {}
    assert all(p.grad is None for _, p in run.params)


def test_loss_through_a_non_differentiable_op_names_the_op_and_line():
    run, step = _mlp_step(argmax_only)
    with pytest.raises(RuntimeError) as info:
        og.compile(step)(*run.data)
    message = str(info.value)
    assert "does not require grad" in message  # PyTorch's error, explained
    assert "ArgMax" in message and _where(argmax_only, "# argmax") in message, message


def _snapshot(run):
    grads = {name: (p.grad, None if p.grad is None else np.array(p.grad.numpy(), copy=True))
             for name, p in run.params}
    return W.params_of(run), W.optimizer_state_of(run), grads


def _assert_unchanged(run, snap):
    params, state, grads = snap
    W.assert_same(W.params_of(run), params, rtol=0, atol=0, what="parameters")
    W.assert_same(W.optimizer_state_of(run), state, rtol=0, atol=0, what="optimizer state")
    for name, p in run.params:
        obj, value = grads[name]
        assert p.grad is obj, name  # the same .grad object (or None), as PyTorch would leave it
        if value is not None:
            np.testing.assert_array_equal(p.grad.numpy(), value)


BAD_CALLS = {
    # x with 7 features: the first Linear's matmul cannot take it
    "x-features": lambda x, y: (og.randn(4, 7), y),
    # class targets of the wrong shape for cross_entropy
    "y-shape": lambda x, y: (x, og.zeros(4, 5, dtype=og.int64)),
    "y-batch": lambda x, y: (x, y[:3]),
    # float64 data into float32 weights
    "x-dtype": lambda x, y: (x.double(), y),
    "y-dtype": lambda x, y: (x, y.float()),
}


@pytest.mark.parametrize("bad", list(BAD_CALLS))
@pytest.mark.parametrize("history", ["after-eager-steps", "after-compiled-steps"])
def test_bad_input_raises_before_touching_state(bad, history):
    run = W.mlp(og, "adam", batch=4)
    step = og.compile(run.step)
    for _ in range(3):
        (run.step if history == "after-eager-steps" else step)(*run.data)
    if history == "after-eager-steps":
        assert all(p.grad is not None for _, p in run.params)
    snap = _snapshot(run)
    args = BAD_CALLS[bad](*run.data)
    with pytest.raises((RuntimeError, ValueError)) as info:
        step(*args)
    _assert_unchanged(run, snap)
    # the traceback notes that the error came from a capture, at the user's line
    notes = " ".join(getattr(info.value, "__notes__", []))
    assert "captured" in notes and "workloads.py:" in notes, notes
    # and training goes on as if the bad call never happened
    eager = W.mlp(og, "adam", batch=4)
    for _ in range(3):
        eager.step(*eager.data)
    step(*run.data)
    eager.step(*eager.data)
    W.assert_same(W.params_of(run), W.params_of(eager), what="parameters after the bad call")


@pytest.mark.parametrize("mode", ["cpu", "resident"])
def test_failed_onnxruntime_run_leaves_state_unchanged(mode, monkeypatch):
    run, eager = W.mlp(og, "momentum", batch=4), W.mlp(og, "momentum", batch=4)
    step = CompiledStep(run.step, _resident=(mode == "resident"))
    for _ in range(3):
        step(*run.data)
        eager.step(*eager.data)
    snap = _snapshot(run)

    def broken(*args, **kwargs):
        raise RuntimeError("simulated onnxruntime failure")
    # every compiled run goes through _run_bound (the session's binding, without the wrapper)
    monkeypatch.setattr(compiled_module, "_run_bound", broken)
    for _ in range(2):
        with pytest.raises(RuntimeError, match="simulated onnxruntime failure"):
            step(*run.data)
        _assert_unchanged(run, snap)
    monkeypatch.undo()
    # nothing half-done: the next steps continue exactly from the state before the failures
    for _ in range(2):
        step(*run.data)
        eager.step(*eager.data)
    W.assert_same(W.params_of(run), W.params_of(eager), what="parameters")
    W.assert_same(W.optimizer_state_of(run), W.optimizer_state_of(eager), what="optimizer state")


def test_compiled_step_inside_a_capture_is_refused():
    run = W.mlp(og, "sgd", batch=4)
    inner = og.compile(run.step)
    with pytest.raises(CaptureError, match="inside a capture"):
        og.trace(lambda x, y: inner(x, y), *run.data)

"""Layers and losses record into a graph: the captured step, run by the numpy interpreter, gives
the eager loss and gradients (the forward passes use Tensor ops only)."""
import numpy as np
import pytest

import onnxgraft as og
import onnxgraft.nn as nn
import onnxgraft.nn.functional as F
from onnxgraft.ir.interpreter import interpret

LOSSES = {
    "cross_entropy": lambda out, y: F.cross_entropy(out, y),
    "cross_entropy_weight_ignore_smoothing": lambda out, y: F.cross_entropy(
        out, y, weight=og.tensor([1.0, 2.0, 3.0]), ignore_index=1, label_smoothing=0.1),
    "cross_entropy_probabilities": lambda out, y: F.cross_entropy(out, og.full((4, 3), 1 / 3.0)),
    "nll_sum": lambda out, y: F.nll_loss(F.log_softmax(out, 1), y, reduction="sum"),
    "mse": lambda out, y: F.mse_loss(out, og.ones(4, 3)),
    "l1": lambda out, y: F.l1_loss(out, og.ones(4, 3), reduction="sum"),
    "bce_with_logits": lambda out, y: F.binary_cross_entropy_with_logits(
        out, og.ones(4, 3) * 0.3, pos_weight=og.tensor([1.0, 2.0, 0.5])),
    "softmax": lambda out, y: (nn.Softmax(dim=1)(out) * og.arange(3.0)).sum(),
}


@pytest.mark.parametrize("loss_name", list(LOSSES))
def test_captured_step_matches_eager(loss_name):
    model = nn.Sequential(nn.Flatten(), nn.Linear(12, 8), nn.ReLU(), nn.Dropout(0.5), nn.Linear(8, 3, bias=False),
                          nn.Tanh(), nn.Linear(3, 3)).eval()
    term = LOSSES[loss_name]

    def step(x, y):
        loss = term(model(x), y)
        loss.backward()
        return loss

    x, y = og.randn(4, 3, 4), og.tensor([0, 1, 2, 1])
    graph = og.trace(step, x, y)
    env = interpret(graph, {"x": x.numpy(), "y": y.numpy()})
    assert all(p.grad is None for p in model.parameters())  # capture leaves the model as it was
    eager = step(x, y)
    np.testing.assert_allclose(env[tuple(graph.outputs[0])], eager.detach().numpy(), rtol=1e-6)
    params = {graph.node(n)["name"]: n for n in graph.params}
    for name, p in model.named_parameters():
        np.testing.assert_allclose(env[tuple(graph.grads[params[name]])], p.grad.numpy(), rtol=1e-5, atol=1e-7)


def test_dropout_in_training_mode_refuses_capture():
    model = nn.Sequential(nn.Linear(3, 3), nn.Dropout(0.5))
    from onnxgraft.frontend.trace import CaptureError
    with pytest.raises(CaptureError, match="dropout in training mode cannot be captured yet"):
        og.trace(lambda x: model(x).sum(), og.randn(2, 3))

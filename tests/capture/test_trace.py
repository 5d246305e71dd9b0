"""onnxgraft.trace: what a captured function's graph looks like (readable names, gradient nodes
only where gradients flow) and what it means (interpreted, it gives the eager gradients)."""
import numpy as np
import pytest

import onnxgraft as og
from onnxgraft import nn
from onnxgraft.ir.interpreter import interpret


def _names(graph, nids):
    return [graph.node(n)["name"] for n in nids]


def _grads_by_name(graph, env):
    return {graph.node(p)["name"]: env[tuple(g)] for p, g in graph.grads.items()}


def _feeds(graph, *arrays):
    return {graph.node(n)["name"]: a.numpy() for n, a in zip(graph.inputs, arrays)}


class Net(nn.Module):
    def __init__(self):
        super().__init__()
        self.fc1 = nn.Linear(3, 4)
        self.fc2 = nn.Linear(4, 2)
        self.unused = nn.Linear(2, 2)

    def forward(self, x):
        return self.fc2(self.fc1(x).relu())


def test_params_named_by_module_path_and_inputs_by_argument_name():
    og.manual_seed(0)
    net = Net()
    seq = nn.Sequential(nn.Linear(3, 4), nn.Tanh(), nn.Linear(4, 1))

    def attr_step(features, target):
        loss = ((net(features) - target) ** 2).sum()
        loss.backward()
        return loss

    def seq_step(batch):
        loss = seq(batch).sum()
        loss.backward()
        return loss

    x, y = og.randn(5, 3), og.randn(5, 2)
    g = og.trace(attr_step, x, y)
    assert _names(g, g.inputs) == ["features", "target"]
    assert _names(g, g.params) == ["fc1.weight", "fc1.bias", "fc2.weight", "fc2.bias"]
    assert g.meta["output_names"] == ["loss"]
    g2 = og.trace(seq_step, x)
    assert _names(g2, g2.inputs) == ["batch"]
    assert _names(g2, g2.params) == ["0.weight", "0.bias", "2.weight", "2.bias"]
    # tracing changed nothing the user holds
    assert all(p.grad is None for p in list(net.parameters()) + list(seq.parameters()))


def test_two_models_are_told_apart_by_their_variable_names():
    og.manual_seed(0)
    encoder, head = nn.Linear(3, 4), nn.Linear(4, 1)

    def step(x):
        loss = head(encoder(x)).sum()
        loss.backward()
        return loss
    g = og.trace(step, og.randn(2, 3))
    assert _names(g, g.params) == ["encoder.weight", "encoder.bias", "head.weight", "head.bias"]


def test_plain_leaf_tensors_are_named_after_their_variables():
    w_in = og.randn(3, 4, requires_grad=True)
    w_out = og.randn(4, 1, requires_grad=True)

    def step(x):
        loss = x.mm(w_in).clamp(min=0).mm(w_out).sum()
        loss.backward()
        return loss
    g = og.trace(step, og.randn(2, 3))
    assert _names(g, g.params) == ["w_in", "w_out"]


def test_unused_parameters_get_no_gradient_node():
    og.manual_seed(0)
    net = Net()

    def step(x):
        side = net.unused(x[:, :2]).sum()  # computed, but not part of the loss
        loss = net(x).sum()
        loss.backward()
        return loss, side

    x = og.randn(5, 3)
    g = og.trace(step, x)
    # `unused` is in the graph (its forward ran) but no gradient reaches it
    assert {"unused.weight", "unused.bias"} <= set(_names(g, g.params))
    assert set(_names(g, g.grads)) == {"fc1.weight", "fc1.bias", "fc2.weight", "fc2.bias"}
    unused = [n for n in g.params if g.node(n)["name"].startswith("unused")]
    backward = [n for n in g.nodes() if g.node(n)["phase"] == "backward"]
    # no backward node reads the unused layer's parameters or its output
    for n in unused:
        assert not any(u in backward for u in g.users(n))
    env = interpret(g, _feeds(g, x))
    step(x)
    for name, grad in _grads_by_name(g, env).items():
        np.testing.assert_allclose(grad, dict(net.named_parameters())[name].grad.numpy(), rtol=1e-6)
    assert net.unused.weight.grad is None


def test_gradients_of_a_shared_weight_are_summed():
    w = og.tensor(np.linspace(-1, 1, 9, dtype=np.float32).reshape(3, 3), requires_grad=True)

    def step(x):
        loss = x.mm(w).tanh().mm(w).sum()  # w used twice
        loss.backward()
        return loss

    x = og.randn(4, 3)
    g = og.trace(step, x)
    (grad_ref,) = g.grads.values()
    # the two contributions meet in one backward Add
    grad_node = g.node(grad_ref[0])
    assert grad_node["op"] == "Add" and grad_node["phase"] == "backward"
    env = interpret(g, _feeds(g, x))
    step(x)
    np.testing.assert_allclose(env[tuple(grad_ref)], w.grad.numpy(), rtol=1e-6, atol=1e-7)


def test_autograd_grad_inside_a_captured_function():
    w = og.tensor(np.linspace(-1, 1, 6, dtype=np.float32).reshape(3, 2), requires_grad=True)

    def penalty(x):
        out = (x.mm(w) ** 2).sum()
        (gw,) = og.autograd.grad(out, [w], create_graph=True)
        return out, gw, (gw ** 2).sum()

    x = og.randn(4, 3)
    g = og.trace(penalty, x)
    env = interpret(g, _feeds(g, x))
    eager = penalty(x)
    for ref, want in zip(g.outputs, eager):
        np.testing.assert_allclose(env[tuple(ref)], want.detach().numpy(), rtol=1e-5, atol=1e-6)
    assert w.grad is None  # autograd.grad fills no .grad, captured or not
    assert g.grads == {}


def test_gradient_penalty_is_differentiated_twice():
    """A loss containing a gradient (create_graph=True), then backward: second order in-graph."""
    w = og.tensor(np.linspace(-1, 1, 6, dtype=np.float32).reshape(3, 2), requires_grad=True)

    def step(x):
        out = x.mm(w).tanh().sum()
        (gw,) = og.autograd.grad(out, [w], create_graph=True)
        loss = out + (gw ** 2).sum()
        loss.backward()
        return loss

    x = og.randn(4, 3)
    g = og.trace(step, x)
    env = interpret(g, _feeds(g, x))
    step(x)
    (grad_ref,) = g.grads.values()
    np.testing.assert_allclose(env[tuple(grad_ref)], w.grad.numpy(), rtol=1e-5, atol=1e-6)


@pytest.mark.parametrize("stop", ["detach", "no_grad", "data"])
def test_detach_no_grad_and_data_stop_gradients_in_the_graph(stop):
    w = og.tensor(np.linspace(-1, 1, 9, dtype=np.float32).reshape(3, 3), requires_grad=True)

    def step(x):
        h = x.mm(w)
        if stop == "detach":
            c = h.detach()
        elif stop == "no_grad":
            with og.no_grad():
                c = h * 1.0
        else:
            c = h.data
        loss = (c * h).sum()  # gradient flows only through the second factor: c * dh
        loss.backward()
        return loss

    x = og.randn(4, 3)
    g = og.trace(step, x)
    env = interpret(g, _feeds(g, x))
    step(x)
    (grad_ref,) = g.grads.values()
    np.testing.assert_allclose(env[tuple(grad_ref)], w.grad.numpy(), rtol=1e-6, atol=1e-6)
    # and not 2 * (x^T h): the full-gradient answer is different
    h = x.numpy() @ w.detach().numpy()
    assert not np.allclose(env[tuple(grad_ref)], 2 * x.numpy().T @ h)


def test_trace_is_deterministic():
    og.manual_seed(0)
    net = Net()

    def step(x, y):
        loss = ((net(x) - y) ** 2).mean()
        loss.backward()
        return loss
    x, y = og.randn(5, 3), og.randn(5, 2)
    a, b = og.trace(step, x, y), og.trace(step, x, y)
    assert a.summary() == b.summary()


def test_a_global_leaf_named_like_an_argument_leaves_the_name_to_the_input():
    from types import SimpleNamespace
    from onnxgraft.export.onnx import to_model
    leaf = og.randn(3, 1, requires_grad=True)
    # a global `w` that the step reaches as `lin.w`, and an argument also called `w`
    namespace = {"w": leaf, "lin": SimpleNamespace(w=leaf)}
    exec("def step(w):\n    loss = (w @ lin.w).sum()\n    loss.backward()\n    return loss\n",
         namespace)
    g = og.trace(namespace["step"], og.randn(2, 3))
    assert _names(g, g.inputs) == ["w"] and _names(g, g.params) != ["w"]
    to_model(g)  # graph input names stay unique


def test_trace_gives_back_the_gradients_it_found():
    og.manual_seed(0)
    model = nn.Linear(3, 2)
    opt = og.optim.SGD(model.parameters(), lr=0.1)

    def step(x):
        opt.zero_grad()
        loss = model(x).sum()
        loss.backward()
        opt.step()
        return loss

    x = og.randn(4, 3)
    step(x)
    before = {n: (p.grad, p.grad.numpy().copy(), p.detach().numpy().copy())
              for n, p in model.named_parameters()}
    og.trace(step, x)
    for n, p in model.named_parameters():
        grad, value, weight = before[n]
        assert p.grad is grad
        np.testing.assert_array_equal(p.grad.numpy(), value)
        np.testing.assert_array_equal(p.detach().numpy(), weight)


def test_trace_of_a_tensor_is_the_matrix_trace_as_in_pytorch():
    m = og.tensor([[1.0, 2.0], [3.0, 4.0]], requires_grad=True)
    t = og.trace(m)
    assert t.item() == 5.0
    t.backward()
    np.testing.assert_array_equal(m.grad.numpy(), np.eye(2, dtype=np.float32))
    with pytest.raises(TypeError, match="trace\\(fn, \\*inputs\\)"):
        og.trace(m, m)

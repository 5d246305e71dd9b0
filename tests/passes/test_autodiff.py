"""The autodiff pass on hand-built ir.Graphs: meaning (the appended gradient subgraph, interpreted,
gives the eager engine's gradients) and structure (what it appends, and what it does not)."""
import numpy as np
import pytest

import onnxgraft as og
from onnxgraft.ir import Graph, Value, emit
from onnxgraft.ir.interpreter import interpret
from onnxgraft.ir.ops.registry import REGISTRY, NoGradientError, defop
from onnxgraft.ir.ops.shape_rules import same
from onnxgraft.passes import differentiate

RNG = np.random.default_rng(0)
X = RNG.standard_normal((4, 3)).astype(np.float32)
W = RNG.standard_normal((3, 2)).astype(np.float32)
B = RNG.standard_normal(2).astype(np.float32)
U = RNG.standard_normal((2, 2)).astype(np.float32)


def _graph():
    """x: Input (4, 3); w (3, 2), b (2,), u (2, 2): Params; u is never used by the loss."""
    g = Graph("test")
    x = Value(g, g.add_node("Input", out_meta=[((4, 3), "float32")], name="x"))
    params = [Value(g, g.add_node("Param", out_meta=[(v.shape, "float32")], name=n, value=v))
              for n, v in (("w", W), ("b", B), ("u", U))]
    return g, x, params


def _eager(fn, *arrays):
    """Gradients of fn(x, w, b, u) by the eager engine."""
    x = og.tensor(X)
    leaves = [og.tensor(a, requires_grad=True) for a in arrays]
    fn(x, *leaves).backward()
    return [None if t.grad is None else t.grad.numpy() for t in leaves]


def _mlp_loss(x, w, b, u):
    # broadcasting b over the batch: its gradient needs the pass's sum_to
    return ((x @ w + b).tanh() * (x @ w)).sum()


def test_gradients_match_the_eager_engine():
    g, x, (w, b, u) = _graph()
    loss = (((x @ w) + b).tanh() * (x @ w)).reduce_sum(keepdims=False)
    grads = differentiate(g, loss.ref, [w.ref, b.ref, u.ref])
    assert grads[u.ref] is None
    env = interpret(g, {"x": X})
    want = _eager(_mlp_loss, W, B, U)
    np.testing.assert_allclose(env[grads[w.ref].ref], want[0], rtol=1e-5, atol=1e-6)
    np.testing.assert_allclose(env[grads[b.ref].ref], want[1], rtol=1e-5, atol=1e-6)
    assert env[grads[b.ref].ref].shape == (2,)
    assert want[2] is None


def test_appended_nodes_are_backward_and_the_forward_is_untouched():
    g, x, (w, b, u) = _graph()
    side = ((x @ w) @ u).reduce_sum(keepdims=False)  # uses u, but the loss does not use it
    loss = ((x @ w) + b).relu().reduce_sum(keepdims=False)
    forward = {n: dict(g.node(n)) for n in g.nodes()}
    edges = sorted(g.nx.edges(data="idx"))
    grads = differentiate(g, loss.ref, [w.ref, b.ref, u.ref])
    new = [n for n in g.nodes() if n not in forward]
    assert new and all(g.node(n)["phase"] == "backward" for n in new)
    assert all(g.node(n) == d for n, d in forward.items())          # forward nodes unchanged
    assert set(edges) <= set(g.nx.edges(data="idx"))                 # and their edges kept
    # no gradient for u, and no backward node reads u or the side computation
    assert grads[u.ref] is None
    for n in new:
        assert all(src not in (u.node, side.node) for src, _ in g.input_values(n))
    assert grads[w.ref].shape == (3, 2) and grads[b.ref].shape == (2,)


def test_a_value_used_twice_sums_its_gradients():
    g, x, (w, b, u) = _graph()
    h = x @ w
    loss = (h * h).reduce_sum(keepdims=False)  # h feeds Mul twice
    grads = differentiate(g, loss.ref, [w.ref])
    env = interpret(g, {"x": X})
    want = _eager(lambda x, w: ((x @ w) * (x @ w)).sum(), W)
    np.testing.assert_allclose(env[grads[w.ref].ref], want[0], rtol=1e-5, atol=1e-6)
    # the two cotangents of h meet in one backward Add
    adds = [n for n in g.nodes() if g.node(n)["op"] == "Add" and g.node(n)["phase"] == "backward"]
    assert adds


def test_seed_gives_a_vector_jacobian_product():
    g, x, (w, b, u) = _graph()
    out = (x @ w).tanh()
    seed = Value(g, g.add_node("Input", out_meta=[((4, 2), "float32")], name="seed"))
    grads = differentiate(g, out.ref, [w.ref], seed)
    v = RNG.standard_normal((4, 2)).astype(np.float32)
    env = interpret(g, {"x": X, "seed": v})
    w_t = og.tensor(W, requires_grad=True)
    (og.tensor(X) @ w_t).tanh().backward(og.tensor(v))
    np.testing.assert_allclose(env[grads[w.ref].ref], w_t.grad.numpy(), rtol=1e-5, atol=1e-6)


def test_non_differentiable_op_passes_no_gradient():
    g, x, (w, b, u) = _graph()
    mask = (x @ w) > 0                                     # Greater: no gradient
    loss = mask.cast_to("float32").reduce_sum(keepdims=False)
    grads = differentiate(g, loss.ref, [w.ref])
    assert grads[w.ref] is None
    assert not any(g.node(n)["phase"] == "backward" and g.node(n)["op"] not in ("Const",)
                   for n in g.nodes())


def test_second_order_by_differentiating_the_gradient_graph():
    g, x, (w, b, u) = _graph()
    loss = (x @ w).tanh().reduce_sum(keepdims=False)
    (gw,) = differentiate(g, loss.ref, [w.ref]).values()
    penalty = (gw * gw).reduce_sum(keepdims=False)
    (ggw,) = differentiate(g, penalty.ref, [w.ref]).values()
    env = interpret(g, {"x": X})
    w_t = og.tensor(W, requires_grad=True)
    (first,) = og.autograd.grad((og.tensor(X) @ w_t).tanh().sum(), [w_t], create_graph=True)
    (first * first).sum().backward()
    np.testing.assert_allclose(env[ggw.ref], w_t.grad.numpy(), rtol=1e-4, atol=1e-5)


@pytest.fixture
def op_without_vjp():
    """A differentiable op with no gradient rule, registered for one test only."""
    name = "TestOpWithoutVjp"
    defop(name, eager=lambda x: x * 2, infer=same, vjp=None, family="test")
    try:
        yield name
    finally:
        del REGISTRY[name]


def test_op_without_a_rule_raises_naming_the_op_and_where(op_without_vjp):
    g, x, (w, b, u) = _graph()
    h = emit(g, op_without_vjp, [x @ w], {}, where="model.py:12")[0]
    loss = h.reduce_sum(keepdims=False)
    with pytest.raises(NoGradientError) as info:
        differentiate(g, loss.ref, [w.ref])
    assert op_without_vjp in str(info.value) and "model.py:12" in str(info.value)


def test_op_without_a_rule_off_the_path_is_fine(op_without_vjp):
    g, x, (w, b, u) = _graph()
    emit(g, op_without_vjp, [x], {}, where="model.py:3")   # not between w and the loss
    loss = (x @ w).reduce_sum(keepdims=False)
    (gw,) = differentiate(g, loss.ref, [w.ref]).values()
    np.testing.assert_allclose(interpret(g, {"x": X})[gw.ref], _eager(lambda x, w: (x @ w).sum(), W)[0],
                               rtol=1e-6)


def test_registry_is_clean_after_the_temporary_op():
    assert "TestOpWithoutVjp" not in REGISTRY

"""The rewrite passes (dce, cse, fold, simplify), each tested for meaning (the interpreter gives
the same outputs before and after) and for structure (which nodes remain)."""
from collections import Counter

import numpy as np
import pytest

import onnxgraft as og
from onnxgraft.ir import Graph, Value, emit
from onnxgraft.ir.interpreter import interpret, run_outputs
from onnxgraft.passes import PASSES, verify
from onnxgraft.passes.fold import MAX_FOLD_ELEMENTS

RNG = np.random.default_rng(0)
X = RNG.standard_normal((3, 4)).astype(np.float32)
W = RNG.standard_normal((4, 4)).astype(np.float32)


def _graph():
    g = Graph("rewrite")
    x = Value(g, g.add_node("Input", out_meta=[((3, 4), "float32")], name="x"))
    w = Value(g, g.add_node("Param", out_meta=[((4, 4), "float32")], name="w", value=W))
    return g, x, w


def _const(g, array):
    array = np.asarray(array)
    return Value(g, g.add_node("Const", out_meta=[(array.shape, array.dtype.name)], value=array))


def _run(name, g, outputs, feeds=None):
    """Set the outputs, run pass `name` (then dce, so that replaced nodes go), check meaning."""
    g.meta["outputs"] = [o.ref for o in outputs]
    feeds = {"x": X, **(feeds or {})}
    before = run_outputs(g, feeds)
    h = PASSES[name](g.copy())
    if name != "dce":
        h = PASSES["dce"](h)
    verify(h)
    after = run_outputs(h, feeds)
    for a, b in zip(before, after):
        assert a.shape == b.shape and a.dtype == b.dtype
        np.testing.assert_array_equal(a, b)
    return h


def _ops(g):
    return Counter(g.node(n)["op"] for n in g.nodes())


# -- dce ------------------------------------------------------------------------------------------
def test_dce_removes_what_no_output_needs_and_keeps_the_interface():
    g, x, w = _graph()
    unused_in = g.add_node("Input", out_meta=[((2,), "float32")], name="unused_input")
    state_in = Value(g, g.add_node("Param", out_meta=[((4,), "float32")], name="s",
                                   value=np.zeros(4, np.float32)))
    dead = (x @ w).exp()                       # computed, never used
    out = (x @ w).tanh()
    g.meta["state"] = {state_in.node: state_in.ref}  # state passed through unchanged
    h = _run("dce", g, [out], {"unused_input": np.zeros(2, np.float32)})
    assert dead.node not in h.nx and dead.node - 1 not in h.nx
    assert unused_in in h.nx and state_in.node in h.nx and w.node in h.nx
    assert _ops(h) == Counter({"Input": 2, "Param": 2, "MatMul": 1, "Tanh": 1})


def test_dce_keeps_the_gradients_of_a_traced_backward():
    model = og.nn.Linear(4, 2)

    def step(x):
        loss = model(x).tanh().sum()
        loss.backward()
        return loss

    g = og.trace(step, og.tensor(X))
    h = PASSES["dce"](g.copy())
    assert set(h.grads) == set(g.grads)
    assert all(ref[0] in h.nx for ref in h.grads.values())
    env_before, env_after = interpret(g, {"x": X}), interpret(h, {"x": X})
    for p, ref in h.grads.items():
        np.testing.assert_array_equal(env_after[tuple(ref)], env_before[tuple(g.grads[p])])


# -- cse ------------------------------------------------------------------------------------------
def test_cse_merges_equal_computations_and_small_equal_constants():
    g, x, w = _graph()
    a, b = (x @ w), (x @ w)                          # the same MatMul twice
    c1, c2 = _const(g, np.float32(2.0)), _const(g, np.float32(2.0))
    out = (a * c1) + (b * c2)
    h = _run("cse", g, [out])
    assert _ops(h) == Counter({"Input": 1, "Param": 1, "MatMul": 1, "Const": 1, "Mul": 1, "Add": 1})
    assert a.node in h.nx and b.node not in h.nx    # the first one stays


def test_cse_keeps_different_attributes_and_large_constants_apart():
    g, x, w = _graph()
    s0 = x.reduce_sum(axes=(0,), keepdims=True)
    s1 = x.reduce_sum(axes=(1,), keepdims=True)
    big = RNG.standard_normal((5, 4)).astype(np.float32)
    k1, k2 = _const(g, big), _const(g, big.copy())   # > 16 elements: compared by value too costly
    out = ((s0.reduce_sum(keepdims=False) + s1.reduce_sum(keepdims=False))
           * (k1 + k2).reduce_sum(keepdims=False))
    h = _run("cse", g, [out])
    assert _ops(h)["Const"] == 2 and s0.node in h.nx and s1.node in h.nx


# -- fold -----------------------------------------------------------------------------------------
def test_fold_evaluates_constant_subexpressions():
    g, x, w = _graph()
    k = (_const(g, np.float32(3.0)) * _const(g, np.float32(4.0))).sqrt()     # sqrt(12)
    out = x * k.cast_to("float32") + _const(g, np.arange(4, dtype=np.float32)).reshape_to((1, 4))
    h = _run("fold", g, [out])
    ops = _ops(h)
    assert ops["Sqrt"] == 0 and ops["Reshape"] == 0 and ops["Mul"] == 1 and ops["Add"] == 1
    folded = [h.node(n) for n in h.nodes() if h.node(n)["name"].endswith("_folded")]
    values = sorted(float(np.asarray(d["value"]).ravel()[0]) for d in folded)
    assert values == pytest.approx([0.0, np.sqrt(12.0)])
    assert all(d["dtype"] == "float32" for d in folded)


def test_fold_leaves_large_results_as_ops():
    g = Graph("big")
    n = MAX_FOLD_ELEMENTS + 1
    x = Value(g, g.add_node("Input", out_meta=[((3, 4), "float32")], name="x"))
    big = _const(g, np.float32(1.5)).expand_to((n,))
    out = big.reduce_sum(keepdims=False) + x.reduce_sum(keepdims=False)
    h = _run("fold", g, [out])
    assert _ops(h)["Expand"] == 1


# -- simplify -------------------------------------------------------------------------------------
def _one(rule):
    g, x, w = _graph()
    out, kept = rule(g, x, w)
    return _run("simplify", g, [out]), kept


SIMPLIFIED = {
    # Identity(x) -> x
    "identity": lambda g, x, w: (emit(g, "Identity", [x @ w], {})[0].tanh(), "Identity"),
    # Reshape to the same shape -> x
    "reshape": lambda g, x, w: ((x @ w).reshape_to((3, 4)).tanh(), "Reshape"),
    # Cast to the same dtype -> x
    "cast": lambda g, x, w: ((x @ w).cast_to("float32").tanh(), "Cast"),
    # Transpose(Transpose(x, p), q) -> x when q undoes p
    "transpose-pair": lambda g, x, w: ((x @ w).permute_to((1, 0)).permute_to((1, 0)).tanh(), "Transpose"),
    # Mul(x, 1), Mul(1, x) -> x
    "mul-one": lambda g, x, w: ((_const(g, np.float32(1)) * (x @ w) * 1.0).tanh(), "Mul"),
    # Add(x, 0), Add(0, x), Sub(x, 0) -> x
    "add-zero": lambda g, x, w: ((_const(g, np.float32(0)) + (x @ w) - 0.0).tanh(), "Add"),
    # Div(x, 1) -> x
    "div-one": lambda g, x, w: (((x @ w) / 1.0).tanh(), "Div"),
}


@pytest.mark.parametrize("rule", list(SIMPLIFIED))
def test_simplify_removes_the_no_op(rule):
    h, op = _one(SIMPLIFIED[rule])
    assert _ops(h)[op] == 0 and _ops(h)["Sub"] == 0
    assert _ops(h) == Counter({"Input": 1, "Param": 1, "MatMul": 1, "Tanh": 1})


KEPT = {
    # a transpose pair that does not cancel: (0 2 1) then (1 0 2) is no identity
    "transpose-no-inverse": lambda g, x, w: (
        x.reshape_to((3, 2, 2)).permute_to((0, 2, 1)).permute_to((1, 0, 2)).reshape_to((3, 4)), "Transpose"),
    # Mul by a ones tensor that broadcasts x to a larger shape changes the shape
    "mul-broadcasting-one": lambda g, x, w: (x * _const(g, np.ones((2, 3, 4), np.float32)), "Mul"),
    # Sub(0, x) is -x, not x
    "zero-minus-x": lambda g, x, w: (0.0 - x, "Sub"),
    # Mul(x, 2) is not a no-op
    "mul-two": lambda g, x, w: (x * 2.0, "Mul"),
    # Reshape to another shape
    "reshape-other": lambda g, x, w: (x.reshape_to((4, 3)), "Reshape"),
}


@pytest.mark.parametrize("rule", list(KEPT))
def test_simplify_keeps_what_is_not_a_no_op(rule):
    h, op = _one(KEPT[rule])
    assert _ops(h)[op] >= 1


def test_passes_keep_a_training_step_meaning():
    """The whole default pipeline on a captured Adam step: same loss, same new state."""
    from onnxgraft.passes import run_pipeline
    model = og.nn.Linear(4, 2)
    opt = og.optim.Adam(model.parameters(), lr=0.1)

    def step(x):
        opt.zero_grad()
        loss = model(x).tanh().pow(2).mean()
        loss.backward()
        opt.step()
        return loss

    step(og.tensor(X))  # creates the optimizer state
    g = og.trace(step, og.tensor(X))
    h = run_pipeline(g.copy(), check=True)
    assert len(h) < len(g)
    for a, b in zip(run_outputs(g, {"x": X}), run_outputs(h, {"x": X})):
        np.testing.assert_allclose(b, a, rtol=1e-6, atol=1e-7)


# -- simplify: rewrites that save a pass over the data ----------------------------------------------
def _simplify(g, outputs):
    g.meta["outputs"] = [o.ref for o in outputs]
    before = run_outputs(g, {"x": X})
    h = PASSES["dce"](PASSES["simplify"](g.copy()))
    h = PASSES["dce"](PASSES["simplify"](h))
    verify(h)
    after = run_outputs(h, {"x": X})
    for a, b in zip(before, after):
        assert a.shape == b.shape and a.dtype == b.dtype
        np.testing.assert_allclose(a, b, rtol=1e-6)  # c1 * c2 rounds once instead of twice
    return h


def test_simplify_turns_sum_to_reshape_into_one_reduction():
    g, x, w = _graph()
    out = x.reduce_sum((0,), keepdims=True).reshape_to((4,))
    h = _simplify(g, [out])
    assert _ops(h)["Reshape"] == 0 and _ops(h)["ReduceSum"] == 1
    (red,) = [n for n in h.nodes() if h.node(n)["op"] == "ReduceSum"]
    assert h.node(red)["attrs"]["keepdims"] == 0


def test_simplify_keeps_a_reshape_that_is_not_the_squeezed_reduction():
    g, x, w = _graph()
    out = x.reduce_sum((0,), keepdims=True).reshape_to((2, 2))
    h = _simplify(g, [out])
    assert _ops(h)["Reshape"] == 1


def test_simplify_folds_chains_of_scalar_multiplications():
    g, x, w = _graph()
    out = ((x * _const(g, np.float32(3.0))) * _const(g, np.float32(0.5))) + (x * x)
    h = _simplify(g, [out])
    assert _ops(h)["Mul"] == 2  # x * 1.5 and x * x


def test_simplify_turns_a_uniform_constant_into_a_scalar_and_add_of_itself_into_a_scaling():
    g, x, w = _graph()
    t = x * _const(g, np.full((3, 4), 0.25, np.float32))
    out = t + t
    h = _simplify(g, [out])
    muls = [n for n in h.nodes() if h.node(n)["op"] == "Mul"]
    assert _ops(h)["Add"] == 0 and len(muls) == 1
    consts = [h.node(s)["value"] for s, _ in h.input_values(muls[0]) if h.node(s)["op"] == "Const"]
    assert consts and consts[0].shape == () and consts[0] == np.float32(0.5)

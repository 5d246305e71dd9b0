"""The pass manager: a pipeline runs to a fixed point, verify() re-runs the shape rules, and a
failing pass is reported with the passes already run."""
import numpy as np
import pytest

from onnxgraft.ir import Graph, Value
from onnxgraft.ir.interpreter import run_outputs
from onnxgraft.passes import PASSES, PassError, register, run_pipeline, verify

X = np.arange(12, dtype=np.float32).reshape(3, 4)


def _graph():
    g = Graph("managed")
    x = Value(g, g.add_node("Input", out_meta=[((3, 4), "float32")], name="x"))
    return g, x


@pytest.fixture
def temporary_pass():
    """Register passes for one test and remove them afterwards."""
    added = []

    def add(name, fn):
        register(name)(fn)
        added.append(name)
    yield add
    for name in added:
        del PASSES[name]


def test_pipeline_runs_to_a_fixed_point():
    # a cancelling Transpose pair, a Mul by 1 and a Reshape to the same shape: simplify routes
    # around them, dce drops them; the pipeline repeats until a round changes nothing
    g, x = _graph()
    one = Value(g, g.add_node("Const", out_meta=[((), "float32")], value=np.float32(1)))
    out = (x.permute_to((1, 0)).permute_to((1, 0)) * one).reshape_to((3, 4)).exp()
    g.meta["outputs"] = [out.ref]
    want = run_outputs(g, {"x": X})
    h = run_pipeline(g.copy(), check=True)
    assert [h.node(n)["op"] for n in h.nodes()] == ["Input", "Exp"]
    np.testing.assert_array_equal(run_outputs(h, {"x": X})[0], want[0])
    # at the fixed point, another run changes nothing
    again = run_pipeline(h.copy(), check=True)
    assert again.summary() == h.summary()


def test_failing_pass_names_the_passes_already_run(temporary_pass):
    def boom(graph):
        raise ValueError("something broke")
    temporary_pass("test_boom", boom)
    g, x = _graph()
    g.meta["outputs"] = [x.exp().ref]
    with pytest.raises(PassError) as info:
        run_pipeline(g, ("simplify", "fold", "test_boom", "dce"))
    message = str(info.value)
    assert "'test_boom' failed" in message and "something broke" in message
    assert "passes already run: simplify, fold" in message
    assert isinstance(info.value.__cause__, ValueError)


def test_first_pass_failing_says_none_ran(temporary_pass):
    temporary_pass("test_boom_first", lambda graph: 1 / 0)
    g, x = _graph()
    g.meta["outputs"] = [x.exp().ref]
    with pytest.raises(PassError, match="passes already run: none"):
        run_pipeline(g, ("test_boom_first",))


def test_verify_catches_a_corrupted_shape():
    g, x = _graph()
    y = x.exp().reduce_sum(axes=(1,), keepdims=False)
    g.meta["outputs"] = [y.ref]
    verify(g)
    g.node(y.node)["shape"] = (4,)  # the rule gives (3,)
    with pytest.raises(PassError, match=r"shape rule gives \[\(\(3,\), 'float32'\)\]"):
        verify(g)


def test_verify_catches_a_const_whose_value_disagrees():
    g, x = _graph()
    c = g.add_node("Const", out_meta=[((2,), "float32")], value=np.zeros(3, np.float32))
    with pytest.raises(PassError, match="Const value shape"):
        verify(g)
    assert c in g.nx


def test_checked_pipeline_names_the_pass_that_corrupted_the_graph(temporary_pass):
    def corrupt(graph):
        for n in graph.nodes():
            if graph.node(n)["op"] == "Exp":
                graph.node(n)["dtype"] = "float64"
        return graph
    temporary_pass("test_corrupt", corrupt)
    g, x = _graph()
    g.meta["outputs"] = [x.exp().ref]
    with pytest.raises(PassError) as info:
        run_pipeline(g, ("simplify", "test_corrupt", "dce"), check=True)
    assert "'test_corrupt' failed" in str(info.value) and "passes already run: simplify" in str(info.value)
    # unchecked, the same corruption goes unnoticed by the manager
    g2, x2 = _graph()
    g2.meta["outputs"] = [x2.exp().ref]
    run_pipeline(g2, ("test_corrupt",), check=False)


def test_verify_catches_missing_input_slots():
    g, x = _graph()
    y = x + x
    g.meta["outputs"] = [y.ref]
    # drop the edge into slot 0
    key = next(k for s, d, k, data in g.nx.in_edges(y.node, keys=True, data=True) if data["idx"] == 0)
    g.nx.remove_edge(x.node, y.node, key)
    with pytest.raises(PassError, match="input slots"):
        verify(g)

"""merge_state: equal scalar state with the same update is computed once (and only then)."""
import numpy as np

import onnxgraft as og
from onnxgraft import nn
from onnxgraft.frontend.trace import capture, _module_param_names
from onnxgraft.ir.interpreter import run_outputs
from onnxgraft.passes.merge_state import merge_equal_scalar_state


def _adam_step_graph():
    og.manual_seed(0)
    model = nn.Sequential(nn.Linear(4, 3), nn.ReLU(), nn.Linear(3, 2))
    opt = og.optim.Adam(model.parameters(), lr=0.1)
    loss_fn = nn.CrossEntropyLoss()
    x, y = og.randn(5, 4), og.tensor([0, 1, 0, 1, 1])
    opt.zero_grad()
    loss_fn(model(x), y).backward()
    opt.step()  # state exists (step = 1 everywhere), as in a compiled step's steady state

    def step(x, y):
        opt.zero_grad()
        loss = loss_fn(model(x), y)
        loss.backward()
        opt.step()
        return loss
    names = _module_param_names(step)[0]
    tracer, result = capture(step, (x, y), names)
    return tracer.finish([result]), {"x": x.numpy(), "y": y.numpy()}


def test_adam_step_counters_merge_and_the_step_means_the_same():
    graph, feeds = _adam_step_graph()
    before = run_outputs(graph, feeds)
    n_before = len(graph)
    merged, groups = merge_equal_scalar_state(graph.copy())
    assert len(groups) == 1 and len(groups[0]) == 4  # one step counter per parameter
    assert len(merged) < n_before - 30               # ~12 scalar nodes saved per counter
    after = run_outputs(merged, feeds)
    for a, b in zip(before, after):
        np.testing.assert_array_equal(a, b)
    # every counter keeps its own state entry, now all fed by one computation
    outs = {tuple(merged.state[n]) for n in groups[0]}
    assert len(outs) == 1 and all(n in merged.state for n in groups[0])


def test_state_with_different_updates_is_not_merged():
    g = og.ir.Graph("two")
    from onnxgraft.ir import Value
    a = Value(g, g.add_node("Param", out_meta=[((), "float32")], name="a", value=np.float32(0)))
    b = Value(g, g.add_node("Param", out_meta=[((), "float32")], name="b", value=np.float32(0)))
    g.state[a.node] = (a + 1.0).ref
    g.state[b.node] = (b + 2.0).ref
    g.meta["outputs"] = list(g.state.values())
    _, groups = merge_equal_scalar_state(g)
    assert groups == []

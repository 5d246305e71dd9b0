"""What a compiled step returns: the same structure as the step function's result, nested tuples
(an LSTM's `(output, (h_n, c_n))`), lists, named tuples and plain values included."""
import collections

import numpy as np

import onnxgraft as og


def test_nested_tuples_lists_and_constants_keep_their_structure():
    lstm = og.nn.LSTM(3, 4)
    step = og.compile(lambda x: lstm(x))
    x = og.linspace(-1, 1, 30).reshape(5, 2, 3)
    with og.no_grad():
        got, want = step(x), lstm(x)
    assert isinstance(got, tuple) and isinstance(got[1], tuple) and len(got[1]) == 2
    for a, b in ((got[0], want[0]), (got[1][0], want[1][0]), (got[1][1], want[1][1])):
        np.testing.assert_allclose(a.numpy(), b.numpy(), rtol=1e-5, atol=1e-6)

    mixed = og.compile(lambda x: (x.sum(), 3, [x * 2, None]))
    for _ in range(2):  # the first call captures, the second is one onnxruntime run
        total, three, (doubled, nothing) = mixed(og.ones(2))
        assert total.item() == 2.0 and three == 3 and doubled.tolist() == [2.0, 2.0] and nothing is None


def test_named_tuples_come_back_as_named_tuples():
    Pair = collections.namedtuple("Pair", "low high")
    step = og.compile(lambda x: Pair(x.min(), x.max()))
    out = step(og.tensor([3.0, -1.0, 2.0]))
    assert isinstance(out, Pair) and out.low.item() == -1.0 and out.high.item() == 3.0


def test_a_captured_adamw_update_makes_13_passes_over_each_weight():
    """The update is memory-bound: every elementwise pass over a weight costs the same. Eagerly
    Adam follows PyTorch's order of operations (bit-equal results); recorded into a compiled step
    it folds sqrt(bias_correction2) into its two scalars, one pass fewer (bench/README.md)."""
    model = og.nn.Linear(8, 6)
    opt = og.optim.AdamW(model.parameters(), lr=1e-3)

    def step(x, y):
        opt.zero_grad()
        loss = ((model(x) - y) ** 2).mean()
        loss.backward()
        opt.step()
        return loss

    compiled = og.compile(step)
    for _ in range(2):
        compiled(og.ones(4, 8), og.zeros(4, 6))
    g = compiled.graph
    passes = [g.node(n)["op"] for n in g.nodes()
              if g.node(n)["phase"] == "optimizer" and tuple(g.node(n)["shape"]) == (6, 8)]
    assert len(passes) == 13, sorted(passes)

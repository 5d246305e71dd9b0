"""Functions onnxgraft composes of several ops but PyTorch computes as one (max/avg/adaptive
pooling, group_norm) get ONE grad_fn (frontend/function.py `composite`) whose next_functions are
the inputs', so walks of the graph read as PyTorch's; gradients, double backward, the freed-graph
error and capture still go through the composed ops."""
import numpy as np
import pytest

import onnxgraft as og
import onnxgraft.nn as nn
import onnxgraft.nn.functional as F

CASES = {
    "max_pool2d": lambda F, x, w: F.max_pool2d(x, 3, stride=2, padding=1),
    "max_pool2d_unbatched": lambda F, x, w: F.max_pool2d(x[0], 2),
    "avg_pool2d": lambda F, x, w: F.avg_pool2d(x, 3, stride=2, padding=1, count_include_pad=False),
    "adaptive_avg_pool2d": lambda F, x, w: F.adaptive_avg_pool2d(x, (2, 3)),
    "group_norm": lambda F, x, w: F.group_norm(x, 2, w),
    "group_norm_no_affine": lambda F, x, w: F.group_norm(x, 2),
}


def _inputs(lib):
    x = lib.tensor(np.sin(np.arange(2 * 4 * 7 * 7, dtype=np.float64)).reshape(2, 4, 7, 7),
                   requires_grad=True)
    w = lib.tensor(np.linspace(0.5, 1.5, 4), requires_grad=True)
    return x, w


def _names(fn):
    return [None if n is None else type(n).__name__ for n, _ in fn.next_functions]


@pytest.mark.parametrize("case", sorted(CASES))
def test_one_node_and_gradients_match_torch(case):
    torch = pytest.importorskip("torch")
    results = []
    for lib, functional in ((torch, torch.nn.functional), (og, F)):
        x, w = _inputs(lib)
        y = CASES[case](functional, x * 1, w)
        g = lib.tensor(np.cos(np.arange(y.numel(), dtype=np.float64)).reshape(tuple(y.shape)), requires_grad=True)
        gx, = lib.autograd.grad(y, x, g, create_graph=True)
        # second order: through the first gradient, to g (and to x where the op is not piecewise linear)
        ggx, gg = lib.autograd.grad((gx * gx).sum(), (x, g), allow_unused=True, materialize_grads=True)
        results.append((type(y.grad_fn).__name__, _names(y.grad_fn), y.detach().numpy(), gx.detach().numpy(),
                        ggx.numpy(), gg.numpy()))
    (tn, tnext, *tvals), (on, onext, *ovals) = results
    assert (on, onext) == (tn, tnext)
    for a, b in zip(ovals, tvals):
        np.testing.assert_allclose(a, b, rtol=1e-9, atol=1e-12)


def test_backward_twice_raises_and_retain_graph_accumulates():
    x = og.linspace(-1, 1, 16).reshape(1, 1, 4, 4).requires_grad_()
    y = F.max_pool2d(x, 2).sum()
    y.backward(retain_graph=True)
    y.backward()
    assert x.grad.sum().item() == 8.0
    with pytest.raises(RuntimeError, match="backward through the graph a second time"):
        y.backward()


def test_no_node_without_grad_and_indices_unchanged():
    x = og.linspace(-1, 1, 16).reshape(1, 1, 4, 4)
    assert F.max_pool2d(x, 2).grad_fn is None
    out, idx = F.max_pool2d(x.requires_grad_(), 2, return_indices=True)
    assert type(out.grad_fn).__name__ == "MaxPool2DWithIndicesBackward0"
    assert idx.tolist() == [[[[5, 7], [13, 15]]]]


def test_compiled_step_with_pools_matches_eager():
    def model():
        m = nn.Sequential(nn.Conv2d(1, 2, 3), nn.ReLU(), nn.MaxPool2d(2), nn.AvgPool2d(1), nn.Flatten(),
                          nn.Linear(2 * 3 * 3, 2))
        with og.no_grad():
            for i, p in enumerate(m.parameters()):
                p.copy_(og.linspace(-0.4, 0.4 + 0.05 * i, p.numel()).reshape(p.shape))
        return m

    def make_step(m):
        opt = og.optim.SGD(m.parameters(), lr=0.1)

        def step(x, target):
            opt.zero_grad()
            loss = ((m(x) - target) ** 2).mean()
            loss.backward()
            opt.step()
            return loss
        return step

    x = og.linspace(-1, 1, 2 * 8 * 8).reshape(2, 1, 8, 8)
    target = og.linspace(0, 1, 4).reshape(2, 2)
    em, cm = model(), model()
    eager, compiled = make_step(em), og.compile(make_step(cm))
    for _ in range(3):
        np.testing.assert_allclose(compiled(x, target).item(), eager(x, target).item(), rtol=1e-5)
    for pe, pc in zip(em.parameters(), cm.parameters()):
        np.testing.assert_allclose(pc.detach().numpy(), pe.detach().numpy(), rtol=1e-5, atol=1e-6)

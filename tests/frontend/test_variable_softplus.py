"""Legacy-tutorial idioms: Variable aliasing, `loss.data[0]` on a 0-dim tensor, F.softplus and
BCELoss values/gradients, against PyTorch where installed and against finite differences."""
import numpy as np
import pytest

import onnxgraft as og
import onnxgraft.nn.functional as F
from onnxgraft.autograd import Variable


def test_variable_is_a_detached_alias():
    data = og.tensor([1.0, 2.0])
    v = Variable(data, requires_grad=True)
    assert v is not data and v.requires_grad and not data.requires_grad and v.is_leaf
    v.data[0] = 5.0  # shares memory with data, as PyTorch's Variable does
    assert data.tolist() == [5.0, 2.0]
    nonleaf = og.tensor([1.0], requires_grad=True) * 2
    w = Variable(nonleaf)
    assert w.grad_fn is None and not w.requires_grad
    with pytest.raises(TypeError, match="Variable data has to be a tensor, but got list"):
        Variable([1.0, 2.0])


@pytest.mark.parametrize("beta, threshold", [(1.0, 20.0), (2.0, 5.0), (0.5, 1.0)])
def test_softplus_gradient_is_sigmoid(beta, threshold):
    xs = [-100.0, -2.0, 0.0, 0.7, 2.0, 19.0, 21.0, 100.0]
    x = og.tensor(xs, dtype=og.float64, requires_grad=True)
    y = F.softplus(x, beta, threshold)
    y.sum().backward()
    assert y.grad_fn.name() == "SoftplusBackward0"
    a = np.array(xs)
    expected_y = np.where(a * beta > threshold, a, np.log1p(np.exp(np.minimum(a * beta, threshold))) / beta)
    expected_g = np.where(a * beta > threshold, 1.0, 1 / (1 + np.exp(-a * beta)))
    np.testing.assert_allclose(y.detach().numpy(), expected_y, rtol=1e-12)
    np.testing.assert_allclose(x.grad.numpy(), expected_g, rtol=1e-12, atol=1e-300)
    assert x.grad[2].item() == 0.5  # not the kink of a relu/abs composition
    # finite differences away from the threshold switch
    eps = 1e-6
    for v in (-2.0, 0.0, 0.7):
        fd = (F.softplus(og.tensor(v + eps, dtype=og.float64), beta, threshold)
              - F.softplus(og.tensor(v - eps, dtype=og.float64), beta, threshold)).item() / (2 * eps)
        assert fd == pytest.approx(1 / (1 + np.exp(-v * beta)), rel=1e-6)


def test_softplus_matches_torch():
    torch = pytest.importorskip("torch")
    xs = np.linspace(-5, 5, 41, dtype=np.float32)
    t = torch.tensor(xs, requires_grad=True)
    torch.nn.functional.softplus(t).sum().backward()
    o = og.tensor(xs, requires_grad=True)
    F.softplus(o).sum().backward()
    np.testing.assert_allclose(o.detach().numpy(), t.detach().numpy(), rtol=2e-7, atol=1e-7)
    np.testing.assert_allclose(o.grad.numpy(), t.grad.numpy(), rtol=1e-6, atol=1e-7)


def test_softplus_exports():
    x = og.tensor([-3.0, 0.0, 0.5, 25.0])

    def f(x):
        return F.softplus(x * 1.0, 1.0, 20.0)

    compiled = og.compile(f)
    np.testing.assert_allclose(compiled(x).numpy(), f(x).numpy(), rtol=1e-6)


@pytest.mark.parametrize("index, message", [
    (0, "invalid index of a 0-dim tensor. Use `tensor.item()` in Python"),
    (-1, "index -1 is out of bounds for dimension 0 with size 0"),
    (slice(0, 1), "slice() cannot be applied to a 0-dim tensor."),
    ((0,), "too many indices for tensor of dimension 0"),
])
def test_indexing_a_0dim_tensor(index, message):
    loss = (og.tensor([1.0, 2.0], requires_grad=True) * 2).sum()
    with pytest.raises(IndexError) as info:
        loss.data[index]
    assert message in str(info.value)
    with pytest.raises(IndexError) as info:
        loss.data[index] = 1.0
    assert message in str(info.value)
    assert loss.data[...].item() == 6.0 and loss.data[None].shape == (1,)


def test_bce_uses_log1p_and_keeps_its_gradient():
    p = og.tensor([0.2, 0.9, 1e-8, 1.0], dtype=og.float64, requires_grad=True)
    y = og.tensor([0.0, 1.0, 0.0, 1.0], dtype=og.float64)
    loss = F.binary_cross_entropy(p, y, reduction="sum")
    loss.backward()
    pn, yn = p.detach().numpy(), y.numpy()
    expected = ((yn - 1) * np.maximum(np.log1p(-pn), -100) - yn * np.maximum(np.log(pn), -100)).sum()
    assert loss.item() == pytest.approx(expected, rel=1e-15)
    assert loss.grad_fn.name() == "BinaryCrossEntropyBackward0"
    np.testing.assert_allclose(p.grad.numpy()[:3], ((pn - yn) / (pn * (1 - pn)))[:3], rtol=1e-9)
    torch = pytest.importorskip("torch")
    x = np.linspace(0.01, 0.99, 99, dtype=np.float32)
    t = np.arange(99, dtype=np.float32) % 2
    ours = F.binary_cross_entropy(og.tensor(x), og.tensor(t), reduction="none").numpy()
    theirs = torch.nn.functional.binary_cross_entropy(torch.tensor(x), torch.tensor(t), reduction="none")
    np.testing.assert_allclose(ours, theirs.numpy(), rtol=3e-7)

"""nn.init: bounds and statistics of each initializer (no PyTorch needed; bit parity with PyTorch's
numbers is tested in tests/frontend/test_random_parity.py), gains and fans, and Linear's default
initialization."""
import math
import warnings

import numpy as np
import pytest

import onnxgraft as og
import onnxgraft.nn as nn
from onnxgraft.nn import init


def _param(*shape):
    return nn.Parameter(og.zeros(*shape))


def _values(t):
    return t.detach().numpy().ravel()


def test_uniform_and_normal():
    p = _param(400, 500)
    out = init.uniform_(p, -2.0, 3.0)
    assert out is p and p.is_leaf and p.requires_grad and p.grad_fn is None
    v = _values(p)
    assert v.min() >= -2.0 and v.max() < 3.0
    assert abs(v.mean() - 0.5) < 0.02 and abs(v.std() - 5 / math.sqrt(12)) < 0.02
    init.normal_(p, 1.0, 0.5)
    v = _values(p)
    assert abs(v.mean() - 1.0) < 0.01 and abs(v.std() - 0.5) < 0.01


def test_constant_zeros_ones_and_version():
    p = _param(3, 4)
    v0 = p._version
    init.constant_(p, 0.25)
    assert (_values(p) == 0.25).all() and p._version > v0
    init.ones_(p)
    assert (_values(p) == 1.0).all()
    init.zeros_(p)
    assert (_values(p) == 0.0).all()


@pytest.mark.parametrize("shape, fans", [((30, 20), (20, 30)), ((8, 4, 3, 3), (36, 72)), ((5, 7, 2), (14, 10))])
def test_fans(shape, fans):
    assert init._calculate_fan_in_and_fan_out(og.zeros(*shape)) == fans


def test_fan_needs_two_dims():
    with pytest.raises(ValueError, match="Fan in and fan out can not be computed for tensor with fewer than "
                                         "2 dimensions"):
        init.xavier_uniform_(_param(5))


def test_xavier():
    p = _param(300, 200)
    init.xavier_uniform_(p, gain=2.0)
    a = 2.0 * math.sqrt(6.0 / 500)
    v = _values(p)
    assert v.min() >= -a and v.max() <= a and v.max() > 0.95 * a
    init.xavier_normal_(p)
    assert abs(_values(p).std() - math.sqrt(2.0 / 500)) < 0.002


def test_kaiming():
    p = _param(300, 200)
    init.kaiming_uniform_(p, nonlinearity="relu")
    bound = math.sqrt(2.0) * math.sqrt(3.0 / 200)
    v = _values(p)
    assert v.min() >= -bound and v.max() <= bound and v.max() > 0.95 * bound
    init.kaiming_normal_(p, mode="fan_out", nonlinearity="relu")
    assert abs(_values(p).std() - math.sqrt(2.0 / 300)) < 0.002
    init.kaiming_normal_(p, a=0.2)  # leaky_relu with slope 0.2
    assert abs(_values(p).std() - math.sqrt(2.0 / (1 + 0.04)) / math.sqrt(200)) < 0.003
    with pytest.raises(ValueError, match=r"Mode fan_avg not supported, please use one of \['fan_in', 'fan_out'\]"):
        init.kaiming_uniform_(p, mode="fan_avg")


def test_zero_element_tensor_is_a_no_op():
    p = _param(0, 3)
    with pytest.warns(UserWarning, match="Initializing zero-element tensors is a no-op"):
        assert init.kaiming_uniform_(p) is p


@pytest.mark.parametrize("name, param, expected", [
    ("linear", None, 1), ("conv2d", None, 1), ("sigmoid", None, 1), ("tanh", None, 5.0 / 3),
    ("relu", None, math.sqrt(2.0)), ("leaky_relu", None, math.sqrt(2.0 / (1 + 0.01 ** 2))),
    ("leaky_relu", 0.2, math.sqrt(2.0 / 1.04)), ("selu", None, 0.75)])
def test_calculate_gain(name, param, expected):
    assert init.calculate_gain(name, param) == pytest.approx(expected)


def test_calculate_gain_matches_torch_and_errors():
    torch = pytest.importorskip("torch")
    for name in ("linear", "sigmoid", "tanh", "relu", "leaky_relu", "selu"):
        assert init.calculate_gain(name) == torch.nn.init.calculate_gain(name)
    for bad, exc in (("gelu", ValueError), ("leaky_relu", ValueError)):
        arg = "x" if bad == "leaky_relu" else None
        with pytest.raises(exc) as ours:
            init.calculate_gain(bad, arg)
        with pytest.raises(exc) as theirs:
            torch.nn.init.calculate_gain(bad, arg)
        assert str(ours.value) == str(theirs.value)


def test_linear_default_init_bounds():
    m = nn.Linear(400, 300)
    bound = 1 / math.sqrt(400)  # kaiming_uniform_(a=sqrt(5)) gives U(-1/sqrt(fan_in), 1/sqrt(fan_in))
    w, b = _values(m.weight), _values(m.bias)
    assert w.min() >= -bound and w.max() <= bound and w.max() > 0.99 * bound
    assert abs(w.std() - bound / math.sqrt(3)) < 0.001
    assert b.min() >= -bound and b.max() <= bound
    assert m.weight.is_leaf and m.weight.requires_grad and m.weight.grad is None


def test_seed_reproducibility_and_generator():
    og.manual_seed(3)
    a = _values(nn.Linear(5, 4).weight).copy()
    og.manual_seed(3)
    b = _values(nn.Linear(5, 4).weight).copy()
    np.testing.assert_array_equal(a, b)
    g1, g2 = og.Generator().manual_seed(11), og.Generator().manual_seed(11)
    p, q = _param(3, 3), _param(3, 3)
    init.normal_(p, generator=g1)
    og.randn(10)  # the default generator moving on does not matter
    init.normal_(q, generator=g2)
    np.testing.assert_array_equal(_values(p), _values(q))


def test_init_under_grad_mode_records_nothing():
    p = _param(4, 4)
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        init.uniform_(p)  # a leaf that requires grad: allowed only because init runs under no_grad
    assert og.is_grad_enabled()
    assert p.grad_fn is None

"""The random functionals of nn/functional_random.py: channel-wise dropout (F.dropout1d/2d/3d), alpha
dropout, rrelu and gumbel_softmax give PyTorch's numbers for the same seed (and leave the generator
where PyTorch leaves it); whole channels are zeroed; gradients; PyTorch's errors and warnings."""
import warnings

import numpy as np
import pytest

import onnxgraft as og
import onnxgraft.nn.functional as F


def _case(lib, fn, shape, p, inplace=False, training=True):
    lib.manual_seed(3)
    x = lib.randn(*shape)
    y = getattr(lib.nn.functional, fn)(x, p=p, training=training, inplace=inplace)
    return y.numpy(), x.numpy(), lib.rand(2).numpy()  # the next draw: the generator advanced alike


CASES = [("dropout2d", (4, 3, 2, 2), 0.5), ("dropout2d", (2, 5, 3), 0.3), ("dropout1d", (3, 4, 5), 0.25),
         ("dropout1d", (6, 2), 0.5), ("dropout3d", (2, 3, 2, 1, 2), 0.6), ("dropout3d", (3, 2, 2, 2), 0.5),
         ("dropout2d", (2, 3, 2, 2), 1.0), ("dropout2d", (2, 3, 2, 2), 0.0)]


@pytest.mark.parametrize("fn,shape,p", CASES)
@pytest.mark.parametrize("inplace", [False, True])
def test_matches_torch(fn, shape, p, inplace):
    torch = pytest.importorskip("torch")
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        want = _case(torch, fn, shape, p, inplace)
        got = _case(og, fn, shape, p, inplace)
    for w, g in zip(want, got):
        np.testing.assert_array_equal(g, w)


def test_whole_channels_and_grad():
    og.manual_seed(0)
    x = og.ones(8, 6, 3, 3, requires_grad=True)
    y = F.dropout2d(x, 0.5)
    per_channel = y.detach().numpy().reshape(8, 6, 9)
    assert set(np.unique(per_channel)) <= {0.0, 2.0}
    assert np.all(per_channel.min(-1) == per_channel.max(-1))  # a channel is kept or dropped whole
    y.sum().backward()
    np.testing.assert_array_equal(x.grad.numpy(), y.detach().numpy())
    assert y.grad_fn.name() == "MulBackward0"


def test_eval_is_identity_and_repr():
    m = og.nn.Dropout2d(0.2)
    x = og.randn(2, 3, 4, 4)
    m.eval()
    assert m(x) is x
    assert repr(m) == "Dropout2d(p=0.2, inplace=False)"
    assert repr(og.nn.Dropout1d()) == "Dropout1d(p=0.5, inplace=False)"


def test_errors_and_warnings():
    with pytest.raises(ValueError, match="dropout probability has to be between 0 and 1, but got 1.5"):
        F.dropout2d(og.ones(1, 2, 2, 2), 1.5)
    with pytest.raises(RuntimeError, match="dropout1d: Expected 2D or 3D input, but received a 4D input"):
        F.dropout1d(og.ones(1, 2, 2, 2))
    with pytest.warns(UserWarning, match="Received a 3D input to dropout2d"):
        F.dropout2d(og.ones(2, 3, 4))
    with pytest.warns(UserWarning, match="Received a 2-D input to dropout2d"):
        F.dropout2d(og.ones(2, 3))


def _run(lib, fn, shape, dtype, kwargs, grad):
    lib.manual_seed(11)
    x = (lib.randn(*shape, dtype=getattr(lib, dtype)) * 2).requires_grad_(grad)
    y = getattr(lib.nn.functional, fn)(x, **kwargs)
    res = [y.detach().numpy(), lib.rand(2).numpy()]
    if grad:
        (y * lib.arange(y.numel(), dtype=y.dtype).reshape(y.shape)).sum().backward()
        res += [x.grad.numpy(), np.array(y.grad_fn.name() if y.grad_fn is not None else "")]
    return res


RANDOM_CASES = [
    ("alpha_dropout", (3, 7), "float32", dict(p=0.2, training=True)),
    ("alpha_dropout", (3, 7), "float64", dict(p=0.6, training=True)),
    ("alpha_dropout", (4,), "float32", dict(p=0.5)),  # training=False by default: the identity
    ("alpha_dropout", (2, 3), "float32", dict(p=1.0, training=True)),
    ("feature_alpha_dropout", (4, 3, 2), "float32", dict(p=0.5, training=True)),
    ("rrelu", (5, 6), "float32", dict(training=True)),
    ("rrelu", (5, 6), "float64", dict(lower=0.1, upper=0.7, training=True)),
    ("rrelu", (5, 6), "float32", dict()),
    ("gumbel_softmax", (4, 5), "float32", dict(tau=0.5)),
    ("gumbel_softmax", (4, 5), "float64", dict(hard=True, dim=0)),
]


@pytest.mark.parametrize("fn,shape,dtype,kwargs", RANDOM_CASES)
def test_random_functionals_match_torch(fn, shape, dtype, kwargs):
    torch = pytest.importorskip("torch")
    want = _run(torch, fn, shape, dtype, kwargs, True)
    got = _run(og, fn, shape, dtype, kwargs, True)
    np.testing.assert_array_equal(got[1], want[1])
    assert got[-1] == want[-1]
    if fn == "gumbel_softmax":  # softmax's exp: PyTorch's vectorised one may differ in the last bit
        np.testing.assert_allclose(got[0], want[0], rtol=1e-6, atol=1e-7)
        np.testing.assert_allclose(got[2], want[2], rtol=1e-5, atol=1e-5)
    else:
        np.testing.assert_array_equal(got[0], want[0])
        np.testing.assert_array_equal(got[2], want[2])


def test_rrelu_slopes_in_range_and_inplace():
    og.manual_seed(0)
    x = -og.ones(1000)
    y = F.rrelu(x, 0.2, 0.4, training=True)
    assert y.min().item() >= -0.4 and y.max().item() <= -0.2
    z = og.tensor([-2.0, 3.0])
    F.rrelu_(z)
    np.testing.assert_allclose(z.numpy(), [-2.0 * (1 / 8 + 1 / 3) / 2, 3.0], rtol=1e-6)


def test_gumbel_softmax_hard_is_one_hot_with_soft_gradient():
    og.manual_seed(1)
    logits = og.randn(3, 4, requires_grad=True)
    y = F.gumbel_softmax(logits, hard=True)
    assert y.detach().numpy().sum(1).tolist() == [1.0, 1.0, 1.0]
    assert set(np.unique(y.detach().numpy())) == {0.0, 1.0}
    y[:, 0].sum().backward()
    assert logits.grad is not None and np.abs(logits.grad.numpy()).sum() > 0


def test_module_reprs():
    assert repr(og.nn.RReLU()) == "RReLU(lower=0.125, upper=0.3333333333333333)"
    assert repr(og.nn.RReLU(0.1, 0.3, inplace=True)) == "RReLU(lower=0.1, upper=0.3, inplace=True)"
    assert repr(og.nn.AlphaDropout()) == "AlphaDropout(p=0.5, inplace=False)"
    assert repr(og.nn.FeatureAlphaDropout(0.2)) == "FeatureAlphaDropout(p=0.2, inplace=False)"
    m = og.nn.AlphaDropout(0.3)
    x = og.randn(4)
    m.eval()
    assert m(x) is x

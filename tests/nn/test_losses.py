"""Losses against PyTorch: every reduction, class weights, ignore_index, label smoothing,
probability targets, pos_weight; outputs, gradients (input and target) and grad_fn names."""
import warnings

import numpy as np
import pytest

import onnxgraft as og
import onnxgraft.nn as nn
import onnxgraft.nn.functional as F

from ._util import og_tensor, torch_tensor, assert_close, grad_fn_name

RNG = np.random.default_rng(99)
REDUCTIONS = ["mean", "sum", "none"]


def _randn(*shape, dtype=np.float32):
    return RNG.standard_normal(shape).astype(dtype)


def _check(torch, name, args, grad_args=(0,), rtol=1e-5, atol=1e-6, **kwargs):
    """Call F.<name> in both libraries on the same arrays (kwargs arrays become tensors) and compare
    the output, its grad_fn name, and the gradients of the arguments in `grad_args`."""
    def convert(make):
        return [make(a, i in grad_args) if isinstance(a, np.ndarray) else a for i, a in enumerate(args)], \
            {k: make(v, False) if isinstance(v, np.ndarray) else v for k, v in kwargs.items()}
    og_args, og_kwargs = convert(og_tensor)
    t_args, t_kwargs = convert(lambda a, r: torch_tensor(torch, a, r))
    out_og = getattr(F, name)(*og_args, **og_kwargs)
    out_t = getattr(torch.nn.functional, name)(*t_args, **t_kwargs)
    assert_close(out_og, out_t, rtol, atol)
    assert grad_fn_name(out_og) == grad_fn_name(out_t)
    g = _randn(*out_t.shape, dtype=out_t.detach().numpy().dtype)
    out_og.backward(og_tensor(g))
    out_t.backward(torch_tensor(torch, g))
    for i in grad_args:
        assert_close(og_args[i].grad, t_args[i].grad, rtol, atol)
    return out_og


@pytest.mark.parametrize("reduction", REDUCTIONS)
@pytest.mark.parametrize("name", ["mse_loss", "l1_loss"])
def test_regression_losses(torch, name, reduction):
    x, y = _randn(4, 5), _randn(4, 5)
    x[0, 0] = y[0, 0]  # l1's subgradient at 0
    _check(torch, name, (x, y), grad_args=(0, 1), reduction=reduction)
    _check(torch, name, (x, y), grad_args=(0,), reduction=reduction, weight=np.abs(_randn(4, 5)))


def test_mse_grad_fn_and_module(torch):
    loss = nn.MSELoss()(og.randn(3, requires_grad=True), og.randn(3))
    assert loss.grad_fn.name() == "MseLossBackward0"
    for cls in ("MSELoss", "L1Loss"):
        for reduction in REDUCTIONS:
            m, tm = getattr(nn, cls)(reduction=reduction), getattr(torch.nn, cls)(reduction=reduction)
            x, y = _randn(3, 2), _randn(3, 2)
            assert_close(m(og_tensor(x), og_tensor(y)), tm(torch.tensor(x), torch.tensor(y)))
            assert repr(m) == repr(tm) and m.reduction == reduction


def test_regression_broadcast_warning_and_error(torch):
    with pytest.warns(UserWarning, match=r"Using a target size \(torch.Size\(\[4, 1\]\)\) that is different "
                                         r"to the input size \(torch.Size\(\[4, 5\]\)\)"):
        out = F.mse_loss(og.randn(4, 5), og.randn(4, 1))
    assert out.shape == ()
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        _check(torch, "mse_loss", (_randn(4, 5), _randn(4, 1)), grad_args=(0, 1))
        for name in ("mse_loss", "l1_loss"):
            with pytest.raises(RuntimeError) as theirs:
                getattr(torch.nn.functional, name)(torch.randn(2, 4), torch.randn(3))
            with pytest.raises(RuntimeError) as ours:
                getattr(F, name)(og.randn(2, 4), og.randn(3))
            assert str(ours.value) == str(theirs.value)


def _targets(n, c, ignore=None, shape=None):
    t = RNG.integers(0, c, shape or (n,))
    if ignore is not None:
        t.reshape(-1)[::3] = ignore
    return t


@pytest.mark.parametrize("reduction", REDUCTIONS)
@pytest.mark.parametrize("weighted", [False, True])
@pytest.mark.parametrize("ignore_index", [-100, 2])
@pytest.mark.parametrize("shape", [(6, 5), (3, 5, 4), (2, 5, 3, 2), (2, 5, 2, 1, 2), (5,)])
def test_cross_entropy_class_indices(torch, reduction, weighted, ignore_index, shape):
    x = _randn(*shape)
    tshape = () if len(shape) == 1 else (shape[0],) + shape[2:]
    t = _targets(shape[0], 5, ignore_index if len(shape) > 1 else None, tshape)
    if len(shape) == 1:
        t = np.asarray(3)
    else:
        t.reshape(-1)[1] = (ignore_index + 1) % 5  # at least one kept sample
    kw = dict(reduction=reduction, ignore_index=ignore_index)
    if weighted:
        kw["weight"] = np.abs(_randn(5)) + 0.1
    out = _check(torch, "cross_entropy", (x, t), **kw)
    assert out.grad_fn.opdef.name == "NegativeLogLikelihoodLoss" or len(shape) == 1
    _check(torch, "nll_loss", (np.log(np.exp(x) / np.exp(x).sum(0 if len(shape) == 1 else 1, keepdims=True)), t),
           **kw)


@pytest.mark.parametrize("reduction", REDUCTIONS)
@pytest.mark.parametrize("weighted", [False, True])
@pytest.mark.parametrize("shape", [(6, 5), (3, 5, 4), (5,)])
def test_cross_entropy_label_smoothing(torch, reduction, weighted, shape):
    x = _randn(*shape)
    t = np.asarray(2) if len(shape) == 1 else _targets(shape[0], 5, -100, (shape[0],) + shape[2:])
    if len(shape) > 1:
        t.reshape(-1)[1] = 4
    kw = dict(reduction=reduction, label_smoothing=0.2)
    if weighted:
        kw["weight"] = np.abs(_randn(5)) + 0.1
    _check(torch, "cross_entropy", (x, t), **kw)


@pytest.mark.parametrize("reduction", REDUCTIONS)
@pytest.mark.parametrize("weighted", [False, True])
@pytest.mark.parametrize("smoothing", [0.0, 0.1])
@pytest.mark.parametrize("shape", [(6, 5), (2, 5, 3), (5,)])
def test_cross_entropy_probability_targets(torch, reduction, weighted, smoothing, shape):
    x = _randn(*shape)
    p = np.exp(_randn(*shape))
    p = (p / p.sum(0 if len(shape) == 1 else 1, keepdims=True)).astype(np.float32)
    kw = dict(reduction=reduction, label_smoothing=smoothing)
    if weighted:
        kw["weight"] = np.abs(_randn(5)) + 0.1
    _check(torch, "cross_entropy", (x, p), grad_args=(0, 1), **kw)


def test_cross_entropy_float64_and_modules(torch):
    x, t = _randn(4, 3, dtype=np.float64), _targets(4, 3)
    _check(torch, "cross_entropy", (x, t), rtol=1e-12, atol=1e-12)
    w = np.array([0.2, 1.0, 3.0], np.float32)
    for kw in (dict(), dict(weight=w), dict(ignore_index=1, reduction="sum"), dict(label_smoothing=0.3)):
        m = nn.CrossEntropyLoss(**{k: og_tensor(v) if isinstance(v, np.ndarray) else v for k, v in kw.items()})
        tm = torch.nn.CrossEntropyLoss(**{k: torch.tensor(v) if isinstance(v, np.ndarray) else v
                                          for k, v in kw.items()})
        x = _randn(4, 3)
        assert_close(m(og_tensor(x), og.tensor(t)), tm(torch.tensor(x), torch.tensor(t)))
        assert repr(m) == repr(tm) and list(m.state_dict()) == list(tm.state_dict())
        n, tn = nn.NLLLoss(**{k: og_tensor(v) if isinstance(v, np.ndarray) else v for k, v in kw.items()
                              if k != "label_smoothing"}), \
            torch.nn.NLLLoss(**{k: torch.tensor(v) if isinstance(v, np.ndarray) else v for k, v in kw.items()
                                if k != "label_smoothing"})
        assert_close(n(og_tensor(x), og.tensor(t)), tn(torch.tensor(x), torch.tensor(t)))
        assert repr(n) == repr(tn) and list(n.state_dict()) == list(tn.state_dict())


def test_nll_all_ignored_mean_is_nan(torch):
    with np.errstate(all="ignore"):
        out = F.nll_loss(og.randn(2, 3), og.tensor([-100, -100]))
    assert np.isnan(out.item())
    assert np.isnan(torch.nn.functional.nll_loss(torch.randn(2, 3), torch.tensor([-100, -100])).item())


@pytest.mark.parametrize("call", [
    lambda F_, T: F_.cross_entropy(T.randn(2, 4), T.tensor([1, 2, 3])),
    lambda F_, T: F_.cross_entropy(T.randn(2, 4), T.tensor([1.0, 2.0])),
    lambda F_, T: F_.cross_entropy(T.randn(2, 4), T.tensor([1, 7])),
    lambda F_, T: F_.cross_entropy(T.randn(2, 4), T.tensor([1, 2]), label_smoothing=1.5),
    lambda F_, T: F_.cross_entropy(T.randn(2, 4), T.ones(2, 4, dtype=T.int64)),
    lambda F_, T: F_.cross_entropy(T.randn(2, 4), T.tensor([1, 2], dtype=T.int32)),
    lambda F_, T: F_.cross_entropy(T.randn(2, 4), T.tensor([1, 2]), weight=T.ones(3)),
    lambda F_, T: F_.cross_entropy(T.randn(2, 4), T.rand(2, 4), weight=T.ones(3)),
    lambda F_, T: F_.cross_entropy(T.randn(2, 4), T.tensor([1, 2]), reduction="avg"),
    lambda F_, T: F_.nll_loss(T.randn(2, 4), T.tensor([[1, 2]])),
    lambda F_, T: F_.nll_loss(T.randn(2, 4), T.tensor([[1], [2]])),
    lambda F_, T: F_.nll_loss(T.randn(2, 3, 5), T.zeros(2, 4, dtype=T.int64)),
    lambda F_, T: F_.nll_loss(T.randn(4), T.tensor([1, 2])),
    lambda F_, T: F_.nll_loss(T.randn(()), T.tensor(1)),
    lambda F_, T: F_.nll_loss(T.randn(2, 4, dtype=T.float64), T.tensor([1, 2]), weight=T.ones(4)),
    lambda F_, T: F_.binary_cross_entropy_with_logits(T.randn(2, 4), T.rand(3)),
])
def test_loss_errors_match_torch(torch, call):
    with pytest.raises(Exception) as theirs:
        call(torch.nn.functional, torch)
    with pytest.raises(Exception) as ours:
        call(F, og)
    assert type(ours.value) is type(theirs.value)
    assert str(ours.value) == str(theirs.value)


def test_nll_byte_targets_and_1d(torch):
    x = _randn(3, 4)
    assert_close(F.nll_loss(og_tensor(x), og.tensor([1, 2, 3], dtype=og.uint8)),
                 torch.nn.functional.nll_loss(torch.tensor(x), torch.tensor([1, 2, 3], dtype=torch.uint8)))
    for reduction in REDUCTIONS:
        _check(torch, "nll_loss", (_randn(4), np.asarray(2)), reduction=reduction)


@pytest.mark.parametrize("reduction", REDUCTIONS)
@pytest.mark.parametrize("weighted", [False, True])
@pytest.mark.parametrize("pos_weighted", [False, True])
def test_bce_with_logits(torch, reduction, weighted, pos_weighted):
    x = _randn(5, 3) * 4
    x[0] = [0.0, 60.0, -60.0]  # the exact derivative at 0, and no overflow far out
    y = RNG.random((5, 3)).astype(np.float32)
    y[1] = [0.0, 1.0, 1.0]
    kw = dict(reduction=reduction)
    if weighted:
        kw["weight"] = np.abs(_randn(5, 3))
    if pos_weighted:
        kw["pos_weight"] = np.abs(_randn(3)) + 0.5
    out = _check(torch, "binary_cross_entropy_with_logits", (x, y), grad_args=(0, 1), **kw)
    assert np.isfinite(out.detach().numpy()).all()


def test_bce_zero_logits_gradient_is_exact():
    x = og.zeros(4, requires_grad=True)
    y = og.tensor([0.0, 1.0, 0.25, 1.0])
    F.binary_cross_entropy_with_logits(x, y, reduction="sum").backward()
    np.testing.assert_allclose(x.grad.numpy(), 0.5 - y.numpy(), rtol=0, atol=1e-7)


def test_bce_module(torch):
    pw = np.array([1.0, 2.0, 0.5], np.float32)
    m = nn.BCEWithLogitsLoss(pos_weight=og_tensor(pw))
    tm = torch.nn.BCEWithLogitsLoss(pos_weight=torch.tensor(pw))
    x, y = _randn(4, 3), (RNG.random((4, 3)) > 0.5).astype(np.float32)
    assert_close(m(og_tensor(x), og_tensor(y)), tm(torch.tensor(x), torch.tensor(y)))
    assert repr(m) == repr(tm)
    assert list(m.state_dict()) == list(tm.state_dict()) == ["pos_weight"]
    m.double()
    assert m.pos_weight.dtype == og.float64


def test_legacy_reduction_arguments(torch):
    with pytest.warns(UserWarning, match="size_average and reduce args will be deprecated, please use "
                                         "reduction='sum' instead."):
        m = nn.MSELoss(size_average=False)
    assert m.reduction == "sum"
    with pytest.warns(UserWarning):
        assert nn.L1Loss(reduce=False).reduction == "none"
    x, y = _randn(3), _randn(3)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        assert_close(F.mse_loss(og_tensor(x), og_tensor(y), size_average=False),
                     torch.nn.functional.mse_loss(torch.tensor(x), torch.tensor(y), size_average=False))
    with pytest.raises(ValueError, match="avg is not a valid value for reduction"):
        nn.MSELoss(reduction="avg")(og_tensor(x), og_tensor(y))

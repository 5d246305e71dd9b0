"""Adam and AdamW against PyTorch 2.13: amsgrad, weight decay (L2 and decoupled), maximize and
both of lerp's branches, on fixed gradients and on a small MLP trained for 20 steps."""
import numpy as np
import pytest

import onnxgraft as og
from .helpers import relative_error, run_fixed_grads, train_mlp, config_id, make_optimizer

CONFIGS = [
    ("Adam", dict(lr=0.01)),
    ("Adam", dict(lr=0.01, amsgrad=True)),
    ("Adam", dict(lr=0.01, weight_decay=0.1)),
    ("Adam", dict(lr=0.01, amsgrad=True, weight_decay=0.1)),
    ("Adam", dict(lr=0.01, maximize=True)),
    ("Adam", dict(lr=0.01, betas=(0.3, 0.8), eps=1e-6)),  # 1 - beta1 >= 0.5: lerp's other formula
    ("Adam", dict(lr=0.01, weight_decay=0.1, decoupled_weight_decay=True)),
    ("AdamW", dict(lr=0.01)),
    ("AdamW", dict(lr=0.01, amsgrad=True)),
    ("AdamW", dict(lr=0.01, weight_decay=0.1, maximize=True, betas=(0.8, 0.99))),
]


@pytest.mark.parametrize("config", CONFIGS, ids=config_id)
def test_matches_torch_on_fixed_gradients(config):
    torch = pytest.importorskip("torch")
    ours, opt, params = run_fixed_grads(og, make_optimizer(config))
    ref, ref_opt, ref_params = run_fixed_grads(torch, make_optimizer(config))
    for a, b in zip(ours, ref):
        assert relative_error(a, b) < 1e-5
    keys = ["exp_avg", "exp_avg_sq"] + (["max_exp_avg_sq"] if config[1].get("amsgrad") else [])
    for p, rp in zip(params, ref_params):
        state, ref_state = opt.state[p], ref_opt.state[rp]
        assert sorted(state) == sorted(ref_state) == sorted(keys + ["step"])
        for key in keys:
            assert state[key].dtype == og.float32 and tuple(state[key].shape) == tuple(p.shape)
            assert relative_error(state[key].numpy(), ref_state[key].numpy()) < 1e-5
        step = state["step"]
        assert isinstance(step, og.Tensor) and step.dtype == og.float32 and step.shape == ()
        assert step.item() == ref_state["step"].item() == 20.0


@pytest.mark.parametrize("config", CONFIGS, ids=config_id)
def test_matches_torch_on_mlp(config):
    torch = pytest.importorskip("torch")
    sign = -1.0 if config[1].get("maximize") else 1.0
    ours, _ = train_mlp(og, make_optimizer(config), sign=sign)
    ref, _ = train_mlp(torch, make_optimizer(config), sign=sign)
    for a, b in zip(ours, ref):
        assert relative_error(a, b) < 1e-5


def test_first_step_by_hand():
    # step 1: m = 0.1 g, v = 0.001 g^2, bias corrections 0.1 and 0.001, so p -= lr * g / (|g| + eps')
    p = og.tensor([1.0, -2.0], requires_grad=True)
    opt = og.optim.Adam([p], lr=0.5)
    p.grad = og.tensor([0.2, -4.0])
    opt.step()
    np.testing.assert_allclose(p.detach().numpy(), [0.5, -1.5], rtol=1e-6)
    np.testing.assert_allclose(opt.state[p]["exp_avg"].numpy(), [0.02, -0.4], rtol=1e-6)
    np.testing.assert_allclose(opt.state[p]["exp_avg_sq"].numpy(), [0.001 * 0.04, 0.001 * 16], rtol=1e-6)


def test_bias_correction_is_exact_for_beta2_close_to_one():
    # 1 - 0.999 in float32 is off by 1.3e-5 relative; onnxgraft computes it in float64 like PyTorch
    p = og.tensor([1.0], requires_grad=True)
    opt = og.optim.Adam([p], lr=1.0, betas=(0.0, 0.999), eps=0.0)
    p.grad = og.tensor([3.0])
    opt.step()
    assert p.item() == 0.0  # p - lr * g / sqrt(g^2) exactly


def test_amsgrad_keeps_the_running_maximum():
    p = og.tensor([0.0], requires_grad=True)
    opt = og.optim.Adam([p], lr=0.1, amsgrad=True)
    for g in (10.0, 0.1, 0.1):
        p.grad = og.tensor([g])
        opt.step()
    state = opt.state[p]
    assert state["max_exp_avg_sq"].item() > state["exp_avg_sq"].item()
    np.testing.assert_allclose(state["max_exp_avg_sq"].item(), 0.001 * 100, rtol=1e-6)


def test_adamw_decays_the_weights_before_the_update():
    p = og.tensor([2.0], requires_grad=True)
    opt = og.optim.AdamW([p], lr=0.1, weight_decay=0.5)
    p.grad = og.tensor([0.0])  # no gradient signal: only the decoupled decay moves p
    opt.step()
    np.testing.assert_allclose(p.item(), 2.0 * (1 - 0.1 * 0.5), rtol=1e-7)
    assert opt.param_groups[0]["decoupled_weight_decay"] is True


def test_gradient_is_not_modified():
    p = og.tensor([1.0, 2.0], requires_grad=True)
    opt = og.optim.Adam([p], lr=0.1, weight_decay=0.1, maximize=True, amsgrad=True)
    p.grad = og.tensor([0.5, -1.0])
    grad = p.grad
    for _ in range(3):
        opt.step()
    assert p.grad is grad and grad.tolist() == [0.5, -1.0]


def test_tensor_learning_rate():
    torch = pytest.importorskip("torch")
    ours, _, _ = run_fixed_grads(og, lambda lib, params: lib.optim.AdamW(params, lr=og.tensor(0.01)))
    ref, _, _ = run_fixed_grads(torch, lambda lib, params: lib.optim.AdamW(params, lr=0.01))
    for a, b in zip(ours, ref):
        assert relative_error(a, b) < 1e-5


@pytest.mark.parametrize("name, kw", [("Adam", {}), ("Adam", dict(amsgrad=True, weight_decay=0.1)),
                                      ("AdamW", {})])
def test_zero_learning_rate_leaves_params_unchanged(name, kw):
    # a warm-up schedule starting at lr = 0, with gradient entries that are exactly zero
    p = og.tensor([1.0, -2.0, 3.0], requires_grad=True)
    opt = getattr(og.optim, name)([p], lr=0.0, **kw)
    for _ in range(3):
        p.grad = og.tensor([0.0, 0.5, 0.0])
        opt.step()
    assert p.tolist() == [1.0, -2.0, 3.0]

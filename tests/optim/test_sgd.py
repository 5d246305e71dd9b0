"""SGD against PyTorch 2.13: every option combination, on fixed gradients (the update alone) and
on a small MLP trained for 20 steps (update, forward and backward together)."""
import numpy as np
import pytest

import onnxgraft as og
from .helpers import relative_error, run_fixed_grads, train_mlp

CONFIGS = [
    dict(lr=0.1),
    dict(lr=0.1, momentum=0.9),
    dict(lr=0.1, momentum=0.9, dampening=0.5),
    dict(lr=0.1, momentum=0.9, nesterov=True),
    dict(lr=0.1, weight_decay=0.1),
    dict(lr=0.05, maximize=True),
    dict(lr=0.05, momentum=0.9, weight_decay=0.1, maximize=True),
    dict(lr=0.05, momentum=0.9, nesterov=True, weight_decay=0.1, maximize=True),
    dict(lr=0.1, momentum=0.5, dampening=0.2, weight_decay=0.05),
]


def _sgd(kw):
    return lambda lib, params: lib.optim.SGD(params, **kw)


@pytest.mark.parametrize("kw", CONFIGS, ids=lambda kw: ",".join(f"{k}={v}" for k, v in kw.items()))
def test_sgd_matches_torch_on_fixed_gradients(kw):
    torch = pytest.importorskip("torch")
    ours, opt, params = run_fixed_grads(og, _sgd(kw))
    ref, ref_opt, ref_params = run_fixed_grads(torch, _sgd(kw))
    for a, b in zip(ours, ref):
        assert relative_error(a, b) < 1e-5
    for p, rp in zip(params, ref_params):
        if kw.get("momentum", 0):
            buf, ref_buf = opt.state[p]["momentum_buffer"], ref_opt.state[rp]["momentum_buffer"]
            assert buf.dtype == og.float32 and tuple(buf.shape) == tuple(ref_buf.shape)
            assert relative_error(buf.numpy(), ref_buf.numpy()) < 1e-5
        else:
            assert len(opt.state[p]) == 0  # plain SGD keeps no state


@pytest.mark.parametrize("kw", CONFIGS, ids=lambda kw: ",".join(f"{k}={v}" for k, v in kw.items()))
def test_sgd_matches_torch_on_mlp(kw):
    torch = pytest.importorskip("torch")
    sign = -1.0 if kw.get("maximize") else 1.0
    ours, _ = train_mlp(og, _sgd(kw), sign=sign)
    ref, _ = train_mlp(torch, _sgd(kw), sign=sign)
    for a, b in zip(ours, ref):
        assert relative_error(a, b) < 1e-5


def test_first_step_momentum_buffer_is_a_copy_of_the_gradient():
    p = og.tensor([1.0, 2.0], requires_grad=True)
    opt = og.optim.SGD([p], lr=0.1, momentum=0.9)
    p.grad = og.tensor([0.5, -1.0])
    opt.step()
    buf = opt.state[p]["momentum_buffer"]
    assert buf.tolist() == [0.5, -1.0]
    assert buf is not p.grad
    p.grad.mul_(2)  # the buffer does not alias the gradient
    assert buf.tolist() == [0.5, -1.0]
    np.testing.assert_allclose(p.detach().numpy(), [1.0 - 0.05, 2.0 + 0.1], rtol=1e-6)
    # second step: buf = 0.9 * buf + grad (dampening 0)
    opt.step()
    np.testing.assert_allclose(buf.numpy(), [0.9 * 0.5 + 1.0, 0.9 * -1.0 - 2.0], rtol=1e-6)


def test_sgd_does_not_modify_the_gradient():
    p = og.tensor([1.0, 2.0], requires_grad=True)
    opt = og.optim.SGD([p], lr=0.1, momentum=0.9, nesterov=True, weight_decay=0.1, maximize=True)
    p.grad = og.tensor([0.5, -1.0])
    grad = p.grad
    for _ in range(3):
        opt.step()
    assert p.grad is grad and grad.tolist() == [0.5, -1.0]


def test_tensor_learning_rate_gives_the_float_result():
    results = []
    for lr in (0.1, og.tensor(0.1)):
        ours, _, _ = run_fixed_grads(og, lambda lib, params: lib.optim.SGD(params, lr=lr, momentum=0.9))
        results.append(ours)
    for a, b in zip(*results):
        np.testing.assert_array_equal(a, b)

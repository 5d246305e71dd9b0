"""RMSprop, Adagrad, Adamax, NAdam, RAdam and Adadelta against PyTorch 2.13: trajectories and state
on fixed gradients and on a small MLP, state_dict layout and round trips, the hyper-parameter
errors, print(optimizer), and compiled steps against eager ones."""
import numpy as np
import pytest

import onnxgraft as og
from .helpers import relative_error, run_fixed_grads, train_mlp, config_id, make_optimizer

CONFIGS = [
    ("RMSprop", dict()),
    ("RMSprop", dict(lr=0.003, momentum=0.9)),
    ("RMSprop", dict(lr=0.003, centered=True)),
    ("RMSprop", dict(lr=0.003, centered=True, momentum=0.5, weight_decay=0.1, maximize=True)),
    ("RMSprop", dict(lr=0.001, alpha=0.3, eps=1e-4)),  # 1 - alpha >= 0.5: lerp's other formula
    ("Adagrad", dict()),
    ("Adagrad", dict(lr_decay=0.01, weight_decay=0.1, initial_accumulator_value=0.5)),
    ("Adagrad", dict(maximize=True, eps=1e-6)),
    ("Adamax", dict()),
    ("Adamax", dict(weight_decay=0.1, betas=(0.3, 0.9))),
    ("Adamax", dict(maximize=True, eps=1e-3)),
    ("NAdam", dict()),
    ("NAdam", dict(weight_decay=0.1)),
    ("NAdam", dict(weight_decay=0.1, decoupled_weight_decay=True, maximize=True)),
    ("NAdam", dict(momentum_decay=0.1, betas=(0.3, 0.8))),
    ("RAdam", dict()),
    ("RAdam", dict(lr=0.01, weight_decay=0.1)),
    ("RAdam", dict(lr=0.01, betas=(0.5, 0.6))),  # rho_inf < 5: never rectified
    ("RAdam", dict(lr=0.01, betas=(0.9, 0.9), decoupled_weight_decay=True, weight_decay=0.1, maximize=True)),
    ("Adadelta", dict()),
    ("Adadelta", dict(lr=0.5, rho=0.5, weight_decay=0.1)),
    ("Adadelta", dict(maximize=True)),
]

STATE_KEYS = {"Adagrad": ["sum"], "Adamax": ["exp_avg", "exp_inf"], "NAdam": ["exp_avg", "exp_avg_sq", "mu_product"],
              "RAdam": ["exp_avg", "exp_avg_sq"], "Adadelta": ["square_avg", "acc_delta"]}


def _state_keys(name, kw):
    if name == "RMSprop":
        return (["square_avg"] + (["momentum_buffer"] if kw.get("momentum", 0) > 0 else [])
                + (["grad_avg"] if kw.get("centered") else []))
    return STATE_KEYS[name]


@pytest.mark.parametrize("config", CONFIGS, ids=config_id)
def test_matches_torch_on_fixed_gradients(config):
    torch = pytest.importorskip("torch")
    ours, opt, params = run_fixed_grads(og, make_optimizer(config))
    ref, ref_opt, ref_params = run_fixed_grads(torch, make_optimizer(config))
    for a, b in zip(ours, ref):
        assert relative_error(a, b) < 1e-5
    keys = _state_keys(*config)
    for p, rp in zip(params, ref_params):
        state, ref_state = opt.state[p], ref_opt.state[rp]
        assert list(state) == list(ref_state) and sorted(state) == sorted(keys + ["step"])
        for key in keys:
            assert state[key].dtype == og.float32 and tuple(state[key].shape) == tuple(ref_state[key].shape)
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
        # RMSprop's default lr makes sign-like steps of 10 lr at first, which amplify the forward's
        # rounding differences (1e-7 after 10 steps) to a few 1e-5 after 20
        assert relative_error(a, b) < (1e-4 if config == ("RMSprop", {}) else 1e-5)


def test_rmsprop_first_step_by_hand():
    # v = (1 - alpha) g^2, so p -= lr * g / (sqrt(0.01) |g| + eps) = lr * 10 sign(g)
    p = og.tensor([1.0, -2.0], requires_grad=True)
    opt = og.optim.RMSprop([p], lr=0.01, eps=0.0)
    p.grad = og.tensor([0.5, -4.0])
    opt.step()
    np.testing.assert_allclose(p.detach().numpy(), [0.9, -1.9], rtol=1e-6)
    np.testing.assert_allclose(opt.state[p]["square_avg"].numpy(), [0.0025, 0.16], rtol=1e-5)


def test_adagrad_state_exists_before_the_first_step():
    p = og.tensor([1.0, 2.0], requires_grad=True)
    opt = og.optim.Adagrad([p], initial_accumulator_value=0.25)
    assert list(opt.state[p]) == ["step", "sum"] and opt.state[p]["step"].item() == 0.0
    assert opt.state[p]["sum"].tolist() == [0.25, 0.25]
    p.grad = og.tensor([0.5, 0.0])
    opt.step()  # p -= lr * g / (sqrt(0.25 + g^2) + eps)
    np.testing.assert_allclose(p.detach().numpy(), [1.0 - 0.01 * 0.5 / np.sqrt(0.5), 2.0], rtol=1e-6)
    # a group added later gets its state at its first step, from the optimizer's defaults
    q = og.tensor([3.0], requires_grad=True)
    opt.add_param_group({"params": [q], "initial_accumulator_value": 9.0})
    assert len(opt.state[q]) == 0
    q.grad = og.tensor([1.0])
    opt.step()
    assert opt.state[q]["sum"].item() == pytest.approx(1.25)


def test_radam_is_unrectified_for_the_first_steps():
    # rho_t <= 5 for the first five steps of beta2 = 0.999: p -= lr * m / (1 - beta1^t), plain SGD
    # with momentum and bias correction
    p = og.tensor([1.0], requires_grad=True)
    opt = og.optim.RAdam([p], lr=0.1)
    p.grad = og.tensor([2.0])
    opt.step()
    assert p.item() == pytest.approx(1.0 - 0.1 * 2.0, rel=1e-6)


@pytest.mark.parametrize("name", ["RMSprop", "Adagrad", "Adamax", "NAdam", "RAdam", "Adadelta", "Rprop", "ASGD"])
def test_state_dict_layout_and_repr_match_torch(name):
    torch = pytest.importorskip("torch")
    seen = []
    for lib in (og, torch):
        a, b = lib.tensor([1.0, 2.0], requires_grad=True), lib.tensor([0.5], requires_grad=True)
        opt = getattr(lib.optim, name)([{"params": [a]}, {"params": [b], "lr": 0.5}])
        a.grad, b.grad = lib.tensor([0.5, -1.0]), lib.tensor([2.0])
        opt.step()
        sd = opt.state_dict()
        layout = {i: [(k, str(v.dtype), tuple(v.shape)) for k, v in entry.items()] for i, entry in sd["state"].items()}
        seen.append((repr(opt), [list(g.items()) for g in sd["param_groups"]], layout))
    assert seen[0] == seen[1]


@pytest.mark.parametrize("config", [c for c in CONFIGS if c[1]], ids=config_id)
def test_state_dict_round_trip_continues_identically(config):
    ours, opt, params = run_fixed_grads(og, make_optimizer(config), steps=10)
    sd = opt.state_dict()
    twins = [og.tensor(p.detach().numpy().copy(), requires_grad=True) for p in params]
    resumed = make_optimizer(config)(og, twins)
    resumed.load_state_dict(sd)
    for key, value in resumed.state[twins[0]].items():  # copies, not the saved buffers
        assert value is not opt.state[params[0]][key]
    rng = np.random.default_rng(5)
    for _ in range(10):
        grads = [rng.standard_normal(tuple(p.shape)).astype(np.float32) for p in params]
        for p, t, g in zip(params, twins, grads):
            p.grad, t.grad = og.tensor(g), og.tensor(g)
        opt.step()
        resumed.step()
    for p, t in zip(params, twins):
        assert np.array_equal(p.detach().numpy(), t.detach().numpy())


@pytest.mark.parametrize("config", [("RMSprop", dict(lr=0.003, momentum=0.9, centered=True)),
                                    ("NAdam", dict(weight_decay=0.1)), ("Adagrad", dict(lr_decay=0.1))], ids=config_id)
def test_loads_a_pytorch_state_dict(config):
    # a checkpoint written by PyTorch (tensors converted) continues as PyTorch continues
    torch = pytest.importorskip("torch")
    _, ref_opt, ref_params = run_fixed_grads(torch, make_optimizer(config), steps=8)
    sd = ref_opt.state_dict()
    converted = {"state": {i: {k: og.tensor(v.numpy()) for k, v in entry.items()} for i, entry in sd["state"].items()},
                 "param_groups": [dict(g) for g in sd["param_groups"]]}
    params = [og.tensor(p.detach().numpy().copy(), requires_grad=True) for p in ref_params]
    opt = make_optimizer(config)(og, params)
    opt.load_state_dict(converted)
    rng = np.random.default_rng(9)
    for _ in range(6):
        for p, rp in zip(params, ref_params):
            g = rng.standard_normal(tuple(p.shape)).astype(np.float32)
            p.grad, rp.grad = og.tensor(g), torch.tensor(g)
        opt.step()
        ref_opt.step()
    for p, rp in zip(params, ref_params):
        assert relative_error(p.detach().numpy(), rp.detach().numpy()) < 1e-5


def test_load_state_dict_rejects_mismatched_shapes():
    p = og.tensor([1.0, 2.0], requires_grad=True)
    opt = og.optim.RMSprop([p], momentum=0.9)
    p.grad = og.tensor([1.0, 1.0])
    opt.step()
    sd = opt.state_dict()
    other = og.optim.RMSprop([og.tensor([1.0, 2.0, 3.0], requires_grad=True)], momentum=0.9)
    with pytest.raises(ValueError, match="state\\['square_avg'\\] of parameter 0 has shape \\(2,\\)"):
        other.load_state_dict(sd)


def test_tensor_lr_is_read_at_each_step():
    torch = pytest.importorskip("torch")
    results = []
    for lib in (og, torch):
        p = lib.tensor([1.0, -2.0, 3.0], requires_grad=True)
        lr = lib.tensor([0.05])
        opt = lib.optim.NAdam([p], lr=lr)
        for i in range(5):
            p.grad = lib.tensor([0.5, -1.0, 2.0])
            opt.step()
            lr.fill_(0.05 / (i + 2))
        results.append(p.detach().numpy().copy())
    assert relative_error(*results) < 1e-6


INVALID = [
    ("RMSprop", dict(lr=-0.1), "Invalid learning rate: -0.1"),
    ("RMSprop", dict(eps=-1.0), "Invalid epsilon value: -1.0"),
    ("RMSprop", dict(momentum=-0.5), "Invalid momentum value: -0.5"),
    ("RMSprop", dict(weight_decay=-1e-3), "Invalid weight_decay value: -0.001"),
    ("RMSprop", dict(alpha=-0.9), "Invalid alpha value: -0.9"),
    ("Adagrad", dict(lr=-1.0), "Invalid learning rate: -1.0"),
    ("Adagrad", dict(lr_decay=-1.0), "Invalid lr_decay value: -1.0"),
    ("Adagrad", dict(weight_decay=-2), "Invalid weight_decay value: -2"),
    ("Adagrad", dict(initial_accumulator_value=-0.1), "Invalid initial_accumulator_value value: -0.1"),
    ("Adagrad", dict(eps=-1e-10), "Invalid epsilon value: -1e-10"),
    ("Adamax", dict(betas=(1.0, 0.999)), "Invalid beta parameter at index 0: 1.0"),
    ("Adamax", dict(betas=(0.9, -0.1)), "Invalid beta parameter at index 1: -0.1"),
    ("NAdam", dict(momentum_decay=-1.0), "Invalid momentum_decay value: -1.0"),
    ("NAdam", dict(weight_decay=-1.0), "Invalid weight_decay value: -1.0"),
    ("RAdam", dict(eps=-1.0), "Invalid epsilon value: -1.0"),
    ("RAdam", dict(betas=(0.9, 1.5)), "Invalid beta parameter at index 1: 1.5"),
    ("Adadelta", dict(rho=1.5), "Invalid rho value: 1.5"),
    ("Adadelta", dict(lr=-1.0), "Invalid learning rate: -1.0"),
]


@pytest.mark.parametrize("name,kw,message", INVALID, ids=[f"{n}:{list(k)[0]}" for n, k, _ in INVALID])
def test_invalid_hyper_parameters(name, kw, message):
    with pytest.raises(ValueError) as ours:
        getattr(og.optim, name)([og.tensor([1.0], requires_grad=True)], **kw)
    assert str(ours.value) == message
    torch = pytest.importorskip("torch")
    with pytest.raises(ValueError) as ref:
        getattr(torch.optim, name)([torch.tensor([1.0], requires_grad=True)], **kw)
    assert str(ref.value) == message


def test_tensor_lr_must_have_one_element():
    with pytest.raises(ValueError, match="Tensor lr must be 1-element"):
        og.optim.RMSprop([og.tensor([1.0], requires_grad=True)], lr=og.tensor([0.1, 0.2]))


# -- compiled steps ------------------------------------------------------------------------------
COMPILED = [
    ("RMSprop", dict(lr=1e-3)),
    ("RMSprop", dict(lr=1e-3, momentum=0.9, centered=True, weight_decay=0.01)),
    ("Adagrad", dict(lr=0.05, lr_decay=0.01)),
    ("Adamax", dict(weight_decay=0.1)),
    ("NAdam", dict(lr=0.01, weight_decay=0.01, decoupled_weight_decay=True)),
    ("RAdam", dict(lr=0.01)),
    ("Adadelta", dict(weight_decay=0.01)),
]


def _mlp(lib, make_optimizer, seed=0):
    """A 6-8-3 tanh MLP with MSELoss: the step function, the model, the optimizer and the data."""
    nn = lib.nn
    model = nn.Sequential(nn.Linear(6, 8), nn.Tanh(), nn.Linear(8, 3))
    rng = np.random.default_rng(seed)
    with lib.no_grad():
        for p in model.parameters():
            p.copy_(lib.tensor((rng.standard_normal(tuple(p.shape)) * 0.4).astype(np.float32)))
    opt = make_optimizer(lib, model.parameters())
    loss_fn = nn.MSELoss()

    def train_step(x, y):
        opt.zero_grad()
        loss = loss_fn(model(x), y)
        loss.backward()
        opt.step()
        return loss

    x = lib.tensor(rng.standard_normal((10, 6)).astype(np.float32))
    y = lib.tensor(rng.standard_normal((10, 3)).astype(np.float32))
    return train_step, model, opt, (x, y)


def _state_arrays(opt):
    return {(i, k): v.numpy().copy() for i, entry in opt.state_dict()["state"].items() for k, v in entry.items()}


@pytest.mark.parametrize("config", COMPILED, ids=config_id)
def test_compiled_steps_match_eager_steps(config):
    eager_step, eager_model, eager_opt, data = _mlp(og, make_optimizer(config))
    step_fn, model, opt, _ = _mlp(og, make_optimizer(config))
    step = og.compile(step_fn)
    eager_losses = [eager_step(*data).item() for _ in range(20)]
    losses = [step(*data).item() for _ in range(20)]
    assert losses[-1] < losses[0]  # a real training run
    np.testing.assert_allclose(losses, eager_losses, rtol=1e-5)
    for p, q in zip(model.parameters(), eager_model.parameters()):
        assert relative_error(p.detach().numpy(), q.detach().numpy()) < 1e-5
    state, eager_state = _state_arrays(opt), _state_arrays(eager_opt)
    assert list(state) == list(eager_state)
    for key in eager_state:
        assert relative_error(state[key], eager_state[key]) < 1e-5, key
    assert all(state[(i, "step")] == 20 for i, k in state if k == "step")
    assert len(step._plans) == 1  # one capture: the later steps ran in onnxruntime


@pytest.mark.parametrize("config", COMPILED[1::2], ids=config_id)
def test_compiled_steps_match_pytorch(config):
    torch = pytest.importorskip("torch")
    step_fn, model, opt, data = _mlp(og, make_optimizer(config))
    ref_step, ref_model, ref_opt, ref_data = _mlp(torch, make_optimizer(config))
    step = og.compile(step_fn)
    losses = [step(*data).item() for _ in range(20)]
    ref_losses = [ref_step(*ref_data).item() for _ in range(20)]
    np.testing.assert_allclose(losses, ref_losses, rtol=1e-5)
    for p, q in zip(model.parameters(), ref_model.parameters()):
        assert relative_error(p.detach().numpy(), q.detach().numpy()) < 1e-5


@pytest.mark.parametrize("name,lr,extra", [(n, 0.01, {}) for n in ("RMSprop", "Adagrad", "Adamax", "NAdam", "RAdam",
                                                                    "Adadelta")] + [("ASGD", 0.05, {"t0": 3})])
def test_compiled_steps_read_a_scheduled_tensor_lr(name, lr, extra):
    # a tensor lr is a graph input: the scheduler changes it in place and one plan serves every step
    def run(compiled):
        step_fn, model, opt, data = _mlp(og, lambda lib, ps: getattr(lib.optim, name)(ps, lr=lib.tensor(lr), **extra))
        sched = og.optim.lr_scheduler.ExponentialLR(opt, gamma=0.8)
        step = og.compile(step_fn) if compiled else step_fn
        for _ in range(8):
            step(*data)
            sched.step()
        return [p.detach().numpy().copy() for p in model.parameters()], step
    eager, _ = run(False)
    params, step = run(True)
    assert len(step._plans) == 1
    for a, b in zip(params, eager):
        assert relative_error(a, b) < 1e-5


@pytest.mark.parametrize("cls", [og.optim.SGD, og.optim.Adam, og.optim.AdamW, og.optim.RMSprop, og.optim.Adagrad,
                                 og.optim.Adamax, og.optim.NAdam, og.optim.RAdam, og.optim.Adadelta])
def test_loading_fills_the_group_keys_older_checkpoints_lack(cls):
    """load_state_dict goes through __setstate__, which adds the keys older PyTorch versions did
    not save (foreach, maximize, differentiable, ...) with their defaults."""
    w = og.nn.Parameter(og.ones(2))
    opt = cls([w], lr=0.1)
    full = dict(opt.param_groups[0])
    old = opt.state_dict()
    for key in ("foreach", "maximize", "differentiable"):
        del old["param_groups"][0][key]
    fresh = cls([og.nn.Parameter(og.ones(2))], lr=0.1)
    fresh.load_state_dict(old)
    assert set(fresh.param_groups[0]) == set(full)
    assert fresh.param_groups[0]["maximize"] is False and fresh.param_groups[0]["foreach"] is None

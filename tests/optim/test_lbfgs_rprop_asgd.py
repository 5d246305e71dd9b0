"""LBFGS, Rprop and ASGD against PyTorch 2.13: trajectories (bit for bit where the inputs are),
state layout and types, state_dict round trips and PyTorch checkpoints, hyper-parameter errors,
print(optimizer), and the capture behaviour (Rprop and ASGD compile, LBFGS refuses clearly)."""
import warnings

import numpy as np
import pytest

import onnxgraft as og
from onnxgraft.frontend.trace import CaptureError
from .helpers import relative_error, run_fixed_grads, train_mlp, config_id, make_optimizer
from .test_more_optimizers import _mlp, _state_arrays

CONFIGS = [
    ("Rprop", dict()),
    ("Rprop", dict(lr=0.05, etas=(0.3, 1.5), step_sizes=(1e-3, 0.2))),
    ("Rprop", dict(lr=0.02, maximize=True)),
    ("ASGD", dict()),
    ("ASGD", dict(lr=0.05, t0=10, lambd=1e-3, alpha=0.5, weight_decay=0.1)),  # averaging after 10 steps
    ("ASGD", dict(lr=0.1, t0=0, maximize=True)),
]
STATE_KEYS = {"Rprop": ["step", "prev", "step_size"], "ASGD": ["step", "eta", "mu", "ax"]}


# -- Rprop and ASGD -----------------------------------------------------------------------------
@pytest.mark.parametrize("config", CONFIGS, ids=config_id)
def test_matches_torch_bit_for_bit_on_fixed_gradients(config):
    # the same gradients for 60 steps: the update alone, which follows PyTorch's operations exactly
    torch = pytest.importorskip("torch")
    ours, opt, params = run_fixed_grads(og, make_optimizer(config), steps=60)
    ref, ref_opt, ref_params = run_fixed_grads(torch, make_optimizer(config), steps=60)
    for a, b in zip(ours, ref):
        assert np.array_equal(a, b)
    for p, rp in zip(params, ref_params):
        state, ref_state = opt.state[p], ref_opt.state[rp]
        assert list(state) == list(ref_state) == STATE_KEYS[config[0]]
        for key, value in ref_state.items():
            assert state[key].dtype == og.float32 and tuple(state[key].shape) == tuple(value.shape)
            assert np.array_equal(state[key].numpy(), value.numpy()), key
        assert state["step"].item() == 60.0


@pytest.mark.parametrize("config", CONFIGS, ids=config_id)
def test_matches_torch_on_mlp(config):
    torch = pytest.importorskip("torch")
    sign = -1.0 if config[1].get("maximize") else 1.0
    ours, _ = train_mlp(og, make_optimizer(config), steps=50, sign=sign)
    ref, _ = train_mlp(torch, make_optimizer(config), steps=50, sign=sign)
    for a, b in zip(ours, ref):
        assert relative_error(a, b) < 1e-5


@pytest.mark.parametrize("name", ["Rprop", "ASGD"])
def test_tensor_lr_matches_torch(name):
    torch = pytest.importorskip("torch")
    results = []
    for lib in (og, torch):
        ours, _, _ = run_fixed_grads(lib, lambda lib_, ps: getattr(lib_.optim, name)(ps, lr=lib_.tensor(0.03), t0=5)
                                     if name == "ASGD" else lib_.optim.Rprop(ps, lr=lib_.tensor(0.03)), steps=30)
        results.append(ours)
    for a, b in zip(*results):
        assert np.array_equal(a, b)


def test_rprop_by_hand():
    p = og.tensor([1.0, 1.0, 1.0], requires_grad=True)
    opt = og.optim.Rprop([p], lr=0.1, etas=(0.5, 2.0))
    p.grad = og.tensor([3.0, -2.0, 0.0])
    opt.step()  # no previous gradient: each weight moves by lr against its gradient's sign
    assert p.tolist() == pytest.approx([0.9, 1.1, 1.0])
    p.grad = og.tensor([1.0, 5.0, 1.0])
    opt.step()  # same sign: step doubles; flipped sign: step halves and the weight stays
    assert opt.state[p]["step_size"].tolist() == pytest.approx([0.2, 0.05, 0.1])
    assert p.tolist() == pytest.approx([0.7, 1.1, 0.9])
    assert opt.state[p]["prev"].tolist() == [1.0, 0.0, 1.0]


def test_asgd_averages_the_iterates_after_t0():
    # lambd=0 and alpha=0 keep eta at lr: p moves by -lr * g. mu = 1 / max(1, step - t0) is
    # read before it is updated, so ax copies p up to step t0 + 2 and then averages: ax is the
    # running mean of the iterates from step t0 + 2 on
    p = og.tensor([0.0], requires_grad=True)
    opt = og.optim.ASGD([p], lr=1.0, lambd=0.0, alpha=0.0, t0=2)
    iterates = []
    for g in (1.0, 2.0, 4.0, 8.0, 16.0):
        p.grad = og.tensor([g])
        opt.step()
        iterates.append(p.item())
    assert iterates == [-1.0, -3.0, -7.0, -15.0, -31.0]
    assert opt.state[p]["ax"].item() == np.mean(iterates[3:])
    assert opt.state[p]["eta"].item() == 1.0 and opt.state[p]["mu"].item() == pytest.approx(1 / 3)


@pytest.mark.parametrize("config", [c for c in CONFIGS if c[1]], ids=config_id)
def test_state_dict_round_trip_continues_identically(config):
    _, opt, params = run_fixed_grads(og, make_optimizer(config), steps=15)
    twins = [og.tensor(p.detach().numpy().copy(), requires_grad=True) for p in params]
    resumed = make_optimizer(config)(og, twins)
    resumed.load_state_dict(opt.state_dict())
    for key, value in resumed.state[twins[0]].items():  # copies, not the saved buffers
        assert value is not opt.state[params[0]][key]
    rng = np.random.default_rng(5)
    for _ in range(10):
        for p, t in zip(params, twins):
            g = rng.standard_normal(tuple(p.shape)).astype(np.float32)
            p.grad, t.grad = og.tensor(g), og.tensor(g)
        opt.step()
        resumed.step()
    for p, t in zip(params, twins):
        assert np.array_equal(p.detach().numpy(), t.detach().numpy())


@pytest.mark.parametrize("name", ["Rprop", "ASGD"])
def test_older_checkpoints_with_number_state_load(name):
    p = og.tensor([1.0, 2.0], requires_grad=True)
    opt = getattr(og.optim, name)([p])
    p.grad = og.tensor([0.5, -1.0])
    opt.step()
    sd = opt.state_dict()
    sd["state"][0]["step"] = 1  # PyTorch < 1.12 saved Python numbers
    if name == "ASGD":
        sd["state"][0]["eta"], sd["state"][0]["mu"] = sd["state"][0]["eta"].item(), 1.0
    for key in ("foreach", "maximize", "differentiable", "capturable"):
        del sd["param_groups"][0][key]
    fresh = getattr(og.optim, name)([og.tensor([1.0, 2.0], requires_grad=True)])
    fresh.load_state_dict(sd)
    state = next(iter(fresh.state.values()))
    assert isinstance(state["step"], og.Tensor) and state["step"].dtype == og.float32
    assert fresh.param_groups[0]["maximize"] is False and fresh.param_groups[0]["foreach"] is None
    if name == "ASGD":
        assert isinstance(state["eta"], og.Tensor) and isinstance(state["mu"], og.Tensor)


# -- LBFGS --------------------------------------------------------------------------------------
def _polyfit(lib, degree, steps, **kw):
    """LBFGS fitting a polynomial of `degree` to a cubic on 16 points (an ordinary closure);
    returns the losses step() returned, the coefficients, the optimizer and the parameter."""
    x = lib.linspace(-1, 1, 16)
    y = 2 * x ** 3 - x + 0.5 + 0.1 * x ** 2
    w = lib.tensor([0.1 * (i + 1) for i in range(degree + 1)], requires_grad=True)
    opt = lib.optim.LBFGS([w], **kw)

    def closure():
        opt.zero_grad()
        pred = sum(w[i] * x ** i for i in range(degree + 1))
        loss = ((pred - y) ** 2).mean() + 1e-3 * (w ** 2).sum()
        loss.backward()
        return loss
    losses = [opt.step(closure).item() for _ in range(steps)]
    return losses, w.detach().numpy().copy(), opt, w


LBFGS_CONFIGS = [dict(lr=0.1, max_iter=1), dict(lr=0.5, max_iter=5, history_size=3),
                 dict(line_search_fn="strong_wolfe", history_size=4, max_iter=4),
                 dict(line_search_fn="strong_wolfe")]


@pytest.mark.parametrize("kw", LBFGS_CONFIGS, ids=str)
def test_lbfgs_matches_torch_bit_for_bit_on_two_parameters(kw):
    # with two coefficients every dot product is exact in both libraries, so the whole run,
    # line search included, is PyTorch's to the bit: losses, parameters and state
    torch = pytest.importorskip("torch")
    losses, w, opt, p = _polyfit(og, 1, 50, **kw)
    ref_losses, ref_w, ref_opt, rp = _polyfit(torch, 1, 50, **kw)
    assert losses == ref_losses and np.array_equal(w, ref_w)
    state, ref_state = opt.state[p], ref_opt.state[rp]
    assert list(state) == list(ref_state)
    for key, value in ref_state.items():
        ours = state[key]
        assert type(ours).__name__ == type(value).__name__, key
        if isinstance(value, list):
            assert len(ours) == len(value)
            for a, b in zip(ours, value):
                assert (a is None and b is None) or np.array_equal(a.numpy(), b.numpy())
        elif hasattr(value, "numpy"):
            assert ours.dtype == og.float32 and np.array_equal(ours.numpy(), value.numpy()), key
        else:
            assert ours == value, key


@pytest.mark.parametrize("kw", LBFGS_CONFIGS[1:], ids=str)
def test_lbfgs_matches_torch_on_more_parameters(kw):
    # longer dot products round as numpy's BLAS sums them (MKL orders its sums otherwise), so
    # the runs agree to float32 rounding rather than to the bit
    torch = pytest.importorskip("torch")
    losses, w, opt, p = _polyfit(og, 3, 20, **kw)
    ref_losses, ref_w, ref_opt, rp = _polyfit(torch, 3, 20, **kw)
    np.testing.assert_allclose(losses, ref_losses, rtol=1e-4, atol=1e-7)
    np.testing.assert_allclose(w, ref_w, rtol=1e-4, atol=1e-5)
    assert list(opt.state[p]) == list(ref_opt.state[rp])


def test_lbfgs_converges_on_a_quadratic():
    # f(w) = |A w - b|^2 / 2: L-BFGS with a line search solves it in one step of 20 iterations
    a = og.tensor([[3.0, 1.0, 0.0], [1.0, 2.0, 0.5], [0.0, 0.5, 1.0]])
    b = og.tensor([1.0, -2.0, 0.5])
    w = og.zeros(3, requires_grad=True)
    opt = og.optim.LBFGS([w], line_search_fn="strong_wolfe")

    def closure():
        opt.zero_grad()
        loss = ((a @ w - b) ** 2).sum() / 2
        loss.backward()
        return loss
    first = opt.step(closure)
    assert first.item() == pytest.approx(2.625)
    np.testing.assert_allclose(w.detach().numpy(), np.linalg.solve(a.numpy(), b.numpy()), rtol=1e-4, atol=1e-5)
    assert opt.state[w]["n_iter"] <= 20 and opt.state[w]["func_evals"] <= 25


def test_lbfgs_several_parameters_and_one_without_gradient():
    torch = pytest.importorskip("torch")
    results = []
    for lib in (og, torch):
        a = lib.tensor([0.5], requires_grad=True)
        b = lib.tensor([-0.5], requires_grad=True)
        unused = lib.tensor([1.0, 2.0], requires_grad=True)  # its flat gradient is zeros
        x = lib.linspace(0, 1, 8)
        opt = lib.optim.LBFGS([a, unused, b], lr=0.5, max_iter=3)

        def closure():
            opt.zero_grad()
            loss = ((a * x + b - (0.25 - x)) ** 2).mean()
            loss.backward()
            return loss
        losses = [opt.step(closure).item() for _ in range(10)]
        results.append((losses, a.item(), b.item(), unused.tolist()))
    assert results[0] == results[1]


def test_lbfgs_closure_runs_with_grad_and_reads_the_loss_without_warning():
    w = og.tensor([1.0, -1.0], requires_grad=True)
    opt = og.optim.LBFGS([w], max_iter=3)
    modes = []

    def closure():
        modes.append(og.is_grad_enabled())
        opt.zero_grad()
        loss = (w ** 2).sum()
        loss.backward()
        return loss
    with warnings.catch_warnings():
        warnings.simplefilter("error")  # float(loss) under no_grad warns in neither library
        loss = opt.step(closure)
    assert all(modes) and len(modes) == opt.state[w]["func_evals"] == 3
    assert loss.requires_grad and loss.item() == 2.0  # the first evaluation's loss


def test_lbfgs_state_dict_round_trip_continues_identically():
    _, _, opt, w = _polyfit(og, 3, 6, line_search_fn="strong_wolfe", history_size=3)
    sd = opt.state_dict()
    assert sorted(sd["state"]) == [0]
    assert [k for k in sd["state"][0]][:2] == ["func_evals", "n_iter"]
    twin = og.tensor(w.detach().numpy().copy(), requires_grad=True)
    resumed = og.optim.LBFGS([twin], line_search_fn="strong_wolfe", history_size=3)
    resumed.load_state_dict(sd)
    assert resumed.state[twin]["old_dirs"][0] is not opt.state[w]["old_dirs"][0]  # copies
    x = og.linspace(-1, 1, 16)
    y = 2 * x ** 3 - x + 0.5 + 0.1 * x ** 2

    def closure_for(o, p):
        def closure():
            o.zero_grad()
            loss = ((sum(p[i] * x ** i for i in range(4)) - y) ** 2).mean() + 1e-3 * (p ** 2).sum()
            loss.backward()
            return loss
        return closure
    for _ in range(4):
        assert opt.step(closure_for(opt, w)).item() == resumed.step(closure_for(resumed, twin)).item()
    assert np.array_equal(w.detach().numpy(), twin.detach().numpy())
    assert opt.state[w]["n_iter"] == resumed.state[twin]["n_iter"]


def test_lbfgs_loads_a_pytorch_state_dict():
    torch = pytest.importorskip("torch")
    _, _, ref_opt, rp = _polyfit(torch, 1, 3, lr=0.5, max_iter=4, history_size=2)

    def convert(v):
        if isinstance(v, torch.Tensor):
            return og.tensor(v.numpy())
        return [convert(x) for x in v] if isinstance(v, list) else v
    sd = ref_opt.state_dict()
    converted = {"state": {i: {k: convert(v) for k, v in e.items()} for i, e in sd["state"].items()},
                 "param_groups": [dict(g) for g in sd["param_groups"]]}
    w = og.tensor(rp.detach().numpy().copy(), requires_grad=True)
    opt = og.optim.LBFGS([w], lr=0.5, max_iter=4, history_size=2)
    opt.load_state_dict(converted)
    results = []
    for lib, o, p in ((og, opt, w), (torch, ref_opt, rp)):
        x = lib.linspace(-1, 1, 16)
        y = 2 * x ** 3 - x + 0.5 + 0.1 * x ** 2

        def closure():
            o.zero_grad()
            loss = ((p[0] + p[1] * x - y) ** 2).mean() + 1e-3 * (p ** 2).sum()
            loss.backward()
            return loss
        results.append(([o.step(closure).item() for _ in range(3)], p.tolist()))
    assert results[0] == results[1]


def test_lbfgs_repr_matches_torch():
    torch = pytest.importorskip("torch")
    texts = [repr(lib.optim.LBFGS([lib.tensor([1.0], requires_grad=True)], history_size=5,
                                  line_search_fn="strong_wolfe")) for lib in (og, torch)]
    assert texts[0] == texts[1]
    assert "max_eval: 25" in texts[0]  # max_iter * 5 // 4


# -- errors -------------------------------------------------------------------------------------
INVALID = [
    ("LBFGS", dict(lr=-1), ValueError, "Invalid learning rate: -1"),
    ("Rprop", dict(lr=-1), ValueError, "Invalid learning rate: -1"),
    ("Rprop", dict(etas=(1.5, 1.2)), ValueError, "Invalid eta values: 1.5, 1.2"),
    ("Rprop", dict(etas=(0.5, 0.9)), ValueError, "Invalid eta values: 0.5, 0.9"),
    ("ASGD", dict(lr=-0.5), ValueError, "Invalid learning rate: -0.5"),
    ("ASGD", dict(weight_decay=-0.1), ValueError, "Invalid weight_decay value: -0.1"),
]


@pytest.mark.parametrize("name,kw,exc,message", INVALID, ids=[f"{n}:{list(k)[0]}" for n, k, _, _ in INVALID])
def test_invalid_hyper_parameters(name, kw, exc, message):
    with pytest.raises(exc) as ours:
        getattr(og.optim, name)([og.tensor([1.0], requires_grad=True)], **kw)
    assert str(ours.value) == message
    torch = pytest.importorskip("torch")
    with pytest.raises(exc) as ref:
        getattr(torch.optim, name)([torch.tensor([1.0], requires_grad=True)], **kw)
    assert str(ref.value) == message


@pytest.mark.parametrize("name", ["LBFGS", "Rprop", "ASGD"])
def test_tensor_lr_must_have_one_element(name):
    with pytest.raises(ValueError, match="Tensor lr must be 1-element"):
        getattr(og.optim, name)([og.tensor([1.0], requires_grad=True)], lr=og.tensor([0.1, 0.2]))


def test_lbfgs_usage_errors_match_torch():
    torch = pytest.importorskip("torch")
    for lib in (og, torch):
        a, b = lib.tensor([1.0], requires_grad=True), lib.tensor([2.0], requires_grad=True)
        with pytest.raises(ValueError, match=r"LBFGS doesn't support per-parameter options \(parameter groups\)"):
            lib.optim.LBFGS([{"params": [a]}, {"params": [b]}])
        opt = lib.optim.LBFGS([a], line_search_fn="backtracking")

        def closure():
            opt.zero_grad()
            loss = (a ** 2).sum()
            loss.backward()
            return loss
        with pytest.raises(RuntimeError, match="only 'strong_wolfe' is supported"):
            opt.step(closure)
        with pytest.raises(TypeError, match="missing 1 required positional argument: 'closure'"):
            opt.step()


# -- capture ------------------------------------------------------------------------------------
COMPILED = [("Rprop", dict(lr=0.01)), ("ASGD", dict(lr=0.05, t0=5, weight_decay=0.01)),
            ("ASGD", dict(lr=0.05, t0=5, maximize=True))]


@pytest.mark.parametrize("config", COMPILED, ids=config_id)
def test_compiled_steps_match_eager_steps(config):
    eager_step, eager_model, eager_opt, data = _mlp(og, make_optimizer(config))
    step_fn, model, opt, _ = _mlp(og, make_optimizer(config))
    step = og.compile(step_fn)
    eager_losses = [eager_step(*data).item() for _ in range(20)]
    losses = [step(*data).item() for _ in range(20)]
    if not config[1].get("maximize"):
        assert losses[-1] < losses[0]  # a real training run
    np.testing.assert_allclose(losses, eager_losses, rtol=1e-5)
    for p, q in zip(model.parameters(), eager_model.parameters()):
        assert relative_error(p.detach().numpy(), q.detach().numpy()) < 1e-5
    state, eager_state = _state_arrays(opt), _state_arrays(eager_opt)
    assert list(state) == list(eager_state)
    for key in eager_state:
        # Rprop's prev is the last gradient itself: onnxruntime's rounding of it shows unscaled
        assert relative_error(state[key], eager_state[key]) < 1e-5, key
    assert len(step._plans) == 1  # one capture: the later steps ran in onnxruntime


def test_lbfgs_step_refuses_capture_and_changes_nothing():
    w = og.tensor([1.0, 2.0], requires_grad=True)
    opt = og.optim.LBFGS([w])
    x = og.tensor([0.5, -1.0])

    def train_step(x):
        def closure():
            opt.zero_grad()
            loss = ((w - x) ** 2).sum()
            loss.backward()
            return loss
        return opt.step(closure)
    with pytest.raises(CaptureError, match="LBFGS.step cannot be recorded") as info:
        og.compile(train_step)(x)
    assert "Run the LBFGS step eagerly" in str(info.value)
    assert w.tolist() == [1.0, 2.0] and len(opt.state) == 0
    assert train_step(x).item() == 9.25  # eagerly it runs
    np.testing.assert_allclose(w.detach().numpy(), [0.5, -1.0], atol=1e-6)

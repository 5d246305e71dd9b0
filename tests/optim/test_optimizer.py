"""The Optimizer base: parameter groups, zero_grad, step(closure), state_dict/load_state_dict in
PyTorch's format, repr, hyper-parameter errors with PyTorch's texts, and that step() records
into a training graph."""

import numpy as np
import pytest

import onnxgraft as og
from .helpers import relative_error, run_fixed_grads


def leaf(values):
    return og.tensor(values, requires_grad=True)


# -- construction and parameter groups ------------------------------------------------------------

def test_param_groups_hold_pytorchs_default_keys():
    torch = pytest.importorskip("torch")
    for name in ("SGD", "Adam", "AdamW"):
        ours = getattr(og.optim, name)([leaf([1.0])], lr=0.1)
        ref = getattr(torch.optim, name)([torch.tensor([1.0], requires_grad=True)], lr=0.1)
        assert list(ours.param_groups[0]) == list(ref.param_groups[0])
        assert {k: v for k, v in ours.defaults.items()} == ref.defaults
        assert repr(ours) == repr(ref)


def test_add_param_group_and_per_group_options():
    a, b = leaf([1.0]), leaf([2.0])
    opt = og.optim.SGD([a], lr=0.1)
    opt.add_param_group({"params": b, "lr": 0.5})
    assert [g["lr"] for g in opt.param_groups] == [0.1, 0.5]
    assert opt.param_groups[1]["params"] == [b] and opt.param_groups[1]["momentum"] == 0
    a.grad, b.grad = og.tensor([1.0]), og.tensor([1.0])
    opt.step()
    np.testing.assert_allclose([a.item(), b.item()], [0.9, 1.5], rtol=1e-6)
    with pytest.raises(ValueError, match="some parameters appear in more than one parameter group"):
        opt.add_param_group({"params": [a]})


def test_named_parameters_are_kept_as_param_names():
    a, b = leaf([1.0]), leaf([2.0])
    opt = og.optim.Adam([("a", a), ("b", b)])
    assert opt.param_groups[0]["params"] == [a, b]
    assert opt.param_groups[0]["param_names"] == ["a", "b"]
    assert opt.state_dict()["param_groups"][0]["param_names"] == ["a", "b"]


@pytest.mark.parametrize("params, error, message", [
    ([], ValueError, "optimizer got an empty parameter list"),
    (og.tensor([1.0], requires_grad=True), TypeError,
     "params argument given to the optimizer should be an iterable of Tensors or dicts, but got "
     "torch.FloatTensor"),
    ([1.0], TypeError, "optimizer can only optimize Tensors, but one of the params is float"),
    ({og.tensor([1.0], requires_grad=True)}, TypeError,
     "optimizer parameters need to be organized in ordered collections"),
])
def test_bad_params(params, error, message):
    with pytest.raises(error) as info:
        og.optim.SGD(params if not isinstance(params, set) else [{"params": params}])
    assert message in str(info.value)


def test_non_leaf_cannot_be_optimized():
    x = leaf([1.0]) * 2
    with pytest.raises(ValueError, match="can't optimize a non-leaf Tensor"):
        og.optim.SGD([x])


@pytest.mark.parametrize("make, message", [
    (lambda p: og.optim.SGD(p, lr=-0.1), "Invalid learning rate: -0.1"),
    (lambda p: og.optim.SGD(p, momentum=-0.5), "Invalid momentum value: -0.5"),
    (lambda p: og.optim.SGD(p, weight_decay=-1e-4), "Invalid weight_decay value: -0.0001"),
    (lambda p: og.optim.SGD(p, nesterov=True), "Nesterov momentum requires a momentum and zero dampening"),
    (lambda p: og.optim.SGD(p, momentum=0.9, dampening=0.1, nesterov=True),
     "Nesterov momentum requires a momentum and zero dampening"),
    (lambda p: og.optim.Adam(p, lr=-1.0), "Invalid learning rate: -1.0"),
    (lambda p: og.optim.Adam(p, eps=-1e-8), "Invalid epsilon value: -1e-08"),
    (lambda p: og.optim.Adam(p, betas=(1.0, 0.999)), "Invalid beta parameter at index 0: 1.0"),
    (lambda p: og.optim.Adam(p, betas=(0.9, -0.1)), "Invalid beta parameter at index 1: -0.1"),
    (lambda p: og.optim.Adam(p, weight_decay=-0.1), "Invalid weight_decay value: -0.1"),
    (lambda p: og.optim.Adam(p, betas=(0, 0.9)), "betas must be either both floats or both Tensors"),
    (lambda p: og.optim.AdamW(p, betas=(0.9, 1.5)), "Invalid beta parameter at index 1: 1.5"),
    (lambda p: og.optim.AdamW(p, lr=og.tensor([0.1, 0.2])), "Tensor lr must be 1-element"),
])
def test_hyper_parameter_errors_use_pytorchs_text(make, message):
    with pytest.raises(ValueError) as info:
        make([leaf([1.0])])
    assert str(info.value) == message


def test_hyper_parameter_errors_match_torch():
    torch = pytest.importorskip("torch")
    cases = [("SGD", dict(lr=-0.1)), ("SGD", dict(momentum=-1.0)), ("SGD", dict(nesterov=True)),
             ("Adam", dict(eps=-1.0)), ("Adam", dict(betas=(0.9, 1.0))), ("AdamW", dict(weight_decay=-2.0))]
    for name, kw in cases:
        with pytest.raises(ValueError) as ours:
            getattr(og.optim, name)([leaf([1.0])], **kw)
        with pytest.raises(ValueError) as ref:
            getattr(torch.optim, name)([torch.tensor([1.0], requires_grad=True)], **kw)
        assert str(ours.value) == str(ref.value)


def test_a_non_number_hyper_parameter_is_named():
    with pytest.raises(TypeError, match="learning rate must be a number, but got str"):
        og.optim.SGD([leaf([1.0])], lr="0.1")


# -- zero_grad and step ------------------------------------------------------------------------------

def test_zero_grad_sets_to_none_by_default():
    p = leaf([1.0, 2.0])
    (p * p).sum().backward()
    opt = og.optim.SGD([p], lr=0.1)
    opt.zero_grad()
    assert p.grad is None


def test_zero_grad_set_to_none_false_zeroes_in_place():
    p = leaf([1.0, 2.0])
    (p * p).sum().backward()
    grad = p.grad
    opt = og.optim.SGD([p], lr=0.1)
    opt.zero_grad(set_to_none=False)
    assert p.grad is grad and grad.tolist() == [0.0, 0.0]
    (p * 3).sum().backward()  # accumulates into the same tensor
    assert p.grad is grad and grad.tolist() == [3.0, 3.0]


def test_zero_grad_detaches_a_gradient_with_history():
    p = leaf([2.0])
    with pytest.warns(UserWarning, match="reference cycle"):
        (p ** 3).sum().backward(create_graph=True)
    assert p.grad.grad_fn is not None
    grad = p.grad
    og.optim.SGD([p]).zero_grad(set_to_none=False)
    assert grad.grad_fn is None and not grad.requires_grad and grad.tolist() == [0.0]


def test_params_without_grad_are_skipped():
    a, b = leaf([1.0]), leaf([2.0])
    for opt in (og.optim.SGD([a, b], lr=0.1, momentum=0.9), og.optim.Adam([a, b], lr=0.1)):
        a.grad, b.grad = og.tensor([1.0]), None
        before = b.item()
        opt.step()
        assert b.item() == before and b not in opt.state
        assert a in opt.state


def test_step_runs_the_closure_with_grad_enabled_and_returns_its_loss():
    p = leaf([3.0])
    opt = og.optim.SGD([p], lr=0.1)

    def closure():
        opt.zero_grad()
        loss = (p * p).sum()
        loss.backward()
        return loss

    with og.no_grad():
        loss = opt.step(closure)
    assert loss.item() == 9.0
    np.testing.assert_allclose(p.item(), 3.0 - 0.1 * 6.0, rtol=1e-6)


def test_step_leaves_params_as_leaves_without_history():
    p = leaf([1.0, 2.0])
    opt = og.optim.Adam([p], lr=0.1)
    (p * p).sum().backward()
    version = p._version
    opt.step()
    assert p.is_leaf and p.grad_fn is None and p.requires_grad and p._version > version


# -- state dicts -------------------------------------------------------------------------------------------

def _adam(lib, params):
    return lib.optim.Adam([{"params": params[:2]}, {"params": params[2:], "lr": 0.05}], lr=0.01,
                          amsgrad=True, weight_decay=0.1)


def test_state_dict_has_pytorchs_layout():
    torch = pytest.importorskip("torch")
    _, opt, _ = run_fixed_grads(og, _adam, steps=3)
    _, ref, _ = run_fixed_grads(torch, _adam, steps=3)
    sd, ref_sd = opt.state_dict(), ref.state_dict()
    assert list(sd) == ["state", "param_groups"]
    assert sd["param_groups"] == ref_sd["param_groups"]
    assert list(sd["state"]) == list(ref_sd["state"]) == [0, 1, 2]
    for i in sd["state"]:
        assert list(sd["state"][i]) == list(ref_sd["state"][i])
        for k, v in sd["state"][i].items():
            assert v.dtype == og.float32 and tuple(v.shape) == tuple(ref_sd["state"][i][k].shape)
            assert relative_error(v.numpy(), ref_sd["state"][i][k].numpy()) < 1e-5


@pytest.mark.parametrize("make", [
    lambda lib, p: lib.optim.SGD(p, lr=0.1, momentum=0.9, nesterov=True),
    _adam,
    lambda lib, p: lib.optim.AdamW(p, lr=0.01),
])
def test_resuming_from_a_state_dict_continues_the_same_trajectory(make):
    shapes_grads = np.random.default_rng(5)
    grads = [[shapes_grads.standard_normal(s).astype(np.float32) for s in ((4, 3), (3,), ())]
             for _ in range(10)]
    init = [np.full(s, 0.5, np.float32) for s in ((4, 3), (3,), ())]

    def run(opt, params, steps):
        for g in steps:
            for p, gi in zip(params, g):
                p.grad = og.tensor(gi)
            opt.step()

    params = [leaf(v) for v in init]
    opt = make(og, params)
    run(opt, params, grads[:5])
    saved_params = [p.detach().clone() for p in params]
    sd = opt.state_dict()

    resumed_params = [leaf(p.numpy()) for p in saved_params]
    resumed = make(og, resumed_params)
    resumed.load_state_dict(sd)
    run(opt, params, grads[5:])
    run(resumed, resumed_params, grads[5:])
    for p, q in zip(params, resumed_params):
        np.testing.assert_array_equal(p.detach().numpy(), q.detach().numpy())
    # the loaded optimizer owns copies: stepping one did not move the other's buffers twice
    for p, q in zip(params, resumed_params):
        for k, v in opt.state[p].items():
            np.testing.assert_array_equal(v.numpy(), resumed.state[q][k].numpy())
            assert v is not resumed.state[q][k]


def test_load_state_dict_from_torch_continues_torchs_trajectory():
    torch = pytest.importorskip("torch")
    shapes = ((4, 3), (3,), ())
    rng = np.random.default_rng(9)
    grads = [[rng.standard_normal(s).astype(np.float32) for s in shapes] for _ in range(10)]
    ref_params = [torch.full(s, 0.5, requires_grad=True) for s in shapes]
    ref = torch.optim.Adam(ref_params, lr=0.01, amsgrad=True)
    for g in grads[:5]:
        for p, gi in zip(ref_params, g):
            p.grad = torch.tensor(gi)
        ref.step()
    ref_sd = ref.state_dict()
    sd = {"state": {i: {k: og.tensor(v.numpy()) for k, v in st.items()} for i, st in ref_sd["state"].items()},
          "param_groups": ref_sd["param_groups"]}
    params = [leaf(p.detach().numpy()) for p in ref_params]
    opt = og.optim.Adam(params, lr=0.01, amsgrad=True)
    opt.load_state_dict(sd)
    assert opt.state[params[0]]["step"].dtype == og.float32
    for g in grads[5:]:
        for p, rp, gi in zip(params, ref_params, g):
            p.grad, rp.grad = og.tensor(gi), torch.tensor(gi)
        opt.step()
        ref.step()
    for p, rp in zip(params, ref_params):
        assert relative_error(p.detach().numpy(), rp.detach().numpy()) < 1e-5


def test_load_state_dict_restores_hyper_parameters_but_keeps_params():
    a = leaf([1.0])
    opt = og.optim.SGD([a], lr=0.1)
    sd = opt.state_dict()
    sd["param_groups"][0]["lr"] = 0.7
    b = leaf([1.0])
    other = og.optim.SGD([b], lr=0.1)
    other.load_state_dict(sd)
    assert other.param_groups[0]["lr"] == 0.7 and other.param_groups[0]["params"] == [b]
    assert opt.param_groups[0]["lr"] == 0.1


def test_legacy_number_step_becomes_a_float32_tensor():
    p = leaf([1.0, 2.0])
    opt = og.optim.Adam([p])
    opt.load_state_dict({"state": {0: {"step": 3, "exp_avg": og.zeros(2), "exp_avg_sq": og.zeros(2)}},
                         "param_groups": opt.state_dict()["param_groups"]})
    step = opt.state[p]["step"]
    assert isinstance(step, og.Tensor) and step.dtype == og.float32 and step.item() == 3.0


@pytest.mark.parametrize("mutate, error, message", [
    (lambda sd: sd["param_groups"].append(dict(sd["param_groups"][0])), ValueError,
     "loaded state dict has a different number of parameter groups"),
    (lambda sd: sd["param_groups"][0].__setitem__("params", [0]), ValueError,
     "loaded state dict contains a parameter group that doesn't match the size of optimizer's group"),
    (lambda sd: sd["state"][0].__setitem__("exp_avg", og.zeros(5)), ValueError,
     "state['exp_avg'] of parameter 0 has shape (5,) but the parameter has shape (2,)"),
    (lambda sd: sd.pop("state"), KeyError, "no 'state' entry"),
])
def test_a_mismatched_state_dict_is_refused_and_changes_nothing(mutate, error, message):
    a, b = leaf([1.0, 2.0]), leaf([3.0])
    opt = og.optim.Adam([a, b], lr=0.1)
    a.grad, b.grad = og.tensor([1.0, 1.0]), og.tensor([1.0])
    opt.step()
    sd = opt.state_dict()
    sd = {"state": {i: dict(st) for i, st in sd["state"].items()},
          "param_groups": [dict(g) for g in sd["param_groups"]]}
    mutate(sd)
    target = og.optim.Adam([leaf([0.0, 0.0]), leaf([0.0])], lr=0.3)
    with pytest.raises(error) as info:
        target.load_state_dict(sd)
    assert message in str(info.value)
    assert len(target.state) == 0 and target.param_groups[0]["lr"] == 0.3


# -- capture: step() is recordable ---------------------------------------------------------------------------

@pytest.mark.parametrize("make", [
    lambda p: og.optim.SGD(p, lr=0.1, momentum=0.9, nesterov=True, weight_decay=0.01),
    lambda p: og.optim.Adam(p, lr=0.01, amsgrad=True, weight_decay=0.1),
    lambda p: og.optim.AdamW(p, lr=0.01, maximize=True),
])
def test_recorded_step_matches_eager_steps(make):
    """The update traced into a graph (in-place ops functionalized), run three times by the IR
    interpreter feeding the new state back, equals three eager steps: the step counts and bias
    corrections come from the graph's state, not from constants baked at trace time."""
    from onnxgraft.frontend.trace import capture
    from onnxgraft.ir.interpreter import interpret
    rng = np.random.default_rng(0)
    x = og.tensor(rng.standard_normal((8, 3)).astype(np.float32))
    y = og.tensor(rng.standard_normal((8,)).astype(np.float32))
    w, b = leaf(rng.standard_normal(3).astype(np.float32)), leaf(np.float32(0.5))
    opt = make([w, b])

    def step(x, y):
        opt.zero_grad()
        loss = (((x @ w + b) - y) ** 2).mean()
        loss.backward()
        opt.step()
        return loss

    step(x, y)  # an eager first step creates the optimizer state
    tracer, loss = capture(step, (x, y))
    graph = tracer.finish([loss])
    assert any(graph.node(n)["phase"] == "optimizer" for n in graph.nodes())
    owners = {nid: t for (_, nid, _, t) in tracer.lifted.values()}
    names = {nid: graph.node(nid)["name"] for nid in graph.state}
    # parameters and every optimizer buffer (and step count) are state of the graph
    n_buffers = sum(len(opt.state[p]) for p in (w, b))
    assert len(graph.state) == 2 + n_buffers
    values = {}
    for _ in range(3):
        env = interpret(graph, {"x": x.numpy(), "y": y.numpy()}, values)
        values = {names[nid]: env[tuple(ref)] for nid, ref in graph.state.items()}
    for _ in range(3):
        step(x, y)
    for nid in graph.state:
        np.testing.assert_allclose(values[names[nid]], owners[nid].detach().numpy(), rtol=1e-6, atol=1e-7)


def test_a_user_defined_optimizer_on_the_base_class():
    class SignSGD(og.optim.Optimizer):
        def __init__(self, params, lr=0.1):
            super().__init__(params, {"lr": lr})

        @og.no_grad()
        def step(self, closure=None):
            for group in self.param_groups:
                for p in group["params"]:
                    if p.grad is not None:
                        self.state[p]["count"] = self.state[p].get("count", 0) + 1
                        p.sub_(p.grad.sign() * group["lr"])

    p = leaf([1.0, -1.0])
    opt = SignSGD([p], lr=0.25)
    p.grad = og.tensor([3.0, -0.1])
    opt.step()
    assert p.tolist() == [0.75, -0.75]
    assert opt.state_dict() == {"state": {0: {"count": 1}}, "param_groups": [{"lr": 0.25, "params": [0]}]}
    assert repr(opt) == "SignSGD (\nParameter Group 0\n    lr: 0.25\n)"

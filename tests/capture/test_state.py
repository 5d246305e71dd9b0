"""State lives in onnxruntime buffers between compiled steps, yet Python sees and changes it as
if the steps ran eagerly: parameters, model.state_dict() and optimizer.state_dict() read current
values, and writes from Python reach the next step. Both in the default CPU mode (ping-pong numpy
buffers) and in the resident mode (OrtValues with lazy host copies: how CUDA runs), simulated here
on CPU OrtValues."""
import numpy as np
import pytest

import onnxgraft as og
from onnxgraft.runtime.compiled import CompiledStep
from tests.capture import workloads as W

MODES = ["cpu", "resident"]


def _compile(fn, mode):
    return CompiledStep(fn, _resident=(mode == "resident"))


def _pair(optimizer="adam", workload="mlp", batch=16):
    kw = {"batch": batch} if workload == "mlp" else {}
    return W.WORKLOADS[workload](og, optimizer, **kw), W.WORKLOADS[workload](og, optimizer, **kw)


def _module_state(run):
    return {k: np.array(v.numpy(), copy=True) for k, v in run.module.state_dict().items()}


def _assert_all_equal(compiled, eager, what):
    W.assert_same(W.params_of(compiled), W.params_of(eager), what=f"{what}: parameters")
    W.assert_same(_module_state(compiled), _module_state(eager), what=f"{what}: state_dict")
    W.assert_same(W.optimizer_state_of(compiled), W.optimizer_state_of(eager),
                  what=f"{what}: optimizer state")


@pytest.mark.parametrize("mode", MODES)
@pytest.mark.parametrize("read_every_step", [True, False], ids=["read-each-step", "read-at-end"])
def test_python_reads_current_values(mode, read_every_step):
    eager, compiled = _pair("adam")
    step = _compile(compiled.step, mode)
    for i in range(6):
        eager.step(*eager.data)
        step(*compiled.data)
        if read_every_step or i == 5:
            _assert_all_equal(compiled, eager, f"after step {i + 1}")
    if mode == "resident":
        assert step.last_plan.devstate is not None


@pytest.mark.parametrize("mode", MODES)
@pytest.mark.parametrize("optimizer", ["momentum", "adam"])
def test_writes_from_python_between_steps_are_seen(mode, optimizer):
    eager, compiled = _pair(optimizer)
    step = _compile(compiled.step, mode)

    def both(fn):
        for run in (eager, compiled):
            fn(run)

    def steps(n):
        for _ in range(n):
            eager.step(*eager.data)
            step(*compiled.data)

    steps(3)
    with og.no_grad():
        both(lambda r: r.module[0].weight.mul_(0.5))      # in place, without reading it first
    steps(2)
    _assert_all_equal(compiled, eager, "after p.mul_(0.5)")

    new = np.random.default_rng(7).standard_normal((32, 20)).astype(np.float32)
    both(lambda r: setattr(r.module[0].weight, "data", og.tensor(new)))  # a new tensor object
    steps(2)
    _assert_all_equal(compiled, eager, "after p.data = new")

    for _ in range(2):                                    # write, step, write, step
        with og.no_grad():
            both(lambda r: r.module[4].bias.add_(1.0))
        steps(1)
    key = "momentum_buffer" if optimizer == "momentum" else "exp_avg"
    with og.no_grad():                                    # optimizer state written from Python
        both(lambda r: r.optimizer.state[r.module[2].weight][key].zero_())
    steps(2)
    _assert_all_equal(compiled, eager, "after writing optimizer state")
    assert len(step._plans) == 1


@pytest.mark.parametrize("mode", MODES)
def test_returned_values_are_not_overwritten_by_later_steps(mode):
    _, compiled = _pair("sgd")
    step = _compile(compiled.step, mode)
    first = step(*compiled.data)
    kept = first.item()
    for _ in range(3):
        step(*compiled.data)
    assert first.item() == kept


@pytest.mark.parametrize("mode", MODES)
def test_scalar_tensor_argument(mode):
    """A 0-d tensor argument (a loss scale) is bound as a 0-d input."""
    run = W.mlp(og, "sgd", batch=4)
    loss_fn = og.nn.CrossEntropyLoss()

    def scaled_step(x, y, scale):
        run.optimizer.zero_grad()
        loss = loss_fn(run.module(x), y) * scale
        loss.backward()
        run.optimizer.step()
        return loss

    eager = W.mlp(og, "sgd", batch=4)

    def eager_step(x, y, scale):
        eager.optimizer.zero_grad()
        loss = loss_fn(eager.module(x), y) * scale
        loss.backward()
        eager.optimizer.step()
        return loss

    step = _compile(scaled_step, mode)
    for s in (2.0, 0.5, 0.5):
        got = step(*run.data, og.tensor(s))
        want = eager_step(*eager.data, og.tensor(s))
        assert got.shape == ()
        np.testing.assert_allclose(got.item(), want.item(), rtol=1e-6)
    W.assert_same(W.params_of(run), W.params_of(eager), what="parameters")


def _counting_sessions(monkeypatch):
    from onnxgraft.runtime import session
    made = []
    real = session.make_session

    def counting(*args, **kwargs):
        made.append(1)
        return real(*args, **kwargs)
    monkeypatch.setattr(session, "make_session", counting)
    return made


@pytest.mark.parametrize("mode", MODES)
def test_new_shape_captures_again_old_shape_reuses_its_plan(mode, monkeypatch):
    made = _counting_sessions(monkeypatch)
    eager, compiled = _pair("sgd", batch=8)
    step = _compile(compiled.step, mode)
    rng = np.random.default_rng(3)
    small = (og.tensor(rng.standard_normal((4, 20)).astype(np.float32)), og.tensor(np.arange(4) % 5))
    calls = [compiled.data, compiled.data, small, small, compiled.data, small, compiled.data]
    for args in calls:
        got = step(*args)
        want = eager.step(*args)
        np.testing.assert_allclose(got.item(), want.item(), rtol=1e-5)
    # plain SGD leaves gradients behind: each signature's first call runs eagerly, the next
    # captures; after that both plans are reused
    assert len(step._plans) == 2 and len(made) == 2
    plans = dict(step._plans)
    for args in calls:
        step(*args)
        eager.step(*args)
    assert step._plans == plans and len(made) == 2
    _assert_all_equal(compiled, eager, "after switching between two signatures")


def test_new_dtype_captures_again(monkeypatch):
    made = _counting_sessions(monkeypatch)
    w = og.tensor(np.linspace(-1, 1, 6, dtype=np.float32).reshape(3, 2), requires_grad=True)
    opt = og.optim.SGD([w], lr=0.1, momentum=0.5)

    def step(x):
        opt.zero_grad()
        loss = (x.float() @ w).tanh().sum()
        loss.backward()
        opt.step()
        return loss

    compiled = og.compile(step)
    x32 = og.tensor(np.ones((4, 3), np.float32))
    for x in (x32, x32, x32.double(), x32.double(), x32):
        compiled(x)
    assert len(compiled._plans) == 2 and len(made) == 2
    dtypes = sorted(k[0][2] for k in compiled._plans)
    assert dtypes == ["float32", "float64"]
    assert {compiled.graph.node(n)["dtype"] for n in compiled.graph.inputs} == {"float32"}


# -- values a capture records as constants: a change from Python captures again ------------------
def _steps_match(eager, compiled, step, n=2):
    for _ in range(n):
        np.testing.assert_allclose(step(*compiled.data).item(), eager.step(*eager.data).item(),
                                   rtol=1e-5, atol=1e-6)


def test_lr_scheduler_between_compiled_steps():
    eager, compiled = _pair("momentum")
    step = og.compile(compiled.step)
    schedulers = [og.optim.lr_scheduler.StepLR(r.optimizer, step_size=2, gamma=0.1)
                  for r in (eager, compiled)]
    for _ in range(6):
        _steps_match(eager, compiled, step, 1)
        for s in schedulers:
            s.step()
    _assert_all_equal(compiled, eager, "with StepLR")
    assert len(step._plans) == 1  # the stale plan was replaced, not kept beside the new one


def test_frozen_weight_changed_from_python():
    def build():
        run = W.mlp(og, "sgd", batch=4)
        run.module[0].requires_grad_(False)  # frozen: recorded as a constant
        run.optimizer = og.optim.SGD(list(run.module[2].parameters()) + list(run.module[4].parameters()),
                                     lr=0.05)
        loss_fn, model, opt = og.nn.CrossEntropyLoss(), run.module, run.optimizer

        def step(x, y):
            opt.zero_grad()
            loss = loss_fn(model(x), y)
            loss.backward()
            opt.step()
            return loss
        run.step = step
        return run

    eager, compiled = build(), build()
    step = og.compile(compiled.step)
    _steps_match(eager, compiled, step, 3)
    with og.no_grad():
        for r in (eager, compiled):
            r.module[0].weight.mul_(0.5)
    _steps_match(eager, compiled, step, 2)
    _assert_all_equal(compiled, eager, "after changing a frozen weight")


def test_train_and_eval_modes_are_not_mixed_up():
    def build():
        run = W.mlp(og, "sgd", batch=4)
        model = og.nn.Sequential(og.nn.Dropout(0.5), *run.module)
        loss_fn, opt = og.nn.CrossEntropyLoss(), run.optimizer

        def step(x, y):
            opt.zero_grad()
            loss = loss_fn(model(x), y)
            loss.backward()
            opt.step()
            return loss
        run.step, run.module = step, model
        return run

    eager, compiled = build(), build()
    eager.module.eval()
    compiled.module.eval()
    step = og.compile(compiled.step)
    _steps_match(eager, compiled, step, 3)
    compiled.module.train()  # the captured graph has no dropout: it must not be reused
    from onnxgraft.frontend.trace import CaptureError
    with pytest.raises(CaptureError, match="dropout in training mode"):
        step(*compiled.data)
    compiled.module.eval()
    _steps_match(eager, compiled, step, 1)


LR = 0.05  # read by `global_lr_step` as the seeds read their lr


def test_number_the_step_reads_from_its_globals():
    global LR
    runs = [W.seed_tensors(og), W.seed_tensors(og)]

    def make(run):
        (_, w1), (_, w2) = run.params

        def global_lr_step(x, y):
            loss = x.mm(w1).clamp(min=0).mm(w2).sub(y).pow(2).mean()
            loss.backward()
            with og.no_grad():
                w1.sub_(LR * w1.grad)
                w2.sub_(LR * w2.grad)
            w1.grad.zero_()
            w2.grad.zero_()
            return loss
        return global_lr_step

    eager_step, step = make(runs[0]), og.compile(make(runs[1]))
    try:
        for lr in (0.05, 0.05, 0.01, 0.01, 0.002):
            LR = lr
            np.testing.assert_allclose(step(*runs[1].data).item(), eager_step(*runs[0].data).item(),
                                       rtol=1e-5)
    finally:
        LR = 0.05
    W.assert_same(W.params_of(runs[1]), W.params_of(runs[0]), what="weights")


@pytest.mark.parametrize("resident", [False, True])
def test_merged_step_counters_made_different_from_python_capture_again(resident):
    """Adam's per-parameter step counters are computed once while they are equal; when Python
    makes them differ, the next call must not keep using the merged plan."""
    from onnxgraft.runtime.compiled import CompiledStep

    def build():
        og.manual_seed(0)
        model = og.nn.Sequential(og.nn.Linear(4, 3), og.nn.ReLU(), og.nn.Linear(3, 2))
        opt = og.optim.Adam(model.parameters(), lr=0.1)
        loss_fn = og.nn.CrossEntropyLoss()

        def step(x, y):
            opt.zero_grad()
            loss = loss_fn(model(x), y)
            loss.backward()
            opt.step()
            return loss
        return model, opt, step
    x, y = og.tensor(np.linspace(-1, 1, 20, dtype=np.float32).reshape(5, 4)), og.tensor([0, 1, 0, 1, 1])
    m_eager, o_eager, s_eager = build()
    m_comp, o_comp, s_comp = build()
    compiled = CompiledStep(s_comp, _resident=resident)
    for i in range(6):
        if i == 3:  # as a state_dict load from another run might: one counter jumps ahead
            for opt, model in ((o_eager, m_eager), (o_comp, m_comp)):
                with og.no_grad():
                    opt.state[model[0].weight]["step"].fill_(10.0)
        np.testing.assert_allclose(compiled(x, y).item(), s_eager(x, y).item(), rtol=1e-5)
    for p, q in zip(m_comp.parameters(), m_eager.parameters()):
        np.testing.assert_allclose(p.detach().numpy(), q.detach().numpy(), rtol=1e-5, atol=1e-6)
    assert float(o_comp.state[m_comp[0].weight]["step"]) == 13.0
    assert float(o_comp.state[m_comp[0].bias]["step"]) == 6.0

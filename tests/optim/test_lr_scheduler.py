"""StepLR against PyTorch: the lr sequence, the step-order warning, state_dict and resuming."""
import warnings

import pytest

import onnxgraft as og


def _opt(lib, lr=0.1):
    p = lib.tensor([1.0], requires_grad=True)
    return lib.optim.SGD([{"params": [p]}, {"params": [lib.tensor([2.0], requires_grad=True)], "lr": 1.0}],
                         lr=lr)


def _lrs(lib, epochs=10, **kw):
    opt = _opt(lib)
    sched = lib.optim.lr_scheduler.StepLR(opt, **kw)
    seen = [sched.get_last_lr()]
    for _ in range(epochs):
        opt.step()
        sched.step()
        seen.append(sched.get_last_lr())
    return seen, opt, sched


def test_step_lr_sequence_by_hand():
    seen, opt, _ = _lrs(og, epochs=6, step_size=3, gamma=0.5)
    assert [s[0] for s in seen] == [0.1, 0.1, 0.1, 0.05, 0.05, 0.05, 0.025]
    assert [g["lr"] for g in opt.param_groups] == [0.025, 0.25]
    assert [g["initial_lr"] for g in opt.param_groups] == [0.1, 1.0]


def test_step_lr_matches_torch():
    torch = pytest.importorskip("torch")
    ours, _, sched = _lrs(og, step_size=4, gamma=0.3)
    ref, _, ref_sched = _lrs(torch, step_size=4, gamma=0.3)
    assert ours == ref
    sd, ref_sd = sched.state_dict(), ref_sched.state_dict()
    for key in ("step_size", "gamma", "base_lrs", "last_epoch", "_step_count", "_last_lr"):
        assert sd[key] == ref_sd[key]


def test_scheduler_step_before_optimizer_step_warns():
    opt = _opt(og)
    sched = og.optim.lr_scheduler.StepLR(opt, step_size=2)
    with pytest.warns(UserWarning, match="Detected call of `lr_scheduler.step\\(\\)` before `optimizer.step\\(\\)`"):
        sched.step()


def test_no_warning_in_the_right_order():
    opt = _opt(og)
    sched = og.optim.lr_scheduler.StepLR(opt, step_size=2)
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        opt.step()
        sched.step()


def test_resume_from_state_dict():
    # as in PyTorch, StepLR scales the optimizer's current lr: resuming loads both state dicts
    _, old_opt, sched = _lrs(og, epochs=5, step_size=2, gamma=0.5)
    opt = _opt(og)
    resumed = og.optim.lr_scheduler.StepLR(opt, step_size=2, gamma=0.5)
    opt.load_state_dict(old_opt.state_dict())
    resumed.load_state_dict(sched.state_dict())
    for _ in range(3):
        old_opt.step()
        sched.step()
        opt.step()
        resumed.step()
    assert resumed.get_last_lr() == sched.get_last_lr() and resumed.last_epoch == 8


def test_resuming_needs_initial_lr():
    with pytest.raises(KeyError, match="param 'initial_lr' is not specified in param_groups\\[0\\]"):
        og.optim.lr_scheduler.StepLR(_opt(og), step_size=2, last_epoch=3)


def test_scheduler_needs_an_optimizer():
    with pytest.raises(TypeError, match="list is not an Optimizer"):
        og.optim.lr_scheduler.StepLR([], step_size=2)

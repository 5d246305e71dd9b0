"""The learning-rate schedulers against PyTorch 2.13: lr sequences (recursive and closed forms),
momentum cycling, state_dict contents, resuming, ReduceLROnPlateau's bookkeeping, the warnings
and the errors."""
import warnings

import pytest

import onnxgraft as og


class _Decay:
    """A callable object: LambdaLR saves its __dict__ in state_dict (a lambda is saved as None)."""

    def __init__(self, rate):
        self.rate = rate

    def __call__(self, epoch):
        return self.rate ** epoch


def _opt(lib, kind="SGD"):
    a, b = lib.tensor([1.0], requires_grad=True), lib.tensor([2.0], requires_grad=True)
    groups = [{"params": [a]}, {"params": [b], "lr": 0.5}]
    if kind == "Adam":
        return lib.optim.Adam(groups, lr=0.1)
    return lib.optim.SGD(groups, lr=0.1, momentum=0.9)


SCHEDULERS = {
    "MultiStepLR": lambda L, o: L.MultiStepLR(o, milestones=[2, 5, 5, 9], gamma=0.3),
    "ExponentialLR": lambda L, o: L.ExponentialLR(o, gamma=0.9),
    "CosineAnnealingLR": lambda L, o: L.CosineAnnealingLR(o, T_max=4, eta_min=0.01),
    "CosineAnnealingLR-long": lambda L, o: L.CosineAnnealingLR(o, T_max=7),
    "LambdaLR": lambda L, o: L.LambdaLR(o, lr_lambda=[lambda e: 0.95 ** e, _Decay(0.8)]),
    "MultiplicativeLR": lambda L, o: L.MultiplicativeLR(o, lr_lambda=lambda e: 0.97),
    "LinearLR": lambda L, o: L.LinearLR(o, start_factor=0.25, end_factor=0.9, total_iters=6),
    "ConstantLR": lambda L, o: L.ConstantLR(o, factor=0.3, total_iters=4),
    "PolynomialLR": lambda L, o: L.PolynomialLR(o, total_iters=6, power=2.0),
    "CosineAnnealingWarmRestarts": lambda L, o: L.CosineAnnealingWarmRestarts(o, T_0=3, T_mult=2, eta_min=1e-3),
    "OneCycleLR": lambda L, o: L.OneCycleLR(o, max_lr=[1.0, 2.0], total_steps=25),
    "OneCycleLR-three-phase": lambda L, o: L.OneCycleLR(o, max_lr=1.0, total_steps=25, three_phase=True,
                                                        anneal_strategy="linear"),
    "CyclicLR": lambda L, o: L.CyclicLR(o, base_lr=0.01, max_lr=[0.1, 0.2], step_size_up=3, step_size_down=2),
    "CyclicLR-triangular2": lambda L, o: L.CyclicLR(o, 0.01, 0.1, step_size_up=2, mode="triangular2"),
    "CyclicLR-exp-range": lambda L, o: L.CyclicLR(o, 0.01, 0.1, step_size_up=4, mode="exp_range", gamma=0.9,
                                                  base_momentum=[0.7, 0.8], max_momentum=0.95),
    "CyclicLR-custom": lambda L, o: L.CyclicLR(o, 0.01, 0.1, step_size_up=3, scale_fn=_Decay(0.5),
                                               scale_mode="iterations", cycle_momentum=False),
    "SequentialLR": lambda L, o: L.SequentialLR(o, [L.LinearLR(o, 0.1, total_iters=3), L.ExponentialLR(o, 0.8)],
                                                milestones=[4]),
    "ChainedScheduler": lambda L, o: L.ChainedScheduler([L.ConstantLR(o, 0.5, total_iters=3),
                                                         L.ExponentialLR(o, 0.9)]),
}


def _run(lib, name, kind="SGD", epochs=24, epoch_form=False):
    """The lrs (and momenta) after construction and after each of `epochs` steps."""
    opt = _opt(lib, kind)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        sched = SCHEDULERS[name](lib.optim.lr_scheduler, opt)
        seen = [sched.get_last_lr()]
        for epoch in range(1, epochs + 1):
            opt.step()
            sched.step(epoch) if epoch_form else sched.step()
            seen.append(sched.get_last_lr())
            seen.append([g.get("momentum", g.get("betas")) for g in opt.param_groups])
    return seen, opt, sched


def _comparable(state):
    # the inner schedulers' dicts are compared on their own
    return [(k, v) for k, v in state.items() if k != "_schedulers"]


@pytest.mark.parametrize("kind", ["SGD", "Adam"])
@pytest.mark.parametrize("name", list(SCHEDULERS))
def test_sequence_and_state_dict_match_torch(name, kind):
    torch = pytest.importorskip("torch")
    ours, opt, sched = _run(og, name, kind)
    ref, ref_opt, ref_sched = _run(torch, name, kind)
    assert ours == ref  # Python floats computed in the same order: equal to the last bit
    assert repr(_comparable(sched.state_dict())) == repr(_comparable(ref_sched.state_dict()))
    assert [sorted(g) for g in opt.state_dict()["param_groups"]] == \
        [sorted(g) for g in ref_opt.state_dict()["param_groups"]]


@pytest.mark.parametrize("name", ["MultiStepLR", "ExponentialLR", "CosineAnnealingLR", "LinearLR", "ConstantLR",
                                  "PolynomialLR", "CosineAnnealingWarmRestarts"])
def test_closed_form_with_an_epoch_matches_torch(name):
    torch = pytest.importorskip("torch")
    assert _run(og, name, epoch_form=True)[0] == _run(torch, name, epoch_form=True)[0]


def test_by_hand():
    opt = _opt(og)
    sched = og.optim.lr_scheduler.MultiStepLR(opt, milestones=[1, 3, 3], gamma=0.5)
    lrs = []
    for _ in range(4):
        opt.step()
        sched.step()
        lrs.append(sched.get_last_lr()[0])
    assert lrs == [0.05, 0.05, 0.0125, 0.0125]  # a milestone listed twice applies gamma^2
    opt = _opt(og)
    sched = og.optim.lr_scheduler.CosineAnnealingLR(opt, T_max=2)
    opt.step()
    sched.step()
    assert sched.get_last_lr()[0] == pytest.approx(0.05)  # half way down the half cosine
    opt.step()
    sched.step()
    assert abs(opt.param_groups[0]["lr"]) < 1e-17


@pytest.mark.parametrize("name", ["ExponentialLR", "CosineAnnealingLR", "LinearLR", "LambdaLR", "MultiStepLR"])
def test_resume_from_state_dict(name):
    # as in PyTorch: rebuild the scheduler, then load both the optimizer's and its state dicts
    _, old_opt, old = _run(og, name, epochs=5)
    opt = _opt(og)
    sched = SCHEDULERS[name](og.optim.lr_scheduler, opt)
    opt.load_state_dict(old_opt.state_dict())
    sched.load_state_dict(old.state_dict())
    for _ in range(6):
        for o, s in ((old_opt, old), (opt, sched)):
            o.step()
            s.step()
    assert sched.get_last_lr() == old.get_last_lr() and sched.last_epoch == old.last_epoch == 11


def test_lambda_state_dict_saves_callable_objects_only():
    opt = _opt(og)
    sched = og.optim.lr_scheduler.LambdaLR(opt, [lambda e: 1.0, _Decay(0.7)])
    assert sched.state_dict()["lr_lambdas"] == [None, {"rate": 0.7}]
    other = og.optim.lr_scheduler.LambdaLR(_opt(og), [lambda e: 1.0, _Decay(0.1)])
    other.load_state_dict(sched.state_dict())
    assert other.lr_lambdas[1].rate == 0.7


PLATEAU_METRICS = [1.0, 0.9, 0.95, 0.95, 0.96, 0.9, 0.9, 0.89999, 0.97, 0.97, 0.97, 0.8, 0.85, 0.85, 0.85, 0.85,
                   0.85, 0.85, 0.85, 0.85]
PLATEAU_CONFIGS = [dict(), dict(patience=1), dict(mode="max", patience=2, factor=0.5),
                   dict(patience=1, threshold=0.05, threshold_mode="abs", cooldown=2),
                   dict(patience=0, min_lr=[0.02, 0.1], factor=0.3), dict(patience=0, eps=0.05, factor=0.5),
                   dict(mode="max", threshold_mode="abs", patience=0)]


def _plateau(lib, **kw):
    opt = lib.optim.SGD([{"params": [lib.tensor([1.0], requires_grad=True)]},
                         {"params": [lib.tensor([1.0], requires_grad=True)], "lr": 0.2}], lr=0.1)
    sched = lib.optim.lr_scheduler.ReduceLROnPlateau(opt, **kw)
    seen = [sched.get_last_lr()]
    for i, metric in enumerate(PLATEAU_METRICS):
        opt.step()
        sched.step(lib.tensor(metric) if i % 3 == 0 else metric)  # a tensor metric is read with float()
        seen.append((sched.get_last_lr(), sched.num_bad_epochs, sched.cooldown_counter, sched.best))
    return seen, sched


@pytest.mark.parametrize("kw", PLATEAU_CONFIGS, ids=[str(k) for k in PLATEAU_CONFIGS])
def test_reduce_lr_on_plateau_matches_torch(kw):
    torch = pytest.importorskip("torch")
    ours, sched = _plateau(og, **kw)
    ref, ref_sched = _plateau(torch, **kw)
    assert ours == ref
    assert repr(sched.state_dict()) == repr(ref_sched.state_dict())


def test_reduce_lr_on_plateau_by_hand_and_resume():
    ours, sched = _plateau(og, patience=1)
    assert ours[3][0] == [0.1, 0.2] and ours[4][0] == pytest.approx([0.01, 0.02])
    opt = og.optim.SGD([og.tensor([1.0], requires_grad=True)], lr=0.1)
    resumed = og.optim.lr_scheduler.ReduceLROnPlateau(opt, mode="max")
    resumed.load_state_dict(sched.state_dict())  # the mode (and its comparison) comes from the dict
    assert resumed.mode == "min" and resumed.mode_worse == float("inf") and resumed.best == sched.best


def test_scheduler_step_before_optimizer_step_warns():
    for make in (lambda o: og.optim.lr_scheduler.ExponentialLR(o, 0.9),
                 lambda o: og.optim.lr_scheduler.CosineAnnealingLR(o, T_max=3)):
        sched = make(_opt(og))
        with pytest.warns(UserWarning, match="Detected call of `lr_scheduler.step\\(\\)` before "
                                             "`optimizer.step\\(\\)`"):
            sched.step()


def test_overridden_optimizer_step_warns():
    opt = _opt(og)
    sched = og.optim.lr_scheduler.ExponentialLR(opt, 0.9)
    opt.step = lambda closure=None: None
    with pytest.warns(UserWarning, match="Seems like `optimizer.step\\(\\)` has been overridden"):
        sched.step()


def test_get_lr_outside_step_warns_and_epoch_argument_is_deprecated():
    opt = _opt(og)
    sched = og.optim.lr_scheduler.ExponentialLR(opt, 0.9)
    with pytest.warns(UserWarning, match="please use `get_last_lr\\(\\)`"):
        sched.get_lr()
    opt.step()
    with pytest.warns(UserWarning, match="The epoch parameter in `scheduler.step\\(\\)` was not necessary"):
        sched.step(3)
    assert sched.get_last_lr()[0] == pytest.approx(0.1 * 0.9 ** 3)


def test_no_warning_in_the_right_order():
    opt = _opt(og)
    scheds = [og.optim.lr_scheduler.LinearLR(opt), og.optim.lr_scheduler.MultiStepLR(opt, [1])]
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        opt.step()
        for s in scheds:
            s.step()


ERRORS = [
    (lambda L, o: L.ConstantLR(o, factor=1.5), ValueError,
     "Constant multiplicative factor expected to be between 0 and 1."),
    (lambda L, o: L.LinearLR(o, start_factor=0), ValueError,
     "Starting multiplicative factor expected to be greater than 0 and less or equal to 1."),
    (lambda L, o: L.LinearLR(o, end_factor=2.0), ValueError,
     "Ending multiplicative factor expected to be between 0 and 1."),
    (lambda L, o: L.LambdaLR(o, [lambda e: 1.0]), ValueError, "Expected 2 lr_lambdas, but got 1"),
    (lambda L, o: L.MultiplicativeLR(o, 0.9), TypeError, "lr_lambda should be a function, but got float"),
    (lambda L, o: L.ReduceLROnPlateau(o, factor=1.0), ValueError, "Factor should be < 1.0."),
    (lambda L, o: L.ReduceLROnPlateau(o, mode="up"), ValueError, "mode up is unknown!"),
    (lambda L, o: L.ReduceLROnPlateau(o, threshold_mode="pct"), ValueError, "threshold mode pct is unknown!"),
    (lambda L, o: L.ReduceLROnPlateau(o, min_lr=[0.1]), ValueError, "expected 2 min_lrs, got 1"),
    (lambda L, o: L.OneCycleLR(o, max_lr=1.0), ValueError,
     "You must define either total_steps OR (epochs AND steps_per_epoch)"),
    (lambda L, o: L.OneCycleLR(o, max_lr=1.0, total_steps=0), ValueError,
     "Expected positive integer total_steps, but got 0"),
    (lambda L, o: L.OneCycleLR(o, max_lr=[1.0], total_steps=5), ValueError,
     "max_lr must have the same length as optimizer.param_groups. max_lr has 1 values, param_groups has 2."),
    (lambda L, o: L.OneCycleLR(o, max_lr=1.0, total_steps=5, anneal_strategy="exp"), ValueError,
     "anneal_strategy must be one of 'cos' or 'linear', instead got exp"),
    (lambda L, o: L.CyclicLR(o, 0.01, 0.1, mode="sine"), ValueError, "mode is invalid and scale_fn is None"),
    (lambda L, o: L.CosineAnnealingWarmRestarts(o, T_0=0), ValueError, "Expected positive integer T_0, but got 0"),
    (lambda L, o: L.SequentialLR(o, [L.ExponentialLR(o, 0.9)], milestones=[2]), ValueError,
     "Sequential Schedulers expects number of schedulers provided to be one more than the number of milestone "
     "points, but got number of schedulers 1 and the number of milestones to be equal to 1"),
]


@pytest.mark.parametrize("make,error,message", ERRORS, ids=[str(i) for i in range(len(ERRORS))])
def test_errors_match_torch(make, error, message):
    with pytest.raises(error) as ours:
        make(og.optim.lr_scheduler, _opt(og))
    assert str(ours.value) == message
    torch = pytest.importorskip("torch")
    with pytest.raises(error) as ref:
        make(torch.optim.lr_scheduler, _opt(torch))
    assert str(ref.value) == message


def test_one_cycle_past_the_last_step_raises():
    opt = _opt(og)
    sched = og.optim.lr_scheduler.OneCycleLR(opt, max_lr=1.0, total_steps=2)
    opt.step()
    sched.step()
    sched.step()
    with pytest.raises(ValueError, match="Tried to step 3 times. The specified number of total steps is 2"):
        sched.step()


def test_one_cycle_needs_momentum():
    opt = og.optim.Adagrad([og.tensor([1.0], requires_grad=True)])
    with pytest.raises(ValueError, match="optimizer must support momentum or beta1"):
        og.optim.lr_scheduler.OneCycleLR(opt, max_lr=1.0, total_steps=5)

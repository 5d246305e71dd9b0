import warnings

import torch
import torch.nn as nn
import torch.optim as optim
from torch.optim import lr_scheduler


def new_opt():
    w1 = nn.Parameter(torch.tensor([1.0, 2.0]))
    w2 = nn.Parameter(torch.tensor([[0.5], [-0.5]]))
    return optim.SGD([{"params": [w1], "lr": 0.1}, {"params": [w2]}], lr=0.01, momentum=0.9)


makers = [
    ("MultiStepLR", lambda o: lr_scheduler.MultiStepLR(o, milestones=[2, 4, 4], gamma=0.5)),
    ("ExponentialLR", lambda o: lr_scheduler.ExponentialLR(o, gamma=0.8)),
    ("CosineAnnealingLR", lambda o: lr_scheduler.CosineAnnealingLR(o, T_max=3, eta_min=0.001)),
    ("LambdaLR", lambda o: lr_scheduler.LambdaLR(o, lr_lambda=[lambda e: 1 / (e + 1), lambda e: 0.9 ** e])),
    ("MultiplicativeLR", lambda o: lr_scheduler.MultiplicativeLR(o, lr_lambda=lambda e: 0.95)),
    ("LinearLR", lambda o: lr_scheduler.LinearLR(o, start_factor=0.2, total_iters=4)),
    ("ConstantLR", lambda o: lr_scheduler.ConstantLR(o, factor=0.5, total_iters=3)),
    ("PolynomialLR", lambda o: lr_scheduler.PolynomialLR(o, total_iters=5, power=2.0)),
    ("WarmRestarts", lambda o: lr_scheduler.CosineAnnealingWarmRestarts(o, T_0=2, T_mult=2)),
    ("SequentialLR", lambda o: lr_scheduler.SequentialLR(
        o, [lr_scheduler.LinearLR(o, start_factor=0.1, total_iters=2), lr_scheduler.ExponentialLR(o, gamma=0.7)],
        milestones=[3])),
]
for name, make in makers:
    opt = new_opt()
    sched = make(opt)
    print(name, sched.get_last_lr())
    for epoch in range(8):
        opt.zero_grad()
        w1, w2 = opt.param_groups[0]["params"][0], opt.param_groups[1]["params"][0]
        loss = (w1 ** 2).sum() + (w2 * 3).sum()
        loss.backward()
        opt.step()
        sched.step()
        print("  ", epoch, round(loss.item(), 5), sched.get_last_lr())
    keys = sorted(k for k in sched.state_dict() if k != "_schedulers")
    print("  state", keys, sched.last_epoch)

# the closed form (deprecated epoch argument) agrees with the recursive form at the same epoch
opt = new_opt()
sched = lr_scheduler.CosineAnnealingLR(opt, T_max=10)
with warnings.catch_warnings(record=True) as caught:
    warnings.simplefilter("always")
    opt.step()
    sched.step(4)
    print("closed form", sched.get_last_lr())
    sched.get_lr()
for w in caught:
    print("warning:", str(w.message)[:70])

# stepping the scheduler first warns
opt = new_opt()
sched = lr_scheduler.ExponentialLR(opt, gamma=0.5)
with warnings.catch_warnings(record=True) as caught:
    warnings.simplefilter("always")
    sched.step()
print([str(w.message)[:60] for w in caught], sched.get_last_lr())

# resuming: a fresh scheduler loads the state dict and continues
opt = new_opt()
sched = lr_scheduler.MultiStepLR(opt, milestones=[3, 6], gamma=0.1)
for _ in range(4):
    opt.step()
    sched.step()
opt2 = new_opt()
sched2 = lr_scheduler.MultiStepLR(opt2, milestones=[1], gamma=0.5)
opt2.load_state_dict(opt.state_dict())
sched2.load_state_dict(sched.state_dict())
for _ in range(3):
    for o, s in ((opt, sched), (opt2, sched2)):
        o.step()
        s.step()
print("resumed", sched.get_last_lr(), sched2.get_last_lr(), sched2.milestones)

for bad in [lambda o: lr_scheduler.ConstantLR(o, factor=2.0),
            lambda o: lr_scheduler.LinearLR(o, start_factor=0.0),
            lambda o: lr_scheduler.LambdaLR(o, [lambda e: 1.0]),
            lambda o: lr_scheduler.MultiplicativeLR(o, 0.5),
            lambda o: lr_scheduler.CosineAnnealingWarmRestarts(o, T_0=2, T_mult=0)]:
    try:
        bad(new_opt())
    except (ValueError, TypeError) as e:
        print(type(e).__name__ + ":", e)

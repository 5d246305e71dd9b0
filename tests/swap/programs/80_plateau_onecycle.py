import torch
import torch.nn as nn
import torch.optim as optim

X = torch.linspace(-1, 1, 16).reshape(8, 2)
Y = (X[:, :1] * 2 - X[:, 1:] + 0.5)
VAL = [0.9, 0.8, 0.75, 0.74, 0.7401, 0.75, 0.76, 0.6, 0.61, 0.62, 0.62, 0.63, 0.64, 0.65, 0.66]


def make():
    m = nn.Linear(2, 1)
    with torch.no_grad():
        m.weight.copy_(torch.tensor([[0.1, -0.2]]))
        m.bias.fill_(0.0)
    return m


model = make()
opt = optim.SGD(model.parameters(), lr=0.1)
sched = optim.lr_scheduler.ReduceLROnPlateau(opt, mode="min", factor=0.5, patience=2, cooldown=1, min_lr=0.01)
for epoch, val in enumerate(VAL):
    opt.zero_grad()
    loss = ((model(X) - Y) ** 2).mean()
    loss.backward()
    opt.step()
    sched.step(val)
    print(epoch, round(loss.item(), 5), sched.get_last_lr(), sched.num_bad_epochs, sched.cooldown_counter, sched.best)
print(sorted(sched.state_dict()))

# maximizing an accuracy with an absolute threshold, two groups with their own floors
model = make()
opt = optim.Adam([{"params": [model.weight]}, {"params": [model.bias], "lr": 0.05}], lr=0.01)
sched = optim.lr_scheduler.ReduceLROnPlateau(opt, mode="max", threshold=0.01, threshold_mode="abs", patience=1,
                                             min_lr=[0.004, 0.02])
for epoch, acc in enumerate([0.5, 0.6, 0.605, 0.61, 0.7, 0.7, 0.7, 0.7, 0.7, 0.7]):
    sched.step(torch.tensor(acc))
    print("max", epoch, [round(lr, 6) for lr in sched.get_last_lr()], sched.num_bad_epochs)

# OneCycleLR steps after every batch and cycles SGD's momentum (or Adam's beta1) the other way
for ctor in (lambda p: optim.SGD(p, lr=0.1, momentum=0.9), lambda p: optim.Adam(p, lr=0.1)):
    model = make()
    opt = ctor(model.parameters())
    sched = optim.lr_scheduler.OneCycleLR(opt, max_lr=0.5, epochs=3, steps_per_epoch=4)
    for epoch in range(3):
        for batch in range(4):
            opt.zero_grad()
            xb, yb = X[batch * 2:batch * 2 + 2], Y[batch * 2:batch * 2 + 2]
            loss = ((model(xb) - yb) ** 2).mean()
            loss.backward()
            opt.step()
            sched.step()
        g = opt.param_groups[0]
        momentum = g["momentum"] if "momentum" in g else g["betas"][0]
        print(type(opt).__name__, epoch, round(loss.item(), 5), [round(lr, 8) for lr in sched.get_last_lr()],
              round(momentum, 8))
    print(sorted(k for k in opt.param_groups[0] if k != "params"))
    try:
        sched.step()
    except ValueError as e:
        print("ValueError:", e)

opt = optim.SGD(make().parameters(), lr=0.1, momentum=0.9)
sched = optim.lr_scheduler.OneCycleLR(opt, max_lr=1.0, total_steps=10, three_phase=True, anneal_strategy="linear")
lrs = []
for _ in range(9):
    opt.step()
    sched.step()
    lrs.append(round(sched.get_last_lr()[0], 6))
print("three phase", lrs)

for bad in [lambda: optim.lr_scheduler.ReduceLROnPlateau(opt, factor=2.0),
            lambda: optim.lr_scheduler.ReduceLROnPlateau(opt, mode="avg"),
            lambda: optim.lr_scheduler.OneCycleLR(opt, max_lr=1.0),
            lambda: optim.lr_scheduler.OneCycleLR(opt, max_lr=1.0, total_steps=5, pct_start=1.5)]:
    try:
        bad()
    except ValueError as e:
        print("ValueError:", e)

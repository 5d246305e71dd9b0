import io

import torch
from torch import nn, optim

X = torch.tensor([[1.0, 2.0], [2.0, 1.0], [3.0, 0.5], [0.0, 1.0], [1.5, 1.5]])
Y = torch.tensor([[5.0], [4.0], [4.0], [2.0], [4.5]])


def make():
    m = nn.Linear(2, 1)
    nn.init.constant_(m.weight, 0.5)
    nn.init.zeros_(m.bias)
    return m


makers = [
    ("RMSprop", lambda p: optim.RMSprop(p, lr=0.01)),
    ("RMSprop-mom", lambda p: optim.RMSprop(p, lr=0.01, momentum=0.9, centered=True)),
    ("Adagrad", lambda p: optim.Adagrad(p, lr=0.5, lr_decay=0.01)),
    ("Adamax", lambda p: optim.Adamax(p, lr=0.1)),
    ("NAdam", lambda p: optim.NAdam(p, lr=0.1, weight_decay=0.01)),
    ("RAdam", lambda p: optim.RAdam(p, lr=0.1)),
    ("Adadelta", lambda p: optim.Adadelta(p, lr=1.0, rho=0.9)),
]
for name, ctor in makers:
    model = make()
    opt = ctor(model.parameters())
    loss_fn = nn.MSELoss()
    for step in range(40):
        opt.zero_grad()
        loss = loss_fn(model(X), Y)
        loss.backward()
        opt.step()
        if step % 10 == 0:
            print(f"{name:>12} step {step:2d} loss {loss.item():.4f}")
    print(name, "weights", [round(v, 4) for v in model.weight.detach().flatten().tolist()],
          "bias", round(model.bias.item(), 4))
    state = opt.state_dict()
    print("  state keys", {i: sorted(s) for i, s in state["state"].items()})
    print("  step", state["state"][0]["step"])
    print("  group keys", sorted(state["param_groups"][0]))

print(optim.RMSprop(make().parameters(), lr=0.05, momentum=0.5))
print(optim.Adagrad(make().parameters()))

# a parameter group per layer, one of them with its own hyper-parameters
net = nn.Sequential(nn.Linear(2, 3), nn.Tanh(), nn.Linear(3, 1))
for i, p in enumerate(net.parameters()):
    with torch.no_grad():
        p.copy_(torch.linspace(-0.5, 0.5, p.numel()).reshape(p.shape) * (i + 1))
opt = optim.RMSprop([{"params": net[0].parameters()}, {"params": net[2].parameters(), "lr": 0.001}], lr=0.01)
for step in range(25):
    opt.zero_grad()
    loss = ((net(X) - Y) ** 2).mean()
    loss.backward()
    opt.step()
print("groups", round(loss.item(), 4), [g["lr"] for g in opt.param_groups])
print(net[2].weight)

# save and resume: the resumed optimizer continues exactly like the original
model = make()
opt = optim.NAdam(model.parameters(), lr=0.05)
for _ in range(5):
    opt.zero_grad()
    nn.MSELoss()(model(X), Y).backward()
    opt.step()
buffer = io.BytesIO()
torch.save({"model": model.state_dict(), "optimizer": opt.state_dict()}, buffer)
buffer.seek(0)
checkpoint = torch.load(buffer)
twin = make()
twin.load_state_dict(checkpoint["model"])
opt2 = optim.NAdam(twin.parameters(), lr=0.05)
opt2.load_state_dict(checkpoint["optimizer"])
for _ in range(5):
    for m, o in ((model, opt), (twin, opt2)):
        o.zero_grad()
        nn.MSELoss()(m(X), Y).backward()
        o.step()
print("resumed equal", torch.equal(model.weight, twin.weight), torch.equal(model.bias, twin.bias))
print("mu_product", round(opt2.state_dict()["state"][0]["mu_product"].item(), 6))

for bad in [lambda: optim.RMSprop(make().parameters(), alpha=-1.0),
            lambda: optim.Adagrad(make().parameters(), lr_decay=-0.5),
            lambda: optim.Adamax(make().parameters(), betas=(0.9, 1.0)),
            lambda: optim.NAdam(make().parameters(), momentum_decay=-1e-3),
            lambda: optim.Adadelta(make().parameters(), rho=1.1),
            lambda: optim.RAdam(make().parameters(), lr=-0.1)]:
    try:
        bad()
    except ValueError as e:
        print("ValueError:", e)

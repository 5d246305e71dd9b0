import torch
from torch import nn, optim

X = torch.tensor([[1.0, 2.0], [2.0, 1.0], [3.0, 0.5], [0.0, 1.0]])
Y = torch.tensor([[5.0], [4.0], [4.0], [2.0]])


def make():
    m = nn.Linear(2, 1)
    nn.init.constant_(m.weight, 0.5)
    nn.init.zeros_(m.bias)
    return m


for name, ctor in [("SGD", lambda p: optim.SGD(p, lr=0.05)),
                   ("momentum", lambda p: optim.SGD(p, lr=0.05, momentum=0.9)),
                   ("nesterov", lambda p: optim.SGD(p, lr=0.05, momentum=0.9, nesterov=True)),
                   ("Adam", lambda p: optim.Adam(p, lr=0.1)),
                   ("AdamW", lambda p: optim.AdamW(p, lr=0.1, weight_decay=0.01)),
                   ("SGD-wd", lambda p: optim.SGD(p, lr=0.05, weight_decay=0.1))]:
    model = make()
    opt = ctor(model.parameters())
    loss_fn = nn.MSELoss()
    for step in range(30):
        opt.zero_grad()
        loss = loss_fn(model(X), Y)
        loss.backward()
        opt.step()
        if step % 10 == 0:
            print(f"{name:>8} step {step:2d} loss {loss.item():.4f}")
    print(name, "weights", [round(v, 4) for v in model.weight.detach().flatten().tolist()],
          "bias", round(model.bias.item(), 4))

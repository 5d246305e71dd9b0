import math
import torch
import torch.nn as nn

torch.manual_seed(0)
# deterministic data: the angle of a point and its radius, learned by a small net
pts = torch.tensor([[math.cos(0.3 * k) * (1 + 0.1 * k), math.sin(0.3 * k) * (1 + 0.1 * k)] for k in range(12)])
target = torch.stack([torch.atan2(pts[:, 1], pts[:, 0]), torch.hypot(pts[:, 0], pts[:, 1])], dim=1)


class Net(nn.Module):
    def __init__(self):
        super().__init__()
        self.fc1 = nn.Linear(2, 8)
        self.fc2 = nn.Linear(8, 2)
        with torch.no_grad():
            self.fc1.weight.copy_(torch.linspace(-1, 1, 16).reshape(8, 2))
            self.fc1.bias.fill_(0.1)
            self.fc2.weight.copy_(torch.linspace(0.5, -0.5, 16).reshape(2, 8))
            self.fc2.bias.zero_()

    def forward(self, x):
        h = self.fc1(x)
        h = 0.5 * h * (1 + torch.erf(h / math.sqrt(2)))   # exact GELU
        h = torch.lerp(h, torch.asinh(h), 0.25)
        return self.fc2(h)


net = Net()
opt = torch.optim.SGD(net.parameters(), lr=0.05, momentum=0.9)
for step in range(30):
    opt.zero_grad()
    out = net(pts)
    loss = torch.logaddexp(out - target, target - out).mean() - math.log(2)   # a log-cosh-like loss
    loss.backward()
    opt.step()
    if step % 5 == 0:
        print(step, round(loss.item(), 5))
print(net.fc2.bias)
with torch.no_grad():
    pred = net(pts[:3])
print(pred, target[:3])

# a custom loss with addcdiv-style Adam-like update written by hand
w = torch.tensor([0.5, -0.3], requires_grad=True)
m = torch.zeros(2)
v = torch.zeros(2)
for i in range(1, 6):
    loss = torch.xlogy(w.sigmoid(), w.sigmoid()).sum() + torch.hypot(w, torch.ones(2)).sum()
    g, = torch.autograd.grad(loss, w)
    with torch.no_grad():
        m.lerp_(g, 0.1)
        v.mul_(0.999).addcmul_(g, g, value=0.001)
        w.addcdiv_(m / (1 - 0.9 ** i), (v / (1 - 0.999 ** i)).sqrt().add_(1e-8), value=-0.05)
    print(i, loss.item() == loss.item(), w)

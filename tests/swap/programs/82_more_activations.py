import torch
import torch.nn as nn
import torch.nn.functional as F

x = torch.tensor([[-4.0, -3.0, -1.0, -0.5, 0.0], [0.5, 1.0, 3.0, 6.0, 8.0]], requires_grad=True)
fns = [
    ("relu6", F.relu6), ("hardtanh", lambda t: F.hardtanh(t, -2.0, 2.0)), ("selu", F.selu),
    ("celu", lambda t: F.celu(t, 0.5)), ("logsigmoid", F.logsigmoid), ("softmin", lambda t: F.softmin(t, dim=1)),
    ("softsign", F.softsign), ("tanhshrink", F.tanhshrink), ("hardshrink", F.hardshrink),
    ("softshrink", lambda t: F.softshrink(t, 1.0)), ("hardsigmoid", F.hardsigmoid), ("hardswish", F.hardswish),
    ("mish", F.mish), ("threshold", lambda t: F.threshold(t, 0.5, -1.0)), ("glu", lambda t: F.glu(t, 0)),
]
for name, fn in fns:
    x.grad = None
    y = fn(x)
    (y * torch.arange(1.0, y.numel() + 1).reshape(y.shape)).sum().backward()
    print(name, y)
    print("  grad", x.grad)
mods = [nn.ReLU6(), nn.Hardtanh(-0.5, 0.5), nn.SELU(), nn.CELU(alpha=2.0), nn.LogSigmoid(), nn.Softmin(dim=0),
        nn.Softsign(), nn.Tanhshrink(), nn.Hardshrink(0.25), nn.Softshrink(), nn.Hardsigmoid(), nn.Hardswish(),
        nn.Mish(), nn.Threshold(0.1, 20.0), nn.GLU(dim=1), nn.PReLU(), nn.PReLU(num_parameters=2, init=0.1)]
for m in mods:
    print(m)
print(nn.Sequential(nn.Linear(4, 4), nn.ReLU6(inplace=True), nn.Hardtanh(inplace=True), nn.SELU(True)))

prelu = nn.PReLU(num_parameters=3)
inp = torch.tensor([[[-1.0, 2.0], [3.0, -4.0], [-5.0, 6.0]]])
out = prelu(inp)
print(out)
out.sum().backward()
print(prelu.weight.grad)
opt = torch.optim.SGD(prelu.parameters(), lr=0.1)
opt.step()
print(prelu.weight, prelu.state_dict())

h = torch.tensor([-1.0, 0.5, 7.0], requires_grad=True) * 2
F.relu6(h, inplace=True)
print(h)
try:
    F.glu(torch.ones(3, 5))
except RuntimeError as e:
    print("RuntimeError:", e)
try:
    F.prelu(torch.ones(2, 4), torch.ones(3))
except RuntimeError as e:
    print("RuntimeError:", e)
try:
    nn.Hardtanh(1.0, -1.0)
except AssertionError as e:
    print("AssertionError:", e)

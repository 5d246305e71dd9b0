# Dropout in train vs eval mode
import torch
import torch.nn as nn
import torch.nn.functional as F

torch.manual_seed(5)
drop = nn.Dropout(p=0.5)
x = torch.ones(4, 6)
print(drop.training)
y = drop(x)
print(y)
print((y == 0).sum().item(), y.sum().item())
drop.eval()
print(drop(x))
drop.train()
print(drop(x))

print(F.dropout(torch.arange(8.0), p=0.25, training=True))
print(F.dropout(torch.arange(8.0), p=0.25, training=False))
print(F.dropout(torch.ones(3, 3), p=0.0))
print(F.dropout(torch.ones(3, 3), p=1.0))

a = torch.randn(2, 5, requires_grad=True)
b = F.dropout(a, p=0.4)
print(b.grad_fn.name())
b.sum().backward()
print(a.grad)

model = nn.Sequential(nn.Linear(6, 8), nn.ReLU(), nn.Dropout(0.3), nn.Linear(8, 2))
inp = torch.randn(5, 6)
model.train()
o1 = model(inp)
o2 = model(inp)
print(torch.equal(o1, o2))
model.eval()
with torch.no_grad():
    e1 = model(inp)
    e2 = model(inp)
print(torch.equal(e1, e2), e1)
print(nn.Dropout2d(0.5)(torch.ones(1, 4, 2, 2)))
print(F.dropout1d(torch.ones(2, 3, 2), 0.5))
selu_net = nn.Sequential(nn.Linear(4, 4), nn.SELU(), nn.AlphaDropout(0.2))
print(selu_net)
print(selu_net(torch.randn(2, 4)))
print(F.alpha_dropout(torch.ones(5), 0.5), F.alpha_dropout(torch.ones(5), 0.5, training=True))
rrelu = nn.RReLU(0.1, 0.3)
print(rrelu, rrelu(torch.tensor([-1.0, -2.0, 0.5, -3.0])))
rrelu.eval()
print(rrelu(torch.tensor([-1.0, -2.0, 0.5, -3.0])))
try:
    nn.Dropout(p=1.5)
except ValueError as e:
    print("ValueError:", e)
inp2 = torch.ones(6)
F.dropout(inp2, 0.5, True, inplace=True)
print(inp2)

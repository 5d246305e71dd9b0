import math
import torch

x = torch.linspace(0.0, math.pi, 5, requires_grad=True)
y = torch.sin(x)
y.sum().backward()
print(x)
print(y)
print(x.grad)
print(torch.allclose(x.grad, torch.cos(x)))

t = torch.tensor([0.5, 1.0, 1.5], requires_grad=True)
z = torch.tan(t) + torch.cos(t) * torch.exp(-t) + torch.log(t + 1) + torch.sqrt(t)
z.sum().backward()
print(z)
print(t.grad)
print(round(z.sum().item(), 4))
w = torch.tensor([0.25, -0.5], requires_grad=True)
v = torch.tanh(w) * torch.sigmoid(w) + torch.abs(w)
v.sum().backward()
print(v, w.grad, sep="\n")

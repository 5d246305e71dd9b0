# 60 minute blitz, "A Gentle Introduction to torch.autograd" with a small model in place of resnet18
import torch
from torch import nn, optim

torch.manual_seed(8)
model = nn.Sequential(nn.Conv2d(3, 4, 3, padding=1), nn.ReLU(), nn.AdaptiveAvgPool2d(1),
                      nn.Flatten(), nn.Linear(4, 1000))
data = torch.rand(1, 3, 16, 16)
labels = torch.rand(1, 1000)
prediction = model(data)
loss = (prediction - labels).sum()
print(loss)
loss.backward()
optim_ = torch.optim.SGD(model.parameters(), lr=1e-2, momentum=0.9)
optim_.step()
print(model[4].bias[:5])
a = torch.tensor([2., 3.], requires_grad=True)
b = torch.tensor([6., 4.], requires_grad=True)
Q = 3 * a**3 - b**2
external_grad = torch.tensor([1., 1.])
Q.backward(gradient=external_grad)
print(9 * a**2 == a.grad)
print(-2 * b == b.grad)
print(Q, Q.grad_fn, Q.grad_fn.next_functions)
x = torch.rand(5, 5)
y = torch.rand(5, 5)
z = torch.rand((5, 5), requires_grad=True)
a = x + y
print(f"Does `a` require gradients?: {a.requires_grad}")
b = x + z
print(f"Does `b` require gradients?: {b.requires_grad}")
for param in model.parameters():
    param.requires_grad = False
model[4] = nn.Linear(4, 10)
optimizer = optim.SGD(model.parameters(), lr=1e-2, momentum=0.9)
out = model(data)
print(out.shape, out.grad_fn)
out.sum().backward()
print(model[0].weight.grad)
print(model[4].weight.grad)
print([n for n, p in model.named_parameters() if p.requires_grad])
optimizer.step()
print(model[4].bias)
x = torch.randn(3, requires_grad=True)
y = x * 2
while y.data.norm() < 1000:
    y = y * 2
print(y)
v = torch.tensor([0.1, 1.0, 0.0001], dtype=torch.float)
y.backward(v)
print(x.grad)
print(x.requires_grad)
print((x ** 2).requires_grad)
with torch.no_grad():
    print((x ** 2).requires_grad)
y = x.detach()
print(y.requires_grad)
print(x.eq(y).all())

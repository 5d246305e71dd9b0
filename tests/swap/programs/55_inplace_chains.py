import torch

x = torch.zeros(4)
x.add_(1).mul_(3).sub_(torch.arange(4.0)).div_(2)
print(x)
y = x.clone()
y.pow_(2).clamp_(max=1.0).neg_()
print(y, x)
z = torch.arange(6.0).reshape(2, 3)
z[0].fill_(-1)
z[:, 1] += 10
z = z.t()
print(z, z.shape)
w = torch.tensor([1.0, 2.0], requires_grad=True)
v = w * 2
v.add_(1).mul_(w)
print(v, v.grad_fn.name())
v.sum().backward()
print(w.grad)
try:
    w.add_(1)
except RuntimeError as e:
    print(e)
with torch.no_grad():
    w.mul_(0.5)
print(w, w.requires_grad, w.is_leaf)
a = torch.tensor([1.0, 2.0, 3.0], requires_grad=True)
b = a.exp()
b.mul_(2)
try:
    b.sum().backward()
except RuntimeError as e:
    print(str(e)[:120])
c = a.sigmoid()
c.add_(1)
try:
    c.sum().backward()
except RuntimeError as e:
    print(str(e)[:120])
print(a.grad)

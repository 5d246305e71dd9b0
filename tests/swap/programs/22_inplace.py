import torch

x = torch.tensor([1.0, 2.0, 3.0])
x.add_(1)
print(x)
x.mul_(2)
print(x)
x.sub_(torch.tensor([1.0, 1.0, 1.0]))
print(x)
x.div_(2)
print(x)
x.clamp_(2, 3)
print(x)
x.zero_()
print(x)
x.fill_(4.5)
print(x)
y = torch.ones(2, 2)
y += 1
y *= 3
y -= 0.5
y /= 2
print(y)
z = torch.arange(4.0)
z.pow_(2)
print(z)
z.sqrt_()
print(z)
z.neg_()
print(z)
z.abs_().exp_()
print(z)
v = torch.zeros(3)
v.copy_(torch.tensor([7.0, 8.0, 9.0]))
print(v)
v.add_(torch.tensor([1.0, 1.0, 1.0]), alpha=2)
print(v)
w = torch.tensor([1.0, 2.0], requires_grad=True)
try:
    w.mul_(2)
except Exception as e:
    print(type(e).__name__, e)
a = torch.tensor([1.0, 2.0], requires_grad=True)
b = a.sin()
c = b * 1
b.add_(1)
try:
    (b * a).sum().backward()
    print(a.grad)
except Exception as e:
    print(type(e).__name__, e)
q = torch.tensor([0.5, 1.0], requires_grad=True)
r = q.exp()
r.mul_(2)
try:
    r.sum().backward()
except Exception as e:
    print(type(e).__name__, e)
print(q.grad)
view = torch.arange(6.0).view(2, 3)
row = view[0]
row += 10
print(view)

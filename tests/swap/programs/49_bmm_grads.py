import torch

a = torch.arange(12, dtype=torch.float32).reshape(2, 2, 3).requires_grad_()
b = (torch.arange(12, dtype=torch.float32).reshape(2, 3, 2) / 10).requires_grad_()
c = torch.bmm(a, b)
print(c)
print(c.shape, c.grad_fn.name())
c.sum().backward()
print(a.grad)
print(b.grad)
a.grad = None
b.grad = None
d = a @ b
(d * torch.tensor([[1.0, -1.0], [0.5, 2.0]])).sum().backward()
print(a.grad)
print(b.grad)
w = torch.tensor([[1.0, 0.0], [0.0, 2.0], [1.0, 1.0]], requires_grad=True)
e = a @ w
e.pow(2).mean().backward()
print(e.shape, w.grad)
v = torch.tensor([1.0, 2.0, 3.0], requires_grad=True)
f = torch.matmul(a.detach(), v)
print(f)
f.sum().backward()
print(v.grad)

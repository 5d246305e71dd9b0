import torch

x = torch.tensor([1.0, 2.0, 3.0], requires_grad=True)


def f(x):
    return (x ** 3).sum() + (x[0] * x[1]) * x[2]


y = f(x)
(g,) = torch.autograd.grad(y, x, create_graph=True)
print(g, g.requires_grad)
v = torch.tensor([1.0, 0.0, -1.0])
(hvp,) = torch.autograd.grad(g, x, grad_outputs=v, retain_graph=True)
print(hvp)
(g2,) = torch.autograd.grad(g.dot(v), x)
print(g2)
z = x * torch.tensor([2.0, 3.0, 4.0])
(gz,) = torch.autograd.grad(z, x, grad_outputs=torch.ones_like(z), retain_graph=True)
print(gz)
(gz2,) = torch.autograd.grad(z, x, grad_outputs=torch.tensor([1.0, 10.0, 100.0]))
print(gz2)
y3 = (x.sin() * x).sum()
(d1,) = torch.autograd.grad(y3, x, create_graph=True)
(d2,) = torch.autograd.grad(d1.sum(), x, create_graph=True)
(d3,) = torch.autograd.grad(d2.sum(), x)
print(d1.detach().round(decimals=4))
print(d2.detach().round(decimals=4))
print(d3.round(decimals=4))
gs = torch.autograd.grad([x.sum(), (x * x).sum()], [x])
print(gs)

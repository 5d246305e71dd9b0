import torch

x = torch.tensor(1.5, requires_grad=True)
y = x ** 4
dy, = torch.autograd.grad(y, x, create_graph=True)
d2y, = torch.autograd.grad(dy, x, create_graph=True)
d3y, = torch.autograd.grad(d2y, x)
print(dy, d2y, d3y)
print(dy.item(), d2y.item(), d3y.item())

t = torch.tensor([0.0, 1.0, 2.0], requires_grad=True)
f = torch.sin(t).sum()
g1 = torch.autograd.grad(f, t, create_graph=True)[0]
g2 = torch.autograd.grad(g1.sum(), t)[0]
print(g1)
print(g2)

w = torch.tensor(3.0, requires_grad=True)
loss = w ** 3
loss.backward(create_graph=True)
print(w.grad)
gw = w.grad
w.grad = None
gw.backward()
print(w.grad)

import torch
from torch.autograd import Variable, grad

x = Variable(torch.tensor([2.0, 3.0]), requires_grad=True)
y = (x ** 2).sum()
g, = grad(y, x, create_graph=True)
print(g)
h, = grad(g.sum(), x)
print(h)
a = torch.tensor(1.0, requires_grad=True)
b = torch.tensor(2.0, requires_grad=True)
c = a * b
ga, gb = grad(c, [a, b])
print(ga, gb)
u = torch.tensor(1.0, requires_grad=True)
c2 = a * 3
print(grad(c2, [a, u], allow_unused=True, retain_graph=True))
print(grad(c2 * 1, [a, u], allow_unused=True, materialize_grads=True))
out = torch.tensor([1.0, 2.0], requires_grad=True) * 2
print(out.grad_fn.name())
print(x.data, x.grad)

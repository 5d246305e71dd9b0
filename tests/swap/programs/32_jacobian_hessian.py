import torch
from torch.autograd.functional import jacobian, hessian


def f(x):
    return torch.stack([x[0] ** 2 + x[1], x[0] * x[1], torch.sin(x[1])])


x = torch.tensor([1.0, 2.0])
J = jacobian(f, x)
print(J)

def g(x):
    return (x ** 3).sum() + x[0] * x[1]

H = hessian(g, x)
print(H)

# manual jacobian row by row
x = torch.tensor([1.0, 2.0, 3.0], requires_grad=True)
y = x ** 2 + x.sum()
rows = []
for i in range(3):
    gi, = torch.autograd.grad(y[i], x, retain_graph=True)
    rows.append(gi)
print(torch.stack(rows))

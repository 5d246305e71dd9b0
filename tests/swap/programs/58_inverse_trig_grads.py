import math
import torch

x = torch.tensor([[0.25, -0.5, 0.75], [-0.9, 0.1, 0.0]], requires_grad=True)
funcs = {
    'asin': torch.asin, 'acos': torch.acos, 'atan': torch.atan, 'arcsin': torch.arcsin,
    'arctan': torch.arctan, 'sinh': torch.sinh, 'cosh': torch.cosh, 'asinh': torch.asinh,
    'atanh': torch.atanh, 'arctanh': torch.arctanh, 'acosh': lambda t: torch.acosh(t.abs() + 1.5),
    'method_asin': lambda t: t.asin(), 'method_arccos': lambda t: t.arccos(),
}
for name, f in funcs.items():
    x.grad = None
    y = f(x)
    y.sum().backward()
    print(name, y, x.grad, sep='\n')

# atan2 in every quadrant, its gradients with broadcasting, and the arctan2 alias
y = torch.tensor([1.0, 1.0, -1.0, -1.0, 0.0, 2.0], requires_grad=True)
xs = torch.tensor([2.0], requires_grad=True)
xq = torch.tensor([1.0, -1.0, -1.0, 1.0, -1.0, 0.0])
angle = torch.atan2(y, xq)
print(angle, angle * 180 / math.pi)
out = torch.atan2(y, xs)
out.sum().backward()
print(out, y.grad, xs.grad)
print(torch.arctan2(torch.tensor([0.0, -0.0]), torch.tensor([-1.0, -1.0])))
print(y.atan2(xq).grad_fn, torch.atan2(torch.tensor([1, 2]), torch.tensor([3, 4])))

# second derivatives through create_graph
t = torch.tensor([0.3, -0.2], requires_grad=True)
for f in (torch.asin, torch.atan, torch.sinh, torch.atanh):
    g, = torch.autograd.grad(f(t).sum(), t, create_graph=True)
    h, = torch.autograd.grad(g.sum(), t)
    print(f.__name__, g, h)

# integer and double inputs
print(torch.asin(torch.tensor([0, 1])), torch.sinh(torch.tensor([1, 2], dtype=torch.int32)))
print(torch.atan(torch.tensor([0.5, 2.0], dtype=torch.float64)))
print(torch.acosh(torch.tensor([0.5, 1.0, 10.0])), torch.atanh(torch.tensor([1.0, -1.0])))

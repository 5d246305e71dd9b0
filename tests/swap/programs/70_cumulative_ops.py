import torch

x = torch.tensor([[2.0, -0.5, 3.0, 0.0, 1.5], [0.5, 4.0, -1.0, 2.0, 2.0]], requires_grad=True)
w = torch.tensor([[1.0, 2.0, 3.0, 4.0, 5.0], [-1.0, 0.5, 1.0, 2.0, 0.25]])
for name, fn in [
    ('cumprod', lambda: x.cumprod(1)),
    ('cumprod dim0', lambda: torch.cumprod(x, dim=0)),
    ('cumsum', lambda: x.cumsum(1)),
    ('logcumsumexp', lambda: x.logcumsumexp(1)),
    ('cummax', lambda: x.cummax(1).values),
    ('cummin', lambda: torch.cummin(x, 0)[0]),
]:
    x.grad = None
    y = fn()
    (y * w).sum().backward()
    print(name, y, x.grad, sep='\n')

print(x.cummax(1))
print(torch.cummin(x, dim=1))
r = torch.tensor([1, 3, 3, 2, 5, 5]).cummax(0)
print(r.values, r.indices, r[1].dtype)
print(torch.tensor([3.0, 1.0, 1.0, 2.0, 0.0]).cummin(0))
print(torch.tensor([1.0, float('nan'), 3.0]).cummax(0))
print(torch.tensor([[1, 2, 3], [4, 5, 6]]).cumprod(1), torch.tensor([True, False, True]).cumprod(0))
print(torch.tensor([1, 2, 3], dtype=torch.int32).cumprod(0).dtype, torch.tensor([1, 2]).cumprod(0, dtype=torch.float64))
print(torch.tensor([-1000.0, 0.0, 1000.0, float('-inf')]).logcumsumexp(0))
print(torch.tensor([0.1, 0.2, 0.3]).logcumsumexp(0))

# a zero in the running product: the gradient still reaches the factors before it
z = torch.tensor([2.0, 0.0, 3.0, 4.0], requires_grad=True)
z.cumprod(0).sum().backward()
print(z.grad)
z2 = torch.tensor([2.0, 0.0, 3.0, 0.0], requires_grad=True)
(z2.cumprod(0) * torch.tensor([1.0, -1.0, 2.0, 0.5])).sum().backward()
print(z2.grad)
q = torch.tensor([1.5, -2.0, 0.5], requires_grad=True)
g, = torch.autograd.grad(q.cumprod(0).sum(), q, create_graph=True)
print(g.detach(), torch.autograd.grad(g.sum(), q)[0])
c = torch.ones(3, requires_grad=True).clone()
c.cumprod_(0)
print(c)
try:
    torch.tensor([1, 2]).logcumsumexp(0)
except NotImplementedError as e:
    print('NotImplementedError:', e)
try:
    torch.tensor([1.0, 2.0]).cummax(1)
except IndexError as e:
    print('IndexError:', e)

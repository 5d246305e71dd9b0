import torch

# scatter / scatter_add / scatter_reduce: values, grad_fns and the gradients PyTorch defines
x = torch.arange(12.0).reshape(3, 4).requires_grad_()
src = torch.tensor([[10.0, 20.0, 30.0, 40.0], [50.0, 60.0, 70.0, 80.0]], requires_grad=True)
idx = torch.tensor([[0, 1, 2, 0], [2, 0, 0, 1]])
w = torch.linspace(1.0, 2.1, 12).reshape(3, 4)
for name, fn in [
    ('scatter', lambda: x.scatter(0, idx, src)),
    ('scatter value', lambda: torch.scatter(x, 1, torch.tensor([[0], [3], [1]]), 2.5)),
    ('scatter_add', lambda: x.scatter_add(0, torch.tensor([[0, 0, 0, 0], [0, 0, 0, 0]]), src)),
    ('sum', lambda: x.scatter_reduce(0, idx, src, 'sum', include_self=False)),
    ('mean', lambda: x.scatter_reduce(0, torch.zeros(2, 4, dtype=torch.long), src, 'mean')),
    ('amax', lambda: x.scatter_reduce(0, idx, src * 0.1, 'amax')),
    ('amin', lambda: torch.scatter_reduce(x, 1, torch.tensor([[3, 3], [0, 0]]), src[:, :2] * 0.01, 'amin')),
    ('prod', lambda: (x + 1).scatter_reduce(0, idx, src * 0.01, 'prod')),
]:
    x.grad, src.grad = None, None
    y = fn()
    (y * w).sum().backward()
    print(name, y, x.grad, src.grad, sep='\n')

# integer scatters keep their dtype; mean of integers floors
print(torch.zeros(5, dtype=torch.long).scatter_add(0, torch.tensor([0, 0, 3, 4, 4]), torch.tensor([1, 2, 3, 4, 5])))
print(torch.arange(6).scatter_reduce(0, torch.tensor([0, 0, 1]), torch.tensor([5, 6, 7]), 'mean'))
print(torch.zeros(2, 3).scatter(1, torch.tensor([[2, 0]]), torch.arange(1.0, 7.0).reshape(2, 3)))

# in-place forms: version counter, grad_fn rebinding, the leaf rule
h = torch.zeros(2, 4)
print(h._version)
h.scatter_(1, torch.tensor([[1, 3], [0, 0]]), torch.tensor([[1.0, 2.0], [3.0, 4.0]]))
print(h, h._version)
h.scatter_add_(0, torch.tensor([[1, 1, 1, 1]]), torch.ones(1, 4))
print(h, h._version)
a = torch.ones(3, 3, requires_grad=True)
b = a * 2
b.scatter_(0, torch.tensor([[2, 0, 1]]), torch.full((1, 3), 9.0))
print(b)
b.sum().backward()
print(a.grad)
try:
    a.scatter_(0, torch.tensor([[0, 0, 0]]), 1.0)
except RuntimeError as e:
    print('RuntimeError:', e)
for bad in [lambda: x.scatter(0, torch.tensor([[3, 0]]), src),
            lambda: x.scatter(0, torch.tensor([[0.0]]), src),
            lambda: x.scatter(0, torch.tensor([0, 1]), src),
            lambda: x.scatter(0, idx, src.double()),
            lambda: x.scatter_reduce(0, idx, src, 'median')]:
    try:
        bad()
    except RuntimeError as e:
        print('RuntimeError:', e)

import torch

x = torch.arange(12.0).reshape(3, 4).requires_grad_()
s = torch.tensor([[1.0, -1.0, 2.0, 0.5], [3.0, 0.0, -2.0, 1.0]], requires_grad=True)
v = torch.tensor(0.25, requires_grad=True)
w = torch.linspace(-1.0, 1.0, 12).reshape(3, 4)
for name, fn, inputs in [
    ('index_add', lambda: x.index_add(0, torch.tensor([2, 0]), s, alpha=2), (x, s)),
    ('index_copy', lambda: x.index_copy(0, torch.tensor([1, 2]), s), (x, s)),
    ('index_fill', lambda: x.index_fill(1, torch.tensor([0, 3]), -1.0), (x,)),
    ('index_fill tensor', lambda: torch.index_fill(x, 1, torch.tensor([1]), v), (x, v)),
    ('index_put', lambda: x.index_put((torch.tensor([0, 2]), torch.tensor([1, 3])), s[0, :2]), (x, s)),
    ('index_put acc', lambda: torch.index_put(x, (torch.tensor([1, 1]),), s, accumulate=True), (x, s)),
    ('put', lambda: x.put(torch.tensor([0, -1]), s[1, 1:3]), (x, s)),
    ('take', lambda: x.take(torch.tensor([[0, 5], [11, 5]])), (x,)),
    ('take_along_dim', lambda: torch.take_along_dim(x, torch.tensor([[3], [0], [2]]), 1), (x,)),
    ('take_along_dim flat', lambda: x.take_along_dim(torch.tensor([7, 7, 1])), (x,)),
    ('masked_scatter', lambda: x.masked_scatter(x > 6.5, s), (x, s)),
]:
    for t in (x, s, v):
        t.grad = None
    y = fn()
    (y * w[:y.shape[0], :y.shape[-1]] if y.dim() == 2 else y * 3).sum().backward()
    print(name, y, *[t.grad for t in inputs], sep='\n')

# in-place forms on a non-leaf, then backward through them
a = torch.tensor([[1.0, 2.0], [3.0, 4.0], [5.0, 6.0]], requires_grad=True)
b = a.clone()
b.index_add_(0, torch.tensor([0, 0]), torch.ones(2, 2))
b.index_fill_(1, torch.tensor([1]), 0.0)
b.index_put_((torch.tensor([2]),), torch.tensor([7.0, 8.0]))
b.put_(torch.tensor([1]), torch.tensor([-5.0]), accumulate=True)
b.masked_scatter_(torch.tensor([[False, False], [True, False], [False, False]]), torch.tensor([9.0]))
print(b, b._version)
(b * torch.arange(6.0).reshape(3, 2)).sum().backward()
print(a.grad)
d = torch.zeros(4, 4, requires_grad=True).clone()
d.fill_diagonal_(3.0)
print(d)
print(torch.zeros(5, 2).fill_diagonal_(1.0, wrap=True))
print(torch.zeros(7, 3).fill_diagonal_(1, wrap=True))
print(torch.zeros(2, 2, 2).fill_diagonal_(5))
print(torch.tensor([[1, 2], [3, 4]]).take(torch.tensor([3, 0])))
for bad in [lambda: x.index_add(0, torch.tensor([[0]]), s),
            lambda: x.index_add(0, torch.tensor([0]), s),
            lambda: x.index_copy(0, torch.tensor([0], dtype=torch.int32), s[:1]),
            lambda: x.index_fill(0, torch.tensor([0, 1]), torch.tensor([1.0, 2.0])),
            lambda: x.index_put((torch.tensor([0, 0]),), torch.ones(3)),
            lambda: x.masked_scatter(x > 1, torch.ones(3)),
            lambda: x.take(torch.tensor([12])),
            lambda: x.put(torch.tensor([1, 2]), torch.tensor([1.0])),
            lambda: torch.take_along_dim(x, torch.tensor([0, 1]), 0),
            lambda: torch.zeros(3).fill_diagonal_(1)]:
    try:
        bad()
    except (RuntimeError, IndexError) as e:
        print(type(e).__name__ + ':', e)

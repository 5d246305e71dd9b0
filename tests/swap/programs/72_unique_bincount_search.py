import torch

t = torch.tensor([3, 1, 1, 2, 0, 0, 1])
print(torch.unique(t))
print(t.unique(return_inverse=True, return_counts=True))
print(torch.unique(t, sorted=False, return_counts=True))
print(torch.unique(torch.tensor([[3, 1], [1, 2], [3, 1]]), dim=0, return_inverse=True, return_counts=True))
print(torch.tensor([[3, 1, 3], [1, 2, 1]]).unique(dim=1))
print(torch.tensor([2.5, -1.0, 2.5]).unique(), torch.tensor([True, False, True]).unique())
print(torch.unique_consecutive(t, return_inverse=True, return_counts=True))
print(torch.tensor([[1, 1], [1, 1], [2, 3]]).unique_consecutive(dim=0, return_counts=True))
f = torch.tensor([2.0, 1.0, 2.0], requires_grad=True)
u = f.unique()
print(u, u.requires_grad)
try:
    u.sum().backward()
except NotImplementedError as e:
    print('NotImplementedError:', e)

print(torch.bincount(t), torch.bincount(t, minlength=7))
print(torch.bincount(torch.tensor([3, 1, 1]), weights=torch.tensor([0.5, 1.0, 2.0])))
print(t.bincount(torch.linspace(0, 1, 7, dtype=torch.float64)))
print(torch.bincount(torch.tensor([], dtype=torch.long)), torch.bincount(torch.tensor([1, 2]), torch.tensor([1, 2])))
print(torch.histc(torch.tensor([1.0, 2.0, 1.0, 4.0, 0.5]), bins=4, min=0, max=3))
print(torch.tensor([1.0, 2.0, 1.0, 4.0, 0.5]).histc(bins=5))
print(torch.histc(torch.tensor([0.1, 0.2, 0.3, 0.7, 1.0], dtype=torch.float64), bins=10, min=0, max=1))
print(torch.histc(torch.tensor([1.0, 1.0]), bins=3))

b = torch.tensor([1, 3, 5, 7, 9])
v = torch.tensor([[3, 6, 9], [3, 6, 9]])
print(torch.bucketize(v, b), torch.bucketize(v, b, right=True))
print(torch.bucketize(4, b), torch.bucketize(torch.tensor([0.5, 9.5]), b, out_int32=True))
print(torch.searchsorted(b, v), torch.searchsorted(b, v, side='right'))
print(torch.searchsorted(torch.tensor([[1.0, 2.0, 3.0], [2.0, 4.0, 6.0]]), torch.tensor([[2.5, 2.0], [5.0, 1.0]])))
print(torch.searchsorted(torch.tensor([3.0, 1.0, 2.0]), torch.tensor([2.5]), sorter=torch.tensor([1, 2, 0])))
print(torch.searchsorted(b, 5, right=True))
print(torch.argwhere(torch.tensor([[1, 0, 2], [0, 0, 3]])))
print(torch.tensor([0.0, 1.5, 0.0]).argwhere(), torch.argwhere(torch.tensor(0.0)).shape)
for bad in [lambda: torch.bincount(torch.tensor([-1, 2])), lambda: torch.bincount(torch.tensor([[1, 2]])),
            lambda: torch.bincount(torch.tensor([1, 2]), minlength=-1),
            lambda: torch.histc(torch.tensor([1.0]), bins=3, min=3, max=1),
            lambda: torch.searchsorted(b, v, side='middle'),
            lambda: torch.searchsorted(b, v, right=True, side='left'),
            lambda: torch.bucketize(v, v)]:
    try:
        bad()
    except RuntimeError as e:
        print('RuntimeError:', e)
try:
    torch.bincount(torch.tensor([1.0, 2.0]))
except NotImplementedError as e:
    print('NotImplementedError:', e)

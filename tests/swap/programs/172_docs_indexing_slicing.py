# Indexing, slicing, joining, following the tensor indexing docs.
import torch

x = torch.arange(24).view(2, 3, 4)
print(x[0], x[1, 2], x[1, 2, 3], x[:, 1], x[..., 0], x[:, :, ::2])
print(x[-1, -1, -2:], x[0, ::-1] if False else x[0].flip(0), x[None].shape, x[:, None, 1].shape)
print(x[0, [0, 2]], x[[0, 1], [1, 2]], x[[0, 1], [1, 2], [0, 3]])
print(x[torch.tensor([1, 0])].shape, x[:, torch.tensor([[0, 1], [2, 2]])].shape)
m = x > 15
print(m.sum(), x[m], x[x % 5 == 0])
print(x[0][x[0] > 5], x[:, 0, torch.tensor([True, False, True, False])])
y = torch.zeros(3, 4)
y[1] = 1.0
y[:, 2] = torch.tensor([5.0, 6.0, 7.0])
y[y > 5] = -1.0
y[0, [0, 3]] = 9.0
print(y)
y[..., -1] += 10
print(y)
print(torch.index_select(x, 1, torch.tensor([0, 2])))
print(torch.masked_select(torch.tensor([[1, 2], [3, 4]]), torch.tensor([[True, False], [False, True]])))
print(torch.take(torch.tensor([[4, 3, 5], [6, 7, 8]]), torch.tensor([0, 2, 5])))
print(torch.gather(torch.tensor([[1, 2], [3, 4]]), 1, torch.tensor([[0, 0], [1, 0]])))
print(torch.narrow(x, 2, 1, 2).shape, x.select(1, 0), x.unbind(0)[1].shape)
print(torch.cat((torch.ones(2, 3), torch.zeros(1, 3)), 0))
print(torch.stack([torch.arange(3), torch.arange(3) * 2], dim=1))
print(torch.hstack([torch.tensor([1, 2]), torch.tensor([3])]), torch.vstack([torch.tensor([1, 2]), torch.tensor([3, 4])]))
print(torch.split(torch.arange(10), 4), torch.chunk(torch.arange(7), 3))
print(torch.split(torch.arange(10), [3, 7])[1], torch.tensor_split(torch.arange(7), 3))
print(torch.where(x[0] > 5, x[0], -x[0]), torch.nonzero(torch.tensor([[0, 1], [1, 0]])))
print(torch.nonzero(torch.tensor([0, 3, 0, 4]), as_tuple=True))
print(torch.argwhere(torch.tensor([[1, 0], [0, 2]])))
print(x[[0, 1], :, [1, 2]], x[0, :, [1, 2]], x[0, torch.tensor([[0, 1], [2, 2]]), 1:3])
print(x[torch.tensor([True, False]), :, [1, 3]], x[[1, 0], 1:, [-1, -4]], x[:, None, [0, 1], [1, 2]].shape)
q = torch.zeros(2, 3, 4)
q[[0, 1], :, [1, 2]] = 1.0
q[0, [0, 2], 1:3] = 2.0
print(q.sum(), q[0])
z = torch.tensor([[1.0, 2.0], [3.0, 4.0]], requires_grad=True)
s = z[:, 1] * 3 + z[0, 0]
print(s, s.grad_fn, z[z > 1].grad_fn, z[[0, 1], [1, 0]].grad_fn)
s.sum().backward()
print(z.grad)
for bad in (lambda: x[2], lambda: x[0, 0, 4], lambda: x[0, :, :, 0], lambda: x[torch.tensor([5])], lambda: x[torch.tensor([True, False])],
            lambda: x[:, torch.tensor([True, False])], lambda: x[[0, 1], :, [1, 7]], lambda: x[[0, 1], :, [0, 1, 2]]):
    try:
        bad()
    except Exception as e:
        print(type(e).__name__, e)
for bad in (lambda: torch.ones(2, 3).index_select(1, torch.tensor([1, 4])), lambda: torch.ones(3).index_select(0, torch.tensor([3])),
            lambda: torch.ones(2, 3).gather(1, torch.tensor([[0.0]])), lambda: torch.where(torch.tensor([1, 0]), 1.0, 0.0)):
    try:
        bad()
    except Exception as e:
        print(type(e).__name__, e)
print(torch.ones(2, 3).gather(1, torch.tensor([[2]], dtype=torch.int32)), torch.where(torch.tensor([1, 0], dtype=torch.uint8) > 0, 1.0, 0.0))
try:
    torch.cat([torch.ones(2, 3), torch.ones(2, 2)])
except Exception as e:
    print(type(e).__name__, e)
try:
    torch.stack([torch.ones(2), torch.ones(3)])
except Exception as e:
    print(type(e).__name__, e)

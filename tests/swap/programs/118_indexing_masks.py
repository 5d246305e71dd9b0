# Indexing and slicing: basic, fancy, boolean masks, masked assignment, index_select, gather.
import torch

t = torch.arange(1, 21).reshape(4, 5)
print(t[0], t[-1], t[1, 2], t[1][2], t[:, 0], t[..., -1], t[1:3, ::2], t[::-1 if False else 2])
print(t[0].shape, t[0:1].shape, t[:, 1].shape, t[:, 1:2].shape, t[None, 0].shape, t[..., None].shape)
print(t[[0, 2]], t[[0, 2], [1, 3]], t[:, [4, 0]], t[torch.tensor([1, 1, 3])])
print(t[torch.tensor([[0, 1], [2, 3]])].shape, t[[0, -1], :][:, [0, -1]])
mask = t % 3 == 0
print(mask)
print(t[mask], t[mask].shape, t[t > 15], t[t.sum(1) > 40])
print(t[torch.tensor([True, False, True, False])])
y = t.clone()
y[y % 2 == 0] = 0
print(y)
y[y > 10] = -1
y[0] = 99
y[:, -1] = torch.tensor([7, 8, 9, 10])
print(y)
y[1:3, 1:3] = 0
y[[0, 3], [0, 4]] = 55
print(y)
f = torch.tensor([1.0, -2.0, 3.0, -4.0])
f[f < 0] = 0.5
print(f)
f.masked_fill_(f > 2, float("inf"))
print(f, f.masked_fill(torch.isinf(f), -1.0))
print(torch.masked_select(t, mask), t.index_select(0, torch.tensor([3, 0])), t.index_select(1, torch.tensor([2])))
print(torch.gather(t, 1, torch.tensor([[0], [1], [2], [3]])), t.take(torch.tensor([0, 19])))
print(t.narrow(1, 1, 2), t.select(0, 2), t.unbind(1)[0])
print(t.diagonal(), t.diag(), torch.tensor([1, 2]).diag())
i = t[0, 0]
print(i, type(i), i.item(), type(i.item()), t[0, 0:1].item(), int(t[1, 1]), float(t[1, 1]))
print(t.max().item(), t.float().mean().item(), t.tolist()[1], torch.tensor(2.5).item())
try:
    t[4]
except IndexError as e:
    print("IndexError:", e)
try:
    t[0, 5]
except IndexError as e:
    print("IndexError:", e)
try:
    t[:, [5]]
except IndexError as e:
    print("IndexError:", e)
try:
    t[torch.tensor([True, False])]
except IndexError as e:
    print("IndexError:", e)
try:
    t.index_select(0, torch.tensor([4]))
except IndexError as e:
    print("IndexError:", e)
try:
    t.item()
except RuntimeError as e:
    print("RuntimeError:", e)
try:
    t[0, 0, 0]
except IndexError as e:
    print("IndexError:", e)
try:
    t[1.5]
except IndexError as e:
    print("IndexError:", e)
try:
    t.index_select(0, torch.tensor([0.0]))
except RuntimeError as e:
    print("RuntimeError:", e)
print(t[-4:100], t[5:], t[3:1].shape, t[:, -2:])

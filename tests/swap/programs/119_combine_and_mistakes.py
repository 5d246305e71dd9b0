# cat/stack/split/chunk, and the errors beginners hit most (shape mismatch in matmul/cat/view,
# dtype mismatch, index out of range), printed as a Q&A answer would show them.
import torch

a = torch.tensor([[1, 2], [3, 4]])
b = torch.tensor([[5, 6]])
print(torch.cat((a, b)), torch.cat([a, a], dim=1), torch.cat([a, b], 0).shape, torch.concat([b, b]))
print(torch.stack([a, a]).shape, torch.stack([a, a], dim=1), torch.stack((a[0], a[1]), -1))
print(torch.hstack([a, a]).shape, torch.vstack([a, b]).shape, torch.dstack([a, a]).shape)
print(torch.cat([torch.tensor([1.0]), torch.tensor([2, 3])]), torch.cat([torch.tensor([]), torch.tensor([1.0, 2.0])]))
x = torch.arange(10)
print(x.split(3), torch.split(x, [2, 3, 5]), x.chunk(3), x.chunk(4), torch.chunk(x, 5))
print(torch.arange(12).reshape(3, 4).split(2, dim=1), torch.arange(6).reshape(3, 2).chunk(2, 0))
print(torch.tensor_split(x, 3), x.unbind(), [t.shape for t in torch.arange(6).reshape(2, 3).unbind(1)])
p, q = torch.arange(6.0).reshape(2, 3).split([1, 2], dim=1)
print(p, q)

mistakes = [
    ("matmul shapes", lambda: torch.ones(2, 3) @ torch.ones(2, 3)),
    ("mm shapes", lambda: torch.mm(torch.ones(4, 5), torch.ones(4, 5))),
    ("matmul vector", lambda: torch.ones(3) @ torch.ones(4)),
    ("matmul batch", lambda: torch.matmul(torch.ones(2, 3, 4), torch.ones(2, 5, 6))),
    ("matmul dtype", lambda: torch.ones(2, 2) @ torch.ones(2, 2, dtype=torch.float64)),
    ("matmul int/float", lambda: torch.tensor([[1, 2]]) @ torch.tensor([[1.0], [2.0]])),
    ("cat shapes", lambda: torch.cat([torch.ones(2, 3), torch.ones(2, 4)])),
    ("cat dims", lambda: torch.cat([torch.ones(2, 3), torch.ones(3)])),
    ("cat dim range", lambda: torch.cat([torch.ones(2, 3), torch.ones(2, 3)], dim=2)),
    ("cat empty", lambda: torch.cat([])),
    ("stack shapes", lambda: torch.stack([torch.ones(2), torch.ones(3)])),
    ("view size", lambda: torch.arange(10).view(3, 3)),
    ("reshape size", lambda: torch.arange(6).reshape(4, -1)),
    ("add shapes", lambda: torch.ones(3) + torch.ones(4)),
    ("mul shapes", lambda: torch.ones(2, 3) * torch.ones(3, 2)),
    ("index range", lambda: torch.arange(5)[5]),
    ("index range 2d", lambda: torch.zeros(3, 4)[1, 7]),
    ("negative index", lambda: torch.arange(5)[-6]),
    ("dim range", lambda: torch.ones(2, 3).sum(dim=3)),
    ("transpose range", lambda: torch.ones(2, 3).transpose(0, 2)),
    ("squeeze range", lambda: torch.ones(2, 3).unsqueeze(4)),
    ("permute dims", lambda: torch.ones(2, 3, 4).permute(0, 1)),
    ("item many", lambda: torch.ones(2).item()),
    ("grad int", lambda: torch.tensor([1, 2], requires_grad=True)),
    ("numpy grad", lambda: torch.ones(2, requires_grad=True).numpy()),
    ("long + float inplace", lambda: torch.arange(3).add_(0.5)),
    ("split size", lambda: torch.arange(5).split([2, 2])),
    ("expand", lambda: torch.ones(2, 3).expand(4, 3)),
    ("linear shapes", lambda: torch.nn.functional.linear(torch.ones(4, 3), torch.ones(2, 5))),
    ("chunk zero", lambda: torch.arange(4).chunk(0)),
    ("chunk dim", lambda: torch.ones(2, 3).chunk(2, dim=2)),
    ("cat one tensor", lambda: torch.cat(torch.ones(2))),
    ("dot 2d", lambda: torch.ones(2, 2).dot(torch.ones(2))),
    ("masked_fill long mask", lambda: torch.ones(2).masked_fill(torch.tensor([1, 0]), 0)),
    ("expanded add_", lambda: torch.ones(3, 1).expand(3, 4).add_(1)),
    ("arange step 0", lambda: torch.arange(0, 10, 0)),
    ("arange backwards", lambda: torch.arange(10, 0)),
    ("negative size", lambda: torch.ones(2, -1)),
    ("zeros negative", lambda: torch.zeros(-3)),
    ("linspace steps", lambda: torch.linspace(0, 1, -1)),
    ("eye negative", lambda: torch.eye(-2)),
    ("full str", lambda: torch.full((2,), "a")),
]
for name, fn in mistakes:
    try:
        out = fn()
        print(f"{name}: no error -> {out}")
    except (RuntimeError, IndexError, TypeError, ValueError) as e:
        print(f"{name}: {type(e).__name__}: {e}")

w = torch.ones(3, 2)
batch = torch.arange(12.0).reshape(4, 3)
print((batch @ w).shape, (batch @ w.T.T).sum(), torch.matmul(batch, torch.ones(3)).shape)
print(batch.float().dtype, batch.long() @ torch.ones(3, 1, dtype=torch.long))
print(torch.cat([batch, batch.new_zeros(1, 3)]).shape, torch.stack([batch] * 3, dim=2).shape)

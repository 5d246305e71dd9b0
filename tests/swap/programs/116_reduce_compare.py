# Comparisons, torch.where, clamp, reductions with dim/keepdim, argmax/argmin, sort and topk.
import torch

scores = torch.tensor([[0.2, 0.9, 0.4, 0.9],
                       [1.5, -0.3, 0.0, 2.5],
                       [-1.0, -2.0, -0.5, -3.0]])
print(scores > 0, scores == 0.9, scores.ne(0), scores >= scores.mean())
print(torch.eq(scores, scores.max()), torch.gt(scores, 0.5).sum(), (scores < 0).any(), (scores < 5).all())
print(torch.where(scores > 0, scores, torch.zeros_like(scores)))
print(torch.where(scores > 0, scores, 0.0), torch.where(scores > 0, 1, -1))
print(torch.where(scores > 1.0))
print(torch.where(torch.tensor([True, False]), torch.tensor([1, 2]), torch.tensor([0.5, 0.5])))
print(scores.clamp(min=0), scores.clamp(-1, 1), scores.clamp(max=0.5), torch.clamp(scores, 0, 0.5).sum())
print(torch.tensor([1, 5, 10]).clamp(2, 8), torch.tensor([1, 5, 10]).clamp(min=2.5))
print(scores.sum(), scores.sum(0), scores.sum(dim=1), scores.sum(1, keepdim=True))
print(scores.mean(), scores.mean(dim=0), scores.mean(-1, keepdim=True).shape)
print(scores.max(), scores.min(), scores.max(dim=1), scores.min(0))
values, indices = scores.max(dim=1, keepdim=True)
print(values, indices)
print(scores.argmax(), scores.argmax(dim=1), scores.argmin(dim=0), scores.argmax(1, keepdim=True))
print(torch.argmax(torch.tensor([1, 3, 3, 2])), torch.argmin(torch.tensor([2.0, 1.0, 1.0])))
print(scores.prod(1), scores.std(), scores.var(dim=1), scores.std(0, unbiased=False))
print(scores.abs().sum(dim=(0, 1)), scores.norm(), scores.norm(dim=1), scores.cumsum(1))
print(torch.tensor([[1, 2], [3, 4]]).sum(), torch.tensor([[1, 2], [3, 4]]).sum(0).dtype,
      torch.tensor([True, True, False]).sum(), torch.tensor([1, 2], dtype=torch.int8).sum().dtype)
print(torch.tensor([1, 2, 3]).float().mean(), torch.tensor([[1., 2.], [3., 4.]]).mean((0, 1)))
try:
    torch.tensor([1, 2, 3]).mean()
except RuntimeError as e:
    print("RuntimeError:", e)
s, idx = torch.sort(torch.tensor([3.0, 1.0, 2.0, 1.0]))
print(s, idx)
print(torch.sort(scores, dim=1, descending=True))
print(scores.sort(0).values, scores.argsort(dim=1))
print(torch.topk(torch.tensor([1.0, 5.0, 3.0, 4.0, 2.0]), 3))
print(scores.topk(2, dim=1), scores.topk(1, dim=0, largest=False).indices)
print(torch.tensor([4, 1, 3]).sort(descending=True), torch.kthvalue(torch.tensor([5.0, 1.0, 3.0]), 2))
print(scores.median(), scores.median(dim=1), torch.tensor([1.0, 2.0, 3.0, 4.0]).median())
print(scores.logsumexp(1), scores.softmax(dim=1).sum(1), scores.amax(1), scores.amin((0, 1)))
print(torch.tensor([1.0, float("nan"), 3.0]).max(), torch.tensor([1.0, float("nan")]).sum())
print(torch.tensor([1.0, float("nan"), 3.0]).nansum(), torch.tensor([2.0, float("nan")]).nanmean())
print(torch.maximum(torch.tensor([1, 5]), torch.tensor([3, 2])), torch.minimum(scores[0], scores[1]))
print(torch.equal(scores, scores.clone()), torch.allclose(scores, scores + 1e-9), torch.isclose(scores, scores + 1e-3))
print(scores.count_nonzero(), scores.count_nonzero(dim=0), torch.nonzero(scores < 0))
print(torch.tensor([[1, 0], [0, 3]]).nonzero(as_tuple=True), torch.unique(torch.tensor([3, 1, 3, 2, 1])))
print(torch.unique(torch.tensor([3, 1, 3, 2, 1]), return_counts=True))
try:
    scores.max(dim=2)
except IndexError as e:
    print("IndexError:", e)
try:
    scores.topk(5, dim=1)
except RuntimeError as e:
    print("RuntimeError:", e)
print(abs(torch.tensor([-1, 2])), torch.tensor([1, 2]) == [1, 2], torch.tensor([1, 2]) != (1, 2))
print(torch.tensor([5], dtype=torch.uint8) + -2, torch.tensor([5], dtype=torch.int8) + 300)
try:
    torch.tensor([2]) ** -1
except RuntimeError as e:
    print("RuntimeError:", e)
for op in ("max", "argmax", "min"):
    try:
        getattr(torch.tensor([]), op)()
    except (RuntimeError, IndexError) as e:
        print(type(e).__name__, e)

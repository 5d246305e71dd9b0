# Reduction ops, following the torch.sum / mean / max / std / prod documentation examples.
import torch

a = torch.tensor([[0.2035, 1.2959, 1.8101, -0.4644],
                  [1.5027, -0.3270, 0.5905, 0.6538],
                  [-1.5745, 1.3330, -0.5596, -0.6548],
                  [0.1264, -0.5080, 1.6420, 0.1992]])
print(torch.sum(a, 1))
print(torch.sum(a, (1, 0)))
b = torch.arange(4 * 5 * 6).view(4, 5, 6)
print(torch.sum(b, (2, 1)))
print(torch.mean(a), torch.mean(a, 1), torch.mean(a, 1, True))
print(torch.max(a))
print(torch.max(a, 1))
print(torch.min(a, 0, keepdim=True))
m = torch.max(a, dim=1)
print(m.values, m.indices, m[0].dtype, m[1].dtype)
print(torch.argmax(a), torch.argmax(a, dim=1), torch.argmin(a, dim=0, keepdim=True))
print(torch.std(a, dim=1, keepdim=True))
print(torch.var(a, dim=0, unbiased=False))
print(torch.std(a, dim=1, correction=0))
print(torch.var_mean(a, dim=1))
print(torch.std_mean(a))
c = torch.tensor([[0.5261, -0.3837], [1.1857, -0.2498], [-1.1646, 0.0705], [1.1131, -1.0629]])
print(torch.prod(c, 1))
print(torch.prod(torch.tensor([1, 2, 3, 4])), torch.prod(torch.tensor([1, 2, 3, 4])).dtype)
print(torch.sum(torch.tensor([True, False, True])), torch.tensor([1, 2], dtype=torch.int8).sum().dtype)
print(torch.amax(a, 1), torch.amin(a, (0, 1)))
print(torch.logsumexp(a, 1))
print(torch.norm(a), torch.norm(a, dim=1), torch.norm(a, p=1))
print(torch.all(torch.tensor([True, True, False])), torch.any(torch.tensor([[0, 0], [0, 1]]), dim=1))
print(torch.count_nonzero(torch.tensor([[0, 1, 7], [0, 0, 3]])), torch.count_nonzero(torch.tensor([[0, 1, 7], [0, 0, 3]]), dim=0))
print(torch.median(torch.tensor([1.0, 5.0, 3.0, 2.0])), torch.median(a, 1))
print(torch.mode(torch.tensor([[1, 2, 2, 3], [4, 4, 1, 1]]), 1))
print(torch.nansum(torch.tensor([1.0, float("nan"), 2.0])), torch.nanmean(torch.tensor([1.0, float("nan"), 2.0])))
print(torch.cumsum(torch.arange(5.0), dim=0), torch.cumprod(torch.tensor([1, 2, 3, 4]), 0))
e = torch.tensor([])
print(e.sum(), e.mean(), e.prod())
try:
    e.max()
except Exception as ex:
    print(type(ex).__name__, ex)
try:
    a.sum(dim=2)
except Exception as ex:
    print(type(ex).__name__, ex)
try:
    torch.tensor([1, 2, 3]).mean()
except Exception as ex:
    print(type(ex).__name__, ex)
nan = float("nan")
w = torch.tensor([[1.0, nan, 3.0], [4.0, 5.0, 6.0]])
print(w.max(), w.max(1), w.argmax(1), w.sum(1), w.median(), w.median(1), w.sort(1).values, w.softmax(1))
for bad in (lambda: torch.zeros(0, 3).max(0), lambda: torch.zeros(0, 3).amax(), lambda: torch.zeros(0, 3).argmax(0),
            lambda: torch.tensor([1, 2]).std(), lambda: torch.tensor([1, 2]).softmax(0), lambda: torch.tensor([[1, 2]]).log_softmax(0)):
    try:
        print(bad())
    except Exception as ex:
        print(type(ex).__name__, ex)
print(torch.zeros(0, 3).max(1), torch.zeros(0, 3).sum(0), torch.zeros(3, 0).amax(0), torch.zeros(0, 3).argmin(1))
print(a.sum(dim=-1, keepdim=True).shape, a.mean(dim=(0, 1)), b.float().mean(dim=(0, 2)))

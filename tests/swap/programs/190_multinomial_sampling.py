# torch.multinomial sampling: char-level "text generation" style and weighted draws
import torch

torch.manual_seed(2147483647)
probs = torch.tensor([0.1, 0.2, 0.3, 0.4])
print(torch.multinomial(probs, 1))
print(torch.multinomial(probs, 4))
print(torch.multinomial(probs, 10, replacement=True))
counts = torch.bincount(torch.multinomial(probs, 1000, replacement=True), minlength=4)
print(counts, counts.sum())

# makemore-style bigram sampling
g = torch.Generator().manual_seed(2147483647)
p = torch.rand(3, generator=g)
p = p / p.sum()
print(p)
print(torch.multinomial(p, num_samples=20, replacement=True, generator=g))
N = torch.randint(1, 20, (5, 5), generator=g).float()
P = N / N.sum(1, keepdim=True)
print(P)
out = []
ix = 0
for _ in range(12):
    ix = torch.multinomial(P[ix], num_samples=1, replacement=True, generator=g).item()
    out.append(ix)
print(out)

logits = torch.randn(2, 6)
soft = torch.softmax(logits / 0.8, dim=-1)
print(torch.multinomial(soft, 3))
print(torch.multinomial(torch.tensor([[0.0, 1.0], [1.0, 0.0]]), 1))
w = torch.tensor([1.0, 0.0, 3.0])
print(torch.multinomial(w, 2))
try:
    torch.multinomial(w, 4)
except RuntimeError as e:
    print("RuntimeError:", e)
try:
    torch.multinomial(torch.tensor([-1.0, 2.0]), 1)
except RuntimeError as e:
    print("RuntimeError:", e)
print(torch.bernoulli(torch.full((2, 5), 0.3)))
hard = torch.nn.functional.gumbel_softmax(torch.log(probs).expand(3, 4), tau=0.5, hard=True)
print(hard, hard.grad_fn)

# Generator objects, get_rng_state / set_rng_state, initial_seed, reproducibility checks
import torch

torch.manual_seed(1234)
print(torch.initial_seed())
a = torch.rand(3)
state = torch.get_rng_state()
print(state.dtype, state.shape)
b = torch.rand(3)
torch.set_rng_state(state)
c = torch.rand(3)
print(a, b, c, torch.equal(b, c))

g = torch.Generator()
print(g.initial_seed())
g.manual_seed(0)
print(g.initial_seed(), torch.randn(2, 3, generator=g))
gs = g.get_state()
x1 = torch.randn(4, generator=g)
g.set_state(gs)
x2 = torch.randn(4, generator=g)
print(torch.equal(x1, x2), x1)

torch.manual_seed(0)
r1 = torch.randn(4)
print(torch.equal(r1, torch.randn(4, generator=torch.Generator().manual_seed(0))))

# a helper that makes results reproducible
def set_seed(seed):
    torch.manual_seed(seed)

set_seed(10)
m1 = torch.nn.Linear(3, 2)
set_seed(10)
m2 = torch.nn.Linear(3, 2)
print(torch.equal(m1.weight, m2.weight), m1.weight)

with torch.random.fork_rng():
    torch.manual_seed(5)
    inner = torch.rand(2)
after = torch.rand(2)
print(inner, after)
set_seed(10)
torch.nn.Linear(3, 2)
print(torch.equal(after, torch.rand(2)))
print(torch.normal(mean=torch.zeros(3), std=torch.ones(3) * 2))
print(torch.normal(2.0, 3.0, size=(2, 2)))
print(torch.empty(3).uniform_(-1, 1), torch.empty(3).normal_(5, 0.1))
print(torch.empty(4).random_(0, 10), torch.empty(2).exponential_(2.0))
print(torch.rand(2, 2, dtype=torch.float64))
print(torch.randn(3, dtype=torch.float64))
seed = torch.seed()
print(type(seed).__name__, torch.initial_seed() == seed)
try:
    torch.set_rng_state(torch.zeros(10, dtype=torch.uint8))
except (RuntimeError, TypeError) as e:
    print(type(e).__name__, e)

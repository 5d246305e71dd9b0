import torch
import torch.nn as nn
import torch.nn.functional as F


class Mixture(nn.Module):
    def __init__(self):
        super().__init__()
        self.centers = nn.ParameterList([nn.Parameter(torch.full((2,), float(i))) for i in range(3)])
        self.scales = nn.ParameterDict({"sharp": nn.Parameter(torch.tensor(2.0)),
                                        "base": nn.Parameter(torch.tensor(0.5))})

    def forward(self, x):
        d = torch.stack([F.pairwise_distance(x, c.expand_as(x)) for c in self.centers], dim=1)
        return F.softmin(d * self.scales["sharp"], dim=1) + self.scales["base"]


m = Mixture()
print(m)
print([n for n, _ in m.named_parameters()])
print(list(m.state_dict().keys()))
x = torch.tensor([[0.0, 0.5], [1.0, 1.0], [2.5, 2.0]])
out = m(x)
print(out)
opt = torch.optim.SGD(m.parameters(), lr=0.5)
for step in range(3):
    opt.zero_grad()
    loss = (m(x) * torch.tensor([[1.0, 0.0, 0.0], [0.0, 1.0, 0.0], [0.0, 0.0, 1.0]])).sum().neg()
    loss.backward()
    opt.step()
    print(step, round(loss.item(), 4))
print(m.centers[0], m.scales["sharp"])

pl = nn.ParameterList()
pl.append(torch.ones(2, 2))
pl.extend([torch.zeros(3), nn.Parameter(torch.tensor([1.0], dtype=torch.float64))])
pl.append("label")
print(pl, len(pl), type(pl[0]).__name__)
pd = nn.ParameterDict({"w": torch.ones(2), "b": torch.zeros(1)})
pd.update({"c": torch.ones(1, 3)})
print(pd, list(pd.keys()), "w" in pd, len(pd))
print(pd.pop("b"), list(pd))

vec = nn.utils.parameters_to_vector(m.parameters())
print(vec.shape, vec.grad_fn)
nn.utils.vector_to_parameters(torch.arange(8.0), m.parameters())
print(m.centers[2], m.scales["base"])

bil = nn.Bilinear(2, 3, 2)
with torch.no_grad():
    bil.weight.copy_(torch.arange(12.0).reshape(2, 2, 3) / 10)
    bil.bias.copy_(torch.tensor([0.5, -0.5]))
x1 = torch.tensor([[1.0, -1.0], [0.5, 2.0]], requires_grad=True)
x2 = torch.tensor([[1.0, 0.0, 2.0], [-1.0, 1.0, 0.5]])
yb = bil(x1, x2)
print(bil, yb)
yb.pow(2).sum().backward()
print(x1.grad, bil.weight.grad, bil.bias.grad)

unf = nn.Sequential(nn.Flatten(), nn.Unflatten(1, (3, 2)))
print(unf, unf(torch.arange(12.0).reshape(2, 6)).shape)
print(nn.PairwiseDistance(p=1.0)(x1, torch.ones(2, 2)), nn.CosineSimilarity(dim=0)(x2, x2.flip(0)))

w = torch.empty(4, 2, 3)
nn.init.dirac_(w, groups=2)
print(w)
q = torch.empty(3, 5)
nn.init.orthogonal_(q)
print((q @ q.t() - torch.eye(3)).abs().max() < 1e-5)
t = torch.empty(1000)
nn.init.trunc_normal_(t, std=0.5, a=-1.0, b=1.0)
print(t.min() >= -1.0, t.max() <= 1.0)

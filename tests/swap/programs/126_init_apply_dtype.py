import torch
import torch.nn as nn
from torch.nn.parameter import Parameter


class MLP(nn.Module):
    def __init__(self):
        super().__init__()
        self.layers = nn.Sequential(nn.Linear(3, 4), nn.Tanh(), nn.Linear(4, 4), nn.Tanh())
        self.out = nn.Linear(4, 1, bias=False)
        self.emb = nn.Embedding(5, 3)

    def forward(self, idx):
        return self.out(self.layers(self.emb(idx)))


visited = []


def init_weights(m):
    visited.append(type(m).__name__)
    if isinstance(m, nn.Linear):
        nn.init.xavier_uniform_(m.weight)  # random, then overridden below for determinism
        nn.init.constant_(m.weight, 0.1)
        if m.bias is not None:
            nn.init.zeros_(m.bias)
    elif isinstance(m, nn.Embedding):
        nn.init.normal_(m.weight)
        with torch.no_grad():
            m.weight.copy_(torch.arange(15, dtype=torch.float32).reshape(5, 3) / 15)


model = MLP()
ret = model.apply(init_weights)
print(ret is model)
print(visited)
print(model.layers[0].weight, model.layers[0].bias)
idx = torch.tensor([0, 2, 4])
print(model(idx))

# init functions return the tensor they fill and do not record gradients
w = torch.empty(2, 3)
r = nn.init.constant_(w, 0.5)
print(r is w, w)
print(nn.init.ones_(torch.empty(2)), nn.init.zeros_(torch.empty(1, 2)))
print(nn.init.eye_(torch.empty(2, 3)))
print(nn.init.dirac_(torch.empty(2, 2, 3)))
print(nn.init.calculate_gain("relu"), nn.init.calculate_gain("tanh"), nn.init.calculate_gain("leaky_relu", 0.2))
print(nn.init.calculate_gain("linear"), nn.init.calculate_gain("sigmoid"))
p = model.out.weight
print(isinstance(p, Parameter), Parameter(torch.zeros(2)))
nn.init.constant_(p, 0.25)
print(p.requires_grad, p.grad_fn, p.is_leaf)

# dtype conversion keeps parameter identity
before = model.out.weight
model.double()
print(model.out.weight is before, model.out.weight.dtype, model.emb.weight.dtype)
print(model(idx).dtype)
print(model(idx))
model.to(torch.float32)
print({n: p.dtype for n, p in model.named_parameters()})
model.to(dtype=torch.float64)
print(next(model.parameters()).dtype)
model.float()
print(next(model.parameters()).dtype)


class WithBuffers(nn.Module):
    def __init__(self):
        super().__init__()
        self.register_buffer("scale", torch.tensor([2.0, 3.0]))
        self.register_buffer("counts", torch.tensor([1, 2]))
        self.lin = nn.Linear(2, 2)


wb = WithBuffers().double()
print(wb.scale.dtype, wb.counts.dtype, wb.lin.weight.dtype)
print(wb.to(torch.float16).scale, wb.counts)
try:
    wb.to(torch.int32)
except TypeError as e:
    print("TypeError:", e)
x = torch.ones(1, 2)
try:
    nn.Linear(2, 2).double()(x)
except RuntimeError as e:
    print("RuntimeError:", e)

# "RuntimeError: mat1 and mat2 must have the same dtype" and friends: feeding a model data
# straight from numpy (float64), wrong feature counts, and the usual fixes.
import numpy as np
import torch
import torch.nn as nn


def show(title, fn):
    try:
        print(title, "->", fn())
    except Exception as e:
        print(title, "->", type(e).__name__ + ":", e)


model = nn.Linear(3, 2)
with torch.no_grad():
    model.weight.copy_(torch.tensor([[0.1, -0.2, 0.3], [0.4, 0.5, -0.6]]))
    model.bias.fill_(0.05)

features = np.array([[1.0, 2.0, 3.0], [4.0, 5.0, 6.0]])   # numpy's default float64
x64 = torch.from_numpy(features)
print(x64.dtype, model.weight.dtype)
show("Linear(float64)", lambda: model(x64))
show("x.float()", lambda: model(x64.float()))
show("torch.tensor(..., dtype=float32)", lambda: model(torch.tensor(features, dtype=torch.float32)))
show("model.double()", lambda: nn.Linear(3, 2).double()(x64).dtype)
show("matmul float32 @ float64", lambda: torch.ones(2, 3) @ torch.ones(3, 2, dtype=torch.float64))
show("mm float64 x float32", lambda: torch.mm(x64, model.weight.t()))
show("Linear(int64)", lambda: model(torch.tensor([[1, 2, 3]])))
show("Linear(int64).float()", lambda: model(torch.tensor([[1, 2, 3]]).float()))

# feature count mismatches
show("4 features into Linear(3, 2)", lambda: model(torch.ones(5, 4)))
show("1-D input of 4", lambda: model(torch.ones(4)))
show("1-D input of 3", lambda: model(torch.ones(3)))
show("forgot to flatten images", lambda: nn.Linear(784, 10)(torch.ones(2, 1, 28, 28)))
show("flattened images", lambda: nn.Linear(784, 10)(torch.ones(2, 1, 28, 28).flatten(1)).shape)
show("view(-1, 784)", lambda: torch.ones(2, 1, 28, 28).view(-1, 784).shape)
show("Sequential mismatch", lambda: nn.Sequential(nn.Linear(3, 8), nn.ReLU(), nn.Linear(6, 1))(torch.ones(2, 3)))
show("3-D batch", lambda: model(torch.ones(2, 5, 3)).shape)
show("bmm shapes", lambda: torch.bmm(torch.ones(2, 3, 4), torch.ones(2, 5, 4)))
show("bmm 2-D", lambda: torch.bmm(torch.ones(3, 4), torch.ones(4, 5)))
show("bmm batch", lambda: torch.bmm(torch.ones(2, 3, 4), torch.ones(3, 4, 5)))
show("matmul 3-D", lambda: torch.matmul(torch.ones(2, 3, 4), torch.ones(5, 6)))

# the weight itself as numpy
show("weight from numpy", lambda: nn.Linear(2, 1)(torch.tensor([[1.0, 2.0]])).shape)
layer = nn.Linear(2, 1)
with torch.no_grad():
    layer.weight.copy_(torch.from_numpy(np.array([[0.5, -0.5]])))   # copy_ converts float64
    layer.bias.zero_()
print(layer.weight.dtype, layer(torch.tensor([[2.0, 1.0]])))

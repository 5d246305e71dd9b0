import torch
import torch.nn as nn

lin = nn.Linear(3, 2)
nn.init.constant_(lin.weight, 0.3)
nn.init.zeros_(lin.bias)
print(lin.weight)
print(lin.bias)
nn.init.ones_(lin.bias)
print(lin.bias)
nn.init.eye_(lin.weight)
print(lin.weight)
w = torch.empty(2, 2)
nn.init.constant_(w, -1.5)
print(w)

def init_weights(m):
    if isinstance(m, nn.Linear):
        nn.init.constant_(m.weight, 0.01)
        m.bias.data.fill_(0.02)

net = nn.Sequential(nn.Linear(2, 2), nn.ReLU(), nn.Linear(2, 1))
net.apply(init_weights)
for n, p in net.named_parameters():
    print(n, p.data)
x = torch.tensor([[1.0, 2.0]])
print(net(x))
print(net(x).item())
lin.weight = nn.Parameter(torch.tensor([[1.0, 0.0, 0.0], [0.0, 1.0, 0.0]]))
print(lin(torch.tensor([3.0, 4.0, 5.0])))
print(isinstance(lin.weight, nn.Parameter), isinstance(lin.weight, torch.Tensor))
print(nn.Parameter(torch.tensor([1.0, 2.0])))

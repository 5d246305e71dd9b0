import torch
import torch.nn as nn

net = nn.Sequential(nn.Linear(3, 4), nn.Tanh(), nn.Linear(4, 2))


def init_fn(m):
    if isinstance(m, nn.Linear):
        nn.init.constant_(m.weight, 0.1)
        nn.init.zeros_(m.bias)
        print("init", m)


net.apply(init_fn)
print(net[0].weight)
for p in net[0].parameters():
    p.requires_grad_(False)
print([(n, p.requires_grad) for n, p in net.named_parameters()])
trainable = [p for p in net.parameters() if p.requires_grad]
print(len(trainable), sum(p.numel() for p in trainable))
x = torch.tensor([[1.0, 2.0, 3.0], [-1.0, 0.0, 1.0]])
loss = net(x).pow(2).sum()
loss.backward()
print(net[0].weight.grad)
print(net[2].weight.grad)
print(net[2].bias.grad)
opt = torch.optim.SGD(trainable, lr=0.5)
opt.step()
print(net[2].weight)
print(round(net[0].weight.sum().item(), 5))

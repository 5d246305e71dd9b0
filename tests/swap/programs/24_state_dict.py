import torch
import torch.nn as nn


class Net(nn.Module):
    def __init__(self):
        super().__init__()
        self.fc1 = nn.Linear(4, 8)
        self.act = nn.ReLU()
        self.fc2 = nn.Linear(8, 3)

    def forward(self, x):
        return self.fc2(self.act(self.fc1(x)))


net = Net()
print(net)
sd = net.state_dict()
print(list(sd.keys()))
for k, v in sd.items():
    print(k, tuple(v.shape), v.dtype)
print(sum(p.numel() for p in net.parameters()))
print(sum(p.numel() for p in net.parameters() if p.requires_grad))
for name, p in net.named_parameters():
    print(name, p.shape, p.requires_grad)
for name, m in net.named_children():
    print(name, type(m).__name__)
print(len(list(net.modules())))
print(net.fc1.weight.shape, net.fc1.in_features, net.fc1.out_features)
for p in net.fc1.parameters():
    p.requires_grad = False
print([p.requires_grad for p in net.parameters()])
print(sum(p.numel() for p in net.parameters() if p.requires_grad))

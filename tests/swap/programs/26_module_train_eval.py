import torch
import torch.nn as nn


class Block(nn.Module):
    def __init__(self, n):
        super().__init__()
        self.layers = nn.ModuleList([nn.Linear(n, n) for _ in range(3)])
        self.drop = nn.Dropout(0.5)

    def forward(self, x):
        for layer in self.layers:
            x = torch.relu(layer(x))
        return self.drop(x)


b = Block(2)
print(b.training, b.drop.training)
b.eval()
print(b.training, b.drop.training, b.layers[0].training)
b.train()
print(b.training)
b.train(False)
print(b.training)
print(len(b.layers), type(b.layers[1]).__name__)
print(b.layers[-1])
print(b)
for m in b.layers:
    nn.init.constant_(m.weight, 0.5)
    nn.init.constant_(m.bias, 0.1)
out = b(torch.tensor([[1.0, -1.0]]))
print(out)
seq = nn.Sequential(nn.Linear(2, 4), nn.ReLU(), nn.Linear(4, 1), nn.Sigmoid())
print(seq)
print(seq[0], seq[-1])
print(len(seq))
print(seq[:2])
seq.add_module("extra", nn.Identity())
print(seq)
od = nn.Sequential()
od.append(nn.Linear(1, 1))
print(od)

# nn.init schemes on a few layers
import math
import torch
import torch.nn as nn

torch.manual_seed(2024)
w = torch.empty(3, 5)
print(nn.init.uniform_(w, a=-0.1, b=0.1))
print(nn.init.normal_(w, mean=0.0, std=0.02))
print(nn.init.constant_(w, 0.3))
print(nn.init.ones_(w)[0], nn.init.zeros_(w)[0])
print(nn.init.eye_(torch.empty(3, 4)))
print(nn.init.xavier_uniform_(w, gain=nn.init.calculate_gain('relu')))
print(nn.init.xavier_normal_(w))
print(nn.init.kaiming_uniform_(w, mode='fan_in', nonlinearity='relu'))
print(nn.init.kaiming_normal_(w, mode='fan_out', nonlinearity='relu'))
print(nn.init.trunc_normal_(torch.empty(2, 6), std=0.5, a=-0.5, b=0.5))
print(nn.init.orthogonal_(torch.empty(3, 3)))
for nl in ['linear', 'sigmoid', 'tanh', 'relu', 'selu']:
    print(nl, nn.init.calculate_gain(nl))
print(nn.init.calculate_gain('leaky_relu', 0.2))
conv = nn.Conv2d(2, 4, 3)
nn.init.kaiming_normal_(conv.weight)
nn.init.constant_(conv.bias, 0.1)
print(conv.weight[0, 0], conv.bias)
print(conv.weight.std().item() * math.sqrt(18 / 2))
lin = nn.Linear(4, 3)
with torch.no_grad():
    nn.init.dirac_(torch.empty(2, 2, 3))
print(lin.weight.requires_grad, nn.init.xavier_uniform_(lin.weight).grad_fn)
try:
    nn.init.xavier_uniform_(torch.empty(5))
except ValueError as e:
    print("ValueError:", e)
print(nn.init.dirac_(torch.empty(2, 2, 3)))

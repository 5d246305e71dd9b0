# Weight initialization with Module.apply (DCGAN / ResNet style init functions)
import torch
import torch.nn as nn

torch.manual_seed(8)


def weights_init(m):
    classname = m.__class__.__name__
    if classname.find('Conv') != -1:
        nn.init.normal_(m.weight.data, 0.0, 0.02)
    elif classname.find('BatchNorm') != -1:
        nn.init.normal_(m.weight.data, 1.0, 0.02)
        nn.init.constant_(m.bias.data, 0)


def init_linear(m):
    if isinstance(m, nn.Linear):
        nn.init.xavier_uniform_(m.weight)
        if m.bias is not None:
            m.bias.data.fill_(0.01)


net = nn.Sequential(
    nn.Conv2d(1, 4, 3, bias=False),
    nn.BatchNorm2d(4),
    nn.LeakyReLU(0.2),
    nn.Flatten(),
    nn.Linear(4 * 4 * 4, 5),
)
print(net[0].weight[0, 0])
print(net[4].bias)
ret = net.apply(weights_init)
print(ret is net)
print(net[0].weight[0, 0])
print(net[1].weight, net[1].bias)
net.apply(init_linear)
print(net[4].weight[:, :5])
print(net[4].bias)

visited = []
net.apply(lambda m: visited.append(type(m).__name__))
print(visited)

mlp = nn.Sequential(nn.Linear(6, 8), nn.Tanh(), nn.Linear(8, 2))
for name, p in mlp.named_parameters():
    if 'weight' in name:
        nn.init.kaiming_uniform_(p, a=0, mode='fan_in', nonlinearity='relu')
    else:
        nn.init.zeros_(p)
print(mlp[0].weight[0], mlp[2].bias)
x = torch.randn(3, 6)
print(mlp(x))
net.eval()
print(net(torch.randn(2, 1, 6, 6)).shape)
print(sum(p.numel() for p in net.parameters() if p.requires_grad))

import torch
import torch.nn as nn

# the usual reproducibility preamble
torch.backends.cudnn.deterministic = True
torch.backends.cudnn.benchmark = False
print(torch.backends.cudnn.deterministic, torch.backends.mps.is_available(), torch.cuda.is_available())


class Backbone(nn.Module):
    def __init__(self):
        super().__init__()
        self.conv = nn.Conv2d(1, 2, kernel_size=2)
        self.bn = nn.BatchNorm2d(2)
        self.drop = nn.Dropout(p=0.5)

    def forward(self, x):
        return self.drop(torch.relu(self.bn(self.conv(x)))).flatten(1)


class Net(nn.Module):
    def __init__(self):
        super().__init__()
        self.backbone = Backbone()
        self.head = nn.Linear(8, 3)

    def forward(self, x):
        return self.head(self.backbone(x))


def count(model):
    total = sum(p.numel() for p in model.parameters())
    trainable = sum(p.numel() for p in model.parameters() if p.requires_grad)
    return total, trainable


net = Net()
with torch.no_grad():
    for i, p in enumerate(net.parameters()):
        p.copy_(torch.linspace(-0.5, 0.5 + 0.1 * i, p.numel()).reshape(p.shape))
print(count(net))

# freeze the backbone (fine-tuning)
net.backbone.requires_grad_(False)
print(count(net))
for name, p in net.named_parameters():
    print(f"{name:22s} requires_grad={p.requires_grad}")

x = torch.arange(2 * 1 * 3 * 3, dtype=torch.float32).reshape(2, 1, 3, 3) / 10
target = torch.tensor([0, 2])
print({name: m.training for name, m in net.named_modules()})
net.eval()
print({name: m.training for name, m in net.named_modules()})
out = net(x)
print(out)
print(net.backbone.bn.running_mean, net.backbone.bn.num_batches_tracked)

net.train()
net.backbone.eval()  # keep BatchNorm statistics and Dropout frozen
print(net.training, net.backbone.training, net.backbone.bn.training, net.head.training)
opt = torch.optim.SGD(filter(lambda p: p.requires_grad, net.parameters()), lr=0.1)
print(len(opt.param_groups[0]["params"]))
for step in range(3):
    opt.zero_grad()
    loss = nn.functional.cross_entropy(net(x), target)
    loss.backward()
    opt.step()
    print(step, round(loss.item(), 4))
print(net.backbone.conv.weight.grad, net.head.bias.grad is not None)
print(net.head.bias)
print(net.backbone.bn.running_mean, net.backbone.bn.num_batches_tracked)

# unfreeze only the batchnorm affine parameters
for p in net.backbone.bn.parameters():
    p.requires_grad = True
print(count(net))
print([n for n, p in net.named_parameters() if p.requires_grad])

# training mode updates the running statistics
net.train()
net.backbone.drop.p = 0.0
net(x)
print(net.backbone.bn.running_mean, net.backbone.bn.running_var, net.backbone.bn.num_batches_tracked)
print(net.backbone.drop, net.backbone.drop.training)

# eval() returns the module itself, so calls chain
print(net.eval() is net, net.train(False).training)
try:
    net.train("yes")
except ValueError as e:
    print("ValueError:", e)
with torch.no_grad():
    y = net(x)
print(y.requires_grad, y.grad_fn)

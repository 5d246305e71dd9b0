import torch
import torch.nn as nn
import torch.nn.functional as F


class Net(nn.Module):
    def __init__(self):
        super().__init__()
        self.conv1 = nn.Conv2d(1, 3, kernel_size=3, padding=1, bias=False)  # BatchNorm follows
        self.bn1 = nn.BatchNorm2d(3)
        self.pool = nn.MaxPool2d(2, 2)
        self.conv2 = nn.Conv2d(3, 4, 3, stride=1, bias=False)
        self.fc = nn.Linear(4 * 1 * 1, 2)

    def forward(self, x):
        x = self.pool(F.relu(self.bn1(self.conv1(x))))
        x = F.relu(self.conv2(x))
        x = torch.flatten(x, 1)
        return self.fc(x)


net = Net()
print(net)
for name, p in net.named_parameters():
    print(name, tuple(p.shape))
print(list(net.state_dict().keys()))
with torch.no_grad():
    for i, p in enumerate(net.parameters()):
        p.copy_((torch.arange(p.numel(), dtype=torch.float32) * 0.37 + i).sin().reshape(p.shape) * 0.5)

X = (torch.arange(2 * 36, dtype=torch.float32).reshape(2, 1, 6, 6) * 0.21).cos()
y = torch.tensor([1, 0])
h = net.conv1(X)
print(h.shape, h.grad_fn)
print(h[0, 0])
p = net.pool(h)
print(p.shape, p.grad_fn)
out = net(X)
print(out)
loss = F.cross_entropy(out, y)
print("loss %.4f" % loss.item())
loss.backward()
print(net.conv1.weight.grad[0])
print(net.fc.bias.grad)
print(net.conv2.weight.grad.sum((2, 3)))
print(net.bn1.weight.grad)

opt = torch.optim.Adam(net.parameters(), lr=0.01)
for step in range(4):
    opt.zero_grad()
    loss = F.cross_entropy(net(X), y)
    loss.backward()
    opt.step()
    print("step %d loss %.4f" % (step, loss.item()))
print(net.bn1.running_mean, net.bn1.num_batches_tracked)
net.eval()
with torch.no_grad():
    print(net(X).argmax(1))

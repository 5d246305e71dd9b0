# A small CNN on random "images" (CIFAR-style tutorial network, shrunk)
import torch
import torch.nn as nn
import torch.nn.functional as F

torch.manual_seed(7)


class Net(nn.Module):
    def __init__(self):
        super().__init__()
        self.conv1 = nn.Conv2d(3, 6, 3)
        self.pool = nn.MaxPool2d(2, 2)
        self.conv2 = nn.Conv2d(6, 8, 3)
        self.fc1 = nn.Linear(8 * 2 * 2, 16)
        self.fc2 = nn.Linear(16, 10)

    def forward(self, x):
        x = self.pool(F.relu(self.conv1(x)))
        x = self.pool(F.relu(self.conv2(x)))
        x = torch.flatten(x, 1)
        x = F.relu(self.fc1(x))
        return self.fc2(x)


net = Net()
print(net)
print(net.conv1.weight.shape, net.conv1.weight[0, 0])
print(net.conv2.bias)
images = torch.randn(4, 3, 14, 14)
labels = torch.randint(0, 10, (4,))
print(images.shape, labels)
out = net(images)
print(out.shape, out.grad_fn.name())
print(out[0])
criterion = nn.CrossEntropyLoss()
optimizer = torch.optim.SGD(net.parameters(), lr=0.01, momentum=0.9)
for step in range(4):
    optimizer.zero_grad()
    outputs = net(images)
    loss = criterion(outputs, labels)
    loss.backward()
    optimizer.step()
    print(step, loss.item())
print(net.fc2.bias.grad)
print(net.conv1.bias.grad)
_, predicted = torch.max(net(images), 1)
print(predicted, (predicted == labels).sum().item())
try:
    net(torch.randn(4, 1, 14, 14))
except RuntimeError as e:
    print("RuntimeError:", e)

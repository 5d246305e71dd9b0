# 60 minute blitz, "Neural Networks" section (LeNet on a random 32x32 image)
import torch
import torch.nn as nn
import torch.nn.functional as F

torch.manual_seed(5)


class Net(nn.Module):
    def __init__(self):
        super(Net, self).__init__()
        self.conv1 = nn.Conv2d(1, 6, 5)
        self.conv2 = nn.Conv2d(6, 16, 5)
        self.fc1 = nn.Linear(16 * 5 * 5, 120)
        self.fc2 = nn.Linear(120, 84)
        self.fc3 = nn.Linear(84, 10)

    def forward(self, input):
        c1 = F.relu(self.conv1(input))
        s2 = F.max_pool2d(c1, (2, 2))
        c3 = F.relu(self.conv2(s2))
        s4 = F.max_pool2d(c3, 2)
        s4 = torch.flatten(s4, 1)
        f5 = F.relu(self.fc1(s4))
        f6 = F.relu(self.fc2(f5))
        output = self.fc3(f6)
        return output


net = Net()
print(net)
params = list(net.parameters())
print(len(params))
print(params[0].size())
for p in params:
    print(p.size())
input = torch.randn(1, 1, 32, 32)
out = net(input)
print(out)
net.zero_grad()
out.backward(torch.randn(1, 10))
print(net.conv1.bias.grad)
output = net(input)
target = torch.randn(10)
target = target.view(1, -1)
criterion = nn.MSELoss()
loss = criterion(output, target)
print(loss)
print(loss.grad_fn)
print(loss.grad_fn.next_functions[0][0])
print(loss.grad_fn.next_functions[0][0].next_functions[0][0])
net.zero_grad()
print('conv1.bias.grad before backward')
print(net.conv1.bias.grad)
loss.backward()
print('conv1.bias.grad after backward')
print(net.conv1.bias.grad)
learning_rate = 0.01
for f in net.parameters():
    f.data.sub_(f.grad.data * learning_rate)
print(net.fc3.bias)
import torch.optim as optim
optimizer = optim.SGD(net.parameters(), lr=0.01)
for step in range(3):
    optimizer.zero_grad()
    output = net(input)
    loss = criterion(output, target)
    loss.backward()
    optimizer.step()
    print(step, loss.item())
print(net.conv1.bias)
# the blitz's notes: mini-batches only (input.unsqueeze(0)), walking the graph further
single = torch.randn(1, 32, 32)
print(net(single.unsqueeze(0)).shape)
try:
    net(torch.randn(32, 32))
except RuntimeError as e:
    print(type(e).__name__, e)
fn = loss.grad_fn
depth = 0
while fn is not None and depth < 12:
    print(depth, fn.name(), len(fn.next_functions), type(fn.next_functions[0][0]).__name__)
    nxt = [n[0] for n in fn.next_functions if n[0] is not None and n[0].name() != "torch::autograd::AccumulateGrad"]
    fn = nxt[0] if nxt else None
    depth += 1
# 3 decimals: PyTorch's (oneDNN) convolution backward sums in an order onnxgraft's Conv kernel
# does not reproduce yet (last float32 digit of conv weight gradients)
print(net.conv1.weight.grad[0, 0].round(decimals=3))
print(net.fc1.weight.grad.norm())
print(sum(p.numel() for p in net.parameters()))

import torch
from torch import nn

# 4.5 Concise Implementation of Softmax Regression, plus the overflow discussion
net = nn.Sequential(nn.Flatten(), nn.Linear(6, 3))
print(net)

def init_weights(m):
    if type(m) == nn.Linear:
        with torch.no_grad():
            m.weight.copy_(0.1 * torch.cos(torch.arange(18.0)).reshape(3, 6))
            m.bias.zero_()

net.apply(init_weights)
print(net[1].weight)

loss = nn.CrossEntropyLoss(reduction='none')
trainer = torch.optim.SGD(net.parameters(), lr=0.3)

X = torch.sin(torch.arange(54.0) * 0.7).reshape(9, 2, 3)
y = torch.tensor([0, 1, 2, 0, 1, 2, 0, 1, 2])
X = X + y.reshape(-1, 1, 1) * 0.5

# naive softmax overflows, log-sum-exp does not
o = torch.tensor([[1000.0, 0.0, -1000.0], [1.0, 2.0, 3.0]])
naive = torch.exp(o) / torch.exp(o).sum(1, keepdim=True)
print(naive)
o_max = o.max(dim=1, keepdim=True).values
stable = torch.exp(o - o_max) / torch.exp(o - o_max).sum(1, keepdim=True)
print(stable)
print(torch.log_softmax(o, dim=1))
print(nn.functional.cross_entropy(o, torch.tensor([2, 0])))

def accuracy(y_hat, y):
    y_hat = y_hat.argmax(axis=1)
    return float((y_hat.type(y.dtype) == y).type(y.dtype).sum())

for epoch in range(5):
    net.train()
    total, correct, n = 0.0, 0.0, 0
    for i in range(0, 9, 3):
        y_hat = net(X[i:i + 3])
        l = loss(y_hat, y[i:i + 3])
        trainer.zero_grad()
        l.mean().backward()
        trainer.step()
        total += float(l.sum())
        correct += accuracy(y_hat, y[i:i + 3])
        n += 3
    print(f"epoch {epoch + 1}: loss {total / n:.4f} acc {correct / n:.3f}")
net.eval()
with torch.no_grad():
    print(net(X).argmax(dim=1))
    print(torch.softmax(net(X[:2]), dim=1))
print(l, l.shape)
print(net[1].bias.grad)
# common slip: labels stored as floats cannot pick the predicted probabilities
y_float = torch.tensor([2.0, 0.0])
try:
    print(torch.softmax(o, 1)[[0, 1], y_float])
except IndexError as e:
    print("IndexError:", e)
print(-torch.log(torch.softmax(o, 1)[[0, 1], y_float.long()]), torch.softmax(o, 1)[[], []])

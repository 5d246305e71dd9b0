import torch
import torch.nn as nn
import torch.nn.functional as F

# three classes on a deterministic grid: class = which third of the angle
t = torch.linspace(0, 1, 30)
X = torch.stack([torch.cos(6.2831 * t) * (1 + t), torch.sin(6.2831 * t) * (1 + t)], dim=1)
y = (t * 3).long().clamp(max=2)
print(X.shape, y.shape, y.dtype, torch.bincount(y))


class MLP(nn.Module):
    def __init__(self, n_in=2, n_hidden=8, n_out=3):
        super().__init__()
        self.fc1 = nn.Linear(n_in, n_hidden)
        self.fc2 = nn.Linear(n_hidden, n_out)

    def forward(self, x):
        return self.fc2(F.relu(self.fc1(x)))


def init_weights(m):
    if isinstance(m, nn.Linear):
        with torch.no_grad():
            n_out, n_in = m.weight.shape
            m.weight.copy_(torch.linspace(-0.5, 0.5, n_out * n_in).reshape(n_out, n_in))
            m.bias.fill_(0.01)


model = MLP()
model.apply(init_weights)
print(model)
criterion = nn.CrossEntropyLoss()
optimizer = torch.optim.SGD(model.parameters(), lr=0.2, momentum=0.9)
for epoch in range(1, 61):
    model.train()
    optimizer.zero_grad()
    logits = model(X)
    loss = criterion(logits, y)
    loss.backward()
    optimizer.step()
    if epoch % 15 == 0:
        model.eval()
        with torch.no_grad():
            preds = model(X).argmax(dim=1)
            acc = (preds == y).float().mean().item()
        print(f"Epoch {epoch:02d} loss: {loss.item():.4f} accuracy: {acc * 100:.1f}%")
print(loss.grad_fn, logits.grad_fn)

model.eval()
with torch.no_grad():
    out = model(X[:5])
    probs = F.softmax(out, dim=1)
    conf, pred = torch.max(probs, 1)
print(out.requires_grad, probs.sum(dim=1))
print(pred, conf.round(decimals=4))
_, predicted = torch.max(model(X).data, 1)
correct = (predicted == y).sum().item()
print(f"Accuracy of the network: {100 * correct // len(y)} %", type(correct).__name__)
print(torch.argmax(out, dim=-1, keepdim=True).squeeze(-1).tolist())

# common mistakes
try:
    criterion(logits, y.float())
except RuntimeError as e:
    print("RuntimeError:", e)
try:
    criterion(logits, y.int())
except RuntimeError as e:
    print("RuntimeError:", e)
try:
    criterion(logits, y[:10])
except ValueError as e:
    print("ValueError:", e)
try:
    criterion(logits, F.one_hot(y, 3))
except RuntimeError as e:
    print("RuntimeError:", e)
print(criterion(logits, F.one_hot(y, 3).float()))
try:
    criterion(logits, y + 1)
except IndexError as e:
    print("IndexError:", e)
loss = criterion(model(X), y)
loss.backward()
try:
    loss.backward()
except RuntimeError as e:
    print("RuntimeError:", str(e)[:90])

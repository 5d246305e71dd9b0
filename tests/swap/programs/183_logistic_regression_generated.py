# Logistic regression on two gaussian blobs
import torch
import torch.nn as nn
import torch.nn.functional as F

torch.manual_seed(3)
n = 40
x0 = torch.randn(n, 2) + torch.tensor([2.0, 2.0])
x1 = torch.randn(n, 2) - torch.tensor([2.0, 2.0])
X = torch.cat([x0, x1])
y = torch.cat([torch.zeros(n), torch.ones(n)])
print(X.shape, y.shape, X[:2], X[-2:])


class LogisticRegression(nn.Module):
    def __init__(self):
        super().__init__()
        self.linear = nn.Linear(2, 1)

    def forward(self, x):
        return torch.sigmoid(self.linear(x))


model = LogisticRegression()
print(list(model.parameters()))
criterion = nn.BCELoss()
optimizer = torch.optim.SGD(model.parameters(), lr=0.1)
for epoch in range(20):
    out = model(X).squeeze(1)
    loss = criterion(out, y)
    optimizer.zero_grad()
    loss.backward()
    optimizer.step()
    if epoch % 5 == 4:
        print(epoch, f"{loss.item():.6f}", out.grad_fn.name())
with torch.no_grad():
    pred = (model(X).squeeze() > 0.5).float()
    print("accuracy", (pred == y).float().mean().item())
    print(model.linear.weight, model.linear.bias)

# the same with logits + BCEWithLogitsLoss
torch.manual_seed(3)
lin = nn.Linear(2, 1)
opt = torch.optim.Adam(lin.parameters(), lr=0.05)
for epoch in range(10):
    logits = lin(X).view(-1)
    loss = F.binary_cross_entropy_with_logits(logits, y)
    opt.zero_grad()
    loss.backward()
    opt.step()
print(f"{loss.item():.6f}", loss.grad_fn)
print(lin.weight.grad)

import torch
import torch.nn as nn

# two 2-D blobs, linearly separable
X = torch.tensor([[1.0, 2.0], [1.5, 1.8], [2.0, 2.5], [0.5, 1.0], [1.2, 0.8],
                  [-1.0, -2.0], [-1.5, -1.0], [-2.0, -0.5], [-0.5, -1.5], [-1.2, -0.8]])
y = torch.tensor([1, 1, 1, 1, 1, 0, 0, 0, 0, 0], dtype=torch.float32).unsqueeze(1)


class LogisticRegression(nn.Module):
    def __init__(self):
        super().__init__()
        self.linear = nn.Linear(2, 1)

    def forward(self, x):
        return torch.sigmoid(self.linear(x))


model = LogisticRegression()
nn.init.constant_(model.linear.weight, 0.1)
nn.init.zeros_(model.linear.bias)
criterion = nn.BCELoss()
optimizer = torch.optim.SGD(model.parameters(), lr=0.5)
for epoch in range(50):
    y_hat = model(X)
    loss = criterion(y_hat, y)
    optimizer.zero_grad()
    loss.backward()
    optimizer.step()
    if epoch % 10 == 9:
        pred = (y_hat > 0.5).float()
        acc = (pred == y).sum().item() / y.size(0)
        print(f"epoch {epoch + 1}: loss={loss.item():.5f} acc={acc:.2f}")
print(model.linear.weight, model.linear.bias)
with torch.no_grad():
    probs = model(X)
print(probs.squeeze().round(decimals=3))
print(probs.ge(0.5).squeeze(), (probs.round() == y).float().mean())

# the same with logits and BCEWithLogitsLoss (numerically stable)
logit_model = nn.Linear(2, 1)
with torch.no_grad():
    logit_model.weight.fill_(0.1)
    logit_model.bias.fill_(0.0)
crit2 = nn.BCEWithLogitsLoss()
opt2 = torch.optim.SGD(logit_model.parameters(), lr=0.5)
for epoch in range(50):
    opt2.zero_grad()
    loss2 = crit2(logit_model(X), y)
    loss2.backward()
    opt2.step()
print(f"logits loss {loss2.item():.5f}", loss2.grad_fn)
print(torch.allclose(logit_model.weight, model.linear.weight), logit_model.weight.data)
pw = nn.BCEWithLogitsLoss(pos_weight=torch.tensor([2.0]))
print(pw(logit_model(X), y).item() > loss2.item(), nn.BCELoss(reduction="sum")(probs, y))
print(nn.BCELoss(reduction="none")(probs[:3], y[:3]))

# common mistakes
try:
    criterion(probs, y.squeeze())
except ValueError as e:
    print("ValueError:", e)
try:
    criterion(probs, y.long())
except RuntimeError as e:
    print("RuntimeError:", e)
try:
    criterion(model.linear(X), y)  # logits are not probabilities
except RuntimeError as e:
    print("RuntimeError:", e)
try:
    crit2(logit_model(X), y.squeeze(1))
except ValueError as e:
    print("ValueError:", e)

import torch
import torch.nn as nn

torch.manual_seed(0)
X = torch.tensor([[0.1, 0.9], [0.8, 0.2], [0.4, 0.6], [0.9, 0.1], [0.3, 0.7], [0.6, 0.4]])
y = torch.tensor([1, 0, 1, 0, 1, 0])
model = nn.Linear(2, 2)
with torch.no_grad():
    model.weight.copy_(torch.tensor([[0.5, -0.5], [-0.3, 0.3]]))
    model.bias.zero_()
opt = torch.optim.SGD(model.parameters(), lr=1.0)
for epoch in range(3):
    model.train()
    for i in range(0, 6, 2):
        xb, yb = X[i:i + 2], y[i:i + 2]
        opt.zero_grad()
        loss = nn.functional.cross_entropy(model(xb), yb)
        loss.backward()
        opt.step()
    model.eval()
    with torch.no_grad():
        logits = model(X)
        preds = logits.argmax(dim=1)
        acc = (preds == y).float().mean()
        print(epoch, preds, acc, acc.item(), logits.requires_grad)
        probs = logits.softmax(-1)
        print(probs.max(dim=1).values.round(decimals=3))
        print(torch.is_grad_enabled())
print(torch.is_grad_enabled())
correct = 0
with torch.no_grad():
    for xb, yb in zip(X.split(4), y.split(4)):
        correct += (model(xb).argmax(1) == yb).sum().item()
print(correct, correct / len(y))

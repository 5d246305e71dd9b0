import torch
import torch.nn as nn

logits = torch.tensor([0.8, -1.2, 2.0, -0.3], requires_grad=True)
labels = torch.tensor([1.0, 0.0, 1.0, 1.0])
crit = nn.BCEWithLogitsLoss()
loss = crit(logits, labels)
loss.backward()
print(loss)
print(logits.grad)
probs = torch.sigmoid(logits)
print(probs)
bce = nn.BCELoss()(probs, labels)
print(round(bce.item(), 6), round(loss.item(), 6))
print((probs > 0.5).long())
print(((probs > 0.5).float() == labels).sum().item())

# logistic regression
X = torch.tensor([[0.0, 0.0], [0.0, 1.0], [1.0, 0.0], [1.0, 1.0]])
y = torch.tensor([[0.0], [0.0], [0.0], [1.0]])
model = nn.Sequential(nn.Linear(2, 1))
nn.init.constant_(model[0].weight, 0.0)
nn.init.constant_(model[0].bias, 0.0)
opt = torch.optim.SGD(model.parameters(), lr=1.0)
for i in range(300):
    opt.zero_grad()
    l = nn.functional.binary_cross_entropy_with_logits(model(X), y)
    l.backward()
    opt.step()
    if i % 100 == 0:
        print(i, round(l.item(), 4))
print((torch.sigmoid(model(X)) > 0.5).int().squeeze())

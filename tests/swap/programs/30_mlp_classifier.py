import torch
import torch.nn as nn
import torch.nn.functional as F

# XOR with a tiny MLP and deterministic weights
X = torch.tensor([[0.0, 0.0], [0.0, 1.0], [1.0, 0.0], [1.0, 1.0]])
y = torch.tensor([0, 1, 1, 0])


class MLP(nn.Module):
    def __init__(self):
        super(MLP, self).__init__()
        self.hidden = nn.Linear(2, 4)
        self.out = nn.Linear(4, 2)

    def forward(self, x):
        x = F.relu(self.hidden(x))
        return self.out(x)


model = MLP()
with torch.no_grad():
    model.hidden.weight.copy_(torch.tensor([[1.0, -1.0], [-1.0, 1.0], [0.5, 0.5], [-0.5, 0.7]]))
    model.hidden.bias.copy_(torch.tensor([0.0, 0.0, -0.5, 0.1]))
    model.out.weight.copy_(torch.tensor([[0.2, 0.1, 0.3, -0.2], [-0.1, 0.3, -0.2, 0.4]]))
    model.out.bias.zero_()
optimizer = torch.optim.Adam(model.parameters(), lr=0.05)
loss_fn = nn.CrossEntropyLoss()
for epoch in range(200):
    optimizer.zero_grad()
    logits = model(X)
    loss = loss_fn(logits, y)
    loss.backward()
    optimizer.step()
    if epoch % 50 == 0:
        correct = (logits.argmax(dim=1) == y).sum().item()
        print("epoch %d loss %.4f acc %d/4" % (epoch, loss.item(), correct))
model.eval()
with torch.no_grad():
    pred = model(X).argmax(1)
print(pred, pred.tolist() == y.tolist())
print(F.softmax(model(X), dim=1).detach().round(decimals=2))

import torch
import torch.nn as nn

x = torch.linspace(-1, 1, 20).unsqueeze(1)
y = 3 * x - 0.5
model = nn.Linear(1, 1)
with torch.no_grad():
    model.weight.fill_(0.1)
    model.bias.fill_(0.0)
criterion = nn.MSELoss()
optimizer = torch.optim.SGD(model.parameters(), lr=0.1)
for epoch in range(100):
    optimizer.zero_grad()
    out = model(x)
    loss = criterion(out, y)
    loss.backward()
    optimizer.step()
    if (epoch + 1) % 20 == 0:
        print('Epoch [{}/{}], Loss: {:.4f}'.format(epoch + 1, 100, loss.item()))
print(model.weight.data, model.bias.data)
print([round(p.item(), 3) for p in model.parameters()])
print(model)

import torch
import torch.nn as nn

model = nn.Linear(2, 1)
nn.init.constant_(model.weight, 1.0)
nn.init.constant_(model.bias, 0.0)
opt = torch.optim.SGD(model.parameters(), lr=0.1)
x = torch.tensor([[1.0, 2.0]])
print(model.weight.grad)
model(x).sum().backward()
print(model.weight.grad, model.bias.grad)
opt.zero_grad()
print(model.weight.grad)
model(x).sum().backward()
opt.zero_grad(set_to_none=False)
print(model.weight.grad)
model(x).sum().backward()
model.zero_grad()
print(model.weight.grad)
model(x).sum().backward()
model(x).sum().backward()
print(model.weight.grad)
opt.step()
print(model.weight)
for p in model.parameters():
    p.grad = None
print([p.grad for p in model.parameters()])

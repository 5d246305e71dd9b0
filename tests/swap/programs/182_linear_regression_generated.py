# Linear regression on generated data: y = 2x - 1 + noise (blog-post style)
import torch
import torch.nn as nn

torch.manual_seed(1)
x = torch.rand(50, 1) * 10
noise = torch.randn(50, 1) * 0.5
y = 2 * x - 1 + noise
print(x[:3].flatten(), y[:3].flatten())
print(x.mean().item(), y.std().item())

# from scratch
w = torch.randn(1, requires_grad=True)
b = torch.zeros(1, requires_grad=True)
print("init", w, b)
lr = 0.01
for epoch in range(30):
    y_hat = x * w + b
    loss = ((y_hat - y) ** 2).mean()
    loss.backward()
    with torch.no_grad():
        w -= lr * w.grad
        b -= lr * b.grad
        w.grad.zero_()
        b.grad.zero_()
    if epoch % 10 == 9:
        print(epoch, loss.item(), w.item(), b.item())

# nn.Linear + SGD
model = nn.Linear(1, 1)
print(model.weight, model.bias)
opt = torch.optim.SGD(model.parameters(), lr=0.01)
loss_fn = nn.MSELoss()
for epoch in range(40):
    opt.zero_grad()
    loss = loss_fn(model(x), y)
    loss.backward()
    opt.step()
    if epoch % 10 == 0:
        print(f"epoch {epoch}: loss {loss.item()}")
print(model.weight.item(), model.bias.item())
print(model.state_dict())

# closed form with lstsq-free normal equations
X = torch.cat([x, torch.ones_like(x)], dim=1)
theta = torch.inverse(X.t() @ X) @ X.t() @ y
print(theta.flatten())
with torch.no_grad():
    print(model(torch.tensor([[4.0]])))

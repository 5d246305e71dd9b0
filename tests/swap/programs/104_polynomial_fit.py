import math
import torch

# the classic "fit sin(x) with a third-order polynomial" tutorial, deterministic start; the
# target is a polynomial stand-in for sin (odd, one bump per side)
dtype = torch.float
x = torch.linspace(-math.pi, math.pi, 2000, dtype=dtype)
y = 0.98 * x - 0.15 * x ** 3 + 0.005 * x ** 3 * x ** 2

a = torch.tensor(0.1, dtype=dtype, requires_grad=True)
b = torch.tensor(-0.2, dtype=dtype, requires_grad=True)
c = torch.tensor(0.05, dtype=dtype, requires_grad=True)
d = torch.tensor(0.0, dtype=dtype, requires_grad=True)
learning_rate = 1e-6
for t in range(2000):
    y_pred = a + b * x + c * x ** 2 + d * x ** 3
    loss = (y_pred - y).pow(2).sum()
    if t % 400 == 399:
        print(t, loss.item())
    loss.backward()
    with torch.no_grad():
        a -= learning_rate * a.grad
        b -= learning_rate * b.grad
        c -= learning_rate * c.grad
        d -= learning_rate * d.grad
        a.grad = None
        b.grad = None
        c.grad = None
        d.grad = None
print(f'Result: y = {a.item()} + {b.item()} x + {c.item()} x^2 + {d.item()} x^3')

# nn version: features x^1..x^3 through nn.Linear + Flatten
xx = torch.stack([x, x ** 2, x ** 3], dim=-1)
print(xx.shape, xx.dtype, xx.stride())
model = torch.nn.Sequential(torch.nn.Linear(3, 1), torch.nn.Flatten(0, 1))
with torch.no_grad():
    model[0].weight.copy_(torch.tensor([[0.5, 0.0, -0.05]]))
    model[0].bias.zero_()
loss_fn = torch.nn.MSELoss(reduction='sum')
optimizer = torch.optim.Adam(model.parameters(), lr=1e-3)
for t in range(1000):
    y_pred = model(xx)
    loss = loss_fn(y_pred, y)
    if t % 250 == 99:
        print(t, round(loss.item(), 2))
    optimizer.zero_grad()
    loss.backward()
    optimizer.step()
linear_layer = model[0]
print(f'Result: y = {linear_layer.bias.item():.4f} + {linear_layer.weight[:, 0].item():.4f} x + '
      f'{linear_layer.weight[:, 1].item():.4f} x^2 + {linear_layer.weight[:, 2].item():.4f} x^3')
print(model)
print(y_pred.shape, y_pred.grad_fn, model[1](torch.ones(2, 1)).shape)

# closed form least squares check on a small problem
xs = torch.tensor([-2.0, -1.0, 0.0, 1.0, 2.0, 3.0])
ys = 1.0 - 2.0 * xs + 0.5 * xs ** 2
A = torch.stack([torch.ones_like(xs), xs, xs ** 2], dim=1)
coef = torch.linalg.solve(A.T @ A, A.T @ ys)
print(coef.round(decimals=4))
w = torch.zeros(3, requires_grad=True)
opt = torch.optim.Adam([w], lr=0.1)
for step in range(300):
    opt.zero_grad()
    l = ((A @ w - ys) ** 2).mean()
    l.backward()
    opt.step()
print(w.detach().round(decimals=2), f"{l.item():.2e}" if l.item() > 1e-3 else "converged")

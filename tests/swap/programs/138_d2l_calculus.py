import math
import torch

# 2.4 Calculus (d2l.ai): limits, derivatives, partials and the chain rule
def f(x):
    return 3 * x ** 2 - 4 * x

for h in 10.0 ** torch.arange(-1, -6, -1, dtype=torch.float64):
    print(f'h={h:.5f}, numerical limit={(f(1 + h) - f(1)) / h:.5f}')

x = torch.tensor(1.0, requires_grad=True)
y = f(x)
y.backward()
print(y, x.grad)

# tangent line at x = 1: y = 2x - 3
xs = torch.arange(0, 3, 0.5)
print(xs, f(xs), 2 * xs - 3)

# derivative of several functions at once
x = torch.linspace(0.5, 2.5, 5, requires_grad=True)
y = x ** 3 - 1 / x
g, = torch.autograd.grad(y.sum(), x)
print(g)
print(3 * x.detach() ** 2 + 1 / x.detach() ** 2)
print(torch.allclose(g, 3 * x.detach() ** 2 + x.detach() ** -2))

# partial derivatives and gradients: f(x) = x^T A x, grad = (A + A^T) x
A = torch.tensor([[1.0, 2.0], [0.5, -1.0]])
x = torch.tensor([1.0, -2.0], requires_grad=True)
y = x @ A @ x
y.backward()
print(y.item(), x.grad, (A + A.T) @ x.detach())

# ||x||^2 has gradient 2x; the Frobenius norm squared of X has gradient 2X
X = torch.arange(6.0).reshape(2, 3).requires_grad_()
(torch.norm(X) ** 2).backward()
print(X.grad)
X.grad = None
torch.norm(X).backward()
print(X.grad)

# chain rule: y = sin(u), u = x^2 -> dy/dx = cos(x^2) 2x
x = torch.tensor([0.0, 0.5, 1.0, 1.5], requires_grad=True)
u = x ** 2
y = torch.sin(u)
u.retain_grad()
y.sum().backward()
print(u.grad, x.grad)
print(torch.cos(x.detach() ** 2) * 2 * x.detach())

# exercises: f(x) = 1/x derivative, exp(x) identity
x = torch.tensor([1.0, 2.0, 4.0], requires_grad=True)
(1 / x).sum().backward()
print(x.grad)
x = torch.tensor([0.0, 1.0, math.log(3.0)], requires_grad=True)
torch.exp(x).sum().backward()
print(x.grad, torch.exp(x))
x = torch.tensor(2.0, requires_grad=True)
y = torch.log(x ** 2 + torch.sin(x))
(dy,) = torch.autograd.grad(y, x, create_graph=True)
print(dy, dy.grad_fn is not None)
(d2y,) = torch.autograd.grad(dy, x)
print(round(d2y.item(), 5))
# common slip: integer powers (10 ** negative ints truncates to 0 in integer arithmetic)
print(10 ** torch.arange(-1, -4, -1), 10.0 ** torch.arange(-1, -4, -1))
try:
    print(torch.arange(1, 4) ** -1)
except RuntimeError as e:
    print("RuntimeError:", e)
print(torch.tensor([1, -1, 2]) ** torch.tensor([-1, -3, 2]))

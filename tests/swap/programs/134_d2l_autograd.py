import torch

# 2.5 Automatic Differentiation (d2l.ai)
x = torch.arange(4.0)
x.requires_grad_(True)
print(x, x.grad)
y = 2 * torch.dot(x, x)
print(y)
y.backward()
print(x.grad, x.grad == 4 * x)

x.grad.zero_()
x.sum().backward()
print(x.grad)

# backward for non-scalar variables
x.grad.zero_()
y = x * x
print(y.grad_fn)
y.backward(gradient=torch.ones(len(y)))
print(x.grad)
x.grad.zero_()
(x * x).sum().backward()
print(x.grad)
# detaching computation
x.grad.zero_()
y = x * x
u = y.detach()
z = u * x
z.sum().backward()
print(x.grad == u)
print(u.requires_grad, u.grad_fn, z.grad_fn)
x.grad.zero_()
y.sum().backward()
print(x.grad == 2 * x)

# gradients and Python control flow
def f(a):
    b = a * 2
    while b.norm() < 1000:
        b = b * 2
    if b.sum() > 0:
        c = b
    else:
        c = 100 * b
    return c

for start in (0.75, -1.25):
    a = torch.tensor(start, requires_grad=True)
    d = f(a)
    d.backward()
    print(d, a.grad, a.grad == d / a)

a = torch.tensor([0.5, -0.25, 1.0], requires_grad=True)
d = f(a)
d.sum().backward()
print(d, a.grad)
# exercise: second call to backward fails without retain_graph
x = torch.arange(4.0, requires_grad=True)
y = 2 * torch.dot(x, x)
y.backward(retain_graph=True)
y.backward()
print(x.grad)
y = (x ** 3).sum()
y.backward()
try:
    y.backward()
except RuntimeError as e:
    print("RuntimeError:", str(e).split(".")[0])

# exercise: plot-free derivative of sin
x = torch.linspace(0, 3.0, 7, requires_grad=True)
y = torch.sin(x)
y.sum().backward()
print(y.detach(), x.grad, torch.allclose(x.grad, torch.cos(x.detach())), sep="\n")
try:
    y = x * x
    y.backward()
except RuntimeError as e:
    print("RuntimeError:", e)

# Stack Overflow: "grad can be implicitly created only for scalar outputs", grad_outputs, and Jacobians.
import torch

x = torch.tensor([1.0, 2.0, 3.0], requires_grad=True)
y = x ** 2
try:
    y.backward()
except Exception as e:
    print(type(e).__name__, e)
y.backward(torch.ones_like(y), retain_graph=True)
print(x.grad)
x.grad = None
y.backward(torch.tensor([0.1, 1.0, 0.0001]), retain_graph=True)
print(x.grad)
x.grad = None
try:
    y.backward(torch.ones(2))
except Exception as e:
    print(type(e).__name__, e)
try:
    torch.autograd.grad(y, x)
except Exception as e:
    print(type(e).__name__, e)
g, = torch.autograd.grad(y, x, grad_outputs=torch.tensor([1.0, 0.0, 2.0]), retain_graph=True)
print(g)
# Jacobian row by row with one-hot grad_outputs
rows = []
for i in range(3):
    v = torch.zeros(3)
    v[i] = 1.0
    rows.append(torch.autograd.grad(y, x, grad_outputs=v, retain_graph=True)[0])
print(torch.stack(rows))
print(torch.autograd.functional.jacobian(lambda t: t ** 2, torch.tensor([1.0, 2.0, 3.0])))
print(torch.autograd.functional.jacobian(lambda a, b: a * b, (torch.tensor([1.0, 2.0]), torch.tensor([3.0, 4.0]))))
# mean vs sum vs explicit weights
for reduce in ("sum", "mean"):
    w = torch.tensor([[1.0, 2.0], [3.0, 4.0]], requires_grad=True)
    out = w * w
    getattr(out, reduce)().backward()
    print(reduce, w.grad)
w = torch.tensor([[1.0, 2.0], [3.0, 4.0]], requires_grad=True)
(w * w).backward(gradient=torch.full((2, 2), 0.25))
print(w.grad)
# multiple outputs at once
a = torch.tensor(2.0, requires_grad=True)
o1, o2 = a * 3, a ** 3
torch.autograd.backward([o1, o2], [torch.tensor(1.0), torch.tensor(0.5)])
print(a.grad)
ga, = torch.autograd.grad([a * 3, a ** 2], [a])
print(ga)
ga2, = torch.autograd.grad([a * 3, a ** 2], [a], grad_outputs=[torch.tensor(2.0), None])
print(ga2)
try:
    torch.autograd.grad([a * 3, a ** 2], [a], grad_outputs=[torch.tensor(1.0)])
except Exception as e:
    print(type(e).__name__, e)
try:
    torch.autograd.grad(a * 3, a, grad_outputs=torch.ones(2))
except Exception as e:
    print(type(e).__name__, e)
m = torch.tensor([[1.0, -1.0], [2.0, 0.5]], requires_grad=True)
out = m @ torch.tensor([[2.0], [3.0]])
print(out.shape, out.grad_fn)
out.backward(torch.tensor([[1.0], [-1.0]]))
print(m.grad)
s = torch.tensor(5.0, requires_grad=True)
(s * 2).backward(torch.tensor(3.0))
print(s.grad)
try:
    (s * 2).backward(torch.tensor([3.0]))
except Exception as e:
    print(type(e).__name__, e)
z = torch.tensor([1.0, 2.0], requires_grad=True)
(z.sum() * 0).backward()
print(z.grad, torch.autograd.grad(z.sum(), z, grad_outputs=torch.tensor(2.0))[0])

# 高阶导数: create_graph=True 与 torch.autograd.grad
import torch

x = torch.tensor([3.], requires_grad=True)
y = torch.pow(x, 2)
grad_1 = torch.autograd.grad(y, x, create_graph=True)
print(grad_1)
grad_2 = torch.autograd.grad(grad_1[0], x)
print(grad_2)

# n-th derivatives of x**4 at x = 2 by repeated grad
t = torch.tensor(2., requires_grad=True)
f = t ** 4
derivs = []
cur = f
for n in range(1, 5):
    cur, = torch.autograd.grad(cur, t, create_graph=True)
    derivs.append(cur)
    print(n, cur)
print([d.item() for d in derivs])

# sin: derivatives cycle
s = torch.tensor([0.0, 1.0], requires_grad=True)
out = torch.sin(s)
d1, = torch.autograd.grad(out.sum(), s, create_graph=True)
d2, = torch.autograd.grad(d1.sum(), s, create_graph=True)
d3, = torch.autograd.grad(d2.sum(), s)
print(d1, d2, d3, sep="\n")

# grad_outputs plays the role of backward's gradient
a = torch.tensor([1., 2., 3.], requires_grad=True)
b = a ** 3
ga, = torch.autograd.grad(b, a, grad_outputs=torch.tensor([1., 1., 0.5]))
print(ga)
try:
    torch.autograd.grad(b, a)
except RuntimeError as e:
    print(type(e).__name__, e)

# unused inputs
u = torch.tensor(1., requires_grad=True)
v = torch.tensor(2., requires_grad=True)
w = u * 3
try:
    torch.autograd.grad(w, [u, v], retain_graph=True)
except RuntimeError as e:
    print(type(e).__name__, e)
gu, gv = torch.autograd.grad(w, [u, v], allow_unused=True, retain_graph=True)
print(gu, gv)
gu, gv = torch.autograd.grad(w, [u, v], allow_unused=True, materialize_grads=True)
print(gu, gv)

# gradient penalty style: grad norm is differentiable
p = torch.tensor([1., -2.], requires_grad=True)
loss = (p ** 3).sum()
g, = torch.autograd.grad(loss, p, create_graph=True)
penalty = g.pow(2).sum()
print(g, penalty)
penalty.backward()
print(p.grad)
print(g.requires_grad, g.is_leaf, g.grad_fn.name())

# without create_graph the first derivative is a constant
q = torch.tensor(1.5, requires_grad=True)
gq, = torch.autograd.grad(q ** 2, q)
print(gq, gq.requires_grad)
try:
    torch.autograd.grad(gq, q)
except RuntimeError as e:
    print(type(e).__name__, e)

# inputs are only leaves? no: grads w.r.t. an intermediate tensor work too
m = torch.tensor([1., 2.], requires_grad=True)
h = m * 2
o = (h ** 2).sum()
gh, gm = torch.autograd.grad(o, [h, m])
print(gh, gm)

# derivatives of tanh: each level is a new differentiable graph
th = torch.tensor(0.5, requires_grad=True)
cur = torch.tanh(th)
for n in range(1, 4):
    cur, = torch.autograd.grad(cur, th, create_graph=True)
    print(n, cur)

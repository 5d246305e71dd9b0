# 梯度累加与清零, retain_graph 与二次反向传播报错
import torch

w = torch.tensor([1.], requires_grad=True)
x = torch.tensor([2.], requires_grad=True)
a = torch.add(w, x)
b = torch.add(w, 1)
y = torch.mul(a, b)
y.backward(retain_graph=True)
print(w.grad)
y.backward()
print(w.grad)
try:
    y.backward()
except RuntimeError as e:
    print(type(e).__name__, ":", e)

# gradients accumulate across iterations unless zeroed
w = torch.tensor([1.], requires_grad=True)
for i in range(3):
    a = torch.add(x, w)
    b = torch.add(w, 1)
    y = torch.mul(a, b)
    y.backward()
    print(i, w.grad, x.grad)
x.grad = None
for i in range(3):
    y = torch.mul(torch.add(x, w), torch.add(w, 1))
    y.backward()
    print(i, w.grad)
    w.grad.zero_()
print(w.grad)

# old-style zeroing through .data
w1 = torch.tensor([1.0, 2.0, 3.0], requires_grad=True)
d = torch.mean(w1)
d.backward(retain_graph=True)
print(w1.grad)
d.backward()
print(w1.grad)
w1.grad.data.zero_()
print(w1.grad)

# a graph with a saved tensor (exp saves its result) also refuses a second pass
u = torch.tensor([0.5, 1.0], requires_grad=True)
v = u.exp().sum()
v.backward()
try:
    v.backward()
except RuntimeError as e:
    print(type(e).__name__)
    print(str(e).split(". ")[0])

# torch.autograd.grad frees the graph too
p = torch.tensor(2.0, requires_grad=True)
q = p.sin() * p
g1, = torch.autograd.grad(q, p, retain_graph=True)
g2, = torch.autograd.grad(q, p)
print(g1, g2, torch.equal(g1, g2))
try:
    torch.autograd.grad(q, p)
except RuntimeError as e:
    print("second grad:", type(e).__name__)

# sum of a mean over part of a parameter
w2 = torch.tensor([[1., 2., 3.], [4., 5., 6.]], requires_grad=True)
res = torch.mean(w2[1])
res.backward()
print(w2.grad)

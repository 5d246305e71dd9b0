# 原地操作(in-place)与版本计数器: 为什么 backward 会报 "modified by an inplace operation"
import torch

a = torch.ones((1,))
print(a, a._version)
a = a + torch.ones((1,))
print(a, a._version)
a += torch.ones((1,))
print(a, a._version)
a.add_(torch.ones((1,)))
print(a, a._version)
a.mul_(2).sub_(1)
print(a, a._version)

# in-place on a leaf that requires grad
w = torch.tensor([1.], requires_grad=True)
x = torch.tensor([2.], requires_grad=True)
y = torch.mul(torch.add(w, x), torch.add(w, 1))
try:
    w.add_(1)
except RuntimeError as e:
    print(type(e).__name__, e)
try:
    w[0] = 5.0
except RuntimeError as e:
    print(type(e).__name__, e)
try:
    w.view(1).mul_(2)
except RuntimeError as e:
    print(type(e).__name__, e)
with torch.no_grad():
    w.add_(1)
print(w, w._version, w.is_leaf)
try:
    y.backward()
except RuntimeError as e:
    print(type(e).__name__, e)

# modifying a saved tensor: exp saves its output
p = torch.tensor([0., 1., 2.], requires_grad=True)
q = p.exp()
print(q._version)
q.add_(1)
print(q._version, q.grad_fn)
try:
    q.sum().backward()
except RuntimeError as e:
    print(type(e).__name__, e)

# multiplication saves its inputs, addition does not
r = torch.tensor([1., 2.], requires_grad=True)
s = r * 2
t = s + 1
s.mul_(3)
t.sum().backward()
print(r.grad, s, s.grad_fn)

r.grad = None
s = r * 2
u = s * s
s.add_(1)
try:
    u.sum().backward()
except RuntimeError as e:
    print(type(e).__name__, e)

# item assignment is an in-place op too
k = torch.tensor([1., 2., 3.], requires_grad=True)
y = k * 2
y[0] = 0.
print(y, y._version)
y[1:] = k[:2] ** 2
print(y)
y.sum().backward()
print(k.grad)
g = k.sigmoid()
g[2] = 1.0
try:
    g.sum().backward()
except RuntimeError as e:
    print(type(e).__name__, e)
# an in-place op on a view writes into its base, which gets a CopySlices history
base = k * 1
base[:2].mul_(10)
base[2:].clamp_(max=2.5)
print(base, base.grad_fn)
k.grad = None
base.sum().backward()
print(k.grad)

# Variable 已经废弃? .data 与 .detach() 的区别
import torch
from torch.autograd import Variable

x = Variable(torch.ones(2, 2), requires_grad=True)
print(x)
print(type(x).__name__, isinstance(x, torch.Tensor))
print(x.data)
print(x.grad)
print(x.grad_fn)
y = x + 2
print(y)
print(y.grad_fn)

v = Variable(torch.ones([1]), requires_grad=True)
y = 0.5 * (v + 1).pow(2)
z = torch.log(y)
z.backward()
print(v.grad)
print(y.grad)

w1 = Variable(torch.Tensor([1.0, 2.0, 3.0]), requires_grad=True)
w2 = Variable(torch.Tensor([1.0, 2.0, 3.0]), requires_grad=True)
print(w1.grad, w2.grad)
zz = w1 * w2 + w1
res = torch.mean(zz)
res.backward()
print(w1.grad, w2.grad)
w1.data.sub_(0.1 * w1.grad.data)
print(w1)

# .data and .detach() share storage with the original tensor
a = torch.tensor([1., 2., 3.], requires_grad=True)
out = a.sigmoid()
c = out.data
print(c.requires_grad, c.is_leaf)
c.zero_()
print(out)
out.sum().backward()          # silently wrong: sigmoid's saved output was changed
print(a.grad)

a = torch.tensor([1., 2., 3.], requires_grad=True)
out = a.sigmoid()
d = out.detach()
print(d.requires_grad, d.grad_fn)
d.zero_()
print(out)
try:
    out.sum().backward()      # detach shares the version counter: the change is detected
except RuntimeError as e:
    print(type(e).__name__, e)

# detach() then requires_grad_() starts a new leaf
e = a.detach().requires_grad_()
print(e.is_leaf, e.requires_grad)
(e * 3).sum().backward()
print(e.grad, a.grad)

# .data on a leaf lets an update bypass autograd
p = torch.tensor([0.5, -0.5], requires_grad=True)
for step in range(3):
    loss = (p ** 2).sum()
    loss.backward()
    p.data -= 0.25 * p.grad.data
    p.grad.data.zero_()
    print(step, p, loss.item())
print(p.data.numpy().tolist(), p.detach().numpy().tolist())
try:
    p.numpy()
except RuntimeError as e:
    print(type(e).__name__, e)

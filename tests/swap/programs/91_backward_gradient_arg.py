# backward() 的 gradient 参数: 非标量输出需要传入与输出同形状的权重
import torch

x = torch.tensor([1., 2., 3.], requires_grad=True)
y = x * x

# mistake 1: calling backward on a non-scalar output
try:
    y.backward()
except RuntimeError as e:
    print(type(e).__name__, e)

# passing gradient= gives a vector-Jacobian product
y.backward(gradient=torch.tensor([1., 0.1, 0.01]), retain_graph=True)
print(x.grad)
x.grad = None

# the same thing through torch.autograd.backward
torch.autograd.backward([y], grad_tensors=[torch.ones_like(y)])
print(x.grad)

# mistake 2: a gradient whose shape does not match the output
z = x.exp()
try:
    z.backward(torch.ones(2))
except RuntimeError as e:
    print(type(e).__name__, e)

# weighting several losses at once (grad_tensors as loss weights)
w = torch.tensor([1.], requires_grad=True)
v = torch.tensor([2.], requires_grad=True)
a = torch.add(w, v)
b = torch.add(w, 1)
y0 = torch.mul(a, b)
y1 = torch.add(a, b)
loss = torch.cat([y0, y1], dim=0)
print(loss)
loss.backward(gradient=torch.tensor([1., 2.]))
print(w.grad, v.grad)

# several roots at once
p = torch.tensor(3., requires_grad=True)
l1 = p ** 2
l2 = p * 4
torch.autograd.backward([l1, l2], [torch.tensor(1.), torch.tensor(0.5)])
print(p.grad)

# mistake 3: backward through a tensor that never required grad
q = torch.tensor([1., 2.])
try:
    (q * 2).sum().backward()
except RuntimeError as e:
    print(type(e).__name__, e)

# mistake 4: a scalar gradient with a different dtype is fine, an int one too?
r = torch.tensor(2., requires_grad=True)
s = r ** 3
s.backward(torch.tensor(2.))
print(r.grad)

# gradient for a 2-D output
m = torch.arange(6., requires_grad=True)
n = m.view(2, 3) * 2
n.backward(torch.tensor([[1., 0., 0.], [0., 0., 1.]]))
print(m.grad)
print(n.shape, m.grad.shape)

# backward on a 1-element (non 0-dim) tensor works without gradient
t = torch.tensor([4.], requires_grad=True)
(t.sqrt()).backward()
print(t.grad)

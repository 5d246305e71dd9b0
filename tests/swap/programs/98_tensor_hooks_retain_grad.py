# 半小时学会 PyTorch Hook: register_hook 修改梯度, retain_grad 保存中间梯度
import torch

x = torch.tensor([0., 1., 2., 3.], requires_grad=True)
y = torch.tensor([4., 5., 6., 7.], requires_grad=True)
w = torch.tensor([1., 2., 3., 4.], requires_grad=True)
z = x + y
z.retain_grad()
o = w.matmul(z)
o.backward()
print("x.grad", x.grad)
print("y.grad", y.grad)
print("w.grad", w.grad)
print("z.grad", z.grad)
print("o.grad", o.grad)
print(z.retains_grad, o.retains_grad, x.retains_grad)

# a hook that prints the gradient flowing into an intermediate tensor
grads = {}
def save_grad(name):
    def hook(grad):
        grads[name] = grad
    return hook

x.grad = y.grad = w.grad = None
z = x + y
handle = z.register_hook(save_grad("z"))
o = w.matmul(z)
o.backward()
print(grads["z"], handle)
handle.remove()

# a hook that changes the gradient
a = torch.tensor([1., 2., 3.], requires_grad=True)
b = a * 2
b.register_hook(lambda g: g * 10)
b.sum().backward()
print(a.grad)

# hooks on a leaf change what is accumulated into .grad
c = torch.tensor([1., -1.], requires_grad=True)
c.register_hook(lambda g: g.clamp(min=0))
(c * torch.tensor([3., -3.])).sum().backward()
print(c.grad)

# hooks run in the order they were registered; returning None keeps the gradient
d = torch.tensor(2., requires_grad=True)
e = d ** 2
e.register_hook(lambda g: print("first sees", g))
e.register_hook(lambda g: g + 1)
e.register_hook(lambda g: print("third sees", g))
e.backward()
print(d.grad)

# mistake: a hook on a tensor that does not require grad
q = torch.ones(2)
try:
    q.register_hook(lambda g: g)
except RuntimeError as err:
    print(type(err).__name__, err)

# retain_grad on a leaf is a no-op, on a non-leaf it keeps .grad
r = torch.tensor([1., 2.], requires_grad=True)
r.retain_grad()
s = r.exp()
s.retain_grad()
t = s.sum()
t.retain_grad()
t.backward()
print(r.grad, s.grad, t.grad, s.is_leaf)

# a hook must return a gradient of the same size and type
k = torch.tensor([1., 2.], requires_grad=True)
k2 = k * 2
k2.register_hook(lambda g: g.sum())
try:
    k2.sum().backward()
except RuntimeError as err:
    print(type(err).__name__, err)
# grad_fn pre-hooks see the tuple of output gradients
k3 = k * 3
k3.grad_fn.register_prehook(lambda gs: print("prehook", len(gs), gs[0]) or (gs[0] * 2,))
k3.sum().backward()
print(k.grad)

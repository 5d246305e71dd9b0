import torch

x = torch.tensor([1.0, 2.0, 3.0], requires_grad=True)
y = x * 2
y.retain_grad()
h = y.register_hook(lambda g: g * 10)
z = (y ** 2).sum()
z.backward()
print(y.grad)
print(x.grad)
h.remove()

seen = []
a = torch.tensor([0.5, -0.5], requires_grad=True)
a.register_hook(lambda g: seen.append(g.clone()))
b = (a.exp() * 2).sum()
b.backward()
print(seen)
print(a.grad)

def clip_hook(grad):
    print("hook got", grad)
    return grad.clamp(-1, 1)

p = torch.tensor([2.0, -3.0, 0.1], requires_grad=True)
p.register_hook(clip_hook)
(p ** 2).sum().backward()
print(p.grad)

n = torch.tensor([1.0])
try:
    n.register_hook(lambda g: g)
except Exception as e:
    print(type(e).__name__, e)

import torch

x = torch.tensor([1.0, -2.0, 3.0], requires_grad=True)
h = x * 3
h.register_hook(lambda g: g * 0.5)
h2 = h.relu()
h2.register_hook(lambda g: print("h2 grad", g))
out = (h2 ** 2).sum()
out.backward(retain_graph=True)
print(x.grad)
for i in range(2):
    out.backward(retain_graph=True)
    print(i, x.grad)
x.grad.zero_()
out.backward()
print(x.grad)
try:
    out.backward()
except RuntimeError as e:
    print("RuntimeError", str(e).split(".")[0])
w = torch.tensor(2.0, requires_grad=True)
mid = w * w
mid.retain_grad()
mid.register_hook(lambda g: g + 1)
(mid * 3).backward()
print(mid.grad, w.grad)
a = torch.tensor([1.0, 2.0], requires_grad=True)
calls = []
handle = a.register_hook(lambda g: calls.append(g.tolist()))
(a * 2).sum().backward()
handle.remove()
(a * 5).sum().backward()
print(calls, a.grad)

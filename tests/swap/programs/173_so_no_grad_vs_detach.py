# Stack Overflow: torch.no_grad() vs .detach() vs .data vs requires_grad_(False).
import torch

w = torch.tensor([1.0, -2.0, 3.0], requires_grad=True)
with torch.no_grad():
    a = w * 2
print(a, a.requires_grad, a.grad_fn, a.is_leaf)
b = (w * 2).detach()
print(b, b.requires_grad, b.grad_fn, b.is_leaf)
c = w.data * 2
print(c.requires_grad)
# detach shares storage: in-place on the detached tensor changes the original
d = w.detach()
d[0] = 100.0
print(w, w._version, d._version)
# the same with .data: autograd does not see the change
e = torch.tensor([1.0, 2.0], requires_grad=True)
f = e.sigmoid()
f.data.mul_(0)
f.sum().backward()
print(e.grad)
g = torch.tensor([1.0, 2.0], requires_grad=True)
h = g.sigmoid()
h.detach().zero_()
try:
    h.sum().backward()
    print(g.grad)
except Exception as ex:
    print(type(ex).__name__, ex)
# no_grad inside a function used both ways
def predict(x, weight):
    return (x * weight).sum()
x = torch.tensor([0.5, 0.5, 0.5])
with torch.no_grad():
    p = predict(x, w)
print(p, p.requires_grad)
q = predict(x, w)
print(q.requires_grad, q.grad_fn)
@torch.no_grad()
def evaluate(x):
    return x * w
print(evaluate(x).requires_grad, torch.is_grad_enabled())
with torch.no_grad():
    print(torch.is_grad_enabled())
    with torch.enable_grad():
        r = w * 3
    print(r.requires_grad, r.grad_fn)
with torch.set_grad_enabled(False):
    print((w + 1).requires_grad)
torch.set_grad_enabled(True)
with torch.inference_mode():
    inf = w * 2
print(inf.requires_grad, torch.is_inference_mode_enabled(), inf.is_inference())
# a detached copy used as a target, the usual fix for "trying to backward through the graph a second time"
target = (w * 0.5).detach()
loss = ((w - target) ** 2).sum()
loss.backward()
print(w.grad, target.requires_grad)
# new leaf from a detached value
leaf = w.detach().clone().requires_grad_(True)
print(leaf.is_leaf, leaf.requires_grad, leaf.grad_fn)
(leaf ** 2).sum().backward()
print(leaf.grad)
with torch.no_grad():
    w -= 0.1 * w.grad
print(w, w.requires_grad, w.is_leaf, w.grad_fn)
try:
    w.numpy()
except Exception as ex:
    print(type(ex).__name__, ex)
print(w.detach().numpy(), w.detach().numpy().dtype)

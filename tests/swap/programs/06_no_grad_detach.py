import torch

x = torch.ones(2, 2, requires_grad=True)
y = x * 3
print(y.requires_grad)
with torch.no_grad():
    z = x * 3
print(z.requires_grad, z.grad_fn)
d = y.detach()
print(d.requires_grad, d.is_leaf, d)
print(torch.is_grad_enabled())
with torch.no_grad():
    print(torch.is_grad_enabled())
    with torch.enable_grad():
        q = x * 2
    print(q.requires_grad)
with torch.set_grad_enabled(False):
    r = x + 1
print(r.requires_grad)
torch.set_grad_enabled(True)

a = torch.tensor([1.0, 2.0])
print(a.requires_grad)
a.requires_grad_()
print(a.requires_grad)
a.requires_grad_(False)
print(a.requires_grad)
b = torch.tensor([3.0], requires_grad=True)
c = b * 2
try:
    c.requires_grad_(False)
except Exception as e:
    print(type(e).__name__, e)


@torch.no_grad()
def infer(t):
    return t * 10

print(infer(b))
print(infer(b).requires_grad)
with torch.inference_mode():
    k = b * 5
print(k.requires_grad)

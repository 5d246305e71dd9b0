# Stack Overflow: "Why is my .grad None?" -- the classic answers, one by one.
import torch

# 1. non-leaf tensors do not keep .grad
a = torch.tensor([1.0, 2.0], requires_grad=True)
b = a * 2
b.sum().backward()
print(a.grad, b.grad, a.is_leaf, b.is_leaf)
# 2. .to()/.double() after requires_grad makes a non-leaf copy
w = torch.tensor([0.5, 1.5], requires_grad=True).double()
(w * 3).sum().backward()
print(w.grad, w.is_leaf, w.grad_fn)
w2 = torch.tensor([0.5, 1.5], dtype=torch.float64, requires_grad=True)
(w2 * 3).sum().backward()
print(w2.grad, w2.is_leaf, w2.grad_fn)
w3 = torch.tensor([0.5, 1.5]).to(torch.float64).requires_grad_()
(w3 * 3).sum().backward()
print(w3.grad, w3.is_leaf)
# 3. retain_grad keeps an intermediate's gradient
c = torch.tensor([3.0, -1.0], requires_grad=True)
d = c.relu()
d.retain_grad()
(d * d).sum().backward()
print(c.grad, d.grad, d.retains_grad, c.retains_grad)
# 4. in-place on a leaf that requires grad
leaf = torch.tensor([1.0, 2.0], requires_grad=True)
try:
    leaf += 1
except Exception as e:
    print(type(e).__name__, e)
with torch.no_grad():
    leaf += 1
print(leaf, leaf.grad, leaf.requires_grad)
# 5. gradients accumulate until zeroed
p = torch.tensor([1.0, 1.0], requires_grad=True)
for i in range(3):
    (p * (i + 1)).sum().backward()
    print(i, p.grad)
p.grad = None
print(p.grad)
# 6. building the tensor from a python float breaks the graph
q = torch.tensor(2.0, requires_grad=True)
broken = torch.tensor(q.item() * 3.0)
print(broken.requires_grad, broken.grad_fn)
# 7. re-wrapping with torch.tensor copies and detaches
r = torch.tensor([1.0, 2.0], requires_grad=True)
copied = r.clone().detach()
print(copied.requires_grad, r.detach().requires_grad)
# 8. accessing .grad of a non-leaf warns and gives None; check with is_leaf
e = (r * r).mean()
e.backward()
print(r.grad, e.grad_fn.name(), e.is_leaf)
# 9. requires_grad on a non-leaf cannot be turned off
try:
    e.requires_grad = False
except Exception as ex:
    print(type(ex).__name__, ex)
# 10. integer tensors cannot require grad
try:
    torch.tensor([1, 2], requires_grad=True)
except Exception as ex:
    print(type(ex).__name__, ex)
try:
    torch.tensor([1.0]).backward()
except Exception as ex:
    print(type(ex).__name__, ex)

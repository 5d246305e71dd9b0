# 计算图里的叶子节点与 grad_fn: is_leaf, requires_grad, next_functions
import torch

w = torch.tensor([1.], requires_grad=True)
x = torch.tensor([2.], requires_grad=True)
a = torch.add(w, x)
b = torch.add(w, 1)
y = torch.mul(a, b)

print("is_leaf:", w.is_leaf, x.is_leaf, a.is_leaf, b.is_leaf, y.is_leaf)
print("requires_grad:", a.requires_grad, b.requires_grad, y.requires_grad)
print("grad_fn:", w.grad_fn, y.grad_fn.name())
print(y)
print(type(y.grad_fn).__name__, type(a.grad_fn).__name__)

# walk the graph from y back to the leaves
def walk(fn, depth=0):
    if fn is None:
        return
    print("  " * depth + fn.name())
    for nxt, idx in fn.next_functions:
        if nxt is not None and hasattr(nxt, "variable"):
            print("  " * (depth + 1) + "AccumulateGrad ->", nxt.variable.tolist(), idx)
        else:
            walk(nxt, depth + 1)

walk(y.grad_fn)
print(len(y.grad_fn.next_functions), len(b.grad_fn.next_functions))
print(b.grad_fn.next_functions[1])

y.backward()
print("w.grad:", w.grad, "x.grad:", x.grad)
print("a.grad:", a.grad)

# leaves created by the user vs. tensors derived from them
c = torch.ones(2, 2)
print(c.is_leaf, c.requires_grad, c.grad_fn)
d = c * 2
print(d.is_leaf, d.requires_grad)
e = torch.ones(2, 2, requires_grad=True) * 2
print(e.is_leaf, e.requires_grad, e.grad_fn.name())
f = e.detach()
print(f.is_leaf, f.requires_grad, f.grad_fn)

# dtype and device of tensors in the graph
print(y.dtype, y.device, w.grad.dtype, y.shape, y.grad_fn is not None)
z = torch.arange(4.).reshape(2, 2).requires_grad_()
print(z)
s = (z @ z).sum()
print(s, s.grad_fn.next_functions[0][0].name())

# only floating point tensors can require gradients
try:
    torch.tensor([1, 2, 3], requires_grad=True)
except RuntimeError as err:
    print(type(err).__name__, err)
try:
    torch.arange(3).requires_grad_()
except RuntimeError as err:
    print(type(err).__name__, err)
h = torch.tensor([1., 2.], dtype=torch.float64, requires_grad=True)
print(h, (h * h).sum())

# saved tensors (Autograd mechanics): what a node keeps for its backward
s = torch.tensor([0.5, 1.5], requires_grad=True)
p = s.pow(2)
print(s.equal(p.grad_fn._saved_self), s is p.grad_fn._saved_self, p.grad_fn._saved_exponent)
r = s.exp()
print(r.equal(r.grad_fn._saved_result), r is r.grad_fn._saved_result)
print(r.grad_fn._saved_result, s.sum().grad_fn._saved_self_sym_sizes, s.sum().grad_fn.metadata)
r.sum().backward()
try:
    r.grad_fn._saved_result
except RuntimeError as err:
    print(type(err).__name__, str(err)[:60])

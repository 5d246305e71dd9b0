# PyTorch beginner tutorial "Automatic Differentiation with torch.autograd"
import torch

torch.manual_seed(1)
x = torch.ones(5)
y = torch.zeros(3)
w = torch.randn(5, 3, requires_grad=True)
b = torch.randn(3, requires_grad=True)
z = torch.matmul(x, w) + b
loss = torch.nn.functional.binary_cross_entropy_with_logits(z, y)
print(w, b)
print(z)
print(loss)
print(f"Gradient function for z = {z.grad_fn}")
print(f"Gradient function for loss = {loss.grad_fn}")
loss.backward()
print(w.grad)
print(b.grad)
z = torch.matmul(x, w) + b
print(z.requires_grad)
with torch.no_grad():
    z = torch.matmul(x, w) + b
print(z.requires_grad)
z = torch.matmul(x, w) + b
z_det = z.detach()
print(z_det.requires_grad)
# the same with a batch: z = x @ w + b
xb = torch.randn(4, 5)
yb = torch.randint(0, 2, (4, 3)).float()
zb = xb @ w + b
lb = torch.nn.functional.binary_cross_entropy_with_logits(zb, yb)
print(lb.item())
w.grad = None
b.grad = None
lb.backward()
print(w.grad)
print(b.grad)
inp = torch.eye(4, 5, requires_grad=True)
out = (inp + 1).pow(2).t()
out.backward(torch.ones_like(out), retain_graph=True)
print(f"First call\n{inp.grad}")
out.backward(torch.ones_like(out), retain_graph=True)
print(f"\nSecond call\n{inp.grad}")
inp.grad.zero_()
out.backward(torch.ones_like(out), retain_graph=True)
print(f"\nCall after zeroing gradients\n{inp.grad}")
v = torch.randn(5, 4)
inp.grad.zero_()
out.backward(v)
print(inp.grad)
# the autograd tutorial's optional reading, and functional variants of the loss
w2 = torch.randn(5, 3, requires_grad=True)
b2 = torch.zeros(3, requires_grad=True)
z2 = xb @ w2 + b2
for red in ["mean", "sum", "none"]:
    print(red, torch.nn.functional.binary_cross_entropy_with_logits(z2, yb, reduction=red))
pw = torch.tensor([1.0, 2.0, 0.5])
l2 = torch.nn.functional.binary_cross_entropy_with_logits(z2, yb, pos_weight=pw)
print(l2, l2.grad_fn)
l2.backward()
print(w2.grad)
print(b2.grad)
bce = torch.nn.BCEWithLogitsLoss(weight=torch.tensor([0.2, 0.3, 0.5]))
print(bce(z2, yb))
p = torch.sigmoid(z2)
print(torch.nn.functional.binary_cross_entropy(p, yb), p.grad_fn)
print(z2.grad_fn.next_functions)
print(loss.grad_fn.next_functions)
print(torch.is_grad_enabled(), z2.is_leaf, w2.is_leaf, z2.detach().is_leaf)
with torch.no_grad():
    w2 -= 0.1 * w2.grad
print(w2.requires_grad, w2.grad_fn, w2[0])

import torch

w = torch.tensor([1.0, -1.0], requires_grad=True)
for step in range(3):
    loss = (w * torch.tensor([2.0, 3.0])).sum()
    loss.backward()
    print(step, w.grad)

w.grad.zero_()
print("after zero_", w.grad)
w.grad = None
print("after None", w.grad)

# accumulate over micro-batches, then average
data = torch.arange(6, dtype=torch.float32).reshape(3, 2)
p = torch.ones(2, requires_grad=True)
for row in data:
    l = (row * p).sum() / 3
    l.backward()
print(p.grad)
print(p.grad.sum().item())
print(p.is_leaf, l.is_leaf, data.is_leaf)

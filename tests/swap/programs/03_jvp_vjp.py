import torch

x = torch.tensor([1.0, 2.0, 3.0], requires_grad=True)
y = x * 2
for _ in range(3):
    y = y * 2
print(y)
v = torch.tensor([0.1, 1.0, 0.0001], dtype=torch.float32)
y.backward(v)
print(x.grad)

inp = torch.eye(4, 5, requires_grad=True)
out = (inp + 1).pow(2).t()
out.backward(torch.ones_like(out), retain_graph=True)
print(f"First call\n{inp.grad}")
out.backward(torch.ones_like(out), retain_graph=True)
print(f"\nSecond call\n{inp.grad}")
inp.grad.zero_()
out.backward(torch.ones_like(out), retain_graph=True)
print(f"\nCall after zeroing gradients\n{inp.grad}")

a = torch.tensor([[1.0, 2.0], [3.0, 4.0]], requires_grad=True)
g = torch.autograd.grad(a.pow(2).sum(), a)
print(g)

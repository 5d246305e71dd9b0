import torch

inp = torch.tensor([[1.0, -1.0], [0.5, 2.0]], requires_grad=True)
m1 = torch.tensor([[1.0, 2.0, 3.0], [-1.0, 0.0, 1.0]], requires_grad=True)
m2 = torch.tensor([[0.5, 1.0], [2.0, -1.0], [1.0, 1.5]], requires_grad=True)
for kw in ({}, {"beta": 0.5, "alpha": 2}, {"beta": 0}):
    out = torch.addmm(inp, m1, m2, **kw)
    for t in (inp, m1, m2):
        t.grad = None
    (out * torch.tensor([[1.0, 2.0], [3.0, 4.0]])).sum().backward()
    print(out, inp.grad, m1.grad, m2.grad, sep="\n")
bias = torch.tensor([0.25, -0.25], requires_grad=True)
out = bias.addmm(m1, m2, alpha=-1)
out.sum().backward()
print(out, bias.grad)
b1 = torch.arange(12.0).reshape(2, 2, 3).requires_grad_()
b2 = (torch.arange(12.0).reshape(2, 3, 2) - 5).requires_grad_()
base = torch.ones(2, 2, 2, requires_grad=True)
out = torch.baddbmm(base, b1, b2, beta=2, alpha=0.5)
out.sum().backward()
print(out, out.grad_fn.name(), base.grad, b1.grad, b2.grad, sep="\n")
out = torch.addbmm(torch.zeros(2, 2), b1, b2)
print(out, out.grad_fn.name())
vec = torch.tensor([1.0, -1.0, 2.0], requires_grad=True)
out = torch.addmv(torch.tensor([1.0, 1.0]), m1, vec, alpha=3)
out.sum().backward()
print(out, out.grad_fn.name(), vec.grad)
out = torch.addr(torch.eye(2), torch.tensor([1.0, 2.0]), torch.tensor([3.0, 4.0]), beta=2)
print(out, out.grad_fn.name() if out.grad_fn else None)
t = torch.zeros(2, 2)
t.addmm_(m1.detach(), m2.detach())
print(t)
for bad in (lambda: torch.addmm(inp, m1, m1), lambda: torch.addmm(torch.ones(3, 2), m1, m2),
            lambda: torch.addmm(inp, vec, m2), lambda: torch.addmm(inp, m1, m2.double()),
            lambda: torch.baddbmm(base, b1, b1), lambda: torch.addmv(torch.ones(2), m1, torch.ones(4)),
            lambda: torch.addmv(torch.ones(2), m1, m1), lambda: torch.addr(inp, inp, vec)):
    try:
        bad()
    except RuntimeError as e:
        print("RuntimeError:", e)

# a linear layer written with addmm, trained with plain SGD
torch.manual_seed(0)
X = torch.linspace(-1, 1, 12).reshape(6, 2)
Y = X @ torch.tensor([[2.0], [-1.0]]) + 0.5
W = torch.zeros(2, 1, requires_grad=True)
c = torch.zeros(1, requires_grad=True)
for step in range(30):
    loss = ((torch.addmm(c, X, W) - Y) ** 2).mean()
    loss.backward()
    with torch.no_grad():
        W -= 0.3 * W.grad
        c -= 0.3 * c.grad
        W.grad.zero_()
        c.grad.zero_()
    if step % 10 == 0:
        print(step, round(loss.item(), 4))
print(W, c)

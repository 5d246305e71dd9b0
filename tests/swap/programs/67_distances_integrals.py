import torch
import torch.nn as nn

pts = torch.tensor([[0.0, 0.0], [3.0, 4.0], [1.0, 1.0]], requires_grad=True)
ref = torch.tensor([[0.0, 1.0], [2.0, 2.0]], requires_grad=True)
for p in (2.0, 1.0, float("inf"), 3.0):
    d = torch.cdist(pts, ref, p=p)
    pts.grad = None
    d.sum().backward()
    print(p, d, d.grad_fn.name(), pts.grad, sep="\n")
d = torch.cdist(pts, pts)
pts.grad = None
d.sum().backward()
print(d, pts.grad)
print(torch.cdist(pts.detach().unsqueeze(0), ref.detach().unsqueeze(0)).shape)
e = torch.dist(pts, torch.zeros(3, 2))
print(e, e.grad_fn.name(), torch.dist(pts, pts, p=1))
print(torch.dist(torch.tensor([1.0, 2.0]), torch.tensor([4.0, 6.0]), 3))
y = torch.tensor([[1.0, 4.0, 9.0, 16.0], [2.0, 2.0, 2.0, 2.0]], requires_grad=True)
x = torch.tensor([0.0, 1.0, 3.0, 4.0])
for out in (torch.trapz(y), torch.trapezoid(y, x), torch.trapezoid(y, dx=0.5), torch.trapezoid(y, dim=0),
            torch.trapz(y, x)):
    y.grad = None
    out.sum().backward()
    print(out, out.grad_fn.name(), y.grad)
print(torch.trapezoid(torch.tensor([1, 2, 3])), torch.trapz(torch.ones(2, 0)))


class Prototypes(nn.Module):
    """Nearest-prototype scores: negative squared distances via einsum, mixed by a tiled weight."""

    def __init__(self):
        super().__init__()
        self.protos = nn.Parameter(torch.tensor([[0.5, 0.0], [0.0, 0.5], [-0.5, -0.5]]))
        self.scale = nn.Parameter(torch.tensor([1.0]))

    def forward(self, x):
        diff = x.unsqueeze(1) - self.protos.unsqueeze(0)
        d2 = torch.einsum('npk,npk->np', diff, diff)
        return -d2 * self.scale.tile((3,))


model = Prototypes()
opt = torch.optim.SGD(model.parameters(), lr=0.1)
X = torch.tensor([[1.0, 0.2], [0.1, 1.2], [-1.0, -0.8], [0.9, -0.1], [-0.2, 1.0], [-0.7, -1.1]])
T = torch.tensor([0, 1, 2, 0, 1, 2])
loss_fn = nn.CrossEntropyLoss()
for step in range(25):
    opt.zero_grad()
    loss = loss_fn(model(X), T)
    loss.backward()
    opt.step()
    if step % 8 == 0:
        print(step, f"{loss.item():.4f}")
print(model.protos.data, model.scale.data)
print(torch.cdist(X, model.protos.detach()).argmin(1))

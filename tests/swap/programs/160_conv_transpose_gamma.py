# A tiny decoder with transposed convolutions (the upsampling half of an autoencoder / DCGAN
# generator), trained a few steps, then the log-gamma family: a Poisson / negative-binomial
# log-likelihood, a Dirichlet entropy and their gradients.
import math

import torch
import torch.nn as nn
import torch.nn.functional as F

decoder = nn.Sequential(
    nn.ConvTranspose2d(4, 3, kernel_size=3, stride=2, padding=1, output_padding=1),
    nn.ReLU(),
    nn.ConvTranspose2d(3, 1, kernel_size=2, stride=1, bias=False),
)
print(decoder)
with torch.no_grad():
    for i, p in enumerate(decoder.parameters()):
        p.copy_(torch.linspace(-0.3, 0.3 + 0.05 * i, p.numel()).reshape(p.shape))
print([tuple(p.shape) for p in decoder.parameters()])

z = torch.linspace(-1, 1, 2 * 4 * 3 * 3).reshape(2, 4, 3, 3)
target = torch.linspace(0, 1, 2 * 7 * 7).reshape(2, 1, 7, 7)
opt = torch.optim.SGD(decoder.parameters(), lr=0.5)
for step in range(4):
    opt.zero_grad()
    out = decoder(z)
    loss = F.mse_loss(out, target)
    loss.backward()
    opt.step()
    print(step, out.shape, round(loss.item(), 6))
print(out.grad_fn, out.grad_fn.next_functions[1][0])
print(decoder[0].weight.grad[0, 0])

# functional forms, unbatched input, output_size, 1-D
w = torch.arange(12.0).reshape(2, 3, 2) / 10
x = torch.tensor([[1.0, -1.0, 2.0], [0.5, 0.0, -0.5]], requires_grad=True)
y = F.conv_transpose1d(x, w, stride=2, padding=1)
print(y)
y.pow(2).sum().backward()
print(x.grad)
up = nn.ConvTranspose1d(2, 2, 3, stride=2, groups=2)
with torch.no_grad():
    up.weight.copy_(torch.tensor([[[1.0, 2.0, 3.0]], [[-1.0, 0.0, 1.0]]]))
    up.bias.fill_(0.25)
print(up, up(x.detach(), output_size=[8]))
try:
    decoder(torch.ones(1, 3, 4, 4))
except RuntimeError as e:
    print("RuntimeError:", e)

# log-gamma family
counts = torch.tensor([0.0, 1.0, 3.0, 7.0])
rate = torch.tensor([0.5, 1.0, 2.5, 6.0], requires_grad=True)
log_pois = counts * torch.log(rate) - rate - torch.lgamma(counts + 1)
print(log_pois)
log_pois.sum().backward()
print(rate.grad)
r = torch.tensor([2.0, 5.5], requires_grad=True)
k = torch.tensor([3.0, 1.0])
nb = torch.lgamma(k + r) - torch.lgamma(r) - torch.lgamma(k + 1)
print(nb, nb.grad_fn)
nb.sum().backward()
print(r.grad)
alpha = torch.tensor([1.5, 2.0, 0.7], dtype=torch.float64)
a0 = alpha.sum()
entropy = (torch.lgamma(alpha).sum() - torch.lgamma(a0) + (a0 - 3) * torch.digamma(a0)
           - ((alpha - 1) * torch.digamma(alpha)).sum())
print(entropy)
print(torch.digamma(torch.tensor([0.0, -1.0, -0.5, 1.0, 10.0])))
print(torch.polygamma(1, torch.tensor([0.5, 1.0, 2.0])), torch.polygamma(3, torch.tensor([1.0, 4.0])))
print(torch.mvlgamma(torch.tensor([2.5, 3.0]), p=2), math.isclose(torch.lgamma(torch.tensor(5.0)).item(), math.log(24), rel_tol=1e-6))
t = torch.tensor([1.5, 4.0])
t.lgamma_()
print(t, torch.tensor([3, 4]).digamma())

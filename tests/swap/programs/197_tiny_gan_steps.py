# Course-notebook style: a tiny GAN on 1-D Gaussian data, BCELoss, two Adam optimizers, detach
import torch
import torch.nn as nn

torch.manual_seed(42)
latent_dim = 3
G = nn.Sequential(nn.Linear(latent_dim, 16), nn.ReLU(), nn.Linear(16, 2))
D = nn.Sequential(nn.Linear(2, 16), nn.LeakyReLU(0.2), nn.Linear(16, 1), nn.Sigmoid())
print(G)
print(D)
criterion = nn.BCELoss()
opt_g = torch.optim.Adam(G.parameters(), lr=2e-3, betas=(0.5, 0.999))
opt_d = torch.optim.Adam(D.parameters(), lr=2e-3, betas=(0.5, 0.999))

batch = 32
real_label = torch.ones(batch, 1)
fake_label = torch.zeros(batch, 1)
for step in range(8):
    real = torch.randn(batch, 2) * 0.5 + torch.tensor([2.0, -1.0])
    z = torch.randn(batch, latent_dim)
    fake = G(z)
    # discriminator step: fake is detached so G gets no gradient
    opt_d.zero_grad()
    d_real = D(real)
    d_fake = D(fake.detach())
    loss_d = criterion(d_real, real_label) + criterion(d_fake, fake_label)
    loss_d.backward()
    opt_d.step()
    # generator step
    opt_g.zero_grad()
    loss_g = criterion(D(fake), real_label)
    loss_g.backward()
    opt_g.step()
    # rounded after step 0: Adam's exp_avg_sq.sqrt() is MKL's vsSqrt in PyTorch (last-ulp
    # differences on ~0.7% of elements), so later losses drift in the last digit
    print(f"step {step} D {loss_d.item():.4f} G {loss_g.item():.4f}")
    if step == 0:
        print("  full:", loss_d.item(), loss_g.item())

print(fake.grad_fn.name(), fake.detach().grad_fn, fake.detach().requires_grad)
print(loss_d.grad_fn.name(), loss_g.grad_fn.name())
print("G grad norm:", sum(p.grad.norm() ** 2 for p in G.parameters()).sqrt())
with torch.no_grad():
    samples = G(torch.randn(5, latent_dim))
    print(samples)
    print("D(samples):", D(samples).squeeze(1))
    print("mean of 200 samples:", G(torch.randn(200, latent_dim)).mean(0))
try:
    criterion(torch.tensor([0.5, 1.5]), torch.tensor([1.0, 0.0]))
except RuntimeError as e:
    print("RuntimeError:", e)

# Blog-post style: a tiny fully connected autoencoder trained on random data
import torch
import torch.nn as nn

torch.manual_seed(0)
data = torch.randn(64, 12)


class AutoEncoder(nn.Module):
    def __init__(self, d_in=12, d_hidden=4):
        super().__init__()
        self.encoder = nn.Sequential(nn.Linear(d_in, 8), nn.ReLU(), nn.Linear(8, d_hidden))
        self.decoder = nn.Sequential(nn.Linear(d_hidden, 8), nn.ReLU(), nn.Linear(8, d_in))

    def forward(self, x):
        z = self.encoder(x)
        return self.decoder(z), z


model = AutoEncoder()
print(model)
criterion = nn.MSELoss()
optimizer = torch.optim.Adam(model.parameters(), lr=1e-2)
for epoch in range(30):
    recon, z = model(data)
    loss = criterion(recon, data)
    optimizer.zero_grad()
    loss.backward()
    optimizer.step()
    if epoch == 0:
        print("initial loss (full precision):", loss.item())
    if epoch % 5 == 0:
        # rounded: Adam's exp_avg_sq.sqrt() is MKL's vsSqrt in PyTorch (an ulp off on ~0.7% of
        # elements), so parameters drift in the last digit after a few steps
        print(f"epoch {epoch:2d} loss {loss.item():.6f}")

print("code shape:", z.shape, z.grad_fn.name())
print("recon grad_fn:", recon.grad_fn)
with torch.no_grad():
    recon, z = model(data[:3])
    print(z)
    print(recon.shape, recon.requires_grad)
    err = ((recon - data[:3]) ** 2).mean(dim=1)
    print("per-sample error:", err)
    print("max error row:", err.argmax().item())
codes = model.encoder(data).detach()
print(codes.mean(0), codes.std(0))
print("total params:", sum(p.numel() for p in model.parameters()))
print("encoder params:", sum(p.numel() for p in model.encoder.parameters() if p.requires_grad))
try:
    model(torch.randn(2, 10))
except RuntimeError as e:
    print("RuntimeError:", e)

# Gradient clipping and LR scheduler printouts during a small regression run
import torch
import torch.nn as nn

torch.manual_seed(2)
X = torch.randn(50, 4)
w_true = torch.tensor([[1.5], [-2.0], [0.5], [3.0]])
y = X @ w_true + 0.1 * torch.randn(50, 1)
model = nn.Sequential(nn.Linear(4, 8), nn.Tanh(), nn.Linear(8, 1))
opt = torch.optim.SGD(model.parameters(), lr=0.1)
sched = torch.optim.lr_scheduler.StepLR(opt, step_size=4, gamma=0.5)
for epoch in range(12):
    loss = nn.functional.mse_loss(model(X), y)
    opt.zero_grad()
    loss.backward()
    total = nn.utils.clip_grad_norm_(model.parameters(), max_norm=1.0)
    opt.step()
    sched.step()
    print(f"epoch {epoch:2d} loss {loss.item():.4f} grad_norm {total.item():.4f} lr {sched.get_last_lr()[0]:.5f}")
print("last loss:", loss.item(), "last norm:", total.item())
print(type(total).__name__, total.dim())
norms = [p.grad.norm().item() for p in model.parameters()]
print([round(n, 4) for n in norms])
clipped = nn.utils.clip_grad_norm_(model.parameters(), max_norm=0.01)
print(round(clipped.item(), 4), round(torch.cat([p.grad.flatten() for p in model.parameters()]).norm().item(), 6))
nn.utils.clip_grad_value_(model.parameters(), clip_value=0.001)
print(max(p.grad.abs().max().item() for p in model.parameters()))
print(sched.state_dict())
opt2 = torch.optim.Adam(model.parameters(), lr=0.01)
cos = torch.optim.lr_scheduler.CosineAnnealingLR(opt2, T_max=5)
lrs = []
for _ in range(6):
    opt2.step()
    cos.step()
    lrs.append(round(cos.get_last_lr()[0], 6))
print(lrs)
exp = torch.optim.lr_scheduler.ExponentialLR(torch.optim.SGD(model.parameters(), lr=1.0), gamma=0.9)
for _ in range(3):
    exp.optimizer.step()
    exp.step()
print(exp.get_last_lr(), exp.last_epoch)
print(nn.utils.clip_grad_norm_([], 1.0))

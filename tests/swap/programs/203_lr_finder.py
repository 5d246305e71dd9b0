# Learning-rate finder loop (fast.ai style): exponentially increasing lr, smoothed loss, stop on divergence
import copy
import math
import torch
import torch.nn as nn

torch.manual_seed(9)
X = torch.randn(128, 10)
y = (X[:, :3].sum(1) > 0).long()
model = nn.Sequential(nn.Linear(10, 32), nn.ReLU(), nn.Linear(32, 2))
init_state = copy.deepcopy(model.state_dict())
opt = torch.optim.SGD(model.parameters(), lr=1e-5)
start_lr, end_lr, num = 1e-5, 10.0, 30
mult = (end_lr / start_lr) ** (1 / num)
lr, avg, best, beta = start_lr, 0.0, float("inf"), 0.9
history = []
for i in range(num):
    idx = torch.arange(i * 16, i * 16 + 32) % 128
    for g in opt.param_groups:
        g["lr"] = lr
    loss = nn.functional.cross_entropy(model(X[idx]), y[idx])
    avg = beta * avg + (1 - beta) * loss.item()
    smoothed = avg / (1 - beta ** (i + 1))
    if smoothed > 4 * best:
        print("diverged at step", i, f"lr={lr:.3e}")
        break
    best = min(best, smoothed)
    history.append((lr, smoothed))
    opt.zero_grad()
    loss.backward()
    opt.step()
    lr *= mult
for lr_i, l in history[::5]:
    print(f"lr {lr_i:.2e} log10 {math.log10(lr_i):+.2f} loss {l:.4f}")
best_lr, best_loss = min(history, key=lambda t: t[1])
print(f"min loss {best_loss:.4f} at lr {best_lr:.3e}; suggested {best_lr / 10:.3e}")
print(len(history), opt.param_groups[0]["lr"] == history[-1][0])
model.load_state_dict(init_state)
print(torch.equal(model[0].weight, init_state["0.weight"]), model[0].weight.requires_grad)
print(list(init_state)[:2], init_state["2.bias"])

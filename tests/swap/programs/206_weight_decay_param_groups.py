# Weight decay comparison (SGD L2 vs AdamW) and mixed parameter groups (no decay on biases/norms)
import torch
import torch.nn as nn

torch.manual_seed(8)
X = torch.randn(32, 6)
y = torch.randn(32, 2)


def make():
    torch.manual_seed(100)
    return nn.Sequential(nn.Linear(6, 12), nn.LayerNorm(12), nn.ReLU(), nn.Linear(12, 2))


for name, ctor in [("sgd", lambda p: torch.optim.SGD(p, lr=0.1)),
                   ("sgd_wd", lambda p: torch.optim.SGD(p, lr=0.1, weight_decay=0.1)),
                   ("adam_wd", lambda p: torch.optim.Adam(p, lr=0.01, weight_decay=0.1)),
                   ("adamw", lambda p: torch.optim.AdamW(p, lr=0.01, weight_decay=0.1))]:
    model = make()
    opt = ctor(model.parameters())
    for _ in range(20):
        loss = nn.functional.mse_loss(model(X), y)
        opt.zero_grad()
        loss.backward()
        opt.step()
    wn = sum(p.pow(2).sum() for n, p in model.named_parameters() if n.endswith("weight")).sqrt()
    # rounded: the Adam family's sqrt is MKL's vsSqrt in PyTorch (last-ulp drift over steps)
    print(f"{name:8s} loss {loss.item():.4f} weight norm {wn.item():.4f}")

model = make()
decay, no_decay = [], []
for n, p in model.named_parameters():
    (no_decay if n.endswith("bias") or "1." in n else decay).append(p)
print(len(decay), len(no_decay))
opt = torch.optim.AdamW([{"params": decay, "weight_decay": 0.05},
                         {"params": no_decay, "weight_decay": 0.0, "lr": 0.003}], lr=0.01)
for g in opt.param_groups:
    print(g["lr"], g["weight_decay"], g["betas"], len(g["params"]))
for _ in range(5):
    loss = nn.functional.mse_loss(model(X), y)
    opt.zero_grad()
    loss.backward()
    opt.step()
print(f"{loss.item():.4f}")  # rounded: AdamW's sqrt is MKL's vsSqrt in PyTorch (last-ulp drift)
print(sorted(opt.state_dict()["state"].keys()), opt.state_dict()["param_groups"][1]["params"])
print(opt.state[decay[0]]["step"], opt.state[decay[0]]["exp_avg"].shape)
opt.add_param_group({"params": [nn.Parameter(torch.zeros(3))], "lr": 0.5})
print(len(opt.param_groups), opt.param_groups[2]["weight_decay"], opt.param_groups[2]["amsgrad"])
try:
    opt.add_param_group({"params": decay[:1]})
except ValueError as e:
    print("ValueError:", e)

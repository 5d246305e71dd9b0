import torch
import torch.nn as nn

# one small regression problem, every optimizer from the same deterministic start
X = torch.tensor([[0.5, 1.0], [1.5, -0.5], [-1.0, 2.0], [2.0, 0.0], [0.0, -1.5], [1.0, 1.0]])
y = torch.tensor([[1.2], [0.4], [2.9], [1.1], [-1.3], [1.7]])


def make_model():
    model = nn.Sequential(nn.Linear(2, 3), nn.Tanh(), nn.Linear(3, 1))
    with torch.no_grad():
        model[0].weight.copy_(torch.tensor([[0.1, -0.2], [0.3, 0.1], [-0.1, 0.2]]))
        model[0].bias.fill_(0.05)
        model[2].weight.copy_(torch.tensor([[0.2, -0.3, 0.25]]))
        model[2].bias.zero_()
    return model


configs = {
    "SGD": lambda p: torch.optim.SGD(p, lr=0.1),
    "SGD+momentum": lambda p: torch.optim.SGD(p, lr=0.05, momentum=0.9),
    "SGD+nesterov": lambda p: torch.optim.SGD(p, lr=0.05, momentum=0.9, nesterov=True, weight_decay=1e-3),
    "Adam": lambda p: torch.optim.Adam(p, lr=0.05),
    "AdamW": lambda p: torch.optim.AdamW(p, lr=0.05, weight_decay=0.1),
    "Adam+amsgrad": lambda p: torch.optim.Adam(p, lr=0.05, amsgrad=True, betas=(0.8, 0.99)),
    "RMSprop": lambda p: torch.optim.RMSprop(p, lr=0.01),
    "RMSprop+centered": lambda p: torch.optim.RMSprop(p, lr=0.01, momentum=0.5, centered=True),
    "Adagrad": lambda p: torch.optim.Adagrad(p, lr=0.3),
    "Adagrad+decay": lambda p: torch.optim.Adagrad(p, lr=0.3, lr_decay=0.01, weight_decay=0.01),
}
criterion = nn.MSELoss()
for name, make_opt in configs.items():
    model = make_model()
    optimizer = make_opt(model.parameters())
    losses = []
    for step in range(40):
        optimizer.zero_grad()
        loss = criterion(model(X), y)
        loss.backward()
        optimizer.step()
        losses.append(loss.item())
    # 5 decimals: the Linear(3, 1) head is a matrix-vector product, whose MKL summation order
    # onnxgraft does not reproduce (README, "Float32 last digits"); it shows in the 6th decimal
    print(f"{name:18s} first={losses[0]:.6f} step10={losses[10]:.5f} last={losses[-1]:.5f}")
    print("   ", [round(v, 3) for v in model[2].weight.view(-1).tolist()], f"{model[2].bias.item():.3f}")

# what the optimizer keeps between steps
model = make_model()
opt = torch.optim.Adam(model.parameters(), lr=0.01)
criterion(model(X), y).backward()
opt.step()
sd = opt.state_dict()
print(list(sd.keys()), list(sd["state"].keys()), sorted(sd["state"][0].keys()))
print(sd["state"][3]["step"], sd["state"][3]["exp_avg"], sd["state"][3]["exp_avg_sq"])
print(sd["param_groups"][0]["params"], sd["param_groups"][0]["betas"], sd["param_groups"][0]["lr"])
sgd = torch.optim.SGD(model.parameters(), lr=0.1, momentum=0.9)
criterion(model(X), y).backward()
sgd.step()
print(sgd.state_dict()["state"][3])
print(opt)
print(len(opt.param_groups), opt.defaults["eps"], type(opt).__name__)

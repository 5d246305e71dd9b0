import copy
import warnings

import torch
import torch.nn as nn

X = torch.tensor([[0.0, 1.0], [1.0, 0.0], [1.0, 1.0], [2.0, 1.0], [1.0, 3.0], [3.0, 2.0]])
y = torch.tensor([[1.0], [2.0], [3.0], [5.0], [5.0], [8.0]])
X_val = torch.tensor([[2.0, 2.0], [0.5, 0.5]])
y_val = torch.tensor([[6.0], [1.5]])


def make():
    m = nn.Sequential(nn.Linear(2, 4), nn.ReLU(), nn.Linear(4, 1))

    def init(layer):
        if type(layer) == nn.Linear:
            nn.init.constant_(layer.weight, 0.3)
            nn.init.constant_(layer.bias, 0.1)
    m.apply(init)
    return m


# gradient clipping: the returned total norm is the norm before clipping
model = make()
opt = torch.optim.SGD(model.parameters(), lr=0.05)
for step in range(5):
    opt.zero_grad()
    loss = nn.functional.mse_loss(model(X), y)
    loss.backward()
    total = torch.nn.utils.clip_grad_norm_(model.parameters(), max_norm=1.0)
    after = torch.norm(torch.stack([p.grad.norm() for p in model.parameters()]))
    opt.step()
    print(f"step {step}: loss {loss.item():.5f} norm before {total.item():.4f} after {after.item():.4f}")
model[0].weight.grad = torch.tensor([[3.0, -0.2], [0.1, 0.0], [-5.0, 0.5], [0.0, 0.0]])
torch.nn.utils.clip_grad_value_(model[0].weight, clip_value=0.5)
print(model[0].weight.grad)

# early stopping on the validation loss, keeping the best weights
model = make()
opt = torch.optim.Adam(model.parameters(), lr=0.1, weight_decay=1e-3)
best_loss, best_state, patience, bad_epochs = float("inf"), None, 3, 0
for epoch in range(100):
    model.train()
    opt.zero_grad()
    nn.functional.mse_loss(model(X), y).backward()
    opt.step()
    model.eval()
    with torch.no_grad():
        val_loss = nn.functional.mse_loss(model(X_val), y_val).item()
    if val_loss < best_loss - 1e-4:
        best_loss, best_state, bad_epochs = val_loss, copy.deepcopy(model.state_dict()), 0
    else:
        bad_epochs += 1
    if bad_epochs >= patience:
        print(f"early stop at epoch {epoch}, best val loss {best_loss:.3f}")
        break
model.load_state_dict(best_state)
print(best_state["2.bias"].shape, type(best_state).__name__)

# weight decay shrinks weights even without a data gradient
for wd in (0.0, 0.1):
    w = nn.Parameter(torch.tensor([1.0, -2.0]))
    opt = torch.optim.SGD([w], lr=0.5, weight_decay=wd)
    for _ in range(3):
        opt.zero_grad()
        (w * 0).sum().backward()
        opt.step()
    print(wd, w.data)
p1, p2 = nn.Parameter(torch.ones(2)), nn.Parameter(torch.ones(2))
opt = torch.optim.SGD([{"params": [p1], "weight_decay": 0.5}, {"params": [p2]}], lr=0.1)
(p1.sum() + p2.sum()).backward()
opt.step()
print(p1.data, p2.data, [g["weight_decay"] for g in opt.param_groups])

# common mistakes: loss shapes, calling backward twice
pred = model(X)
try:
    nn.functional.cross_entropy(torch.cat([pred, -pred], dim=1), y.squeeze(1))
except RuntimeError as e:
    print("RuntimeError:", e)
with warnings.catch_warnings(record=True) as caught:
    warnings.simplefilter("always")
    wrong = nn.functional.mse_loss(pred, y.squeeze(1))
print(len(caught), str(caught[0].message) if caught else None, wrong.shape)
loss = nn.functional.mse_loss(pred, y)
loss.backward()
try:
    loss.backward()
except RuntimeError as e:
    print("RuntimeError:", str(e)[:60])
l2 = (model(X) - y).pow(2).mean()
l2.backward(retain_graph=True)
l2.backward()
print("retain_graph ok", model[2].bias.grad.shape)

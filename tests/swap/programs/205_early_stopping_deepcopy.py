# Early stopping on a validation loss with patience, keeping the best state via copy.deepcopy
import copy
import torch
import torch.nn as nn

torch.manual_seed(6)
X = torch.randn(80, 5)
y = torch.sin(X[:, :1] * 2) + 0.3 * torch.randn(80, 1)
Xtr, ytr, Xva, yva = X[:60], y[:60], X[60:], y[60:]
model = nn.Sequential(nn.Linear(5, 64), nn.ReLU(), nn.Linear(64, 64), nn.ReLU(), nn.Linear(64, 1))
opt = torch.optim.Adam(model.parameters(), lr=0.01)
best_loss, best_state, best_epoch = float("inf"), None, -1
patience, bad_epochs = 5, 0
for epoch in range(100):
    model.train()
    loss = nn.functional.mse_loss(model(Xtr), ytr)
    opt.zero_grad()
    loss.backward()
    opt.step()
    model.eval()
    with torch.no_grad():
        val = nn.functional.mse_loss(model(Xva), yva).item()
    if val < best_loss - 1e-4:
        best_loss, best_epoch, bad_epochs = val, epoch, 0
        best_state = copy.deepcopy(model.state_dict())
    else:
        bad_epochs += 1
    if epoch % 10 == 0:
        print(f"epoch {epoch:3d} train {loss.item():.4f} val {val:.4f} bad {bad_epochs}")
    if bad_epochs >= patience:
        print("early stop at epoch", epoch)
        break
print(f"best epoch {best_epoch} val {best_loss:.4f}")
print(best_state["0.weight"] is model[0].weight, best_state["0.weight"].requires_grad)
print(torch.equal(best_state["4.bias"], model[4].bias.detach()))
model.load_state_dict(best_state)
with torch.no_grad():
    print(round(nn.functional.mse_loss(model(Xva), yva).item(), 4))
snapshot = copy.deepcopy(model)
print(type(snapshot).__name__, snapshot[0].weight.data_ptr() != model[0].weight.data_ptr())
snapshot[4].bias.data.fill_(0.0)
print(model[4].bias, snapshot[4].bias)
t = torch.tensor([1.0, 2.0], requires_grad=True)
u = t * 2
c = copy.deepcopy(t)
print(c, c.requires_grad, c.is_leaf)
try:
    copy.deepcopy(u)
except RuntimeError as e:
    print("RuntimeError:", e)

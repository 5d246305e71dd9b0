# BatchNorm + Dropout MLP: train/eval switching, state_dict save/load through io.BytesIO
import io
import torch
import torch.nn as nn

torch.manual_seed(1)
X = torch.randn(40, 6)
y = (X[:, 0] + X[:, 1] > 0).long()
model = nn.Sequential(nn.Linear(6, 16), nn.BatchNorm1d(16), nn.ReLU(), nn.Dropout(0.25), nn.Linear(16, 2))
print(model)
opt = torch.optim.SGD(model.parameters(), lr=0.1, momentum=0.9)
for epoch in range(10):
    model.train()
    out = model(X)
    loss = nn.functional.cross_entropy(out, y)
    opt.zero_grad()
    loss.backward()
    opt.step()
    if epoch == 0:
        print("first loss (full precision):", loss.item())
    if epoch % 3 == 0:
        print(epoch, loss.item(), model.training, model[1].training)
bn = model[1]
print("running_mean:", bn.running_mean)
print("running_var:", bn.running_var)
print("num_batches_tracked:", bn.num_batches_tracked)
model.eval()
with torch.no_grad():
    e1 = model(X[:4])
    e2 = model(X[:4])
print(torch.equal(e1, e2), e1)

sd = model.state_dict()
print(list(sd.keys()))
print({k: tuple(v.shape) for k, v in sd.items()})
buf = io.BytesIO()
torch.save(sd, buf)
print(buf.tell() > 0)
buf.seek(0)
loaded = torch.load(buf)
clone = nn.Sequential(nn.Linear(6, 16), nn.BatchNorm1d(16), nn.ReLU(), nn.Dropout(0.25), nn.Linear(16, 2))
print(clone.load_state_dict(loaded))
clone.eval()
with torch.no_grad():
    print(torch.equal(clone(X[:4]), e1))
print(torch.equal(clone[1].running_var, bn.running_var), clone[1].num_batches_tracked)
bad = dict(loaded)
bad.pop("4.bias")
bad["extra"] = torch.zeros(1)
try:
    clone.load_state_dict(bad)
except RuntimeError as e:
    print("RuntimeError:", e)
print(clone.load_state_dict(bad, strict=False))
try:
    model.train()
    model(torch.randn(1, 6))
except ValueError as e:
    print("ValueError:", e)

import os
import tempfile
import torch
import torch.nn as nn

model = nn.Sequential(nn.Linear(3, 2), nn.Tanh(), nn.Linear(2, 1))
for i, p in enumerate(model.parameters()):
    with torch.no_grad():
        p.copy_(torch.arange(p.numel(), dtype=torch.float32).reshape(p.shape) / (i + 2))
d = tempfile.mkdtemp()
path = os.path.join(d, "model.pt")
torch.save(model.state_dict(), path)
model2 = nn.Sequential(nn.Linear(3, 2), nn.Tanh(), nn.Linear(2, 1))
result = model2.load_state_dict(torch.load(path))
print(result)
x = torch.tensor([[1.0, 2.0, 3.0]])
print(model(x), model2(x))
print(torch.equal(model(x), model2(x)))
loaded = torch.load(path)
print(type(loaded).__name__, list(loaded.keys()))
print(loaded['0.weight'])
t = torch.tensor([1, 2, 3])
torch.save({'t': t, 'epoch': 5, 'name': 'run'}, path)
ck = torch.load(path)
print(ck['t'], ck['epoch'], ck['name'])
opt = torch.optim.SGD(model.parameters(), lr=0.1, momentum=0.9)
model(x).sum().backward()
opt.step()
torch.save(opt.state_dict(), path)
osd = torch.load(path)
print(osd['param_groups'])
print(sorted(osd['state'].keys()))
bad = nn.Linear(3, 3)
try:
    bad.load_state_dict(model[0].state_dict())
except Exception as e:
    print(type(e).__name__, e)
print(model2.load_state_dict({'0.weight': torch.zeros(2, 3), '0.bias': torch.zeros(2)}, strict=False))
os.remove(path)

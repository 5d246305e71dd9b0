# DataLoader with shuffle over a TensorDataset of random data, and random_split
import torch
from torch.utils.data import TensorDataset, DataLoader, random_split

torch.manual_seed(123)
X = torch.randn(40, 3)
y = torch.randint(0, 2, (40,))
ds = TensorDataset(X, y)
print(len(ds), ds[3])

loader = DataLoader(ds, batch_size=12, shuffle=True)
print(len(loader))
for epoch in range(2):
    for i, (xb, yb) in enumerate(loader):
        print(epoch, i, xb.shape, yb.tolist())

train_ds, val_ds = random_split(ds, [32, 8])
print(len(train_ds), len(val_ds), train_ds.indices[:6], val_ds.indices)
a, b, c = random_split(range(10), [0.5, 0.3, 0.2])
print(list(a), list(b), list(c))
g = torch.Generator().manual_seed(42)
p, q = random_split(range(8), [6, 2], generator=g)
print(list(p), list(q))

train_loader = DataLoader(train_ds, batch_size=16, shuffle=True, drop_last=True)
model = torch.nn.Linear(3, 2)
opt = torch.optim.SGD(model.parameters(), lr=0.1)
for epoch in range(3):
    total = 0.0
    for xb, yb in train_loader:
        loss = torch.nn.functional.cross_entropy(model(xb), yb)
        opt.zero_grad()
        loss.backward()
        opt.step()
        total += loss.item()
    print(epoch, total)
val_loader = DataLoader(val_ds, batch_size=8)
with torch.no_grad():
    for xb, yb in val_loader:
        print(model(xb).argmax(1), yb)

g2 = torch.Generator()
g2.manual_seed(7)
print([b.tolist() for (b,) in DataLoader(TensorDataset(torch.arange(7)), batch_size=3, shuffle=True, generator=g2)])
try:
    random_split(range(10), [6, 5])
except ValueError as e:
    print("ValueError:", e)

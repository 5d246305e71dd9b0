import torch
from torch.utils.data import TensorDataset, DataLoader, Dataset, random_split, Subset
import collections
x = torch.arange(20, dtype=torch.float32).reshape(10, 2)
y = torch.arange(10)
ds = TensorDataset(x, y)
print(len(ds), ds[3])
dl = DataLoader(ds, batch_size=4)
print(len(dl))
for xb, yb in dl:
    print(xb, yb)
print(len(DataLoader(ds, batch_size=4, drop_last=True)))
for b in DataLoader(ds, batch_size=3, drop_last=True):
    print(type(b).__name__, b[0].shape, b[1])
class Sq(Dataset):
    def __len__(self): return 5
    def __getitem__(self, i): return {"x": float(i), "n": i, "name": f"s{i}", "v": torch.tensor([i, i * 2])}
for b in DataLoader(Sq(), batch_size=2):
    print(b)
P = collections.namedtuple("P", "a b")
print(torch.utils.data.default_collate([P(1, 2.0), P(3, 4.0)]))
print(torch.utils.data.default_collate([[1, 2], [3, 4]]))
print(torch.utils.data.default_collate([(torch.ones(2), 1), (torch.zeros(2), 0)]))
for b in DataLoader(Sq(), batch_size=None):
    print(b); break
try:
    DataLoader(ds, sampler=list(range(3)), shuffle=True)
except ValueError as e:
    print(e)
try:
    TensorDataset(x, torch.arange(3))
except AssertionError as e:
    print("AssertionError", e)
try:
    torch.utils.data.default_collate([[1, 2], [3]])
except RuntimeError as e:
    print(e)
a, b = random_split(ds, [7, 3])
print(len(a), len(b), type(a).__name__)
a, b, c = random_split(range(10), [0.5, 0.3, 0.2])
print(len(a), len(b), len(c))
seen = sorted(int(v) for _, yb in DataLoader(ds, batch_size=3, shuffle=True) for v in yb)
print(seen)
print(len(DataLoader(ds, batch_size=3, shuffle=True)))
s = Subset(ds, [1, 5])
print(s[1], len(s))
print(len(ds + ds), (ds + ds)[12])

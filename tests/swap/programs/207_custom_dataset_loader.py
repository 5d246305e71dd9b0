# Custom Dataset with __getitem__/__len__, DataLoader(shuffle=True) over two epochs
import torch
from torch.utils.data import Dataset, DataLoader


class SquaresDataset(Dataset):
    def __init__(self, n):
        self.x = torch.arange(n, dtype=torch.float32).unsqueeze(1)
        self.y = self.x ** 2

    def __len__(self):
        return len(self.x)

    def __getitem__(self, idx):
        return self.x[idx], self.y[idx]


torch.manual_seed(12)
ds = SquaresDataset(10)
print(len(ds), ds[3])
loader = DataLoader(ds, batch_size=4, shuffle=True)
print(len(loader))
for epoch in range(2):
    for i, (xb, yb) in enumerate(loader):
        print(epoch, i, xb.squeeze(1).tolist(), yb.shape)
model = torch.nn.Linear(1, 1)
opt = torch.optim.SGD(model.parameters(), lr=1e-3)
for epoch in range(2):
    total = 0.0
    for xb, yb in DataLoader(ds, batch_size=5, shuffle=True):
        loss = torch.nn.functional.mse_loss(model(xb), yb)
        opt.zero_grad()
        loss.backward()
        opt.step()
        total += loss.item() * len(xb)
    print(f"epoch {epoch} mean loss {total / len(ds):.4f}", total, model.weight.item(), model.bias.item())


class DictDataset(Dataset):
    def __len__(self):
        return 5

    def __getitem__(self, i):
        return {"id": i, "feat": torch.full((2,), float(i)), "name": f"item{i}"}


batch = next(iter(DataLoader(DictDataset(), batch_size=3, shuffle=True)))
print(batch["id"], batch["feat"], batch["name"])
dl = DataLoader(ds, batch_size=4, shuffle=False, drop_last=True)
print(len(dl), [xb.shape[0] for xb, _ in dl])
print(torch.utils.data.TensorDataset(torch.ones(3, 2), torch.zeros(3))[1])

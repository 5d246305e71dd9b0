import torch
import torch.nn as nn
from torch.utils.data import DataLoader, TensorDataset

X = torch.arange(24, dtype=torch.float32).reshape(12, 2) / 10
y = (X[:, :1] * 1.5 - X[:, 1:] * 0.5 + 0.2)
dataset = TensorDataset(X, y)
print(len(dataset), dataset[0], type(dataset[0]).__name__)
print(dataset.tensors[0].shape, dataset.tensors[1].shape)
loader = DataLoader(dataset, batch_size=5, shuffle=False)
print(len(loader), loader.batch_size, loader.drop_last)
for i, (xb, yb) in enumerate(loader):
    print(i, xb.shape, yb.squeeze(1).tolist())

model = nn.Linear(2, 1)
nn.init.constant_(model.weight, 0.0)
nn.init.constant_(model.bias, 0.0)
loss_fn = nn.MSELoss()
opt = torch.optim.SGD(model.parameters(), lr=0.05)
history = []
for epoch in range(30):
    running_loss = 0.0
    n = 0
    for xb, yb in loader:
        pred = model(xb)
        loss = loss_fn(pred, yb)
        opt.zero_grad()
        loss.backward()
        opt.step()
        running_loss += loss.item() * xb.size(0)
        n += len(xb)
    epoch_loss = running_loss / n
    history.append(epoch_loss)
    if epoch % 6 == 0 or epoch == 29:
        print(f"epoch {epoch + 1:2d}/30 train_loss={epoch_loss:.6f}")
print(model.weight.data, model.bias.data)

# validation loop with drop_last and a bigger batch
val_loader = DataLoader(TensorDataset(X[::2], y[::2]), batch_size=4, drop_last=True)
model.eval()
total, batches = 0.0, 0
with torch.no_grad():
    for xb, yb in val_loader:
        total += loss_fn(model(xb), yb).item()
        batches += 1
print("val batches", batches, "val loss", round(total / batches, 6))

# iterating by hand and peeking at one batch
it = iter(loader)
first_x, first_y = next(it)
print(first_x, first_y.dtype)
print(sum(1 for _ in it))
labels = torch.tensor([0, 1, 0, 1, 1, 0])
cls_ds = TensorDataset(torch.eye(6), labels)
for xb, yb in DataLoader(cls_ds, batch_size=4):
    print(xb.sum(0), yb, yb.dtype)
batch = next(iter(DataLoader(list(zip(X[:3], y[:3])), batch_size=3)))
print([t.shape for t in batch])

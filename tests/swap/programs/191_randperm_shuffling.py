# torch.randperm shuffling: manual mini-batches, permuting rows, train/test split by index
import torch

torch.manual_seed(17)
print(torch.randperm(10))
print(torch.randperm(4, dtype=torch.float32))
print(torch.randperm(0), torch.randperm(1))
X = torch.arange(12.0).view(6, 2)
y = torch.arange(6)
perm = torch.randperm(X.size(0))
print(perm, X[perm], y[perm])

# train/test split by permutation
data = torch.randn(30, 4)
target = data.sum(1, keepdim=True) + 0.1 * torch.randn(30, 1)
idx = torch.randperm(len(data))
train_idx, test_idx = idx[:24], idx[24:]
print(test_idx)
w = torch.zeros(4, 1, requires_grad=True)
b = torch.zeros(1, requires_grad=True)
opt = torch.optim.SGD([w, b], lr=0.1)
batch = 8
for epoch in range(4):
    order = train_idx[torch.randperm(len(train_idx))]
    for i in range(0, len(order), batch):
        bi = order[i:i + batch]
        pred = data[bi] @ w + b
        loss = torch.mean((pred - target[bi]) ** 2)
        opt.zero_grad()
        loss.backward()
        opt.step()
    # (8, 4) @ (4, 1) is MKL's gemv, summed in its own order: losses rounded
    print(epoch, order[:5].tolist(), f"{loss.item():.6f}")
with torch.no_grad():
    test_loss = torch.mean((data[test_idx] @ w + b - target[test_idx]) ** 2)
print(f"{test_loss.item():.6f}", w.flatten())

# shuffling a tensor along a dim, and shuffling columns
t = torch.arange(10).view(2, 5)
print(t[:, torch.randperm(5)])
print(torch.randperm(5, generator=torch.Generator().manual_seed(3)))
g = torch.Generator()
g.manual_seed(3)
print(torch.randperm(5, generator=g), torch.randperm(5, generator=g))
print(torch.randperm(30)[:8])
print(torch.randperm(300)[:8])
try:
    torch.randperm(-1)
except RuntimeError as e:
    print("RuntimeError:", e)

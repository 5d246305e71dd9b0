# K-fold cross validation with a randperm split, a fresh model per fold, mean/std of fold accuracy
import torch
import torch.nn as nn

torch.manual_seed(4)
N, K = 60, 5
X = torch.randn(N, 3)
y = (X @ torch.tensor([1.0, -1.0, 0.5]) > 0).long()
perm = torch.randperm(N)
print(perm[:12])
folds = perm.chunk(K)
print([len(f) for f in folds], folds[0].dtype)
scores = []
for k in range(K):
    val_idx = folds[k]
    train_idx = torch.cat([folds[j] for j in range(K) if j != k])
    model = nn.Linear(3, 2)
    opt = torch.optim.SGD(model.parameters(), lr=0.5)
    for _ in range(25):
        loss = nn.functional.cross_entropy(model(X[train_idx]), y[train_idx])
        opt.zero_grad()
        loss.backward()
        opt.step()
    with torch.no_grad():
        acc = (model(X[val_idx]).argmax(1) == y[val_idx]).float().mean().item()
    scores.append(acc)
    print("  full loss:", loss.item())
    print(f"fold {k}: train {len(train_idx)} val {len(val_idx)} loss {loss.item():.4f} acc {acc:.3f}")
s = torch.tensor(scores)
print(f"mean {s.mean().item():.4f} std {s.std().item():.4f}")
print(s)
print(torch.isin(folds[0], folds[1]).any().item(), torch.cat(folds).sort().values.equal(torch.arange(N)))
print(torch.randperm(6, generator=torch.Generator().manual_seed(0)))
print(torch.randperm(0), torch.randperm(1))
print(X[perm[:3]].shape, y.bincount())
splits = torch.tensor_split(torch.arange(10), 3)
print(splits)
print(torch.arange(10).split([3, 3, 4]))

# nn.Embedding + mean pooling text classifier on random token ids (padding_idx=0)
import torch
import torch.nn as nn
import torch.nn.functional as F

torch.manual_seed(7)
vocab, dim, classes = 50, 8, 3
tokens = torch.randint(1, vocab, (24, 10))
lengths = torch.randint(4, 11, (24,))
mask = torch.arange(10).unsqueeze(0) < lengths.unsqueeze(1)
tokens = tokens.masked_fill(~mask, 0)
labels = tokens[:, 0] % classes
print(tokens[:3])
print(lengths[:6], labels[:8])


class MeanPoolClassifier(nn.Module):
    def __init__(self):
        super().__init__()
        self.emb = nn.Embedding(vocab, dim, padding_idx=0)
        self.fc = nn.Linear(dim, classes)

    def forward(self, ids):
        e = self.emb(ids)
        m = (ids != 0).unsqueeze(-1).float()
        pooled = (e * m).sum(1) / m.sum(1).clamp(min=1)
        return self.fc(pooled)


model = MeanPoolClassifier()
print(model)
print(model.emb.weight[0], model.emb.weight.shape)
opt = torch.optim.SGD(model.parameters(), lr=0.5)
for epoch in range(15):
    logits = model(tokens)
    loss = F.cross_entropy(logits, labels)
    opt.zero_grad()
    loss.backward()
    opt.step()
    if epoch % 3 == 0:
        acc = (logits.argmax(1) == labels).float().mean()
        print(epoch, round(loss.item(), 4), loss.item(), acc.item())
print("padding row grad:", model.emb.weight.grad[0])
print("grad rows touched:", (model.emb.weight.grad.abs().sum(1) > 0).sum().item())
print(logits.grad_fn.name(), loss.grad_fn.name())
with torch.no_grad():
    probs = F.softmax(model(tokens[:4]), dim=1)
    print(probs)
    print(probs.sum(1))
bag = nn.EmbeddingBag(vocab, dim, mode="mean")
bag.weight.data.copy_(model.emb.weight.data)
print(bag)
pooled = bag(tokens[:2, :4])
print(pooled.shape, pooled.grad_fn.name())
print(torch.allclose(pooled, model.emb(tokens[:2, :4]).mean(1)))
flat, offsets = torch.tensor([3, 7, 7, 12, 5]), torch.tensor([0, 2, 2])
print(nn.EmbeddingBag(vocab, 4, mode="sum")(flat, offsets).shape)
print(F.embedding_bag(flat, model.emb.weight, offsets, mode="max")[1])
try:
    model.emb(torch.tensor([[vocab]]))
except IndexError as e:
    print("IndexError:", e)

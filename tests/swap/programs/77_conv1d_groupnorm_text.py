import torch
import torch.nn as nn
import torch.nn.functional as F


# a 1-D CNN over token embeddings: Embedding -> Conv1d -> GroupNorm -> pooling -> Linear
class TextCNN(nn.Module):
    def __init__(self, vocab=10, dim=4, channels=6, classes=3):
        super().__init__()
        self.emb = nn.Embedding(vocab, dim, padding_idx=0)
        self.conv = nn.Conv1d(dim, channels, kernel_size=3, padding=1)
        self.norm = nn.GroupNorm(2, channels)
        self.pool = nn.MaxPool1d(2)
        self.avg = nn.AvgPool1d(3, stride=1, padding=1, count_include_pad=False)
        self.fc = nn.Linear(channels, classes)

    def forward(self, tokens):
        x = self.emb(tokens).transpose(1, 2)          # (N, dim, L)
        x = F.relu(self.norm(self.conv(x)))
        x = self.avg(self.pool(x))
        return self.fc(x.max(dim=2).values)


model = TextCNN()
print(model)
print([(name, tuple(p.shape)) for name, p in model.named_parameters()])
print(model.conv.kernel_size, model.conv.stride, model.conv.padding, model.avg.kernel_size)
with torch.no_grad():
    for i, p in enumerate(model.parameters()):
        p.copy_((torch.arange(p.numel(), dtype=torch.float32) * 0.61 + i * 0.3).cos().reshape(p.shape) * 0.6)
    model.emb.weight[0].zero_()

tokens = torch.tensor([[1, 4, 2, 9, 0, 0], [3, 3, 7, 5, 8, 1], [6, 2, 0, 0, 0, 0], [9, 8, 7, 6, 5, 4]])
labels = torch.tensor([0, 2, 1, 2])
h = model.conv(model.emb(tokens).transpose(1, 2))
print(h.shape, h.grad_fn)
g = model.norm(h)
print(g.grad_fn)
print(g[0])
p = model.pool(F.relu(g))
print(p.shape, p.grad_fn)
out = model(tokens)
print(out)
loss = F.cross_entropy(out, labels)
print("loss %.4f" % loss.item())
loss.backward()
print(model.conv.weight.grad[0])
print(model.norm.weight.grad, model.norm.bias.grad)
print(model.emb.weight.grad[:3])

opt = torch.optim.AdamW(model.parameters(), lr=0.02)
for step in range(6):
    opt.zero_grad()
    loss = F.cross_entropy(model(tokens), labels)
    loss.backward()
    opt.step()
    print("step %d loss %.4f" % (step, loss.item()))
print(model(tokens).argmax(1))

x = torch.tensor([[[1.0, 3.0, 2.0, 5.0, 4.0, 0.0, 6.0]]], requires_grad=True)
vals, idx = F.max_pool1d(x, 3, stride=2, padding=1, return_indices=True)
print(vals, idx)
print(F.avg_pool1d(x, 2), F.avg_pool1d(x, 3, 2, 1, ceil_mode=True))
F.conv1d(x, torch.tensor([[[1.0, -1.0]]]), dilation=2).sum().backward()
print(x.grad)
for bad in [lambda: model.conv(torch.zeros(2, 3, 5)), lambda: F.max_pool1d(x, 9), lambda: nn.GroupNorm(4, 6),
            lambda: model.norm(torch.zeros(2, 4, 3))]:
    try:
        bad()
    except (RuntimeError, ValueError) as e:
        print(type(e).__name__ + ":", e)

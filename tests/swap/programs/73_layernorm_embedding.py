import torch
import torch.nn as nn
import torch.nn.functional as F

# a tiny bag-of-words text classifier: Embedding (with a padding row) + LayerNorm + Linear
torch.manual_seed(0)
emb = nn.Embedding(8, 4, padding_idx=0)
norm = nn.LayerNorm(4)
head = nn.Linear(4, 2)
print(emb)
print(norm)
print(nn.LayerNorm([2, 3], eps=1e-6, elementwise_affine=False))
print(nn.LayerNorm(5, bias=False))
print(emb.weight[0], emb.weight.shape, emb.weight.requires_grad)
print(norm.weight, norm.bias)
with torch.no_grad():
    emb.weight.copy_(torch.arange(32, dtype=torch.float32).reshape(8, 4).sin())
    emb.weight[0].fill_(0)
    head.weight.copy_(torch.tensor([[0.5, -0.3, 0.2, 0.1], [-0.2, 0.4, 0.1, -0.5]]))
    head.bias.fill_(0.05)
    norm.weight.copy_(torch.tensor([1.0, 0.5, 2.0, 1.5]))
    norm.bias.copy_(torch.tensor([0.1, 0.0, -0.1, 0.2]))

tokens = torch.tensor([[1, 2, 3, 0], [4, 5, 0, 0], [6, 7, 7, 1]])
labels = torch.tensor([0, 1, 0])
vectors = emb(tokens)
print(vectors.shape, vectors.grad_fn)
normed = norm(vectors)
print(normed.grad_fn)
print(normed[0])
logits = head(normed.mean(1))
loss = F.cross_entropy(logits, labels)
print("loss %.4f" % loss.item())
loss.backward()
print(emb.weight.grad)
print(norm.weight.grad)
print(norm.bias.grad)
print(head.weight.grad)

# functional forms
x = torch.tensor([[1.0, 2.0, 4.0], [-1.0, 0.0, 3.0]], requires_grad=True)
y = F.layer_norm(x, (3,))
print(y)
(y * torch.tensor([1.0, 2.0, 3.0])).sum().backward()
print(x.grad)
w = torch.tensor([[0.0, 1.0], [2.0, 3.0], [4.0, 5.0]], requires_grad=True)
out = F.embedding(torch.tensor([2, 0, 2]), w, padding_idx=2)
print(out)
out.sum().backward()
print(w.grad)

# training a few steps
opt = torch.optim.SGD(list(emb.parameters()) + list(norm.parameters()) + list(head.parameters()), lr=0.5)
for step in range(5):
    opt.zero_grad()
    loss = F.cross_entropy(head(norm(emb(tokens)).mean(1)), labels)
    loss.backward()
    opt.step()
    print("step %d loss %.4f" % (step, loss.item()))
print(emb.weight[0], emb.weight[7])
print(list(emb.state_dict().keys()), list(norm.state_dict().keys()))

# errors
try:
    norm(torch.zeros(2, 3))
except RuntimeError as e:
    print("RuntimeError:", e)
try:
    emb(torch.tensor([8]))
except IndexError as e:
    print("IndexError:", e)
try:
    emb(torch.tensor([1.0]))
except RuntimeError as e:
    print("RuntimeError:", e)

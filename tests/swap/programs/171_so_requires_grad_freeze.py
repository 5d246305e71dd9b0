# Stack Overflow: freezing layers with requires_grad=False, and checking what trains.
import torch
import torch.nn as nn

model = nn.Sequential(nn.Linear(3, 4), nn.ReLU(), nn.Linear(4, 2))
with torch.no_grad():
    for i, p in enumerate(model.parameters()):
        p.copy_((torch.arange(p.numel()) * 0.125 - 0.5).view(p.shape) * (i + 1))
for p in model[0].parameters():
    p.requires_grad = False
for name, p in model.named_parameters():
    print(name, p.requires_grad, tuple(p.shape), p.is_leaf)
trainable = sum(p.numel() for p in model.parameters() if p.requires_grad)
total = sum(p.numel() for p in model.parameters())
print("trainable", trainable, "of", total)
opt = torch.optim.SGD(filter(lambda p: p.requires_grad, model.parameters()), lr=0.1)
x = torch.tensor([[1.0, 2.0, 3.0], [-1.0, 0.0, 1.0]])
y = torch.tensor([[1.0, 0.0], [0.0, 1.0]])
before = model[0].weight.clone()
for step in range(3):
    opt.zero_grad()
    loss = ((model(x) - y) ** 2).mean()
    loss.backward()
    opt.step()
    print(step, round(loss.item(), 6), model[0].weight.grad, model[2].bias.grad)
print(torch.equal(before, model[0].weight), model[2].weight)
h = model[0](x)
print(h.requires_grad, h.grad_fn, model[1](h).requires_grad)
out = model(x)
print(out.requires_grad, out.grad_fn)
model.requires_grad_(False)
print(all(not p.requires_grad for p in model.parameters()), model(x).requires_grad, model(x).grad_fn)
model[2].requires_grad_()
print([p.requires_grad for p in model.parameters()])
frozen = nn.Linear(2, 2)
frozen.weight.requires_grad_(False)
with torch.no_grad():
    frozen.weight.copy_(torch.tensor([[1.0, 2.0], [3.0, 4.0]]))
    frozen.bias.fill_(0.5)
o = frozen(torch.tensor([[1.0, 1.0]])).sum()
o.backward()
print(frozen.weight.grad, frozen.bias.grad, o.grad_fn)
emb = nn.Embedding.from_pretrained(torch.tensor([[1.0, 2.0], [3.0, 4.0]]))
print(emb.weight.requires_grad, emb(torch.tensor([1])))
emb2 = nn.Embedding.from_pretrained(torch.tensor([[1.0, 2.0], [3.0, 4.0]]), freeze=False)
print(emb2.weight.requires_grad)
d = torch.tensor([1.0, 2.0])
d.requires_grad = True
print(d.requires_grad, d.detach().requires_grad, d.requires_grad_(False).requires_grad)
try:
    opt2 = torch.optim.SGD([p for p in nn.Linear(2, 2).parameters() if not p.requires_grad], lr=0.1)
except Exception as e:
    print(type(e).__name__, e)
try:
    (model[0].weight * 2).sum().backward()
except Exception as e:
    print(type(e).__name__, e)

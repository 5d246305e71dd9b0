from collections import OrderedDict

import torch
import torch.nn as nn

seq = nn.Sequential(nn.Linear(2, 3), nn.ReLU(), nn.Linear(3, 3), nn.ReLU(), nn.Linear(3, 1))
print(len(seq), seq[0], seq[-1])
print(seq[1:3])
print(type(seq[:2]).__name__, len(seq[::2]))
seq[1] = nn.Tanh()
del seq[3]
print(seq)
seq.append(nn.Sigmoid())
seq.insert(0, nn.Identity())
print([type(m).__name__ for m in seq])
print([n for n, _ in seq.named_children()])

named = nn.Sequential(OrderedDict([("fc1", nn.Linear(2, 2)), ("act", nn.ReLU()), ("fc2", nn.Linear(2, 1))]))
print(named)
print(named.fc1 is named[0], [k for k, _ in named.named_parameters()])
try:
    seq[10]
except IndexError as e:
    print("IndexError:", e)

blocks = nn.ModuleList([nn.Linear(4, 4) for _ in range(3)])
blocks.append(nn.LayerNorm(4))
blocks.extend([nn.ReLU(), nn.ReLU()])
print(blocks)
print(len(blocks), [type(b).__name__ for b in blocks[2:]])
with torch.no_grad():
    for i, b in enumerate(blocks):
        if isinstance(b, nn.Linear):
            b.weight.copy_(torch.eye(4) * (i + 1))
            b.bias.fill_(0.1 * i)
x = torch.tensor([[1.0, -2.0, 3.0, -4.0]])
for i, b in enumerate(blocks):
    x = b(x)
    print(i, x)

heads = nn.ModuleDict({"cls": nn.Linear(4, 3), "reg": nn.Linear(4, 1)})
heads["aux"] = nn.Linear(4, 2)
print(heads)
print(list(heads.keys()), "reg" in heads, len(heads))
for name, layer in heads.items():
    print(name, layer.out_features)
del heads["aux"]
print([k for k, _ in heads.named_parameters()])


class TiedLM(nn.Module):
    """Embedding and output projection share one weight (weight tying)."""

    def __init__(self, vocab=5, dim=3):
        super().__init__()
        self.emb = nn.Embedding(vocab, dim)
        self.proj = nn.Linear(dim, vocab, bias=False)
        self.proj.weight = self.emb.weight

    def forward(self, idx):
        return self.proj(self.emb(idx))


lm = TiedLM()
with torch.no_grad():
    lm.emb.weight.copy_(torch.arange(15, dtype=torch.float32).reshape(5, 3) / 10 - 0.7)
print(lm.proj.weight is lm.emb.weight)
print(len(list(lm.parameters())), sum(p.numel() for p in lm.parameters()))
print([n for n, _ in lm.named_parameters()])
print([n for n, _ in lm.named_parameters(remove_duplicate=False)])
print(list(lm.state_dict().keys()))
out = lm(torch.tensor([1, 3]))
print(out)
out.sum().backward()
print(lm.emb.weight.grad)

shared = nn.Linear(2, 2)
twice = nn.Sequential(shared, nn.ReLU(), shared)
print(twice)
print(len(list(twice.parameters())), len(list(twice.modules())), len(list(twice.children())))
print([n for n, _ in twice.named_modules()])

# replace a submodule by assignment and remove it with del
model = nn.Sequential(OrderedDict(conv=nn.Conv2d(1, 2, 3), pool=nn.MaxPool2d(2), fc=nn.Linear(2, 2)))
model.fc = nn.Identity()
setattr(model, "pool", nn.AvgPool2d(2))
print(model)
delattr(model, "pool")
print(model, len(model))
model.set_submodule("fc", nn.Linear(2, 2))
try:
    model.set_submodule("conv.weight", nn.ReLU())
except AttributeError as e:
    print("AttributeError:", e)
print(model.fc)

# d2l style: lazy layers infer their input size on the first call; a shared layer ties parameters
shared = nn.Linear(8, 8)
net = nn.Sequential(nn.LazyLinear(8), nn.ReLU(), shared, nn.ReLU(), shared, nn.ReLU(), nn.LazyLinear(1))
print(net)
print(net[0].weight, net[0].has_uninitialized_params(), list(net.state_dict().items())[:1])
X = torch.arange(8, dtype=torch.float32).reshape(2, 4) / 8
net(X)
print(net, [tuple(p.shape) for p in net.parameters()])
net[0].weight.data.fill_(0.01)
net[0].bias.data.fill_(0)
print(net[2].weight.data[0] == net[4].weight.data[0])
net[2].weight.data[0, 0] = 100
print(net[2].weight.data[0] == net[4].weight.data[0])
lazy_cnn = nn.Sequential(nn.LazyConv2d(2, 3, padding=1), nn.LazyBatchNorm2d(), nn.ReLU(), nn.Flatten(), nn.LazyLinear(3))
print(lazy_cnn[1].running_mean, [n for n, _ in lazy_cnn.named_buffers()])
restored = nn.LazyLinear(2)
print(restored.load_state_dict(nn.Linear(5, 2).state_dict()), restored.weight.shape, restored)
lazy_cnn(torch.ones(1, 1, 4, 4))
with torch.no_grad():
    for p in lazy_cnn.parameters():
        p.fill_(0.1)
lazy_cnn[1].reset_running_stats()  # the dummy batch ran through random weights
lazy_cnn(torch.arange(16.0).reshape(1, 1, 4, 4) / 4)
print(lazy_cnn, lazy_cnn[1].running_mean, lazy_cnn.eval()(torch.arange(16.0).reshape(1, 1, 4, 4)))

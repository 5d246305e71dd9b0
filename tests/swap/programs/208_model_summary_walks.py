# Model summary printing: print(model), parameter counts, named_parameters/named_modules/children walks
import torch
import torch.nn as nn

torch.manual_seed(13)


class Block(nn.Module):
    def __init__(self, d):
        super().__init__()
        self.fc = nn.Linear(d, d)
        self.norm = nn.LayerNorm(d)
        self.act = nn.GELU()

    def forward(self, x):
        return x + self.act(self.norm(self.fc(x)))


class Net(nn.Module):
    def __init__(self):
        super().__init__()
        self.stem = nn.Linear(4, 8)
        self.blocks = nn.ModuleList([Block(8) for _ in range(2)])
        self.head = nn.Sequential(nn.Dropout(0.1), nn.Linear(8, 3, bias=False))

    def forward(self, x):
        x = self.stem(x)
        for b in self.blocks:
            x = b(x)
        return self.head(x)


model = Net()
print(model)
total = sum(p.numel() for p in model.parameters())
trainable = sum(p.numel() for p in model.parameters() if p.requires_grad)
print(f"total {total:,} trainable {trainable:,}")
for name, p in model.named_parameters():
    print(f"{name:24s} {str(tuple(p.shape)):10s} {p.numel()}")
print([n for n, _ in model.named_modules()])
print([type(c).__name__ for c in model.children()])
print([n for n, _ in model.named_children()])
for p in model.stem.parameters():
    p.requires_grad_(False)
print(sum(p.numel() for p in model.parameters() if p.requires_grad))
print(sum(1 for m in model.modules() if isinstance(m, nn.Linear)))
print(model.blocks[1].norm, model.head[1].weight.shape)
print(model.get_submodule("blocks.0.fc"), model.get_parameter("blocks.1.norm.bias").shape)
out = model(torch.randn(2, 4))
print(out.shape, out.grad_fn.name())
print(f"{out.sum().item():.4f}")  # rounded: GELU kernel and small-m Linear last digits
size_bytes = sum(p.numel() * p.element_size() for p in model.parameters())
print(size_bytes, model.training, model.head[0].p)
print(repr(model.blocks), len(model.blocks))
try:
    model.get_submodule("blocks.5")
except AttributeError as e:
    print("AttributeError:", e)

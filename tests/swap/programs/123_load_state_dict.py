import torch
import torch.nn as nn


class Encoder(nn.Module):
    def __init__(self, d_in=4, d_hidden=3):
        super().__init__()
        self.fc = nn.Linear(d_in, d_hidden)
        self.norm = nn.BatchNorm1d(d_hidden)

    def forward(self, x):
        return torch.relu(self.norm(self.fc(x)))


class Classifier(nn.Module):
    def __init__(self, n_classes=2):
        super().__init__()
        self.encoder = Encoder()
        self.head = nn.Linear(3, n_classes)

    def forward(self, x):
        return self.head(self.encoder(x))


def fill(model):
    with torch.no_grad():
        for i, p in enumerate(model.parameters()):
            p.copy_(torch.linspace(-1.0, 1.0, p.numel()).reshape(p.shape) + 0.1 * i)


model = Classifier()
fill(model)
sd = model.state_dict()
print(type(sd).__name__, len(sd))
for k, v in sd.items():
    print(f"{k:32s} {str(tuple(v.shape)):10s} {v.dtype} {v.requires_grad}")
print(sd["head.bias"])
print(sd["encoder.norm.num_batches_tracked"])

# state_dict tensors share memory with the parameters
sd["head.bias"].add_(1.0)
print(model.head.bias)

# strict=False returns the keys that did not match
new = Classifier(n_classes=2)
partial = {k: v for k, v in sd.items() if k.startswith("encoder.")}
result = new.load_state_dict(partial, strict=False)
print(result)
print(result.missing_keys, result.unexpected_keys)
print(torch.equal(new.encoder.fc.weight, model.encoder.fc.weight))

extra = dict(sd)
extra["head.scale"] = torch.ones(1)
extra["decoder.weight"] = torch.ones(2, 2)
print(new.load_state_dict(extra, strict=False))
print(new.load_state_dict(sd))
missing, unexpected = new.load_state_dict({"head.weight": torch.zeros(2, 3)}, strict=False)
print(len(missing), unexpected)
print(new.head.weight)

# transfer learning: a head with a different number of classes
other = Classifier(n_classes=5)
try:
    other.load_state_dict(sd)
except RuntimeError as e:
    print("RuntimeError:", e)
try:
    other.load_state_dict({"head.weight": torch.zeros(5, 3)})
except RuntimeError as e:
    print("RuntimeError:", e)
filtered = {k: v for k, v in sd.items() if not k.startswith("head.")}
print(other.load_state_dict(filtered, strict=False))

# loading into a submodule and keys of a submodule's state_dict
print(list(model.encoder.state_dict().keys()))
enc = Encoder()
print(enc.load_state_dict(model.encoder.state_dict()))
print(enc.fc.bias)

# keep_vars keeps the Parameters themselves
kv = model.state_dict(keep_vars=True)
print(type(kv["head.weight"]).__name__, kv["head.weight"].requires_grad, kv["head.weight"] is model.head.weight)
print(type(sd["head.weight"]).__name__)

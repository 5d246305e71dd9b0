import io
import os
import tempfile

import torch
import torch.nn as nn


class Net(nn.Module):
    def __init__(self):
        super().__init__()
        self.fc1 = nn.Linear(3, 4)
        self.act = nn.ReLU()
        self.fc2 = nn.Linear(4, 2)

    def forward(self, x):
        return self.fc2(self.act(self.fc1(x)))


def init_fn(m):
    if isinstance(m, nn.Linear):
        nn.init.constant_(m.weight, 0.1)
        nn.init.zeros_(m.bias)


model = Net()
model.apply(init_fn)
opt = torch.optim.SGD(model.parameters(), lr=0.1, momentum=0.9)
x = torch.tensor([[1.0, 2.0, 3.0], [-1.0, 0.5, 2.0], [0.0, -1.0, 1.0]])
target = torch.tensor([0, 1, 1])
for epoch in range(3):
    opt.zero_grad()
    loss = nn.functional.cross_entropy(model(x), target)
    loss.backward()
    opt.step()
print(f"loss after 3 epochs: {loss.item():.6f}")

# save to an in-memory buffer
buffer = io.BytesIO()
torch.save(model.state_dict(), buffer)
buffer.seek(0)
state = torch.load(buffer)
print(type(state).__name__, list(state.keys()))
for k, v in state.items():
    print(k, tuple(v.shape), v.dtype, v.requires_grad)

restored = Net()
result = restored.load_state_dict(state)
print(result)
print(torch.equal(restored(x), model(x)), restored.fc2.bias)

# a full checkpoint in a temporary file
with tempfile.TemporaryDirectory() as tmp:
    path = os.path.join(tmp, "checkpoint.pt")
    torch.save({"epoch": 3, "model_state_dict": model.state_dict(),
                "optimizer_state_dict": opt.state_dict(), "loss": loss.item()}, path)
    ckpt = torch.load(path, weights_only=True)
    print(sorted(ckpt.keys()), ckpt["epoch"], round(ckpt["loss"], 6))
    model2 = Net()
    opt2 = torch.optim.SGD(model2.parameters(), lr=0.5)
    model2.load_state_dict(ckpt["model_state_dict"])
    opt2.load_state_dict(ckpt["optimizer_state_dict"])
    print(opt2.param_groups[0]["lr"], opt2.param_groups[0]["momentum"])
    print(opt2.state_dict()["state"][3]["momentum_buffer"])

# resuming gives the same trajectory as not stopping
for m, o in ((model, opt), (model2, opt2)):
    o.zero_grad()
    l = nn.functional.cross_entropy(m(x), target)
    l.backward()
    o.step()
    print(f"{l.item():.7f}", m.fc1.weight[0].tolist())

# saving a whole tensor, a list of tensors and a mistake
buf = io.BytesIO()
torch.save([torch.arange(3), torch.ones(2, 2)], buf)
buf.seek(0)
print(torch.load(buf))
bad = {k.replace("fc", "layer"): v for k, v in state.items()}
try:
    Net().load_state_dict(bad)
except RuntimeError as e:
    print(str(e).splitlines()[0])
print(Net().load_state_dict(bad, strict=False))

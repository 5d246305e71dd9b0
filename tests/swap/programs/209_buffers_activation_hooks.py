# register_buffer (persistent and not) and forward hooks capturing activations
import torch
import torch.nn as nn


class Normalizer(nn.Module):
    def __init__(self, mean, std):
        super().__init__()
        self.register_buffer("mean", torch.tensor(mean))
        self.register_buffer("std", torch.tensor(std))
        self.register_buffer("calls", torch.zeros((), dtype=torch.long), persistent=False)

    def forward(self, x):
        self.calls += 1
        return (x - self.mean) / self.std


torch.manual_seed(14)
model = nn.Sequential(Normalizer([0.5, 1.0, -1.0], [2.0, 0.5, 1.0]), nn.Linear(3, 32), nn.ReLU(),
                      nn.Linear(32, 32), nn.ReLU(), nn.Linear(32, 2))
print(model[0].mean, model[0].std.dtype)
print([n for n, _ in model.named_buffers()])
print(list(model.state_dict().keys()))
activations = {}


def save_activation(name):
    def hook(module, inp, out):
        activations[name] = out.detach()
    return hook


handles = [m.register_forward_hook(save_activation(n)) for n, m in model.named_modules()
           if isinstance(m, nn.ReLU)]
x = torch.randn(40, 3)
out = model(x)
print(sorted(activations), model[0].calls)
for k, a in activations.items():
    print(k, tuple(a.shape), f"dead fraction {(a == 0).float().mean().item():.3f}", a.requires_grad)
print(torch.equal(activations["2"], torch.relu(model[1](model[0](x)))))
for h in handles:
    h.remove()
activations.clear()
model(x)
print(len(activations), model[0].calls.item())
pre = model[1].register_forward_pre_hook(lambda m, inp: (inp[0] * 0,))
print(torch.equal(model(x)[0], model(torch.zeros(1, 3))[0]))
pre.remove()
grads = {}
model[3].register_full_backward_hook(lambda m, gi, go: grads.update(go=go[0].shape, gi=gi[0].shape))
model(x).sum().backward()
print(grads)
model.to(torch.float64)
print(model[0].mean.dtype, model[0].calls.dtype, model[1].weight.dtype)
try:
    model[0].register_buffer("a.b", None)
except KeyError as e:
    print("KeyError:", e)

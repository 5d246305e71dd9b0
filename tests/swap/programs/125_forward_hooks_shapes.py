import torch
import torch.nn as nn


model = nn.Sequential(
    nn.Conv2d(1, 4, kernel_size=3, padding=1),
    nn.ReLU(),
    nn.MaxPool2d(2),
    nn.Conv2d(4, 8, kernel_size=3),
    nn.ReLU(),
    nn.AdaptiveAvgPool2d((1, 1)),
    nn.Flatten(),
    nn.Linear(8, 2),
)
with torch.no_grad():
    for i, p in enumerate(model.parameters()):
        p.copy_(torch.cos(torch.arange(p.numel(), dtype=torch.float32) * 0.7 + i).reshape(p.shape) * 0.3)


def shape_hook(module, inputs, output):
    print(f"{module.__class__.__name__:18s} in={tuple(inputs[0].shape)} out={tuple(output.shape)}")


handles = [m.register_forward_hook(shape_hook) for m in model.children()]
print(handles[0])
x = torch.linspace(-1, 1, 2 * 8 * 8).reshape(2, 1, 8, 8)
out = model(x)
print(out)
for h in handles:
    h.remove()
print("after remove:")
model(x)

# collect activations by name (feature extraction)
activations = {}


def save(name):
    def hook(module, inputs, output):
        activations[name] = output.detach()
    return hook


for name, module in model.named_modules():
    if isinstance(module, (nn.Conv2d, nn.Linear)):
        module.register_forward_hook(save(name))
model(x)
for name, act in activations.items():
    print(name, act.shape, act.requires_grad, round(act.abs().mean().item(), 4))


# a pre-hook that rescales the input and a hook that replaces the output
def pre(module, args):
    print("pre-hook got", type(args).__name__, len(args), args[0].shape)
    return (args[0] * 2,)


def post(module, args, output):
    return output + 100


lin = nn.Linear(3, 2)
with torch.no_grad():
    lin.weight.copy_(torch.tensor([[1.0, 0.0, -1.0], [0.5, 0.5, 0.5]]))
    lin.bias.zero_()
h1 = lin.register_forward_pre_hook(pre)
h2 = lin.register_forward_hook(post)
v = torch.tensor([[1.0, 2.0, 3.0]])
print(lin(v))
h1.remove()
print(lin(v))
h2.remove()
print(lin(v))
print(lin.forward(v))  # calling forward directly skips hooks


# hooks with kwargs and a counter kept on the module
def count_calls(module, args, kwargs, output):
    module.calls = getattr(module, "calls", 0) + 1
    print("kwargs:", sorted(kwargs), "calls:", module.calls)


class Scale(nn.Module):
    def forward(self, x, factor=1.0):
        return x * factor


s = Scale()
s.register_forward_hook(count_calls, with_kwargs=True)
print(s(v, factor=3.0))
print(s(v))
print(s.calls, "calls" in dict(s.named_parameters()))

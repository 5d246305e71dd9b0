import torch
import torch.nn as nn

torch.manual_seed(0)
model = nn.Sequential(nn.Linear(3, 2), nn.Tanh(), nn.Linear(2, 1))
with torch.no_grad():
    model[0].weight.copy_(torch.tensor([[0.5, -1.0, 0.25], [1.0, 0.5, -0.5]]))
    model[0].bias.copy_(torch.tensor([0.1, -0.1]))
    model[2].weight.copy_(torch.tensor([[1.5, -2.0]]))
    model[2].bias.fill_(0.3)


def show(name):
    def hook(module, grad_input, grad_output):
        print(name, type(module).__name__)
        print("  grad_input ", grad_input)
        print("  grad_output", grad_output)
    return hook


def double_grad_output(module, grad_output):
    print("pre", type(module).__name__, grad_output)
    return tuple(g * 2 for g in grad_output)


handles = [model[0].register_full_backward_hook(show("first")),
           model[1].register_full_backward_hook(show("act")),
           model[2].register_full_backward_pre_hook(double_grad_output)]
x = torch.tensor([[1.0, 2.0, 3.0], [0.5, -1.0, 0.0]], requires_grad=True)
out = model(x)
print(out)
out.sum().backward()
print(x.grad)
print(model[0].weight.grad)
for h in handles:
    h.remove()
model.zero_grad()
x.grad = None
model(x).sum().backward()
print(x.grad)


def clip_input_grad(module, grad_input, grad_output):
    return tuple(None if g is None else g.clamp(-0.1, 0.1) for g in grad_input)


model[0].register_full_backward_hook(clip_input_grad)
x.grad = None
model(x).sum().backward()
print(x.grad)


class Pair(nn.Module):
    def forward(self, a, b, scale):
        return a * b * scale, a - b


pair = Pair()
pair.register_full_backward_hook(show("pair"))
a = torch.tensor([1.0, 2.0], requires_grad=True)
b = torch.tensor([3.0, -1.0])
p, q = pair(a, b, 0.5)
(p.sum() + q.pow(2).sum()).backward()
print(a.grad, p.grad_fn)

import torch
import torch.nn as nn


class RunningNorm(nn.Module):
    """Normalizes with running statistics kept in buffers (the classic register_buffer example)."""

    def __init__(self, num_features, momentum=0.5):
        super().__init__()
        self.momentum = momentum
        self.register_buffer("running_mean", torch.zeros(num_features))
        self.register_buffer("running_var", torch.ones(num_features))
        self.register_buffer("steps", torch.tensor(0, dtype=torch.long))
        self.register_buffer("scratch", torch.zeros(2), persistent=False)
        self.register_parameter("gain", nn.Parameter(torch.ones(num_features)))
        self.register_parameter("shift", None)

    def forward(self, x):
        if self.training:
            m = x.mean(0)
            v = x.var(0, unbiased=False)
            with torch.no_grad():
                self.running_mean.mul_(1 - self.momentum).add_(self.momentum * m)
                self.running_var.mul_(1 - self.momentum).add_(self.momentum * v)
                self.steps += 1
        else:
            m, v = self.running_mean, self.running_var
        return (x - m) / torch.sqrt(v + 1e-5) * self.gain

    def extra_repr(self):
        return f"num_features={self.gain.numel()}, momentum={self.momentum}"


norm = RunningNorm(3)
print(norm)
print([n for n, _ in norm.named_parameters()])
print([(n, b.shape, b.dtype) for n, b in norm.named_buffers()])
print(list(norm.state_dict().keys()))
print(norm.shift, norm._parameters.keys())

x = torch.tensor([[1.0, 2.0, 3.0], [3.0, 2.0, 1.0], [2.0, 5.0, 0.0], [0.0, 3.0, 4.0]])
y = norm(x)
print(y)
norm(x * 2)
print(norm.running_mean, norm.running_var, norm.steps)
norm.eval()
print(norm(x))
print(norm.training, norm.state_dict()["steps"])

for name, buf in norm.named_buffers():
    print(name, buf.requires_grad, isinstance(buf, nn.Parameter))
for name, p in norm.named_parameters():
    print(name, p.requires_grad, isinstance(p, nn.Parameter), type(p).__name__)

# assigning to a buffer name keeps it a buffer
norm.running_mean = torch.full((3,), 7.0)
print("running_mean" in dict(norm.named_buffers()), norm.running_mean)

wrapper = nn.Sequential(nn.Linear(3, 3), norm)
print(wrapper)
print([n for n, _ in wrapper.named_buffers()])
print(list(wrapper.state_dict().keys()))
print(sum(b.numel() for b in wrapper.buffers()), sum(p.numel() for p in wrapper.parameters()))

for bad in [lambda: norm.register_buffer("gain", torch.zeros(3)),
            lambda: norm.register_buffer("a.b", torch.zeros(3)),
            lambda: norm.register_buffer("w", [1.0, 2.0]),
            lambda: norm.register_parameter("p", torch.zeros(2)),
            lambda: setattr(norm, "gain", torch.zeros(3))]:
    try:
        bad()
    except Exception as e:
        print(type(e).__name__, e)

class Stats(nn.Module):
    def __init__(self):
        super().__init__()
        self.total = nn.Buffer(torch.zeros(2))  # assignment form of register_buffer (PyTorch >= 2.5)
        self.cache = nn.Buffer(torch.ones(1), persistent=False)


st = Stats()
print(list(st.state_dict()), [n for n, _ in st.named_buffers()], type(st.total), isinstance(st.total, nn.Buffer))

norm.register_buffer("extra", None)
print([n for n, _ in norm.named_buffers()], "extra" in norm.state_dict())
del norm.running_var
print(list(norm.state_dict().keys()))

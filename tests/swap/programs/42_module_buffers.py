import torch
import torch.nn as nn


class RunningNorm(nn.Module):
    def __init__(self, n):
        super().__init__()
        self.scale = nn.Parameter(torch.ones(n))
        self.shift = nn.Parameter(torch.zeros(n))
        self.register_buffer("running_mean", torch.zeros(n))
        self.register_buffer("count", torch.tensor(0))

    def forward(self, x):
        if self.training:
            with torch.no_grad():
                self.running_mean.mul_(0.9).add_(0.1 * x.mean(0))
                self.count += 1
        return (x - self.running_mean) * self.scale + self.shift


m = RunningNorm(3)
print(m)
for name, b in m.named_buffers():
    print("buffer", name, b)
for name, p in m.named_parameters():
    print("param", name, p.shape, p.requires_grad)
print(sorted(m.state_dict().keys()))
x = torch.arange(6, dtype=torch.float32).reshape(2, 3)
out = m(x)
out = m(x)
print(m.running_mean, m.count)
print(out)
m.eval()
print(m.training, m(x))
print(len(list(m.buffers())), len(list(m.parameters())))
print(sum(p.numel() for p in m.parameters()))
out.sum().backward()
print(m.scale.grad, m.shift.grad)
print(m.running_mean.requires_grad, m.scale.is_leaf)

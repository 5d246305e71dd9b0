import torch
import torch.nn as nn

# an MLP with BatchNorm1d: batch statistics while training, running statistics in eval
model = nn.Sequential(nn.Linear(3, 4), nn.BatchNorm1d(4), nn.ReLU(), nn.Linear(4, 2))
print(model)
bn = model[1]
print(bn.running_mean, bn.running_var, bn.num_batches_tracked)
print(list(model.state_dict().keys()))
for name, b in model.named_buffers():
    print(name, b.dtype, tuple(b.shape))
with torch.no_grad():
    model[0].weight.copy_(torch.arange(12, dtype=torch.float32).reshape(4, 3).cos())
    model[0].bias.copy_(torch.tensor([0.1, -0.2, 0.3, 0.0]))
    model[3].weight.copy_(torch.arange(8, dtype=torch.float32).reshape(2, 4).sin())
    model[3].bias.zero_()
    bn.weight.copy_(torch.tensor([1.0, 0.5, 1.5, 2.0]))
    bn.bias.copy_(torch.tensor([0.0, 0.1, -0.1, 0.2]))

X = torch.arange(18, dtype=torch.float32).reshape(6, 3) / 7 - 1
y = torch.tensor([0, 1, 1, 0, 1, 0])
out = model(X)
print(out.grad_fn, model[1](model[0](X)).grad_fn)
print(bn.running_mean, bn.running_var, bn.num_batches_tracked)
opt = torch.optim.SGD(model.parameters(), lr=0.1, momentum=0.9)
loss_fn = nn.CrossEntropyLoss()
for step in range(8):
    opt.zero_grad()
    loss = loss_fn(model(X), y)
    loss.backward()
    if step == 0:
        print(bn.weight.grad, bn.bias.grad)
    opt.step()
    print("step %d loss %.4f" % (step, loss.item()))
print(bn.running_mean)
print(bn.running_var)
print(bn.num_batches_tracked)
model.eval()
with torch.no_grad():
    print(model(X))
    print(model(X[:1]))

# cumulative averages (momentum=None), no affine, no running stats
cum = nn.BatchNorm1d(2, momentum=None, affine=False)
print(cum, list(cum.state_dict().keys()))
for k in range(3):
    cum(torch.tensor([[1.0, 2.0], [3.0, 5.0], [k * 1.0, -1.0]]))
print(cum.running_mean, cum.running_var, cum.num_batches_tracked)
free = nn.BatchNorm1d(2, track_running_stats=False)
print(free, list(free.state_dict().keys()), free.running_mean)
free.eval()
print(free(torch.tensor([[1.0, 2.0], [3.0, 6.0]])))
seq = nn.BatchNorm1d(2)
print(seq(torch.tensor([[[1.0, 2.0, 3.0], [0.0, 1.0, 0.0]], [[2.0, 2.0, 1.0], [4.0, 1.0, 2.0]]])))
seq.reset_running_stats()
print(seq.running_mean, seq.num_batches_tracked)

try:
    nn.BatchNorm1d(4)(torch.zeros(1, 4))
except ValueError as e:
    print("ValueError:", e)
try:
    nn.BatchNorm1d(4)(torch.zeros(2, 4, 3, 3))
except ValueError as e:
    print("ValueError:", e)
try:
    nn.BatchNorm1d(4)(torch.zeros(3, 5))
except RuntimeError as e:
    print("RuntimeError:", e)

import torch

x = torch.tensor([[3.0, 1.0, 4.0, 1.5], [9.0, 2.0, 6.0, 5.0], [5.0, 3.5, 0.5, 8.0]], requires_grad=True)
print(x.kthvalue(2, 1))
print(torch.kthvalue(x, 3, dim=0, keepdim=True))
print(x.kthvalue(1))
k = x.kthvalue(2, 1)
(k.values * torch.tensor([1.0, 2.0, 3.0])).sum().backward()
print(x.grad)
m = torch.tensor([[1.0, 3.0, 3.0, 2.0, 1.0, 5.0], [2.0, 2.0, 7.0, 7.0, 0.0, 1.0]], requires_grad=True)
print(m.mode(1))
print(torch.mode(m, 0, keepdim=True))
m.mode(1).values.sum().backward()
print(m.grad)
print(torch.tensor([1, 3, 3, 2, 1, 5]).mode())
print(x.msort())
x.grad = None
(x.msort() * torch.arange(12.0).reshape(3, 4)).sum().backward()
print(x.grad)

n = torch.tensor([[1.0, float('nan'), 2.0], [float('nan'), 3.0, -1.0]], requires_grad=True)
print(n.nansum(), torch.nansum(n, 1), n.nanmean(), torch.nanmean(n, 0, keepdim=True))
(n.nansum(1) * torch.tensor([1.0, 2.0])).sum().backward()
print(n.grad)
print(torch.tensor([1, 2, 3], dtype=torch.int32).nansum(), torch.tensor([float('nan')]).nanmean())

s, mu = torch.std_mean(x)
print(s, mu)
print(torch.std_mean(x, 1, keepdim=True))
print(torch.var_mean(x, dim=0, correction=0))
print(torch.var_mean(x, 1, False))
x.grad = None
v, mu = torch.var_mean(x, 1)
(v + mu * 2).sum().backward()
print(x.grad)
for bad in [lambda: x.kthvalue(5, 1), lambda: torch.tensor([1, 2]).nanmean(),
            lambda: torch.std_mean(torch.tensor([1, 2])), lambda: torch.var_mean(torch.tensor([1, 2]))]:
    try:
        bad()
    except RuntimeError as e:
        print('RuntimeError:', e)

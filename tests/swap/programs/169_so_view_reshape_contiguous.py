# Stack Overflow: view vs reshape vs contiguous, and when view fails.
import torch

x = torch.arange(12)
print(x.view(3, 4), x.view(-1, 6).shape, x.reshape(2, 2, 3).shape)
y = x.view(3, 4)
print(y.is_contiguous(), y.stride(), y.t().is_contiguous(), y.t().stride())
t = y.t()
try:
    t.view(12)
except Exception as e:
    print(type(e).__name__, e)
print(t.reshape(12))
print(t.contiguous().view(12), t.contiguous().is_contiguous())
y[0, 0] = 100
print(x[:4])
r = t.reshape(12)
r[0] = -5
print(y[0, 0])
z = x.view(3, 4)
z.add_(1)
print(x)
print(x.view(2, 6).storage_offset(), x[3:].view(3, 3).storage_offset())
p = torch.arange(24).view(2, 3, 4).permute(2, 0, 1)
print(p.shape, p.stride(), p.is_contiguous())
print(p.contiguous().stride())
print(torch.arange(6).view(2, 3).transpose(0, 1).flatten())
print(torch.arange(6).view(1, 2, 3).squeeze(0).shape, torch.arange(6).view(2, 3).unsqueeze(1).shape)
try:
    torch.arange(12).view(5, -1)
except Exception as e:
    print(type(e).__name__, e)
try:
    torch.arange(12).view(-1, -1)
except Exception as e:
    print(type(e).__name__, e)
try:
    torch.arange(12).reshape(5, 3)
except Exception as e:
    print(type(e).__name__, e)
a = torch.tensor([[1.0, 2.0], [3.0, 4.0]], requires_grad=True)
v = a.view(4)
rr = a.t().reshape(4)
print(v.grad_fn, rr.grad_fn, a.t().grad_fn, a.t().contiguous().grad_fn)
(v * torch.tensor([1.0, 2.0, 3.0, 4.0])).sum().backward()
print(a.grad)
print(x.view(3, 4)[:, 1].is_contiguous(), x.view(3, 4)[1].is_contiguous(), x.view(3, 4)[:, 1].stride())
e = torch.arange(8).view(2, 4)[:, ::2]
print(e, e.stride(), e.is_contiguous())
print(torch.arange(4).expand(3, 4).stride(), torch.arange(4).expand(3, 4).is_contiguous())
print(torch.arange(6).view(2, 3).view_as(torch.zeros(3, 2)))
print(torch.arange(6).unflatten(0, (2, 3)), torch.arange(24).view(2, 3, 4).flatten(1).shape)
print(torch.arange(6.0).view(2, 3).view(torch.int32).dtype if False else x.dtype)

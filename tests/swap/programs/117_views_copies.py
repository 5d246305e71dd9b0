# Views vs copies: view/reshape/transpose/permute/contiguous, squeeze/unsqueeze, flatten, expand vs repeat.
import torch

x = torch.arange(12)
v = x.view(3, 4)
v[0, 0] = 100
print(x[:3], v.shape, v.is_contiguous())
r = x.reshape(2, 6)
r[1, 5] = -1
print(x[-2:], r)
c = x.clone().view(4, 3)
c.fill_(0)
print(x.sum(), c.sum())
t = v.t()
print(t.shape, t.is_contiguous(), t.stride())
try:
    t.view(12)
except RuntimeError as e:
    print("RuntimeError:", e)
print(t.reshape(12), t.contiguous().view(-1)[:4], t.flatten()[:4])
print(v.view(-1, 2).shape, v.view(2, -1, 2).shape, v.reshape(-1).shape, v.view(torch.Size([6, 2])).shape)
try:
    v.view(5, -1)
except RuntimeError as e:
    print("RuntimeError:", e)
try:
    v.view(-1, -1)
except RuntimeError as e:
    print("RuntimeError:", e)
img = torch.arange(24.0).reshape(2, 3, 4)
print(img.permute(2, 0, 1).shape, img.transpose(0, 1).shape, img.transpose(-1, -2)[0])
print(img.permute(0, 2, 1).contiguous().is_contiguous(), img.mT.shape, img.movedim(0, -1).shape)
z = torch.zeros(1, 3, 1, 2)
print(z.squeeze().shape, z.squeeze(0).shape, z.squeeze(1).shape, z.squeeze(-2).shape, z.squeeze((0, 2)).shape)
print(z.unsqueeze(0).shape, z.unsqueeze(-1).shape, torch.tensor([1, 2, 3]).unsqueeze(1))
print(torch.tensor([1, 2, 3])[None, :].shape, torch.tensor([1, 2, 3])[:, None].shape, torch.tensor(5)[None])
print(img.flatten().shape, img.flatten(1).shape, img.flatten(0, 1).shape, img.unflatten(2, (2, 2)).shape)
print(img.ravel()[:5], torch.flatten(img, start_dim=1).shape)
row = torch.tensor([[1, 2, 3]])
e = row.expand(3, 3)
print(e, e.stride(), e.is_contiguous())
print(row.expand(2, -1), torch.tensor([[1], [2]]).expand(-1, 4))
rp = row.repeat(2, 2)
print(rp, rp.shape, torch.tensor([1, 2]).repeat(3), torch.tensor([1, 2]).repeat(2, 1, 2).shape)
print(torch.tensor([1, 2]).repeat_interleave(2), torch.tensor([[1, 2], [3, 4]]).repeat_interleave(2, dim=0))
try:
    row.expand(3, 4)
except RuntimeError as e:
    print("RuntimeError:", e)
base = torch.zeros(2, 2)
alias = base[0]
alias += 5
print(base)
copy = base[[0]]
copy += 1
print(base, copy)
d = base.detach()
d[1, 1] = 9
print(base)
n = base.numpy()
n[1, 0] = 7
print(base, x.view(3, 4).data_ptr() == x.data_ptr())
a = torch.arange(6).view(2, 3)
b = a.view_as(torch.empty(3, 2))
b[0, 0] = 42
print(a, b, a.view(3, 2).equal(b))
print(torch.arange(6).view(2, 3).T.reshape(6), torch.arange(6).view(2, 3).t().flatten())

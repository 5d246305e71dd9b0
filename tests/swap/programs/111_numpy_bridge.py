# Bridge with NumPy: from_numpy and .numpy() share memory, torch.tensor copies.
import torch
import numpy as np

a = np.ones(5)
b = torch.from_numpy(a)
print(a, b)
np.add(a, 1, out=a)
print(f"a: {a}")
print(f"b: {b}")

t = torch.ones(5)
print(f"t: {t}")
n = t.numpy()
print(f"n: {n}")
t.add_(1)
print(f"t: {t}")
print(f"n: {n}")

c = np.arange(6, dtype=np.int32).reshape(2, 3)
d = torch.tensor(c)
e = torch.as_tensor(c)
c[0, 0] = 100
print(d)
print(e)
print(d.dtype, e.dtype, torch.from_numpy(np.zeros(2, dtype=np.float16)).dtype)
print(torch.from_numpy(np.array([True, False])))
print(torch.from_numpy(np.array([1.5, 2.5], dtype=np.float32)).dtype)

x = torch.arange(4.0)
y = x.numpy()
y[1] = -7
print(x)
z = x.clone()
z[0] = 42
print(x, z)
w = x.detach()
w[3] = 9
print(x)

print(x.numpy().dtype, torch.arange(3).numpy().dtype, torch.tensor([True]).numpy().dtype)
print(type(x.numpy()), type(x.tolist()), type(x[0].item()))
print(x.tolist(), torch.tensor([[1, 2], [3, 4]]).tolist(), torch.tensor(5).tolist())
print(torch.tensor([1.5, 2.5]).numpy() * 2)

req = torch.tensor([1.0, 2.0], requires_grad=True)
try:
    req.numpy()
except RuntimeError as err:
    print("RuntimeError:", err)
print(req.detach().numpy())

m = np.array([[1.0, 2.0], [3.0, 4.0]])
tm = torch.from_numpy(m)
print(tm.dtype, tm @ tm)
print(torch.from_numpy(m.T).is_contiguous(), torch.from_numpy(m.T).stride())
print(np.asarray(torch.tensor([3, 4])))
print(torch.tensor([1, 2]).numpy().tolist())
print(torch.from_numpy(np.arange(3)).float() / 2)

# in-place ops end with an underscore and change the tensor (and every view / numpy alias of it)
s = torch.tensor([1.0, 2.0, 3.0])
alias = s.numpy()
print(s.add(1), s)
print(s.add_(1), s, alias)
s.mul_(2).sub_(1)
print(s, s.clamp_(max=6.0), s.zero_(), s.fill_(0.5), alias)
k = torch.arange(6).reshape(2, 3)
k[0].mul_(10)
k.t_()
print(k, k.shape, k.abs_().neg_(), k.unsqueeze_(0).shape, k.squeeze_().shape)
g = torch.tensor([1.0, 4.0, 9.0])
print(g.sqrt_(), g.pow_(2), g.div_(3), g.exp_().log_(), g.copy_(torch.tensor([7, 8, 9])), g.dtype)

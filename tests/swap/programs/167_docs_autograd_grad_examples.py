# torch.autograd.grad / backward usage as shown in the autograd docs and tutorials.
import torch

x = torch.tensor([1.0, 2.0, 3.0], requires_grad=True)
y = x ** 3
g, = torch.autograd.grad(y.sum(), x, retain_graph=True)
print(g, g.requires_grad)
g2, = torch.autograd.grad(y.sum(), x, create_graph=True)
print(g2, g2.grad_fn)
h, = torch.autograd.grad(g2.sum(), x)
print(h)
a = torch.tensor([2.0, 3.0], requires_grad=True)
b = torch.tensor([6.0, 4.0], requires_grad=True)
Q = 3 * a ** 3 - b ** 2
external_grad = torch.tensor([1.0, 1.0])
Q.backward(gradient=external_grad)
print(9 * a ** 2 == a.grad, -2 * b == b.grad)
print(a.grad, b.grad)
print(Q.grad_fn, Q.grad_fn.next_functions)
w = torch.tensor([[0.5, -0.25], [1.0, 2.0]], requires_grad=True)
bias = torch.tensor([0.1, -0.1], requires_grad=True)
inp = torch.tensor([[1.0, 2.0], [3.0, 4.0], [-1.0, 0.5]])
z = torch.matmul(inp, w) + bias
loss = torch.nn.functional.binary_cross_entropy_with_logits(z, torch.tensor([[1.0, 0.0], [0.0, 1.0], [1.0, 1.0]]))
print(loss, z.grad_fn, loss.grad_fn)
gw, gb = torch.autograd.grad(loss, [w, bias], retain_graph=True)
print(gw, gb)
loss.backward()
print(torch.allclose(w.grad, gw), torch.equal(bias.grad, gb))
u = torch.tensor(2.0, requires_grad=True)
v = torch.tensor(5.0, requires_grad=True)
out = u * v + u.exp()
du, dv = torch.autograd.grad(out, (u, v))
print(du, dv)
unused = torch.tensor(1.0, requires_grad=True)
r = torch.autograd.grad((u * 2), [u, unused], allow_unused=True)
print(r)
try:
    torch.autograd.grad(u * 2, [u, unused])
except Exception as e:
    print(type(e).__name__, e)
try:
    torch.autograd.grad(x * 2, x)
except Exception as e:
    print(type(e).__name__, e)
p = x * 2
gp, = torch.autograd.grad(p, x, grad_outputs=torch.ones_like(p))
print(gp)
s = (x * x).sum()
s.backward(retain_graph=True)
s.backward()
print(x.grad)
x.grad.zero_()
print(x.grad)
try:
    s.backward()
    s.backward()
except Exception as e:
    print(type(e).__name__, e)
print(torch.autograd.grad((x ** 2).sum(), x, retain_graph=False)[0])
m = torch.tensor([[1.0, 2.0], [3.0, 4.0]], requires_grad=True)
for name, out in [("diag", m.diag()), ("diag1d", m[0].diag()), ("t1d", m[0].t()), ("T1d", m[0].T),
                  ("reshape_t", m.t().reshape(4)), ("contig_t", m.t().contiguous()), ("trace", m.trace())]:
    print(name, out.grad_fn.name(), tuple(out.shape))

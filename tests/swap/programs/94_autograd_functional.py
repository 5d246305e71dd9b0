# torch.autograd.functional: jacobian / hessian / vjp / jvp / hvp / vhp
import torch
from torch.autograd.functional import jacobian, hessian, vjp, jvp, hvp, vhp


def exp_adder(x, y):
    return 2 * x.exp() + 3 * y


inputs = (torch.tensor([0.0, 1.0]), torch.tensor([1.0, 2.0]))
jx, jy = jacobian(exp_adder, inputs)
print(jx)
print(jy)


def f(x):
    return torch.stack([x[0] ** 2 * x[1], 5 * x[0] + torch.sin(x[1])])


x0 = torch.tensor([1.0, 2.0])
J = jacobian(f, x0)
print(J, J.shape)


def pow_reducer(x):
    return x.pow(3).sum()


H = hessian(pow_reducer, torch.tensor([[1.0, 2.0], [3.0, 4.0]]))
print(H.shape)
print(H.reshape(4, 4))


def rosen(x):
    return (1 - x[0]) ** 2 + 100 * (x[1] - x[0] ** 2) ** 2


print(hessian(rosen, torch.tensor([1.0, 1.0])))
print(jacobian(rosen, torch.tensor([0.5, 0.5])))

# vector-Jacobian and Jacobian-vector products
def g(x):
    return x ** 2 + x.sum()


xv = torch.tensor([1.0, 2.0, 3.0])
vv = torch.tensor([1.0, 0.0, 1.0])
out, vjp_val = vjp(g, xv, vv)
print(out, vjp_val)
out, jvp_val = jvp(g, xv, vv)
print(out, jvp_val)
print(torch.allclose(vjp_val, jacobian(g, xv).t() @ vv))

val, hv = hvp(pow_reducer, xv, vv)
print(val, hv)
val, vh = vhp(pow_reducer, xv, vv)
print(val, vh)

# scalar function: vjp without v
s_out, s_grad = vjp(pow_reducer, xv)
print(s_out, s_grad)

# mistake: vjp of a vector output without v
try:
    vjp(g, xv)
except RuntimeError as e:
    print(type(e).__name__, e)

# create_graph keeps the result differentiable
xc = torch.tensor([1.0, 2.0], requires_grad=True)
Jc = jacobian(lambda t: t ** 3, xc, create_graph=True)
print(Jc.requires_grad)
Jc.trace().backward()
print(xc.grad)
print(jacobian(lambda t: t ** 3, xc).requires_grad)

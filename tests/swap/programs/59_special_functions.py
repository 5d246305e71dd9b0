import torch

x = torch.tensor([-1.5, -0.2, 0.0, 0.4, 2.5], requires_grad=True)
p = torch.tensor([0.1, 0.3, 0.5, 0.8, 0.95], requires_grad=True)
funcs = {
    'erf': lambda: torch.erf(x), 'erfc': lambda: x.erfc(), 'exp2': lambda: torch.exp2(x),
    'deg2rad': lambda: torch.deg2rad(x * 90), 'rad2deg': lambda: x.rad2deg(), 'sinc': lambda: torch.sinc(x),
    'logit': lambda: torch.logit(p), 'logit_eps': lambda: p.logit(eps=0.2), 'xlogy': lambda: torch.xlogy(p, x.abs() + 1),
    'xlogy_scalar': lambda: torch.xlogy(2.0, p), 'hypot': lambda: torch.hypot(x, p),
    'logaddexp': lambda: torch.logaddexp(x, p), 'float_power': lambda: torch.float_power(p, 2),
    'nan_to_num': lambda: torch.nan_to_num(x / p), 'sgn': lambda: torch.sgn(x),
}
for name, f in funcs.items():
    x.grad = None
    p.grad = None
    y = f()
    y.sum().backward()
    print(name, y, x.grad, p.grad, sep='\n')

# GELU written with erf, checked against F.gelu, and its second derivative
z = torch.linspace(-2, 2, 5, requires_grad=True)
gelu = 0.5 * z * (1 + torch.erf(z / 2 ** 0.5))
print(gelu, torch.nn.functional.gelu(z))
g, = torch.autograd.grad(gelu.sum(), z, create_graph=True)
h, = torch.autograd.grad(g.sum(), z)
print(g, h)

# special values
inf, nan = float('inf'), float('nan')
print(torch.nan_to_num(torch.tensor([nan, inf, -inf, 1.0])))
print(torch.nan_to_num(torch.tensor([nan, inf, -inf, 1.0]), nan=0.5, posinf=9.0, neginf=-9.0))
print(torch.nan_to_num(torch.tensor([1, 2])), torch.tensor([nan, 2.0], dtype=torch.float64).nan_to_num())
print(torch.erfc(torch.tensor([3.0, 5.0, 10.0])), torch.erf(torch.tensor([0.5, 3.0], dtype=torch.float64)))
print(torch.exp2(torch.tensor([0, 3, 10])), torch.sinc(torch.tensor([0.0, 1.0, 0.5])))
print(torch.xlogy(torch.tensor([0.0, 0.0, 1.0]), torch.tensor([0.0, 2.0, 0.0])))
print(torch.logaddexp(torch.tensor([-inf, 1.0, -100.0]), torch.tensor([-inf, 1.0, 0.0])))
print(torch.logit(torch.tensor([0.0, 0.25, 1.0])), torch.logit(torch.tensor([0, 1]), eps=0.1))
print(torch.heaviside(torch.tensor([-2.0, 0.0, 3.0]), torch.tensor([0.5])))
print(torch.heaviside(torch.tensor([-2, 0, 3]), torch.tensor([7])))
print(torch.float_power(torch.tensor([2, 3]), -1), torch.float_power(torch.tensor([1.5]), torch.tensor([2.0])))
print(torch.sgn(torch.tensor([-3, 0, 2])), torch.hypot(torch.tensor([3.0]), torch.tensor([4.0])))
for bad in (lambda: torch.hypot(torch.tensor([3]), torch.tensor([4])), lambda: torch.logaddexp(x, 1.0),
            lambda: torch.heaviside(torch.tensor([1.0]), torch.tensor([1])),
            lambda: torch.hypot(torch.ones(3), torch.ones(2))):
    try:
        bad()
    except (RuntimeError, TypeError, NotImplementedError) as e:
        print(type(e).__name__, e)

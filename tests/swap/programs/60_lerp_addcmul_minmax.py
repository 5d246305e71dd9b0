import torch

a = torch.tensor([[1.0, -2.0, 3.0], [0.5, 0.0, -1.0]], requires_grad=True)
b = torch.tensor([[2.0, -2.0, 1.0], [0.5, 4.0, 1.0]], requires_grad=True)
w = torch.tensor([0.25, 0.75, 1.5], requires_grad=True)
ops = {
    'lerp_num': lambda: torch.lerp(a, b, 0.3), 'lerp_high': lambda: a.lerp(b, 0.9),
    'lerp_tensor': lambda: torch.lerp(a, b, w), 'addcmul': lambda: torch.addcmul(a, b, w, value=2),
    'addcdiv': lambda: a.addcdiv(b, w, value=-0.5), 'maximum': lambda: torch.maximum(a, b),
    'minimum': lambda: a.minimum(b), 'fmax': lambda: torch.fmax(a, b), 'fmin': lambda: b.fmin(a),
    'max_tensor': lambda: a.max(b), 'min_tensor': lambda: torch.min(a, b),
}
for name, f in ops.items():
    for t in (a, b, w):
        t.grad = None
    y = f()
    y.sum().backward()
    print(name, y, a.grad, b.grad, w.grad, sep='\n')

nan = float('nan')
u = torch.tensor([nan, 1.0, nan, 2.0])
v = torch.tensor([0.5, nan, nan, 3.0])
print(torch.fmax(u, v), torch.fmin(u, v), torch.maximum(u, v), torch.minimum(u, v))
print(torch.addcmul(torch.tensor([1, 2]), torch.tensor([3, 4]), torch.tensor([5, 6]), value=2))
print(torch.addcmul(torch.ones(2, 1), torch.ones(3), torch.full((3,), 2.0)))
print(torch.lerp(torch.zeros(3), torch.ones(3), torch.tensor(0.5, dtype=torch.float64)))
print(torch.maximum(torch.tensor([1, 5]), torch.tensor([3, 2])), torch.fmax(torch.tensor([1, 5]), torch.tensor([3.5, 2.0])))

# in-place forms keep PyTorch's grad_fn names
c = a * 1
c.lerp_(b, 0.5)
print(c.grad_fn, c)
c.addcmul_(b, b, value=0.1)
print(c.grad_fn, c)
c.addcdiv_(b, w)
print(c.grad_fn)
c.sum().backward()
print(a.grad, b.grad)

for bad in (lambda: torch.addcdiv(torch.ones(2), torch.tensor([1, 2]), torch.tensor([1, 2])),
            lambda: torch.lerp(torch.ones(2), torch.ones(2, dtype=torch.float64), 0.5),
            lambda: torch.lerp(torch.tensor([1, 2]), torch.tensor([3, 4]), 0.5),
            lambda: torch.fmax(torch.ones(2), 1.0), lambda: torch.maximum(2.0, torch.ones(2)),
            lambda: torch.addcmul(torch.ones(3), torch.ones(3), torch.ones(2))):
    try:
        bad()
    except (RuntimeError, TypeError, NotImplementedError) as e:
        print(type(e).__name__, e)

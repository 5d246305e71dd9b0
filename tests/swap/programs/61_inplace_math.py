import torch

x = torch.tensor([0.3, 0.6, 1.7, -0.4], requires_grad=True)
calls = [
    ('cos_', ()), ('sin_', ()), ('floor_', ()), ('ceil_', ()), ('round_', ()), ('trunc_', ()),
    ('frac_', ()), ('sign_', ()), ('reciprocal_', ()), ('square_', ()), ('fmod_', (0.5,)),
    ('remainder_', (0.5,)), ('clamp_min_', (0.5,)), ('clamp_max_', (0.5,)), ('nan_to_num_', ()),
    ('asin_', ()), ('atan_', ()), ('erf_', ()), ('exp2_', ()), ('sinh_', ()), ('sgn_', ()),
    ('hypot_', (torch.ones(4),)), ('atan2_', (torch.ones(4),)), ('xlogy_', (torch.full((4,), 2.0),)),
]
for name, args in calls:
    x.grad = None
    a = x * 2
    before = a._version
    r = getattr(a, name)(*args)
    a.sum().backward()
    print(name, r is a, a._version - before, a, x.grad, sep=' | ')

p = torch.tensor([4.0, 0.25], requires_grad=True)
for name in ('rsqrt_', 'log_', 'logit_'):
    p.grad = None
    a = p * 0.5 if name == 'logit_' else p * 1
    getattr(a, name)()
    a.sum().backward()
    print(name, a, p.grad)
b = torch.tensor([-1.5, 0.5, 2.5])
print(b.round_(decimals=0), torch.round(torch.tensor([1.25, 2.5]), decimals=1), b)

# torch.* in-place functions, views and the version counter
t = torch.tensor([[0.0, 0.5], [1.0, 1.5]])
row = t[1]
torch.cos_(row)
print(t, torch.floor_(torch.tensor([1.7, -1.2])), torch.frac_(torch.tensor([1.75, -1.25])))
s = torch.tensor([1.0, 4.0])
s.rsqrt_()
print(s, s._version)
m = torch.tensor([True, False])
m.logical_not_()
print(m, torch.tensor([1, -2, 0]).sign_(), torch.tensor([5, -7]).remainder_(3), torch.tensor([5, -7]).fmod_(3))

# errors: a leaf, a saved value changed in place, a float result for an integer tensor
leaf = torch.tensor([0.2, 0.4], requires_grad=True)
for bad in (lambda: leaf.sin_(), lambda: leaf.floor_(), lambda: torch.tensor([1, 2]).cos_(),
            lambda: torch.tensor([1, 2]).reciprocal_(), lambda: torch.tensor([1.0]).float_power_(2)):
    try:
        bad()
    except RuntimeError as e:
        print(type(e).__name__, e)
h = leaf * 1
y = h.asin()
h.cos_()
try:
    y.sum().backward()
except RuntimeError as e:
    print(type(e).__name__, e)
with torch.no_grad():
    leaf.clamp_max_(0.3)
print(leaf, leaf.requires_grad)
q = torch.tensor([1.7, -1.2, 300.0, 0.0])
print(q.byte(), q.char(), q.short(), q.short().dtype, torch.tensor([True, False]).char())

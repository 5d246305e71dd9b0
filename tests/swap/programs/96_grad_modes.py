# no_grad / enable_grad / set_grad_enabled / inference_mode
import torch

x = torch.tensor([1., 2., 3.], requires_grad=True)
print(x.requires_grad, (x ** 2).requires_grad)
with torch.no_grad():
    y = x ** 2
    print(y.requires_grad, y.grad_fn, torch.is_grad_enabled())
    with torch.enable_grad():
        z = x * 2
        print(z.requires_grad, z.grad_fn)
print(torch.is_grad_enabled())

torch.set_grad_enabled(False)
print((x * 2).requires_grad, torch.is_grad_enabled())
torch.set_grad_enabled(True)
print((x * 2).requires_grad)

is_train = False
with torch.set_grad_enabled(is_train):
    out = x.sum()
print(out, out.requires_grad)


@torch.no_grad()
def evaluate(t):
    return t * 10


@torch.enable_grad()
def train_step(t):
    return t * 10


print(evaluate(x))
with torch.no_grad():
    print(train_step(x))

# inference_mode: even faster, creates inference tensors
with torch.inference_mode():
    inf = x * 2
    print(inf, inf.requires_grad, torch.is_inference_mode_enabled())
print(inf.is_inference(), x.is_inference(), torch.is_inference_mode_enabled())
try:
    (inf * x).sum().backward()
except RuntimeError as e:
    print(type(e).__name__, e)
try:
    inf.add_(1)
except RuntimeError as e:
    print(type(e).__name__, e)
ok = inf.clone()
print(ok.is_inference(), (ok * x).sum())

with torch.inference_mode(mode=False):
    print((x * 2).requires_grad)

# computations under no_grad give leaves without history
with torch.no_grad():
    w = x * 2
print(w.is_leaf, w.requires_grad)
w.requires_grad_()
(w ** 2).sum().backward()
print(w.grad, x.grad)

# mistake: flipping requires_grad on a non-leaf
h = x * 3
try:
    h.requires_grad = False
except RuntimeError as e:
    print(type(e).__name__, e)
h2 = h.detach()
h2.requires_grad = True
print(h2.is_leaf)

# anomaly detection names the backward function that produced NaN
with torch.autograd.detect_anomaly():
    v = torch.tensor([0., 4.], requires_grad=True)
    try:
        (v.sqrt() * 0).sum().backward()
    except RuntimeError as e:
        print(type(e).__name__, e)
print(torch.is_anomaly_enabled())

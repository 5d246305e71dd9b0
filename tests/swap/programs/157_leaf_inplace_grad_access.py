# Leaf tensors: in-place updates outside no_grad, .grad of non-leaf tensors (None, with its
# warning caught), `x = x * 2` losing the leaf, and the manual SGD update written correctly.
import warnings

import torch


def show(title, fn):
    try:
        print(title, "->", fn())
    except Exception as e:
        print(title, "->", type(e).__name__ + ":", e)


w = torch.tensor([1.0, -2.0, 3.0], requires_grad=True)
show("w += 1", lambda: w.__iadd__(1))
show("w.add_(1)", lambda: w.add_(1))
show("w[0] = 5", lambda: w.__setitem__(0, 5.0))
show("w.zero_()", lambda: w.zero_())
show("w.data.add_(1)", lambda: w.data.add_(1) is not None and w)
show("w.uniform_", lambda: w.uniform_(0, 1))
show("w.copy_(tensor)", lambda: w.copy_(torch.zeros(3)))
with torch.no_grad():
    w.sub_(torch.tensor([0.5, 0.5, 0.5]))
print("under no_grad", w, w.is_leaf, w.requires_grad)
show("nn.init on Parameter", lambda: torch.nn.init.constant_(torch.nn.Parameter(torch.ones(2)), 0.3))


def sgd_wrong():
    x = torch.tensor([2.0], requires_grad=True)
    for _ in range(2):
        loss = (x * x).sum()
        loss.backward()
        x = x - 0.1 * x.grad          # x is no longer a leaf ...
    return x.grad                     # ... so the next .grad is None


def sgd_right():
    x = torch.tensor([2.0], requires_grad=True)
    for _ in range(2):
        loss = (x * x).sum()
        loss.backward()
        with torch.no_grad():
            x -= 0.1 * x.grad
        x.grad.zero_()
    return x, x.grad


with warnings.catch_warnings(record=True) as caught:
    warnings.simplefilter("always")
    show("x = x - lr * grad", sgd_wrong)
print([w.category.__name__ for w in caught], len(caught))
show("with no_grad()", sgd_right)


def type_error_after_rebind():
    x = torch.tensor([2.0], requires_grad=True)
    loss = (x * x).sum()
    loss.backward()
    x = x - 0.1 * x.grad
    loss = (x * x).sum()
    loss.backward()
    return x.grad.zero_()


with warnings.catch_warnings(record=True) as caught:
    warnings.simplefilter("always")
    show("x.grad.zero_() on None", type_error_after_rebind)
print([str(w.message)[:60] for w in caught])

h = torch.tensor([1.0, 2.0], requires_grad=True)
out = h * 3
out.retain_grad()
(out ** 2).sum().backward()
print(out.grad, h.grad, out.is_leaf, out.requires_grad)
show("to(float64) is not leaf", lambda: torch.tensor([1.0], requires_grad=True).to(torch.float64).is_leaf)
show("requires_grad after op", lambda: (torch.tensor([1.0]) * 2).requires_grad_().is_leaf)
show("non-leaf requires_grad_(False)", lambda: (h * 2).requires_grad_(False))
show("detach_ on view", lambda: h[0].detach_())
show("detach() then add_", lambda: (lambda d: (d.add_(1), h)[1])(h.detach()))

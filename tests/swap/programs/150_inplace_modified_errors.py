# Stack Overflow classic: "one of the variables needed for gradient computation has been
# modified by an inplace operation". Each snippet shows the failing code, the error, and the fix.
import torch


def show(title, fn):
    try:
        out = fn()
        print(title, "->", out)
    except Exception as e:
        print(title, "->", type(e).__name__ + ":", e)


def add_inplace():
    w = torch.tensor([1.0, 2.0, 3.0], requires_grad=True)
    y = w * 2
    z = y * y          # mul saves y for backward
    y.add_(1)          # ... and this bumps y's version
    z.sum().backward()
    return w.grad


def add_fixed():
    w = torch.tensor([1.0, 2.0, 3.0], requires_grad=True)
    y = w * 2
    z = y * y
    y = y + 1          # out-of-place: the saved y is untouched
    z.sum().backward()
    return w.grad


show("add_ after use", add_inplace)
show("add fixed", add_fixed)


def sigmoid_relu(inplace):
    x = torch.tensor([[-1.0, 0.5], [2.0, -3.0]], requires_grad=True)
    s = torch.sigmoid(x)                    # sigmoid saves its output
    r = torch.nn.ReLU(inplace=inplace)(s)   # inplace relu overwrites it
    r.sum().backward()
    return x.grad


show("sigmoid -> ReLU(inplace=True)", lambda: sigmoid_relu(True))
show("sigmoid -> ReLU()", lambda: sigmoid_relu(False))


def exp_index_assign(clone):
    x = torch.tensor([0.0, 1.0, 2.0], requires_grad=True)
    e = torch.exp(x)                        # exp saves its result
    if clone:
        e = e.clone()
    e[0] = 0.0                              # index assignment is in-place
    e.sum().backward()
    return x.grad


show("exp then e[0] = 0", lambda: exp_index_assign(False))
show("exp, clone, e[0] = 0", lambda: exp_index_assign(True))


def exp_mul_inplace():
    x = torch.tensor([1.0, 2.0], requires_grad=True)
    y = x.exp()
    y.mul_(2)
    y.sum().backward()
    return x.grad


show("exp then mul_", exp_mul_inplace)

# The version counter is what autograd checks.
a = torch.tensor([1.0, 2.0], requires_grad=True)
b = a.sigmoid()
print(b._version)
b.add_(1)
print(b._version, b.grad_fn)
show("tanh then sub_", lambda: (lambda t: (t.sub_(1), t.sum().backward()))(a.tanh()))

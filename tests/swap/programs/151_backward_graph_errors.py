# GitHub-issue style: errors from calling backward the wrong way, each followed by the fix.
import torch


def show(title, fn):
    try:
        print(title, "->", fn())
    except Exception as e:
        print(title, "->", type(e).__name__ + ":", e)


x = torch.tensor([1.0, 2.0, 3.0], requires_grad=True)


def twice():
    y = (x * x).sum()
    y.backward()
    y.backward()


def twice_retained():
    x.grad = None
    y = (x.exp()).sum()
    y.backward(retain_graph=True)
    y.backward()
    return x.grad


show("backward twice", twice)
show("retain_graph=True", twice_retained)


def shared_hidden():
    # an RNN-style loop that reuses `h` from the previous step's graph
    w = torch.tensor([0.5], requires_grad=True)
    h = torch.tensor([1.0])
    for step in range(2):
        h = torch.tanh(w * h)
        loss = (h * h).sum()
        loss.backward()
    return w.grad


def shared_hidden_detached():
    w = torch.tensor([0.5], requires_grad=True)
    h = torch.tensor([1.0])
    for step in range(2):
        h = torch.tanh(w * h.detach())
        loss = (h * h).sum()
        loss.backward()
    return w.grad


show("hidden state reused", shared_hidden)
show("hidden state detached", shared_hidden_detached)

# element 0 of tensors does not require grad
show("no requires_grad", lambda: (torch.tensor([1.0, 2.0]) * 3).sum().backward())
show("under no_grad", lambda: [torch.no_grad().__enter__(), (x * 2).sum().backward()])
torch.set_grad_enabled(True)
show("after detach", lambda: (x.detach() ** 2).sum().backward())
show("via item", lambda: torch.tensor(float((x ** 2).sum().item())).backward())

# grad can be implicitly created only for scalar outputs
show("vector backward", lambda: (x * 2).backward())
show("matrix backward", lambda: (x.reshape(3, 1) * x).backward())


def vector_fixed():
    x.grad = None
    y = x * 2
    y.backward(torch.ones_like(y))
    return x.grad


def grad_shape_wrong():
    y = x * 2
    y.backward(torch.ones(2))


show("backward(ones_like)", vector_fixed)
show("gradient shape wrong", grad_shape_wrong)
show("autograd.grad non-scalar", lambda: torch.autograd.grad(x * 2, x))
show("autograd.grad unused", lambda: torch.autograd.grad((x * 2).sum(), torch.ones(1, requires_grad=True)))
show("autograd.grad allow_unused", lambda: torch.autograd.grad((x * 2).sum(), [x, torch.ones(1, requires_grad=True)],
                                                                 allow_unused=True))

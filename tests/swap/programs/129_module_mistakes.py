import torch
import torch.nn as nn
import torch.nn.functional as F


def attempt(label, fn):
    try:
        result = fn()
        print(label, "->", result)
    except Exception as e:
        print(f"{label} -> {type(e).__name__}: {e}")


# 1. forgetting super().__init__()
class NoSuper(nn.Module):
    def __init__(self):
        self.fc = nn.Linear(2, 2)


attempt("no super (module)", NoSuper)


class NoSuperParam(nn.Module):
    def __init__(self):
        self.w = nn.Parameter(torch.ones(2))


attempt("no super (param)", NoSuperParam)


class NoSuperBuffer(nn.Module):
    def __init__(self):
        self.register_buffer("b", torch.ones(2))


attempt("no super (buffer)", NoSuperBuffer)

# 2. shape mismatch into Linear
fc = nn.Linear(4, 2)
attempt("linear shape", lambda: fc(torch.ones(3, 5)))
attempt("linear 1d", lambda: fc(torch.ones(5)))
attempt("flatten forgotten", lambda: nn.Sequential(nn.Linear(12, 2))(torch.ones(2, 3, 4)))
attempt("list input", lambda: fc([1.0, 2.0, 3.0, 4.0]))
attempt("unflatten sizes", lambda: nn.Unflatten(1, (2, 3))(torch.ones(2, 4)))
attempt("functional in Sequential", lambda: nn.Sequential(nn.Linear(2, 2), torch.nn.functional.relu))
attempt("bias shape", lambda: torch.nn.functional.linear(torch.ones(3, 4), fc.weight, torch.ones(4)))
attempt("int input", lambda: fc(torch.ones(1, 4, dtype=torch.long)))

# 3. load_state_dict with wrong shapes / wrong keys
small = nn.Sequential(nn.Linear(4, 2), nn.ReLU(), nn.Linear(2, 1))
big = nn.Sequential(nn.Linear(4, 3), nn.ReLU(), nn.Linear(3, 1))
attempt("load shapes", lambda: big.load_state_dict(small.state_dict()))
attempt("load prefixed", lambda: small.load_state_dict({"module." + k: v for k, v in small.state_dict().items()}))
attempt("load not a dict", lambda: small.load_state_dict([1, 2]))
attempt("load prefixed strict=False",
        lambda: small.load_state_dict({"module." + k: v for k, v in small.state_dict().items()}, strict=False))


# 4. no forward
class NoForward(nn.Module):
    def __init__(self):
        super().__init__()
        self.fc = nn.Linear(2, 2)


attempt("no forward", lambda: NoForward()(torch.ones(2)))


# 5. typo'd forward name and attribute access
class Typo(nn.Module):
    def __init__(self):
        super().__init__()
        self.fc = nn.Linear(2, 2)

    def foward(self, x):
        return self.fc(x)


attempt("typo forward", lambda: Typo()(torch.ones(2)))
attempt("missing attr", lambda: Typo().fc2)
attempt("assign tensor to param", lambda: setattr(Typo().fc, "weight", torch.ones(2, 2)))
attempt("assign int to module", lambda: setattr(Typo(), "fc", 3))

# 6. modules in a plain list are not registered
class PlainList(nn.Module):
    def __init__(self):
        super().__init__()
        self.layers = [nn.Linear(2, 2), nn.Linear(2, 2)]
        self.ok = nn.ModuleList([nn.Linear(2, 2)])


pl = PlainList()
print("plain list params:", len(list(pl.parameters())), [n for n, _ in pl.named_parameters()])

# 7. functional vs module, and zero_grad(set_to_none)
lin = nn.Linear(2, 1)
with torch.no_grad():
    lin.weight.copy_(torch.tensor([[0.5, -1.0]]))
    lin.bias.fill_(0.25)
x = torch.tensor([[1.0, 2.0], [3.0, -1.0]])
print(torch.equal(lin(x), F.linear(x, lin.weight, lin.bias)))
print(torch.equal(nn.ReLU()(x), F.relu(x)), torch.equal(nn.Softmax(dim=1)(x), F.softmax(x, dim=1)))
lin(x).sum().backward()
print(lin.weight.grad, lin.bias.grad)
lin.zero_grad(set_to_none=False)
print(lin.weight.grad, lin.bias.grad)
lin(x).sum().backward()
lin.zero_grad()
print(lin.weight.grad, lin.bias.grad)
attempt("softmax no dim", lambda: F.softmax(x, dim=2))
attempt("dropout p", lambda: nn.Dropout(p=1.5))
attempt("cross_entropy float target shape", lambda: F.cross_entropy(x, torch.tensor([0, 1, 1])))
attempt("mse shapes", lambda: F.mse_loss(torch.ones(2, 2), torch.ones(3, 2)))

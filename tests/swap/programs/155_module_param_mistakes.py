# nn.Module mistakes from GitHub issues: assigning a plain tensor to a parameter slot,
# forgetting super().__init__(), an optimizer with no parameters, parameters in a list.
import torch
import torch.nn as nn


def show(title, fn):
    try:
        print(title, "->", fn())
    except Exception as e:
        print(title, "->", type(e).__name__ + ":", e)


lin = nn.Linear(2, 2)
show("weight = FloatTensor", lambda: setattr(lin, "weight", torch.ones(2, 2)))
show("bias = LongTensor", lambda: setattr(lin, "bias", torch.tensor([1, 2])))
show("weight = list", lambda: setattr(lin, "weight", [[1.0, 2.0], [3.0, 4.0]]))
show("weight = Parameter", lambda: setattr(lin, "weight", nn.Parameter(torch.eye(2))) or lin.weight)
show("bias = None", lambda: setattr(lin, "bias", None) or lin.bias)
show("weight.data = ", lambda: setattr(lin.weight, "data", torch.full((2, 2), 0.5)) or lin.weight)
show("register_parameter tensor", lambda: lin.register_parameter("extra", torch.ones(1)))
show("register_parameter dotted", lambda: lin.register_parameter("a.b", nn.Parameter(torch.ones(1))))
show("register_buffer dup", lambda: lin.register_buffer("weight", torch.ones(1)))


class NoSuper(nn.Module):
    def __init__(self):
        self.fc = nn.Linear(2, 1)


class NoSuperParam(nn.Module):
    def __init__(self):
        self.w = nn.Parameter(torch.ones(1))


class NoSuperTensor(nn.Module):
    def __init__(self):
        self.scale = 2.0


show("no super().__init__ (module)", NoSuper)
show("no super().__init__ (param)", NoSuperParam)
show("no super().__init__ (float)", lambda: type(NoSuperTensor()).__name__)


class ListParams(nn.Module):
    def __init__(self):
        super().__init__()
        self.layers = [nn.Linear(2, 2), nn.Linear(2, 1)]   # a plain list hides them

    def forward(self, x):
        for layer in self.layers:
            x = layer(x)
        return x


class ModuleListParams(ListParams):
    def __init__(self):
        super().__init__()
        self.layers = nn.ModuleList([nn.Linear(2, 2), nn.Linear(2, 1)])


print(len(list(ListParams().parameters())), len(list(ModuleListParams().parameters())))
show("SGD(empty)", lambda: torch.optim.SGD(ListParams().parameters(), lr=0.1))
show("Adam([])", lambda: torch.optim.Adam([], lr=0.1))
show("SGD(tensor)", lambda: torch.optim.SGD(torch.ones(2, requires_grad=True), lr=0.1))
show("SGD(non-leaf)", lambda: torch.optim.SGD([torch.ones(2, requires_grad=True) * 2], lr=0.1))
show("SGD(no lr)", lambda: type(torch.optim.SGD(ModuleListParams().parameters())).__name__)
show("SGD(lr=-1)", lambda: torch.optim.SGD(ModuleListParams().parameters(), lr=-1))
show("Adam(betas)", lambda: torch.optim.Adam(ModuleListParams().parameters(), betas=(1.5, 0.9)))
show("SGD momentum<0", lambda: torch.optim.SGD(ModuleListParams().parameters(), lr=0.1, momentum=-0.5))
show("Parameter(int)", lambda: nn.Parameter(torch.tensor([1, 2])))
show("Parameter(int, no grad)", lambda: nn.Parameter(torch.tensor([1, 2]), requires_grad=False))
show("requires_grad int tensor", lambda: torch.tensor([1, 2, 3], requires_grad=True))
show("requires_grad_() int", lambda: torch.arange(3).requires_grad_())
show("zeros(long, grad)", lambda: torch.zeros(2, dtype=torch.long, requires_grad=True))
show("float fixed", lambda: torch.tensor([1, 2, 3], dtype=torch.float32, requires_grad=True))
show("bool grad", lambda: torch.tensor([True], requires_grad=True))

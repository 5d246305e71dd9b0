# Stack Overflow: "The size of tensor a must match the size of tensor b" and broadcasting rules.
import torch


def attempt(label, fn):
    try:
        out = fn()
        print(label, "->", tuple(out.shape), out.dtype)
    except Exception as e:
        print(label, "->", type(e).__name__, e)


a = torch.arange(6.0).view(2, 3)
attempt("(2,3)+(3,)", lambda: a + torch.ones(3))
attempt("(2,3)+(2,)", lambda: a + torch.ones(2))
attempt("(2,3)+(2,1)", lambda: a + torch.ones(2, 1))
attempt("(2,3)*(3,2)", lambda: a * torch.ones(3, 2))
attempt("(5,1,4)+(3,1)", lambda: torch.zeros(5, 1, 4) + torch.zeros(3, 1))
attempt("(5,2,4)-(3,4)", lambda: torch.zeros(5, 2, 4) - torch.zeros(3, 4))
attempt("(1,)+()", lambda: torch.ones(1) + torch.tensor(2.0))
attempt("(0,3)+(3,)", lambda: torch.ones(0, 3) + torch.ones(3))
attempt("(0,3)+(2,3)", lambda: torch.ones(0, 3) + torch.ones(2, 3))
attempt("where", lambda: torch.where(torch.tensor([True, False]), torch.ones(3), torch.zeros(3)))
attempt("matmul (2,3)@(2,3)", lambda: a @ a)
attempt("matmul (2,3)@(3,)", lambda: a @ torch.ones(3))
attempt("matmul (3,)@(2,3)", lambda: torch.ones(3) @ a)
attempt("bmm batch", lambda: torch.bmm(torch.ones(2, 3, 4), torch.ones(3, 4, 5)))
attempt("mm 3d", lambda: torch.mm(torch.ones(2, 3, 4), torch.ones(4, 5)))
attempt("matmul bcast", lambda: torch.matmul(torch.ones(5, 1, 2, 3), torch.ones(4, 3, 2)))
attempt("dot", lambda: torch.dot(torch.ones(3), torch.ones(4)))
attempt("expand ok", lambda: torch.ones(3, 1).expand(3, 4))
attempt("expand bad", lambda: torch.ones(3, 2).expand(3, 4))
attempt("expand -1", lambda: torch.ones(1, 3).expand(-1, 3))
attempt("broadcast_to", lambda: torch.broadcast_to(torch.arange(3), (2, 3)))
attempt("broadcast_to bad", lambda: torch.broadcast_to(torch.arange(3), (3, 2)))
print(torch.broadcast_shapes((2, 1), (1, 3)), torch.broadcast_shapes((5, 1, 4), (3, 1)))
try:
    torch.broadcast_shapes((2, 3), (4, 3))
except Exception as e:
    print(type(e).__name__, e)
x = torch.ones(3)
try:
    x += torch.ones(2, 3)
except Exception as e:
    print(type(e).__name__, e)
y = torch.ones(2, 3)
y += torch.arange(3.0)
print(y)
try:
    torch.ones(2, 3).add_(torch.ones(4))
except Exception as e:
    print(type(e).__name__, e)
w = torch.tensor([1.0, 2.0, 3.0], requires_grad=True)
col = torch.tensor([[1.0], [10.0]])
z = w * col
print(z, z.shape)
z.sum().backward()
print(w.grad)
b = torch.tensor([[0.5], [1.5]], requires_grad=True)
(a * b).sum().backward()
print(b.grad, b.grad.shape)
attempt("mse (3,)vs(3,1)", lambda: torch.nn.functional.mse_loss(torch.ones(3), torch.ones(3, 1)))
attempt("cat dims", lambda: torch.cat([torch.ones(2, 3), torch.ones(3)], dim=0))
attempt("int + float", lambda: torch.arange(3) + torch.ones(1, 3))
attempt("bool * int", lambda: torch.tensor([True, False]) * torch.tensor([[2], [3]]))
print(torch.tensor([1, 2, 3]) + 1.5, torch.tensor([1, 2]) * torch.tensor(2.5), torch.tensor([1.0], dtype=torch.float64) + torch.ones(2))

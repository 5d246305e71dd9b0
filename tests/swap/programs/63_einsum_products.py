import torch

a = torch.arange(6.0).reshape(2, 3).requires_grad_()
b = (torch.arange(12.0).reshape(3, 4) / 4 - 1).requires_grad_()
v = torch.tensor([1.0, -2.0, 0.5], requires_grad=True)
w = torch.tensor([3.0, 1.0, -1.0], requires_grad=True)
s = torch.tensor([[2.0, -1.0, 0.0], [1.0, 3.0, -2.0], [0.5, 0.0, 1.0]], requires_grad=True)
c4 = torch.tensor([[1.0, 0.0], [0.5, -1.0], [2.0, 1.0], [0.0, 0.25]], requires_grad=True)
forms = [
    ("ij,jk->ik", (a, b)), ("ij,jk", (a, b)), ("ii->i", (s,)), ("ii", (s,)), ("i,i->", (v, w)),
    ("i,j->ij", (v, w)), ("ij->ji", (a,)), ("ij->j", (a,)), ("ij,ij->i", (a, a)), ("ij,j->i", (s, v)),
    ("ij,jk,kl->il", (a, b, c4)), ("ba", (a,)),
]
for eq, ops in forms:
    out = torch.einsum(eq, *ops)
    print(eq, out, out.grad_fn.name())
    for t in (a, b, v, w, s, c4):
        t.grad = None
    out.sum().backward()
    print([t.grad for t in ops])
B1 = torch.arange(12.0).reshape(2, 2, 3)
B2 = torch.arange(24.0).reshape(2, 3, 4) * 0.5
print(torch.einsum('bij,bjk->bik', B1, B2))
print(torch.einsum('...ij->...ji', B1).shape, torch.einsum('bij->bi', B1))
print(torch.einsum('ij,jk->ik', [a.detach(), b.detach()]))
print(torch.einsum('i,i', torch.tensor([1, 2]), torch.tensor([3, 4])))
print(torch.tensordot(a, b, dims=1), torch.tensordot(B1, a, dims=([1, 2], [0, 1])))
print(torch.tensordot(v, w, dims=0).grad_fn.name())
print(torch.inner(v, w), torch.inner(a, a), torch.vdot(v, w))
print(torch.kron(torch.tensor([[1, 2], [3, 4]]), torch.tensor([[0, 1], [1, 0]])))
k = torch.kron(a, s)
print(k.shape, k.grad_fn.name())
k.sum().backward()
print(a.grad, s.grad)
c = torch.cross(s, s.roll(1, 0), dim=1)
print(c, torch.linalg.cross(v, w) if hasattr(torch.linalg, 'cross') else torch.cross(v, w, dim=0))
v.grad = None
torch.cross(v, w, dim=0).pow(2).sum().backward()
print(v.grad, w.grad)
for bad in (lambda: torch.einsum('ij,jk->ik', a, a), lambda: torch.einsum('ij->ik', a),
            lambda: torch.einsum('ij,jk->ik', a), lambda: torch.einsum('ijk->ij', a),
            lambda: torch.einsum('ii->i', a), lambda: torch.einsum('ij->ii', a),
            lambda: torch.vdot(a, a), lambda: torch.inner(a, b),
            lambda: torch.tensordot(a, b, dims=([0], [0])), lambda: torch.cross(s, a, dim=0)):
    try:
        bad()
    except RuntimeError as e:
        print("RuntimeError:", e)

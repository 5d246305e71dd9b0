import warnings
import torch

a = torch.tensor([1.0, 2.0, 3.0], requires_grad=True)
b = torch.tensor([4.0, 5.0, 6.0], requires_grad=True)
m = torch.tensor([[1.0, 2.0], [3.0, 4.0]], requires_grad=True)
outs = {
    "hstack": torch.hstack([a, b]), "vstack": torch.vstack([a, b]), "dstack": torch.dstack([a, b]),
    "column_stack": torch.column_stack([a, b]), "row_stack": torch.row_stack((a, b)),
    "block_diag": torch.block_diag(m, a), "cartesian_prod": torch.cartesian_prod(a, b[:2]),
    "diag_embed": torch.diag_embed(m), "diag_embed_off": a.diag_embed(1),
    "repeat_interleave": a.repeat_interleave(2), "repeat_interleave_t": m.repeat_interleave(torch.tensor([1, 2]), dim=0),
    "diff": torch.diff(a * a), "diff_n2": torch.diff(a ** 3, n=2), "diff_prepend": m.diff(dim=0, prepend=m[:1] * 0),
}
for name, out in outs.items():
    for t in (a, b, m):
        t.grad = None
    out.pow(2).sum().backward()
    print(name, out, a.grad, b.grad, m.grad, sep="\n")
x, y = torch.meshgrid(torch.arange(3), torch.arange(2), indexing="ij")
print(x, y)
x, y = torch.meshgrid(torch.arange(3), torch.arange(2), indexing="xy")
print(x, y)
with warnings.catch_warnings():
    warnings.simplefilter("ignore")
    print([g.shape for g in torch.meshgrid(torch.arange(2), torch.arange(3), torch.arange(4))])
gx, gy = torch.meshgrid(a, b, indexing="ij")
(gx * gy).sum().backward()
print(a.grad, b.grad)
print(torch.tril_indices(3, 3), torch.triu_indices(3, 4, 1), torch.tril_indices(4, 3, -1).dtype)
print(torch.atleast_1d(torch.tensor(1.0)), torch.atleast_2d(torch.tensor([1, 2])), torch.atleast_3d(torch.ones(2, 2)).shape)
print(torch.hstack([torch.ones(2, 1), torch.zeros(2, 2)]), torch.dstack([torch.ones(2, 2), torch.zeros(2, 2)]).shape)
print(torch.block_diag(torch.tensor([[1, 2]]), torch.tensor(3), torch.tensor([[4], [5]])))
print(torch.repeat_interleave(torch.tensor([2, 0, 1])), torch.tensor([[1, 2], [3, 4]]).repeat_interleave(2, dim=1))
print(torch.diff(torch.tensor([1, 4, 9, 16]), append=torch.tensor([25])), torch.diff(torch.tensor([True, False, False])))
print(torch.vstack([torch.tensor([1, 2]), torch.tensor([0.5, 1.5])]))
for bad in (lambda: torch.hstack([]), lambda: torch.block_diag(torch.ones(2, 2, 2)),
            lambda: torch.cartesian_prod(torch.ones(2, 2)), lambda: torch.meshgrid(a, b, indexing="yx"),
            lambda: torch.diag_embed(a, 0, 1, 1), lambda: a.repeat_interleave(torch.tensor([1, 2])),
            lambda: torch.diff(torch.tensor(1.0)), lambda: torch.diff(m, prepend=a)):
    try:
        bad()
    except RuntimeError as e:
        print("RuntimeError:", e)

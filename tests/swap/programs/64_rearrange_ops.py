import torch

x = torch.arange(6.0).reshape(2, 3)
print(torch.broadcast_to(torch.tensor([1, 2, 3]), (2, 3)))
p, q = torch.broadcast_tensors(torch.tensor([[1.0], [2.0]]), torch.tensor([10.0, 20.0, 30.0]))
print(p, q, p.shape)
z = torch.arange(24).reshape(2, 3, 4)
print(torch.movedim(z, 0, 2).shape, z.moveaxis((0, 1), (2, 0)).shape, torch.movedim(z, -1, 0)[1])
print(torch.swapaxes(z, 0, 2).shape, z.swapdims(1, 2).shape)
print(x.t().ravel(), torch.ravel(z).shape)
print(x.tile((2,)), torch.tile(x, (2, 1, 2)).shape)
print(x.roll(1), x.roll(1, 1), torch.roll(x, shifts=(1, -1), dims=(0, 1)))
print(x.rot90(), torch.rot90(x, 2), x.rot90(-1), torch.rot90(x, 5, (1, 0)))
print(x.fliplr(), torch.flipud(x))
print(torch.arange(7.0).unfold(0, 3, 2), x.unfold(1, 2, 1).shape)
print(torch.ones(2, 3).sum_to_size(1, 3), torch.ones(2, 3).sum_to_size(3))
w = torch.tensor([[1.0, -2.0, 0.5], [3.0, 0.0, 2.0]], requires_grad=True)
outs = {
    "broadcast_to": torch.broadcast_to(w[0], (4, 3)), "movedim": w.movedim(0, 1), "ravel": w.ravel(),
    "tile": w.tile((2, 2)), "roll": w.roll(1, 1), "rot90": w.rot90(), "fliplr": w.fliplr(),
    "unfold": w.unfold(1, 2, 1), "sum_to_size": w.sum_to_size(1, 3), "swapdims": w.swapdims(0, 1),
}
weights = torch.arange(1.0, 25.0) / 4
for name, out in outs.items():
    w.grad = None
    (out.reshape(-1) * weights[:out.numel()]).sum().backward()
    print(name, out.grad_fn.name(), tuple(out.shape), w.grad)
y = w * 2
print(y.t_(), y.shape, y._version, y.grad_fn.name())
y.transpose_(0, 1)
print(y.grad_fn.name(), y._version)
y.unsqueeze_(1)
print(y.shape, y.grad_fn.name())
y.squeeze_()
print(y.shape, y.grad_fn.name(), y._version)
w.grad = None
(y * torch.tensor([[1.0, 2.0, 3.0], [4.0, 5.0, 6.0]])).sum().backward()
print(w.grad)
m = torch.arange(6).reshape(2, 3)
alias = m.view(2, 3)
m.t_()
print(m, m.shape, m.is_contiguous(), alias)
for bad in (lambda: w.t_(), lambda: w.unsqueeze_(0), lambda: torch.roll(x, (1, 2), 0),
            lambda: torch.rot90(x, 1, (0, 0)), lambda: torch.rot90(torch.ones(3)), lambda: torch.fliplr(torch.ones(3)),
            lambda: torch.broadcast_to(x, (3, 3)), lambda: torch.broadcast_tensors(x, torch.ones(3, 3)),
            lambda: torch.movedim(x, (0, 0), (0, 1)), lambda: x.unfold(1, 4, 1), lambda: x.unfold(1, 2, 0),
            lambda: x.sum_to_size(3, 3), lambda: torch.movedim(x, 2, 0)):
    try:
        bad()
    except (RuntimeError, IndexError) as e:
        print(type(e).__name__, e)

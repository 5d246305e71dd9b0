# Shape errors with broadcasting, view on non-contiguous tensors, dims out of range,
# stack/cat of unequal pieces and out-of-bounds indexing, as asked on Q&A sites.
import torch


def show(title, fn):
    try:
        print(title, "->", fn())
    except Exception as e:
        print(title, "->", type(e).__name__ + ":", e)


a = torch.arange(6.0).reshape(2, 3)
b = torch.arange(8.0).reshape(2, 4)
show("a + b", lambda: a + b)
show("a * b.T", lambda: a * b.T)
show("a - (3, 1)", lambda: a - torch.ones(3, 1))
show("a + (2, 1)", lambda: a + torch.ones(2, 1))
show("a + (3,)", lambda: a + torch.ones(3))
show("a + (2,)", lambda: a + torch.ones(2))
show("a + (2,) unsqueeze", lambda: a + torch.ones(2).unsqueeze(1))
show("3-D mismatch", lambda: torch.ones(2, 3, 4) + torch.ones(2, 5, 4))
show("a.add_ bigger", lambda: a.clone().add_(torch.ones(4, 2, 3)))
show("expand_as", lambda: torch.ones(3).expand_as(b))
show("where shapes", lambda: torch.where(a > 2, a, torch.zeros(4)))
show("mse shapes", lambda: torch.nn.functional.l1_loss(a, b))

t = a.t()
print(t.is_contiguous(), t.stride())
show("t().view(-1)", lambda: t.view(-1))
show("t().reshape(-1)", lambda: t.reshape(-1))
show("t().contiguous().view(6)", lambda: t.contiguous().view(6))
show("permute().view", lambda: torch.arange(24).reshape(2, 3, 4).permute(0, 2, 1).view(2, 12))
show("transpose(1, 2).view", lambda: torch.arange(24).reshape(2, 3, 4).transpose(1, 2).view(2, -1))
show("view bad size", lambda: a.view(4, 2))
show("view two -1", lambda: a.view(-1, -1))
show("reshape 5", lambda: a.reshape(5))

show("sum(dim=2)", lambda: a.sum(dim=2))
show("softmax(dim=2)", lambda: torch.softmax(a, dim=2))
show("argmax(dim=-3)", lambda: a.argmax(dim=-3))
show("unsqueeze(3)", lambda: a.unsqueeze(3))
show("squeeze(2)", lambda: a.squeeze(2))
show("1-D transpose(0, 1)", lambda: torch.ones(3).transpose(0, 1))
show("cat dim 2", lambda: torch.cat([a, a], dim=2))
show("mean dim on int", lambda: torch.arange(4).mean())

show("stack unequal", lambda: torch.stack([torch.ones(3), torch.ones(4), torch.ones(3)]))
show("stack 2-D unequal", lambda: torch.stack([torch.ones(2, 3), torch.ones(3, 2)]))
show("cat dim 1", lambda: torch.cat([torch.ones(2, 3), torch.ones(3, 3)], dim=1))
show("cat dim 0", lambda: torch.cat([torch.ones(2, 3), torch.ones(2, 4)], dim=0))
show("cat fixed", lambda: torch.cat([torch.ones(2, 3), torch.ones(2, 4)], dim=1).shape)

v = torch.tensor([10, 20, 30])
show("v[3]", lambda: v[3])
show("v[-4]", lambda: v[-4])
show("v[torch.tensor([0, 3])]", lambda: v[torch.tensor([0, 3])])
show("v[[1, 5]]", lambda: v[[1, 5]])
show("a[2]", lambda: a[2])
show("a[:, 3]", lambda: a[:, 3])
show("a[0, 0, 0]", lambda: a[0, 0, 0])
show("v[1.0]", lambda: v[1.0])
show("v[float idx]", lambda: v[torch.tensor([0.0, 1.0])])
show("index_select oob", lambda: v.index_select(0, torch.tensor([4])))
show("gather oob", lambda: a.gather(1, torch.tensor([[0], [3]])))
show("v[3] = 1", lambda: v.__setitem__(3, 1))
show("v[1:10]", lambda: v[1:10])

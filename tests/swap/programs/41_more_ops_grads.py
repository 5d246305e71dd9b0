import torch
import torch.nn.functional as F

x = torch.tensor([[2.5, -1.0, 2.0], [0.5, 4.0, -2.0]], requires_grad=True)
outs = {
    'cumsum': x.cumsum(dim=1), 'gather': x.gather(1, torch.tensor([[2, 0], [1, 1]])),
    'topk': x.topk(2, dim=1).values, 'sort': torch.sort(x, dim=1, descending=True)[0],
    'logsumexp': torch.logsumexp(x, dim=1), 'trace': x[:, :2].trace(), 'tril': x[:, :2].tril(),
    'remainder': x.remainder(1.5), 'median': x.median(), 'tan': torch.tan(x * 0.1),
    'log1p': torch.log1p(x.abs()), 'index': x[torch.tensor([0, 1]), torch.tensor([2, 0])],
    'gelu': F.gelu(x), 'leaky': F.leaky_relu(x, 0.2), 'silu': F.silu(x), 'softplus': F.softplus(x),
    'bce': F.binary_cross_entropy(torch.sigmoid(x), torch.ones(2, 3)),
    'smoothl1': F.smooth_l1_loss(x, torch.zeros(2, 3)),
}
for name, out in outs.items():
    x.grad = None
    out.sum().backward()
    print(name, out.detach(), x.grad, sep='\n')
print(x.sort(dim=0))
print(torch.argsort(torch.tensor([3, 1, 2]), descending=True))
print(torch.outer(torch.tensor([1, 2]), torch.tensor([3, 4, 5])))
print(torch.diag(torch.tensor([1.0, 2.0])), torch.diag(torch.tensor([[1, 2], [3, 4]])))
print(torch.tensor([[1, 2, 3], [4, 5, 6]]).flip(1), torch.tensor([5, 7]).fmod(3))
print(torch.tensor([1.0, 2.0, 3.0]).masked_select(torch.tensor([True, False, True])))
print(torch.tensor([[0.0, 1.0], [2.0, 0.0]]).nonzero(as_tuple=True))
t = torch.arange(6).reshape(2, 3)
print(t.t().is_contiguous(), t.t().contiguous().is_contiguous(), t.t().stride(), t.expand(2, 2, 3).stride())
try:
    t.t().view(6)
except Exception as e:
    print(type(e).__name__, e)
print(t.t().reshape(6))
device = torch.device("cuda" if torch.cuda.is_available() else "cpu")
print(device, torch.ones(2).to(device))
print(torch.bmm(torch.ones(2, 1, 2), torch.ones(2, 2, 1)))

import torch
import torch.nn.functional as F

x = torch.tensor([[1.0, 2.0], [3.0, 4.0]], requires_grad=True)
w = torch.tensor([[0.5], [0.25]], requires_grad=True)
exprs = {
    'add': x + 1, 'sub': x - 1, 'mul': x * 2, 'div': x / 2, 'pow': x ** 2, 'neg': -x,
    'exp': x.exp(), 'log': x.log(), 'sin': x.sin(), 'tanh': x.tanh(), 'sigmoid': x.sigmoid(),
    'relu': x.relu(), 'mm': x @ w, 'sum': x.sum(), 'mean': x.mean(), 't': x.t(),
    'view': x.view(4), 'reshape': x.reshape(4), 'select': x[0], 'slice': x[:, 1:],
    'unsqueeze': x.unsqueeze(0), 'cat': torch.cat([x, x]), 'stack': torch.stack([x, x]),
    'softmax': F.softmax(x, dim=1), 'log_softmax': F.log_softmax(x, dim=1),
    'ce': F.cross_entropy(x, torch.tensor([0, 1])), 'mse': F.mse_loss(x, torch.zeros(2, 2)),
    'linear': F.linear(x, w.t(), torch.tensor([1.0])), 'max': x.max(), 'clamp': x.clamp(0, 1),
    'abs': x.abs(), 'sqrt': x.sqrt(), 'expand': x[:, :1].expand(2, 3), 'transpose': x.transpose(0, 1),
    'squeeze': x.unsqueeze(0).squeeze(0), 'permute': x.permute(1, 0), 'flatten': x.flatten(),
    'matmul3': torch.ones(2, 2, 2) @ x,
}
for k, v in exprs.items():
    print(k, type(v.grad_fn).__name__)

import torch
import torch.nn as nn
import torch.nn.functional as F

pred = torch.tensor([[0.5, 1.5], [2.0, -1.0], [0.0, 3.5]], requires_grad=True)
target = torch.tensor([[1.0, 1.0], [0.0, -1.0], [0.2, 0.5]])
for cls in [nn.MSELoss, nn.L1Loss, nn.SmoothL1Loss]:
    for red in ["mean", "sum", "none"]:
        loss = cls(reduction=red)(pred, target)
        print(cls.__name__, red, loss)
for fn in [F.mse_loss, F.l1_loss, F.smooth_l1_loss]:
    pred.grad = None
    fn(pred, target).backward()
    print(fn.__name__, pred.grad)
pred.grad = None
F.smooth_l1_loss(pred, target, beta=0.5, reduction="sum").backward()
print(pred.grad)
loss = nn.HuberLoss(delta=1.0)(pred, target)
print(loss)
per = F.mse_loss(pred, target, reduction="none").sum(dim=1)
print(per, per.grad_fn is not None)

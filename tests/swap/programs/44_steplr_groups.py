import torch
import torch.nn as nn
import torch.optim as optim

w1 = nn.Parameter(torch.tensor([1.0, 2.0]))
w2 = nn.Parameter(torch.tensor([[0.5], [-0.5]]))
opt = optim.SGD([{"params": [w1], "lr": 0.1}, {"params": [w2]}], lr=0.01)
sched = optim.lr_scheduler.StepLR(opt, step_size=2, gamma=0.5)
print(sched.get_last_lr())
for epoch in range(6):
    opt.zero_grad()
    loss = (w1 ** 2).sum() + (w2 * 3).sum()
    loss.backward()
    opt.step()
    sched.step()
    print(epoch, round(loss.item(), 5), [round(lr, 6) for lr in sched.get_last_lr()])
print(w1)
print(w2)
print([g["lr"] for g in opt.param_groups])
print(opt.param_groups[1]["momentum"], opt.param_groups[0]["weight_decay"])

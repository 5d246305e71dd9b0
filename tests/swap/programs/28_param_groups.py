import torch
import torch.nn as nn
import torch.optim as optim

model = nn.Sequential(nn.Linear(2, 2), nn.Linear(2, 1))
opt = optim.SGD([
    {'params': model[0].parameters()},
    {'params': model[1].parameters(), 'lr': 0.01}
], lr=0.1, momentum=0.9)
for g in opt.param_groups:
    print({k: v for k, v in g.items() if k != 'params'})
    print(len(g['params']))
print(opt)
for g in opt.param_groups:
    g['lr'] *= 0.5
print([g['lr'] for g in opt.param_groups])
adam = optim.Adam(model.parameters(), lr=1e-3, betas=(0.9, 0.99))
print(adam.defaults)
print(adam)
print(opt.state_dict()['param_groups'])
sched = optim.lr_scheduler.StepLR(adam, step_size=2, gamma=0.1)
for epoch in range(5):
    adam.step()
    sched.step()
    print(epoch, sched.get_last_lr(), adam.param_groups[0]['lr'])

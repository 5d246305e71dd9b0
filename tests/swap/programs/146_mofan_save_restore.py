# 莫烦Python: 保存提取 — save whole net / params, restore, compare predictions
import os
import tempfile
import torch

x = torch.unsqueeze(torch.linspace(-1, 1, 16), dim=1)
y = x.pow(2) + 0.05 * torch.cos(11 * x)
tmp = tempfile.mkdtemp()


def build():
    net = torch.nn.Sequential(torch.nn.Linear(1, 6), torch.nn.ReLU(), torch.nn.Linear(6, 1))
    with torch.no_grad():
        net[0].weight.copy_(torch.tensor([[1.0], [-1.0], [0.5], [-0.5], [0.25], [-0.25]]))
        net[0].bias.copy_(torch.tensor([0.1, 0.1, -0.2, -0.2, 0.0, 0.3]))
        net[2].weight.fill_(0.2)
        net[2].bias.zero_()
    return net


def save():
    net1 = build()
    optimizer = torch.optim.SGD(net1.parameters(), lr=0.5)
    loss_func = torch.nn.MSELoss()
    for t in range(50):
        prediction = net1(x)
        loss = loss_func(prediction, y)
        optimizer.zero_grad()
        loss.backward()
        optimizer.step()
    print('net1 loss %.5f' % loss.item())
    torch.save(net1, os.path.join(tmp, 'net.pkl'))  # 保存整个网络
    torch.save(net1.state_dict(), os.path.join(tmp, 'net_params.pkl'))  # 只保存网络中的参数 (速度快, 占内存少)
    return net1(x)


def restore_net():
    # restore entire net1 to net2
    net2 = torch.load(os.path.join(tmp, 'net.pkl'), weights_only=False)
    print(net2)
    return net2(x)


def restore_params():
    # 新建 net3
    net3 = torch.nn.Sequential(torch.nn.Linear(1, 6), torch.nn.ReLU(), torch.nn.Linear(6, 1))
    # 将保存的参数复制到 net3
    result = net3.load_state_dict(torch.load(os.path.join(tmp, 'net_params.pkl')))
    print(result)
    return net3(x)


p1 = save()
p2 = restore_net()
p3 = restore_params()
print(p1[:4])
print(torch.equal(p1, p2), torch.equal(p1, p3), (p1 - p3).abs().max())

sd = torch.load(os.path.join(tmp, 'net_params.pkl'))
print(type(sd).__name__, list(sd.keys()))
for k, v in sd.items():
    print(k, v.size(), v.requires_grad)
print(sd['2.bias'])

# checkpoint 字典
ckpt = {'epoch': 50, 'model': sd, 'loss': 0.0123}
torch.save(ckpt, os.path.join(tmp, 'ckpt.pth'))
back = torch.load(os.path.join(tmp, 'ckpt.pth'))
print(back['epoch'], back['loss'], back['model']['0.weight'].t())
bad = torch.nn.Sequential(torch.nn.Linear(1, 5), torch.nn.ReLU(), torch.nn.Linear(5, 1))
try:
    bad.load_state_dict(sd)
except RuntimeError as e:
    print('RuntimeError:', e)
missing = torch.nn.Sequential(torch.nn.Linear(1, 6))
print(missing.load_state_dict(sd, strict=False))

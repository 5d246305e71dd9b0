# 莫烦Python: Optimizer 优化器 — SGD / Momentum / RMSprop / Adam on the same data
import torch
import torch.utils.data as Data
import torch.nn.functional as F

LR = 0.01
BATCH_SIZE = 8
EPOCH = 4

x = torch.unsqueeze(torch.linspace(-1, 1, 32), dim=1)
y = x.pow(2) + 0.1 * torch.sin(9 * x)  # 用 sin 代替噪声

torch_dataset = Data.TensorDataset(x, y)
loader = Data.DataLoader(dataset=torch_dataset, batch_size=BATCH_SIZE, shuffle=False)


class Net(torch.nn.Module):
    def __init__(self):
        super(Net, self).__init__()
        self.hidden = torch.nn.Linear(1, 20)
        self.predict = torch.nn.Linear(20, 1)

    def forward(self, x):
        x = F.relu(self.hidden(x))
        x = self.predict(x)
        return x


def make_net():
    net = Net()
    with torch.no_grad():
        net.hidden.weight.copy_(torch.linspace(-2, 2, 20).unsqueeze(1))
        net.hidden.bias.copy_(torch.linspace(0.5, -0.5, 20))
        net.predict.weight.copy_(torch.linspace(-0.3, 0.3, 20).unsqueeze(0))
        net.predict.bias.fill_(0.05)
    return net


# 为每个优化器创建一个 net
net_SGD = make_net()
net_Momentum = make_net()
net_RMSprop = make_net()
net_Adam = make_net()
nets = [net_SGD, net_Momentum, net_RMSprop, net_Adam]

opt_SGD = torch.optim.SGD(net_SGD.parameters(), lr=LR)
opt_Momentum = torch.optim.SGD(net_Momentum.parameters(), lr=LR, momentum=0.8)
opt_RMSprop = torch.optim.RMSprop(net_RMSprop.parameters(), lr=LR, alpha=0.9)
opt_Adam = torch.optim.Adam(net_Adam.parameters(), lr=LR, betas=(0.9, 0.99))
optimizers = [opt_SGD, opt_Momentum, opt_RMSprop, opt_Adam]
print(opt_Momentum)
print(opt_Adam)

loss_func = torch.nn.MSELoss()
losses_his = [[], [], [], []]  # 记录 training 时不同神经网络的 loss

for epoch in range(EPOCH):
    print('Epoch: ', epoch)
    for step, (b_x, b_y) in enumerate(loader):
        for net, opt, l_his in zip(nets, optimizers, losses_his):
            output = net(b_x)
            loss = loss_func(output, b_y)
            opt.zero_grad()
            loss.backward()
            opt.step()
            l_his.append(loss.data.numpy())

labels = ['SGD', 'Momentum', 'RMSprop', 'Adam']
for i, l_his in enumerate(losses_his):
    print(labels[i], len(l_his), 'first %.5f last %.5f' % (l_his[0], l_his[-1]))
for net, label in zip(nets, labels):
    print(label, net.predict.bias.data, net(torch.tensor([[0.5]])).item() > -10)
print(opt_Adam.state_dict()['param_groups'][0]['betas'], len(opt_Adam.state_dict()['state']))
print(opt_Momentum.state_dict()['state'][3]['momentum_buffer'])

# 莫烦Python: 关系拟合 (回归) — Net(n_feature, n_hidden, n_output)
import torch
import torch.nn.functional as F

x = torch.unsqueeze(torch.linspace(-1, 1, 20), dim=1)  # x data (tensor), shape=(20, 1)
y = x.pow(2) + 0.1 * torch.cos(7 * x)  # 用 cos 代替随机噪声, 保证可复现


class Net(torch.nn.Module):  # 继承 torch 的 Module
    def __init__(self, n_feature, n_hidden, n_output):
        super(Net, self).__init__()  # 继承 __init__ 功能
        # 定义每层用什么样的形式
        self.hidden = torch.nn.Linear(n_feature, n_hidden)  # 隐藏层线性输出
        self.predict = torch.nn.Linear(n_hidden, n_output)  # 输出层线性输出

    def forward(self, x):  # 这同时也是 Module 中的 forward 功能
        # 正向传播输入值, 神经网络分析出输出值
        x = F.relu(self.hidden(x))  # 激励函数(隐藏层的线性值)
        x = self.predict(x)  # 输出值
        return x


net = Net(n_feature=1, n_hidden=10, n_output=1)
with torch.no_grad():
    net.hidden.weight.copy_(torch.linspace(-1, 1, 10).unsqueeze(1))
    net.hidden.bias.fill_(0.1)
    net.predict.weight.copy_(torch.linspace(0.5, -0.5, 10).unsqueeze(0))
    net.predict.bias.fill_(0.0)
print(net)  # net 的结构

# optimizer 是训练的工具
optimizer = torch.optim.SGD(net.parameters(), lr=0.2)  # 传入 net 的所有参数, 学习率
loss_func = torch.nn.MSELoss()  # 预测值和真实值的误差计算公式 (均方差)
print(optimizer)

for t in range(100):
    prediction = net(x)  # 喂给 net 训练数据 x, 输出预测值
    loss = loss_func(prediction, y)  # 计算两者的误差
    optimizer.zero_grad()  # 清空上一步的残余更新参数值
    loss.backward()  # 误差反向传播, 计算参数更新值
    optimizer.step()  # 将参数更新值施加到 net 的 parameters 上
    if t % 20 == 0:
        print('t=%d Loss=%.4f' % (t, loss.data.numpy()))

print(prediction[:5])
print(prediction.data.numpy()[:3, 0].round(3))
print(net.predict.bias.data)
for name, p in net.named_parameters():
    print(name, p.shape, p.grad.abs().sum().item() > 0)

# 快速搭建法
net2 = torch.nn.Sequential(
    torch.nn.Linear(1, 10),
    torch.nn.ReLU(),
    torch.nn.Linear(10, 1)
)
print(net2)
print(net2[0], net2[2].weight.shape)

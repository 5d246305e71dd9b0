# 莫烦Python: 区分类型 (分类) — two clusters, CrossEntropyLoss
import torch
import torch.nn.functional as F

# 可复现的两类数据 (代替 torch.normal)
n_data = torch.ones(10, 2)
offset = torch.linspace(-0.5, 0.5, 10).unsqueeze(1) * torch.tensor([1.0, -1.0])
x0 = 2 * n_data + offset  # 类型0 x data (tensor), shape=(10, 2)
y0 = torch.zeros(10)  # 类型0 y data (tensor), shape=(10, )
x1 = -2 * n_data + offset  # 类型1 x data (tensor), shape=(10, 2)
y1 = torch.ones(10)  # 类型1 y data (tensor), shape=(10, )

# 注意 x, y 数据的数据形式是一定要像下面一样 (torch.cat 是在合并数据)
x = torch.cat((x0, x1), 0).type(torch.FloatTensor)  # FloatTensor = 32-bit floating
y = torch.cat((y0, y1), ).type(torch.LongTensor)  # LongTensor = 64-bit integer
print(x.shape, x.dtype, y.shape, y.dtype)
print(y)


class Net(torch.nn.Module):
    def __init__(self, n_feature, n_hidden, n_output):
        super(Net, self).__init__()
        self.hidden = torch.nn.Linear(n_feature, n_hidden)
        self.out = torch.nn.Linear(n_hidden, n_output)

    def forward(self, x):
        x = F.relu(self.hidden(x))
        x = self.out(x)
        return x


net = Net(n_feature=2, n_hidden=10, n_output=2)  # 几个类别就几个 output
with torch.no_grad():
    w = torch.arange(20, dtype=torch.float32).reshape(10, 2) % 5 - 2
    net.hidden.weight.copy_(w / 4)
    net.hidden.bias.zero_()
    net.out.weight.copy_(torch.arange(20, dtype=torch.float32).reshape(2, 10) % 3 / 5 - 0.2)
    net.out.bias.fill_(0.01)
print(net)

optimizer = torch.optim.SGD(net.parameters(), lr=0.02)
# 算误差的时候, 注意真实值!不是! one-hot 形式的, 而是1D Tensor, (batch,)
# 但是预测值是2D tensor (batch, n_classes)
loss_func = torch.nn.CrossEntropyLoss()

for t in range(60):
    out = net(x)
    loss = loss_func(out, y)
    optimizer.zero_grad()
    loss.backward()
    optimizer.step()
    if t % 10 == 0:
        prediction = torch.max(F.softmax(out, dim=1), 1)[1]
        pred_y = prediction.data.numpy().squeeze()
        target_y = y.data.numpy()
        accuracy = sum(pred_y == target_y) / 20.
        print('step', t, 'loss %.4f' % loss.item(), 'Accuracy=%.2f' % accuracy)

print(out[:3])
print(F.softmax(out, dim=1)[-2:])
print(torch.max(out, 1))
print(prediction, type(accuracy))

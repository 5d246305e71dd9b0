# 刘二大人《PyTorch深度学习实践》: 05 线性回归 / 06 逻辑回归 / 07 多维特征输入
import numpy as np
import torch

x_data = torch.Tensor([[1.0], [2.0], [3.0]])
y_data = torch.Tensor([[2.0], [4.0], [6.0]])


class LinearModel(torch.nn.Module):
    def __init__(self):
        super(LinearModel, self).__init__()
        self.linear = torch.nn.Linear(1, 1)

    def forward(self, x):
        y_pred = self.linear(x)
        return y_pred


model = LinearModel()
with torch.no_grad():
    model.linear.weight.fill_(0.5)
    model.linear.bias.fill_(-0.3)
criterion = torch.nn.MSELoss(reduction='sum')  # size_average=False 已弃用
optimizer = torch.optim.SGD(model.parameters(), lr=0.01)
for epoch in range(100):
    y_pred = model(x_data)
    loss = criterion(y_pred, y_data)
    if epoch % 25 == 0:
        print(epoch, loss.item())
    optimizer.zero_grad()
    loss.backward()
    optimizer.step()
print('w = ', model.linear.weight.item())
print('b = ', model.linear.bias.item())
x_test = torch.Tensor([[4.0]])
y_test = model(x_test)
print('y_pred = ', y_test.data)

# 06 逻辑回归
y_cls = torch.Tensor([[0], [0], [1]])


class LogisticRegressionModel(torch.nn.Module):
    def __init__(self):
        super(LogisticRegressionModel, self).__init__()
        self.linear = torch.nn.Linear(1, 1)

    def forward(self, x):
        y_pred = torch.sigmoid(self.linear(x))  # F.sigmoid 已弃用
        return y_pred


model = LogisticRegressionModel()
with torch.no_grad():
    model.linear.weight.fill_(0.1)
    model.linear.bias.fill_(0.0)
criterion = torch.nn.BCELoss(reduction='sum')
optimizer = torch.optim.SGD(model.parameters(), lr=0.01)
for epoch in range(200):
    y_pred = model(x_data)
    loss = criterion(y_pred, y_cls)
    optimizer.zero_grad()
    loss.backward()
    optimizer.step()
    if epoch % 50 == 0:
        print(epoch, round(loss.item(), 5), loss)
x = np.linspace(0, 10, 5)
x_t = torch.Tensor(x).view((5, 1))
y_t = model(x_t)
print(y_t.data.numpy().round(4).ravel(), y_t.shape)
print(criterion, model)

# 07 多维特征输入 (diabetes 风格的小数组)
xy = np.array([[-0.29, 0.49, 0.18, -0.29, 0.00, 0.00, -0.53, -0.03, 0],
               [-0.88, -0.15, 0.08, -0.41, 0.00, -0.21, -0.77, -0.67, 1],
               [-0.06, 0.84, 0.05, 0.00, 0.00, -0.31, -0.49, -0.63, 0],
               [-0.88, -0.11, 0.08, -0.54, -0.78, -0.16, -0.92, 0.00, 1],
               [0.00, 0.38, -0.34, -0.29, -0.60, 0.28, 0.89, -0.60, 0],
               [-0.41, 0.17, 0.21, 0.00, 0.00, -0.24, -0.89, -0.70, 1]], dtype=np.float32)
x_data = torch.from_numpy(xy[:, :-1])
y_data = torch.from_numpy(xy[:, [-1]])
print(x_data.shape, y_data.shape, y_data.dtype)


class Model(torch.nn.Module):
    def __init__(self):
        super(Model, self).__init__()
        self.linear1 = torch.nn.Linear(8, 6)
        self.linear2 = torch.nn.Linear(6, 4)
        self.linear3 = torch.nn.Linear(4, 1)
        self.sigmoid = torch.nn.Sigmoid()

    def forward(self, x):
        x = self.sigmoid(self.linear1(x))
        x = self.sigmoid(self.linear2(x))
        x = self.sigmoid(self.linear3(x))
        return x


model = Model()
with torch.no_grad():
    for i, lin in enumerate([model.linear1, model.linear2, model.linear3]):
        n = lin.weight.numel()
        lin.weight.copy_((torch.arange(n, dtype=torch.float32).reshape(lin.weight.shape) % 7 - 3) / 10)
        lin.bias.fill_(0.05 * (i + 1))
criterion = torch.nn.BCELoss(reduction='mean')
optimizer = torch.optim.SGD(model.parameters(), lr=0.5)
for epoch in range(100):
    y_pred = model(x_data)
    loss = criterion(y_pred, y_data)
    if epoch % 20 == 0:
        print(epoch, '%.6f' % loss.item())
    optimizer.zero_grad()
    loss.backward()
    optimizer.step()
print(y_pred.detach().squeeze(), (y_pred > 0.5).float().eq(y_data).sum().item())

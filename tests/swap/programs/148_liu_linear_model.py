# 刘二大人《PyTorch深度学习实践》: 线性模型 / 梯度下降 / 反向传播 / 用 PyTorch 实现线性回归
import numpy as np
import torch

x_data = [1.0, 2.0, 3.0]
y_data = [2.0, 4.0, 6.0]


# 02 线性模型: 穷举 w
def forward(x):
    return x * w


def loss(x, y):
    y_pred = forward(x)
    return (y_pred - y) * (y_pred - y)


w_list, mse_list = [], []
for w in np.arange(0.0, 4.1, 1.0):
    print('w=', w)
    l_sum = 0
    for x_val, y_val in zip(x_data, y_data):
        y_pred_val = forward(x_val)
        loss_val = loss(x_val, y_val)
        l_sum += loss_val
        print('\t', x_val, y_val, y_pred_val, loss_val)
    print('MSE=', l_sum / 3)
    w_list.append(w)
    mse_list.append(l_sum / 3)

# 03 梯度下降 (手动求梯度)
w = 1.0


def cost(xs, ys):
    return sum((forward(x) - y) ** 2 for x, y in zip(xs, ys)) / len(xs)


def gradient(xs, ys):
    return sum(2 * x * (x * w - y) for x, y in zip(xs, ys)) / len(xs)


print('Predict (before training)', 4, forward(4))
for epoch in range(5):
    cost_val = cost(x_data, y_data)
    grad_val = gradient(x_data, y_data)
    w -= 0.01 * grad_val
    print('Epoch:', epoch, 'w=', round(w, 6), 'loss=', round(cost_val, 6))
print('Predict (after training)', 4, round(forward(4), 6))

# 04 反向传播: w 是 Tensor
w = torch.Tensor([1.0])
w.requires_grad = True


def loss_t(x, y):
    y_pred = forward(x)
    return (y_pred - y) ** 2


print("predict (before training)", 4, forward(4).item())
for epoch in range(10):
    for x, y in zip(x_data, y_data):
        l = loss_t(x, y)
        l.backward()
        print('\tgrad:', x, y, w.grad.item())
        w.data = w.data - 0.01 * w.grad.data
        w.grad.data.zero_()
    if epoch % 3 == 0:
        print("progress:", epoch, l.item(), l)
print("predict (after training)", 4, forward(4).item(), forward(4))
print(w, w.grad, l.grad_fn, l.grad_fn.next_functions)

# 莫烦Python: 变量 (Variable) — Variable-era autograd
import torch
from torch.autograd import Variable

tensor = torch.FloatTensor([[1, 2], [3, 4]])
variable = Variable(tensor, requires_grad=True)
print(tensor)
print(variable)

t_out = torch.mean(tensor * tensor)  # x^2
v_out = torch.mean(variable * variable)
print(t_out)
print(v_out)

v_out.backward()  # 模拟 v_out 的误差反向传递
# v_out = 1/4 * sum(variable*variable)
# d(v_out)/d(variable) = 1/4*2*variable = variable/2
print(variable.grad)
print(variable.grad.data)

print(variable)  # Variable 形式
print(variable.data)  # tensor 形式
print(variable.data.numpy())  # numpy 形式
print(variable.requires_grad, variable.is_leaf, variable.grad_fn)
print(v_out.requires_grad, v_out.is_leaf, v_out.grad_fn)

# Variable without requires_grad
v2 = Variable(torch.ones(2, 2))
print(v2, v2.requires_grad)

# 多次 backward 梯度会累加
x = Variable(torch.Tensor([2.0]), requires_grad=True)
y = x ** 3 + 2 * x
y.backward()
print('first grad', x.grad.data)
y = x ** 3 + 2 * x
y.backward()
print('accumulated', x.grad.data)
x.grad.data.zero_()
print('after zero_', x.grad)

# 手动更新 .data
w = Variable(torch.Tensor([1.0, -1.0]), requires_grad=True)
for step in range(3):
    loss = ((w * torch.Tensor([2.0, 3.0]) - 1) ** 2).sum()
    loss.backward()
    w.data = w.data - 0.05 * w.grad.data
    print(step, loss.data, loss.item(), w.data, w.grad.data)
    w.grad.data.zero_()

# 老教程里的 loss.data[0] 在 0.4 之后报错, 要用 loss.item()
try:
    print(loss.data[0])
except IndexError as e:
    print('IndexError:', e)
try:
    Variable([1.0, 2.0])
except TypeError as e:
    print('TypeError:', e)

# volatile 已经弃用, 用 no_grad 代替
with torch.no_grad():
    z = w * 2
print(z, z.requires_grad)
print(type(variable), type(variable.data), isinstance(variable, torch.Tensor))

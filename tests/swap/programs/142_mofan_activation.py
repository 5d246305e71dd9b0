# 莫烦Python: 激励函数 (Activation)
import torch
import torch.nn.functional as F
from torch.autograd import Variable

# fake data
x = torch.linspace(-5, 5, 200)  # x data (tensor), shape=(200,)
x = Variable(x)
x_np = x.data.numpy()  # numpy 数组画图用

y_relu = torch.relu(x).data.numpy()
y_sigmoid = torch.sigmoid(x).data.numpy()
y_tanh = torch.tanh(x).data.numpy()
y_softplus = F.softplus(x).data.numpy()

print(x.shape, x_np.shape, x_np.dtype)
print(x_np[:5])
print(x[::40])
print('relu', y_relu[::40])
print('sigmoid', y_sigmoid[::40])
print('tanh', y_tanh[::40])
print('softplus', y_softplus[::40])
print('relu tensor', torch.relu(x)[195:])
print('sigmoid tensor', torch.sigmoid(x)[:3])
print('tanh tensor', torch.tanh(x)[98:102])
print('softplus tensor', F.softplus(x)[-3:])
print('F.relu', F.relu(x[::50]))
print('F.sigmoid', torch.sigmoid(x[::50]))
print('F.tanh', F.tanh(x[::50]))
print('leaky', F.leaky_relu(x[::50], 0.1))
print('elu', F.elu(x[::50]))
print('softmax', F.softmax(x[::50], dim=0))
print('relu6', F.relu6(x[::25] * 2))
print('hardtanh', F.hardtanh(x[::25]))
print('gelu', F.gelu(x[::50]))
print('silu', F.silu(x[::50]))
print('sums', y_relu.sum(), torch.relu(x).sum(), torch.sigmoid(x).mean())

# 激活函数的梯度
xg = torch.linspace(-2, 2, 5, requires_grad=True)
for name, fn in [('relu', torch.relu), ('sigmoid', torch.sigmoid), ('tanh', torch.tanh),
                 ('softplus', F.softplus)]:
    if xg.grad is not None:
        xg.grad.zero_()
    out = fn(xg)
    out.sum().backward()
    print(name, out.grad_fn, xg.grad)

import torch.nn as nn
acts = nn.Sequential(nn.ReLU(), nn.Sigmoid())
print(acts)
print(acts(torch.tensor([-1.0, 0.0, 1.0])))
print(nn.Softplus(beta=2)(torch.tensor([-1.0, 0.0, 1.0])))
print(nn.LeakyReLU(0.2), nn.Tanh(), nn.Softplus())

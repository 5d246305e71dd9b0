# 莫烦Python PyTorch 教程: Torch 或 Numpy (torch vs numpy side by side)
import torch
import numpy as np

np_data = np.arange(6).reshape((2, 3))
torch_data = torch.from_numpy(np_data)
tensor2array = torch_data.numpy()
print(
    '\nnumpy array:', np_data,
    '\ntorch tensor:', torch_data,
    '\ntensor to array:', tensor2array,
)

# abs 绝对值计算
data = [-1, -2, 1, 2]
tensor = torch.FloatTensor(data)  # 转换成32位浮点 tensor
print(
    '\nabs',
    '\nnumpy: ', np.abs(data),
    '\ntorch: ', torch.abs(tensor)
)

# sin 三角函数 sin
print(
    '\nsin',
    '\nnumpy: ', np.sin(data),
    '\ntorch: ', torch.sin(tensor)
)

# mean 均值
print(
    '\nmean',
    '\nnumpy: ', np.mean(data),
    '\ntorch: ', torch.mean(tensor)
)

# matrix multiplication 矩阵点乘
data = [[1, 2], [3, 4]]
tensor = torch.FloatTensor(data)
print(
    '\nmatrix multiplication (matmul)',
    '\nnumpy: ', np.matmul(data, data),
    '\ntorch: ', torch.mm(tensor, tensor)
)

# 其他常见的转换
print('\nexp', '\nnumpy: ', np.exp([0.0, 1.0]), '\ntorch: ', torch.exp(torch.tensor([0.0, 1.0])))
print('\nsqrt', '\nnumpy: ', np.sqrt([4.0, 9.0]), '\ntorch: ', torch.sqrt(torch.FloatTensor([4, 9])))
t = torch.IntTensor([1, 2, 3])
print('\nint tensor', t, t.dtype, t.type())
print('\nlong tensor', torch.LongTensor([4, 5]), torch.LongTensor([4, 5]).type())
print('\nfloat type', tensor.type(), tensor.size(), tensor.dim(), tensor.numel())
d = torch.DoubleTensor([[1.5, 2.5]])
print('\ndouble', d, d.type())
print('\nsum', np.sum(data), torch.sum(tensor), tensor.sum(dim=0), tensor.sum(1, keepdim=True))
print('\nmax', np.max(data), torch.max(tensor), torch.max(tensor, 1))
print('\nargmax', np.argmax(data, axis=1), torch.argmax(tensor, dim=1))
# 注意: tensor.dot 只能用于一维
print('\ndot', np.dot([1, 2], [3, 4]), torch.dot(torch.tensor([1., 2.]), torch.tensor([3., 4.])))
try:
    tensor.dot(tensor)
except RuntimeError as e:
    print('RuntimeError:', e)
shared = np.ones(3)
t2 = torch.from_numpy(shared)
shared[0] = 5
print('\nshared memory', shared, t2)

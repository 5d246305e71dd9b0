# "PyTorch tensors in 10 minutes": every way to make a tensor, and what it looks like.
import torch
import numpy as np

data = [[1, 2], [3, 4]]
x_data = torch.tensor(data)
print(x_data, x_data.dtype)

np_array = np.array(data)
x_np = torch.from_numpy(np_array)
print(x_np, x_np.dtype)

x_ones = torch.ones_like(x_data)
print(f"Ones Tensor: \n {x_ones} \n")
x_rand = torch.zeros_like(x_data, dtype=torch.float)
print(f"Zeros Tensor: \n {x_rand} \n")

shape = (2, 3,)
print(f"Ones Tensor: \n {torch.ones(shape)} \n")
print(f"Zeros Tensor: \n {torch.zeros(shape)}")

for dt in [torch.float32, torch.float64, torch.float16, torch.int8, torch.uint8,
           torch.int16, torch.int32, torch.int64, torch.bool]:
    z = torch.zeros(2, dtype=dt)
    o = torch.ones(2, 2, dtype=dt)
    print(dt, z, o.dtype, o.element_size(), o.is_floating_point())

print(torch.full((2, 3), 3.14))
print(torch.full((2,), 7))
print(torch.full((2,), True))
print(torch.full((2, 2), -1, dtype=torch.float64))
print(torch.eye(2, 3))
print(torch.eye(3, dtype=torch.int32))
print(torch.arange(5))
print(torch.arange(1, 4))
print(torch.arange(1, 2.5, 0.5))
print(torch.arange(10, 0, -3))
print(torch.arange(0, 5, dtype=torch.float32))
print(torch.linspace(-10, 10, steps=5))
print(torch.linspace(0, 1, 11))
print(torch.linspace(3, 10, steps=1))
print(torch.logspace(start=-10, end=10, steps=5))
print(torch.logspace(0, 3, 4))
print(torch.logspace(0, 3, 4, base=2))
print(torch.empty(2, 3).shape, torch.empty(0).shape, torch.empty((2, 0)).numel())
print(torch.full_like(x_data, 9), torch.full_like(x_data, 2.7))
print(torch.ones_like(x_data, dtype=torch.bool))
print(torch.empty_like(torch.ones(3, 2)).shape)
print(torch.tensor([[1., -1.], [1., -1.]]))
print(torch.tensor(np.array([[1, 2, 3], [4, 5, 6]])))
print(torch.tensor([]), torch.tensor([]).shape, torch.tensor([]).dtype)
print(torch.tensor(3.0).shape, torch.tensor(3.0).ndim, torch.tensor([3.0]).ndim)
print(torch.zeros([2, 4], dtype=torch.int32))
print(torch.tensor([1, 2.5]), torch.tensor([1, True]), torch.tensor([False, 2.0]))
print(torch.tensor(np.float64(1.5)), torch.tensor(np.int32(4)))
print(torch.tensor([np.float32(1.25), 2]).dtype)
print(torch.zeros(3).new_ones(2), torch.tensor([1, 2]).new_zeros(3), torch.tensor([1.0]).new_full((2,), 5))
print(torch.tensor([1, 2]).new_tensor([3.5, 4.5]))
print(torch.as_tensor([1, 2, 3]), torch.as_tensor([1.0, 2.0], dtype=torch.float64))
print(torch.ones(2, dtype=float), torch.zeros(2, dtype=int), torch.tensor([1, 2]).to(float).dtype)
for bad in ([[1, 2], [3]], [[[1], [2]], [[3], [4, 5]]], "abc"):
    try:
        torch.tensor(bad)
    except (ValueError, TypeError) as e:
        print(type(e).__name__, e)

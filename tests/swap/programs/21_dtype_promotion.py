import torch

i = torch.tensor([1, 2, 3])
f = torch.tensor([0.5, 1.5, 2.5])
d = torch.tensor([1.0, 2.0, 3.0], dtype=torch.float64)
b = torch.tensor([True, False, True])
print((i + f).dtype, (i * 2).dtype, (i * 2.5).dtype, (i / 2).dtype, (i // 2).dtype)
print((f + d).dtype, (b + i).dtype, (b * 1.0).dtype, (i + torch.tensor(1.5, dtype=torch.float64)).dtype)
print(i / 2, i // 2, i % 2, -i)
print(i.float(), i.double(), f.int(), f.long(), b.int(), i.bool())
print(f.to(torch.float64), f.type(torch.int32), i.to(dtype=torch.float32))
print(f.half().dtype)
print(torch.tensor([1, 2], dtype=torch.int32) + torch.tensor([1, 2]))
print((torch.tensor([1, 2], dtype=torch.int32) + torch.tensor([1, 2])).dtype)
print(torch.tensor([1, 2], dtype=torch.uint8) + 1)
print(i.is_floating_point(), f.is_floating_point())
print(torch.zeros(2, dtype=torch.float64).dtype == torch.float64)
print(torch.float32, torch.int64, torch.bool, torch.float)
print(str(torch.float64), repr(torch.long))
print(f.to(torch.int64) * 2)
print(torch.tensor([2.7, -2.7]).int(), torch.tensor([2.7, -2.7]).round(), torch.tensor([2.5, 3.5]).round())
print(torch.tensor([2.7, -2.7]).floor(), torch.tensor([2.7, -2.7]).ceil(), torch.tensor([2.7, -2.7]).trunc())
print(i ** 2, f ** 2, 2 ** i, i.pow(0.5))
print(torch.tensor(5) / torch.tensor(2), torch.tensor(5) // torch.tensor(2))
try:
    torch.tensor([1, 2], requires_grad=True)
except Exception as e:
    print(type(e).__name__, e)
x = torch.tensor([1, 2, 3])
print(x.dtype, x.float().mean())
try:
    x.mean()
except Exception as e:
    print(type(e).__name__, e)

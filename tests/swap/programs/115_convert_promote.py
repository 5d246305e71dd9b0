# Type conversions and the type-promotion rules of arithmetic with broadcasting.
import torch

i = torch.tensor([1, 2, 3, -7])
f = torch.tensor([0.5, 1.5, -2.5, 3.7])
b = torch.tensor([True, False, True, True])
print(i.float(), i.double(), f.long(), f.int(), f.half(), b.long(), i.bool(), f.bool())
print(f.to(torch.int32), f.to(torch.float64), i.to(dtype=torch.float16), f.to("cpu").dtype)
print(f.type(torch.int64), i.type(torch.FloatTensor), f.type("torch.DoubleTensor"), i.type())
print(f.to(i), f.to(i.dtype), i.type_as(f), torch.tensor([300]).to(torch.uint8), torch.tensor([-1]).byte())
print(torch.tensor([2.9, -2.9]).long(), torch.tensor([200, 300], dtype=torch.int16).char())

print(i / 2, i // 2, i % 2, i * 2, i * 2.5, i + 0.5, i + True)
for bad in (lambda: i - True, lambda: b - b, lambda: -b, lambda: 1 - b):
    try:
        bad()
    except RuntimeError as e:
        print("RuntimeError:", e)
print(i / i, (i / i).dtype, i.div(2, rounding_mode="floor"), i.div(2, rounding_mode="trunc"))
print(torch.tensor(7) / torch.tensor(2), torch.tensor(7) // torch.tensor(2), 7 // torch.tensor(2))
print(torch.tensor([-7, 7]) // 2, torch.tensor([-7, 7]) % 3, torch.tensor([-7, 7]) % -3)
print(torch.tensor([-7.5, 7.5]) // 2, torch.tensor([-7.5, 7.5]) % 2, torch.fmod(torch.tensor([-7, 7]), 3))
print(torch.remainder(torch.tensor([-7.0, 7.0]), -3), torch.tensor([5]) ** 2, torch.tensor([2]) ** -1.0)
print(2 ** torch.tensor([1, 2, 3]), 2.0 ** torch.tensor([1, 2]), torch.tensor([4]) ** 0.5)
print(b + b, b * 3, b + 1.5, b & torch.tensor([True, True, False, False]), ~b, b.sum(), b.float().mean())
print(b | False, b ^ True, (b * b).dtype, (b + b).dtype)
print(torch.tensor([1], dtype=torch.int8) + torch.tensor([1], dtype=torch.int32))
print(torch.tensor([1], dtype=torch.uint8) + torch.tensor([1], dtype=torch.int8))
print(torch.tensor([1], dtype=torch.int32) + 1.5, torch.tensor([1], dtype=torch.int32) * 1000000)
print(torch.tensor([1.0], dtype=torch.float16) + torch.tensor([1.0]), (torch.tensor([1.0]) + 1.0).dtype)
print(torch.tensor([1.0]) + torch.tensor(2.0, dtype=torch.float64))
print(torch.tensor([1.0]) + torch.tensor([2.0], dtype=torch.float64))
print(torch.tensor([1]) + torch.tensor(2.5), torch.tensor([1], dtype=torch.int8) + torch.tensor(1000))
print(torch.tensor([250], dtype=torch.uint8) + 10, torch.tensor([100], dtype=torch.int8) * 2)
print(torch.result_type(i, 1.0), torch.result_type(i, f), torch.promote_types(torch.int32, torch.float16))
print(torch.can_cast(torch.float32, torch.int32), torch.can_cast(torch.int32, torch.float32))

m = torch.arange(6).reshape(2, 3)
print(m + torch.tensor([10, 20, 30]))
print(m * torch.tensor([[1], [-1]]))
print(m + torch.tensor([[0.5], [1.5]]))
print(torch.ones(3, 1) + torch.arange(4.0))
print((torch.zeros(2, 1, 3) + torch.zeros(4, 1)).shape)
print(torch.tensor([[1, 2]]) - torch.tensor([[3], [4], [5]]))
print(torch.broadcast_shapes((2, 1), (3,)), torch.broadcast_tensors(torch.ones(2, 1), torch.zeros(3))[0].shape)
x = torch.tensor([1, 2, 3])
x += 1
print(x)
try:
    x += 0.5
except RuntimeError as e:
    print("RuntimeError:", e)
try:
    x /= 2
except RuntimeError as e:
    print("RuntimeError:", e)
x *= 2
print(x, x.dtype)
y = torch.tensor([1.0, 2.0])
y += torch.tensor([1, 1])
print(y)
try:
    torch.ones(2, 3) + torch.ones(3, 2)
except RuntimeError as e:
    print("RuntimeError:", e)
try:
    torch.tensor([1, 2]) % 0
except RuntimeError as e:
    print("RuntimeError:", e)
print(torch.tensor([1.0, -1.0]) % 0, torch.tensor([5.0, -5.0, 0.0]) // 0)
print(torch.tensor([1.0, 0.7, -0.0]) % 0.1, torch.tensor([1.0, 0.7]) // 0.1, 7.5 % torch.tensor([2, -2]))
print(torch.floor_divide(torch.tensor([-7, 7]), 2), 7 // torch.tensor([2, -2]), torch.tensor([9]).div(-2, rounding_mode='trunc'))
try:
    torch.tensor([4]) // torch.tensor([0])
except RuntimeError as e:
    print('RuntimeError:', e)

# dtype conversion: .to, .type, .float/.long/.int/.bool, promotion, item/tolist, numpy round trips.
import numpy as np
import torch
f = torch.tensor([-2.7, -0.5, 0.5, 1.5, 2.9])
print(f.long(), f.int(), f.to(torch.int16), f.to(torch.uint8) if False else f.abs().to(torch.uint8))
print(f.bool(), f.double(), f.half(), f.float().dtype, f.type(torch.int32), f.type())
print(f.to(dtype=torch.float64).dtype, f.to(torch.zeros(1, dtype=torch.int64)).dtype, f.type_as(torch.tensor([1])))
i = torch.tensor([0, 1, 2, 255])
print(i.float(), i.to(torch.uint8), i.to(torch.int8), i.bool(), i.type("torch.FloatTensor"))
print(torch.tensor([300, -1]).to(torch.uint8), torch.tensor([1e10]).to(torch.int32).dtype)
b = torch.tensor([True, False])
print(b.int(), b.float(), b + b, (b + b).dtype, b.sum(), b & torch.tensor([True, True]))
print((torch.tensor([1, 2]) / 2).dtype, (torch.tensor([1, 2]) // 2).dtype, torch.tensor([5, -5]) // 2, torch.tensor([5, -5]) % 3)
print(torch.tensor([1, 2], dtype=torch.int32) + torch.tensor([1, 2]), (torch.tensor([1], dtype=torch.int32) + 1).dtype)
print((torch.tensor([1], dtype=torch.int32) + 1.0).dtype, (torch.tensor([1.0], dtype=torch.float16) + 1.0).dtype)
print((torch.tensor([1], dtype=torch.uint8) + torch.tensor([1], dtype=torch.int8)).dtype)
print((torch.tensor([1.0]) + torch.tensor(1.0, dtype=torch.float64)).dtype, (torch.tensor(1) + torch.tensor([1.0])).dtype)
print(torch.result_type(torch.tensor([1, 2]), 1.0), torch.promote_types(torch.int32, torch.float16), torch.can_cast(torch.float32, torch.int32))
print(torch.tensor(3.7).item(), type(torch.tensor(3).item()), type(torch.tensor(True).item()), torch.tensor([[1, 2], [3, 4]]).tolist())
print(torch.tensor([1.5, 2.5]).tolist(), int(torch.tensor(4.9)), float(torch.tensor(2)), bool(torch.tensor(0.0)))
n = np.array([1.0, 2.0], dtype=np.float32)
t = torch.from_numpy(n)
n[0] = 50.0
print(t, t.dtype, torch.tensor(n), torch.as_tensor(np.array([1, 2])).dtype, torch.from_numpy(np.array([1.5])).dtype)
print(t.numpy().dtype, torch.tensor([1, 2]).numpy().dtype, torch.tensor([True]).numpy().dtype)
print(torch.tensor(np.float64(2.5)).dtype, torch.tensor(np.int32(2)).dtype, torch.tensor([np.float32(1.0)]).dtype)
print(torch.get_default_dtype(), torch.tensor([1.0]).dtype, torch.tensor([1, 2.5]).dtype, torch.tensor([True, 2]).dtype)
print(torch.float32.is_floating_point, torch.int64.is_signed, torch.float16.itemsize if hasattr(torch.float16, "itemsize") else 2, torch.tensor([1]).element_size())
print(torch.finfo(torch.float32).eps, torch.finfo(torch.float16).max, torch.iinfo(torch.int8).min, torch.iinfo(torch.int32).max)
w = torch.tensor([1.0, 2.0], requires_grad=True)
d = w.double()
print(d.grad_fn, d.requires_grad, w.to(torch.float32) is w, w.float() is w, d.long().requires_grad)
(d * d).sum().backward()
print(w.grad, w.grad.dtype)
try:
    torch.tensor([1, 2]).float().long().requires_grad_()
except Exception as e:
    print(type(e).__name__, e)
try:
    torch.tensor([1.0]) + torch.tensor(["a"])
except Exception as e:
    print(type(e).__name__, e)
try:
    x = torch.ones(2, dtype=torch.int64)
    x += 0.5
except Exception as e:
    print(type(e).__name__, e)

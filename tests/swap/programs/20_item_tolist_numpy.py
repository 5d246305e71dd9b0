import torch
import numpy as np

t = torch.tensor([[1.5, 2.5], [3.5, 4.5]])
print(t.tolist())
print(t[0, 1].item(), type(t[0, 1].item()).__name__)
print(torch.tensor(3).item(), type(torch.tensor(3).item()).__name__)
print(torch.tensor(True).item())
n = t.numpy()
print(type(n).__name__, n.dtype, n.shape)
print(n)
arr = np.array([1, 2, 3])
tt = torch.from_numpy(arr)
print(tt, tt.dtype)
arr[0] = 100
print(tt)
print(torch.tensor(np.array([1.0, 2.0])).dtype)
print(torch.as_tensor([1, 2]).tolist())
g = torch.tensor([1.0], requires_grad=True)
try:
    g.numpy()
except Exception as e:
    print(type(e).__name__, e)
print(g.detach().numpy())
print(torch.tensor(5.0).tolist(), torch.arange(3).tolist())
print(float(torch.tensor(2.5)), int(torch.tensor(7)), bool(torch.tensor(0)))
try:
    torch.tensor([1.0, 2.0]).item()
except Exception as e:
    print(type(e).__name__, e)
print(len(torch.zeros(4, 2)))
for row in torch.arange(6).reshape(3, 2):
    print(row.tolist())

import torch
import torch.nn.functional as F

torch.set_printoptions(precision=4)
x = torch.tensor([[1.0, 2.0, 3.0], [1.0, 1.0, 1.0]], requires_grad=True)
for d in [0, 1, -1]:
    s = F.softmax(x, dim=d)
    print(d, s, s.sum(dim=d))
ls = F.log_softmax(x, dim=1)
print(ls)
print(torch.allclose(ls.exp(), F.softmax(x, dim=1)))
w = torch.tensor([[1.0, 0.0, -1.0], [2.0, 0.5, 0.0]])
(F.softmax(x, dim=1) * w).sum().backward()
print(x.grad)
x.grad = None
(ls * w).sum().backward()
print(x.grad)
x.grad = None
x.log_softmax(0)[0].sum().backward()
print(x.grad)
big = torch.tensor([1000.0, 1001.0, 1002.0])
print(big.softmax(0), big.log_softmax(0))
t3 = torch.arange(12, dtype=torch.float32).reshape(2, 3, 2)
print(torch.softmax(t3, dim=1))
print(torch.logsumexp(t3, dim=2))

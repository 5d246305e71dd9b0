import torch
import torch.nn as nn

def attempt(fn):
    try:
        fn()
    except Exception as e:
        print(type(e).__name__, e)

a = torch.ones(2, 3)
b = torch.ones(4, 5)
attempt(lambda: a @ b)
attempt(lambda: torch.mm(a, b))
attempt(lambda: a + torch.ones(4))
attempt(lambda: a.view(4, 2))
attempt(lambda: torch.cat([a, b]))
attempt(lambda: a.backward())
x = torch.tensor([1.0, 2.0], requires_grad=True)
attempt(lambda: (x * 2).backward())
y = (x * x).sum()
y.backward()
attempt(lambda: y.backward())
attempt(lambda: torch.autograd.grad((x * 2).sum(), [x, torch.tensor(1.0, requires_grad=True)]))
attempt(lambda: nn.Linear(3, 2)(torch.ones(4, 5)))
attempt(lambda: torch.tensor([1, 2]).float().reshape(3))
attempt(lambda: a[5])
attempt(lambda: a.sum(dim=3))
attempt(lambda: nn.CrossEntropyLoss()(torch.ones(2, 3), torch.tensor([0, 3])))
attempt(lambda: torch.stack([torch.ones(2), torch.ones(3)]))
attempt(lambda: a.transpose(0, 2))
z = torch.zeros(2, requires_grad=True)
def assign():
    z.grad = torch.zeros(3)
attempt(assign)

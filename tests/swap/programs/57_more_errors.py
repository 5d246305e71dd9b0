import torch
import torch.nn as nn


def attempt(fn):
    try:
        fn()
    except RuntimeError as e:
        print("RuntimeError:", e)
    except Exception as e:
        print(type(e).__name__ + ":", e)


a = torch.ones(2, 3)
attempt(lambda: torch.mm(a, torch.ones(2, 3)))
attempt(lambda: torch.bmm(torch.ones(2, 2, 3), torch.ones(3, 3, 2)))
attempt(lambda: torch.cat([a, torch.ones(2, 3, 1)]))
attempt(lambda: torch.cat([a, torch.ones(3, 2)], dim=1))
attempt(lambda: a.view(-1, 4))
attempt(lambda: a.reshape(-1, -1))
attempt(lambda: a.t().view(6))
leaf = torch.ones(3, requires_grad=True)
attempt(lambda: leaf.mul_(2))
attempt(lambda: leaf.sum().backward(torch.ones(2)))
attempt(lambda: torch.autograd.grad(leaf.sum(), leaf, grad_outputs=torch.ones(2)))
attempt(lambda: torch.ones(3, dtype=torch.long).requires_grad_())
attempt(lambda: torch.tensor([1, 2], requires_grad=True))
attempt(lambda: (leaf * 2).item())
attempt(lambda: leaf.numpy())
attempt(lambda: torch.ones(2) + torch.ones(2, 3))
attempt(lambda: nn.MSELoss()(torch.ones(2, requires_grad=True), torch.ones(2, dtype=torch.long)))
attempt(lambda: torch.zeros(2, 2).squeeze(3))
attempt(lambda: torch.arange(4).float().unsqueeze(2))

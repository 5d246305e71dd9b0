import torch
import torch.nn as nn
import torch.nn.functional as F

logits = torch.tensor([[2.0, 1.0, 0.1], [0.5, 2.5, 0.3], [1.2, 0.2, 3.1]], requires_grad=True)
target = torch.tensor([0, 1, 2])
loss = nn.CrossEntropyLoss()(logits, target)
print(loss)
loss.backward()
print(logits.grad)
print(F.cross_entropy(logits, target, reduction='sum'))
print(F.cross_entropy(logits, target, reduction='none'))
logp = F.log_softmax(logits, dim=1)
print(logp)
print(F.nll_loss(logp, target))
print(round(nn.NLLLoss()(logp, target).item(), 6))
probs = F.softmax(logits, dim=-1)
print(probs)
print(probs.sum(dim=1))
print(torch.softmax(logits, 1).argmax(dim=1))
pred = logits.argmax(1)
acc = (pred == target).float().mean()
print(f"accuracy: {acc.item() * 100:.1f}%")
print(torch.log_softmax(torch.tensor([1.0, 2.0, 3.0]), dim=0))

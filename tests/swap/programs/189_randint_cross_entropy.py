# torch.randint labels + cross_entropy, softmax classifier on random features
import torch
import torch.nn.functional as F

torch.manual_seed(99)
num_classes = 5
logits = torch.randn(8, num_classes, requires_grad=True)
labels = torch.randint(num_classes, (8,))
print(labels, labels.dtype)
loss = F.cross_entropy(logits, labels)
print(loss, loss.grad_fn)
loss.backward()
print(logits.grad)
print(F.cross_entropy(logits, labels, reduction='none'))
print(F.cross_entropy(logits, labels, label_smoothing=0.1))
print(F.nll_loss(F.log_softmax(logits, dim=1), labels))
print(torch.randint(3, 10, (2, 4)))
print(torch.randint(-5, 5, (6,), dtype=torch.int32))
print(torch.randint_like(labels, 100))
print(torch.randint(0, 2, (3, 3)).bool())

W = torch.randn(4, num_classes, requires_grad=True)
b = torch.zeros(num_classes, requires_grad=True)
X = torch.randn(32, 4)
Y = torch.randint(0, num_classes, (32,))
opt = torch.optim.SGD([W, b], lr=0.5)
for step in range(10):
    out = X @ W + b
    loss = F.cross_entropy(out, Y)
    opt.zero_grad()
    loss.backward()
    opt.step()
    if step % 3 == 0:
        print(step, loss.item())
print((out.argmax(dim=1) == Y).float().mean())
print(b)
try:
    F.cross_entropy(torch.randn(3, 4), torch.randint(0, 4, (3,)).float())
except RuntimeError as e:
    print("RuntimeError:", e)
try:
    F.cross_entropy(torch.randn(3, 4), torch.tensor([0, 1, 4]))
except IndexError as e:
    print("IndexError:", e)
try:
    torch.randint(5, 2, (3,))
except RuntimeError as e:
    print("RuntimeError:", e)

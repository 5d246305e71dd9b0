import torch

# data: y = 2x - 1 with a fixed "noise" pattern
X = torch.linspace(0, 1, 10).reshape(-1, 1)
noise = torch.tensor([0.05, -0.02, 0.01, 0.03, -0.04, 0.02, -0.01, 0.0, 0.04, -0.03]).reshape(-1, 1)
y = 2 * X - 1 + noise
print("X:", X.shape, X.dtype, "y:", y.shape)

w = torch.zeros(1, 1, requires_grad=True)
b = torch.zeros(1, requires_grad=True)
print(w, b)
lr = 0.5
losses = []
for epoch in range(60):
    y_pred = X @ w + b
    loss = ((y_pred - y) ** 2).mean()
    loss.backward()
    with torch.no_grad():
        w -= lr * w.grad
        b -= lr * b.grad
    w.grad.zero_()
    b.grad.zero_()
    losses.append(loss.item())
    if epoch % 10 == 0:
        print(f"epoch {epoch:3d} | loss {loss.item():.6f} | w {w.item():+.4f} | b {b.item():+.4f}")
print(f"final: w={w.item():.4f}, b={b.item():.4f}, loss={losses[-1]:.3e}")
print(w, b, sep="\n")
print(w.grad, b.grad, w.is_leaf, b.requires_grad)
print("loss decreased:", all(a >= c for a, c in zip(losses, losses[1:])))

# mistake 1: forgetting zero_grad -> gradients accumulate
w2 = torch.tensor([1.0], requires_grad=True)
for i in range(3):
    loss = (w2 * 3.0 - 1.0).pow(2).sum()
    loss.backward()
    print("step", i, "grad", w2.grad)

# mistake 2: in-place update outside no_grad
try:
    w2 -= 0.1 * w2.grad
except RuntimeError as e:
    print("RuntimeError:", e)

# mistake 3: w = w - lr * grad makes a non-leaf tensor
w3 = torch.tensor([1.0], requires_grad=True)
(w3 * 2).sum().backward()
w3 = w3 - 0.1 * w3.grad
print(w3, w3.is_leaf, w3.grad_fn)

# using .data instead of no_grad, the old-style way
w4 = torch.tensor([[0.5], [-0.5]], requires_grad=True)
inp = torch.tensor([[1.0, 2.0], [3.0, 4.0], [-1.0, 0.5]])
target = torch.tensor([[1.0], [2.0], [0.0]])
for it in range(4):
    out = inp.mm(w4)
    loss = (out - target).pow(2).sum()
    loss.backward()
    w4.data -= 0.01 * w4.grad.data
    w4.grad.data.zero_()
    print(it, round(loss.item(), 5), w4.data.view(-1).tolist())
print(w4.detach().numpy().round(4))

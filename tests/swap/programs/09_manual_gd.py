import torch

# fit y = 2x + 1 with manual gradient descent
X = torch.arange(0, 10, dtype=torch.float32)
Y = 2 * X + 1
w = torch.tensor(0.0, requires_grad=True)
b = torch.tensor(0.0, requires_grad=True)
lr = 0.01
for epoch in range(201):
    pred = w * X + b
    loss = ((pred - Y) ** 2).mean()
    loss.backward()
    with torch.no_grad():
        w -= lr * w.grad
        b -= lr * b.grad
    w.grad.zero_()
    b.grad.zero_()
    if epoch % 50 == 0:
        print(f"epoch {epoch}: loss = {loss.item():.4f}, w = {w.item():.3f}, b = {b.item():.3f}")
print("final w:", round(w.item(), 2), "b:", round(b.item(), 2))
print('loss {:.3e}'.format(loss.item()))

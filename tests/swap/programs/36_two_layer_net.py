import torch

# the classic "learning PyTorch with examples" two-layer net, deterministic data
dtype = torch.float
N, D_in, H, D_out = 8, 5, 6, 2
x = torch.arange(N * D_in, dtype=dtype).reshape(N, D_in).sin()
y = torch.arange(N * D_out, dtype=dtype).reshape(N, D_out).cos()
w1 = (torch.arange(D_in * H, dtype=dtype).reshape(D_in, H) % 5 - 2) / 10
w2 = (torch.arange(H * D_out, dtype=dtype).reshape(H, D_out) % 3 - 1) / 10
w1.requires_grad_(True)
w2.requires_grad_(True)
learning_rate = 1e-2
for t in range(100):
    y_pred = x.mm(w1).clamp(min=0).mm(w2)
    loss = (y_pred - y).pow(2).sum()
    if t % 25 == 24:
        print(t, round(loss.item(), 4))
    loss.backward()
    with torch.no_grad():
        w1 -= learning_rate * w1.grad
        w2 -= learning_rate * w2.grad
        w1.grad.zero_()
        w2.grad.zero_()
print(w2)

import torch

# 3.7 Weight Decay (d2l.ai) from scratch, deterministic high-dimensional data
n_train, num_inputs = 20, 50
t = torch.arange(n_train * num_inputs, dtype=torch.float32).reshape(n_train, num_inputs)
X = torch.sin(t * 0.1) * torch.cos(t * 0.07)
true_w, true_b = torch.ones((num_inputs, 1)) * 0.01, 0.05
y = torch.matmul(X, true_w) + true_b + 0.01 * torch.cos(torch.arange(n_train, dtype=torch.float32)).reshape(-1, 1)
print(X.shape, y.shape, y[:3].T)

def init_params():
    w = (0.1 * torch.sin(torch.arange(num_inputs, dtype=torch.float32) * 1.3)).reshape(-1, 1)
    w.requires_grad_(True)
    b = torch.zeros(1, requires_grad=True)
    return [w, b]

def l2_penalty(w):
    return torch.sum(w.pow(2)) / 2

def l1_penalty(w):
    return torch.sum(torch.abs(w))

def linreg(X, w, b):
    return torch.matmul(X, w) + b

def squared_loss(y_hat, y):
    return (y_hat - y.reshape(y_hat.shape)) ** 2 / 2

def train(lambd, penalty=l2_penalty, epochs=30, lr=0.05):
    w, b = init_params()
    for epoch in range(epochs):
        for i in range(0, n_train, 5):
            Xb, yb = X[i:i + 5], y[i:i + 5]
            l = squared_loss(linreg(Xb, w, b), yb) + lambd * penalty(w)
            l.sum().backward()
            with torch.no_grad():
                for p in (w, b):
                    p -= lr * p.grad / 5
                    p.grad.zero_()
        if (epoch + 1) % 10 == 0:
            with torch.no_grad():
                print(f"  lambd={lambd} epoch {epoch + 1}: train loss "
                      f"{squared_loss(linreg(X, w, b), y).mean().item():.5f}")
    print('L2 norm of w:', torch.norm(w).item() < 10, f'{torch.norm(w).item():.4f}')
    return w, b

w0, _ = train(0)
w3, _ = train(3)
print(torch.norm(w3) < torch.norm(w0))
w1, b1 = train(1, penalty=l1_penalty)
print(f"{w1.abs().sum().item():.4f}", b1)

# the concise version: weight_decay in the optimizer applies only to the weight
net = torch.nn.Linear(num_inputs, 1)
with torch.no_grad():
    net.weight.copy_(init_params()[0].detach().T)
    net.bias.fill_(0.0)
trainer = torch.optim.SGD([{"params": net.weight, 'weight_decay': 3.0}, {"params": net.bias}], lr=0.05)
for epoch in range(20):
    for i in range(0, n_train, 5):
        trainer.zero_grad()
        l = ((net(X[i:i + 5]) - y[i:i + 5]) ** 2 / 2).mean()
        l.backward()
        trainer.step()
print(f"{net.weight.norm().item():.4f}", net.bias)
print([g['weight_decay'] for g in trainer.param_groups])

import math
import numpy as np
import torch

# 3.1 vectorization for speed and the normal distribution (numpy functions of tensors)
n = 8
a, b = torch.ones(n), torch.arange(n, dtype=torch.float32)
c = torch.zeros(n)
for i in range(n):
    c[i] = a[i] + b[i]
print(c, torch.equal(c, a + b))

def normal(x, mu, sigma):
    p = 1 / math.sqrt(2 * math.pi * sigma**2)
    return p * np.exp(-0.5 * (x - mu)**2 / sigma**2)

print(normal(torch.arange(-2, 2, 0.5), 0, 1), normal(torch.tensor(0.0), 1, 2))

# 3.2 Linear Regression Implementation from Scratch (d2l.ai), deterministic data
def synthetic_data(w, b, num_examples):
    t = torch.linspace(0, 6.0, num_examples)
    X = torch.stack([torch.sin(t), torch.cos(1.5 * t)], dim=1)
    y = torch.matmul(X, w) + b
    y += 0.01 * torch.sin(13.0 * t)
    return X, y.reshape((-1, 1))

true_w = torch.tensor([2, -3.4])
true_b = 4.2
features, labels = synthetic_data(true_w, true_b, 100)
print('features:', features[0], '\nlabel:', labels[0])
print(features.shape, labels.shape)

def data_iter(batch_size, features, labels):
    num_examples = len(features)
    indices = list(range(num_examples))
    # a fixed permutation instead of random.shuffle
    indices = indices[::3] + indices[1::3] + indices[2::3]
    for i in range(0, num_examples, batch_size):
        batch_indices = torch.tensor(indices[i: min(i + batch_size, num_examples)])
        yield features[batch_indices], labels[batch_indices]

batch_size = 10
for X, y in data_iter(batch_size, features, labels):
    print(X, '\n', y)
    break

w = torch.zeros((2, 1), requires_grad=True)
b = torch.zeros(1, requires_grad=True)

def linreg(X, w, b):
    return torch.matmul(X, w) + b

def squared_loss(y_hat, y):
    return (y_hat - y.reshape(y_hat.shape)) ** 2 / 2

def sgd(params, lr, batch_size):
    with torch.no_grad():
        for param in params:
            param -= lr * param.grad / batch_size
            param.grad.zero_()

lr = 0.1
num_epochs = 5
net = linreg
loss = squared_loss
for epoch in range(num_epochs):
    for X, y in data_iter(batch_size, features, labels):
        l = loss(net(X, w, b), y)
        l.sum().backward()
        sgd([w, b], lr, batch_size)
    with torch.no_grad():
        train_l = loss(net(features, w, b), labels)
        print(f'epoch {epoch + 1}, loss {float(train_l.mean()):f}')

print(f'error in estimating w: {true_w - w.reshape(true_w.shape)}')
print(f'error in estimating b: {true_b - b}')
print(w, b)
print(w.grad, b.grad)
print(train_l.shape, train_l.dtype, train_l.requires_grad)

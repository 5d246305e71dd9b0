import torch

# 4.4 Softmax Regression Implementation from Scratch (d2l.ai), tiny deterministic "images"
X = torch.tensor([[1.0, 2.0, 3.0], [4.0, 5.0, 6.0]])
print(X.sum(0, keepdim=True), X.sum(1, keepdim=True))

def softmax(X):
    X_exp = torch.exp(X)
    partition = X_exp.sum(1, keepdim=True)
    return X_exp / partition

X = torch.linspace(-1, 1, 10).reshape(2, 5)
X_prob = softmax(X)
print(X_prob, X_prob.sum(1))

num_inputs, num_outputs = 8, 3
W = (0.01 * torch.cos(torch.arange(num_inputs * num_outputs, dtype=torch.float32))).reshape(
    num_inputs, num_outputs).requires_grad_()
b = torch.zeros(num_outputs, requires_grad=True)
print(W.shape, W.is_leaf, W.requires_grad)

def net(X):
    return softmax(torch.matmul(X.reshape((-1, W.shape[0])), W) + b)

y = torch.tensor([0, 2])
y_hat = torch.tensor([[0.1, 0.3, 0.6], [0.3, 0.2, 0.5]])
print(y_hat[[0, 1], y])
def cross_entropy(y_hat, y):
    return - torch.log(y_hat[range(len(y_hat)), y])

print(cross_entropy(y_hat, y))
def accuracy(y_hat, y):
    if len(y_hat.shape) > 1 and y_hat.shape[1] > 1:
        y_hat = y_hat.argmax(axis=1)
    cmp = y_hat.type(y.dtype) == y
    return float(cmp.type(y.dtype).sum())

print(accuracy(y_hat, y) / len(y))
class Accumulator:
    def __init__(self, n):
        self.data = [0.0] * n
    def add(self, *args):
        self.data = [a + float(b) for a, b in zip(self.data, args)]
    def __getitem__(self, idx):
        return self.data[idx]

# 12 "images" of 2x4 pixels, 3 classes
n = 12
labels = torch.arange(n) % 3
t = torch.arange(n * num_inputs, dtype=torch.float32).reshape(n, 2, 4)
features = torch.sin(t * 0.37) + labels.reshape(-1, 1, 1).float() * 0.8
print(features.shape, labels)
def evaluate_accuracy(net, X, y):
    metric = Accumulator(2)
    with torch.no_grad():
        metric.add(accuracy(net(X), y), y.numel())
    return metric[0] / metric[1]

print("initial acc:", evaluate_accuracy(net, features, labels))
lr = 0.5
for epoch in range(6):
    metric = Accumulator(3)
    for i in range(0, n, 4):
        Xb, yb = features[i:i + 4], labels[i:i + 4]
        y_hat = net(Xb)
        l = cross_entropy(y_hat, yb)
        l.sum().backward()
        with torch.no_grad():
            for param in (W, b):
                param -= lr * param.grad / len(yb)
                param.grad.zero_()
        metric.add(float(l.sum()), accuracy(y_hat, yb), yb.numel())
    print(f"epoch {epoch + 1}: loss {metric[0] / metric[2]:.4f}, train acc {metric[1] / metric[2]:.3f}")

print(b)
preds = net(features).argmax(axis=1)
print(preds, (preds == labels).sum(), preds.dtype)
print(l.grad_fn, y_hat.grad_fn)

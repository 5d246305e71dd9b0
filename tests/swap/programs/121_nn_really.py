import math
import torch
import torch.nn as nn
import torch.nn.functional as F
from torch import optim

# tiny "MNIST": 6 samples of 16 pixels, 4 classes
x_train = (torch.arange(6 * 16, dtype=torch.float32).reshape(6, 16) % 11) / 10
y_train = torch.tensor([0, 1, 2, 3, 1, 2])
n, c = x_train.shape
print(x_train.shape, y_train.min(), y_train.max())

# from scratch
weights = torch.linspace(-0.3, 0.3, 16 * 4).reshape(16, 4) / math.sqrt(16)
weights.requires_grad_()
bias = torch.zeros(4, requires_grad=True)


def log_softmax(x):
    return x - x.exp().sum(-1).log().unsqueeze(-1)


def model(xb):
    return log_softmax(xb @ weights + bias)


def nll(input, target):
    return -input[range(target.shape[0]), target].mean()


def accuracy(out, yb):
    preds = torch.argmax(out, dim=1)
    return (preds == yb).float().mean()


preds = model(x_train[:3])
print(preds[0], preds.shape)
print(nll(preds, y_train[:3]), accuracy(preds, y_train[:3]))
loss_func = F.cross_entropy
print(loss_func(x_train[:3] @ weights + bias, y_train[:3]))


class Mnist_Logistic(nn.Module):
    def __init__(self):
        super().__init__()
        self.weights = nn.Parameter(torch.linspace(-0.3, 0.3, 16 * 4).reshape(16, 4) / math.sqrt(16))
        self.bias = nn.Parameter(torch.zeros(4))

    def forward(self, xb):
        return xb @ self.weights + self.bias


model = Mnist_Logistic()
print(model)
print(loss_func(model(x_train), y_train))


def fit(model, opt, epochs=3, bs=2):
    for epoch in range(epochs):
        model.train()
        for i in range((n - 1) // bs + 1):
            xb = x_train[i * bs: i * bs + bs]
            yb = y_train[i * bs: i * bs + bs]
            loss = loss_func(model(xb), yb)
            loss.backward()
            opt.step()
            opt.zero_grad()
        model.eval()
        with torch.no_grad():
            print(epoch, loss_func(model(x_train), y_train))


fit(model, optim.SGD(model.parameters(), lr=0.5))
print(model.bias)


class Lambda(nn.Module):
    def __init__(self, func):
        super().__init__()
        self.func = func

    def forward(self, x):
        return self.func(x)


def preprocess(x):
    return x.view(-1, 1, 4, 4)


cnn = nn.Sequential(
    Lambda(preprocess),
    nn.Conv2d(1, 3, kernel_size=3, stride=1, padding=1),
    nn.ReLU(),
    nn.Conv2d(3, 4, kernel_size=3, stride=2, padding=1),
    nn.ReLU(),
    nn.AdaptiveAvgPool2d(1),
    Lambda(lambda x: x.view(x.size(0), -1)),
)
print(cnn)
with torch.no_grad():
    for k, p in enumerate(cnn.parameters()):
        p.copy_(torch.linspace(-0.5, 0.5, p.numel()).reshape(p.shape) * (1 + 0.1 * k))
out = cnn(x_train)
print(out.shape)
print(out)
opt = optim.SGD(cnn.parameters(), lr=0.1, momentum=0.9)
fit(cnn, opt, epochs=2)

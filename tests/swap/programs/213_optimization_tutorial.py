# PyTorch beginner tutorial "Optimizing Model Parameters" on random images
import torch
from torch import nn
from torch.utils.data import DataLoader, TensorDataset

torch.manual_seed(3)
train_data = TensorDataset(torch.rand(256, 1, 8, 8), torch.randint(0, 10, (256,)))
test_data = TensorDataset(torch.rand(128, 1, 8, 8), torch.randint(0, 10, (128,)))
train_dataloader = DataLoader(train_data, batch_size=64)
test_dataloader = DataLoader(test_data, batch_size=64)


class NeuralNetwork(nn.Module):
    def __init__(self):
        super().__init__()
        self.flatten = nn.Flatten()
        self.linear_relu_stack = nn.Sequential(
            nn.Linear(8 * 8, 32),
            nn.ReLU(),
            nn.Linear(32, 32),
            nn.ReLU(),
            nn.Linear(32, 10),
        )

    def forward(self, x):
        x = self.flatten(x)
        logits = self.linear_relu_stack(x)
        return logits


model = NeuralNetwork()
learning_rate = 1e-1
batch_size = 64
epochs = 3


def train_loop(dataloader, model, loss_fn, optimizer):
    size = len(dataloader.dataset)
    model.train()
    for batch, (X, y) in enumerate(dataloader):
        pred = model(X)
        loss = loss_fn(pred, y)
        loss.backward()
        optimizer.step()
        optimizer.zero_grad()
        if batch % 2 == 0:
            loss, current = loss.item(), batch * batch_size + len(X)
            print(f"loss: {loss:>7f}  [{current:>5d}/{size:>5d}]")


def test_loop(dataloader, model, loss_fn):
    model.eval()
    size = len(dataloader.dataset)
    num_batches = len(dataloader)
    test_loss, correct = 0, 0
    with torch.no_grad():
        for X, y in dataloader:
            pred = model(X)
            test_loss += loss_fn(pred, y).item()
            correct += (pred.argmax(1) == y).type(torch.float).sum().item()
    test_loss /= num_batches
    correct /= size
    print(f"Test Error: \n Accuracy: {(100*correct):>0.1f}%, Avg loss: {test_loss:>8f} \n")


loss_fn = nn.CrossEntropyLoss()
optimizer = torch.optim.SGD(model.parameters(), lr=learning_rate)
for t in range(epochs):
    print(f"Epoch {t+1}\n-------------------------------")
    train_loop(train_dataloader, model, loss_fn, optimizer)
    test_loop(test_dataloader, model, loss_fn)
print("Done!")
print(model.linear_relu_stack[4].bias)
# the tutorial's other optimizers, and the printed optimizer
for opt_cls, kw in [(torch.optim.Adam, {"lr": 1e-3}), (torch.optim.RMSprop, {"lr": 1e-3}),
                    (torch.optim.SGD, {"lr": 0.05, "momentum": 0.9, "nesterov": True})]:
    torch.manual_seed(30)
    model = NeuralNetwork()
    optimizer = opt_cls(model.parameters(), **kw)
    print(optimizer)
    train_loop(train_dataloader, model, loss_fn, optimizer)
    test_loop(test_dataloader, model, loss_fn)
print(len(train_dataloader), len(test_dataloader.dataset), train_data[0][0].shape, train_data[3][1])
X, y = next(iter(train_dataloader))
print(X.shape, y.shape, y.dtype, y[:10])

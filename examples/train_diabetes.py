"""Regression on the diabetes data (Efron et al. 2004) with a 10-50-1 MLP, trained eagerly.

The training code is plain PyTorch code: only the imports differ. Replace the two onnxgraft
imports by `import torch` and `from torch import nn, optim` and the script runs on PyTorch (the
data comes from onnxgraft's copy either way).

    python examples/train_diabetes.py                  # SGD with momentum, mini-batches of 32
    python examples/train_diabetes.py --optimizer adam --lr 0.001

Deterministic: the initial weights, the train/test split and the shuffling all come from fixed
seeds, so two runs print the same numbers.

The target is standardized (mean 0, standard deviation 1), so a model that always predicts the
mean scores an MSE of about 1.0, and a linear least-squares fit to all 442 rows leaves 0.48. With
353 training rows a network this size overfits after about 40 epochs (train MSE keeps falling,
test MSE rises again), hence the short default schedule.
"""
import argparse
import os
import sys

sys.path.insert(0, os.path.join(os.path.dirname(os.path.abspath(__file__)), ".."))

import onnxgraft as torch  # noqa: E402
from onnxgraft import nn, optim  # noqa: E402
from onnxgraft.datasets import load_diabetes, train_test_split  # noqa: E402


class Net(nn.Module):
    """10 -> 50 -> 1 with a ReLU between."""

    def __init__(self, n_features=10, hidden=50):
        super().__init__()
        self.fc1 = nn.Linear(n_features, hidden)
        self.relu = nn.ReLU()
        self.fc2 = nn.Linear(hidden, 1)

    def forward(self, x):
        return self.fc2(self.relu(self.fc1(x)))


def load_data(seed=0):
    """Train/test tensors: features with unit variance per column, standardized target."""
    X, y = load_diabetes(standardize=True, standardize_target=True)
    # load_diabetes scales each column to unit norm (scikit-learn's convention); times sqrt(n)
    # that is unit variance, the scale nn.Linear's default initialization expects
    X = X * len(X) ** 0.5
    X_train, X_test, y_train, y_test = train_test_split(X, y, test_size=0.2, seed=seed)
    return (torch.from_numpy(X_train), torch.from_numpy(X_test),
            torch.from_numpy(y_train), torch.from_numpy(y_test))


def train(epochs=50, lr=0.002, optimizer_name="sgd", batch_size=32, seed=0, print_every=5):
    """Train and return (train MSE, test MSE) of the final model."""
    torch.manual_seed(seed)
    X_train, X_test, y_train, y_test = load_data(seed)
    model = Net()
    criterion = nn.MSELoss()
    if optimizer_name == "sgd":
        optimizer = optim.SGD(model.parameters(), lr=lr, momentum=0.9)
    else:
        optimizer = optim.Adam(model.parameters(), lr=lr)

    def evaluate():
        model.eval()
        with torch.no_grad():
            return criterion(model(X_train), y_train).item(), criterion(model(X_test), y_test).item()

    train_mse, test_mse = evaluate()
    print(f"epoch {0:4d}  train MSE {train_mse:.4f}  test MSE {test_mse:.4f}")
    n = X_train.shape[0]
    for epoch in range(1, epochs + 1):
        model.train()
        perm = torch.randperm(n)
        for start in range(0, n, batch_size):
            idx = perm[start:start + batch_size]
            optimizer.zero_grad()
            loss = criterion(model(X_train[idx]), y_train[idx])
            loss.backward()
            optimizer.step()
        if epoch % print_every == 0 or epoch == epochs:
            train_mse, test_mse = evaluate()
            print(f"epoch {epoch:4d}  train MSE {train_mse:.4f}  test MSE {test_mse:.4f}")
    return train_mse, test_mse


def main(argv=None):
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("--epochs", type=int, default=50)
    parser.add_argument("--lr", type=float, default=None, help="default: 0.002 (sgd), 0.001 (adam)")
    parser.add_argument("--optimizer", choices=("sgd", "adam"), default="sgd")
    parser.add_argument("--batch-size", type=int, default=32)
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--print-every", type=int, default=5)
    args = parser.parse_args(argv)
    lr = args.lr if args.lr is not None else (0.002 if args.optimizer == "sgd" else 0.001)
    train(args.epochs, lr, args.optimizer, args.batch_size, args.seed, args.print_every)


if __name__ == "__main__":
    main()

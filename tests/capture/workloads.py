"""Training steps shared by the capture tests, written once against a torch-like namespace `lib`
(onnxgraft or torch), so the same code runs eagerly, compiled, and in PyTorch from the same
initial weights.

Each builder returns a `Run`: the step function, the tensors it trains, the optimizer (or None),
and the data of every call.
"""
from dataclasses import dataclass, field

import numpy as np

# `lr` is the SGD learning rate of the workload (a summed loss needs a smaller one)
OPTIMIZERS = {
    "sgd": lambda lib, ps, lr: lib.optim.SGD(ps, lr=lr),
    "momentum": lambda lib, ps, lr: lib.optim.SGD(ps, lr=lr, momentum=0.9),
    "nesterov_wd": lambda lib, ps, lr: lib.optim.SGD(ps, lr=lr, momentum=0.9, nesterov=True,
                                                      weight_decay=1e-3),
    "adam": lambda lib, ps, lr: lib.optim.Adam(ps, lr=1e-3),
    "adamw": lambda lib, ps, lr: lib.optim.AdamW(ps, lr=1e-3, weight_decay=1e-2),
}


@dataclass
class Run:
    step: object
    params: list            # [(name, tensor)] in a fixed order
    optimizer: object = None
    module: object = None
    data: tuple = field(default_factory=tuple)


def _tensor(lib, array, **kw):
    return lib.tensor(np.array(array), **kw)


def _load(lib, module, seed, scale=0.3):
    """Give every parameter of `module` values drawn from numpy (the same in every library)."""
    rng = np.random.default_rng(seed)
    with lib.no_grad():
        for p in module.parameters():
            p.copy_(_tensor(lib, (rng.standard_normal(tuple(p.shape)) * scale).astype(np.float32)))


def mlp(lib, optimizer="sgd", seed=0, batch=16):
    """20-32-32-5 MLP, CrossEntropyLoss, batch 16: opt.zero_grad(); loss.backward(); opt.step()."""
    nn = lib.nn
    model = nn.Sequential(nn.Linear(20, 32), nn.ReLU(), nn.Linear(32, 32), nn.ReLU(), nn.Linear(32, 5))
    _load(lib, model, seed)
    opt = OPTIMIZERS[optimizer](lib, model.parameters(), 0.05)
    loss_fn = nn.CrossEntropyLoss()

    def train_step(x, y):
        opt.zero_grad()
        loss = loss_fn(model(x), y)
        loss.backward()
        opt.step()
        return loss

    rng = np.random.default_rng(seed + 1)
    x = _tensor(lib, rng.standard_normal((batch, 20)).astype(np.float32))
    y = _tensor(lib, rng.integers(0, 5, batch).astype(np.int64))
    return Run(train_step, list(model.named_parameters()), opt, model, (x, y))


def seed_linear(lib, optimizer="sgd", seed=0):
    """The seeds' two-layer network with nn.Linear and MSELoss(reduction='sum')."""
    nn = lib.nn
    model = nn.Sequential(nn.Linear(10, 16), nn.ReLU(), nn.Linear(16, 1))
    _load(lib, model, seed)
    opt = OPTIMIZERS[optimizer](lib, model.parameters(), 2e-3)
    loss_fn = nn.MSELoss(reduction="sum")

    def train_step(x, y):
        y_pred = model(x)
        loss = loss_fn(y_pred, y)
        opt.zero_grad()
        loss.backward()
        opt.step()
        return loss

    rng = np.random.default_rng(seed + 1)
    x = _tensor(lib, rng.standard_normal((16, 10)).astype(np.float32))
    y = _tensor(lib, rng.standard_normal((16, 1)).astype(np.float32))
    return Run(train_step, list(model.named_parameters()), opt, model, (x, y))


def seed_tensors(lib, seed=0, lr=1e-3):
    """Seed 001's loop: plain leaf tensors, x.mm(w1).clamp(min=0).mm(w2), a summed squared error,
    `w.data -= lr * w.grad.data` and `w.grad.data.zero_()`."""
    rng = np.random.default_rng(seed)
    w1 = _tensor(lib, (rng.standard_normal((10, 16)) * 0.3).astype(np.float32), requires_grad=True)
    w2 = _tensor(lib, (rng.standard_normal((16, 1)) * 0.3).astype(np.float32), requires_grad=True)

    def train_step(x, y):
        h = x.mm(w1)
        h_relu = h.clamp(min=0)
        y_pred = h_relu.mm(w2)
        loss = (y_pred - y).pow(2).sum()
        loss.backward()
        w1.data -= lr * w1.grad.data
        w2.data -= lr * w2.grad.data
        w1.grad.data.zero_()
        w2.grad.data.zero_()
        return loss

    x = _tensor(lib, rng.standard_normal((16, 10)).astype(np.float32))
    y = _tensor(lib, rng.standard_normal((16, 1)).astype(np.float32))
    return Run(train_step, [("w1", w1), ("w2", w2)], None, None, (x, y))


WORKLOADS = {"mlp": mlp, "seed_linear": seed_linear}


def numpy_of(t):
    return np.array(t.detach().numpy(), copy=True)


def params_of(run):
    return {name: numpy_of(p) for name, p in run.params}


def optimizer_state_of(run):
    """{(param index, key): array} from optimizer.state_dict() (the public way to read it)."""
    if run.optimizer is None:
        return {}
    out = {}
    for index, entry in run.optimizer.state_dict()["state"].items():
        for key, value in entry.items():
            out[(index, key)] = numpy_of(value) if hasattr(value, "detach") else np.asarray(value)
    return out


def assert_same(got, want, rtol=1e-5, atol=1e-6, what=""):
    """Every array of dict `got` equals `want`'s (same keys) to rtol/atol."""
    keys = sorted(got, key=str), sorted(want, key=str)
    assert keys[0] == keys[1], f"{what}: keys {keys[0]} != {keys[1]}"
    for k in want:
        np.testing.assert_allclose(got[k], want[k], rtol=rtol, atol=atol, err_msg=f"{what} {k}")

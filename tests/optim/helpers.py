"""Shared helpers of the optimizer tests: the same problem run by onnxgraft and by PyTorch."""
import numpy as np


def relative_error(a, b):
    """max |a - b| / max |b| (max |b| floored at 1e-30 so all-zero references compare exactly)."""
    a, b = np.asarray(a, np.float64), np.asarray(b, np.float64)
    return float(np.abs(a - b).max() / max(np.abs(b).max(), 1e-30))


def problem(seed=0):
    """Initial values and data of a small MLP regression (3 -> 5 -> 1, tanh), float32."""
    rng = np.random.default_rng(seed)
    f = lambda *s: rng.standard_normal(s).astype(np.float32)  # noqa: E731
    return {"w1": f(3, 5) * np.float32(0.5), "b1": f(5) * np.float32(0.1), "w2": f(5, 1) * np.float32(0.5),
            "b2": f(1) * np.float32(0.1), "x": f(16, 3), "y": f(16, 1)}


def train_mlp(lib, make_optimizer, steps=20, seed=0, sign=1.0):
    """`steps` optimizer steps of `lib` (onnxgraft or torch) on problem(seed); returns the final
    parameters as numpy arrays and the optimizer. sign=-1 trains on the negated loss (for
    maximize=True, which then converges instead of diverging chaotically)."""
    data = problem(seed)
    params = [lib.tensor(data[k], requires_grad=True) for k in ("w1", "b1", "w2", "b2")]
    x, y = lib.tensor(data["x"]), lib.tensor(data["y"])
    opt = make_optimizer(lib, params)
    for _ in range(steps):
        opt.zero_grad()
        w1, b1, w2, b2 = params
        loss = (((x @ w1 + b1).tanh() @ w2 + b2 - y) ** 2).mean() * sign
        loss.backward()
        opt.step()
    return [p.detach().numpy().copy() for p in params], opt


def gradient_sequence(shapes, steps=20, seed=1):
    """Fixed gradients of varied magnitudes for each step: feeding the same sequence to both
    libraries tests the update alone, independent of forward and backward rounding."""
    rng = np.random.default_rng(seed)
    return [[(rng.standard_normal(s) * 10.0 ** rng.integers(-3, 2)).astype(np.float32) for s in shapes]
            for _ in range(steps)]


def run_fixed_grads(lib, make_optimizer, steps=20, seed=1):
    """Run an optimizer on fixed gradients; returns the final parameters, the optimizer and the
    parameter tensors."""
    shapes = [(4, 3), (3,), ()]
    rng = np.random.default_rng(seed + 100)
    params = [lib.tensor(rng.standard_normal(s).astype(np.float32), requires_grad=True) for s in shapes]
    opt = make_optimizer(lib, params)
    for grads in gradient_sequence(shapes, steps, seed):
        for p, g in zip(params, grads):
            p.grad = lib.tensor(g)
        opt.step()
    return [p.detach().numpy().copy() for p in params], opt, params


def config_id(config):
    """pytest id of an (optimizer name, kwargs) config: "Adam:lr=0.01,amsgrad=True"."""
    name, kw = config
    return name + ":" + ",".join(f"{k}={v}" for k, v in kw.items())


def make_optimizer(config):
    """A factory (lib, params) -> lib.optim.<name>(params, **kwargs), for torch and onnxgraft alike."""
    name, kw = config
    return lambda lib, params: getattr(lib.optim, name)(params, **kw)

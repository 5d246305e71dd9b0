"""Helpers for comparing onnxgraft.nn with PyTorch: the same numbers go into both."""
import numpy as np

import onnxgraft as og


def og_tensor(a, requires_grad=False):
    return og.tensor(np.array(a), requires_grad=requires_grad)


def torch_tensor(torch, a, requires_grad=False):
    return torch.tensor(np.array(a), requires_grad=requires_grad)


def copy_weights(og_module, torch_module):
    """Load the onnxgraft module's state into the torch module (same keys, same values)."""
    import torch
    state = {k: torch.from_numpy(np.array(v.numpy())) for k, v in og_module.state_dict().items()}
    torch_module.load_state_dict(state)


def assert_close(og_value, torch_value, rtol=1e-5, atol=1e-6):
    """Values (and dtypes) agree; None agrees only with None."""
    if og_value is None or torch_value is None:
        assert og_value is None and torch_value is None, (og_value, torch_value)
        return
    a = np.asarray(og_value.detach().numpy())
    b = torch_value.detach().numpy()
    assert a.shape == b.shape, (a.shape, b.shape)
    assert a.dtype == b.dtype, (a.dtype, b.dtype)
    np.testing.assert_allclose(a, b, rtol=rtol, atol=atol)


def grad_fn_name(t):
    fn = t.grad_fn
    return None if fn is None else (fn.name() if hasattr(fn, "name") else type(fn).__name__)


def forward_backward(og_module, t_module, x, torch, upstream=None, *, rng):
    """Run both modules on x and backprop the same upstream gradient (drawn from `rng` when not
    given); returns (xo, xt, yo, yt): onnxgraft's and PyTorch's inputs (whose .grad is then set)
    and outputs."""
    xo, xt = og_tensor(x, True), torch_tensor(torch, x, True)
    yo, yt = og_module(xo), t_module(xt)
    g = rng.standard_normal(tuple(yt.shape)).astype(x.dtype) if upstream is None else upstream
    yo.backward(og_tensor(g))
    yt.backward(torch_tensor(torch, g))
    return xo, xt, yo, yt

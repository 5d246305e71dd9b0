"""Activations as single ops (ir/ops/activations.py, ir/ops/onednn_eltwise.py): float32 values
and gradients equal to PyTorch's bit for bit, other dtypes close, gradients checked by finite
differences, grad_fn names, and a compiled step (ONNX) that matches eager."""
import numpy as np
import pytest

import onnxgraft as og
import onnxgraft.nn.functional as OF

SIZES = (5, 31, 32, 100, 1000)


def _data(n, scale, seed=0):
    rng = np.random.default_rng(seed)
    return (rng.standard_normal(n) * scale).astype(np.float32), rng.standard_normal(n).astype(np.float32)


def _run(lib, fname, x, g, kwargs, dtype):
    """Forward and input gradient of lib.nn.functional.fname on x (as `dtype`) with cotangent g."""
    t = lib.tensor(x.astype(dtype), requires_grad=True)
    y = getattr(lib.nn.functional, fname)(t, **kwargs)
    y.backward(lib.tensor(g.astype(dtype)))
    return y.detach().numpy(), t.grad.numpy()


# (functional name, kwargs): each reproduces PyTorch's float32 bits on every element, the
# vectorised blocks of 32 (SLEEF, oneDNN) and the n % 32 tail (glibc) alike
EXACT = [
    ("gelu", {}),
    ("gelu", {"approximate": "tanh"}),
    ("silu", {}),
    ("softplus", {}),
    ("softplus", {"beta": 2.0, "threshold": 5.0}),
    ("logsigmoid", {}),
    ("elu", {}),
    ("elu", {"alpha": 0.5}),
    ("selu", {}),
    ("celu", {"alpha": 2.0}),
    ("mish", {}),
    ("hardsigmoid", {}),
    ("hardswish", {}),
]


def _ids(cases):
    return [f"{name}-{'-'.join(f'{k}={v}' for k, v in kw.items())}" for name, kw in cases]


@pytest.mark.parametrize("name,kwargs", EXACT, ids=_ids(EXACT))
@pytest.mark.parametrize("n", SIZES)
@pytest.mark.parametrize("scale", [3.0, 0.01, 30.0])
def test_float32_bits_equal_pytorch(name, kwargs, n, scale):
    torch = pytest.importorskip("torch")
    x, g = _data(n, scale, seed=n)
    ours = _run(og, name, x, g, kwargs, np.float32)
    theirs = _run(torch, name, x, g, kwargs, np.float32)
    for what, a, b in zip(("forward", "backward"), ours, theirs):
        bad = np.nonzero(a.view(np.int32) != b.view(np.int32))[0]
        assert bad.size == 0, f"{name} {what}: {bad.size}/{n} differ, first at x={x[bad[0]]!r}: {a[bad[0]]!r} vs {b[bad[0]]!r}"


def test_bce_with_logits_forward_bits_equal_pytorch():
    torch = pytest.importorskip("torch")
    for n in SIZES:
        rng = np.random.default_rng(n)
        x = (rng.standard_normal(n) * 3).astype(np.float32)
        t = rng.integers(0, 2, n).astype(np.float32)
        for reduction in ("mean", "sum", "none"):
            a = og.nn.functional.binary_cross_entropy_with_logits(og.tensor(x), og.tensor(t), reduction=reduction)
            b = torch.nn.functional.binary_cross_entropy_with_logits(torch.tensor(x), torch.tensor(t),
                                                                    reduction=reduction)
            assert np.atleast_1d(a.numpy()).tobytes() == np.atleast_1d(b.numpy()).tobytes(), (n, reduction)


@pytest.mark.parametrize("name,kwargs", EXACT, ids=_ids(EXACT))
def test_float64_close_to_pytorch_and_grad_fn_names(name, kwargs):
    torch = pytest.importorskip("torch")
    x, g = _data(100, 3.0)
    ours = _run(og, name, x, g, kwargs, np.float64)
    theirs = _run(torch, name, x, g, kwargs, np.float64)
    for a, b in zip(ours, theirs):
        assert a.dtype == np.float64
        np.testing.assert_allclose(a, b, rtol=1e-12, atol=1e-14)
    t_og = og.tensor(x, requires_grad=True)
    t_pt = torch.tensor(x, requires_grad=True)
    assert (getattr(og.nn.functional, name)(t_og, **kwargs).grad_fn.name()
            == getattr(torch.nn.functional, name)(t_pt, **kwargs).grad_fn.name())


@pytest.mark.parametrize("name,kwargs", EXACT, ids=_ids(EXACT))
def test_gradient_matches_finite_differences(name, kwargs):
    # float64, away from the kinks (0 for elu/celu/selu, +-3 for the hard ones)
    x = np.array([-4.1, -2.6, -1.3, -0.45, 0.35, 0.9, 1.7, 2.4, 3.6, 6.0])
    f = getattr(OF, name)
    t = og.tensor(x, requires_grad=True)
    f(t, **kwargs).sum().backward()
    eps = 1e-6
    with og.no_grad():
        plus = f(og.tensor(x + eps), **kwargs).numpy()
        minus = f(og.tensor(x - eps), **kwargs).numpy()
    np.testing.assert_allclose(t.grad.numpy(), (plus - minus) / (2 * eps), rtol=1e-6, atol=1e-8)


@pytest.mark.parametrize("name", ["gelu", "silu", "softplus", "logsigmoid", "elu", "mish"])
def test_double_backward_matches_finite_differences(name):
    # create_graph takes the composed (OpMixin) gradient formula; its derivative is checked too
    x = np.array([-2.2, -0.7, 0.4, 1.1, 2.9])
    f = getattr(OF, name)

    def grad_at(v):
        t = og.tensor(v, requires_grad=True)
        (gx,) = og.autograd.grad(f(t).sum(), t, create_graph=True)
        return t, gx

    t, gx = grad_at(x)
    (ggx,) = og.autograd.grad(gx.sum(), t)
    eps = 1e-6
    fd = (grad_at(x + eps)[1].detach().numpy() - grad_at(x - eps)[1].detach().numpy()) / (2 * eps)
    np.testing.assert_allclose(ggx.numpy(), fd, rtol=1e-5, atol=1e-7)


def test_integer_input_error_names_the_kernel():
    with pytest.raises(NotImplementedError, match='"GeluKernelImpl" not implemented for \'Long\''):
        OF.gelu(og.tensor([1, 2]))
    with pytest.raises(NotImplementedError, match='"silu_cpu" not implemented'):
        OF.silu(og.tensor([1, 2]))
    with pytest.raises(RuntimeError, match="approximate argument must be either none or tanh"):
        OF.gelu(og.tensor([1.0]), approximate="erf")


@pytest.mark.parametrize("name", ["elu", "selu", "celu", "silu", "mish", "hardswish", "hardsigmoid"])
def test_inplace_variants_match_pytorch(name):
    torch = pytest.importorskip("torch")
    x = np.array([-3.5, -1.0, 0.5, 2.0, 4.0], np.float32)
    results = []
    for lib in (og, torch):
        leaf = lib.tensor(x, requires_grad=True)
        y = leaf * 1
        out = getattr(lib.nn.functional, name)(y, inplace=True)
        out.sum().backward()
        results.append((y.detach().numpy(), out.grad_fn.name(), leaf.grad.numpy()))
    (ours_y, ours_name, ours_grad), (y_pt, name_pt, grad_pt) = results
    assert ours_y.tobytes() == y_pt.tobytes()
    assert ours_name == name_pt
    np.testing.assert_allclose(ours_grad, grad_pt, rtol=1e-6)


def test_compiled_step_with_gelu_and_silu_matches_eager():
    def make():
        og.manual_seed(3)
        model = og.nn.Sequential(og.nn.Linear(4, 8), og.nn.GELU(), og.nn.Linear(8, 8), og.nn.SiLU(),
                                 og.nn.Linear(8, 2))
        opt = og.optim.SGD(model.parameters(), lr=0.05)

        def step(x, y):
            opt.zero_grad()
            h = model(x)
            loss = ((OF.gelu(h, approximate="tanh") + OF.softplus(h) - y) ** 2).mean()
            loss.backward()
            opt.step()
            return loss
        return model, step

    x = og.tensor(np.linspace(-2, 2, 24, dtype=np.float32).reshape(6, 4))
    y = og.tensor(np.linspace(-1, 1, 12, dtype=np.float32).reshape(6, 2))
    eager_model, eager_step = make()
    comp_model, comp_step = make()
    compiled = og.compile(comp_step)
    for _ in range(3):
        np.testing.assert_allclose(float(compiled(x, y)), float(eager_step(x, y)), rtol=1e-5, atol=1e-6)
    for p, q in zip(eager_model.parameters(), comp_model.parameters()):
        np.testing.assert_allclose(q.detach().numpy(), p.detach().numpy(), rtol=1e-5, atol=1e-6)

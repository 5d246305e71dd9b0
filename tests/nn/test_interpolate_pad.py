"""F.interpolate (nearest, linear, bilinear, trilinear), nn.Upsample and F.pad's reflect /
replicate / circular modes: values, gradients and grad_fn names against PyTorch, gradients
against central differences, error texts, and a compiled step against eager."""
import numpy as np
import pytest

import onnxgraft as og
import onnxgraft.nn as nn
import onnxgraft.nn.functional as F

SHAPES = {"linear": (1, 2, 5), "bilinear": (1, 2, 4, 5), "trilinear": (1, 1, 2, 3, 4)}
SIZES = [dict(scale_factor=2), dict(scale_factor=1.7), dict(scale_factor=0.5), "up", "down"]


def _data(shape):
    return (np.sin(np.arange(int(np.prod(shape)), dtype=np.float64) * 0.37) * 2).reshape(shape)


def _kwargs(spec, k):
    if spec == "up":
        return dict(size=[7] * k)
    if spec == "down":
        return dict(size=[2] * k)
    return spec


def _run(lib, fn, x):
    t = lib.tensor(x, requires_grad=True)
    y = fn(lib, t)
    w = lib.tensor(np.cos(np.arange(y.numel(), dtype=np.float64)).reshape(tuple(y.shape)).astype(x.dtype))
    (y * w).sum().backward()
    return y.detach().numpy(), t.grad.numpy(), y.grad_fn.name()


def _interp(mode, kw, align=None):
    def fn(lib, t):
        return lib.nn.functional.interpolate(t, mode=mode, align_corners=align, **kw)
    return fn


CASES = [(mode, i, align) for mode in SHAPES for i in range(len(SIZES)) for align in (False, True)] + \
        [("nearest", i, None) for i in range(len(SIZES))]


@pytest.mark.parametrize("mode,i,align", CASES)
def test_interpolate_matches_torch(mode, i, align):
    torch = pytest.importorskip("torch")
    shape = SHAPES.get(mode, SHAPES["bilinear"])
    kw = _kwargs(SIZES[i], len(shape) - 2)
    x = _data(shape).astype(np.float32)
    got, want = _run(og, _interp(mode, kw, align), x), _run(torch, _interp(mode, kw, align), x)
    # float32 weights, the same nesting of sums as PyTorch's kernel: equal up to a few ulps
    np.testing.assert_allclose(got[0], want[0], rtol=1e-6, atol=1e-6)
    np.testing.assert_allclose(got[1], want[1], rtol=1e-5, atol=1e-5)
    assert got[2] == want[2]


@pytest.mark.parametrize("mode", ["nearest", "bilinear"])
def test_interpolate_gradient_central_differences(mode):
    x = _data(SHAPES["bilinear"])
    fn = _interp(mode, dict(scale_factor=1.5), None)
    w = np.cos(np.arange(2 * 6 * 7)).reshape(1, 2, 6, 7)

    def f(a):
        return float((fn(og, og.tensor(a)).numpy() * w).sum())
    t = og.tensor(x, requires_grad=True)
    (fn(og, t) * og.tensor(w)).sum().backward()
    eps, num = 1e-6, np.zeros_like(x)
    for idx in np.ndindex(x.shape):
        d = np.zeros_like(x)
        d[idx] = eps
        num[idx] = (f(x + d) - f(x - d)) / (2 * eps)
    np.testing.assert_allclose(t.grad.numpy(), num, rtol=1e-6, atol=1e-6)


PADS = [("reflect", (2, 1)), ("reflect", (1, 1, 1, 0)), ("reflect", (-1, 2)), ("replicate", (3, 0)),
        ("replicate", (1, 2, 0, 1)), ("circular", (2, 1)), ("circular", (1, 1, 1, 1))]


@pytest.mark.parametrize("mode,pad", PADS)
def test_pad_modes_match_torch(mode, pad):
    torch = pytest.importorskip("torch")
    x = _data((1, 2, 3, 4)).astype(np.float32)
    x = x[0] if len(pad) == 2 else x

    def fn(lib, t):
        return lib.nn.functional.pad(t, pad, mode=mode)
    got, want = _run(og, fn, x), _run(torch, fn, x)
    np.testing.assert_array_equal(got[0], want[0])
    np.testing.assert_allclose(got[1], want[1], rtol=1e-6)
    assert got[2] == want[2]


@pytest.mark.parametrize("call", [
    lambda lib: lib.nn.functional.interpolate(lib.ones(1, 1, 3), scale_factor=2, mode="bilinear"),
    lambda lib: lib.nn.functional.interpolate(lib.ones(1, 1, 3)),
    lambda lib: lib.nn.functional.interpolate(lib.ones(1, 1, 3), size=3, scale_factor=2),
    lambda lib: lib.nn.functional.interpolate(lib.ones(1, 1, 3), size=[2, 2]),
    lambda lib: lib.nn.functional.interpolate(lib.ones(1, 1, 3), size=3, align_corners=True),
    lambda lib: lib.nn.functional.pad(lib.ones(1, 2, 3), (3, 3), mode="reflect"),
    lambda lib: lib.nn.functional.pad(lib.ones(1, 2, 3), (4, 0), mode="circular"),
    lambda lib: lib.nn.functional.pad(lib.ones(3), (1, 1), mode="replicate"),
    lambda lib: lib.nn.functional.pad(lib.ones(1, 2, 3), (1, 1), mode="reflect", value=1.0),
])
def test_errors_match_torch(call):
    torch = pytest.importorskip("torch")
    with pytest.raises(Exception) as want:
        call(torch)
    with pytest.raises(type(want.value)) as got:
        call(og)
    assert str(got.value) == str(want.value)


def test_upsample_module_repr_and_compiled_step():
    up = nn.Sequential(nn.Conv2d(1, 2, 1), nn.Upsample(scale_factor=2, mode="bilinear"))
    assert repr(up[1]) == "Upsample(scale_factor=2.0, mode='bilinear')"
    assert repr(nn.UpsamplingNearest2d(size=3)) == "UpsamplingNearest2d(size=3, mode='nearest')"
    x = og.tensor(_data((2, 1, 3, 4)).astype(np.float32))
    step = og.compile(lambda x: F.pad(up(x), (1, 1, 1, 1), mode="reflect"))
    np.testing.assert_allclose(step(x).detach().numpy(), F.pad(up(x), (1, 1, 1, 1), mode="reflect").detach().numpy(),
                               rtol=1e-5, atol=1e-6)

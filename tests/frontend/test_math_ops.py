"""The math family (frontend/tensor_math.py, ir/ops/math.py, export/lower_math.py): values, dtype
promotion, grad_fn names, first and second derivatives against PyTorch (where installed) and
central differences, in-place forms and their autograd rules, error texts, and capture + export
(onnxgraft.compile, onnxgraft.onnx.export) in onnxruntime against eager."""
import math

import numpy as np
import pytest

import onnxgraft as og
import onnxgraft.nn as nn

A = [0.3, -0.6, 0.85]
B = [1.5, 0.4, -2.0]
P = [0.2, 0.5, 0.9]
TIES = [0.3, 0.4, -2.0]  # ties A at index 0

# name -> (function of the library module, inputs): unary and binary functions, scalar arguments
# baked in. Each is run on onnxgraft and on torch with the same float64 inputs.
CASES = {
    "asin": (lambda m, x: m.asin(x), [A]),
    "acos": (lambda m, x: m.acos(x), [A]),
    "atan": (lambda m, x: m.atan(x), [B]),
    "arcsin": (lambda m, x: m.arcsin(x), [A]),
    "sinh": (lambda m, x: m.sinh(x), [B]),
    "cosh": (lambda m, x: m.cosh(x), [B]),
    "asinh": (lambda m, x: m.asinh(x), [B]),
    "acosh": (lambda m, x: m.acosh(x), [[1.5, 2.0, 3.0]]),
    "atanh": (lambda m, x: x.atanh(), [A]),
    "erf": (lambda m, x: m.erf(x), [B]),
    "erfc": (lambda m, x: x.erfc(), [B]),
    "exp2": (lambda m, x: m.exp2(x), [B]),
    "deg2rad": (lambda m, x: m.deg2rad(x), [B]),
    "rad2deg": (lambda m, x: x.rad2deg(), [B]),
    "logit": (lambda m, x: m.logit(x), [P]),
    "logit_eps": (lambda m, x: m.logit(x, eps=0.3), [P]),
    "sinc": (lambda m, x: m.sinc(x), [[0.25, 0.5, -1.3]]),
    "nan_to_num": (lambda m, x: m.nan_to_num(x), [B]),
    "sgn": (lambda m, x: m.sgn(x), [B]),
    "frac": (lambda m, x: m.frac(x), [B]),
    "floor": (lambda m, x: m.floor(x), [B]),
    "round_decimals": (lambda m, x: m.round(x, decimals=1), [B]),
    "atan2": (lambda m, y, x: m.atan2(y, x), [A, B]),
    "arctan2": (lambda m, y, x: y.arctan2(x), [A, B]),
    "hypot": (lambda m, x, y: m.hypot(x, y), [A, B]),
    "logaddexp": (lambda m, x, y: m.logaddexp(x, y), [A, TIES]),
    "xlogy": (lambda m, x, y: m.xlogy(x, y), [[0.0, 0.5, 2.0], P]),
    "xlogy_number": (lambda m, x: x.xlogy(3.0), [A]),
    "fmax": (lambda m, x, y: m.fmax(x, y), [A, TIES]),
    "fmin": (lambda m, x, y: x.fmin(y), [A, TIES]),
    "maximum": (lambda m, x, y: x.maximum(y), [A, TIES]),
    "minimum": (lambda m, x, y: m.minimum(x, y), [A, TIES]),
    "float_power": (lambda m, x, y: m.float_power(x, y), [P, B]),
    "float_power_number": (lambda m, x: m.float_power(x, 3), [B]),
    "lerp_number": (lambda m, x, y: m.lerp(x, y, 0.7), [A, B]),
    "lerp_tensor": (lambda m, x, y, w: x.lerp(y, w), [A, B, [0.2, 0.7, 1.5]]),
    "addcmul": (lambda m, x, y, z: m.addcmul(x, y, z, value=0.5), [A, B, P]),
    "addcdiv": (lambda m, x, y, z: x.addcdiv(y, z, value=-2), [A, B, P]),
}


def _run(lib, name, create_graph=True):
    fn, inputs = CASES[name]
    xs = [lib.tensor(v, dtype=lib.float64, requires_grad=True) for v in inputs]
    y = fn(lib, *xs)
    grads = lib.autograd.grad(y.sum(), xs, create_graph=create_graph, allow_unused=True)
    second = []
    for g in grads:
        if g is not None and g.requires_grad:
            h = lib.autograd.grad(g.sum(), xs, retain_graph=True, allow_unused=True)
            second.append([None if t is None else t.detach().numpy(force=True).copy() for t in h])
        else:
            second.append(None)
    return (y, [None if g is None else g.detach().numpy(force=True).copy() for g in grads], second)


@pytest.mark.parametrize("name", sorted(CASES))
def test_values_names_and_derivatives_match_torch(name):
    torch = pytest.importorskip("torch")
    y, g, h = _run(og, name)
    ty, tg, th = _run(torch, name)
    assert y.grad_fn.name() == ty.grad_fn.name()
    assert str(y.dtype) == str(ty.dtype)
    np.testing.assert_allclose(y.detach().numpy(), ty.detach().numpy(), rtol=1e-12, atol=1e-14)
    for ours, theirs in zip(g, tg):
        if theirs is None or ours is None:
            assert theirs is None or not theirs.any(), name
            continue
        np.testing.assert_allclose(ours, theirs, rtol=1e-10, atol=1e-12, err_msg=name)
    for ours, theirs in zip(h, th):
        if ours is None or theirs is None:
            # constant first derivatives: torch may still record a graph for them
            assert all(t is None or not t.any() for t in (theirs or [])) and \
                all(t is None or not t.any() for t in (ours or [])), name
            continue
        for a, b in zip(ours, theirs):
            if a is None or b is None:
                assert (a is None or not a.any()) and (b is None or not b.any()), name
                continue
            np.testing.assert_allclose(a, b, rtol=1e-9, atol=1e-12, err_msg=f"{name}: second order")


# inputs on a jump (floor/frac at -2.0) or a tie (fmax/fmin at index 0), where the derivative is a
# subgradient choice (checked against torch above) that differences cannot see
KINKS = {"floor", "frac", "round_decimals", "fmax", "fmin", "maximum", "minimum"}


@pytest.mark.parametrize("name", sorted(set(CASES) - KINKS))
def test_first_derivatives_match_central_differences(name):
    fn, inputs = CASES[name]
    _, grads, _ = _run(og, name, create_graph=False)
    eps = 1e-6
    for i, g in enumerate(grads):
        if g is None:
            continue
        fd = np.zeros(len(inputs[i]))
        for j in range(len(inputs[i])):
            vals = []
            for sign in (1, -1):
                shifted = [list(v) for v in inputs]
                shifted[i][j] += sign * eps
                with og.no_grad():
                    xs = [og.tensor(v, dtype=og.float64) for v in shifted]
                    vals.append(float(fn(og, *xs).sum()))
            fd[j] = (vals[0] - vals[1]) / (2 * eps)
        np.testing.assert_allclose(g, fd, rtol=1e-6, atol=1e-6, err_msg=f"{name}: input {i}")


def test_float32_values_print_as_torch():
    torch = pytest.importorskip("torch")
    x = [-3.0, -0.5, 0.0, 0.25, 2.0, 4.0]
    for fn in (lambda m, t: m.erf(t), lambda m, t: m.erfc(t), lambda m, t: m.exp2(t),
               lambda m, t: m.sinh(t), lambda m, t: m.cosh(t), lambda m, t: m.asinh(t),
               lambda m, t: m.atan(t), lambda m, t: m.sinc(t), lambda m, t: m.deg2rad(t),
               lambda m, t: m.atan2(t, m.tensor([1.0, -1.0, 0.0, 2.0, -0.5, 0.0])),
               lambda m, t: m.logaddexp(t, m.tensor([-100.0, 1.0, 0.0, 0.25, -3.0, 5.0]))):
        assert str(fn(og, og.tensor(x))) == str(fn(torch, torch.tensor(x)))


def test_integer_inputs_promote_to_the_default_float():
    i = og.tensor([1, 2, 3])
    for fn in (og.asin, og.erf, og.exp2, og.sinc, og.logit, og.deg2rad, og.erfc, og.atanh):
        assert fn(i).dtype == og.float32
    assert og.atan2(i, i).dtype == og.float32
    assert og.xlogy(i, 2).dtype == og.float32
    assert og.float_power(i, 2).dtype == og.float64
    assert og.sgn(i).dtype == og.int64 and og.nan_to_num(i).dtype == og.int64
    assert og.fmax(i, i).dtype == og.int64
    assert og.floor(i).dtype == og.int64 and og.floor(i).tolist() == [1, 2, 3]
    assert og.addcmul(i, i, i, value=2).tolist() == [3, 10, 21]
    assert og.tensor([1.7, -1.2, 300.0]).byte().tolist() == [1, 255, 44]
    assert og.tensor([1.7, -1.2, 300.0]).char().dtype == og.int8
    assert og.tensor([1.7, -1.2, 300.0]).short().tolist() == [1, -1, 300]


def test_special_values():
    nan, inf = math.nan, math.inf
    out = og.nan_to_num(og.tensor([nan, inf, -inf, 1.0]))
    assert out.tolist() == [0.0, float(np.finfo(np.float32).max), float(np.finfo(np.float32).min), 1.0]
    assert og.tensor([nan, inf, -inf]).nan_to_num(2.0, 3.0, -4.0).tolist() == [2.0, 3.0, -4.0]
    assert og.fmax(og.tensor([nan, 1.0, nan]), og.tensor([2.0, nan, nan])).tolist()[:2] == [2.0, 1.0]
    assert og.xlogy(og.tensor([0.0, 0.0]), og.tensor([0.0, 2.0])).tolist() == [0.0, 0.0]
    assert math.copysign(1, og.xlogy(og.tensor([0.0]), og.tensor([0.5])).item()) == 1  # +0, not -0
    assert np.isnan(og.xlogy(og.tensor([0.0]), og.tensor([nan])).item())
    assert og.sinc(og.tensor([0.0])).item() == 1.0
    assert og.atan2(og.tensor([0.0]), og.tensor([0.0])).item() == 0.0
    assert og.logaddexp(og.tensor([-inf, inf]), og.tensor([-inf, inf])).tolist() == [-inf, inf]
    assert og.erfc(og.tensor([5.0])).item() == pytest.approx(math.erfc(5.0), rel=1e-6)
    assert og.exp2(og.tensor([10.0])).item() == 1024.0
    assert og.round(og.tensor([0.5, 1.5, 2.5, -2.5])).tolist() == [0.0, 2.0, 2.0, -2.0]


def test_ties_split_the_gradient_evenly():
    a = og.tensor([1.0, 2.0, 3.0], requires_grad=True)
    b = og.tensor([1.0, 1.0, 4.0], requires_grad=True)
    og.maximum(a, b).sum().backward()
    assert a.grad.tolist() == [0.5, 1.0, 0.0] and b.grad.tolist() == [0.5, 0.0, 1.0]
    a.grad = b.grad = None
    og.minimum(a, b).sum().backward()
    assert a.grad.tolist() == [0.5, 0.0, 1.0] and b.grad.tolist() == [0.5, 1.0, 0.0]
    assert all(math.copysign(1, v) == 1 for v in a.grad.tolist())  # no -0.0 from a negation
    a.grad = b.grad = None
    og.fmax(a, b).sum().backward()  # fmax/fmin give ties to the first argument, as PyTorch
    assert a.grad.tolist() == [1.0, 1.0, 0.0]


# -- errors --------------------------------------------------------------------------------------------
def test_errors_match_torch():
    f, i = og.tensor([0.5, 1.0, 2.0]), og.tensor([1, 2, 3])
    with pytest.raises(TypeError, match=r"atan2\(\): argument 'other' \(position 2\) must be Tensor, not float"):
        og.atan2(f, 2.0)
    with pytest.raises(TypeError, match=r"hypot\(\): argument 'input' \(position 1\) must be Tensor, not float"):
        og.hypot(2.0, f)
    with pytest.raises(NotImplementedError, match="\"hypot_cpu\" not implemented for 'Long'"):
        og.hypot(i, i)
    with pytest.raises(NotImplementedError, match="\"logaddexp_cpu\" not implemented for 'Long'"):
        og.logaddexp(i, i)
    with pytest.raises(RuntimeError, match="heaviside is not yet implemented for tensors with different dtypes."):
        og.heaviside(f, og.tensor(1))
    with pytest.raises(RuntimeError, match="Integer division with addcdiv is no longer supported"):
        og.addcdiv(f, i, i)
    with pytest.raises(RuntimeError, match="expected dtype float for `end` but got dtype double"):
        og.lerp(f, f.double(), 0.5)
    with pytest.raises(RuntimeError, match=r"The size of tensor a \(3\) must match the size of tensor b \(2\) "
                                           r"at non-singleton dimension 0"):
        og.lerp(f, og.ones(2), 0.5)
    with pytest.raises(RuntimeError, match="a leaf Variable that requires grad is being used in an in-place"):
        og.tensor([0.5], requires_grad=True).cos_()
    with pytest.raises(RuntimeError, match="result type Float can't be cast to the desired output type Long"):
        i.clone().reciprocal_()
    with pytest.raises(RuntimeError, match="the base given to float_power_ has dtype Float"):
        f.clone().float_power_(2)


# -- in-place forms ------------------------------------------------------------------------------------
INPLACE = {
    "cos_": (), "sin_": (), "floor_": (), "ceil_": (), "round_": (), "trunc_": (), "frac_": (),
    "sign_": (), "reciprocal_": (), "rsqrt_": (), "square_": (), "log_": (), "asin_": (), "erf_": (),
    "fmod_": (0.5,), "remainder_": (0.5,), "clamp_min_": (0.5,), "clamp_max_": (0.5,),
    "nan_to_num_": (), "exp2_": (), "atan2_": ("ones",), "hypot_": ("ones",), "lerp_": ("ones", 0.5),
    "addcmul_": ("ones", "ones"), "addcdiv_": ("ones", "ones"), "sgn_": (), "logit_": (),
}


def _inplace_run(lib, name):
    x = lib.tensor([0.3, 0.6, 0.7], requires_grad=True)
    a = x * 1
    args = [lib.ones(3) if v == "ones" else v for v in INPLACE[name]]
    version = a._version
    r = getattr(a, name)(*args)
    assert r is a and a._version == version + 1
    a.sum().backward()
    return a, x.grad.numpy(force=True)


@pytest.mark.parametrize("name", sorted(INPLACE))
def test_inplace_forms_match_torch(name):
    torch = pytest.importorskip("torch")
    a, g = _inplace_run(og, name)
    ta, tg = _inplace_run(torch, name)
    assert a.grad_fn.name() == ta.grad_fn.name()
    np.testing.assert_allclose(a.detach().numpy(), ta.detach().numpy(), rtol=1e-6)
    np.testing.assert_allclose(g, tg, rtol=1e-5, atol=1e-7)


def test_inplace_on_a_saved_value_is_caught_at_backward():
    x = og.tensor([0.3, 0.6], requires_grad=True)
    a = x * 1
    y = a.asin()  # saves a
    a.cos_()
    with pytest.raises(RuntimeError, match="modified by an inplace operation"):
        y.sum().backward()


def test_torch_level_inplace_functions_write_through():
    t = og.tensor([0.0, 1.0])
    assert og.cos_(t) is t and t.tolist()[0] == 1.0
    v = og.tensor([[0.5, -0.5]])
    row = v[0]
    row.asin_()  # a view: the base sees the write
    assert v.tolist()[0][0] == pytest.approx(math.asin(0.5))


# -- capture and export ----------------------------------------------------------------------------------
def _train(steps, compiled, seed=0):
    """A small regression step whose forward uses atan2, asin, erf, lerp and addcmul."""
    og.manual_seed(seed)
    model = nn.Linear(3, 2)
    opt = og.optim.SGD(model.parameters(), lr=0.1)
    x = og.tensor([[0.2, -0.4, 0.3], [0.5, 0.1, -0.2], [-0.3, 0.6, 0.4], [0.1, 0.2, 0.3]])
    y = og.tensor([[0.1, 0.2], [0.3, -0.1], [0.0, 0.5], [0.2, 0.2]])

    def step(x, y):
        opt.zero_grad()
        h = model(x)
        z = og.atan2(h, og.ones(2) * 1.5) + og.erf(h) + og.asin(og.tanh(h) * 0.5) + og.erfc(h)
        z = og.lerp(z, h, 0.3) + og.addcmul(h, z, h, value=0.5) + og.lerp(z, h, og.sigmoid(h))
        loss = ((z - y) ** 2).mean()
        loss.backward()
        opt.step()
        return loss

    run = og.compile(step) if compiled else step
    losses = [float(run(x, y)) for _ in range(steps)]
    return losses, [p.detach().numpy().copy() for p in model.parameters()]


def test_compiled_training_step_matches_eager():
    eager_losses, eager_params = _train(4, compiled=False)
    compiled_losses, compiled_params = _train(4, compiled=True)
    np.testing.assert_allclose(compiled_losses, eager_losses, rtol=1e-5)
    for a, b in zip(compiled_params, eager_params):
        np.testing.assert_allclose(a, b, rtol=1e-5, atol=1e-6)


class _MathModel(nn.Module):
    def forward(self, x):
        return (og.atan2(x, x.flip(0) + 2.0) + og.asin(x * 0.5) + og.acos(x * 0.5) + og.atan(x)
                + og.sinh(x) + og.cosh(x) + og.asinh(x) + og.acosh(x.abs() + 1.5) + og.atanh(x * 0.5)
                + og.erf(x) + og.erfc(x) + og.lerp(x, x * 2, 0.25) + og.addcmul(x, x, x, value=2)
                + og.addcdiv(x, x, x.abs() + 1) + og.hypot(x, x + 1) + og.logaddexp(x, -x)
                + og.xlogy(x.abs(), x.abs() + 0.5) + og.sinc(x) + og.logit(og.sigmoid(x), eps=0.1)
                + og.fmax(x, -x) + og.fmin(x, x * 0.5) + og.trunc(x * 3) + og.round(x, decimals=1)
                + og.floor(x) + og.ceil(x) + og.nan_to_num(x) + og.exp2(x) + og.frac(x * 3))


@pytest.mark.parametrize("dtype", ["float32", "float64"])
def test_onnx_export_matches_eager(tmp_path, dtype):
    ort = pytest.importorskip("onnxruntime")
    x = og.tensor([[-0.9, -0.3, 0.0, 0.4], [0.7, 0.95, -0.55, 0.2]], dtype=getattr(og, dtype))
    model = _MathModel()
    path = str(tmp_path / "math.onnx")
    og.onnx.export(model, (x,), path)
    sess = ort.InferenceSession(path, providers=["CPUExecutionProvider"])
    got = sess.run(None, {sess.get_inputs()[0].name: x.numpy()})[0]
    want = model(x).numpy()
    assert got.dtype == want.dtype
    np.testing.assert_allclose(got, want, rtol=1e-5 if dtype == "float32" else 1e-10, atol=1e-6 if dtype == "float32" else 1e-12)

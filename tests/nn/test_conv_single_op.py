"""F.conv1d/conv2d (and nn.Conv1d/Conv2d) as ONE registry op, Conv: values and gradients against
PyTorch and central differences (first and second order), grad_fn ConvolutionBackward0 with
PyTorch's next_functions, PyTorch's error texts, capture and export (float32 as ONNX Conv, float64
composed), a compiled step against the eager one, and PyTorch's float32 digits bit for bit where
oneDNN's summation order is known (ir/ops/conv_transpose.py)."""
import numpy as np
import pytest

import onnxgraft as og
import onnxgraft.nn as nn
import onnxgraft.nn.functional as F
from onnxgraft.ir.ops import conv_transpose as conv_ops

rng = np.random.default_rng(11)

# (nd, batch, in, out, groups, spatial, kernel, stride, padding, dilation)
GEOMETRIES = [
    (1, 2, 4, 6, 2, (9,), (3,), 2, 1, 1),
    (1, 1, 3, 2, 1, (7,), (2,), 1, "same", 2),
    (1, 2, 3, 4, 1, (8,), (4,), 1, "valid", 1),
    (2, 2, 4, 6, 2, (6, 7), (3, 2), (2, 1), (1, 0), 1),
    (2, 1, 3, 2, 1, (6, 6), (2, 3), 1, "same", (2, 1)),
    (2, 2, 3, 5, 1, (5, 6), (1, 1), 1, 0, 1),
    (2, 3, 2, 4, 1, (7, 5), (3, 3), 3, 2, 2),
]


def _fn(lib, nd):
    return getattr(lib.nn.functional if lib is not og else F, f"conv{nd}d")


def _decades(shape):
    """float32 data over six decades, with both signs: where a summation order shows."""
    return (rng.standard_normal(shape) * 10.0 ** rng.uniform(-3, 3, shape)).astype(np.float32)


@pytest.mark.parametrize("geometry", GEOMETRIES, ids=repr)
@pytest.mark.parametrize("bias", [True, False])
def test_values_gradients_and_next_functions_match_torch(geometry, bias):
    torch = pytest.importorskip("torch")
    nd, n, cin, cout, groups, sp, k, s, p, d = geometry
    x, w, b = (rng.standard_normal((n, cin) + sp), rng.standard_normal((cout, cin // groups) + k),
               rng.standard_normal(cout))
    tx, tw, tb = (torch.tensor(a, requires_grad=True) for a in (x, w, b))
    ty = _fn(torch, nd)(tx * 1, tw, tb if bias else None, s, p, d, groups)
    gy = rng.standard_normal(tuple(ty.shape))
    ty.backward(torch.tensor(gy))
    ox, ow, ob = (og.tensor(a, requires_grad=True) for a in (x, w, b))
    oy = _fn(og, nd)(ox * 1, ow, ob if bias else None, s, p, d, groups)
    assert oy.grad_fn.name() == ty.grad_fn.name() == "ConvolutionBackward0"
    names = lambda y: [None if f is None else type(f).__name__ for f, _ in y.grad_fn.next_functions]  # noqa: E731
    assert names(oy) == names(ty)
    oy.backward(og.tensor(gy))
    np.testing.assert_allclose(oy.detach().numpy(), ty.detach().numpy(), rtol=1e-10, atol=1e-12)
    for mine, theirs in ((ox, tx), (ow, tw)) + (((ob, tb),) if bias else ()):
        np.testing.assert_allclose(mine.grad.numpy(), theirs.grad.numpy(), rtol=1e-10, atol=1e-12)


def test_unbatched_and_asymmetric_same_padding_grad_fns_match_torch():
    torch = pytest.importorskip("torch")
    for lib in (og, torch):
        x = lib.ones(3, 6, 6, requires_grad=True)
        w = lib.ones(4, 3, 2, 2, requires_grad=True)
        y = lib.nn.functional.conv2d(x, w)
        assert y.grad_fn.name() == "SqueezeBackward1"
        assert y.grad_fn.next_functions[0][0].name() == "ConvolutionBackward0"
        y = lib.nn.functional.conv2d(x.unsqueeze(0), w, padding="same")
        assert tuple(y.shape) == (1, 4, 6, 6)
        assert [f.name() if f is not None else None for f, _ in y.grad_fn.next_functions] == \
            ["ConstantPadNdBackward0", "torch::autograd::AccumulateGrad", None]


def _numeric_grad(f, arrays, i, eps=1e-6):
    base = [a.copy() for a in arrays]
    out = np.zeros_like(arrays[i])
    for idx in np.ndindex(arrays[i].shape):
        up, down = [a.copy() for a in base], [a.copy() for a in base]
        up[i][idx] += eps
        down[i][idx] -= eps
        out[idx] = (f(*up) - f(*down)) / (2 * eps)
    return out


@pytest.mark.parametrize("nd", [1, 2])
def test_gradients_match_central_differences_and_second_order(nd):
    sp, k = ((7,), (3,)) if nd == 1 else ((5, 4), (3, 2))
    x, w, b = rng.standard_normal((2, 4) + sp), rng.standard_normal((4, 2) + k), rng.standard_normal(4)
    kwargs = dict(stride=2, padding=1, dilation=1, groups=2)
    v = rng.standard_normal(tuple(_fn(og, nd)(og.tensor(x), og.tensor(w), None, **kwargs).shape))

    def loss(x_, w_, b_):
        return float((_fn(og, nd)(og.tensor(x_), og.tensor(w_), og.tensor(b_), **kwargs) * og.tensor(v)).sum())

    ts = [og.tensor(a, requires_grad=True) for a in (x, w, b)]
    out = _fn(og, nd)(*ts, **kwargs)
    grads = og.autograd.grad((out * og.tensor(v)).sum(), ts, create_graph=True)
    for i, g in enumerate(grads):
        np.testing.assert_allclose(g.detach().numpy(), _numeric_grad(loss, [x, w, b], i), rtol=1e-6, atol=1e-7)
    # second order: <u, dL/dx> is bilinear in (w, v): its w-gradient checked by differences of dL/dx
    u = rng.standard_normal(x.shape)
    (gw,) = og.autograd.grad((grads[0] * og.tensor(u)).sum(), [ts[1]])

    def dx_dot_u(x_, w_, b_):
        t = [og.tensor(a, requires_grad=True) for a in (x_, w_, b_)]
        (g,) = og.autograd.grad((_fn(og, nd)(*t, **kwargs) * og.tensor(v)).sum(), [t[0]])
        return float((g * og.tensor(u)).sum())
    np.testing.assert_allclose(gw.numpy(), _numeric_grad(dx_dot_u, [x, w, b], 1), rtol=1e-6, atol=1e-7)


def _errors():
    """(call on a library, PyTorch's message): the same call runs on onnxgraft and on torch."""
    return [
        (lambda lib: lib.nn.functional.conv1d(lib.zeros(2, 3, 6), lib.zeros(4, 3, 3, 3)),
         "Expected 4-dimensional input for 4-dimensional weight [4, 3, 3, 3], but got 3-dimensional input of size "
         "[2, 3, 6] instead"),
        (lambda lib: lib.nn.functional.conv1d(lib.zeros(2, 3, 6), lib.zeros(4, 3, 3), groups=2),
         "Given groups=2, weight of size [4, 3, 3], expected input[2, 3, 6] to have 6 channels, but got 3 channels "
         "instead"),
        (lambda lib: lib.nn.functional.conv1d(lib.zeros(2, 3, 6), lib.zeros(4, 3, 9)),
         "Calculated padded input size per channel: (6). Kernel size: (9). Kernel size can't be greater than actual "
         "input size"),
        (lambda lib: lib.nn.functional.conv1d(lib.zeros(2, 3, 6), lib.zeros(4, 3, 3), stride=0), "non-positive stride is not supported"),
        (lambda lib: lib.nn.functional.conv2d(lib.zeros(2, 3, 6, 6), lib.zeros(4, 3, 3, 3), padding=-1),
         "negative padding is not supported"),
        (lambda lib: lib.nn.functional.conv2d(lib.zeros(2, 3, 6, 6), lib.zeros(4, 3, 3, 3), dilation=0),
         "non-positive dilation is not supported"),
        (lambda lib: lib.nn.functional.conv2d(lib.zeros(2, 3, 6, 6), lib.zeros(4, 3, 3, 3), groups=0),
         "non-positive groups is not supported"),
        (lambda lib: lib.nn.functional.conv2d(lib.zeros(2, 3, 6, 6), lib.zeros(4, 3, 3, 3), lib.zeros(3)),
         "Given weight of size [4, 3, 3, 3], expected bias to be 1-dimensional with 4 elements, but got bias of size "
         "[3] instead"),
        (lambda lib: lib.nn.functional.conv2d(lib.zeros(2, 3, 6, 6), lib.zeros(4, 3, 3, 3), stride=(1, 1, 1)),
         "expected stride to be a single integer value or a list of 2 values to match the convolution dimensions, "
         "but got stride=[1, 1, 1]"),
        (lambda lib: lib.nn.functional.conv2d(lib.zeros(2, 3, 6, 6), lib.zeros(4, 3, 3, 3), padding="foo"),
         "Invalid padding string: 'foo'"),
        (lambda lib: lib.nn.functional.conv2d(lib.zeros(2, 3, 6, 6), lib.zeros(4, 3, 3, 3), padding="same", stride=2),
         "padding='same' is not supported for strided convolutions"),
        (lambda lib: lib.nn.functional.conv2d(lib.zeros(2, 3, 6, 6), lib.zeros(4, 3, 3)),
         "expected stride to be a single integer value or a list of 1 values to match the convolution dimensions, "
         "but got stride=[1, 1]"),
        (lambda lib: lib.nn.functional.conv2d(lib.zeros(2, 3, 6, 6), lib.zeros(5, 3, 3, 3), groups=2),
         "Given groups=2, expected weight to be divisible by 2 at dimension 0, but got weight of size [[5, 3, 3, 3]] "
         "instead"),
        (lambda lib: lib.nn.functional.conv2d(lib.zeros(2, 6, 6, 6), lib.zeros(2, 3, 3, 3), groups=3),
         "Given groups=3, expected weight to be at least 3 at dimension 0, but got weight of size [2, 3, 3, 3] "
         "instead"),
        (lambda lib: lib.nn.functional.conv2d(lib.zeros(2, 3, 6, 6), lib.zeros(4, 3, 3, 3, dtype=lib.float64)),
         "Input type (torch.FloatTensor) and weight type (torch.DoubleTensor) should be the same or input should be "
         "a MKLDNN tensor and weight is a dense tensor"),
        (lambda lib: lib.nn.functional.conv1d(lib.zeros(2, 3, 6, dtype=lib.float64), lib.zeros(4, 3, 3)),
         "expected scalar type Double but found Float"),
    ]


@pytest.mark.parametrize("case", range(len(_errors())))
def test_error_texts_are_pytorchs(case):
    make, message = _errors()[case]
    with pytest.raises(RuntimeError) as ours:
        make(og)
    assert str(ours.value) == message
    torch = pytest.importorskip("torch")
    with pytest.raises(RuntimeError) as theirs:
        make(torch)
    assert str(theirs.value) == message


def _small_cnn():
    model = nn.Sequential(nn.Conv2d(2, 4, 3, padding=1), nn.ReLU(), nn.Conv2d(4, 3, 2, stride=2), nn.Flatten(),
                          nn.Linear(3 * 3 * 3, 2))
    with og.no_grad():
        for i, p in enumerate(model.parameters()):
            p.copy_(og.linspace(-0.4, 0.4 + 0.05 * i, p.numel()).reshape(p.shape))
    return model


def test_compiled_step_with_conv2d_matches_eager():
    x = og.linspace(-1, 1, 2 * 2 * 6 * 6).reshape(2, 2, 6, 6)
    target = og.linspace(0, 1, 4).reshape(2, 2)

    def make_step(model, opt):
        def step(x, target):
            opt.zero_grad()
            loss = ((model(x) - target) ** 2).mean()
            loss.backward()
            opt.step()
            return loss
        return step

    em, cm = _small_cnn(), _small_cnn()
    eager = make_step(em, og.optim.SGD(em.parameters(), lr=0.1))
    compiled = og.compile(make_step(cm, og.optim.SGD(cm.parameters(), lr=0.1)))
    for _ in range(3):
        le, lc = eager(x, target), compiled(x, target)
        np.testing.assert_allclose(lc.detach().numpy(), le.detach().numpy(), rtol=1e-5, atol=1e-6)
    for pe, pc in zip(em.parameters(), cm.parameters()):
        np.testing.assert_allclose(pc.detach().numpy(), pe.detach().numpy(), rtol=1e-5, atol=1e-6)


def test_float32_exports_as_one_onnx_conv_and_float64_capture_stays_composed():
    onnx = pytest.importorskip("onnx")
    from onnxgraft.export.onnx import to_model
    w = og.linspace(-1, 1, 3 * 2 * 3).reshape(3, 2, 3).requires_grad_()
    graph = og.trace(lambda x: F.conv1d(x, w, stride=2, padding=1).sum(), og.ones(1, 2, 7))
    model = to_model(graph)
    onnx.checker.check_model(model)
    assert [n.op_type for n in model.graph.node].count("Conv") == 1
    # onnxruntime has no float64 Conv: a float64 convolution is captured as Slice/Concat/MatMul
    w64 = og.linspace(-1, 1, 3 * 2 * 2 * 2, dtype=og.float64).reshape(3, 2, 2, 2)
    graph = og.trace(lambda x: F.conv2d(x, w64, padding=1).sum(), og.ones(1, 2, 4, 4, dtype=og.float64))
    ops = {n.op_type for n in to_model(graph).graph.node}
    assert "Conv" not in ops and "MatMul" in ops


def test_float64_compiled_step_with_conv_runs():
    model = _small_cnn().double()
    x = og.linspace(-1, 1, 2 * 2 * 6 * 6, dtype=og.float64).reshape(2, 2, 6, 6)
    eager_model = _small_cnn().double()
    opt, eopt = og.optim.SGD(model.parameters(), lr=0.1), og.optim.SGD(eager_model.parameters(), lr=0.1)

    def make_step(m, o):
        def step(x):
            o.zero_grad()
            loss = (m(x) ** 2).mean()
            loss.backward()
            o.step()
            return loss
        return step
    compiled, eager = og.compile(make_step(model, opt)), make_step(eager_model, eopt)
    for _ in range(2):
        np.testing.assert_allclose(compiled(x).detach().numpy(), eager(x).detach().numpy(), rtol=1e-12)


# -- PyTorch's float32 digits ----------------------------------------------------------------------
# (batch, in, out, spatial, kernel, stride, padding, dilation): all within the ordered recipes
# (backward ones: no dilation; forward ones: any)
ORDERED = [
    (2, 3, 4, (8, 8), (3, 3), 1, 0, 1),
    (3, 1, 8, (12, 12), (5, 5), 1, 2, 1),       # output 12x12, 3 images: rows split between threads
    (5, 16, 6, (7, 7), (3, 3), 1, 1, 1),
    (2, 3, 4, (9, 9), (3, 3), 2, 1, 1),
    (3, 3, 4, (13, 9), (3, 2), (2, 1), (0, 1), 1),
    (4, 3, 16, (10, 10), (3, 3), 1, 1, 1),
    (3, 3, 4, (30,), (5,), 1, 2, 1),
    (2, 4, 3, (21,), (3,), 3, 1, 1),
]
FORWARD_ONLY = [
    (2, 3, 4, (9, 10), (3, 2), 1, 2, 2),
    (2, 4, 3, (21,), (3,), 2, 0, 2),
    (3, 5, 2, (11, 11), (3, 3), 2, 0, (1, 2)),
]


def _both_libraries(geometry):
    """(onnxgraft, torch) (output, x grad, weight grad, bias grad) as float32 arrays, at torch's thread count."""
    torch = pytest.importorskip("torch")
    n, cin, cout, sp, k, s, p, d = geometry
    nd = len(sp)
    x, w, b = _decades((n, cin) + sp), _decades((cout, cin) + k), _decades(cout)
    tx, tw, tb = (torch.tensor(a, requires_grad=True) for a in (x, w, b))
    ty = _fn(torch, nd)(tx, tw, tb, s, p, d)
    g = _decades(tuple(ty.shape))
    ty.backward(torch.tensor(g))
    try:
        og.set_num_threads(torch.get_num_threads())   # the weight gradient splits its work between threads
        ox, ow, ob = (og.tensor(a, requires_grad=True) for a in (x, w, b))
        oy = _fn(og, nd)(ox, ow, ob, s, p, d)
        oy.backward(og.tensor(g))
    finally:
        from onnxgraft.runtime import threads as thread_state
        thread_state._SET = None
    return [(mine.numpy(), theirs.numpy()) for mine, theirs in
            ((oy.detach(), ty.detach()), (ox.grad, tx.grad), (ow.grad, tw.grad), (ob.grad, tb.grad))]


@pytest.mark.parametrize("geometry", ORDERED, ids=repr)
def test_float32_digits_are_pytorchs(geometry):
    for mine, theirs in _both_libraries(geometry):
        assert mine.tobytes() == theirs.tobytes()


@pytest.mark.parametrize("geometry", FORWARD_ONLY, ids=repr)
def test_float32_forward_digits_with_dilation_are_pytorchs(geometry):
    (mine, theirs), *grads = _both_libraries(geometry)
    assert mine.tobytes() == theirs.tobytes()
    for mine, theirs in grads:   # the dilated backward sums in an unknown order: within float32 rounding
        np.testing.assert_allclose(mine, theirs, rtol=1e-4, atol=1e-3 * np.abs(theirs).max())


@pytest.mark.parametrize("threads", [1, 2, 3])
def test_weight_gradient_chain_splits_images_between_threads(threads):
    torch = pytest.importorskip("torch")
    before = torch.get_num_threads()
    # output heights 7 (whole images per thread) and 10-11 ((image, row) pairs balanced)
    for n, size in ((5, 9), (7, 9), (5, 13), (7, 12)):
        x, w, b = _decades((n, 3, size, size)), _decades((4, 3, 3, 3)), _decades(4)
        try:
            torch.set_num_threads(threads)
            og.set_num_threads(threads)
            tw, tb = torch.tensor(w, requires_grad=True), torch.tensor(b, requires_grad=True)
            ty = torch.nn.functional.conv2d(torch.tensor(x), tw, tb)
            g = _decades(tuple(ty.shape))
            ty.backward(torch.tensor(g))
            ow, ob = og.tensor(w, requires_grad=True), og.tensor(b, requires_grad=True)
            F.conv2d(og.tensor(x), ow, ob).backward(og.tensor(g))
        finally:
            torch.set_num_threads(before)
            from onnxgraft.runtime import threads as thread_state
            thread_state._SET = None
        assert ow.grad.numpy().tobytes() == tw.grad.numpy().tobytes()
        assert ob.grad.numpy().tobytes() == tb.grad.numpy().tobytes()


def test_large_convolutions_take_the_matmul_path(monkeypatch):
    # beyond the work bound the ordered kernels are not used (and the results stay within an ulp)
    calls = []
    monkeypatch.setattr(conv_ops, "_conv_forward_ordered", lambda *a: calls.append(a))
    x, w = rng.standard_normal((8, 8, 40, 40)).astype(np.float32), rng.standard_normal((16, 8, 3, 3))
    y = F.conv2d(og.tensor(x), og.tensor(w.astype(np.float32)))
    assert not calls
    ref = F.conv2d(og.tensor(x.astype(np.float64)), og.tensor(w)).numpy()
    np.testing.assert_allclose(y.numpy(), ref, rtol=1e-5, atol=1e-4)

"""nn.RNN / LSTM / GRU and their cells: PyTorch's outputs, states, gradients, names, reprs and error
messages; a finite-difference check; a compiled LSTM training step against eager; ONNX export."""
import warnings

import numpy as np
import pytest

import onnxgraft as og
import onnxgraft.nn as nn
from onnxgraft.frontend.trace import CaptureError

from ._util import assert_close, copy_weights, grad_fn_name

RNG = np.random.default_rng(0)


def _randn(*shape):
    return RNG.standard_normal(shape).astype(np.float32)


def _flat(result):
    """(output, h_n) or (output, (h_n, c_n)) -> [output, h_n(, c_n)]."""
    out, state = result
    return [out] + (list(state) if isinstance(state, tuple) else [state])


def _pair(torch, cls, args, kw):
    m = getattr(nn, cls)(*args, **kw)
    tm = getattr(torch.nn, cls)(*args, **kw)
    copy_weights(m, tm)
    return m, tm


CONFIGS = [  # (class, constructor kwargs, input shape, give initial states)
    ("LSTM", {}, (5, 2, 3), False),
    ("LSTM", {"num_layers": 2, "batch_first": True, "bidirectional": True}, (2, 5, 3), True),
    ("LSTM", {"bias": False}, (4, 3), True),  # unbatched
    ("GRU", {"num_layers": 2}, (5, 2, 3), True),
    ("GRU", {"bidirectional": True, "bias": False, "batch_first": True}, (3, 4, 3), False),
    ("GRU", {"bidirectional": True}, (4, 3), False),  # unbatched
    ("RNN", {}, (5, 2, 3), True),
    ("RNN", {"nonlinearity": "relu", "num_layers": 2, "bidirectional": True}, (5, 2, 3), False),
    ("RNN", {"nonlinearity": "relu", "batch_first": True, "bias": False}, (2, 6, 3), True),
]


def _initial_states(cls, kw, shape, torch):
    d = (2 if kw.get("bidirectional") else 1) * kw.get("num_layers", 1)
    if len(shape) == 2:
        hshape = (d, 4)
    else:
        hshape = (d, shape[0] if kw.get("batch_first") else shape[1], 4)
    arrays = [_randn(*hshape) for _ in range(2 if cls == "LSTM" else 1)]
    og_h = [og.tensor(a, requires_grad=True) for a in arrays]
    t_h = [torch.tensor(a, requires_grad=True) for a in arrays]
    if cls == "LSTM":
        return og_h, t_h, tuple(og_h), tuple(t_h)
    return og_h, t_h, og_h[0], t_h[0]


@pytest.mark.parametrize("cls,kw,shape,with_hx", CONFIGS, ids=[f"{c[0]}-{i}" for i, c in enumerate(CONFIGS)])
def test_matches_torch(torch, cls, kw, shape, with_hx):
    m, tm = _pair(torch, cls, (3, 4), kw)
    x = _randn(*shape)
    xo, xt = og.tensor(x, requires_grad=True), torch.tensor(x, requires_grad=True)
    if with_hx:
        og_h, t_h, hx_o, hx_t = _initial_states(cls, kw, shape, torch)
        ro, rt = m(xo, hx_o), tm(xt, hx_t)
    else:
        ro, rt = m(xo), tm(xt)
    fo, ft = _flat(ro), _flat(rt)
    for a, b in zip(fo, ft):
        assert_close(a, b, rtol=1e-5, atol=1e-6)
    # a loss that weighs every output and state element differently
    weights = [_randn(*tuple(b.shape)) for b in ft]
    sum((a * og.tensor(w)).sum() for a, w in zip(fo, weights)).backward()
    sum((b * torch.tensor(w)).sum() for b, w in zip(ft, weights)).backward()
    assert_close(xo.grad, xt.grad, rtol=1e-4, atol=1e-5)
    if with_hx:
        for a, b in zip(og_h, t_h):
            assert_close(a.grad, b.grad, rtol=1e-4, atol=1e-5)
    for (name, p), (_, tp) in zip(m.named_parameters(), tm.named_parameters()):
        assert p.grad is not None, name
        np.testing.assert_allclose(p.grad.numpy(), tp.grad.numpy(), rtol=1e-4, atol=1e-5, err_msg=name)


@pytest.mark.parametrize("cls,kw", [
    ("LSTM", {}), ("LSTM", {"num_layers": 2, "bidirectional": True, "bias": False}),
    ("GRU", {"num_layers": 3, "batch_first": True}), ("RNN", {"nonlinearity": "relu", "bidirectional": True}),
    ("RNN", {"num_layers": 2, "dropout": 0.25})])
def test_parameter_names_shapes_and_repr(torch, cls, kw):
    m, tm = _pair(torch, cls, (10, 20), kw)
    assert [(n, tuple(p.shape)) for n, p in m.named_parameters()] == \
        [(n, tuple(p.shape)) for n, p in tm.named_parameters()]
    assert repr(m) == repr(tm)
    assert [[tuple(p.shape) for p in ws] for ws in m.all_weights] == \
        [[tuple(p.shape) for p in ws] for ws in tm.all_weights]
    m.flatten_parameters()  # a no-op that PyTorch code calls


def test_repr_examples():
    assert repr(nn.LSTM(10, 20, num_layers=2, batch_first=True)) == "LSTM(10, 20, num_layers=2, batch_first=True)"
    assert repr(nn.GRU(4, 8, 1, False, False, 0.0, True)) == "GRU(4, 8, bias=False, bidirectional=True)"
    assert repr(nn.RNN(3, 5, 2, "relu", dropout=0.5)) == "RNN(3, 5, num_layers=2, dropout=0.5)"
    assert repr(nn.RNNCell(3, 5, nonlinearity="relu")) == "RNNCell(3, 5, nonlinearity=relu)"
    assert repr(nn.LSTMCell(3, 5, bias=False)) == "LSTMCell(3, 5, bias=False)"
    assert repr(nn.GRUCell(3, 5)) == "GRUCell(3, 5)"


def test_default_init_range():
    m = nn.GRU(3, 16, num_layers=2, bidirectional=True)
    bound = 1 / 4.0
    for name, p in m.named_parameters():
        a = p.detach().numpy()
        assert a.dtype == np.float32 and np.all(np.abs(a) <= bound), name
        assert a.std() > bound / 4, name  # really drawn, not a constant
    assert nn.LSTM(3, 4, dtype=og.float64).weight_ih_l0.dtype == og.float64


@pytest.mark.parametrize("cls,kw,batched,with_hx", [
    ("RNNCell", {}, True, True), ("RNNCell", {"nonlinearity": "relu"}, False, True),
    ("RNNCell", {"bias": False}, True, False), ("LSTMCell", {}, True, True), ("LSTMCell", {}, False, False),
    ("LSTMCell", {"bias": False}, False, True), ("GRUCell", {}, True, False), ("GRUCell", {}, False, True),
    ("GRUCell", {"bias": False}, True, True)])
def test_cells_match_torch(torch, cls, kw, batched, with_hx):
    m, tm = _pair(torch, cls, (3, 4), kw)
    x = _randn(2, 3) if batched else _randn(3)
    xo, xt = og.tensor(x, requires_grad=True), torch.tensor(x, requires_grad=True)
    n_states = 2 if cls == "LSTMCell" else 1
    hs = [_randn(*((2, 4) if batched else (4,))) for _ in range(n_states)]
    ho = [og.tensor(h, requires_grad=True) for h in hs]
    ht = [torch.tensor(h, requires_grad=True) for h in hs]
    if with_hx:
        ro = m(xo, tuple(ho) if n_states == 2 else ho[0])
        rt = tm(xt, tuple(ht) if n_states == 2 else ht[0])
    else:
        ro, rt = m(xo), tm(xt)
    ro = list(ro) if isinstance(ro, tuple) else [ro]
    rt = list(rt) if isinstance(rt, tuple) else [rt]
    for a, b in zip(ro, rt):
        assert_close(a, b)
        if batched:  # the last op of each cell is PyTorch's too
            assert grad_fn_name(a) == grad_fn_name(b)
    weights = [_randn(*tuple(b.shape)) for b in rt]
    sum((a * og.tensor(w)).sum() for a, w in zip(ro, weights)).backward()
    sum((b * torch.tensor(w)).sum() for b, w in zip(rt, weights)).backward()
    assert_close(xo.grad, xt.grad, rtol=1e-4, atol=1e-5)
    if with_hx:
        for a, b in zip(ho, ht):
            assert_close(a.grad, b.grad, rtol=1e-4, atol=1e-5)
    for (name, p), (_, tp) in zip(m.named_parameters(), tm.named_parameters()):
        np.testing.assert_allclose(p.grad.numpy(), tp.grad.numpy(), rtol=1e-4, atol=1e-5, err_msg=name)


def _message(torch, fn_og, fn_torch):
    """The same exception type and message from both libraries."""
    with pytest.raises(Exception) as e_t:
        fn_torch()
    with pytest.raises(type(e_t.value)) as e_o:
        fn_og()
    assert str(e_o.value) == str(e_t.value)
    return str(e_o.value)


@pytest.mark.parametrize("cls,x_shape,hx_shape", [
    ("LSTM", (5, 2, 5), None),            # wrong feature size
    ("GRU", (5, 2, 10), (1, 3, 20)),       # wrong batch in hx
    ("RNN", (5, 2, 10), (2, 2, 20)),       # wrong layer count in hx
    ("LSTM", (5, 2, 10), (1, 2, 7)),       # wrong hidden size
    ("GRU", (2, 3, 4, 10), None),          # 4-D input
    ("RNN", (5, 2, 10), (2, 20)),          # 2-D hx for batched input
    ("GRU", (5, 10), (1, 1, 20)),          # 3-D hx for unbatched input
    ("LSTM", (5, 10), (1, 1, 20)),
    ("LSTM", (5, 2, 10), (2, 20)),
])
def test_forward_errors_match_torch(torch, cls, x_shape, hx_shape):
    m, tm = _pair(torch, cls, (10, 20), {})

    def call(mod, lib):
        x = lib.zeros(*x_shape)
        if hx_shape is None:
            return mod(x)
        h = lib.zeros(*hx_shape)
        return mod(x, (h, lib.zeros(*hx_shape)) if cls == "LSTM" else h)

    _message(torch, lambda: call(m, og), lambda: call(tm, torch))


def test_input_size_message():
    with pytest.raises(RuntimeError, match=r"^input.size\(-1\) must be equal to input_size. Expected 10, got 5$"):
        nn.LSTM(10, 20)(og.zeros(3, 2, 5))
    with pytest.raises(RuntimeError, match=r"^Expected hidden\[1\] size \(1, 2, 20\), got \[1, 2, 4\]$"):
        nn.LSTM(10, 20)(og.zeros(3, 2, 10), (og.zeros(1, 2, 20), og.zeros(1, 2, 4)))
    with pytest.raises(ValueError, match=r"^RNN input dtype \(torch.float64\) does not match weight dtype "
                                         r"\(torch.float32\)"):
        nn.GRU(2, 3)(og.zeros(3, 1, 2, dtype=og.float64))
    with pytest.raises(TypeError, match="PackedSequence inputs are not supported"):
        nn.GRU(2, 3)([og.zeros(3, 2)])


@pytest.mark.parametrize("cls,x_shape,hx_shapes", [
    ("LSTMCell", (2, 5), None), ("LSTMCell", (2, 3), [(3, 4), (3, 4)]), ("LSTMCell", (2, 3), [(2, 4), (2, 5)]),
    ("GRUCell", (2, 3), [(2, 5)]), ("GRUCell", (3,), [(2, 4)]), ("RNNCell", (2, 2, 3), None),
    ("RNNCell", (2, 3), [(1, 2, 4)]), ("LSTMCell", (2, 3), [(2, 4), (1, 2, 4)])])
def test_cell_errors_match_torch(torch, cls, x_shape, hx_shapes):
    m, tm = _pair(torch, cls, (3, 4), {})

    def call(mod, lib):
        x = lib.zeros(*x_shape)
        if hx_shapes is None:
            return mod(x)
        hs = tuple(lib.zeros(*s) for s in hx_shapes)
        return mod(x, hs if cls == "LSTMCell" else hs[0])

    _message(torch, lambda: call(m, og), lambda: call(tm, torch))


@pytest.mark.parametrize("make", [
    lambda lib: lib.nn.RNN(3, 4, nonlinearity="sigmoid"),
    lambda lib: lib.nn.GRU(3, 4, proj_size=2),
    lambda lib: lib.nn.RNN(3, 4, dropout=1.5),
    lambda lib: lib.nn.LSTM(3, 4, dropout=True),
    lambda lib: lib.nn.LSTM(3, 0),
    lambda lib: lib.nn.LSTM(3.0, 4),
    lambda lib: lib.nn.LSTM(3, 4, num_layers=0),
    lambda lib: lib.nn.LSTM(3, 4, bias=1),
    lambda lib: lib.nn.LSTM(3, 4, proj_size=4),
    lambda lib: lib.nn.LSTM(3, 4, proj_size=-1),
])
def test_constructor_errors_match_torch(torch, make):
    _message(torch, lambda: make(og), lambda: make(torch))


def test_proj_size_not_implemented_and_dropout_warning():
    with pytest.raises(NotImplementedError, match="proj_size"):
        nn.LSTM(3, 4, proj_size=2)
    with pytest.warns(UserWarning, match="non-zero dropout expects num_layers greater than 1, but got "
                                         "dropout=0.5 and num_layers=1"):
        nn.GRU(3, 4, dropout=0.5)


def test_dropout_between_layers(torch):
    # p=1 zeroes the first layer's output in training mode (deterministic, so torch agrees), and
    # eval mode turns dropout off
    m, tm = _pair(torch, "LSTM", (3, 4), {"num_layers": 2, "dropout": 1.0})
    x = _randn(5, 2, 3)
    for a, b in zip(_flat(m(og.tensor(x))), _flat(tm(torch.tensor(x)))):
        assert_close(a, b)
    m.eval()
    tm.eval()
    for a, b in zip(_flat(m(og.tensor(x))), _flat(tm(torch.tensor(x)))):
        assert_close(a, b)
    ref = nn.LSTM(3, 4, num_layers=2)  # the same weights without dropout
    ref.load_state_dict(m.state_dict())
    np.testing.assert_array_equal(m(og.tensor(x))[0].detach().numpy(), ref(og.tensor(x))[0].detach().numpy())
    m.train()
    assert not np.allclose(m(og.tensor(x))[0].detach().numpy(), ref(og.tensor(x))[0].detach().numpy())


def test_finite_differences_float64():
    """The composed recurrences differentiate correctly on their own, without torch: central
    differences in float64 for a small bidirectional GRU and an LSTM cell."""
    og.manual_seed(1)
    gru = nn.GRU(2, 3, bidirectional=True, dtype=og.float64)
    cell = nn.LSTMCell(2, 3, dtype=og.float64)
    x = RNG.standard_normal((3, 1, 2))

    def loss(xt):
        out, h = gru(xt)
        hc, cc = cell(out[:, 0, :2].sum(0, keepdim=True) * 0.5)
        return (out * out).sum() + (h * h.sin()).sum() + (hc * cc).sum() + cc.tanh().sum()

    xt = og.tensor(x, requires_grad=True)
    loss(xt).backward()
    eps = 1e-6
    params = list(gru.parameters()) + list(cell.parameters())
    for p in params[:4] + params[-3:]:
        grad = p.grad.numpy()
        flat = p.detach().numpy().reshape(-1)
        for i in range(0, flat.size, max(1, flat.size // 5)):
            old = flat[i]
            with og.no_grad():
                p.view(-1)[i] = old + eps
                up = loss(og.tensor(x)).item()
                p.view(-1)[i] = old - eps
                down = loss(og.tensor(x)).item()
                p.view(-1)[i] = old
            assert abs((up - down) / (2 * eps) - grad.reshape(-1)[i]) < 1e-6, (p.shape, i)
    xg = xt.grad.numpy()
    for idx in np.ndindex(*x.shape):
        d = np.zeros_like(x)
        d[idx] = eps
        num = (loss(og.tensor(x + d)).item() - loss(og.tensor(x - d)).item()) / (2 * eps)
        assert abs(num - xg[idx]) < 1e-6, idx


class _Regressor(nn.Module):
    def __init__(self):
        super().__init__()
        self.lstm = nn.LSTM(3, 5, batch_first=True)
        self.head = nn.Linear(5, 1)

    def forward(self, x):
        out, (_, c) = self.lstm(x)
        return self.head(out[:, -1]) + c[0].sum(1, keepdim=True) * 0.1


def test_compiled_lstm_training_matches_eager(tmp_path):
    xs = [_randn(4, 6, 3) for _ in range(10)]
    data = [(og.tensor(x), og.tensor(x[:, 3:, 0].mean(1, keepdims=True) - x[:, :2, 1].mean(1, keepdims=True)))
            for x in xs]  # a target the model can learn: it depends on early and late steps

    def train(compiled):
        og.manual_seed(7)
        model = _Regressor()
        opt = og.optim.Adam(model.parameters(), lr=0.03)

        def step(x, y):
            opt.zero_grad()
            loss = ((model(x) - y) ** 2).mean()
            loss.backward()
            opt.step()
            return loss.detach()

        run = og.compile(step) if compiled else step
        losses = [float(run(x, y)) for x, y in data]
        if compiled:
            assert run.last_plan is not None and run.last_plan.session is not None
        return model, losses

    eager, le = train(False)
    compiled, lc = train(True)
    np.testing.assert_allclose(lc, le, rtol=1e-5, atol=1e-7)
    for (name, pe), (_, pc) in zip(eager.named_parameters(), compiled.named_parameters()):
        a, b = pe.detach().numpy(), pc.detach().numpy()
        assert np.linalg.norm(b - a) <= 1e-5 * np.linalg.norm(a), name
    assert np.mean(le[-3:]) < np.mean(le[:3])

    # the trained forward model exports as standard ONNX that onnxruntime runs
    onnx = pytest.importorskip("onnx")
    ort = pytest.importorskip("onnxruntime")
    x = data[0][0]
    path = str(tmp_path / "lstm.onnx")
    og.onnx.export(compiled, (x,), path, input_names=["x"])
    model = onnx.load(path)
    onnx.checker.check_model(model)
    assert {n.domain for n in model.graph.node} <= {""}
    sess = ort.InferenceSession(path, providers=["CPUExecutionProvider"])
    (got,) = sess.run(None, {"x": x.numpy()})
    with og.no_grad():
        want = compiled(x).numpy()
    np.testing.assert_allclose(got, want, rtol=1e-5, atol=1e-6)


def test_capture_refuses_training_dropout_between_layers():
    m = nn.GRU(2, 3, num_layers=2, dropout=0.5)
    with pytest.raises(CaptureError, match="dropout in training mode"):
        og.trace(lambda x: m(x)[0].sum(), og.zeros(4, 1, 2))
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        m.eval()
        og.trace(lambda x: m(x)[0].sum(), og.zeros(4, 1, 2))


@pytest.mark.parametrize("cls,kw", [("LSTM", {"num_layers": 2, "bias": False}),
                                    ("GRU", {"bidirectional": True, "batch_first": True}),
                                    ("RNN", {"nonlinearity": "relu", "bidirectional": True, "num_layers": 2})])
def test_module_exports_all_outputs(tmp_path, cls, kw):
    """Exporting the module itself gives output and every final state (nested tuples flattened, as
    torch.onnx.export does), all standard ONNX that onnxruntime runs to the eager values."""
    onnx = pytest.importorskip("onnx")
    ort = pytest.importorskip("onnxruntime")
    m = getattr(nn, cls)(3, 4, **kw).eval()
    x = og.tensor(_randn(2, 5, 3))
    path = str(tmp_path / "rnn.onnx")
    og.onnx.export(m, (x,), path, input_names=["x"])
    model = onnx.load(path)
    onnx.checker.check_model(model)
    assert {n.domain for n in model.graph.node} <= {""}
    got = ort.InferenceSession(path, providers=["CPUExecutionProvider"]).run(None, {"x": x.numpy()})
    with og.no_grad():
        want = _flat(m(x))
    assert len(got) == len(want)
    for a, b in zip(got, want):
        np.testing.assert_allclose(a, b.numpy(), rtol=1e-5, atol=1e-6)

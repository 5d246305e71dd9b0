"""F.scaled_dot_product_attention, nn.MultiheadAttention and the Transformer family: PyTorch's
outputs, attention weights, gradients, grad_fn names, parameter names, reprs and error messages;
finite differences; a compiled training step of a tiny transformer-encoder regressor against
eager, and its ONNX export in onnxruntime."""
import warnings

import numpy as np
import pytest

import onnxgraft as og
import onnxgraft.nn as nn
import onnxgraft.nn.functional as F
from onnxgraft.frontend.trace import CaptureError

from ._util import assert_close, grad_fn_name

RNG = np.random.default_rng(0)


def _randn(*shape):
    return RNG.standard_normal(shape).astype(np.float32)


def _load_from_torch(m, tm):
    """Give the onnxgraft module the torch module's parameters (same names, same values)."""
    m.load_state_dict({k: og.tensor(v.detach().numpy()) for k, v in tm.state_dict().items()})


def _message(fn_og, fn_torch):
    """The same exception type and message from both libraries."""
    with pytest.raises(Exception) as e_t:
        fn_torch()
    with pytest.raises(type(e_t.value)) as e_o:
        fn_og()
    assert str(e_o.value) == str(e_t.value)


def _check_grads(torch, m, tm, pairs, outs_og, outs_t, rtol=1e-4, atol=1e-5):
    """Backward through a loss weighing every output element differently; compare the gradients
    of the inputs in `pairs` and of every parameter."""
    weights = [_randn(*tuple(b.shape)) for b in outs_t]
    sum((a * og.tensor(w)).sum() for a, w in zip(outs_og, weights)).backward()
    sum((b * torch.tensor(w)).sum() for b, w in zip(outs_t, weights)).backward()
    for a, b in pairs:
        assert_close(a.grad, b.grad, rtol=rtol, atol=atol)
    for (name, p), (tname, tp) in zip(m.named_parameters(), tm.named_parameters()):
        assert name == tname
        np.testing.assert_allclose(p.grad.numpy(), tp.grad.numpy(), rtol=rtol, atol=atol, err_msg=name)


# -- scaled_dot_product_attention -----------------------------------------------------------------------
def _bool_mask(shape):
    m = RNG.random(shape) < 0.3
    m[..., 0] = False  # SDPA: True = attend; keep one position free in most rows
    m[..., 0, :] = True
    return m


SDPA_CASES = [  # (q, k, v shapes, kwargs builder)
    ((2, 3, 4), (2, 5, 4), (2, 5, 6), lambda: {}),
    ((2, 2, 3, 4), (2, 2, 5, 4), (2, 2, 5, 6), lambda: {"is_causal": True}),
    ((2, 2, 5, 4), (2, 2, 3, 4), (2, 2, 3, 6), lambda: {"is_causal": True}),  # L > S
    ((2, 2, 3, 4), (2, 2, 5, 4), (2, 2, 5, 6), lambda: {"attn_mask": ~_bool_mask((3, 5))}),
    ((2, 2, 3, 4), (2, 2, 5, 4), (2, 2, 5, 6), lambda: {"attn_mask": _randn(2, 1, 3, 5)}),
    ((2, 2, 3, 4), (1, 2, 5, 4), (1, 2, 5, 6), lambda: {"scale": 0.3}),  # broadcast batch dims
    ((3, 4), (5, 4), (5, 2), lambda: {"attn_mask": _bool_mask((3, 5))}),
    ((2, 4, 3, 8), (2, 2, 5, 8), (2, 2, 5, 6), lambda: {"enable_gqa": True}),  # grouped-query heads
]


@pytest.mark.parametrize("qs,ks,vs,make_kw", SDPA_CASES, ids=[str(i) for i in range(len(SDPA_CASES))])
def test_sdpa_matches_torch(torch, qs, ks, vs, make_kw):
    kw = make_kw()
    arrays = [_randn(*s) for s in (qs, ks, vs)]
    og_in = [og.tensor(a, requires_grad=True) for a in arrays]
    t_in = [torch.tensor(a, requires_grad=True) for a in arrays]
    kw_og = {k: og.tensor(v) if isinstance(v, np.ndarray) else v for k, v in kw.items()}
    kw_t = {k: torch.tensor(v) if isinstance(v, np.ndarray) else v for k, v in kw.items()}
    out = F.scaled_dot_product_attention(*og_in, **kw_og)
    ref = torch.nn.functional.scaled_dot_product_attention(*t_in, **kw_t)
    assert_close(out, ref)
    assert grad_fn_name(out) == grad_fn_name(ref)
    w = _randn(*tuple(ref.shape))
    (out * og.tensor(w)).sum().backward()
    (ref * torch.tensor(w)).sum().backward()
    for a, b in zip(og_in, t_in):
        assert_close(a.grad, b.grad, rtol=1e-4, atol=1e-5)


def test_sdpa_fully_masked_rows_give_zeros(torch):
    # PyTorch's safe softmax: a row with nothing to attend gives zeros (not NaN), and no NaN gradient
    mask = np.ones((3, 5), bool)
    mask[1] = False
    fmask = np.where(mask, 0.0, -np.inf).astype(np.float32)
    q, k, v = _randn(2, 3, 4), _randn(2, 5, 4), _randn(2, 5, 6)
    for m_og, m_t in ((og.tensor(mask), torch.tensor(mask)), (og.tensor(fmask), torch.tensor(fmask))):
        qo = og.tensor(q, requires_grad=True)
        qt = torch.tensor(q, requires_grad=True)
        out = F.scaled_dot_product_attention(qo, og.tensor(k), og.tensor(v), attn_mask=m_og)
        ref = torch.nn.functional.scaled_dot_product_attention(qt, torch.tensor(k), torch.tensor(v), attn_mask=m_t)
        assert_close(out, ref)
        assert np.all(out.detach().numpy()[:, 1] == 0)
        out.sum().backward()
        ref.sum().backward()
        assert_close(qo.grad, qt.grad)


@pytest.mark.parametrize("call", [
    lambda lib, q, k, v: lib.nn.functional.scaled_dot_product_attention(
        q, k, v, attn_mask=lib.ones(3, 5, dtype=lib.bool), is_causal=True),
    lambda lib, q, k, v: lib.nn.functional.scaled_dot_product_attention(q, k[..., :3], v),
    lambda lib, q, k, v: lib.nn.functional.scaled_dot_product_attention(q, k, v[:, :, :4]),
    lambda lib, q, k, v: lib.nn.functional.scaled_dot_product_attention(q, k, v.double()),
    lambda lib, q, k, v: lib.nn.functional.scaled_dot_product_attention(
        q, k, v, attn_mask=lib.zeros(3, 5, dtype=lib.int64)),
    lambda lib, q, k, v: lib.nn.functional.scaled_dot_product_attention(q, k, v, attn_mask=lib.zeros(4, 5)),
    lambda lib, q, k, v: lib.nn.functional.scaled_dot_product_attention(q[0, 0, 0], k[0, 0, 0], v[0, 0, 0]),
    lambda lib, q, k, v: lib.nn.functional.scaled_dot_product_attention(q, k, v, dropout_p=1.5),
])
def test_sdpa_errors_match_torch(torch, call):
    arrays = [_randn(2, 2, 3, 4), _randn(2, 2, 5, 4), _randn(2, 2, 5, 6)]
    _message(lambda: call(og, *map(og.tensor, arrays)), lambda: call(torch, *map(torch.tensor, arrays)))


def test_sdpa_dropout_eager_and_refused_under_capture():
    q = og.ones(1, 4, 8)
    full = F.scaled_dot_product_attention(q, q, og.ones(1, 4, 8), dropout_p=1.0)
    assert np.all(full.numpy() == 0)  # every weight dropped
    half = F.scaled_dot_product_attention(q, q, og.ones(1, 4, 8), dropout_p=0.5).numpy()
    assert set(np.unique(np.round(half, 4))) <= {0.0, 0.5, 1.0, 1.5, 2.0}  # kept weights 1/4 scaled by 2
    with pytest.raises(CaptureError, match="dropout in training mode"):
        og.trace(lambda x: F.scaled_dot_product_attention(x, x, x, dropout_p=0.1).sum(), og.ones(1, 4, 8))
    og.trace(lambda x: F.scaled_dot_product_attention(x, x, x, dropout_p=0.0).sum(), og.ones(1, 4, 8))


# -- MultiheadAttention ---------------------------------------------------------------------------------
MHA_CONFIGS = [  # (constructor kwargs, forward kind, forward kwargs builder)
    ({}, "self", lambda N, L, S: {}),
    ({"batch_first": True}, "self", lambda N, L, S: {"average_attn_weights": False}),
    ({}, "cross", lambda N, L, S: {"need_weights": False}),
    ({"batch_first": True}, "kv", lambda N, L, S: {"key_padding_mask": _padding(N, S)}),
    ({}, "self", lambda N, L, S: {"attn_mask": np.triu(np.ones((L, L), bool), 1), "need_weights": False}),
    ({}, "self", lambda N, L, S: {"attn_mask": np.triu(np.ones((L, L), bool), 1), "is_causal": True,
                                  "need_weights": False}),
    ({"bias": False}, "self", lambda N, L, S: {"attn_mask": _randn(N * 2, L, L),
                                               "key_padding_mask": np.where(_padding(N, L), -1e4, 0).astype(
                                                   np.float32)}),
    ({"kdim": 3, "vdim": 5, "batch_first": True}, "cross", lambda N, L, S: {"key_padding_mask": _padding(N, S),
                                                                             "need_weights": False}),
    ({"kdim": 3, "vdim": 5}, "cross", lambda N, L, S: {"attn_mask": np.triu(np.ones((L, S), bool), 2)}),
    ({"add_bias_kv": True, "add_zero_attn": True}, "cross", lambda N, L, S: {"key_padding_mask": _padding(N, S)}),
    ({}, "unbatched", lambda N, L, S: {"key_padding_mask": _padding(N, S)[0]}),
    ({"batch_first": True}, "unbatched", lambda N, L, S: {"need_weights": False, "average_attn_weights": False}),
]


def _padding(n, s):
    m = np.zeros((n, s), bool)
    m[0, -2:] = True  # MultiheadAttention: True = ignore
    return m


@pytest.mark.parametrize("ctor,kind,make_kw", MHA_CONFIGS, ids=[str(i) for i in range(len(MHA_CONFIGS))])
def test_mha_matches_torch(torch, ctor, kind, make_kw):
    E, heads, N, L, S = 4, 2, 2, 3, 5
    tm = torch.nn.MultiheadAttention(E, heads, **ctor)
    m = nn.MultiheadAttention(E, heads, **ctor)
    _load_from_torch(m, tm)
    assert [(n, tuple(p.shape)) for n, p in m.named_parameters()] == \
        [(n, tuple(p.shape)) for n, p in tm.named_parameters()]
    bf = ctor.get("batch_first", False)
    kdim, vdim = ctor.get("kdim", E), ctor.get("vdim", E)

    def shape(seq, feat):
        return (seq, feat) if kind == "unbatched" else ((N, seq, feat) if bf else (seq, N, feat))

    if kind in ("self", "unbatched"):
        arrays = [_randn(*shape(L, E))]
    elif kind == "kv":
        arrays = [_randn(*shape(L, E)), _randn(*shape(S, E))]
    else:
        arrays = [_randn(*shape(L, E)), _randn(*shape(S, kdim)), _randn(*shape(S, vdim))]
    og_in = [og.tensor(a, requires_grad=True) for a in arrays]
    t_in = [torch.tensor(a, requires_grad=True) for a in arrays]

    def qkv(ins):
        return (ins * 3)[:3] if len(ins) == 1 else ((ins[0], ins[1], ins[1]) if len(ins) == 2 else ins)

    kw = make_kw(N, L, S if kind not in ("self", "unbatched") else L)
    if kind == "unbatched" and "key_padding_mask" in kw:
        kw["key_padding_mask"] = kw["key_padding_mask"][:L]
    out, w = m(*qkv(og_in), **{k: og.tensor(v) if isinstance(v, np.ndarray) else v for k, v in kw.items()})
    rout, rw = tm(*qkv(t_in), **{k: torch.tensor(v) if isinstance(v, np.ndarray) else v for k, v in kw.items()})
    assert_close(out, rout)
    assert_close(w, rw)
    assert grad_fn_name(out) == grad_fn_name(rout)
    if rw is not None:
        assert grad_fn_name(w) == grad_fn_name(rw)
    outs_og, outs_t = ([out] if w is None else [out, w]), ([rout] if rw is None else [rout, rw])
    _check_grads(torch, m, tm, list(zip(og_in, t_in)), outs_og, outs_t)


def test_mha_repr_init_and_state_dict(torch):
    m = nn.MultiheadAttention(8, 2, kdim=3, vdim=5)
    tm = torch.nn.MultiheadAttention(8, 2, kdim=3, vdim=5)
    assert repr(m) == repr(tm) == ("MultiheadAttention(\n  (out_proj): NonDynamicallyQuantizableLinear("
                                   "in_features=8, out_features=8, bias=True)\n)")
    assert list(m.state_dict()) == list(tm.state_dict())
    m = nn.MultiheadAttention(16, 4)
    bound = np.sqrt(6 / (16 + 48))  # xavier_uniform_ of the packed (3E, E) weight
    w = m.in_proj_weight.detach().numpy()
    assert np.all(np.abs(w) <= bound) and w.std() > bound / 3
    assert np.all(m.in_proj_bias.detach().numpy() == 0) and np.all(m.out_proj.bias.detach().numpy() == 0)
    assert m.bias_k is None and m.head_dim == 4 and m._qkv_same_embed_dim
    assert nn.MultiheadAttention(4, 2, dtype=og.float64).in_proj_weight.dtype == og.float64


def test_mha_eval_mode_and_dropout(torch):
    m = nn.MultiheadAttention(4, 2, dropout=0.5)
    tm = torch.nn.MultiheadAttention(4, 2, dropout=0.5)
    _load_from_torch(m, tm)
    x = _randn(3, 2, 4)
    m.eval()
    tm.eval()
    with og.no_grad(), torch.no_grad():  # PyTorch's fused inference path gives the same numbers
        for a, b in zip(m(og.tensor(x), og.tensor(x), og.tensor(x)), tm(*[torch.tensor(x)] * 3)):
            assert_close(a, b)
    m.train()
    y = m(og.tensor(x), og.tensor(x), og.tensor(x))[1].detach().numpy()
    assert not np.allclose(y, tm(*[torch.tensor(x)] * 3)[1].detach().numpy())  # weights dropped in training


@pytest.mark.parametrize("call", [
    lambda lib, m, x: lib.nn.MultiheadAttention(5, 2),
    lambda lib, m, x: lib.nn.MultiheadAttention(0, 2),
    lambda lib, m, x: m(lib.zeros(3, 2, 5), lib.zeros(3, 2, 5), lib.zeros(3, 2, 5)),
    lambda lib, m, x: m(x, x[:, :1], x),
    lambda lib, m, x: m(x, x, x, attn_mask=lib.zeros(2, 3)),
    lambda lib, m, x: m(x, x, x, attn_mask=lib.zeros(2, 3, 3)),
    lambda lib, m, x: m(x, x, x, key_padding_mask=lib.zeros(3, 2, dtype=lib.bool)),
    lambda lib, m, x: m(x, x, x, key_padding_mask=lib.zeros(2, 4, dtype=lib.bool)),
    lambda lib, m, x: m(x, x, x, key_padding_mask=lib.zeros(2, 3, dtype=lib.int64)),
    lambda lib, m, x: m(x, x, x, is_causal=True),
    lambda lib, m, x: m(x[0, 0], x[0, 0], x[0, 0]),
    lambda lib, m, x: m(x, x[0], x[0]),
    lambda lib, m, x: m(x[0], x[0], x[0], attn_mask=lib.zeros(3, 3, 3)),
])
def test_mha_errors_match_torch(torch, call):
    tm = torch.nn.MultiheadAttention(4, 2)
    m = nn.MultiheadAttention(4, 2)
    x = _randn(3, 2, 4)
    _message(lambda: call(og, m, og.tensor(x)), lambda: call(torch, tm, torch.tensor(x)))


def test_mismatched_mask_types_warn():
    m = nn.MultiheadAttention(4, 2)
    x = og.zeros(3, 2, 4)
    with pytest.warns(UserWarning, match="^Support for mismatched key_padding_mask and attn_mask is deprecated. "
                                         "Use same type for both instead.$"):
        m(x, x, x, key_padding_mask=og.zeros(2, 3, dtype=og.bool), attn_mask=og.zeros(3, 3))


# -- the Transformer family -----------------------------------------------------------------------------
ENC_CONFIGS = [
    {},
    {"batch_first": True, "norm_first": True, "activation": "gelu"},
    {"activation": "gelu", "bias": False, "layer_norm_eps": 1e-3},
]


@pytest.mark.parametrize("kw", ENC_CONFIGS, ids=[str(i) for i in range(len(ENC_CONFIGS))])
def test_transformer_encoder_matches_torch(torch, kw):
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")  # the enable_nested_tensor notice (tested below)
        tm = torch.nn.TransformerEncoder(torch.nn.TransformerEncoderLayer(8, 2, 16, dropout=0.0, **kw), 2,
                                         norm=torch.nn.LayerNorm(8))
        m = nn.TransformerEncoder(nn.TransformerEncoderLayer(8, 2, 16, dropout=0.0, **kw), 2, norm=nn.LayerNorm(8))
    _load_from_torch(m, tm)
    assert repr(m) == repr(tm)
    bf = kw.get("batch_first", False)
    x = _randn(*((2, 5, 8) if bf else (5, 2, 8)))
    xo, xt = og.tensor(x, requires_grad=True), torch.tensor(x, requires_grad=True)
    mask = nn.Transformer.generate_square_subsequent_mask(5)
    tmask = torch.nn.Transformer.generate_square_subsequent_mask(5)
    assert_close(mask, tmask)
    pad = _padding(2, 5)
    out = m(xo, mask=mask, src_key_padding_mask=og.tensor(pad))
    ref = tm(xt, mask=tmask, src_key_padding_mask=torch.tensor(pad))
    assert_close(out, ref, rtol=1e-4, atol=1e-5)
    _check_grads(torch, m, tm, [(xo, xt)], [out], [ref])
    out2 = m(og.tensor(x), mask=mask, is_causal=True)
    ref2 = tm(torch.tensor(x), mask=tmask, is_causal=True)
    assert_close(out2, ref2, rtol=1e-4, atol=1e-5)


def test_encoder_nested_inference_path_zeros_padding(torch):
    # eval mode, no autograd, batch_first, a left-aligned padding mask: PyTorch runs nested tensors
    # and pads the output with zeros; with autograd on it does not
    tm = torch.nn.TransformerEncoder(torch.nn.TransformerEncoderLayer(8, 2, 16, batch_first=True), 2).eval()
    m = nn.TransformerEncoder(nn.TransformerEncoderLayer(8, 2, 16, batch_first=True), 2).eval()
    _load_from_torch(m, tm)
    x, pad = _randn(2, 5, 8), _padding(2, 5)
    with og.no_grad(), torch.no_grad():
        out = m(og.tensor(x), src_key_padding_mask=og.tensor(pad))
        ref = tm(torch.tensor(x), src_key_padding_mask=torch.tensor(pad))
    assert np.all(ref.numpy()[0, -2:] == 0)
    assert_close(out, ref, rtol=1e-4, atol=1e-5)
    out = m(og.tensor(x), src_key_padding_mask=og.tensor(pad))
    ref = tm(torch.tensor(x), src_key_padding_mask=torch.tensor(pad))
    assert not np.all(ref.detach().numpy()[0, -2:] == 0)
    assert_close(out, ref, rtol=1e-4, atol=1e-5)


def test_encoder_nested_tensor_warning(torch):
    for make in (lambda lib: lib.nn.TransformerEncoder(lib.nn.TransformerEncoderLayer(8, 2), 1),
                 lambda lib: lib.nn.TransformerEncoder(lib.nn.TransformerEncoderLayer(6, 3, batch_first=True), 1),
                 lambda lib: lib.nn.TransformerEncoder(
                     lib.nn.TransformerEncoderLayer(8, 2, batch_first=True, norm_first=True), 1)):
        with warnings.catch_warnings(record=True) as w_t:
            warnings.simplefilter("always")
            make(torch)
        with warnings.catch_warnings(record=True) as w_o:
            warnings.simplefilter("always")
            make(og)
        assert [str(w.message) for w in w_o] == [str(w.message) for w in w_t] != []
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        nn.TransformerEncoder(nn.TransformerEncoderLayer(8, 2, batch_first=True), 1)
        nn.TransformerEncoder(nn.TransformerEncoderLayer(8, 2), 1, enable_nested_tensor=False)


def test_transformer_and_decoder_match_torch(torch):
    kw = dict(d_model=8, nhead=2, num_encoder_layers=1, num_decoder_layers=2, dim_feedforward=16, dropout=0.0)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        tm = torch.nn.Transformer(**kw)
        m = nn.Transformer(**kw)
    _load_from_torch(m, tm)
    assert repr(m) == repr(tm)
    assert [n for n, _ in m.named_parameters()] == [n for n, _ in tm.named_parameters()]
    src, tgt = _randn(6, 2, 8), _randn(4, 2, 8)
    so, to_ = og.tensor(src, requires_grad=True), og.tensor(tgt, requires_grad=True)
    st, tt = torch.tensor(src, requires_grad=True), torch.tensor(tgt, requires_grad=True)
    pad = _padding(2, 6)
    out = m(so, to_, tgt_mask=m.generate_square_subsequent_mask(4), memory_key_padding_mask=og.tensor(pad))
    ref = tm(st, tt, tgt_mask=tm.generate_square_subsequent_mask(4), memory_key_padding_mask=torch.tensor(pad))
    assert_close(out, ref, rtol=1e-4, atol=1e-5)
    _check_grads(torch, m, tm, [(so, st), (to_, tt)], [out], [ref])
    dl = nn.TransformerDecoderLayer(8, 2, 16, dropout=0.0, batch_first=True, norm_first=True)
    tdl = torch.nn.TransformerDecoderLayer(8, 2, 16, dropout=0.0, batch_first=True, norm_first=True)
    _load_from_torch(dl, tdl)
    tgt_b, src_b = tgt.transpose(1, 0, 2).copy(), src.transpose(1, 0, 2).copy()
    assert_close(dl(og.tensor(tgt_b), og.tensor(src_b)), tdl(torch.tensor(tgt_b), torch.tensor(src_b)),
                 rtol=1e-4, atol=1e-5)
    _message(lambda: m(og.tensor(src), og.tensor(tgt[:, :1])), lambda: tm(torch.tensor(src), torch.tensor(tgt[:, :1])))
    _message(lambda: m(og.tensor(src[..., :4]), og.tensor(tgt)),
             lambda: tm(torch.tensor(src[..., :4]), torch.tensor(tgt)))
    _message(lambda: nn.TransformerEncoderLayer(8, 2, activation="tanh"),
             lambda: torch.nn.TransformerEncoderLayer(8, 2, activation="tanh"))


def test_finite_differences_float64():
    """The composed attention differentiates correctly on its own: central differences in float64
    for a small MultiheadAttention with masks, through both of its paths."""
    og.manual_seed(3)
    m = nn.MultiheadAttention(4, 2, kdim=3, dtype=og.float64)
    q, kv = RNG.standard_normal((3, 1, 4)), RNG.standard_normal((4, 1, 3))
    pad = og.tensor([[False, False, False, True]])
    vv = og.tensor(RNG.standard_normal((4, 1, 4)))

    def loss(qt):
        a, w = m(qt, og.tensor(kv), vv, key_padding_mask=pad)
        b, _ = m(qt, og.tensor(kv), vv, need_weights=False, attn_mask=og.tensor(np.triu(np.ones((3, 4)), 1) * -2.0))
        return (a * a.sin()).sum() + (w * w).sum() + (b * b).sum()

    qt = og.tensor(q, requires_grad=True)
    loss(qt).backward()
    eps = 1e-6
    for p in m.parameters():
        grad, flat = p.grad.numpy().reshape(-1), p.detach().numpy().reshape(-1)
        for i in range(0, flat.size, max(1, flat.size // 6)):
            old = flat[i]
            with og.no_grad():
                p.view(-1)[i] = old + eps
                up = loss(og.tensor(q)).item()
                p.view(-1)[i] = old - eps
                down = loss(og.tensor(q)).item()
                p.view(-1)[i] = old
            assert abs((up - down) / (2 * eps) - grad[i]) < 1e-6, (p.shape, i)
    for idx in np.ndindex(*q.shape):
        d = np.zeros_like(q)
        d[idx] = eps
        num = (loss(og.tensor(q + d)).item() - loss(og.tensor(q - d)).item()) / (2 * eps)
        assert abs(num - qt.grad.numpy()[idx]) < 1e-6, idx


class _Regressor(nn.Module):
    """A tiny transformer-encoder regressor: project, encode with a causal mask, pool, read out."""

    def __init__(self):
        super().__init__()
        self.embed = nn.Linear(3, 8)
        self.encoder = nn.TransformerEncoder(
            nn.TransformerEncoderLayer(8, 2, 16, dropout=0.0, batch_first=True, activation="gelu"), 2,
            enable_nested_tensor=False)
        self.head = nn.Linear(8, 1)
        self.register_buffer("mask", nn.Transformer.generate_square_subsequent_mask(6))

    def forward(self, x):
        h = self.encoder(self.embed(x), mask=self.mask)
        return self.head(h.mean(1))


def test_compiled_transformer_training_matches_eager(tmp_path):
    xs = [_randn(4, 6, 3) for _ in range(5)]
    data = [(og.tensor(x), og.tensor(x[:, :, 0].mean(1, keepdims=True) - x[:, :2, 1].mean(1, keepdims=True)))
            for x in xs]

    def train(compiled):
        og.manual_seed(11)
        model = _Regressor()
        # SGD, not Adam: the key bias has an exactly-zero gradient (softmax ignores a per-row shift), and
        # Adam would blow its rounding noise up to full-size steps that differ between eager and compiled
        opt = og.optim.SGD(model.parameters(), lr=0.05, momentum=0.9)

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
    np.testing.assert_allclose(lc, le, rtol=1e-4, atol=1e-6)
    for (name, pe), (_, pc) in zip(eager.named_parameters(), compiled.named_parameters()):
        a, b = pe.detach().numpy(), pc.detach().numpy()
        assert np.linalg.norm(b - a) <= 1e-4 * max(np.linalg.norm(a), 1e-3), name

    onnx = pytest.importorskip("onnx")
    ort = pytest.importorskip("onnxruntime")
    x = data[0][0]
    path = str(tmp_path / "encoder.onnx")
    compiled.eval()
    og.onnx.export(compiled, (x,), path, input_names=["x"])
    model = onnx.load(path)
    onnx.checker.check_model(model)
    assert {n.domain for n in model.graph.node} <= {""}
    (got,) = ort.InferenceSession(path, providers=["CPUExecutionProvider"]).run(None, {"x": x.numpy()})
    with og.no_grad():
        want = compiled(x).numpy()
    np.testing.assert_allclose(got, want, rtol=1e-5, atol=1e-6)


def test_mha_with_masks_exports(tmp_path):
    """MultiheadAttention with a bool padding mask as a graph input runs in onnxruntime."""
    onnx = pytest.importorskip("onnx")
    ort = pytest.importorskip("onnxruntime")

    class Wrap(nn.Module):
        def __init__(self):
            super().__init__()
            self.attn = nn.MultiheadAttention(8, 2, batch_first=True)

        def forward(self, x, pad):
            out, w = self.attn(x, x, x, key_padding_mask=pad)
            return out, w

    m = Wrap().eval()
    x, pad = og.tensor(_randn(2, 5, 8)), og.tensor(_padding(2, 5))
    path = str(tmp_path / "mha.onnx")
    og.onnx.export(m, (x, pad), path, input_names=["x", "pad"])
    onnx.checker.check_model(onnx.load(path))
    got = ort.InferenceSession(path, providers=["CPUExecutionProvider"]).run(None, {"x": x.numpy(), "pad": pad.numpy()})
    with og.no_grad():
        want = m(x, pad)
    for a, b in zip(got, want):
        np.testing.assert_allclose(a, b.numpy(), rtol=1e-5, atol=1e-6)

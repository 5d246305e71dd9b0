"""nn.EmbeddingBag / F.embedding_bag (sum, mean, max; 2-D bags, 1-D input with offsets,
include_last_offset, padding_idx, per_sample_weights) and torch.isin: PyTorch's values to the bit,
its grad_fn name and error texts, gradients against finite differences, and a compiled step."""
import numpy as np
import pytest

import onnxgraft as og

F = og.nn.functional


def _weight(lib, rows=30, dim=37):
    # columns spanning six decades, so an accumulation order other than PyTorch's shows
    rng = np.random.default_rng(0)
    w = (rng.standard_normal((rows, dim)) * np.logspace(-3, 3, dim)).astype(np.float32)
    return lib.tensor(w, requires_grad=True)


IDS_2D = [[1, 2, 3, 4, 5, 6, 7], [8, 8, 3, 0, 29, 17, 11], [4, 4, 4, 4, 4, 4, 4]]
FLAT, OFFSETS = [3, 7, 7, 12, 5, 9, 0, 2], [0, 2, 2, 5]
CASES = {
    "sum": lambda t, w: F_of(t).embedding_bag(t.tensor(IDS_2D), w, mode="sum"),
    "mean": lambda t, w: F_of(t).embedding_bag(t.tensor(IDS_2D), w),
    "max": lambda t, w: F_of(t).embedding_bag(t.tensor(IDS_2D), w, mode="max"),
    "mean padding": lambda t, w: F_of(t).embedding_bag(t.tensor(IDS_2D), w, padding_idx=4),
    "offsets mean": lambda t, w: F_of(t).embedding_bag(t.tensor(FLAT), w, t.tensor(OFFSETS)),
    "offsets max": lambda t, w: F_of(t).embedding_bag(t.tensor(FLAT), w, t.tensor(OFFSETS), mode="max"),
    "last offset": lambda t, w: F_of(t).embedding_bag(t.tensor(FLAT), w, t.tensor(OFFSETS + [8]),
                                                      mode="sum", include_last_offset=True),
    "per sample weights": lambda t, w: F_of(t).embedding_bag(
        t.tensor(IDS_2D), w, mode="sum", per_sample_weights=t.linspace(0.1, 2.0, 21).reshape(3, 7)),
}


def F_of(lib):
    return lib.nn.functional


@pytest.mark.parametrize("case", sorted(CASES))
def test_values_and_grad_fn_match_torch(case):
    torch = pytest.importorskip("torch")
    ours, theirs = CASES[case](og, _weight(og)), CASES[case](torch, _weight(torch))
    assert ours.detach().numpy().tobytes() == theirs.detach().numpy().tobytes()
    assert ours.grad_fn.name() == theirs.grad_fn.name() == "EmbeddingBagBackward0"


@pytest.mark.parametrize("case", ["sum", "mean", "max", "mean padding", "offsets mean", "last offset"])
def test_weight_gradient_matches_torch(case):
    torch = pytest.importorskip("torch")
    grads = []
    for lib in (og, torch):
        w = _weight(lib)
        out = CASES[case](lib, w)
        (out * lib.linspace(-1.0, 1.0, out.numel()).reshape(out.shape)).sum().backward()
        grads.append(w.grad.numpy())
    if "mean" in case:
        # a row that occurs twice accumulates grad * (1 / size) with BLAS axpy (a fused
        # multiply-add) in PyTorch, a product then an add here: the last bit may differ there
        np.testing.assert_allclose(grads[0], grads[1], rtol=1e-6, atol=1e-12)
    else:
        np.testing.assert_array_equal(grads[0], grads[1])


def test_gradients_against_finite_differences():
    ids = og.tensor([[0, 3, 5], [2, 2, 1]])

    def f(w, psw):
        return (F.embedding_bag(ids, w, mode="sum", per_sample_weights=psw) ** 2).sum()

    arrays = [np.linspace(-1, 1, 12).reshape(6, 2), np.array([[0.5, 1.5, -2.0], [1.0, 0.25, 3.0]])]
    leaves = [og.tensor(a, dtype=og.float64, requires_grad=True) for a in arrays]
    f(*leaves).backward()
    eps = 1e-6
    for k, leaf in enumerate(leaves):
        fd = np.zeros_like(arrays[k])
        for i in np.ndindex(fd.shape):
            shifted = []
            for sign in (1, -1):
                moved = [a.copy() for a in arrays]
                moved[k][i] += sign * eps
                shifted.append(f(*(og.tensor(m) for m in moved)).item())
            fd[i] = (shifted[0] - shifted[1]) / (2 * eps)
        np.testing.assert_allclose(leaf.grad.numpy(), fd, rtol=1e-6, atol=1e-8)


def test_empty_bags_and_padding_give_zero_rows():
    w = og.ones(5, 3, requires_grad=True)
    out = F.embedding_bag(og.tensor([1, 2]), w, og.tensor([0, 0, 2]), mode="max")
    assert out.tolist() == [[0.0] * 3, [1.0] * 3, [0.0] * 3]
    out = F.embedding_bag(og.tensor([[0, 0], [0, 1]]), w, mode="mean", padding_idx=0)
    assert out.tolist() == [[0.0] * 3, [1.0] * 3]
    out.sum().backward()
    assert w.grad[0].tolist() == [0.0] * 3 and w.grad[1].tolist() == [1.0] * 3


def test_errors_name_the_mistake_like_torch():
    w = og.ones(5, 3)
    with pytest.raises(ValueError, match="if input is 2D, then offsets has to be None"):
        F.embedding_bag(og.tensor([[1, 2]]), w, og.tensor([0]))
    with pytest.raises(ValueError, match="offsets has to be a 1D Tensor but got None"):
        F.embedding_bag(og.tensor([1, 2]), w)
    with pytest.raises(NotImplementedError, match=r"only supported for mode='sum' \(got mode='mean'\)"):
        F.embedding_bag(og.tensor([[1, 2]]), w, per_sample_weights=og.ones(1, 2))
    with pytest.raises(ValueError, match="mode has to be one of sum, mean or max"):
        F.embedding_bag(og.tensor([[1, 2]]), w, mode="foo")
    with pytest.raises(RuntimeError, match=r"offsets\[0\] has to be 0.*However, got 1"):
        F.embedding_bag(og.tensor([1, 2, 3]), w, og.tensor([1, 2]))
    with pytest.raises(IndexError, match="index out of range in self"):
        F.embedding_bag(og.tensor([[7]]), w)


def test_module_repr_state_and_from_pretrained():
    bag = og.nn.EmbeddingBag(10, 3, mode="sum", padding_idx=2, max_norm=1.0)
    assert repr(bag) == "EmbeddingBag(10, 3, max_norm=1.0, mode='sum', padding_idx=2)"
    assert repr(og.nn.EmbeddingBag(10, 3)) == "EmbeddingBag(10, 3, mode='mean')"
    assert bag.weight[2].tolist() == [0.0] * 3 and list(bag.state_dict()) == ["weight"]
    pre = og.nn.EmbeddingBag.from_pretrained(og.arange(6.0).reshape(3, 2), mode="max")
    assert not pre.weight.requires_grad
    assert pre(og.tensor([[0, 2]])).tolist() == [[4.0, 5.0]]


def test_compiled_fixed_size_bags_match_eager():
    w = og.tensor(np.linspace(-2, 2, 40, dtype=np.float32).reshape(10, 4))
    ids = og.tensor([[1, 2, 3], [9, 0, 9]])

    def step(w, ids):
        return (F.embedding_bag(ids, w, mode="mean"), F.embedding_bag(ids, w, mode="sum"),
                F.embedding_bag(ids, w, mode="max"))

    for a, b in zip(step(w, ids), og.compile(step)(w, ids)):
        np.testing.assert_allclose(a.numpy(), b.numpy(), rtol=1e-6)


def test_isin_matches_torch():
    torch = pytest.importorskip("torch")
    cases = [
        lambda t: t.isin(t.tensor([1, 2, 3]), t.tensor([2.5, 3.0])),
        lambda t: t.isin(t.tensor([1, 2, 3]), 2, invert=True),
        lambda t: t.isin(2, t.tensor([1, 2])),
        lambda t: t.isin(t.tensor([[1.0, 2.0], [3.0, 4.0]]), t.tensor([4.0, 1.0]), assume_unique=True),
        lambda t: t.isin(t.tensor([16777217]), t.tensor([16777216.0])),  # compared in float32
        lambda t: t.isin(t.arange(6), t.tensor([], dtype=t.int64)),
    ]
    for case in cases:
        ours, theirs = case(og), case(torch)
        assert ours.tolist() == theirs.tolist() and str(ours.dtype) == str(theirs.dtype)
    with pytest.raises(RuntimeError, match="Unsupported input type encountered for isin\\(\\): Bool"):
        og.isin(og.tensor([True]), og.tensor([True]))

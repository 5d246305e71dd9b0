"""Several tensor indices in one expression, 1-d masks on one axis, descending sorts with NaN
and integer extremes, diag with an offset, and the layouts and grad_fn names of transposed views
under autograd: values, gradients and names against PyTorch."""
import numpy as np
import pytest

import onnxgraft as og

INDEXES = [
    lambda lib: ([0, 1], slice(None), [1, 2]),
    lambda lib: (0, slice(None), [1, 2]),
    lambda lib: (0, lib.tensor([[0, 1], [2, 2]]), slice(1, 3)),
    lambda lib: (lib.tensor([True, False]), slice(None), [1, 3]),
    lambda lib: ([1, 0], slice(1, None), [-1, -4]),
    lambda lib: (slice(None), None, [0, 1], [1, 2]),
    lambda lib: ([[0], [1]], [0, 2]),
    lambda lib: (slice(None), 0, lib.tensor([True, False, True, False])),
    lambda lib: (lib.tensor(1), slice(None), [0, 1]),
]


@pytest.mark.parametrize("make", INDEXES)
def test_advanced_indexing_matches_torch(make):
    torch = pytest.importorskip("torch")
    x = np.arange(24, dtype=np.float32).reshape(2, 3, 4) * 0.5 - 3

    def run(lib):
        t = lib.tensor(x, requires_grad=True)
        y = t[make(lib)]
        w = lib.tensor(np.arange(y.numel(), dtype=np.float32).reshape(tuple(y.shape)))
        (y * w).sum().backward()
        return y.detach().numpy(), t.grad.numpy(), y.grad_fn.name()
    got, want = run(og), run(torch)
    np.testing.assert_array_equal(got[0], want[0])
    np.testing.assert_array_equal(got[1], want[1])
    assert got[2] == want[2]


@pytest.mark.parametrize("index", [lambda lib: ([0, 5], slice(None), [1, 2]),
                                   lambda lib: ([0, 1], slice(None), [1, 7]),
                                   lambda lib: ([0, 1], slice(None), [0, 1, 2]),
                                   lambda lib: (slice(None), lib.tensor([True, False]))])
def test_advanced_indexing_errors_match_torch(index):
    torch = pytest.importorskip("torch")
    with pytest.raises(IndexError) as want:
        torch.zeros(2, 3, 4)[index(torch)]
    with pytest.raises(IndexError) as got:
        og.zeros(2, 3, 4)[index(og)]
    assert str(got.value) == str(want.value)


@pytest.mark.parametrize("data", [[2.0, float("nan"), -1.0, float("inf"), 2.0],
                                  [3, -9223372036854775808, 3, 9223372036854775807],
                                  [True, False, True]])
def test_descending_sort_is_stable_and_puts_nan_first(data):
    torch = pytest.importorskip("torch")
    got, want = og.tensor(data).sort(descending=True, stable=True), \
        torch.tensor(data).sort(descending=True, stable=True)
    np.testing.assert_array_equal(got.values.numpy(), want.values.numpy())
    np.testing.assert_array_equal(got.indices.numpy(), want.indices.numpy())


@pytest.mark.parametrize("k", [-2, -1, 0, 1, 3])
def test_diag_offsets(k):
    torch = pytest.importorskip("torch")

    def run(lib):
        v = lib.tensor([0.5, -1.0, 2.0], requires_grad=True)
        y = lib.diag(v, k)
        (y * lib.arange(float(y.numel())).view(tuple(y.shape))).sum().backward()
        return y.detach().numpy(), v.grad.numpy()
    got, want = run(og), run(torch)
    np.testing.assert_array_equal(got[0], want[0])
    assert not np.signbit(got[0][got[0] == 0]).any()  # no -0. off the diagonal
    np.testing.assert_array_equal(got[1], want[1])


def test_transposed_views_under_autograd_keep_pytorch_layout():
    m = og.tensor([[1.0, 2.0], [3.0, 4.0]], requires_grad=True)
    t = m.t()
    assert not t.is_contiguous() and t.stride() == (1, 2)
    assert t.contiguous().grad_fn.name() == "CloneBackward0"
    assert t.reshape(4).grad_fn.name() == "UnsafeViewBackward0"
    assert m.reshape(4).grad_fn.name() == "ViewBackward0"
    with pytest.raises(RuntimeError, match="view size is not compatible"):
        t.view(4)
    assert m[0].t().grad_fn.name() == "TBackward0" and m[0].T.grad_fn.name() == "PermuteBackward0"
    (t.reshape(4) * og.tensor([1.0, 2.0, 3.0, 4.0])).sum().backward()
    np.testing.assert_array_equal(m.grad.numpy(), [[1.0, 3.0], [2.0, 4.0]])

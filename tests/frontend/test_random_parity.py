"""onnxgraft's random numbers are PyTorch's, bit for bit (frontend/random.py has the recipes).

Without torch, a few values PyTorch 2.13 prints for fixed seeds pin the recipes down; with torch,
every sampler is compared bit for bit over seeds, sizes (both sides of the 16-element switch of
randn), dtypes and arguments, and so are the generator's state bytes, nn initialization,
dropout masks and DataLoader shuffling.
"""
import numpy as np
import pytest

import onnxgraft as og
from onnxgraft import nn
from onnxgraft.utils.data import DataLoader, TensorDataset, WeightedRandomSampler, random_split


def test_known_pytorch_values_without_torch():
    # PyTorch 2.13: torch.manual_seed(0); torch.randn(3) / torch.rand(2) / torch.randint(0, 10, (5,))
    og.manual_seed(0)
    assert og.randn(3).numpy().tobytes() == np.array([1.5409961, -0.29342890, -2.1787894], np.float32).tobytes()
    og.manual_seed(0)
    assert np.array_equal(og.randn(20).numpy()[:4], np.array([-1.1258398, -1.1523602, -0.25057858, -0.43387881],
                                                               np.float32))
    og.manual_seed(0)
    assert og.randint(0, 10, (5,)).tolist() == [4, 9, 3, 0, 3]
    og.manual_seed(0)
    assert og.randperm(6).tolist() == [2, 5, 3, 0, 1, 4]
    og.manual_seed(1)   # nn.Linear's default init (kaiming_uniform_) draws PyTorch's weights
    assert nn.Linear(4, 3).weight[0].tolist() == [0.2576315999031067, -0.22068911790847778, -0.09693074226379395,
                                                  0.23468446731567383]
    # a program that never seeds starts from PyTorch's default seed
    assert og.Generator().initial_seed() == 67280421310721


def test_the_normal_cache_survives_between_calls():
    # small normals come in Box-Muller pairs: the second of a pair is kept for the next call
    og.manual_seed(5)
    one_call = og.randn(4).tolist()
    og.manual_seed(5)
    split = og.randn(1).tolist() + og.randn(3).tolist()
    assert split == one_call
    og.manual_seed(5)
    og.randn(1)
    og.manual_seed(5)   # reseeding drops the cached sample
    assert og.randn(4).tolist() == one_call


def test_state_round_trip_and_generators_are_independent():
    og.manual_seed(7)
    og.randn(3)          # leaves a cached normal sample in the state
    state = og.get_rng_state()
    assert state.shape == (5056,) and state.dtype == og.uint8
    a = og.randn(5).tolist() + og.rand(3).tolist()
    og.set_rng_state(state)
    assert og.randn(5).tolist() + og.rand(3).tolist() == a
    g1, g2 = og.Generator().manual_seed(3), og.Generator().manual_seed(3)
    x = og.rand(4, generator=g1)
    og.rand(10)
    assert og.rand(4, generator=g2).tolist() == x.tolist()
    with og.random.fork_rng():
        og.randn(100)
    og.set_rng_state(state)
    with pytest.raises(RuntimeError, match="Expected a CPUGeneratorImplState of size 5056"):
        og.set_rng_state(og.zeros(10, dtype=og.uint8))
    with pytest.raises(TypeError, match="expected a torch.ByteTensor"):
        og.set_rng_state([1, 2])


def test_seed_values_and_errors():
    assert og.manual_seed(-1).initial_seed() == 2 ** 64 - 1
    assert og.manual_seed(1.7).initial_seed() == 1
    assert og.manual_seed("3").initial_seed() == 3
    with pytest.raises(ValueError, match="Overflow when unpacking long long"):
        og.manual_seed(2 ** 64)
    with pytest.raises(TypeError, match="generator must be a torch.Generator"):
        og.randn(2, generator=5)
    s = og.seed()
    assert og.initial_seed() == s


def test_sampler_errors_are_pytorchs():
    with pytest.raises(RuntimeError, match="random_ expects 'from' to be less than 'to', but got from=5 >= to=3"):
        og.randint(5, 3, (2,))
    with pytest.raises(NotImplementedError, match="\"check_uniform_bounds\" not implemented for 'Long'"):
        og.rand(3, dtype=og.int64)
    with pytest.raises(NotImplementedError, match="\"normal_kernel_cpu\" not implemented for 'Long'"):
        og.randn(3, dtype=og.int64)
    with pytest.raises(RuntimeError, match="negative dimension -1"):
        og.randn(-1)
    with pytest.raises(RuntimeError, match="uniform_ expects to return a \\[from, to\\) range, but found from=2 > to=1"):
        og.empty(3).uniform_(2, 1)
    with pytest.raises(RuntimeError, match="normal expects std >= 0.0, but found std -1"):
        og.empty(3).normal_(0, -1)
    with pytest.raises(RuntimeError, match="exponential_ expects lambda > 0.0, but found lambda=-1"):
        og.empty(3).exponential_(-1)
    with pytest.raises(RuntimeError, match="bernoulli_ expects p to be in \\[0, 1\\], but got p=1.5"):
        og.empty(4).bernoulli_(1.5)
    with pytest.raises(RuntimeError, match="but found std -1$"):          # C++'s %g: -1.0 prints -1
        og.empty(3).normal_(0, -1.0)
    with pytest.raises(TypeError, match="RNG state must be a torch.ByteTensor"):
        og.set_rng_state(og.zeros(5056))
    with pytest.raises(TypeError, match="randint\\(\\) received an invalid combination of arguments"):
        og.randint(0, 5, 3)
    with pytest.raises(TypeError, match="argument 'size' \\(position 2\\) must be tuple of ints, not int"):
        og.randint(5, 3)
    with pytest.raises(RuntimeError, match="multinomial only supports floating-point dtypes for input, got: Long"):
        og.multinomial(og.tensor([1, 0, 3]), 2)
    with pytest.raises(RuntimeError, match="Could this error message be improved"):
        og.bernoulli(og.tensor([1.5]))


def test_sampling_statistics():
    og.manual_seed(0)
    for n in (15, 16, 1000, 1001):   # both randn paths
        x = og.randn(n, 10).numpy()
        assert abs(x.mean()) < 0.15 and abs(x.std() - 1) < 0.1
    u = og.rand(10000).numpy()
    assert u.min() >= 0 and u.max() < 1 and abs(u.mean() - 0.5) < 0.02
    assert sorted(og.randperm(50).tolist()) == list(range(50))
    r = og.randint(-3, 4, (5000,)).numpy()
    assert r.min() == -3 and r.max() == 3
    e = og.empty(5000, dtype=og.float64).exponential_(2.0).numpy()
    assert abs(e.mean() - 0.5) < 0.05


# -- bit parity with PyTorch ----------------------------------------------------------------------

@pytest.fixture(scope="module")
def pt():
    return pytest.importorskip("torch")


def _both(pt, fn):
    """Run fn(lib) under the same fresh seed in PyTorch and onnxgraft; numpy results."""
    out = []
    for lib in (pt, og):
        lib.manual_seed(1234)
        result = fn(lib)
        out.append([np.asarray(r.numpy() if hasattr(r, "numpy") else r) for r in
                    (result if isinstance(result, (list, tuple)) else [result])])
    return out


def _assert_bits(pt, fn):
    theirs, ours = _both(pt, fn)
    for t, o in zip(theirs, ours):
        assert t.dtype == o.dtype and t.shape == o.shape
        assert t.tobytes() == o.tobytes(), (t, o)


SIZES = [(), (1,), (3,), (15,), (16,), (17,), (4, 8), (3, 37), (1000,)]


@pytest.mark.parametrize("size", SIZES)
@pytest.mark.parametrize("dtype", ["float32", "float64"])
def test_rand_randn_match_pytorch(pt, size, dtype):
    _assert_bits(pt, lambda lib: [lib.rand(size, dtype=getattr(lib, dtype)), lib.randn(size, dtype=getattr(lib, dtype)),
                                  lib.randn(size, dtype=getattr(lib, dtype)), lib.rand(3)])


@pytest.mark.parametrize("size", [(5,), (40,)])
def test_normal_and_uniform_with_parameters_match_pytorch(pt, size):
    _assert_bits(pt, lambda lib: [lib.empty(size).normal_(0.5, 2.5), lib.empty(size).uniform_(-0.3, 1.7),
                                  lib.empty(size, dtype=lib.float64).normal_(-1.0, 0.1),
                                  lib.empty(size, dtype=lib.float64).uniform_(2.0, 9.0),
                                  lib.normal(1.5, 0.5, size=size),
                                  lib.normal(lib.arange(float(size[0])), lib.ones(size) * 2),
                                  lib.normal(lib.zeros(size), 3.0), lib.normal(2.0, lib.ones(size))])


def test_integer_samplers_match_pytorch(pt):
    _assert_bits(pt, lambda lib: [lib.randint(0, 10, (50,)), lib.randint(-5, 5, (3, 4)), lib.randint(2 ** 33, (6,)),
                                  lib.randint(0, 7, (5,), dtype=lib.float32), lib.randperm(1),
                                  lib.randperm(10), lib.randperm(300), lib.randint_like(lib.zeros(3), 10),
                                  lib.empty(4, dtype=lib.int64).random_(0, 100), lib.empty(3).random_(5),
                                  lib.empty(3, dtype=lib.int64).random_(), lib.empty(3).random_(),
                                  lib.empty(3, dtype=lib.int32).random_()])


def test_other_distributions_match_pytorch(pt):
    _assert_bits(pt, lambda lib: [lib.bernoulli(lib.full((20,), 0.3)),
                                  lib.bernoulli(lib.full((20,), 0.3, dtype=lib.float64)),
                                  lib.empty(30).bernoulli_(0.7), lib.zeros(5).bernoulli_(lib.full((5,), 0.5)),
                                  lib.empty(50, dtype=lib.float64).exponential_(2.0), lib.empty(50).exponential_(),
                                  lib.empty(20, dtype=lib.float64).cauchy_(1.0, 2.0),
                                  lib.empty(20, dtype=lib.float64).geometric_(0.3),
                                  lib.empty(20, dtype=lib.float64).log_normal_(0.5, 0.25)])


def test_multinomial_matches_pytorch(pt):
    _assert_bits(pt, lambda lib: [lib.multinomial(lib.tensor([0.1, 0.2, 0.3, 0.4]), 20, replacement=True),
                                  lib.multinomial(lib.tensor([1.0, 2.0, 3.0, 4.0]), 3),
                                  lib.multinomial(lib.tensor([[1.0, 2.0, 3.0], [3.0, 2.0, 1.0]]), 1),
                                  lib.multinomial(lib.tensor([[1.0, 2.0, 3.0], [3.0, 0.0, 1.0]]), 5, True),
                                  lib.multinomial(lib.tensor([1.0, 0.0, 3.0]), 3)])   # a zero weight drawn last


def test_non_contiguous_fill_matches_pytorch(pt):
    _assert_bits(pt, lambda lib: [lib.empty(5, 4).t().normal_(), lib.empty(6, 3).t().uniform_()])


def test_module_initialization_matches_pytorch(pt):
    def build(lib):
        mods = [lib.nn.Linear(7, 5), lib.nn.Conv2d(3, 4, 3), lib.nn.Conv1d(2, 3, 5), lib.nn.Embedding(6, 4),
                lib.nn.LSTM(3, 4), lib.nn.GRU(2, 3), lib.nn.MultiheadAttention(8, 2), lib.nn.Bilinear(3, 2, 4)]
        w = lib.empty(6, 9)
        inits = [lib.nn.init.xavier_uniform_(w).clone(), lib.nn.init.xavier_normal_(w).clone(),
                 lib.nn.init.kaiming_normal_(w, mode="fan_out", nonlinearity="relu").clone(),
                 lib.nn.init.trunc_normal_(w, std=0.02).clone(), lib.nn.init.normal_(w, 0, 0.01).clone()]
        return [p.detach() for m in mods for p in m.parameters()] + inits
    _assert_bits(pt, build)


def test_dropout_matches_pytorch(pt):
    def run(lib):
        drop = lib.nn.Dropout(0.3)
        x = lib.arange(1.0, 41.0).reshape(5, 8)
        return [drop(x), lib.nn.functional.dropout(x, 0.5), lib.nn.functional.dropout(x.double(), 0.1),
                lib.nn.functional.dropout(x, 1.0), lib.rand(2)]
    _assert_bits(pt, run)


def test_data_loading_order_matches_pytorch(pt):
    def run(lib):
        data = lib.utils.data
        ds = data.TensorDataset(lib.arange(10.0), lib.arange(10))
        batches = [yb for _ in range(2) for _, yb in data.DataLoader(ds, batch_size=4, shuffle=True)]
        batches += [yb for _, yb in data.DataLoader(ds, batch_size=5)]     # draws a base seed too
        a, b = data.random_split(ds, [7, 3])
        g = lib.Generator().manual_seed(3)
        batches += [lib.tensor(a.indices), lib.tensor(b.indices),
                    lib.tensor(list(data.WeightedRandomSampler([0.1, 0.9, 0.5], 6))),
                    lib.tensor(list(data.RandomSampler(range(7), replacement=True, num_samples=40))),
                    lib.tensor(list(data.SubsetRandomSampler([10, 20, 30, 40]))),
                    lib.tensor(list(data.RandomSampler(range(5), generator=g))), lib.rand(2)]
        return batches
    _assert_bits(pt, run)


def test_state_bytes_are_pytorchs(pt):
    for lib in (pt, og):
        lib.manual_seed(11)
        lib.randn(3)
    assert np.array_equal(pt.get_rng_state().numpy(), og.get_rng_state().numpy())
    # a state taken from PyTorch continues PyTorch's stream here
    pt.manual_seed(12)
    pt.rand(5)
    og.set_rng_state(og.from_numpy(pt.get_rng_state().numpy()))
    assert np.array_equal(pt.randn(7).numpy(), og.randn(7).numpy())


def test_unused_imports_are_used():
    # DataLoader & co are exercised through lib.utils.data above; keep the direct imports honest
    assert DataLoader and TensorDataset and WeightedRandomSampler and random_split

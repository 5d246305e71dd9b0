"""onnxgraft.utils.data: datasets, samplers, DataLoader and default_collate (PyTorch's behaviour is
also compared line by line in tests/swap/programs/81_dataloader.py)."""
import numpy as np
import pytest

import onnxgraft as og
from onnxgraft.utils.data import (BatchSampler, DataLoader, IterableDataset, RandomSampler, SequentialSampler,
                                  SubsetRandomSampler, TensorDataset, default_collate, default_convert,
                                  random_split)


def dataset(n=10):
    return TensorDataset(og.arange(2 * n, dtype=og.float32).reshape(n, 2), og.arange(n))


def test_shuffle_visits_every_sample_once_and_follows_the_generator():
    ds = dataset()
    g1, g2 = og.Generator().manual_seed(3), og.Generator().manual_seed(3)
    order1 = [int(v) for _, yb in DataLoader(ds, batch_size=4, shuffle=True, generator=g1) for v in yb]
    order2 = [int(v) for _, yb in DataLoader(ds, batch_size=4, shuffle=True, generator=g2) for v in yb]
    assert order1 == order2 and sorted(order1) == list(range(10)) and order1 != list(range(10))


def test_without_a_generator_each_epoch_is_a_new_order_drawn_from_the_default_generator():
    loader = DataLoader(dataset(20), batch_size=20, shuffle=True)
    og.manual_seed(0)
    first, second = [next(iter(loader))[1].tolist() for _ in range(2)]
    og.manual_seed(0)
    assert next(iter(loader))[1].tolist() == first and first != second


def test_random_sampler_with_replacement_and_num_samples():
    g = og.Generator().manual_seed(1)
    draws = list(RandomSampler(range(3), replacement=True, num_samples=50, generator=g))
    assert len(draws) == 50 and set(draws) <= {0, 1, 2}
    longer = list(RandomSampler(range(4), num_samples=10, generator=g))
    assert sorted(longer[:8]) == [0, 0, 1, 1, 2, 2, 3, 3] and len(longer) == 10
    with pytest.raises(ValueError, match="num_samples should be a positive integer value"):
        RandomSampler(range(3), num_samples=0)
    assert sorted(SubsetRandomSampler([5, 7, 9], generator=g)) == [5, 7, 9]


def test_batch_sampler_and_its_errors():
    assert list(BatchSampler(SequentialSampler(range(5)), 2, False)) == [[0, 1], [2, 3], [4]]
    assert len(BatchSampler(range(5), 2, True)) == 2
    with pytest.raises(ValueError, match="batch_size should be a positive integer value"):
        BatchSampler(range(5), 0, False)
    loader = DataLoader(dataset(), batch_sampler=[[0, 9], [3]])
    assert [yb.tolist() for _, yb in loader] == [[0, 9], [3]] and len(loader) == 2
    with pytest.raises(ValueError, match="batch_sampler option is mutually exclusive"):
        DataLoader(dataset(), batch_sampler=[[0]], batch_size=2)
    with pytest.raises(ValueError, match="mutually exclusive with drop_last"):
        DataLoader(dataset(), batch_size=None, drop_last=True)


def test_iterable_dataset_batches_and_len():
    class Stream(IterableDataset):
        def __iter__(self):
            return iter([og.tensor([float(i)]) for i in range(5)])

        def __len__(self):
            return 5

    loader = DataLoader(Stream(), batch_size=2)
    assert [b.shape for b in loader] == [(2, 1), (2, 1), (1, 1)] and len(loader) == 3
    assert len(DataLoader(Stream(), batch_size=2, drop_last=True)) == 2
    with pytest.raises(ValueError, match="expected unspecified shuffle option"):
        DataLoader(Stream(), shuffle=True)


def test_tensor_dataset_fast_path_matches_per_sample_collation():
    ds = dataset()
    fast = next(iter(DataLoader(ds, batch_size=4)))
    slow = default_collate([ds[i] for i in range(4)])
    for a, b in zip(fast, slow):
        assert a.dtype == b.dtype and np.array_equal(a.numpy(), b.numpy())


def test_samples_that_require_grad_are_stacked_so_gradients_flow():
    w = og.ones(4, 2, requires_grad=True)
    (batch,) = next(iter(DataLoader(TensorDataset(w * 2), batch_size=4)))
    assert batch.grad_fn.name() == "StackBackward0"
    batch.sum().backward()
    assert w.grad.tolist() == [[2.0, 2.0]] * 4


def test_collate_and_convert_of_numpy_and_numbers():
    out = default_collate([np.array([1.0, 2.0]), np.array([3.0, 4.0])])
    assert out.dtype == og.float64 and out.shape == (2, 2)
    assert default_collate([np.float32(1), np.float32(2)]).dtype == og.float32
    assert default_collate([True, False]).dtype == og.bool
    assert default_convert(np.arange(3)).tolist() == [0, 1, 2]
    assert default_convert((np.int64(1), "a")) == [og.tensor(1), "a"]
    with pytest.raises(TypeError, match="default_collate: batch must contain tensors"):
        default_collate([object(), object()])
    with pytest.raises(TypeError, match="found <U1"):
        default_collate([np.array(["a"]), np.array(["b"])])


def test_random_split_lengths_and_errors():
    parts = random_split(range(10), [0.34, 0.33, 0.33], generator=og.Generator().manual_seed(0))
    assert [len(p) for p in parts] == [4, 3, 3]
    assert sorted(i for p in parts for i in (p[k] for k in range(len(p)))) == list(range(10))
    with pytest.raises(ValueError, match="Sum of input lengths does not equal"):
        random_split(range(10), [3, 3])


def test_a_compiled_step_trains_on_dataloader_batches():
    """The last, shorter batch is a new signature: captured again, as torch.compile does."""
    x = og.linspace(-1, 1, 10).reshape(10, 1)
    ds = TensorDataset(x, 3 * x + 1)
    model = og.nn.Linear(1, 1)
    opt = og.optim.SGD(model.parameters(), lr=0.1)

    @og.compile
    def step(xb, yb):
        opt.zero_grad()
        loss = og.nn.functional.mse_loss(model(xb), yb)
        loss.backward()
        opt.step()
        return loss

    losses = [float(step(xb, yb)) for _ in range(30) for xb, yb in DataLoader(ds, batch_size=4)]
    assert losses[-1] < losses[0] / 10

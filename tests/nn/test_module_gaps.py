"""Module features filled in by the nn.Module sweep. Lazy modules (LazyLinear, LazyConv1d/2d,
LazyBatchNorm1d/2d): shapes read from the first input, the class they become, loading a checkpoint
into them, a compiled step once materialized. nn.Buffer assignment; the num_batches_tracked
default of a BatchNorm checkpoint without version metadata; `range` as an index;
AdaptiveAvgPool1d. (Printed output against PyTorch: tests/swap/programs/12x_*.py.)"""
import numpy as np
import pytest

import onnxgraft as og
import onnxgraft.nn as nn


def test_lazy_linear_materializes_and_becomes_linear():
    m = nn.LazyLinear(3)
    assert repr(m.weight) == "<UninitializedParameter>"
    assert repr(m) == "LazyLinear(in_features=0, out_features=3, bias=True)"
    assert m.has_uninitialized_params()
    with pytest.raises(RuntimeError, match="Can't access the shape of an uninitialized parameter"):
        m.weight.shape
    y = m(og.ones(2, 5))
    assert type(m) is nn.Linear and type(m.weight) is nn.Parameter
    assert tuple(m.weight.shape) == (3, 5) and tuple(y.shape) == (2, 3)
    assert repr(m) == "Linear(in_features=5, out_features=3, bias=True)"
    assert not m._forward_pre_hooks  # the materializing hook removed itself
    # materialized parameters train like any other
    y.sum().backward()
    assert tuple(m.weight.grad.shape) == (3, 5)


def test_lazy_modules_load_shapes_from_a_checkpoint():
    src = nn.Linear(4, 2)
    m = nn.LazyLinear(2)
    assert repr(m.load_state_dict(src.state_dict())) == "<All keys matched successfully>"
    assert np.array_equal(m.weight.detach().numpy(), src.weight.detach().numpy())
    m(og.ones(1, 4))
    assert m.in_features == 4 and type(m) is nn.Linear
    bn = nn.LazyBatchNorm1d()
    bn.load_state_dict(nn.BatchNorm1d(3).state_dict())
    assert tuple(bn.running_var.shape) == (3,)


def test_lazy_conv_and_batchnorm_read_channels():
    net = nn.Sequential(nn.LazyConv2d(4, 3, padding=1), nn.LazyBatchNorm2d(), nn.ReLU(), nn.Flatten(),
                        nn.LazyLinear(2))
    assert [n for n, _ in net.named_buffers()] == ["1.running_mean", "1.running_var", "1.num_batches_tracked"]
    out = net(og.ones(2, 3, 5, 5))
    assert tuple(out.shape) == (2, 2)
    assert tuple(net[0].weight.shape) == (4, 3, 3, 3) and type(net[0]) is nn.Conv2d
    assert type(net[1]) is nn.BatchNorm2d and int(net[1].num_batches_tracked) == 1
    assert tuple(net[4].weight.shape) == (2, 4 * 25)
    c1 = nn.LazyConv1d(2, 3, bias=False)
    c1(og.ones(3, 6))  # unbatched: channels are dim 0
    assert tuple(c1.weight.shape) == (2, 3, 3) and c1.bias is None


def test_lazy_model_compiles_after_materializing():
    net = nn.Sequential(nn.LazyLinear(3), nn.Tanh(), nn.LazyLinear(1))
    x = og.tensor(np.linspace(-1, 1, 8, dtype=np.float32).reshape(4, 2))
    eager = net(x).detach().numpy()
    step = og.compile(lambda x: net(x))
    np.testing.assert_allclose(step(x).detach().numpy(), eager, rtol=1e-5, atol=1e-6)


def test_batchnorm_plain_dict_without_num_batches_tracked():
    """PyTorch keeps the module's counter when a checkpoint with no version metadata lacks it."""
    bn = nn.BatchNorm1d(2)
    sd = {k: v for k, v in bn.state_dict().items() if k != "num_batches_tracked"}
    result = bn.load_state_dict(sd)
    assert result.missing_keys == [] and "num_batches_tracked" not in sd  # the caller's dict untouched
    # with version metadata of the current format the key is required
    full = bn.state_dict()
    del full["num_batches_tracked"]
    with pytest.raises(RuntimeError, match='Missing key\\(s\\) in state_dict: "num_batches_tracked"'):
        bn.load_state_dict(full)


def test_range_index_and_module_dicts():
    x = og.tensor([[1.0, 2.0, 3.0], [4.0, 5.0, 6.0]])
    assert x[range(2), og.tensor([2, 0])].tolist() == [3.0, 4.0]
    assert x[range(1, 2)].tolist() == [[4.0, 5.0, 6.0]]
    assert type(nn.Linear(1, 1)._parameters) is dict


def test_adaptive_avg_pool1d_compiles():
    pool = nn.AdaptiveAvgPool1d(3)
    x = og.tensor(np.arange(14, dtype=np.float32).reshape(1, 2, 7))
    eager = pool(x).detach().numpy()
    np.testing.assert_allclose(eager[0, 0], [1.0, 3.0, 5.0])  # windows [0,3), [2,5), [4,7)
    np.testing.assert_allclose(og.compile(lambda x: pool(x))(x).detach().numpy(), eager, rtol=1e-6)


def test_buffer_assignment_registers():
    class M(nn.Module):
        def __init__(self):
            super().__init__()
            self.stats = nn.Buffer(og.ones(2))
            self.scratch = nn.Buffer(og.zeros(1), persistent=False)

    m = M()
    assert [n for n, _ in m.named_buffers()] == ["stats", "scratch"]
    assert list(m.state_dict()) == ["stats"]
    assert isinstance(m.stats, nn.Buffer) and not isinstance(og.ones(1), nn.Buffer)
    assert type(m.stats) is og.Tensor and not m.stats.requires_grad

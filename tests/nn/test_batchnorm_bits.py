"""BatchNorm's float32 bits against PyTorch's CPU kernel (ir/ops/batchnorm.py): forward output and
running statistics exact; gradients within float32 rounding (the backward's order is close, not exact)."""
import numpy as np
import pytest

import onnxgraft as og

torch = pytest.importorskip("torch")


def _data(rng, shape):
    return (rng.standard_normal(shape) * 10.0 ** rng.uniform(-3, 3, shape) + rng.uniform(-5, 5)).astype(np.float32)


@pytest.mark.parametrize("shape", [(4, 3), (40, 16), (7, 5), (300, 33), (3, 5, 7), (16, 3, 9, 9), (2, 6, 1, 1)])
@pytest.mark.parametrize("training", [True, False])
def test_forward_and_running_stats_bits(shape, training):
    og.set_num_threads(2)
    torch.set_num_threads(2)
    rng = np.random.default_rng(sum(shape))
    c = shape[1]
    x, w, b = _data(rng, shape), _data(rng, (c,)), _data(rng, (c,))
    rm, rv = _data(rng, (c,)), rng.uniform(0.1, 3, c).astype(np.float32)
    trm, trv = torch.tensor(rm), torch.tensor(rv)
    ty = torch.nn.functional.batch_norm(torch.tensor(x), trm, trv, torch.tensor(w), torch.tensor(b), training)
    orm, orv = og.tensor(rm), og.tensor(rv)
    oy = og.nn.functional.batch_norm(og.tensor(x), orm, orv, og.tensor(w), og.tensor(b), training)
    assert oy.numpy().tobytes() == ty.numpy().tobytes()
    assert orm.numpy().tobytes() == trm.numpy().tobytes()
    assert orv.numpy().tobytes() == trv.numpy().tobytes()


def test_gradients_close_and_grad_fn():
    rng = np.random.default_rng(0)
    x = rng.standard_normal((6, 4, 5)).astype(np.float32)
    ox = og.tensor(x, requires_grad=True)
    tx = torch.tensor(x, requires_grad=True)
    bn, tbn = og.nn.BatchNorm1d(4), torch.nn.BatchNorm1d(4)
    oy, ty = bn(ox), tbn(tx)
    assert oy.grad_fn.name() == "NativeBatchNormBackward0"
    (oy * oy).sum().backward()
    (ty * ty).sum().backward()
    np.testing.assert_allclose(ox.grad.numpy(), tx.grad.numpy(), rtol=1e-4, atol=1e-5)
    np.testing.assert_allclose(bn.weight.grad.numpy(), tbn.weight.grad.numpy(), rtol=1e-5, atol=1e-5)
    assert int(bn.num_batches_tracked) == 1


def test_error_text():
    bn = og.nn.BatchNorm1d(3)
    with pytest.raises(ValueError, match=r"Expected more than 1 value per channel when training, got input size"):
        bn(og.ones(1, 3))


@pytest.mark.parametrize("shape", [(2, 7), (5, 9), (17, 16), (64, 25), (300, 33)])
def test_backward_bits_2d(shape):
    # (N, C) inputs run PyTorch's channels-last kernels, reproduced bit for bit with 2 threads
    og.set_num_threads(2)
    torch.set_num_threads(2)
    rng = np.random.default_rng(sum(shape))
    c = shape[1]
    x, w, b, g = _data(rng, shape), _data(rng, (c,)), _data(rng, (c,)), _data(rng, shape)
    ox, ow, ob = (og.tensor(a, requires_grad=True) for a in (x, w, b))
    tx, tw, tb = (torch.tensor(a, requires_grad=True) for a in (x, w, b))
    og.nn.functional.batch_norm(ox, None, None, ow, ob, True).backward(og.tensor(g))
    torch.nn.functional.batch_norm(tx, None, None, tw, tb, True).backward(torch.tensor(g))
    for o, t in ((ox, tx), (ow, tw), (ob, tb)):
        assert o.grad.numpy().tobytes() == t.grad.numpy().tobytes()


@pytest.mark.parametrize("momentum", [None, 0.3])
def test_running_stats_over_steps(momentum):
    og.set_num_threads(2)
    torch.set_num_threads(2)
    rng = np.random.default_rng(3)
    for shape in [(10, 5), (4, 5, 6)]:
        t, o = torch.nn.BatchNorm1d(5, momentum=momentum), og.nn.BatchNorm1d(5, momentum=momentum)
        for _ in range(4):
            x = (rng.standard_normal(shape) * 3 + 1).astype(np.float32)
            t(torch.tensor(x))
            o(og.tensor(x))
        assert o.running_mean.numpy().tobytes() == t.running_mean.numpy().tobytes()
        assert o.running_var.numpy().tobytes() == t.running_var.numpy().tobytes()
        assert int(o.num_batches_tracked) == 4

"""nn.utils gradient clipping against PyTorch."""
import numpy as np
import pytest

import onnxgraft as og
import onnxgraft.nn as nn

from ._util import copy_weights, assert_close


def _models(torch):
    # float64, so that the gradients going in agree to the last bit and only clipping is compared
    m = nn.Sequential(nn.Linear(4, 8), nn.Tanh(), nn.Linear(8, 2)).double()
    tm = torch.nn.Sequential(torch.nn.Linear(4, 8), torch.nn.Tanh(), torch.nn.Linear(8, 2)).double()
    copy_weights(m, tm)
    x = np.random.default_rng(5).standard_normal((6, 4))
    (m(og.tensor(x)) * 10).sum().backward()
    (tm(torch.tensor(x)) * 10).sum().backward()
    return m, tm


@pytest.mark.parametrize("norm_type", [2.0, 1.0, float("inf")])
@pytest.mark.parametrize("max_norm", [0.5, 1e6])
def test_clip_grad_norm_matches_torch(torch, norm_type, max_norm):
    m, tm = _models(torch)
    grads = [p.grad for p in m.parameters()]
    total = nn.utils.clip_grad_norm_(m.parameters(), max_norm, norm_type)
    ttotal = torch.nn.utils.clip_grad_norm_(tm.parameters(), max_norm, norm_type)
    assert_close(total, ttotal)
    for p, tp, g in zip(m.parameters(), tm.parameters(), grads):
        assert p.grad is g  # clipped in place
        assert_close(p.grad, tp.grad)


def test_clip_grad_value_and_edge_cases(torch):
    m, tm = _models(torch)
    nn.utils.clip_grad_value_(m.parameters(), 0.1)
    torch.nn.utils.clip_grad_value_(tm.parameters(), 0.1)
    for p, tp in zip(m.parameters(), tm.parameters()):
        assert_close(p.grad, tp.grad)
    assert float(nn.utils.clip_grad_norm_(nn.Linear(2, 2).parameters(), 1.0)) == 0.0
    p = nn.Parameter(og.ones(2))
    p.grad = og.tensor([float("inf"), 1.0])
    with pytest.raises(RuntimeError, match="The total norm of order 2.0 for gradients from `parameters` is "
                                           "non-finite"):
        nn.utils.clip_grad_norm_(p, 1.0, error_if_nonfinite=True)

"""bernoulli, multinomial, apply_/map_, empty_strided and the in-place free functions (torch.abs_).
Sampled values are PyTorch's for the same seed (bit parity: tests/frontend/test_random_parity.py); these
tests check distributions, shapes and errors without torch."""
import numpy as np
import pytest

import onnxgraft as og


def test_bernoulli_follows_the_probabilities_and_the_seed():
    og.manual_seed(1)
    a = og.bernoulli(og.full((20000,), 0.3))
    og.manual_seed(1)
    b = og.full((20000,), 0.3).bernoulli()
    assert a.dtype == og.float32 and a.tolist() == b.tolist()
    assert abs(a.mean().item() - 0.3) < 0.02
    assert og.ones(4).bernoulli_(0.0).tolist() == [0.0] * 4
    assert og.zeros(2).bernoulli_(og.ones(2)).tolist() == [1.0, 1.0]
    with pytest.raises(RuntimeError, match="Expected p_in >= 0 && p_in <= 1"):
        og.bernoulli(og.tensor([1.5]))
    with pytest.raises(NotImplementedError, match="not implemented for 'Long'"):
        og.bernoulli(og.tensor([1, 0]))


def test_multinomial_shapes_weights_and_errors():
    og.manual_seed(0)
    assert og.multinomial(og.tensor([0.0, 1.0, 0.0]), 1).tolist() == [1]
    rows = og.multinomial(og.tensor([[0.0, 2.0], [5.0, 0.0]]), 1)
    assert rows.tolist() == [[1], [0]] and rows.dtype == og.int64
    draws = og.multinomial(og.tensor([1.0, 3.0]), 4000, replacement=True)
    assert abs(draws.float().mean().item() - 0.75) < 0.03
    assert sorted(og.multinomial(og.ones(5), 5).tolist()) == [0, 1, 2, 3, 4]
    for bad, msg in ((og.zeros(3), "sum of probabilities <= 0"), (og.tensor([-1.0, 2.0]), "element < 0"),
                     (og.ones(2, 2, 2), "must be 1 or 2 dim")):
        with pytest.raises(RuntimeError, match=msg):
            og.multinomial(bad, 1)
    with pytest.raises(RuntimeError, match="without replacement"):
        og.multinomial(og.ones(3), 4)


def test_sampling_is_refused_inside_a_capture():
    with pytest.raises(Exception, match="drawing random numbers"):
        og.trace(lambda x: og.bernoulli(x), og.full((3,), 0.5))


def test_apply_map_and_inplace_free_functions():
    x = og.tensor([1.0, -2.0])
    assert x.apply_(lambda v: v * 3) is x and x.tolist() == [3.0, -6.0]
    assert og.ones(2).map_(og.tensor([1.0, 2.0]), lambda a, b: a + b).tolist() == [2.0, 3.0]
    y = og.tensor([-1.0, 4.0])
    assert og.abs_(y) is y and y.tolist() == [1.0, 4.0]
    assert og.clamp_(y, max=2).tolist() == [1.0, 2.0]
    assert og.empty_strided((2, 3), (3, 1)).shape == (2, 3)
    np.testing.assert_array_equal(og.zero_(og.ones(2)).numpy(), [0.0, 0.0])


def test_inf_and_nan_results_print_no_numpy_warnings_but_user_numpy_code_still_warns():
    """PyTorch computes log(0) = -inf or 0/0 = nan silently; numpy would warn on stderr."""
    import subprocess
    import sys
    code = ("import numpy as np, onnxgraft as og\n"
            "print(og.tensor([0.0, 1.0]).log(), og.tensor([-1.0]).sqrt(), og.tensor([1.0]) / 0)\n"
            "np.log(np.zeros(1))\n")
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert done.stdout == "tensor([-inf, 0.]) tensor([nan]) tensor([inf])\n"
    assert done.stderr.count("RuntimeWarning") == 1 and "<string>:3" in done.stderr

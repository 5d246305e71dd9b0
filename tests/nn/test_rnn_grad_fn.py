"""The grad_fn names of RNN/LSTM/GRU outputs are PyTorch's: RNN and GRU transpose a batch_first
output back in place (TransposeBackward1), LSTM out of place (TransposeBackward0); a float32
unidirectional LSTM's time-major output comes from oneDNN's layer (MkldnnRnnLayerBackward0)."""
import pytest

import onnxgraft as og

CASES = [(cls, bf, layers, bi, dtype) for cls in ("RNN", "LSTM", "GRU") for bf in (False, True)
         for layers, bi in ((1, False), (2, False), (2, True)) for dtype in ("float32", "float64")]


def _names(lib, cls, bf, layers, bi, dtype):
    m = getattr(lib.nn, cls)(3, 4, num_layers=layers, bidirectional=bi, batch_first=bf).to(getattr(lib, dtype))
    out, h = m(lib.randn(2, 5, 3, dtype=getattr(lib, dtype)))
    unbatched, _ = m(lib.randn(5, 3, dtype=getattr(lib, dtype)))
    h = h[0] if isinstance(h, tuple) else h
    return out.grad_fn.name(), h.grad_fn.name(), unbatched.grad_fn.name()


@pytest.mark.parametrize("cls,bf,layers,bi,dtype", CASES)
def test_output_grad_fn_names(cls, bf, layers, bi, dtype):
    torch = pytest.importorskip("torch")
    assert _names(og, cls, bf, layers, bi, dtype) == _names(torch, cls, bf, layers, bi, dtype)


def test_batch_first_rnn_name_without_torch():
    out, _ = og.nn.GRU(2, 3, batch_first=True)(og.randn(4, 5, 2))
    assert out.grad_fn.name() == "TransposeBackward1"

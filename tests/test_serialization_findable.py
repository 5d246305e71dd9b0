"""onnxgraft.save refuses, at save time and with pickle's error (as torch.save does), a module
whose class cannot be found again by its import path."""
import io
import pickle

import pytest

import onnxgraft as og
from onnxgraft import nn


def test_class_made_by_exec_is_refused_when_saving():
    scope = {"__name__": "__main__", "nn": nn}
    exec("class Net(nn.Module):\n    pass\n", scope)
    buf = io.BytesIO()
    with pytest.raises(pickle.PicklingError, match=r"Can't pickle <class '__main__.Net'>: attribute lookup Net "
                                                   r"on __main__ failed"):
        og.save(scope["Net"](), buf)
    assert buf.getvalue() == b""  # nothing written


class Shadowed(nn.Module):
    pass


_OLD = Shadowed


class Shadowed(nn.Module):  # noqa: F811  (redefined on purpose: the old class is no longer findable)
    pass


def test_redefined_class_is_refused_and_findable_one_round_trips():
    with pytest.raises(pickle.PicklingError, match="it's not the same object as"):
        og.save(_OLD(), io.BytesIO())
    buf = io.BytesIO()
    og.save(Shadowed(), buf)
    buf.seek(0)
    assert type(og.load(buf, weights_only=False)) is Shadowed


def test_same_error_as_torch():
    torch = pytest.importorskip("torch")
    scope = {"__name__": "__main__", "torch": torch}
    exec("class Net(torch.nn.Module):\n    pass\n", scope)
    with pytest.raises(pickle.PicklingError) as expected:
        torch.save(scope["Net"](), io.BytesIO())
    scope = {"__name__": "__main__", "nn": nn}
    exec("class Net(nn.Module):\n    pass\n", scope)
    with pytest.raises(pickle.PicklingError) as got:
        og.save(scope["Net"](), io.BytesIO())
    assert str(got.value) == str(expected.value)

import pytest

import onnxgraft as og


@pytest.fixture
def torch():
    """Real PyTorch as the oracle; tests that take this fixture skip cleanly without it."""
    return pytest.importorskip("torch")


@pytest.fixture(autouse=True)
def _seed():
    og.manual_seed(0)
    yield

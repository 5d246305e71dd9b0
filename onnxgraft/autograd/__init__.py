"""The torch.autograd namespace: backward, grad, Variable, Function, grad modes."""
from ..frontend.engine import backward, grad
from ..frontend.function import Function, FunctionCtx
from ..frontend.grad_mode import no_grad, enable_grad, set_grad_enabled, inference_mode
from ..frontend.tensor import Tensor
from . import functional  # noqa: F401


def Variable(data, requires_grad=False, volatile=False):
    """Legacy alias (PyTorch < 0.4): a Variable is a Tensor. Returns `data` itself with
    requires_grad set, as `torch.autograd.Variable` does today."""
    from ..frontend.factories import tensor
    t = data if isinstance(data, Tensor) else tensor(data)
    if requires_grad:
        t.requires_grad_(True)
    return t


def set_detect_anomaly(mode, check_nan=True):
    """Accepted for compatibility; onnxgraft's errors already name the op."""
    return None


class detect_anomaly:
    def __init__(self, check_nan=True):
        pass

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        return False


class graph:
    """torch.autograd.graph: Node is the base class of grad_fn objects."""
    from ..frontend.node import Node

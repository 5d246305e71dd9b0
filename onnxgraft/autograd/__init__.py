"""The torch.autograd namespace: backward, grad, Variable, Function, grad modes."""
from ..frontend.engine import backward, grad
from ..frontend.function import Function, FunctionCtx
from ..frontend.grad_mode import no_grad, enable_grad, set_grad_enabled, inference_mode
from ..frontend.grad_mode import set_detect_anomaly, detect_anomaly  # noqa: F401
from ..frontend.tensor import Tensor
from . import functional, function  # noqa: F401
# binds the package attribute `gradcheck` to the function, as in torch.autograd
from .gradcheck import gradcheck, gradgradcheck, GradcheckError  # noqa: F401


def Variable(data, requires_grad=False, volatile=False):
    """Legacy alias (PyTorch < 0.4): a Variable is a Tensor. Returns a new leaf that shares
    `data`'s memory (a detached alias, so `data` itself keeps its own requires_grad) with
    requires_grad set, as `torch.autograd.Variable` does today."""
    if not isinstance(data, Tensor):
        raise TypeError(f"Variable data has to be a tensor, but got {type(data).__name__}")
    t = data.detach()
    if requires_grad:
        t.requires_grad_(True)
    return t


class graph:
    """torch.autograd.graph: Node is the base class of grad_fn objects."""
    from ..frontend.node import Node

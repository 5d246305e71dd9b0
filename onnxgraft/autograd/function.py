"""torch.autograd.function: Function, its ctx class, and once_differentiable."""
import functools

from ..frontend.function import Function, FunctionCtx  # noqa: F401
from ..frontend.grad_mode import no_grad


def once_differentiable(fn):
    """Decorator for a Function's backward that is not itself differentiable: it runs without
    gradient tracking, so its results carry no history (differentiating them again finds no
    graph, where PyTorch's DelayedError node would raise when reached)."""
    @functools.wraps(fn)
    def wrapper(ctx, *args):
        with no_grad():
            return fn(ctx, *args)
    return wrapper

"""torch.nn.utils: gradient clipping, written in Tensor ops so a captured step records it."""
from ..frontend.grad_mode import no_grad
from ..frontend.tensor import Tensor
from ..frontend.factories import tensor as _tensor
from ..frontend.functions import stack


def _grads(parameters):
    if isinstance(parameters, Tensor):
        parameters = [parameters]
    return [p.grad for p in parameters if p.grad is not None]


def _norm(t, norm_type):
    if norm_type == float("inf"):
        return t.abs().amax()
    return t.norm(norm_type)


def clip_grad_norm_(parameters, max_norm, norm_type=2.0, error_if_nonfinite=False, foreach=None):
    """Scale all gradients together so that their joint `norm_type` norm is at most `max_norm`.
    Returns the norm before clipping."""
    norm_type = float(norm_type)
    grads = _grads(parameters)
    if not grads:
        return _tensor(0.0)
    with no_grad():
        total = _norm(stack([_norm(g, norm_type) for g in grads]), norm_type)
        if error_if_nonfinite:
            value = float(total)
            if value != value or value in (float("inf"), float("-inf")):
                raise RuntimeError(
                    f"The total norm of order {norm_type} for gradients from `parameters` is non-finite, so "
                    "it cannot be clipped. To disable this error and scale the gradients by the non-finite "
                    "norm anyway, set `error_if_nonfinite=False`")
        # scale by min(1, max_norm / (norm + 1e-6)) without a branch, so a capture records one path
        coef = (max_norm / (total + 1e-6)).clamp(max=1.0)
        for g in grads:
            g.mul_(coef.to(g.dtype))
    return total


def clip_grad_value_(parameters, clip_value, foreach=None):
    """Clamp every gradient element into [-clip_value, clip_value] in place."""
    clip_value = float(clip_value)
    with no_grad():
        for g in _grads(parameters):
            g.clamp_(-clip_value, clip_value)


def parameters_to_vector(parameters):
    """All parameters flattened and concatenated into one 1-D tensor (differentiable: CatBackward0)."""
    from ..frontend.functions import cat
    return cat([p.view(-1) for p in parameters])


def vector_to_parameters(vec, parameters):
    """Slice `vec` into consecutive chunks the sizes of `parameters` and make each chunk the
    parameter's data (the inverse of parameters_to_vector; parameters then share vec's memory)."""
    if not isinstance(vec, Tensor):
        from .module import _typename
        raise TypeError(f"expected torch.Tensor, but got: {_typename(vec)}")
    pointer = 0
    for param in parameters:
        n = param.numel()
        param.data = vec[pointer:pointer + n].view_as(param).data
        pointer += n


__all__ = ["clip_grad_norm_", "clip_grad_value_", "parameters_to_vector", "vector_to_parameters"]

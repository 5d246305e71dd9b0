"""RMSprop (with momentum, centering, weight decay and maximize): PyTorch 2.13's single-tensor
update, written in Tensor ops so that a capture records it.

    step += 1
    g = ±grad + weight_decay * p
    v = alpha * v + (1 - alpha) * g * g
    a = sqrt(v - m * m) + eps  with m = lerp(m, g, 1 - alpha)  (centered)
    a = sqrt(v) + eps                                            (otherwise)
    buf = momentum * buf + g / a;  p = p - lr * buf               (momentum > 0)
    p = p - lr * g / a                                            (otherwise)
"""
from ..frontend.factories import zeros_like
from ..frontend.tensor import Tensor
from .adam import _lerp_
from .optimizer import Optimizer, _check_differentiable, _check_float, _decayed_grad, _to_scalar


class RMSprop(Optimizer):
    """RMSprop, as torch.optim.RMSprop.

    `lr` may be a float or a 1-element Tensor. `foreach` and `capturable` are kept in the
    parameter groups for PyTorch compatibility; onnxgraft has one implementation, which a
    compiled step records as it is.
    """

    def __init__(self, params, lr=1e-2, alpha=0.99, eps=1e-8, weight_decay=0, momentum=0, centered=False,
                 capturable=False, foreach=None, maximize=False, differentiable=False):
        for name, value, label in (("lr", lr, "learning rate"), ("eps", eps, "eps"),
                                   ("momentum", momentum, "momentum"),
                                   ("weight_decay", weight_decay, "weight_decay"), ("alpha", alpha, "alpha")):
            _check_float(name, value, label)
        if not 0.0 <= lr:
            raise ValueError(f"Invalid learning rate: {lr}")
        if not 0.0 <= eps:
            raise ValueError(f"Invalid epsilon value: {eps}")
        if not 0.0 <= momentum:
            raise ValueError(f"Invalid momentum value: {momentum}")
        if not 0.0 <= weight_decay:
            raise ValueError(f"Invalid weight_decay value: {weight_decay}")
        if not 0.0 <= alpha:
            raise ValueError(f"Invalid alpha value: {alpha}")
        _check_differentiable(differentiable)
        defaults = {"lr": lr, "momentum": momentum, "alpha": alpha, "eps": eps, "centered": centered,
                    "weight_decay": weight_decay, "capturable": capturable, "foreach": foreach,
                    "maximize": maximize, "differentiable": differentiable}
        super().__init__(params, defaults)

    # group keys that checkpoints from older PyTorch versions may lack
    _GROUP_DEFAULTS = {"momentum": 0, "centered": False, "foreach": None, "maximize": False, "differentiable": False, "capturable": False}

    def _update_group(self, group):
        lr, alpha, eps = _to_scalar(group["lr"]), group["alpha"], group["eps"]
        momentum, centered = group["momentum"], group["centered"]
        for p in group["params"]:
            grad = p._grad
            if grad is None:
                continue
            state = self.state[p]
            if len(state) == 0:
                state["step"] = self._step_tensor()
                state["square_avg"] = zeros_like(p)
                if momentum > 0:
                    state["momentum_buffer"] = zeros_like(p)
                if centered:
                    state["grad_avg"] = zeros_like(p)
            state["step"].add_(1)
            g = _decayed_grad(p, grad, group["weight_decay"], group["maximize"])

            # PyTorch's calls in its order; addcmul and lerp are fused multiply-adds eagerly
            square_avg = state["square_avg"]
            square_avg.mul_(alpha).addcmul_(g, g, value=1 - alpha)
            if centered:
                grad_avg = _lerp_(state["grad_avg"], g, 1 - alpha)
                avg = square_avg.addcmul(grad_avg, grad_avg, value=-1).sqrt_()
            else:
                avg = square_avg.sqrt()
            avg.add_(eps)

            if momentum > 0:
                buf = state["momentum_buffer"]
                buf.mul_(momentum).addcdiv_(g, avg)
                if isinstance(lr, Tensor):  # a tensor lr records as ops
                    p.sub_(buf * lr)
                else:
                    p.add_(buf, alpha=-lr)
            elif isinstance(lr, Tensor):
                p.sub_((g / avg).mul_(lr))
            else:
                p.addcdiv_(g, avg, value=-lr)


__all__ = ["RMSprop"]

"""Adamax (Adam with the infinity norm): PyTorch 2.13's single-tensor update, written in Tensor
ops so that a capture records it.

    step += 1
    g = ±grad + weight_decay * p
    m = lerp(m, g, 1 - beta1)
    u = max(beta2 * u, |g| + eps)
    p = p - lr / (1 - beta1^step) * m / u
"""
from ..frontend.factories import zeros_like
from ..frontend.tensor import maximum
from .adam import _lerp_
from .optimizer import (Optimizer, _check_adam_family, _check_differentiable, _decayed_grad,
                        _scalar_as_float64, _step_as_float64, _to_scalar)


class Adamax(Optimizer):
    """Adamax, as torch.optim.Adamax.

    `lr` may be a float or a 1-element Tensor. `foreach` and `capturable` are kept in the
    parameter groups for PyTorch compatibility; onnxgraft has one implementation, capturable by
    construction (its bias correction is a tensor op on the step count).
    """

    def __init__(self, params, lr=2e-3, betas=(0.9, 0.999), eps=1e-8, weight_decay=0, foreach=None, *,
                 maximize=False, differentiable=False, capturable=False):
        _check_adam_family(lr, betas, eps, weight_decay)
        _check_differentiable(differentiable)
        defaults = {"lr": lr, "betas": betas, "eps": eps, "weight_decay": weight_decay, "foreach": foreach,
                    "maximize": maximize, "differentiable": differentiable, "capturable": capturable}
        super().__init__(params, defaults)

    # group keys that checkpoints from older PyTorch versions may lack
    _GROUP_DEFAULTS = {"foreach": None, "maximize": False, "differentiable": False, "capturable": False}

    def _update_group(self, group):
        lr, eps = _to_scalar(group["lr"]), group["eps"]
        beta1, beta2 = (float(b) for b in group["betas"])
        for p in group["params"]:
            grad = p._grad
            if grad is None:
                continue
            state = self.state[p]
            if len(state) == 0:
                state["step"] = self._step_tensor()
                state["exp_avg"] = zeros_like(p)
                state["exp_inf"] = zeros_like(p)
            step, exp_avg, exp_inf = state["step"], state["exp_avg"], state["exp_inf"]
            step.add_(1)
            g = _decayed_grad(p, grad, group["weight_decay"], group["maximize"])

            _lerp_(exp_avg, g, 1 - beta1)
            exp_inf.copy_(maximum(exp_inf.mul_(beta2), g.abs().add_(eps)))
            # lr / (1 - beta1^step) in float64 from the step tensor, rounded once
            clr = (_scalar_as_float64(lr) / (1 - beta1 ** _step_as_float64(step))).to(p.dtype)
            p.sub_((exp_avg / exp_inf).mul_(clr))


__all__ = ["Adamax"]

"""RAdam (rectified Adam): PyTorch 2.13's single-tensor update, written in Tensor ops so that a
capture records it.

    step += 1
    g = ±grad (+ weight_decay * p, or p *= 1 - lr * weight_decay when decoupled)
    m = lerp(m, g, 1 - beta1);  v = beta2 * v + (1 - beta2) * g * g
    rho_inf = 2 / (1 - beta2) - 1;  rho_t = rho_inf - 2 t beta2^t / (1 - beta2^t)
    u = m / (1 - beta1^t) * lr
    p = p - u * sqrt(1 - beta2^t) / (sqrt(v) + eps) * r_t   when rho_t > 5 (r_t: the rectification)
    p = p - u                                               otherwise

Whether rho_t > 5 depends on the step count only; the two branches are joined with a select on
the step tensor so that a recorded step stays valid for every later step.
"""
from ..frontend.factories import zeros_like
from ..frontend.tensor import where
from .adam import _lerp_
from .optimizer import (Optimizer, _check_adam_family, _check_differentiable, _decayed_grad,
                        _step_as_float64, _to_scalar)


class RAdam(Optimizer):
    """RAdam, as torch.optim.RAdam (L2 or decoupled weight decay, maximize).

    `lr` may be a float or a 1-element Tensor. `foreach` and `capturable` are kept in the
    parameter groups for PyTorch compatibility; onnxgraft has one implementation, capturable by
    construction.
    """

    def __init__(self, params, lr=1e-3, betas=(0.9, 0.999), eps=1e-8, weight_decay=0,
                 decoupled_weight_decay=False, *, foreach=None, maximize=False, capturable=False,
                 differentiable=False):
        _check_adam_family(lr, betas, eps, weight_decay)
        _check_differentiable(differentiable)
        defaults = {"lr": lr, "betas": betas, "eps": eps, "weight_decay": weight_decay, "maximize": maximize,
                    "foreach": foreach, "capturable": capturable,
                    "decoupled_weight_decay": decoupled_weight_decay, "differentiable": differentiable}
        super().__init__(params, defaults)

    # group keys that checkpoints from older PyTorch versions may lack
    _GROUP_DEFAULTS = {"foreach": None, "maximize": False, "differentiable": False, "decoupled_weight_decay": False, "capturable": False}

    def _update_group(self, group):
        lr, eps, weight_decay = _to_scalar(group["lr"]), group["eps"], group["weight_decay"]
        beta1, beta2 = (float(b) for b in group["betas"])
        decoupled = group["decoupled_weight_decay"]
        rho_inf = 2 / (1 - beta2) - 1
        # the constant part of the rectification term; RAdam's rho_inf > 5 needs beta2 > 2/3
        rect_den = (rho_inf - 4) * (rho_inf - 2)
        for p in group["params"]:
            grad = p._grad
            if grad is None:
                continue
            state = self.state[p]
            if len(state) == 0:
                state["step"] = self._step_tensor()
                state["exp_avg"] = zeros_like(p)
                state["exp_avg_sq"] = zeros_like(p)
            step, exp_avg, exp_avg_sq = state["step"], state["exp_avg"], state["exp_avg_sq"]
            step.add_(1)
            if weight_decay != 0 and decoupled:
                p.mul_(1 - lr * weight_decay)
                g = _decayed_grad(p, grad, 0, group["maximize"])
            else:
                g = _decayed_grad(p, grad, weight_decay, group["maximize"])

            _lerp_(exp_avg, g, 1 - beta1)
            exp_avg_sq.mul_(beta2).add_((g * (1 - beta2)).mul_(g))

            t = _step_as_float64(step)
            bias_correction1 = 1 - beta1 ** t
            beta2_t = beta2 ** t
            bias_correction2 = 1 - beta2_t
            update = (exp_avg / bias_correction1.to(p.dtype)).mul_(lr)
            if rho_inf <= 5:  # rho_t < rho_inf: never rectified
                p.sub_(update)
                continue

            rho_t = rho_inf - 2 * t * beta2_t / bias_correction2
            # the rectified branch, in PyTorch's order: (u * adaptive_lr) * rect, where
            # adaptive_lr = sqrt(bc2) / (sqrt(v) + eps) is Python's float / Tensor, i.e.
            # reciprocal(...) * sqrt(bc2). Its square root argument is clamped at 0: it is negative
            # for 2 < rho_t < 4, where the select keeps the other branch anyway.
            rect = ((rho_t - 4) * (rho_t - 2) * rho_inf / (rho_t * rect_den)).clamp(min=0.0).sqrt()
            adaptive = exp_avg_sq.sqrt().add_(eps).reciprocal().mul_(bias_correction2.sqrt().to(p.dtype))
            rectified = (update * adaptive).mul_(rect.to(p.dtype))
            p.sub_(where(rho_t > 5.0, rectified, update))


__all__ = ["RAdam"]

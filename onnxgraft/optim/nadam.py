"""NAdam (Adam with Nesterov momentum and momentum decay): PyTorch 2.13's single-tensor update,
written in Tensor ops so that a capture records it.

    step += 1
    g = ±grad (+ weight_decay * p, or p *= 1 - lr * weight_decay when decoupled)
    mu_t = beta1 * (1 - 0.5 * 0.96^(t * momentum_decay));  mu_product *= mu_t
    m = lerp(m, g, 1 - beta1);  v = beta2 * v + (1 - beta2) * g * g
    d = sqrt(v / (1 - beta2^t)) + eps
    p = p - lr * (1 - mu_t) / (1 - mu_product) * g / d
          - lr * mu_{t+1} / (1 - mu_product * mu_{t+1}) * m / d

The step-dependent scalars are tensor ops on the step count and mu_product (so a recorded step
reads them from the graph's state), in float64 as PyTorch computes them in Python floats, and
rounded once to the parameter's dtype.
"""
from ..frontend import dtype as dt
from ..frontend.factories import tensor, zeros_like
from .adam import _lerp_
from .optimizer import (Optimizer, _check_adam_family, _check_differentiable, _check_float, _decayed_grad,
                        _scalar_as_float64, _step_as_float64, _to_scalar)


class NAdam(Optimizer):
    """NAdam, as torch.optim.NAdam (L2 or decoupled weight decay, maximize).

    `lr` may be a float or a 1-element Tensor. `foreach` and `capturable` are kept in the
    parameter groups for PyTorch compatibility; onnxgraft has one implementation, capturable by
    construction.
    """

    def __init__(self, params, lr=2e-3, betas=(0.9, 0.999), eps=1e-8, weight_decay=0, momentum_decay=4e-3,
                 decoupled_weight_decay=False, *, foreach=None, maximize=False, capturable=False,
                 differentiable=False):
        _check_adam_family(lr, betas, eps, weight_decay)
        _check_float("momentum_decay", momentum_decay, "momentum_decay")
        if not 0.0 <= momentum_decay:
            raise ValueError(f"Invalid momentum_decay value: {momentum_decay}")
        _check_differentiable(differentiable)
        defaults = {"lr": lr, "betas": betas, "eps": eps, "weight_decay": weight_decay,
                    "momentum_decay": momentum_decay, "decoupled_weight_decay": decoupled_weight_decay,
                    "maximize": maximize, "foreach": foreach, "capturable": capturable,
                    "differentiable": differentiable}
        super().__init__(params, defaults)

    # group keys that checkpoints from older PyTorch versions may lack
    _GROUP_DEFAULTS = {"maximize": False, "foreach": None, "capturable": False, "differentiable": False, "decoupled_weight_decay": False}

    def _update_group(self, group):
        lr, eps, weight_decay = _to_scalar(group["lr"]), group["eps"], group["weight_decay"]
        beta1, beta2 = (float(b) for b in group["betas"])
        momentum_decay, decoupled = group["momentum_decay"], group["decoupled_weight_decay"]
        for p in group["params"]:
            grad = p._grad
            if grad is None:
                continue
            state = self.state[p]
            if len(state) == 0:
                state["step"] = self._step_tensor()
                state["mu_product"] = tensor(1.0)
                state["exp_avg"] = zeros_like(p)
                state["exp_avg_sq"] = zeros_like(p)
            step, mu_product = state["step"], state["mu_product"]
            exp_avg, exp_avg_sq = state["exp_avg"], state["exp_avg_sq"]
            step.add_(1)
            t = _step_as_float64(step)
            bias_correction2 = 1 - beta2 ** t
            if weight_decay != 0 and decoupled:
                p.mul_(1 - lr * weight_decay)
                g = _decayed_grad(p, grad, 0, group["maximize"])
            else:
                g = _decayed_grad(p, grad, weight_decay, group["maximize"])

            mu = (1.0 - 0.5 * 0.96 ** (t * momentum_decay)) * beta1
            mu_next = (1.0 - 0.5 * 0.96 ** ((t + 1) * momentum_decay)) * beta1
            # a float32 mu_product times a Python float: PyTorch's kernel rounds the float first
            mu_product.mul_(mu.to(mu_product.dtype))

            _lerp_(exp_avg, g, 1 - beta1)
            exp_avg_sq.mul_(beta2).add_((g * (1 - beta2)).mul_(g))
            denom = (exp_avg_sq / bias_correction2.to(p.dtype)).sqrt_().add_(eps)

            product = mu_product.to(dt.float64)
            neg_lr = -_scalar_as_float64(lr)
            grad_scale = (neg_lr * (1.0 - mu) / (1.0 - product)).to(p.dtype)
            avg_scale = (neg_lr * mu_next / (1.0 - product * mu_next)).to(p.dtype)
            p.add_((g / denom).mul_(grad_scale))
            p.add_((exp_avg / denom).mul_(avg_scale))


__all__ = ["NAdam"]

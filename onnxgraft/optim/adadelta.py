"""Adadelta: PyTorch 2.13's single-tensor update, written in Tensor ops so that a capture
records it.

    step += 1
    g = ±grad + weight_decay * p
    v = rho * v + (1 - rho) * g * g
    d = sqrt(u + eps) / sqrt(v + eps) * g
    u = rho * u + (1 - rho) * d * d
    p = p - lr * d
"""
from ..frontend.factories import zeros_like
from .optimizer import Optimizer, _check_differentiable, _check_float, _decayed_grad, _to_scalar


class Adadelta(Optimizer):
    """Adadelta, as torch.optim.Adadelta.

    `lr` may be a float or a 1-element Tensor. `foreach` and `capturable` are kept in the
    parameter groups for PyTorch compatibility; onnxgraft has one implementation.
    """

    def __init__(self, params, lr=1.0, rho=0.9, eps=1e-6, weight_decay=0, foreach=None, *, capturable=False,
                 maximize=False, differentiable=False):
        for name, value, label in (("lr", lr, "learning rate"), ("rho", rho, "rho"), ("eps", eps, "eps"),
                                   ("weight_decay", weight_decay, "weight_decay")):
            _check_float(name, value, label)
        if not 0.0 <= lr:
            raise ValueError(f"Invalid learning rate: {lr}")
        if not 0.0 <= rho <= 1.0:
            raise ValueError(f"Invalid rho value: {rho}")
        if not 0.0 <= eps:
            raise ValueError(f"Invalid epsilon value: {eps}")
        if not 0.0 <= weight_decay:
            raise ValueError(f"Invalid weight_decay value: {weight_decay}")
        _check_differentiable(differentiable)
        defaults = {"lr": lr, "rho": rho, "eps": eps, "weight_decay": weight_decay, "maximize": maximize,
                    "capturable": capturable, "foreach": foreach, "differentiable": differentiable}
        super().__init__(params, defaults)

    # group keys that checkpoints from older PyTorch versions may lack
    _GROUP_DEFAULTS = {"foreach": None, "maximize": False, "differentiable": False, "capturable": False}

    def _update_group(self, group):
        lr, rho, eps = _to_scalar(group["lr"]), group["rho"], group["eps"]
        for p in group["params"]:
            grad = p._grad
            if grad is None:
                continue
            state = self.state[p]
            if len(state) == 0:
                state["step"] = self._step_tensor()
                state["square_avg"] = zeros_like(p)
                state["acc_delta"] = zeros_like(p)
            square_avg, acc_delta = state["square_avg"], state["acc_delta"]
            state["step"].add_(1)
            g = _decayed_grad(p, grad, group["weight_decay"], group["maximize"])

            # rho * v + ((1 - rho) * g) * g: addcmul's order of operations
            square_avg.mul_(rho).add_((g * (1 - rho)).mul_(g))
            std = (square_avg + eps).sqrt_()
            delta = (acc_delta + eps).sqrt_()
            delta.div_(std).mul_(g)
            acc_delta.mul_(rho).add_((delta * (1 - rho)).mul_(delta))
            p.sub_(delta * lr)


__all__ = ["Adadelta"]

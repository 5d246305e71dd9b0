"""Adagrad: PyTorch 2.13's single-tensor (dense) update, written in Tensor ops so that a capture
records it.

    step += 1
    g = ±grad + weight_decay * p
    clr = lr / (1 + (step - 1) * lr_decay)
    sum = sum + g * g
    p = p - clr * g / (sqrt(sum) + eps)

As in PyTorch, the state (step 0 and `sum` filled with initial_accumulator_value) is created by
the constructor, not by the first step.
"""
from ..frontend.factories import full_like
from ..frontend.grad_mode import STATE
from ..frontend.tensor import Tensor
from .optimizer import (Optimizer, _check_differentiable, _check_float, _decayed_grad,
                        _scalar_as_float64, _step_as_float64, _to_scalar)


class Adagrad(Optimizer):
    """Adagrad, as torch.optim.Adagrad (dense gradients).

    `lr` may be a float or a 1-element Tensor. `foreach` and `fused` are kept in the parameter
    groups for PyTorch compatibility; onnxgraft has one implementation.
    """

    def __init__(self, params, lr=1e-2, lr_decay=0, weight_decay=0, initial_accumulator_value=0, eps=1e-10,
                 foreach=None, *, maximize=False, differentiable=False, fused=None):
        for name, value, label in (("lr", lr, "learning rate"), ("lr_decay", lr_decay, "lr_decay"),
                                   ("weight_decay", weight_decay, "weight_decay"),
                                   ("initial_accumulator_value", initial_accumulator_value,
                                    "initial_accumulator_value"), ("eps", eps, "eps")):
            _check_float(name, value, label)
        if not 0.0 <= lr:
            raise ValueError(f"Invalid learning rate: {lr}")
        if not 0.0 <= lr_decay:
            raise ValueError(f"Invalid lr_decay value: {lr_decay}")
        if not 0.0 <= weight_decay:
            raise ValueError(f"Invalid weight_decay value: {weight_decay}")
        if not 0.0 <= initial_accumulator_value:
            raise ValueError(f"Invalid initial_accumulator_value value: {initial_accumulator_value}")
        if not 0.0 <= eps:
            raise ValueError(f"Invalid epsilon value: {eps}")
        _check_differentiable(differentiable)
        defaults = {"lr": lr, "lr_decay": lr_decay, "eps": eps, "weight_decay": weight_decay,
                    "initial_accumulator_value": initial_accumulator_value, "foreach": foreach,
                    "maximize": maximize, "differentiable": differentiable, "fused": fused}
        super().__init__(params, defaults)
        if fused and foreach:
            raise RuntimeError("`fused` and `foreach` cannot be `True` together.")
        for group in self.param_groups:
            for p in group["params"]:
                self._init_state(p)

    def _init_state(self, p):
        # PyTorch fills `sum` from the optimizer's defaults, not from the group's own value
        state = self.state[p]
        state["step"] = self._step_tensor()
        state["sum"] = full_like(p, self.defaults["initial_accumulator_value"])

    # group keys that checkpoints from older PyTorch versions may lack
    _GROUP_DEFAULTS = {"foreach": None, "maximize": False, "differentiable": False, "fused": None}

    def _update_group(self, group):
        lr, lr_decay, eps = _to_scalar(group["lr"]), group["lr_decay"], group["eps"]
        for p in group["params"]:
            grad = p._grad
            if grad is None:
                continue
            state = self.state[p]
            if len(state) == 0:  # a parameter added by add_param_group after construction
                self._init_state(p)
            step, state_sum = state["step"], state["sum"]
            step.add_(1)
            g = _decayed_grad(p, grad, group["weight_decay"], group["maximize"])
            if lr_decay != 0:
                # lr / (1 + (step - 1) * lr_decay) in float64 from the step tensor, rounded once
                clr = (_scalar_as_float64(lr) / ((_step_as_float64(step) - 1) * lr_decay + 1)).to(p.dtype)
            else:
                clr = lr
            # PyTorch's calls: addcmul is a fused multiply-add eagerly, addcdiv is p + (-clr * g) / std
            state_sum.addcmul_(g, g, value=1)
            std = state_sum.sqrt().add_(eps)
            if isinstance(clr, Tensor) and STATE.tracer is None and clr.numel() == 1:
                clr = clr.item()  # eagerly a number, as PyTorch's clr is
            if isinstance(clr, Tensor):  # a recorded step reads it from the graph
                p.sub_((g / std).mul_(clr))
            else:
                p.addcdiv_(g, std, value=-clr)


__all__ = ["Adagrad"]

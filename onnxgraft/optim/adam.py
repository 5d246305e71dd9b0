"""Adam (and, with decoupled weight decay, AdamW): PyTorch 2.13's single-tensor update, written in
Tensor ops so that a capture records it.

    step += 1
    g = ±grad (+ weight_decay * p, or p *= 1 - lr * weight_decay when decoupled)
    m = lerp(m, g, 1 - beta1)
    v = beta2 * v + (1 - beta2) * g * g
    v_max = max(v_max, v)                                    (amsgrad)
    p = p + (-lr / (1 - beta1^step) * m) / (sqrt(v) / sqrt(1 - beta2^step) + eps)

The bias corrections are computed from the step tensor with tensor ops (so a recorded step reads
its step count from the graph's state, not a constant), in float64 as PyTorch computes them in
Python floats, then rounded once to the parameter's dtype as PyTorch's kernels round a scalar.
"""
import numpy as np

from ..frontend import dtype as dt
from ..frontend.factories import zeros_like
from ..frontend.grad_mode import STATE
from ..frontend.inplace import fused_eager
from ..frontend.tensor import Tensor, maximum
from .optimizer import Optimizer, _check_adam_family, _check_differentiable


class Adam(Optimizer):
    """Adam, as torch.optim.Adam (amsgrad, maximize, L2 or decoupled weight decay).

    `lr` may be a float or a 1-element Tensor. `foreach`, `capturable` and `fused` are kept in
    the parameter groups for PyTorch compatibility; onnxgraft has one implementation, which is
    capturable by construction (its bias corrections are tensor ops).
    """

    def __init__(self, params, lr=1e-3, betas=(0.9, 0.999), eps=1e-8, weight_decay=0, amsgrad=False,
                 *, foreach=None, maximize=False, capturable=False, differentiable=False, fused=None,
                 decoupled_weight_decay=False):
        _check_adam_family(lr, betas, eps, weight_decay)
        if not ((isinstance(betas[0], float) and isinstance(betas[1], float))
                or (isinstance(betas[0], Tensor) and isinstance(betas[1], Tensor))):
            raise ValueError("betas must be either both floats or both Tensors")
        _check_differentiable(differentiable)
        # tensor betas are read once: the update branches on them (lerp's two formulas)
        betas = tuple(float(b) for b in betas)
        defaults = {"lr": lr, "betas": betas, "eps": eps, "weight_decay": weight_decay,
                    "amsgrad": amsgrad, "maximize": maximize, "foreach": foreach,
                    "capturable": capturable, "differentiable": differentiable, "fused": fused,
                    "decoupled_weight_decay": decoupled_weight_decay}
        super().__init__(params, defaults)

    _GROUP_DEFAULTS = {"amsgrad": False, "maximize": False, "foreach": None, "capturable": False,
                       "differentiable": False, "decoupled_weight_decay": False, "fused": None}

    def __setstate__(self, state):
        super().__setstate__(state)
        for group in self.param_groups:
            for p in group["params"]:
                p_state = self.state.get(p, {})
                # checkpoints from before PyTorch 1.12 hold the step as a Python number
                if p_state and not isinstance(p_state["step"], Tensor):
                    step = self._step_tensor()
                    step.fill_(float(p_state["step"]))
                    p_state["step"] = step

    def _update_group(self, group):
        lr, eps, weight_decay = group["lr"], group["eps"], group["weight_decay"]
        beta1, beta2 = group["betas"]
        amsgrad, maximize = group["amsgrad"], group["maximize"]
        decoupled = group["decoupled_weight_decay"]
        for p in group["params"]:
            grad = p._grad
            if grad is None:
                continue
            state = self.state[p]
            if len(state) == 0:
                state["step"] = self._step_tensor()
                state["exp_avg"] = zeros_like(p)
                state["exp_avg_sq"] = zeros_like(p)
                if amsgrad:
                    state["max_exp_avg_sq"] = zeros_like(p)
            step, exp_avg, exp_avg_sq = state["step"], state["exp_avg"], state["exp_avg_sq"]
            step.add_(1)

            if weight_decay != 0 and decoupled:
                p.mul_(1 - lr * weight_decay)
                g = -grad if maximize else grad
            elif weight_decay != 0:
                # grad.add(p, alpha=weight_decay): fused eagerly, as PyTorch's kernel
                g = (-grad if maximize else grad).add(p, alpha=weight_decay)
            else:
                g = -grad if maximize else grad

            _lerp_(exp_avg, g, 1 - beta1)
            # beta2 * v + ((1 - beta2) * g) * g: addcmul's order of operations (fused eagerly)
            exp_avg_sq.mul_(beta2).addcmul_(g, g, value=1 - beta2)

            # PyTorch's order: denom = sqrt(v) / sqrt(bc2) + eps; p += (-step_size * m) / denom. The
            # scalars are computed in float64, as PyTorch computes them in Python floats, and
            # rounded once to the parameter's dtype, as its kernels round a scalar argument.
            bias_correction1, bias_correction2_sqrt = _bias_corrections(step, beta1, beta2)
            if amsgrad:
                max_exp_avg_sq = state["max_exp_avg_sq"]
                max_exp_avg_sq.copy_(maximum(max_exp_avg_sq, exp_avg_sq))
                denom = max_exp_avg_sq.sqrt()
            else:
                denom = exp_avg_sq.sqrt()
            if STATE.tracer is not None:
                # Recorded into a compiled step: the same update with sqrt(bc2) moved into the two
                # scalars, m * (-lr sqrt(bc2) / bc1) / (sqrt(v) + eps sqrt(bc2)): one elementwise
                # pass over every parameter fewer (the update is memory-bound), equal up to rounding
                scale = (-lr / bias_correction1 * bias_correction2_sqrt).to(p.dtype)
                denom = denom.add_((eps * bias_correction2_sqrt).to(p.dtype))
                p.add_((exp_avg * scale).div_(denom))
                continue
            step_size = (-lr / bias_correction1).to(p.dtype)
            denom = denom.div_(bias_correction2_sqrt.to(p.dtype)).add_(eps)
            p.add_((exp_avg * step_size).div_(denom))


def _bias_corrections(step, beta1, beta2):
    """1 - beta1^step and sqrt(1 - beta2^step), in float64 from the float32 step tensor (in
    float32, 1 - 0.999 alone is off by 1.3e-5 relative)."""
    step = step.to(dt.float64)
    return 1 - beta1 ** step, (1 - beta2 ** step).sqrt()


def _lerp_(start, end, weight):
    """start.lerp_(end, weight) with PyTorch's two formulas (the one for |weight| < 0.5 keeps
    start's precision, the other end's), in one temporary. Eagerly it is PyTorch's kernel to the
    bit (a fused multiply-add)."""
    fused = fused_eager("lerp", start, end, None, weight)
    if fused is not None:
        start._data[...] = fused._data
        start._vc[0] += 1
        return start
    diff = end - start
    if abs(weight) < 0.5:
        start.add_(diff.mul_(weight))
    else:
        start.copy_(end - diff.mul_(1 - _as_float32(weight)))
    return start


def _as_float32(x):
    # PyTorch's lerp kernel holds the weight as a float32 scalar and computes 1 - weight there
    return float(np.float32(x))


class AdamW(Adam):
    """AdamW, as torch.optim.AdamW: Adam with decoupled weight decay (default 1e-2)."""

    def __init__(self, params, lr=1e-3, betas=(0.9, 0.999), eps=1e-8, weight_decay=1e-2,
                 amsgrad=False, *, maximize=False, foreach=None, capturable=False,
                 differentiable=False, fused=None):
        super().__init__(params, lr, betas, eps, weight_decay, amsgrad, foreach=foreach,
                         maximize=maximize, capturable=capturable, differentiable=differentiable,
                         fused=fused, decoupled_weight_decay=True)

    def __setstate__(self, state):
        super().__setstate__(state)
        for group in self.param_groups:
            group["decoupled_weight_decay"] = True

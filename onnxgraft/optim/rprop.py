"""Rprop (resilient backpropagation): PyTorch 2.13's single-tensor update, written in Tensor ops
so that a capture records it.

    step += 1
    s = sign(±grad * prev)
    factor = etaplus where s > 0, etaminus where s < 0, 1 where s == 0
    step_size = clamp(step_size * factor, step_size_min, step_size_max)
    g = 0 where factor == etaminus, ±grad elsewhere (no move after a sign change)
    p = p - sign(g) * step_size;  prev = g

PyTorch's non-capturable kernel writes the factors with masked assignments; its capturable one
with torch.where. Both give the same bits, and the where form has no data-dependent Python
branch, so it is the one written here (eager and recorded steps alike).
"""
from ..frontend.factories import full_like, zeros_like
from ..frontend.tensor import Tensor, where
from .optimizer import Optimizer, _check_differentiable, _check_float, _to_scalar


class Rprop(Optimizer):
    """Rprop, as torch.optim.Rprop: each weight has its own step size, grown by `etas[1]` while
    its gradient keeps its sign and shrunk by `etas[0]` when it flips, within `step_sizes`;
    only the sign of the gradient moves the weight.

    `lr` (the initial step size) may be a float or a 1-element Tensor. `foreach` and
    `capturable` are kept in the parameter groups for PyTorch compatibility; onnxgraft has one
    implementation, which a compiled step records as it is.
    """

    def __init__(self, params, lr=1e-2, etas=(0.5, 1.2), step_sizes=(1e-6, 50), *, capturable=False,
                 foreach=None, maximize=False, differentiable=False):
        _check_float("lr", lr, "learning rate")
        for label, pair in (("etas", etas), ("step_sizes", step_sizes)):
            if not isinstance(pair, (tuple, list)) or len(pair) != 2:
                raise TypeError(f"{label} must be a pair of numbers, but got {pair!r}")
            for i, value in enumerate(pair):
                _check_float(f"{label}[{i}]", value, f"{label}[{i}]")
        if not 0.0 <= lr:
            raise ValueError(f"Invalid learning rate: {lr}")
        if not 0.0 < etas[0] < 1.0 < etas[1]:
            raise ValueError(f"Invalid eta values: {etas[0]}, {etas[1]}")
        _check_differentiable(differentiable)
        defaults = {"lr": lr, "etas": etas, "step_sizes": step_sizes, "foreach": foreach,
                    "maximize": maximize, "differentiable": differentiable, "capturable": capturable}
        super().__init__(params, defaults)

    # group keys that checkpoints from older PyTorch versions may lack
    _GROUP_DEFAULTS = {"foreach": None, "maximize": False, "differentiable": False, "capturable": False}

    def __setstate__(self, state):
        super().__setstate__(state)
        _step_counts_as_tensors(self)

    def _update_group(self, group):
        etaminus, etaplus = group["etas"]
        step_size_min, step_size_max = group["step_sizes"]
        for p in group["params"]:
            grad = p._grad
            if grad is None:
                continue
            state = self.state[p]
            if len(state) == 0:
                state["step"] = self._step_tensor()
                state["prev"] = zeros_like(p)
                state["step_size"] = _filled_like(grad, _to_scalar(group["lr"]))
            prev, step_size = state["prev"], state["step_size"]
            state["step"].add_(1)
            g = -grad if group["maximize"] else grad

            sign = g.mul(prev).sign()
            # the three writes in PyTorch's order: etaplus then etaminus (positive, so the second
            # test cannot catch the first's values), then 1 where the product was zero
            sign = where(sign.gt(0), etaplus, sign)
            sign = where(sign.lt(0), etaminus, sign)
            sign = where(sign.eq(0), 1, sign)
            step_size.mul_(sign).clamp_(step_size_min, step_size_max)

            # a weight whose gradient flipped sign does not move this step, and its "previous
            # gradient" becomes 0 so that the next step neither grows nor shrinks its step size
            g = where(sign.eq(etaminus), 0, g)
            p.addcmul_(g.sign(), step_size, value=-1)
            prev.copy_(g)


def _filled_like(t, value):
    """A tensor of t's shape and dtype filled with `value` (a number or a 0-dim Tensor)."""
    if isinstance(value, Tensor):
        return zeros_like(t).add_(value.detach())
    return full_like(t, value)


def _step_counts_as_tensors(optimizer):
    """Checkpoints from before PyTorch 1.12 hold the step count as a Python number: make it the
    float32 0-dim tensor the update adds to."""
    for group in optimizer.param_groups:
        for p in group["params"]:
            p_state = optimizer.state.get(p, {})
            if p_state and "step" in p_state and not isinstance(p_state["step"], Tensor):
                step = optimizer._step_tensor()
                step.fill_(float(p_state["step"]))
                p_state["step"] = step


__all__ = ["Rprop"]

"""ASGD (averaged stochastic gradient descent): PyTorch 2.13's single-tensor update, written in
Tensor ops so that a capture records it.

    step += 1
    g = ±grad + weight_decay * p
    p = p * (1 - lambd * eta) - eta * g
    ax = p                       while mu == 1 (before t0 steps)
    ax = ax + (p - ax) * mu      afterwards (the running average of the iterates)
    eta = lr / (1 + lambd * lr * step) ** alpha
    mu = 1 / max(1, step - t0)

Eagerly the scalars are computed as PyTorch computes them (Python floats read from the state
tensors, the averaging branch on mu's value); a recorded step computes them with tensor ops from
the graph's state (float64, rounded once, as the Python floats are) and replaces the branch on
mu by a where, which gives the same values.
"""
from ..frontend import dtype as dt
from ..frontend import factories
from ..frontend.factories import zeros_like
from ..frontend.grad_mode import STATE
from ..frontend.tensor import Tensor, where
from .optimizer import Optimizer, _check_differentiable, _check_float, _decayed_grad, _to_scalar
from .rprop import _step_counts_as_tensors


class ASGD(Optimizer):
    """ASGD, as torch.optim.ASGD. The averaged parameters are `optimizer.state[p]["ax"]`; they
    follow the parameters until `t0` steps, then average the iterates since.

    `lr` may be a float or a 1-element Tensor. `foreach` and `capturable` are kept in the
    parameter groups for PyTorch compatibility; onnxgraft has one implementation.
    """

    def __init__(self, params, lr=1e-2, lambd=1e-4, alpha=0.75, t0=1e6, weight_decay=0, foreach=None,
                 maximize=False, differentiable=False, capturable=False):
        for name, value, label in (("lr", lr, "learning rate"), ("lambd", lambd, "lambd"),
                                   ("alpha", alpha, "alpha"), ("t0", t0, "t0"),
                                   ("weight_decay", weight_decay, "weight_decay")):
            _check_float(name, value, label)
        if not 0.0 <= lr:
            raise ValueError(f"Invalid learning rate: {lr}")
        if not 0.0 <= weight_decay:
            raise ValueError(f"Invalid weight_decay value: {weight_decay}")
        _check_differentiable(differentiable)
        defaults = {"lr": lr, "lambd": lambd, "alpha": alpha, "t0": t0, "weight_decay": weight_decay,
                    "foreach": foreach, "maximize": maximize, "differentiable": differentiable,
                    "capturable": capturable}
        super().__init__(params, defaults)

    # group keys that checkpoints from older PyTorch versions may lack
    _GROUP_DEFAULTS = {"foreach": None, "maximize": False, "differentiable": False, "capturable": False}

    def __setstate__(self, state):
        super().__setstate__(state)
        _step_counts_as_tensors(self)
        # older checkpoints also hold eta and mu as Python numbers
        for p_state in self.state.values():
            for key in ("eta", "mu"):
                if key in p_state and not isinstance(p_state[key], Tensor):
                    p_state[key] = factories.tensor(float(p_state[key]), dtype=dt.float32)

    def _update_group(self, group):
        lr = _to_scalar(group["lr"])
        lambd, alpha, t0 = group["lambd"], group["alpha"], group["t0"]
        for p in group["params"]:
            grad = p._grad
            if grad is None:
                continue
            state = self.state[p]
            if len(state) == 0:
                state["step"] = self._step_tensor()
                eta = lr.detach().to(dt.float32) if isinstance(lr, Tensor) else factories.tensor(lr)
                state["eta"] = eta.clone()
                state["mu"] = factories.ones(())
                state["ax"] = zeros_like(p)
            step_t, eta, mu, ax = state["step"], state["eta"], state["mu"], state["ax"]
            step_t.add_(1)
            g = _decayed_grad(p, grad, group["weight_decay"], group["maximize"])
            if STATE.tracer is not None:
                self._recorded_update(p, g, step_t, eta, mu, ax, lr, lambd, alpha, t0)
                continue

            eta_value = eta.item()
            p.mul_(1 - lambd * eta_value)  # decay term
            p.add_(g, alpha=-eta_value)  # fused multiply-add, as PyTorch's kernel
            if mu.item() != 1:
                ax.add_(p.sub(ax).mul_(mu))
            else:
                ax.copy_(p)
            step = step_t.item()
            # Python floats (or float32 tensor ops for a tensor lr), as PyTorch computes them
            eta.copy_(factories.as_tensor(lr / ((1 + lambd * lr * step) ** alpha)))
            mu.copy_(factories.as_tensor(1 / max(1, step - t0)))

    @staticmethod
    def _recorded_update(p, g, step_t, eta, mu, ax, lr, lambd, alpha, t0):
        """The same update with its scalars read from the graph's state: no Python number."""
        f64 = dt.float64
        p.mul_((1 - lambd * eta.to(f64)).to(p.dtype))
        p.sub_(g * eta.to(p.dtype))
        # ax + (p - ax) * 1 is not always p in floating point: select p while mu is 1, as the
        # eager branch copies it
        ax.copy_(where(mu.eq(1), p, ax + (p - ax).mul_(mu)))
        if isinstance(lr, Tensor):
            # PyTorch's tensor-lr formula runs in float32 tensor ops (the step count is exact)
            eta.copy_(lr / ((1 + lambd * lr * step_t) ** alpha))
        else:
            step = step_t.to(f64)
            # lr / x as a division (a Python number over a tensor would be reciprocal * lr)
            eta.copy_(factories.tensor(lr, dtype=f64) / ((1 + lambd * lr * step) ** alpha))
        mu.copy_((step_t.to(f64) - t0).clamp_min(1).reciprocal())


__all__ = ["ASGD"]

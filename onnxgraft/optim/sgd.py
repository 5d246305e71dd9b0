"""SGD with momentum, dampening, Nesterov momentum, weight decay and maximize: PyTorch 2.13's
update, written in Tensor ops so that a capture records it.

    g = ±grad + weight_decay * p
    buf = g                                     (first step: a copy of g)
    buf = momentum * buf + (1 - dampening) * g  (later steps)
    d = g + momentum * buf  if nesterov else buf
    p = p - lr * d
"""
from ..frontend.grad_mode import STATE
from ..frontend.tensor import Tensor
from .optimizer import Optimizer, _check_differentiable, _check_float


class SGD(Optimizer):
    """Stochastic gradient descent (optionally with momentum), as torch.optim.SGD.

    `lr` may be a float or a 1-element Tensor. `foreach` and `fused` are kept in the parameter
    groups for PyTorch compatibility; onnxgraft has one implementation, and compiled steps fuse
    the update anyway.
    """

    def __init__(self, params, lr=1e-3, momentum=0, dampening=0, weight_decay=0, nesterov=False, *,
                 maximize=False, foreach=None, differentiable=False, fused=None):
        _check_float("lr", lr, "learning rate")
        _check_float("momentum", momentum, "momentum")
        _check_float("dampening", dampening, "dampening")
        _check_float("weight_decay", weight_decay, "weight_decay")
        if lr < 0.0:
            raise ValueError(f"Invalid learning rate: {lr}")
        if momentum < 0.0:
            raise ValueError(f"Invalid momentum value: {momentum}")
        if weight_decay < 0.0:
            raise ValueError(f"Invalid weight_decay value: {weight_decay}")
        _check_differentiable(differentiable)
        defaults = {"lr": lr, "momentum": momentum, "dampening": dampening,
                    "weight_decay": weight_decay, "nesterov": nesterov, "maximize": maximize,
                    "foreach": foreach, "differentiable": differentiable, "fused": fused}
        if nesterov and (momentum <= 0 or dampening != 0):
            raise ValueError("Nesterov momentum requires a momentum and zero dampening")
        super().__init__(params, defaults)

    # group keys that checkpoints from older PyTorch versions may lack
    _GROUP_DEFAULTS = {"nesterov": False, "maximize": False, "foreach": None, "differentiable": False, "fused": False}

    def _update_group(self, group):
        lr, momentum, dampening = group["lr"], group["momentum"], group["dampening"]
        weight_decay, nesterov, maximize = group["weight_decay"], group["nesterov"], group["maximize"]
        for p in group["params"]:
            grad = p._grad
            if grad is None:
                continue
            # `owned` marks a temporary of this step, which may be updated in place; p.grad may not
            if weight_decay != 0:
                # grad.add(p, alpha=weight_decay), fused eagerly as PyTorch's kernel computes it
                g = (-grad if maximize else grad).add(p, alpha=weight_decay)
                owned = True
            else:
                g, owned = (-grad, True) if maximize else (grad, False)

            if momentum != 0:
                state = self.state[p]
                buf = state.get("momentum_buffer")
                if buf is None:
                    buf = g.clone() if not owned else g
                    state["momentum_buffer"] = buf
                    owned = False  # g is the buffer now
                else:
                    buf.mul_(momentum).add_(g, alpha=1 - dampening)
                if nesterov:
                    # g.add(buf, alpha=momentum): a fresh temporary (on the first step g is the buffer)
                    g, owned = g.add(buf, alpha=momentum), True
                else:
                    g, owned = buf, False
            # p - lr * g, with lr a float or a tensor; p.add_(g, alpha=-lr) for a float, which is
            # PyTorch's call (a fused multiply-add eagerly)
            if isinstance(lr, Tensor) and STATE.tracer is None and lr.numel() == 1:
                lr = lr.item()  # eagerly PyTorch passes it as the number alpha
            if not isinstance(lr, Tensor):
                p.add_(g, alpha=-lr)
            elif owned:
                p.sub_(g.mul_(lr))
            else:
                p.sub_(g * lr)

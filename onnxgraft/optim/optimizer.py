"""`Optimizer`: the base of the optimizers (SGD, Adam, RMSprop, ...), with PyTorch's
param_groups, state and state_dict format.

Updates are written in onnxgraft Tensor ops under `no_grad`, never on the numpy arrays, so the
same `step()` runs eagerly and is recorded into a training graph by a capture (which
functionalizes the in-place ops). State tensors are created lazily on the first step, as in
PyTorch, so a state_dict saved by PyTorch (converted to onnxgraft tensors) loads as it is.
"""
import copy
import numbers
import warnings
from collections import defaultdict
from itertools import chain

from ..frontend.tensor import Tensor
from ..frontend.grad_mode import no_grad, enable_grad
from ..frontend import factories

# state entries that have the shape of their parameter (checked on load, so that a mismatched
# checkpoint fails in load_state_dict rather than in the middle of a later step)
_PARAM_SHAPED = ("momentum_buffer", "exp_avg", "exp_avg_sq", "max_exp_avg_sq", "square_avg", "grad_avg",
                 "sum", "exp_inf", "acc_delta")


def _typename(obj):
    """torch.typename: 'torch.FloatTensor' for a tensor, the class name otherwise."""
    if isinstance(obj, Tensor):
        return obj.type()
    module = type(obj).__module__
    name = type(obj).__qualname__
    return name if module in ("builtins", None) else f"{module}.{name}"


def _copy_value(value):
    """A copy of a hyper-parameter or state value (Tensors are cloned: onnxgraft Tensors do not
    pickle, so copy.deepcopy does not apply to them)."""
    if isinstance(value, Tensor):
        return value.detach().clone()
    if isinstance(value, dict):
        return type(value)((k, _copy_value(v)) for k, v in value.items())
    if isinstance(value, (list, tuple)):
        return type(value)(_copy_value(v) for v in value)
    return copy.deepcopy(value)


class Optimizer:
    """Base class of all optimizers.

    Args:
        params: an iterable of Tensors, of (name, Tensor) pairs, or of dicts (parameter groups,
            each with a "params" entry and optional per-group hyper-parameters).
        defaults: the hyper-parameters a group takes when it does not set them.

    Subclasses implement `_update_group(group)`, which runs under `no_grad`; `step(closure)` is
    shared.
    """

    def __init__(self, params, defaults):
        self.defaults = defaults
        if isinstance(params, Tensor):
            raise TypeError("params argument given to the optimizer should be an iterable of Tensors "
                            "or dicts, but got " + _typename(params))
        self.state = defaultdict(dict)
        self.param_groups = []
        param_groups = list(params)
        if len(param_groups) == 0:
            raise ValueError("optimizer got an empty parameter list")
        if not isinstance(param_groups[0], dict):
            param_groups = [{"params": param_groups}]
        for param_group in param_groups:
            self.add_param_group(param_group)

    def __getstate__(self):
        return {"defaults": self.defaults, "state": self.state, "param_groups": self.param_groups}

    # group keys (and their values) that checkpoints from older PyTorch versions may lack;
    # filled in on unpickling, as each PyTorch optimizer's __setstate__ does
    _GROUP_DEFAULTS = {}

    def __setstate__(self, state):
        self.__dict__.update(state)
        for group in self.param_groups:
            for key, value in self._GROUP_DEFAULTS.items():
                group.setdefault(key, value)

    def __repr__(self):
        # PyTorch's layout: each group opens with a newline after the previous one's last line,
        # so groups after the first are separated by a blank line
        text = self.__class__.__name__ + " ("
        for i, group in enumerate(self.param_groups):
            text += f"\nParameter Group {i}\n"
            text += "".join(f"    {key}: {group[key]}\n" for key in sorted(group) if key != "params")
        return text + ")"

    # -- parameter groups ---------------------------------------------------------------------
    def add_param_group(self, param_group):
        """Add a group of parameters (a dict with "params" and optional hyper-parameters), for
        instance to train layers that were frozen so far."""
        if not isinstance(param_group, dict):
            raise TypeError(f"param_group must be a dict, but got {type(param_group)}")
        params = param_group["params"]
        if isinstance(params, Tensor):
            params = [params]
        elif isinstance(params, set):
            raise TypeError("optimizer parameters need to be organized in ordered collections, but the "
                            "ordering of tensors in sets will change between runs. Please use a list "
                            "instead.")
        else:
            params = list(params)
        tensors, names = [], []
        for param in params:
            if isinstance(param, tuple):
                names.append(param[0])
                tensors.append(param[1])
            else:
                tensors.append(param)
        param_group["params"] = tensors
        if names:
            if len(names) != len(tensors):
                raise ValueError("all optimizer params should be with/without names. Some param names "
                                 "are missing")
            param_group["param_names"] = names

        for param in tensors:
            if not isinstance(param, Tensor):
                raise TypeError("optimizer can only optimize Tensors, but one of the params is "
                                + _typename(param))
            if not (param.is_leaf or param.retains_grad):
                raise ValueError("can't optimize a non-leaf Tensor")

        for name, default in self.defaults.items():
            param_group.setdefault(name, default)

        if len(tensors) != len(set(tensors)):
            warnings.warn("optimizer contains a parameter group with duplicate parameters; in future, "
                          "this will cause an error; see github.com/pytorch/pytorch/issues/40967 for "
                          "more information", stacklevel=3)

        param_set = set()
        for group in self.param_groups:
            param_set.update(group["params"])
            if ("param_names" in param_group) != ("param_names" in group):
                which = "with names" if "param_names" in param_group else "without names"
                raise ValueError("all optimizer param groups should be with/without names. "
                                 f"cannot add param group {which} to the optimizer")
        if not param_set.isdisjoint(tensors):
            raise ValueError("some parameters appear in more than one parameter group")
        self.param_groups.append(param_group)

    # -- gradients and steps ------------------------------------------------------------------
    def zero_grad(self, set_to_none=True):
        """Reset the gradients of all optimized tensors: to None (the default), or, with
        `set_to_none=False`, to zeros in place (the same `.grad` tensor objects, detached)."""
        for group in self.param_groups:
            for p in group["params"]:
                grad = p._grad
                if grad is None:
                    continue
                if set_to_none:
                    p.grad = None
                else:
                    if grad.grad_fn is not None:
                        grad.detach_()
                    else:
                        grad.requires_grad_(False)
                    grad.zero_()

    def step(self, closure=None):
        """One optimization step over every group. `closure`, when given, re-evaluates the model
        (with gradients enabled) and returns the loss, which step returns."""
        loss = None
        if closure is not None:
            with enable_grad():
                loss = closure()
        with no_grad():
            for group in self.param_groups:
                self._update_group(group)
        return loss

    def _update_group(self, group):
        raise NotImplementedError(f"{type(self).__name__} does not implement _update_group(group) "
                                  "(or override step())")

    @staticmethod
    def _step_tensor():
        """The per-parameter step count: a float32 0-dim tensor, as PyTorch keeps it."""
        return factories.tensor(0.0)

    # -- state dicts --------------------------------------------------------------------------
    def state_dict(self):
        """The optimizer's state in PyTorch's format: {"state": {index: {...}}, "param_groups":
        [{..., "params": [index, ...]}]}, parameters numbered in group order. The state tensors
        are the live buffers (not copies), as in PyTorch."""
        mapping = {}
        start = 0
        groups = []
        for group in self.param_groups:
            packed = {k: v for k, v in group.items() if k != "params"}
            for i, p in enumerate(group["params"], start):
                mapping.setdefault(id(p), i)
            packed["params"] = [mapping[id(p)] for p in group["params"]]
            start += len(packed["params"])
            groups.append(packed)
        state = {(mapping[id(k)] if isinstance(k, Tensor) else k): v for k, v in self.state.items()}
        return {"state": state, "param_groups": groups}

    def load_state_dict(self, state_dict):
        """Load a state from `state_dict()` (onnxgraft's or PyTorch's, with onnxgraft tensors).
        Tensors are copied (cast to their parameter's floating dtype; "step" keeps its own), so
        the loaded optimizer shares no buffers with the dict. Nothing changes if the dict does
        not fit this optimizer."""
        for key in ("state", "param_groups"):
            if key not in state_dict:
                raise KeyError(f"load_state_dict: the state dict has no {key!r} entry (expected the "
                               "result of optimizer.state_dict())")
        groups = self.param_groups
        saved_groups = [_copy_value(g) for g in state_dict["param_groups"]]
        if len(groups) != len(saved_groups):
            raise ValueError("loaded state dict has a different number of parameter groups")
        if any(len(g["params"]) != len(s["params"]) for g, s in zip(groups, saved_groups)):
            raise ValueError("loaded state dict contains a parameter group that doesn't match the size "
                             "of optimizer's group")
        id_map = dict(zip(chain.from_iterable(g["params"] for g in saved_groups),
                          chain.from_iterable(g["params"] for g in groups)))

        state = defaultdict(dict)
        for k, v in state_dict["state"].items():
            if k in id_map:
                param = id_map[k]
                state[param] = {key: _cast_state(param, k, key, value) for key, value in v.items()}
            else:
                state[k] = _copy_value(v)

        for group, new_group in zip(groups, saved_groups):
            new_group["params"] = group["params"]
            if "param_names" in group and "param_names" not in new_group:
                new_group["param_names"] = group["param_names"]
        self.__setstate__({"state": state, "param_groups": saved_groups})


def _cast_state(param, index, key, value):
    """A copy of one loaded state entry, in the form the update expects."""
    if not isinstance(value, Tensor):
        return _copy_value(value)
    if key == "step":
        return value.detach().clone()
    if key in _PARAM_SHAPED and tuple(value.shape) != tuple(param.shape):
        raise ValueError(f"load_state_dict: state[{key!r}] of parameter {index} has shape "
                         f"{tuple(value.shape)} but the parameter has shape {tuple(param.shape)}; the "
                         "state dict was saved for different parameters")
    value = value.detach()
    if param.is_floating_point() and value.dtype != param.dtype:
        return value.to(param.dtype)
    return value.clone()


def _check_float(name, value, label):
    """PyTorch's hyper-parameter checks compare with `<`; a string or None would fail there
    with an unhelpful TypeError."""
    if isinstance(value, Tensor):
        if value.numel() != 1:
            raise ValueError(f"Tensor {name} must be 1-element")
        return
    if not isinstance(value, numbers.Real):
        raise TypeError(f"{label} must be a number, but got {type(value).__name__}")


def _check_betas(betas):
    """Type checks of a (beta1, beta2) pair before PyTorch's range checks compare them."""
    if not isinstance(betas, (tuple, list)) or len(betas) != 2:
        raise TypeError(f"betas must be a pair (beta1, beta2), but got {betas!r}")
    for i, beta in enumerate(betas):
        _check_float(f"betas[{i}]", beta, f"betas[{i}]")


def _check_adam_family(lr, betas, eps, weight_decay):
    """The checks Adam, AdamW, Adamax, NAdam and RAdam share, with PyTorch's messages and order."""
    _check_float("lr", lr, "learning rate")
    _check_float("eps", eps, "eps")
    _check_float("weight_decay", weight_decay, "weight_decay")
    _check_betas(betas)
    if not 0.0 <= lr:
        raise ValueError(f"Invalid learning rate: {lr}")
    if not 0.0 <= eps:
        raise ValueError(f"Invalid epsilon value: {eps}")
    if not 0.0 <= betas[0] < 1.0:
        raise ValueError(f"Invalid beta parameter at index 0: {betas[0]}")
    if not 0.0 <= betas[1] < 1.0:
        raise ValueError(f"Invalid beta parameter at index 1: {betas[1]}")
    if not 0.0 <= weight_decay:
        raise ValueError(f"Invalid weight_decay value: {weight_decay}")


def _check_differentiable(differentiable):
    if differentiable:
        raise ValueError("onnxgraft optimizers do not support differentiable=True: the update "
                         "runs under no_grad (compiled steps record it into the training graph)")


def _decayed_grad(p, grad, weight_decay, maximize):
    """±grad + weight_decay * p (PyTorch's `grad.add(param, alpha=weight_decay)` after the sign
    of maximize): a fresh tensor when it differs from p.grad, which is never updated in place."""
    g = -grad if maximize else grad
    if weight_decay != 0:
        g = g.add(p, alpha=weight_decay)  # fused eagerly, as PyTorch's kernel computes it
    return g


def _to_scalar(value):
    """A hyper-parameter as the update uses it: a 1-element Tensor as a 0-dim one (so it
    broadcasts against 0-dim parameters), anything else as it is (PyTorch's _to_scalar)."""
    if isinstance(value, Tensor) and value.dim() != 0:
        return value.reshape(())
    return value


def _scalar_as_float64(value):
    """A float hyper-parameter, or a tensor one as a float64 0-dim tensor (PyTorch computes its
    step-dependent scalars in Python floats, so a float32 lr must not round them)."""
    from ..frontend import dtype as dt
    return _to_scalar(value).to(dt.float64) if isinstance(value, Tensor) else value


def _step_as_float64(step):
    """The incremented float32 step count in float64: PyTorch reads it with .item() and computes
    its step-dependent scalars in Python floats; tensor ops keep a recorded step reading its
    count from the graph's state rather than baking in a constant."""
    from ..frontend import dtype as dt
    return step.to(dt.float64)


__all__ = ["Optimizer"]

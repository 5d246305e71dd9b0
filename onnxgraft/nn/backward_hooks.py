"""Module full backward hooks (`register_full_backward_hook`, `register_full_backward_pre_hook`),
as PyTorch's `torch.utils.hooks.BackwardHook` does them.

The module's tensor inputs and its tensor outputs each pass through an identity autograd Function
(`BackwardHookFunction`, so outputs print `grad_fn=<BackwardHookFunctionBackward>` as in PyTorch).
During backward the output-side node is reached first: a hook on it records grad_output and runs
the pre-hooks (which may replace grad_output). The input-side node is reached once the gradients
with respect to the inputs are known: a hook on it calls the full backward hooks with
(module, grad_input, grad_output), and what they return replaces grad_input.
"""
import warnings

from ..frontend.factories import zeros_like
from ..frontend.function import Function
from ..frontend.grad_mode import STATE
from ..frontend.tensor import Tensor


class BackwardHookFunction(Function):
    """Identity on its arguments; only its grad_fn matters (hooks are attached to it)."""

    @staticmethod
    def forward(ctx, *args):
        return args

    @staticmethod
    def backward(ctx, *grads):
        return grads


class BackwardHook:
    """One module call's hook state: sets up the input and output identities and calls the
    user's hooks with grad_input / grad_output tuples that have None for non-tensor arguments
    and for inputs that do not require grad."""

    def __init__(self, module, user_hooks, user_pre_hooks):
        if STATE.tracer is not None:
            from ..frontend.trace import CaptureError
            raise CaptureError(f"{type(module).__name__} has full backward hooks: they run Python code during "
                               "backward and cannot be recorded into a graph; remove them for the captured step")
        self.module = module
        self.user_hooks = list(user_hooks)
        self.user_pre_hooks = list(user_pre_hooks)
        self.grad_outputs = None
        self.n_inputs = self.n_outputs = -1
        self.input_tensors_index = self.output_tensors_index = None

    @staticmethod
    def _pack_with_none(indices, values, size):
        res = [None] * size
        for idx, val in zip(indices, values):
            res[idx] = val
        return tuple(res)

    def _apply_on_tensors(self, fn, args):
        """Route the tensors of `args` that require grad through one BackwardHookFunction and let
        `fn` hook its node. Returns (new args, indices of the routed tensors) or (args, None)."""
        idx = [i for i, a in enumerate(args) if isinstance(a, Tensor) and a.requires_grad]
        if not (idx and STATE.grad_enabled):
            return args, None
        new = BackwardHookFunction.apply(*(args[i] for i in idx))
        if not isinstance(new, tuple):
            new = (new,)
        fn(new[0].grad_fn)
        out = list(args)
        for i, t in zip(idx, new):
            out[i] = t
        return tuple(out), idx

    def setup_input_hook(self, args):
        def on_input_grads(grad_input, _grad_output):
            if self.grad_outputs is None:
                # the gradient reached the inputs without passing through the outputs
                return None
            res = list(self._pack_with_none(self.input_tensors_index, grad_input, self.n_inputs))
            for i in self.input_frozen_index:
                # PyTorch routes these through its identity too and gets materialized zeros back
                res[i] = zeros_like(self.input_frozen[i])
            res = tuple(res)
            for hook in self.user_hooks:
                out = hook(self.module, res, self.grad_outputs)
                if out is None:
                    continue
                if len(out) != len(res):
                    raise RuntimeError(f"Backward hook returned an invalid number of grad_input, got {len(out)}, "
                                       f"but expected {len(res)}")
                res = out
            self.grad_outputs = None
            return tuple(res[i] for i in self.input_tensors_index)

        res, idx = self._apply_on_tensors(lambda node: node.register_hook(on_input_grads), args)
        self.n_inputs = len(args)
        self.input_frozen = {i: a for i, a in enumerate(args)
                             if isinstance(a, Tensor) and not a.requires_grad and a.is_floating_point()}
        self.input_frozen_index = list(self.input_frozen) if idx is not None else []
        self.input_tensors_index = idx
        return res

    def setup_output_hook(self, result):
        if not isinstance(result, (Tensor, tuple)):
            warnings.warn("For backward hooks to be called, module output should be a Tensor or a tuple of Tensors "
                          f"but received {type(result)}", stacklevel=3)
            return result

        def on_output_grads(_grad_input, grad_output):
            self.grad_outputs = self._pack_with_none(self.output_tensors_index, grad_output, self.n_outputs)
            expected = len(self.grad_outputs)
            for hook in self.user_pre_hooks:
                new = hook(self.module, self.grad_outputs)
                if new is None:
                    continue
                if len(new) != expected:
                    raise RuntimeError(f"Backward pre hook returned an invalid number of grad_output, got "
                                       f"{len(new)}, but expected {expected}")
                self.grad_outputs = tuple(new)
            local = self.grad_outputs
            if self.input_tensors_index is None:
                # no input requires grad: the input-side node does not exist, call the hooks now
                warnings.warn("Full backward hook is firing when gradients are computed with respect to module "
                              "outputs since no inputs require gradients. See https://docs.pytorch.org/docs/main/"
                              "generated/torch.nn.Module.html#torch.nn.Module.register_full_backward_hook for more "
                              "details.", stacklevel=5)
                grad_inputs = (None,) * self.n_inputs
                for hook in self.user_hooks:
                    res = hook(self.module, grad_inputs, self.grad_outputs)
                    if res is not None and not (isinstance(res, tuple) and all(r is None for r in res)):
                        raise RuntimeError("Backward hook for Modules where no input requires gradient should "
                                           "always return None or None for all gradients.")
                self.grad_outputs = None
            return tuple(local[i] for i in self.output_tensors_index)

        single = not isinstance(result, tuple)
        args = (result,) if single else result
        res, idx = self._apply_on_tensors(lambda node: node.register_hook(on_output_grads), args)
        self.n_outputs = len(args)
        self.output_tensors_index = idx
        return res[0] if single else res

"""torch.autograd.gradcheck / gradgradcheck: analytical gradients against central finite differences.

The checks follow PyTorch's slow mode, in PyTorch's order, so a custom Function's backward is
called the same number of times (each output's Jacobian is computed twice to detect
non-reentrant backwards, then one pass with zero grad_outputs checks that backward multiplies by
grad_output, then the undefined-grad pass). Failures raise GradcheckError (a RuntimeError) with
PyTorch's messages, or return False with raise_exception=False.

onnxgraft has no forward-mode AD and no sparse or complex tensors: check_forward_ad compares the
same reverse-mode Jacobian (the values forward mode would give), and fast_mode runs the full
check (PyTorch's fast mode is an optimisation with the same verdict for a correct gradient).
"""
import warnings

import numpy as np


class GradcheckError(RuntimeError):
    """Raised by gradcheck and gradgradcheck when a gradient check fails."""


FAILED_NONDET_MSG = """\n
NOTE: If your op relies on non-deterministic operations i.e., it is listed here:
https://pytorch.org/docs/stable/generated/torch.use_deterministic_algorithms.html
this failure might be expected.

If you are adding a new operator, please file an issue and then use one of the
workarounds. The workaround depends on how your test invokes gradcheck/gradgradcheck.
If the test
- manually invokes gradcheck/gradgradcheck, then call gradcheck/gradgradcheck
  with `nondet_tol=<tol>` as a keyword argument.
- is OpInfo-based (e.g., in test_ops_gradients.py), then modify the OpInfo for the test
  to have `gradcheck_nondet_tol=<tol>`.
- is a Module test (e.g., in common_nn.py), then modify the corresponding
  module_test entry to have `gradcheck_nondet_tol=<tol>`
"""


def _torch():
    import onnxgraft
    return onnxgraft


def _is_tensor(x):
    from ..frontend.tensor import Tensor
    return isinstance(x, Tensor)


def _as_tuple(x):
    if isinstance(x, tuple):
        return x
    if isinstance(x, list):
        return tuple(x)
    return (x,)


def _differentiable_outputs(x):
    return tuple(o for o in _as_tuple(x) if o.requires_grad)


def _diff_inputs(inputs):
    return [t for t in inputs if _is_tensor(t) and t.requires_grad]


def _check_inputs(inputs):
    found = False
    for idx, inp in enumerate(inputs):
        if _is_tensor(inp) and inp.requires_grad:
            if inp.dtype != "float64":
                warnings.warn(f"Input #{idx} requires gradient and is not a double precision floating point "
                              "or complex. This check will likely fail if all the inputs are not of double "
                              "precision floating point or complex. ", stacklevel=3)
            if any(st == 0 and sz > 1 for st, sz in zip(inp._data.strides, inp._data.shape)):
                raise RuntimeError(f"The {idx}th input has a dimension with stride 0. gradcheck only supports "
                                   "inputs that are non-overlapping to be able to compute the numerical "
                                   "gradients correctly. You should call .contiguous on the input before "
                                   "passing it to gradcheck.")
            found = True
    if not found:
        raise ValueError("gradcheck expects at least one input tensor to require gradient, but none of them "
                         "have requires_grad=True.")


def _numerical_jacobian(func, inputs, outputs, eps):
    """[input][output] Jacobians of shape (input.numel, output.numel) by central differences,
    perturbing each input element in place (the caller's tensor, as PyTorch does)."""
    torch = _torch()
    float_outs = [o for o in outputs if _is_tensor(o) and o._data.dtype.kind == "f"]
    result = []
    for inp in _diff_inputs(inputs):
        cols = [np.zeros((inp.numel(), o.numel()), dtype=o._data.dtype) for o in float_outs]
        for k in range(inp.numel()):
            idx = np.unravel_index(k, inp._data.shape) if inp._data.ndim else ()
            orig = inp._data[idx].copy()
            vals = []
            for sign in (-1, 1):
                inp._data[idx] = orig + sign * np.asarray(eps, dtype=inp._data.dtype)
                vals.append([o for o in _as_tuple(func(*inputs)) if _is_tensor(o) and o._data.dtype.kind == "f"])
            inp._data[idx] = orig
            for c, a, b in zip(cols, *vals):
                if tuple(a.shape) != tuple(b.shape) or a.dtype != b.dtype:
                    raise GradcheckError("Expected outputs of the function to have the same shape and dtype "
                                         "for perturbed inputs")
                c[k] = ((b._data - a._data) / (2 * eps)).reshape(-1)
        result.append([torch.from_numpy(c) for c in cols])
    return result


def _analytical_jacobian(inputs, output, nondet_tol, check_grad_dtypes):
    """Per differentiable input, the (input.numel, output.numel) Jacobian of `output` from
    backward passes with unit grad_outputs, computed twice to catch non-reentrant backwards."""
    torch = _torch()
    from ..frontend.engine import grad
    diff = _diff_inputs(inputs)

    def rows():
        got = [[] for _ in diff]
        base = np.zeros(output._data.shape, dtype=output._data.dtype)
        for j in range(output.numel()):
            base.reshape(-1)[:] = 0
            base.reshape(-1)[j] = 1
            gs = grad(output, diff, torch.tensor(base.copy()), retain_graph=True, allow_unused=True)
            for i, g in enumerate(gs):
                got[i].append(None if g is None else g.clone())
        return got

    def stack(got):
        sizes_ok = types_ok = True
        jacs = []
        for inp, col in zip(diff, got):
            jac = np.zeros((inp.numel(), output.numel()), dtype=inp._data.dtype)
            for j, g in enumerate(col):
                if g is None:
                    continue
                if tuple(g.shape) != tuple(inp.shape):
                    sizes_ok = False
                elif g.dtype != inp.dtype:
                    types_ok = False
                if g.numel() == inp.numel():
                    jac[:, j] = g._data.reshape(-1)
            jacs.append(jac)
        return jacs, sizes_ok, types_ok

    jac1, sizes_ok, types_ok = stack(rows())
    jac2, _, _ = stack(rows())
    if not types_ok and check_grad_dtypes:
        raise GradcheckError("Gradient has dtype mismatch")
    if not sizes_ok:
        raise GradcheckError("Analytical gradient has incorrect size")
    if any(a.size and np.abs(a - b).max() > nondet_tol for a, b in zip(jac1, jac2)):
        raise GradcheckError("Backward is not reentrant, i.e., running backward with same input and grad_output "
                             "multiple times gives different values, although analytical gradient matches "
                             f"numerical gradient.The tolerance for nondeterminism was {nondet_tol}."
                             + FAILED_NONDET_MSG)
    return [torch.from_numpy(j) for j in jac1]


def _zero_grad_pass(outputs, inputs, check):
    from ..frontend.engine import grad
    torch = _torch()
    diff = _diff_inputs(inputs)
    if not diff:
        raise GradcheckError("no Tensors requiring grad found in input")
    try:
        gis = grad(list(outputs), diff, [torch.zeros_like(o) for o in outputs], allow_unused=True)
    except RuntimeError as exc:
        if check == "undefined":
            raise GradcheckError('Expected backward function to handle undefined output grads. Please look at '
                                 '"Notes about undefined output gradients" in "tools/autograd/derivatives.yaml"'
                                 ) from exc
        raise
    for gi, di in zip(gis, diff):
        if gi is None:
            continue
        if check == "undefined":
            if not gi.eq(0).all():
                raise GradcheckError("Expected all input grads to be undefined or zero when all output grads are "
                                     'undefined or zero. Please look at "Notes about undefined output gradients" '
                                     'in "tools/autograd/derivatives.yaml"')
            continue
        if not gi.eq(0).all():
            raise GradcheckError("backward not multiplied by grad_output")
        if gi.dtype != di.dtype:
            raise GradcheckError("grad is incorrect type")
        if tuple(gi.shape) != tuple(di.shape):
            raise GradcheckError("grad is incorrect size")


def _check(func, inputs, eps, atol, rtol, nondet_tol, check_undefined_grad, check_grad_dtypes,
           check_backward_ad):
    torch = _torch()
    _check_inputs(inputs)
    func_out = func(*inputs)
    outputs = _differentiable_outputs(func_out)
    func_out = _as_tuple(func_out)
    numerical = _numerical_jacobian(func, inputs, func_out, eps)
    if not outputs:
        for per_input in numerical:
            for jac in per_input:
                if torch.ne(jac, 0).sum() > 0:
                    raise GradcheckError("Numerical gradient for function expected to be zero")
        return True
    # numerical[input][output] over every float output; keep the differentiable ones
    float_outs = [o for o in func_out if _is_tensor(o) and o._data.dtype.kind == "f"]
    keep = [k for k, o in enumerate(float_outs) if o.requires_grad]
    for i, o in enumerate(outputs):
        analytical = _analytical_jacobian(inputs, o, nondet_tol, check_grad_dtypes)
        for j, a in enumerate(analytical):
            n = numerical[j][keep[i]]
            if not torch.allclose(a, n.to(a.dtype) if a.dtype != n.dtype else n, rtol, atol):
                raise GradcheckError(f"Jacobian mismatch for output {i:d} with respect to input {j:d},\n"
                                     f"numerical:{n}\nanalytical:{a}\n")
    if not check_backward_ad:
        return True
    _zero_grad_pass(outputs, inputs, "mul_by_grad_output")
    if check_undefined_grad:
        again = _differentiable_outputs(func(*inputs))
        _zero_grad_pass(again, inputs, "undefined")
        if len(again) > 1:
            for _ in range(len(outputs)):
                _zero_grad_pass(_differentiable_outputs(func(*inputs)), inputs, "undefined")
    return True


def gradcheck(func, inputs, *, eps=1e-6, atol=1e-5, rtol=1e-3, raise_exception=True, nondet_tol=0.0,
              check_undefined_grad=True, check_grad_dtypes=False, check_batched_grad=False,
              check_batched_forward_grad=False, check_forward_ad=False, check_backward_ad=True,
              fast_mode=False, masked=None):
    """Check the gradients of `func` at `inputs` (Tensors with requires_grad=True, best in
    float64) against central finite differences; True when they agree within atol + rtol."""
    try:
        return _check(func, _as_tuple(inputs), eps, atol, rtol, nondet_tol, check_undefined_grad,
                      check_grad_dtypes, check_backward_ad or check_forward_ad)
    except GradcheckError:
        if raise_exception:
            raise
        return False


def gradgradcheck(func, inputs, grad_outputs=None, *, eps=1e-6, atol=1e-5, rtol=1e-3,
                  gen_non_contig_grad_outputs=False, raise_exception=True, nondet_tol=0.0,
                  check_undefined_grad=True, check_grad_dtypes=False, check_batched_grad=False,
                  check_fwd_over_rev=False, check_rev_over_rev=True, fast_mode=False, masked=False):
    """Check second derivatives: gradcheck of the map (inputs, grad_outputs) -> d(func)/d(inputs)
    contracted with grad_outputs (random in [-1, 1) when not given)."""
    from ..frontend.engine import grad
    torch = _torch()
    tupled_inputs = _as_tuple(inputs)
    if grad_outputs is None:
        outs = _differentiable_outputs(func(*tupled_inputs))
        tupled_grad_outputs = tuple((torch.rand(tuple(o.shape), dtype=o.dtype) * 2 - 1).requires_grad_()
                                    for o in outs)
    else:
        tupled_grad_outputs = _as_tuple(grad_outputs)
    num_outputs = len(tupled_grad_outputs)
    diff_in = {i for i, x in enumerate(tupled_inputs) if _is_tensor(x) and x.requires_grad}
    diff_go = {i for i, x in enumerate(tupled_grad_outputs) if x.requires_grad}

    def new_func(*args):
        input_args = tuple(x.requires_grad_() if i in diff_in else x for i, x in enumerate(args[:-num_outputs]))
        outputs = _differentiable_outputs(func(*input_args))
        gos = tuple(x.requires_grad_() if i in diff_go else x for i, x in enumerate(args[-num_outputs:]))
        diff_args = tuple(x for i, x in enumerate(input_args) if i in diff_in)
        grads = grad(outputs, diff_args, gos, create_graph=True, allow_unused=True)
        return tuple(g for g in grads if g is not None)

    return gradcheck(new_func, tupled_inputs + tupled_grad_outputs, eps=eps, atol=atol, rtol=rtol,
                     raise_exception=raise_exception, nondet_tol=nondet_tol,
                     check_undefined_grad=check_undefined_grad, check_grad_dtypes=check_grad_dtypes,
                     check_batched_grad=check_batched_grad, fast_mode=fast_mode,
                     check_forward_ad=check_fwd_over_rev, check_backward_ad=check_rev_over_rev, masked=masked)

"""PyTorch parity of eager autograd: small programs run once with real torch and once with
onnxgraft, and everything they observe must agree.

Each program is written once, as source text, and executed with `torch` bound to each library.
It reports what it sees through three helpers:
* `R(label, value)` records a value: tensors as (dtype, shape, values, requires_grad, is_leaf,
  grad_fn name), grad_fn nodes as their name (`type(fn).__name__` and `fn.name()`) with the
  structure of `next_functions`, sizes, dtypes, numbers, strings, containers;
* `E(label, fn)` records the error `fn()` raises (type and exact message) or its result;
* `W(label, fn)` records `fn()`'s result and the warnings it emits (category and message);
* `ET(label, fn, *words)` records only the error type, for errors whose text PyTorch words in its
  own way; onnxgraft's message must then contain each of `words` (the op and the shapes).
The records of the two runs must match: numbers within float32 rounding, everything else exactly.

Inherent differences, masked or not compared: object addresses (`at 0x...`), the
`(Triggered internally at ...)` build-path suffix of PyTorch's C++ warnings, the module of
grad_fn classes (`builtins` in PyTorch), and PyTorch's once-per-process C++ warnings (a
create_graph backward, float() of a tensor that requires grad), whose appearance depends on what
ran earlier in the process: onnxgraft's texts are checked on their own below. Random numbers are
not used.

Differences of structure, not of values (see COMPOSITE): ops onnxgraft composes from several
registry ops (norm, var, std, min, prod, ...) and indexing chains carry PyTorch's grad_fn name on
their last node, but next_functions lead into the composition; the graphs built by
create_graph=True follow each library's derivative formulas, so only their values and top names
are compared; split/chunk/unbind pieces are separate nodes (PyTorch: one node, output_nr i).
"""
import math
import re
import textwrap
import warnings

import numpy as np
import pytest

import onnxgraft

CASES = {}


def case(name, source):
    assert name not in CASES, name
    CASES[name] = textwrap.dedent(source)


# ------------------------------------------------------------------------------ accumulation
case("grad_accumulates_into_same_object", """
    w = torch.tensor([1., 2.], requires_grad=True)
    (w * 2).sum().backward()
    g = w.grad
    R('first', g)
    (w * 3).sum().backward()
    R('second', w.grad)
    R('same object', w.grad is g)
    R('same id', id(w.grad) == id(g))
    R('version bumped', w.grad._version > 0)
    w.grad.zero_()
    R('zeroed', w.grad)
    R('still same object', w.grad is g)
""")

case("grad_set_to_none", """
    w = torch.tensor([1., 2.], requires_grad=True)
    (w * w).sum().backward()
    g = w.grad
    w.grad = None
    R('none', w.grad)
    (w * w).sum().backward()
    R('fresh', w.grad)
    R('new object', w.grad is g)
    R('old kept its value', g)
""")

case("grad_accumulates_from_two_paths", """
    x = torch.tensor([1., 2., 3.], requires_grad=True)
    y = x * 2 + x * x + x
    y.sum().backward()
    R('grad', x.grad)
    z = torch.tensor(2., requires_grad=True)
    (z + z + z * z).backward()
    R('z.grad', z.grad)
""")

# ------------------------------------------------------------------------------ backward twice
case("backward_twice_saved_tensors", """
    x = torch.tensor([1., 2.], requires_grad=True)
    y = (x * x).sum()
    y.backward()
    E('again', y.backward)
    R('grad after failure', x.grad)
    z = (x * 2).sum()   # a Python scalar operand is saved too
    z.backward()
    E('scalar mul again', z.backward)
    u = x.exp().sum()
    u.backward()
    E('exp again', u.backward)
    v = torch.autograd.grad((x ** 2).sum(), x)
    R('grad() result', v)
""")

case("backward_twice_nothing_saved", """
    x = torch.tensor([1., 2.], requires_grad=True)
    y = (x + 1).sum()
    y.backward()
    y.backward()
    R('twice', x.grad)
    z = (x.reshape(2, 1).expand(2, 3) - 4).mean()
    z.backward()
    z.backward()
    R('views and mean', x.grad)
    s = torch.cat([x, -x])[1:].sum()
    s.backward()
    s.backward()
    R('cat and slice', x.grad)
""")

case("retain_graph", """
    x = torch.tensor([0., 1.], requires_grad=True)
    y = x.exp().sum()
    y.backward(retain_graph=True)
    R('first', x.grad)
    y.backward()
    R('second', x.grad)
    E('third', y.backward)
    z = (x * x).sum()
    g1, = torch.autograd.grad(z, x, retain_graph=True)
    g2, = torch.autograd.grad(z, x)
    R('grad twice', (g1, g2))
    E('grad third', lambda: torch.autograd.grad(z, x))
""")

# ------------------------------------------------------------------------------ higher order
case("create_graph_third_order_pow", """
    x = torch.tensor(2., requires_grad=True)
    y = x ** 4
    g1, = torch.autograd.grad(y, x, create_graph=True)
    R('g1', g1)
    g2, = torch.autograd.grad(g1, x, create_graph=True)
    R('g2', g2)
    g3, = torch.autograd.grad(g2, x)
    R('g3', g3)
    c = torch.tensor(2., requires_grad=True)
    d1, = torch.autograd.grad(c ** 3, c, create_graph=True)
    R('d1', d1)
    # only the top: the graph below is the gradient formula, written differently in each library
    R('d1 fn', d1.grad_fn.name())
    d2, = torch.autograd.grad(d1, c)
    R('d2', d2)
""")

case("create_graph_sin", """
    x = torch.tensor([0.5, 1.0, 2.0], requires_grad=True)
    y = torch.sin(x)
    g1, = torch.autograd.grad(y.sum(), x, create_graph=True)
    g2, = torch.autograd.grad(g1.sum(), x, create_graph=True)
    g3, = torch.autograd.grad(g2.sum(), x)
    R('orders', (g1, g2, g3))
    R('expected', (x.cos(), -x.sin(), -x.cos()))
""")

# PyTorch warns about the reference cycle once per process (TORCH_WARN_ONCE), so whether a given
# call warns depends on what ran before: warnings.simplefilter hides it here, and
# test_create_graph_backward_warns_once checks onnxgraft's warning on its own.
case("create_graph_backward", """
    import warnings
    warnings.simplefilter('ignore')
    x = torch.tensor([2.], requires_grad=True)
    (x * x).sum().backward(create_graph=True)
    R('grad', x.grad)
    # the copy made by AccumulateGrad: CopyBackwards (its inputs are PyTorch internals)
    R('grad fn', (type(x.grad.grad_fn).__name__, x.grad.grad_fn.name()))
    (x * x).sum().backward(create_graph=True)
    R('accumulated', x.grad)
    R('accumulated fn', x.grad.grad_fn.name())
    x.grad = None
    (x * 3).sum().backward(create_graph=True)
    R('constant grad', x.grad)
    y = torch.tensor([1., 2.], requires_grad=True)
    (y.exp()).sum().backward(create_graph=True)
    gy = y.grad
    R('exp grad', gy)
    R('second order through .grad', torch.autograd.grad(gy.sum(), y))
    z = torch.tensor([1., 2.], requires_grad=True)
    (z * z).sum().backward(create_graph=True)
    g = z.grad
    (z * z).sum().backward()
    R('then a plain backward', (z.grad, z.grad is g))
""")

case("hessian_vector_product", """
    x = torch.tensor([1., 2., 3.], requires_grad=True)
    f = (x ** 3).sum() + (x[0] * x[1])
    g, = torch.autograd.grad(f, x, create_graph=True)
    v = torch.tensor([1., 0., 2.])
    hv, = torch.autograd.grad(g, x, grad_outputs=v)
    R('hv', hv)
""")

# ------------------------------------------------------------------------------ autograd.grad
case("grad_unused_input", """
    a = torch.tensor([1., 2.], requires_grad=True)
    b = torch.tensor([3., 4.], requires_grad=True)
    y = (a * 2).sum()
    E('unused', lambda: torch.autograd.grad(y, [a, b], retain_graph=True))
    R('allow_unused', torch.autograd.grad(y, [a, b], allow_unused=True, retain_graph=True))
    R('materialize', torch.autograd.grad(y, [a, b], materialize_grads=True))
    R('grads untouched', (a.grad, b.grad))
""")

case("implicit_grad_needs_scalar", """
    x = torch.tensor([1., 2.], requires_grad=True)
    y = x * 2
    E('backward', y.backward)
    E('grad', lambda: torch.autograd.grad(y, x))
    one = torch.tensor([3.], requires_grad=True)
    (one * 2).backward()
    R('one element', one.grad)
""")

case("grad_outputs_vjp", """
    a = torch.tensor([1., 2.], requires_grad=True)
    y = 2 * a
    R('grad_outputs', torch.autograd.grad(y, a, grad_outputs=torch.tensor([1., 10.])))
    z = a * a
    z.backward(gradient=torch.tensor([1., 10.]))
    R('backward(gradient)', a.grad)
    E('wrong shape', lambda: (a * 3).backward(torch.ones(3)))
    m = torch.tensor([[1., 2.], [3., 4.]], requires_grad=True)
    out = m @ m
    out.backward(torch.tensor([[1., 0.], [0., 1.]]))
    R('matrix', m.grad)
""")

case("grad_leaves_dot_grad_untouched", """
    a = torch.tensor([1., 2.], requires_grad=True)
    b = torch.tensor([3., 4.], requires_grad=True)
    y = (a * b).sum()
    ga, gb = torch.autograd.grad(y, [a, b])
    R('grads', (ga, gb))
    R('.grad', (a.grad, b.grad))
    R('results are leaves without history', (ga.requires_grad, ga.grad_fn, ga.is_leaf))
""")

case("backward_inputs", """
    a = torch.tensor([1., 2.], requires_grad=True)
    b = torch.tensor([3., 4.], requires_grad=True)
    y = (a * b).sum()
    y.backward(inputs=[a])
    R('a.grad', a.grad)
    R('b.grad', b.grad)
    z = (a * b * b).sum()
    torch.autograd.backward(z, inputs=[b])
    R('only b', (a.grad, b.grad))
""")

case("nothing_requires_grad", """
    x = torch.tensor([1., 2.])
    y = (x * 2).sum()
    E('backward', y.backward)
    E('grad', lambda: torch.autograd.grad(y, x))
    w = torch.tensor([1.], requires_grad=True)
    E('second element', lambda: torch.autograd.backward([(w * 2).sum(), y]))
""")

# ------------------------------------------------------------------------------ in-place rules
case("leaf_inplace_errors", """
    w = torch.tensor([1., 2., 3.], requires_grad=True)
    E('add_', lambda: w.add_(1))
    E('mul_', lambda: w.mul_(2))
    E('iadd', lambda: w.__iadd__(1))
    E('zero_', w.zero_)
    E('view of leaf', lambda: w[0:2].add_(1))
    E('view of leaf (view())', lambda: w.view(3).mul_(2))
    with torch.no_grad():
        w.add_(1)
        w[0:1].mul_(10)
    R('allowed under no_grad', w)
    R('still a leaf', (w.is_leaf, w.requires_grad, w.grad_fn))
    R('version', w._version)
""")

case("version_counter_saved_input", """
    a = torch.tensor([1., 2.], requires_grad=True)
    b = a + 1
    c = b.sin()
    b.add_(1)
    E('sin saved input', lambda: c.sum().backward())
    a2 = torch.tensor([1., 2.], requires_grad=True)
    b2 = a2 + 1
    c2 = b2.sigmoid()
    b2.add_(1)
    c2.sum().backward()
    R('sigmoid saves output', a2.grad)
    R('b2 version', b2._version)
""")

case("version_counter_saved_output", """
    a = torch.tensor([0., 1.], requires_grad=True)
    e = a.exp()
    e.mul_(2)
    E('exp saves output', lambda: e.sum().backward())
    t = torch.tensor([0.5, 1.5], requires_grad=True)
    th = t.tanh()
    th.add_(1)
    E('tanh saves output', lambda: th.sum().backward())
""")

case("version_counter_detach_and_data", """
    a = torch.tensor([1., 2.], requires_grad=True)
    b = a * 1
    c = b * b
    d = b.detach()
    R('shared counter', (b._version, d._version))
    d.add_(1)
    R('after detach add_', (b._version, d._version, b))
    E('detach shares version counter', lambda: c.sum().backward())
    a2 = torch.tensor([1., 2.], requires_grad=True)
    b2 = a2 * 1
    c2 = b2 * b2
    d2 = b2.data
    d2.add_(1)
    R('data has its own counter', (b2._version, d2._version))
    c2.sum().backward()
    R('.data edit is invisible to autograd', a2.grad)
""")

case("inplace_on_nonleaf_rewrites_history", """
    x = torch.tensor([1., 2., 3.], requires_grad=True)
    y = x * 2
    R('before', y.grad_fn)
    y.add_(1)
    R('after add_', y)
    R('fn after add_', y.grad_fn)
    y.mul_(x)
    R('after mul_', y)
    y.exp_()
    y.sum().backward()
    R('grad', x.grad)
    z = torch.tensor([1., -2.], requires_grad=True)
    u = z + 0
    u += 3
    u -= z
    u *= z
    u /= 2
    R('augmented', u)
    u.sum().backward()
    R('augmented grad', z.grad)
    k = torch.tensor([1., -2., 3.], requires_grad=True)
    v = k * 1
    v.relu_()
    v.sum().backward()
    R('relu_', k.grad)
""")

case("inplace_under_no_grad_on_nonleaf", """
    x = torch.tensor([1., 2.], requires_grad=True)
    y = x * 3
    with torch.no_grad():
        y.add_(10)
    R('y', y)
    R('fn kept', y.grad_fn)
    y.sum().backward()
    R('grad', x.grad)
""")

case("data_augmented_assignment", """
    w = torch.tensor([1., 2.], requires_grad=True)
    (w * w).sum().backward()
    w.data -= 0.5 * w.grad.data
    R('after -=', w)
    w.data += torch.tensor([1., 1.])
    R('after +=', w)
    R('leaf, no history', (w.is_leaf, w.grad_fn, w.requires_grad))
    d = w.data
    d.mul_(2)
    R('data shares storage', w)
    w.data = torch.tensor([7., 8.])
    R('data assigned', w)
""")

# ------------------------------------------------------------------------------ hooks
case("hook_on_nonleaf_rewrites_grad", """
    x = torch.tensor([1., 2.], requires_grad=True)
    y = x * 3
    seen = []
    def hook(g):
        seen.append(g.clone())
        return g * 10
    h = y.register_hook(hook)
    y.sum().backward()
    R('seen', seen)
    R('x.grad', x.grad)
    h.remove()
    x.grad = None
    y2 = x * 3
    y2.register_hook(lambda g: None)
    y2.sum().backward()
    R('None keeps grad', x.grad)
""")

case("retain_grad_sees_post_hook_value", """
    x = torch.tensor([1.], requires_grad=True)
    y = x * 3
    y.retain_grad()
    y.register_hook(lambda g: g * 10)
    (y * 3).sum().backward()
    R('y.grad', y.grad)
    R('x.grad', x.grad)
    R('retains_grad', (y.retains_grad, x.retains_grad))
    z = x * 2
    z.register_hook(lambda g: g * 10)
    z.retain_grad()
    (z * 3).sum().backward()
    R('z.grad (hook first)', z.grad)
""")

case("retained_grad_accumulates", """
    x = torch.tensor([1., 2.], requires_grad=True)
    y = x * 2
    y.retain_grad()
    z = y.sum()
    z.backward(retain_graph=True)
    g = y.grad
    z.backward(retain_graph=True)
    R('y.grad after two backwards', y.grad)
    R('same object', y.grad is g)
""")

case("leaf_hooks", """
    w = torch.tensor([1., 2.], requires_grad=True)
    w.register_hook(lambda g: g * 2)
    (w * 3).sum().backward()
    R('doubled', w.grad)
    (w * 3).sum().backward()
    R('doubled again, accumulated', w.grad)
    calls = []
    v = torch.tensor([1., 2.], requires_grad=True)
    v.register_post_accumulate_grad_hook(lambda p: calls.append(p.grad.clone()))
    (v * 5).sum().backward()
    (v * 5).sum().backward()
    R('post accumulate hook saw', calls)
    E('post hook on non-leaf', lambda: (v * 2).register_post_accumulate_grad_hook(lambda p: None))
    E('hook on no-grad tensor', lambda: torch.ones(2).register_hook(lambda g: g))
""")

case("nonleaf_grad_warning", """
    x = torch.tensor([1., 2.], requires_grad=True)
    y = x * 2
    y.sum().backward()
    W('non-leaf .grad', lambda: y.grad)
    W('leaf .grad', lambda: x.grad)
    y.retain_grad()
    W('retained', lambda: y.grad)
""")

case("grad_fn_hooks_and_next_functions", """
    a = torch.tensor([1., 2.], requires_grad=True)
    b = torch.tensor([3., 4.], requires_grad=True)
    c = a * b + a
    R('fn', c.grad_fn)
    R('type name', type(c.grad_fn).__name__)
    d = (a @ b).exp()
    R('dot', d.grad_fn)
    e = torch.tensor([1., 2.]) * b
    R('constant operand', e.grad_fn)
    R('same AccumulateGrad', c.grad_fn.next_functions[1][0] is (a * 2).grad_fn.next_functions[0][0])
""")

# ------------------------------------------------------------------------------ grad modes
case("no_grad_and_enable_grad", """
    x = torch.tensor([1., 2.], requires_grad=True)
    with torch.no_grad():
        y = x * 2
        R('inside', torch.is_grad_enabled())
        with torch.enable_grad():
            z = x * 2
            R('nested enable', torch.is_grad_enabled())
        R('restored', torch.is_grad_enabled())
    R('y', (y.requires_grad, y.grad_fn, y.is_leaf))
    R('z', (z.requires_grad, z.grad_fn))
    R('outside', torch.is_grad_enabled())

    @torch.no_grad()
    def f(t):
        return t * 2
    R('decorated', f(x).requires_grad)
""")

case("set_grad_enabled", """
    x = torch.tensor([1., 2.], requires_grad=True)
    with torch.set_grad_enabled(False):
        y = x * 2
    R('context', (y.requires_grad, torch.is_grad_enabled()))
    torch.set_grad_enabled(False)
    z = x * 2
    R('function', (z.requires_grad, torch.is_grad_enabled()))
    torch.set_grad_enabled(True)
    R('back on', ((x * 2).requires_grad, torch.is_grad_enabled()))
    with torch.no_grad():
        with torch.set_grad_enabled(True):
            w = x * 2
    R('inside no_grad', w.requires_grad)
""")

case("inference_mode", """
    x = torch.tensor([1., 2.], requires_grad=True)
    with torch.inference_mode():
        y = x * 2
        R('mode on', (torch.is_inference_mode_enabled(), torch.is_grad_enabled()))
    R('mode off', torch.is_inference_mode_enabled())
    R('y', (y.requires_grad, y.grad_fn, y.is_inference()))
    R('x', x.is_inference())
    w = torch.tensor([3., 4.], requires_grad=True)
    E('saved for backward', lambda: w * y)
    R('not saved is fine', (w + y).requires_grad)
    E('in-place outside', lambda: y.add_(1))
    R('clone is normal', y.clone().is_inference())
""")

# ------------------------------------------------------------------------------ leaf / dtype rules
case("detach_rules", """
    x = torch.tensor([1., 2.], requires_grad=True)
    y = x * 2
    d = y.detach()
    R('detached', (d.requires_grad, d.grad_fn, d.is_leaf))
    R('shares storage', d)
    z = torch.tensor([1., 2.]) * 3
    R('ops on no-grad tensors are leaves', (z.is_leaf, z.requires_grad, z.grad_fn))
    R('y', (y.is_leaf, y.requires_grad))
    E('requires_grad_(False) on non-leaf', lambda: y.requires_grad_(False))
    def set_attr():
        y.requires_grad = False
    E('attribute', set_attr)
    R('requires_grad_() on non-leaf is fine', y.requires_grad_().requires_grad)
    y.detach_()
    R('detach_', (y.requires_grad, y.grad_fn, y.is_leaf))
    k = torch.ones(2)
    k.requires_grad = True
    R('leaf attribute', (k.requires_grad, k.is_leaf))
""")

case("integer_requires_grad", """
    E('ctor', lambda: torch.tensor([1, 2], requires_grad=True))
    E('requires_grad_', lambda: torch.tensor([1, 2]).requires_grad_())
    E('bool', lambda: torch.tensor([True]).requires_grad_())
    E('zeros int', lambda: torch.zeros(2, dtype=torch.int64, requires_grad=True))
    R('float64 ok', torch.tensor([1., 2.], dtype=torch.float64, requires_grad=True))
    R('int results of grad ops', (torch.tensor([1., 2.], requires_grad=True) > 1).requires_grad)
""")

case("numpy_and_grad_assignment", """
    x = torch.tensor([1., 2.], requires_grad=True)
    E('numpy', x.numpy)
    R('detach().numpy()', x.detach().numpy())
    def set_grad(g):
        x.grad = g
    E('size', lambda: set_grad(torch.zeros(3)))
    E('dtype', lambda: set_grad(torch.zeros(2, dtype=torch.float64)))
    set_grad(torch.tensor([5., 6.]))
    R('assigned', x.grad)
    (x * 1).sum().backward()
    R('accumulated onto assigned', x.grad)
""")

# ------------------------------------------------------------------------------ broadcasting
case("broadcast_reduction", """
    a = torch.ones(2, 3, requires_grad=True)
    b = torch.full((3,), 2., requires_grad=True)
    c = torch.full((2, 1), 3., requires_grad=True)
    y = (a * b * c).sum()
    y.backward()
    R('a', a.grad)
    R('b', b.grad)
    R('c', c.grad)
    s = torch.tensor(4., requires_grad=True)
    (a * s).sum().backward()
    R('0-dim', s.grad)
    p = torch.ones(1, 3, requires_grad=True)
    q = torch.ones(4, 1, requires_grad=True)
    (p + q).pow(2).mean().backward()
    R('outer', (p.grad, q.grad))
""")

# ------------------------------------------------------------------------------ autograd.Function
case("custom_function_exp", """
    class MyExp(torch.autograd.Function):
        @staticmethod
        def forward(ctx, i):
            result = i.exp()
            ctx.save_for_backward(result)
            return result

        @staticmethod
        def backward(ctx, grad_output):
            result, = ctx.saved_tensors
            return grad_output * result

    x = torch.tensor([0., 1.], requires_grad=True)
    y = MyExp.apply(x)
    R('y', y)
    R('fn', y.grad_fn)
    R('type name', type(y.grad_fn).__name__)
    y.sum().backward()
    R('grad', x.grad)
    z = MyExp.apply(x)
    g, = torch.autograd.grad(z.sum(), x, create_graph=True)
    R('create_graph', g)
    g2, = torch.autograd.grad(g.sum(), x)
    R('second order', g2)
    R('no grad input', MyExp.apply(torch.tensor([0.])))
""")

case("custom_function_linear", """
    class Linear(torch.autograd.Function):
        @staticmethod
        def forward(ctx, input, weight, bias=None):
            ctx.save_for_backward(input, weight, bias)
            output = input.mm(weight.t())
            if bias is not None:
                output += bias.unsqueeze(0).expand_as(output)
            return output

        @staticmethod
        def backward(ctx, grad_output):
            input, weight, bias = ctx.saved_tensors
            grad_input = grad_weight = grad_bias = None
            if ctx.needs_input_grad[0]:
                grad_input = grad_output.mm(weight)
            if ctx.needs_input_grad[1]:
                grad_weight = grad_output.t().mm(input)
            if bias is not None and ctx.needs_input_grad[2]:
                grad_bias = grad_output.sum(0)
            return grad_input, grad_weight, grad_bias

    x = torch.tensor([[1., 2., 3.], [4., 5., 6.]])
    w = torch.tensor([[0.5, -1., 2.], [1., 0., -0.5]], requires_grad=True)
    b = torch.tensor([0.1, -0.2], requires_grad=True)
    out = Linear.apply(x, w, b)
    R('out', out)
    (out ** 2).sum().backward()
    R('w.grad', w.grad)
    R('b.grad', b.grad)
    R('x needs no grad', x.grad)
    xs = x.clone().requires_grad_()
    o2 = Linear.apply(xs, w)
    gx, gw = torch.autograd.grad((o2 ** 2).sum(), [xs, w], create_graph=True)
    R('create_graph grads', (gx, gw))
    R('their fns', (gx.grad_fn is not None, gw.grad_fn is not None))
    hh, = torch.autograd.grad(gw.sum(), w)
    R('second order through custom backward', hh)
""")

case("custom_function_version_check", """
    class Square(torch.autograd.Function):
        @staticmethod
        def forward(ctx, x):
            ctx.save_for_backward(x)
            return x * x

        @staticmethod
        def backward(ctx, g):
            x, = ctx.saved_tensors
            return 2 * x * g

    a = torch.tensor([1., 2.], requires_grad=True)
    b = a * 1
    c = Square.apply(b)
    b.mul_(3)
    E('modified saved input', lambda: c.sum().backward())
""")

# ------------------------------------------------------------------------------ indexing
case("indexing_values_and_grads", """
    x = torch.arange(24.).reshape(2, 3, 4).requires_grad_()
    picks = {
        'int': x[1],
        'negative': x[-1, -2],
        'slice': x[:, 1:3],
        'step': x[..., ::2],
        'None': x[None, 0],
        'ellipsis': x[..., 1],
        'mixed': x[0, :, None, 2:],
        'tensor index': x[torch.tensor([1, 0, 1])],
        'tensor index on axis 1': x[:, torch.tensor([2, 0])],
        'negative tensor index': x[torch.tensor([-1])],
        'list index': x[[0, 0]],
        'bool mask': x[x > 20],
        'scalar': x[1, 2, 3],
    }
    for k, v in picks.items():
        R(k, v)
        R(k + ' fn', v.grad_fn.name())
        x.grad = None
        (v * torch.arange(float(v.numel())).reshape(v.shape)).sum().backward()
        R(k + ' grad', x.grad)
    E('out of range', lambda: x[2])
    E('too many indices', lambda: x[0, 0, 0, 0])
    R('scalar item', x[1, 2, 3].item())
""")

# ------------------------------------------------------------------------------ op gradients
case("shape_op_grads", """
    x = torch.arange(1., 7.).reshape(2, 3).requires_grad_()
    ops = {
        'cat': lambda t: torch.cat([t, t * 2], dim=1),
        'stack': lambda t: torch.stack([t, t + 1], dim=0),
        'reshape': lambda t: t.reshape(3, 2),
        'view': lambda t: t.view(-1),
        'transpose': lambda t: t.transpose(0, 1),
        't': lambda t: t.t(),
        'permute': lambda t: t.unsqueeze(0).permute(2, 0, 1),
        'squeeze': lambda t: t.reshape(1, 2, 1, 3).squeeze(),
        'squeeze dim': lambda t: t.reshape(1, 2, 1, 3).squeeze(0),
        'unsqueeze': lambda t: t.unsqueeze(1),
        'expand': lambda t: t[:, :1].expand(2, 4),
        'flatten': lambda t: t.flatten(),
        'chunk0': lambda t: t.chunk(3, dim=1)[0],
        'split1': lambda t: t.split(2, dim=1)[1],
    }
    for k, f in ops.items():
        x.grad = None
        y = f(x)
        R(k, y)
        R(k + ' fn', y.grad_fn.name())
        w = torch.arange(float(y.numel())).reshape(y.shape)
        (y * w).sum().backward()
        R(k + ' grad', x.grad)
""")

# Ops onnxgraft builds from several registry ops (PyTorch has one kernel each): the result's
# grad_fn has PyTorch's name, but its next_functions lead into the composition, so only the
# name is compared.
COMPOSITE = ('norm', 'norm dim', 'var', 'var dim', 'std', 'std dim unbiased=False', 'min',
             'min dim', 'amin', 'minimum', 'rsqrt', 'masked_fill', 'maximum', 'max of two', 'prod',
             'prod dim', 'prod dim keepdim')
case("reduction_and_math_grads", """
    x = torch.tensor([[1., -2., 3.], [0.5, 4., -1.]], requires_grad=True)
    ops = {
        'clamp': lambda t: t.clamp(min=-1, max=2),
        'clamp min': lambda t: t.clamp(min=0),
        'max': lambda t: t.max(),
        'max dim': lambda t: t.max(dim=1)[0],
        'max dim keepdim': lambda t: t.max(1, keepdim=True).values,
        'min': lambda t: t.min(),
        'min dim': lambda t: t.min(dim=0).values,
        'norm': lambda t: t.norm(),
        'norm dim': lambda t: t.norm(dim=1),
        'var': lambda t: t.var(),
        'var dim': lambda t: t.var(dim=0),
        'std': lambda t: t.std(),
        'std dim unbiased=False': lambda t: t.std(dim=1, unbiased=False),
        'where': lambda t: torch.where(t > 0, t, t * 0.1),
        'softmax': lambda t: torch.softmax(t, dim=1),
        'log_softmax': lambda t: torch.log_softmax(t, dim=0),
        'softmax method': lambda t: t.softmax(-1),
        'sum dim': lambda t: t.sum(dim=0),
        'sum keepdim': lambda t: t.sum(1, keepdim=True),
        'mean dims': lambda t: t.mean((0, 1)),
        'abs': lambda t: t.abs(),
        'relu': lambda t: t.relu(),
        'sigmoid': lambda t: t.sigmoid(),
        'tanh': lambda t: torch.tanh(t),
        'exp': lambda t: t.exp(),
        'pow': lambda t: t.pow(3),
        'rpow': lambda t: 2 ** t,
        'rsub': lambda t: 1 - t,
        'div': lambda t: t / 3,
        'rdiv': lambda t: 1 / (t + 5),
        'sqrt': lambda t: (t * t + 1).sqrt(),
        'log': lambda t: (t * t + 1).log(),
        'matmul': lambda t: t @ t.t(),
        'mv': lambda t: t @ torch.tensor([1., 2., 3.]),
        'neg': lambda t: -t,
        'square': lambda t: t.square(),
        'rsqrt': lambda t: (t * t + 1).rsqrt(),
        'clamp_min': lambda t: t.clamp_min(0.5),
        'clamp_max': lambda t: t.clamp_max(0.5),
        'amax': lambda t: t.amax(1),
        'amin': lambda t: t.amin(0),
        'maximum': lambda t: torch.maximum(t, t.t().reshape(2, 3)),
        'minimum': lambda t: torch.minimum(t, t.t().reshape(2, 3)),
        'max of two': lambda t: t.max(torch.zeros(2, 3)),
        'masked_fill': lambda t: t.masked_fill(t > 1, 0.),
        'where scalar': lambda t: torch.where(t > 1, t, 0.),
        'rdiv scalar': lambda t: 2 / t,
        'prod': lambda t: t.prod(),
        'prod dim': lambda t: t.prod(1),
        'prod dim keepdim': lambda t: t.prod(0, keepdim=True),
    }
    for k, f in ops.items():
        x.grad = None
        y = f(x)
        R(k, y)
        R(k + ' fn', y.grad_fn.name() if k in COMPOSITE else y.grad_fn)
        w = torch.arange(1., y.numel() + 1.).reshape(y.shape)
        (y * w).sum().backward()
        R(k + ' grad', x.grad)
    R('argmax', (x.argmax(), x.argmax(dim=1), x.argmax(0, keepdim=True)))
    R('argmin', x.argmin(dim=1))
    R('argmax requires_grad', x.argmax().requires_grad)
    R('max dim', x.max(dim=1))
    R('min dim indices', x.min(dim=1).indices)
""")

case("ties_and_subgradients", """
    x = torch.tensor([1., 3., 3., 0.], requires_grad=True)
    x.max().backward()
    R('max ties share', x.grad)
    x.grad = None
    x.relu().sum().backward()
    x.grad = None
    z = torch.tensor([-1., 0., 2.], requires_grad=True)
    z.relu().sum().backward()
    R('relu at 0', z.grad)
    z.grad = None
    z.abs().sum().backward()
    R('abs at 0', z.grad)
    z.grad = None
    z.clamp(0, 2).sum().backward()
    R('clamp at bounds', z.grad)
    p = torch.tensor([[2., 0., -3.], [0., 0., 5.]], requires_grad=True)
    R('prod with zeros', (p.prod(), p.prod(1)))
    p.prod(1).sum().backward()
    R('prod grad with one and two zeros', p.grad)
    R('prod of ints', (torch.tensor([2, 3, 4]).prod(), torch.tensor([[1, 2], [3, 4]]).prod(0)))
""")

# ------------------------------------------------------------------------------ dtype promotion
case("dtype_promotion", """
    i = torch.tensor([1, 2, 3])
    f = torch.tensor([1., 2., 3.])
    d0 = torch.tensor(2., dtype=torch.float64)
    R('int + float scalar', i + 0.5)
    R('int * int scalar', i * 2)
    R('float32 + float64 0-dim', f + d0)
    R('float64 0-dim + float32', d0 + f)
    R('int / int', i / torch.tensor([2, 2, 2]))
    R('int / int scalar', i / 2)
    R('int scalar / int', 6 / i)
    R('float scalar / int', 1.5 / i)
    R('int // int', i // 2)
    R('bool + bool', torch.tensor([True, False]) + torch.tensor([True, True]))
    R('bool * int', torch.tensor([True, False]) * 3)
    R('bool + float', torch.tensor([True, False]) + 1.5)
    R('int + bool', i + torch.tensor(True))
    R('int32 + int64 0-dim', torch.tensor([1, 2], dtype=torch.int32) + torch.tensor(5))
    R('int32 + int64', torch.tensor([1, 2], dtype=torch.int32) + torch.tensor([5, 6]))
    R('float16 + float32 0-dim', torch.tensor([1., 2.], dtype=torch.float16) + torch.tensor(1.))
    R('comparison', i > 1.5)
    R('sum of int', i.sum())
    R('sum of bool', torch.tensor([True, True, False]).sum())
    R('mean of float64', torch.tensor([1., 2.], dtype=torch.float64).mean())
    E('mean of int', lambda: i.mean())
    R('float()', i.float())
    R('double()', f.double())
    R('long()', torch.tensor([1.7, -1.7]).long())
    R('to(int32)', f.to(torch.int32))
    R('bool()', torch.tensor([0., 2.]).bool())
    a = torch.tensor([1., 2.], dtype=torch.float64, requires_grad=True)
    b = torch.tensor([3., 4.], requires_grad=True)
    (a * b).sum().backward()
    R('mixed-precision grads', (a.grad, b.grad))
    E('int tensor += float', lambda: i.__iadd__(0.5))
""")

# ------------------------------------------------------------------------------ conversions
case("item_tolist_float", """
    x = torch.tensor([[1.5, 2.], [3., 4.]], requires_grad=True)
    R('item', x[0, 0].item())
    R('item type', type(x.sum().item()).__name__)
    R('tolist', x.tolist())
    R('float()', float(x[1, 1]))
    R('int()', int(torch.tensor(7)))
    R('int item', torch.tensor([3]).item())
    R('bool item', torch.tensor(True).item())
    R('tolist int', torch.tensor([[1, 2]]).tolist())
    R('0-dim tolist', torch.tensor(2.5).tolist())
    E('item of many', lambda: x.item())
    E('float of many', lambda: float(x))
    E('bool of many', lambda: bool(x))
    R('bool of one', bool(torch.tensor([0.])))
    R('len', len(x))
    E('len of 0-dim', lambda: len(torch.tensor(1.)))
    R('format', '{:.2f}'.format(torch.tensor(3.14159)))
""")

# ------------------------------------------------------------------------------ printing
case("printing", """
    import math
    x = torch.tensor([1., 2.], requires_grad=True)
    things = [
        torch.tensor([1., 2., 3.]),
        torch.tensor([[1.5, -2.25], [3., 4.]]),
        torch.tensor(3.),
        torch.tensor(3),
        torch.tensor([1, 2, 3]),
        torch.tensor([True, False]),
        torch.tensor([1., 2.], dtype=torch.float64),
        torch.tensor([1, 2], dtype=torch.int32),
        torch.tensor([1, 2], dtype=torch.uint8),
        torch.tensor([1., 2.], dtype=torch.float16),
        torch.tensor([0.0001, 100000.]),
        torch.tensor([1e-10, 1.]),
        torch.tensor([math.nan, math.inf, -math.inf]),
        torch.zeros(0),
        torch.zeros(2, 0),
        torch.arange(2000.),
        torch.arange(30.).reshape(5, 6) / 7,
        torch.ones(2, 2, 2),
        x,
        x * 2,
        x.sum(),
        x.mean(),
        x[0],
        x.reshape(2, 1),
        x.exp(),
        x.double(),
        x.detach(),
        torch.tensor([1., 2.], dtype=torch.float64, requires_grad=True),
        torch.tensor([[1., 2.]], requires_grad=True).t(),
        x @ x,
        x.unsqueeze(0).expand(3, 2),
        torch.cat([x, x]),
        torch.stack([x, x]),
        x.relu(),
        x.tanh(),
        1 - x,
        x ** 2,
        2 ** x,
        x / 2,
        x.clone(),
        x.max(),
        x.norm(),
    ]
    for t in things:
        R('repr', repr(t))
        R('str', str(t))
""")

case("size_dtype_metadata", """
    x = torch.zeros(2, 3, 4)
    R('Size repr', repr(x.shape))
    R('Size str', str(x.size()))
    R('Size is tuple', isinstance(x.shape, tuple))
    R('Size eq', x.shape == (2, 3, 4))
    R('size(dim)', (x.size(0), x.size(-1), x.size(1)))
    R('dim', (x.dim(), x.ndim, x.ndimension()))
    R('numel', (x.numel(), x.nelement(), torch.numel(x), x.shape.numel()))
    R('Size slice', repr(x.shape[1:]))
    R('Size index', x.shape[1])
    R('empty Size', repr(torch.tensor(1.).shape))
    R('dtype repr', [repr(d) for d in (torch.float32, torch.float64, torch.int64, torch.int32,
                                       torch.bool, torch.float16, torch.uint8)])
    R('dtype str', str(torch.float32))
    R('aliases', (torch.float is torch.float32, torch.double is torch.float64,
                  torch.long is torch.int64))
    R('dtype attr', (x.dtype, torch.tensor([1]).dtype, torch.tensor([True]).dtype))
    R('is_floating_point', (x.is_floating_point(), torch.tensor([1]).is_floating_point(),
                            torch.float32.is_floating_point))
    R('default dtype', torch.get_default_dtype())
    R('Size from ctor', repr(torch.Size([2, 3])))
    E('size out of range', lambda: x.size(3))
""")

# ------------------------------------------------------------------------------ shape errors
case("shape_errors_exact", """
    a = torch.ones(2, 3)
    E('matmul 2-D', lambda: a @ torch.ones(2, 3))
    E('mm', lambda: torch.mm(a, torch.ones(2, 3)))
    E('1-D @ 2-D', lambda: torch.ones(3) @ torch.ones(4, 2))
    E('1-D @ 1-D', lambda: torch.ones(3) @ torch.ones(4))
    E('2-D @ 1-D', lambda: a @ torch.ones(4))
    E('batched', lambda: torch.ones(2, 2, 3) @ torch.ones(2, 4, 4))
    E('batch mismatch', lambda: torch.ones(2, 2, 3) @ torch.ones(3, 3, 4))
    E('matmul dtypes', lambda: a @ torch.ones(3, 2, dtype=torch.float64))
    E('add', lambda: a + torch.ones(2, 4))
    E('mul', lambda: torch.ones(2, 3) * torch.ones(3, 2))
    E('sub 3-D', lambda: torch.ones(2, 3, 4) - torch.ones(3, 5, 4))
    E('leading dims', lambda: torch.ones(2, 3, 4) + torch.ones(5, 4))
    E('where', lambda: torch.where(a > 0, a, torch.ones(4)))
    E('view', lambda: torch.ones(6).view(4))
    E('reshape -1', lambda: a.reshape(4, -1))
    E('cat', lambda: torch.cat([a, torch.ones(2, 4)]))
    E('stack', lambda: torch.stack([a, torch.ones(2, 4)]))
    E('expand', lambda: a.expand(3, 3))
    E('sum dim', lambda: a.sum(2))
    E('index', lambda: a[2])
    E('in-place broadcast', lambda: torch.ones(1, 3).add_(torch.ones(2, 3)))
    E('in-place mismatch', lambda: a.add_(torch.ones(2, 2)))
    x = torch.ones(2, 3, requires_grad=True)
    E('grad path matmul', lambda: x @ x)
    E('grad path add', lambda: x + torch.ones(3, 2))
""")

case("shape_errors_more", """
    a = torch.ones(2, 3)
    E('permute duplicate', lambda: a.permute(0, 0))
    E('permute negative duplicate', lambda: a.permute(1, -1))
    E('repeat too few', lambda: a.repeat(2))
    E('split 0', lambda: a.split(0))
    E('chunk 0', lambda: a.chunk(0))
    E('mean int dtype', lambda: a.mean(dtype=torch.int64))
    E('narrow', lambda: a.narrow(1, 2, 2))
    E('select', lambda: a.select(1, 3))
    E('sum repeated dim', lambda: a.sum(dim=(0, -2)))
    E('transpose out of range', lambda: a.transpose(0, 2))
    E('unsqueeze out of range', lambda: a.unsqueeze(3))
    E('softmax dim', lambda: a.softmax(2))
    E('expand too few sizes', lambda: a.expand(3))
    E('expand -1 leading', lambda: a.expand(-1, 2, 3))
    E('expand 3-D', lambda: a.expand(4, 3, 3))
    E('expand last dim', lambda: a.expand(2, 4))
    E('cat ranks', lambda: torch.cat([a, torch.ones(2, 3, 1)]))
    E('cat dim 1', lambda: torch.cat([a, torch.ones(3, 4)], 1))
    E('cat 0-dim', lambda: torch.cat([torch.tensor(1.), torch.tensor(2.)]))
    E('cat empty', lambda: torch.cat([]))
    E('stack empty', lambda: torch.stack([]))
    E('stack ranks', lambda: torch.stack([torch.ones(2), torch.ones(2, 1)]))
    E('view two -1', lambda: a.view(-1, -1))
    E('reshape 0', lambda: a.reshape(0, -1))
    E('mm vector', lambda: torch.mm(a, torch.ones(3)))
    E('matmul 3-D @ 2-D', lambda: torch.ones(2, 2, 3) @ torch.ones(2, 2))
    E('matmul 1-D @ 3-D', lambda: torch.ones(3) @ torch.ones(2, 2, 2))
    E('matmul 2-D @ 4-D', lambda: a @ torch.ones(2, 4, 2, 2))
    E('matmul N-D @ 1-D', lambda: torch.ones(2, 3, 4) @ torch.ones(5))
    E('dot dtypes', lambda: torch.ones(2) @ torch.ones(2, dtype=torch.float64))
    E('mv dtypes', lambda: torch.ones(2, 2) @ torch.ones(2, dtype=torch.int64))
    E('mm int32', lambda: torch.ones(2, 2) @ torch.ones(2, 2, dtype=torch.int32))
    E('float of many', lambda: float(torch.ones(2)))
    E('int of many', lambda: int(torch.ones(2)))
    E('index of float', lambda: torch.ones(1).__index__())
    E('in-place 0-th dim', lambda: torch.ones(2, 3).add_(torch.ones(4, 3)))
    E('in-place grows', lambda: (torch.ones(2, 3, requires_grad=True) * 1).add_(torch.ones(2, 2, 3)))
    E('int tensor += float', lambda: torch.ones(2, dtype=torch.int64).add_(1.5))
    E('out of range index tensor', lambda: a[torch.tensor([3])])
    E('float index tensor', lambda: a[torch.tensor([0.5])])
    # PyTorch's text here names its sparse kernel; onnxgraft prints it word for word all the same,
    # since programs that print the error must print what PyTorch prints
    E('permute length', lambda: a.permute(0))
""")

case("custom_function_arguments_and_saved", """
    class Scale(torch.autograd.Function):
        @staticmethod
        def forward(ctx, a, k, b=None):
            ctx.k = k
            return a * k if b is None else a * k + b

        @staticmethod
        def backward(ctx, g):
            return g * ctx.k, None, g

    class Cube(torch.autograd.Function):
        @staticmethod
        def forward(ctx, a):
            ctx.save_for_backward(a)
            return a ** 3

        @staticmethod
        def backward(ctx, g):
            a, = ctx.saved_tensors
            return 3 * a * a * g

    x = torch.tensor([1., 2.], requires_grad=True)
    y = Scale.apply(x, 2.0)
    R('number argument has no edge', y.grad_fn)
    z = Scale.apply(torch.ones(2), 3.0, x)
    R('tensor arguments have edges', z.grad_fn)
    E('a gradient too many', lambda: Scale.apply(x, 2.0).sum().backward())
    s = Scale.apply(x, 2.0, torch.zeros(2)).sum()
    s.backward()
    s.backward()
    R('nothing saved: backward twice', x.grad)
    c = Cube.apply(x).sum()
    c.backward()
    E('saved: backward twice', c.backward)
    c2 = Cube.apply(x).sum()
    c2.backward(retain_graph=True)
    c2.backward()
    R('retained', x.grad)
""")

case("split_and_unbind", """
    x = torch.arange(6.).reshape(2, 3).requires_grad_()
    parts = {
        'split': x.split(2, dim=1),
        'split sizes': x.split([1, 2], dim=1),
        'chunk': x.chunk(2, dim=0),
        'unbind': x.unbind(1),
    }
    for k, ps in parts.items():
        R(k, ps)
        R(k + ' fns', [p.grad_fn.name() for p in ps])
        x.grad = None
        sum((p * (i + 1)).sum() for i, p in enumerate(ps)).backward()
        R(k + ' grad', x.grad)
""")


# ================================================================================ harness
def _mask(text):
    text = re.sub(r" at 0x[0-9a-fA-F]+", " at 0x...", text)
    return text.split(" (Triggered internally at")[0]


class _Recorder:
    """The R / E / W / ET helpers for one run; `lib` is the module bound to `torch`."""

    def __init__(self, lib):
        self.lib = lib
        self.records = []

    def norm(self, v, depth=0):
        lib = self.lib
        if isinstance(v, lib.Tensor):
            fn = v.grad_fn
            return ("tensor", repr(v.dtype), tuple(v.shape), np.array(v.detach().numpy(), copy=True),
                    v.requires_grad, v.is_leaf, None if fn is None else fn.name())
        if isinstance(v, lib.dtype):
            return ("dtype", repr(v))
        if isinstance(v, lib.Size):
            return ("Size", tuple(v))
        if hasattr(v, "next_functions"):  # a grad_fn node
            if depth > 12:
                return ("node", type(v).__name__)
            nexts = tuple((None if n is None else self.norm(n, depth + 1), nr) for n, nr in v.next_functions)
            var = getattr(v, "variable", None)
            return ("node", type(v).__name__, v.name(), nexts, None if var is None else tuple(var.shape))
        if isinstance(v, np.ndarray):
            return ("ndarray", v.dtype.name, v.copy())
        if isinstance(v, (list, tuple)):
            kind = "list" if isinstance(v, list) else "tuple"
            return (kind, tuple(self.norm(x, depth) for x in v))
        if isinstance(v, dict):
            return ("dict", tuple((k, self.norm(x, depth)) for k, x in v.items()))
        if isinstance(v, str):
            return ("str", _mask(v))
        if v is None or isinstance(v, (bool, int, float)):
            return (type(v).__name__, v)
        raise TypeError(f"the parity harness cannot record {type(v).__name__}")

    def R(self, label, value):
        self.records.append((label, self.norm(value)))

    def E(self, label, fn):
        try:
            result = fn()
        except Exception as exc:  # noqa: BLE001  (the error is what is compared)
            self.records.append((label, ("error", type(exc).__name__, _mask(str(exc)))))
        else:
            self.records.append((label, ("ok", self.norm(result))))

    def ET(self, label, fn, *words):
        try:
            fn()
        except Exception as exc:  # noqa: BLE001
            if self.lib is onnxgraft:
                missing = [w for w in words if w not in str(exc)]
                assert not missing, f"{label}: onnxgraft's message {str(exc)!r} lacks {missing}"
            self.records.append((label, ("error type", type(exc).__name__)))
        else:
            self.records.append((label, ("no error",)))

    def W(self, label, fn):
        with warnings.catch_warnings(record=True) as caught:
            warnings.simplefilter("always")
            result = fn()
        seen = tuple((w.category.__name__, _mask(str(w.message))) for w in caught)
        self.records.append((label, ("warned", seen, self.norm(result))))


def run_program(lib, source):
    rec = _Recorder(lib)
    env = {"torch": lib, "R": rec.R, "E": rec.E, "W": rec.W, "ET": rec.ET, "math": math,
           "COMPOSITE": COMPOSITE}
    try:
        with warnings.catch_warnings():  # a program's warning filters end with it
            exec(compile(source, "<parity program>", "exec"), env)
    finally:
        lib.set_grad_enabled(True)  # a failing program must not leave grad mode off
    return rec.records


def _same(a, b, where):
    if isinstance(a, np.ndarray) or isinstance(b, np.ndarray):
        assert isinstance(a, np.ndarray) and isinstance(b, np.ndarray), where
        assert a.shape == b.shape, f"{where}: shape {a.shape} != {b.shape}"
        if a.dtype.kind == "f":
            np.testing.assert_allclose(a, b, rtol=1e-5, atol=1e-6, equal_nan=True, err_msg=where)
        else:
            np.testing.assert_array_equal(a, b, err_msg=where)
        return
    if isinstance(a, tuple) and isinstance(b, tuple):
        assert len(a) == len(b), f"{where}: {a!r}\n!=\n{b!r}"
        for i, (x, y) in enumerate(zip(a, b)):
            _same(x, y, f"{where}[{i}]")
        return
    if isinstance(a, float) and isinstance(b, float):
        assert math.isclose(a, b, rel_tol=1e-5, abs_tol=1e-6) or (math.isnan(a) and math.isnan(b)), \
            f"{where}: {a} != {b}"
        return
    assert a == b, f"{where}:\n  onnxgraft: {a!r}\n  torch:     {b!r}"


@pytest.fixture(scope="module")
def torch():
    return pytest.importorskip("torch")


@pytest.mark.parametrize("name", sorted(CASES))
def test_parity(name, torch):
    """The program observes the same values, grads, grad_fns, errors and warnings in both."""
    ours = run_program(onnxgraft, CASES[name])
    theirs = run_program(torch, CASES[name])
    assert [label for label, _ in ours] == [label for label, _ in theirs]
    for (label, a), (_, b) in zip(ours, theirs):
        _same(a, b, f"{name}: {label}")


@pytest.mark.parametrize("name", sorted(CASES))
def test_runs_without_torch(name):
    """Every program runs to the end with onnxgraft alone (no exception escapes a helper)."""
    assert run_program(onnxgraft, CASES[name])


def test_create_graph_backward_warns():
    """backward(create_graph=True) warns about the reference cycle with PyTorch's text (PyTorch
    warns once per process; which call that is depends on what ran first, so this checks
    onnxgraft alone)."""
    x = onnxgraft.tensor([2.], requires_grad=True)
    with pytest.warns(UserWarning) as caught:
        (x * x).sum().backward(create_graph=True)
    assert str(caught[0].message) == (
        "Using backward() with create_graph=True will create a reference cycle between the parameter "
        "and its gradient which can cause a memory leak. We recommend using autograd.grad when creating "
        "the graph to avoid this. If you have to use this function, make sure to reset the .grad fields "
        "of your parameters to None after use to break the cycle and avoid the leak.")
    assert type(x.grad.grad_fn).__name__ == "CopyBackwards"


def test_float_of_requires_grad_tensor_warns():
    """float() of a tensor that requires grad warns, with PyTorch's text (once per process there)."""
    x = onnxgraft.tensor(2., requires_grad=True)
    with pytest.warns(UserWarning) as caught:
        assert float(x) == 2.0
    assert str(caught[0].message) == ("Converting a tensor with requires_grad=True to a scalar may lead "
                                      "to unexpected behavior.\nConsider using tensor.detach() first.")
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        assert x.item() == 2.0 and float(x.detach()) == 2.0  # neither of these warns


def test_literal_errors_without_torch():
    """The error texts that PyTorch gives word for word, checked without torch."""
    cases = [
        (lambda: onnxgraft.ones(2, 3) @ onnxgraft.ones(2, 3),
         "mat1 and mat2 shapes cannot be multiplied (2x3 and 2x3)"),
        (lambda: onnxgraft.ones(2, 3) + onnxgraft.ones(2, 4),
         "The size of tensor a (3) must match the size of tensor b (4) at non-singleton dimension 1"),
        (lambda: onnxgraft.ones(6).view(4), "shape '[4]' is invalid for input of size 6"),
        (lambda: onnxgraft.ones(2, 3, requires_grad=True) * onnxgraft.ones(3, 2),
         "The size of tensor a (3) must match the size of tensor b (2) at non-singleton dimension 1"),
        (lambda: onnxgraft.tensor([1, 2], requires_grad=True),
         "Only Tensors of floating point and complex dtype can require gradients"),
        (lambda: onnxgraft.ones(2, requires_grad=True).numpy(),
         "Can't call numpy() on Tensor that requires grad. Use tensor.detach().numpy() instead."),
    ]
    for fn, text in cases:
        with pytest.raises(RuntimeError) as info:
            fn()
        assert str(info.value) == text


def test_reference_rows_without_torch():
    """Values from REFERENCE.md's table of PyTorch 2.13 behaviour, checked with onnxgraft alone."""
    og = onnxgraft
    w = og.tensor([1.], requires_grad=True)
    (w * 2).sum().backward()
    first = w.grad
    (w * 3).sum().backward()
    assert w.grad.tolist() == [5.0] and w.grad is first          # accumulates in place

    x = og.tensor([0., 1.], requires_grad=True)
    y = x.exp().sum()
    y.backward(retain_graph=True)
    y.backward()
    np.testing.assert_allclose(x.grad.numpy(), 2 * np.exp([0., 1.]), rtol=1e-6)

    c = og.tensor(2., requires_grad=True)
    g, = og.autograd.grad(c ** 3, c, create_graph=True)
    assert g.item() == 12.0 and g.grad_fn.name() == "MulBackward0"
    assert og.autograd.grad(g, c)[0].item() == 12.0

    a = og.tensor([1., 2.], requires_grad=True)
    assert og.autograd.grad(2 * a, a, grad_outputs=og.tensor([1., 10.]))[0].tolist() == [2.0, 20.0]
    assert a.grad is None

    v = og.tensor([1.], requires_grad=True)
    h = v * 3
    h.retain_grad()
    h.register_hook(lambda grad: grad * 10)
    (h * 3).sum().backward()
    assert h.grad.tolist() == [30.0]

    p, q, r = og.ones(2, 3, requires_grad=True), og.full((3,), 2., requires_grad=True), \
        og.full((2, 1), 3., requires_grad=True)
    (p * q * r).sum().backward()
    assert q.grad.tolist() == [6.0, 6.0, 6.0] and r.grad.tolist() == [[6.0], [6.0]]
    assert p.grad.tolist() == [[6.0] * 3] * 2

    names = {"add": (p + 1).grad_fn.name(), "mm": (p @ p.t()).grad_fn.name(),
             "t": p.t().grad_fn.name(), "view": p.view(6).grad_fn.name(),
             "select": p[0].grad_fn.name(), "expand": r.expand(2, 3).grad_fn.name(),
             "leaf": (p + 1).grad_fn.next_functions[0][0].name()}
    assert names == {"add": "AddBackward0", "mm": "MmBackward0", "t": "TBackward0",
                     "view": "ViewBackward0", "select": "SelectBackward0", "expand": "ExpandBackward0",
                     "leaf": "torch::autograd::AccumulateGrad"}


def test_grad_with_no_inputs_is_refused_as_pytorch_does():
    import onnxgraft as og
    x = og.ones(2, requires_grad=True)
    with pytest.raises(RuntimeError, match="`inputs` argument to `grad\\(\\)` cannot be empty."):
        og.autograd.grad((x * 2).sum(), [])


def test_max_min_over_a_dim_send_the_whole_gradient_to_the_returned_index():
    import onnxgraft as og
    # ties: max(dim)/min(dim) route to the index they return (PyTorch's
    # value_selecting_reduction_backward); amax and max() share the gradient between ties
    x = og.tensor([[1.0, 2.0], [1.0, 3.0], [0.0, 3.0]], requires_grad=True)
    values, indices = x.max(0)
    values.sum().backward()
    assert x.grad.tolist() == [[1.0, 0.0], [0.0, 1.0], [0.0, 0.0]] and indices.tolist() == [0, 1]
    x.grad = None
    x.min(1, keepdim=True).values.sum().backward()
    assert x.grad.tolist() == [[1.0, 0.0], [1.0, 0.0], [1.0, 0.0]]
    x.grad = None
    x.amax(0).sum().backward()
    assert x.grad.tolist() == [[0.5, 0.0], [0.5, 0.5], [0.0, 0.5]]
    y = og.tensor([[1.0, 3.0], [3.0, 0.0]], requires_grad=True)
    y.max().backward()
    assert y.grad.tolist() == [[0.0, 0.5], [0.5, 0.0]]

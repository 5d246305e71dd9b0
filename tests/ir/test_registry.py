"""Every registry op, tested from one table (tests/ir/cases.py), as STYLE.md rule 13 asks:

- the eager kernel against an independent numpy expression, and the op's shape/dtype rule against
  what the kernel really returns (float64 and float32 inputs);
- the VJP against central finite differences in float64, element by element and as the
  dot-product test <v, J u> == <J^T v, u>;
- second order: the gradient of <w, grad(<v, f(x)>, x, create_graph=True)> against finite
  differences of the first-order gradient;
- the same VJP rule applied to symbolic `ir.Value`s and run by the interpreter, which must give
  the eager gradients (so VJP rules use only registered ops);
- ops marked differentiable=False, and integer or bool outputs, never carry a grad_fn.
"""
import numpy as np
import pytest

import onnxgraft
from onnxgraft import autograd
from onnxgraft.frontend.node import apply
from onnxgraft.ir import Graph, Value, interpret
from onnxgraft.ir.graph import PSEUDO_OPS
from onnxgraft.ir.ops import REGISTRY, ShapeError
from onnxgraft.ir.value import emit

from .cases import CASES

ALL = [c for op in CASES if op in REGISTRY for c in CASES[op]]


def _kernel(case, arrays):
    res = REGISTRY[case.op].eager(*arrays, **case.attrs)
    return tuple(np.asarray(r) for r in res) if isinstance(res, tuple) else (np.asarray(res),)


def _name(dtype):
    """A dtype's numpy name: Tensor dtypes are str subclasses that print as torch.float64."""
    return dtype.name if isinstance(dtype, np.dtype) else str.__str__(dtype)


def _floating(dtype):
    return np.dtype(_name(dtype)).kind == "f"


def _has_gradient(case):
    """The op is differentiable, some input is differentiated and some output is floating."""
    if not REGISTRY[case.op].differentiable or not case.wrt:
        return False
    return any(_floating(o.dtype) for o in _kernel(case, case.inputs))


DIFF = [c for c in ALL if _has_gradient(c)]


def _tensors(case, arrays=None):
    """Inputs as Tensors: the differentiated ones float64 with requires_grad=True."""
    arrays = case.inputs if arrays is None else arrays
    return [onnxgraft.tensor(x, dtype=onnxgraft.float64, requires_grad=True) if i in case.wrt
            else onnxgraft.from_numpy(np.array(x)) for i, x in enumerate(arrays)]


def _apply(case, tensors):
    res = apply(case.op, tensors, dict(case.attrs))
    return res if isinstance(res, tuple) else (res,)


def _cotangents(case, seed):
    """A random cotangent per floating output (None for integer/bool outputs)."""
    rng = np.random.default_rng(seed)
    return [rng.standard_normal(o.shape).astype(o.dtype) if _floating(o.dtype) else None
            for o in _kernel(case, case.inputs)]


def _objective(case, arrays, vs):
    """<v, f(x)> summed over the outputs, in float64, computed by the numpy kernel."""
    outs = _kernel(case, arrays)
    return sum(float(np.sum(v.astype(np.float64) * o.astype(np.float64)))
               for v, o in zip(vs, outs) if v is not None)


def _eager_vjp(case, vs, create_graph=False, arrays=None):
    """J^T v for the differentiated inputs, through Tensors and autograd.grad."""
    xs = _tensors(case, arrays)
    outs = _apply(case, xs)
    pairs = [(o, v) for o, v in zip(outs, vs) if v is not None]
    grads = autograd.grad([o for o, _ in pairs], [xs[i] for i in case.wrt], [v for _, v in pairs],
                          create_graph=create_graph)
    return xs, outs, grads


def _shifted(case, direction, eps):
    """Copies of the inputs with the differentiated ones moved by eps * direction."""
    arrays = [np.array(x) for x in case.inputs]
    for i, d in zip(case.wrt, direction):
        arrays[i] = arrays[i] + eps * d
    return arrays


def _close(actual, expected, rtol, what):
    scale = max(1.0, float(np.max(np.abs(expected), initial=0.0)))
    np.testing.assert_allclose(actual, expected, rtol=rtol, atol=rtol * scale, err_msg=what)


# -- coverage ----------------------------------------------------------------------------------------
def test_every_op_has_cases():
    missing = sorted(set(REGISTRY) - set(CASES))
    unknown = sorted(set(CASES) - set(REGISTRY))
    assert not missing, f"registry ops without sample cases in tests/ir/cases.py: {missing}"
    assert not unknown, f"tests/ir/cases.py has cases for ops the registry lacks: {unknown}"


def test_every_differentiable_op_has_a_gradient_case():
    differentiable = {name for name, op in REGISTRY.items() if op.differentiable}
    missing = sorted(differentiable - {c.op for c in DIFF})
    assert not missing, f"differentiable ops whose cases differentiate nothing: {missing}"


# -- kernel and shape rule -------------------------------------------------------------------------------
@pytest.mark.parametrize("case", ALL, ids=repr)
def test_kernel_matches_numpy(case):
    assert case.ref is not None or case.check is not None, f"{case} has neither ref nor check"
    before = [np.array(x) for x in case.inputs]
    outs = _kernel(case, case.inputs)
    for x, b in zip(case.inputs, before):
        np.testing.assert_array_equal(x, b, err_msg=f"{case.op} modified its input")
    if case.ref is not None:
        refs = case.ref(*case.inputs)
        refs = tuple(np.asarray(r) for r in refs) if isinstance(refs, tuple) else (np.asarray(refs),)
        assert len(outs) == len(refs)
        for out, ref in zip(outs, refs):
            assert (out.shape, out.dtype) == (ref.shape, ref.dtype), case
            np.testing.assert_allclose(out, ref, rtol=1e-12, atol=1e-12, err_msg=repr(case))
    if case.check is not None:
        assert case.check(*outs, *case.inputs), f"{case}: property check failed"


@pytest.mark.parametrize("float_dtype", ["float64", "float32"])
@pytest.mark.parametrize("case", ALL, ids=repr)
def test_infer_matches_kernel(case, float_dtype):
    arrays = [x.astype(float_dtype) if x.dtype.kind == "f" else x for x in case.inputs]
    outs = _kernel(case, arrays)
    opdef = REGISTRY[case.op]
    inferred = opdef.infer(*[(x.shape, x.dtype.name) for x in arrays], **case.attrs)
    assert [(tuple(s), str(d)) for s, d in inferred] == [(o.shape, o.dtype.name) for o in outs]
    assert len(outs) == opdef.n_outputs


# -- first order ---------------------------------------------------------------------------------------------
@pytest.mark.parametrize("case", DIFF, ids=repr)
def test_vjp_matches_finite_differences(case):
    vs = _cotangents(case, 1)
    xs, outs, grads = _eager_vjp(case, vs)
    opdef = REGISTRY[case.op]
    assert all(o.grad_fn is not None and o.grad_fn.name() == opdef.grad_name
               for o in outs if _floating(o.dtype))
    for k, i in enumerate(case.wrt):
        x = case.inputs[i]
        g = grads[k]
        assert (tuple(g.shape), _name(g.dtype)) == (x.shape, x.dtype.name), f"{case}: input {i}"
        fd = np.zeros(x.shape)
        for j in np.ndindex(x.shape):
            e = np.zeros(x.shape)
            e[j] = 1.0
            step = [e if m == i else np.zeros(case.inputs[m].shape) for m in case.wrt]
            hi = _objective(case, _shifted(case, step, case.eps), vs)
            lo = _objective(case, _shifted(case, step, -case.eps), vs)
            fd[j] = (hi - lo) / (2 * case.eps)
        _close(g.detach().numpy(), fd, case.rtol, f"{case}: gradient of input {i}")


@pytest.mark.parametrize("case", DIFF, ids=repr)
def test_vjp_dot_product(case):
    """<v, J u> (J u by central differences) equals <J^T v, u> (J^T v by the VJP)."""
    rng = np.random.default_rng(2)
    vs = _cotangents(case, 3)
    us = [rng.standard_normal(case.inputs[i].shape) for i in case.wrt]
    _, _, grads = _eager_vjp(case, vs)
    jvp = (_objective(case, _shifted(case, us, case.eps), vs)
           - _objective(case, _shifted(case, us, -case.eps), vs)) / (2 * case.eps)
    vjp = sum(float(np.sum(g.detach().numpy() * u)) for g, u in zip(grads, us))
    assert vjp == pytest.approx(jvp, rel=case.rtol, abs=case.rtol * max(1.0, abs(jvp))), case


# -- second order --------------------------------------------------------------------------------------------
@pytest.mark.parametrize("case", DIFF, ids=repr)
def test_second_order(case):
    """grad(<w, g1(x)>, x) with g1 = grad(<v, f(x)>, x, create_graph=True) is H w (H the symmetric
    Hessian of <v, f>), so it must match the central difference of g1 along w."""
    rng = np.random.default_rng(4)
    vs = _cotangents(case, 5)
    ws = [rng.standard_normal(case.inputs[i].shape) for i in case.wrt]
    xs, _, g1 = _eager_vjp(case, vs, create_graph=True)
    wrt = [xs[i] for i in case.wrt]
    # a rule whose gradient does not depend on x (Add, Relu away from 0) returns constants
    live = [(g, w) for g, w in zip(g1, ws) if g.requires_grad]
    hw = [None] * len(wrt)
    if live:
        hw = autograd.grad([g for g, _ in live], wrt, [w for _, w in live], allow_unused=True)
    hw = [np.zeros(x.shape) if h is None else h.detach().numpy() for h, x in zip(hw, wrt)]
    eps = max(case.eps, 1e-5)
    _, _, hi = _eager_vjp(case, vs, arrays=_shifted(case, ws, eps))
    _, _, lo = _eager_vjp(case, vs, arrays=_shifted(case, ws, -eps))
    for k, i in enumerate(case.wrt):
        fd = (hi[k].detach().numpy() - lo[k].detach().numpy()) / (2 * eps)
        _close(hw[k], fd, max(case.rtol, 1e-5), f"{case}: second derivative, input {i}")


# -- symbolic emission ---------------------------------------------------------------------------------------
@pytest.mark.parametrize("case", DIFF, ids=repr)
def test_symbolic_vjp_matches_eager(case):
    """The VJP rule applied to graph Values, then interpreted, gives the eager gradients."""
    opdef = REGISTRY[case.op]
    graph = Graph("vjp")
    ins = [Value(graph, graph.add_node("Input", out_meta=[(x.shape, x.dtype.name)], name=f"x{i}"))
           for i, x in enumerate(case.inputs)]
    outs = emit(graph, case.op, ins, case.attrs)
    vs = _cotangents(case, 6)
    cots = [Value(graph, graph.add_node("Input", out_meta=[(o.shape, o.dtype)], name=f"v{k}"))
            for k, o in enumerate(outs)]
    single = opdef.n_outputs == 1
    res = opdef.vjp(cots[0] if single else tuple(cots), outs[0] if single else tuple(outs), *ins,
                    **case.attrs)
    assert len(res) == len(ins), f"{case.op}: {len(res)} gradient slots for {len(ins)} inputs"
    grads = [r() if callable(r) else r for r in res]
    for i, g in enumerate(grads):
        if i not in case.wrt:
            assert g is None, f"{case.op}: input {i} is not differentiable but got a gradient"
    unregistered = {graph.node(n)["op"] for n in graph.nodes()} - set(REGISTRY) - set(PSEUDO_OPS)
    assert not unregistered
    feeds = {f"x{i}": x for i, x in enumerate(case.inputs)}
    # integer and bool outputs get no cotangent: the rule must not read them, so zeros are fine
    feeds.update({f"v{k}": (v if v is not None else np.zeros(o.shape, o.dtype))
                  for k, (v, o) in enumerate(zip(vs, outs))})
    env = interpret(graph, feeds)
    _, _, eager = _eager_vjp(case, vs)
    for k, i in enumerate(case.wrt):
        g = grads[i]
        assert (tuple(g.shape), g.dtype) == (case.inputs[i].shape, case.inputs[i].dtype.name)
        np.testing.assert_allclose(env[g.ref], eager[k].detach().numpy(), rtol=1e-12, atol=1e-12,
                                   err_msg=f"{case}: symbolic gradient of input {i}")


# -- what carries no gradient --------------------------------------------------------------------------------
def _all_float_grad(case):
    return [onnxgraft.tensor(x, requires_grad=True) if x.dtype.kind == "f" else onnxgraft.from_numpy(np.array(x))
            for x in case.inputs]


@pytest.mark.parametrize("case", [c for c in ALL if not REGISTRY[c.op].differentiable], ids=repr)
def test_non_differentiable_ops_record_no_grad_fn(case):
    for out in _apply(case, _all_float_grad(case)):
        assert not out.requires_grad and out.grad_fn is None, case


@pytest.mark.parametrize("case", [c for c in ALL if any(not _floating(o.dtype) for o in _kernel(c, c.inputs))
                                  and any(x.dtype.kind == "f" for x in c.inputs)], ids=repr)
def test_integer_and_bool_outputs_do_not_require_grad(case):
    for out in _apply(case, _all_float_grad(case)):
        if not _floating(out.dtype):
            assert not out.requires_grad and out.grad_fn is None, case


def test_reduce_max_splits_the_gradient_among_ties():
    # PyTorch's amax rule: tied maxima share the incoming gradient evenly
    x = onnxgraft.tensor([[1.0, 3.0, 3.0], [2.0, 2.0, 0.0]], dtype=onnxgraft.float64, requires_grad=True)
    out = apply("ReduceMax", [x], {"axes": (1,), "keepdims": 0})
    g, = autograd.grad(out, x, onnxgraft.tensor([1.0, 4.0], dtype=onnxgraft.float64))
    np.testing.assert_array_equal(g.numpy(), [[0.0, 0.5, 0.5], [2.0, 2.0, 0.0]])


def test_gemm_bias_must_broadcast_to_the_output():
    # ONNX Gemm broadcasts C one way: a (1, 2, 4) bias on a (2, 4) product is an error, not (1, 2, 4)
    infer = REGISTRY["Gemm"].infer
    with pytest.raises(ShapeError, match=r"bias of shape \(1, 2, 4\)"):
        infer(((2, 3), "float64"), ((3, 4), "float64"), ((1, 2, 4), "float64"))
    assert infer(((2, 3), "float64"), ((3, 4), "float64"), ((2, 1), "float64")) == [((2, 4), "float64")]

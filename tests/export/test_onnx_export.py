"""ONNX export and import: every registry op as a one-op model in onnxruntime against its eager
kernel; Input/Param/Const handling, output names, state metadata, determinism, atomic saving;
import of our own models and of torch.onnx.export's; DOT drawing."""
import io
import json
import os

import numpy as np
import onnx
import onnxruntime as ort
import pytest

from onnxgraft.export.dot import to_dot
from onnxgraft.export.onnx import ExportError, OnnxImportError, from_model, save_model, to_model
from onnxgraft.ir import REGISTRY, Graph, Value, emit, run_outputs

from ..ir.cases import CASES, Case

rng = np.random.default_rng(7)


def i64(values):
    return np.array(values, dtype=np.int64)


# Cases that exercise the exporter's lowerings and dtype corners beyond tests/ir/cases.py.
EXTRA = {}


def extra(op, inputs, attrs=None, label=""):
    EXTRA.setdefault(op, []).append(Case(op, inputs, attrs, label=label))


X = rng.standard_normal((5, 4, 6))
extra("SliceGrad", [rng.standard_normal((2, 4, 2))],
      dict(shape=(5, 4, 6), starts=(4, 1), ends=(0, 6), axes=(0, -1), steps=(-3, 3)), "neg-step3-two-axes")
extra("SliceGrad", [rng.standard_normal((1, 4, 6))],
      dict(shape=(5, 4, 6), starts=(2,), ends=(3,), axes=(0,), steps=(4,)), "one-entry-big-step")
extra("SliceGrad", [rng.standard_normal((0, 4))],
      dict(shape=(3, 4), starts=(2,), ends=(1,), axes=(0,), steps=(1,)), "empty")
extra("SliceGrad", [rng.standard_normal((2, 3))],
      dict(shape=(4, 3), starts=(-3,), ends=(-1,), axes=(0,), steps=(1,)), "neg-start")
extra("GatherGrad", [rng.standard_normal((2, 5)), i64([-1, 0, -1, 2, 2])],
      dict(shape=(2, 3), axis=1), "neg-repeated")
extra("GatherGrad", [rng.standard_normal((1, 3, 3)).astype(np.float32), i64([[1, 1, 0]])],
      dict(shape=(2, 3), axis=0), "2d-index-axis0")
extra("Div", [np.array([7, -7, 5, -9], np.int32), np.array([-2, 2, 5, 4], np.int32)], label="int32")
extra("ReduceMean", [i64([[1, 2], [4, -7]])], dict(axes=(1,), keepdims=0), "int64-truncates")
extra("ReduceMax", [np.array([[True, False], [False, False]])], dict(axes=(1,), keepdims=1), "bool")
extra("ReduceMax", [i64([[1, 9], [4, -7]])], dict(axes=(0,), keepdims=0), "int64")
extra("ReduceSum", [X], dict(axes=(), keepdims=0), "no-axes")
extra("ReduceSum", [np.array([[1, 2]], np.int8)], dict(axes=(1,), keepdims=1), "int8")
# column sums of 8+ rows are lowered as MatMul(ones, x): both keepdims, a negative axis, float64
extra("ReduceSum", [rng.standard_normal((9, 4)).astype(np.float32)], dict(axes=(0,), keepdims=0), "cols-as-matmul")
extra("ReduceSum", [rng.standard_normal((12, 3))], dict(axes=(-2,), keepdims=1), "cols-as-matmul-keepdims")
extra("ReduceSum", [i64(np.arange(30).reshape(10, 3))], dict(axes=(0,), keepdims=0), "int64-cols-stay-reducesum")
extra("Squeeze", [rng.standard_normal((2, 1, 3))], dict(axes=(0, 1)), "non-1-axis-kept")
extra("Squeeze", [rng.standard_normal((2, 3))], dict(axes=(0,)), "nothing-to-squeeze")
extra("Reshape", [np.zeros((0, 3), np.float32)], dict(shape=(3, 0)), "empty")
extra("Gemm", [i64([[1, 2], [3, 4], [5, 6]]), i64([[1, 0, 2], [0, 1, 1]]), i64([1, -1])],
      dict(alpha=2.0, beta=3.0, transA=1, transB=1), "int64-trans-alpha-beta")
extra("Gemm", [i64([[1, 2]]), i64([[3], [4]])], label="int64-plain")
extra("Clip", [i64([-5, 0, 3, 9])], dict(min=-1, max=4), "int64")
extra("Clip", [rng.standard_normal((3, 2)).astype(np.float32)], dict(min=0), "float32-int-bound")
extra("Pad", [i64([[1, 2]])], dict(pads=(1, 0, 0, 2), value=7), "int64")
extra("Cast", [np.array([0.0, -1.5, 2.0], np.float32)], dict(to="bool"), "to-bool")
extra("Cast", [i64([3, -4])], dict(to="float32"), "int64-to-float32")
extra("Expand", [np.array([[True], [False]])], dict(shape=(2, 3)), "bool")
extra("Where", [np.array([True, False]), i64([1, 2]), i64([[5], [6]])], label="int64")
extra("Concat", [i64([[1]]), i64([[2, 3]])], dict(axis=1), "int64")
extra("Transpose", [np.array([[True, False, True]])], dict(perm=(1, 0)), "bool")
extra("Transpose", [np.array(2.5)], dict(perm=()), "0d-is-identity")
extra("Slice", [X], dict(starts=(-1, 5), ends=(-100, 0), axes=(2, 0), steps=(-2, -2)), "neg-steps-clamped")
extra("NegativeLogLikelihoodLoss", [rng.standard_normal((3, 4)), np.array([3, 0, 1], np.int32)],
      label="int32-target")
extra("Unsqueeze", [np.array(2.5)], dict(axes=(0, -1)), "0d")


# ops with no standard ONNX operator (export refuses them, naming the op), and ops onnxruntime
# runs in float32 only (export refuses the float64 variant, naming the dtype)
NO_ONNX_FORM = {"Inverse", "Lgamma", "Digamma", "Polygamma"}
FLOAT32_ONLY = {"Det", "Conv", "ConvTranspose"}


def _all_cases():
    out = []
    for op in sorted(REGISTRY):
        if op in NO_ONNX_FORM:
            continue
        for case in CASES.get(op, []) + EXTRA.get(op, []):
            if op not in FLOAT32_ONLY or all(x.dtype != np.float64 for x in case.inputs):
                out.append(pytest.param(case, "native", id=f"{case!r}-native"))
            if any(x.dtype == np.float64 for x in case.inputs):
                out.append(pytest.param(case, "float32", id=f"{case!r}-float32"))
    return out


def one_op_graph(op, arrays, attrs):
    """A graph with one Input per array, one `op` node, and all its outputs as graph outputs."""
    g = Graph(f"one_{op}")
    xs = [Value(g, g.add_node("Input", out_meta=[(a.shape, a.dtype.name)], name=f"x{i}"))
          for i, a in enumerate(arrays)]
    g.meta["outputs"] = [v.ref for v in emit(g, op, xs, attrs)]
    return g


def ort_run(model, feeds):
    sess = ort.InferenceSession(model.SerializeToString(), providers=["CPUExecutionProvider"])
    return sess.run(None, feeds)


def assert_same(actual, expected, dtype):
    expected = np.asarray(expected)
    assert actual.dtype == expected.dtype, (actual.dtype, expected.dtype)
    assert actual.shape == expected.shape, (actual.shape, expected.shape)
    if dtype == "float64" and expected.dtype == np.float64:
        np.testing.assert_allclose(actual, expected, rtol=1e-10, atol=1e-12)
    elif expected.dtype.kind == "f":
        np.testing.assert_allclose(actual, expected, rtol=2e-5, atol=2e-6)
    else:
        np.testing.assert_array_equal(actual, expected)


def test_every_registry_op_has_an_onnx_case():
    missing = sorted(op for op in REGISTRY if not CASES.get(op) and not EXTRA.get(op))
    assert not missing, f"registry ops without a one-op ONNX case: {missing}"


@pytest.mark.parametrize("case, variant", _all_cases())
def test_one_op_model_in_onnxruntime_matches_kernel(case, variant):
    arrays = [x.astype(np.float32) if variant == "float32" and x.dtype == np.float64 else x
              for x in case.inputs]
    attrs = {k: v for k, v in case.attrs.items() if v is not None}
    g = one_op_graph(case.op, arrays, attrs)
    model = to_model(g)
    onnx.checker.check_model(model, full_check=True)
    assert all(n.domain == "" for n in model.graph.node)
    expected = REGISTRY[case.op].eager(*arrays, **attrs)
    expected = expected if isinstance(expected, tuple) else (expected,)
    got = ort_run(model, {f"x{i}": a for i, a in enumerate(arrays)})
    assert len(got) == len(expected)
    for actual, want in zip(got, expected):
        assert_same(actual, want, "float64" if variant == "native" else "float32")


def _vjp_cases():
    return [pytest.param(c, id=repr(c)) for op in sorted(REGISTRY) for c in CASES.get(op, [])
            if REGISTRY[op].differentiable and REGISTRY[op].vjp is not None and
            any(x.dtype.kind == "f" for x in c.inputs) and op not in NO_ONNX_FORM | FLOAT32_ONLY]


@pytest.mark.parametrize("case", _vjp_cases())
def test_backward_nodes_of_each_op_export_and_match_the_interpreter(case):
    """The VJP rule appended to a graph (what the autodiff pass writes) exports and runs in
    onnxruntime with the interpreter's result: the backward half of a compiled training step."""
    opdef = REGISTRY[case.op]
    g = Graph(f"vjp_{case.op}")
    ins = [Value(g, g.add_node("Input", out_meta=[(x.shape, x.dtype.name)], name=f"x{i}"))
           for i, x in enumerate(case.inputs)]
    outs = emit(g, case.op, ins, case.attrs)
    cots = [Value(g, g.add_node("Input", out_meta=[(o.shape, o.dtype)], name=f"v{k}"))
            for k, o in enumerate(outs)]
    single = opdef.n_outputs == 1
    res = opdef.vjp(cots[0] if single else tuple(cots), outs[0] if single else tuple(outs), *ins,
                    **case.attrs)
    grads = [r() if callable(r) else r for r in res]
    grads = [gr for gr in grads if gr is not None]
    g.meta["outputs"] = [gr.ref for gr in grads]
    feeds = {f"x{i}": x for i, x in enumerate(case.inputs)}
    feeds.update({f"v{k}": rng.standard_normal(o.shape).astype(o.dtype) for k, o in enumerate(outs)})
    model = to_model(g)
    onnx.checker.check_model(model, full_check=True)
    for got, want in zip(ort_run(model, feeds), run_outputs(g, feeds)):
        assert_same(got, want, "float64")


@pytest.mark.parametrize("opset", [17, 18])
def test_reductions_and_lowerings_at_each_supported_opset(opset):
    x = rng.standard_normal((3, 4)).astype(np.float32)
    g = Graph("reductions")
    v = Value(g, g.add_node("Input", out_meta=[(x.shape, "float32")], name="x"))
    outs = [emit(g, op, [v], dict(axes=(1,), keepdims=0))[0] for op in ("ReduceSum", "ReduceMean", "ReduceMax")]
    outs.append(emit(g, "SliceGrad", [v], dict(shape=(6, 4), starts=(0,), ends=(6,), axes=(0,), steps=(2,)))[0])
    g.meta["outputs"] = [o.ref for o in outs]
    model = to_model(g, opset=opset)
    onnx.checker.check_model(model, full_check=True)
    assert model.opset_import[0].version == opset
    for got, want in zip(ort_run(model, {"x": x}), run_outputs(g, {"x": x})):
        np.testing.assert_allclose(got, want, rtol=1e-6)


def test_unsupported_opset_is_refused():
    g = one_op_graph("Relu", [np.ones(2, np.float32)], {})
    with pytest.raises(ValueError, match="opset 12 is not supported"):
        to_model(g, opset=12)


# -- graph structure ----------------------------------------------------------------------------
def mlp_graph(name="mlp", state=False):
    """x -> Gemm(fc.weight, fc.bias) -> Relu -> LogSoftmax -> NLL(target), plus `scale` (a Const).
    With state=True the graph also outputs an updated weight paired with its Param."""
    g = Graph(name)
    x = Value(g, g.add_node("Input", out_meta=[((4, 3), "float32")], name="x"))
    t = Value(g, g.add_node("Input", out_meta=[((4,), "int64")], name="target"))
    w = Value(g, g.add_node("Param", out_meta=[((5, 3), "float32")], name="fc.weight",
                            value=np.linspace(-1, 1, 15, dtype=np.float32).reshape(5, 3)))
    b = Value(g, g.add_node("Param", out_meta=[((5,), "float32")], name="fc.bias",
                            value=np.full(5, 0.1, np.float32)))
    h = emit(g, "Gemm", [x, w, b], dict(transB=1))[0].relu()
    logp = emit(g, "LogSoftmax", [h * 2.0], dict(axis=1))[0]
    loss = emit(g, "NegativeLogLikelihoodLoss", [logp, t], dict(reduction="mean", ignore_index=-100))[0]
    g.meta["outputs"] = [loss.ref, logp.ref]
    g.meta["output_names"] = ["loss", "logp"]
    if state:
        new_w = w - w * 0.5
        g.meta["outputs"].append(new_w.ref)
        g.meta["output_names"].append("fc.weight.next")
        g.meta["state"][w.node] = new_w.ref
    return g


FEEDS = {"x": np.arange(12, dtype=np.float32).reshape(4, 3) / 7 - 0.5, "target": i64([0, 4, 2, 1])}


def test_inputs_params_and_consts():
    g = mlp_graph()
    model = to_model(g)
    onnx.checker.check_model(model, full_check=True)
    inputs = [i.name for i in model.graph.input]
    inits = {t.name for t in model.graph.initializer}
    assert inputs == ["x", "target", "fc.weight", "fc.bias"]
    assert {"fc.weight", "fc.bias"} <= inits            # params: initializer and graph input
    consts = inits - {"fc.weight", "fc.bias"}
    assert consts and not consts & set(inputs)          # the 2.0 constant: initializer only
    assert [o.name for o in model.graph.output] == ["loss", "logp"]
    for vi in list(model.graph.input) + list(model.graph.output):
        assert all(d.HasField("dim_value") for d in vi.type.tensor_type.shape.dim)

    sess = ort.InferenceSession(model.SerializeToString(), providers=["CPUExecutionProvider"])
    loss, logp = sess.run(None, FEEDS)  # params left out: their initializers are used
    want = run_outputs(g, FEEDS)
    np.testing.assert_allclose(loss, want[0], rtol=1e-5)
    np.testing.assert_allclose(logp, want[1], rtol=1e-5, atol=1e-6)
    # a runtime can feed new parameter values
    new_w = np.ones((5, 3), np.float32)
    loss2, _ = sess.run(None, dict(FEEDS, **{"fc.weight": new_w}))
    np.testing.assert_allclose(loss2, run_outputs(g, FEEDS, {"fc.weight": new_w})[0], rtol=1e-5)
    assert not np.allclose(loss2, loss)


def test_zero_dim_values_keep_their_shape():
    g = Graph("scalars")
    x = Value(g, g.add_node("Input", out_meta=[((), "float32")], name="x"))
    p = Value(g, g.add_node("Param", out_meta=[((), "float32")], name="p", value=np.float32(3.0)))
    y = x * 2.0 + p
    g.meta["outputs"] = [y.ref]
    model = to_model(g)
    onnx.checker.check_model(model, full_check=True)
    assert all(list(t.dims) == [] for t in model.graph.initializer)
    (got,) = ort_run(model, {"x": np.array(1.5, np.float32)})
    assert got.shape == () and got == 6.0


def test_state_goes_to_metadata():
    model = to_model(mlp_graph(state=True))
    onnx.checker.check_model(model, full_check=True)
    props = {p.key: p.value for p in model.metadata_props}
    assert json.loads(props["onnxgraft.state"]) == {"fc.weight": "fc.weight.next"}
    assert props["onnxgraft.version"]
    assert not model.training_info and all(o.domain == "" for o in model.opset_import)


def test_state_output_must_be_a_graph_output():
    g = mlp_graph(state=True)
    g.meta["outputs"].pop()
    g.meta["output_names"].pop()
    with pytest.raises(ExportError, match="new value of state 'fc.weight' is not a graph output"):
        to_model(g)


def test_outputs_that_are_inputs_or_repeated_get_identities():
    g = Graph("passthrough")
    x = Value(g, g.add_node("Input", out_meta=[((2,), "float32")], name="x"))
    y = x.exp()
    g.meta["outputs"] = [x.ref, y.ref, y.ref]
    model = to_model(g)
    onnx.checker.check_model(model, full_check=True)
    names = [o.name for o in model.graph.output]
    assert len(set(names)) == 3 and "x" not in names
    got = ort_run(model, {"x": np.array([0.0, 1.0], np.float32)})
    np.testing.assert_allclose(got[0], [0.0, 1.0])
    np.testing.assert_allclose(got[1], np.exp([0.0, 1.0]), rtol=1e-6)
    np.testing.assert_allclose(got[2], got[1])

    g.meta["output_names"] = ["same", "e", "e2"]
    assert [o.name for o in to_model(g).graph.output] == ["same", "e", "e2"]
    g.meta["output_names"] = ["x", "e", "e2"]
    with pytest.raises(ExportError, match="output name 'x' is already the name of a graph input"):
        to_model(g)


def test_value_names_are_readable_and_unique():
    g = Graph("names")
    x = Value(g, g.add_node("Input", out_meta=[((2,), "float32")], name="x"))
    a = emit(g, "Relu", [x], {}, name="act")[0]
    b = emit(g, "Relu", [a], {}, name="act")[0]   # a clashing name is made unique
    g.meta["outputs"] = [b.ref]
    model = to_model(g)
    produced = [o for n in model.graph.node for o in n.output]
    assert len(produced) == len(set(produced))
    assert produced[0] == "act" and produced[1].startswith("act_")


def test_foreign_domain_and_unknown_op_are_refused():
    g = one_op_graph("Relu", [np.ones(2, np.float32)], {})
    nid = g.outputs[0][0]
    g.node(nid)["domain"] = "com.microsoft"
    with pytest.raises(ExportError, match="standard ai.onnx ops only"):
        to_model(g)
    g.node(nid)["domain"] = ""
    g.node(nid)["op"] = "ReluGrad"
    with pytest.raises(ExportError, match="'ReluGrad', which is not in the onnxgraft registry"):
        to_model(g)


def test_export_is_deterministic(tmp_path):
    first, second = to_model(mlp_graph(state=True)), to_model(mlp_graph(state=True))
    assert first.SerializeToString() == second.SerializeToString()
    a, b = tmp_path / "a.onnx", tmp_path / "b.onnx"
    save_model(first, a)
    save_model(second, b)
    assert a.read_bytes() == b.read_bytes()


def test_export_does_not_depend_on_the_process(tmp_path):
    """Same bytes from a fresh interpreter with another hash seed (no set or id ordering leaks)."""
    import subprocess
    import sys
    script = ("import sys; from tests.export.test_onnx_export import mlp_graph; "
              "from onnxgraft.export.onnx import to_model; "
              "sys.stdout.buffer.write(to_model(mlp_graph(state=True)).SerializeToString())")
    root = os.path.dirname(os.path.dirname(os.path.dirname(os.path.abspath(__file__))))
    env = dict(os.environ, PYTHONHASHSEED="12345", PYTHONPATH=root)
    other = subprocess.run([sys.executable, "-c", script], cwd=root, env=env, capture_output=True, check=True)
    assert other.stdout == to_model(mlp_graph(state=True)).SerializeToString()


def test_save_model_replaces_atomically(tmp_path):
    path = tmp_path / "step.onnx"
    path.write_bytes(b"old")
    model = to_model(mlp_graph())
    assert save_model(model, path) == str(path)
    assert onnx.load(str(path)) == model
    assert os.listdir(tmp_path) == ["step.onnx"]  # no temporary file left behind

    class Broken:
        def SerializeToString(self):
            raise RuntimeError("disk full")
    with pytest.raises(RuntimeError):
        save_model(Broken(), path)
    assert onnx.load(str(path)) == model and os.listdir(tmp_path) == ["step.onnx"]


# -- import ---------------------------------------------------------------------------------------
def test_round_trip_through_onnx_keeps_meaning():
    g = mlp_graph(state=True)
    back = from_model(to_model(g))
    assert [back.node(n)["name"] for n in back.params] == ["fc.weight", "fc.bias"]
    assert [back.node(n)["name"] for n in back.inputs] == ["x", "target"]
    assert back.meta["output_names"] == ["loss", "logp", "fc.weight.next"]
    # Consts of an onnxgraft model stay Consts (only initializers that are inputs are Params)
    assert {back.node(n)["op"] for n in back.nodes()} >= {"Const", "Param", "Input"}
    for got, want in zip(run_outputs(back, FEEDS), run_outputs(g, FEEDS)):
        np.testing.assert_allclose(got, want, rtol=1e-6)
    (src, dst), = back.state.items()
    assert back.node(src)["name"] == "fc.weight" and dst == back.outputs[2]
    # and the imported graph exports again
    model = to_model(back)
    onnx.checker.check_model(model, full_check=True)
    assert json.loads({p.key: p.value for p in model.metadata_props}["onnxgraft.state"]) == \
        {"fc.weight": "fc.weight.next"}


def test_round_trip_of_input_style_arguments():
    """Every op whose IR attributes are ONNX inputs survives export + import."""
    g = Graph("args")
    x = Value(g, g.add_node("Input", out_meta=[((2, 3, 4), "float32")], name="x"))
    outs = [
        x.reshape_to((6, 4)), x.expand_to((2, 2, 3, 4)), x.unsqueeze_at((0,)).squeeze_at((0,)),
        x.reduce_sum((1,), False), x.reduce_mean(None, True), x.reduce_max((-1,), True),
        emit(g, "Slice", [x], dict(starts=(1,), ends=(4,), axes=(2,), steps=(2,)))[0],
        emit(g, "Clip", [x], dict(max=0.5))[0], emit(g, "Pad", [x], dict(pads=(0, 1, 0, 0, 0, 2), value=3.0))[0],
        x.cast_to("int64"),
        emit(g, "SliceGrad", [x], dict(shape=(2, 3, 8), starts=(0,), ends=(8,), axes=(2,), steps=(2,)))[0],
    ]
    g.meta["outputs"] = [o.ref for o in outs]
    feeds = {"x": rng.standard_normal((2, 3, 4)).astype(np.float32)}
    back = from_model(to_model(g))
    for got, want in zip(run_outputs(back, feeds), run_outputs(g, feeds)):
        assert got.dtype == want.dtype
        np.testing.assert_allclose(got, want, rtol=1e-6)


def _handmade(nodes, inputs, outputs, initializers=(), opset=18):
    graph = onnx.helper.make_graph(nodes, "handmade", inputs, outputs, initializer=list(initializers))
    opsets = [onnx.helper.make_opsetid("", opset)]
    # the IR version of the opset, not onnx's newest (which onnxruntime may not read yet)
    return onnx.helper.make_model(graph, opset_imports=opsets,
                                  ir_version=onnx.helper.find_min_ir_version_for(opsets))


def test_import_names_ops_the_registry_lacks():
    h = onnx.helper
    model = _handmade([h.make_node("Hardmax", ["x"], ["y"], name="conv1"),
                       h.make_node("MaxPool", ["y"], ["z"], kernel_shape=[2, 2], name="pool1")],
                      [h.make_tensor_value_info("x", 1, [1, 1, 4, 4]), h.make_tensor_value_info("w", 1, [1, 1, 3, 3])],
                      [h.make_tensor_value_info("z", 1, None)])
    with pytest.raises(OnnxImportError, match=r"no op for Hardmax \(node 'conv1'\), MaxPool \(node 'pool1'\)"):
        from_model(model)


def test_import_needs_static_shapes():
    h = onnx.helper
    model = _handmade([h.make_node("Relu", ["x"], ["y"])], [h.make_tensor_value_info("x", 1, ["batch", 3])],
                      [h.make_tensor_value_info("y", 1, ["batch", 3])])
    with pytest.raises(OnnxImportError, match="dynamic dimension 'batch'"):
        from_model(model)
    g = from_model(model, shapes={"x": (2, 3)})
    assert g.node(g.outputs[0][0])["shape"] == (2, 3)


def test_import_folds_constants_and_reads_old_opsets():
    """Opset 11 attributes (ReduceMean axes, Squeeze axes) and a Shape->Gather->Concat->Reshape
    chain on constants, as older exporters write them."""
    h = onnx.helper
    nodes = [
        h.make_node("Shape", ["x"], ["shape"]),
        h.make_node("Constant", [], ["zero"], value=h.make_tensor("zero", onnx.TensorProto.INT64, [], [0])),
        h.make_node("Gather", ["shape", "zero"], ["batch"], axis=0),
        h.make_node("Unsqueeze", ["batch"], ["batch1"], axes=[0]),
        h.make_node("Constant", [], ["minus1"], value_ints=[-1]),
        h.make_node("Concat", ["batch1", "minus1"], ["newshape"], axis=0),
        h.make_node("Reshape", ["x", "newshape"], ["flat"]),
        h.make_node("ReduceMean", ["flat"], ["m"], axes=[1], keepdims=0),
        h.make_node("Unsqueeze", ["m"], ["m1"], axes=[1]),
        h.make_node("Squeeze", ["m1"], ["out"], axes=[1]),
    ]
    model = _handmade(nodes, [h.make_tensor_value_info("x", 1, [2, 3, 4])],
                      [h.make_tensor_value_info("out", 1, [2])], opset=11)
    g = from_model(model)
    assert {g.node(n)["op"] for n in g.nodes()} == {"Input", "Reshape", "ReduceMean", "Unsqueeze", "Squeeze"}
    x = rng.standard_normal((2, 3, 4)).astype(np.float32)
    np.testing.assert_allclose(run_outputs(g, {"x": x})[0], x.reshape(2, -1).mean(1), rtol=1e-6)


def test_import_integer_div_truncates_like_onnxruntime():
    h = onnx.helper
    model = _handmade([h.make_node("Div", ["a", "b"], ["q"])],
                      [h.make_tensor_value_info("a", onnx.TensorProto.INT64, [6]),
                       h.make_tensor_value_info("b", onnx.TensorProto.INT64, [6])],
                      [h.make_tensor_value_info("q", onnx.TensorProto.INT64, [6])])
    feeds = {"a": i64([-7, 7, -7, 7, -6, 5]), "b": i64([2, -2, -2, 2, 3, 7])}
    want = ort_run(model, feeds)[0]
    np.testing.assert_array_equal(want, [-3, -3, 3, 3, -2, 0])  # onnxruntime truncates
    g = from_model(model)
    np.testing.assert_array_equal(run_outputs(g, feeds)[0], want)
    np.testing.assert_array_equal(ort_run(to_model(g), feeds)[0], want)


def test_import_nll_without_ignore_index_ignores_nothing():
    h = onnx.helper
    model = _handmade([h.make_node("NegativeLogLikelihoodLoss", ["logp", "t"], ["loss"], reduction="mean")],
                      [h.make_tensor_value_info("logp", onnx.TensorProto.FLOAT, [3, 4]),
                       h.make_tensor_value_info("t", onnx.TensorProto.INT32, [3])],
                      [h.make_tensor_value_info("loss", onnx.TensorProto.FLOAT, [])])
    feeds = {"logp": rng.standard_normal((3, 4)).astype(np.float32), "t": np.array([3, 0, 1], np.int32)}
    want = ort_run(model, feeds)[0]
    g = from_model(model)
    np.testing.assert_allclose(run_outputs(g, feeds)[0], want, rtol=1e-6)
    exported = to_model(g)
    onnx.checker.check_model(exported, full_check=True)
    np.testing.assert_allclose(ort_run(exported, feeds)[0], want, rtol=1e-6)


def test_import_torch_onnx_export_of_an_mlp():
    torch = pytest.importorskip("torch")

    class Net(torch.nn.Module):
        def __init__(self):
            super().__init__()
            self.fc1 = torch.nn.Linear(12, 8)
            self.fc2 = torch.nn.Linear(8, 3)

        def forward(self, x):
            h = x.reshape(x.shape[0], -1)                 # traced as Shape/Gather/Concat/Reshape
            h = torch.clamp(torch.relu(self.fc1(h)), max=0.9)
            return torch.log_softmax(self.fc2(h), dim=1), h.sum(dim=1)

    torch.manual_seed(0)
    net = Net().eval()
    x = torch.randn(4, 3, 4)
    buf = io.BytesIO()
    try:
        torch.onnx.export(net, (x,), buf, input_names=["x"], output_names=["logp", "total"], dynamo=False)
    except Exception as exc:  # the TorchScript exporter may be missing from a torch build
        pytest.skip(f"torch.onnx.export is not available here: {exc}")
    g = from_model(buf.getvalue())
    params = {g.node(n)["name"]: g.node(n)["value"] for n in g.params}
    assert set(params) == {"fc1.weight", "fc1.bias", "fc2.weight", "fc2.bias"}
    np.testing.assert_array_equal(params["fc1.weight"], net.fc1.weight.detach().numpy())
    assert g.meta["output_names"] == ["logp", "total"]
    with torch.no_grad():
        want = [t.numpy() for t in net(x)]
    got = run_outputs(g, {"x": x.numpy()})
    for a, b in zip(got, want):
        np.testing.assert_allclose(a, b, rtol=1e-5, atol=1e-6)
    # the imported graph exports to a model onnxruntime runs with the same result
    model = to_model(g)
    onnx.checker.check_model(model, full_check=True)
    for a, b in zip(ort_run(model, {"x": x.numpy()}), want):
        np.testing.assert_allclose(a, b, rtol=1e-5, atol=1e-6)


# -- DOT ------------------------------------------------------------------------------------------
def test_to_dot_draws_every_node_colored_by_phase():
    g = mlp_graph(state=True)
    some = [n for n in g.nodes() if g.node(n)["op"] == "Sub"][0]
    g.node(some)["phase"] = "optimizer"
    text = to_dot(g)
    assert text.startswith('digraph "mlp" {') and text.rstrip().endswith("}")
    assert text.count("->") >= sum(len(g.input_values(n)) for n in g.nodes())
    for nid in g.nodes():
        assert f"  n{nid} [label=" in text
    assert "#cfe2ff" in text and "#d1e7dd" in text           # forward and optimizer fills
    assert "shape=cylinder" in text and "peripheries=2" in text
    assert '"fc.weight\\nParam\\n(5, 3) float32"' in text
    assert text.count("{") == text.count("}")


def test_column_sum_is_a_matmul_with_ones():
    """The bias gradient of a Linear layer (batch summed away) exports as MatMul(ones, g), which
    onnxruntime runs several times faster than ReduceSum over the leading axis."""
    g = Graph("colsum")
    x = Value(g, g.add_node("Input", out_meta=[((16, 5), "float32")], name="x"))
    y = emit(g, "ReduceSum", [x], dict(axes=(0,), keepdims=0))[0]
    g.meta["outputs"] = [y.ref]
    model = to_model(g)
    assert [n.op_type for n in model.graph.node] == ["MatMul"]
    xs = rng.standard_normal((16, 5)).astype(np.float32)
    sess = ort.InferenceSession(model.SerializeToString(), providers=["CPUExecutionProvider"])
    np.testing.assert_allclose(sess.run(None, {"x": xs})[0], xs.sum(0), rtol=1e-6, atol=1e-6)


@pytest.mark.parametrize("op, dtype, match", [("Inverse", np.float32, "linalg.inv .* has no operator in standard ONNX"),
                                              ("Det", np.float64, "Det runs on float32 only")])
def test_ops_without_an_onnx_form_are_refused_by_name(op, dtype, match):
    g = one_op_graph(op, [np.eye(3, dtype=dtype) * 2], {})
    with pytest.raises(ExportError, match=match):
        to_model(g)

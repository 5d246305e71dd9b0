"""onnxruntime sessions: providers, the CUDA fallback line, options, IOBinding helpers."""
import numpy as np
import pytest

from onnxgraft.export.onnx import save_model, to_model
from onnxgraft.ir import Graph, Value, run_outputs
from onnxgraft.runtime import session as S

CUDA_OK, CUDA_WHY = S.cuda_available()
needs_cuda = pytest.mark.skipif(not CUDA_OK, reason=f"CUDA is not usable here: {CUDA_WHY}")
no_cuda = pytest.mark.skipif(CUDA_OK, reason="CUDA works here; the fallback cannot be seen")


def affine_graph():
    """y = x @ w + b with w, b Params; s = sum(y)."""
    g = Graph("affine")
    x = Value(g, g.add_node("Input", out_meta=[((4, 3), "float32")], name="x"))
    w = Value(g, g.add_node("Param", out_meta=[((3, 2), "float32")], name="w",
                            value=np.arange(6, dtype=np.float32).reshape(3, 2) / 5))
    b = Value(g, g.add_node("Param", out_meta=[((2,), "float32")], name="b",
                            value=np.array([0.5, -1.0], np.float32)))
    y = x @ w + b
    g.meta["outputs"] = [y.ref, y.reduce_sum(None, False).ref]
    g.meta["output_names"] = ["y", "s"]
    return g


X = np.linspace(-1, 1, 12, dtype=np.float32).reshape(4, 3)


@pytest.fixture(scope="module")
def model():
    return to_model(affine_graph())


def test_cpu_session_runs_model_bytes_and_path(model, tmp_path):
    want = run_outputs(affine_graph(), {"x": X})
    path = save_model(model, tmp_path / "affine.onnx")
    for source in (model, model.SerializeToString(), path, tmp_path / "affine.onnx"):
        sess, device = S.make_session(source)
        assert device == "cpu" and sess.get_providers() == ["CPUExecutionProvider"]
        got = S.run_numpy(sess, {"x": X})
        for a, b in zip(got, want):
            np.testing.assert_allclose(a, b, rtol=1e-6)


def test_options_levels_and_threads(model):
    for level in ("basic", "extended", "all"):
        sess, _ = S.make_session(model, optimization=level, threads=1)
        assert sess.get_session_options().intra_op_num_threads == 1
        np.testing.assert_allclose(S.run_numpy(sess, {"x": X})[0], run_outputs(affine_graph(), {"x": X})[0],
                                   rtol=1e-6)
    with pytest.raises(ValueError, match="optimization must be one of basic, extended, all"):
        S.make_session(model, optimization="max")
    with pytest.raises(ValueError, match="threads must be a positive integer"):
        S.make_session(model, threads=0)


def test_bad_device_is_named():
    with pytest.raises(ValueError, match="device string: tpu"):
        S.parse_device("tpu")
    assert S.parse_device("cuda:1") == ("cuda", 1) and S.parse_device("CPU") == ("cpu", 0)


def test_params_can_be_fed_or_left_to_their_initializers(model):
    sess, _ = S.make_session(model)
    w = np.ones((3, 2), np.float32)
    y, _ = S.run_numpy(sess, {"x": X, "w": w})
    np.testing.assert_allclose(y, X @ w + np.array([0.5, -1.0], np.float32), rtol=1e-6)


def test_cuda_available_gives_a_reason():
    usable, reason = S.cuda_available()
    assert isinstance(usable, bool) and isinstance(reason, str) and reason
    assert S.cuda_available() == (usable, reason)  # probed once


@no_cuda
def test_cuda_request_falls_back_to_cpu_with_one_clear_line(model, capfd):
    sess, device = S.make_session(model, device="cuda")
    assert device == "cpu" and sess.get_providers() == ["CPUExecutionProvider"]
    np.testing.assert_allclose(S.run_numpy(sess, {"x": X})[0], run_outputs(affine_graph(), {"x": X})[0],
                               rtol=1e-6)
    out, err = capfd.readouterr()
    lines = [ln for ln in err.splitlines() if ln.strip()]
    assert len(lines) == 1, err
    assert lines[0].startswith("onnxgraft: CUDA was requested but is not usable here (")
    assert lines[0].endswith("); running on CPU")
    assert CUDA_WHY in lines[0]
    assert "[E:" not in err and "[W:" not in err and out == ""


def test_iobinding_on_cpu_with_preallocated_ping_pong_outputs(model):
    sess, device = S.make_session(model)
    want = run_outputs(affine_graph(), {"x": X})
    buffers = [{"y": S.empty_ortvalue((4, 2), "float32", device), "s": S.empty_ortvalue((), "float32", device)}
               for _ in range(2)]
    for step in range(3):
        binding = sess.io_binding()
        keep = S.bind_inputs(binding, {"x": X * (step + 1), "w": S.ortvalue_from_numpy(
            np.arange(6, dtype=np.float32).reshape(3, 2) / 5, device)}, device)
        assert set(keep) == {"x", "w"}
        S.bind_outputs(binding, buffers[step % 2], device)
        values = S.run_with_binding(sess, binding)
        assert [v.data_ptr() for v in values] == [buffers[step % 2][k].data_ptr() for k in ("y", "s")]
        want_y = run_outputs(affine_graph(), {"x": X * (step + 1)})[0]
        np.testing.assert_allclose(S.to_numpy(buffers[step % 2]["y"]), want_y, rtol=1e-6)
    # outputs that onnxruntime allocates, read back to numpy
    binding = sess.io_binding()
    keep = S.bind_inputs(binding, {"x": X}, device)
    S.bind_outputs(binding, ["y", "s"], device)
    S.run_with_binding(sess, binding)
    for a, b in zip(S.outputs_to_numpy(binding), want):
        np.testing.assert_allclose(a, b, rtol=1e-6)
    del keep


def test_zero_dim_ortvalues_stay_zero_dim():
    value = S.ortvalue_from_numpy(np.array(2.5, np.float32))
    assert value.shape() == [] and S.to_numpy(value) == 2.5
    S.copy_into(value, 4)
    assert S.to_numpy(value) == 4.0


def test_copy_into_keeps_the_buffer_address():
    value = S.ortvalue_from_numpy(np.zeros((2, 2), np.float32))
    ptr = value.data_ptr()
    S.copy_into(value, np.array([[1, 2], [3, 4]]))  # cast to the buffer's float32
    assert value.data_ptr() == ptr
    np.testing.assert_array_equal(value.numpy(), [[1, 2], [3, 4]])
    with pytest.raises(ValueError, match=r"shape \(3,\) does not fit a buffer of shape \(2, 2\)"):
        S.copy_into(value, np.zeros(3))


@needs_cuda
def test_cuda_session_and_device_buffers(model, capfd):
    sess, device = S.make_session(model, device="cuda")
    assert device == "cuda" and sess.get_providers()[0] == "CUDAExecutionProvider"
    want = run_outputs(affine_graph(), {"x": X})
    for a, b in zip(S.run_numpy(sess, {"x": X}), want):
        np.testing.assert_allclose(a, b, rtol=1e-5, atol=1e-6)
    binding = sess.io_binding()
    x_gpu = S.ortvalue_from_numpy(X, device)
    assert x_gpu.device_name().lower() == "cuda"
    keep = S.bind_inputs(binding, {"x": x_gpu}, device)
    out = {"y": S.empty_ortvalue((4, 2), "float32", device), "s": S.empty_ortvalue((), "float32", device)}
    S.bind_outputs(binding, out, device)
    S.run_with_binding(sess, binding)
    np.testing.assert_allclose(S.to_numpy(out["y"]), want[0], rtol=1e-5, atol=1e-6)
    ptr = x_gpu.data_ptr()
    S.copy_into(x_gpu, X * 2)  # new inputs land at the same device address
    assert x_gpu.data_ptr() == ptr
    S.run_with_binding(sess, binding)
    np.testing.assert_allclose(S.to_numpy(out["y"]), run_outputs(affine_graph(), {"x": X * 2})[0],
                               rtol=1e-5, atol=1e-6)
    del keep
    assert "onnxgraft: CUDA was requested" not in capfd.readouterr().err



def test_compiled_steps_bind_and_run_through_the_public_api_when_the_raw_one_is_missing(model):
    """compiled.py goes straight to onnxruntime's pybind IOBinding (fewer microseconds per
    step); with an onnxruntime whose wrapper lacks those attributes, it uses the public API."""
    from onnxgraft.runtime.compiled import _raw_binding, _run_bound

    sess, _ = S.make_session(model)
    expected = S.run_numpy(sess, {"x": X})

    class PublicOnly:  # what an onnxruntime without the private attributes offers
        def __init__(self, inner):
            self.inner = inner

        def bind_cpu_input(self, name, array):
            self.inner.bind_cpu_input(name, array)

        def bind_output(self, name):
            self.inner.bind_output(name)

    for wrap in (False, True):
        io = sess.io_binding()
        binding = PublicOnly(io) if wrap else io
        _raw_binding(binding).bind_input("x", X)
        io.bind_output(sess.get_outputs()[0].name)
        if wrap:
            calls = []

            class PublicSession:
                def run_with_iobinding(self, io_):
                    calls.append(io_)
                    sess.run_with_iobinding(io_)
            _run_bound(PublicSession(), io)
            assert calls == [io]
        else:
            _run_bound(sess, io)
        np.testing.assert_array_equal(io.copy_outputs_to_cpu()[0], expected[0])

"""onnxruntime sessions on CPU or CUDA, and the IOBinding helpers compiled training steps use.

With runtime/, the only code that imports onnxruntime. `make_session` asks for CUDA only where
it really works: onnxruntime-gpu installs (and lists CUDAExecutionProvider) on machines without a
GPU or without the CUDA and cuDNN libraries, then logs raw `[E:]`/`[W:]` lines and quietly runs
on the CPU. Here that case prints one line saying why, and the caller learns the device used.
"""
import contextlib
import os
import re
import sys
import tempfile

import numpy as np
import onnxruntime as ort

_LEVELS = {"basic": ort.GraphOptimizationLevel.ORT_ENABLE_BASIC,
           "extended": ort.GraphOptimizationLevel.ORT_ENABLE_EXTENDED,
           "all": ort.GraphOptimizationLevel.ORT_ENABLE_ALL}
# onnxruntime's severities: 0 verbose, 1 info, 2 warning, 3 error, 4 fatal. Sessions log errors
# only: the warnings (unassigned nodes, provider fallbacks) are what this module reports itself.
_LOG_ERRORS_ONLY = 3
_CUDA = "CUDAExecutionProvider"
_CPU = "CPUExecutionProvider"
_cuda_probe = None  # (usable, reason): probing loads the CUDA libraries, so it runs once


def parse_device(device):
    """("cpu", 0) or ("cuda", index) from "cpu", "cuda", "cuda:1" (or anything printing so)."""
    text = str(device).strip().lower()
    match = re.fullmatch(r"(cpu|cuda)(?::(\d+))?", text)
    if not match:
        raise ValueError(f"Expected one of cpu, cuda device type at start of device string: {device}")
    kind, index = match.group(1), int(match.group(2) or 0)
    if kind == "cpu" and index:
        raise ValueError(f"onnxgraft runs on the CPU as device 'cpu'; got {device!r}")
    return kind, index


def _device_name(kind, index):
    return kind if kind == "cpu" or index == 0 else f"{kind}:{index}"


@contextlib.contextmanager
def _captured_stderr(sink):
    """Redirect file descriptor 2 (where onnxruntime's C++ logger writes) into a temporary file;
    its text is appended to `sink`. Where fd 2 cannot be redirected, nothing is captured."""
    try:
        sys.stderr.flush()
        saved = os.dup(2)
    except (OSError, AttributeError, ValueError):
        yield
        return
    with tempfile.TemporaryFile(mode="w+b") as tmp:
        os.dup2(tmp.fileno(), 2)
        try:
            yield
        finally:
            try:
                sys.stderr.flush()
            except (AttributeError, ValueError):
                pass
            os.dup2(saved, 2)
            os.close(saved)
            tmp.seek(0)
            sink.append(tmp.read().decode(errors="replace"))


def _first_line(text):
    return next((ln.strip() for ln in str(text).splitlines() if ln.strip()), "")


def _cuda_failure(log):
    """The cause onnxruntime gave for not creating the CUDA provider, in a few words."""
    plain = re.sub(r"\x1b\[[0-9;]*m", "", log)  # onnxruntime colors its log lines
    lib = re.search(r"with error: ([^\n]+)", plain)
    if lib:
        return lib.group(1).strip()
    warn = re.search(r"Failed to create CUDAExecutionProvider\.\s*([^\n.]+)", plain)
    if warn:
        return f"onnxruntime could not create the CUDA provider: {warn.group(1).strip()}"
    return "onnxruntime could not create the CUDA provider (no CUDA device or CUDA/cuDNN libraries)"


def _probe_model():
    """A one-Add model, serialized: enough for onnxruntime to create (or fail to create) CUDA."""
    from ..export.onnx import to_model
    from ..ir import Graph, Value, emit
    g = Graph("onnxgraft_cuda_probe")
    x = Value(g, g.add_node("Input", out_meta=[((1,), "float32")], name="x"))
    g.meta["outputs"] = [emit(g, "Add", [x, x], {})[0].ref]
    return to_model(g).SerializeToString()


def cuda_available():
    """(True, reason) when onnxruntime can really run on CUDA here, else (False, why not).

    Listing CUDAExecutionProvider is not enough: the provider loads the CUDA and cuDNN libraries
    when a session is created, so a one-node session is created once and its providers checked."""
    global _cuda_probe
    if _cuda_probe is not None:
        return _cuda_probe
    if _CUDA not in ort.get_available_providers():
        _cuda_probe = (False, f"this onnxruntime ({ort.__version__}) has no CUDAExecutionProvider; "
                              f"install onnxruntime-gpu")
        return _cuda_probe
    options = ort.SessionOptions()
    options.log_severity_level = _LOG_ERRORS_ONLY
    log = []
    try:
        with _captured_stderr(log):
            sess = ort.InferenceSession(_probe_model(), options, providers=[_CUDA, _CPU])
        providers = sess.get_providers()
    except Exception as exc:  # a broken CUDA install can raise instead of falling back
        _cuda_probe = (False, _first_line(exc) or type(exc).__name__)
        return _cuda_probe
    if _CUDA in providers:
        _cuda_probe = (True, "CUDAExecutionProvider is available")
    else:
        _cuda_probe = (False, _cuda_failure("".join(log)))
    return _cuda_probe


def session_options(threads=None, optimization="basic"):
    """SessionOptions with onnxgraft's defaults: errors-only logging, the given graph
    optimization level ("basic", "extended" or "all") and intra-op thread count."""
    if optimization not in _LEVELS:
        raise ValueError(f"make_session: optimization must be one of {', '.join(_LEVELS)}, "
                         f"got {optimization!r}")
    options = ort.SessionOptions()
    options.log_severity_level = _LOG_ERRORS_ONLY
    options.graph_optimization_level = _LEVELS[optimization]
    if threads is not None:
        if isinstance(threads, bool) or not isinstance(threads, (int, np.integer)) or threads < 1:
            raise ValueError(f"make_session: threads must be a positive integer, got {threads!r}")
        options.intra_op_num_threads = int(threads)
    return options


def _model_source(model_or_path):
    if hasattr(model_or_path, "SerializeToString"):  # an onnx.ModelProto
        return model_or_path.SerializeToString()
    if isinstance(model_or_path, (bytes, bytearray)):
        return bytes(model_or_path)
    return os.fspath(model_or_path)


def make_session(model_or_path, device="cpu", threads=None, optimization="basic",
                 disabled_optimizers=()):
    """An onnxruntime InferenceSession for a ModelProto, serialized bytes or a path, and the
    device it really runs on: `(session, "cpu" | "cuda")`.

    device="cuda" uses CUDAExecutionProvider when it works here; otherwise one line on stderr
    says why and the session runs on the CPU. `optimization` is onnxruntime's graph optimization
    level at load time ("basic", "extended" or "all"); the model itself stays plain ONNX.
    `disabled_optimizers` names onnxruntime graph transformers to leave out."""
    kind, index = parse_device(device)
    extra = {"disabled_optimizers": list(disabled_optimizers)} if disabled_optimizers else {}
    options = session_options(threads, optimization)
    source = _model_source(model_or_path)
    if kind == "cuda":
        usable, reason = cuda_available()
        if usable:
            log = []
            try:
                with _captured_stderr(log):
                    sess = ort.InferenceSession(source, options,
                                                providers=[(_CUDA, {"device_id": index}), _CPU], **extra)
            except Exception:
                sys.stderr.write("".join(log))  # onnxruntime's own account of a failed load
                raise
            if _CUDA in sess.get_providers():
                return sess, _device_name(kind, index)
            reason = _cuda_failure("".join(log))
        print(f"onnxgraft: CUDA was requested but is not usable here ({reason}); running on CPU",
              file=sys.stderr, flush=True)
    return ort.InferenceSession(source, options, providers=[_CPU], **extra), "cpu"


# -- running --------------------------------------------------------------------------------------
def run_numpy(session, feeds):
    """Run `session` on {input name: array} and return every output as a numpy array. Inputs
    that are initializers (Params) may be left out: their stored values are used."""
    return session.run(None, {name: np.asarray(value) for name, value in feeds.items()})


def ortvalue_from_numpy(array, device="cpu"):
    """An OrtValue holding `array` on `device` ("cpu", "cuda", "cuda:1"); on CUDA the data is
    copied to the GPU, on CPU it is shared with the (contiguous) array."""
    kind, index = parse_device(device)
    # np.require, not np.ascontiguousarray: the latter turns a 0-d array into shape (1,)
    return ort.OrtValue.ortvalue_from_numpy(np.require(array, requirements="C"), kind, index)


def empty_ortvalue(shape, dtype, device="cpu"):
    """An uninitialized OrtValue of `shape` and numpy `dtype` on `device` (an output buffer)."""
    kind, index = parse_device(device)
    return ort.OrtValue.ortvalue_from_shape_and_type(tuple(shape), np.dtype(dtype), kind, index)


_ORT_TYPES = {"tensor(float)": "float32", "tensor(double)": "float64", "tensor(float16)": "float16",
              "tensor(int64)": "int64", "tensor(int32)": "int32", "tensor(int16)": "int16",
              "tensor(int8)": "int8", "tensor(uint8)": "uint8", "tensor(bool)": "bool"}


def copy_into(ortvalue, array):
    """Overwrite `ortvalue`'s buffer with `array` (cast to its dtype), keeping its address: what a
    captured CUDA graph needs for new inputs."""
    array = np.asarray(array)
    if list(array.shape) != list(ortvalue.shape()):
        raise ValueError(f"copy_into: array of shape {tuple(array.shape)} does not fit a buffer of "
                         f"shape {tuple(ortvalue.shape())}")
    dtype = _ORT_TYPES.get(ortvalue.data_type(), array.dtype)
    ortvalue.update_inplace(np.require(array, dtype=dtype, requirements="C"))


def bind_inputs(binding, feeds, device="cpu"):
    """Bind {input name: OrtValue or array} to an IOBinding. Arrays are put on `device` first.
    Returns {name: OrtValue} of what was bound: keep it alive until the run, since onnxruntime
    reads the buffers without owning them."""
    bound = {}
    for name, value in feeds.items():
        if not isinstance(value, ort.OrtValue):
            value = ortvalue_from_numpy(value, device)
        binding.bind_ortvalue_input(name, value)
        bound[name] = value
    return bound


def bind_outputs(binding, outputs, device="cpu"):
    """Bind outputs: an iterable of names (onnxruntime allocates each on `device`) or a mapping
    {name: OrtValue} of preallocated buffers (a training step writes into the buffer set that is
    not being read: two sets swapped every step, since onnxruntime does not check aliasing)."""
    kind, index = parse_device(device)
    if hasattr(outputs, "items"):
        for name, value in outputs.items():
            binding.bind_ortvalue_output(name, value)
    else:
        for name in outputs:
            binding.bind_output(name, kind, index)
    return binding


def run_with_binding(session, binding):
    """Run one step with IOBinding; returns the output OrtValues (on their devices)."""
    binding.synchronize_inputs()
    session.run_with_iobinding(binding)
    binding.synchronize_outputs()
    return binding.get_outputs()


def outputs_to_numpy(binding):
    """Copy every bound output to host memory as numpy arrays."""
    return binding.copy_outputs_to_cpu()


def to_numpy(ortvalue):
    """A numpy array (a host copy where the value lives on the GPU)."""
    return ortvalue.numpy()

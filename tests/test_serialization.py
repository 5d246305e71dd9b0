"""onnxgraft.save / onnxgraft.load: exact round trips, no code on load, atomic writes, and clear
errors for files that are not onnxgraft files."""
import io
import json
import math
import pathlib
import pickle
import zipfile
from collections import OrderedDict

import numpy as np
import pytest

import onnxgraft as og


def roundtrip(obj, tmp_path):
    path = tmp_path / "obj.og"
    og.save(obj, path)
    return og.load(path)


@pytest.mark.parametrize("dtype", ["float16", "float32", "float64", "uint8", "int8", "int16", "int32",
                                   "int64", "bool"])
@pytest.mark.parametrize("shape", [(), (0,), (3,), (2, 0, 4), (2, 3, 4)])
def test_tensor_dtypes_and_shapes_round_trip_exactly(dtype, shape, tmp_path):
    rng = np.random.default_rng(0)
    array = (rng.standard_normal(shape) * 100).astype(dtype)
    t = og.tensor(array)
    back = roundtrip(t, tmp_path)
    assert isinstance(back, og.Tensor) and back.dtype == t.dtype and back.shape == t.shape
    assert back.numpy().tobytes() == array.tobytes()
    assert not back.requires_grad


def test_special_floats_and_requires_grad(tmp_path):
    t = og.tensor([np.nan, np.inf, -np.inf, -0.0, 1e-45, 3.4e38], requires_grad=True)
    back = roundtrip(t, tmp_path)
    assert back.requires_grad and back.is_leaf and back.grad is None
    assert back.detach().numpy().tobytes() == t.detach().numpy().tobytes()


def test_non_contiguous_tensors_are_saved_by_value(tmp_path):
    base = og.arange(12.0).reshape(3, 4)
    view = base.t()[1:]
    back = roundtrip(view, tmp_path)
    np.testing.assert_array_equal(back.numpy(), view.numpy())


def test_nested_structures_keep_types_order_and_values(tmp_path):
    w = og.tensor([[1.0, 2.0]], requires_grad=True)
    obj = OrderedDict([
        ("zeta", w), ("alpha", [1, -2**70, 2.5, float("inf"), "naïve ✓", None, True, False]),
        ("mid", (og.arange(3), (), [])),
        ("ints", {0: og.tensor(7, dtype=og.int8), 10: {"deep": og.ones(2, dtype=og.float64)}, (1, "a"): "tuple key"}),
        ("size", og.zeros(2, 3).shape), ("dtype", og.float16), ("np", np.arange(4, dtype=np.int16)),
    ])
    back = roundtrip(obj, tmp_path)
    assert type(back) is OrderedDict and list(back) == ["zeta", "alpha", "mid", "ints", "size", "dtype", "np"]
    assert back["alpha"] == [1, -2**70, 2.5, float("inf"), "naïve ✓", None, True, False]
    assert [type(v) for v in back["alpha"]] == [int, int, float, float, str, type(None), bool, bool]
    assert type(back["mid"]) is tuple and back["mid"][1] == () and back["mid"][2] == []
    assert back["mid"][0].tolist() == [0, 1, 2] and back["mid"][0].dtype == og.int64
    assert list(back["ints"]) == [0, 10, (1, "a")] and back["ints"][(1, "a")] == "tuple key"
    assert back["ints"][0].dtype == og.int8 and back["ints"][0].item() == 7
    assert back["ints"][10]["deep"].dtype == og.float64
    assert isinstance(back["size"], og.Size) and back["size"] == (2, 3)
    assert back["dtype"] is og.float16
    assert isinstance(back["np"], np.ndarray) and back["np"].dtype == np.int16
    assert back["zeta"].requires_grad and back["zeta"].tolist() == [[1.0, 2.0]]


def test_nan_float_values(tmp_path):
    back = roundtrip({"x": float("nan"), "y": -0.0}, tmp_path)
    assert math.isnan(back["x"]) and math.copysign(1.0, back["y"]) == -1.0


def test_a_tensor_reachable_twice_loads_as_one_tensor(tmp_path):
    w = og.randn(3, 3, requires_grad=True)
    # tied weights: state_dict() detaches each occurrence into its own Tensor object
    back = roundtrip({"encoder": w.detach(), "decoder": w.detach(), "other": og.randn(3, 3)}, tmp_path)
    assert back["encoder"] is back["decoder"] and back["other"] is not back["encoder"]
    with zipfile.ZipFile(tmp_path / "obj.og") as zf:
        assert sorted(n for n in zf.namelist() if n.startswith("data/")) == ["data/0.npy", "data/1.npy"]
    # the same values with different flags stay two tensors, each with its own flag
    back = roundtrip([w, w.detach()], tmp_path)
    assert back[0] is not back[1] and back[0].requires_grad and not back[1].requires_grad


def test_file_objects_and_path_types(tmp_path):
    t = og.tensor([1.0, 2.0])
    buf = io.BytesIO()
    og.save(t, buf)
    buf.seek(0)
    assert og.load(buf).tolist() == [1.0, 2.0]
    og.save(t, str(tmp_path / "a.og"))
    assert og.load(pathlib.Path(tmp_path / "a.og")).tolist() == [1.0, 2.0]


def test_saving_twice_gives_identical_bytes(tmp_path):
    obj = {"w": og.randn(4, 4), "step": 3}
    og.save(obj, tmp_path / "a.og")
    og.save(obj, tmp_path / "b.og")
    assert (tmp_path / "a.og").read_bytes() == (tmp_path / "b.og").read_bytes()


def test_the_manifest_is_plain_json_and_arrays_are_npy(tmp_path):
    og.save({"w": og.ones(2)}, tmp_path / "m.og")
    with zipfile.ZipFile(tmp_path / "m.og") as zf:
        manifest = json.loads(zf.read("onnxgraft.json"))
        array = np.load(io.BytesIO(zf.read("data/0.npy")), allow_pickle=False)
    assert manifest["format"] == "onnxgraft" and manifest["version"] == 1
    assert manifest["root"]["type"] == "dict"
    np.testing.assert_array_equal(array, [1.0, 1.0])


def test_parameters_round_trip_as_parameters(tmp_path):
    nn = pytest.importorskip("onnxgraft.nn")
    p = nn.Parameter(og.tensor([1.0, 2.0]))
    back = roundtrip({"p": p, "frozen": nn.Parameter(og.tensor([3.0]), requires_grad=False)}, tmp_path)
    assert isinstance(back["p"], nn.Parameter) and back["p"].requires_grad
    assert isinstance(back["frozen"], nn.Parameter) and not back["frozen"].requires_grad


def test_map_location(tmp_path):
    og.save(og.ones(2), tmp_path / "x.og")
    assert og.load(tmp_path / "x.og", map_location="cpu").tolist() == [1.0, 1.0]
    assert og.load(tmp_path / "x.og", map_location=og.device("cpu"), weights_only=False).tolist() == [1.0, 1.0]
    with pytest.raises(RuntimeError, match="device 'cuda:0'"):
        og.load(tmp_path / "x.og", map_location="cuda:0")


# -- module and optimizer state dicts -------------------------------------------------------------------

def test_optimizer_state_dict_round_trip_resumes_training(tmp_path):
    rng = np.random.default_rng(3)
    grads = [[rng.standard_normal(s).astype(np.float32) for s in ((3, 2), (2,))] for _ in range(8)]

    def run(opt, params, steps):
        for g in steps:
            for p, gi in zip(params, g):
                p.grad = og.tensor(gi)
            opt.step()

    params = [og.full((3, 2), 0.5, requires_grad=True), og.full((2,), -0.5, requires_grad=True)]
    opt = og.optim.AdamW([{"params": params[:1]}, {"params": params[1:], "lr": 0.05}], lr=0.01, amsgrad=True)
    run(opt, params, grads[:4])
    og.save({"params": [p.detach() for p in params], "optimizer": opt.state_dict(), "epoch": 4}, tmp_path / "ckpt.og")

    ckpt = og.load(tmp_path / "ckpt.og")
    assert ckpt["epoch"] == 4
    sd = ckpt["optimizer"]
    assert list(sd["state"]) == [0, 1] and sd["param_groups"][0]["betas"] == (0.9, 0.999)
    assert sd["state"][0]["step"].dtype == og.float32 and sd["state"][0]["step"].shape == ()
    resumed_params = [og.tensor(p.numpy(), requires_grad=True) for p in ckpt["params"]]
    resumed = og.optim.AdamW([{"params": resumed_params[:1]}, {"params": resumed_params[1:]}], lr=0.01, amsgrad=True)
    resumed.load_state_dict(sd)
    assert resumed.param_groups[1]["lr"] == 0.05
    run(opt, params, grads[4:])
    run(resumed, resumed_params, grads[4:])
    for p, q in zip(params, resumed_params):
        np.testing.assert_array_equal(p.detach().numpy(), q.detach().numpy())


def test_module_state_dict_round_trip(tmp_path):
    nn = pytest.importorskip("onnxgraft.nn")
    if not hasattr(nn, "Linear"):
        pytest.skip("onnxgraft.nn.Linear is not available")
    model = nn.Sequential(nn.Linear(3, 4), nn.Tanh(), nn.Linear(4, 2))
    og.save(model.state_dict(), tmp_path / "model.og")
    sd = og.load(tmp_path / "model.og")
    assert isinstance(sd, OrderedDict) and list(sd) == list(model.state_dict())
    other = nn.Sequential(nn.Linear(3, 4), nn.Tanh(), nn.Linear(4, 2))
    other.load_state_dict(sd)
    x = og.randn(5, 3)
    np.testing.assert_array_equal(model(x).detach().numpy(), other(x).detach().numpy())


# -- atomic writes -------------------------------------------------------------------------------------------

def _leftovers(directory):
    return sorted(p.name for p in directory.iterdir() if p.name != "ckpt.og")


def test_an_unsaveable_object_leaves_the_old_file_intact(tmp_path):
    path = tmp_path / "ckpt.og"
    og.save({"w": og.ones(3)}, path)
    before = path.read_bytes()

    class Opaque:
        pass

    with pytest.raises(TypeError, match=r"cannot save the object\['b'\]\[1\], a .*Opaque"):
        og.save({"a": og.zeros(3), "b": [1, Opaque()]}, path)
    assert path.read_bytes() == before and _leftovers(tmp_path) == []


def test_a_failure_in_the_middle_of_writing_leaves_the_old_file_intact(tmp_path, monkeypatch):
    path = tmp_path / "ckpt.og"
    og.save({"w": og.ones(3)}, path)
    before = path.read_bytes()
    real_write = np.lib.format.write_array
    calls = []

    def failing_write(fp, array, *args, **kwargs):
        calls.append(1)
        if len(calls) == 3:  # two arrays are already in the temporary file
            raise OSError("disk full")
        return real_write(fp, array, *args, **kwargs)

    monkeypatch.setattr(np.lib.format, "write_array", failing_write)
    with pytest.raises(OSError, match="disk full"):
        og.save({f"w{i}": og.randn(100) for i in range(5)}, path)
    assert len(calls) == 3
    assert path.read_bytes() == before and _leftovers(tmp_path) == []
    assert og.load(path)["w"].tolist() == [1.0, 1.0, 1.0]


def test_a_cycle_is_refused_before_writing(tmp_path):
    cyclic = []
    cyclic.append(cyclic)
    with pytest.raises(ValueError, match="reference cycle"):
        og.save(cyclic, tmp_path / "ckpt.og")
    assert not (tmp_path / "ckpt.og").exists() and _leftovers(tmp_path) == []


@pytest.mark.parametrize("obj, message", [
    ({"f": lambda: 0}, "cannot save the object['f'], a builtins.function"),
    ({og.ones(1): 1}, "keys must be numbers, strings, None or tuples"),
    (type("D", (dict,), {})(), "a dict subclass"),
    (np.array([object()]), "dtype object"),
])
def test_unsupported_objects_are_named(obj, message, tmp_path):
    with pytest.raises(TypeError) as info:
        og.save(obj, tmp_path / "x.og")
    assert message in str(info.value)


# -- files that are not onnxgraft files ----------------------------------------------------------------------

def test_a_pytorch_checkpoint_is_recognised(tmp_path):
    torch = pytest.importorskip("torch")
    torch.save({"w": torch.ones(2)}, tmp_path / "model.pt")
    with pytest.raises(ValueError) as info:
        og.load(tmp_path / "model.pt")
    message = str(info.value)
    assert "model.pt is a PyTorch checkpoint" in message and "does not unpickle" in message
    assert "onnxgraft.save" in message  # says what to do


def test_a_plain_pickle_is_recognised_and_never_unpickled(tmp_path):
    ran = []

    class Payload:
        def __reduce__(self):
            return (ran.append, ("code ran",))

    (tmp_path / "legacy.pt").write_bytes(pickle.dumps(Payload(), protocol=2))
    with pytest.raises(ValueError, match="is a Python pickle"):
        og.load(tmp_path / "legacy.pt")
    assert ran == []


def test_a_pickled_array_inside_an_onnxgraft_file_is_refused(tmp_path):
    ran = []

    class Payload:
        def __reduce__(self):
            return (ran.append, ("code ran",))

    path = tmp_path / "evil.og"
    og.save({"w": og.ones(1)}, path)
    evil = io.BytesIO()
    np.save(evil, np.array([Payload()], dtype=object), allow_pickle=True)
    with zipfile.ZipFile(path) as zf:
        manifest = zf.read("onnxgraft.json")
    with zipfile.ZipFile(path, "w") as zf:
        zf.writestr("onnxgraft.json", manifest)
        zf.writestr("data/0.npy", evil.getvalue())
    with pytest.raises(ValueError, match="evil.og.*data/0.npy"):
        og.load(path)
    assert ran == []


@pytest.mark.parametrize("content, message", [
    (b"\x93NUMPY\x01\x00", "is a numpy .npy file"),
    (b"\x08\x07\x12\x04onnx", "is not an onnxgraft file"),
    (b"", "is not an onnxgraft file"),
])
def test_other_files_are_named(content, message, tmp_path):
    (tmp_path / "thing.bin").write_bytes(content)
    with pytest.raises(ValueError) as info:
        og.load(tmp_path / "thing.bin")
    assert message in str(info.value) and "thing.bin" in str(info.value)


def test_an_npz_archive_is_named(tmp_path):
    np.savez(tmp_path / "arrays.npz", a=np.ones(2))
    with pytest.raises(ValueError, match="arrays.npz is a numpy .npz archive"):
        og.load(tmp_path / "arrays.npz")


def _write_manifest(path, root, version=1, extra_files=()):
    with zipfile.ZipFile(path, "w") as zf:
        zf.writestr("onnxgraft.json", json.dumps({"format": "onnxgraft", "version": version, "root": root}))
        for name, data in extra_files:
            zf.writestr(name, data)


def _npy(array):
    buf = io.BytesIO()
    np.save(buf, array, allow_pickle=False)
    return buf.getvalue()


@pytest.mark.parametrize("root, files, message", [
    ({"type": "function", "value": "os.system"}, (), "unknown entry type 'function'"),
    ({"type": "int", "value": 1, "code": "x"}, (), "must have exactly the fields ['value']"),
    ({"type": "int", "value": "1"}, (), "a int entry holds '1'"),
    ({"type": "list", "items": [{"type": "pickle"}]}, (), "manifest entry root[0]: unknown entry type"),
    ({"type": "tensor", "file": "data/9.npy", "dtype": "float32", "shape": [2], "requires_grad": False}, (),
     "refers to 'data/9.npy', which is not an array in the archive"),
    ({"type": "tensor", "file": "data/0.npy", "dtype": "float32", "shape": [1000, 1000], "requires_grad": False},
     [("data/0.npy", _npy(np.ones(2, np.float32)))], "smaller than a float32 array of shape [1000, 1000]"),
    ({"type": "tensor", "file": "data/0.npy", "dtype": "float64", "shape": [1], "requires_grad": False},
     [("data/0.npy", _npy(np.ones(2, np.float32)))], "holds float32 [2], but the manifest says 'float64' [1]"),
    ({"type": "tensor", "file": "data/0.npy", "dtype": "int64", "shape": [2], "requires_grad": True},
     [("data/0.npy", _npy(np.ones(2, np.int64)))], "an integer tensor (int64) cannot require gradients"),
    ({"type": "dict", "items": [[{"type": "list", "items": []}, {"type": "none"}]]}, (), "key 0 is not hashable"),
])
def test_bad_manifests_are_refused_with_the_file_named(root, files, message, tmp_path):
    path = tmp_path / "bad.og"
    _write_manifest(path, root, extra_files=files)
    with pytest.raises(ValueError) as info:
        og.load(path)
    assert message in str(info.value) and "bad.og" in str(info.value)


def test_a_newer_format_version_is_refused(tmp_path):
    _write_manifest(tmp_path / "new.og", {"type": "none"}, version=2)
    with pytest.raises(ValueError, match="format version 2; this onnxgraft reads version 1"):
        og.load(tmp_path / "new.og")


def test_a_zip_without_a_manifest_is_named(tmp_path):
    with zipfile.ZipFile(tmp_path / "other.zip", "w") as zf:
        zf.writestr("readme.txt", "hello")
    with pytest.raises(ValueError, match="a zip archive without onnxgraft.json"):
        og.load(tmp_path / "other.zip")


def test_a_truncated_file_is_reported(tmp_path):
    og.save({"w": og.randn(100)}, tmp_path / "x.og")
    data = (tmp_path / "x.og").read_bytes()
    (tmp_path / "x.og").write_bytes(data[: len(data) // 2])
    with pytest.raises(ValueError, match="not a valid zip archive"):
        og.load(tmp_path / "x.og")

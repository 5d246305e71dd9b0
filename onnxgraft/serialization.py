"""`onnxgraft.save` / `onnxgraft.load`: tensors and state dicts in a file that holds no code.

The file is a zip archive (stored, not compressed: weights do not compress) of

    onnxgraft.json    the structure: {"format": "onnxgraft", "version": 1, "root": <entry>}
    data/<n>.npy      one array per distinct tensor, in numpy's own .npy format

An entry is a JSON object with a "type": none, bool, int, float (its repr, so inf and nan survive
and JSON stays standard), str, tuple, list, dict and OrderedDict (lists of [key, value] entry
pairs, so keys need not be strings and order is kept), size (torch.Size), dtype, ndarray, and
tensor or parameter (file, dtype, shape, requires_grad), set, and module (a whole nn.Module, as
`torch.save(net, path)` writes: its class as "import.path:QualName" and its attribute dict as an
entry). A tensor reachable twice is stored once and loads as one tensor (tied weights stay tied).

Loading parses JSON and reads arrays with `allow_pickle=False`: nothing in the file can run code.
The one exception mirrors PyTorch: a whole module loads only with `weights_only=False`, because
rebuilding it imports the module that defines its class (the user's own code, as unpickling does). Saving writes a temporary file beside the target and renames it
over the target only when complete, so a failure leaves the old file as it was. Zip entries carry
a fixed timestamp, so saving the same object twice gives identical bytes.
"""
import io
import json
import math
import os
import tempfile
import zipfile
from collections import OrderedDict

import numpy as np

from .frontend import dtype as dt
from .frontend.tensor import Tensor, Size, _check_device
from .frontend.factories import from_numpy

FORMAT = "onnxgraft"
VERSION = 1
MANIFEST = "onnxgraft.json"
_EPOCH = (1980, 1, 1, 0, 0, 0)  # the earliest zip timestamp: byte-identical files for equal objects

# the keys each entry type must have (besides "type"); anything else in a file is rejected
_FIELDS = {
    "none": (), "bool": ("value",), "int": ("value",), "float": ("value",), "str": ("value",),
    "tuple": ("items",), "list": ("items",), "size": ("items",), "dict": ("items",),
    "OrderedDict": ("items",), "dtype": ("value",), "set": ("items",),
    "module": ("class", "id", "state"), "moduleref": ("id",),
    "tensor": ("file", "dtype", "shape", "requires_grad"),
    "parameter": ("file", "dtype", "shape", "requires_grad"),
    "ndarray": ("file", "dtype", "shape"),
}


class _Writer:
    """Walks an object into a JSON-able manifest and a list of (file name, array) to write.
    The walk runs before the file is opened, so an unsupported object fails with nothing written."""

    def __init__(self):
        self.arrays = []
        self.files = {}  # (kind, id(array), flags) -> file name, for arrays reachable twice
        self.active = set()
        self.modules = {}  # id(module) -> its number: a module reachable twice loads as one

    def entry(self, obj, where):
        kind = type(obj)
        if obj is None:
            return {"type": "none"}
        if kind is bool or isinstance(obj, np.bool_):
            return {"type": "bool", "value": bool(obj)}
        if isinstance(obj, (int, np.integer)) and kind is not bool:
            return {"type": "int", "value": int(obj)}
        if isinstance(obj, (float, np.floating)):
            return {"type": "float", "value": repr(float(obj))}
        if isinstance(obj, dt.dtype):
            return {"type": "dtype", "value": str.__str__(obj)}
        if isinstance(obj, str):
            return {"type": "str", "value": str(obj)}
        if isinstance(obj, Tensor):
            return self.tensor(obj, where)
        if isinstance(obj, np.ndarray):
            return self.array(("ndarray", id(obj)), where, "ndarray", obj)
        if isinstance(obj, (set, frozenset)) and type(obj) in (set, frozenset):
            # a Module's bookkeeping sets (non-persistent buffer names, hook ids)
            return {"type": "set", "items": [self.entry(v, f"an item of {where}") for v in sorted(obj, key=repr)]}
        if _is_module(obj):
            return self.module(obj, where)
        if isinstance(obj, (dict, list, tuple)):
            if id(obj) in self.active:
                raise ValueError(f"onnxgraft.save: {where} contains itself (a reference cycle); "
                                 "save a structure without cycles")
            self.active.add(id(obj))
            try:
                return self.container(obj, where)
            finally:
                self.active.discard(id(obj))
        raise TypeError(f"onnxgraft.save: cannot save {where}, a {kind.__module__}.{kind.__qualname__}; "
                        "saveable are Tensors, numpy arrays, numbers, strings, bools, None, dtypes, "
                        "nn.Modules and dicts, OrderedDicts, lists and tuples of them")

    def container(self, obj, where):
        if isinstance(obj, dict):
            kind = "OrderedDict" if isinstance(obj, OrderedDict) else "dict"
            if type(obj) not in (dict, OrderedDict) and not _is_defaultdict(obj):
                raise TypeError(f"onnxgraft.save: cannot save {where}, a {type(obj).__qualname__} "
                                "(a dict subclass); convert it to a dict or OrderedDict")
            items = []
            for k, v in obj.items():
                key = self.entry(k, f"a key of {where}")
                if key["type"] in ("list", "dict", "OrderedDict", "tensor", "parameter", "ndarray"):
                    raise TypeError(f"onnxgraft.save: {where} has an unhashable-by-value key "
                                    f"({type(k).__name__}); keys must be numbers, strings, None or tuples")
                items.append([key, self.entry(v, f"{where}[{k!r}]")])
            return {"type": kind, "items": items}
        if isinstance(obj, Size):
            return {"type": "size", "items": [int(s) for s in obj]}
        if type(obj) not in (list, tuple):
            raise TypeError(f"onnxgraft.save: cannot save {where}, a {type(obj).__qualname__} (a "
                            f"{'list' if isinstance(obj, list) else 'tuple'} subclass, such as a named "
                            "tuple); convert it to a plain list or tuple")
        kind = "list" if isinstance(obj, list) else "tuple"
        return {"type": kind, "items": [self.entry(v, f"{where}[{i}]") for i, v in enumerate(obj)]}

    def module(self, m, where):
        """A whole module, as `torch.save(net, path)`: its class by import path and its attribute
        dict (parameters, buffers, submodules, flags). Hooks or other callables in it are refused
        by the walk with their attribute named."""
        cls = type(m)
        if "<locals>" in cls.__qualname__:
            raise TypeError(f"onnxgraft.save: cannot save {where}, a {cls.__qualname__}: a class defined "
                            "inside a function cannot be found again when loading; define it at module "
                            "level or save its state_dict()")
        _check_findable(cls)
        if id(m) in self.active:
            raise ValueError(f"onnxgraft.save: {where} contains itself (a reference cycle); "
                             "save a structure without cycles")
        if id(m) in self.modules:  # shared submodule (net.head = net.fc): stored once
            return {"type": "moduleref", "id": self.modules[id(m)]}
        number = self.modules[id(m)] = len(self.modules)
        self.active.add(id(m))
        try:
            state = self.container(dict(vars(m)), f"{where} ({cls.__qualname__})")
        finally:
            self.active.discard(id(m))
        return {"type": "module", "class": f"{cls.__module__}:{cls.__qualname__}", "id": number,
                "state": state}

    def tensor(self, t, where):
        # detach().numpy(): the public way to the values (a compiled step keeps them current)
        array = t.detach().numpy()
        if not isinstance(array, np.ndarray):
            raise TypeError(f"onnxgraft.save: {where} is a symbolic tensor of a capture in progress; "
                            "save tensors outside onnxgraft.trace/compile")
        kind = "parameter" if _is_parameter(t) else "tensor"
        # keyed by the array, not the Tensor object: a state_dict detaches each tied weight
        # separately, and the copies must still load as one tensor
        entry = self.array((kind, id(array), bool(t.requires_grad)), where, kind, array)
        entry["requires_grad"] = bool(t.requires_grad)
        return entry

    def array(self, key, where, kind, array):
        if array.dtype.name not in dt.BY_NAME:
            raise TypeError(f"onnxgraft.save: {where} has dtype {array.dtype}, which onnxgraft does not "
                            f"support (supported: {', '.join(dt.BY_NAME)})")
        name = self.files.get(key)
        if name is None:
            name = f"data/{len(self.arrays)}.npy"
            self.files[key] = name
            self.arrays.append((name, array))  # also keeps the array alive, so its id stays unique
        return {"type": kind, "file": name, "dtype": array.dtype.name, "shape": list(array.shape)}


def _is_parameter(t):
    if type(t) is Tensor:
        return False
    from .nn.module import Parameter  # nn sits above this module: imported only when needed
    return isinstance(t, Parameter)


def _is_module(obj):
    if isinstance(obj, (Tensor, np.ndarray, dict, list, tuple, str)):
        return False
    from .nn.module import Module
    return isinstance(obj, Module)


def _module_class(path, where, label):
    """The class named "import.path:QualName" in a module entry; only nn.Module subclasses."""
    import importlib
    import sys
    from .nn.module import Module
    modname, _, qualname = path.partition(":")
    try:
        obj = sys.modules.get(modname) or importlib.import_module(modname)
        for part in qualname.split("."):
            obj = getattr(obj, part)
    except (ImportError, AttributeError):
        raise AttributeError(f"onnxgraft.load: {label}: cannot find the module class {qualname!r} in "
                             f"{modname!r}; define or import that class before loading the file") from None
    if not (isinstance(obj, type) and issubclass(obj, Module)):
        raise ValueError(f"onnxgraft.load: {label}: manifest entry {where}: {path!r} is not an nn.Module class")
    return obj


def _check_findable(cls):
    """Refuse at save time a module class that load could not find again by its import path (a
    class made by exec, or redefined since), with pickle's error, as torch.save does, rather than
    writing a file that only fails when loaded."""
    import pickle
    import sys
    obj = sys.modules.get(cls.__module__)
    try:
        for part in cls.__qualname__.split("."):
            obj = getattr(obj, part)
    except AttributeError:
        raise pickle.PicklingError(f"Can't pickle {cls!r}: attribute lookup {cls.__qualname__} on "
                                   f"{cls.__module__} failed") from None
    if obj is not cls:
        raise pickle.PicklingError(f"Can't pickle {cls!r}: it's not the same object as "
                                   f"{cls.__module__}.{cls.__qualname__}")


def _is_defaultdict(obj):
    from collections import defaultdict
    return type(obj) is defaultdict  # an optimizer's `state`: saved as a plain dict


def save(obj, f):
    """Save `obj` (a Tensor, or dicts/lists/tuples/OrderedDicts of Tensors, numbers, strings,
    bools and None, such as a module's or an optimizer's state_dict) to `f`, a path or a binary
    file object. A path is written atomically: the old file stays intact if saving fails."""
    writer = _Writer()
    manifest = {"format": FORMAT, "version": VERSION, "root": writer.entry(obj, "the object")}
    if hasattr(f, "write"):
        _write_zip(f, manifest, writer.arrays)
        return
    path = os.fspath(f)
    directory = os.path.dirname(os.path.abspath(path))
    fd, tmp = tempfile.mkstemp(dir=directory, prefix="." + os.path.basename(path) + ".",
                               suffix=".tmp")
    try:
        with os.fdopen(fd, "wb") as out:
            _write_zip(out, manifest, writer.arrays)
            out.flush()
            os.fsync(out.fileno())
        # mkstemp creates the file 0600: keep the replaced file's mode, or give the mode a plain
        # open() would
        try:
            mode = os.stat(path).st_mode & 0o777
        except FileNotFoundError:
            umask = os.umask(0)
            os.umask(umask)
            mode = 0o666 & ~umask
        os.chmod(tmp, mode)
        os.replace(tmp, path)
    except BaseException:
        try:
            os.unlink(tmp)
        except OSError:
            pass
        raise


def _write_zip(out, manifest, arrays):
    with zipfile.ZipFile(out, "w", zipfile.ZIP_STORED) as zf:
        info = zipfile.ZipInfo(MANIFEST, _EPOCH)
        zf.writestr(info, json.dumps(manifest, separators=(",", ":")).encode())
        for name, array in arrays:
            info = zipfile.ZipInfo(name, _EPOCH)
            with zf.open(info, "w", force_zip64=array.nbytes > (1 << 31)) as member:
                np.lib.format.write_array(member, array, allow_pickle=False)


def load(f, map_location=None, weights_only=True, **pickle_load_args):
    """Load an object written by `onnxgraft.save` from a path or binary file object.

    Nothing in the file can run code: `weights_only` is accepted for PyTorch compatibility and
    both values behave the same. Tensors load on the CPU (`map_location` may be None, "cpu" or
    a CPU device). Files that are not onnxgraft files (a PyTorch pickle, a numpy .npz) are
    rejected with an error saying what they are.
    """
    if pickle_load_args:
        raise TypeError(f"onnxgraft.load: unexpected arguments {sorted(pickle_load_args)}; onnxgraft files "
                        "hold no pickle, so pickle_module and its options do not apply")
    if map_location is not None:
        if callable(map_location) or isinstance(map_location, dict):
            raise TypeError("onnxgraft.load: map_location must be None, 'cpu' or a CPU device (onnxgraft "
                            "eager tensors live on the CPU)")
        _check_device(map_location)
    label = _label(f)
    if hasattr(f, "read"):
        return _load_from(f, label, weights_only)
    with open(os.fspath(f), "rb") as fh:
        return _load_from(fh, label, weights_only)


def _label(f):
    if hasattr(f, "read"):
        return getattr(f, "name", None) or "the file object"
    return os.fspath(f)


def _load_from(fh, label, weights_only=True):
    start = fh.tell() if fh.seekable() else None
    head = fh.read(8)
    if start is not None:
        fh.seek(start)
    else:  # zipfile needs to seek: read a non-seekable stream into memory
        fh = io.BytesIO(head + fh.read())
    if not head.startswith(b"PK"):
        raise _not_ours(label, head, None)
    try:
        zf = zipfile.ZipFile(fh)
    except zipfile.BadZipFile as exc:
        raise ValueError(f"onnxgraft.load: {label} is not a valid zip archive ({exc}); the file is "
                         "damaged or truncated, or not an onnxgraft file") from None
    with zf:
        names = set(zf.namelist())
        if MANIFEST not in names:
            raise _not_ours(label, head, names)
        try:
            manifest = json.loads(zf.read(MANIFEST).decode("utf-8"))
        except (UnicodeDecodeError, json.JSONDecodeError) as exc:
            raise ValueError(f"onnxgraft.load: {label}: {MANIFEST} is not valid JSON ({exc})") from None
        if not isinstance(manifest, dict) or manifest.get("format") != FORMAT:
            raise ValueError(f"onnxgraft.load: {label}: {MANIFEST} does not describe an onnxgraft file")
        version = manifest.get("version")
        if not isinstance(version, int) or version > VERSION or version < 1:
            raise ValueError(f"onnxgraft.load: {label} has format version {version!r}; this onnxgraft "
                             f"reads version {VERSION} (upgrade onnxgraft to read newer files)")
        if set(manifest) != {"format", "version", "root"}:
            extra = sorted(set(manifest) - {"format", "version", "root"})
            raise ValueError(f"onnxgraft.load: {label}: unknown or missing manifest fields "
                             f"{extra or ['root']}")
        return _Reader(zf, names, label, weights_only).entry(manifest["root"], "root")


def _not_ours(label, head, names):
    """An error that says what the file is and what to do with it."""
    if head[:1] == b"\x80" or (names and any(n.endswith("data.pkl") for n in names)):
        what = ("a PyTorch checkpoint (torch.save output, which is a pickle)" if names else
                "a Python pickle (for instance a legacy torch.save file)")
        return ValueError(
            f"onnxgraft.load: {label} is {what}. onnxgraft does not unpickle files, because loading a "
            "pickle can run arbitrary code. Convert it once with PyTorch: "
            "`sd = torch.load(path, weights_only=True); onnxgraft.save({k: onnxgraft.tensor(v.detach().cpu()"
            ".numpy()) for k, v in sd.items()}, new_path)`.")
    if names is not None and names and all(n.endswith(".npy") for n in names):
        return ValueError(f"onnxgraft.load: {label} is a numpy .npz archive, not an onnxgraft file; read "
                          "it with numpy.load(path, allow_pickle=False) and wrap arrays with "
                          "onnxgraft.from_numpy")
    if head.startswith(b"\x93NUMPY"):
        return ValueError(f"onnxgraft.load: {label} is a numpy .npy file, not an onnxgraft file; read it "
                          "with numpy.load(path, allow_pickle=False) and onnxgraft.from_numpy")
    if names is not None:
        return ValueError(f"onnxgraft.load: {label} is a zip archive without {MANIFEST}, not an "
                          "onnxgraft file (write one with onnxgraft.save)")
    return ValueError(f"onnxgraft.load: {label} is not an onnxgraft file (it does not start with a zip "
                      "header); onnxgraft.load reads files written by onnxgraft.save. For ONNX models "
                      "use onnx.load")


class _Reader:
    def __init__(self, zf, names, label, weights_only=True):
        self.zf, self.names, self.label = zf, names, label
        self.weights_only = weights_only is not False  # None means the default, True, as in PyTorch
        self.modules_loaded = {}  # module entry id -> the module, for moduleref entries
        self.loaded = {}  # file name -> Tensor or array, so shared entries load as one object

    def fail(self, where, message):
        return ValueError(f"onnxgraft.load: {self.label}: manifest entry {where}: {message}")

    def entry(self, e, where):
        if not isinstance(e, dict) or not isinstance(e.get("type"), str):
            raise self.fail(where, f"expected an object with a 'type', got {e!r:.80}")
        kind = e["type"]
        if kind not in _FIELDS:
            raise self.fail(where, f"unknown entry type {kind!r} (this onnxgraft reads "
                                   f"{', '.join(sorted(_FIELDS))})")
        if set(e) != {"type", *_FIELDS[kind]}:
            raise self.fail(where, f"a {kind!r} entry must have exactly the fields "
                                   f"{sorted(_FIELDS[kind])}, got {sorted(set(e) - {'type'})}")
        if kind == "none":
            return None
        if kind in ("bool", "int", "str"):
            value = e["value"]
            expected = {"bool": bool, "int": int, "str": str}[kind]
            if type(value) is not expected:
                raise self.fail(where, f"a {kind} entry holds {value!r:.80}")
            return value
        if kind == "float":
            try:
                return float(e["value"])
            except (TypeError, ValueError):
                raise self.fail(where, f"a float entry holds {e['value']!r:.80}") from None
        if kind == "dtype":
            if e["value"] not in dt.BY_NAME:
                raise self.fail(where, f"unknown dtype {e['value']!r:.80}")
            return dt.BY_NAME[e["value"]]
        if kind in ("tensor", "parameter", "ndarray"):
            return self.array(e, where, kind)
        if kind == "module":
            return self.module(e, where)
        if kind == "moduleref":
            if e["id"] not in self.modules_loaded:
                raise self.fail(where, f"refers to module {e['id']!r:.20}, which no earlier entry defines")
            return self.modules_loaded[e["id"]]
        items = e["items"]
        if not isinstance(items, list):
            raise self.fail(where, f"'items' of a {kind} entry must be a list")
        if kind == "size":
            if not all(type(s) is int and s >= 0 for s in items):
                raise self.fail(where, "a size entry must hold non-negative ints")
            return Size(items)
        if kind == "set":
            return {self.entry(v, f"{where} item {i}") for i, v in enumerate(items)}
        if kind in ("list", "tuple"):
            values = [self.entry(v, f"{where}[{i}]") for i, v in enumerate(items)]
            return values if kind == "list" else tuple(values)
        out = OrderedDict() if kind == "OrderedDict" else {}
        for i, pair in enumerate(items):
            if not isinstance(pair, list) or len(pair) != 2:
                raise self.fail(where, f"item {i} of a {kind} entry must be a [key, value] pair")
            key = self.entry(pair[0], f"{where} key {i}")
            try:
                hash(key)
            except TypeError:
                raise self.fail(where, f"key {i} is not hashable") from None
            out[key] = self.entry(pair[1], f"{where}[{key!r}]")
        return out

    def module(self, e, where):
        path = e["class"]
        if not isinstance(path, str) or ":" not in path:
            raise self.fail(where, f"a module entry's class must be 'import.path:QualName', got {path!r:.80}")
        if self.weights_only:
            import pickle
            # PyTorch's error for the same call (UnpicklingError), shortened to what applies here
            raise pickle.UnpicklingError(
                "Weights only load failed. This file can still be loaded, to do so you have two options, "
                "do those steps only if you trust the source of the checkpoint. \n\t(1) Re-running "
                "`torch.load` with `weights_only` set to `False` will likely succeed, but it imports the "
                "code that defines the saved module's class. Do it only if you got the file from a trusted "
                f"source.\n\t(2) Alternatively, save and load `model.state_dict()` instead.\n\tWeightsUnpickler "
                f"error: Unsupported global: GLOBAL {path.replace(':', '.')} was not an allowed global by "
                "default.")
        cls = _module_class(path, where, self.label)
        state = self.entry(e["state"], f"{where} state")  # submodules first: their ids precede refs
        if not isinstance(state, dict):
            raise self.fail(where, "a module entry's state must be a dict")
        m = cls.__new__(cls)
        # straight into __dict__, as unpickling does: Module.__setattr__ would re-register each entry
        m.__dict__.update(state)
        if type(e["id"]) is int:
            self.modules_loaded[e["id"]] = m
        return m

    def check_size(self, e, where, name):
        """Refuse before reading when the manifest's shape cannot fit in the member (a damaged or
        crafted file must not make the reader allocate what the file does not hold)."""
        shape, dtype = e["shape"], e["dtype"]
        if not isinstance(shape, list) or not all(type(s) is int and s >= 0 for s in shape):
            raise self.fail(where, f"'shape' must be a list of non-negative ints, got {shape!r:.80}")
        if dtype not in dt.BY_NAME:
            raise self.fail(where, f"unknown dtype {dtype!r:.80}")
        nbytes = math.prod(shape) * np.dtype(dtype).itemsize
        if nbytes > self.zf.getinfo(name).file_size:
            raise self.fail(where, f"{name} is smaller than a {dtype} array of shape {shape}; the file "
                                   "is truncated or damaged")

    def array(self, e, where, kind):
        name = e["file"]
        if not isinstance(name, str) or name not in self.names or not name.startswith("data/"):
            raise self.fail(where, f"refers to {name!r:.80}, which is not an array in the archive")
        cached = self.loaded.get(name)
        if cached is None:
            self.check_size(e, where, name)
            with self.zf.open(name) as member:
                try:
                    array = np.lib.format.read_array(member, allow_pickle=False)
                except ValueError as exc:
                    raise self.fail(where, f"{name} is not a plain .npy array ({exc})") from None
            if array.dtype.name not in dt.BY_NAME:
                raise self.fail(where, f"{name} has dtype {array.dtype}, which onnxgraft does not support")
            if array.dtype.byteorder == ">":  # written on a big-endian machine
                array = array.astype(array.dtype.newbyteorder("="))
            cached = array
        array = cached if isinstance(cached, np.ndarray) else cached.detach().numpy()
        if e["dtype"] != array.dtype.name or e["shape"] != list(array.shape):
            raise self.fail(where, f"{name} holds {array.dtype.name} {list(array.shape)}, but the manifest "
                                   f"says {e['dtype']!r:.40} {e['shape']!r:.80}; the file is damaged")
        if kind == "ndarray":
            self.loaded[name] = array
            return array
        if not isinstance(e["requires_grad"], bool):
            raise self.fail(where, "'requires_grad' must be true or false")
        if isinstance(cached, Tensor):
            return cached
        if e["requires_grad"] and array.dtype.kind != "f":
            raise self.fail(where, f"an integer tensor ({array.dtype}) cannot require gradients")
        # the array was just read, so the tensor may own it without a copy
        t = from_numpy(array).requires_grad_(e["requires_grad"])
        if kind == "parameter":
            from .nn.module import Parameter
            t = Parameter(t, requires_grad=e["requires_grad"])
        self.loaded[name] = t
        return t


__all__ = ["save", "load"]

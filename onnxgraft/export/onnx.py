"""ONNX export and import of `ir.Graph`s (with export/, the only code that imports onnx).

`to_model` walks a graph in node order and writes one standard `ai.onnx` node per IR node (a
few internal ops are lowered into several); `save_model` writes it atomically; `from_model`
reads any ONNX forward model (for instance one written by `torch.onnx.export`) back into an
`ir.Graph` of registry ops, which the autodiff pass can differentiate.

Conventions of the written model:
- `Input` nodes are graph inputs; `Param` nodes are initializers that are also graph inputs (a
  runtime may feed new values); `Const` nodes are initializers only;
- IR attributes that ONNX takes as inputs (Reshape's shape, Slice's starts, ReduceSum's axes,
  Clip's min/max, Pad's pads, ...) become constant initializers named `<node>/<argument>`;
- every value has a static shape; graph outputs carry `g.meta["output_names"]` where given;
- `metadata_props` holds `onnxgraft.version` and `onnxgraft.state`, the state map as JSON
  `{input name: output name}`;
- the bytes are a function of the graph only (no timestamps, node order, sorted attributes).
"""
import json
import os
import tempfile

import numpy as np
import onnx
from onnx import helper, numpy_helper
from onnx.defs import OpSchema

from .. import __version__
from ..ir import Value, emit
from ..ir.dtypes import SUPPORTED
from ..ir.graph import Graph, PSEUDO_OPS
from ..ir.ops import REGISTRY, ShapeError

# Opset 18: the first opset where every reduction (ReduceMean and ReduceMax too, not only
# ReduceSum) takes `axes` as an input, so one lowering serves all of them; ScatterElements has
# reduction="add" (GatherGrad's lowering) since 16. onnx 1.23's checker and onnxruntime 1.31 (CPU
# and CUDA providers) implement every op we write at this version, and it is old enough for
# runtimes in other languages. Opsets 17 and 19-21 are accepted too (same op semantics here).
OPSET = 18
SUPPORTED_OPSETS = (17, 18, 19, 20, 21)

_ATTR = OpSchema.AttrType


class ExportError(ValueError):
    """The graph cannot be written as a standard ONNX model; the message says which node and why."""


class OnnxImportError(ValueError):
    """An ONNX model cannot be read into an onnxgraft graph; the message names the op or value."""


def _tensor_type(dtype):
    return helper.np_dtype_to_tensor_dtype(np.dtype(dtype))


# ---------------------------------------------------------------------------------------------
# export
# ---------------------------------------------------------------------------------------------
class _Writer:
    """Collects ONNX nodes and initializers with unique names while the graph is walked."""

    def __init__(self, graph, opset):
        self.graph = graph
        self.opset = opset
        self.nodes = []
        self.initializers = []
        self.value_names = set()
        self.node_names = set()

    def unique(self, base, taken=None):
        taken = self.value_names if taken is None else taken
        name, k = base, 1
        while name in taken:
            name = f"{base}_{k}"
            k += 1
        taken.add(name)
        return name

    def const(self, base, array):
        """A constant initializer (not a graph input); returns its value name."""
        name = self.unique(base)
        self.initializers.append(numpy_helper.from_array(np.asarray(array), name))
        return name

    def ints(self, base, values):
        return self.const(base, np.asarray(values, dtype=np.int64).reshape(-1))

    def scalar(self, base, value, dtype):
        return self.const(base, np.asarray(value, dtype=dtype))

    def tmp(self, base):
        return self.unique(base)

    def add(self, op, inputs, outputs, name, **attrs):
        """Append one ai.onnx node; attributes are coerced to the types its schema declares."""
        try:
            schema = onnx.defs.get_schema(op, self.opset, "")
        except onnx.defs.SchemaError:
            raise ExportError(f"to_model: {op} is not a standard ONNX op at opset {self.opset} "
                              f"(node {name!r})") from None
        coerced = {}
        for key, value in attrs.items():
            if value is None:
                continue
            spec = schema.attributes.get(key)
            if spec is None:
                raise ExportError(f"to_model: node {name!r} ({op}) has attribute {key!r}, which ONNX "
                                  f"{op}-{schema.since_version} does not have; the op needs a lowering "
                                  f"in onnxgraft/export/onnx.py")
            coerced[key] = _coerce(spec.type, value)
        node_name = self.unique(name, self.node_names)
        self.nodes.append(helper.make_node(op, list(inputs), list(outputs), name=node_name, **coerced))


def _coerce(kind, value):
    if kind == _ATTR.FLOAT:
        return float(value)
    if kind == _ATTR.INT:
        return int(value)
    if kind == _ATTR.STRING:
        return str(value)
    if kind == _ATTR.INTS:
        return [int(v) for v in value]
    if kind == _ATTR.FLOATS:
        return [float(v) for v in value]
    return value


# Lowerings: fn(w, d, ins, outs, metas) writes the ONNX nodes of one IR node. `d` is the node's
# data, `ins` its input value names, `outs` its output value names, `metas` its input (shape, dtype)s.
LOWER = {}


def lowering(*ops):
    def register(fn):
        for op in ops:
            LOWER[op] = fn
        return fn
    return register


# below this many rows a column sum stays a ReduceSum (the ones vector is not worth a constant)
_MATMUL_SUM_MIN_ROWS = 8


@lowering("ReduceSum", "ReduceMean", "ReduceMax", "ReduceMin", "ReduceLogSumExp")
def _reduce(w, d, ins, outs, metas):
    op, name, attrs = d["op"], d["name"], d["attrs"]
    axes, keepdims = attrs.get("axes"), int(attrs.get("keepdims", 1))
    (x,), (_, xdt), odt = ins, metas[0], d["dtype"]
    if axes is not None and len(axes) == 0:
        # numpy reduces nothing over axes=(); ONNX would reduce everything over an empty axes input
        w.add("Cast" if xdt != odt else "Identity", [x], outs, name,
              **({"to": _tensor_type(odt)} if xdt != odt else {}))
        return
    (xshape, _) = metas[0]
    if (op == "ReduceSum" and xdt == odt and xdt in ("float32", "float64") and len(xshape) == 2
            and tuple(a % 2 for a in axes or ()) == (0,) and xshape[0] >= _MATMUL_SUM_MIN_ROWS):
        # A column sum (the bias gradient of a Linear layer: the batch summed away) as a
        # vector-matrix product with ones: onnxruntime's ReduceSum over the leading axis of a
        # 256x512 gradient took 58 us, MatMul(ones, g) 12 us (32x512: 8.5 us against 3.4 us)
        ones = w.const(f"{name}/ones", np.ones((1, xshape[0]) if keepdims else (xshape[0],), dtype=xdt))
        w.add("MatMul", [ones, x], outs, name)
        return
    # ONNX has no bool reductions and its integer ReduceMean is not numpy's (a float mean cast
    # back, truncating): compute in a dtype that gives numpy's result, then cast to the IR dtype.
    work = odt
    if op == "ReduceMean" and np.dtype(xdt).kind in "iub":
        work = "float64"
    elif op in ("ReduceMax", "ReduceMin") and xdt in ("bool", "int16"):
        work = "int32"
    if xdt != work:
        cast = w.tmp(f"{name}/cast_in")
        w.add("Cast", [x], [cast], f"{name}/cast_in", to=_tensor_type(work))
        x = cast
    result = outs if work == odt else [w.tmp(f"{name}/{op}")]
    inputs = [x]
    kwargs = {"keepdims": keepdims}
    if axes is not None:
        if op == "ReduceSum" or w.opset >= 18:
            inputs.append(w.ints(f"{name}/axes", axes))
        else:
            kwargs["axes"] = list(axes)
    w.add(op, inputs, result, name, **kwargs)
    if work != odt:
        w.add("Cast", result, outs, f"{name}/cast_out", to=_tensor_type(odt))


@lowering("Tan")
def _tan(w, d, ins, outs, metas):
    # onnxruntime's Tan kernel is float32 only; sin / cos gives float64 (and float16) to full precision
    if metas[0][1] == "float32":
        w.add("Tan", ins, outs, d["name"])
        return
    sin, cos = w.tmp(f"{d['name']}/sin"), w.tmp(f"{d['name']}/cos")
    w.add("Sin", ins, [sin], f"{d['name']}/sin")
    w.add("Cos", ins, [cos], f"{d['name']}/cos")
    w.add("Div", [sin, cos], outs, d["name"])


@lowering("Transpose")
def _transpose(w, d, ins, outs, metas):
    # a 0-d tensor's permute() has an empty perm, which ONNX reads as "reverse the axes" and
    # onnx's checker rejects for a scalar: it is the identity
    perm = d["attrs"].get("perm")
    if perm is not None and len(perm) == 0:
        w.add("Identity", ins, outs, d["name"])
    else:
        w.add("Transpose", ins, outs, d["name"], **({"perm": list(perm)} if perm is not None else {}))


@lowering("Reshape")
def _reshape(w, d, ins, outs, metas):
    shape = d["attrs"]["shape"]
    # a 0 in `shape` is a real empty dimension in the IR; allowzero keeps ONNX from copying it
    w.add("Reshape", [ins[0], w.ints(f"{d['name']}/shape", shape)], outs, d["name"],
          **({"allowzero": 1} if 0 in shape else {}))


@lowering("Expand")
def _expand(w, d, ins, outs, metas):
    w.add("Expand", [ins[0], w.ints(f"{d['name']}/shape", d["attrs"]["shape"])], outs, d["name"])


@lowering("Unsqueeze")
def _unsqueeze(w, d, ins, outs, metas):
    w.add("Unsqueeze", [ins[0], w.ints(f"{d['name']}/axes", d["attrs"]["axes"])], outs, d["name"])



@lowering("StopGradient")
def _stop_gradient(w, d, ins, outs, metas):
    # a training graph is already differentiated: blocking gradients has nothing left to do
    w.add("Identity", ins[:1], outs, d["name"])

@lowering("Squeeze")
def _squeeze(w, d, ins, outs, metas):
    # PyTorch's squeeze(dim) leaves a dimension that is not 1 alone; ONNX Squeeze rejects it,
    # so only the size-1 axes are written (all of them for axes=None).
    shape = metas[0][0]
    axes = d["attrs"].get("axes")
    axes = range(len(shape)) if axes is None else [a % max(len(shape), 1) for a in axes]
    axes = sorted({a for a in axes if shape[a] == 1})
    if not axes:
        w.add("Identity", ins[:1], outs, d["name"])
        return
    w.add("Squeeze", [ins[0], w.ints(f"{d['name']}/axes", axes)], outs, d["name"])


@lowering("Slice")
def _slice(w, d, ins, outs, metas):
    a, name = d["attrs"], d["name"]
    w.add("Slice", [ins[0]] + [w.ints(f"{name}/{k}", a[k]) for k in ("starts", "ends", "axes", "steps")],
          outs, name)


@lowering("Pad")
def _pad(w, d, ins, outs, metas):
    name, dtype = d["name"], metas[0][1]
    w.add("Pad", [ins[0], w.ints(f"{name}/pads", d["attrs"]["pads"]),
                  w.scalar(f"{name}/value", d["attrs"].get("value", 0), dtype)],
          outs, name, mode="constant")


@lowering("Clip")
def _clip(w, d, ins, outs, metas):
    name, dtype, attrs = d["name"], metas[0][1], d["attrs"]
    bounds = [w.scalar(f"{name}/{k}", attrs[k], dtype) if attrs.get(k) is not None else ""
              for k in ("min", "max")]
    while bounds and bounds[-1] == "":  # trailing optional inputs are left out, not named ""
        bounds.pop()
    w.add("Clip", [ins[0]] + bounds, outs, name)


@lowering("Cast")
def _cast(w, d, ins, outs, metas):
    w.add("Cast", ins, outs, d["name"], to=_tensor_type(d["attrs"]["to"]))


@lowering("Div")
def _div(w, d, ins, outs, metas):
    name = d["name"]
    if np.dtype(d["dtype"]).kind not in "iu":
        w.add("Div", ins, outs, name)
        return
    # The IR divides integers with floor (numpy's //); onnxruntime's integer Div truncates toward
    # zero. x - mod(x, y) (Python-sign mod, fmod=0) is an exact multiple of y, so any rounding of
    # its quotient is the floor of x / y.
    x, y = ins
    mod, exact = w.tmp(f"{name}/mod"), w.tmp(f"{name}/exact")
    w.add("Mod", [x, y], [mod], f"{name}/mod", fmod=0)
    w.add("Sub", [x, mod], [exact], f"{name}/exact")
    w.add("Div", [exact, y], outs, name)


@lowering("Gemm")
def _gemm(w, d, ins, outs, metas):
    name, attrs, dtype = d["name"], d["attrs"], d["dtype"]
    if np.dtype(dtype).kind == "f":
        w.add("Gemm", ins, outs, name, **attrs)
        return
    # onnxruntime's Gemm is floating point only: integer Gemm as Transpose, MatMul, Mul, Add
    a, b = ins[0], ins[1]
    for flag, val, tag in (("transA", a, "a"), ("transB", b, "b")):
        if attrs.get(flag):
            t = w.tmp(f"{name}/{tag}T")
            w.add("Transpose", [val], [t], f"{name}/{tag}T", perm=[1, 0])
            a, b = (t, b) if tag == "a" else (a, t)
    alpha, beta = attrs.get("alpha", 1.0), attrs.get("beta", 1.0)
    last = outs[0] if len(ins) < 3 and alpha == 1.0 else w.tmp(f"{name}/matmul")
    w.add("MatMul", [a, b], [last], f"{name}/matmul")
    if alpha != 1.0:
        scaled = outs[0] if len(ins) < 3 else w.tmp(f"{name}/alpha")
        w.add("Mul", [last, w.scalar(f"{name}/alpha", alpha, dtype)], [scaled], f"{name}/alpha")
        last = scaled
    if len(ins) == 3:
        c = ins[2]
        if beta != 1.0:
            c = w.tmp(f"{name}/beta")
            w.add("Mul", [ins[2], w.scalar(f"{name}/beta", beta, dtype)], [c], f"{name}/beta")
        w.add("Add", [last, c], outs, name)


@lowering("Addmm")
def _addmm(w, d, ins, outs, metas):
    # the IR's (c, a, b) order is PyTorch's; ONNX Gemm takes (a, b, c)
    c, a, b = ins
    _gemm(w, d, [a, b, c], outs, [metas[1], metas[2], metas[0]])


@lowering("NegativeLogLikelihoodLoss")
def _nll(w, d, ins, outs, metas):
    # onnxruntime runs NegativeLogLikelihoodLoss as ONNX's function body, which gathers with the
    # raw target before masking: a target equal to ignore_index (-100) fails as out of range.
    # Written out in registry ops instead (so an exported loss imports back): pick each sample's
    # class with a one-hot mask, weight it (0 where ignored), then reduce. A target outside
    # [0, C) picks nothing here; the eager kernel is where that raises.
    name, attrs, dtype = d["name"], d["attrs"], d["dtype"]
    reduction, ignore = attrs.get("reduction", "mean"), attrs.get("ignore_index", -100)
    (logp_shape, _), (_, tdt) = metas[0], metas[1]
    logp, target = ins[0], ins[1]
    t = {k: w.tmp(f"{name}/{k}") for k in ("ignored", "kept", "index", "onehot", "masked", "picked",
                                             "weight", "safe", "class_weight", "weighted", "losses",
                                             "total", "neg_total", "weight_total")}
    classes = np.arange(logp_shape[1], dtype=tdt).reshape((1, -1) + (1,) * (len(logp_shape) - 2))
    limits = np.iinfo(tdt)
    if limits.min <= ignore <= limits.max:
        w.add("Equal", [target, w.scalar(f"{name}/ignore_index", ignore, tdt)], [t["ignored"]],
              f"{name}/ignored")
        w.add("Not", [t["ignored"]], [t["kept"]], f"{name}/kept")
    else:  # no target of this dtype can equal ignore_index: every sample is kept
        w.add("Equal", [target, target], [t["kept"]], f"{name}/kept")
    w.add("Unsqueeze", [target, w.ints(f"{name}/class_axis", [1])], [t["index"]], f"{name}/index")
    w.add("Equal", [t["index"], w.const(f"{name}/classes", classes)], [t["onehot"]], f"{name}/onehot")
    w.add("Where", [t["onehot"], logp, w.scalar(f"{name}/zero", 0, dtype)], [t["masked"]], f"{name}/masked")
    w.add("ReduceSum", [t["masked"], w.ints(f"{name}/sum_classes", [1])], [t["picked"]], f"{name}/picked",
          keepdims=0)
    w.add("Cast", [t["kept"]], [t["weight"]], f"{name}/weight", to=_tensor_type(dtype))
    weight = t["weight"]
    if len(ins) > 2:
        w.add("Where", [t["kept"], target, w.scalar(f"{name}/zero_class", 0, tdt)], [t["safe"]],
              f"{name}/safe")
        w.add("Gather", [ins[2], t["safe"]], [t["class_weight"]], f"{name}/class_weight", axis=0)
        w.add("Mul", [t["weight"], t["class_weight"]], [t["weighted"]], f"{name}/weighted")
        weight = t["weighted"]
    w.add("Mul", [t["picked"], weight], [t["losses"]], f"{name}/losses")
    if reduction == "none":
        w.add("Neg", [t["losses"]], outs, name)
        return
    w.add("ReduceSum", [t["losses"]], [t["total"]], f"{name}/total", keepdims=0)
    if reduction == "sum":
        w.add("Neg", [t["total"]], outs, name)
        return
    w.add("Neg", [t["total"]], [t["neg_total"]], f"{name}/neg_total")
    w.add("ReduceSum", [weight], [t["weight_total"]], f"{name}/weight_total", keepdims=0)
    w.add("Div", [t["neg_total"], t["weight_total"]], outs, name)


@lowering("MseLoss")
def _mse_loss(w, d, ins, outs, metas):
    # ONNX has no MSE op: (x - y)^2, then ReduceMean/ReduceSum over every axis (none: as it is)
    name, reduction = d["name"], d["attrs"].get("reduction", "mean")
    diff, sq = w.tmp(f"{name}/diff"), (outs if reduction == "none" else [w.tmp(f"{name}/sq")])
    w.add("Sub", ins, [diff], f"{name}/diff")
    w.add("Mul", [diff, diff], sq, f"{name}/sq" if reduction != "none" else name)
    if reduction != "none":
        w.add("ReduceMean" if reduction == "mean" else "ReduceSum", sq, outs, name, keepdims=0)


def _zeros(w, name, shape, dtype):
    """Zeros of a static shape without a full-size initializer: Expand of a scalar (a GPU op,
    unlike ConstantOfShape, which onnxruntime places on the CPU)."""
    out = w.tmp(f"{name}/zeros")
    w.add("Expand", [w.scalar(f"{name}/zero", 0, dtype), w.ints(f"{name}/zeros_shape", shape)], [out],
          f"{name}/zeros")
    return out


@lowering("SliceGrad")
def _slice_grad(w, d, ins, outs, metas):
    # Zeros of `shape` with g at the positions x[starts:ends:steps] read. One axis at a time:
    # spread g's entries `step` apart (Unsqueeze, Pad step-1 zeros after each entry, Reshape,
    # Slice off the tail), then Pad zeros before and after. A negative step reads the same
    # positions backwards, so g is reversed first (Slice with step -1).
    name, attrs = d["name"], d["attrs"]
    shape, dtype = tuple(attrs["shape"]), d["dtype"]
    rank = len(shape)
    cur, cur_shape = ins[0], list(metas[0][0])
    ranges = []
    for s, e, a, st in zip(attrs["starts"], attrs["ends"], attrs["axes"], attrs["steps"]):
        a = a % rank
        ranges.append((a, range(*slice(s, e, st).indices(shape[a]))))
    if any(len(r) == 0 for _, r in ranges):  # the slice read nothing: the gradient is all zeros
        zeros = _zeros(w, name, shape, dtype)
        w.add("Identity", [zeros], outs, name)
        return
    steps = []
    for a, r in ranges:
        tag = f"{name}/axis{a}"
        n, step = len(r), abs(r.step)
        low = min(r.start, r.start + (n - 1) * r.step)
        if r.step < 0 and n > 1:
            rev = w.tmp(f"{tag}/reverse")
            w.add("Slice", [cur, w.ints(f"{tag}/rev_starts", [-1]), w.ints(f"{tag}/rev_ends", [-(2 ** 63)]),
                            w.ints(f"{tag}/rev_axes", [a]), w.ints(f"{tag}/rev_steps", [-1])],
                  [rev], f"{tag}/reverse")
            cur = rev
        if step > 1 and n > 1:
            up, padded, flat, cut = (w.tmp(f"{tag}/{k}") for k in ("unsqueeze", "spread", "merge", "trim"))
            w.add("Unsqueeze", [cur, w.ints(f"{tag}/unsqueeze_axes", [a + 1])], [up], f"{tag}/unsqueeze")
            pads = [0] * (2 * (rank + 1))
            pads[rank + 1 + a + 1] = step - 1
            w.add("Pad", [up, w.ints(f"{tag}/spread_pads", pads), w.scalar(f"{tag}/spread_value", 0, dtype)],
                  [padded], f"{tag}/spread", mode="constant")
            merged = list(cur_shape)
            merged[a] = n * step
            w.add("Reshape", [padded, w.ints(f"{tag}/merge_shape", merged)], [flat], f"{tag}/merge")
            span = (n - 1) * step + 1
            w.add("Slice", [flat, w.ints(f"{tag}/trim_starts", [0]), w.ints(f"{tag}/trim_ends", [span]),
                            w.ints(f"{tag}/trim_axes", [a])], [cut], f"{tag}/trim")
            cur = cut
        else:
            span = n
        cur_shape[a] = span
        steps.append((a, low, shape[a] - low - span))
    pads = [0] * (2 * rank)
    for a, before, after in steps:
        pads[a], pads[rank + a] = before, after
    w.add("Pad", [cur, w.ints(f"{name}/pads", pads), w.scalar(f"{name}/value", 0, dtype)], outs, name,
          mode="constant")


@lowering("GatherGrad")
def _gather_grad(w, d, ins, outs, metas):
    # Zeros of `shape` with g scatter-added along `axis` at idx (repeated indices add up):
    # ScatterElements(reduction="add") with idx flattened and broadcast to g's shape.
    name, attrs, dtype = d["name"], d["attrs"], d["dtype"]
    shape, axis = tuple(attrs["shape"]), attrs["axis"] % len(attrs["shape"])
    (g_shape, _), (i_shape, _) = metas
    k = int(np.prod(i_shape, dtype=np.int64))
    flat_g = tuple(shape[:axis]) + (k,) + tuple(shape[axis + 1:])
    g, idx = ins
    if tuple(g_shape) != flat_g:
        g = w.tmp(f"{name}/flat_g")
        w.add("Reshape", [ins[0], w.ints(f"{name}/flat_g_shape", flat_g)], [g], f"{name}/flat_g")
    lined = w.tmp(f"{name}/idx")
    line = [1] * len(shape)
    line[axis] = k
    w.add("Reshape", [ins[1], w.ints(f"{name}/idx_shape", line)], [lined], f"{name}/idx")
    spread = w.tmp(f"{name}/idx_expand")
    w.add("Expand", [lined, w.ints(f"{name}/idx_expand_shape", flat_g)], [spread], f"{name}/idx_expand")
    w.add("ScatterElements", [_zeros(w, name, shape, dtype), spread, g], outs, name, axis=axis,
          reduction="add")


def _output_refs(graph):
    return [(r, 0) if isinstance(r, (int, np.integer)) else tuple(r) for r in graph.outputs]


def _value_names(graph, w):
    """Names of every (node, out): inputs, params and consts keep their node names (which must be
    unique), op outputs their node name (`name.k` for output k > 0), made unique."""
    names = {}
    for nid in graph.nodes():
        d = graph.node(nid)
        if d["op"] in ("Input", "Param"):
            if d["name"] in w.value_names:
                raise ExportError(f"to_model: two graph inputs are named {d['name']!r}; "
                                  f"inputs and parameters need unique names")
            w.value_names.add(d["name"])
            names[(nid, 0)] = d["name"]
    wanted = list(graph.meta.get("output_names") or [])
    for n in wanted:
        if n in w.value_names:
            raise ExportError(f"to_model: output name {n!r} is already the name of a graph input or "
                              f"another output; ONNX values have one producer")
        w.value_names.add(n)
    for nid in graph.nodes():
        d = graph.node(nid)
        if d["op"] in ("Input", "Param"):
            continue
        for out in range(graph.n_outputs(nid)):
            names[(nid, out)] = w.unique(d["name"] if out == 0 else f"{d['name']}.{out}")
    return names, wanted


def to_model(graph: Graph, *, opset=OPSET, doc=None, check=False):
    """Write `graph` as a standard ONNX ModelProto (ai.onnx ops only, static shapes).

    Params become initializers that are also graph inputs, Consts initializers, Inputs graph
    inputs; the state map goes to metadata_props["onnxgraft.state"]. Exporting the same graph twice
    gives byte-identical models. `check=True` runs onnx.checker with full_check."""
    if opset not in SUPPORTED_OPSETS:
        raise ValueError(f"to_model: opset {opset} is not supported; use one of "
                         f"{', '.join(map(str, SUPPORTED_OPSETS))} (default {OPSET})")
    w = _Writer(graph, opset)
    names, wanted = _value_names(graph, w)
    out_refs = _output_refs(graph)
    if wanted and len(wanted) != len(out_refs):
        raise ExportError(f"to_model: the graph has {len(out_refs)} outputs but {len(wanted)} "
                          f"output names")

    # Output names: rename the producing value where it is an op output used as an output once;
    # otherwise (a graph input, a constant or a repeated value) an Identity carries the name.
    out_names, identities, claimed = [], [], set()
    for i, ref in enumerate(out_refs):
        if ref not in names:
            raise ExportError(f"to_model: graph output {i} refers to node {ref[0]} output {ref[1]}, "
                              f"which is not in the graph")
        op = graph.node(ref[0])["op"]
        direct = op not in PSEUDO_OPS and ref not in claimed
        if wanted:
            if direct:
                names[ref] = wanted[i]
                out_names.append(wanted[i])
            else:
                identities.append((ref, wanted[i]))
                out_names.append(wanted[i])
        elif direct:
            out_names.append(names[ref])
        else:
            fresh = w.unique(f"output_{i}")
            identities.append((ref, fresh))
            out_names.append(fresh)
        claimed.add(ref)

    graph_inputs, value_info = [], []
    for nid in graph.nodes():
        d = graph.node(nid)
        op, name = d["op"], names.get((nid, 0))
        if d.get("domain"):
            raise ExportError(f"to_model: node {d['name']!r} is in domain {d['domain']!r}; "
                              f"onnxgraft writes standard ai.onnx ops only")
        if d["dtype"] not in SUPPORTED:
            raise ExportError(f"to_model: node {d['name']!r} has dtype {d['dtype']}, which onnxgraft "
                              f"does not export")
        if op == "Input":
            graph_inputs.append(helper.make_tensor_value_info(name, _tensor_type(d["dtype"]), d["shape"]))
        elif op == "Param":
            graph_inputs.append(helper.make_tensor_value_info(name, _tensor_type(d["dtype"]), d["shape"]))
            if d.get("value") is not None:
                w.initializers.append(numpy_helper.from_array(
                    np.asarray(d["value"], dtype=d["dtype"]).reshape(d["shape"]), name))
        elif op == "Const":
            value = np.asarray(d["value"], dtype=d["dtype"])
            w.initializers.append(numpy_helper.from_array(value, name))
        else:
            if op not in REGISTRY:
                raise ExportError(f"to_model: node {d['name']!r} has op {op!r}, which is not in the "
                                  f"onnxgraft registry")
            refs = graph.input_values(nid)
            ins = [names[r] for r in refs]
            metas = [graph.out_meta(*r) for r in refs]
            outs = [names[(nid, k)] for k in range(graph.n_outputs(nid))]
            lower = LOWER.get(op)
            if lower is None:
                w.add(op, ins, outs, d["name"], **d["attrs"])
            else:
                lower(w, d, ins, outs, metas)
            for k, out in enumerate(outs):
                if out not in out_names:
                    shape, dtype = graph.out_meta(nid, k)
                    value_info.append(helper.make_tensor_value_info(out, _tensor_type(dtype), shape))
    for ref, new in identities:
        w.add("Identity", [names[ref]], [new], new)
    outputs = []
    for ref, name in zip(out_refs, out_names):
        shape, dtype = graph.out_meta(*ref)
        outputs.append(helper.make_tensor_value_info(name, _tensor_type(dtype), shape))

    state = {}
    n_user = graph.meta.get("n_user_outputs")
    for k, (src, dst) in enumerate(graph.state.items()):
        dst = (dst, 0) if isinstance(dst, (int, np.integer)) else tuple(dst)
        if dst not in claimed:
            raise ExportError(f"to_model: the new value of state {names[(src, 0)]!r} is not a graph "
                              f"output; add it to the graph's outputs")
        # a captured step lists its state outputs after its own, in state order: use that slot,
        # so that two states with one shared new value (merge_state) still get an output each
        pos = n_user + k if n_user is not None and n_user + k < len(out_refs) \
            and tuple(out_refs[n_user + k]) == dst else out_refs.index(dst)
        state[names[(src, 0)]] = out_names[pos]

    gp = helper.make_graph(w.nodes, graph.name, graph_inputs, outputs, initializer=w.initializers,
                           value_info=value_info)
    opsets = [helper.make_opsetid("", opset)]
    model = helper.make_model(gp, opset_imports=opsets, producer_name="onnxgraft",
                              producer_version=__version__,
                              ir_version=helper.find_min_ir_version_for(opsets),
                              doc_string=doc if doc is not None else
                              f"onnxgraft {__version__} export of graph {graph.name!r}")
    helper.set_model_props(model, {"onnxgraft.version": __version__,
                                   "onnxgraft.state": json.dumps(state)})
    if check:
        onnx.checker.check_model(model, full_check=True)
    return model


def save_model(model, path):
    """Write `model` to `path` atomically: a temporary file in the same folder, then os.replace,
    so a crash never leaves a half-written model where a good one was. Returns the path."""
    data = model.SerializeToString()
    path = os.fspath(path)
    folder = os.path.dirname(os.path.abspath(path))
    fd, tmp = tempfile.mkstemp(dir=folder, prefix=f".{os.path.basename(path)}.", suffix=".tmp")
    try:
        with os.fdopen(fd, "wb") as f:
            f.write(data)
            f.flush()
            os.fsync(f.fileno())
        os.replace(tmp, path)
    except BaseException:
        if os.path.exists(tmp):
            os.remove(tmp)
        raise
    return path


# ---------------------------------------------------------------------------------------------
# import
# ---------------------------------------------------------------------------------------------
# ONNX inputs that the IR keeps as attributes, by op and input slot (they must be constants)
ATTR_INPUTS = {"Reshape": (1,), "Expand": (1,), "Squeeze": (1,), "Unsqueeze": (1,),
               "Slice": (1, 2, 3, 4), "Clip": (1, 2), "Pad": (1, 2, 3), "ReduceSum": (1,),
               "ReduceMean": (1,), "ReduceMax": (1,), "ReduceMin": (1,), "Dropout": (1, 2), "ConstantOfShape": (0,)}
# ONNX ops that become other registry ops, or constants, when shapes are static
IMPORT_ONLY = ("Constant", "Shape", "Flatten", "Dropout", "ConstantOfShape")
# IR node meanings of ONNX's absent NegativeLogLikelihoodLoss ignore_index: no class is ignored.
_NO_IGNORE = -(2 ** 63)


class _Reader:
    def __init__(self, model, shapes, name):
        self.model = model
        self.opset = next((o.version for o in model.opset_import if o.domain in ("", "ai.onnx")), 1)
        self.g = Graph(name=name or model.graph.name or "imported")
        self.env = {}      # ONNX value name -> ("const", array) | ("ref", (node, out))
        self.consts = {}   # ONNX value name -> Const node id, made on first data use
        self.shapes = dict(shapes or {})

    # -- values ----------------------------------------------------------------------------------
    def value(self, name):
        kind, v = self.env[name]
        if kind == "ref":
            return Value(self.g, v[0], v[1])
        if name not in self.consts:
            arr = np.asarray(v)
            _check_dtype(arr.dtype.name, f"constant {name!r}")
            self.consts[name] = self.g.add_node("Const", out_meta=[(arr.shape, arr.dtype.name)], value=arr,
                                                name=name)
        return Value(self.g, self.consts[name], 0)

    def const(self, name, what):
        if not name:
            return None
        kind, v = self.env[name]
        if kind != "const":
            raise OnnxImportError(f"from_model: {what} must be a constant for onnxgraft's static shapes, "
                               f"but {name!r} is computed at run time")
        return np.asarray(v)

    def meta(self, name):
        kind, v = self.env[name]
        if kind == "const":
            return tuple(np.shape(v)), np.asarray(v).dtype.name
        return self.g.out_meta(*v)


def _check_dtype(dtype, what):
    if dtype not in SUPPORTED:
        raise OnnxImportError(f"from_model: {what} has dtype {dtype}, which onnxgraft does not support "
                           f"(supported: {', '.join(SUPPORTED)})")


def _attrs(node):
    out = {}
    for a in node.attribute:
        v = helper.get_attribute_value(a)
        if isinstance(v, bytes):
            v = v.decode()
        elif isinstance(v, list):
            v = tuple(x.decode() if isinstance(x, bytes) else x for x in v)
        out[a.name] = v
    return out


def _static_shape(vi, shapes):
    if vi.name in shapes:
        return tuple(int(s) for s in shapes[vi.name])
    dims = vi.type.tensor_type.shape.dim
    if not vi.type.tensor_type.HasField("shape"):
        raise OnnxImportError(f"from_model: graph input {vi.name!r} has no shape; pass "
                           f"shapes={{{vi.name!r}: (...)}}")
    out = []
    for dim in dims:
        if not dim.HasField("dim_value"):
            label = dim.dim_param or "?"
            raise OnnxImportError(f"from_model: graph input {vi.name!r} has a dynamic dimension {label!r}; "
                               f"onnxgraft graphs have static shapes, pass shapes={{{vi.name!r}: (...)}}")
        out.append(dim.dim_value)
    return tuple(out)


def _convert(r, node):
    """(ir op, data input names, ir attrs) of an ONNX node, or ("const", array) when it folds."""
    op, ins, a = node.op_type, list(node.input), _attrs(node)
    x_shape = r.meta(ins[0])[0] if ins and ins[0] else ()
    if op == "Constant":
        key, val = next(iter(a.items()))
        if key == "value":
            return "const", numpy_helper.to_array(node.attribute[0].t)
        if key in ("value_float", "value_floats"):
            return "const", np.asarray(val, np.float32)
        if key in ("value_int", "value_ints"):
            return "const", np.asarray(val, np.int64)
        raise OnnxImportError(f"from_model: Constant node {node.name!r} uses {key!r}, which onnxgraft "
                           f"does not read")
    if op == "Shape":
        start, end = a.get("start", 0), a.get("end", None)
        return "const", np.asarray(x_shape[start:end], np.int64)
    if op == "ConstantOfShape":
        fill = numpy_helper.to_array(node.attribute[0].t) if node.attribute else np.zeros(1, np.float32)
        return "const", np.full(tuple(r.const(ins[0], "ConstantOfShape's shape")), fill.reshape(-1)[0])
    if op == "Flatten":
        axis = a.get("axis", 1) % max(len(x_shape), 1) if x_shape else 0
        lead = int(np.prod(x_shape[:axis], dtype=np.int64))
        return "Reshape", ins[:1], {"shape": (lead, int(np.prod(x_shape[axis:], dtype=np.int64)))}
    if op == "Dropout":
        if len(ins) > 2 and ins[2] and bool(r.const(ins[2], "Dropout's training_mode")):
            raise OnnxImportError(f"from_model: Dropout node {node.name!r} is in training mode; export "
                               f"the model in eval mode")
        return "Identity", ins[:1], {}
    if op in ("ReduceSum", "ReduceMean", "ReduceMax", "ReduceMin"):
        axes = a.get("axes")
        if len(ins) > 1 and ins[1]:
            axes = tuple(int(v) for v in r.const(ins[1], f"{op}'s axes"))
        if axes is not None and len(axes) == 0:
            axes = None
        if axes is None and a.get("noop_with_empty_axes", 0):
            return "Identity", ins[:1], {}
        return op, ins[:1], {"axes": None if axes is None else tuple(axes), "keepdims": a.get("keepdims", 1)}
    if op == "Reshape":
        shape = [int(s) for s in r.const(ins[1], "Reshape's shape")]
        if not a.get("allowzero", 0):
            shape = [x_shape[i] if s == 0 else s for i, s in enumerate(shape)]
        if -1 in shape:
            known = int(np.prod([s for s in shape if s != -1], dtype=np.int64))
            total = int(np.prod(x_shape, dtype=np.int64))
            shape[shape.index(-1)] = total // known if known else 0
        return op, ins[:1], {"shape": tuple(shape)}
    if op == "Expand":
        target = tuple(int(s) for s in r.const(ins[1], "Expand's shape"))
        # ONNX Expand broadcasts both ways; the IR's Expand takes the broadcast result
        return op, ins[:1], {"shape": tuple(np.broadcast_shapes(tuple(x_shape), target))}
    if op in ("Squeeze", "Unsqueeze"):
        axes = a.get("axes")
        if len(ins) > 1 and ins[1]:
            axes = tuple(int(v) for v in r.const(ins[1], f"{op}'s axes"))
        return op, ins[:1], {"axes": None if axes is None else tuple(axes)}
    if op == "Slice":
        if len(ins) > 1:
            starts = [int(v) for v in r.const(ins[1], "Slice's starts")]
            ends = [int(v) for v in r.const(ins[2], "Slice's ends")]
            axes = r.const(ins[3], "Slice's axes") if len(ins) > 3 and ins[3] else None
            steps = r.const(ins[4], "Slice's steps") if len(ins) > 4 and ins[4] else None
        else:  # opset < 10: attributes
            starts, ends, axes, steps = list(a["starts"]), list(a["ends"]), a.get("axes"), None
        axes = list(range(len(starts))) if axes is None else [int(v) % len(x_shape) for v in axes]
        steps = [1] * len(starts) if steps is None else [int(v) for v in steps]
        return op, ins[:1], {"starts": tuple(starts), "ends": tuple(ends), "axes": tuple(axes),
                             "steps": tuple(steps)}
    if op == "Clip":
        if r.opset < 11:
            lo, hi = a.get("min"), a.get("max")
        else:
            lo = r.const(ins[1], "Clip's min") if len(ins) > 1 else None
            hi = r.const(ins[2], "Clip's max") if len(ins) > 2 else None
        lo, hi = (None if v is None else np.asarray(v).item() for v in (lo, hi))
        if lo is None and hi is None:
            return "Identity", ins[:1], {}
        return op, ins[:1], {"min": lo, "max": hi}
    if op == "Pad":
        mode = a.get("mode", "constant")
        if mode != "constant":
            raise OnnxImportError(f"from_model: Pad node {node.name!r} uses mode {mode!r}; onnxgraft pads "
                               f"with a constant only")
        if r.opset < 11:
            pads, value = list(a["pads"]), a.get("value", 0.0)
        else:
            pads = [int(v) for v in r.const(ins[1], "Pad's pads")]
            value = r.const(ins[2], "Pad's constant_value") if len(ins) > 2 and ins[2] else None
            value = 0 if value is None else np.asarray(value).item()
            if len(ins) > 3 and ins[3]:
                rank = len(x_shape)
                axes = [int(v) % rank for v in r.const(ins[3], "Pad's axes")]
                full = [0] * (2 * rank)
                for k, ax in enumerate(axes):
                    full[ax], full[rank + ax] = pads[k], pads[len(axes) + k]
                pads = full
        return op, ins[:1], {"pads": tuple(pads), "value": value}
    if op == "Cast":
        return op, ins, {"to": helper.tensor_dtype_to_np_dtype(a["to"]).name}
    if op in ("Softmax", "LogSoftmax"):
        axis = a.get("axis", -1 if r.opset >= 13 else 1)
        if r.opset < 13 and axis % max(len(x_shape), 1) != len(x_shape) - 1:
            raise OnnxImportError(f"from_model: {op} node {node.name!r} (opset {r.opset}) normalizes over "
                               f"the flattened axes {axis}..; onnxgraft's {op} is over one axis")
        return op, ins, {"axis": axis}
    if op == "Transpose":
        return op, ins, {"perm": tuple(a.get("perm", range(len(x_shape) - 1, -1, -1)))}
    if op in ("ArgMax", "ArgMin"):
        if a.get("select_last_index", 0):
            raise OnnxImportError(f"from_model: {op} node {node.name!r} selects the last index; "
                               f"onnxgraft's ArgMax picks the first, as PyTorch")
        return op, ins, {"axis": a.get("axis", 0), "keepdims": a.get("keepdims", 1)}
    if op == "NegativeLogLikelihoodLoss":
        return op, ins, {"reduction": a.get("reduction", "mean"),
                         "ignore_index": a.get("ignore_index", _NO_IGNORE)}
    if op == "Gemm":
        return op, ins, {k: a[k] for k in ("alpha", "beta", "transA", "transB") if k in a}
    if op in ("Concat", "Gather"):
        return op, ins, {"axis": a.get("axis", 0)}
    return op, ins, a


def _trunc_div(g, x, y, name):
    """ONNX integer Div as onnxruntime computes it (toward zero) in IR ops, whose integer Div
    floors: q = x // y, then q + 1 where the remainder is nonzero and the signs differ."""
    q = emit(g, "Div", [x, y], {}, name=f"{name}/floor")[0]
    rem = x - q * y
    inexact = rem.eq(0).logical_not()
    differ = (x < 0).eq(y < 0).logical_not()
    return emit(g, "Add", [q, inexact.logical_and(differ).cast_to(q.dtype)], {}, name=name)[0]


def from_model(model, *, shapes=None, name=None):
    """Read an ONNX forward model into an `ir.Graph` of registry ops.

    `model` is a ModelProto, serialized bytes or a path. Graph inputs become Input nodes (their
    shapes must be static, or given in `shapes` as {input name: shape}); initializers become
    Param nodes (trainable), except in a model written by onnxgraft, where only initializers that
    are also graph inputs are Params and the rest Consts, and integer initializers, which are
    Consts. Constant arguments (Reshape's shape, Slice's starts, ...) become IR attributes and
    computations on constants alone (shape arithmetic) are folded. Raises OnnxImportError naming any
    op onnxgraft lacks."""
    if isinstance(model, (bytes, bytearray)):
        model = onnx.load_from_string(bytes(model))
    elif not isinstance(model, onnx.ModelProto):
        model = onnx.load(os.fspath(model))
    gp = model.graph
    missing = {}
    for node in gp.node:
        if node.domain not in ("", "ai.onnx"):
            raise OnnxImportError(f"from_model: node {node.name or node.output[0]!r} is {node.domain}."
                               f"{node.op_type}; onnxgraft reads standard ai.onnx ops only")
        if node.op_type not in REGISTRY and node.op_type not in IMPORT_ONLY:
            missing.setdefault(node.op_type, node.name or node.output[0])
    if missing:
        listed = ", ".join(f"{op} (node {where!r})" for op, where in sorted(missing.items()))
        raise OnnxImportError(f"from_model: onnxgraft has no op for {listed}; supported ONNX ops: "
                           f"{', '.join(sorted(set(REGISTRY) | set(IMPORT_ONLY)))}")

    r = _Reader(model, shapes, name)
    g = r.g
    inits = {t.name: numpy_helper.to_array(t) for t in gp.initializer}
    input_names = {vi.name for vi in gp.input}
    ours = model.producer_name == "onnxgraft"
    data_uses = set()
    for node in gp.node:
        skip = ATTR_INPUTS.get(node.op_type, ())
        data_uses.update(n for i, n in enumerate(node.input) if n and i not in skip)
    data_uses.update(o.name for o in gp.output)

    for vi in gp.input:
        if vi.name in inits:
            arr = inits[vi.name]
            _check_dtype(arr.dtype.name, f"initializer {vi.name!r}")
            nid = g.add_node("Param", out_meta=[(arr.shape, arr.dtype.name)], value=arr, name=vi.name)
        else:
            elem = vi.type.tensor_type.elem_type
            dtype = helper.tensor_dtype_to_np_dtype(elem).name
            _check_dtype(dtype, f"graph input {vi.name!r}")
            nid = g.add_node("Input", out_meta=[(_static_shape(vi, r.shapes), dtype)], name=vi.name)
        r.env[vi.name] = ("ref", (nid, 0))
    for tname, arr in inits.items():
        if tname in input_names:
            continue
        trainable = arr.dtype.kind == "f" and not ours and tname in data_uses
        if trainable:
            _check_dtype(arr.dtype.name, f"initializer {tname!r}")
            nid = g.add_node("Param", out_meta=[(arr.shape, arr.dtype.name)], value=arr, name=tname)
            r.env[tname] = ("ref", (nid, 0))
        else:
            r.env[tname] = ("const", arr)

    for node in gp.node:
        where = node.name or node.output[0]
        try:
            conv = _convert(r, node)
            if conv[0] == "const":
                r.env[node.output[0]] = ("const", conv[1])
                continue
            op, ins, attrs = conv
            ins = list(ins)
            while ins and not ins[-1]:
                ins.pop()
            if "" in ins:
                raise OnnxImportError(f"from_model: node {where!r} ({node.op_type}) leaves out a middle "
                                   f"optional input, which onnxgraft does not support")
            if all(r.env[n][0] == "const" for n in ins) and ins:
                # constants only (shape arithmetic): fold with the eager kernel
                res = REGISTRY[op].eager(*[np.asarray(r.env[n][1]) for n in ins],
                                         **{k: v for k, v in attrs.items() if v is not None})
                res = res if isinstance(res, tuple) else (res,)
                for out, val in zip(node.output, res):
                    r.env[out] = ("const", np.asarray(val))
                continue
            args = [r.value(n) for n in ins]
            if op == "Div" and np.dtype(args[0].dtype).kind in "iu":
                outs = [_trunc_div(g, *args, name=node.output[0] or where)]
            else:
                outs = emit(g, op, args, attrs, name=node.output[0] or where)
        except (ShapeError, KeyError, TypeError, ValueError) as e:
            if isinstance(e, OnnxImportError):
                raise
            raise OnnxImportError(f"from_model: node {where!r} ({node.op_type}): {e}") from e
        for out_name, v in zip(node.output, outs):
            if out_name:
                r.env[out_name] = ("ref", v.ref)

    refs, out_names = [], []
    for vi in gp.output:
        refs.append(r.value(vi.name).ref)
        out_names.append(vi.name)
    g.meta["outputs"] = refs
    g.meta["output_names"] = out_names
    props = {p.key: p.value for p in model.metadata_props}
    if "onnxgraft.state" in props:
        by_name = dict(zip(out_names, refs))
        for src, dst in json.loads(props["onnxgraft.state"]).items():
            g.meta["state"][r.env[src][1][0]] = by_name[dst]
    return g


# lowerings of the later op families register themselves into LOWER on import
from . import lower_math, lower_combine, lower_scatter, lower_linalg, lower_bce  # noqa: E402,F401
from . import lower_batchnorm  # noqa: E402,F401
from . import lower_conv_transpose  # noqa: E402,F401
from . import lower_activations  # noqa: E402,F401

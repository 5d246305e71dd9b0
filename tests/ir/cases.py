"""Sample inputs for every op of the registry: the table that tests/ir/test_registry.py runs over.

`CASES[op]` is a list of `Case`s. Each gives the input arrays, the attributes, and `ref`: the
expected output written as an independent numpy expression (einsum for reductions, explicit
slicing for shape ops, loops for scatters), so the kernel is not checked against itself. Where an
expression could only repeat the kernel, `check` asserts known properties instead.

Differentiable inputs are float64 and stay away from kinks (|x| >= 0.3 for Abs/Relu/Sign, 0.15
from Clip's bounds, no ties for ReduceMax), so central differences are accurate to ~1e-9.
A new op without an entry here fails test_every_op_has_cases.
"""
import numpy as np

rng = np.random.default_rng(20240531)


class Case:
    """One sample call of a registry op.

    `wrt` lists the inputs to differentiate (default: every floating input); other floating inputs
    must get a None gradient slot. `eps`/`rtol` override the finite-difference step and tolerance
    (only Cast to float32 needs it: its output is rounded to float32)."""

    def __init__(self, op, inputs, attrs=None, ref=None, check=None, wrt=None, eps=1e-6, rtol=1e-6,
                 label=""):
        self.op = op
        self.inputs = tuple(np.asarray(x) for x in inputs)
        self.attrs = dict(attrs or {})
        self.ref = ref
        self.check = check
        if wrt is None:
            wrt = tuple(i for i, x in enumerate(self.inputs) if x.dtype.kind == "f")
        self.wrt = tuple(wrt)
        self.eps = eps
        self.rtol = rtol
        self.label = label

    def __repr__(self):
        shapes = ",".join("x".join(map(str, x.shape)) or "0d" for x in self.inputs)
        return f"{self.op}[{self.label or shapes}]"


CASES = {}


def add(op, inputs, attrs=None, **kw):
    CASES.setdefault(op, []).append(Case(op, inputs, attrs, **kw))


# -- sample makers -------------------------------------------------------------------------------
def randn(*shape):
    return rng.standard_normal(shape)


def away(*shape, lo=0.3, hi=1.5):
    """Values with lo <= |x| <= hi: away from the kink at 0."""
    return rng.uniform(lo, hi, shape) * rng.choice([-1.0, 1.0], shape)


def positive(*shape, lo=0.5, hi=2.0):
    return rng.uniform(lo, hi, shape)


def distinct(*shape):
    """No two values within 0.1 of each other: max/argmax have a unique winner, far from a tie."""
    n = int(np.prod(shape))
    return (rng.permutation(n) * (3.0 / n) - 1.5 + rng.uniform(0, 0.02, n)).reshape(shape)


def i64(values):
    return np.array(values, dtype=np.int64)


MASK = np.array([[True, False, True], [False, False, True]])

# -- elementwise arithmetic ------------------------------------------------------------------------
add("Add", [randn(2, 3), randn(3)], ref=lambda x, y: x + y)
add("Add", [randn(2, 1, 3), randn(4, 1)], ref=lambda x, y: x + y, label="both-broadcast")
add("Add", [i64([[1, 2], [3, 4]]), i64([10, -20])], ref=lambda x, y: x + y, label="int64")
add("Sub", [randn(2, 3), randn(2, 1)], ref=lambda x, y: x + (-1.0) * y)
add("Mul", [randn(2, 3), randn(3)], ref=lambda x, y: x * y)
add("Mul", [randn(2, 3), np.array(1.7)], ref=lambda x, y: x * float(y), label="0d")
add("Div", [randn(2, 3), away(3, lo=0.5)], ref=lambda x, y: x * (1.0 / y))
add("Div", [randn(3, 1), away(1, 2, lo=0.5)], ref=lambda x, y: x * (1.0 / y), label="both-broadcast")
# integer Div floors (ONNX and torch's floor_divide), it does not truncate toward zero
add("Div", [i64([7, -7, 6, -6]), i64([2, 2, -4, 4])], label="int64",
    ref=lambda x, y: np.floor(x.astype(np.float64) / y).astype(np.int64))
add("Pow", [positive(2, 3), randn(3)], ref=lambda x, y: np.exp(y * np.log(x)))
add("Pow", [positive(3), np.array(2.0)], ref=lambda x, y: x * x, label="square")
add("Pow", [i64([2, 3, -2]), i64([3, 2, 3])], label="int64",
    ref=lambda x, y: np.array([a ** b for a, b in zip(x.tolist(), y.tolist())], np.int64))

# -- elementwise unary ---------------------------------------------------------------------------------
add("Neg", [randn(2, 3)], ref=lambda x: 0.0 - x)
add("Exp", [randn(2, 3)], ref=lambda x: np.e ** x)
add("Log", [positive(2, 3)], ref=lambda x: np.log2(x) * np.log(2.0))
add("Sqrt", [positive(2, 3)], ref=lambda x: x ** 0.5)
add("Abs", [away(2, 3)], ref=lambda x: np.where(x < 0, -x, x))
# the derivative of sign is 0 away from 0: FD and the VJP must both give zeros
add("Sign", [away(2, 3)], ref=lambda x: (x > 0).astype(np.float64) - (x < 0))
add("Reciprocal", [away(2, 3, lo=0.5)], ref=lambda x: 1.0 / x)
add("Sin", [randn(2, 3)], ref=lambda x: np.cos(x - np.pi / 2))
add("Cos", [randn(2, 3)], ref=lambda x: np.sin(x + np.pi / 2))
add("Tan", [away(2, 3, lo=0.0, hi=1.2)], ref=lambda x: np.sin(x) / np.cos(x))
add("Tanh", [randn(2, 3)], ref=lambda x: (np.exp(2 * x) - 1) / (np.exp(2 * x) + 1))
add("Sigmoid", [randn(2, 3)], ref=lambda x: 0.5 * (1 + np.tanh(x / 2)))
# large |x|: the kernel must neither overflow nor lose the tiny tail
add("Sigmoid", [np.array([-800.0, -30.0, 0.4, 30.0, 800.0])], label="saturated",
    ref=lambda x: 0.5 * (1 + np.tanh(x / 2)))
add("Relu", [away(2, 3)], ref=lambda x: x * (x > 0))
add("Identity", [randn(2, 3)], ref=lambda x: x + 0.0,
    check=lambda out, x: not np.shares_memory(out, x))
add("StopGradient", [randn(2, 3)], ref=lambda x: x + 0.0, check=lambda out, x: not np.shares_memory(out, x))
add("Cast", [randn(2, 3)], dict(to="float64"), ref=lambda x: x + 0.0, label="float64")
add("Cast", [randn(2, 3)], dict(to="float32"), ref=lambda x: np.float32(x.tolist()), eps=1e-2, rtol=1e-4,
    label="to-float32")
add("Cast", [np.array([-1.7, 2.5, 0.3, -0.3])], dict(to="int64"), label="to-int64",
    ref=lambda x: np.trunc(x).astype(np.int64))
add("Cast", [i64([[1, -2], [3, 4]])], dict(to="float64"), ref=lambda x: x * 1.0, label="from-int64")
add("Cast", [MASK], dict(to="float32"), ref=lambda m: np.where(m, 1.0, 0.0).astype(np.float32),
    label="from-bool")

CLIP_X = np.array([[-1.2, -0.7, -0.3, 0.2], [0.35, 0.8, 1.4, -0.05]])  # 0.15+ from -0.5 and 0.5
add("Clip", [CLIP_X], dict(min=-0.5, max=0.5), ref=lambda x: np.minimum(np.maximum(x, -0.5), 0.5))
add("Clip", [CLIP_X], dict(min=-0.5), ref=lambda x: np.maximum(x, -0.5), label="min-only")
add("Clip", [CLIP_X], dict(max=0.5), ref=lambda x: np.minimum(x, 0.5), label="max-only")
add("Clip", [CLIP_X], ref=lambda x: x + 0.0, label="no-bounds")
add("Where", [MASK, randn(2, 3), randn(3)], ref=lambda c, x, y: c * x + (~c) * y)
add("Where", [MASK[:1], randn(2, 1), randn(2, 3)], ref=lambda c, x, y: c * x + (~c) * y,
    label="broadcast-all")

# -- comparisons and logic (not differentiable) ------------------------------------------------------
CMP_X, CMP_Y = randn(2, 3), randn(3)
CMP_Y[1] = CMP_X[0, 1]  # a tie, where the strict and non-strict comparisons differ
add("Greater", [CMP_X, CMP_Y], ref=lambda x, y: np.sign(x - y) == 1)
add("Less", [CMP_X, CMP_Y], ref=lambda x, y: np.sign(x - y) == -1)
add("Equal", [CMP_X, CMP_Y], ref=lambda x, y: np.sign(x - y) == 0)
add("Equal", [i64([1, 2, 3]), i64([[1], [3]])], ref=lambda x, y: (x - y) == 0, label="int64")
add("GreaterOrEqual", [CMP_X, CMP_Y], ref=lambda x, y: np.sign(x - y) != -1)
add("LessOrEqual", [CMP_X, CMP_Y], ref=lambda x, y: np.sign(x - y) != 1)
add("And", [MASK, np.array([True, True, False])], ref=lambda a, b: (a.astype(int) * b) == 1)
add("Or", [MASK, np.array([True, False, False])], ref=lambda a, b: (a.astype(int) + b) > 0)
add("Not", [MASK], ref=lambda a: a == False)  # noqa: E712  (elementwise, on purpose)

# -- reductions ----------------------------------------------------------------------------------------
R = randn(2, 3, 4)
add("ReduceSum", [R], dict(axes=(1,), keepdims=1), ref=lambda x: np.einsum("ijk->ik", x)[:, None, :])
add("ReduceSum", [R], dict(axes=(0, 2), keepdims=0), ref=lambda x: np.einsum("ijk->j", x), label="two-axes")
add("ReduceSum", [R], dict(axes=(-1,), keepdims=0), ref=lambda x: np.einsum("ijk->ij", x), label="neg-axis")
add("ReduceSum", [R], dict(keepdims=0), ref=lambda x: np.einsum("ijk->", x), label="all")
add("ReduceSum", [R], dict(keepdims=1), ref=lambda x: np.einsum("ijk->", x).reshape(1, 1, 1),
    label="all-keepdims")
# integer and bool sums accumulate in int64, as PyTorch's sum does
add("ReduceSum", [np.array([[1, 2], [3, 4]], np.int32)], dict(axes=(0,), keepdims=0), label="int32",
    ref=lambda x: (x[0].astype(np.int64) + x[1]))
add("ReduceSum", [MASK], dict(keepdims=0), ref=lambda m: np.asarray(np.count_nonzero(m), np.int64),
    label="bool")
add("ReduceMean", [R], dict(axes=(1,), keepdims=1), ref=lambda x: np.einsum("ijk->ik", x)[:, None, :] / 3)
add("ReduceMean", [R], dict(axes=(-3, -1), keepdims=0), ref=lambda x: np.einsum("ijk->j", x) / 8,
    label="neg-axes")
add("ReduceMean", [R], dict(keepdims=0), ref=lambda x: np.einsum("ijk->", x) / 24, label="all")
D = distinct(2, 3, 4)
add("ReduceMax", [D], dict(axes=(1,), keepdims=1), ref=lambda x: np.sort(x, axis=1)[:, -1:, :])
# logsumexp as one op (ir/ops/logsumexp.py): its gradient is softmax over the axes times g
add("ReduceLogSumExp", [R * 5], dict(axes=[2], keepdims=1),
    ref=lambda x: np.log(np.exp(x).sum(axis=2, keepdims=True)))
add("ReduceLogSumExp", [R], dict(axes=[0, 2], keepdims=0), label="two-axes",
    ref=lambda x: np.log(np.exp(x).sum(axis=(0, 2))))
add("ReduceLogSumExp", [np.array([[-np.inf, -np.inf], [1000.0, 999.0]])], dict(axes=[1], keepdims=0),
    label="inf-and-large", wrt=(), ref=lambda x: np.array([-np.inf, 1000.0 + np.log1p(np.exp(-1.0))]))
add("ReduceMax", [D], dict(axes=(-1, 0), keepdims=0), label="neg-axes",
    ref=lambda x: np.sort(np.moveaxis(x, 1, 0).reshape(3, -1), axis=1)[:, -1])
add("ReduceMax", [D], dict(keepdims=0), ref=lambda x: np.sort(x.ravel())[-1], label="all")
add("ReduceMax", [D], dict(axes=(1,), keepdims=0, select=1), ref=lambda x: np.sort(x, axis=1)[:, -1, :],
    label="select")
add("ReduceMin", [D], dict(axes=(2,), keepdims=1, select=1), ref=lambda x: np.sort(x, axis=2)[:, :, :1],
    label="select")
add("ArgMax", [D], dict(axis=1, keepdims=0), ref=lambda x: np.argsort(x, axis=1)[:, -1, :])
add("ArgMax", [D], dict(axis=-1, keepdims=1), ref=lambda x: np.argsort(x, axis=-1)[:, :, -1:],
    label="neg-axis-keepdims")
add("ReduceMin", [D], dict(axes=(1,), keepdims=1), ref=lambda x: np.sort(x, axis=1)[:, :1, :])
add("ReduceMin", [D], dict(axes=(-1, 0), keepdims=0), label="neg-axes",
    ref=lambda x: np.sort(np.moveaxis(x, 1, 0).reshape(3, -1), axis=1)[:, 0])
add("ReduceMin", [D], dict(keepdims=0), ref=lambda x: np.sort(x.ravel())[0], label="all")
add("ArgMin", [D], dict(axis=1, keepdims=0), ref=lambda x: np.argsort(x, axis=1)[:, 0, :])
add("ArgMin", [D], dict(axis=-1, keepdims=1), ref=lambda x: np.argsort(x, axis=-1)[:, :, :1],
    label="neg-axis-keepdims")

# -- linear algebra -------------------------------------------------------------------------------------
WELL = randn(2, 3, 3) + 3 * np.eye(3)   # well conditioned: finite differences stay accurate
add("Inverse", [WELL], ref=np.linalg.inv)
add("Inverse", [randn(2, 2) + 2 * np.eye(2)], ref=np.linalg.inv, label="2d")
add("Det", [WELL], ref=np.linalg.det)
add("Det", [randn(3, 3) + 2 * np.eye(3)], ref=np.linalg.det, label="2d")

# -- shape ops -----------------------------------------------------------------------------------------
S = randn(2, 3, 4)
add("Reshape", [S], dict(shape=(4, 6)), ref=lambda x: np.array(x.ravel().tolist()).reshape(4, 6))
add("Reshape", [S], dict(shape=(24,)), ref=lambda x: np.array(x.ravel().tolist()), label="flat")
add("Transpose", [S], dict(perm=(2, 0, 1)), ref=lambda x: np.einsum("ijk->kij", x))
add("Transpose", [randn(3, 2)], dict(perm=(1, 0)), ref=lambda x: np.einsum("ij->ji", x))
add("Expand", [randn(3, 1)], dict(shape=(2, 3, 4)), ref=lambda x: x + np.zeros((2, 3, 4)))
add("Expand", [np.array(0.7)], dict(shape=(2, 2)), ref=lambda x: np.full((2, 2), float(x)), label="0d")
add("Unsqueeze", [randn(2, 3)], dict(axes=(0, 3)), ref=lambda x: x[None, :, :, None])
add("Unsqueeze", [randn(2, 3)], dict(axes=(-1,)), ref=lambda x: x[:, :, None], label="neg-axis")
U = randn(1, 2, 1, 3)
add("Squeeze", [U], dict(axes=(0,)), ref=lambda x: x[0])
add("Squeeze", [U], ref=lambda x: x[0, :, 0, :], label="all")
add("Squeeze", [U], dict(axes=(-2,)), ref=lambda x: x[:, :, 0, :], label="neg-axis")


def _cat(xs, axis):
    """Concatenation by filling a zero array slice by slice (independent of np.concatenate)."""
    axis %= xs[0].ndim
    shape = list(xs[0].shape)
    shape[axis] = sum(x.shape[axis] for x in xs)
    out, start = np.zeros(shape, xs[0].dtype), 0
    for x in xs:
        index = [slice(None)] * x.ndim
        index[axis] = slice(start, start + x.shape[axis])
        out[tuple(index)] = x
        start += x.shape[axis]
    return out


add("Concat", [randn(2, 3), randn(2, 1), randn(2, 2)], dict(axis=1), ref=lambda *xs: _cat(xs, 1))
add("Concat", [randn(1, 3), randn(2, 3)], dict(axis=-2), ref=lambda *xs: _cat(xs, 0), label="neg-axis")

X45 = randn(4, 5)
add("Slice", [X45], dict(starts=(1,), ends=(3,), axes=(0,), steps=(1,)), ref=lambda x: x[1:3])
add("Slice", [X45], dict(starts=(-4, 0), ends=(-1, 3), axes=(1, 0), steps=(1, 1)),
    ref=lambda x: x[0:3, 1:4], label="neg-bounds")
add("Slice", [X45], dict(starts=(2,), ends=(100,), axes=(1,), steps=(1,)), ref=lambda x: x[:, 2:],
    label="end-past-size")
add("Slice", [X45], dict(starts=(0,), ends=(5,), axes=(1,), steps=(2,)), ref=lambda x: x[:, [0, 2, 4]],
    label="step2")
add("Slice", [X45], dict(starts=(3,), ends=(0,), axes=(0,), steps=(-1,)), ref=lambda x: x[[3, 2, 1]],
    label="reverse")


def _padded(x, before, after, value):
    out = np.full(tuple(s + b + a for s, b, a in zip(x.shape, before, after)), value)
    out[tuple(slice(b, b + s) for b, s in zip(before, x.shape))] = x
    return out


add("Pad", [randn(2, 3)], dict(pads=(1, 0, 0, 2)), ref=lambda x: _padded(x, (1, 0), (0, 2), 0.0))
add("Pad", [randn(2, 3)], dict(pads=(0, 2, 1, 1), value=1.5), label="value",
    ref=lambda x: _padded(x, (0, 2), (1, 1), 1.5))


def _slice_grad_ref(g, shape, rows, cols):
    """Zeros of `shape` with g written at rows x cols (explicit loops)."""
    out = np.zeros(shape)
    for a, r in enumerate(rows):
        for b, c in enumerate(cols):
            out[r, c] = g[a, b]
    return out


add("SliceGrad", [randn(2, 3)], dict(shape=(4, 6), starts=(0, 1), ends=(4, 6), axes=(0, 1), steps=(2, 2)),
    ref=lambda g: _slice_grad_ref(g, (4, 6), [0, 2], [1, 3, 5]))
add("SliceGrad", [randn(3, 5)], dict(shape=(4, 5), starts=(3,), ends=(0,), axes=(0,), steps=(-1,)),
    ref=lambda g: _slice_grad_ref(g, (4, 5), [3, 2, 1], range(5)), label="reverse")

G = randn(4, 3)
add("Gather", [G, i64([2, 0, 2])], dict(axis=0), ref=lambda x, i: x[[2, 0, 2]], label="repeated")
add("Gather", [G, i64([[1, 0], [2, 1]])], dict(axis=1), ref=lambda x, i: x[:, [[1, 0], [2, 1]]],
    label="2d-index")
add("Gather", [G, np.array(1)], dict(axis=-1), ref=lambda x, i: x[:, 1], label="0d-index")
add("Gather", [G, i64([-1, 0])], dict(axis=0), ref=lambda x, i: x[[3, 0]], label="neg-index")


def _scatter_add(g, idx, shape, axis):
    """Zeros of `shape` with g's slices added at idx along `axis` (explicit loop)."""
    out = np.zeros(shape)
    moved = np.moveaxis(out, axis, 0)          # a view: writes land in out
    gm = np.moveaxis(g, axis, 0).reshape((np.asarray(idx).size,) + moved.shape[1:])
    for k, i in enumerate(np.asarray(idx).ravel()):
        moved[i] += gm[k]
    return out


add("GatherGrad", [randn(3, 3), i64([2, 0, 2])], dict(shape=(4, 3), axis=0),
    ref=lambda g, i: _scatter_add(g, i, (4, 3), 0), label="repeated")
add("GatherGrad", [randn(4, 2, 2), i64([[1, 0], [2, 1]])], dict(shape=(4, 3), axis=1), label="2d-index",
    ref=lambda g, i: _scatter_add(g.reshape(4, 4), i, (4, 3), 1))
add("GatherGrad", [randn(4), np.array(1)], dict(shape=(4, 3), axis=1), label="0d-index",
    ref=lambda g, i: _scatter_add(g.reshape(4, 1), i, (4, 3), 1))

# -- nn ------------------------------------------------------------------------------------------------
add("MatMul", [randn(2, 3), randn(3, 4)], ref=lambda a, b: np.einsum("ij,jk->ik", a, b))
add("MatMul", [randn(2, 1, 3, 4), randn(3, 4, 2)], label="batch-broadcast",
    ref=lambda a, b: np.einsum("abij,bjk->abik", a, b))
add("MatMul", [randn(3), randn(3, 4)], ref=lambda a, b: np.einsum("j,jk->k", a, b), label="vec-mat")
add("MatMul", [randn(2, 3, 4), randn(4)], ref=lambda a, b: np.einsum("bij,j->bi", a, b), label="batch-vec")
add("MatMul", [randn(3), randn(2, 3, 4)], ref=lambda a, b: np.einsum("j,bjk->bk", a, b), label="vec-batch")
add("MatMul", [randn(3), randn(3)], ref=lambda a, b: np.einsum("j,j->", a, b), label="dot")
add("Gemm", [randn(2, 3), randn(3, 4), randn(4)], ref=lambda a, b, c: np.einsum("ij,jk->ik", a, b) + c)
add("Gemm", [randn(3, 2), randn(4, 3), randn(2, 1)], dict(alpha=0.5, beta=2.0, transA=1, transB=1),
    ref=lambda a, b, c: 0.5 * np.einsum("ji,kj->ik", a, b) + 2.0 * c, label="trans-alpha-beta")
add("Gemm", [randn(2, 3), randn(3, 4)], ref=lambda a, b: np.einsum("ij,jk->ik", a, b), label="no-bias")


def _softmax_ref(x, axis):
    e = np.exp(x)
    return e / np.einsum("ij->j" if axis == 0 else "ij->i", e).reshape((1, -1) if axis == 0 else (-1, 1))


add("Softmax", [randn(2, 5)], dict(axis=-1), ref=lambda x: _softmax_ref(x, 1))
add("Softmax", [randn(3, 4)], dict(axis=0), ref=lambda x: _softmax_ref(x, 0), label="axis0")
# shifted by 800: exp would overflow without the kernel's max-subtraction
SHIFTED = randn(2, 3)
add("Softmax", [SHIFTED + 800.0], dict(axis=1), ref=lambda x: _softmax_ref(SHIFTED, 1), label="large")
add("LogSoftmax", [randn(2, 5)], dict(axis=-1), ref=lambda x: np.log(_softmax_ref(x, 1)))
add("LogSoftmax", [randn(3, 4)], dict(axis=0), ref=lambda x: np.log(_softmax_ref(x, 0)), label="axis0")
add("LogSoftmax", [SHIFTED - 800.0], dict(axis=1), ref=lambda x: np.log(_softmax_ref(SHIFTED, 1)),
    label="large")


def _nll_ref(logp, target, weight=None, reduction="mean", ignore_index=-100):
    """Explicit loop over samples (and extra dims) of -weight[t] * logp[n, t, ...]."""
    n_classes = logp.shape[1]
    weight = np.ones(n_classes) if weight is None else weight
    lp = np.moveaxis(logp, 1, -1).reshape(-1, n_classes)
    losses, total = [], 0.0
    for row, t in zip(lp, target.ravel()):
        w = 0.0 if t == ignore_index else weight[t]
        losses.append(0.0 if t == ignore_index else -w * row[t])
        total += w
    if reduction == "none":
        return np.array(losses).reshape(target.shape)
    return np.asarray(sum(losses) / (total if reduction == "mean" else 1.0))


LOGP = randn(4, 3)
add("NegativeLogLikelihoodLoss", [LOGP, i64([0, 2, 1, 2])], ref=lambda p, t: _nll_ref(p, t))
add("NegativeLogLikelihoodLoss", [LOGP, i64([0, 2, 1, 2])], dict(reduction="sum"), label="sum",
    ref=lambda p, t: _nll_ref(p, t, reduction="sum"))
add("NegativeLogLikelihoodLoss", [LOGP, i64([0, 2, 1, 2])], dict(reduction="none"), label="none",
    ref=lambda p, t: _nll_ref(p, t, reduction="none"))
# class weights are an input, not differentiated (PyTorch has no derivative for them either)
add("NegativeLogLikelihoodLoss", [LOGP, i64([0, 2, 1, 2]), np.array([0.2, 1.0, 2.5])], wrt=(0,),
    label="weight", ref=lambda p, t, w: _nll_ref(p, t, w))
add("NegativeLogLikelihoodLoss", [LOGP, i64([0, -100, 1, 2])], label="ignore-default",
    ref=lambda p, t: _nll_ref(p, t))
add("NegativeLogLikelihoodLoss", [LOGP, i64([0, 1, 1, 2]), np.array([0.2, 1.0, 2.5])],
    dict(ignore_index=1, reduction="sum"), wrt=(0,), label="ignore-weight-sum",
    ref=lambda p, t, w: _nll_ref(p, t, w, "sum", 1))
add("NegativeLogLikelihoodLoss", [randn(2, 3, 4), i64([[0, 1, 2, 1], [2, 2, 0, 1]])], label="k-dim",
    ref=lambda p, t: _nll_ref(p, t))
add("NegativeLogLikelihoodLoss", [randn(2, 3, 4), i64([[0, 1, 2, 1], [2, 2, 0, 1]])],
    dict(reduction="none"), label="k-dim-none", ref=lambda p, t: _nll_ref(p, t, reduction="none"))


# -- math family (ir/ops/math.py): inverse trig and hyperbolic functions, erf, atan2, rounding ---------
def _erf_series(x):
    """erf by its all-positive series 2/sqrt(pi) e^{-x^2} sum (2x^2)^k x / (2k+1)!! (|x| < 2.5)."""
    z, s = 2 * x * x, np.ones_like(x)
    for k in range(60, 0, -1):
        s = 1 + z / (2 * k + 1) * s
    return 2 / np.sqrt(np.pi) * np.exp(-x * x) * x * s


def _erfc_fraction(x):
    """erfc by its continued fraction (x >= 2.5)."""
    k_ = x.copy()
    for k in range(60, 0, -1):
        k_ = x + (k / 2) / k_
    return np.exp(-x * x) / (np.sqrt(np.pi) * k_)


def uniform(lo, hi, *shape):
    return rng.uniform(lo, hi, shape)


add("Asin", [uniform(-0.9, 0.9, 2, 3)], ref=lambda x: np.arctan(x / np.sqrt(1 - x * x)))
add("Acos", [uniform(-0.9, 0.9, 2, 3)], ref=lambda x: 2 * np.arctan(np.sqrt((1 - x) / (1 + x))))
add("Atan", [randn(2, 3) * 2], ref=lambda x: np.arcsin(x / np.sqrt(1 + x * x)))
# beyond |x| = 1 the float64 export reflects the argument; near 0 it uses atan's own first guess
add("Atan", [np.array([-40.0, -1.0, -1e-9, 0.0, 0.7, 1.0, 3.0, 1e12])], label="wide",
    ref=lambda x: np.arcsin(x / np.sqrt(1 + x * x)))
add("Sinh", [randn(2, 3)], ref=lambda x: (np.exp(x) - np.exp(-x)) / 2)
add("Sinh", [np.array([-1e-5, 3e-3, 0.009, 0.011, -20.0])], label="near-zero",
    ref=None,
    check=lambda out, x: np.allclose(out[:4], x[:4] + x[:4] ** 3 / 6 + x[:4] ** 5 / 120, rtol=1e-15, atol=0))
add("Cosh", [randn(2, 3)], ref=lambda x: (np.exp(x) + np.exp(-x)) / 2)
add("Asinh", [randn(2, 3) * 2], ref=lambda x: np.sign(x) * np.log(np.abs(x) + np.sqrt(x * x + 1)))
add("Asinh", [np.array([-2e-4, 5e-3, -0.02, 1e9, -3e200])], label="wide",
    ref=None, check=lambda out, x: np.allclose(np.sinh(out[:4]), x[:4], rtol=1e-14, atol=0)
    and np.isclose(out[4], -(np.log(3e200) + np.log(2.0)), rtol=1e-15))
add("Acosh", [uniform(1.2, 3.0, 2, 3)], ref=lambda x: np.log(x + np.sqrt(x * x - 1)))
add("Atanh", [uniform(-0.8, 0.8, 2, 3)], ref=lambda x: 0.5 * np.log((1 + x) / (1 - x)))
add("Atanh", [np.array([1e-6, -4e-3, 0.012, -0.5])], label="near-zero", ref=None,
    check=lambda out, x: np.allclose(np.tanh(out), x, rtol=1e-15, atol=0))
add("Erf", [uniform(-2.0, 2.0, 2, 3)], ref=_erf_series)
# the float64 export switches to the continued fraction at |x| = 2.5
add("Erf", [np.array([-3.5, -2.6, -0.01, 0.0, 2.4, 2.6, 5.0, 30.0])], label="wide", ref=None,
    check=lambda out, x: np.allclose(out[1:7], np.sign(x[1:7]) * np.where(np.abs(x[1:7]) < 2.5,
                                     _erf_series(np.abs(x[1:7])), 1 - _erfc_fraction(np.maximum(np.abs(x[1:7]), 2.5))),
                                     rtol=1e-14, atol=0) and out[-1] == 1.0)
add("Erfc", [uniform(-2.0, 2.0, 2, 3)], ref=lambda x: 1 - _erf_series(x))
add("Erfc", [np.array([2.6, 4.0, 6.0, 9.0, -3.0])], label="tails",
    ref=lambda x: np.where(x > 0, _erfc_fraction(np.abs(x)), 2 - _erfc_fraction(np.abs(x))))
add("Atan2", [randn(2, 3), away(3)], ref=lambda y, x: np.angle(x + 1j * y))
add("Atan2", [np.array([0.0, 1.0, -1.0, 2.0, -2.0]), np.array([0.0, 0.0, 0.0, -1.0, -1.0])], wrt=(),
    label="axes", ref=lambda y, x: np.array([0.0, np.pi / 2, -np.pi / 2, np.pi - np.arctan(2.0),
                                             -np.pi + np.arctan(2.0)]))
# piecewise constant: values away from the jumps, where the derivative is 0
STEPS = np.array([[0.3, -1.7, 2.2], [-0.6, 1.4, -3.9]])
add("Floor", [STEPS], ref=lambda x: x - np.mod(x, 1.0))
add("Floor", [i64([3, -2])], ref=lambda x: x + 0, label="int64")
add("Ceil", [STEPS], ref=lambda x: -(-x - np.mod(-x, 1.0)))
add("Ceil", [i64([3, -2])], ref=lambda x: x + 0, label="int64")
add("Trunc", [STEPS], ref=lambda x: np.sign(x) * (np.abs(x) - np.mod(np.abs(x), 1.0)))
add("Trunc", [i64([3, -2])], ref=lambda x: x + 0, label="int64")
# remainder/fmod: values away from the jumps (a / b not near an integer); integers too
add("Mod", [np.array([[2.3, -1.7, 0.4], [-2.6, 1.1, 3.9]]), np.array([0.7, -0.9, 1.6])],
    ref=lambda a, b: a - b * np.floor(a / b))
add("Mod", [np.array([[2.3, -1.7, 0.4], [-2.6, 1.1, 3.9]]), np.array([0.7, -0.9, 1.6])], dict(fmod=1),
    label="fmod", ref=lambda a, b: a - b * np.trunc(a / b))
add("Mod", [i64([-7, 7, -7, 7]), i64([3, 3, -3, -3])], label="int64", ref=lambda a, b: i64([2, 1, -1, -2]))
add("Mod", [i64([-7, 7, -7, 7]), i64([3, 3, -3, -3])], dict(fmod=1), label="int64-fmod",
    ref=lambda a, b: i64([-1, 1, -1, 1]))
add("Round", [STEPS], ref=lambda x: np.array([[0.0, -2.0, 2.0], [-1.0, 1.0, -4.0]]))
add("Round", [np.array([0.5, 1.5, 2.5, -0.5, -2.5])], wrt=(), label="half-even",
    ref=lambda x: np.array([0.0, 2.0, 2.0, -0.0, -2.0]))
add("Round", [np.array([0.123, -1.26, 2.37, 1234.0])], dict(decimals=1), label="decimals",
    ref=lambda x: np.array([0.1, -1.3, 2.4, 1234.0]))
add("Round", [np.array([0.123, -1.26, 2.37, 1234.0])], dict(decimals=-2), label="neg-decimals",
    ref=lambda x: np.array([0.0, -0.0, 0.0, 1200.0]))
add("Round", [i64([3, -2])], ref=lambda x: x + 0, label="int64")

# -- scatter family (ir/ops/scatter.py): GatherElements, ScatterElements, ScatterReduce ---------------
# The references loop over every index element. "none" scatters use indices without repeats along
# the axis: with repeats one write wins, and the losers' true derivative is zero while the rule
# (PyTorch's) gives them g, so finite differences would disagree by design.
def _positions(idx, axis, n):
    for pos in np.ndindex(idx.shape):
        target = list(pos)
        target[axis] = idx[pos] % n
        yield pos, tuple(target)


def _gather_ref(x, idx, axis):
    out = np.zeros(idx.shape, x.dtype)
    for pos, target in _positions(idx, axis, x.shape[axis]):
        out[pos] = x[target]
    return out


def _scatter_ref(data, idx, upd, axis, reduction="none"):
    out = data.copy()
    for pos, target in _positions(idx, axis, data.shape[axis]):
        u = upd[pos]
        out[target] = {"none": lambda a: u, "add": lambda a: a + u, "mul": lambda a: a * u,
                       "max": lambda a: max(a, u), "min": lambda a: min(a, u)}[reduction](out[target])
    return out


SC_IDX = i64([[0, 1, 2, 0], [2, 0, 1, 1]])      # no repeats down a column
SC_DUP = i64([[0, 0, 2, 1], [0, 0, 2, 1]])      # repeats: reductions combine them
add("GatherElements", [randn(3, 4), SC_DUP], dict(axis=0), ref=lambda x, i: _gather_ref(x, i, 0))
add("GatherElements", [randn(3, 4), i64([[3, -1], [0, 2], [-4, 1]])], dict(axis=1), label="neg-index",
    ref=lambda x, i: _gather_ref(x, i, 1))
add("GatherElements", [randn(2, 3, 2), i64([[[1, 0]], [[2, 2]]])], dict(axis=-2), label="3d-smaller-index",
    ref=lambda x, i: _gather_ref(x, i, 1))
add("ScatterElements", [randn(3, 4), SC_IDX, randn(2, 4)], dict(axis=0),
    ref=lambda d, i, u: _scatter_ref(d, i, u, 0))
add("ScatterElements", [randn(3, 4), i64([[3, -4], [1, 2], [-1, 0]]), randn(3, 2)], dict(axis=1),
    label="neg-index-axis1", ref=lambda d, i, u: _scatter_ref(d, i, u, 1))
add("ScatterElements", [randn(3, 4), SC_DUP, randn(2, 4)], dict(axis=0, reduction="add"), label="add",
    ref=lambda d, i, u: _scatter_ref(d, i, u, 0, "add"))
add("ScatterElements", [i64([[1, 2], [3, 4]]), i64([[1, 1]]), i64([[10, 20]])], dict(axis=0, reduction="add"),
    label="int64-add", ref=lambda d, i, u: _scatter_ref(d, i, u, 0, "add"))
add("ScatterReduce", [away(3, 4), SC_DUP, away(2, 4)], dict(axis=0, reduction="mul"), label="mul",
    ref=lambda d, i, u: _scatter_ref(d, i, u, 0, "mul"))
add("ScatterReduce", [distinct(3, 4), SC_DUP, distinct(2, 4)], dict(axis=0, reduction="max"), label="max",
    ref=lambda d, i, u: _scatter_ref(d, i, u, 0, "max"))
add("ScatterReduce", [distinct(3, 4), i64([[1, 1], [0, 3], [2, 2]]), distinct(3, 2)], dict(axis=1, reduction="min"),
    label="min-axis1", ref=lambda d, i, u: _scatter_ref(d, i, u, 1, "min"))


# -- log1p / expm1 (ir/ops/math.py): tiny arguments are where they differ from log(1+x), exp(x)-1
add("Log1p", [np.array([1e-10, -1e-9, 0.5, -0.5, 3.0, 0.0])], ref=lambda x: np.log1p(x))
add("Log1p", [uniform(-0.9, 2.0, 2, 3)], ref=lambda x: np.log(1 + x), label="moderate")
add("Expm1", [np.array([1e-10, -1e-9, 0.5, -0.5, 3.0, 0.0, -40.0])], ref=lambda x: np.expm1(x))
add("Expm1", [randn(2, 3)], ref=lambda x: np.exp(x) - 1, label="moderate")


# -- MSE loss as one op (ir/ops/nn.py): broadcasting target, each reduction
add("MseLoss", [randn(3, 4), randn(3, 4)], dict(reduction="mean"), ref=lambda x, y: ((x - y) ** 2).mean())
add("MseLoss", [randn(3, 4), randn(4)], dict(reduction="sum"), ref=lambda x, y: ((x - y) ** 2).sum(),
    label="broadcast-sum")
add("MseLoss", [randn(2, 3), randn(2, 3)], dict(reduction="none"), ref=lambda x, y: (x - y) ** 2, label="none")
_PROBS, _BITS = rng.uniform(0.1, 0.9, (3, 4)), rng.integers(0, 2, (3, 4)).astype(np.float64)


def _bce_ref(p, t):
    return -(t * np.log(p) + (1 - t) * np.log1p(-p))


def _bce_logits_ref(x, t):
    return -(t * np.log(1 / (1 + np.exp(-x))) + (1 - t) * np.log(1 - 1 / (1 + np.exp(-x))))


add("BceLoss", [_PROBS, _BITS], dict(reduction="mean"), ref=lambda p, t: _bce_ref(p, t).mean(), wrt=(0,))
add("BceLoss", [_PROBS, _BITS], dict(reduction="sum"), ref=lambda p, t: _bce_ref(p, t).sum(), wrt=(0,),
    label="sum")
add("BceLoss", [_PROBS, _BITS], dict(reduction="none"), ref=_bce_ref, wrt=(0,), label="none")
add("BceWithLogitsLoss", [randn(3, 4) * 2, _BITS], dict(reduction="mean"),
    ref=lambda x, t: _bce_logits_ref(x, t).mean(), wrt=(0,))
add("BceWithLogitsLoss", [randn(3, 4) * 2, _BITS], dict(reduction="none"), ref=_bce_logits_ref, wrt=(0,),
    label="none")


# -- Addmm (ir/ops/nn.py): Gemm with PyTorch's (c, a, b) order; nn.Linear's transB=1 form
add("Addmm", [randn(4), randn(3, 5), randn(4, 5)], dict(transB=1), ref=lambda c, a, b: a @ b.T + c, label="linear")
add("Addmm", [randn(3, 4), randn(3, 5), randn(5, 4)], dict(alpha=0.5, beta=2.0),
    ref=lambda c, a, b: 0.5 * (a @ b) + 2.0 * c, label="alpha-beta")


# -- Conv / ConvTranspose (ir/ops/conv_transpose.py): references as explicit loops over the taps
def _conv_ref(x, w, b=None, strides=(1,), pads=(0, 0), dilations=(1,), group=1):
    (n, c, length), (o, cg, k) = x.shape, w.shape
    xp = np.pad(x, [(0, 0), (0, 0), (pads[0], pads[1])])
    lo = (xp.shape[2] - dilations[0] * (k - 1) - 1) // strides[0] + 1
    y = np.zeros((n, o, lo))
    for oc in range(o):
        gi = oc // (o // group)
        for j in range(lo):
            for t in range(k):
                y[:, oc, j] += xp[:, gi * cg:(gi + 1) * cg, j * strides[0] + t * dilations[0]] @ w[oc, :, t]
    return y if b is None else y + b[None, :, None]


def _conv_transpose_ref(x, w, b=None, strides=(1,), pads=(0, 0), dilations=(1,), group=1, output_padding=(0,)):
    (n, c, length), (_, og, k) = x.shape, w.shape
    cg = c // group
    full = (length - 1) * strides[0] + dilations[0] * (k - 1) + 1 + output_padding[0]
    y = np.zeros((n, og * group, full))
    for ic in range(c):
        gi = ic // cg
        for i in range(length):
            for t in range(k):
                y[:, gi * og:(gi + 1) * og, i * strides[0] + t * dilations[0]] += x[:, ic, i, None] * w[ic, :, t]
    y = y[:, :, pads[0]:full - pads[1]]
    return y if b is None else y + b[None, :, None]


_CT = dict(strides=(2,), pads=(1, 1), dilations=(1,), group=2, output_padding=(1,))
add("ConvTranspose", [randn(2, 4, 3), randn(4, 1, 3), randn(2)], _CT,
    ref=lambda x, w, b: _conv_transpose_ref(x, w, b, **_CT), label="stride-groups-bias")
add("ConvTranspose", [randn(1, 2, 4), randn(2, 3, 2)], dict(dilations=(2,)),
    ref=lambda x, w: _conv_transpose_ref(x, w, dilations=(2,)), label="dilated")
add("ConvTranspose", [randn(1, 2, 3, 2), randn(2, 2, 2, 3)], dict(strides=(2, 1), pads=(0, 1, 0, 1)),
    check=lambda y, x, w: y.shape == (1, 2, 6, 2), label="2d")
add("Conv", [randn(2, 4, 7), randn(2, 2, 3), randn(2)], dict(strides=(2,), pads=(1, 1), group=2),
    ref=lambda x, w, b: _conv_ref(x, w, b, strides=(2,), pads=(1, 1), group=2), label="stride-groups-bias")
add("Conv", [randn(1, 2, 6), randn(3, 2, 2)], dict(dilations=(2,)),
    ref=lambda x, w: _conv_ref(x, w, dilations=(2,)), label="dilated")


# -- Lgamma / Digamma / Polygamma (ir/ops/gamma.py): lgamma against math.lgamma, the others by
# their recurrences psi^(n)(x + 1) = psi^(n)(x) + (-1)^n n! / x^(n+1)
def _recurrence(op, n):
    from math import factorial
    from onnxgraft.ir.ops import REGISTRY
    attrs = {} if op == "Digamma" else {"n": n}

    def check(y, x):
        y1 = REGISTRY[op].eager(x + 1, **attrs)
        return np.allclose(y1 - y, (-1) ** n * factorial(n) / x ** (n + 1), rtol=1e-12, atol=1e-12)
    return check


_GAMMA_X = np.array([[0.3, 1.7, 4.2], [-0.6, 12.5, 2.0]])
add("Lgamma", [_GAMMA_X], ref=np.vectorize(__import__("math").lgamma))
add("Digamma", [_GAMMA_X], check=_recurrence("Digamma", 0))
add("Polygamma", [_GAMMA_X], dict(n=1), check=_recurrence("Polygamma", 1), label="trigamma")
add("Polygamma", [_GAMMA_X], dict(n=3), check=_recurrence("Polygamma", 3), label="n=3")


# -- activations as single ops (ir/ops/activations.py): float64 here, so the kernels are the plain
# formulas; their float32 bits are checked against torch in tests/nn/test_activation_bits.py
def _erf_ref(x):
    import math
    return np.vectorize(math.erf)(x)


def _softplus_ref(x, beta=1.0, threshold=20.0):
    return np.where(beta * x > threshold, x, np.log(1 + np.exp(beta * x)) / beta)


_BEYOND3 = np.array([-4.5, -3.4, -2.5, -1.0, -0.2, 0.4, 1.3, 2.6, 3.5, 5.0])   # 0.1 from the kinks at +-3
add("Gelu", [randn(3, 4) * 2], dict(approximate="none"), ref=lambda x: 0.5 * x * (1 + _erf_ref(x / np.sqrt(2))))
add("Gelu", [randn(3, 4) * 2], dict(approximate="tanh"), label="tanh",
    ref=lambda x: 0.5 * x * (1 + np.tanh(np.sqrt(2 / np.pi) * (x + 0.044715 * x ** 3))))
add("Silu", [randn(3, 4) * 3], ref=lambda x: x / (1 + np.exp(-x)))
add("Softplus", [randn(3, 4) * 3], dict(beta=1.0, threshold=20.0), ref=_softplus_ref)
add("Softplus", [away(3, 4, lo=0.3, hi=4.0)], dict(beta=2.0, threshold=5.0), label="beta-threshold",
    ref=lambda x: _softplus_ref(x, 2.0, 5.0))
add("LogSigmoid", [randn(3, 4) * 4], ref=lambda x: -np.log(1 + np.exp(-x)))
add("EluKernel", [away(3, 4)], dict(alpha=1.0), ref=lambda x: np.where(x > 0, x, np.exp(x) - 1))
add("EluKernel", [away(3, 4)], dict(alpha=1.6732632423543772, scale=1.0507009873554805), label="selu",
    ref=lambda x: 1.0507009873554805 * np.where(x > 0, x, 1.6732632423543772 * (np.exp(x) - 1)))
add("EluKernel", [away(3, 4)], dict(alpha=2.0, input_scale=0.5), label="celu",
    ref=lambda x: np.where(x > 0, x, 2.0 * (np.exp(x / 2.0) - 1)))
add("Mish", [randn(3, 4) * 3], ref=lambda x: x * np.tanh(np.log(1 + np.exp(x))))
add("HardSigmoidKernel", [_BEYOND3], ref=lambda x: np.clip(x + 3, 0, 6) / 6)
add("HardSwishKernel", [_BEYOND3], ref=lambda x: x * np.clip(x + 3, 0, 6) / 6)


def _bn_train_ref(x, w, b, eps=1e-5):
    axes = (0,) + tuple(range(2, x.ndim))
    bs = (1, x.shape[1]) + (1,) * (x.ndim - 2)
    mean = x.mean(axes, keepdims=True)
    var = ((x - mean) ** 2).mean(axes, keepdims=True)
    return (x - mean) / np.sqrt(var + eps) * w.reshape(bs) + b.reshape(bs)


def _bn_eval_ref(x, w, b, rm, rv, eps=1e-5):
    bs = (1, x.shape[1]) + (1,) * (x.ndim - 2)
    return (x - rm.reshape(bs)) / np.sqrt(rv.reshape(bs) + eps) * w.reshape(bs) + b.reshape(bs)


add("BatchNorm", [randn(5, 3), away(3), randn(3)], dict(training=True, eps=1e-5), ref=_bn_train_ref)
add("BatchNorm", [randn(2, 3, 4, 2), away(3), randn(3)], dict(training=True, eps=1e-5), ref=_bn_train_ref,
    label="4d")
add("BatchNorm", [randn(4, 3, 5), away(3), randn(3), randn(3), rng.uniform(0.5, 2.0, 3)],
    dict(training=False, eps=1e-5), ref=_bn_eval_ref, wrt=(0, 1, 2), label="eval")


def _bn_running_ref(x, rm, rv, m):
    axes = (0,) + tuple(range(2, x.ndim))
    n = x.size // x.shape[1]
    return np.stack([m * x.mean(axes) + (1 - m) * rm, m * x.var(axes) * n / (n - 1) + (1 - m) * rv])


add("BatchNormRunningStats", [randn(6, 3), randn(3), rng.uniform(0.5, 2.0, 3), np.array(0.1)], {},
    ref=_bn_running_ref, wrt=())
add("BatchNormRunningStats", [randn(2, 3, 4, 2), randn(3), rng.uniform(0.5, 2.0, 3), np.array(0.25)], {},
    ref=_bn_running_ref, wrt=(), label="4d")

"""Tensor methods for shape and combination ops: broadcast_to, movedim, tile, roll, stacking
helpers, einsum, tensordot, kron, cross, addmm/baddbmm, and in-place shape changes (t_, transpose_,
squeeze_, unsqueeze_).

Mixed into Tensor (frontend/tensor.py). `TORCH_METHODS` names the methods that are also torch.*
free functions (torch.name(input, ...) is input.name(...)); `TORCH_FUNCTIONS` maps other torch.*
names to functions.

Every op here is a composition of registry ops (Reshape, Transpose, Expand, Slice, Concat, Gather,
Mul, MatMul, Gemm, ReduceSum, Where...), so gradients, create_graph, capture and ONNX export come
from those ops' rules; the top node takes PyTorch's grad_fn name (RollBackward0, AddmmBackward0).
Index arrays (unfold, diagonals, flips) depend on shapes only, never on values, so they are
constants of a recorded graph.
"""
import builtins
import warnings

import numpy as np

from . import dtype as dt
from .grad_mode import STATE
from .node import apply


def _shape_text(shape):
    return f"[{', '.join(map(str, shape))}]"


def _dims_arg(args):
    """f(2, 3), f((2, 3)) and f([2, 3]) as PyTorch accepts them."""
    if len(args) == 1 and isinstance(args[0], (tuple, list)):
        return tuple(int(a) for a in args[0])
    return tuple(int(a) for a in args)


def _ints(x):
    return (int(x),) if isinstance(x, (int, np.integer)) else tuple(int(v) for v in x)


def _lift(x):
    return x if isinstance(x, _tm.Tensor) else _tm._wrap(np.asarray(x))


def _gather(x, index, axis, name):
    """x gathered along `axis` at the constant positions `index` (a numpy int array)."""
    return apply("Gather", (x, _tm._wrap(np.asarray(index, dtype=np.int64))), {"axis": axis}, name)


def _slice(x, axis, start, stop):
    return apply("Slice", (x,), {"starts": (start,), "ends": (stop,), "axes": (axis,), "steps": (1,)},
                 "SliceBackward0")


def _diagonal(x, d1, d2):
    """torch.diagonal(x, 0, d1, d2): d1 and d2 removed, their diagonal appended last; one Gather
    over the flattened tensor at positions that numpy's diagonal of an index grid gives."""
    positions = np.diagonal(np.arange(x.numel(), dtype=np.int64).reshape(tuple(x.shape)), 0, d1, d2)
    return _gather(x.reshape(-1), positions, 0, "DiagonalBackward0")


def _permute(t, perm):
    """t.permute(perm); a 0-d tensor gets an Identity under the same grad_fn name, since ONNX
    cannot express a Transpose with an empty perm."""
    if t.ndim == 0:
        return apply("Identity", (t,), {}, "PermuteBackward0")
    return t.permute(*perm)


def _same_dtype_error(a, b):
    return RuntimeError(f"expected scalar type {dt.LEGACY[a.dtype]} but found {dt.LEGACY[b.dtype]}")


def _pnorm(diff, p, dims, name):
    """The p-norm of `diff` over `dims`, with PyTorch's subgradient at zero: a zero distance has a
    zero gradient (not the NaN of sqrt'(0) * 0), so the root is taken only where the sum is > 0."""
    if p == 0:
        return (diff != 0).to(diff.dtype).sum(dims)._renamed(name)
    if p == 1:
        return diff.abs().sum(dims)._renamed(name)
    if p == float("inf"):
        return diff.abs().amax(dims)._renamed(name)
    total = (diff * diff).sum(dims) if p == 2 else (diff.abs() ** p).sum(dims)
    positive = total > 0
    safe = _tm.where(positive, total, 1.0)
    root = safe.sqrt() if p == 2 else safe ** (1.0 / p)
    return _tm.where(positive, root, 0.0)._renamed(name)


def _expand_check(t, shape):
    """PyTorch's text for an `input` that does not broadcast to the result (addmm, baddbmm...)."""
    shape = tuple(shape)
    src = tuple(t.shape)
    ok = len(src) <= len(shape) and all(s == 1 or s == d for s, d in zip(src[::-1], shape[::-1]))
    if not ok:
        for i in range(len(shape) - 1, len(shape) - len(src) - 1, -1):
            d = src[i - len(shape) + len(src)]
            if d != 1 and d != shape[i]:
                raise RuntimeError(f"The expanded size of the tensor ({shape[i]}) must match the existing "
                                   f"size ({d}) at non-singleton dimension {i}.  Target sizes: "
                                   f"{_shape_text(shape)}.  Tensor sizes: {_shape_text(src)}")


def _scaled(x, factor):
    return x * factor if factor != 1 else x


def _beta_term(x, beta):
    """beta * x; for beta == 0 exact zeros that still reach x (a zero gradient, as PyTorch's), but
    never NaN * 0: PyTorch ignores `input` then, NaN and inf included."""
    if beta == 0:
        return _tm.where(_tm._wrap(np.zeros((), bool)), x, _tm._wrap(np.zeros((), x._data.dtype)))
    return _scaled(x, beta)


def _check_batches(batch1, batch2):
    for name, t in (("batch1", batch1), ("batch2", batch2)):
        if t.ndim != 3:
            raise RuntimeError(f"{name} must be a 3D tensor")


class CombineMethods:
    __slots__ = ()

    # -- views and rearrangements ---------------------------------------------------------------
    def tensor_split(self, indices_or_sections, dim=0):
        """numpy's array_split: `n` sections (the first `size % n` one longer) or the pieces
        between the given indices; each piece is a view (SliceBackward0)."""
        d = _tm._norm_dims(dim, self.ndim)[0]
        size = self.shape[d]
        spec = indices_or_sections
        if isinstance(spec, _tm.Tensor):
            spec = spec.item() if spec.ndim == 0 else spec.tolist()
        if isinstance(spec, int):
            if spec <= 0:
                raise RuntimeError(f"number of sections must be larger than 0, got {spec}")
            small, extra = divmod(size, spec)
            bounds = [k * small + builtins.min(k, extra) for k in range(spec + 1)]
        else:
            # as Python slices: negative indices count from the end, indices beyond it clamp to
            # it, and a decreasing index gives an empty piece
            bounds = [0] + [builtins.min(builtins.max(int(i) + size if int(i) < 0 else int(i), 0), size)
                            for i in spec] + [size]
        return tuple(_tm._slice(self, d, start, builtins.max(start, stop), 1)
                     for start, stop in zip(bounds, bounds[1:]))

    def broadcast_to(self, size):
        """torch.broadcast_to: expand to `size` (-1 keeps a dimension)."""
        return self.expand(*_dims_arg((size,)))

    def movedim(self, source, destination):
        """Move the dims `source` to the positions `destination`, the others keeping their order."""
        src, dst = _ints(source), _ints(destination)
        if len(src) != len(dst):
            raise RuntimeError(f"movedim: Invalid source or destination dims: source ({list(src)} dims) "
                               f"should contain the same number of dims as destination ({list(dst)} dims)")
        n = self.ndim
        src_n = _tm._norm_dims(src, n) if src else ()
        dst_n = _tm._norm_dims(dst, n) if dst else ()
        if len(set(src_n)) != len(src_n):
            raise RuntimeError(f"movedim: repeated dim in `source` ({list(src)})")
        if len(set(dst_n)) != len(dst_n):
            raise RuntimeError(f"movedim: repeated dim in `destination` ({list(dst)})")
        perm = [None] * n
        for s, d in zip(src_n, dst_n):
            perm[d] = s
        rest = iter(i for i in range(n) if i not in src_n)
        perm = [p if p is not None else next(rest) for p in perm]
        return _permute(self, perm)

    moveaxis = movedim

    def swapdims(self, dim0, dim1):
        return self.transpose(dim0, dim1)

    def ravel(self):
        """The tensor flattened to 1-D (ViewBackward0)."""
        return self.contiguous().reshape(-1)

    def tile(self, *dims):
        """Repeat the tensor `dims` times along each dim; fewer dims than the tensor has are padded
        with leading 1s (unlike repeat). Written as Unsqueeze, Expand and Reshape: the gradient is
        Expand's sum, and the export is three ONNX ops whatever the counts."""
        reps = _dims_arg(dims)
        n = builtins.max(len(reps), self.ndim)
        reps = (1,) * (n - len(reps)) + reps
        x = self.reshape((1,) * (n - self.ndim) + tuple(self.shape)) if n != self.ndim else self
        if builtins.all(r == 1 for r in reps):
            out = x.clone()
        else:
            inter, big, final = [], [], []
            for r, s in zip(reps, x.shape):
                inter += [1, s]
                big += [r, s]
                final.append(r * s)
            out = x.reshape(inter).expand(big).reshape(final)
        return out._renamed("RepeatBackward0")

    def roll(self, shifts, dims=None):
        """Shift elements along dims cyclically: a concatenation of two slices per rolled dim."""
        shifts = _ints(shifts)
        if dims is None:
            if len(shifts) != 1:
                raise RuntimeError(f"shifts and dimensions must align. shifts: {len(shifts)}, dims:0")
            return self.reshape(-1).roll(shifts[0], 0).reshape(self.shape)._renamed("RollBackward0")
        dims = _ints(dims)
        if len(shifts) != len(dims):
            raise RuntimeError(f"shifts and dimensions must align. shifts: {len(shifts)}, dims:{len(dims)}")
        out = self
        for s, d in zip(shifts, _tm._norm_dims(dims, self.ndim)):
            size = self.shape[d] if self.ndim else 1
            s = s % size if size else 0
            if s:
                out = _tm.cat([_slice(out, d, size - s, size), _slice(out, d, 0, size - s)], d)
        return (out if out is not self else self.clone())._renamed("RollBackward0")

    def rot90(self, k=1, dims=(0, 1)):
        """Rotate by 90 degrees k times in the plane `dims`, from the first towards the second."""
        dims = _ints(dims)
        if len(dims) != 2:
            raise RuntimeError(f"expected total rotation dims == 2, but got dims = {len(dims)}")
        if self.ndim < 2:
            raise RuntimeError(f"expected total dims >= 2, but got total dims = {self.ndim}")
        d0, d1 = _tm._norm_dims(dims, self.ndim)
        if d0 == d1:
            raise RuntimeError(f"expected rotation dims to be different, but got dim0 = {d0} and dim1 = {d1}")
        k %= 4
        if k == 1:
            out = self.flip(d1).transpose(d0, d1)
        elif k == 2:
            out = self.flip(d0, d1)
        elif k == 3:
            out = self.flip(d0).transpose(d0, d1)
        else:
            out = self.clone()
        return out._renamed("Rot90Backward0")

    def fliplr(self):
        if self.ndim < 2:
            raise RuntimeError("Input must be >= 2-d.")
        return self.flip(1)

    def flipud(self):
        if self.ndim < 1:
            raise RuntimeError("Input must be >= 1-d.")
        return self.flip(0)

    def unfold(self, dimension, size, step):
        """All slices of length `size` along `dimension`, `step` apart, as a new last dim: one
        Gather at constant positions (its gradient scatter-adds overlapping windows)."""
        d = _tm._norm_dims(dimension, self.ndim)[0] if self.ndim else 0
        n = self.shape[d] if self.ndim else 1
        if size < 0:
            raise RuntimeError(f"size is {size} but must be >= 0")
        if size > n:
            raise RuntimeError(f"maximum size for tensor at dimension {d} is {n} but size is {size}")
        if step <= 0:
            raise RuntimeError(f"step is {step} but must be > 0")
        if self.ndim == 0:  # PyTorch gives `size` (0 or 1) copies of the scalar
            return _gather(self.reshape(-1), np.zeros(size, np.int64), 0, "UnfoldBackward0")
        grid = np.arange(self.numel(), dtype=np.int64).reshape(tuple(self.shape))
        windows = np.lib.stride_tricks.sliding_window_view(grid, size, axis=d)[
            (slice(None),) * d + (slice(None, None, step),)]
        return _gather(self.reshape(-1), np.ascontiguousarray(windows), 0, "UnfoldBackward0")

    def sum_to_size(self, *size):
        """Sum this tensor down to `size`, which must broadcast to its shape (the reverse of expand)."""
        size = _dims_arg(size)
        shape = tuple(self.shape)
        lead = len(shape) - len(size)
        if lead < 0 or builtins.any(s != 1 and s != shape[lead + i] for i, s in enumerate(size)):
            raise RuntimeError(f"size {{{_shape_text(size)}}} is not expandable to size "
                               f"{{{_shape_text(shape)}}}.")
        if size == shape:
            return self
        axes = list(range(lead)) + [lead + i for i, s in enumerate(size) if s == 1 and shape[lead + i] != 1]
        out = self.sum(axes, keepdim=True) if axes else self
        return out.reshape(size) if tuple(out.shape) != size else out

    def diff(self, n=1, dim=-1, prepend=None, append=None):
        """n-th forward difference along dim (x[1:] - x[:-1]), after prepending/appending."""
        if self.ndim == 0:
            raise RuntimeError("diff expects input to be at least one-dimensional")
        if n < 0:
            raise RuntimeError(f"order must be non-negative but got {n}")
        d = _tm._norm_dims(dim, self.ndim)[0]
        parts = [p for p in (prepend, self, append) if p is not None]
        for p in parts:
            if p.ndim != self.ndim:
                raise RuntimeError("diff expects prepend or append to be the same dimension as input")
        out = _tm.cat(parts, d) if len(parts) > 1 else self
        for _ in range(n):
            m = out.shape[d]
            if m == 0:
                break
            hi, lo = _slice(out, d, 1, m), _slice(out, d, 0, m - 1)
            out = hi != lo if out.dtype == dt.bool else hi - lo
        return out

    def diag_embed(self, offset=0, dim1=-2, dim2=-1):
        """A batch of (n+|offset|)-square matrices with the last dim of the input on the offset-th
        diagonal, placed at dims dim1 and dim2 of the result. A Where against a constant mask,
        so that values off the diagonal are exact zeros (not x * 0, which a NaN would spoil)."""
        nd = self.ndim + 1
        d1, d2 = _tm._norm_dims((dim1, dim2), nd)
        if d1 == d2:
            raise RuntimeError(f"diagonal dimensions cannot be identical {dim1}, {dim2}")
        n = self.shape[-1] if self.ndim else 1
        m = n + abs(offset)
        x = self.reshape(1) if self.ndim == 0 else self
        if offset:
            pads = [0] * (2 * x.ndim)
            pads[-1] = abs(offset)
            x = apply("Pad", (x,), {"pads": tuple(pads)}, "ConstantPadNdBackward0")
        # row i, column i + offset holds x[i] (offset >= 0); row j - offset, column j holds x[j]
        x = x.unsqueeze(-1) if offset >= 0 else x.unsqueeze(-2)
        mask = _tm._wrap(np.eye(m, k=offset, dtype=bool))
        out = _tm.where(mask, x.expand(*x.shape[:-2], m, m), _tm._wrap(np.zeros((), x._data.dtype)))
        if (d1, d2) != (nd - 2, nd - 1):
            out = out.movedim((-2, -1), (d1, d2))
        return out._renamed("DiagEmbedBackward0")

    def repeat_interleave(self, repeats=None, dim=None, *, output_size=None):
        """Repeat each element `repeats` times (an int, or one count per element along dim)."""
        if repeats is None:  # torch.repeat_interleave(counts): the indices repeated by the counts
            counts = self._data
            return _tm._wrap(np.repeat(np.arange(counts.shape[0], dtype=np.int64), counts))
        x = self.reshape(-1) if dim is None else self
        d = 0 if dim is None else _tm._norm_dims(dim, x.ndim)[0]
        if isinstance(repeats, _tm.Tensor) and repeats.numel() != 1:
            counts = np.asarray(repeats._data).reshape(-1)
            if counts.shape[0] != x.shape[d]:
                raise RuntimeError(f"repeats must have the same size as input along dim, but got "
                                   f"repeats.size(0) = {counts.shape[0]} and input.size(0) = {x.shape[d]}")
            if (counts < 0).any():
                raise RuntimeError("Repeats must be non-negative")
            index = np.repeat(np.arange(x.shape[d], dtype=np.int64), counts)
            return x.index_select(d, _tm._wrap(index))._renamed("IndexSelectBackward0")
        r = int(repeats)
        if r < 0:
            raise RuntimeError("Repeats must be non-negative")
        # each element followed by its copies: a new axis after d, expanded r times, folded into d
        shape = list(x.shape)
        big = shape[:d + 1] + [r] + shape[d + 1:]
        shape[d] *= r
        return x.unsqueeze(d + 1).expand(big).reshape(shape)

    # -- products ---------------------------------------------------------------------------------
    def inner(self, other):
        """Sum product over the last dims (a scalar times a tensor when either is 0-d)."""
        if self.ndim == 0 or other.ndim == 0:
            return self * other
        if self.shape[-1] != other.shape[-1]:
            raise RuntimeError(f"inner() the last dimension must match on both input tensors but got "
                               f"shapes {_shape_text(self.shape)} and {_shape_text(other.shape)}")
        return tensordot(self, other, ([-1], [-1]))

    def vdot(self, other):
        """Dot product of two 1-D tensors (real: the same as dot)."""
        if self.ndim != 1 or other.ndim != 1:
            raise RuntimeError(f"1D tensors expected, but got {self.ndim}D and {other.ndim}D tensors")
        if self.dtype != other.dtype:
            raise RuntimeError(f"dot : expected both vectors to have same dtype, but found "
                               f"{dt.LEGACY[self.dtype]} and {dt.LEGACY[other.dtype]}")
        return (self @ other)._renamed("VdotBackward0")

    def kron(self, other):
        """Kronecker product: block (i, j) of the result is self[i, j] * other."""
        a, b = self, _lift(other)
        n = builtins.max(a.ndim, b.ndim)
        sa = (1,) * (n - a.ndim) + tuple(a.shape)
        sb = (1,) * (n - b.ndim) + tuple(b.shape)
        # interleave: a as (a0, 1, a1, 1, ...) times b as (1, b0, 1, b1, ...), then fold pairs
        ia = [v for s in sa for v in (s, 1)]
        ib = [v for s in sb for v in (1, s)]
        prod = a.reshape(ia) * b.reshape(ib)
        return prod.reshape([x * y for x, y in zip(sa, sb)])._renamed("UnsafeViewBackward0")

    def cross(self, other, dim=None):
        """torch.cross: the cross product of 3-vectors along `dim`; without dim, the first dim of
        size 3 (deprecated in PyTorch, which warns)."""
        if dim is None:
            warnings.warn("Using torch.cross without specifying the dim arg is deprecated.\nPlease "
                          "either pass the dim explicitly or simply use torch.linalg.cross.\nThe default "
                          "value of dim will change to agree with that of linalg.cross in a future "
                          "release.", UserWarning, stacklevel=2)
            other = _lift(other)
            shape = np.broadcast_shapes(tuple(self.shape), tuple(other.shape))
            dim = next((i for i, s in enumerate(shape) if s == 3), None)
            if dim is None:
                raise RuntimeError("no dimension of size 3 in input")
        return linalg_cross(self, other, dim=dim)

    def dist(self, other, p=2):
        """The p-norm of self - other (broadcast), with a zero gradient at zero distance."""
        if not self.is_floating_point():
            raise RuntimeError(f"norm(): input dtype should be either floating point or complex. Got "
                               f"{dt.LEGACY[self.dtype]} instead.")
        diff = self - other
        return _pnorm(diff, p, None, "DistBackward0")

    def addmm(self, mat1, mat2, *, beta=1, alpha=1):
        """beta * self + alpha * (mat1 @ mat2), as one Gemm (AddmmBackward0)."""
        if mat1.ndim != 2:
            raise RuntimeError(f"mat1 must be a matrix, got {mat1.ndim}-D tensor")
        if mat2.ndim != 2:
            raise RuntimeError(f"mat2 must be a matrix, got {mat2.ndim}-D tensor")
        if mat1.shape[1] != mat2.shape[0]:
            raise RuntimeError(f"mat1 and mat2 shapes cannot be multiplied ({mat1.shape[0]}x{mat1.shape[1]} "
                               f"and {mat2.shape[0]}x{mat2.shape[1]})")
        for t in (mat1, mat2):
            if t.dtype != self.dtype:
                raise RuntimeError(f"self and mat2 must have the same dtype, but got "
                                   f"{dt.LEGACY[self.dtype]} and {dt.LEGACY[t.dtype]}")
        _expand_check(self, (mat1.shape[0], mat2.shape[1]))
        c = _beta_term(self, 0) if beta == 0 else self
        return apply("Addmm", (c, mat1, mat2), {"alpha": float(alpha), "beta": float(beta or 1.0)},
                     "AddmmBackward0")

    def addmv(self, mat, vec, *, beta=1, alpha=1):
        """beta * self + alpha * (mat @ vec)."""
        if mat.ndim != 2 or vec.ndim != 1 or self.ndim > 1:
            raise RuntimeError(f"vector + matrix @ vector expected, got {self.ndim}, {mat.ndim}, {vec.ndim}")
        if mat.shape[1] != vec.shape[0] or self.numel() not in (1, mat.shape[0]):
            raise RuntimeError(f"size mismatch, got input ({self.numel()}), mat ({mat.shape[0]}x{mat.shape[1]}), "
                               f"vec ({vec.shape[0]})")
        prod = _scaled(mat @ vec, alpha)
        return (_beta_term(self, beta) + prod)._renamed("AddmvBackward0")

    def addr(self, vec1, vec2, *, beta=1, alpha=1):
        """beta * self + alpha * outer(vec1, vec2)."""
        for name, v in (("vec1", vec1), ("vec2", vec2)):
            if v.ndim != 1:
                raise RuntimeError(f"addr: Expected 1-D argument {name}, but got {v.ndim}-D")
        _expand_check(self, (vec1.shape[0], vec2.shape[0]))
        prod = _scaled(vec1.unsqueeze(1) * vec2.unsqueeze(0), alpha)
        return (_beta_term(self, beta) + prod)._renamed("AddrBackward0")

    def baddbmm(self, batch1, batch2, *, beta=1, alpha=1):
        """beta * self + alpha * bmm(batch1, batch2)."""
        from .functions import bmm
        _check_batches(batch1, batch2)
        _expand_check(self, (batch1.shape[0], batch1.shape[1], batch2.shape[2]))
        prod = _scaled(bmm(batch1, batch2), alpha)
        return (_beta_term(self, beta) + prod)._renamed("BaddbmmBackward0")

    def addbmm(self, batch1, batch2, *, beta=1, alpha=1):
        """beta * self + alpha * sum over the batch of bmm(batch1, batch2)."""
        from .functions import bmm
        _check_batches(batch1, batch2)
        _expand_check(self, (batch1.shape[1], batch2.shape[2]))
        prod = _scaled(bmm(batch1, batch2).sum(0), alpha)
        return (_beta_term(self, beta) + prod)._renamed("AddbmmBackward0")

    def addmm_(self, mat1, mat2, *, beta=1, alpha=1):
        return self._inplace(self.addmm(mat1, mat2, beta=beta, alpha=alpha))

    def addmv_(self, mat, vec, *, beta=1, alpha=1):
        return self._inplace(self.addmv(mat, vec, beta=beta, alpha=alpha))

    def addr_(self, vec1, vec2, *, beta=1, alpha=1):
        return self._inplace(self.addr(vec1, vec2, beta=beta, alpha=alpha))

    def baddbmm_(self, batch1, batch2, *, beta=1, alpha=1):
        return self._inplace(self.baddbmm(batch1, batch2, beta=beta, alpha=alpha))

    def addbmm_(self, batch1, batch2, *, beta=1, alpha=1):
        return self._inplace(self.addbmm(batch1, batch2, beta=beta, alpha=alpha))

    # -- in-place shape changes -------------------------------------------------------------------
    def _inplace_view(self, result, name, numpy_view):
        """Make this tensor `result` (a view op of it) in place: same object and storage, the new
        shape, version + 1, and `name` as grad_fn over the old history (PyTorch's TBackward1...)."""
        from .inplace import check_inplace
        check_inplace(self)
        if STATE.tracer is not None:
            from .trace import SymbolicArray
            if type(self._data) is not SymbolicArray:
                raise RuntimeError(f"{name[:-len('Backward0')].lower()}_(): changing the shape of a tensor in "
                                   "place is recorded only for tensors the captured step computed; "
                                   "use the out-of-place op (e.g. t() instead of t_()) for this one")
            self._data = result._data
        else:
            self._data = numpy_view(self._data)  # a view: the storage stays shared
            self._vc[0] += 1
        if result._requires_grad and STATE.grad_enabled:
            self.grad_fn = result._renamed(name).grad_fn
            self._output_nr = 0
            self._requires_grad = True
        return self

    def t_(self):
        if self.ndim > 2:
            raise RuntimeError(f"t_() expects a tensor with <= 2 dimensions, but self is {self.ndim}D")
        return self._inplace_view(self.t() if self.ndim < 2 else self.transpose(0, 1), "TBackward1",
                                  np.transpose)

    def transpose_(self, dim0, dim1):
        d0, d1 = _tm._norm_dims((dim0, dim1), self.ndim) if self.ndim else (0, 0)
        perm = list(range(self.ndim))
        if self.ndim:
            perm[d0], perm[d1] = perm[d1], perm[d0]
        return self._inplace_view(self.transpose(dim0, dim1), "TransposeBackward1",
                                  lambda a: np.transpose(a, perm))

    swapdims_ = transpose_
    swapaxes_ = transpose_

    def squeeze_(self, dim=None):
        out = self.squeeze() if dim is None else self.squeeze(dim)
        shape = tuple(out.shape)
        return self._inplace_view(out, "SqueezeBackward3" if dim is None else "SqueezeBackward4",
                                  lambda a: a.reshape(shape))

    def unsqueeze_(self, dim):
        out = self.unsqueeze(dim)
        shape = tuple(out.shape)
        return self._inplace_view(out, "UnsqueezeBackward1", lambda a: a.reshape(shape))


# -- free functions ---------------------------------------------------------------------------------
def _tensors(args, what):
    tensors = list(args[0]) if len(args) == 1 and isinstance(args[0], (list, tuple)) else list(args)
    if what and not tensors:
        raise RuntimeError(f"{what} expects a non-empty TensorList")
    return tensors


def broadcast_tensors(*tensors):
    """Expand every tensor to their common broadcast shape."""
    tensors = _tensors(tensors, None)
    from ..ir.ops.shape_rules import broadcast_shapes
    from ..ir.ops.registry import ShapeError
    try:
        shape = broadcast_shapes("broadcast_tensors", *[tuple(t.shape) for t in tensors]) if tensors else ()
    except ShapeError as exc:
        raise RuntimeError(str(exc)) from None
    return tuple(t.expand(shape) for t in tensors)


def _atleast(nd):
    def fn(*tensors):
        many = len(tensors) != 1 or isinstance(tensors[0], (list, tuple))
        out = []
        for t in _tensors(tensors, None):
            if t.ndim >= nd:
                out.append(t)
            elif t.ndim == 0:
                out.append(t.reshape((1,) * nd))
            elif nd == 2:
                out.append(t.unsqueeze(0))
            else:  # 3-D: a vector becomes (1, n, 1), a matrix (m, n, 1)
                out.append((t.unsqueeze(0) if t.ndim == 1 else t).unsqueeze(-1))
        return tuple(out) if many else out[0]
    fn.__name__ = f"atleast_{nd}d"
    fn.__doc__ = f"The tensor(s) viewed with at least {nd} dimensions."
    return fn


atleast_1d, atleast_2d, atleast_3d = _atleast(1), _atleast(2), _atleast(3)


def hstack(tensors):
    """Concatenate along dim 1 (dim 0 for 1-D tensors)."""
    tensors = atleast_1d(_tensors((tensors,), "hstack"))
    return _tm.cat(tensors, 0 if tensors[0].ndim == 1 else 1)


def vstack(tensors):
    """Concatenate along dim 0 after making every tensor at least 2-D."""
    return _tm.cat(atleast_2d(_tensors((tensors,), "vstack")), 0)


row_stack = vstack


def dstack(tensors):
    """Concatenate along dim 2 after making every tensor at least 3-D."""
    return _tm.cat(atleast_3d(_tensors((tensors,), "dstack")), 2)


def column_stack(tensors):
    """Concatenate columns: 0-D and 1-D tensors become (n, 1) columns first."""
    tensors = _tensors((tensors,), "column_stack")
    return _tm.cat([t.reshape(t.numel(), 1) if t.ndim <= 1 else t for t in tensors], 1)


_MESHGRID_WARNED = []


def meshgrid(*tensors, indexing=None):
    """Coordinate grids of 0-D/1-D tensors; indexing='ij' (matrix) or 'xy' (Cartesian, the first two
    outputs swapped). Without `indexing` PyTorch uses 'ij' and warns once per process."""
    tensors = _tensors(tensors, None)
    if indexing is None:
        if not _MESHGRID_WARNED:
            _MESHGRID_WARNED.append(True)
            warnings.warn("torch.meshgrid: in an upcoming release, it will be required to pass the "
                          "indexing argument.", UserWarning, stacklevel=2)
        indexing = "ij"
    if indexing not in ("ij", "xy"):
        raise RuntimeError(f'torch.meshgrid: indexing must be one of "xy" or "ij", but received: {indexing}')
    for t in tensors:
        if t.ndim > 1:
            raise RuntimeError(f"torch.meshgrid: Expected 0D or 1D tensor in the tensor list but got a "
                               f"tensor of shape {_shape_text(t.shape)}")
        if t.dtype != tensors[0].dtype:
            raise RuntimeError("meshgrid expects all tensors to have the same dtype")
    swap = indexing == "xy" and len(tensors) >= 2
    order = [1, 0] + list(range(2, len(tensors))) if swap else list(range(len(tensors)))
    ts = [tensors[i] for i in order]
    shape = [t.numel() for t in ts]
    grids = []
    for i, t in enumerate(ts):
        view = [1] * len(ts)
        view[i] = -1
        grids.append(t.reshape(view).expand(shape))
    if swap:  # 'xy': the grids of the swapped inputs, handed back in the inputs' order
        grids[0], grids[1] = grids[1], grids[0]
    return tuple(grids)


def block_diag(*tensors):
    """The tensors (0-D, 1-D as one row, or 2-D) placed along the diagonal of a zero matrix."""
    blocks = []
    for i, t in enumerate(tensors):
        if t.ndim > 2:
            raise RuntimeError(f"torch.block_diag: Input tensors must have 2 or fewer dimensions. Input "
                               f"{i} has {t.ndim} dimensions")
        blocks.append(t.reshape(1, 1) if t.ndim == 0 else t.reshape(1, -1) if t.ndim == 1 else t)
    if not blocks:
        return _tm._wrap(np.zeros((1, 0), np.float32))
    from ..ir import dtypes as ir_dtypes
    out_dtype = ir_dtypes.promote(*((b.dtype, 1) for b in blocks))
    width = builtins.sum(b.shape[1] for b in blocks)
    rows, left = [], 0
    for b in blocks:
        # each block padded with zero columns on both sides to the full width, then stacked
        pads = (0, left, 0, width - left - b.shape[1])
        rows.append(apply("Pad", (b.to(out_dtype),), {"pads": pads}, "ConstantPadNdBackward0"))
        left += b.shape[1]
    return _tm.cat(rows, 0)._renamed("BlockDiagBackward0")


def cartesian_prod(*tensors):
    """All combinations of the elements of 1-D tensors, one per row."""
    for t in tensors:
        if t.ndim != 1:
            raise RuntimeError(f"Expect a 1D vector, but got shape {_shape_text(t.shape)}")
    if len(tensors) == 1:
        return tensors[0]
    from .functions import stack
    return stack([g.reshape(-1) for g in meshgrid(*tensors, indexing="ij")], 1)


def _tri_indices(which):
    def fn(row, col, offset=0, *, dtype=None, device=None, layout=None):
        rows, cols = (np.tril_indices if which == "tril" else np.triu_indices)(row, offset, col)
        return _tm._wrap(np.stack([rows, cols]).astype(dt.to_dtype(dtype) if dtype is not None else np.int64))
    fn.__name__ = f"{which}_indices"
    fn.__doc__ = (f"The (row, column) coordinates of the {'lower' if which == 'tril' else 'upper'} "
                  "triangle of a row x col matrix, as a 2 x N int64 tensor.")
    return fn


tril_indices, triu_indices = _tri_indices("tril"), _tri_indices("triu")


def cdist(x1, x2, p=2.0, compute_mode="use_mm_for_euclid_dist_if_necessary"):
    """Pairwise p-norm distances between the rows of x1 (..., P, M) and x2 (..., R, M)."""
    if x1.ndim < 2:
        raise RuntimeError(f"cdist only supports at least 2D tensors, X1 got: {x1.ndim}D")
    if x2.ndim < 2:
        raise RuntimeError(f"cdist only supports at least 2D tensors, X2 got: {x2.ndim}D")
    for name, t in (("X1", x1), ("X2", x2)):
        if not t.is_floating_point():
            raise RuntimeError(f"cdist only supports floating-point dtypes, {name} got: {dt.LEGACY[t.dtype]}")
    if x1.shape[-1] != x2.shape[-1]:
        raise RuntimeError(f"X1 and X2 must have the same number of columns. X1: {x1.shape[-1]} X2: "
                           f"{x2.shape[-1]}")
    if p < 0:
        raise RuntimeError("cdist only supports non-negative p values")
    diff = x1.unsqueeze(-2) - x2.unsqueeze(-3)  # (..., P, R, M)
    if p == float("inf"):
        # PyTorch's cdist gives every coordinate that ties for the maximum the full gradient
        # (amax would share it): the detached maximum plus a zero-valued term whose gradient
        # is sign(diff) on the tied coordinates
        size = diff.abs()
        top = size.amax(-1, keepdim=True).detach()
        hit = (size == top).to(size.dtype)
        return (top.squeeze(-1) + ((size - size.detach()) * hit).sum(-1))._renamed("CdistBackward0")
    return _pnorm(diff, p, -1, "CdistBackward0")


def tensordot(a, b, dims=2, out=None):
    """Sum products over dims: an int n (a's last n with b's first n) or two lists of dims.
    a is permuted to (free, contracted) and b to (contracted, free): one matrix product."""
    if isinstance(dims, (int, np.integer)):
        if dims < 0:
            raise RuntimeError(f"tensordot expects dims >= 0, but got dims={dims}")
        if dims > a.ndim or dims > b.ndim:
            raise RuntimeError(f"tensordot expects dims < ndim_a or ndim_b, but got dims={dims}")
        da, db = list(range(a.ndim - dims, a.ndim)), list(range(dims))
    else:
        da, db = (_ints(d) for d in dims)
        if len(da) != len(db):
            raise RuntimeError("both dimension lists should have same length")
        da = list(_tm._norm_dims(da, a.ndim)) if da else []
        db = list(_tm._norm_dims(db, b.ndim)) if db else []
    for x, y in zip(da, db):
        if a.shape[x] != b.shape[y]:
            raise RuntimeError(f"contracted dimensions need to match, but first has size {a.shape[x]} in "
                               f"dim {x} and second has size {b.shape[y]} in dim {y}")
    fa = [i for i in range(a.ndim) if i not in da]
    fb = [i for i in range(b.ndim) if i not in db]
    k = int(np.prod([a.shape[i] for i in da], dtype=np.int64))
    out_shape = [a.shape[i] for i in fa] + [b.shape[i] for i in fb]
    am = _permute(a, fa + da).reshape(int(np.prod(out_shape[:len(fa)], dtype=np.int64)), k)
    bm = _permute(b, db + fb).reshape(k, int(np.prod(out_shape[len(fa):], dtype=np.int64)))
    if a.ndim == 1 and b.ndim == 1 and da:  # PyTorch takes the dot product here (DotBackward0)
        return (a @ b).reshape(())
    return (am @ bm).reshape(out_shape)


def linalg_cross(input, other, *, dim=-1):
    """torch.linalg.cross: the cross product of 3-vectors along `dim` (inputs broadcast).
    c = a[[1,2,0]] * b[[2,0,1]] - a[[2,0,1]] * b[[1,2,0]]: constant Gathers, Mul and Sub."""
    other = _lift(other)
    if input.ndim != other.ndim:
        raise RuntimeError("linalg.cross: inputs must have the same number of dimensions.")
    if input.dtype != other.dtype:
        raise _same_dtype_error(input, other)
    d = _tm._norm_dims(dim, input.ndim)[0]
    if input.shape[d] != 3 or other.shape[d] != 3:
        raise RuntimeError(f"linalg.cross: inputs dimension {dim} must have length 3. Got "
                           f"{input.shape[d]} and {other.shape[d]}")
    if tuple(input.shape) != tuple(other.shape):
        input, other = broadcast_tensors(input, other)
    a1, a2 = _gather(input, [1, 2, 0], d, None), _gather(input, [2, 0, 1], d, None)
    b1, b2 = _gather(other, [1, 2, 0], d, None), _gather(other, [2, 0, 1], d, None)
    return (a1 * b2 - a2 * b1)._renamed("LinalgCrossBackward0")


def trapezoid(y, x=None, *, dx=None, dim=-1):
    """The trapezoidal rule along dim, with sample points x (a tensor) or a constant spacing dx."""
    d = _tm._norm_dims(dim, y.ndim)[0]
    n = y.shape[d]
    if isinstance(x, _tm.Tensor):
        if x.ndim == 1 and x.shape[0] != n:
            raise RuntimeError("trapezoid: There must be one `x` value for each sample point")
        if n == 0:
            return y.sum(d) * 0.0
        xd = x.diff(dim=-1 if x.ndim == 1 else d)
        if x.ndim == 1 and y.ndim > 1:  # the spacings along dim, broadcast over the other dims
            view = [1] * y.ndim
            view[d] = n - 1
            xd = xd.reshape(view)
        return ((xd * (_slice(y, d, 1, n) + _slice(y, d, 0, n - 1))).sum(d) / 2.0)._renamed("DivBackward1")
    step = x if x is not None else (1 if dx is None else dx)
    if n == 0:
        return y.sum(d) * 0.0
    ends = (y.select(d, 0) + y.select(d, -1)) * 0.5
    return ((y.sum(d) - ends._renamed("MulBackward1")) * step)._renamed("MulBackward1")


def trapz(y, x=None, *, dx=None, dim=-1):
    """torch.trapz: the older name of trapezoid."""
    return trapezoid(y, x, dx=dx, dim=dim)


# -- einsum ---------------------------------------------------------------------------------------
def _einsum_parse(equation, operands):
    eq = equation.replace(" ", "")
    lhs, arrow, rhs = eq.partition("->")
    terms = lhs.split(",")
    if len(terms) > len(operands):
        raise RuntimeError("einsum(): fewer operands were provided than specified in the equation")
    if len(terms) < len(operands):
        raise RuntimeError("einsum(): more operands were provided than specified in the equation")
    pos = 0
    parsed = []  # per operand: (letters before "...", letters after, has ellipsis)
    for term in terms:
        head, ell, tail = term.partition("...")
        for i, c in enumerate(head + "..." + tail if ell else term):
            if c != "." and not c.isalpha():
                raise RuntimeError(f"einsum(): invalid subscript given at index {pos + i} in the equation "
                                   "string, subscripts must be in [a-zA-Z]")
        parsed.append((head, tail, bool(ell)) if ell else (term, "", False))
        pos += len(term) + 1
    n_ell = 0
    labels = []
    for k, ((head, tail, ell), t) in enumerate(zip(parsed, operands)):
        n_sub = len(head) + len(tail)
        if not ell and n_sub != t.ndim:
            raise RuntimeError(f"einsum(): the number of subscripts in the equation ({n_sub}) does not match "
                               f"the number of dimensions ({t.ndim}) for operand {k} and no ellipsis was given")
        if ell and n_sub > t.ndim:
            raise RuntimeError(f"einsum(): the number of subscripts in the equation ({n_sub}) is more than "
                               f"the number of dimensions ({t.ndim}) for operand {k}")
        n_ell = builtins.max(n_ell, t.ndim - n_sub if ell else 0)
    for (head, tail, ell), t in zip(parsed, operands):
        k = t.ndim - len(head) - len(tail) if ell else 0
        # ellipsis dims are the ints 0..n_ell-1, right-aligned so that they broadcast
        labels.append(list(head) + list(range(n_ell - k, n_ell)) + list(tail))
    if arrow:
        head, ell, tail = rhs.partition("...")
        out = list(head) + (list(range(n_ell)) if ell else []) + list(tail)
        for c in out:
            if not isinstance(c, int) and c != "." and not c.isalpha():
                raise RuntimeError(f"einsum(): invalid subscript given at index {eq.index(c, len(lhs))} in "
                                   "the equation string, subscripts must be in [a-zA-Z]")
        seen = set()
        for c in out:
            if c in seen:
                raise RuntimeError(f"einsum(): output subscript {c} appears more than once in the output")
            seen.add(c)
            if not builtins.any(c in ls for ls in labels):
                raise RuntimeError(f"einsum(): output subscript {c} does not appear in the equation for "
                                   "any input operand")
    else:  # implicit: the ellipsis dims, then the letters used once, in alphabetical order
        counts = {}
        for ls in labels:
            for c in ls:
                if isinstance(c, str):
                    counts[c] = counts.get(c, 0) + 1
        out = list(range(n_ell)) + sorted(c for c, n in counts.items() if n == 1)
    return labels, out


def einsum(equation, *operands):
    """Einstein summation, composed of Permute, Reshape, Unsqueeze, Mul, Sum, the diagonal Gather
    and a batched matrix product, contracting operands left to right as PyTorch does."""
    if not isinstance(equation, str):  # sublist form: einsum(a, [0, 1], b, [1, 2], [0, 2])
        equation, operands = _sublist_equation((equation,) + operands)
    if len(operands) == 1 and isinstance(operands[0], (list, tuple)):
        operands = tuple(operands[0])
    labels, out = _einsum_parse(equation, operands)
    sizes = {}
    for k, (ls, t) in enumerate(zip(labels, operands)):
        for i, c in enumerate(ls):
            j = ls.index(c)
            if j != i and t.shape[i] != t.shape[j]:
                raise RuntimeError(f"einsum(): subscript {c} is repeated for operand {k} but the sizes "
                                   f"don't match, {t.shape[i]} != {t.shape[j]}")
        for c, s in zip(ls, t.shape):
            seen = sizes.get(c)
            if seen is not None and s != seen and s != 1 and seen != 1:
                if isinstance(c, int):
                    raise RuntimeError(f"einsum(): dimension {c} covered by ellipsis in operand {k}has size "
                                       f"{s} which does not broadcast with previously seen ellipsis with size "
                                       f"{seen} for the respective dimension")
                raise RuntimeError(f"einsum(): subscript {c} has size {s} for operand {k} which does not "
                                   f"broadcast with previously seen size {seen}")
            sizes[c] = s if seen is None or seen == 1 else seen
    # a subscript repeated within one operand takes that operand's diagonal
    ops = []
    for k, (ls, t) in enumerate(zip(labels, operands)):
        ls = list(ls)
        for c in list(dict.fromkeys(ls)):
            while ls.count(c) > 1:
                i = ls.index(c)
                j = ls.index(c, i + 1)
                t = _diagonal(t, i, j)
                ls = [x for n, x in enumerate(ls) if n not in (i, j)] + [c]
        ops.append((t, ls))
    for t, _ in ops[1:]:
        if t.dtype != ops[0][0].dtype:
            raise _same_dtype_error(ops[0][0], t)
    if len(ops) == 1:  # one operand: a permute to (output, summed) order, then the sum
        t, ls = ops[0]
        summed = [c for c in ls if c not in out]
        res = _permute(t, [ls.index(c) for c in out + summed])
        return res.sum(list(range(len(out), len(ls)))) if summed else res
    # subscripts found in one operand only and not in the output are summed out first
    pruned = []
    for k, (t, ls) in enumerate(ops):
        others = set(out).union(*[set(o[1]) for n, o in enumerate(ops) if n != k])
        lone = [i for i, c in enumerate(ls) if c not in others]
        if lone:
            t = t.sum(lone)
            ls = [c for i, c in enumerate(ls) if i not in lone]
        pruned.append((t, ls))
    a, la = pruned[0]
    for k in range(1, len(pruned)):
        b, lb = pruned[k]
        last = k == len(pruned) - 1
        needed = set(out).union(*[set(o[1]) for o in pruned[k + 1:]])
        both = [c for c in la if c in lb]
        contracted = [c for c in both if c not in needed]
        batch = [c for c in both if c in needed]
        lo = [c for c in la if c not in lb]
        ro = [c for c in lb if c not in la]
        if not contracted:  # no sum: a broadcast product of the two operands aligned
            target = out if last else la + ro
            a = _align(a, la, target) * _align(b, lb, target)
            la = list(target)
            continue
        # sizes 1 against n broadcast: expanded so that both sides fold to the same matrices
        a = _expand_labels(a, la, sizes, batch + contracted)
        b = _expand_labels(b, lb, sizes, batch + contracted)
        bsz = [sizes[c] for c in batch]
        losz = [a.shape[la.index(c)] for c in lo]
        rosz = [b.shape[lb.index(c)] for c in ro]
        csz = int(np.prod([sizes[c] for c in contracted], dtype=np.int64))
        nb = int(np.prod(bsz, dtype=np.int64))
        am = a.permute(*[la.index(c) for c in batch + lo + contracted]).reshape(
            nb, int(np.prod(losz, dtype=np.int64)), csz)
        bm = b.permute(*[lb.index(c) for c in batch + contracted + ro]).reshape(
            nb, csz, int(np.prod(rosz, dtype=np.int64)))
        a = apply("MatMul", (am, bm), {}, "BmmBackward0").reshape(bsz + losz + rosz)
        la = batch + lo + ro
        if last:
            a = _permute(a, [la.index(c) for c in out])
            a = a.reshape([a.shape[i] for i in range(a.ndim)])
            la = list(out)
    return a


def _sublist_equation(args):
    """The equation string of einsum's sublist form; subscripts 0-25 are A-Z and 26-51 a-z, as in
    PyTorch, and Ellipsis is '...'."""
    def term(sub):
        letters = []
        for v in sub:
            if v is Ellipsis:
                letters.append("...")
            elif not 0 <= int(v) < 52:
                raise RuntimeError(f"einsum(): expected subscript to be within the range [0, 52), but got {v}")
            else:
                letters.append(chr(ord("A") + v) if v < 26 else chr(ord("a") + v - 26))
        return "".join(letters)
    operands, terms = list(args[0::2]), [term(sub) for sub in args[1::2]]
    if len(args) % 2:  # a trailing output sublist
        out = operands.pop()
        return ",".join(terms) + "->" + term(out), tuple(operands)
    return ",".join(terms), tuple(operands)


def _align(t, ls, target):
    """t (labels ls) unsqueezed for the labels of target it lacks and permuted to target's order."""
    ls = list(ls)
    for c in target:
        if c not in ls:
            t = t.unsqueeze(-1) if t.ndim else t.reshape(1)
            ls.append(c)
    return _permute(t, [ls.index(c) for c in target])


def _expand_labels(t, ls, sizes, which):
    shape = [sizes[c] if c in which else s for c, s in zip(ls, t.shape)]
    return t.expand(shape) if shape != list(t.shape) else t


TORCH_METHODS = ("tensor_split", "broadcast_to", "movedim", "moveaxis", "swapaxes", "swapdims", "ravel", "tile", "roll",
                 "rot90", "fliplr", "flipud", "repeat_interleave", "diff", "diag_embed", "inner", "vdot",
                 "kron", "cross", "dist", "addmm", "addmv", "addr", "baddbmm", "addbmm")
TORCH_FUNCTIONS = {f.__name__: f for f in (
    einsum, tensordot, broadcast_tensors, atleast_1d, atleast_2d, atleast_3d, hstack, vstack, dstack,
    column_stack, meshgrid, block_diag, cartesian_prod, tril_indices, triu_indices, cdist, trapezoid,
    trapz)}
TORCH_FUNCTIONS["row_stack"] = row_stack

from . import tensor as _tm  # noqa: E402  (tensor.py imports this module first: Tensor, _wrap, cat)

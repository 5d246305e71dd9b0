"""Floating-point sums in the order PyTorch's CPU kernel adds (aten/src/ATen/native/cpu/SumKernel.cpp).

A float32 sum rounds after every addition, so its last bits depend on the order of the additions.
numpy sums pairwise, PyTorch with a "cascade": 4 interleaved accumulators (ILP) over 8-lane vectors
(AVX2 width: the sum kernel has no AVX-512 variant), each accumulator a 4-level counter that
flushes every 16 rows into the next level. Training loops print `loss.item()` to 7 or more digits,
so onnxgraft reproduces that order for the reductions PyTorch runs single-threaded (inputs up to
its grain size of 32768 elements) over a contiguous layout:

    sum of everything, sum over the last axes (an inner reduction), sum over the first axis of a
    matrix (an outer reduction: bias gradients, column sums).

Other reductions (middle axes, large inputs that PyTorch splits across threads) fall back to numpy.
Each addition below is a float32 (or float64) array operation, so the result is exact to the bit,
not an approximation of the order.
"""
import numpy as np

GRAIN = 32768  # PyTorch's internal::GRAIN_SIZE: above it a reduction may be split across threads
_LEVELS = 4    # multi_row_sum's num_levels
_ILP = 4       # row_sum's ilp_factor


def _vec_width(dtype):
    # Vectorized<T> of the AVX2 build: 32 bytes
    return 32 // dtype.itemsize


def _ceil_log2(n):
    return 0 if n <= 1 else int(n - 1).bit_length()


def _multi_row_sum(rows):
    """Sum of rows[0], rows[1], ... (along axis 0) as multi_row_sum adds them: runs of
    `step` rows summed in order into level 0, level j flushed into level j+1 whenever the row
    count is a multiple of step**(j+1)."""
    size = rows.shape[0]
    rest = rows.shape[1:]
    power = max(4, _ceil_log2(size) // _LEVELS)
    step = 1 << power
    if size < step:  # no run completes: one sequential sum (the +0 is the zeroed accumulators')
        if size == 0:
            return np.zeros(rest, rows.dtype)
        return np.add.accumulate(rows, axis=0)[-1] + rows.dtype.type(0)
    mask = step - 1
    acc = [np.zeros(rest, rows.dtype) for _ in range(_LEVELS)]
    full = size // step
    if full:
        # a sequential sum of each run (accumulate is defined as sequential), started from zero
        runs = np.add.accumulate(rows[:full * step].reshape((full, step) + rest), axis=1)[:, -1]
        for c in range(full):
            i = (c + 1) * step
            acc[1] += runs[c] + acc[0]  # acc[0] is zero here: run sums start from 0
            for j in range(2, _LEVELS):
                if i & (mask << ((j - 1) * power)):
                    break
                acc[j] += acc[j - 1]
                acc[j - 1][...] = 0
    tail = rows[full * step:]
    if len(tail):
        acc[0] = acc[0] + np.add.accumulate(tail, axis=0)[-1]
    for j in range(1, _LEVELS):
        acc[0] = acc[0] + acc[j]
    return acc[0]


def _row_sum(x):
    """row_sum: x (along axis 0) read as rows of 4 interleaved accumulators, the leftover rows
    added to the first, then the four added in order."""
    size = x.shape[0]
    size_ilp = size // _ILP
    rest = x.shape[1:]
    if size_ilp:
        part = _multi_row_sum(x[:size_ilp * _ILP].reshape((size_ilp, _ILP) + rest))
    else:
        part = np.zeros((_ILP,) + rest, x.dtype)
    first = part[0]
    for i in range(size_ilp * _ILP, size):
        first = first + x[i]
    for k in range(1, _ILP):
        first = first + part[k]
    return first


def _inner_sum(x):
    """Sum along axis 0 of x (trailing axes are independent rows) as the inner reduction adds:
    whole vectors through row_sum, then the scalar leftovers, then the vector's lanes."""
    n = x.shape[0]
    width = _vec_width(x.dtype)
    if n < width:
        return _row_sum(x)
    nvec = n // width
    lanes = _row_sum(x[:nvec * width].reshape((nvec, width) + x.shape[1:]))
    total = np.zeros(x.shape[1:], x.dtype)
    for k in range(nvec * width, n):
        total = total + x[k]
    for k in range(width):
        total = total + lanes[k]
    return total


def _outer_sum(x):
    """Column sums of a matrix (reduced along axis 0) as the outer reduction adds: columns in
    groups that multi_row_sum handles (32 with vectors, 4 without), the rest through row_sum."""
    ncols = x.shape[1]
    width = _vec_width(x.dtype)
    out = np.empty(ncols, x.dtype)
    group = _ILP * width if ncols >= width else _ILP
    j = (ncols // group) * group
    if j:
        out[:j] = _multi_row_sum(x[:, :j])
    if j < ncols:
        out[j:] = _row_sum(x[:, j:])
    return out


# Reproducing PyTorch's order costs Python-level work per column group (a 32x512 column sum took
# ~80 us against ~5 us for numpy's): it is kept for the tensors whose sums get printed in full
# (losses, small tutorial tensors, up to this many elements) and left to numpy above, where the
# results differ from PyTorch's in the last bit only.
EXACT_ORDER_MAX = 4096
# A sum of the whole tensor to one number (`x.mean().item()`) is the sum most often printed in
# full, and costs one pass (~70 us for 10,000 elements): kept exact up to the size PyTorch still
# reduces on one thread (its parallel split above 32,768 elements changes the order).
FULL_REDUCTION_MAX = 32768


def cascade_sum(x, axes, keepdims):
    """np.sum(x, axes, keepdims=...) in PyTorch's order where that order is known (see the module
    docstring); None where it is not, for the caller to fall back to numpy."""
    if x.dtype not in (np.float32, np.float64) or x.size == 0 or x.ndim == 0:
        return None
    whole = axes is None or len({a % x.ndim for a in axes}) == x.ndim
    if x.size > (FULL_REDUCTION_MAX if whole else EXACT_ORDER_MAX):
        return None
    nd = x.ndim
    axes = tuple(range(nd)) if axes is None else tuple(sorted(a % nd for a in axes))
    # size-1 axes change nothing in the order: drop them from the pattern
    kept = tuple(a for a in range(nd) if x.shape[a] != 1)
    red = tuple(a for a in axes if x.shape[a] != 1)
    if not red:
        return None
    out_shape = tuple(1 if a in axes else s for a, s in enumerate(x.shape))
    if not keepdims:
        out_shape = tuple(s for a, s in enumerate(x.shape) if a not in axes)
    n_red = int(np.prod([x.shape[a] for a in red]))
    if red == kept[len(kept) - len(red):]:
        # an inner reduction: the reduced axes are the last non-trivial ones
        rows = np.ascontiguousarray(x).reshape(-1, n_red).T
        out = _inner_sum(rows)
    elif red == kept[:len(red)]:
        # an outer reduction over the leading axes of a matrix-like layout
        cols = np.ascontiguousarray(x).reshape(n_red, -1)
        out = _outer_sum(cols)
    else:
        return None
    # PyTorch starts its accumulators at +0: a sum of -0.0s is +0.0
    out = out + x.dtype.type(0)
    return np.asarray(out, x.dtype).reshape(out_shape)

"""Linear algebra and the ops behind nn layers and losses: MatMul, Gemm, Softmax, LogSoftmax,
NegativeLogLikelihoodLoss."""
import numpy as np

from . import softmax_kernels
from .registry import defop, ShapeError
from .shape_rules import fmt, broadcast_shapes, normalize_axis

F = "nn"


def _matmul_mismatch(sa, sb):
    """PyTorch's error for matmul operands whose inner sizes differ, word for word. Its text
    depends on the kernel torch.matmul picks for the ranks (dot, mv, mm on folded rows, bmm)."""
    ka, kb = sa[-1], (sb[-2] if len(sb) > 1 else sb[0])
    if len(sa) == 1 and len(sb) == 1:
        return (f"inconsistent tensor size, expected tensor [{ka}] and src [{kb}] to have the same "
                f"number of elements, but got {ka} and {kb} elements respectively")
    rows = int(np.prod(sa[:-1], dtype=np.int64))
    if len(sb) == 1:
        return f"size mismatch, got input ({rows}), mat ({rows}x{ka}), vec ({kb})"
    if len(sb) == 2:
        return f"mat1 and mat2 shapes cannot be multiplied ({rows}x{ka} and {sb[0]}x{sb[1]})"
    batch = int(np.prod(broadcast_shapes("matmul", sa[:-2], sb[:-2]), dtype=np.int64))
    return (f"Expected size for first two dimensions of batch2 tensor to be: [{batch}, {ka}] but "
            f"got: [{batch}, {kb}].")


def _matmul_infer(a, b):
    sa, sb = a[0], b[0]
    if not sa or not sb:
        raise ShapeError(f"both arguments to matmul need to be at least 1D, but they are "
                         f"{len(sa)}D and {len(sb)}D")
    if len(sa) > 1 and len(sb) > 2 or len(sa) > 2 and len(sb) > 1:
        broadcast_shapes("matmul", sa[:-2], sb[:-2])  # batch dimensions are checked first
    ka = sa[-1]
    kb = sb[-2] if len(sb) > 1 else sb[0]
    if ka != kb:
        raise ShapeError(_matmul_mismatch(sa, sb))
    if a[1] != b[1]:
        raise ShapeError(f"matmul: expected both arguments to have the same dtype, got {a[1]} and {b[1]}")
    batch = broadcast_shapes("matmul", sa[:-2], sb[:-2]) if len(sa) > 1 and len(sb) > 1 else ()
    rows = (sa[-2],) if len(sa) > 1 else ()
    cols = (sb[-1],) if len(sb) > 1 else ()
    if len(sa) == 1:
        batch = sb[:-2]
    elif len(sb) == 1:
        batch = sa[:-2]
    return [(batch + rows + cols, a[1])]


def _matmul_vjp(g, out, a, b):
    # forward: a @ b; backward: g @ b^T, a^T @ g (1-D operands promoted to matrices, batch summed)
    if a.ndim == 1 or b.ndim == 1:
        a2 = a.reshape_to((1,) + tuple(a.shape)) if a.ndim == 1 else a
        b2 = b.reshape_to(tuple(b.shape) + (1,)) if b.ndim == 1 else b
        g2 = g.reshape_to(tuple(a2.shape[:-1]) + tuple(b2.shape[-1:]) if a2.ndim == 2 and b2.ndim == 2
                          else _matmul_infer((tuple(a2.shape), a.dtype), (tuple(b2.shape), b.dtype))[0][0])
        return (lambda: (g2 @ b2.swap_last()).sum_to(a2.shape).reshape_to(a.shape),
                lambda: (a2.swap_last() @ g2).sum_to(b2.shape).reshape_to(b.shape))
    return (lambda: (g @ b.swap_last()).sum_to(a.shape), lambda: (a.swap_last() @ g).sum_to(b.shape))


# PyTorch's CPU matrix product (MKL sgemm) accumulates each output element over k in order, one
# fused multiply-add per step, for matrices (both sides of at least 2 rows/columns, or a 1x1
# result) up to a few hundred long in k (measured: k <= 300 for matrices, k < 256 for 1x1);
# numpy's BLAS blocks and unrolls k differently, so about 3% of elements (and the losses printed
# from them) differed in the last bit. Within these bounds the product is computed in PyTorch's
# order: k vectorised steps over the (m, n) result, each exact in float64 and rounded once to
# float32. Larger products keep numpy's BLAS: the loop costs ~2 us per step plus the products
# (a 131,072-MAC product ~0.25 ms against ~20 us in BLAS), so the bound keeps tutorial-sized
# layers exact without slowing wider models' steps (at 262,144 the 784-512-512-10 step took 1.5x
# as long); vector products (one side 1 wide) use MKL's gemv recipes below.
ORDERED_MATMUL_MAX_K = 256
ORDERED_MATMUL_MAX_MACS = 1 << 17


# torch.dot / 1-D @ 1-D (MKL sdot on AVX-512), measured for every length 1..700 and some up to 8191
# (30 random draws each, values over six decades): up to 8 elements, 4 sums (element i into sum
# i % 4), each product and each addition rounded separately, then (s0 + s1) + (s2 + s3). Longer:
# 4 accumulators of 16 lanes; element i of each 64-element block fused-multiply-adds into lane
# i % 16 of accumulator (i // 16) % 4; of the tail (n % 64 elements), a first 32 go to accumulators
# 0 and 1 when there are at least 32, every other 16 (the last one partial) to accumulator 0.
# Then (acc0 + acc1) + (acc2 + acc3), its 16 lanes halved twice (lane l + lane l + 8, then + 4),
# and the last 4 as (s0 + s1) + (s2 + s3).
ORDERED_DOT_MAX = 8191  # from 8192 elements MKL splits the sum over threads: another order


def _fma_into(acc, x, y):
    """acc = x * y + acc with one rounding (float64 holds the float32 product exactly)."""
    acc[...] = x.astype(np.float64) * y + acc


def _mkl_sdot(x, y):
    n = x.shape[0]
    if n <= 8:
        s = np.zeros(8, np.float32)
        s[:n] = x * y
        s4 = s[:4] + s[4:]
        return np.asarray((s4[0] + s4[1]) + (s4[2] + s4[3]), np.float32)
    full = n // 64 * 64
    acc = np.zeros((4, 16), np.float32)
    xb, yb = x[:full].reshape(-1, 4, 16), y[:full].reshape(-1, 4, 16)
    for i in range(full // 64):
        _fma_into(acc, xb[i], yb[i])
    s = full
    if n - s >= 32:
        _fma_into(acc[:2], x[s:s + 32].reshape(2, 16), y[s:s + 32].reshape(2, 16))
        s += 32
    for s in range(s, n, 16):
        e = min(s + 16, n)
        _fma_into(acc[0, :e - s], x[s:e], y[s:e])
    v = (acc[0] + acc[1]) + (acc[2] + acc[3])
    v = v[:8] + v[8:]
    v = v[:4] + v[4:]
    return np.asarray((v[0] + v[1]) + (v[2] + v[3]), np.float32)


# A column-major (m, k) matrix (a transposed view: torch.mv(A.t(), v), the vector gradient of
# A @ v) times one column is MKL's sgemv "N" kernel: for m < 16 rows it is the same in-order chain
# of fused multiply-adds over k (measured for m 1..15, k 2..255; from k = 256 on, and for the rows
# of full 16-row blocks beyond k = 5, it blocks differently: order unknown, left to numpy). A
# row-major matrix times a column (sgemv "T": nn.Linear(k, 1), torch.mv(A, v)) beyond the cases of
# _row_gemv below, (1, k) @ (k, n) and mm(A, B.t()) for m < 32 use kernels whose order was not
# established: numpy's BLAS.
# From k = 256 on, the same kernel splits k over MKL's threads: with one thread it stays one chain,
# with two (this machine's default) the first ceil(k / 2) and the rest are two chains, added at
# the end (measured for outputs 1..15 and k 256..20000, mv and g.t() @ x alike); other thread
# counts were not measured: numpy's BLAS.
COLUMN_GEMV_MAX_K = 16384


def _gemv_threads():
    from ...runtime import threads
    return threads.get()


def _column_gemv(a, k, n):
    m = a.shape[0]
    return (n == 1 and 2 <= m < 16 and a.dtype == np.float32
            and a.strides[0] == a.itemsize and a.strides[1] != a.itemsize
            and (2 <= k < ORDERED_MATMUL_MAX_K or k <= COLUMN_GEMV_MAX_K and _gemv_threads() in (1, 2)))


def _column_gemv_long(a, b):
    """The column gemv for k >= 256: one in-order chain per thread's share of k, added."""
    k = a.shape[1]
    half = (k + 1) // 2 if _gemv_threads() == 2 else k
    out = _fma_chain(a[:, :half], b[:half])
    return out + _fma_chain(a[:, half:], b[half:]) if half < k else out


# A row-major (m, k) matrix times one column (sgemv "T": torch.mv(A, v), nn.Linear(k, 1), mm(x, w)
# with w (k, 1) in either layout, a 1x1 result included; addmm adds its bias to the finished
# product). MKL runs the rows in blocks of 4, then the m % 4 remaining rows one at a time, each row
# into 16 lanes of fused multiply-adds halved at the end (lane l + lane l + 8, then + 4, + 2, + 1):
# - rows of a 4-row block: element 0's product starts lane 1, element i >= 1 goes to lane i % 16;
# - the remaining rows: element 0's product is kept aside and added after the halving, element
#   i >= 1 goes to lane (i - 1) % 16.
# Measured bit for bit (values over six decades, several memory alignments, mv, mm, addmm and
# F.linear alike) for every k 2..17 with m 1..39 and up to 4000, and for k 18..32 on 1..3 rows.
# Outside: the 4-row blocks' order for k 18..32 other than 1 (mod 16), the single rows' order
# beyond k = 32, and from about 8500 multiply-adds MKL splits the rows over threads (blocks of 4
# then restart at each thread's first row): numpy's BLAS.
ROW_GEMV_MAX_K = 17
ROW_GEMV_MAX_K_FEW_ROWS = 32    # the single-row kernel alone (m <= 3)
ROW_GEMV_MAX_WORK = 8000        # m * k; measured threaded from 8534 on (2 threads)


def _row_gemv(a, k, n):
    m = a.shape[0]
    return (n == 1 and m >= 1 and 2 <= k and m * k <= ROW_GEMV_MAX_WORK
            and (k <= ROW_GEMV_MAX_K or m <= 3 and k <= ROW_GEMV_MAX_K_FEW_ROWS)
            and a.dtype == np.float32 and (m == 1 or a.strides[1] == a.itemsize))


def _gemv_lanes(a, v, lanes, block):
    """Fused multiply-adds of a[:, 1:] * v[1:] into the 16 `lanes` of each row (element i to lane
    i % 16 in 4-row blocks, to lane (i - 1) % 16 for single rows), then the halving."""
    k = a.shape[1]
    for s in range(1, k, 16):
        e = min(s + 16, k)
        cols = np.arange(s, e) % 16 if block else np.arange(e - s)
        part = lanes[:, cols]
        _fma_into(part, a[:, s:e], v[s:e])
        lanes[:, cols] = part
    for width in (8, 4, 2, 1):
        lanes = lanes[:, :width] + lanes[:, width:2 * width]
    return lanes[:, 0]


def _mkl_row_gemv(a, v):
    """a (m, k) @ v (k,) in MKL sgemv "T"'s order for the shapes _row_gemv accepts."""
    m = a.shape[0]
    blocked = m // 4 * 4
    out = np.empty(m, np.float32)
    if blocked:
        lanes = np.zeros((blocked, 16), np.float32)
        lanes[:, 1] = a[:blocked, 0] * v[0]
        out[:blocked] = _gemv_lanes(a[:blocked], v, lanes, True)
    if m > blocked:
        rest = a[blocked:]
        head = rest[:, 0] * v[0]
        out[blocked:] = _gemv_lanes(rest, v, np.zeros((m - blocked, 16), np.float32), False) + head
    return out


# mm(x, W.t()) with W a contiguous (n, k) weight (F.linear / nn.Linear / addmm(bias, x, W.t()): the
# "NT" layout, b column-major) on fewer than 32 rows, measured for m 2..31, n 2..19 (and n 20..64
# on a few shapes), every k 2..33 and k 64, 100, 200 (values over six decades). MKL picks one of:
# - for n == 2 and m < 16, n == 3 and m < 11, and 4 <= n <= 11 with m < n and k <= n, each result
#   element in 16 lanes of fused multiply-adds (element i of the row to lane i % 16) halved as in
#   the gemv above (lane l + lane l + 8, + 4, + 2, + 1); verified for k <= 31 (from k = 32 on
#   another order, not pinned down: numpy's BLAS);
# - otherwise the in-order fused multiply-add chain of the larger products, for k <= 33 on every
#   row count, and for larger k (up to 200) with n == 2 and m >= 16, n == 3 and m >= 11, n >= 4
#   and m >= 9; fewer rows with larger k use an order not established: numpy's BLAS.
# One row (m == 1) is the gemv above on W (n rows), handled before.
NT_SMALL_ROWS = 32
NT_LANES_MAX_K = 31
NT_CHAIN_MAX_K = 200


def _column_major(b):
    return b.strides[0] == b.itemsize and b.strides[1] != b.itemsize


def _mkl_nt_small(a, b):
    m, k = a.shape
    n = b.shape[1]
    if m > 1 and a.strides[1] != a.itemsize or k < 2 or k > NT_CHAIN_MAX_K:
        return np.matmul(a, b)   # a column-major left operand too: not measured
    lanes = n == 2 and m < 16 or n == 3 and m < 11 or 4 <= n <= 11 and m < n and k <= n
    if lanes:
        if k > NT_LANES_MAX_K:
            return np.matmul(a, b)
        acc = np.zeros((m, n, 16), np.float32)
        bt = b.T
        for s in range(0, k, 16):
            e = min(s + 16, k)
            part = acc[:, :, :e - s]
            _fma_into(part, a[:, None, s:e], bt[None, :, s:e])
        for width in (8, 4, 2, 1):
            acc = acc[..., :width] + acc[..., width:2 * width]
        return acc[..., 0]
    if k > 33 and not (n == 2 and m >= 16 or n == 3 and m >= 11 or n >= 4 and m >= 9):
        return np.matmul(a, b)
    return _fma_chain(a, b)


def _fma_chain(a, b):
    """Each element of a @ b as one in-order chain of fused multiply-adds over k."""
    m, k = a.shape
    n = b.shape[1]
    # every product at once (exact in float64), then one numpy call per step: adding float64 to
    # the float32 accumulator computes in float64 and rounds once on the way out, which is the
    # fused multiply-add's single rounding
    products = a.T.astype(np.float64)[:, :, None] * b.astype(np.float64)[:, None, :]
    acc = np.zeros((m, n), np.float32)
    for i in range(k):
        np.add(acc, products[i], out=acc, casting="unsafe")
    return acc


def ordered_matmul(a, b):
    """a @ b for float32 matrices in PyTorch's summation order where that order is known."""
    if a.ndim == 1 and b.ndim == 1 and a.dtype == np.float32 and b.dtype == np.float32 \
            and 0 < a.shape[0] == b.shape[0] <= ORDERED_DOT_MAX:
        return _mkl_sdot(a, b)
    if a.ndim == 2 and b.ndim == 1 and b.dtype == np.float32 and _row_gemv(a, b.shape[0], 1) \
            and a.shape[1] == b.shape[0]:
        return _mkl_row_gemv(a, b)
    if a.ndim == 2 and b.ndim == 2 and b.dtype == np.float32 and _row_gemv(a, b.shape[0], b.shape[1]) \
            and a.shape[1] == b.shape[0] and (a.shape[0] > 1 or b.strides[1] != b.itemsize):
        # a 1x1 result takes gemv only for a transposed column (x @ W.t(), F.linear's layout);
        # (1, k) @ a contiguous (k, 1) is the in-order chain below
        return _mkl_row_gemv(a, b[:, 0])[:, None]
    if a.ndim == 2 and b.ndim == 1 and _column_gemv(a, b.shape[0], 1):
        return ordered_matmul(a, b[:, None])[:, 0]
    if a.ndim == 1 and b.ndim == 2 and a.dtype == np.float32 and b.dtype == np.float32 \
            and a.shape[0] == b.shape[0] and b.shape[1] >= 2:
        return ordered_matmul(a[None], b)[0]
    if a.ndim == 2 and b.ndim == 2 and a.shape[0] == 1 and b.shape[1] >= 2 and a.shape[1] == b.shape[0] \
            and a.dtype == np.float32 and b.dtype == np.float32:
        # (1, k) @ (k, n) (a Linear's weight gradient g^T @ x with one output, a vector times a
        # matrix) is MKL's gemv on b^T: a column-major b^T (b row-major) takes sgemv "N" and a
        # row-major b^T sgemv "T"; measured for k 2..20000 with n 2..15 (see _column_gemv), and
        # k 2..17 (any n) or k up to 32 with n <= 3, respectively
        bt = b.T
        if _column_gemv(bt, b.shape[0], 1) or _row_gemv(bt, b.shape[0], 1):
            return ordered_matmul(bt, a.T).T
    if a.ndim != 2 or b.ndim != 2 or a.dtype != np.float32 or b.dtype != np.float32:
        return np.matmul(a, b)
    m, k = a.shape
    n = b.shape[1]
    if 1 < m < NT_SMALL_ROWS and n >= 2 and k == b.shape[0] and _column_major(b):
        return _mkl_nt_small(a, b)
    if k >= ORDERED_MATMUL_MAX_K and k == b.shape[0] and _column_gemv(a, k, n):
        return _column_gemv_long(a, b)
    if m == 1 and n == 1 and b.strides[1] != b.itemsize:
        return np.matmul(a, b)   # x @ W.t() to a 1x1 result beyond _row_gemv's k: gemv, order unknown
    if (k > ORDERED_MATMUL_MAX_K or k != b.shape[0] or m * n * k > ORDERED_MATMUL_MAX_MACS
            or ((m == 1) != (n == 1) and not _column_gemv(a, k, n))
            or (m == 1 and k >= ORDERED_MATMUL_MAX_K) or k < 2):
        return np.matmul(a, b)
    return _fma_chain(a, b)


defop("MatMul", eager=ordered_matmul, infer=_matmul_infer, vjp=_matmul_vjp, saves=(0, 1), family=F,
      grad_name="MmBackward0")


def _gemm(a, b, c=None, alpha=1.0, beta=1.0, transA=0, transB=0):
    a = a.T if transA else a
    b = b.T if transB else b
    out = ordered_matmul(a, b)
    if alpha != 1.0:
        out = out * np.asarray(alpha, out.dtype)
    if c is not None:
        out += c if beta == 1.0 else c * np.asarray(beta, out.dtype)
    return out


def _gemm_infer(a, b, c=None, alpha=1.0, beta=1.0, transA=0, transB=0):
    sa = a[0][::-1] if transA else a[0]
    sb = b[0][::-1] if transB else b[0]
    if len(sa) != 2 or len(sb) != 2:
        raise ShapeError(f"linear: expected 2-D operands, got shapes {fmt(a[0])} and {fmt(b[0])}")
    if sa[1] != sb[0]:
        raise ShapeError(f"linear: mat1 and mat2 shapes cannot be multiplied "
                         f"({sa[0]}x{sa[1]} and {sb[0]}x{sb[1]})")
    shape = (sa[0], sb[1])
    # ONNX Gemm broadcasts C one way, to (M, N): a bias of higher rank would change the output shape
    if c is not None and broadcast_shapes("linear (bias)", shape, c[0]) != shape:
        raise ShapeError(f"linear: bias of shape {fmt(c[0])} does not broadcast to the output shape "
                         f"{fmt(shape)}")
    return [(shape, a[1])]


def _gemm_vjp(g, out, a, b, c=None, alpha=1.0, beta=1.0, transA=0, transB=0):
    # forward: y = alpha * op(a) @ op(b) + beta * c, op(m) = m^T when trans is set;
    # backward: d op(a) = g @ op(b)^T and d op(b) = op(a)^T @ g, written so that no
    # weight-sized result is transposed afterwards (e.g. linear's dW = g^T @ x, not (x^T @ g)^T)
    ga = g * alpha if alpha != 1.0 else g
    t = lambda m: m.permute_to((1, 0))  # noqa: E731

    def grad_a():
        if transA:  # da = op(b) @ g^T
            return (t(b) if transB else b) @ t(ga)
        return ga @ (b if transB else t(b))

    def grad_b():
        if transB:  # db = g^T @ op(a)
            return t(ga) @ (t(a) if transA else a)
        return (a if transA else t(a)) @ ga
    grads = (grad_a, grad_b)
    if c is None:
        return grads
    return grads + (lambda: (g * beta if beta != 1.0 else g).sum_to(c.shape),)


defop("Gemm", eager=_gemm, infer=_gemm_infer, vjp=_gemm_vjp, saves=(0, 1), family=F,
      grad_name="AddmmBackward0")


def _softmax(x, axis=-1):
    axis = axis % x.ndim if x.ndim else 0
    if x.dtype == np.float32 and x.ndim:
        return softmax_kernels.softmax(x, axis)    # PyTorch's exp and summation order
    shifted = x - np.max(x, axis=axis, keepdims=True)
    e = np.exp(shifted)
    return e / np.sum(e, axis=axis, keepdims=True)


def _log_softmax(x, axis=-1):
    axis = axis % x.ndim if x.ndim else 0
    if x.dtype == np.float32 and x.ndim:
        return softmax_kernels.log_softmax(x, axis)
    shifted = x - np.max(x, axis=axis, keepdims=True)
    return shifted - np.log(np.sum(np.exp(shifted), axis=axis, keepdims=True))


def _eager_float32(*values):
    """The backward runs eagerly on float32 tensors and records nothing (no create_graph, no
    capture): PyTorch's exact kernel can then be used instead of the composed rule."""
    from ...frontend.grad_mode import STATE
    return (not STATE.grad_enabled and STATE.tracer is None
            and all(getattr(getattr(v, "_data", None), "dtype", None) == np.float32 for v in values))


def _softmax_vjp(g, out, x, axis=-1):
    # y * (g - sum(g * y, axis))
    if _eager_float32(g, out) and out.ndim:
        from ...frontend.tensor import _wrap
        return (_wrap(softmax_kernels.softmax_backward(g._data, out._data, axis % out.ndim)),)
    return (out * (g - (g * out).reduce_sum((axis,), True)),)


def _log_softmax_vjp(g, out, x, axis=-1):
    # g - exp(y) * sum(g, axis)
    if _eager_float32(g, out) and out.ndim:
        from ...frontend.tensor import _wrap
        return (_wrap(softmax_kernels.log_softmax_backward(g._data, out._data, axis % out.ndim)),)
    return (g - out.exp() * g.reduce_sum((axis,), True),)


def _axis_infer(op):
    def rule(x, axis=-1):
        normalize_axis(op, axis, len(x[0]))
        return [x]
    return rule


# forward: y = softmax(x); backward: y * (g - sum(g * y, axis))
defop("Softmax", eager=_softmax, infer=_axis_infer("softmax"), saves=("out",), family=F, vjp=_softmax_vjp)
# forward: y = log_softmax(x); backward: g - exp(y) * sum(g, axis)
defop("LogSoftmax", eager=_log_softmax, infer=_axis_infer("log_softmax"), saves=("out",), family=F,
      vjp=_log_softmax_vjp)


def _nll_weights(target, n_classes, weight, ignore_index):
    """Per-sample weights of the picked class: weight[target], 0 where target == ignore_index."""
    safe = np.where(target == ignore_index, 0, target)
    w = np.ones(n_classes, np.float64) if weight is None else weight
    return np.where(target == ignore_index, 0, w[safe]), safe


def _nll(logp, target, weight=None, reduction="mean", ignore_index=-100):
    if np.any((target != ignore_index) & ((target < 0) | (target >= logp.shape[1]))):
        bad = target[(target != ignore_index) & ((target < 0) | (target >= logp.shape[1]))][0]
        raise IndexError(f"Target {bad} is out of bounds.")
    w, safe = _nll_weights(target, logp.shape[1], weight, ignore_index)
    picked = np.take_along_axis(logp, np.expand_dims(safe, 1), axis=1).squeeze(1)
    losses = -(picked * w).astype(logp.dtype)
    if reduction == "none":
        return losses
    if logp.ndim == 2 and len(losses) <= 4096:
        # PyTorch's (N, C) kernel adds the losses and the weights with its own cascade, in order
        kept = target != ignore_index
        total, total_w = _nll_cascade(losses, kept), _nll_cascade(w.astype(logp.dtype), kept)
        if weight is None:
            total_w = logp.dtype.type(np.count_nonzero(target != ignore_index))
        if reduction == "sum":
            return np.asarray(total, dtype=logp.dtype)
        return np.asarray(total / total_w, dtype=logp.dtype)
    if reduction == "sum":
        return np.asarray(losses.sum(), dtype=logp.dtype)
    return np.asarray(losses.sum() / w.sum(), dtype=logp.dtype)


def _nll_cascade(values, kept):
    """Sum of a 1-D array as nll_loss_out_frame adds it: 4 levels, level 0 flushed upwards after
    every element whose index has its low bits clear (every element at index 0), then the levels
    added from the lowest. Ignored samples are skipped, flush included, as there."""
    n = len(values)
    power = max(4, (0 if n <= 1 else int(n - 1).bit_length()) // 4)
    mask = (1 << power) - 1
    zero = values.dtype.type(0)
    acc = [zero] * 4
    for b in range(n):
        if not kept[b]:
            continue
        acc[0] = values.dtype.type(acc[0] + values[b])
        for j in range(3):
            if b & (mask << (j * power)):
                break
            acc[j + 1] = values.dtype.type(acc[j + 1] + acc[j])
            acc[j] = zero
    return values.dtype.type(((zero + acc[0]) + acc[1] + acc[2]) + acc[3])


def _nll_infer(logp, target, weight=None, reduction="mean", ignore_index=-100):
    s, t = logp[0], target[0]
    if len(s) < 2 or t != s[:1] + s[2:]:
        raise ShapeError(f"nll_loss: expected input of shape (N, C, ...) and target of shape (N, ...), "
                         f"got input {fmt(s)} and target {fmt(t)}")
    if target[1] not in ("int64", "int32"):
        raise ShapeError(f"nll_loss: expected target of class indices with dtype int64 (Long), got {target[1]}")
    return [((t if reduction == "none" else ()), logp[1])]


def _nll_vjp(g, out, logp, target, weight=None, reduction="mean", ignore_index=-100):
    # forward: -weight[t] * logp[n, t] (summed or averaged over the kept samples);
    # backward: -g * weight[t] on the picked class of each sample, divided by the total weight.
    n_classes = logp.shape[1]
    classes = target._const(np.arange(n_classes, dtype=np.int64).reshape((1, n_classes) + (1,) * (logp.ndim - 2)))
    picked = target.unsqueeze_at((1,)).eq(classes)                       # one-hot, (N, C, ...)
    kept = target.eq(target._const(np.asarray(ignore_index, np.int64))).logical_not()
    w = kept.cast_to(logp.dtype)
    if weight is not None:
        w = w * target._op("Gather", weight, kept.select(target, 0), axis=0)
    if reduction == "none":
        scale = g * w
    elif reduction == "sum":
        scale = w * g
    else:
        scale = w * (g / w.reduce_sum(None, keepdims=False))
    grad = picked.select(-scale.unsqueeze_at((1,)).expand_to(logp.shape), 0)
    # one slot per input: the weight input is optional
    return (grad, None) if weight is None else (grad, None, None)


defop("NegativeLogLikelihoodLoss", eager=_nll, infer=_nll_infer, vjp=_nll_vjp, saves=(1, 2), family=F,
      grad_name="NllLossBackward0")


# -- MSE loss as one op: its grad_fn's next_functions are (input, target), as PyTorch's ----------------
def _mse(x, y, reduction="mean"):
    from .reduce import _mean, _sum
    d = np.subtract(x, y)
    sq = d * d
    if reduction == "none":
        return sq
    return _mean(sq, None, 0) if reduction == "mean" else _sum(sq, None, 0)


def _mse_infer(x, y, reduction="mean"):
    if reduction not in ("mean", "sum", "none"):
        raise ShapeError(f"{reduction} is not a valid value for reduction")
    shape = broadcast_shapes("mse_loss", x[0], y[0])
    return [(shape if reduction == "none" else (), x[1])]


def _mse_vjp(g, out, x, y, reduction="mean"):
    # forward: reduce((x - y)^2); backward: norm (x - y) g with norm = 2 (2 / numel for a mean),
    # PyTorch's mse_loss_backward order; summed back over broadcast axes for each input
    n = int(np.prod(np.broadcast_shapes(tuple(x.shape), tuple(y.shape)), dtype=np.int64))
    norm = 2.0 / n if reduction == "mean" else 2.0
    grad = (x - y) * norm * g
    return (lambda: grad.sum_to(x.shape), lambda: (-grad).sum_to(y.shape))


defop("MseLoss", eager=_mse, infer=_mse_infer, vjp=_mse_vjp, saves=(0, 1), family=F,
      grad_name="MseLossBackward0")


# -- Addmm: Gemm with PyTorch's argument order (c, a, b), so that its grad_fn lists the bias first
# (AddmmBackward0.next_functions: bias, input, weight), as nn.Linear's and torch.addmm's do ---------
def _addmm(c, a, b, alpha=1.0, beta=1.0, transB=0):
    return _gemm(a, b, c, alpha, beta, 0, transB)


def _addmm_infer(c, a, b, alpha=1.0, beta=1.0, transB=0):
    return _gemm_infer(a, b, c, alpha, beta, 0, transB)


def _addmm_vjp(g, out, c, a, b, alpha=1.0, beta=1.0, transB=0):
    # forward: beta c + alpha a @ op(b); backward: Gemm's rule, reordered to (c, a, b)
    grad_a, grad_b, grad_c = _gemm_vjp(g, out, a, b, c, alpha, beta, 0, transB)
    return grad_c, grad_a, grad_b


defop("Addmm", eager=_addmm, infer=_addmm_infer, vjp=_addmm_vjp, saves=(1, 2), family=F,
      grad_name="AddmmBackward0")

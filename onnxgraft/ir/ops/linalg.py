"""Linear-algebra ops: Inverse (no standard ONNX form) and Det (ONNX Det).

The eager kernels raise PyTorch's errors: a non-square or integer input, and a singular matrix
as `LinAlgError` naming the first zero pivot of the LU factorization, as LAPACK reports it.
"""
import numpy as np

from .registry import ShapeError, defop

F = "linalg"


class _LinAlgError(RuntimeError):
    """A matrix that cannot be factorized (torch.linalg.LinAlgError)."""


LinAlgError = _LinAlgError


def _zero_pivot(a):
    """1-based index of the first exactly-zero pivot of LU with partial pivoting (LAPACK getrf's
    `info`), or 0 when there is none."""
    a = np.array(a, dtype=np.float64)
    n = a.shape[0]
    for k in range(n):
        p = k + int(np.argmax(np.abs(a[k:, k])))
        if a[p, k] == 0:
            return k + 1
        if p != k:
            a[[k, p]] = a[[p, k]]
        a[k + 1:, k] /= a[k, k]
        a[k + 1:, k + 1:] -= np.outer(a[k + 1:, k], a[k, k + 1:])
    return 0


def _check_square(what, meta):
    shape, dtype = meta
    if len(shape) < 2 or shape[-1] != shape[-2]:
        if len(shape) < 2:
            raise ShapeError(f"{what}: The input tensor A must have at least 2 dimensions.")
        raise ShapeError(f"{what}: A must be batches of square matrices, but they are "
                         f"{shape[-2]} by {shape[-1]} matrices")
    if np.dtype(dtype).kind != "f":
        name = {"int64": "Long", "int32": "Int", "int16": "Short", "int8": "Char", "uint8": "Byte",
                "bool": "Bool"}.get(dtype, dtype)
        raise ShapeError(f"{what}: Expected a floating point or complex tensor as input. Got {name}")


def _inverse(a):
    try:
        return np.linalg.inv(a).astype(a.dtype, copy=False)
    except np.linalg.LinAlgError:
        flat = a.reshape(-1, a.shape[-2], a.shape[-1])
        for b, m in enumerate(flat):
            k = _zero_pivot(m)
            if k:
                batch = f"(Batch element {b}): " if a.ndim > 2 else ""
                raise _LinAlgError(f"linalg.inv: {batch}The diagonal element {k} is zero, the inversion "
                                   f"could not be completed because the input matrix is singular.") from None
        raise


def _infer_inverse(a):
    _check_square("linalg.inv", a)
    return [a]


def _infer_det(a):
    _check_square("linalg.det", a)
    return [(a[0][:-2], a[1])]


# forward: A^-1; backward: -A^-T g A^-T
defop("Inverse", eager=_inverse, infer=_infer_inverse, saves=("out",), family=F,
      grad_name="LinalgInvExBackward0",
      vjp=lambda g, out, a: (-(out.swap_last() @ g @ out.swap_last()),))


# up to this size the gradient of det is its cofactor matrix, from the determinants of all minors
# (exportable: Gather and ONNX Det; right for singular matrices too). Larger matrices use
# det(A) A^-T, whose inverse has no standard ONNX form and fails for a singular A.
_COFACTOR_MAX_N = 8


def _minor_index(n):
    """Flat positions (i*n + j) of the minor that drops row r and column c, for every (r, c)."""
    idx = np.empty((n, n, n - 1, n - 1), dtype=np.int64)
    for r in range(n):
        rows = [i for i in range(n) if i != r]
        for c in range(n):
            cols = [j for j in range(n) if j != c]
            idx[r, c] = np.array(rows)[:, None] * n + np.array(cols)[None, :]
    return idx


def _det_vjp(g, out, a):
    n = a.shape[-1]
    batch = tuple(a.shape[:-2])
    g_mat = g.unsqueeze_at((g.ndim, g.ndim + 1))
    if n == 1:
        return (g_mat,)
    if n <= _COFACTOR_MAX_N:
        # d det(A) / dA[r, c] = (-1)^(r+c) det(A without row r and column c)
        flat = a.reshape_to(batch + (n * n,))
        minors = flat._op("Gather", flat, flat._const(_minor_index(n)), axis=len(batch))
        signs = np.array([[(-1.0) ** (r + c) for c in range(n)] for r in range(n)], dtype=a.dtype)
        cofactors = minors._op("Det", minors) * a._const(signs)
        return (g_mat * cofactors,)
    return (g_mat * out.unsqueeze_at((out.ndim, out.ndim + 1)) * a._op("Inverse", a).swap_last(),)


def _lu_det(m):
    """det of one matrix by LU with partial pivoting in extended precision (x87 long double)."""
    a = np.array(m, dtype=np.longdouble)
    det = np.longdouble(1)
    for k in range(a.shape[0]):
        p = k + int(np.argmax(np.abs(a[k:, k])))
        if a[p, k] == 0:
            return np.longdouble(0)
        if p != k:
            a[[k, p]] = a[[p, k]]
            det = -det
        a[k + 1:, k] /= a[k, k]
        a[k + 1:, k + 1:] -= np.outer(a[k + 1:, k], a[k, k + 1:])
        det *= a[k, k]
    return det


def _det(a):
    if a.dtype == np.float64:
        # numpy's float64 det of small integer matrices is often an ulp off the integer that
        # PyTorch's (MKL's) gives, which prints differently (-2.0000 against -2.); computed in
        # extended precision and rounded once, it lands on PyTorch's value far more often
        flat = a.reshape(-1, a.shape[-2], a.shape[-1])
        return np.array([_lu_det(m) for m in flat], dtype=np.float64).reshape(a.shape[:-2])
    return np.asarray(np.linalg.det(a), dtype=a.dtype)


# forward: det(A); backward: g det(A) A^-T
defop("Det", eager=_det, infer=_infer_det,
      saves=(0, "out"), family=F, grad_name="LinalgDetBackward0", vjp=_det_vjp)

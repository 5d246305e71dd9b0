"""torch.linalg for onnxgraft: norms, inverse, determinant, solve, multi_dot.

Norms are compositions of differentiable ops (they record into captured steps and export).
`inv` and `solve` have no standard ONNX operator: they work eagerly and with autograd, and a
captured step that uses them fails at export with a message saying so. `det` exports as ONNX
Det (float32; onnxruntime has no float64 Det). Singular values (matrix norms 'nuc', 2, -2) are
not implemented.
"""
import math

from .frontend.function import Function
from .frontend.node import apply
from .frontend.tensor_combine import linalg_cross as cross  # noqa: F401  (torch.linalg.cross)
from .ir.ops.linalg import LinAlgError, _LinAlgError  # noqa: F401  (torch.linalg.LinAlgError)

__all__ = ["LinAlgError", "norm", "vector_norm", "matrix_norm", "inv", "det", "solve", "multi_dot", "cross"]

_INT_NAMES = {"int64": "Long", "int32": "Int", "int16": "Short", "int8": "Char", "uint8": "Byte", "bool": "Bool"}


def _require_float(what, x):
    if not x.is_floating_point():
        raise RuntimeError(f"{what}: Expected a floating point or complex tensor as input. "
                           f"Got {_INT_NAMES.get(str(x.dtype).replace('torch.', ''), x.dtype)}")


def vector_norm(x, ord=2, dim=None, keepdim=False, *, dtype=None):
    """The vector `ord`-norm of `x` over `dim` (all elements when None)."""
    _require_float("linalg.vector_norm", x)
    if dtype is not None:
        x = x.to(dtype)
    if ord in (2, 2.0):
        out = x.norm(2, dim, keepdim)
    elif ord in (1, 1.0, math.inf):
        out = x.norm(ord, dim, keepdim)
    elif ord == -math.inf:
        out = x.abs().amin(dim, keepdim)
    elif ord == 0:
        # the count of nonzeros: PyTorch gives it a grad_fn whose gradient is undefined (None)
        out = _CountNonzero.apply(x, dim, keepdim)
    else:
        out = (x.abs() ** ord).sum(dim, keepdim) ** (1.0 / ord)
    return out._renamed("LinalgVectorNormBackward0")


class _CountNonzero(Function):
    @staticmethod
    def forward(ctx, x, dim, keepdim):
        return (x != 0).to(x.dtype).sum(dim, keepdim)

    @staticmethod
    def backward(ctx, grad):
        return None, None, None


def matrix_norm(A, ord="fro", dim=(-2, -1), keepdim=False, *, dtype=None):
    """The matrix norm of the last two dims (or `dim`): 'fro', 1, -1, inf or -inf."""
    if A.ndim < 2:
        raise RuntimeError("linalg.matrix_norm: The input tensor A must have at least 2 dimensions.")
    _require_float("linalg.matrix_norm", A)
    if dtype is not None:
        A = A.to(dtype)
    d0, d1 = (d % A.ndim for d in dim)
    if ord == "fro":
        return vector_norm(A, 2, (d0, d1), keepdim)
    if ord in ("nuc", 2, -2):
        raise NotImplementedError(f"linalg.matrix_norm: ord={ord!r} needs singular values, which onnxgraft "
                                  f"does not compute; use 'fro', 1, -1, inf or -inf")
    if ord in (1, -1):
        summed, over = d0, d1     # column sums, then the max/min over columns
    elif ord in (math.inf, -math.inf):
        summed, over = d1, d0     # row sums, then the max/min over rows
    else:
        raise RuntimeError(f"linalg.matrix_norm: Order {ord} not supported.")
    sums = A.abs().sum(summed, keepdim=keepdim)
    if not keepdim and over > summed:
        over -= 1
    return sums.amax(over, keepdim=keepdim) if ord > 0 else sums.amin(over, keepdim=keepdim)


def norm(A, ord=None, dim=None, keepdim=False, *, dtype=None):
    """torch.linalg.norm: a vector norm or a matrix norm depending on `ord` and `dim`."""
    if isinstance(ord, str):  # 'fro' and 'nuc' are matrix norms whatever the input's rank, as in PyTorch
        return matrix_norm(A, ord, (-2, -1) if dim is None else dim, keepdim, dtype=dtype)
    if isinstance(dim, int):
        dim = (dim,)
    if dim is None:
        if ord is None:
            return vector_norm(A, 2, None, keepdim, dtype=dtype)
        if A.ndim not in (1, 2):
            raise RuntimeError(f"linalg.norm: If dim is not specified but ord is, the input must be 1D or 2D. "
                               f"Got {A.ndim}D.")
        dim = tuple(range(A.ndim))
    if len(dim) == 1:
        return vector_norm(A, 2 if ord is None else ord, dim, keepdim, dtype=dtype)
    if len(dim) == 2:
        return matrix_norm(A, "fro" if ord is None else ord, dim, keepdim, dtype=dtype)
    raise RuntimeError(f"linalg.norm: If dim is specified, it must be of length 1 or 2. Got {list(dim)}")


def inv(A):
    """The inverse of a square matrix (or a batch of them). Raises LinAlgError when singular."""
    return apply("Inverse", (A,), {}, "LinalgInvExBackward0")


def det(A):
    """The determinant of a square matrix (or a batch of them)."""
    return apply("Det", (A,), {}, "LinalgDetBackward0")


def solve(A, B, *, left=True):
    """X with A @ X = B (left=True) or X @ A = B; B may be a vector (or a batch of vectors)."""
    try:
        A_inv = inv(A)
    except LinAlgError:
        raise _LinAlgError("torch.linalg.solve: The solver failed because the input matrix is singular.") from None
    if not left:
        return (B @ A_inv)._renamed("LinalgSolveExBackward0")
    vector = B.ndim == 1 or (B.ndim == A.ndim - 1 and tuple(B.shape) == tuple(A.shape[:-1]))
    if vector:
        return (A_inv @ B.unsqueeze(-1)).squeeze(-1)._renamed("LinalgSolveExBackward0")
    return (A_inv @ B)._renamed("LinalgSolveExBackward0")


def multi_dot(tensors):
    """tensors[0] @ tensors[1] @ ...; the first may be a row vector and the last a column."""
    tensors = list(tensors)
    if len(tensors) < 2:
        raise RuntimeError(f"multi_dot(): expected at least 2 tensors but got {len(tensors)}")
    out = tensors[0]
    for t in tensors[1:]:
        out = out @ t
    return out



def _with_numpy_names():
    # torch.linalg's functions are C++ ones in PyTorch: they take numpy's axis=/keepdims= too
    from .frontend.tensor import _numpy_arg_names
    for name in ("norm", "vector_norm", "matrix_norm", "cross"):
        globals()[name] = _numpy_arg_names(globals()[name], "linalg." + name)


_with_numpy_names()

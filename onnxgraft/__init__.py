"""onnxgraft: PyTorch's autograd API, eager on numpy, and training steps exported as standard ONNX.

    import onnxgraft as torch      # code written for PyTorch runs unchanged
    import onnxgraft as og         # or the short name
"""
__version__ = "0.1.0"

import warnings as _warnings

# numpy reports floating-point events of onnxgraft's kernels (log(0) = -inf, 0/0 = nan) as
# RuntimeWarnings; PyTorch computes the same inf/nan silently. The filter covers only warnings
# raised from onnxgraft's own modules, so numpy code of the user's keeps its warnings.
_warnings.filterwarnings("ignore", category=RuntimeWarning, module=r"onnxgraft(\.|$)")

from .frontend.tensor import Tensor, Size, cat, where, maximum, Device as device
from .frontend.dtype import (dtype, float16, half, float32, float, float64, double, uint8, int8,
                             int16, short, int32, int, int64, long, bool)
from .frontend.dtype import layout, strided
from .frontend.grad_mode import (no_grad, enable_grad, set_grad_enabled, inference_mode,
                                 is_grad_enabled, is_inference_mode_enabled)
from .frontend.grad_mode import is_anomaly_enabled, is_anomaly_check_nan_enabled, set_anomaly_enabled
from .frontend.factories import (tensor, as_tensor, from_numpy, zeros, ones, empty, full, zeros_like,
                                 ones_like, empty_like, full_like, arange, linspace, logspace, eye, randn, rand,
                                 randint, randint_like, randperm, rand_like, randn_like, normal)
from .frontend.random import (manual_seed, seed, initial_seed, Generator, default_generator, get_rng_state,
                              set_rng_state)
from .frontend.printing import set_printoptions, get_printoptions, printoptions
from .frontend.functions import *  # noqa: F401,F403  (torch.add, torch.exp, torch.stack, ...)
from .frontend.functions import stack, concat, concatenate
from . import autograd
from .frontend.typeinfo import finfo, iinfo, LEGACY_TYPES as _LEGACY_TYPES

globals().update(_LEGACY_TYPES)   # torch.FloatTensor, torch.LongTensor, ...

float32 = float32  # noqa: PLW0127  (re-exported names above shadow builtins on purpose: torch.float)


def get_default_dtype():
    return float32


def set_default_dtype(d):
    """Accepts float32, onnxgraft's one default floating dtype. Any other default is refused
    with a clear error rather than ignored (tensors would silently stay float32)."""
    from .frontend.dtype import to_dtype
    wanted = to_dtype(d)
    if wanted is None or not str(wanted).startswith("torch.float"):
        raise TypeError("only floating-point types are supported as the default type")
    if wanted != float32:
        raise NotImplementedError(f"onnxgraft's default floating dtype is torch.float32; set_default_dtype({wanted}) "
                                  f"is not supported. Pass dtype={wanted} to the factories (torch.tensor, "
                                  f"torch.zeros, ...) and call .to({wanted}) on modules instead")


def get_num_threads():
    """Threads onnxruntime sessions of compiled steps use (all cores unless set_num_threads)."""
    from .runtime import threads
    return threads.get()


def set_num_threads(n):
    """Set the intra-op thread count of the compiled steps created from now on (onnxruntime's
    intra_op_num_threads; eager ops run on numpy, whose BLAS threading this does not change)."""
    from .runtime import threads
    threads.set_(n)


get_num_interop_threads = get_num_threads


def set_num_interop_threads(n):
    """Accepted for compatibility: a compiled step is one onnxruntime run, with no inter-op pool."""
    if isinstance(n, bool) or not isinstance(n, int) or n < 1:
        raise RuntimeError("Number of inter-op threads must be positive")


def is_tensor(obj):
    return isinstance(obj, Tensor)


def numel(input):
    return input.numel()


def __getattr__(name):
    # nn, optim, onnx, capture and runtime load on first use, so `import onnxgraft` stays light
    import importlib
    lazy = {"nn": ".nn", "optim": ".optim", "onnx": ".export.api", "utils": ".utils", "cuda": ".cuda",
            "linalg": ".linalg", "random": ".random", "testing": ".testing", "accelerator": ".accelerator", "backends": ".backends",
            "distributions": ".distributions"}
    if name in lazy:
        module = importlib.import_module(lazy[name], __name__)
        globals()[name] = module
        return module
    capture = {"trace": (".frontend.trace", "trace"), "compile": (".runtime.compiled", "compile"),
               "save": (".serialization", "save"), "load": (".serialization", "load"),
               "poisson": (".distributions.poisson", "poisson")}
    if name in capture:
        module_name, attr = capture[name]
        value = getattr(importlib.import_module(module_name, __name__), attr)
        globals()[name] = value
        return value
    raise AttributeError(f"module 'onnxgraft' has no attribute {name!r}")

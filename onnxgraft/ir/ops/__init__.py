"""Every op of onnxgraft, declared once in the registry (see registry.py)."""
from .registry import REGISTRY, OpDef, ShapeError, NoGradientError, defop, get
from . import elementwise, reduce, shape, nn, math, combine, scatter, linalg  # noqa: F401  (importing declares the ops)
from . import gamma, conv_transpose  # noqa: F401,E402
from . import bce  # noqa: F401,E402
from . import logsumexp  # noqa: F401,E402
from . import activations  # noqa: F401,E402
from . import batchnorm  # noqa: F401,E402

"""The IR: an ONNX-shaped networkx graph, the op registry, shape rules and a numpy interpreter.
Imports only numpy and networkx."""
from .graph import Graph
from .value import Value, emit
from .opmixin import OpMixin
from .ops import REGISTRY, ShapeError, NoGradientError, defop
from .interpreter import interpret, run_outputs
from . import dtypes

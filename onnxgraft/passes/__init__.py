"""Graph passes: plain `Graph -> Graph` functions, one per file, registered by name, run by the
pass manager (manager.py) to a fixed point with verification between passes."""
from .manager import PASSES, register, run_pipeline, PassError, verify, DEFAULT_PIPELINE
from .autodiff import differentiate
from . import dce, cse, fold, simplify  # noqa: F401  (importing registers the passes)

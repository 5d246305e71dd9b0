"""torch.nn.parameter: where programs import Parameter from (`from torch.nn.parameter import
Parameter`), with the uninitialized kinds the lazy modules use."""
from .module import Parameter, Buffer
from .lazy import UninitializedParameter, UninitializedBuffer

__all__ = ["Parameter", "Buffer", "UninitializedParameter", "UninitializedBuffer"]

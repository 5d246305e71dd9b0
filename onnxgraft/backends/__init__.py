"""torch.backends for onnxgraft: the flags programs set (`torch.backends.cudnn.benchmark = False`)
and the availability checks they make (`torch.backends.mps.is_available()`). Eager tensors run on
the CPU with numpy, so no GPU backend is available and the flags change nothing."""
from . import cuda, cudnn, mps

__all__ = ["cuda", "cudnn", "mps"]

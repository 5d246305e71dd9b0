"""torch.utils for onnxgraft: `data` (Dataset, TensorDataset, DataLoader, samplers, random_split)."""
from . import data

__all__ = ["data"]

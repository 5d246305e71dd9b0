"""torch.utils.data for onnxgraft: datasets, samplers, `DataLoader` and its default collate.

    from onnxgraft.utils.data import TensorDataset, DataLoader
    loader = DataLoader(TensorDataset(x, y), batch_size=32, shuffle=True)
    for xb, yb in loader: ...

Batches are built in the calling process (`num_workers` is accepted and loads in-process: the
datasets onnxgraft users feed are in-memory tensors, where worker processes cost more than they
save). Shuffling, random_split and the samplers draw PyTorch's numbers: with the same seed the
batches come in PyTorch's order.
"""
from .dataset import (ConcatDataset, Dataset, IterableDataset, Subset, TensorDataset, random_split)
from .sampler import (BatchSampler, RandomSampler, Sampler, SequentialSampler, SubsetRandomSampler,
                      WeightedRandomSampler)
from .dataloader import DataLoader, default_collate, default_convert, get_worker_info

__all__ = ["Dataset", "IterableDataset", "TensorDataset", "ConcatDataset", "Subset", "random_split",
           "Sampler", "SequentialSampler", "RandomSampler", "SubsetRandomSampler", "WeightedRandomSampler", "BatchSampler",
           "DataLoader", "default_collate", "default_convert", "get_worker_info"]

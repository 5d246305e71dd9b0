"""torch.utils.data for onnxgraft: datasets, samplers, `DataLoader` and its default collate.

    from onnxgraft.utils.data import TensorDataset, DataLoader
    loader = DataLoader(TensorDataset(x, y), batch_size=32, shuffle=True)
    for xb, yb in loader: ...

Batches are built in the calling process (`num_workers` is accepted and loads in-process: the
datasets onnxgraft users feed are in-memory tensors, where worker processes cost more than they
save). Shuffling draws from onnxgraft's generator, so the order differs from PyTorch's.
"""
from .dataset import (ConcatDataset, Dataset, IterableDataset, Subset, TensorDataset, random_split)
from .sampler import (BatchSampler, RandomSampler, Sampler, SequentialSampler, SubsetRandomSampler)
from .dataloader import DataLoader, default_collate, default_convert, get_worker_info

__all__ = ["Dataset", "IterableDataset", "TensorDataset", "ConcatDataset", "Subset", "random_split",
           "Sampler", "SequentialSampler", "RandomSampler", "SubsetRandomSampler", "BatchSampler",
           "DataLoader", "default_collate", "default_convert", "get_worker_info"]

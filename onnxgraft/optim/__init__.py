"""torch.optim for onnxgraft: SGD, Adam, AdamW and learning-rate schedulers.

Each update is written once in Tensor ops under no_grad: it runs eagerly on numpy, and a
capture records the same code into a training graph (in-place updates functionalized).
"""
from .optimizer import Optimizer
from .sgd import SGD
from .adam import Adam, AdamW
from . import lr_scheduler

__all__ = ["Optimizer", "SGD", "Adam", "AdamW", "lr_scheduler"]

"""torch.nn for onnxgraft: Module, Parameter, containers, layers, losses, functional (F), init.

    import onnxgraft as torch
    import onnxgraft.nn as nn
    import onnxgraft.nn.functional as F
"""
from .module import Module, Parameter, Sequential, ModuleList, ModuleDict
from .layers import (Identity, Linear, ReLU, Sigmoid, Tanh, Softmax, LogSoftmax, Flatten, Dropout, LeakyReLU,
                     ELU, GELU, SiLU, Softplus)
from .losses import (MSELoss, L1Loss, NLLLoss, CrossEntropyLoss, BCEWithLogitsLoss, BCELoss, SmoothL1Loss,
                     HuberLoss)
from . import functional, init, utils

__all__ = ["Module", "Parameter", "Sequential", "ModuleList", "ModuleDict", "Identity", "Linear", "ReLU",
           "Sigmoid", "Tanh", "Softmax", "LogSoftmax", "Flatten", "Dropout", "MSELoss", "L1Loss",
           "NLLLoss", "CrossEntropyLoss", "BCEWithLogitsLoss", "BCELoss", "SmoothL1Loss", "HuberLoss", "LeakyReLU",
           "ELU", "GELU", "SiLU", "Softplus", "functional", "init", "utils"]

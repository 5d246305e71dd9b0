"""torch.nn for onnxgraft: Module, Parameter, containers, layers, losses, functional (F), init.

    import onnxgraft as torch
    import onnxgraft.nn as nn
    import onnxgraft.nn.functional as F
"""
from .module import Module, Parameter, Buffer, Sequential, ModuleList, ModuleDict
from .layers import (Identity, Linear, ReLU, Sigmoid, Tanh, Softmax, LogSoftmax, Flatten, Dropout, LeakyReLU,
                     ELU, GELU, SiLU, Softplus, LayerNorm, BatchNorm1d, BatchNorm2d, BatchNorm3d,
                     Embedding, Conv2d,
                     MaxPool2d, AvgPool2d, AdaptiveAvgPool2d, AdaptiveAvgPool1d, GroupNorm, Conv1d, MaxPool1d, AvgPool1d)
from .losses import (MSELoss, L1Loss, NLLLoss, CrossEntropyLoss, BCEWithLogitsLoss, BCELoss, SmoothL1Loss,
                     HuberLoss)
from .activations import *; from .losses_extra import *; from .containers import *  # noqa: F401,F403
from .lazy import *  # noqa: F401,F403
from .conv_transpose import ConvTranspose1d, ConvTranspose2d  # noqa: F401
from .upsampling import Upsample, UpsamplingNearest2d, UpsamplingBilinear2d  # noqa: F401
from .rnn import RNNBase, RNN, LSTM, GRU, RNNCellBase, RNNCell, LSTMCell, GRUCell
from .layers import Dropout1d, Dropout2d, Dropout3d, AlphaDropout, FeatureAlphaDropout  # noqa: E402
from .attention import *  # noqa: F401,F403 MultiheadAttention, Transformer*
from .embedding_bag import EmbeddingBag  # noqa: F401
from . import functional, init, utils

__all__ = ["Module", "Parameter", "Sequential", "ModuleList", "ModuleDict", "Identity", "Linear", "ReLU",
           "Sigmoid", "Tanh", "Softmax", "LogSoftmax", "Flatten", "Dropout", "Dropout1d", "Dropout2d", "Dropout3d", "AlphaDropout", "FeatureAlphaDropout", "MSELoss", "L1Loss",
           "NLLLoss", "CrossEntropyLoss", "BCEWithLogitsLoss", "BCELoss", "SmoothL1Loss", "HuberLoss", "LeakyReLU",
           "ELU", "GELU", "SiLU", "Softplus", "LayerNorm", "BatchNorm1d", "BatchNorm2d", "BatchNorm3d", "Embedding", "Conv2d",
           "MaxPool2d", "AvgPool2d", "AdaptiveAvgPool2d", "AdaptiveAvgPool1d", "GroupNorm", "Conv1d", "MaxPool1d", "AvgPool1d", "functional",
           "init", "utils",
           "RNNBase", "RNN", "LSTM", "GRU", "RNNCellBase", "RNNCell", "LSTMCell", "GRUCell",
           "ConvTranspose1d", "ConvTranspose2d", "EmbeddingBag"]

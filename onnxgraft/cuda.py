"""torch.cuda for onnxgraft's eager tensors: they live on the CPU, so CUDA is not available to
them, and `device = torch.device("cuda" if torch.cuda.is_available() else "cpu")` picks the CPU,
as PyTorch does on a machine without a GPU. Compiled training steps run on CUDA through
onnxruntime instead: `onnxgraft.compile(step, device="cuda")`."""


def is_available():
    """False: eager onnxgraft tensors are numpy arrays on the CPU."""
    return False


def device_count():
    return 0


def manual_seed(seed):
    """Seeds CUDA generators in PyTorch; eager onnxgraft has none, so (like PyTorch without a
    GPU) there is nothing to seed."""


manual_seed_all = manual_seed

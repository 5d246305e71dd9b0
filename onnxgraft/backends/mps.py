"""torch.backends.mps: Apple's Metal backend, never available to onnxgraft's numpy tensors."""


def is_available():
    return False


def is_built():
    return False

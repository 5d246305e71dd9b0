"""torch.backends.cudnn: settable flags with PyTorch's defaults; eager onnxgraft runs no cuDNN, so
they only keep programs that set them running."""
enabled = True
benchmark = False
deterministic = False
allow_tf32 = True


def is_available():
    return False


def version():
    """None, as PyTorch reports when cuDNN is not available."""
    return None

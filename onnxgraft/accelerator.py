"""torch.accelerator for onnxgraft's eager tensors: they are numpy arrays on the CPU, so there is
no accelerator, and `torch.accelerator.current_accelerator().type if torch.accelerator.is_available()
else "cpu"` (the PyTorch tutorials' device line) picks the CPU, as PyTorch does on a machine
without a GPU. Compiled steps reach a GPU through `onnxgraft.compile(step, device="cuda")` instead."""


def _none_available():
    raise RuntimeError("Cannot access accelerator device when none is available.")


def is_available():
    """False: eager onnxgraft tensors live on the CPU."""
    return False


def current_accelerator(check_available=False):
    """None: there is no accelerator device for eager tensors."""
    return None


def device_count():
    return 0


def current_device_index():
    _none_available()


def set_device_index(device):
    _none_available()


def synchronize(device=None):
    _none_available()


current_device_idx = current_device_index
set_device_idx = set_device_index

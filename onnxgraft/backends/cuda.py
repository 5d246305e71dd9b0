"""torch.backends.cuda: the matmul precision flags programs set, with PyTorch's defaults."""


class _MatmulFlags:
    """`torch.backends.cuda.matmul.allow_tf32 = True` and friends: plain settable attributes."""

    def __init__(self):
        self.allow_tf32 = False
        self.allow_fp16_reduced_precision_reduction = True
        self.allow_bf16_reduced_precision_reduction = True


matmul = _MatmulFlags()


def is_built():
    return False

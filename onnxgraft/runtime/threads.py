"""The thread count set with onnxgraft.set_num_threads (torch.set_num_threads)."""
import os

_SET = None


def get():
    """The count set by set_num_threads, else the cores this process may run on."""
    if _SET is not None:
        return _SET
    try:
        return len(os.sched_getaffinity(0))
    except AttributeError:  # no sched_getaffinity (macOS, Windows)
        return os.cpu_count() or 1


def set_(n):
    global _SET
    if isinstance(n, bool) or not isinstance(n, int) or n < 1:
        raise RuntimeError("set_num_threads expects a positive integer")
    _SET = n


def explicit():
    """The count set by set_num_threads, or None when it was never called."""
    return _SET

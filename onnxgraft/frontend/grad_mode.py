"""Grad mode: no_grad, enable_grad, set_grad_enabled, inference_mode.

One process-wide state object. PyTorch keeps grad mode per thread; onnxgraft is single-threaded
by design (its compiled steps run on onnxruntime's own threads), and a plain attribute keeps the
per-op cost low.
"""
import functools


class _State:
    __slots__ = ("grad_enabled", "inference", "tracer")

    def __init__(self):
        self.grad_enabled = True
        self.inference = False
        self.tracer = None  # the active capture (frontend.trace.Tracer), or None


STATE = _State()


def is_grad_enabled():
    return STATE.grad_enabled


def is_inference_mode_enabled():
    return STATE.inference


class _GradModeContext:
    """Base of the grad-mode context managers; each also works as a decorator."""
    _target = True

    def __enter__(self):
        self._prev = STATE.grad_enabled
        STATE.grad_enabled = self._target

    def __exit__(self, *exc):
        STATE.grad_enabled = self._prev
        return False

    def __call__(self, fn):
        @functools.wraps(fn)
        def wrapper(*args, **kwargs):
            with self.__class__():
                return fn(*args, **kwargs)
        return wrapper


class no_grad(_GradModeContext):
    """Context manager (and decorator) that disables gradient tracking."""
    _target = False


class enable_grad(_GradModeContext):
    """Context manager (and decorator) that enables gradient tracking, also inside no_grad."""
    _target = True


class set_grad_enabled(_GradModeContext):
    """`set_grad_enabled(False)` switches grad mode at once; used with `with`, it restores the
    previous mode on exit, as in PyTorch."""

    def __init__(self, mode):
        self._prev = STATE.grad_enabled
        self._target = bool(mode)
        STATE.grad_enabled = self._target

    def __enter__(self):
        pass

    def __exit__(self, *exc):
        STATE.grad_enabled = self._prev
        return False

    def __call__(self, fn):
        STATE.grad_enabled = self._prev
        target = self._target

        @functools.wraps(fn)
        def wrapper(*args, **kwargs):
            with set_grad_enabled(target):
                return fn(*args, **kwargs)
        return wrapper


# anomaly mode: [enabled, check_nan]. With both on, the engine raises when a backward function
# returns NaN (PyTorch also records forward tracebacks for its warnings; onnxgraft does not).
ANOMALY = [False, True]


def is_anomaly_enabled():
    return ANOMALY[0]


def is_anomaly_check_nan_enabled():
    return ANOMALY[1]


def set_anomaly_enabled(enabled, check_nan=True):
    ANOMALY[0], ANOMALY[1] = bool(enabled), bool(check_nan)


class set_detect_anomaly:
    """`set_detect_anomaly(True)` turns anomaly detection on at once; used with `with`, the
    previous setting comes back on exit, as in PyTorch."""

    def __init__(self, mode, check_nan=True):
        self.prev = tuple(ANOMALY)
        set_anomaly_enabled(mode, check_nan)

    def __enter__(self):
        pass

    def __exit__(self, *exc):
        set_anomaly_enabled(*self.prev)
        return False


class detect_anomaly:
    """Context manager (and decorator) turning anomaly detection on: a backward function that
    returns NaN raises "Function 'XBackward0' returned nan values in its 0th output."."""

    def __init__(self, check_nan=True):
        self.check_nan = check_nan

    def __enter__(self):
        import warnings
        warnings.warn("Anomaly Detection has been enabled. This mode will increase the runtime and should "
                      "only be enabled for debugging.", stacklevel=2)
        self.prev = tuple(ANOMALY)
        set_anomaly_enabled(True, self.check_nan)

    def __exit__(self, *exc):
        set_anomaly_enabled(*self.prev)
        return False

    def __call__(self, fn):
        check_nan = self.check_nan

        @functools.wraps(fn)
        def wrapper(*args, **kwargs):
            with detect_anomaly(check_nan):
                return fn(*args, **kwargs)
        return wrapper


class inference_mode(_GradModeContext):
    """Like no_grad, and tensors created inside are inference tensors (`is_inference()`)."""

    def __init__(self, mode=True):
        self.mode = bool(mode)

    def __enter__(self):
        self._prev = (STATE.grad_enabled, STATE.inference)
        if self.mode:
            STATE.grad_enabled, STATE.inference = False, True

    def __exit__(self, *exc):
        STATE.grad_enabled, STATE.inference = self._prev
        return False

    def __call__(self, fn):
        mode = self.mode

        @functools.wraps(fn)
        def wrapper(*args, **kwargs):
            with inference_mode(mode):
                return fn(*args, **kwargs)
        return wrapper

"""torch.testing for onnxgraft: `assert_close`, with PyTorch's tolerances and failure messages."""
import collections.abc
import math

import numpy as np

from .frontend.tensor import Tensor

__all__ = ["assert_close"]

# (rtol, atol) by dtype: PyTorch's defaults
_TOLERANCES = {"float16": (1e-3, 1e-5), "float32": (1.3e-6, 1e-5), "float64": (1e-7, 1e-7)}


def _fail(message, msg):
    if callable(msg):
        message = msg(message)
    elif msg is not None:
        message = msg
    raise AssertionError(message)


def _close(a, e, rtol, atol, equal_nan):
    with np.errstate(invalid="ignore", over="ignore"):
        ok = np.isclose(a, e, rtol=rtol, atol=atol, equal_nan=equal_nan) if a.dtype.kind in "fc" else \
            np.abs(a.astype(np.float64) - e.astype(np.float64)) <= atol + rtol * np.abs(e.astype(np.float64))
    return ok


def _number(x):
    return x.item() if hasattr(x, "item") else x


def _compare_scalars(actual, expected, rtol, atol, equal_nan, msg):
    a, e = float(actual), float(expected)
    if (math.isnan(a) and math.isnan(e) and equal_nan) or a == e or abs(a - e) <= atol + rtol * abs(e):
        return
    what = "equal" if rtol == 0 and atol == 0 else "close"
    abs_diff = abs(a - e)
    rel_diff = abs_diff / abs(e) if e != 0 else math.inf
    lines = [f"Scalars are not {what}!", "", f"Expected {_number(expected)} but got {_number(actual)}."]
    if what == "close":
        lines += [f"Absolute difference: {abs_diff} (up to {atol} allowed)",
                  f"Relative difference: {rel_diff} (up to {rtol} allowed)"]
    else:
        lines += [f"Absolute difference: {abs_diff}", f"Relative difference: {rel_diff}"]
    _fail("\n".join(lines), msg)


def _compare_tensors(actual, expected, rtol, atol, equal_nan, check_dtype, msg):
    if actual.shape != expected.shape:
        _fail(f"The values for attribute 'shape' do not match: {actual.shape} != {expected.shape}.", msg)
    if check_dtype and actual.dtype != expected.dtype:
        _fail(f"The values for attribute 'dtype' do not match: {actual.dtype} != {expected.dtype}.", msg)
    if rtol is None:
        rtol, atol = max((_TOLERANCES.get(str(t.dtype).replace("torch.", ""), (0.0, 0.0))
                          for t in (actual, expected)))
    a, e = actual.detach().numpy(), expected.detach().numpy()
    if a.dtype != e.dtype:
        common = np.result_type(a, e)
        a, e = a.astype(common), e.astype(common)
    if a.ndim == 0:
        return _compare_scalars(a.item(), e.item(), rtol, atol, equal_nan, msg)
    ok = _close(a, e, rtol, atol, equal_nan)
    if ok.all():
        return
    floating = a.dtype.kind == "f"
    work = a.dtype if floating else np.float32   # PyTorch's relative difference of integers is float32
    with np.errstate(invalid="ignore", divide="ignore", over="ignore"):
        abs_diff = np.abs(a - e) if floating else np.abs(a.astype(np.int64) - e.astype(np.int64))
        rel_diff = (abs_diff.astype(work) / np.abs(e).astype(work)).astype(work)
    n_bad, n = int((~ok).sum()), ok.size

    def greatest(diff):
        flat = diff.reshape(-1)
        nan = np.isnan(flat) if flat.dtype.kind == "f" else np.zeros(flat.shape, bool)
        i = int(np.argmax(nan)) if nan.any() else int(np.argmax(flat))
        return flat[i].item(), tuple(int(v) for v in np.unravel_index(i, diff.shape))

    what = "equal" if rtol == 0 and atol == 0 else "close"
    (ad, ai), (rd, ri) = greatest(abs_diff), greatest(rel_diff)
    lines = [f"Tensor-likes are not {what}!", "", f"Mismatched elements: {n_bad} / {n} ({100 * n_bad / n:.1f}%)"]
    if what == "close":
        lines += [f"Greatest absolute difference: {ad} at index {ai} (up to {atol} allowed)",
                  f"Greatest relative difference: {rd} at index {ri} (up to {rtol} allowed)"]
    else:
        lines += [f"Greatest absolute difference: {ad} at index {ai}",
                  f"Greatest relative difference: {rd} at index {ri}"]
    _fail("\n".join(lines), msg)


def assert_close(actual, expected, *, allow_subclasses=True, rtol=None, atol=None, equal_nan=False,
                 check_device=True, check_dtype=True, check_layout=True, check_stride=False, msg=None):
    """Raise AssertionError unless `actual` and `expected` are close: |a - e| <= atol + rtol * |e|
    elementwise, with the same shape and (by default) dtype. Tensors, Python numbers, and
    sequences or mappings of them (compared item by item) are accepted."""
    if (rtol is None) != (atol is None):
        raise ValueError(f"Both 'rtol' and 'atol' must be either specified or omitted, but got no "
                         f"{'rtol' if rtol is None else 'atol'}.")
    if isinstance(actual, Tensor) and isinstance(expected, Tensor):
        return _compare_tensors(actual, expected, rtol, atol, equal_nan, check_dtype, msg)
    numbers = (int, float, bool)
    if isinstance(actual, numbers) and isinstance(expected, numbers):
        if check_dtype and type(actual) is not type(expected):
            _fail(f"The values for attribute 'dtype' do not match: {type(actual)} != {type(expected)}.", msg)
        if rtol is None:
            rtol, atol = (1e-7, 1e-7) if isinstance(actual, float) else (0.0, 0.0)
        return _compare_scalars(actual, expected, rtol, atol, equal_nan, msg)
    if (isinstance(actual, collections.abc.Sequence) and isinstance(expected, collections.abc.Sequence)
            and not isinstance(actual, str) and not isinstance(expected, str)):
        if len(actual) != len(expected):
            _fail(f"The length of the sequences mismatch: {len(actual)} != {len(expected)}", msg)
        for i, (a, e) in enumerate(zip(actual, expected)):
            try:
                assert_close(a, e, rtol=rtol, atol=atol, equal_nan=equal_nan, check_dtype=check_dtype, msg=msg)
            except AssertionError as err:
                raise AssertionError(f"{err}\n\nThe failure occurred for item [{i}]") from None
        return
    if isinstance(actual, collections.abc.Mapping) and isinstance(expected, collections.abc.Mapping):
        if set(actual) != set(expected):
            _fail(f"The keys of the mappings do not match:\nMissing keys in the actual mapping: "
                  f"{sorted(set(expected) - set(actual))}\nExtra keys in the actual mapping: "
                  f"{sorted(set(actual) - set(expected))}", msg)
        for k in expected:
            try:
                assert_close(actual[k], expected[k], rtol=rtol, atol=atol, equal_nan=equal_nan,
                             check_dtype=check_dtype, msg=msg)
            except AssertionError as err:
                raise AssertionError(f"{err}\n\nThe failure occurred for item [{k!r}]") from None
        return
    raise TypeError(f"No comparison pair was able to handle inputs of type {_type_name(actual)} and "
                    f"{_type_name(expected)}.")


def _type_name(x):
    return "<class 'torch.Tensor'>" if isinstance(x, Tensor) else str(type(x))

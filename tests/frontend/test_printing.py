"""Tests for onnxgraft.frontend.printing.

Two groups:

* literal tests with hand-checked expected strings, which run everywhere;
* parity tests that compare against ``repr()`` of a real PyTorch tensor with
  the same values (skipped when torch is not installed).
"""

from __future__ import annotations

import math

import numpy as np
import pytest

from onnxgraft.frontend.printing import (
    format_tensor,
    get_printoptions,
    printoptions,
    set_printoptions,
)

_DEFAULTS = {
    "precision": 4,
    "threshold": 1000,
    "edgeitems": 3,
    "linewidth": 80,
    "sci_mode": None,
}


@pytest.fixture(autouse=True)
def _reset_printoptions():
    """Every test starts and ends with the default options (they are global)."""
    set_printoptions(profile="default")
    yield
    set_printoptions(profile="default")


@pytest.fixture
def torch():
    """The torch module, or skip; also restores torch's global print options."""
    torch = pytest.importorskip("torch")
    torch.set_printoptions(profile="default")
    yield torch
    torch.set_printoptions(profile="default")


# --------------------------------------------------------------------------
# Torch-free tests with literal expected output
# --------------------------------------------------------------------------

LITERAL_CASES = [
    (
        np.full((2, 2), 4.5, dtype=np.float32),
        [],
        "tensor([[4.5000, 4.5000],\n        [4.5000, 4.5000]])",
    ),
    (np.array(27.0, dtype=np.float32), ["grad_fn=<MeanBackward0>"], "tensor(27., grad_fn=<MeanBackward0>)"),
    (np.array([102.4, 1024.0, 0.1024], dtype=np.float32), [], "tensor([1.0240e+02, 1.0240e+03, 1.0240e-01])"),
    (
        np.ones((2, 2), dtype=np.float32),
        ["requires_grad=True"],
        "tensor([[1., 1.],\n        [1., 1.]], requires_grad=True)",
    ),
    (np.array(3, dtype=np.int64), [], "tensor(3)"),
    (np.array([True, False]), [], "tensor([ True, False])"),
    (np.array([1, -20, 300], dtype=np.int64), [], "tensor([  1, -20, 300])"),
    (np.array([1, 2], dtype=np.int32), [], "tensor([1, 2], dtype=torch.int32)"),
    (np.array([1.0, 2.5], dtype=np.float64), [], "tensor([1.0000, 2.5000], dtype=torch.float64)"),
    (np.array([1.0, 2.0], dtype=np.float16), ["requires_grad=True"],
     "tensor([1., 2.], dtype=torch.float16, requires_grad=True)"),
    (np.array([math.nan, math.inf, -math.inf, 1.0], dtype=np.float32), [], "tensor([nan, inf, -inf, 1.])"),
    (np.array([0.0, -0.0], dtype=np.float32), [], "tensor([0., -0.])"),
    (np.array([-1.5, 0.25], dtype=np.float32), [], "tensor([-1.5000,  0.2500])"),
    (np.zeros((0,), dtype=np.float32), [], "tensor([])"),
    (np.zeros((0, 3), dtype=np.float32), [], "tensor([], size=(0, 3))"),
    (np.zeros((0,), dtype=np.int32), [], "tensor([], dtype=torch.int32)"),
    (np.zeros((0,), dtype=np.int64), [], "tensor([], dtype=torch.int64)"),
    (np.zeros((2, 0), dtype=np.bool_), [], "tensor([], size=(2, 0), dtype=torch.bool)"),
    (
        np.arange(8, dtype=np.float32).reshape(2, 2, 2),
        [],
        "tensor([[[0., 1.],\n         [2., 3.]],\n\n        [[4., 5.],\n         [6., 7.]]])",
    ),
    (
        np.arange(2000, dtype=np.int64),
        [],
        "tensor([   0,    1,    2,  ..., 1997, 1998, 1999])",
    ),
    (
        # 9 elements of width 6 fill the line exactly, so the suffix wraps.
        np.full(9, 0.5, dtype=np.float32),
        ["requires_grad=True"],
        "tensor([0.5000, 0.5000, 0.5000, 0.5000, 0.5000, 0.5000, 0.5000, 0.5000, 0.5000],\n"
        "       requires_grad=True)",
    ),
]


@pytest.mark.parametrize(("array", "suffixes", "expected"), LITERAL_CASES)
def test_literal(array, suffixes, expected):
    assert format_tensor(array, suffixes=suffixes) == expected


def test_long_vector_wraps_at_linewidth():
    out = format_tensor(np.arange(30, dtype=np.float32) + 0.5, suffixes=[])
    lines = out.split("\n")
    assert lines[0] == (
        "tensor([ 0.5000,  1.5000,  2.5000,  3.5000,  4.5000,  5.5000,  6.5000,  7.5000,"
    )
    assert all(len(line) <= 80 for line in lines)
    assert lines[1].startswith(" " * 8 + " 8.5000")


def test_set_printoptions_precision_and_sci_mode():
    arr = np.array([1.0 / 3.0, 2.0], dtype=np.float32)
    set_printoptions(precision=2)
    assert format_tensor(arr, suffixes=[]) == "tensor([0.33, 2.00])"
    set_printoptions(sci_mode=True)  # also keeps precision=2
    assert format_tensor(arr, suffixes=[]) == "tensor([3.33e-01, 2.00e+00])"
    set_printoptions(profile="default")
    assert format_tensor(arr, suffixes=[]) == "tensor([0.3333, 2.0000])"


def test_printoptions_context_manager_restores():
    with printoptions(threshold=5, edgeitems=1):
        assert format_tensor(np.arange(10), suffixes=[]) == "tensor([0,  ..., 9])"
    assert get_printoptions() == _DEFAULTS
    assert format_tensor(np.arange(10), suffixes=[]) == "tensor([0, 1, 2, 3, 4, 5, 6, 7, 8, 9])"


def test_unsupported_dtype_raises():
    with pytest.raises(TypeError):
        format_tensor(np.array([1 + 2j]), suffixes=[])


# --------------------------------------------------------------------------
# Parity with real PyTorch
# --------------------------------------------------------------------------

def _rng(seed: int) -> np.random.Generator:
    return np.random.default_rng(seed)


def _randn(shape, scale=1.0, dtype=np.float32, seed=0):
    return (_rng(seed).standard_normal(shape) * scale).astype(dtype)


def _f32(values):
    return np.array(values, dtype=np.float32)


NAN, INF = math.nan, math.inf

# Floating arrays: each is checked plain, with requires_grad=True and with a grad_fn.
FLOAT_CASES = {
    # random normal values across many scales (fixed / sci notation choice)
    **{f"randn_scale_{s:g}": _randn((7,), s, seed=i) for i, s in enumerate(
        [1e-20, 1e-6, 1e-4, 1e-3, 1e-2, 0.1, 1.0, 10.0, 100.0, 1e3, 1e4, 1e5, 1e7, 1e9, 1e20]
    )},
    **{f"randn_2d_scale_{s:g}": _randn((3, 4), s, seed=100 + i) for i, s in enumerate(
        [1e-5, 0.5, 1.0, 50.0, 1e6]
    )},
    # integer-valued floats ("int mode")
    "int_valued": _f32([1, 2, 3]),
    "int_valued_negative": _f32([-1, 20, -300]),
    "int_valued_big": _f32([1e7, 3, 12345678]),
    "int_valued_sci": _f32([1, 1e9]),
    "int_valued_ratio": _f32([1, 2000]),
    "arange_2d": np.arange(12, dtype=np.float32).reshape(3, 4),
    # mixed magnitudes and the thresholds of the sci-mode rule
    "mixed_magnitudes": _f32([1e-5, 1.0, 1e5]),
    "ratio_just_below_1000": _f32([0.001, 0.9]),
    "ratio_exactly_1000": np.array([0.5, 500.0], dtype=np.float64),
    "ratio_above_1000": _f32([0.5, 500.5]),
    "max_exactly_1e8": np.array([1e8, 1.5], dtype=np.float64),
    "min_exactly_1e-4": np.array([1e-4, 0.05], dtype=np.float64),
    "tiny_and_huge": _f32([1e-30, 1e30]),
    "rounding_widens": _f32([9.99996, 0.5]),
    "rounding_to_one": _f32([0.99995, 0.1]),
    "half_way_values": _f32([0.00005, 0.00015, 0.5]),
    # nan / inf / zeros
    "nan_inf_mixed": _f32([NAN, 1.5, INF, -INF]),
    "all_nan": _f32([NAN, NAN]),
    "only_nonfinite": _f32([NAN, INF, -INF]),
    "zero_and_nan": _f32([0.0, NAN]),
    "int_valued_with_nan": _f32([1.0, NAN, INF, -3.0]),
    "sci_with_nan": _f32([1e-5, NAN, 1e5, -INF]),
    "zeros_1d": np.zeros(3, dtype=np.float32),
    "zeros_2d": np.zeros((2, 2), dtype=np.float32),
    "negative_zero": _f32([0.0, -0.0, 1.5]),
    "negative_zero_int_mode": _f32([-0.0, 2.0]),
    # 0-d tensors
    "scalar_27": np.array(27.0, dtype=np.float32),
    "scalar_pi_neg": np.array(-3.14159, dtype=np.float32),
    "scalar_nan": np.array(NAN, dtype=np.float32),
    "scalar_inf": np.array(-INF, dtype=np.float32),
    "scalar_tiny": np.array(1e-10, dtype=np.float32),
    "scalar_neg_zero": np.array(-0.0, dtype=np.float32),
    "scalar_f64": np.array(1.0 / 3.0, dtype=np.float64),
    "scalar_f16": np.array(0.1, dtype=np.float16),
    # shapes
    "shape_1x1x1": _f32([[[2.5]]]),
    "shape_3x1": _randn((3, 1), seed=7),
    "shape_1x5": _randn((1, 5), seed=8),
    "shape_2x3x4": _randn((2, 3, 4), seed=9),
    "shape_2x2x2x3": _randn((2, 2, 2, 3), seed=10),
    "wide_rows_wrap": _randn((3, 20), seed=11),
    "wide_3d_wrap": _randn((2, 2, 15), 100.0, seed=12),
    "long_vector_wrap": _randn((40,), seed=13),
    "vector_exactly_one_line": np.full(9, 0.25, dtype=np.float32),
    "vector_seven_items": np.full(7, 0.25, dtype=np.float32),
    "transposed_view": _randn((4, 3), seed=14).T,
    "strided_view": _randn((20,), seed=15)[::3],
    # large (summarized) tensors
    "large_vector": _randn((2000,), seed=16),
    "large_matrix": _randn((50, 50), seed=17),
    "large_3d": _randn((10, 10, 20), seed=18),
    "large_4d": _randn((10, 10, 10, 10), seed=19),
    "large_few_rows": _randn((3, 400), seed=20),
    "large_hidden_outlier": np.concatenate(
        [np.ones(500, np.float32), _f32([1e9]), np.full(500, 2.0, np.float32)]
    ),
    "large_arange_f64": np.arange(2000, dtype=np.float64).reshape(20, 100) / 7,
    "just_above_threshold": np.arange(1001, dtype=np.float32),
    "at_threshold": np.arange(1000, dtype=np.float32),
    # other floating dtypes
    "f64_randn": _randn((2, 3), dtype=np.float64, seed=21),
    "f64_third": np.array([1 / 3, 2 / 3, 1.0], dtype=np.float64),
    "f64_huge": np.array([1e300, -2.5e-300, 1.0], dtype=np.float64),
    "f64_int_valued": np.array([1.0, 2.0, 1e15], dtype=np.float64),
    "f16_randn": _randn((2, 4), dtype=np.float16, seed=22),
    "f16_large": np.array([60000.0, -1.0, 0.5], dtype=np.float16),
    "f16_subnormal": np.array([1e-7, 1.0], dtype=np.float16),
    "f16_nan_inf": np.array([NAN, INF, 2.0], dtype=np.float16),
    "empty_f32": np.zeros((0,), dtype=np.float32),
    "empty_2d_f32": np.zeros((0, 3), dtype=np.float32),
    "empty_3d_f64": np.zeros((2, 0, 4), dtype=np.float64),
    "empty_f16": np.zeros((0,), dtype=np.float16),
}

# Integer and bool arrays (these cannot require grad in PyTorch).
OTHER_CASES = {
    "int64_scalar": np.array(3, dtype=np.int64),
    "int64_negative": _rng(30).integers(-1000, 1000, size=(3, 5)),
    "int64_huge": np.array([2**62, -(2**62), 7], dtype=np.int64),
    "int64_large_summarized": np.arange(3000, dtype=np.int64).reshape(30, 100),
    "int64_long_vector_wrap": _rng(31).integers(0, 10**6, size=40),
    "int32": _rng(32).integers(-50, 50, size=(2, 3, 2)).astype(np.int32),
    "int32_scalar": np.array(-7, dtype=np.int32),
    "int16": np.array([-32768, 0, 32767], dtype=np.int16),
    "int8": np.array([-128, 5, 127], dtype=np.int8),
    "uint8": np.array([[0, 255], [17, 3]], dtype=np.uint8),
    "uint8_large": np.arange(2000, dtype=np.int64).astype(np.uint8),
    "bool_1d": np.array([True, False, True]),
    "bool_all_true": np.array([True, True]),
    "bool_2d": _rng(33).integers(0, 2, size=(3, 4)).astype(bool),
    "bool_scalar": np.array(False),
    "bool_large": (np.arange(1500) % 3 == 0),
    "empty_int64": np.zeros((0,), dtype=np.int64),
    "empty_2d_int32": np.zeros((0, 3), dtype=np.int32),
    "empty_bool": np.zeros((0,), dtype=bool),
    "empty_uint8_3d": np.zeros((1, 0, 2), dtype=np.uint8),
    "empty_int8": np.zeros((0,), dtype=np.int8),
}


def _autograd_suffixes(t) -> list[str]:
    """The suffixes torch adds for autograd state, as a caller would pass them."""
    if t.grad_fn is not None:
        return [f"grad_fn=<{type(t.grad_fn).__name__}>"]
    if t.requires_grad:
        return ["requires_grad=True"]
    return []


def _check_against_torch(t) -> None:
    """format_tensor on t's values must equal repr(t) exactly."""
    expected = repr(t)
    actual = format_tensor(t.detach().numpy(), suffixes=_autograd_suffixes(t))
    assert actual == expected, f"\nours:  {actual!r}\ntorch: {expected!r}"
    assert str(t) == expected  # str and repr are the same in torch


@pytest.mark.parametrize("mode", ["plain", "requires_grad", "grad_fn"])
@pytest.mark.parametrize("name", list(FLOAT_CASES))
def test_float_matches_torch(torch, name, mode):
    t = torch.tensor(FLOAT_CASES[name])
    if mode == "requires_grad":
        t.requires_grad_()
    elif mode == "grad_fn":
        # Multiplying by one keeps every value bit-exact (nan, inf, -0.0).
        t = t.requires_grad_() * 1
    _check_against_torch(t)


@pytest.mark.parametrize("name", list(OTHER_CASES))
def test_int_and_bool_match_torch(torch, name):
    _check_against_torch(torch.tensor(OTHER_CASES[name]))


# Operations producing various grad_fn names, some long enough to force the
# suffix onto its own line.
GRAD_FN_OPS = {
    "add": lambda torch, x: x + x,
    "mean": lambda torch, x: x.mean(),
    "sum_0d": lambda torch, x: x.sum(),
    "reshape": lambda torch, x: x.reshape(-1),
    "transpose": lambda torch, x: x.t(),
    "layer_norm": lambda torch, x: torch.nn.functional.layer_norm(x, x.shape[-1:]),
    "bce_logits": lambda torch, x: torch.nn.functional.binary_cross_entropy_with_logits(
        x, torch.ones_like(x)
    ),
    "exp_large": lambda torch, x: (x * 10).exp(),
}


@pytest.mark.parametrize("dtype", [np.float32, np.float64])
@pytest.mark.parametrize("op", list(GRAD_FN_OPS))
def test_grad_fn_names_match_torch(torch, op, dtype):
    x = torch.tensor(_randn((3, 8), dtype=dtype, seed=40), requires_grad=True)
    _check_against_torch(GRAD_FN_OPS[op](torch, x))


@pytest.mark.parametrize("length", range(1, 21))
def test_suffix_wrapping_matches_torch(torch, length):
    """Vectors of growing length move the suffixes to a new line at some point."""
    values = _randn((length,), seed=50 + length, dtype=np.float64)
    _check_against_torch(torch.tensor(values, requires_grad=True))
    _check_against_torch(torch.tensor(values.astype(np.float32), requires_grad=True) * 1)


PRINT_OPTIONS = {
    "precision_2": dict(precision=2),
    "precision_0": dict(precision=0),
    "precision_8": dict(precision=8),
    "sci_on": dict(sci_mode=True),
    "sci_off": dict(sci_mode=False),
    "linewidth_40": dict(linewidth=40),
    "linewidth_120": dict(linewidth=120),
    "threshold_10": dict(threshold=10),
    "edgeitems_1": dict(threshold=10, edgeitems=1),
    "edgeitems_0_summarized": dict(threshold=10, edgeitems=0),
    "edgeitems_0_full": dict(edgeitems=0),
    "profile_short": dict(profile="short"),
    "profile_full": dict(profile="full"),
    "profile_short_override": dict(profile="short", precision=6, linewidth=60),
}

OPTION_ARRAYS = {
    "randn_vec": _randn((30,), seed=60),
    "randn_3d": _randn((4, 5, 6), 10.0, seed=61),
    "mixed": _f32([1e-5, NAN, 1e5, -2.0]),
    "ints": np.arange(-20, 20, dtype=np.int64).reshape(5, 8),
    "f64_int_valued": np.arange(2000, dtype=np.float64),
    "scalar": np.array(1.0 / 7.0, dtype=np.float32),
}


@pytest.mark.parametrize("arr_name", list(OPTION_ARRAYS))
@pytest.mark.parametrize("opt_name", list(PRINT_OPTIONS))
def test_printoptions_match_torch(torch, opt_name, arr_name):
    options = PRINT_OPTIONS[opt_name]
    torch.set_printoptions(**options)
    set_printoptions(**options)
    t = torch.tensor(OPTION_ARRAYS[arr_name])
    if t.is_floating_point():
        t.requires_grad_()
    _check_against_torch(t)


def test_get_printoptions_matches_torch(torch):
    set_printoptions(profile="short", sci_mode=True)
    torch.set_printoptions(profile="short", sci_mode=True)
    assert get_printoptions() == torch._tensor_str.get_printoptions()


@pytest.mark.parametrize("seed", range(20))
def test_random_fuzz_matches_torch(torch, seed):
    """Random shapes, dtypes, scales and special values."""
    rng = _rng(1000 + seed)
    ndim = int(rng.integers(0, 5))
    shape = tuple(int(d) for d in rng.integers(1, 6, size=ndim))
    dtype = [np.float32, np.float64, np.float16][seed % 3]
    values = rng.standard_normal(shape) * 10.0 ** rng.integers(-6, 7)
    if seed % 2:
        values = np.round(values)
    with np.errstate(over="ignore"):  # float16 overflow to inf is a fine case
        arr = np.asarray(values).astype(dtype)
    if arr.ndim and seed % 4 == 3:
        flat = arr.reshape(-1)
        flat[rng.integers(0, flat.size)] = [NAN, INF, -INF, -0.0][seed % 4]
    _check_against_torch(torch.tensor(arr, requires_grad=bool(seed % 5 == 0)))

"""Small data sets shipped inside the package, for examples, tests and benchmarks.

Everything here returns numpy arrays (turn them into tensors with `onnxgraft.from_numpy`) and
reads package data through importlib.resources: no network access and no scikit-learn.
"""
import functools
import importlib.resources
import io

import numpy as np

DIABETES_FEATURES = ("age", "sex", "bmi", "bp", "s1", "s2", "s3", "s4", "s5", "s6")


@functools.lru_cache(maxsize=1)
def _diabetes_raw():
    text = importlib.resources.files(__package__).joinpath("data/diabetes.csv").read_text()
    header, _, body = text.partition("\n")
    names = tuple(header.strip().split(","))
    if names != DIABETES_FEATURES + ("target",):
        raise RuntimeError(f"onnxgraft/data/diabetes.csv has an unexpected header {header!r}; "
                           "the package data is damaged, reinstall onnxgraft")
    table = np.loadtxt(io.StringIO(body), delimiter=",", dtype=np.float64)
    table.setflags(write=False)  # cached and shared: callers get copies
    return table


def load_diabetes(standardize=True, standardize_target=False):
    """The diabetes regression data (Efron et al. 2004, "Least Angle Regression"): 442 patients,
    10 baseline features, and disease progression one year later as the target.

    Returns `(X, y)`: float32 numpy arrays of shapes (442, 10) and (442, 1).

    standardize: scale the features as scikit-learn's `load_diabetes(scaled=True)` does: each
        column centered and divided by its standard deviation times sqrt(442), so every column
        has mean 0 and sum of squares 1 (multiply by sqrt(442) for unit variance).
        False gives the raw measurements (age in years, sex coded 1/2, ...).
    standardize_target: center the target and divide it by its standard deviation, so that
        predicting the mean scores a mean squared error of exactly 1. False gives the raw
        target (25 to 346), as scikit-learn does.

    Columns are described in onnxgraft/data/README.md (also `DIABETES_FEATURES`).
    """
    table = _diabetes_raw()
    X, y = table[:, :10], table[:, 10:]
    # standardize in float64, then round once to float32
    if standardize:
        X = (X - X.mean(axis=0)) / (X.std(axis=0) * np.sqrt(X.shape[0]))
    if standardize_target:
        y = (y - y.mean()) / y.std()
    return X.astype(np.float32), y.astype(np.float32)


def train_test_split(*arrays, test_size=0.25, seed=0, shuffle=True):
    """Split arrays along their first axis into train and test parts, deterministically.

    Returns `[a_train, a_test, b_train, b_test, ...]`, as scikit-learn's function does.
    test_size: a fraction in (0, 1) or a number of rows; the test part has ceil(fraction * n)
    rows. The shuffle is a permutation from `numpy.random.default_rng(seed)`, so the same seed
    gives the same split on every platform and numpy version that keeps that generator stable.
    """
    if not arrays:
        raise ValueError("train_test_split: give at least one array")
    n = len(arrays[0])
    for i, a in enumerate(arrays):
        if len(a) != n:
            raise ValueError(f"train_test_split: all arrays need the same number of rows; array 0 has "
                             f"{n} and array {i} has {len(a)}")
    if isinstance(test_size, float):
        if not 0.0 < test_size < 1.0:
            raise ValueError(f"train_test_split: test_size={test_size} must lie strictly between 0 and 1 "
                             "when it is a fraction")
        n_test = int(np.ceil(test_size * n))
    else:
        n_test = int(test_size)
    if not 0 < n_test < n:
        raise ValueError(f"train_test_split: test_size={test_size} leaves {n - n_test} of {n} rows for "
                         "training; both parts need at least one row")
    order = np.random.default_rng(seed).permutation(n) if shuffle else np.arange(n)
    train_idx, test_idx = order[: n - n_test], order[n - n_test:]
    out = []
    for a in arrays:
        a = np.asarray(a)
        out.extend((a[train_idx], a[test_idx]))
    return out


__all__ = ["load_diabetes", "train_test_split", "DIABETES_FEATURES"]

"""Input checks shared by every public function.

Each check raises a ``TypeError`` or ``ValueError`` whose message names the
argument, the problem and the shapes involved, so a learner never has to
decode a broadcasting error from deep inside NumPy.
"""

from __future__ import annotations

import numbers
import os
import sys
import warnings

import numpy as np

_PACKAGE_DIR = os.path.dirname(os.path.abspath(__file__)) + os.sep


class NNLibWarning(UserWarning):
    """A classic beginner's mistake that nnlib noticed but that does not stop the code.

    The message is one sentence naming the slip and the fix. Tests assert it with
    ``pytest.warns(NNLibWarning, match=...)``; ``docs/mistakes.md`` lists every one.
    """


def warn(message: str) -> None:
    """Emit ``message`` as an :class:`NNLibWarning` that points at the caller's own line.

    The warning is attributed to the first frame outside the nnlib package, so a
    notebook shows the learner's line, not a line inside nnlib.
    """
    frame, level = sys._getframe(1), 2
    while frame is not None and frame.f_code.co_filename.startswith(_PACKAGE_DIR):
        frame, level = frame.f_back, level + 1
    warnings.warn(message, NNLibWarning, stacklevel=level)


def as_array(x, name: str, *, ndim: int | tuple[int, ...] | None = None,
             dtype=np.float64, allow_empty: bool = False, finite: bool = True) -> np.ndarray:
    """Convert ``x`` to a float array and check it.

    Raises ``TypeError`` for non-numeric input and ``ValueError`` for a wrong
    number of dimensions, an empty array or NaN/inf values.
    """
    if x is None:
        raise TypeError(f"{name} is None: expected a number or an array of numbers")
    if isinstance(x, (str, bytes, dict, set)):
        raise TypeError(f"{name} must be a number or an array of numbers, got {type(x).__name__}")
    try:
        arr = np.asarray(x)
    except Exception as exc:  # ragged lists and similar
        raise TypeError(f"{name} could not be turned into an array: {exc}") from None
    if arr.dtype == object or not (np.issubdtype(arr.dtype, np.number)
                                   or np.issubdtype(arr.dtype, np.bool_)):
        raise TypeError(f"{name} must hold numbers, got dtype {arr.dtype} "
                        f"(is it a ragged list or a list of strings?)")
    if np.iscomplexobj(arr):
        raise TypeError(f"{name} must hold real numbers, got complex values")
    if dtype is not None:
        arr = arr.astype(dtype, copy=False)
    if ndim is not None:
        allowed = (ndim,) if isinstance(ndim, int) else ndim
        if arr.ndim not in allowed:
            want = " or ".join(f"{d}-D" for d in allowed)
            raise ValueError(f"{name} must be {want}, got shape {arr.shape}")
    if not allow_empty and arr.size == 0:
        raise ValueError(f"{name} is empty (shape {arr.shape}): need at least one value")
    if finite and not np.all(np.isfinite(arr)):
        bad = int(np.size(arr) - np.count_nonzero(np.isfinite(arr)))
        raise ValueError(f"{name} contains {bad} NaN or inf value(s) (shape {arr.shape})")
    return arr


def same_shape(a: np.ndarray, b: np.ndarray, name_a: str, name_b: str) -> None:
    """Refuse two arrays of different shapes instead of letting them broadcast."""
    if a.shape != b.shape:
        hint = ""
        if a.ndim + b.ndim == 3 and a.size == b.size:
            hint = " (one is a column (n, 1), the other flat (n,): use .reshape(-1))"
        raise ValueError(f"{name_a} has shape {a.shape} but {name_b} has shape {b.shape}: "
                         f"they must match{hint}")


def positive_number(x, name: str, *, integer: bool = False, allow_zero: bool = False):
    """Check a scalar hyper-parameter such as ``lr`` or ``batch_size``."""
    kind = numbers.Integral if integer else numbers.Real
    if isinstance(x, bool) or not isinstance(x, kind):
        what = "an integer" if integer else "a number"
        raise TypeError(f"{name} must be {what}, got {x!r} ({type(x).__name__})")
    if not np.isfinite(x):
        raise ValueError(f"{name} must be finite, got {x}")
    if x < 0 or (x == 0 and not allow_zero):
        bound = ">= 0" if allow_zero else "> 0"
        raise ValueError(f"{name} must be {bound}, got {x}")
    return x


def labels(y, name: str, num_classes: int | None = None) -> np.ndarray:
    """Check a 1-D array of integer class labels in ``0 .. num_classes-1``."""
    arr = np.asarray(y)
    if arr.dtype != object and arr.size == 0:  # np.asarray([]) is float: say "empty", not "dtype"
        raise ValueError(f"{name} is empty (shape {arr.shape}): need at least one label")
    if arr.dtype == object or not (np.issubdtype(arr.dtype, np.integer)
                                   or (np.issubdtype(arr.dtype, np.floating)
                                       and arr.size and np.all(np.isfinite(arr))
                                       and np.all(arr == np.round(arr)))):
        raise TypeError(f"{name} must hold integer class labels, got dtype {arr.dtype}")
    if arr.ndim == 2 and arr.shape[1] == 1:
        raise ValueError(f"{name} must be a 1-D array of labels, got a column of shape "
                         f"{arr.shape}: use {name}.reshape(-1)")
    if (arr.ndim == 2 and arr.shape[1] > 1 and np.all((arr == 0) | (arr == 1))
            and np.all(arr.sum(axis=1) == 1)):
        raise ValueError(f"{name} looks one-hot (shape {arr.shape}, a single 1 in each row), but "
                         f"integer class labels of shape ({arr.shape[0]},) are expected: "
                         f"use {name}.argmax(axis=1)")
    if arr.ndim != 1:
        raise ValueError(f"{name} must be a 1-D array of labels, got shape {arr.shape}")
    if arr.size == 0:
        raise ValueError(f"{name} is empty: need at least one label")
    arr = arr.astype(np.int64)
    if num_classes is not None and (arr.min() < 0 or arr.max() >= num_classes):
        raise ValueError(f"{name} has labels from {arr.min()} to {arr.max()}, but there are "
                         f"only {num_classes} classes (valid labels are 0..{num_classes - 1})")
    return arr

"""Lesson 02: loss functions, and their gradients with respect to ``y_hat``.

All losses are means over samples, so their size does not grow with ``n``.
"""

from __future__ import annotations

import numpy as np

from .activations import log_softmax, softmax
from .validate import as_array, labels, same_shape, warn


def looks_like_probabilities(Z) -> bool:
    """Whether every row of ``Z`` (n, K), K ≥ 2, is in [0, 1] and sums to 1 (softmax output).

    Real logits almost never do: they are unbounded scores, often negative. Rows whose
    entries are all equal are not counted: equal logits are common and ambiguous.
    """
    if Z.ndim != 2 or Z.shape[1] < 2 or Z.size == 0:
        return False
    a, b, c = Z[0, 0], Z[0, -1], Z[-1, -1]  # three entries: no reduction for most logits
    if not (0 <= a <= 1 and 0 <= b <= 1 and 0 <= c <= 1) or Z.min() < 0:
        return False
    if np.all(Z == Z[:, :1]):  # equal scores in every row: as likely logits (all 0.5, say)
        return False
    tol = 32 * Z.shape[1] * np.finfo(Z.dtype).eps  # softmax rows sum to 1 up to rounding
    return bool(np.all(np.abs(Z.sum(axis=1) - 1) <= tol))


def _warn_if_probabilities(logits, func: str) -> None:
    if looks_like_probabilities(logits):
        warn(f"{func} got rows that look like probabilities (each ≥ 0 and summing to 1), but it "
             f"applies softmax itself: pass the logits Z, before softmax")


def _pair(y_hat, y):
    y_hat = as_array(y_hat, "y_hat", dtype=None if isinstance(y_hat, np.ndarray)
                     and np.issubdtype(y_hat.dtype, np.floating) else np.float64)
    y = as_array(y, "y", dtype=y_hat.dtype)
    same_shape(y_hat, y, "y_hat", "y")
    return y_hat, y


def mse(y_hat, y) -> float:
    """Mean squared error ``L = (1/n) Σ_i (ŷ_i − y_i)²``.

    ``y_hat`` (predictions ŷ of a regression model) and ``y`` (targets) have the
    same shape (any); n counts all their elements. Returns a float. Errors:
    ``ValueError`` for different shapes, empty arrays or NaN/inf.
    """
    y_hat, y = _pair(y_hat, y)
    d = y_hat - y
    return float(np.mean(d * d))


def mse_grad(y_hat, y):
    """``∂L/∂ŷ_i = 2 (ŷ_i - y_i) / n`` for :func:`mse` (n = number of elements).

    Returns an array shaped like ``y_hat``.
    """
    y_hat, y = _pair(y_hat, y)
    return 2 * (y_hat - y) / y_hat.size


def mae(y_hat, y) -> float:
    """Mean absolute error ``L = (1/n) Σ |ŷ_i - y_i|``.

    ``y_hat`` and ``y`` have the same shape (any); returns a float.
    """
    y_hat, y = _pair(y_hat, y)
    return float(np.mean(np.abs(y_hat - y)))


def mae_grad(y_hat, y):
    """``∂L/∂ŷ_i = sign(ŷ_i - y_i) / n`` for :func:`mae` (0 where ŷ_i = y_i).

    Returns an array shaped like ``y_hat``.
    """
    y_hat, y = _pair(y_hat, y)
    return np.sign(y_hat - y) / y_hat.size


def _logits_labels(logits, y):
    logits = as_array(logits, "logits", ndim=2, dtype=None if isinstance(logits, np.ndarray)
                      and np.issubdtype(logits.dtype, np.floating) else np.float64)
    y = labels(y, "y", num_classes=logits.shape[1])
    if y.shape[0] != logits.shape[0]:
        raise ValueError(f"logits has {logits.shape[0]} rows (shape {logits.shape}) but y has "
                         f"{y.shape[0]} labels: one label per sample is needed")
    return logits, y


def cross_entropy(logits, y) -> float:
    """Softmax cross-entropy ``L = -(1/n) Σ_i log p_i[y_i]`` with ``p_i = softmax(z_i)``.

    ``logits``: (n, K) raw scores ``Z`` (not probabilities); ``y``: (n,) integer
    labels in 0..K-1. Uses a stable log-softmax, so huge logits give a finite loss.
    """
    logits, y = _logits_labels(logits, y)
    _warn_if_probabilities(logits, "cross_entropy")
    logp = log_softmax(logits)
    return float(-np.mean(logp[np.arange(len(y)), y]))


def cross_entropy_grad(logits, y):
    """``dZ = ∂L/∂Z = (P − onehot(y, K)) / n`` for :func:`cross_entropy`, with ``P = softmax(Z)``.

    ``logits``: (n, K), ``y``: (n,) labels -> ``dZ``: (n, K). Row i of
    ``onehot(y, K)`` is ``e_{y_i}``.
    """
    logits, y = _logits_labels(logits, y)
    _warn_if_probabilities(logits, "cross_entropy_grad")
    p = softmax(logits)
    p[np.arange(len(y)), y] -= 1
    return p / len(y)


def cross_entropy_with_grad(logits, y):
    """``(cross_entropy(logits, y), cross_entropy_grad(logits, y))`` from one softmax.

    ``logits``: (n, K), ``y``: (n,) int labels -> ``(loss, dZ)`` with dZ: (n, K).

    The fast path that :func:`nnlib.train.fit` takes on every mini-batch: the
    same maths (and the same numbers) as the two functions above, but the
    exponentials are computed once and the inputs are *not* checked, because
    ``fit`` checks the labels once before training. NaN or inf logits give a
    NaN loss, which ``fit`` reports as divergence.
    """
    rows = np.arange(len(y))
    shifted = logits - logits.max(axis=1, keepdims=True)  # every exponent ≤ 0: no overflow
    e = np.exp(shifted)
    total = e.sum(axis=1, keepdims=True)
    logp_true = shifted[rows, y] - np.log(total[:, 0])    # log softmax(z_i)[y_i]
    loss = float(-logp_true.sum() / len(y))
    grad = e / total                                      # softmax(z)
    grad[rows, y] -= 1
    grad /= len(y)
    return loss, grad


def accuracy(logits, y) -> float:
    """Fraction of samples whose largest logit is the true label: ``mean_i 𝟙[argmax_k z_ik = y_i]``.

    ``logits``: (n, K), ``y``: (n,) labels -> a float in [0, 1].
    """
    logits, y = _logits_labels(logits, y)
    return float(np.mean(np.argmax(logits, axis=1) == y))


LOSSES = {"mse": (mse, mse_grad), "mae": (mae, mae_grad),
          "cross_entropy": (cross_entropy, cross_entropy_grad)}

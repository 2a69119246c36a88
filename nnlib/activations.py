"""Lesson 04: activation functions and their derivatives.

Every function acts elementwise on a number or an array of pre-activations ``z``
and returns an array of the same shape: ``z: (...) -> a: (...)``. ``softmax``
and ``log_softmax`` normalise along one axis, also keeping the shape.
"""

from __future__ import annotations

import numpy as np

from .validate import as_array


def _z(z):
    return as_array(z, "z", dtype=None if isinstance(z, np.ndarray) and
                    np.issubdtype(z.dtype, np.floating) else np.float64)


def step(z):
    """Heaviside step ``a = 1 if z > 0 else 0``: the original perceptron's activation."""
    return (_z(z) > 0).astype(float)


def relu(z):
    """Rectified linear unit ``a = max(0, z)``."""
    return np.maximum(_z(z), 0)


def relu_grad(z):
    """``d relu / dz = 1 if z > 0 else 0`` (we take 0 at z = 0)."""
    z = _z(z)
    return (z > 0).astype(z.dtype)


def sigmoid(z):
    """Logistic sigmoid ``σ(z) = 1 / (1 + e^{-z})``, computed without overflow.

    Uses ``e^{-|z|}`` so the exponent is never positive.
    """
    z = _z(z)
    e = np.exp(-np.abs(z))
    return np.where(z >= 0, 1 / (1 + e), e / (1 + e))


def sigmoid_grad(z):
    """``σ'(z) = σ(z) (1 - σ(z))``."""
    s = sigmoid(z)
    return s * (1 - s)


def tanh(z):
    """Hyperbolic tangent ``tanh(z) = (e^z - e^{-z}) / (e^z + e^{-z})``."""
    return np.tanh(_z(z))


def tanh_grad(z):
    """``tanh'(z) = 1 - tanh(z)²``."""
    t = np.tanh(_z(z))
    return 1 - t * t


def softmax(z, axis: int = -1):
    """Softmax ``p_k = e^{z_k} / Σ_j e^{z_j}`` along ``axis``: logits z (n, K) -> p (n, K).

    Each row of ``p`` sums to 1.

    Subtracting ``max_j z_j`` first leaves the result unchanged and keeps every
    exponent ≤ 0, so large logits never overflow.
    """
    z = _z(z)
    shifted = z - np.max(z, axis=axis, keepdims=True)
    e = np.exp(shifted)
    return e / np.sum(e, axis=axis, keepdims=True)


def log_softmax(z, axis: int = -1):
    """``log p_k = z_k - max z - log Σ_j e^{z_j - max z}``: stable log of :func:`softmax`."""
    z = _z(z)
    shifted = z - np.max(z, axis=axis, keepdims=True)
    return shifted - np.log(np.sum(np.exp(shifted), axis=axis, keepdims=True))


ACTIVATIONS = {"step": step, "relu": relu, "sigmoid": sigmoid, "tanh": tanh}

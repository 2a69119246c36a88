"""Lesson 01: derivatives, numerically.

The central difference estimates a slope from two nearby points:

    f'(x) ≈ (f(x + h) - f(x - h)) / (2h)

Its error shrinks like h², until h is so small that floating-point rounding in
f(x + h) - f(x - h) takes over.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

from .validate import as_array, positive_number


def derivative(f, x, h: float = 1e-5):
    """Central-difference derivative ``f'(x) ≈ (f(x+h) - f(x-h)) / 2h``.

    Works elementwise: ``x`` may be a number or an array, and ``f`` must then
    act elementwise (like ``np.sin``). Returns a float or an array shaped like x.
    """
    if not callable(f):
        raise TypeError(f"f must be a function, got {type(f).__name__}")
    positive_number(h, "h")
    x_arr = as_array(x, "x")
    with np.errstate(all="ignore"):
        f_plus = np.asarray(f(x_arr + h), dtype=float)
        f_minus = np.asarray(f(x_arr - h), dtype=float)
        slope = (f_plus - f_minus) / (2 * h)
    return float(slope) if np.ndim(slope) == 0 else slope


def numerical_gradient(f, x, h: float = 1e-5) -> np.ndarray:
    """Gradient of a scalar function of an array, one coordinate at a time.

    ``∂f/∂x_i ≈ (f(x + h e_i) - f(x - h e_i)) / 2h`` where ``e_i`` is the i-th unit
    array. ``x`` is not modified. Returns an array shaped like ``x``.
    """
    if not callable(f):
        raise TypeError(f"f must be a function, got {type(f).__name__}")
    positive_number(h, "h")
    x = as_array(x, "x").copy()
    grad = np.empty_like(x)
    flat, gflat = x.reshape(-1), grad.reshape(-1)
    for i in range(flat.size):
        old = flat[i]
        flat[i] = old + h
        f_plus = f(x)
        flat[i] = old - h
        f_minus = f(x)
        flat[i] = old
        if np.ndim(f_plus) != 0:
            raise ValueError(f"f must return a single number, got shape {np.shape(f_plus)}")
        gflat[i] = (float(f_plus) - float(f_minus)) / (2 * h)
    return grad


@dataclass
class GradcheckResult:
    """Outcome of :func:`gradcheck`: ``max_rel_error`` and whether it is below ``tol``."""

    max_rel_error: float
    tol: float
    analytic: np.ndarray
    numerical: np.ndarray

    @property
    def ok(self) -> bool:
        """``max_rel_error ≤ tol``: the analytic gradient passes the check."""
        return self.max_rel_error <= self.tol

    def __bool__(self) -> bool:
        return self.ok

    def __repr__(self) -> str:
        mark = "✓ gradients agree" if self.ok else "✗ gradients differ"
        return f"gradcheck: max relative error {self.max_rel_error:.2e} (tol {self.tol:.0e}) {mark}"


def relative_error(a, b) -> np.ndarray:
    """Elementwise ``|a - b| / max(|a| + |b|, 1e-8)``: 0 when equal, 1 when opposite."""
    a, b = np.asarray(a, dtype=float), np.asarray(b, dtype=float)
    return np.abs(a - b) / np.maximum(np.abs(a) + np.abs(b), 1e-8)


def gradcheck(f, analytic_grad, x, h: float = 1e-5, tol: float = 1e-6) -> GradcheckResult:
    """Compare an analytic gradient with :func:`numerical_gradient`.

    ``f`` maps an array ``x`` to a number; ``analytic_grad`` is either the
    gradient array at ``x`` or a function returning it. Reports
    ``max_i |g_i - n_i| / max(|g_i| + |n_i|, 1e-8)``; work in float64 for a
    meaningful answer (float32 rounding alone gives errors near 1e-3).
    """
    x = as_array(x, "x")
    g = analytic_grad(x.copy()) if callable(analytic_grad) else analytic_grad
    g = as_array(g, "analytic_grad")
    if g.shape != x.shape:
        raise ValueError(f"analytic gradient has shape {g.shape} but x has shape {x.shape}")
    n = numerical_gradient(f, x, h)
    return GradcheckResult(float(np.max(relative_error(g, n))), tol, g, n)

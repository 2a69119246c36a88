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
    """Outcome of :func:`gradcheck`: ``max_rel_error``, and whether it is at most ``tol``.

    ``precision`` names the coarsest float type involved (``"float64"`` normally).
    When it is coarser than float64, rounding alone can make a correct gradient
    look wrong: ``conclusive`` is then ``False`` unless the check passed anyway,
    and the printed verdict says so instead of "gradients differ".
    """

    max_rel_error: float
    tol: float
    analytic: np.ndarray
    numerical: np.ndarray
    precision: str = "float64"
    low_precision_source: str = ""

    @property
    def ok(self) -> bool:
        """``max_rel_error ≤ tol``: the analytic gradient passes the check."""
        return self.max_rel_error <= self.tol

    @property
    def conclusive(self) -> bool:
        """``True`` if the verdict can be trusted: it passed, or it failed in float64."""
        return self.ok or self.precision == "float64"

    def __bool__(self) -> bool:
        return self.ok

    def __repr__(self) -> str:
        head = f"gradcheck: max relative error {self.max_rel_error:.2e} (tol {self.tol:.0e})"
        if self.ok:
            return f"{head} ✓ gradients agree"
        if self.conclusive:
            return f"{head} ✗ gradients differ"
        return (f"{head} ? inconclusive: {self.low_precision_source} is {self.precision} "
                f"(about {_DIGITS.get(self.precision, 3)} significant digits), too coarse for a "
                f"finite-difference check, so this error may be rounding alone. Redo it in "
                f"float64: build the model with dtype=np.float64, e.g. "
                f"MLP(sizes, dtype=np.float64) or Dense(n_in, n_out, dtype=np.float64)")


_DIGITS = {"float32": 7, "float16": 3}


def _low_precision(named_values):
    """``(dtype name, what)`` for the first float coarser than float64 among the values."""
    for what, value in named_values:
        dtype = getattr(value, "dtype", None)
        if dtype is not None and dtype.kind == "f" and dtype.itemsize < 8:
            return dtype.name, what
    return "float64", ""


def relative_error(u, v) -> np.ndarray:
    """Elementwise ``|u − v| / max(|u| + |v|, 1e-8)``: 0 when equal, 1 when opposite."""
    u, v = np.asarray(u, dtype=float), np.asarray(v, dtype=float)
    return np.abs(u - v) / np.maximum(np.abs(u) + np.abs(v), 1e-8)


def gradcheck(f, analytic_grad, x, h: float = 1e-5, tol: float = 1e-6) -> GradcheckResult:
    """Compare an analytic gradient ``g`` with the numerical one ``g^num`` (central differences).

    ``f`` maps an array ``x`` to a number; ``analytic_grad`` is either the
    gradient array at ``x`` (same shape as ``x``) or a function returning it.
    Reports ``max_i |g_i − g^num_i| / max(|g_i| + |g^num_i|, 1e-8)`` and passes
    when that is at most ``tol``.

    Precision: the check needs float64. If ``x``, the gradient or ``f(x)`` is
    float32 (a model built with the default ``dtype=np.float32``), rounding
    alone gives errors of 1e-3 or more, so a failed check is reported as
    *inconclusive*, with how to redo it in float64, not as "gradients differ".
    Errors: ``ValueError`` if the gradient's shape differs from ``x``'s or holds NaN.
    """
    x_in = x
    x = as_array(x, "x")
    g_in = analytic_grad(x.copy()) if callable(analytic_grad) else analytic_grad
    g = as_array(g_in, "analytic_grad")
    if g.shape != x.shape:
        raise ValueError(f"analytic gradient has shape {g.shape} but x has shape {x.shape}")
    f_at_x = f(x.copy())
    n = numerical_gradient(f, x, h)
    precision, source = _low_precision([("x", x_in), ("the analytic gradient", g_in),
                                        ("f(x)", f_at_x)])
    return GradcheckResult(float(np.max(relative_error(g, n))), tol, g, n, precision, source)

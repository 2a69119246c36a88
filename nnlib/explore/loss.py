"""Lesson 02 explorers: fitting a curve by hand, and how MSE and MAE react to an outlier.

Every explorer is a :class:`~nnlib.explore._base.Scene` (static parts drawn once,
moving parts blitted) plus a factory ``explore_<idea>()`` that wires sliders to it.
``render_<idea>(**params)`` is the pure path the tests call.
"""

from __future__ import annotations

from itertools import combinations

import numpy as np
from matplotlib.collections import LineCollection

from ..data import make_quadratic
from ..plots import PALETTE
from ._base import Explorer, Scene, float_slider

__all__ = [
    "FIT_DATA", "fit_data", "quadratic", "loss_curves",
    "FitScene", "render_fit", "explore_fit",
    "outlier_data", "l2_line", "l1_line",
    "OutlierScene", "render_outlier", "explore_outlier",
    "EXPLORERS",
]

# --------------------------------------------------------------------------- fit by hand
FIT_DATA = dict(n=30, a=3.0, b=2.0, c=1.0, noise=1.0, seed=42)


def fit_data():
    """The lesson's dataset ``make_quadratic(**FIT_DATA)``: ``y = 3x² + 2x + 1 + ε``, ε ~ N(0, 1).

    Returns ``(x, y)``, both of shape (30,).
    """
    return make_quadratic(**FIT_DATA)


def quadratic(x, a, b, c):
    """The model ``ŷ = a x² + b x + c`` (elementwise)."""
    return a * x ** 2 + b * x + c


def loss_curves(x, y, a_grid, b, c):
    """MSE and MAE as functions of ``a`` with ``b`` and ``c`` held fixed.

    ``MSE(a) = (1/n) Σ (a x_i² + b x_i + c − y_i)²`` and ``MAE(a) = (1/n) Σ |…|``.
    ``x, y``: (n,); ``a_grid``: (k,) -> ``(mse, mae)``, each (k,).
    """
    r = np.outer(np.asarray(a_grid, dtype=float), x ** 2) + (b * x + c - y)
    return np.mean(r * r, axis=1), np.mean(np.abs(r), axis=1)


class FitScene(Scene):
    """Left: the data, the curve ŷ = a x² + b x + c and its residuals. Right: loss against a."""

    figsize = (10.0, 4.0)
    grid = (1, 2)
    A_GRID = np.linspace(-1.0, 6.0, 141)
    LOSS_MAX = 30.0

    def setup(self, axes):
        ax, ax2 = axes
        self.x, self.y = fit_data()
        self.xs = np.linspace(-2.2, 2.2, 100)
        ax.set(xlim=(-2.2, 2.2), ylim=(-6, 20), xlabel="x (feature)", ylabel="y (label)")
        ax.grid(alpha=0.3)
        self.residuals = self.dyn(ax.add_collection(LineCollection(
            [], colors=PALETTE["red"], linewidths=1.3, label="residuals ŷ − y")))
        ax.scatter(self.x, self.y, s=22, color=PALETTE["black"], zorder=3, label="data")
        self.model, = self.dyn(ax.plot([], [], color=PALETTE["blue"], lw=2,
                                       label="model ŷ = a x² + b x + c"))
        ax.legend(loc="upper center", fontsize=8)
        self.title = self.dyn(ax.set_title("", fontsize=10))
        ax2.set(xlim=(self.A_GRID[0], self.A_GRID[-1]), ylim=(0, self.LOSS_MAX),
                xlabel="a (with b and c fixed at the sliders)", ylabel="loss")
        ax2.grid(alpha=0.3)
        self.mse_curve, = self.dyn(ax2.plot([], [], color=PALETTE["blue"], lw=2, label="MSE(a)"))
        self.mae_curve, = self.dyn(ax2.plot([], [], color=PALETTE["orange"], lw=2,
                                            label="MAE(a)"))
        self.best, = self.dyn(ax2.plot([], [], ":", color=PALETTE["blue"], lw=1.3,
                                       label="lowest MSE for this b, c"))
        self.mse_dot, = self.dyn(ax2.plot([], [], "o", color=PALETTE["blue"], ms=9, mec="k"))
        self.mae_dot, = self.dyn(ax2.plot([], [], "o", color=PALETTE["orange"], ms=9, mec="k"))
        ax2.legend(loc="upper right", fontsize=8)
        self.title2 = self.dyn(ax2.set_title("", fontsize=10))

    def _marker(self, dot, a, value):
        """Put ``dot`` at (a, value), or a ▲ on the top edge when value is off the chart."""
        off = value > self.LOSS_MAX
        dot.set_data([a], [self.LOSS_MAX * 0.98 if off else value])
        dot.set_marker("^" if off else "o")

    def update(self, a=1.0, b=0.0, c=0.0):
        x, y = self.x, self.y
        y_hat = quadratic(x, a, b, c)
        err = y_hat - y
        mse, mae = float(np.mean(err ** 2)), float(np.mean(np.abs(err)))
        self.model.set_data(self.xs, quadratic(self.xs, a, b, c))
        self.residuals.set_segments(np.stack([np.c_[x, y], np.c_[x, y_hat]], axis=1))
        self.title.set_text(f"a = {a:.2f}, b = {b:.2f}, c = {c:.2f}:  "
                            f"MSE = {mse:.2f},  MAE = {mae:.2f}")
        mse_a, mae_a = loss_curves(x, y, self.A_GRID, b, c)
        self.mse_curve.set_data(self.A_GRID, mse_a)
        self.mae_curve.set_data(self.A_GRID, mae_a)
        u, r0 = x ** 2, b * x + c - y
        a_best = -float(np.mean(u * r0) / np.mean(u * u))   # where dMSE/da = 0
        self.best.set_data([a_best, a_best], [0, self.LOSS_MAX])
        self._marker(self.mse_dot, a, mse)
        self._marker(self.mae_dot, a, mae)
        self.title2.set_text(f"loss as a function of a:  best a = {a_best:.2f}")


render_fit = FitScene.render


def explore_fit(a: float = 1.0, b: float = 0.0, c: float = 0.0):
    """Sliders for ``a, b, c`` of ``ŷ = a x² + b x + c``: residuals, MSE, MAE and loss against a."""
    return Explorer(
        FitScene(),
        {"a": float_slider("a (x² term)", -1.0, 6.0, 0.1, a),
         "b": float_slider("b (x term)", -3.0, 6.0, 0.1, b),
         "c": float_slider("c (constant)", -3.0, 5.0, 0.1, c)},
        hint="Shorten the red residuals: move **a**, **b** and **c** until MSE is as small as "
             "you can make it.")


# --------------------------------------------------------------------------- outlier
OUTLIER_INDEX = 10   # which point the slider pushes away (near the right end: a long lever)


def outlier_data(shift: float = 0.0):
    """Twelve points near the line ``y = 0.8 x + 1`` (seeded); point 10 is moved up by ``shift``.

    Returns ``(x, y)``, both of shape (12,).
    """
    rng = np.random.default_rng(1)
    x = np.linspace(0.0, 5.0, 12)
    y = 0.8 * x + 1 + rng.normal(0, 0.3, size=12)
    y[OUTLIER_INDEX] += shift
    return x, y


def l2_line(x, y):
    """Least-squares line (lowest MSE), returned as ``(w, b)``.

    ``w = Σ(x−x̄)(y−ȳ) / Σ(x−x̄)²`` and ``b = ȳ − w x̄``; ``x, y``: (n,).
    """
    dx = x - x.mean()
    w = float(np.sum(dx * (y - y.mean())) / np.sum(dx * dx))
    return w, float(y.mean() - w * x.mean())


_PAIRS = np.array(list(combinations(range(12), 2)))


def l1_line(x, y):
    """Least-absolute-deviations line (lowest MAE): ``argmin (1/n) Σ |w x_i + b − y_i|``.

    An optimal line passes through two of the points, so every pair is tried; returns ``(w, b)``.
    """
    pairs = _PAIRS if len(x) == 12 else np.array(list(combinations(range(len(x)), 2)))
    i, j = pairs[:, 0], pairs[:, 1]
    keep = x[i] != x[j]
    i, j = i[keep], j[keep]
    w = (y[j] - y[i]) / (x[j] - x[i])
    b = y[i] - w * x[i]
    cost = np.mean(np.abs(np.outer(w, x) + b[:, None] - y), axis=1)
    k = int(np.argmin(cost))
    return float(w[k]), float(b[k])


class OutlierScene(Scene):
    """Left: best MSE and MAE lines as one point moves. Right: their slopes against the shift."""

    figsize = (10.0, 4.0)
    grid = (1, 2)
    SHIFTS = np.linspace(0.0, 20.0, 201)

    def setup(self, axes):
        ax, ax2 = axes
        x0, _ = outlier_data()
        self.x = x0
        mask = np.arange(len(x0)) != OUTLIER_INDEX
        ax.set(xlim=(-0.3, 5.3), ylim=(-1, 26), xlabel="x", ylabel="y")
        ax.grid(alpha=0.3)
        _, y0 = outlier_data()
        ax.scatter(x0[mask], y0[mask], s=30, color=PALETTE["black"], zorder=3, label="data")
        self.mse_line, = self.dyn(ax.plot([], [], color=PALETTE["blue"], lw=2,
                                          label="lowest-MSE line"))
        self.mae_line, = self.dyn(ax.plot([], [], "--", color=PALETTE["orange"], lw=2,
                                          label="lowest-MAE line"))
        self.point, = self.dyn(ax.plot([], [], "o", color=PALETTE["red"], ms=9, mec="k",
                                       label="the outlier"))
        ax.legend(loc="upper left", fontsize=8)
        self.title = self.dyn(ax.set_title("", fontsize=10))
        slopes = np.array([[l2_line(*outlier_data(s))[0], l1_line(*outlier_data(s))[0]]
                           for s in self.SHIFTS])
        ax2.plot(self.SHIFTS, slopes[:, 0], color=PALETTE["blue"], lw=2, label="MSE fit")
        ax2.plot(self.SHIFTS, slopes[:, 1], "--", color=PALETTE["orange"], lw=2, label="MAE fit")
        ax2.axhline(0.8, color=PALETTE["grey"], lw=1, ls=":", label="true slope 0.8")
        ax2.set(xlim=(0, 20), ylim=(0, max(2.0, float(slopes.max()) * 1.1)),
                xlabel="how far the outlier is pushed up", ylabel="slope w of the best line")
        ax2.grid(alpha=0.3)
        ax2.legend(loc="upper left", fontsize=8)
        ax2.set_title("each loss's best slope as the outlier moves", fontsize=10)
        self.mse_dot, = self.dyn(ax2.plot([], [], "o", color=PALETTE["blue"], ms=9, mec="k"))
        self.mae_dot, = self.dyn(ax2.plot([], [], "s", color=PALETTE["orange"], ms=8, mec="k"))

    def update(self, shift=8.0):
        x, y = outlier_data(shift)
        w2, b2 = l2_line(x, y)
        w1, b1 = l1_line(x, y)
        ends = np.array([-0.3, 5.3])
        self.mse_line.set_data(ends, w2 * ends + b2)
        self.mae_line.set_data(ends, w1 * ends + b1)
        self.point.set_data([x[OUTLIER_INDEX]], [y[OUTLIER_INDEX]])
        self.title.set_text(f"shift {shift:.1f}:  MSE slope {w2:.2f},  MAE slope {w1:.2f}")
        self.mse_dot.set_data([shift], [w2])
        self.mae_dot.set_data([shift], [w1])


render_outlier = OutlierScene.render


def explore_outlier(shift: float = 8.0):
    """Push one point up: the lowest-MSE line chases it, the lowest-MAE line does not."""
    return Explorer(
        OutlierScene(),
        {"shift": float_slider("outlier pushed up by", 0.0, 20.0, 0.1, shift, fmt=".1f")},
        hint="Push the red point up. Which line follows it? Which one ignores it?")


EXPLORERS = [explore_fit, explore_outlier]

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
FIT_DATA = dict(n=30, c2=3.0, c1=2.0, c0=1.0, noise=1.0, seed=42)


def fit_data():
    """The lesson's dataset: ``y = 3x² + 2x + 1 + ε``, noise ε from a normal distribution, std 1.

    ``x`` is uniform on [−2, 2] (sorted), seed 42. Returns ``(x, y)``, both of shape (30,).
    """
    d = FIT_DATA
    return make_quadratic(d["n"], d["c2"], d["c1"], d["c0"], noise=d["noise"], seed=d["seed"])


def quadratic(x, c2, c1, c0):
    """The model ``ŷ = c₂ x² + c₁ x + c₀`` (elementwise)."""
    return c2 * x ** 2 + c1 * x + c0


def loss_curves(x, y, c2_grid, c1, c0):
    """MSE and MAE as functions of ``c₂`` with ``c₁`` and ``c₀`` held fixed.

    ``MSE(c₂) = (1/n) Σ (c₂ x_i² + c₁ x_i + c₀ − y_i)²`` and ``MAE(c₂) = (1/n) Σ |…|``.
    ``x, y``: (n,); ``c2_grid``: (k,) -> ``(mse, mae)``, each (k,).
    """
    r = np.outer(np.asarray(c2_grid, dtype=float), x ** 2) + (c1 * x + c0 - y)
    return np.mean(r * r, axis=1), np.mean(np.abs(r), axis=1)


class FitScene(Scene):
    """Left: the data, the curve ŷ = c₂x² + c₁x + c₀ and its residuals. Right: loss against c₂."""

    figsize = (10.0, 4.0)
    grid = (1, 2)
    A_GRID = np.linspace(-1.0, 6.0, 141)
    LOSS_MAX = 30.0

    def setup(self, axes):
        ax, ax2 = axes
        self.x, self.y = fit_data()
        self.xs = np.linspace(-2.2, 2.2, 100)
        ax.set(xlim=(-2.2, 2.2), ylim=(-6, 20), xlabel="$x$ (feature)", ylabel="$y$ (label)")
        ax.grid(alpha=0.3)
        self.residuals = self.dyn(ax.add_collection(LineCollection(
            [], colors=PALETTE["purple"], linewidths=1.5, label=r"residuals $\hat y - y$")))
        ax.scatter(self.x, self.y, s=22, color=PALETTE["black"], zorder=3, label="data")
        self.model, = self.dyn(ax.plot([], [], color=PALETTE["blue"], lw=2,
                                       label=r"model $\hat y = c_2 x^2 + c_1 x + c_0$"))
        ax.legend(loc="upper center", fontsize=8)
        self.title = self.dyn(ax.set_title("", fontsize=10))
        ax2.set(xlim=(self.A_GRID[0], self.A_GRID[-1]), ylim=(0, self.LOSS_MAX),
                xlabel="$c_2$ (with $c_1$, $c_0$ fixed at the sliders)", ylabel="loss")
        ax2.grid(alpha=0.3)
        self.mse_curve, = self.dyn(ax2.plot([], [], color=PALETTE["blue"], lw=2,
                                            label="MSE$(c_2)$"))
        self.mae_curve, = self.dyn(ax2.plot([], [], color=PALETTE["orange"], lw=2,
                                            label="MAE$(c_2)$"))
        self.best, = self.dyn(ax2.plot([], [], ":", color=PALETTE["blue"], lw=1.3,
                                       label="lowest MSE for these $c_1, c_0$"))
        self.mse_dot, = self.dyn(ax2.plot([], [], "o", color=PALETTE["blue"], ms=9, mec="k"))
        self.mae_dot, = self.dyn(ax2.plot([], [], "o", color=PALETTE["orange"], ms=9, mec="k"))
        ax2.legend(loc="upper right", fontsize=8)
        self.title2 = self.dyn(ax2.set_title("", fontsize=10))

    def _marker(self, dot, c2, value):
        """Put ``dot`` at (c2, value), or a ▲ on the top edge when value is off the chart."""
        off = value > self.LOSS_MAX
        dot.set_data([c2], [self.LOSS_MAX * 0.98 if off else value])
        dot.set_marker("^" if off else "o")

    def update(self, c2=1.0, c1=0.0, c0=0.0):
        x, y = self.x, self.y
        y_hat = quadratic(x, c2, c1, c0)
        err = y_hat - y
        mse, mae = float(np.mean(err ** 2)), float(np.mean(np.abs(err)))
        self.model.set_data(self.xs, quadratic(self.xs, c2, c1, c0))
        self.residuals.set_segments(np.stack([np.c_[x, y], np.c_[x, y_hat]], axis=1))
        self.title.set_text(f"c₂ = {c2:.2f}, c₁ = {c1:.2f}, c₀ = {c0:.2f}:  "
                            f"MSE = {mse:.2f},  MAE = {mae:.2f}")
        mse_a, mae_a = loss_curves(x, y, self.A_GRID, c1, c0)
        self.mse_curve.set_data(self.A_GRID, mse_a)
        self.mae_curve.set_data(self.A_GRID, mae_a)
        u, r0 = x ** 2, c1 * x + c0 - y
        c2_best = -float(np.mean(u * r0) / np.mean(u * u))   # where dMSE/dc₂ = 0
        self.best.set_data([c2_best, c2_best], [0, self.LOSS_MAX])
        self._marker(self.mse_dot, c2, mse)
        self._marker(self.mae_dot, c2, mae)
        self.title2.set_text(f"loss as a function of c₂:  best c₂ = {c2_best:.2f}")
        self._frame = dict(mse=mse, mae=mae, c2_best=c2_best)

    def describe(self, c2=1.0, c1=0.0, c0=0.0):
        f = self._frame
        return (f"Left: {len(self.x)} data points and the curve ŷ = {c2:.2f}x² + {c1:.2f}x + "
                f"{c0:.2f} with its residuals; MSE = {f['mse']:.2f}, MAE = {f['mae']:.2f}. "
                f"Right: MSE and MAE against c₂ (with c₁ and c₀ fixed), the current c₂ = "
                f"{c2:.2f} marked on both; the lowest MSE is at c₂ = {f['c2_best']:.2f}.")


render_fit = FitScene.render


def explore_fit(c2: float = 1.0, c1: float = 0.0, c0: float = 0.0):
    """Sliders for ``c₂, c₁, c₀`` of ``ŷ = c₂x² + c₁x + c₀``: residuals, MSE, MAE, loss
    against c₂."""
    return Explorer(
        FitScene(),
        {"c2": float_slider("c₂ (x² term)", -1.0, 6.0, 0.1, c2),
         "c1": float_slider("c₁ (x term)", -3.0, 6.0, 0.1, c1),
         "c0": float_slider("c₀ (constant)", -3.0, 5.0, 0.1, c0)},
        hint="Shorten the purple residuals: move **c₂**, **c₁** and **c₀** until MSE is as "
             "small as you can make it.")


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
    """The line ``ŷ = c₁ x + c₀`` with the lowest MSE, returned as ``(c1, c0)``.

    ``c₁ = Σ(x−x̄)(y−ȳ) / Σ(x−x̄)²`` and ``c₀ = ȳ − c₁ x̄``; ``x, y``: (n,).
    """
    dx = x - x.mean()
    c1 = float(np.sum(dx * (y - y.mean())) / np.sum(dx * dx))
    return c1, float(y.mean() - c1 * x.mean())


_PAIRS = np.array(list(combinations(range(12), 2)))


def l1_line(x, y):
    """The line with the lowest MAE: ``argmin over (c₁, c₀) of (1/n) Σ |c₁ x_i + c₀ − y_i|``.

    An optimal line passes through two of the points, so every pair is tried; returns
    ``(c1, c0)``.
    """
    pairs = _PAIRS if len(x) == 12 else np.array(list(combinations(range(len(x)), 2)))
    i, j = pairs[:, 0], pairs[:, 1]
    keep = x[i] != x[j]
    i, j = i[keep], j[keep]
    c1 = (y[j] - y[i]) / (x[j] - x[i])
    c0 = y[i] - c1 * x[i]
    cost = np.mean(np.abs(np.outer(c1, x) + c0[:, None] - y), axis=1)
    k = int(np.argmin(cost))
    return float(c1[k]), float(c0[k])


class OutlierScene(Scene):
    """Left: best MSE and MAE lines as one point moves. Right: their slopes against the shift."""

    figsize = (10.0, 4.0)
    grid = (1, 2)
    SHIFTS = np.linspace(0.0, 20.0, 201)
    YTOP = 14.0

    def setup(self, axes):
        ax, ax2 = axes
        x0, _ = outlier_data()
        self.x = x0
        mask = np.arange(len(x0)) != OUTLIER_INDEX
        # the y-axis fits the data, not the largest push: above YTOP the outlier is drawn as a
        # triangle on the top edge with its height written next to it
        ax.set(xlim=(-0.3, 5.3), ylim=(-1, self.YTOP), xlabel="$x$", ylabel="$y$")
        ax.grid(alpha=0.3)
        _, y0 = outlier_data()
        ax.scatter(x0[mask], y0[mask], s=30, color=PALETTE["black"], zorder=3, label="data")
        self.mse_line, = self.dyn(ax.plot([], [], color=PALETTE["blue"], lw=2,
                                          label="lowest-MSE line"))
        self.mae_line, = self.dyn(ax.plot([], [], "--", color=PALETTE["orange"], lw=2,
                                          label="lowest-MAE line"))
        self.point, = self.dyn(ax.plot([], [], "D", color=PALETTE["purple"], ms=9, mec="k",
                                       label="the outlier"))
        self.off, = self.dyn(ax.plot([], [], "^", color=PALETTE["purple"], ms=11, mec="k",
                                     clip_on=False, zorder=4))
        self.off_text = self.dyn(ax.text(0, 0, "", color=PALETTE["purple"], fontsize=9,
                                         ha="right", va="top"))
        ax.legend(loc="upper left", fontsize=8)
        self.title = self.dyn(ax.set_title("", fontsize=10))
        slopes = np.array([[l2_line(*outlier_data(s))[0], l1_line(*outlier_data(s))[0]]
                           for s in self.SHIFTS])
        ax2.plot(self.SHIFTS, slopes[:, 0], color=PALETTE["blue"], lw=2, label="MSE fit")
        ax2.plot(self.SHIFTS, slopes[:, 1], "--", color=PALETTE["orange"], lw=2, label="MAE fit")
        ax2.set(xlim=(0, 20), ylim=(0, max(2.0, float(slopes.max()) * 1.1)),
                xlabel="how far the outlier is pushed up", ylabel="slope $c_1$ of the best line")
        ax2.grid(alpha=0.3)
        ax2.legend(loc="upper left", fontsize=8)
        ax2.set_title("each loss's best slope as the outlier moves (true slope 0.8)", fontsize=10)
        self.mse_dot, = self.dyn(ax2.plot([], [], "o", color=PALETTE["blue"], ms=9, mec="k"))
        self.mae_dot, = self.dyn(ax2.plot([], [], "s", color=PALETTE["orange"], ms=8, mec="k"))

    def update(self, shift=8.0):
        x, y = outlier_data(shift)
        slope2, icpt2 = l2_line(x, y)      # slope c₁ and intercept c₀ of each best line
        slope1, icpt1 = l1_line(x, y)
        ends = np.array([-0.3, 5.3])
        self.mse_line.set_data(ends, slope2 * ends + icpt2)
        self.mae_line.set_data(ends, slope1 * ends + icpt1)
        xo, yo = x[OUTLIER_INDEX], y[OUTLIER_INDEX]
        if yo <= self.YTOP - 0.3:
            self.point.set_data([xo], [yo])
            self.off.set_data([], [])
            self.off_text.set_text("")
        else:                              # off the chart: a triangle on the top edge
            self.point.set_data([], [])
            self.off.set_data([xo], [self.YTOP])
            self.off_text.set_position((xo - 0.2, self.YTOP - 0.3))
            self.off_text.set_text(f"outlier at $y$ = {yo:.1f}")
        self.title.set_text(f"shift {shift:.1f}:  MSE slope {slope2:.2f},  MAE slope {slope1:.2f}")
        self.mse_dot.set_data([shift], [slope2])
        self.mae_dot.set_data([shift], [slope1])
        self._frame = dict(slope2=slope2, icpt2=icpt2, slope1=slope1, icpt1=icpt1, yo=yo)

    def describe(self, shift=8.0):
        f = self._frame
        return (f"Left: 12 points near the line y = 0.8x + 1, one of them (the outlier) pushed "
                f"up by {shift:.1f} to y = {f['yo']:.1f}. The lowest-MSE line is "
                f"y = {f['slope2']:.2f}x + {f['icpt2']:.2f}, the lowest-MAE line "
                f"y = {f['slope1']:.2f}x + {f['icpt1']:.2f}. Right: each line's slope against "
                f"the push, from 0 to 20: the MSE slope climbs with the push, the MAE slope "
                f"stays near the true 0.8.")


render_outlier = OutlierScene.render


def explore_outlier(shift: float = 8.0):
    """Push one point up: the lowest-MSE line chases it, the lowest-MAE line does not."""
    return Explorer(
        OutlierScene(),
        {"shift": float_slider("outlier pushed up by", 0.0, 20.0, 0.1, shift, fmt=".1f")},
        hint="Push the purple point up. Which line follows it? Which one ignores it?")


EXPLORERS = [explore_fit, explore_outlier]

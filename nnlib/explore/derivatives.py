"""Lesson 01 explorers: slopes, secants and tangents."""

from __future__ import annotations

import numpy as np

from ..plots import PALETTE
from ._base import Explorer, Scene, float_slider, log_slider


def curve(x):
    """The lesson's example curve ``f(x) = x³/3 − x + 1``."""
    return x ** 3 / 3 - x + 1


def curve_slope(x):
    """Its exact derivative ``f'(x) = x² − 1``."""
    return x ** 2 - 1


class TangentScene(Scene):
    """Left: f with the secant through x0 and x0+h, and the tangent at x0. Right: f'."""

    figsize = (9.0, 3.6)
    grid = (1, 2)

    def setup(self, axes):
        ax, ax2 = axes
        xs = np.linspace(-2.5, 2.5, 300)
        ax.plot(xs, curve(xs), color=PALETTE["blue"], lw=2, label="f(x)")
        ax.set(xlim=(-2.5, 2.5), ylim=(-3, 5), xlabel="x", ylabel="f(x)")
        self.secant, = self.dyn(ax.plot([], [], "o-", color=PALETTE["orange"], lw=2,
                                        label="secant through x₀ and x₀+h"))
        self.tangent, = self.dyn(ax.plot([], [], "--", color=PALETTE["green"], lw=1.5,
                                         label="tangent at x₀"))
        ax.legend(loc="upper left", fontsize=9)
        self.title = self.dyn(ax.set_title(""))
        ax2.plot(xs, curve_slope(xs), color=PALETTE["green"], lw=2, label="f'(x) = x² − 1")
        ax2.axhline(0, color=PALETTE["grey"], lw=0.8)
        ax2.set(xlim=(-2.5, 2.5), ylim=(-1.5, 5.5), xlabel="x", ylabel="slope")
        self.secant_dot, = self.dyn(ax2.plot([], [], "o", color=PALETTE["orange"], ms=8,
                                             label="secant slope"))
        self.tangent_dot, = self.dyn(ax2.plot([], [], "x", color=PALETTE["black"], ms=9,
                                              label="f'(x₀)"))
        ax2.legend(loc="upper center", fontsize=9)
        ax2.set_title("the derivative: slope at every x")

    def update(self, x0=1.5, h=1.0):
        x1 = x0 + h
        secant = (curve(x1) - curve(x0)) / h
        exact = curve_slope(x0)
        xs = np.array([-2.5, 2.5])
        self.secant.set_data([x0, x1], [curve(x0), curve(x1)])
        self.tangent.set_data(xs, curve(x0) + exact * (xs - x0))
        self.title.set_text(f"secant slope = {secant:.4f}   tangent slope f'(x₀) = {exact:.4f}")
        self.secant_dot.set_data([x0], [secant])
        self.tangent_dot.set_data([x0], [exact])


render_tangent = TangentScene.render


def explore_tangent(x0: float = 1.5, h: float = 1.0):
    """Sliders for the point ``x₀`` and the step ``h``: watch the secant become the tangent."""
    return Explorer(
        TangentScene(),
        {"x0": float_slider("x₀", -2.0, 2.0, 0.05, x0),
         "h": log_slider("h (step)", -3, 0, h)},
        hint="Shrink **h** and watch the orange secant turn into the green tangent.")

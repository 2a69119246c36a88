"""Lesson 01 explorers: slopes of lines, secants and tangents, step sizes, partial derivatives.

Every explorer is a :class:`~nnlib.explore._base.Scene` (static parts drawn once,
moving parts blitted) plus a factory ``explore_<idea>()`` that wires sliders to it.
``render_<idea>(**params)`` is the pure path the tests call.
"""

from __future__ import annotations

import numpy as np

from ..plots import PALETTE, SEQUENTIAL_CMAP
from ._base import Explorer, Scene, float_slider, log_slider

__all__ = [
    "curve", "curve_slope", "bowl", "bowl_grad",
    "LineScene", "render_line", "explore_line",
    "TangentScene", "render_tangent", "explore_tangent",
    "StepErrorScene", "render_step_error", "explore_step_error", "step_errors",
    "PartialScene", "render_partials", "explore_partials",
    "EXPLORERS",
]


def curve(x):
    """The lesson's example curve ``f(x) = x³/3 − x + 1``."""
    return x ** 3 / 3 - x + 1


def curve_slope(x):
    """Its exact derivative ``f'(x) = x² − 1``."""
    return x ** 2 - 1


def bowl(x, y):
    """The lesson's function of two variables ``f(x, y) = x² − x·y + 2y²`` (a tilted bowl)."""
    return x ** 2 - x * y + 2 * y ** 2


def bowl_grad(x, y):
    """Its partial derivatives ``(∂f/∂x, ∂f/∂y) = (2x − y, 4y − x)``."""
    return 2 * x - y, 4 * y - x


# --------------------------------------------------------------------------- line
class LineScene(Scene):
    """The line ``y = c₁ x + c₀`` with its intercept and a rise-over-run triangle."""

    figsize = (7.6, 4.0)
    RUN = 2.0  # the triangle walks from the intercept, x = 0, to x = RUN

    def setup(self, ax):
        ax.axhline(0, color=PALETTE["grey"], lw=0.8)
        ax.axvline(0, color=PALETTE["grey"], lw=0.8)
        ax.grid(alpha=0.3)
        ax.set(xlim=(-4, 4), ylim=(-11, 11), xlabel="$x$", ylabel="$y$")
        self.line, = self.dyn(ax.plot([], [], color=PALETTE["blue"], lw=2.5,
                                      label="$y = c_1 x + c_0$"))
        self.run, = self.dyn(ax.plot([], [], color=PALETTE["orange"], lw=2.5,
                                     label=r"run ($\Delta x$)"))
        self.rise, = self.dyn(ax.plot([], [], color=PALETTE["green"], lw=2.5,
                                      label=r"rise ($\Delta y$)"))
        self.intercept, = self.dyn(ax.plot([], [], "o", color=PALETTE["black"], ms=8,
                                           label="intercept $(0, c_0)$"))
        self.run_text = self.dyn(ax.text(0, 0, "", color=PALETTE["orange"], ha="center",
                                         va="top", fontsize=11))
        self.rise_text = self.dyn(ax.text(0, 0, "", color=PALETTE["green"], ha="left",
                                          va="center", fontsize=11))
        ax.legend(loc="upper left", bbox_to_anchor=(1.02, 1.0), fontsize=9)
        self.title = self.dyn(ax.set_title(""))

    def update(self, c1=1.5, c0=0.5):
        xs = np.array([-4.0, 4.0])
        x1, x2 = 0.0, self.RUN
        y1, y2 = c1 * x1 + c0, c1 * x2 + c0
        rise = y2 - y1
        self.line.set_data(xs, c1 * xs + c0)
        self.run.set_data([x1, x2], [y1, y1])
        self.rise.set_data([x2, x2], [y1, y2])
        self.intercept.set_data([0.0], [c0])
        self.run_text.set_position(((x1 + x2) / 2, y1 - 0.3 if rise >= 0 else y1 + 1.0))
        self.run_text.set_text(f"run = {self.RUN:.0f}")
        self.rise_text.set_position((x2 + 0.15, (y1 + y2) / 2))
        self.rise_text.set_text(f"rise = {rise:.2f}")
        self.title.set_text(f"y = {c1:.2f}x + {c0:.2f}:   slope = rise / run = "
                            f"{rise:.2f} / {self.RUN:.0f} = {c1:.2f}")

    def describe(self, c1=1.5, c0=0.5):
        rise = c1 * self.RUN
        return (f"The line y = {c1:.2f}x + {c0:.2f} for x from -4 to 4. It crosses the y axis "
                f"at the intercept {c0:.2f}. From x = 0 to x = {self.RUN:.0f} (a run of "
                f"{self.RUN:.0f}) it rises by {rise:.2f}, so its slope is "
                f"{rise:.2f} / {self.RUN:.0f} = {c1:.2f}.")


render_line = LineScene.render


def explore_line(c1: float = 1.5, c0: float = 0.5):
    """Sliders for slope ``c₁`` and intercept ``c₀`` of ``y = c₁ x + c₀``; ``c₁ = Δy / Δx``."""
    return Explorer(
        LineScene(),
        {"c1": float_slider("c₁ (slope)", -3.0, 3.0, 0.1, c1),
         "c0": float_slider("c₀ (intercept)", -3.0, 3.0, 0.1, c0)},
        hint="Move **c₁** and watch the rise change while the run stays 2. Move **c₀**: "
             "does the slope change?")


# --------------------------------------------------------------------------- tangent
class TangentScene(Scene):
    """Left: f with the secant through x0 and x0+h, and the tangent at x0. Right: f'."""

    figsize = (9.0, 3.8)
    grid = (1, 2)
    XLIM = (-2.5, 3.0)

    def setup(self, axes):
        ax, ax2 = axes
        xs = np.linspace(*self.XLIM, 300)
        ax.plot(xs, curve(xs), color=PALETTE["blue"], lw=2, label="f(x) = x³/3 − x + 1")
        ax.set(xlim=self.XLIM, ylim=(-2.5, 7.5), xlabel="x", ylabel="f(x)")
        self.secant_line, = self.dyn(ax.plot([], [], "-", color=PALETTE["orange"], lw=1.5,
                                             alpha=0.8, label="secant through x₀ and x₀+h"))
        self.points, = self.dyn(ax.plot([], [], "o", color=PALETTE["orange"], ms=7))
        self.legs, = self.dyn(ax.plot([], [], ":", color=PALETTE["black"], lw=1.2,
                                      label="Δx = h and Δy"))
        self.tangent, = self.dyn(ax.plot([], [], "--", color=PALETTE["green"], lw=1.5,
                                         label="tangent at x₀"))
        ax.legend(loc="upper left", fontsize=8)
        self.title = self.dyn(ax.set_title("", fontsize=10))
        ax2.plot(xs, curve_slope(xs), color=PALETTE["green"], lw=2, label="f'(x) = x² − 1")
        ax2.axhline(0, color=PALETTE["grey"], lw=0.8)
        ax2.set(xlim=self.XLIM, ylim=(-1.5, 8.5), xlabel="x", ylabel="slope")
        self.secant_dot, = self.dyn(ax2.plot([], [], "o", color=PALETTE["orange"], ms=8,
                                             label="secant slope Δy/Δx"))
        self.tangent_dot, = self.dyn(ax2.plot([], [], "x", color=PALETTE["black"], ms=9,
                                              mew=2, label="f'(x₀)"))
        ax2.legend(loc="upper center", fontsize=8)
        ax2.set_title("the derivative: the slope at every x", fontsize=10)

    def update(self, x0=1.5, h=1.0):
        x1 = x0 + h
        y0, y1 = curve(x0), curve(x1)
        secant = (y1 - y0) / h
        exact = curve_slope(x0)
        xs = np.array(self.XLIM)
        self.secant_line.set_data(xs, y0 + secant * (xs - x0))
        self.points.set_data([x0, x1], [y0, y1])
        self.legs.set_data([x0, x1, x1], [y0, y0, y1])
        self.tangent.set_data(xs, y0 + exact * (xs - x0))
        self.title.set_text(f"h = {h:.3g}:  secant slope = {secant:.4f},  "
                            f"f'(x₀) = {exact:.4f}")
        self.secant_dot.set_data([x0], [secant])
        self.tangent_dot.set_data([x0], [exact])

    def describe(self, x0=1.5, h=1.0):
        secant = (curve(x0 + h) - curve(x0)) / h
        exact = curve_slope(x0)
        return (f"Left: the curve f(x) = x³/3 − x + 1 with the secant through x₀ = {x0:.2f} "
                f"and x₀ + h = {x0 + h:.3g} (h = {h:.3g}) and the tangent at x₀. The secant's "
                f"slope is {secant:.4f}, the tangent's f'(x₀) = {exact:.4f}: they differ by "
                f"{abs(secant - exact):.2g}. Right: the derivative f'(x) = x² − 1 with both "
                f"slopes marked at x₀.")


render_tangent = TangentScene.render


def explore_tangent(x0: float = 1.5, h: float = 1.0):
    """Sliders for ``x₀`` and step ``h``: secant slope ``(f(x₀+h) − f(x₀))/h → f'(x₀)`` as h → 0."""
    return Explorer(
        TangentScene(),
        {"x0": float_slider("x₀", -2.0, 2.0, 0.05, x0),
         "h": log_slider("h (step)", -3, 0, h)},
        hint="Shrink **h** and watch the orange secant turn into the green tangent.")


# --------------------------------------------------------------------------- step size
STEP_X0 = 1.5
STEP_HS = np.logspace(-15, 0, 301)


def step_errors(hs, x0: float = STEP_X0):
    """Errors of the forward ``(f(x+h) − f(x))/h`` and central ``(f(x+h) − f(x−h))/2h`` differences.

    For the lesson curve f at ``x0``; returns ``(forward_error, central_error)``, each
    ``|estimate − f'(x0)|``, arrays shaped like ``hs``.
    """
    hs = np.asarray(hs, dtype=float)
    exact = curve_slope(x0)
    forward = (curve(x0 + hs) - curve(x0)) / hs
    central = (curve(x0 + hs) - curve(x0 - hs)) / (2 * hs)
    return np.abs(forward - exact), np.abs(central - exact)


class StepErrorScene(Scene):
    """Log-log plot of the error of forward and central differences against h, at x₀ = 1.5."""

    figsize = (8.0, 4.4)
    FLOOR = 1e-17  # an error of exactly 0 is drawn here (log axes cannot show 0)

    def setup(self, ax):
        fwd, cen = (np.maximum(e, self.FLOOR) for e in step_errors(STEP_HS))
        self.best_h = (float(STEP_HS[np.argmin(fwd)]), float(STEP_HS[np.argmin(cen)]))
        # central solid and wide underneath, forward dashed on top: where the two errors are
        # equal (left of h ≈ 1e-8) both stay visible
        ax.loglog(STEP_HS, cen, color=PALETTE["blue"], lw=3.0, alpha=0.8, zorder=2,
                  label="central difference")
        ax.loglog(STEP_HS, fwd, color=PALETTE["orange"], lw=1.8, ls=(0, (4, 2)), zorder=3,
                  label="forward difference (dashed)")
        eps = np.finfo(float).eps
        guide = dict(color=PALETTE["grey"], lw=1.2, ls=":")
        ax.loglog(STEP_HS, STEP_HS, **guide)
        ax.loglog(STEP_HS, STEP_HS ** 2 / 3, **guide)
        ax.loglog(STEP_HS, eps / STEP_HS, **guide)
        ax.text(1e-3, 3e-2, r"$\propto h$", color=PALETTE["grey"], fontsize=10)
        ax.text(1e-3, 1e-9, r"$\propto h^2$", color=PALETTE["grey"], fontsize=10)
        ax.text(2e-15, 3e-9, "$\\propto$ (machine epsilon)/$h$\n(rounding)", color=PALETTE["grey"],
                fontsize=10)
        ax.set(xlim=(1e-15, 1), ylim=(1e-13, 1e1), xlabel="step $h$ (log scale)",
               ylabel="$|$estimate $- f'(x_0)|$  (log scale)")
        ax.grid(alpha=0.3, which="major")
        self.vline = self.dyn(ax.axvline(1e-5, color=PALETTE["black"], lw=1))
        self.fdot, = self.dyn(ax.plot([], [], "o", color=PALETTE["orange"], ms=9, mec="k"))
        self.cdot, = self.dyn(ax.plot([], [], "s", color=PALETTE["blue"], ms=8, mec="k"))
        ax.legend(loc="lower left", fontsize=9, title_fontsize=9,
                  title=f"f(x) = x³/3 − x + 1 at x₀ = {STEP_X0}: f'(x₀) = {curve_slope(STEP_X0)}")
        self.info = self.dyn(ax.text(0.45, 0.97, "", transform=ax.transAxes, ha="center",
                                     va="top", family="monospace", fontsize=9,
                                     bbox=dict(facecolor="white", edgecolor=PALETTE["grey"])))
        self.title = self.dyn(ax.set_title("", fontsize=10))

    def update(self, h=1e-5):
        exact = curve_slope(STEP_X0)
        fwd = (curve(STEP_X0 + h) - curve(STEP_X0)) / h
        cen = (curve(STEP_X0 + h) - curve(STEP_X0 - h)) / (2 * h)
        ef, ec = abs(fwd - exact), abs(cen - exact)
        self.vline.set_xdata([h, h])
        self.fdot.set_data([h], [max(ef, self.FLOOR)])
        self.cdot.set_data([h], [max(ec, self.FLOOR)])
        self.info.set_text(f"forward ≈ {fwd:.12f}\ncentral ≈ {cen:.12f}")
        self.title.set_text(f"h = {h:.1e}:  forward error {ef:.1e},  central error {ec:.1e}")

    def describe(self, h=1e-5):
        exact = curve_slope(STEP_X0)
        ef = abs((curve(STEP_X0 + h) - curve(STEP_X0)) / h - exact)
        ec = abs((curve(STEP_X0 + h) - curve(STEP_X0 - h)) / (2 * h) - exact)
        return (f"Log-log plot of the error of the forward and central difference against "
                f"the step h from 1e-15 to 1, at x₀ = {STEP_X0}. Both errors fall as h "
                f"shrinks (forward like h, central like h²) until rounding error takes over: "
                f"the forward error is smallest near h = {self.best_h[0]:.0e}, the central "
                f"near h = {self.best_h[1]:.0e}. Marked at "
                f"h = {h:.1e}: forward error {ef:.1e}, central error {ec:.1e}.")


render_step_error = StepErrorScene.render


def explore_step_error(h: float = 1e-5):
    """A log slider for ``h``: the error of each difference quotient, truncation vs rounding."""
    return Explorer(
        StepErrorScene(),
        {"h": log_slider("h (step)", -15, 0, h, step=0.1, fmt=".1e")},
        hint="Slide **h** from 1 down to 1e-15. Where is each error smallest?")


# --------------------------------------------------------------------------- partials
class PartialScene(Scene):
    """Heatmap of f(x, y) with two slices through a point, and each slice with its tangent."""

    figsize = (11.0, 3.8)
    grid = (1, 3)
    LIM = (-2.0, 2.0)
    FLIM = (-1.0, 17.0)

    def setup(self, axes):
        ax, axx, axy = axes
        g = np.linspace(*self.LIM, 161)
        GX, GY = np.meshgrid(g, g)
        F = bowl(GX, GY)
        im = ax.imshow(F, origin="lower", extent=(*self.LIM, *self.LIM), cmap=SEQUENTIAL_CMAP,
                       aspect="equal", vmin=0, vmax=16)
        ax.contour(GX, GY, F, levels=[0.5, 2, 4, 7, 10, 13], colors="white",
                   linewidths=0.6, alpha=0.7)
        self.fig.colorbar(im, ax=ax, label="f(x, y) = x² − xy + 2y²", shrink=0.9)
        ax.set(xlabel="x", ylabel="y", xlim=self.LIM, ylim=self.LIM)
        self.hline, = self.dyn(ax.plot(self.LIM, [0, 0], color=PALETTE["orange"], lw=2))
        self.vline, = self.dyn(ax.plot([0, 0], self.LIM, color=PALETTE["sky"], lw=2))
        self.point, = self.dyn(ax.plot([], [], "o", color=PALETTE["black"], ms=8, mec="white"))
        self.title = self.dyn(ax.set_title("", fontsize=10))
        self.gx = g
        for a, name in ((axx, "x"), (axy, "y")):
            a.set(xlim=self.LIM, ylim=self.FLIM, xlabel=name, ylabel="f(x, y)")
            a.grid(alpha=0.3)
        self.xslice, = self.dyn(axx.plot([], [], color=PALETTE["orange"], lw=2,
                                         label="slice along x (y held fixed)"))
        self.xtan, = self.dyn(axx.plot([], [], "--", color=PALETTE["black"], lw=1.3,
                                       label="tangent, slope ∂f/∂x"))
        self.xdot, = self.dyn(axx.plot([], [], "o", color=PALETTE["black"], ms=7))
        self.yslice, = self.dyn(axy.plot([], [], color=PALETTE["sky"], lw=2,
                                         label="slice along y (x held fixed)"))
        self.ytan, = self.dyn(axy.plot([], [], "--", color=PALETTE["black"], lw=1.3,
                                       label="tangent, slope ∂f/∂y"))
        self.ydot, = self.dyn(axy.plot([], [], "o", color=PALETTE["black"], ms=7))
        axx.legend(loc="upper center", fontsize=8)
        axy.legend(loc="upper center", fontsize=8)
        self.xtitle = self.dyn(axx.set_title("", fontsize=10))
        self.ytitle = self.dyn(axy.set_title("", fontsize=10))

    def update(self, x=1.0, y=0.5):
        g = self.gx
        f0 = bowl(x, y)
        dfdx, dfdy = bowl_grad(x, y)
        ends = np.array(self.LIM)
        self.hline.set_ydata([y, y])
        self.vline.set_xdata([x, x])
        self.point.set_data([x], [y])
        self.title.set_text(f"f({x:.2f}, {y:.2f}) = {f0:.2f}")
        self.xslice.set_data(g, bowl(g, y))
        self.xtan.set_data(ends, f0 + dfdx * (ends - x))
        self.xdot.set_data([x], [f0])
        self.xtitle.set_text(f"∂f/∂x = 2x − y = {dfdx:.2f}")
        self.yslice.set_data(g, bowl(x, g))
        self.ytan.set_data(ends, f0 + dfdy * (ends - y))
        self.ydot.set_data([y], [f0])
        self.ytitle.set_text(f"∂f/∂y = 4y − x = {dfdy:.2f}")

    def describe(self, x=1.0, y=0.5):
        f0 = bowl(x, y)
        dfdx, dfdy = bowl_grad(x, y)
        return (f"Left: a heatmap of f(x, y) = x² − xy + 2y², lowest (0) at the origin, with "
                f"the point ({x:.2f}, {y:.2f}) where f = {f0:.2f}. Middle: the slice along x "
                f"at y = {y:.2f} with its tangent, slope ∂f/∂x = {dfdx:.2f}. Right: the slice "
                f"along y at x = {x:.2f} with its tangent, slope ∂f/∂y = {dfdy:.2f}.")


render_partials = PartialScene.render


def explore_partials(x: float = 1.0, y: float = 0.5):
    """Sliders for a point ``(x, y)``: two slices of f through it, slopes ``∂f/∂x``, ``∂f/∂y``."""
    return Explorer(
        PartialScene(),
        {"x": float_slider("x", -2.0, 2.0, 0.05, x),
         "y": float_slider("y", -2.0, 2.0, 0.05, y)},
        hint="Move **y** only: the orange line moves up or down the heatmap, and its slice (middle "
             "panel) shifts sideways, so ∂f/∂x at x changes too. "
             "Can you find the point where both slopes are 0?")


EXPLORERS = [explore_line, explore_tangent, explore_step_error, explore_partials]

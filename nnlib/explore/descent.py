"""Lesson 03 explorers: gradient descent on a curve and on a model's parameters.

The update rule is one line: ``w ← w − η ∂L/∂w``. Everything here repeats it
and draws where it goes: down a 1-D curve with two valleys, down a parabola
(where the step factor ``1 − 2ηc₂`` decides everything), and down the MSE
surface of the quadratic model ``ŷ = c₂x² + c₁x + c₀``. ``chain_rule_figure``
draws the chain rule for ``f(g(x))`` as two slopes that multiply.
"""

from __future__ import annotations

import functools

import numpy as np
from matplotlib.colors import LogNorm

from ..data import make_quadratic
from ..losses import mse_grad
from ..plots import PALETTE, WARNING, finite_or_nan, new_figure, set_alt
from ._base import Explorer, Scene, float_slider, int_slider, log_slider

__all__ = [
    "double_well", "double_well_slope", "descend", "DIVERGE_LIMIT",
    "GLOBAL_MIN", "LOCAL_MIN", "CURVATURE_AT_GLOBAL", "quad_data", "quad_features", "quad_loss",
    "quad_grad",
    "quad_best", "regimes_figure", "basins_figure", "decay_figure", "parabola_figure",
    "chain_rule_figure",
    "DescentScene", "render_descent", "explore_descent",
    "QuadFitScene", "render_quad_descent", "explore_quad_descent", "EXPLORERS",
]

DIVERGE_LIMIT = 1e3   # |w| beyond this counts as "diverged"


# --- the 1-D example: a curve with two valleys -----------------------------------------------

def double_well(x):
    """The lesson's curve ``f(x) = x⁴/4 − x² + 0.3 x``.

    Global minimum near x = −1.48, local minimum near x = 1.33.
    """
    return x ** 4 / 4 - x ** 2 + 0.3 * x


def double_well_slope(x):
    """Its exact derivative ``f'(x) = x³ − 2x + 0.3``."""
    return x ** 3 - 2 * x + 0.3


_ROOTS = np.sort(np.roots([1.0, 0.0, -2.0, 0.3]).real)
GLOBAL_MIN = float(_ROOTS[0])   # ≈ −1.484, f ≈ −1.435
LOCAL_MIN = float(_ROOTS[2])    # ≈ 1.332,  f ≈ −0.588
_PEAK = float(_ROOTS[1])        # the hill between the valleys, ≈ 0.152
CURVATURE_AT_GLOBAL = 3 * GLOBAL_MIN ** 2 - 2   # f''(x*) = 3x*² − 2 ≈ 4.61 at the global minimum


def descend(grad, w0, lr, num_steps: int, limit: float = DIVERGE_LIMIT):
    """Repeat ``w ← w − η · grad(w)`` ``num_steps`` times; returns ``(path, diverged_at)``.

    ``w0`` is a number or an array; ``lr`` is η, or a function ``epoch -> η``
    (a schedule). ``path`` stacks ``w_0, w_1, …`` (shape ``(k+1,) + w.shape``).
    The walk stops early when ``w`` stops being finite or ``|w| > limit``;
    then ``diverged_at`` is that step's number (else ``None``) and the last
    row of ``path`` is the runaway value. No overflow warning is ever printed.
    """
    schedule = lr if callable(lr) else (lambda _t: lr)
    w = np.array(w0, dtype=float)
    path = [w.copy()]
    with np.errstate(all="ignore"):
        for t in range(num_steps):
            w = w - schedule(t) * np.asarray(grad(w), dtype=float)
            path.append(w.copy())
            if not np.all(np.isfinite(w)) or np.max(np.abs(w)) > limit:
                return np.array(path), t + 1
    return np.array(path), None


def _where_it_ended(path, diverged_at):
    """A few words on where a 1-D walk ended: which valley, or still moving."""
    if diverged_at is not None:
        return "diverged"
    x = float(path[-1])
    settled = len(path) > 1 and abs(float(path[-1] - path[-2])) < 1e-3
    for name, m in (("global minimum", GLOBAL_MIN), ("local minimum", LOCAL_MIN)):
        if abs(x - m) < 0.02 and settled:
            return name
    if len(path) > 2 and np.sign(path[-1] - path[-2]) != np.sign(path[-2] - path[-3]):
        return "bouncing"
    return "still moving"


XLIM_1D, YLIM_1D = (-2.5, 2.5), (-1.8, 4.0)
MAX_STEPS_1D = 60


class DescentScene(Scene):
    """Left: the double-well curve with the walk of gradient descent. Right: f(x) per step."""

    figsize = (9.5, 3.7)
    grid = (1, 2)

    def setup(self, axes):
        ax, ax2 = axes
        xs = np.linspace(*XLIM_1D, 400)
        ax.plot(xs, double_well(xs), color=PALETTE["blue"], lw=2, label="f(x) = x⁴/4 − x² + 0.3x")
        # the stars sit above the path (zorder), so the walk never hides where the minima are
        ax.plot([GLOBAL_MIN], [double_well(GLOBAL_MIN)], "*", color=PALETTE["green"], ms=14,
                mec="black", mew=0.8, zorder=5, label="global minimum")
        ax.plot([LOCAL_MIN], [double_well(LOCAL_MIN)], "*", color=PALETTE["purple"], ms=14,
                mec="black", mew=0.8, zorder=5, label="local minimum")
        ax.set(xlim=XLIM_1D, ylim=YLIM_1D, xlabel="x (the parameter)", ylabel="f(x) (the loss)")
        self.path, = self.dyn(ax.plot([], [], "o-", color=PALETTE["orange"], lw=1.2, ms=4,
                                      label="steps"))
        self.start, = self.dyn(ax.plot([], [], "s", color=PALETTE["black"], ms=7, label="start"))
        ax.legend(loc="upper center", fontsize="x-small", ncol=2)
        self.title = self.dyn(ax.set_title(""))
        self.warn = self.banner(ax)
        self.warn.set_position((0.5, 0.6))   # below the legend, above the valleys

        ax2.axhline(double_well(GLOBAL_MIN), color=PALETTE["green"], ls="--", lw=1,
                    label="global minimum")
        ax2.axhline(double_well(LOCAL_MIN), color=PALETTE["purple"], ls=":", lw=1.2,
                    label="local minimum")
        ax2.set(xlim=(0, MAX_STEPS_1D), ylim=YLIM_1D, xlabel="step", ylabel="f(x)")
        self.curve, = self.dyn(ax2.plot([], [], ".-", color=PALETTE["orange"], lw=1.5))
        ax2.legend(loc="upper right", fontsize="x-small")
        self.title2 = self.dyn(ax2.set_title(""))
        self.warn2 = self.banner(ax2)

    def update(self, lr=0.1, x0=2.0, num_steps=MAX_STEPS_1D):
        path, diverged_at = descend(double_well_slope, x0, lr, int(num_steps))
        with np.errstate(all="ignore"):
            fx = finite_or_nan(double_well(path))
        shown = np.abs(path) <= 10   # keep runaway points off the line
        self.path.set_data(path[shown], fx[shown])
        self.start.set_data([x0], [double_well(x0)])
        self.curve.set_data(np.arange(len(path))[shown], fx[shown])
        verdict = _where_it_ended(path, diverged_at)
        self.title.set_text(f"η = {lr:.3g}, x₀ = {x0:.2f}: {verdict}")
        if diverged_at is None:
            self.title2.set_text(f"after {len(path) - 1} steps: x = {path[-1]:.3f}, "
                                 f"f(x) = {fx[-1]:.3f}")
            message = ""
        else:
            self.title2.set_text(f"f(x) blew up at step {diverged_at} of {num_steps}")
            message = f"diverged after {diverged_at} steps: η too large"
        self.say(self.warn, message)
        self.say(self.warn2, message)
        self._frame = dict(path=path, diverged_at=diverged_at, verdict=verdict)

    def describe(self, lr=0.1, x0=2.0, num_steps=MAX_STEPS_1D):
        f = self._frame
        path = f["path"]
        start = (f"Left: the curve f(x) = x⁴/4 − x² + 0.3x, with a global minimum at "
                 f"x = {GLOBAL_MIN:.2f} and a local minimum at x = {LOCAL_MIN:.2f}, and the "
                 f"steps of gradient descent with η = {lr:.3g} from x₀ = {x0:.2f}. ")
        if f["diverged_at"] is not None:
            return start + (f"The steps diverged after {f['diverged_at']} steps: η is too "
                            f"large. Right: f(x) per step, blowing up.")
        return start + (f"After {len(path) - 1} steps x = {float(path[-1]):.3f}, "
                        f"f(x) = {float(double_well(path[-1])):.3f}: {f['verdict']}. "
                        f"Right: f(x) against the step.")


render_descent = DescentScene.render


def explore_descent(lr: float = 0.1, x0: float = 2.0, num_steps: int = MAX_STEPS_1D):
    """Sliders for η (log), the start x₀ and the number of steps on ``f(x) = x⁴/4 − x² + 0.3x``."""
    return Explorer(
        DescentScene(),
        {"lr": log_slider("η (learning rate)", -3, 0, lr),
         "x0": float_slider("x₀ (start)", -2.4, 2.4, 0.05, x0),
         "num_steps": int_slider("steps", 1, MAX_STEPS_1D, num_steps)},
        hint="Slide **η** from tiny to large, then move the **start**: which valley do you end in?")


# --- static figures for the 1-D curve ---------------------------------------------------------

def regimes_figure(x0: float = -2.0, num_steps: int = 20,
                   lrs=(0.005, 0.1, 0.45, 1.1),
                   labels=("too small: crawls", "good", "too large: oscillates",
                           "far too large: diverges")):
    """Four panels: ``num_steps`` steps of ``x ← x − η f'(x)`` from ``x0`` for each η in ``lrs``."""
    fig, axes = new_figure(12.0, 3.2, ncols=len(lrs))
    xs = np.linspace(*XLIM_1D, 300)
    for ax, lr, label in zip(axes, lrs, labels, strict=False):
        path, diverged_at = descend(double_well_slope, x0, lr, num_steps)
        shown = np.abs(path) <= 10
        with np.errstate(all="ignore"):
            fx = double_well(path[shown])
        ax.plot(xs, double_well(xs), color=PALETTE["blue"], lw=1.5)
        ax.plot(path[shown], fx, "o-", color=PALETTE["orange"], ms=3.5, lw=1)
        ax.plot([x0], [double_well(x0)], "s", color=PALETTE["black"], ms=6)
        ax.set(xlim=XLIM_1D, ylim=YLIM_1D, xlabel="x", title=f"η = {lr:g}\n{label}")
        if diverged_at is not None:   # top left: the runaway path leaves through the top right
            color = WARNING
            ax.text(0.05, 0.93, f"diverged after {diverged_at} steps:\nη too large",
                    transform=ax.transAxes, ha="left", va="top", fontsize="medium", color=color,
                    bbox=dict(boxstyle="round", facecolor="white", edgecolor=color, alpha=0.9))
        else:
            ax.text(0.5, 0.93, f"x = {float(path[-1]):.3f} after {num_steps} steps",
                    transform=ax.transAxes, ha="center", fontsize="small")
    axes[0].set_ylabel("f(x)")
    runs = []
    for lr, label in zip(lrs, labels, strict=False):
        path, diverged_at = descend(double_well_slope, x0, lr, num_steps)
        runs.append(f"η = {lr:g} ({label}): " + (f"diverged after {diverged_at} steps"
                    if diverged_at is not None else f"x = {float(path[-1]):.3f}"))
    set_alt(fig, f"Four panels, {num_steps} steps of gradient descent on the curve "
                 f"f(x) = x⁴/4 − x² + 0.3x from x₀ = {x0:g}, one panel per learning rate. "
                 + "; ".join(runs) + ".")
    return fig


def basins_figure(lr: float = 0.05, num_steps: int = 300):
    """Where gradient descent ends for each start x₀: colour = the valley it reaches."""
    fig, ax = new_figure(7.0, 3.0)
    xs = np.linspace(*XLIM_1D, 300)
    ax.plot(xs, double_well(xs), color=PALETTE["grey"], lw=1)
    starts = np.linspace(-2.4, 2.4, 49)
    ends = np.array([descend(double_well_slope, s, lr, num_steps)[0][-1] for s in starts])
    to_global = np.abs(ends - GLOBAL_MIN) < 0.01
    ax.plot(starts[to_global], double_well(starts[to_global]), "o", color=PALETTE["green"],
            ms=5, label="start → global minimum")
    ax.plot(starts[~to_global], double_well(starts[~to_global]), "o", color=PALETTE["purple"],
            ms=5, label="start → local minimum")
    ax.axvline(_PEAK, color=PALETTE["black"], ls=":", lw=1, label=f"hilltop x = {_PEAK:.3f}")
    ax.set(xlim=XLIM_1D, ylim=YLIM_1D, xlabel="start x₀", ylabel="f(x₀)",
           title=f"Which valley? (η = {lr:g}, {num_steps} steps)")
    ax.legend(loc="upper center", fontsize="x-small")
    left, right = starts[to_global], starts[~to_global]
    set_alt(fig, f"Which valley gradient descent reaches (η = {lr:g}, {num_steps} steps) from "
                 f"{len(starts)} starts x₀ between -2.4 and 2.4, drawn on the curve "
                 f"f(x) = x⁴/4 − x² + 0.3x. The {to_global.sum()} starts from "
                 f"{left.min():.1f} to {left.max():.1f} end in the global minimum "
                 f"(x = {GLOBAL_MIN:.2f}); the {(~to_global).sum()} starts from "
                 f"{right.min():.1f} to {right.max():.1f} end in the local minimum "
                 f"(x = {LOCAL_MIN:.2f}). The dividing line is the hilltop at x = {_PEAK:.3f}."
            if to_global.any() and (~to_global).any() else
            f"Which valley gradient descent reaches from {len(starts)} starts: "
            f"{to_global.sum()} end in the global minimum, {(~to_global).sum()} elsewhere.")
    return fig


def decay_figure(lr0: float = 0.55, x0: float = -2.0, num_steps: int = 40):
    """Left: η_t for a constant rate, step decay and exponential decay. Right: f(x_t) for each."""
    from ..optim import constant, exponential_decay, step_decay

    schedules = {"constant η": constant(lr0),
                 "step decay (×0.5 every 10)": step_decay(lr0, drop=0.5, every=10),
                 "exponential decay (γ = 0.9)": exponential_decay(lr0, gamma=0.9)}
    fig, (ax, ax2) = new_figure(10.0, 3.2, ncols=2)
    steps = np.arange(num_steps + 1)
    finals = []
    for color, (name, schedule) in zip(("black", "blue", "green"), schedules.items(),
                                       strict=False):
        # η_t holds for the whole of step t: a staircase, not ramps between the steps
        ax.plot(steps, [schedule(t) for t in steps], color=PALETTE[color], lw=2, label=name,
                drawstyle="steps-post")
        path, _ = descend(double_well_slope, x0, schedule, num_steps)
        ax2.plot(np.arange(len(path)), double_well(path), ".-", color=PALETTE[color], lw=1.2,
                 label=f"{name}: f = {double_well(path[-1]):.3f}")
        finals.append(f"{name} ends at f = {double_well(path[-1]):.3f}")
    ax.set(xlim=(0, num_steps), ylim=(0, lr0 * 1.1), xlabel="step t", ylabel=r"$\eta_t$",
           title="learning-rate schedules")
    ax2.axhline(double_well(GLOBAL_MIN), color=PALETTE["grey"], ls="--", lw=1)
    ax2.set(xlim=(0, num_steps), ylim=(-1.8, 1.0), xlabel="step t", ylabel="$f(x_t)$",
            title=f"descent from $x_0$ = {x0:g} with $\\eta_0$ = {lr0:g}")
    ax.legend(fontsize="x-small")
    ax2.legend(fontsize="x-small", loc="upper right")
    set_alt(fig, f"Left: the learning rate η_t over {num_steps} steps for three schedules "
                 f"starting at η₀ = {lr0:g}: constant, step decay (halved every 10 steps) and "
                 f"exponential decay (×0.9 a step). Right: f(x_t) for descent from "
                 f"x₀ = {x0:g} with each; " + "; ".join(finals)
                 + f" (the global minimum is {double_well(GLOBAL_MIN):.3f}).")
    return fig


# --- gradient descent on the quadratic model's c₂, c₁, c₀ -------------------------------------

@functools.lru_cache(maxsize=1)
def quad_data():
    """The lesson's data: ``make_quadratic()`` (50 noisy points of ``y = 3x² + 2x + 1``)."""
    return make_quadratic()


def quad_features(x):
    """Columns ``[x², x, 1]``, so that ``ŷ = quad_features(x) @ [c₂, c₁, c₀]``: (n,) -> (n, 3)."""
    x = np.asarray(x, dtype=float)
    return np.stack([x * x, x, np.ones_like(x)], axis=1)


def quad_loss(c, x, y):
    """``L(c₂, c₁, c₀) = (1/n) Σ (c₂ x_i² + c₁ x_i + c₀ − y_i)²`` for ``c = [c₂, c₁, c₀]``."""
    with np.errstate(all="ignore"):
        r = quad_features(x) @ np.asarray(c, dtype=float) - y
        return float(np.mean(r * r))


def quad_grad(c, x, y):
    """Chain rule: ``∂L/∂c₂ = Σ ∂L/∂ŷ_i · x_i²``, ``∂L/∂c₁ = Σ ∂L/∂ŷ_i · x_i``,
    ``∂L/∂c₀ = Σ ∂L/∂ŷ_i``.

    ``∂L/∂ŷ_i = 2 (ŷ_i − y_i) / n`` comes from :func:`nnlib.losses.mse_grad`;
    ``c = [c₂, c₁, c₀]``, x and y (n,). Returns (3,): ``Fᵀ (∂L/∂ŷ)`` with ``F = quad_features(x)``.
    """
    F = quad_features(x)
    y_hat = F @ np.asarray(c, dtype=float)
    return F.T @ mse_grad(y_hat, y)


@functools.lru_cache(maxsize=1)
def quad_best():
    """The exact minimiser ``[c₂*, c₁*, c₀*]`` of :func:`quad_loss` (least squares)."""
    x, y = quad_data()
    return np.linalg.lstsq(quad_features(x), y, rcond=None)[0]


C2_RANGE, C1_RANGE = (-0.5, 4.5), (-1.0, 4.0)
MAX_STEPS_QUAD = 200
QUAD_START = (0.0, 0.0, 0.0)


@functools.lru_cache(maxsize=1)
def _loss_surface(res: int = 120):
    """MSE over a (c₂, c₁) grid with c₀ fixed at c₀*: computed once, shared by every render."""
    x, y = quad_data()
    c2 = np.linspace(*C2_RANGE, res)
    c1 = np.linspace(*C1_RANGE, res)
    C2, C1 = np.meshgrid(c2, c1)
    c0 = quad_best()[2]
    R = C2[..., None] * x ** 2 + C1[..., None] * x + c0 - y
    return C2, C1, np.mean(R * R, axis=-1)


class QuadFitScene(Scene):
    """Data + current fit, the loss contour over (c₂, c₁) with the path, and loss per step."""

    figsize = (12.5, 3.8)
    grid = (1, 3)

    def setup(self, axes):
        ax_fit, ax_c, ax_l = axes
        x, y = quad_data()
        ax_fit.plot(x, y, "o", color=PALETTE["blue"], ms=4, label="data")
        self.xs = np.linspace(-2, 2, 100)
        self.fit, = self.dyn(ax_fit.plot([], [], color=PALETTE["orange"], lw=2,
                                         label=r"$\hat y = c_2x^2 + c_1x + c_0$"))
        ax_fit.set(xlim=(-2.1, 2.1), ylim=(-3, 18), xlabel="$x$", ylabel="$y$")
        ax_fit.legend(loc="upper center", fontsize="x-small")
        self.title_fit = self.dyn(ax_fit.set_title(""))

        C2, C1, Z = _loss_surface()
        levels = np.geomspace(Z.min() * 1.05, Z.max(), 14)
        contours = ax_c.contour(C2, C1, Z, levels=levels, cmap="viridis", linewidths=1,
                                norm=LogNorm())
        bar = ax_c.figure.colorbar(contours, ax=ax_c, label="MSE on each contour line",
                                   shrink=0.9)
        bar.set_ticks(levels[::3], labels=[f"{v:.2g}" for v in levels[::3]])
        bar.minorticks_off()
        engine = ax_c.figure.get_layout_engine()
        if engine is not None:   # room between the colour bar's label and the next panel's
            engine.set(wspace=0.12)
        best = quad_best()
        ax_c.plot([best[0]], [best[1]], "*", color=PALETTE["green"], ms=14, mec="black",
                  label="best")
        ax_c.plot([QUAD_START[0]], [QUAD_START[1]], "s", color=PALETTE["black"], ms=6,
                  label="start")
        self.path, = self.dyn(ax_c.plot([], [], ".-", color=PALETTE["orange"], lw=1.5, ms=5,
                                        label="descent path"))
        ax_c.set(xlim=C2_RANGE, ylim=C1_RANGE, xlabel="$c_2$", ylabel="$c_1$",
                 title=f"MSE over $(c_2, c_1)$, $c_0$ fixed at {best[2]:.2f}")
        ax_c.legend(loc="upper left", fontsize="x-small", framealpha=0.9)
        self.warn = self.banner(ax_c)

        ax_l.axhline(quad_loss(best, x, y), color=PALETTE["green"], ls="--", lw=1,
                     label="smallest possible")
        self.curve, = self.dyn(ax_l.plot([], [], color=PALETTE["orange"], lw=2, label="MSE"))
        ax_l.set(xlim=(0, MAX_STEPS_QUAD), ylim=(0.08, 300), yscale="log",
                 xlabel="step (one epoch each)", ylabel="MSE (log scale)")
        ax_l.legend(loc="upper right", fontsize="x-small")
        self.title_l = self.dyn(ax_l.set_title(""))

    def update(self, lr=0.05, num_steps=MAX_STEPS_QUAD):
        x, y = quad_data()
        path, diverged_at = descend(lambda c: quad_grad(c, x, y), QUAD_START, lr, int(num_steps))
        with np.errstate(all="ignore"):
            R = quad_features(x) @ path.T - y[:, None]
            losses = finite_or_nan(np.mean(R * R, axis=0))
        c2, c1, c0 = path[-1]
        if diverged_at is None:
            self.fit.set_data(self.xs, c2 * self.xs ** 2 + c1 * self.xs + c0)
            self.title_fit.set_text(f"$c_2$ = {c2:.2f}, $c_1$ = {c1:.2f}, $c_0$ = {c0:.2f}")
            self.title_l.set_text(f"η = {lr:.3g}, step {num_steps}: MSE = {losses[-1]:.3f}")
            self.say(self.warn, "")
        else:
            self.fit.set_data([], [])
            self.title_fit.set_text("$c_2, c_1, c_0$ ran off to infinity")
            self.title_l.set_text(f"η = {lr:.3g}, {num_steps} steps: MSE blew up")
            self.say(self.warn, f"diverged after {diverged_at} steps: η too large")
        self.path.set_data(path[:, 0], path[:, 1])
        self.curve.set_data(np.arange(len(losses)), losses)
        self._frame = dict(c=path[-1], diverged_at=diverged_at, loss=losses[-1])

    def describe(self, lr=0.05, num_steps=MAX_STEPS_QUAD):
        f = self._frame
        best = quad_best()
        where = (f"Middle: contours of the MSE over (c₂, c₁), lowest at c₂ = {best[0]:.2f}, "
                 f"c₁ = {best[1]:.2f}, with the path of gradient descent from (0, 0). ")
        if f["diverged_at"] is not None:
            return (f"Gradient descent with η = {lr:.3g} fitting ŷ = c₂x² + c₁x + c₀ to 50 "
                    f"points diverged after {f['diverged_at']} steps: η too large. " + where
                    + "Right: the MSE per step, blowing up.")
        c2, c1, c0 = f["c"]
        return (f"Left: 50 data points and the fit ŷ = {c2:.2f}x² + {c1:.2f}x + {c0:.2f} after "
                f"{num_steps} steps of gradient descent with η = {lr:.3g}. " + where
                + f"Right: the MSE per step on a log scale, now {f['loss']:.3f}.")


render_quad_descent = QuadFitScene.render


def explore_quad_descent(lr: float = 0.05, num_steps: int = MAX_STEPS_QUAD):
    """Sliders for η (log) and the step count: gradient descent fits ``c₂, c₁, c₀`` to the data."""
    return Explorer(
        QuadFitScene(),
        {"lr": log_slider("η (learning rate)", -3, -0.3, lr),
         "num_steps": int_slider("steps", 1, MAX_STEPS_QUAD, num_steps)},
        hint="Raise **η** step by step: the path straightens, then zig-zags, then flies off.")


# --- the chain rule and the parabola: static figures -------------------------------------------

def chain_rule_figure(x0: float = 1.0, dx: float = 0.25):
    """``h(x) = f(g(x))`` with ``g(x) = 3x + 1`` and ``f(u) = u²``: a nudge ``Δx`` becomes
    ``Δu ≈ g'(x)Δx``, which becomes ``Δh ≈ f'(u)Δu``; so ``h'(x) = f'(g(x)) · g'(x)``."""
    u0 = 3 * x0 + 1
    fig, (ax_g, ax_f) = new_figure(10.0, 3.6, ncols=2)
    xs = np.linspace(x0 - 1, x0 + 1, 50)
    ax_g.plot(xs, 3 * xs + 1, color=PALETTE["blue"], lw=2, label="$u = g(x) = 3x + 1$")
    du = 3 * dx
    ax_g.plot([x0, x0 + dx, x0 + dx], [u0, u0, u0 + du], color=PALETTE["orange"], lw=2.5)
    ax_g.plot([x0], [u0], "o", color=PALETTE["black"], ms=6)
    ax_g.annotate(f"Δx = {dx:g}", (x0 + dx / 2, u0), xytext=(0, -16), textcoords="offset points",
                  ha="center", color=PALETTE["orange"])
    ax_g.annotate(f"Δu = 3·Δx = {du:g}", (x0 + dx, u0 + du / 2), xytext=(8, 0),
                  textcoords="offset points", va="center", color=PALETTE["orange"])
    ax_g.set(xlabel="$x$", ylabel="$u$", title=f"inner: $g'(x) = 3$ at $x = {x0:g}$")
    ax_g.legend(loc="upper left", fontsize="small")

    us = np.linspace(u0 - 2, u0 + 2, 100)
    ax_f.plot(us, us ** 2, color=PALETTE["blue"], lw=2, label="$f(u) = u^2$")
    slope = 2 * u0
    ax_f.plot(us, u0 ** 2 + slope * (us - u0), "--", color=PALETTE["grey"], lw=1.2,
              label=f"tangent, slope $f'(u) = 2u = {slope:g}$")
    ax_f.plot([u0, u0 + du, u0 + du], [u0 ** 2, u0 ** 2, u0 ** 2 + slope * du],
              color=PALETTE["orange"], lw=2.5)
    ax_f.plot([u0], [u0 ** 2], "o", color=PALETTE["black"], ms=6)
    ax_f.annotate(f"Δu = {du:g}", (u0 + du / 2, u0 ** 2), xytext=(0, -16),
                  textcoords="offset points", ha="center", color=PALETTE["orange"])
    ax_f.annotate(f"Δh ≈ {slope:g}·Δu = {slope * du:g}", (u0 + du, u0 ** 2 + slope * du / 2),
                  xytext=(8, 0), textcoords="offset points", va="center",
                  color=PALETTE["orange"])
    ax_f.set(xlabel="$u$", ylabel="$f(u)$", ylim=(0, (u0 + 2) ** 2 * 1.05),
             title=f"outer: $f'(u) = {slope:g}$ at $u = g({x0:g}) = {u0:g}$")
    ax_f.legend(loc="upper left", fontsize="small")
    fig.suptitle(f"$h'({x0:g}) = f'(g({x0:g}))\\cdot g'({x0:g}) = {slope:g} \\cdot 3 = "
                 f"{3 * slope:g}$: a nudge of {dx:g} in $x$ moves $h$ by about {3 * slope * dx:g}")
    set_alt(fig, f"The chain rule for h(x) = f(g(x)) at x = {x0:g}. Left: the inner line "
                 f"u = g(x) = 3x + 1; a nudge Δx = {dx:g} moves u by Δu = 3·Δx = {du:g}. Right: "
                 f"the outer parabola f(u) = u² with its tangent at u = {u0:g}, slope "
                 f"{slope:g}; the nudge Δu = {du:g} moves h by about {slope:g}·Δu = "
                 f"{slope * du:g}. So h'({x0:g}) = {slope:g} · 3 = {3 * slope:g}.")
    return fig


def parabola_figure(lrs=(0.1, 0.75, 1.0, 1.1), w0: float = 1.0, num_steps: int = 10):
    """Gradient descent on ``f(w) = w²``: each step multiplies ``w`` by ``1 − 2η``.

    One panel per η: ``w_t = (1 − 2η)^t w₀`` against the step ``t``.
    """
    fig, axes = new_figure(12.0, 3.0, ncols=len(lrs), sharey=True)
    steps = np.arange(num_steps + 1)
    words = {True: "shrinks", False: "grows"}
    for ax, lr in zip(axes, lrs, strict=False):
        r = 1 - 2 * lr
        w = w0 * r ** steps
        shown = np.abs(w) <= 3.2
        ax.axhline(0, color=PALETTE["grey"], lw=0.8)
        ax.plot(steps[shown], w[shown], "o-", ms=4, lw=1.5, color=PALETTE["blue"])
        if not shown.all():   # runaway steps: a triangle on the edge each one left through
            off, up = steps[~shown], w[~shown] > 0
            ax.plot(off[up], np.full(up.sum(), 3.0), "^", ms=6, color=PALETTE["blue"],
                    clip_on=False)
            ax.plot(off[~up], np.full((~up).sum(), -3.0), "v", ms=6, color=PALETTE["blue"],
                    clip_on=False)
            ax.text(0.97, 0.5, f"steps {off[0]}–{off[-1]}\noff the chart\n"
                    f"($w_{{{off[-1]}}}$ = {w[-1]:+.2f})", transform=ax.transAxes, ha="right",
                    va="center", fontsize="small",
                    bbox=dict(boxstyle="round", facecolor="white", edgecolor=PALETTE["grey"]))
        verdict = "stays: w bounces between ±1" if abs(r) == 1 else (
            f"{words[abs(r) < 1]}{', sign flips' if r < 0 else ''}")
        ax.set(xlim=(0, num_steps), ylim=(-3.2, 3.2), xlabel="step $t$",
               title=f"η = {lr:g}: factor $1 - 2\\eta$ = {r:g}\n|w| {verdict}")
    axes[0].set_ylabel("$w_t$")
    panels = []
    for lr in lrs:
        r = 1 - 2 * lr
        kind = ("bounces between +1 and -1" if abs(r) == 1 else
                f"{'shrinks' if abs(r) < 1 else 'grows'}{' with flipping sign' if r < 0 else ''}")
        panels.append(f"η = {lr:g}: factor {r:g}, |w| {kind}, w_{num_steps} = "
                      f"{w0 * r ** num_steps:.3g}")
    set_alt(fig, f"Gradient descent on f(w) = w² from w₀ = {w0:g}, one panel per learning "
                 f"rate, w_t against the step t for {num_steps} steps: each step multiplies "
                 f"w by 1 − 2η. " + "; ".join(panels) + ".")
    return fig


EXPLORERS = [explore_descent, explore_quad_descent]

"""Lesson 04 explorers: one neuron, ``a = φ(w · x + b)``.

A neuron multiplies each input by a weight, adds the products and a bias
(the pre-activation ``z = w · x + b``) and passes it through an activation ``φ``. Here you
draw it, slide its weights over an input plane, add ReLUs up to fit a curve,
and train one with gradient descent.
"""

from __future__ import annotations

import functools

import numpy as np
from matplotlib import colormaps
from matplotlib.patches import Circle, FancyArrowPatch, FancyBboxPatch

from ..activations import relu, sigmoid, step, tanh
from ..data import make_quadratic
from ..plots import PALETTE, finite_or_nan, new_figure, set_alt, signed
from ._base import Explorer, Scene, dropdown, float_slider, int_slider, log_slider

__all__ = [
    "neuron_output", "perceptron_figure", "activations_figure", "blob_data", "hinge_data",
    "double_relu", "relu_sum_fit", "relu_sum_figure", "train_relu_neuron", "ACTIVATION_CHOICES",
    "PlaneScene", "render_neuron_plane", "explore_neuron_plane",
    "DoubleReluScene", "render_double_relu", "explore_double_relu",
    "TrainNeuronScene", "render_train_neuron", "explore_train_neuron", "EXPLORERS",
]

ACTIVATION_CHOICES = {"step": step, "relu": relu, "sigmoid": sigmoid}


def neuron_output(X, w, b, activation: str = "relu"):
    """``a = φ(X · w + b)``: X (n, n_in) or (n_in,), w (n_in,), b a number -> (n,) or a number."""
    return ACTIVATION_CHOICES[activation](np.dot(X, w) + b)


# --- static pictures ---------------------------------------------------------------------------

def perceptron_figure(x=(1.0, 2.0, 3.0), w=(3.0, 4.0, 5.0), b=3.0, activation: str = "relu"):
    """The neuron as a diagram: inputs ``xᵢ``, weights ``wᵢ`` on the edges, then
    ``z = Σ wᵢxᵢ + b`` and ``a = φ(z)``."""
    fig, ax = new_figure(8.0, 3.4)
    ax.set(xlim=(0, 10), ylim=(0, 6), aspect="equal")
    ax.axis("off")
    z = float(np.dot(x, w) + b)
    a = float(ACTIVATION_CHOICES[activation](z))
    ys = np.linspace(5, 1, len(x))
    sum_xy, act_xy = (5.0, 3.0), (7.3, 3.0)
    for i, (xi, wi, yi) in enumerate(zip(x, w, ys, strict=False), start=1):
        ax.add_patch(Circle((1.2, yi), 0.45, facecolor=PALETTE["sky"], edgecolor="black"))
        ax.text(1.2, yi, f"x{_sub(i)}\n{xi:g}", ha="center", va="center", fontsize="small")
        ax.add_patch(FancyArrowPatch((1.65, yi), (4.45, sum_xy[1] + (yi - 3) * 0.15),
                                     arrowstyle="-|>", mutation_scale=12, color=PALETTE["grey"]))
        ax.text(2.9, yi + (3 - yi) * 0.45 + 0.18, f"w{_sub(i)} = {wi:g}", ha="center",
                fontsize="small", color=PALETTE["blue"])
    ax.add_patch(Circle(sum_xy, 0.55, facecolor="white", edgecolor="black"))
    ax.text(*sum_xy, "Σ", ha="center", va="center", fontsize="xx-large")
    ax.add_patch(FancyArrowPatch((5.0, 5.4), (5.0, 3.58), arrowstyle="-|>", mutation_scale=12,
                                 color=PALETTE["orange"]))
    ax.text(5.0, 5.55, f"bias b = {b:g}", ha="center", fontsize="small", color=PALETTE["orange"])
    ax.add_patch(FancyArrowPatch((5.55, 3.0), (6.7, 3.0), arrowstyle="-|>", mutation_scale=12))
    ax.text(6.1, 2.45, f"z = {z:g}", ha="center", fontsize="small")
    ax.add_patch(FancyBboxPatch((6.75, 2.5), 1.1, 1.0, boxstyle="round,pad=0.05",
                                facecolor=PALETTE["yellow"], edgecolor="black"))
    ax.text(*act_xy, f"φ\n{activation}", ha="center", va="center", fontsize="small")
    ax.add_patch(FancyArrowPatch((7.9, 3.0), (9.0, 3.0), arrowstyle="-|>", mutation_scale=12))
    ax.text(9.1, 3.0, f"a = {a:g}", va="center", fontsize="medium")
    terms = " + ".join(f"{wi:g}·{xi:g}" for xi, wi in zip(x, w, strict=False))
    ax.set_title(f"z = w · x + b = {terms}"
                 f" + {b:g} = {z:g}")
    inputs = ", ".join(f"x{_sub(i)} = {xi:g} (weight w{_sub(i)} = {wi:g})"
                       for i, (xi, wi) in enumerate(zip(x, w, strict=False), start=1))
    set_alt(fig, f"Diagram of one neuron: {len(x)} inputs, {inputs}, flow along weighted "
                 f"edges into a sum node Σ, which also takes the bias b = {b:g}. The sum "
                 f"z = {terms} + {b:g} = {z:g} goes through the activation φ = {activation}, "
                 f"giving the output a = {a:g}.")
    return fig


def _signed(v: float) -> str:
    """``+ 0.5`` or ``− 0.5``: a term written after another one."""
    return f"+ {v:.1f}" if v >= 0 else f"− {-v:.1f}"


def _sub(i: int) -> str:
    return str(i).translate(str.maketrans("0123456789", "₀₁₂₃₄₅₆₇₈₉"))


def activations_figure():
    """Step ``𝟙[z > 0]``, ReLU ``max(0, z)``, sigmoid ``1 / (1 + e^{−z})`` and ``tanh z``."""
    fig, axes = new_figure(12.5, 3.0, ncols=4)
    z = np.linspace(-4, 4, 401)
    panels = [("step", step, r"$a = \mathbb{1}[z > 0]$", (-0.2, 1.2)),
              ("ReLU", relu, r"$a = \max(0, z)$", (-0.5, 4.0)),
              ("sigmoid", sigmoid, r"$a = \sigma(z) = 1/(1 + e^{-z})$", (-0.2, 1.2)),
              ("tanh", tanh, r"$a = \tanh z$", (-1.2, 1.2))]
    for ax, (name, fn, formula, ylim), color in zip(axes, panels,
                                                    ("blue", "orange", "green", "purple"),
                                                    strict=False):
        ax.plot(z, fn(z), color=PALETTE[color], lw=2.5)
        ax.axhline(0, color=PALETTE["grey"], lw=0.8)
        ax.axvline(0, color=PALETTE["grey"], lw=0.8)
        ax.set(xlim=(-4, 4), ylim=ylim, xlabel="$z$ (pre-activation)", ylabel="$a$",
               title=f"{name}: {formula}")
    set_alt(fig, "Four activation functions, output a against the pre-activation z from -4 "
                 "to 4. Step: 0 for z ≤ 0, then jumps to 1. ReLU: 0 for z ≤ 0, then a = z, a "
                 "straight ramp reaching 4 at z = 4. Sigmoid: an S curve from near 0 to near "
                 f"1, {float(sigmoid(0.0)):.1f} at z = 0. Tanh: an S curve from -1 to 1 "
                 f"through 0 at z = 0 ({float(tanh(4.0)):.3f} at z = 4).")
    return fig


# --- a neuron with two inputs over the input plane --------------------------------------------

@functools.lru_cache(maxsize=1)
def blob_data(n_per_class: int = 20, seed: int = 3):
    """Two clouds of points: ``X`` (2n, 2), labels ``y`` (2n,), 0 (blue) or 1 (orange)."""
    rng = np.random.default_rng(seed)
    X = np.r_[rng.normal((-1.0, -0.6), 0.6, (n_per_class, 2)),
              rng.normal((1.0, 0.9), 0.6, (n_per_class, 2))]
    y = np.r_[np.zeros(n_per_class, dtype=np.int64), np.ones(n_per_class, dtype=np.int64)]
    return X, y


PLANE = (-3.0, 3.0)
CLIM = {"step": 1.0, "sigmoid": 1.0, "relu": 4.0}


class PlaneScene(Scene):
    """The output ``a = φ(w₁x₁ + w₂x₂ + b)`` as a heatmap, and the line ``w₁x₁ + w₂x₂ + b = 0``."""

    figsize = (6.6, 5.4)

    def setup(self, ax):
        g = np.linspace(*PLANE, 91)
        self.X1, self.X2 = np.meshgrid(g, g)
        # every artist on top of the (moving) heatmap must move too, or the heatmap hides it
        # a banded colour map: reads like contour levels, and flat bands make the PNG cheap
        self.img = self.dyn(ax.imshow(np.zeros_like(self.X1), origin="lower",
                                      cmap=colormaps["viridis"].resampled(10),
                                      extent=(*PLANE, *PLANE), vmin=0, vmax=1, aspect="equal",
                                      interpolation="bilinear"))
        X, y = blob_data()
        self.dyn(ax.scatter(*X[y == 0].T, c=PALETTE["sky"], edgecolors="black", s=30,
                            label="class 0"))
        self.dyn(ax.scatter(*X[y == 1].T, c=PALETTE["orange"], edgecolors="black", s=30,
                            marker="s", label="class 1"))
        self.line, = self.dyn(ax.plot([], [], color=PALETTE["black"], lw=2.5,
                                      label="boundary z = 0"))
        ax.set(xlim=PLANE, ylim=PLANE, xlabel="$x_1$", ylabel="$x_2$")
        # below the axes
        ax.legend(loc="upper center", bbox_to_anchor=(0.5, -0.13), ncol=3, fontsize="small")
        self.bar = ax.figure.colorbar(self.img, ax=ax, label="output $a$", shrink=0.85,
                                      location="right")
        self.activation = None
        self.title = self.dyn(ax.set_title(""))

    def update(self, w1=1.0, w2=1.0, b=0.0, activation="sigmoid"):
        top = CLIM[activation]
        self.img.set_clim(0, top)
        z = w1 * self.X1 + w2 * self.X2 + b
        self.img.set_data(ACTIVATION_CHOICES[activation](z))
        changed = activation != self.activation
        if changed:   # the colour bar's range is static: redraw it only when φ changes
            self.activation = activation
            self.bar.set_label("output $a$ (capped at 4)" if activation == "relu"
                               else "output $a$")
        xs = np.array(PLANE)
        if abs(w2) > 1e-9:
            self.line.set_data(xs, -(w1 * xs + b) / w2)
        elif abs(w1) > 1e-9:
            self.line.set_data([-b / w1] * 2, xs)
        else:
            self.line.set_data([], [])
        X, y = blob_data()
        right = int(np.sum((X @ np.array([w1, w2]) + b > 0) == (y == 1)))
        self.title.set_text(f"{activation}({w1:.1f}·x₁ {_signed(w2)}·x₂ {_signed(b)}): "
                            f"{right}/{len(y)} correct")
        self._right = right
        return changed

    def describe(self, w1=1.0, w2=1.0, b=0.0, activation="sigmoid"):
        n = len(blob_data()[1])
        return (f"Heatmap of the neuron's output a = {activation}({w1:.1f}·x₁ {_signed(w2)}·x₂ "
                f"{_signed(b)}) over the plane, x₁ and x₂ from {PLANE[0]:g} to {PLANE[1]:g}, "
                f"bright where the output is high, with {n // 2} points of class 0 (circles) "
                f"and {n - n // 2} of class 1 (squares). The black boundary line z = 0 puts "
                f"{self._right} of the {n} points on their own class's side.")


render_neuron_plane = PlaneScene.render


def explore_neuron_plane(w1: float = 1.0, w2: float = -1.0, b: float = 0.5,
                         activation: str = "sigmoid"):
    """Sliders for ``w₁, w₂, b`` and a dropdown for φ: the neuron's output over the input plane."""
    return Explorer(
        PlaneScene(),
        {"w1": float_slider("w₁", -3.0, 3.0, 0.1, w1),
         "w2": float_slider("w₂", -3.0, 3.0, 0.1, w2),
         "b": float_slider("b (bias)", -3.0, 3.0, 0.1, b),
         "activation": dropdown("activation φ", list(ACTIVATION_CHOICES), activation)},
        hint="Turn the black line with **w₁, w₂**, slide it with **b**: put every orange "
             "square on the bright side.")


# --- adding up ReLUs ---------------------------------------------------------------------------

def double_relu(x, w1, b1, w2, b2):
    """``ŷ = relu(w₁x + b₁) + relu(w₂x + b₂)``: two ReLU neurons added up."""
    return relu(w1 * np.asarray(x, dtype=float) + b1) + relu(w2 * np.asarray(x, dtype=float) + b2)


@functools.lru_cache(maxsize=1)
def _quad():
    return make_quadratic()


class DoubleReluScene(Scene):
    """Data from lesson 02's quadratic, the two ReLUs (dashed) and their sum."""

    figsize = (7.0, 3.8)

    def setup(self, ax):
        x, y = _quad()
        ax.plot(x, y, "o", color=PALETTE["blue"], ms=4, label="data")
        self.xs = np.linspace(-2.2, 2.2, 200)
        # moving artists are drawn in the order they are registered: the sum first (wide and
        # pale), then the two dashed ReLUs on top of it, so each stays visible along its ramp,
        # where the sum runs on top of it
        self.total, = self.dyn(ax.plot([], [], color=PALETTE["orange"], lw=5, alpha=0.45,
                                       label="sum ŷ"))
        self.r1, = self.dyn(ax.plot([], [], "--", color=PALETTE["green"], lw=2,
                                    label="relu(w₁x + b₁)"))
        self.r2, = self.dyn(ax.plot([], [], "--", color=PALETTE["purple"], lw=2,
                                    label="relu(w₂x + b₂)"))
        ax.set(xlim=(-2.2, 2.2), ylim=(-1, 18), xlabel="x", ylabel="y")
        ax.legend(loc="upper center", fontsize="x-small", ncol=2)
        self.title = self.dyn(ax.set_title(""))

    def update(self, w1=-4.0, b1=-1.0, w2=6.0, b2=-1.0):
        x, y = _quad()
        with np.errstate(all="ignore"):
            p1, p2 = relu(w1 * self.xs + b1), relu(w2 * self.xs + b2)
            loss = float(np.mean((double_relu(x, w1, b1, w2, b2) - y) ** 2))
        self.r1.set_data(self.xs, p1)
        self.r2.set_data(self.xs, p2)
        self.total.set_data(self.xs, p1 + p2)
        self.title.set_text(f"w₁ = {w1:.1f}, b₁ = {b1:.1f}, w₂ = {w2:.1f}, b₂ = {b2:.1f}:  "
                            f"MSE = {loss:.2f}")
        self._loss = loss

    def describe(self, w1=-4.0, b1=-1.0, w2=6.0, b2=-1.0):
        def ramp(w, b):
            if w == 0:
                return f"flat at {max(b, 0.0):.1f}"
            k = -b / w
            return (f"0 {'right' if w < 0 else 'left'} of x = {k:.2f}, rising with slope "
                    f"{abs(w):.1f} to its {'left' if w < 0 else 'right'}")
        return (f"{len(_quad()[0])} data points of a U-shaped quadratic, two dashed ReLUs and "
                f"their sum ŷ. First ReLU relu({w1:.1f}x {_signed(b1)}): {ramp(w1, b1)}. "
                f"Second ReLU relu({w2:.1f}x {_signed(b2)}): {ramp(w2, b2)}. The sum fits the "
                f"data with MSE = {self._loss:.2f}.")


render_double_relu = DoubleReluScene.render


def explore_double_relu(w1: float = -4.0, b1: float = -1.0, w2: float = 6.0, b2: float = -1.0):
    """Four sliders, weight and bias of two ReLU neurons: fit the quadratic data with their sum."""
    return Explorer(
        DoubleReluScene(),
        {"w1": float_slider("w₁", -10.0, 10.0, 0.1, w1),
         "b1": float_slider("b₁", -10.0, 10.0, 0.1, b1),
         "w2": float_slider("w₂", -10.0, 10.0, 0.1, w2),
         "b2": float_slider("b₂", -10.0, 10.0, 0.1, b2)},
        hint="Bring the **MSE** below 1: one ReLU for each side of the valley.")


def relu_sum_fit(x, y, num_relus: int):
    """Least-squares fit of ``ŷ = c₀ + c₁x + Σⱼ wⱼ relu(x − kⱼ)`` (a line plus ReLU hinges).

    ``num_relus`` breakpoints ``kⱼ`` are spaced evenly inside the range of x.

    Returns ``(predict, knots)`` where ``predict(x)`` evaluates the fitted sum.
    """
    x = np.asarray(x, dtype=float)
    knots = np.linspace(x.min(), x.max(), num_relus + 2)[1:-1]

    def design(t):
        t = np.asarray(t, dtype=float)
        return np.column_stack([np.ones_like(t), t] + [relu(t - k) for k in knots])

    coef = np.linalg.lstsq(design(x), y, rcond=None)[0]
    return (lambda t: design(t) @ coef), knots


def relu_sum_figure(counts=(2, 5, 20)):
    """Fit a wiggly curve with 2, 5, 20 ReLUs: more ReLUs, more corners, closer fit."""
    x = np.linspace(-3, 3, 300)
    target = np.sin(2 * x) + 0.3 * x ** 2
    fig, axes = new_figure(11.0, 3.0, ncols=len(counts))
    errors = []
    for ax, k in zip(axes, counts, strict=False):
        predict, knots = relu_sum_fit(x, target, k)
        y_hat = predict(x)
        errors.append(f"{k} ReLUs, max error {np.max(np.abs(y_hat - target)):.3f}")
        ax.plot(x, target, color=PALETTE["blue"], lw=3, alpha=0.5, label="target")
        ax.plot(x, y_hat, color=PALETTE["orange"], lw=1.8, label="sum of ReLUs")
        ax.plot(knots, predict(knots), "|", color=PALETTE["black"], ms=8, label="breakpoints")
        ax.set(xlim=(-3, 3), ylim=(-1.5, 3.8), xlabel="x",
               title=f"{k} ReLUs: max error {np.max(np.abs(y_hat - target)):.3f}")
    axes[0].set_ylabel("y")
    axes[0].legend(loc="upper center", fontsize="x-small")
    set_alt(fig, "A wiggly target curve y = sin(2x) + 0.3x² for x from -3 to 3, fitted by "
                 "sums of ReLUs, one panel each: " + "; ".join(errors) + ". More ReLUs give "
                 "more corners and a closer fit.")
    return fig


# --- training one ReLU neuron with gradient descent -------------------------------------------

@functools.lru_cache(maxsize=1)
def hinge_data(n: int = 30, seed: int = 4):
    """Noisy samples of ``y = relu(1.5 x − 0.5) + ε``, ε normal with std 0.15; x, y (n,)."""
    rng = np.random.default_rng(seed)
    x = np.sort(rng.uniform(-2, 2, n))
    return x, relu(1.5 * x - 0.5) + rng.normal(0, 0.15, n)


def train_relu_neuron(x, y, lr, num_epochs: int, w0: float = 0.5, b0: float = 0.5,
                      limit: float = 1e6):
    """Gradient descent on ``ŷ = relu(w x + b)`` with the MSE.

    Chain rule: ``∂L/∂ŷᵢ = 2(ŷᵢ − yᵢ)/n``, ``∂L/∂zᵢ = ∂L/∂ŷᵢ · 𝟙[zᵢ > 0]``,
    ``∂L/∂w = Σ ∂L/∂zᵢ xᵢ``, ``∂L/∂b = Σ ∂L/∂zᵢ``. Returns a dict with
    ``w``, ``b``, ``losses`` (one per epoch, before its update), ``history``
    (w, b per epoch) and ``status``: ``"ok"``, ``("diverged", epoch)`` when
    |w| or |b| passes ``limit``, or ``("dead", epoch)`` when every ``zᵢ ≤ 0``
    (the ReLU is flat everywhere, so every gradient is 0 and learning stops).
    """
    w, b, n = float(w0), float(b0), len(x)
    losses, history, status = [], [(w, b)], "ok"
    with np.errstate(all="ignore"):
        for epoch in range(num_epochs):
            z = w * x + b
            y_hat = np.maximum(z, 0)
            losses.append(float(np.mean((y_hat - y) ** 2)))
            active = z > 0
            if not active.any():
                status = ("dead", epoch)
                break
            dz = 2 * (y_hat - y) / n * active
            w, b = w - lr * float(dz @ x), b - lr * float(dz.sum())
            history.append((w, b))
            if not (np.isfinite(w) and np.isfinite(b)) or max(abs(w), abs(b)) > limit:
                status = ("diverged", epoch + 1)
                break
    return {"w": w, "b": b, "losses": np.array(losses), "history": np.array(history),
            "status": status}


MAX_EPOCHS = 100   # the lesson's loop runs 100 epochs; the loss axis ends there too


class TrainNeuronScene(Scene):
    """Left: data, the neuron at the start (dashed) and after training. Right: loss per epoch."""

    figsize = (10.0, 3.7)
    grid = (1, 2)

    def setup(self, axes):
        ax, ax2 = axes
        x, y = hinge_data()
        ax.plot(x, y, "o", color=PALETTE["blue"], ms=4, label="data")
        self.xs = np.linspace(-2.2, 2.2, 200)
        ax.plot(self.xs, relu(0.5 * self.xs + 0.5), "--", color=PALETTE["grey"], lw=1.5,
                label="start: relu(0.5x + 0.5)")
        self.fit, = self.dyn(ax.plot([], [], color=PALETTE["orange"], lw=2.5,
                                     label="trained: relu(wx + b)"))
        ax.set(xlim=(-2.2, 2.2), ylim=(-0.8, 3.2), xlabel="x", ylabel="y")
        ax.legend(loc="upper left", fontsize="x-small")
        self.title = self.dyn(ax.set_title(""))
        self.curve, = self.dyn(ax2.plot([], [], color=PALETTE["orange"], lw=2))
        self.warn = self.banner(ax2)   # on the loss panel, which is empty once training stops
        self.warn.set_position((0.55, 0.5))
        ax2.set(xlim=(0, MAX_EPOCHS), ylim=(0.005, 5), yscale="log", xlabel="epoch",
                ylabel="MSE (log scale)")
        self.title2 = self.dyn(ax2.set_title(""))

    def _update(self, lr, num_epochs, run):
        w, b, losses, status = run["w"], run["b"], run["losses"], run["status"]
        self.curve.set_data(np.arange(len(losses)), finite_or_nan(losses))
        if status == "ok":
            self.fit.set_data(self.xs, relu(w * self.xs + b))
            self.title.set_text(f"η = {lr:.3g}: w = {w:.3f}, b = {b:.3f}")
            self.title2.set_text(f"MSE = {losses[-1]:.4f} after {num_epochs} "
                                 f"epoch{'s' if num_epochs != 1 else ''}")
            self.say(self.warn, "")
            return
        kind, epoch = status
        self.title2.set_text(f"training stopped at epoch {epoch} of {num_epochs}")
        if kind == "dead":
            self.fit.set_data(self.xs, relu(w * self.xs + b))
            self.title.set_text(f"η = {lr:.3g}: w = {w:.2f}, b = {b:.2f}")
            self.say(self.warn, f"neuron died after {epoch} steps:\nevery zᵢ ≤ 0 on the data, "
                                f"so\nevery gradient is 0 (η too large)")
        else:
            self.fit.set_data([], [])
            self.title.set_text(f"η = {lr:.3g}: w and b ran off")
            # unreachable on the slider (η = 10 dies at epoch 5, |w|, |b| < 2500): a safety net
            self.say(self.warn, f"w or b ran past 10⁶ after {epoch} steps: η too large")

    def update(self, lr=0.3, num_epochs=100):
        self._run = train_relu_neuron(*hinge_data(), lr, int(num_epochs))
        return self._update(lr, num_epochs, self._run)

    def describe(self, lr=0.3, num_epochs=100):
        run = self._run
        start = (f"Left: {len(hinge_data()[0])} data points following a bent line (0, then "
                 f"rising), the neuron relu(0.5x + 0.5) at the start (dashed) and ")
        status = run["status"]
        if status == "ok":
            return start + (f"after {num_epochs} epochs of gradient descent with η = {lr:.3g}: "
                            f"relu({run['w']:.3f}x {signed(run['b'], '.3f')}). Right: the MSE "
                            f"per epoch on a log scale, now {run['losses'][-1]:.4f}.")
        kind, epoch = status
        if kind == "dead":
            return start + (f"with η = {lr:.3g} the neuron died after {epoch} steps: every "
                            f"z is 0 or less on the data, so every gradient is 0 and it stays "
                            f"flat. Right: the MSE per epoch, stopping at epoch {epoch}.")
        return start + (f"with η = {lr:.3g} w and b ran off after {epoch} steps: η too large.")


render_train_neuron = TrainNeuronScene.render


def explore_train_neuron(lr: float = 0.3, num_epochs: int = 100):
    """Sliders for η (log) and the number of epochs: gradient descent trains ``relu(w x + b)``."""
    return Explorer(
        TrainNeuronScene(),
        {"lr": log_slider("η (learning rate)", -3, 1, lr),
         "num_epochs": int_slider("epochs", 1, MAX_EPOCHS, num_epochs)},
        hint="Raise **η** from 0.001: it crawls, then converges (0.1 to 0.63), wobbles at "
             "0.71, and from 0.79 up to the top (10) the neuron dies. At 10 the jumps in w "
             "first grow, then it dies.")


EXPLORERS = [explore_neuron_plane, explore_double_relu, explore_train_neuron]

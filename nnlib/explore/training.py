"""Lesson 09 explorers: overfitting and weight decay, initialization, schedules, local minima.

Everything slow is computed once when an explorer is built: the weight-decay
explorer trains one network per λ side by side (``train_stack``), so the
λ slider only picks a finished run.
"""

from __future__ import annotations

import numpy as np

from ..data import make_moons
from ..optim import constant, exponential_decay, step_decay
from ..plots import DIVERGING_CMAP, PALETTE, WARNING
from ._base import Explorer, Scene, dropdown, float_slider, log_slider
from .sgd import train_stack

__all__ = ["moons_data", "decay_runs", "WeightDecayScene", "render_weight_decay",
           "explore_weight_decay", "deep_net_stats", "InitScene", "render_init", "explore_init",
           "schedule_runs", "ScheduleScene", "render_schedules", "explore_schedules",
           "bumpy_loss", "bumpy_path", "MinimaScene", "render_minima", "explore_minima",
           "EXPLORERS"]


# ---------------------------------------------------------------------------
# Explorer 1: overfitting and weight decay
# ---------------------------------------------------------------------------

WD_EXPONENTS = np.arange(-4.0, 0.01, 0.5)     # λ = 10^e
WD_EPOCHS = 150
WD_EVERY = 5
WD_SIZES = [2, 48, 48, 2]
WD_LIM = (-1.6, 2.6, -1.3, 1.8)               # x₁ from, to, x₂ from, to
WD_GRID = 60


def moons_data():
    """A tiny noisy training set (40 moons) and a validation set (200) from the same source."""
    X, y = make_moons(40, noise=0.3, seed=1)
    X_val, y_val = make_moons(200, noise=0.3, seed=2)
    return X, y, X_val, y_val


_WD_CACHE = {}


def decay_runs():
    """Train ``MLP([2, 48, 48, 2])`` for 150 epochs (η = 0.1, μ = 0.9, batch 10) once per λ.

    Returns the ``train_stack`` result plus ``grid_p1``: P(class 1) over a grid, (R, G, G).
    """
    if not _WD_CACHE:
        X, y, X_val, y_val = moons_data()
        lams = 10.0 ** WD_EXPONENTS
        out = train_stack(X, y, WD_SIZES, np.full(len(lams), 0.1), 10, WD_EPOCHS, momentum=0.9,
                          weight_decay=lams, X_val=X_val, y_val=y_val, seed=0,
                          record_every=WD_EVERY)
        g1 = np.linspace(WD_LIM[0], WD_LIM[1], WD_GRID)
        g2 = np.linspace(WD_LIM[2], WD_LIM[3], WD_GRID)
        grid = np.array(np.meshgrid(g1, g2)).reshape(2, -1).T
        A = grid
        Ws, bs = out["params"]
        with np.errstate(all="ignore"):
            for i, (W, b) in enumerate(zip(Ws, bs, strict=True)):
                A = A @ W + b
                if i < len(Ws) - 1:
                    A = np.maximum(A, 0)
            p1 = 1 / (1 + np.exp(A[..., 0] - A[..., 1]))     # softmax of two logits
        out["grid_p1"] = p1.reshape(len(lams), WD_GRID, WD_GRID)
        out["weight_norm"] = np.sqrt(sum((W ** 2).sum(axis=(1, 2)) for W in Ws))
        _WD_CACHE.update(out)
    return _WD_CACHE


class WeightDecayScene(Scene):
    """Left: the decision boundary after training, with training (filled) and validation (hollow)
    points. Right: training and validation loss per epoch; the dot marks the lowest
    validation loss."""

    figsize = (9.0, 3.6)
    grid = (1, 2)

    def setup(self, axes):
        ax, ax2 = axes
        self.runs = decay_runs()
        X, y, X_val, y_val = moons_data()
        self.image = self.dyn(ax.imshow(np.zeros((WD_GRID, WD_GRID)), origin="lower",
                                        extent=WD_LIM, cmap=DIVERGING_CMAP, vmin=0.0, vmax=1.0,
                                        alpha=0.35, interpolation="bilinear",
                                        aspect="auto"))
        self.fig.colorbar(self.image, ax=ax, label="P(class 1)", shrink=0.9)
        self.contour = None
        self.ax = ax
        # class by shape (circle 0, triangle 1), so no point relies on its colour against the
        # background: training points large, filled, black-edged; validation small and hollow
        # with a black edge
        for k, color, mk in ((0, PALETTE["blue"], "o"), (1, PALETTE["purple"], "^")):
            self.dyn(ax.plot(X_val[y_val == k, 0], X_val[y_val == k, 1], mk, ms=5,
                             mfc="white", mec="black", mew=1.0)[0])
            self.dyn(ax.plot(X[y == k, 0], X[y == k, 1], mk, ms=8, color=color, mec="black",
                             mew=1.4, label=f"training, class {k}")[0])
        ax.plot([], [], "o", ms=5, mfc="white", mec="black", label="validation (hollow)")
        ax.legend(loc="upper center", bbox_to_anchor=(0.5, -0.2), fontsize=9, ncol=3,
                  handletextpad=0.2, columnspacing=0.8)
        ax.set(xlim=WD_LIM[:2], ylim=WD_LIM[2:], xlabel="$x_1$", ylabel="$x_2$")
        self.title = self.dyn(ax.set_title("", fontsize=10))
        epochs = np.arange(0, WD_EPOCHS + 1, WD_EVERY)
        self.epochs = epochs
        self.train, = self.dyn(ax2.plot([], [], color=PALETTE["blue"], lw=2, label="training"))
        self.val, = self.dyn(ax2.plot([], [], "--", color=PALETTE["orange"], lw=2,
                                      label="validation"))
        self.best, = self.dyn(ax2.plot([], [], "o", color=PALETTE["black"], ms=8,
                                       label="lowest validation"))
        ax2.set(xlim=(0, WD_EPOCHS), ylim=(0, 1.6), xlabel="epoch", ylabel="cross-entropy loss")
        ax2.legend(loc="upper center", bbox_to_anchor=(0.5, -0.2), fontsize=9, ncol=3)
        self.title2 = self.dyn(ax2.set_title("", fontsize=10))

    def update(self, weight_decay=1e-4):
        i = int(np.argmin(np.abs(WD_EXPONENTS - np.log10(weight_decay))))
        lam = 10.0 ** WD_EXPONENTS[i]
        r = self.runs
        p1 = r["grid_p1"][i]
        self.image.set_data(np.where(np.isfinite(p1), p1, 0.5))
        tr, va = r["train_loss"][i], r["val_loss"][i]
        self.train.set_data(self.epochs, np.clip(tr, 0, 1.6))
        self.val.set_data(self.epochs, np.clip(va, 0, 1.6))
        b = int(np.nanargmin(va))
        self.best.set_data([self.epochs[b]], [min(va[b], 1.6)])
        self.title.set_text(f"λ = {lam:.3g}: acc. train {r['train_acc'][i, -1]:.0%}, "
                            f"val {r['val_acc'][i, -1]:.0%}, "
                            f"$\\|W\\|$ = {r['weight_norm'][i]:.1f}")
        gap = va[-1] - tr[-1]
        self.title2.set_text(f"loss: train {tr[-1]:.3f}, val {va[-1]:.3f}, "
                             f"gap {0.0 if abs(gap) < 5e-4 else gap:.3f}")
        self._frame = dict(i=i, lam=lam, b=b, gap=0.0 if abs(gap) < 5e-4 else gap)

    def describe(self, weight_decay=1e-4):
        f, r = self._frame, self.runs
        i = f["i"]
        tr, va = r["train_loss"][i], r["val_loss"][i]
        return (f"Left: two interleaved half-moons of points, classes 0 (circles) and 1 "
                f"(triangles), training points filled and validation points hollow, over the "
                f"network's probability of class 1 after training with weight decay "
                f"λ = {f['lam']:.3g}: training accuracy {r['train_acc'][i, -1]:.0%}, "
                f"validation {r['val_acc'][i, -1]:.0%}, weight norm "
                f"{r['weight_norm'][i]:.1f}. Right: training and validation loss per epoch, "
                f"ending at {tr[-1]:.3f} and {va[-1]:.3f} (gap {f['gap']:.3f}); the lowest "
                f"validation loss, {va[f['b']]:.3f}, is at epoch {self.epochs[f['b']]}.")


render_weight_decay = WeightDecayScene.render


def explore_weight_decay(weight_decay: float = 1e-4):
    """A λ slider over precomputed runs: the overfitting gap shrinks, then the model underfits."""
    return Explorer(
        WeightDecayScene(),
        {"weight_decay": log_slider("λ (weight decay)", -4, 0, weight_decay, step=0.5)},
        hint="Raise **λ** step by step: watch the gap between the two curves, and the boundary.")


# ---------------------------------------------------------------------------
# Explorer 2: initialization scale in a deep network
# ---------------------------------------------------------------------------

INIT_DEPTH = 10
INIT_WIDTH = 100
INIT_BATCH = 25          # 25·100·100 keeps each product single-threaded in BLAS
HIST_RANGES = {"tanh": (-1.05, 1.05), "relu": (-0.15, 3.2)}
HIST_BINS = 42
HIST_LAYERS = (1, 4, 7, 10)

_INIT = {}


def _init_draws():
    if not _INIT:
        rng = np.random.default_rng(0)
        _INIT["X"] = rng.standard_normal((INIT_BATCH, INIT_WIDTH))
        _INIT["Z"] = [rng.standard_normal((INIT_WIDTH, INIT_WIDTH)) for _ in range(INIT_DEPTH)]
        _INIT["dY"] = rng.standard_normal((INIT_BATCH, INIT_WIDTH))
    return _INIT


def deep_net_stats(scale, activation="tanh"):
    """``(acts, act_std, grad_std)`` of :func:`deep_net_signals` (without the backward signal)."""
    acts, act_std, _, grad_std = deep_net_signals(scale, activation)
    return acts, act_std, grad_std


def deep_net_signals(scale, activation="tanh"):
    """Push a batch of standard-normal inputs through a 10-layer, 100-wide network with
    ``W ~ N(0, scale²)`` and zero biases; return ``(acts, act_std, dz_std, grad_std)``.

    ``acts[l]`` are the activations after layer l+1 (200, 100); ``act_std[l]`` their std;
    ``dz_std[l]`` the std of the backward signal ``∂L/∂Z_l`` and ``grad_std[l]`` that of
    ``∂L/∂W_l = A_(l−1)ᵀ ∂L/∂Z_l`` when a random ``∂L/∂a`` is fed back from the top.
    The fixed draws ``W_l = scale · Z_l`` mean only the scale changes with the slider.
    """
    d = _init_draws()
    tanh = activation == "tanh"
    acts, A = [], d["X"]
    with np.errstate(all="ignore"):
        for Z in d["Z"]:
            Zs = A @ (scale * Z)
            A = np.tanh(Zs) if tanh else np.maximum(Zs, 0)
            acts.append(A)
        dA = d["dY"]
        grad_std, dz_std = np.zeros(INIT_DEPTH), np.zeros(INIT_DEPTH)
        for layer in range(INIT_DEPTH - 1, -1, -1):
            A = acts[layer]
            dZ = dA * (1 - A * A) if tanh else dA * (A > 0)
            A_prev = acts[layer - 1] if layer > 0 else d["X"]
            grad_std[layer] = np.std(A_prev.T @ dZ / INIT_BATCH)
            dz_std[layer] = np.std(dZ)
            dA = dZ @ (scale * d["Z"][layer]).T
        act_std = np.array([np.std(a) for a in acts])
    return acts, act_std, dz_std, grad_std


def _he(n):
    return np.sqrt(2 / n)


def _xavier(n_in, n_out):
    return np.sqrt(2 / (n_in + n_out))


class InitScene(Scene):
    """Left: histograms of activations in four layers, one row each. Right: std of activations,
    of the backward signal ∂L/∂Z and of the weight gradients per layer (log scale), with the
    std a He/Xavier start gives as dashed lines."""

    figsize = (9.0, 4.0)
    grid = (1, 2)

    def setup(self, axes):
        ax, ax2 = axes
        self.ax = ax
        self._activation = None
        colors = [PALETTE["sky"], PALETTE["blue"], PALETTE["purple"], PALETTE["black"]]
        # a ridgeline: one row per layer (layer 1 on top), each histogram scaled to its own
        # peak, so no histogram can hide another and a spike at 0 still shows as a spike
        self.base = {layer: len(HIST_LAYERS) - 1 - k for k, layer in enumerate(HIST_LAYERS)}
        for layer in HIST_LAYERS:
            ax.axhline(self.base[layer], color=PALETTE["grey"], lw=0.8)
        self.hists = [self.dyn(ax.plot([], [], drawstyle="steps-mid", color=c, lw=2)[0])
                      for c in colors]
        ax.set_yticks([self.base[layer] for layer in HIST_LAYERS],
                      [f"layer {layer}" for layer in HIST_LAYERS])
        ax.set(ylim=(-0.1, len(HIST_LAYERS) - 0.05),
               xlabel="activation $a$ (values outside are piled at the edges)")
        ax.set_ylabel("share of units (each row scaled)", fontsize=10)
        self.title = self.dyn(ax.set_title("", fontsize=10))
        layers = np.arange(1, INIT_DEPTH + 1)
        self.layers = layers
        ax2.set_yscale("log")
        ax2.set(xlim=(0.5, INIT_DEPTH + 0.5), ylim=(1e-8, 1e12), xlabel="layer",
                ylabel="std (log scale)")
        self.act, = self.dyn(ax2.plot([], [], "o-", color=PALETTE["blue"], lw=2,
                                      label="activations $a$"))
        self.dz, = self.dyn(ax2.plot([], [], "^-", color=PALETTE["green"], lw=2,
                                     label=r"backward $\partial L/\partial Z$"))
        self.grad, = self.dyn(ax2.plot([], [], "s-", color=PALETTE["orange"], lw=2,
                                       label=r"gradients $\partial L/\partial W$"))
        self.act_ref, = self.dyn(ax2.plot([], [], "--", color=PALETTE["blue"], lw=1,
                                          label="$a$, He/Xavier"))
        self.dz_ref, = self.dyn(ax2.plot([], [], "--", color=PALETTE["green"], lw=1,
                                         label=r"$\partial L/\partial Z$, He/Xavier"))
        self.grad_ref, = self.dyn(ax2.plot([], [], "--", color=PALETTE["orange"], lw=1,
                                           label=r"$\partial L/\partial W$, He/Xavier"))
        ax2.legend(loc="upper center", bbox_to_anchor=(0.5, -0.2), fontsize=9, ncol=2)
        self.title2 = self.dyn(ax2.set_title("", fontsize=10))
        # the message sits in the empty band at the top (the curves stay below 1e9), so it
        # never covers a curve or a reference line
        self.message = self.dyn(ax2.text(0.5, 0.97, "", transform=ax2.transAxes, ha="center",
                                         va="top", fontsize=10, color=WARNING, visible=False,
                                         zorder=10, bbox=dict(boxstyle="round", facecolor="white",
                                                              edgecolor=WARNING)))
        self._ref = {}

    def _reference(self, activation):
        if activation not in self._ref:
            scale = _xavier(INIT_WIDTH, INIT_WIDTH) if activation == "tanh" else _he(INIT_WIDTH)
            _, a, dz, g = deep_net_signals(scale, activation)
            self._ref[activation] = (scale, a, dz, g)
        return self._ref[activation]

    def update(self, scale=0.1, activation="tanh"):
        full = activation != self._activation
        if full:                           # tanh stays within ±1, ReLU is 0 or positive
            self._activation = activation
            self.hist_range = HIST_RANGES[activation]
            self.width = (self.hist_range[1] - self.hist_range[0]) / HIST_BINS
            self.centers = self.hist_range[0] + self.width * (np.arange(HIST_BINS) + 0.5)
            self.ax.set_xlim(*self.hist_range)
        acts, act_std, dz_std, grad_std = deep_net_signals(scale, activation)
        for line, layer in zip(self.hists, HIST_LAYERS, strict=True):
            a = np.clip(np.nan_to_num(acts[layer - 1], nan=0.0, posinf=1e300), *self.hist_range)
            idx = np.minimum(((a - self.hist_range[0]) / self.width).astype(int), HIST_BINS - 1)
            counts = np.bincount(idx.ravel(), minlength=HIST_BINS)
            # ReLU puts about half the units at exactly 0: scale to the peak of the positive
            # part, so the spike at 0 is cut at the row's top instead of flattening the rest
            rest = counts[self.centers > self.width] if activation == "relu" else counts
            peak = max(rest.max() if rest.size and rest.max() > 0 else counts.max(), 1)
            line.set_data(self.centers, self.base[layer] + 0.85 * np.minimum(counts / peak, 1.1))

        def clip(v):
            return np.clip(np.nan_to_num(v, nan=1e-300, posinf=1e300), 1e-300, 1e300)

        self.act.set_data(self.layers, clip(act_std))
        self.dz.set_data(self.layers, clip(dz_std))
        self.grad.set_data(self.layers, clip(grad_std))
        ref_scale, ref_a, ref_dz, ref_g = self._reference(activation)
        self.act_ref.set_data(self.layers, ref_a)
        self.dz_ref.set_data(self.layers, ref_dz)
        self.grad_ref.set_data(self.layers, ref_g)
        name = "Xavier" if activation == "tanh" else "He"
        self.title.set_text(f"{activation}, $W \\sim N(0, s^2)$ with $s$ = {scale:.3g};  {name}: "
                            f"$s$ = {ref_scale:.3f}")
        last = act_std[-1]
        self.title2.set_text(f"std of activations at layer 10: {last:.2g}\n"
                             f"std of ∂L/∂Z at layer 1: {dz_std[0]:.2g}")
        if not np.isfinite(last) or last > 1e6:
            self.say(self.message, "exploding: activations grow layer by layer")
        elif last < 1e-3:
            self.say(self.message, "vanishing: the signal dies out layer by layer")
        elif activation == "tanh" and np.mean(np.abs(acts[-1]) > 0.99) > 0.5:
            self.say(self.message, "saturated: tanh units stuck at ±1 (slope 1 − a² ≈ 0)")
        else:
            self.say(self.message, "")
        self._frame = dict(act_std=act_std, dz_std=dz_std, ref_scale=ref_scale,
                           message=self.message.get_text() if self.message.get_visible() else "")
        return full

    def describe(self, scale=0.1, activation="tanh"):
        f = self._frame
        name = "Xavier" if activation == "tanh" else "He"
        a = ", ".join(f"{v:.2g}" for v in f["act_std"][[0, 4, 9]])
        return (f"A 10-layer, 100-wide {activation} network with weights drawn with standard "
                f"deviation s = {scale:.3g} ({name}'s choice is s = {f['ref_scale']:.3f}). "
                f"Left: histograms of the activations in layers 1, 4, 7 and 10. Right: the "
                f"standard deviation per layer, log scale, of the activations, the backward "
                f"signal ∂L/∂Z and the weight gradients, with {name}'s values dashed. The "
                f"activations' standard deviation at layers 1, 5 and 10: {a}; ∂L/∂Z at layer "
                f"1: {f['dz_std'][0]:.2g}."
                + (f" Warning: {f['message']}." if f["message"] else ""))


render_init = InitScene.render


def explore_init(scale: float = 0.03, activation: str = "tanh"):
    """A slider for the initial weight scale of a 10-layer network, and the activation function."""
    return Explorer(
        InitScene(),
        {"scale": log_slider("s (std of W)", -2, 0, scale, step=0.05),
         "activation": dropdown("activation", ["tanh", "relu"], activation)},
        hint="Slide **s** from 0.01 to 1 and watch layer 10. Where do the solid "
             "lines match the dashed He/Xavier ones?")


# ---------------------------------------------------------------------------
# Explorer 3: learning-rate schedules on a noisy problem
# ---------------------------------------------------------------------------

SCHED_EPOCHS = 60
SCHED_REPEATS = 200
SCHEDULES = ("constant", "step decay", "exponential decay")
SCHED_COLORS = (PALETTE["grey"], PALETTE["blue"], PALETTE["orange"])


def schedule_runs(lr0, gamma=0.93, drop=0.5, every=15, noise=1.0, seed=0):
    """SGD on ``L(w) = ½ w²`` with noisy gradients ``w + ε``, ``ε ~ N(0, noise²)``, from w = 5.

    For each schedule (``nnlib.optim.constant``, ``step_decay``, ``exponential_decay``) returns
    ``(lrs, mean_loss)``: η per epoch and the loss averaged over 200 repeats, both (60,).
    """
    rng = np.random.default_rng(seed)
    eps = rng.standard_normal((SCHED_EPOCHS, SCHED_REPEATS)) * noise
    scheds = (constant(lr0), step_decay(lr0, drop, every), exponential_decay(lr0, gamma))
    lrs = np.array([[s(t) for t in range(SCHED_EPOCHS)] for s in scheds])   # (3, epochs)
    w = np.full((len(scheds), SCHED_REPEATS), 5.0)
    loss = np.empty((len(scheds), SCHED_EPOCHS))
    with np.errstate(all="ignore"):
        for t in range(SCHED_EPOCHS):        # all three schedules at once
            w = w - lrs[:, t:t + 1] * (w + eps[t])
            loss[:, t] = np.mean(0.5 * w * w, axis=1)
    return {name: (lrs[i], loss[i]) for i, name in enumerate(SCHEDULES)}


class ScheduleScene(Scene):
    """Left: η per epoch for three schedules. Right: the loss they reach (mean over 200 runs)."""

    figsize = (9.0, 3.5)
    grid = (1, 2)

    def setup(self, axes):
        ax, ax2 = axes
        epochs = np.arange(1, SCHED_EPOCHS + 1)
        self.epochs = epochs
        labels = ("constant", r"step decay: $\times 0.5$ every 15",
                  r"exponential decay: $\times\gamma$ each epoch")
        self.lr_lines = [self.dyn(ax.plot([], [], color=c, lw=2, label=n)[0])
                         for n, c in zip(labels, SCHED_COLORS, strict=True)]
        ax.set_yscale("log")
        ax.set(xlim=(1, SCHED_EPOCHS), ylim=(1e-4, 10), xlabel="epoch $t$",
               ylabel=r"learning rate $\eta_t$ (log scale)")
        ax.legend(loc="lower left", fontsize=8)
        self.title = self.dyn(ax.set_title("", fontsize=10))
        self.loss_lines = [self.dyn(ax2.plot([], [], color=c, lw=2, label=n)[0])
                           for n, c in zip(SCHEDULES, SCHED_COLORS, strict=True)]
        ax2.set_yscale("log")
        ax2.set(xlim=(1, SCHED_EPOCHS), ylim=(1e-3, 1e2), xlabel="epoch $t$",
                ylabel="loss (mean of 200 runs, log scale)")
        ax2.legend(loc="upper right", fontsize=8)
        self.title2 = self.dyn(ax2.set_title("", fontsize=10))
        self.message = self.banner(ax2)

    def update(self, lr0=0.5, gamma=0.93):
        runs = schedule_runs(lr0, gamma)
        finals = {}
        for line_lr, line_loss, name in zip(self.lr_lines, self.loss_lines, SCHEDULES, strict=True):
            lrs, loss = runs[name]
            line_lr.set_data(self.epochs, lrs)
            ok = np.isfinite(loss) & (loss < 1e6)
            line_loss.set_data(self.epochs, np.where(ok, loss, np.nan))
            finals[name] = loss[-1] if ok[-1] else np.inf
        self.title.set_text(rf"$\eta_0$ = {lr0:.3g}, $\gamma$ = {gamma:.2f}")

        def fmt(v):
            return f"{v:.3f}" if np.isfinite(v) else "diverged"

        self.title2.set_text("final: " + ", ".join(
            f"{n[:5]} {fmt(finals[n])}" for n in SCHEDULES))
        blown = [n for n in SCHEDULES if not np.isfinite(finals[n]) or finals[n] > 12.5]
        self.say(self.message, f"{', '.join(blown)}: diverged, η₀ = {lr0:.3g} too large"
                 if blown else "")
        self._frame = dict(finals=finals, fmt=fmt)

    def describe(self, lr0=0.5, gamma=0.93):
        finals, fmt = self._frame["finals"], self._frame["fmt"]
        return (f"Left: the learning rate per epoch, log scale, over {SCHED_EPOCHS} epochs, "
                f"for three schedules from η₀ = {lr0:.3g}: constant, step decay (halved every "
                f"15 epochs) and exponential decay (×{gamma:.2f} each epoch). Right: the loss "
                f"of noisy SGD on ½w² with each, averaged over {SCHED_REPEATS} runs, log "
                f"scale. Final losses: " + ", ".join(f"{n} {fmt(finals[n])}"
                                                     for n in SCHEDULES) + ".")


render_schedules = ScheduleScene.render


def explore_schedules(lr0: float = 0.5, gamma: float = 0.93):
    """Sliders for the starting rate η₀ and the exponential decay factor γ."""
    return Explorer(
        ScheduleScene(),
        {"lr0": log_slider("η₀ (start rate)", -2, 0.5, lr0, step=0.05),
         "gamma": float_slider("γ (exponential decay)", 0.80, 0.99, 0.01, gamma)},
        hint="Which schedule ends lowest? Now set **γ** to 0.99, or **η₀** to 0.02.")


# ---------------------------------------------------------------------------
# Explorer 4: local minima, momentum and the starting point
# ---------------------------------------------------------------------------

MIN_LR = 0.05
MIN_STEPS = 80
MIN_RANGE = (-3.5, 3.5)


def bumpy_loss(w):
    """``L(w) = 0.1 w⁴ − 0.8 w² + 0.35 w + 2``: a deep minimum near w = −2.1,
    a shallow one near 1.9."""
    w = np.asarray(w, dtype=float)
    return 0.1 * w ** 4 - 0.8 * w ** 2 + 0.35 * w + 2


def bumpy_grad(w):
    """``L'(w) = 0.4 w³ − 1.6 w + 0.35``."""
    return 0.4 * w ** 3 - 1.6 * w + 0.35


def bumpy_path(w0, momentum=0.0, lr=MIN_LR, steps=MIN_STEPS):
    """Positions of gradient descent with momentum on :func:`bumpy_loss` from ``w0``.

    ``v ← μ v − η L'(w)``, ``w ← w + v``; returns shape (steps + 1,).
    """
    w, v = float(w0), 0.0
    path = [w]
    with np.errstate(all="ignore"):
        for _ in range(steps):
            v = momentum * v - lr * bumpy_grad(w)
            w = w + v
            path.append(w)
    return np.array(path)


_WS = np.linspace(*MIN_RANGE, 400)
_GLOBAL = float(_WS[np.argmin(bumpy_loss(_WS))])


class MinimaScene(Scene):
    """Left: the loss curve with the path of w. Right: w per step."""

    figsize = (9.0, 3.5)
    grid = (1, 2)

    def setup(self, axes):
        ax, ax2 = axes
        ax.plot(_WS, bumpy_loss(_WS), color=PALETTE["grey"], lw=2)
        ax.plot([_GLOBAL], [bumpy_loss(_GLOBAL)], "*", color=PALETTE["green"], ms=13,
                label="global minimum")
        self.path, = self.dyn(ax.plot([], [], "o-", color=PALETTE["orange"], ms=3, lw=0.8,
                                      alpha=0.8, label="path"))
        self.start, = self.dyn(ax.plot([], [], "o", color=PALETTE["black"], ms=8, label="start w₀"))
        self.end, = self.dyn(ax.plot([], [], "X", color=PALETTE["blue"], ms=11, mec="white",
                                     label="end"))
        ax.set(xlim=MIN_RANGE, ylim=(-0.5, 6), xlabel="$w$", ylabel="loss $L(w)$")
        ax.legend(loc="upper center", fontsize=8)
        self.title = self.dyn(ax.set_title("", fontsize=10))
        self.message = self.banner(ax)
        ax2.axhline(_GLOBAL, color=PALETTE["green"], lw=1, ls="--")
        self.trace, = self.dyn(ax2.plot([], [], color=PALETTE["orange"], lw=2))
        ax2.set(xlim=(0, MIN_STEPS), ylim=MIN_RANGE, xlabel="step $t$", ylabel="$w$")
        self.title2 = self.dyn(ax2.set_title("", fontsize=10))

    def update(self, w0=1.0, momentum=0.0):
        path = bumpy_path(w0, momentum)
        ok = np.isfinite(path) & (np.abs(path) < 10)
        shown = path[ok]
        self.path.set_data(np.clip(shown, -4, 4), bumpy_loss(np.clip(shown, -4, 4)))
        self.start.set_data([w0], [bumpy_loss(w0)])
        self.trace.set_data(np.arange(len(path))[ok], shown)
        if not ok.all():
            self.end.set_data([], [])
            self.say(self.message, "diverged: the steps grew out of control")
            self.title.set_text(f"w₀ = {w0:.2f}, μ = {momentum:.2f}: diverged")
            self.title2.set_text("w flew off the plot")
            return
        end = path[-1]
        self.end.set_data([end], [bumpy_loss(end)])
        where = "global minimum" if abs(end - _GLOBAL) < 0.5 else (
            "local minimum" if abs(bumpy_grad(end)) < 0.05 else "still moving")
        self.say(self.message, "")
        self.title.set_text(f"w₀ = {w0:.2f}, μ = {momentum:.2f}: ends at w = {end:.2f}, "
                            f"L = {bumpy_loss(end):.2f}")
        self.title2.set_text(f"{where} (global: w = {_GLOBAL:.2f})")

    def describe(self, w0=1.0, momentum=0.0):
        path = bumpy_path(w0, momentum)
        text = (f"Left: a loss curve L(w) with two valleys, the deep global minimum at "
                f"w = {_GLOBAL:.2f} and a shallow one near w = 1.9, with {MIN_STEPS} steps of "
                f"gradient descent with momentum μ = {momentum:.2f} from w₀ = {w0:.2f}. ")
        if not (np.isfinite(path) & (np.abs(path) < 10)).all():
            return text + "The steps diverged. Right: w per step, flying off the plot."
        end = float(path[-1])
        where = "the global minimum" if abs(end - _GLOBAL) < 0.5 else (
            "a local minimum" if abs(bumpy_grad(end)) < 0.05 else "still moving")
        return text + (f"It ends at w = {end:.2f}, L = {float(bumpy_loss(end)):.2f}: {where}. "
                       f"Right: w against the step.")


render_minima = MinimaScene.render


def explore_minima(w0: float = 1.0, momentum: float = 0.0):
    """Sliders for the starting point w₀ and the momentum μ on a loss with two valleys."""
    return Explorer(
        MinimaScene(),
        {"w0": float_slider("start w₀", -3.0, 3.0, 0.1, w0),
         "momentum": float_slider("μ (momentum)", 0.0, 0.95, 0.05, momentum)},
        hint="Start at **w₀** = 1, then at −1: same rule, different valley. From **w₀** = 3, "
             "raise **μ** to 0.9: the speed gathered on the steep wall carries w over the bump.")


EXPLORERS = [explore_weight_decay, explore_init, explore_schedules, explore_minima]

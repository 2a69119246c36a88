"""Lesson 10: a digit reader built from scratch on 28×28 MNIST, its pictures and its explorer.

The data are the 10,000 MNIST digits of ``nnlib.data.load_mnist`` (pixels 0..255, scaled to
[0, 1] with ``x / 255``), split by :func:`mnist_splits` into 8,000 training, 1,000 validation
and 1,000 test images from one ``rng.permutation`` (seed 0). The network is a list of
``(W, b)`` pairs trained by the plain-NumPy functions of ``nnlib.checks.lesson10`` (the
lesson's reference: He initialization, ReLU, log-sum-exp cross-entropy, backprop, SGD with
momentum and early stopping). :data:`DEFAULTS` is the lesson's reference run: 784 → 64 → 10,
η = 0.1, μ = 0.9, batch 64, at most 30 epochs, patience 3.
"""

from __future__ import annotations

import time

import numpy as np

from ..checks.lesson10 import forward, init_params, split_indices, train
from ..data import load_mnist
from ..plots import DIVERGING_CMAP, PALETTE, new_figure, set_alt
from ._base import Explorer, Scene, int_slider
from .digits import _TILE_BG, _mosaic_figure, _tiles

__all__ = ["DEFAULTS", "mnist_splits", "train_reference", "softmax", "count_params",
           "plot_mnist", "plot_first_layer", "plot_lr_sweep", "plot_training", "plot_compare",
           "change_strokes", "DigitScene", "render_digit", "explore_digit", "EXPLORERS"]

DEFAULTS = dict(sizes=(784, 64, 10), lr=0.1, momentum=0.9, batch_size=64, num_epochs=30,
                patience=3, seed=0)


def mnist_splits(seed=0):
    """``X_train, X_val, X_test, y_train, y_val, y_test``: 8,000 / 1,000 / 1,000 images, x / 255.

    The split is ``split_indices(10000, 1000, 1000, np.random.default_rng(seed))``: one random
    order (the file is sorted by digit), test first, then validation, then training.
    """
    X, y = load_mnist()
    X = X.astype(np.float64) / 255
    tr, va, te = split_indices(len(y), 1000, 1000, np.random.default_rng(seed))
    return X[tr], X[va], X[te], y[tr], y[va], y[te]


_CACHE: dict = {}


def train_reference(**settings):
    """Train the lesson's reference network (``DEFAULTS``, overridden by ``settings``) with the
    reference ``train``. Returns ``(best_params, history, seconds)``; the default run is
    computed once, then cached."""
    cfg = {**DEFAULTS, **settings}
    key = tuple(sorted((k, tuple(v) if isinstance(v, list) else v) for k, v in cfg.items()))
    if key not in _CACHE:
        X_train, X_val, _, y_train, y_val, _ = mnist_splits()
        start = time.perf_counter()
        params = init_params(list(cfg["sizes"]), np.random.default_rng(cfg["seed"]))
        best, history = train(params, X_train, y_train, X_val, y_val, cfg["lr"], cfg["momentum"],
                              cfg["batch_size"], cfg["num_epochs"], cfg["patience"],
                              np.random.default_rng(cfg["seed"]))
        _CACHE[key] = (best, history, time.perf_counter() - start)
    return _CACHE[key]


def softmax(logits):
    """Row-wise softmax with the max shift (lesson 07): (n, K) -> (n, K), rows sum to 1."""
    e = np.exp(logits - logits.max(axis=-1, keepdims=True))
    return e / e.sum(axis=-1, keepdims=True)


def count_params(sizes):
    """Weights and biases of a fully connected network: Σ (n_in · n_out + n_out)."""
    return int(sum(i * o + o for i, o in zip(sizes[:-1], sizes[1:], strict=False)))


# ---------------------------------------------------------------------------
# Static pictures
# ---------------------------------------------------------------------------

def plot_mnist(X, y, rows=3, cols=12, title="the first MNIST digits of the training pile"):
    """A grid of 28×28 images (pixels in [0, 1]) with their labels, drawn as one image."""
    X = np.asarray(X, dtype=float)
    count = min(rows * cols, len(X))
    fig, ax = _mosaic_figure(cols * 0.8, rows * 0.95 + 0.5, top=1 - 0.45 / (rows * 0.95 + 0.5))
    _tiles(ax, X[:count], [str(v) for v in y[:count]], cols, "gray_r", 0, 1, _TILE_BG, "black",
           fontsize=11, band=7)
    ax.set_title(f"{title} (label above each image)")
    labels = ", ".join(str(v) for v in y[:count])
    return set_alt(fig, f"{count} handwritten digits, 28 by 28 pixels, dark ink on white, "
                        f"in {rows} rows; their labels in order: {labels}.")


def plot_first_layer(W, W0=None, cols=8):
    """Each hidden unit's 784 first-layer weights as a 28×28 tile (red +, blue −).

    With ``W0`` a second panel shows the change ``W − W₀``, on the same colour scale.
    """
    W = np.asarray(W, dtype=float)
    count = W.shape[1]
    rows = -(-count // cols)
    panels = [W] if W0 is None else [W, W - np.asarray(W0, dtype=float)]
    lim = max(float(np.percentile(np.abs(p), 99)) for p in panels) or 1.0
    width = (cols * 0.72 + 1.4) * len(panels)
    fig, axes = _mosaic_figure(width, rows * 0.8 + 0.8, ncols=len(panels),
                               top=1 - 0.7 / (rows * 0.8 + 0.8), right=0.93, wspace=0.25)
    axes = np.atleast_1d(axes)
    titles = ["trained weights $W$ (784 per unit)", "what training changed: $W - W_0$"]
    for ax, panel, title in zip(axes, panels, titles, strict=False):
        im = _tiles(ax, panel.T, [f"{j}" for j in range(count)], cols, DIVERGING_CMAP,
                    -lim, lim, "#505050", "white", fontsize=7, band=5)
        fig.colorbar(im, ax=ax, label="weight" if ax is axes[0] else "change (same scale)",
                     shrink=0.8, extend="both")
        ax.set_title(title)
    r = float(np.corrcoef(W.ravel(), np.asarray(W0, float).ravel())[0, 1]) if W0 is not None \
        else None
    text = (f"{count} tiles of 28 by 28 pixels, one per hidden unit, coloured by the unit's "
            f"first-layer weight on each pixel: red positive, blue negative, white near 0, "
            f"colour scale ±{lim:.2f}.")
    if W0 is not None:
        fig.suptitle(f"first layer, one tile per hidden unit; correlation of $W$ with its start "
                     f"$W_0$: r = {r:.2f}")
        text += (f" Left the trained weights: strokes mixed with the random start's speckle; "
                 f"right the change W − W0 on the same scale, where stroke-like blobs show and "
                 f"some tiles stay pale; correlation of W with its random start r = {r:.2f}.")
    return set_alt(fig, text)


def plot_lr_sweep(lrs, curves, epochs, n_train):
    """Validation loss after a short run against η (log axis), one line per setting.

    ``curves``: ``{label: list of losses}`` (NaN or inf where the run diverged).
    """
    fig, ax = new_figure(6.8, 3.6)
    colors = [PALETTE["blue"], PALETTE["orange"], PALETTE["green"]]
    styles = ["-", "--", ":"]
    bests = []
    for (label, losses), color, ls in zip(curves.items(), colors, styles, strict=False):
        losses = np.asarray(losses, dtype=float)
        shown = np.where(np.isfinite(losses), np.minimum(losses, 2.5), 2.5)
        ax.plot(lrs, shown, ls, marker="o", color=color, lw=2, label=label)
        k = int(np.nanargmin(np.where(np.isfinite(losses), losses, np.nan)))
        ax.plot(lrs[k], losses[k], "*", color=color, ms=16, mec="black", mew=0.8)
        bests.append(f"{label}: best η = {lrs[k]:.2g}")
    ax.set(xscale="log", xlabel="learning rate η (log scale)", ylim=(0, 2.6),
           ylabel="validation loss", title=f"short runs: {epochs} epochs on {n_train:,} images "
                                           f"(★ = lowest)")
    ax.legend(loc="upper center", fontsize=9)
    return set_alt(fig, "Validation loss after a short training run against the learning rate "
                        "on a log axis, one U-shaped line per setting; " + "; ".join(bests)
                   + ". Too small an η crawls, too large an η jumps out of the valley.")


def plot_training(history, seconds=None, title="784 → 64 → 10"):
    """Training and validation loss per epoch, validation accuracy, the best epoch marked."""
    fig, (ax, ax2) = new_figure(9, 3.3, ncols=2)
    epochs = np.arange(1, len(history["val_loss"]) + 1)
    best = int(np.argmin(history["val_loss"]))
    ax.plot(epochs, history["train_loss"], color=PALETTE["blue"], lw=2, label="training")
    ax.plot(epochs, history["val_loss"], "--", color=PALETTE["orange"], lw=2, label="validation")
    ax.axvline(best + 1, color=PALETTE["grey"], lw=1, ls=":")
    ax.plot(best + 1, history["val_loss"][best], "o", color=PALETTE["black"], ms=8,
            label=f"kept: epoch {best + 1}")
    ax.set(xlabel="epoch", ylabel="cross-entropy loss", ylim=(0, None),
           title=f"{title}: lowest validation loss {history['val_loss'][best]:.3f}")
    ax.legend(loc="upper right", fontsize=9)
    acc = np.array(history["val_acc"]) * 100
    ax2.plot(epochs, acc, "--", color=PALETTE["orange"], lw=2, label="validation")
    ax2.plot(best + 1, acc[best], "o", color=PALETTE["black"], ms=8)
    took = f", trained in {seconds:.1f} s" if seconds is not None else ""
    ax2.set(xlabel="epoch", ylabel="validation accuracy (%)", ylim=(85, 100),
            title=f"kept epoch {best + 1}: {acc[best]:.1f} %{took}")
    return set_alt(fig, f"Left: training and validation loss per epoch over {len(epochs)} "
                        f"epochs; the validation loss is lowest at epoch {best + 1} "
                        f"({history['val_loss'][best]:.3f}), where a dot marks the weights "
                        f"kept. Right: validation accuracy per epoch, {acc[best]:.1f} % at the "
                        f"kept epoch" + (", with the training time in the title (it changes "
                                         "from run to run)." if seconds is not None else "."))


def plot_compare(rows):
    """Bars comparing networks: ``rows`` = ``[(label, n_params, val_acc, seconds), ...]``."""
    fig, axes = new_figure(9.5, 3.0, ncols=3)
    labels = [r[0] for r in rows]
    colors = [PALETTE["blue"], PALETTE["orange"], PALETTE["green"]][:len(rows)]
    x = np.arange(len(rows))
    for ax, k, ylabel, fmt_ in ((axes[0], 1, "parameters", "{:,.0f}"),
                                (axes[1], 2, "validation accuracy (%)", "{:.1f} %"),
                                (axes[2], 3, "training time (s)", "{:.1f} s")):
        values = [r[k] * (100 if k == 2 else 1) for r in rows]
        ax.bar(x, values, color=colors)
        for xi, v in zip(x, values, strict=True):
            ax.text(xi, v, fmt_.format(v), ha="center", va="bottom", fontsize=9)
        ax.set(xticks=x, ylabel=ylabel)
        ax.set_xticklabels(labels, fontsize=9)
        top = max(values) * 1.2
        ax.set_ylim((80, 100) if k == 2 else (0, top))
    axes[0].set_title("size")
    axes[1].set_title("accuracy")
    axes[2].set_title("training time (this run)")
    text = "; ".join(f"{r[0]}: {r[1]:,} parameters, {r[2]:.1%} validation accuracy"
                     for r in rows)
    return set_alt(fig, f"Three bar charts comparing the networks. {text}. The third chart "
                        f"shows each network's training time on this run (it changes from run "
                        f"to run, so it is not repeated here).")


# ---------------------------------------------------------------------------
# Explorer: one test digit, its strokes changed, the hidden units and the probabilities
# ---------------------------------------------------------------------------

def change_strokes(image, amount):
    """Thicken (``amount`` > 0) or erase (< 0) the strokes of a 28×28 image in [0, 1].

    Each step takes, for every pixel, the largest (thicken) or smallest (erase) value among
    the pixel and its four neighbours. (28, 28) -> (28, 28).
    """
    img = np.asarray(image, dtype=float).reshape(28, 28)
    pick = np.maximum if amount > 0 else np.minimum
    for _ in range(abs(int(amount))):
        padded = np.pad(img, 1, constant_values=0.0)
        img = pick.reduce([padded[1:-1, 1:-1], padded[:-2, 1:-1], padded[2:, 1:-1],
                           padded[1:-1, :-2], padded[1:-1, 2:]])
    return img


STROKE_TEXT = {-2: "erased twice", -1: "erased once", 0: "as written", 1: "thickened once",
               2: "thickened twice"}


class DigitScene(Scene):
    """Left: the test digit (strokes changed). Middle: the hidden units' activations.
    Right: the ten output probabilities."""

    figsize = (9.4, 3.1)
    grid = (1, 3)
    margins = dict(left=0.02, right=0.985, bottom=0.17, top=0.88, wspace=0.5)

    def __init__(self, params=None, X=None, y=None):
        super().__init__()
        if params is None:
            params = train_reference()[0]
        if X is None or y is None:
            _, _, X, _, _, y = mnist_splits()
        self.params, self.X, self.y = params, np.asarray(X, float), np.asarray(y)
        self.hidden_size = params[0][0].shape[1]
        logits, acts = forward(params, self.X)
        self.pred = logits.argmax(axis=1)
        self.top = max(float(np.percentile(np.concatenate([a.ravel() for a in acts[1:]]), 99)),
                       1.0)
        self._frame = {}

    def setup(self, axes):
        ax, ax2, ax3 = axes
        self.img = self.dyn(ax.imshow(np.zeros((28, 28)), cmap="gray_r", vmin=0, vmax=1,
                                      interpolation="nearest"))
        ax.set_xticks([])
        ax.set_yticks([])
        ax.set_xlabel("28 × 28 pixels")
        self.title = self.dyn(ax.set_title("", fontsize=10))
        h = self.hidden_size
        self.cols = 8
        self.rows = -(-h // self.cols)
        self.hmap = self.dyn(ax2.imshow(np.zeros((self.rows, self.cols)), cmap="viridis",
                                        vmin=0, vmax=self.top, interpolation="nearest"))
        ax2.set_xticks(range(self.cols))
        ax2.set_yticks(range(self.rows))
        ax2.set_yticklabels([str(self.cols * r) for r in range(self.rows)], fontsize=8)
        ax2.tick_params(axis="x", labelsize=8)
        ax2.set_xlabel("hidden unit = row label + column")
        self.fig.colorbar(self.hmap, ax=ax2, label="activation ReLU(z)", shrink=0.9,
                          extend="max")
        self.title2 = self.dyn(ax2.set_title("", fontsize=10))
        self.bars = ax3.bar(np.arange(10), np.zeros(10), color=PALETTE["grey"])
        for bar in self.bars:
            self.dyn(bar)
        ax3.set(xlim=(-0.6, 9.6), ylim=(0, 1.05), xticks=range(10), xlabel="digit",
                ylabel="probability")
        self.title3 = self.dyn(ax3.set_title("", fontsize=10))

    def _compute(self, index, strokes):
        i = int(index) % len(self.y)
        image = change_strokes(self.X[i], strokes)
        logits, acts = forward(self.params, image.reshape(1, -1))
        p = softmax(logits)[0]
        hidden = acts[1][0] if len(acts) > 1 else np.zeros(self.hidden_size)
        self._frame = dict(i=i, image=image, p=p, hidden=hidden, true=int(self.y[i]),
                           pred=int(p.argmax()), strokes=int(strokes))
        return self._frame

    def update(self, index=0, strokes=0):
        f = self._compute(index, strokes)
        self.img.set_data(f["image"])
        self.title.set_text(f"test digit {f['i']} (a {f['true']}), {STROKE_TEXT[f['strokes']]}")
        grid = np.full(self.rows * self.cols, np.nan)
        grid[:self.hidden_size] = f["hidden"]
        self.hmap.set_data(grid.reshape(self.rows, self.cols))
        active = int(np.sum(f["hidden"] > 0))
        self.title2.set_text(f"{active} of {self.hidden_size} hidden units active "
                             f"(above 0)")
        for k, bar in enumerate(self.bars):
            bar.set_height(f["p"][k])
            color = PALETTE["grey"]
            if k == f["true"]:
                color = PALETTE["green"]
            elif k == f["pred"]:
                color = PALETTE["red"]
            bar.set_color(color)
        verdict = "right" if f["pred"] == f["true"] else "wrong"
        self.title3.set_text(f"predicted {f['pred']} with {f['p'][f['pred']]:.1%}: {verdict}")

    def describe(self, index=0, strokes=0):
        f = self._compute(index, strokes)
        runner = int(np.argsort(f["p"])[-2])
        strongest = int(np.argmax(f["hidden"]))
        return (f"Left: test digit {f['i']}, a 28 by 28 handwritten {f['true']}, strokes "
                f"{STROKE_TEXT[f['strokes']]}. Middle: an 8-column grid of the "
                f"{self.hidden_size} hidden units' activations, brighter is larger, "
                f"{int(np.sum(f['hidden'] > 0))} of them above 0, the "
                f"largest unit {strongest} at {f['hidden'][strongest]:.2f}. Right: the network's "
                f"probability for each digit: it predicts {f['pred']} with "
                f"{f['p'][f['pred']]:.1%}, {'right' if f['pred'] == f['true'] else 'wrong'}; "
                f"next {runner} with {f['p'][runner]:.1%}.")


def render_digit(index=0, strokes=0):
    """Pure path for the tests: the reference network on test digit ``index``."""
    return DigitScene.render(index=index, strokes=strokes)


def explore_digit(params=None, X=None, y=None, index: int = 0):
    """A slider over the test digits and a stroke control (erase −2..−1, thicken 1..2): the
    digit, the hidden activations and the ten output probabilities.

    ``params`` defaults to the lesson's reference network (trained once and cached); ``X``,
    ``y`` to the 1,000 test digits.
    """
    scene = DigitScene(params, X, y)
    return Explorer(
        scene,
        {"index": int_slider("test digit", 0, len(scene.y) - 1, index),
         "strokes": int_slider("strokes: erase (−) / thicken (+)", -2, 2, 0)},
        hint="Pick a digit, then erase or thicken its strokes: when does the prediction "
             "change, and which hidden units go quiet?")


EXPLORERS = [explore_digit]

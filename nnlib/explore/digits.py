"""Lesson 08: a digit classifier, its training explorer, and pictures to inspect it.

The data are the UCI 8×8 handwritten digits (``nnlib.data.load_digits``):
pixels 0..16, scaled to [-1, 1] with ``x' = x / 8 − 1``. Lesson 08 splits them three ways
(:func:`digits_splits`): 60 % to train on, 20 % validation to choose settings, 20 % test,
kept apart and measured once. The default network ``MLP([64, 64, 10])`` trained with SGD
(η = 0.05, μ = 0.9, batch 32, 30 epochs, fixed seeds) reads about 98 % of the validation
digits and about 97.5 % of the test digits.

The static pictures (digit grids, weight grids, mistakes) are each drawn as ONE image: a
mosaic of 8×8 tiles with separators, labelled with text, not one small axes per tile.
"""

from __future__ import annotations

import time

import numpy as np

from ..data import load_digits, scale_to_range, train_val_split
from ..layers import MLP
from ..optim import SGD
from ..plots import DIVERGING_CMAP, DPI, PALETTE, new_figure, plain, set_alt
from ..train import fit
from ._base import Explorer, Scene, dropdown, int_slider, log_slider

__all__ = ["DEFAULTS", "digits_data", "digits_splits", "train_digits", "mosaic",
           "weight_correlation", "default_model", "softmax_probs",
           "confusion_matrix", "plot_digits", "plot_curves", "plot_confusion", "plot_weights",
           "plot_mistakes", "TrainingScene", "render_digit_training", "explore_digit_training",
           "PredictionScene", "render_predictions", "explore_predictions", "EXPLORERS"]

DEFAULTS = dict(hidden=64, lr=0.05, momentum=0.9, num_epochs=30, batch_size=32, seed=0)


def digits_data(val_fraction=0.2, seed=0):
    """``X_train, X_val, y_train, y_val``: the digits split 80/20 and scaled to [-1, 1].

    Scaling uses the fixed pixel range 0..16: ``x' = −1 + 2 x / 16``, float32.
    """
    X, y = load_digits()
    X_train, X_val, y_train, y_val = train_val_split(X, y, val_fraction=val_fraction, seed=seed)
    def scale(A):
        return scale_to_range(A, -1, 1, data_min=0, data_max=16).astype(np.float32)

    return scale(X_train), scale(X_val), y_train, y_val


def digits_splits(seed=0):
    """``X_train, X_val, X_test, y_train, y_val, y_test``: 60 / 20 / 20 %, scaled to [-1, 1].

    The test 20 % is split off first (it is the same 359 images as :func:`digits_data`'s
    validation part); the rest is split 75 / 25 into training (1,078) and validation (360).
    Scaling uses the fixed pixel range 0..16, float32.
    """
    X, y = load_digits()
    X_rest, X_test, y_rest, y_test = train_val_split(X, y, val_fraction=0.2, seed=seed)
    X_train, X_val, y_train, y_val = train_val_split(X_rest, y_rest, val_fraction=0.25,
                                                     seed=seed)

    def scale(A):
        return scale_to_range(A, -1, 1, data_min=0, data_max=16).astype(np.float32)

    return scale(X_train), scale(X_val), scale(X_test), y_train, y_val, y_test


def train_digits(hidden=64, lr=0.05, momentum=0.9, num_epochs=30, batch_size=32, seed=0,
                 callback=None, data=None):
    """Train ``MLP([64, hidden, 10])`` on the digits with ``nnlib.train.fit``.

    ``data`` is ``(X_train, X_val, y_train, y_val)``; by default the training and validation
    parts of :func:`digits_splits` (the test part is never touched here).
    Returns ``(model, history)``.

    ``history.diverged`` holds a message if the loss became NaN or inf (training then stops).
    """
    if data is None:
        X_train, X_val, _, y_train, y_val, _ = digits_splits()
    else:
        X_train, X_val, y_train, y_val = data
    model = MLP([64, int(hidden), 10], rng=np.random.default_rng(seed))
    optimizer = SGD(model.parameters(), lr=lr, momentum=momentum)
    history = fit(model, X_train, y_train, "cross_entropy", optimizer, epochs=num_epochs,
                  batch_size=batch_size, X_val=X_val, y_val=y_val,
                  rng=np.random.default_rng(seed), on_diverge="stop", callback=callback)
    return model, history


_DEFAULT = {}


def default_model():
    """The lesson's model trained with :data:`DEFAULTS` (computed once, then cached)."""
    if not _DEFAULT:
        _DEFAULT["model"], _DEFAULT["history"] = train_digits(**DEFAULTS)
    return _DEFAULT["model"], _DEFAULT["history"]


def softmax_probs(model, X):
    """Class probabilities ``softmax(z)`` for a batch: X (n, 64) -> (n, 10), rows sum to 1."""
    z = np.asarray(model.forward(X), dtype=float)
    e = np.exp(z - z.max(axis=1, keepdims=True))
    return e / e.sum(axis=1, keepdims=True)


def confusion_matrix(y_true, y_pred, num_classes=10):
    """``C[i, j]`` = number of samples with true class i predicted as class j: (k, k) ints."""
    C = np.zeros((num_classes, num_classes), dtype=int)
    np.add.at(C, (np.asarray(y_true), np.asarray(y_pred)), 1)
    return C


# ---------------------------------------------------------------------------
# Static pictures
# ---------------------------------------------------------------------------

def mosaic(images, cols, pad=1, band=0):
    """Tiles of shape (h, w) laid out in a grid, as one array for one ``imshow``.

    ``images``: (m, h, w) or (m, h·w) with h = w. Between tiles sit ``pad`` pixels of NaN
    (drawn in the colour map's "bad" colour: the separators); above each tile a band of
    ``band`` NaN rows leaves room for a label. Returns ``(array, centres)``: the mosaic and,
    for each tile, the (x, y) pixel position of its label band's centre.
    """
    images = np.asarray(images, dtype=float)
    m = len(images)
    if images.ndim == 2:
        side = int(round(np.sqrt(images.shape[1])))
        images = images.reshape(m, side, side)
    h, w = images.shape[1:]
    rows = -(-m // cols)
    out = np.full((rows * (h + pad + band) + pad, cols * (w + pad) + pad), np.nan)
    centres = []
    for k in range(m):
        r, c = divmod(k, cols)
        top = pad + r * (h + pad + band) + band
        left = pad + c * (w + pad)
        out[top:top + h, left:left + w] = images[k]
        centres.append((left + (w - 1) / 2, top - band / 2 - 0.5))
    return out, centres


def _tiles(ax, images, labels, cols, cmap, vmin, vmax, bad, label_color, fontsize=9, band=3):
    """Draw ``images`` as one mosaic on ``ax`` with a text label above each tile."""
    from matplotlib import colormaps

    grid, centres = mosaic(images, cols, pad=1, band=band if labels is not None else 0)
    cm = colormaps[cmap].with_extremes(bad=bad)
    im = ax.imshow(grid, cmap=cm, vmin=vmin, vmax=vmax, interpolation="nearest")
    if labels is not None:
        for (x, y), text in zip(centres, labels, strict=False):
            ax.text(x, y, text, ha="center", va="center", fontsize=fontsize, color=label_color)
    ax.set_xticks([])
    ax.set_yticks([])
    for side in ax.spines.values():
        side.set_visible(False)
    return im


def _mosaic_figure(width, height, ncols=1, top=0.88, right=0.99, wspace=0.05):
    """A figure with fixed margins instead of constrained layout: a mosaic needs no layout
    search, and the search (text extents of every label) cost more than the drawing itself."""
    from matplotlib.backends.backend_agg import FigureCanvasAgg
    from matplotlib.figure import Figure

    fig = Figure(figsize=(width, height), dpi=DPI)
    FigureCanvasAgg(fig)
    fig.subplots_adjust(left=0.01, right=right, bottom=0.01, top=top, wspace=wspace)
    return fig, fig.subplots(1, ncols, squeeze=True)


_TILE_BG = "#dfe7ef"   # separators and label bands of digit mosaics: pale blue-grey, not paper


def plot_digits(X, y, rows=3, cols=10, title="the first digits of the dataset"):
    """A grid of 8×8 images with their labels, drawn as one image; X raw (0..16) or scaled."""
    X = np.asarray(X, dtype=float)
    lo, hi = (0, 16) if X.max() > 1.5 else (-1, 1)
    count = min(rows * cols, len(X))
    fig, ax = _mosaic_figure(cols * 0.75, rows * 1.0 + 0.5, top=1 - 0.45 / (rows * 1.0 + 0.5))
    _tiles(ax, X[:count], [str(v) for v in y[:count]], cols, "gray_r", lo, hi, _TILE_BG,
           "black", fontsize=11)
    ax.set_title(f"{title} (label above each image)")
    rows_used = -(-count // cols)
    labels = " ".join(str(v) for v in y[:count])
    side = int(round(np.sqrt(X.shape[1])))
    set_alt(fig, f"{plain(title).capitalize()}: {count} handwritten digits, {side} by {side} pixel "
                 f"images in {rows_used} row{'s' if rows_used > 1 else ''} of up to {cols}, "
                 f"dark ink on light paper, each with its label above. The labels in order: "
                 f"{labels}.")
    return fig


def plot_curves(history, seconds=None):
    """Loss and accuracy per epoch (training and validation) from a ``History``."""
    fig, (ax, ax2) = new_figure(9, 3.2, ncols=2)
    epochs = np.arange(1, len(history.train_loss) + 1)
    ax.plot(epochs, history.train_loss, color=PALETTE["blue"], label="training")
    ax.plot(epochs, history.val_loss, color=PALETTE["orange"], label="validation")
    ax.set(xlabel="epoch", ylabel="cross-entropy loss", ylim=(0, None),
           title=f"loss: training {history.train_loss[-1]:.3f},\n"
                 f"validation {history.val_loss[-1]:.3f}")
    ax.legend()
    ax2.plot(epochs, np.array(history.train_acc) * 100, color=PALETTE["blue"], label="training")
    ax2.plot(epochs, np.array(history.val_acc) * 100, color=PALETTE["orange"], label="validation")
    took = f" in {seconds:.2f} s" if seconds is not None else ""
    ax2.set(xlabel="epoch", ylabel="accuracy (%)", ylim=(80, 100.5),
            title=f"validation accuracy {history.val_acc[-1]:.1%}\n"
                  f"after {len(epochs)} epochs{took}")
    ax2.legend(loc="lower right")
    # no seconds in the alt text: stored text outputs must be the same on every run
    best = int(np.argmax(history.val_acc))
    set_alt(fig, f"Two line charts over {len(epochs)} epochs, training and validation. Left: "
                 f"the cross-entropy loss, from {history.train_loss[0]:.3f} (training) and "
                 f"{history.val_loss[0]:.3f} (validation) after epoch 1 to "
                 f"{history.train_loss[-1]:.3f} and {history.val_loss[-1]:.3f}. Right: the "
                 f"accuracy, ending at {history.train_acc[-1]:.1%} (training) and "
                 f"{history.val_acc[-1]:.1%} (validation); the best validation accuracy, "
                 f"{history.val_acc[best]:.1%}, came at epoch {best + 1}.")
    return fig


def plot_confusion(C):
    """The confusion matrix as a heat map with a colour bar, counts written in non-zero cells."""
    from matplotlib.colors import PowerNorm

    C = np.asarray(C)
    fig, ax = new_figure(5.2, 4.4)
    k = len(C)
    norm = PowerNorm(0.5, vmin=0, vmax=max(int(C.max()), 1))   # small counts stay visible
    im = ax.imshow(C, cmap="Blues", norm=norm)
    for i in range(k):
        for j in range(k):
            if C[i, j]:
                dark = norm(C[i, j]) > 0.6
                ax.text(j, i, str(C[i, j]), ha="center", va="center", fontsize=9,
                        color="white" if dark else "black",
                        fontweight="normal" if i == j else "bold")
    ax.set(xticks=range(k), yticks=range(k), xlabel="predicted digit", ylabel="true digit",
           title=f"confusion matrix: {C.trace()} of {C.sum()} right")
    bar = fig.colorbar(im, ax=ax, label="number of images", shrink=0.85)
    top = int(C.max())
    bar.set_ticks([t for t in (0, 1, 2, 5, 10, 20, 50, 100, 200, 500) if t <= top] + [top])
    off = [(int(C[i, j]), i, j) for i in range(k) for j in range(k) if i != j and C[i, j]]
    off.sort(key=lambda t: (-t[0], t[1], t[2]))
    worst = "; ".join(f"true {i} predicted as {j}: {n} time{'s' if n > 1 else ''}"
                      for n, i, j in off[:3])
    set_alt(fig, f"Confusion matrix of {C.sum()} images, true digit (rows) against predicted "
                 f"digit (columns) 0 to {k - 1}, counts as shades of blue: {C.trace()} right "
                 f"on the diagonal, {C.sum() - C.trace()} wrong in {len(off)} other cells."
                 + (f" The most frequent mistakes: {worst}." if off else ""))
    return fig


def _first_layer(model):
    return np.asarray(model.dense_layers[0].W, dtype=float)


def weight_correlation(model, W0):
    """Correlation r between the first layer's trained weights and their random start ``W0``."""
    return float(np.corrcoef(_first_layer(model).ravel(), np.asarray(W0, float).ravel())[0, 1])


def _weight_lim(W, count):
    # symmetric scale centred at 0; the 99th percentile, so a few extreme pixels do not wash
    # out the rest (the colour bar's pointed ends mark the clipped values)
    return float(np.percentile(np.abs(W[:, :count]), 99)) or 1.0


def _weight_panel(fig, ax, W, count, cols, label, lim=None):
    lim = _weight_lim(W, count) if lim is None else lim
    im = _tiles(ax, W[:, :count].T, [f"unit {j}" for j in range(count)], cols, DIVERGING_CMAP,
                -lim, lim, "#505050", "white", fontsize=8)
    fig.colorbar(im, ax=ax, label=label, shrink=0.8, extend="both")


def plot_weights(model, count=None, cols=None, W0=None):
    """First-layer weights: column j of ``W`` (64 numbers) as an 8×8 tile per hidden unit j.

    Colour = the weight, on a diverging scale centred at 0 (colour bar): red > 0, blue < 0,
    white ≈ 0. With the inputs in [-1, 1], a red weight raises the unit's pre-activation
    where the pixel is inked (+1) and lowers it where the paper is blank (−1).
    With ``W0`` (the weights before training) a second panel shows the change ``W − W₀``.
    """
    W = _first_layer(model)
    count = min(count or (32 if W0 is None else 16), W.shape[1])
    cols = cols or (8 if W0 is None else 4)
    rows = -(-count // cols)
    if W0 is None:
        fig, ax = _mosaic_figure(cols * 0.85 + 1.4, rows * 1.05 + 0.5,
                                 top=1 - 0.45 / (rows * 1.05 + 0.5), right=0.92)
        _weight_panel(fig, ax, W, count, cols, "weight")
        ax.set_title(f"first-layer weights of hidden units 0–{count - 1} (red +, blue −)")
        lim = _weight_lim(W, count)
        set_alt(fig, f"First-layer weights of hidden units 0 to {count - 1}, each unit's 64 "
                     f"weights as an 8 by 8 tile, {rows} rows of {cols}: red for positive, "
                     f"blue for negative, white near 0, on a scale from -{lim:.2f} to "
                     f"{lim:.2f}. Tiles with red strokes respond to ink there.")
        return fig
    dW = W - np.asarray(W0, dtype=float)
    fig, (ax, ax2) = _mosaic_figure(2 * (cols * 0.85 + 1.6), rows * 1.05 + 0.9, ncols=2,
                                    top=1 - 0.8 / (rows * 1.05 + 0.9), right=0.93, wspace=0.3)
    lim = max(_weight_lim(W, count), _weight_lim(dW, count))   # one scale for both panels
    _weight_panel(fig, ax, W, count, cols, "weight", lim)
    _weight_panel(fig, ax2, dW, count, cols, "change of weight (same scale)", lim)
    ax.set_title(f"trained weights $W$, units 0–{count - 1}")
    ax2.set_title("what training changed: $W - W_0$")
    r = weight_correlation(model, W0)
    fig.suptitle(f"correlation of $W$ with its random start $W_0$: r = {r:.2f}; "
                 f"both panels share one colour scale")
    set_alt(fig, f"Two panels of 8 by 8 tiles for hidden units 0 to {count - 1}, red positive, "
                 f"blue negative, one scale from -{lim:.2f} to {lim:.2f}. Left: the trained "
                 f"first-layer weights W. Right: what training changed, W − W₀. The trained "
                 f"weights correlate with their random start with r = {r:.2f}.")
    return fig


def plot_mistakes(X, y, probs, count=12):
    """The misclassified images with ``true→predicted (confidence)`` above each, as one image."""
    pred = probs.argmax(axis=1)
    wrong = np.flatnonzero(pred != y)[:count]
    cols = max(len(wrong), 1)
    fig, ax = _mosaic_figure(max(cols * 1.05, 5), 1.7, top=0.8)
    labels = [f"{y[i]}→{pred[i]} ({probs[i, pred[i]]:.0%})" for i in wrong]
    images = np.asarray(X, dtype=float)[wrong] if len(wrong) else np.full((1, 64), np.nan)
    _tiles(ax, images, labels, cols, "gray_r", -1, 1, _TILE_BG, "black", fontsize=8, band=4)
    ax.set_title(f"{np.sum(pred != y)} mistakes; first {len(wrong)}: true→predicted (confidence)")
    shown = "; ".join(f"{'an' if y[i] == 8 else 'a'} {y[i]} read as {pred[i]} with "
                      f"{probs[i, pred[i]]:.0%}" for i in wrong)
    side = int(round(np.sqrt(np.shape(X)[1])))
    set_alt(fig, f"{np.sum(pred != y)} of {len(y)} images misclassified. The first "
                 f"{len(wrong)}, as {side} by {side} digit images: {shown}." if len(wrong) else
            f"No mistakes: all {len(y)} images classified right.")
    return fig


# ---------------------------------------------------------------------------
# Explorer 1: train with a button
# ---------------------------------------------------------------------------

TARGET_PCT = 95          # exercise 4's validation target (lesson 08)
MAX_EPOCHS = DEFAULTS["num_epochs"]


def _arch(hidden):
    n = 64 * hidden + hidden + hidden * 10 + 10
    return f"64 → {hidden} → 10 ({n:,} parameters)"


class TrainingScene(Scene):
    """Left: loss per epoch. Right: accuracy per epoch.

    Titles: the settings of the next run and the result of the last one.
    """

    figsize = (9.0, 3.6)
    grid = (1, 2)

    def __init__(self):
        super().__init__()
        self.history = None        # set by the Train button (or passed to render)
        self.run_label = ""
        self.run_lr = None

    def setup(self, axes):
        ax, ax2 = axes
        ax.set(xlim=(0, MAX_EPOCHS), ylim=(0, 2.5), xlabel="epoch", ylabel="cross-entropy loss")
        self.lines = {}
        for key, color, ls, label in (("train", PALETTE["blue"], "-", "training"),
                                      ("val", PALETTE["orange"], "--", "validation")):
            self.lines["loss_" + key], = self.dyn(ax.plot([], [], ls, color=color, lw=2,
                                                          label=label))
            self.lines["acc_" + key], = self.dyn(ax2.plot([], [], ls, color=color, lw=2,
                                                          label=label))
        ax.legend(loc="upper right", fontsize=8)
        ax2.axhline(TARGET_PCT, color=PALETTE["grey"], lw=0.8, ls=":")
        ax2.text(MAX_EPOCHS - 0.5, TARGET_PCT - 0.4, f"{TARGET_PCT} %: exercise 4's target",
                 color=PALETTE["grey"], fontsize=9, ha="right", va="top")
        # below the line, at the right, where a good run's curves are above it
        ax2.set(xlim=(0, MAX_EPOCHS), ylim=(80, 100.5), xlabel="epoch", ylabel="accuracy (%)")
        ax2.legend(loc="lower right", fontsize=8)
        self.title = self.dyn(ax.set_title("", fontsize=10))
        self.title2 = self.dyn(ax2.set_title("", fontsize=10))
        self.message = self.banner(ax2)

    def update(self, lr=0.05, hidden=64, history=None):
        hist = history if history is not None else self.history
        nxt = f"Train runs next: {_arch(int(hidden))}, η = {lr:.3g}"
        if hist is None:
            self.title.set_text(f"no run yet\n{nxt}")
        else:
            self.title.set_text(f"curves: {self.run_label or 'the run given'}\n{nxt}")
        epochs = np.arange(1, len(hist.train_loss) + 1) if hist is not None else []
        for key in ("train", "val"):
            loss = hist[f"{key}_loss"] if hist is not None else []
            acc = np.array(hist[f"{key}_acc"]) * 100 if hist is not None else []
            self.lines["loss_" + key].set_data(epochs[:len(loss)], np.clip(loss, 0, 2.5))
            self.lines["acc_" + key].set_data(epochs[:len(acc)], acc)
        if hist is None:
            self.title2.set_text("no run yet: press Train")
            self.say(self.message, "press Train to start")
        elif hist.diverged:
            self.title2.set_text("accuracy of the curves' run:\ndiverged")
            self.say(self.message, f"{hist.diverged.split(':')[0]}: η too large")
        else:
            done = len(hist.val_acc)
            acc = f"val acc {hist.val_acc[-1]:.1%}" if done else "starting"
            self.title2.set_text(f"accuracy of the curves' run:\n{acc} at epoch {done}")
            stuck = done >= 5 and hist.val_acc[-1] < 0.5
            run_lr = self.run_lr if self.run_lr is not None else lr
            if stuck:
                self.say(self.message, f"diverged: η = {run_lr:.3g} too large, stuck at "
                                       f"{hist.val_acc[-1]:.0%} accuracy")
            elif done and hist.val_acc[-1] < 0.8:
                self.say(self.message, f"val acc {hist.val_acc[-1]:.0%}: below this plot")
            else:
                self.say(self.message, "")

    def describe(self, lr=0.05, hidden=64, history=None):
        hist = history if history is not None else self.history
        nxt = (f" The sliders set the next run: a {_arch(int(hidden))} network with "
               f"η = {lr:.3g}; press Train to run it.")
        if hist is None:
            return "Empty loss and accuracy charts: no run yet." + nxt
        run = self.run_label or "given"
        text = (f"Loss (left) and accuracy (right) per epoch, training and validation, of "
                f"{run if run.startswith('your') else 'the run ' + run}: ")
        if hist.diverged:
            return text + f"it diverged ({hist.diverged}), η too large." + nxt
        done = len(hist.val_acc)
        if not done:
            return text + "starting." + nxt
        return text + (f"after {done} epochs training loss {hist.train_loss[-1]:.3f}, "
                       f"validation accuracy {hist.val_acc[-1]:.1%} (target "
                       f"{TARGET_PCT} %).") + nxt


render_digit_training = TrainingScene.render


def _train_button(explorer):
    """Train with the current sliders; redraw and report progress every 3 epochs."""
    params = explorer.params
    scene = explorer.scene
    scene.run_label = f"{_arch(int(params['hidden']))}, η = {params['lr']:.3g}"
    scene.run_lr = params["lr"]
    start = time.perf_counter()

    def progress(epoch, history):
        scene.history = history
        if (epoch + 1) % 3 == 0 or epoch + 1 == MAX_EPOCHS:
            explorer.status.value = (f"epoch {epoch + 1}/{MAX_EPOCHS} · "
                                     f"val acc {history.val_acc[-1] * 100:.1f} %")
            explorer.update()

    explorer.status.value = f"epoch 0/{MAX_EPOCHS} · training…"
    _, history = train_digits(hidden=int(params["hidden"]), lr=params["lr"],
                              momentum=DEFAULTS["momentum"], num_epochs=MAX_EPOCHS,
                              batch_size=DEFAULTS["batch_size"], seed=DEFAULTS["seed"],
                              callback=progress)
    scene.history = history
    explorer.update()
    seconds = time.perf_counter() - start
    if history.diverged:
        explorer.status.value = f"{history.diverged} · {seconds:.1f} s"
    else:
        explorer.status.value = (f"done: epoch {len(history.val_acc)}/{MAX_EPOCHS} · "
                                 f"val acc {history.val_acc[-1] * 100:.1f} % · {seconds:.1f} s")


def explore_digit_training(lr: float = 0.05, hidden: int = 64, history=None):
    """Sliders for η and the hidden-layer size, and a Train button (30 epochs, live curves).

    It opens on the curves of ``history`` (the run you just did), or of the lesson's default
    run (trained once and cached), so the picture is informative before anyone presses Train.
    """
    scene = TrainingScene()
    if history is None:
        history = default_model()[1]
        scene.run_label = f"{_arch(DEFAULTS['hidden'])}, η = {DEFAULTS['lr']:.3g}"
        scene.run_lr = DEFAULTS["lr"]
    else:
        scene.run_label = "your run above"
    scene.history = history
    return Explorer(
        scene,
        {"lr": log_slider("η (learning rate)", -3, 0.5, lr, step=0.1),
         "hidden": int_slider("hidden units", 8, 128, hidden, step=8)},
        buttons={"Train": _train_button},
        hint="These are the curves of the run named on the left. Try η = 0.001 and η = 2, "
             "or only 8 hidden units, and press **Train** for each.")


# ---------------------------------------------------------------------------
# Explorer 2: browse the validation images and the predicted probabilities
# ---------------------------------------------------------------------------

WHICH = ["all images", "mistakes only"]


class PredictionScene(Scene):
    """Left: one validation image. Right: the network's probability for each digit."""

    figsize = (8.0, 3.2)
    grid = (1, 2)
    margins = dict(left=0.04, right=0.98, bottom=0.16, top=0.86, wspace=0.15)

    def __init__(self, model=None, X=None, y=None):
        super().__init__()
        if model is None:
            model = default_model()[0]
        if X is None or y is None:
            _, X, _, _, y, _ = digits_splits()
        self.X, self.y = np.asarray(X), np.asarray(y)
        self.probs = softmax_probs(model, self.X)
        self.pred = self.probs.argmax(axis=1)
        self.wrong = np.flatnonzero(self.pred != self.y)

    def setup(self, axes):
        ax, ax2 = axes
        self.img = self.dyn(ax.imshow(np.zeros((8, 8)), cmap="gray_r", vmin=-1, vmax=1))
        ax.set_xticks([])
        ax.set_yticks([])
        ax.set_xlabel("8 × 8 pixels")
        self.title = self.dyn(ax.set_title(""))
        self.bars = ax2.bar(np.arange(10), np.zeros(10), color=PALETTE["grey"])
        for bar in self.bars:
            self.dyn(bar)
        ax2.set(xlim=(-0.6, 9.6), ylim=(0, 1.05), xticks=range(10), xlabel="digit",
                ylabel="predicted probability")
        self.title2 = self.dyn(ax2.set_title(""))

    def update(self, index=0, which="all images"):
        mistakes = which == "mistakes only" and len(self.wrong)
        pool = self.wrong if mistakes else np.arange(len(self.y))
        pos = int(index) % len(pool)
        i = int(pool[pos])
        p, true, pred = self.probs[i], int(self.y[i]), int(self.pred[i])
        self.img.set_data(self.X[i].reshape(8, 8))
        label = f"mistake {pos + 1} of {len(pool)}" if which == "mistakes only" else f"image {i}"
        self.title.set_text(f"{label}: true digit {true}")
        for k, bar in enumerate(self.bars):
            bar.set_height(p[k])
            color = PALETTE["grey"]
            if k == true:
                color = PALETTE["green"]
            elif k == pred:
                color = PALETTE["red"]
            bar.set_color(color)
        verdict = "right" if pred == true else "wrong"
        self.title2.set_text(f"predicted {pred} with {p[pred]:.1%}: {verdict}")
        self._frame = dict(i=i, label=label)

    def describe(self, index=0, which="all images"):
        i, label = self._frame["i"], self._frame["label"]
        p, true, pred = self.probs[i], int(self.y[i]), int(self.pred[i])
        runner = int(np.argsort(p)[-2])
        return (f"Left: validation {label}, an 8 by 8 handwritten digit, true digit {true}. "
                f"Right: bars of the network's probability for each digit 0 to 9. It "
                f"predicts {pred} with {p[pred]:.1%}, {'right' if pred == true else 'wrong'}; "
                f"next most likely {runner} with {p[runner]:.1%}"
                + (f"; the true digit gets {p[true]:.1%}." if pred != true else "."))


def render_predictions(index=0, which="all images"):
    """Pure path for the tests: the default model's prediction for validation image ``index``."""
    return PredictionScene.render(index=index, which=which)


def explore_predictions(model=None, X=None, y=None, index: int = 0):
    """A slider over the validation images: the image and the 10 predicted probabilities.

    Green bar: the true digit. Red bar: a wrong prediction.
    """
    scene = PredictionScene(model, X, y)
    return Explorer(
        scene,
        {"index": int_slider("image", 0, len(scene.y) - 1, index),
         "which": dropdown("show", WHICH, WHICH[0])},
        hint="Slide through the images, then choose **mistakes only**: are the mistakes "
             "confident, or close calls?")


EXPLORERS = [explore_digit_training, explore_predictions]

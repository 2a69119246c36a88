"""Lesson 07 explorers: mini-batch SGD, decision boundaries while learning, momentum.

The slider explorers never train a network while you drag. They precompute
everything once when the explorer is built:

- :func:`train_stack` trains several copies of one small MLP side by side
  (one copy per learning rate), as one set of stacked NumPy arrays, so a grid
  of runs costs about as much as a single run;
- the decision-boundary explorer stores the class probabilities over a grid
  after every epoch, and the epoch slider just picks a snapshot.
"""

from __future__ import annotations

import time

import numpy as np
from matplotlib.colors import to_rgb

from ..activations import softmax
from ..data import make_spiral
from ..layers import MLP
from ..optim import SGD
from ..plots import COLORS, PALETTE
from ..train import fit
from ._base import Explorer, Scene, dropdown, float_slider, int_slider, log_slider

__all__ = ["train_stack", "spiral_data", "MinibatchScene", "render_minibatch", "explore_minibatch",
           "BoundaryScene", "render_boundary", "explore_boundary", "valley_loss", "valley_path",
           "MomentumScene", "render_momentum", "explore_momentum", "EXPLORERS"]


# ---------------------------------------------------------------------------
# A grid of small training runs, computed side by side
# ---------------------------------------------------------------------------

def _log_softmax(Z):
    Z = Z - Z.max(axis=-1, keepdims=True)
    return Z - np.log(np.exp(Z).sum(axis=-1, keepdims=True))


def _stack_loss(Ws, bs, X, y):
    """Cross-entropy and accuracy of every stacked network on ``(X, y)``: two (R,) arrays."""
    A = X
    for i, (W, b) in enumerate(zip(Ws, bs, strict=True)):
        A = A @ W + b
        if i < len(Ws) - 1:
            A = np.maximum(A, 0)
    logp = _log_softmax(A)
    loss = -logp[:, np.arange(len(y)), y].mean(axis=1)
    acc = (A.argmax(axis=-1) == y).mean(axis=1)
    return loss, acc


def train_stack(X, y, sizes, lrs, batch_size, num_epochs, momentum=0.0, weight_decay=0.0,
                X_val=None, y_val=None, seed=0, record_every=1):
    """Train R copies of ``MLP(sizes)`` (ReLU, softmax cross-entropy) side by side.

    Copy r uses learning rate ``lrs[r]`` (and ``momentum[r]``, ``weight_decay[r]``
    if those are arrays); all copies start from the same He-initialised weights
    and see the same shuffled mini-batches, so they differ only in those
    settings. The update is the one in :class:`nnlib.optim.SGD`:

        v ← μ v − η (∂L/∂W + λ W)        W ← W + v

    Weights are stacked along a first axis: ``W_l: (R, n_in, n_out)``.

    Returns a dict of arrays: ``step_loss`` (R, steps) mini-batch losses,
    ``train_loss``/``train_acc`` (R, num_epochs + 1) on the whole training set
    (entry 0 is before training), ``val_loss``/``val_acc`` likewise when
    validation data is given, and ``diverged`` (R,) the epoch at which each run
    stopped with a non-finite loss (0 = never). Diverged runs hold NaN after that.
    With ``record_every = k`` the whole-set losses are measured every k epochs only
    (arrays of length num_epochs // k + 1). ``params`` holds the final stacked
    ``(Ws, bs)``.
    """
    X = np.asarray(X, dtype=float)
    y = np.asarray(y)
    lrs = np.atleast_1d(np.asarray(lrs, dtype=float))
    R, n = len(lrs), len(X)
    mu = np.broadcast_to(np.asarray(momentum, dtype=float), (R,))[:, None, None]
    wd = np.broadcast_to(np.asarray(weight_decay, dtype=float), (R,))[:, None, None]
    eta = lrs[:, None, None].copy()
    rng = np.random.default_rng(seed)
    Ws, bs = [], []
    for n_in, n_out in zip(sizes[:-1], sizes[1:], strict=True):
        W = rng.standard_normal((n_in, n_out)) * np.sqrt(2 / n_in)
        Ws.append(np.repeat(W[None], R, axis=0))
        bs.append(np.zeros((R, 1, n_out)))
    params = Ws + bs
    vel = [np.zeros_like(p) for p in params]
    k = sizes[-1]
    eye = np.eye(k)
    steps_per_epoch = -(-n // batch_size)
    n_rec = num_epochs // record_every + 1
    out = {"step_loss": np.full((R, num_epochs * steps_per_epoch), np.nan),
           "train_loss": np.full((R, n_rec), np.nan),
           "train_acc": np.full((R, n_rec), np.nan),
           "diverged": np.zeros(R, dtype=int)}
    has_val = X_val is not None
    if has_val:
        X_val = np.asarray(X_val, dtype=float)
        out["val_loss"] = np.full((R, n_rec), np.nan)
        out["val_acc"] = np.full((R, n_rec), np.nan)
    alive = np.ones(R, dtype=bool)

    def record(epoch):
        if epoch % record_every:
            return
        col = epoch // record_every
        with np.errstate(all="ignore"):
            loss, acc = _stack_loss(Ws, bs, X, y)
            bad = alive & ~np.isfinite(loss)
            out["diverged"][bad] = max(epoch, 1)
            alive[bad] = False
            # freeze diverged runs at 0 (no NaN arithmetic)
            for p, v in zip(params, vel, strict=True):
                p[~alive] = 0.0
                v[~alive] = 0.0
            eta[~alive] = 0.0
            out["train_loss"][alive, col] = loss[alive]
            out["train_acc"][alive, col] = acc[alive]
            if has_val:
                vl, va = _stack_loss(Ws, bs, X_val, y_val)
                out["val_loss"][alive, col] = vl[alive]
                out["val_acc"][alive, col] = va[alive]

    record(0)
    step = 0
    L = len(Ws)
    with np.errstate(all="ignore"):
        for epoch in range(1, num_epochs + 1):
            order = rng.permutation(n)
            for start in range(0, n, batch_size):
                idx = order[start:start + batch_size]
                Xb, yb = X[idx], y[idx]
                acts = [Xb]
                A = Xb
                for i in range(L):
                    A = A @ Ws[i] + bs[i]
                    if i < L - 1:
                        A = np.maximum(A, 0)
                    acts.append(A)
                logp = _log_softmax(A)
                out["step_loss"][:, step] = -logp[:, np.arange(len(yb)), yb].mean(axis=1)
                dZ = (np.exp(logp) - eye[yb]) / len(yb)          # ∂L/∂Z of the last layer
                grads_W, grads_b = [None] * L, [None] * L
                for i in range(L - 1, -1, -1):
                    A_prev = acts[i]
                    A_T = np.swapaxes(A_prev, -1, -2) if A_prev.ndim == 3 else A_prev.T
                    grads_W[i] = A_T @ dZ
                    grads_b[i] = dZ.sum(axis=1, keepdims=True)
                    if i > 0:
                        dZ = (dZ @ np.swapaxes(Ws[i], -1, -2)) * (acts[i] > 0)
                for p, g, v in zip(params, grads_W + grads_b, vel, strict=True):
                    v *= mu
                    v -= eta * (g + wd * p)
                    p += v
                step += 1
            out["step_loss"][~alive, step - steps_per_epoch:step] = np.nan
            record(epoch)
    out["step_loss"][~np.isfinite(out["step_loss"])] = np.nan
    out["params"] = (Ws, bs)
    return out


def spiral_data():
    """The lesson's 2-D dataset: three spiral arms of 100 points each (``make_spiral``, seed 0)."""
    return make_spiral(n_per_class=100, n_classes=3, noise=0.2, seed=0)


# ---------------------------------------------------------------------------
# Explorer 1: batch size and learning rate
# ---------------------------------------------------------------------------

BATCH_SIZES = [1, 4, 16, 64, 300]
LR_EXPONENTS = np.round(np.arange(-2.0, 1.0001, 0.25), 2)   # η = 10^e for these e
MB_EPOCHS = 15
MB_SIZES = [2, 24, 3]


def _nearest_index(values, v):
    return int(np.argmin(np.abs(np.asarray(values, dtype=float) - v)))


def _epoch_times():
    """Milliseconds for one epoch of ``nnlib.train.fit`` per batch size (best of 2)."""
    X, y = spiral_data()
    times = []
    for b in BATCH_SIZES:
        best = np.inf
        for _ in range(2):
            model = MLP(MB_SIZES, rng=np.random.default_rng(0))
            opt = SGD(model.parameters(), lr=0.1)
            start = time.perf_counter()
            fit(model, X, y, "cross_entropy", opt, epochs=1, batch_size=b,
                rng=np.random.default_rng(0))
            best = min(best, time.perf_counter() - start)
        times.append(best * 1000)
    return np.array(times)


_MB_CACHE = {}


def minibatch_runs():
    """All runs of the batch-size explorer: ``{batch_size: train_stack result}`` plus timings."""
    if not _MB_CACHE:
        X, y = spiral_data()
        lrs = 10.0 ** LR_EXPONENTS
        for b in BATCH_SIZES:
            _MB_CACHE[b] = train_stack(X, y, MB_SIZES, lrs, b, MB_EPOCHS, seed=1)
        _MB_CACHE["ms_per_epoch"] = _epoch_times()
    return _MB_CACHE


class MinibatchScene(Scene):
    """Left: mini-batch loss per update (thin) and full training loss per epoch (thick).
    Right: measured time per epoch for each batch size."""

    figsize = (9.5, 4.0)
    grid = (1, 2)

    def setup(self, axes):
        ax, ax2 = axes
        self.runs = minibatch_runs()
        ax.set(xlim=(0, MB_EPOCHS), ylim=(0, 2.0), xlabel="epoch (passes over the 300 points)",
               ylabel="cross-entropy loss")
        self.noisy, = self.dyn(ax.plot([], [], color=PALETTE["sky"], lw=0.7, alpha=0.8,
                                       label="loss of each mini-batch"))
        self.gd, = self.dyn(ax.plot([], [], "--", color=PALETTE["grey"], lw=1.5,
                                    label="full batch (GD), same η"))
        self.smooth, = self.dyn(ax.plot([], [], "o-", color=PALETTE["blue"], lw=2, ms=3,
                                        label="loss on all 300 points"))
        # legend below the axes: the noisy batch-1 curve reaches every corner of the plot
        ax.legend(loc="upper center", bbox_to_anchor=(0.5, -0.2), ncol=3, fontsize=8,
                  frameon=False)
        self.title = self.dyn(ax.set_title(""))
        self.message = self.banner(ax)
        ms = self.runs["ms_per_epoch"]
        pos = np.arange(len(BATCH_SIZES))
        self.bars = ax2.bar(pos, ms, color=PALETTE["grey"])
        for bar in self.bars:
            self.dyn(bar)
        for p, t in zip(pos, ms, strict=True):
            ax2.text(p, t * 1.15, f"{t:.1f} ms", ha="center", fontsize=8)
        ax2.set_yscale("log")
        ax2.set(ylim=(0.1, 1000), xticks=pos, xticklabels=[str(b) for b in BATCH_SIZES],
                xlabel="batch size", ylabel="time per epoch (ms, measured)")
        self.title2 = self.dyn(ax2.set_title(""))

    def update(self, lr=0.1, batch_size=16):
        i = _nearest_index(LR_EXPONENTS, np.log10(lr))
        j = BATCH_SIZES.index(int(batch_size)) if int(batch_size) in BATCH_SIZES else 2
        run, gd = self.runs[BATCH_SIZES[j]], self.runs[BATCH_SIZES[-1]]
        steps = run["step_loss"].shape[1]
        keep = slice(None, None, max(1, steps // 600))   # ≤ 600 points keep drawing fast
        self.noisy.set_data((np.arange(1, steps + 1) * MB_EPOCHS / steps)[keep],
                            run["step_loss"][i][keep])
        epochs = np.arange(MB_EPOCHS + 1)
        self.smooth.set_data(epochs, run["train_loss"][i])
        self.gd.set_data(epochs, gd["train_loss"][i])
        eta = 10.0 ** LR_EXPONENTS[i]
        if run["diverged"][i]:
            self.say(self.message,
                     f"diverged in epoch {run['diverged'][i]}: η = {eta:.3g} too large")
            self.title.set_text(f"η = {eta:.3g}, batch {BATCH_SIZES[j]}: diverged")
        else:
            last = run["train_loss"][i, -1]
            acc = run["train_acc"][i, -1]
            blown = last > run["train_loss"][i, 0]
            self.say(self.message, f"diverged: η = {eta:.3g} too large, the loss ends at "
                                   f"{last:.3g}, above its start" if blown else "")
            self.title.set_text(f"η = {eta:.3g}, batch {BATCH_SIZES[j]}: "
                                f"loss {last:.3f}, acc. {acc:.0%}")
        for k, bar in enumerate(self.bars):
            bar.set_color(PALETTE["orange"] if k == j else PALETTE["grey"])
        updates = -(-300 // BATCH_SIZES[j])
        self.title2.set_text(f"{updates} updates, {self.runs['ms_per_epoch'][j]:.1f} ms per epoch")
        self._frame = dict(i=i, j=j, eta=eta, updates=updates)

    def describe(self, lr=0.1, batch_size=16):
        # no measured times here: the text must be the same on every run and machine
        f = self._frame
        i, b = f["i"], BATCH_SIZES[f["j"]]
        run, gd = self.runs[b], self.runs[BATCH_SIZES[-1]]
        text = (f"Left: cross-entropy loss over {MB_EPOCHS} epochs of mini-batch SGD on 300 "
                f"spiral points with η = {f['eta']:.3g} and batch size {b} ({f['updates']} "
                f"updates an epoch): the loss of each mini-batch (thin), the loss on all 300 "
                f"points after each epoch (thick) and full-batch gradient descent with the "
                f"same η (dashed). ")
        if run["diverged"][i]:
            text += f"The run diverged in epoch {run['diverged'][i]}: η too large. "
        else:
            text += (f"The loss on all points goes from {run['train_loss'][i, 0]:.3f} to "
                     f"{run['train_loss'][i, -1]:.3f}, accuracy {run['train_acc'][i, -1]:.0%}; "
                     f"full-batch descent ends at {gd['train_loss'][i, -1]:.3f}. ")
        return text + ("Right: a bar chart of the measured time per epoch for batch sizes "
                       + ", ".join(map(str, BATCH_SIZES)) + f", with {b} highlighted.")


render_minibatch = MinibatchScene.render


def explore_minibatch(lr: float = 0.1, batch_size: int = 16):
    """Sliders for η and the batch size: compare noisy mini-batch curves with full-batch GD."""
    return Explorer(
        MinibatchScene(),
        {"lr": log_slider("η (learning rate)", -2, 1, lr, step=0.25),
         "batch_size": dropdown("batch size", BATCH_SIZES, batch_size)},
        hint="Try batch size **1** and **300** at the same **η**: which curve is noisier, "
             "and which gets lower after 15 epochs?")


# ---------------------------------------------------------------------------
# Explorer 2: the decision boundary while the network learns
# ---------------------------------------------------------------------------

GRID_N = 60
GRID_LIM = 1.25
BOUNDARY_EPOCHS = 60


def _class_colors(k, light=0.0):
    rgb = np.array([to_rgb(c) for c in COLORS[:k]])
    return rgb * (1 - light) + light


_BOUNDARY_CACHE = {}


def boundary_snapshots():
    """Train ``MLP([2, 32, 32, 3])`` on the spiral with ``nnlib.train.fit`` (η = 0.1, μ = 0.9,
    batch 32) and keep the class probabilities over a grid after every epoch.

    Returns ``(probs, history)``: probs is (epochs + 1, GRID_N, GRID_N, 3).
    """
    if not _BOUNDARY_CACHE:
        X, y = spiral_data()
        g = np.linspace(-GRID_LIM, GRID_LIM, GRID_N)
        grid = np.array(np.meshgrid(g, g)).reshape(2, -1).T.astype(np.float32)
        model = MLP([2, 32, 32, 3], rng=np.random.default_rng(0))

        def probs():
            return softmax(model.forward(grid).astype(float)).reshape(GRID_N, GRID_N, 3)

        snaps = [probs()]
        hist = fit(model, X, y, "cross_entropy", SGD(model.parameters(), lr=0.1, momentum=0.9),
                   epochs=BOUNDARY_EPOCHS, batch_size=32, rng=np.random.default_rng(0),
                   callback=lambda epoch, h: snaps.append(probs()))
        _BOUNDARY_CACHE["probs"] = np.array(snaps)
        _BOUNDARY_CACHE["history"] = hist
    return _BOUNDARY_CACHE["probs"], _BOUNDARY_CACHE["history"]


class BoundaryScene(Scene):
    """Left: class probabilities over the plane (colour mix) with the data.
    Right: the loss so far."""

    figsize = (8.6, 3.8)
    grid = (1, 2)

    def setup(self, axes):
        ax, ax2 = axes
        self.probs, self.hist = boundary_snapshots()
        self.light = _class_colors(3, light=0.55)
        X, y = spiral_data()
        self.image = self.dyn(ax.imshow(np.ones((GRID_N, GRID_N, 3)), origin="lower",
                                        extent=(-GRID_LIM, GRID_LIM, -GRID_LIM, GRID_LIM),
                                        interpolation="bilinear"))
        for k in range(3):         # points drawn over the moving image, so they move too
            pts = X[y == k]
            self.dyn(ax.plot(pts[:, 0], pts[:, 1], "o", ms=4, color=COLORS[k], mec="black",
                             mew=0.8, label=f"class {k}")[0])
        ax.set(xlim=(-GRID_LIM, GRID_LIM), ylim=(-GRID_LIM, GRID_LIM), xlabel="$x_1$",
               ylabel="$x_2$",
               aspect="equal")
        ax.set_title("colour = the most likely class")
        loss = np.array(self.hist.train_loss)
        epochs = np.arange(1, len(loss) + 1)
        ax2.plot(epochs, loss, color=PALETTE["grey"], lw=1, label="whole run")
        self.done, = self.dyn(ax2.plot([], [], color=PALETTE["blue"], lw=2, label="so far"))
        self.dot, = self.dyn(ax2.plot([], [], "o", color=PALETTE["orange"], ms=8))
        ax2.set(xlim=(0, BOUNDARY_EPOCHS), ylim=(0, 1.2), xlabel="epoch",
                ylabel="training loss (cross-entropy)")
        ax2.legend(loc="upper right", fontsize=8)
        self.title2 = self.dyn(ax2.set_title(""))

    def update(self, epoch=0):
        epoch = int(np.clip(epoch, 0, BOUNDARY_EPOCHS))
        p = self.probs[epoch]
        self.image.set_data(np.clip(p @ self.light, 0, 1))
        loss = np.array(self.hist.train_loss[:epoch])
        self.done.set_data(np.arange(1, epoch + 1), loss)
        if epoch == 0:
            self.dot.set_data([], [])
            self.title2.set_text("epoch 0: random weights, nothing learned yet")
        else:
            self.dot.set_data([epoch], [loss[-1]])
            acc = self.hist.train_acc[epoch - 1]
            self.title2.set_text(f"epoch {epoch}: loss {loss[-1]:.3f}, accuracy {acc:.1%}")

    def describe(self, epoch=0):
        epoch = int(np.clip(epoch, 0, BOUNDARY_EPOCHS))
        text = ("Left: 300 points of three interleaved spiral arms (classes 0, 1, 2) on the "
                "plane, coloured by the class the network finds most likely at each place, ")
        if epoch == 0:
            return text + ("before training: random weights, nothing learned yet. Right: the "
                           f"training loss over {BOUNDARY_EPOCHS} epochs, none done yet.")
        return text + (f"after epoch {epoch} of {BOUNDARY_EPOCHS}: training loss "
                       f"{self.hist.train_loss[epoch - 1]:.3f}, accuracy "
                       f"{self.hist.train_acc[epoch - 1]:.1%}. Right: the training loss per "
                       f"epoch, the part so far highlighted.")


render_boundary = BoundaryScene.render


def explore_boundary(epoch: int = 8):
    """An epoch slider over snapshots of a spiral classifier: watch the boundary form."""
    return Explorer(
        BoundaryScene(),
        {"epoch": int_slider("epoch", 0, BOUNDARY_EPOCHS, epoch)},
        hint="Drag **epoch** back to 0, then forward to 60: which part of the spiral does "
             "the network get right first?")


# ---------------------------------------------------------------------------
# Explorer 3: momentum in a narrow valley
# ---------------------------------------------------------------------------

VALLEY = (1.0, 20.0)        # curvatures: L(w) = ½ (1 · w₁² + 20 · w₂²), shallow along, steep across
VALLEY_START = (-4.0, 1.5)
VALLEY_STEPS = 40


def valley_loss(w1, w2):
    """``L(w₁, w₂) = ½ (w₁² + 20 w₂²)``: a long, narrow valley with its minimum at (0, 0)."""
    k1, k2 = VALLEY
    return 0.5 * (k1 * np.asarray(w1) ** 2 + k2 * np.asarray(w2) ** 2)


def valley_path(lr, momentum, steps=VALLEY_STEPS, start=VALLEY_START):
    """Positions of gradient descent with momentum on :func:`valley_loss`, shape (steps + 1, 2).

    ``v ← μ v − η ∇L(w)``, ``w ← w + v`` with ``∇L = (w₁, 20 w₂)``. μ = 0 is plain GD.
    """
    grad_scale = np.array(VALLEY)
    w = np.array(start, dtype=float)
    v = np.zeros(2)
    path = [w.copy()]
    with np.errstate(all="ignore"):
        for _ in range(steps):
            v = momentum * v - lr * grad_scale * w
            w = w + v
            path.append(w.copy())
    return np.array(path)


class MomentumScene(Scene):
    """Left: the path on the contour map of the valley. Right: loss per step (log scale)."""

    figsize = (9.0, 3.6)
    grid = (1, 2)

    def setup(self, axes):
        ax, ax2 = axes
        g1, g2 = np.linspace(-5, 5, 200), np.linspace(-2.5, 2.5, 120)
        W1, W2 = np.meshgrid(g1, g2)
        ax.contour(W1, W2, valley_loss(W1, W2), levels=[0.5, 2, 5, 10, 20, 40],
                   colors=PALETTE["grey"], linewidths=0.8)
        self.gdpath, = self.dyn(ax.plot([], [], "--", color=PALETTE["grey"], lw=1.2,
                                        label="plain GD (μ = 0)", zorder=1))
        self.path, = self.dyn(ax.plot([], [], "o-", color=PALETTE["orange"], ms=3, lw=1.2,
                                      label="path with momentum", zorder=2))
        # dynamic, registered after the path: drawn on top of the path, which ends there
        self.dyn(ax.plot([0], [0], "*", color="white", ms=14, mec="black", mew=1.2,
                         label="minimum", zorder=4)[0])
        ax.legend(loc="upper right", fontsize=8)
        ax.set(xlim=(-5, 5), ylim=(-2.5, 2.5), xlabel="$w_1$ (shallow direction)",
               ylabel="$w_2$ (steep direction)")
        self.title = self.dyn(ax.set_title(""))
        self.message = self.banner(ax)
        ax2.set_yscale("log")
        ax2.set(xlim=(0, VALLEY_STEPS), ylim=(1e-6, 1e3), xlabel="step", ylabel="loss L(w)")
        self.gd, = self.dyn(ax2.plot([], [], "--", color=PALETTE["grey"], label="plain GD (μ = 0)"))
        self.curve, = self.dyn(ax2.plot([], [], color=PALETTE["orange"], lw=2,
                                        label="with momentum μ"))
        ax2.legend(loc="upper right", fontsize=8)
        self.title2 = self.dyn(ax2.set_title(""))

    def update(self, lr=0.02, momentum=0.0):
        path = valley_path(lr, momentum)
        plain = valley_path(lr, 0.0)
        with np.errstate(all="ignore"):
            loss = valley_loss(path[:, 0], path[:, 1])
            loss_gd = valley_loss(plain[:, 0], plain[:, 1])
        ok = np.isfinite(loss) & (loss < 1e6)
        shown = path[: np.argmin(ok) if not ok.all() else len(path)]
        self.path.set_data(np.clip(shown[:, 0], -6, 6), np.clip(shown[:, 1], -3, 3))
        ok_gd = np.isfinite(loss_gd) & (loss_gd < 1e6)
        shown_gd = plain[: np.argmin(ok_gd) if not ok_gd.all() else len(plain)]
        self.gdpath.set_data(np.clip(shown_gd[:, 0], -6, 6), np.clip(shown_gd[:, 1], -3, 3))
        steps = np.arange(VALLEY_STEPS + 1)
        self.curve.set_data(steps, np.where(ok, loss, np.nan))
        self.gd.set_data(steps, np.where(np.isfinite(loss_gd) & (loss_gd < 1e6), loss_gd, np.nan))
        final = loss[-1]
        diverged = not (np.isfinite(final) and final < loss[0])
        if diverged:
            self.say(self.message, f"diverged: η = {lr:.3g} with μ = {momentum:.2f} overshoots "
                                   f"the steep direction")
            self.title.set_text(f"η = {lr:.3g}, μ = {momentum:.2f}: diverged")
        else:
            self.say(self.message, "")
            self.title.set_text(f"η = {lr:.3g}, μ = {momentum:.2f}: {_steps_to_target(loss)}")
        gd_final = loss_gd[-1]
        gd_ok = np.isfinite(gd_final) and gd_final < loss_gd[0]
        gd_text = _steps_to_target(loss_gd) if gd_ok else "diverged"
        self.title2.set_text(f"loss · plain GD: {gd_text}")
        self._frame = dict(result="diverged" if diverged else _steps_to_target(loss),
                           gd=gd_text)

    def describe(self, lr=0.02, momentum=0.0):
        f = self._frame
        return (f"Left: contour lines of a long narrow valley L(w) = ½(w₁² + 20w₂²), minimum "
                f"at (0, 0), with {VALLEY_STEPS} steps from ({VALLEY_START[0]:g}, "
                f"{VALLEY_START[1]:g}) with η = {lr:.3g} and momentum μ = {momentum:.2f} "
                f"({f['result']}) and, dashed, plain gradient descent with the same η "
                f"({f['gd']}). Right: the loss per step on a log scale for both.")


def _steps_to_target(loss, target=0.1):
    """``"L < 0.1 at step k"`` for the first such step, else the loss after the last step."""
    with np.errstate(invalid="ignore"):
        reached = np.flatnonzero(loss < target)
    if reached.size:
        return f"L < {target:g} at step {reached[0]}"
    return f"L = {loss[-1]:.2g} after {len(loss) - 1} steps"


render_momentum = MomentumScene.render


def explore_momentum(lr: float = 0.02, momentum: float = 0.8):
    """Sliders for η and the momentum μ on a narrow valley ``L = ½ (w₁² + 20 w₂²)``."""
    return Explorer(
        MomentumScene(),
        {"lr": log_slider("η (learning rate)", -3, -0.5, lr, step=0.05),
         "momentum": float_slider("μ (momentum)", 0.0, 0.95, 0.05, momentum)},
        hint="Set **μ** to 0 (plain gradient descent), then raise it step by step to 0.95: "
             "which μ reaches L < 0.1 in the fewest steps?")


EXPLORERS = [explore_minibatch, explore_boundary, explore_momentum]

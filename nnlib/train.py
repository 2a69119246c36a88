"""Lesson 07: the training loop.

One epoch: shuffle, split into mini-batches, and for each batch

    forward → loss → backward → update (w ← w − η ∂L/∂w)
"""

from __future__ import annotations

import math

import numpy as np

from .data import minibatches
from .layers import Sequential
from .losses import LOSSES, cross_entropy, cross_entropy_grad, cross_entropy_with_grad
from .validate import as_array, labels, positive_number


class DivergedError(RuntimeError):
    """Training produced a NaN or infinite loss."""


class History(dict):
    """Per-epoch ``train_loss``, ``val_loss``, ``train_acc``, ``val_acc`` and ``lr`` lists.

    ``diverged`` holds a message when training stopped early, else ``None``.
    """

    def __init__(self):
        super().__init__(train_loss=[], val_loss=[], train_acc=[], val_acc=[], lr=[])
        self.diverged = None

    def __getattr__(self, key):
        try:
            return self[key]
        except KeyError:
            raise AttributeError(key) from None


def _resolve_loss(loss):
    if isinstance(loss, str):
        if loss not in LOSSES:
            raise ValueError(f"loss must be one of {sorted(LOSSES)} or a (loss, grad) pair, "
                             f"got {loss!r}")
        return loss, LOSSES[loss]
    if isinstance(loss, tuple) and len(loss) == 2 and all(map(callable, loss)):
        return getattr(loss[0], "__name__", "custom"), loss
    raise TypeError("loss must be a name like 'cross_entropy' or a (loss_fn, grad_fn) pair")


def evaluate(model, X, y, loss="cross_entropy"):
    """Return ``(loss, accuracy)`` of ``model`` on ``(X, y)``.

    ``X``: (n, n_in); ``y``: (n,) labels for ``"cross_entropy"``, else targets
    shaped like the model's output (n, n_out). Accuracy is ``mean(argmax ŷ_i == y_i)``.

    ``accuracy`` is ``None`` unless the loss is ``"cross_entropy"``.
    """
    name, (loss_fn, _) = _resolve_loss(loss)
    with np.errstate(over="ignore", invalid="ignore", divide="ignore"):
        out = model.forward(X)
        if not np.all(np.isfinite(out)):
            return float("nan"), None
        value = loss_fn(out, y)
    acc = float(np.mean(np.argmax(out, axis=1) == y)) if name == "cross_entropy" else None
    return value, acc


def _num_outputs(model, X) -> int:
    """How many scores (classes) the model gives per sample: run it on the first row."""
    with np.errstate(over="ignore", invalid="ignore", divide="ignore"):
        out = model.forward(X[:1])
    return as_array(out, "logits", ndim=2, dtype=None, finite=False).shape[1]


def _backward(model, grad):
    """Backpropagate ``grad``; training needs no ``∂L/∂X``, so a ``Sequential`` skips it."""
    if isinstance(model, Sequential):
        model.backward(grad, input_grad=False)
    else:
        model.backward(grad)


def fit(model, X, y, loss, optimizer, epochs: int, batch_size: int, X_val=None, y_val=None,
        rng=None, lr_schedule=None, on_diverge: str = "raise", callback=None) -> History:
    """Train ``model`` with mini-batch SGD for ``epochs`` passes over ``(X, y)``.

    ``X``: (n, n_in); ``y``: (n,) labels or (n, n_out) targets; the optional
    ``X_val``, ``y_val`` likewise. Every batch: ``w ← w − η ∂L/∂w`` via ``optimizer``.

    ``loss``: ``"cross_entropy"`` (y holds labels), ``"mse"``, ``"mae"`` or a
    ``(loss_fn, grad_fn)`` pair. ``lr_schedule(epoch) -> η`` sets the learning
    rate at the start of each epoch. ``callback(epoch, history)`` runs after
    each epoch (for live plots and progress bars). If the loss becomes NaN or
    inf, training stops: ``on_diverge="raise"`` raises :class:`DivergedError`,
    ``"stop"`` returns the history with ``history.diverged`` set.
    """
    positive_number(epochs, "epochs", integer=True)
    positive_number(batch_size, "batch_size", integer=True)
    if on_diverge not in ("raise", "stop"):
        raise ValueError(f"on_diverge must be 'raise' or 'stop', got {on_diverge!r}")
    name, (loss_fn, grad_fn) = _resolve_loss(loss)
    params = model.parameters()
    dtype = getattr(params[0][0], "dtype", np.float64) if params else np.float64
    X = as_array(X, "X", ndim=2, dtype=dtype)
    y = np.asarray(y)
    if y.ndim == 0 or len(y) != len(X):
        raise ValueError(f"X has {len(X)} rows but y has {len(y) if y.ndim else 'no'} entries "
                         f"(shape {y.shape})")
    has_val = X_val is not None and y_val is not None
    if has_val:
        X_val = as_array(X_val, "X_val", ndim=2, dtype=dtype)
    # fast path for classification: loss and gradient from one softmax, labels checked once here
    fast = loss_fn is cross_entropy and grad_fn is cross_entropy_grad
    if fast:
        y = labels(y, "y", num_classes=_num_outputs(model, X))
    rng = np.random.default_rng(0) if rng is None else rng
    hist = History()
    for epoch in range(epochs):
        if lr_schedule is not None:
            optimizer.lr = lr_schedule(epoch)
        total, count = 0.0, 0
        with np.errstate(over="ignore", invalid="ignore", divide="ignore"):
            for Xb, yb in minibatches(X, y, batch_size, shuffle=True, rng=rng):
                out = model.forward(Xb)
                if fast:
                    batch_loss, grad = cross_entropy_with_grad(out, yb)
                    if not math.isfinite(batch_loss):  # NaN/inf logits give a NaN loss
                        total = float("nan")
                        break
                else:
                    if not np.all(np.isfinite(out)):
                        total = float("nan")
                        break
                    batch_loss, grad = loss_fn(out, yb), grad_fn(out, yb)
                total += batch_loss * len(yb)
                count += len(yb)
                _backward(model, grad.astype(dtype, copy=False))
                optimizer.step()
        train_loss = total / max(count, 1)
        if not np.isfinite(train_loss):
            msg = (f"diverged at epoch {epoch + 1}: try a smaller learning rate "
                   f"(η = {optimizer.lr:g})")
            hist.diverged = msg
            if on_diverge == "raise":
                raise DivergedError(msg)
            break
        hist["train_loss"].append(train_loss)
        hist["lr"].append(optimizer.lr)
        if name == "cross_entropy":
            hist["train_acc"].append(evaluate(model, X, y, loss)[1])
        if has_val:
            vl, va = evaluate(model, X_val, y_val, loss)
            hist["val_loss"].append(vl)
            if va is not None:
                hist["val_acc"].append(va)
        if callback is not None:
            callback(epoch, hist)
    return hist

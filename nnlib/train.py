"""Lesson 07: the training loop.

One epoch: shuffle, split into mini-batches, and for each batch

    forward → loss → backward → update (w ← w − η ∂L/∂w)
"""

from __future__ import annotations

import contextlib
import math
import warnings

import numpy as np

from .data import minibatches
from .layers import Sequential, warn_if_symmetric
from .losses import (
    LOSSES,
    cross_entropy,
    cross_entropy_grad,
    cross_entropy_with_grad,
    looks_like_probabilities,
)
from .validate import NNLibWarning, as_array, labels, positive_number, warn

# Inputs with |x| above this (raw 0..255 pixels, say) make a freshly initialised layer's outputs
# huge; checked on the first rows only, so the check costs the same for any data size.
UNSCALED_LIMIT = 100.0


class DivergedError(RuntimeError):
    """Training produced a NaN or infinite loss."""


class History(dict):
    """Per-epoch ``train_loss``, ``val_loss``, ``train_acc``, ``val_acc`` and ``lr`` lists.

    Each list that is kept has exactly one entry per completed epoch (``train_acc``
    only for ``"cross_entropy"``, ``val_*`` only with validation data). An epoch whose
    training or end-of-epoch evaluation produced a NaN or inf is not completed: it
    adds to no list. ``diverged`` then holds a message saying when and where
    (``"diverged at epoch 3: try a smaller learning rate (η = 0.9) — the validation
    loss after the epoch's last update is nan"``), else ``None``.
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
    shaped like the model's output (n, n_out). For ``"cross_entropy"`` the model's
    outputs are logits ``Z`` and accuracy is ``mean_i 𝟙[argmax_k Z_ik = y_i]``;
    for any other loss ``accuracy`` is ``None``.

    A model whose outputs hold NaN or inf (weights that blew up) gives
    ``loss = nan`` and, for ``"cross_entropy"``, ``accuracy = nan``.
    """
    name, (loss_fn, _) = _resolve_loss(loss)
    with np.errstate(over="ignore", invalid="ignore", divide="ignore"):
        out = model.forward(X)
        if not np.all(np.isfinite(out)):
            return float("nan"), (float("nan") if name == "cross_entropy" else None)
        value = float(loss_fn(out, y))  # a plain float, whatever a custom loss returns
    acc = float(np.mean(np.argmax(out, axis=1) == y)) if name == "cross_entropy" else None
    return value, acc


def _output(model, X) -> np.ndarray:
    """The model's output for all of ``X``, checked to be 2-D.

    Runs the model on all of ``X`` (not just its first row), so a shape error
    names the shape the caller passed.
    """
    with np.errstate(over="ignore", invalid="ignore", divide="ignore"):
        out = model.forward(X)
    return as_array(out, "the model's output", ndim=2, dtype=None, finite=False)


def _output_shape(model, X) -> tuple:
    """The shape of the model's output for all of ``X``."""
    return _output(model, X).shape


def _check_targets(model, X, y, x_name: str, y_name: str) -> None:
    """Regression targets must have the model's output shape for the *whole* data set."""
    out_shape = _output_shape(model, X)
    if y.shape != out_shape:
        hint = ""
        if y.ndim == 1 and out_shape == (len(y), 1):
            hint = " (use y.reshape(-1, 1) for one output per sample)"
        elif (y.ndim == 1 and out_shape[0] == len(y) and y.dtype.kind in "iu"
              and out_shape[1] > 1):
            hint = (f" ({y_name} holds class labels: train a classifier with "
                    f"loss='cross_entropy', or give one_hot({y_name}) as targets)")
        raise ValueError(f"the model maps {x_name} of shape {X.shape} to outputs of shape "
                         f"{out_shape}, but {y_name} has shape {y.shape}: they must match{hint}")


@contextlib.contextmanager
def _quiet():
    """Silence NNLibWarning: fit's end-of-epoch evaluation repeats no warning fit gave."""
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", NNLibWarning)
        yield


def _class_labels(y, name: str, n_classes: int) -> np.ndarray:
    """``labels(y)``, with a hint naming the model's width if a label is out of range."""
    try:
        return labels(y, name, num_classes=n_classes)
    except ValueError as err:
        if "classes" not in str(err):
            raise
        top = int(np.max(y))
        raise ValueError(f"{err}; the model's last layer has {n_classes} outputs, one per "
                         f"class: make it {top + 1} wide") from None


def _check_optimizer(model, optimizer) -> None:
    """Before training: the optimizer must update this model's own arrays.

    An optimizer built from ``model.parameters()`` first catches up with any array that
    was replaced since (``SGD.follow``); one that holds arrays this model does not have
    (built for another model, or before ``layer.W`` was replaced) is refused.
    """
    held = getattr(optimizer, "params", None)
    if held is None or not hasattr(model, "parameters"):
        return
    if hasattr(optimizer, "follow") and getattr(optimizer, "_source", None) is not None:
        optimizer.follow()
        if optimizer._source is model:  # built from this model's parameters(), and up to date
            return
        held = optimizer.params
    mine = {id(w) for w, _ in model.parameters()}
    foreign = sum(id(w) not in mine for w, _ in held)
    if foreign == len(held):
        raise ValueError("the optimizer holds another model's weights, none of this model's: "
                         "build it for this model, SGD(model.parameters(), lr=...)")
    if foreign:
        raise ValueError(f"{foreign} of the optimizer's {len(held)} arrays are no longer the "
                         f"model's (was a layer's W or b replaced after the optimizer was "
                         f"built?): build the optimizer again, SGD(model.parameters(), lr=...)")


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
    each completed epoch (for live plots and progress bars).

    Divergence: if a batch's loss or gradient, the model's output, or an
    end-of-epoch number (training accuracy, validation loss or accuracy, which
    see the weights *after* the epoch's last update) is NaN or inf, training
    stops: ``on_diverge="raise"`` raises :class:`DivergedError`, ``"stop"``
    returns the history with ``history.diverged`` set. Either way the message
    says at which epoch and where (which batch, or which end-of-epoch number).
    """
    positive_number(epochs, "epochs", integer=True)
    positive_number(batch_size, "batch_size", integer=True)
    if on_diverge not in ("raise", "stop"):
        raise ValueError(f"on_diverge must be 'raise' or 'stop', got {on_diverge!r}")
    name, (loss_fn, grad_fn) = _resolve_loss(loss)
    params = model.parameters()
    dtype = getattr(params[0][0], "dtype", np.float64) if params else np.float64
    X_in, X = X, as_array(X, "X", ndim=2, dtype=dtype)
    y = np.asarray(y)
    if y.ndim == 0 or len(y) != len(X):
        hint = (": is X transposed? nnlib takes one sample per row, so pass X.T"
                if y.ndim and X.shape[1] == len(y) else "")
        raise ValueError(f"X has {len(X)} rows but y has {len(y) if y.ndim else 'no'} entries "
                         f"(shape {y.shape}){hint}")
    _check_optimizer(model, optimizer)
    if isinstance(model, Sequential) and not getattr(model, "_warned_symmetry", False):
        model._warned_symmetry = warn_if_symmetric(model)
    big = float(np.abs(X[:256]).max())
    if big > UNSCALED_LIMIT:
        warn(f"X has values up to {big:g}: unscaled inputs this large make the first layer's "
             f"outputs huge; scale them first, e.g. scale_to_range(X, data_min=0, "
             f"data_max={big:g}), and the validation data the same way")
    if (X_val is None) != (y_val is None):
        given, missing = ("X_val", "y_val") if y_val is None else ("y_val", "X_val")
        raise ValueError(f"{given} was given without {missing}: pass both to evaluate on "
                         f"validation data after every epoch, or neither")
    has_val = X_val is not None
    if has_val:
        same_as_training = X_val is X_in or (np.shape(X_val) == X.shape
                                             and np.array_equal(X_val, X_in))
        X_val = as_array(X_val, "X_val", ndim=2, dtype=dtype)
        y_val = np.asarray(y_val)
        if y_val.ndim == 0 or len(y_val) != len(X_val):
            raise ValueError(f"X_val has {len(X_val)} rows but y_val has "
                             f"{len(y_val) if y_val.ndim else 'no'} entries (shape {y_val.shape})")
    # fast path for classification: loss and gradient from one softmax, labels checked once here
    fast = loss_fn is cross_entropy and grad_fn is cross_entropy_grad
    outputs_are_probabilities = False
    if name == "cross_entropy":
        out = _output(model, X)
        n_classes = out.shape[1]
        if n_classes == 1:
            raise ValueError("the model has 1 output, but cross_entropy needs one output per "
                             "class: softmax over a single column is always 1, so the loss is 0 "
                             "and nothing is learned; make the last layer 2 wide for two classes")
        with np.errstate(invalid="ignore"):
            outputs_are_probabilities = looks_like_probabilities(out)
            if outputs_are_probabilities:
                warn("the model's outputs look like probabilities (each row ≥ 0 and sums to 1): "
                     "cross_entropy applies softmax itself, so end the model with the logits, "
                     "not a softmax")
        if fast:
            y = _class_labels(y, "y", n_classes)
        if has_val:
            y_val = _class_labels(y_val, "y_val", n_classes)
    elif isinstance(loss, str):  # mse, mae: targets shaped like the outputs
        _check_targets(model, X, y, "X", "y")
        if has_val:
            _check_targets(model, X_val, y_val, "X_val", "y_val")
    if has_val and same_as_training:
        warn("X_val is the training data itself: validation data must be held out, never "
             "trained on; split it off first with train_val_split")
    rng = np.random.default_rng(0) if rng is None else rng
    hist = History()
    n_batches = -(-len(X) // batch_size)
    for epoch in range(epochs):
        if lr_schedule is not None:
            optimizer.lr = lr_schedule(epoch)
        total, count, where = 0.0, 0, None
        with np.errstate(over="ignore", invalid="ignore", divide="ignore"):
            batches = minibatches(X, y, batch_size, shuffle=True, rng=rng)
            for b, (Xb, yb) in enumerate(batches, start=1):
                out = model.forward(Xb)
                if fast:  # NaN/inf logits give a NaN loss; finite logits a finite gradient
                    batch_loss, grad = cross_entropy_with_grad(out, yb)
                elif not np.all(np.isfinite(out)):
                    where = f"the model's output holds NaN or inf in batch {b} of {n_batches}"
                    break
                else:
                    batch_loss, grad = loss_fn(out, yb), grad_fn(out, yb)
                if not math.isfinite(batch_loss):
                    where = f"the training loss is {batch_loss} in batch {b} of {n_batches}"
                    break
                if not fast and not np.all(np.isfinite(grad)):
                    where = f"the loss gradient holds NaN or inf in batch {b} of {n_batches}"
                    break
                total += float(batch_loss) * len(yb)
                count += len(yb)
                _backward(model, grad.astype(dtype, copy=False))
                optimizer.step()
        row = {"train_loss": total / max(count, 1), "lr": optimizer.lr}
        if where is None and not math.isfinite(row["train_loss"]):
            where = f"the epoch's mean training loss is {row['train_loss']}"
        with _quiet() if outputs_are_probabilities else contextlib.nullcontext():
            if where is None and name == "cross_entropy":
                row["train_acc"] = evaluate(model, X, y, loss)[1]
            if where is None and has_val:
                row["val_loss"], va = evaluate(model, X_val, y_val, loss)
                if va is not None:
                    row["val_acc"] = va
        if where is None:
            for key in ("train_acc", "val_loss", "val_acc"):
                if key in row and not math.isfinite(row[key]):
                    what = {"train_acc": "training accuracy", "val_loss": "validation loss",
                            "val_acc": "validation accuracy"}[key]
                    where = f"the {what} after the epoch's last update is {row[key]}"
                    break
        if where is not None:
            msg = (f"diverged at epoch {epoch + 1}: try a smaller learning rate "
                   f"(η = {optimizer.lr:g}) — {where}")
            hist.diverged = msg
            if on_diverge == "raise":
                raise DivergedError(msg)
            break
        for key, value in row.items():
            hist[key].append(value)
        if callback is not None:
            callback(epoch, hist)
    return hist

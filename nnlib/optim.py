"""Lessons 03, 07 and 09: the update rule and its refinements.

Plain gradient descent:  ``w ← w − η ∂L/∂w``

With momentum μ (keep a fraction μ of the last step) and weight decay λ (L2):

    v ← μ v − η (∂L/∂w + λ w)
    w ← w + v
"""

from __future__ import annotations

import numbers

import numpy as np

from . import layers as _layers
from .validate import positive_number


def gd_step(w, dw, lr):
    """One gradient-descent step ``w_new = w − η · dw`` (returns a new value, w is untouched).

    ``w`` and ``dw`` are numbers or arrays of the same shape; ``w_new`` has that shape.
    """
    positive_number(lr, "lr")
    if np.shape(w) != np.shape(dw):
        raise ValueError(f"w has shape {np.shape(w)} but dw has shape {np.shape(dw)}: "
                         f"they must match")
    return w - lr * np.asarray(dw) if isinstance(w, np.ndarray) else w - lr * dw


class SGD:
    """Stochastic gradient descent on ``(parameter, gradient)`` pairs, updated in place.

    ``params`` is what ``model.parameters()`` returns. ``lr`` is η, ``momentum``
    μ in [0, 1), ``weight_decay`` λ ≥ 0.

    Built from ``model.parameters()``, the optimizer follows the model: if one of its
    arrays is later *replaced* (``layer.W = ...`` rather than ``layer.W[:] = ...``), the
    next ``step`` picks up the new array (its momentum starts from 0). Errors: ``TypeError``
    for the model itself or the method ``model.parameters`` instead of its result, and for
    integer weights, which cannot take fractional steps.
    """

    def __init__(self, params, lr: float, momentum: float = 0.0, weight_decay: float = 0.0):
        if callable(params) and getattr(params, "__name__", "") == "parameters":
            raise TypeError("SGD got the method model.parameters itself: call it, "
                            "SGD(model.parameters(), lr=...)")
        if hasattr(params, "parameters") and hasattr(params, "forward"):
            raise TypeError(f"SGD got the model {params!r} itself: pass its (parameter, "
                            f"gradient) pairs, SGD(model.parameters(), lr=...)")
        try:
            self.params = list(params)
        except TypeError:
            raise TypeError(f"SGD needs the (parameter, gradient) pairs that model.parameters() "
                            f"returns, got {type(params).__name__}") from None
        self._source = getattr(params, "source", None)
        self._seen = _layers._generation
        if not self.params:
            raise ValueError("SGD got no parameters: pass model.parameters()")
        for i, pair in enumerate(self.params):
            if (not isinstance(pair, (tuple, list)) or len(pair) != 2
                    or not all(isinstance(a, np.ndarray) for a in pair)):
                raise TypeError(f"parameter {i} must be a (value, gradient) pair of arrays, "
                                f"as model.parameters() returns")
            if pair[0].shape != pair[1].shape:
                raise ValueError(f"parameter {i} has shape {pair[0].shape} but its gradient has "
                                 f"shape {pair[1].shape}: they must match")
            if pair[0].dtype.kind != "f":
                raise TypeError(f"parameter {i} holds {pair[0].dtype} numbers, but SGD moves "
                                f"weights by fractions of the gradient, in place: make them "
                                f"floats, e.g. w = np.array(..., dtype=float)")
        self.lr = lr
        positive_number(weight_decay, "weight_decay", allow_zero=True)
        if not isinstance(momentum, numbers.Real) or not 0 <= momentum < 1:
            raise ValueError(f"momentum must be in [0, 1), got {momentum!r}")
        self.momentum, self.weight_decay = float(momentum), float(weight_decay)
        self.velocity = [np.zeros_like(w) for w, _ in self.params]

    @property
    def lr(self):
        """The learning rate η (a number > 0); a schedule sets it at each epoch."""
        return self._lr

    @lr.setter
    def lr(self, value):
        positive_number(value, "lr")
        self._lr = float(value)

    def step(self):
        """Apply one update to every parameter, in place.

        ``v ← μ v − η (dw + λ w)``, ``w ← w + v``; with μ = 0 simply
        ``w ← w − η (dw + λ w)``. Each ``w`` keeps its shape.
        """
        if self._seen != _layers._generation and self._source is not None:
            self.follow()
        lr, mu, wd = self._lr, self.momentum, self.weight_decay
        for (w, dw), v in zip(self.params, self.velocity, strict=True):
            g = dw if wd == 0 else dw + wd * w
            if mu == 0:
                w -= lr * g
            else:
                v *= mu
                v -= lr * g
                w += v

    def follow(self):
        """Re-read ``model.parameters()`` if an array was replaced since the optimizer was built.

        Arrays that are still the model's keep their momentum; new ones start from 0.
        Returns whether anything changed. ``step`` calls this itself (and ``fit`` before
        training), so a replaced ``layer.W`` is trained, not a stale copy.
        """
        if self._source is None or self._seen == _layers._generation:
            return False  # no layer array has been replaced since the last look
        self._seen = _layers._generation
        current = list(self._source.parameters())
        if len(current) == len(self.params) and all(
                w is w0 and dw is dw0 for (w, dw), (w0, dw0) in zip(current, self.params,
                                                                    strict=True)):
            return False
        kept = {id(w0): v for (w0, _), v in zip(self.params, self.velocity, strict=True)}
        self.params = current
        self.velocity = [kept[id(w)] if id(w) in kept and kept[id(w)].shape == w.shape
                         else np.zeros_like(w) for w, _ in current]
        return True

    def zero_grad(self):
        """Set every gradient to 0 (layers overwrite them anyway; this is for safety)."""
        for _, dw in self.params:
            dw.fill(0)


def constant(lr0: float):
    """Schedule ``η_t = η_0`` for every epoch t."""
    positive_number(lr0, "lr0")
    return lambda epoch: lr0


def step_decay(lr0: float, drop: float = 0.5, every: int = 10):
    """Step decay ``η_t = η_0 · drop^{⌊t / every⌋}``: cut η by ``drop`` every ``every`` epochs."""
    positive_number(lr0, "lr0")
    positive_number(drop, "drop")
    positive_number(every, "every", integer=True)
    return lambda epoch: lr0 * drop ** (epoch // every)


def exponential_decay(lr0: float, gamma: float = 0.95):
    """Exponential decay ``η_t = η_0 · γ^t``."""
    positive_number(lr0, "lr0")
    positive_number(gamma, "gamma")
    return lambda epoch: lr0 * gamma ** epoch

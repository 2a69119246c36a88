"""Lesson 07 checks: mini-batches, one epoch of SGD, the momentum update."""

from __future__ import annotations

import numpy as np

from ._core import Hint, call, check_all, close, register, report

__all__ = ["check_make_batches", "check_sgd_epoch", "check_momentum_step", "check_all"]

LESSON = "07"
register(LESSON, ["make_batches", "sgd_epoch", "momentum_step"])


def check_make_batches(make_batches):
    """``make_batches(n, batch_size, rng)``: shuffled index arrays covering 0..n-1 once."""
    def run():
        n, b = 10, 4
        batches = call(make_batches, n, b, np.random.default_rng(0))
        try:
            batches = [np.asarray(batch).ravel() for batch in batches]
        except TypeError:
            raise Hint("return a list of index arrays, one per mini-batch") from None
        if len(batches) == 0 or not all(np.issubdtype(x.dtype, np.integer) for x in batches):
            raise Hint("each batch should be an array of integer indices such as [7, 2, 9, 0]")
        sizes = [len(x) for x in batches]
        if len(batches) == 1 and sizes[0] == n:
            raise Hint("one batch holds everything: split the shuffled indices into pieces "
                       "of batch_size")
        if max(sizes) > b:
            raise Hint(f"a batch has {max(sizes)} indices but batch_size is {b}")
        flat = np.concatenate(batches)
        if len(flat) < n:
            raise Hint(f"only {len(flat)} of {n} indices appear: did you drop the last, "
                       f"smaller batch? range(0, n, batch_size) keeps it")
        if len(flat) > n or len(np.unique(flat)) != n or flat.min() != 0 or flat.max() != n - 1:
            raise Hint("every index 0..n-1 must appear exactly once per epoch")
        if sizes != [4, 4, 2]:
            raise Hint(f"batch sizes {sizes}: expected full batches first, then the remainder "
                       f"[4, 4, 2]")
        if np.array_equal(flat, np.arange(n)):
            raise Hint("the indices come in order 0, 1, 2, …: shuffle first with "
                       "rng.permutation(n)")
        again = np.concatenate([np.asarray(x).ravel() for x in
                                call(make_batches, n, b, np.random.default_rng(0))])
        if not np.array_equal(flat, again):
            raise Hint("the same rng seed gave a different order: draw the shuffle from the "
                       "rng argument, not from np.random")
        other = np.concatenate([np.asarray(x).ravel() for x in
                                call(make_batches, n, b, np.random.default_rng(1))])
        if np.array_equal(flat, other):
            raise Hint("two different seeds gave the same order: use the rng argument to shuffle")
        return "Each epoch visits every sample once, in a fresh random order."
    report(LESSON, "make_batches", run)


def _reference_epoch(w, X, y, lr, batch_size, rng):
    order = rng.permutation(len(X))
    for start in range(0, len(X), batch_size):
        idx = order[start:start + batch_size]
        Xb, yb = X[idx], y[idx]
        w = w - lr * 2 * Xb.T @ (Xb @ w - yb) / len(idx)
    return w


def check_sgd_epoch(sgd_epoch):
    """``sgd_epoch(w, X, y, lr, batch_size, rng)``: one epoch of mini-batch SGD, MSE of ŷ = X w."""
    def run():
        rng = np.random.default_rng(3)
        X = rng.normal(size=(12, 3))
        y = X @ np.array([1.0, -2.0, 0.5]) + 0.1 * rng.normal(size=12)
        w0 = np.zeros(3)
        lr = 0.1
        # Full batch: one gradient-descent step, whatever the order.
        got = np.asarray(call(sgd_epoch, w0.copy(), X, y, lr, 12, np.random.default_rng(0)),
                         dtype=float)
        want = w0 - lr * 2 * X.T @ (X @ w0 - y) / 12
        if got.shape != want.shape:
            raise Hint(f"returned shape {got.shape}, expected the weights' shape {want.shape}")
        if not close(got, want):
            step, right = got - w0, want - w0
            if close(step, -right):
                raise Hint("sign flipped: SGD steps *against* the gradient, w − η ∂L/∂w")
            if close(step, 12 * right):
                raise Hint("12× too large with batch_size = 12: average the gradient over the "
                           "batch (divide by len(batch))")
            if close(step, 0.5 * right):
                raise Hint("2× too small: the MSE gradient is 2 Xᵀ(X w − y) / n")
            raise Hint("with batch_size = n one epoch should be exactly one gradient-descent step "
                       "w − η · 2 Xᵀ(X w − y) / n")
        got = np.asarray(call(sgd_epoch, w0.copy(), X, y, lr, 4, np.random.default_rng(0)),
                         dtype=float)
        want = _reference_epoch(w0.copy(), X, y, lr, 4, np.random.default_rng(0))
        if close(got, w0 - lr * 2 * X.T @ (X @ w0 - y) / 12):
            raise Hint("with batch_size = 4 you still take one step: update w after every batch")
        if not close(got, want):
            raise Hint("full batches work, small ones do not: shuffle with rng.permutation(n), "
                       "then update w once per batch, using the gradient of that batch only")
        return "Three small steps per epoch instead of one big one: more progress per pass."
    report(LESSON, "sgd_epoch", run)


def check_momentum_step(momentum_step):
    """``momentum_step(w, v, dw, lr, mu) -> (w_new, v_new)`` with v ← μ v − η dw, w ← w + v."""
    def run():
        w, v, dw = np.array([1.0, -2.0]), np.array([0.3, 0.1]), np.array([0.5, -1.0])
        lr, mu = 0.1, 0.9
        out = call(momentum_step, w.copy(), v.copy(), dw, lr, mu)
        if not isinstance(out, (tuple, list)) or len(out) != 2:
            raise Hint("return two things: (w_new, v_new)")
        w_new, v_new = (np.asarray(a, dtype=float) for a in out)
        v_want = mu * v - lr * dw
        w_want = w + v_want
        if close(v_new, -lr * dw):
            raise Hint("v_new forgets the last step: keep a fraction of it, μ · v − η · dw")
        if close(v_new, mu * v + lr * dw):
            raise Hint("sign flipped: subtract η · dw, the step goes against the gradient")
        if close(v_new, v - lr * dw):
            raise Hint("you kept all of v: multiply it by μ first")
        if not close(v_new, v_want):
            raise Hint(f"v_new = {np.round(v_new, 4)}, expected μ v − η dw = {np.round(v_want, 4)}")
        if close(w_new, w + v):
            raise Hint("w moved by the old v: update v first, then w ← w + v_new")
        if not close(w_new, w_want):
            raise Hint(f"w_new = {np.round(w_new, 4)}, expected w + v_new = {np.round(w_want, 4)}")
        plain = call(momentum_step, w.copy(), np.zeros(2), dw, lr, 0.0)
        if not close(np.asarray(plain[0], dtype=float), w - lr * dw):
            raise Hint("with μ = 0 and v = 0 this should be plain gradient descent, w − η dw")
        return "With μ = 0.9 a steady gradient builds up to steps 10× larger: 1 / (1 − μ)."
    report(LESSON, "momentum_step", run)

"""Lesson 09 checks: a weight-decay step, He initialization, early stopping."""

from __future__ import annotations

import numpy as np

from ._core import Hint, call, check_all, close, register, report

__all__ = ["check_weight_decay_step", "check_he_scale", "check_best_epoch", "check_all"]

LESSON = "09"
register(LESSON, ["weight_decay_step", "he_scale", "best_epoch"])


def check_weight_decay_step(weight_decay_step):
    """``weight_decay_step(w, dw, lr, lam)`` = w − η (dw + λ w)."""
    def run():
        w, dw = np.array([2.0, -1.0, 0.5]), np.array([0.1, 0.3, -0.2])
        lr, lam = 0.1, 0.5
        got = np.asarray(call(weight_decay_step, w.copy(), dw.copy(), lr, lam), dtype=float)
        want = w - lr * (dw + lam * w)
        if got.shape != want.shape:
            raise Hint(f"returned shape {got.shape}, expected the weights' shape {want.shape}")
        if close(got, w - lr * dw):
            raise Hint("λ is missing: the L2 penalty adds λ · w to the gradient")
        if close(got, w - lr * (dw - lam * w)) or close(got, w + lr * (dw + lam * w)):
            raise Hint("sign flipped: weight decay pulls w towards 0, so subtract η λ w")
        if close(got, w - lr * (dw + 0.5 * lam * w)):
            raise Hint("λ/2 used in the step: the penalty (λ/2) Σ w² has gradient λ w")
        if close(got, w - lr * dw - lam * w):
            raise Hint("multiply λ w by η too: w − η (dw + λ w)")
        if not close(got, want):
            raise Hint(f"got {np.round(got, 4)}, expected w − η (dw + λ w) = {np.round(want, 4)}")
        return "Each step shrinks every weight by a factor (1 − η λ) before the gradient acts."
    report(LESSON, "weight_decay_step", run)


def check_he_scale(he_scale):
    """``he_scale(n_in)`` = √(2 / n_in), the std He et al. (2015) use for ReLU layers."""
    def run():
        for n in (100, 64, 2):
            got = float(call(he_scale, n))
            want = np.sqrt(2 / n)
            if np.isclose(got, want):
                continue
            if np.isclose(got, 2 / n):
                raise Hint("that is the variance 2 / n_in: the std is its square root")
            if np.isclose(got, np.sqrt(1 / n)):
                raise Hint("√(1/n_in) is LeCun's scale: ReLU zeroes half the units, so He uses "
                           "√(2/n_in)")
            if np.isclose(got, np.sqrt(2 * n)) or np.isclose(got, np.sqrt(n / 2)):
                raise Hint("n_in belongs in the denominator: √(2 / n_in)")
            if not np.isclose(got, want):
                raise Hint(f"he_scale({n}) = {got:.4g}, expected √(2/{n}) = {want:.4g}")
        return "Wider layers sum more inputs, so each weight must start smaller."
    report(LESSON, "he_scale", run)


def check_best_epoch(best_epoch):
    """``best_epoch(val_losses)``: the index of the lowest validation loss (early stopping)."""
    def run():
        val = [0.9, 0.5, 0.35, 0.31, 0.33, 0.4, 0.52]
        got = call(best_epoch, list(val))
        if isinstance(got, (float, np.floating)) and not float(got).is_integer():
            raise Hint("that is a loss value: return the index (position) of the lowest loss")
        got = int(got)
        if got == int(np.argmax(val)):
            raise Hint("that is the highest loss: early stopping keeps the *lowest* "
                       "validation loss")
        if got == len(val) - 1:
            raise Hint("the last epoch is not the best one here: the validation loss rises again")
        if got == int(np.argmin(val)) + 1:
            raise Hint("one too far: return the 0-based index, as np.argmin does")
        if got != int(np.argmin(val)):
            raise Hint(f"got {got}, but the lowest loss {min(val)} sits at index "
                       f"{int(np.argmin(val))}")
        return "Stop where the validation loss is lowest and keep those weights: early stopping."
    report(LESSON, "best_epoch", run)

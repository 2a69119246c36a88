"""Lesson 09 exercises: where weight decay settles a weight, a Leaky-ReLU layer's variance,
early stopping.

Each ``check_<name>(fn)`` calls the learner's function on known inputs, compares the result
with the maths (never with the learner's own code) and prints one line: ✓ with an insight or
✗ with a hint that names the slip.
"""

from __future__ import annotations

import numpy as np

from ._core import Exercise, Hint, call, check_all, close, fmt, ladder, number, register, report

__all__ = ["check_decay_equilibrium", "check_leaky_layer_variance", "check_best_epoch", "check_all",
           "hint", "show_solution", "LESSON"]

LESSON = "09"
register(LESSON, [
    Exercise("decay_equilibrium", kind="derive",
             idea="Write section 2's update with ∂L/∂w = g. The weight stops moving when one "
                  "step leaves it where it is: set w_new = w and solve for w.",
             formula="w = (1 − ηλ)·w − η·g  ⇒  ηλ·w = −η·g  ⇒  w = ?  (η cancels)"),
    Exercise("leaky_layer_variance", kind="derive",
             idea="Var[z] = n_in · s² · E[a²] still holds. Work out E[a²] for Leaky ReLU: half "
                  "the time a = z_prev, the other half a = α·z_prev.",
             formula="E[a²] = ½·Var[z_prev] + ½·α²·Var[z_prev] = ½(1 + α²)·var_prev, so "
                     "Var[z] = n_in · s² · ½(1 + α²) · var_prev."),
    Exercise("best_epoch", kind="debug",
             idea="The buggy rule compares each epoch with the one just before it. It must "
                  "compare with the best epoch found so far.",
             formula="keep `best`; at each epoch, if val_losses[epoch] < val_losses[best]: "
                     "best = epoch (strict <, so ties keep the earlier epoch)."),
])
hint, show_solution = ladder(LESSON)


# ---------------------------------------------------------------- exercise 1
def check_decay_equilibrium(decay_equilibrium) -> None:
    """``decay_equilibrium(lr, lam, g)`` = ``−g / λ``, the fixed point of w ← (1 − ηλ)w − ηg."""

    def run():
        for lr, lam, g in ((0.1, 0.4, 2.0), (0.05, 0.01, -0.3), (0.2, 2.0, 1.0)):
            got = number(call(decay_equilibrium, lr, lam, g, name="decay_equilibrium"),
                         f"decay_equilibrium({fmt(lr)}, {fmt(lam)}, {fmt(g)})")
            want = -g / lam
            if close(got, want):
                continue
            where = (f"for η = {fmt(lr)}, λ = {fmt(lam)}, g = {fmt(g)}: got {fmt(got)}, "
                     f"want {fmt(want)}")
            if close(got, g / lam):
                raise Hint(f"{where}. Sign: a positive gradient g pushes w down (the update "
                           f"subtracts ηg), so the weight settles below 0 when g > 0")
            if close(got, -lr * g / lam) or close(got, -g / (lr * lam)):
                raise Hint(f"{where}. η multiplies both the gradient and the decay term, so it "
                           f"cancels: it sets how fast w gets there, not where")
            if close(got, -g * lam) or close(got, g * lam):
                raise Hint(f"{where}. Solve λ·w = −g for w: divide by λ, do not multiply")
            if close(got, -2 * g / lam) or close(got, -g / (2 * lam)):
                raise Hint(f"{where}. The penalty (λ/2)w² has slope λw (the 2 comes down and "
                           f"cancels the ½), so the pull towards 0 is exactly λw")
            if close(got, -g) or close(got, g):
                raise Hint(f"{where}. λ is missing: the decay's pull is λw, and it must cancel "
                           f"the gradient g")
            if close(got, 0.0):
                raise Hint(f"{where}. Decay alone would shrink w to 0, but here the loss "
                           f"pushes with the same g every step: w settles where the two pulls "
                           f"cancel, (1 − ηλ)w − ηg = w")
            if close(got, 1 - lr * lam):
                raise Hint(f"{where}. That is one step's shrink factor, not a weight: set "
                           f"w_new = w in the full update with gradient g and solve for w")
            raise Hint(f"{where}. Set w_new = w in w_new = (1 − ηλ)w − ηg and solve for w")
        return ("w settles at −g/λ, whatever η: the learning rate sets how fast w gets there "
                "(each step closes a fraction ηλ of the gap), not where. The decay's pull λw "
                "balances the loss's push g, so a larger λ keeps every weight smaller.")

    report(LESSON, "decay_equilibrium", run)


# ---------------------------------------------------------------- exercise 2
def _leaky(n_in, s, var_prev, alpha):
    return n_in * s ** 2 * var_prev * (1 + alpha ** 2) / 2


def check_leaky_layer_variance(leaky_layer_variance) -> None:
    """``leaky_layer_variance(n_in, s, var_prev, alpha)`` = ``n_in s² var_prev (1 + α²)/2``."""

    def run():
        for n_in, s, var_prev, alpha in ((100, 0.1, 1.0, 0.1), (64, 0.2, 2.0, 0.5),
                                         (10, 0.5, 0.3, 0.3)):
            got = number(call(leaky_layer_variance, n_in, s, var_prev, alpha,
                              name="leaky_layer_variance"),
                         f"leaky_layer_variance({n_in}, {fmt(s)}, {fmt(var_prev)}, {fmt(alpha)})")
            want = _leaky(n_in, s, var_prev, alpha)
            if close(got, want):
                continue
            where = (f"for n_in = {n_in}, s = {fmt(s)}, var_prev = {fmt(var_prev)}, "
                     f"α = {fmt(alpha)}: got {fmt(got)}, want {fmt(want)}")
            base = n_in * s ** 2 * var_prev
            if close(got, base / 2):
                raise Hint(f"{where}. That is plain ReLU's answer: Leaky ReLU does not zero the "
                           f"negative half, it keeps α·z_prev there, whose square is α²·z_prev²")
            if close(got, base):
                raise Hint(f"{where}. That is the answer without any kink (a = z_prev): the "
                           f"negative half is shrunk to α·z_prev, so its square shrinks by α²")
            if close(got, base * (1 + alpha) / 2):
                raise Hint(f"{where}. Square the leak too: on the negative half a² = α²·z_prev², "
                           f"so the factor is α², not α")
            if close(got, base * (1 + alpha ** 2)):
                raise Hint(f"{where}. 2× too large: each half (z_prev > 0 and z_prev < 0) "
                           f"happens only half the time, so each contributes ½ of its square")
            if close(got, base * alpha ** 2 / 2):
                raise Hint(f"{where}. The positive half is missing: there a = z_prev and "
                           f"contributes ½·var_prev too")
            if close(got, n_in * s * var_prev * (1 + alpha ** 2) / 2):
                raise Hint(f"{where}. s is the std of W: the variance of W is s², so square it")
            if close(got, s ** 2 * var_prev * (1 + alpha ** 2) / 2):
                raise Hint(f"{where}. z adds up n_in terms, and their variances add: multiply "
                           f"by n_in")
            if close(got, np.sqrt(want)):
                raise Hint(f"{where}. That is the std of z: return the variance (no square root)")
            if close(got, base * (1 - alpha) ** 2 / 2) or close(got, base * (1 - alpha ** 2) / 2):
                raise Hint(f"{where}. The two halves add, they do not cancel: E[a²] is ½ of "
                           f"var_prev from the positive half plus ½·α² of it from the negative")
            raise Hint(f"{where}. Use Var[z] = n_in · s² · E[a²], then work out E[a²] for "
                       f"Leaky ReLU, one half of z_prev at a time")
        return ("Var[z] = ½(1 + α²) n_in s² var_prev. It stays level when "
                "s = √(2 / ((1 + α²) n_in)): α = 0 gives He, α = 1 (no kink at all) gives "
                "Xavier's 1/√n_in, and this is the rule libraries use for Leaky ReLU.")

    report(LESSON, "leaky_layer_variance", run)


# ---------------------------------------------------------------- exercise 3
_CASES = (
    [0.9, 0.5, 0.35, 0.31, 0.33, 0.32, 0.52],   # the lesson's list: the buggy rule says 5
    [0.8, 0.6, 0.7, 0.65, 0.9],                 # the buggy rule says 3
    [1.0, 0.4, 0.4, 0.6],                       # a tie: keep the earlier epoch
    [0.3, 0.5, 0.6],                            # the first epoch is best
    [0.9, 0.7, 0.5, 0.45],                      # still improving: the last epoch is best
)


def _buggy(v):
    best = 0
    for e in range(1, len(v)):
        if v[e] < v[e - 1]:
            best = e
    return best


def check_best_epoch(best_epoch) -> None:
    """``best_epoch(val_losses)``: the 0-based index of the lowest validation loss, the earliest on
    a tie."""

    def run():
        for val in _CASES:
            got = call(best_epoch, list(val), name="best_epoch")
            want = int(np.argmin(val))
            if isinstance(got, (float, np.floating)) and not float(got).is_integer():
                raise Hint(f"returned {fmt(got)}, a loss value: return the index (position) of "
                           f"the lowest loss")
            if isinstance(got, (list, tuple, np.ndarray)):
                raise Hint(f"returned {fmt(got)}: return one index, an int")
            if isinstance(got, (bool, np.bool_)):
                raise Hint(f"returned {got}: return the index of the best epoch, an int")
            try:
                got = int(got)
            except (TypeError, ValueError):
                raise Hint(f"returned {fmt(got)}: return the index, an int") from None
            if got == want:
                continue
            if got == _buggy(val) and got != want:
                raise Hint(f"for {fmt(val)} you return {got}, like the buggy rule: it compares "
                           f"each epoch with the one before it, so any small dip wins. Compare "
                           f"with the best epoch so far")
            if len(set(val)) < len(val) and val[got] == val[want]:
                raise Hint(f"for {fmt(val)} you return {got}, the later of two equal losses: "
                           f"keep the earliest (use < rather than <=)")
            if got == want + 1:
                raise Hint(f"for {fmt(val)} you return {got}, one too far: return the 0-based "
                           f"index (the first epoch is index 0)")
            if got == int(np.argmax(val)):
                raise Hint(f"for {fmt(val)} you return {got}, the highest loss: early stopping "
                           f"keeps the *lowest* validation loss")
            if got == len(val) - 1:
                raise Hint(f"for {fmt(val)} you return the last epoch, {got}: the validation "
                           f"loss rose again after index {want}")
            if float(got) == float(min(val)):
                raise Hint("that is the lowest loss value itself: return its index")
            raise Hint(f"for {fmt(val)} you return {got}, but the lowest loss {fmt(min(val))} "
                       f"sits at index {want}")
        return ("Compare with the best so far, not with the previous epoch: one small dip after a "
                "rise is not a new best. Keep those weights: early stopping.")

    report(LESSON, "best_epoch", run)

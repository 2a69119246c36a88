"""Lesson 09 exercises: where weight decay settles a weight, a Leaky-ReLU layer's variance,
early stopping.

Each ``check_<name>(fn)`` calls the learner's function on known inputs, compares the result
with the maths (never with the learner's own code) and prints one line: ✓ with an insight or
✗ with a hint that names the slip.
"""

from __future__ import annotations

import numpy as np

from . import _diagnose as _d
from ._core import (
    Exercise,
    Hint,
    call,
    check_all,
    close,
    fmt,
    ladder,
    number,
    register,
    report,
    rounded,
)

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
def _decay_cases():
    """The worked points, then seeded random ones: η in (0.001, 0.5), λ in (0.01, 3) with
    ηλ < 1, g negative, in (0, 1) and large."""
    rng = np.random.default_rng(9)
    cases = [(0.1, 0.4, 2.0), (0.05, 0.01, -0.3), (0.2, 2.0, 1.0)]
    for g in (0.37, -4.3, 120.5):
        lr = float(rng.uniform(0.001, 0.5))
        lam = float(rng.uniform(0.01, min(3.0, 0.9 / lr)))
        cases.append((lr, lam, g))
    return cases


_DECAY_SLIPS = [
    (lambda lr, lam, g: g / lam,
     "Sign: a positive gradient g pushes w down (the update subtracts ηg), so the weight "
     "settles below 0 when g > 0"),
    (lambda lr, lam, g: -lr * g / lam,
     "η multiplies both the gradient and the decay term, so it cancels: it sets how fast w "
     "gets there, not where"),
    (lambda lr, lam, g: -g / (lr * lam),
     "η multiplies both the gradient and the decay term, so it cancels: it sets how fast w "
     "gets there, not where"),
    (lambda lr, lam, g: -g * lam, "Solve λ·w = −g for w: divide by λ, do not multiply"),
    (lambda lr, lam, g: g * lam, "Solve λ·w = −g for w: divide by λ, do not multiply"),
    (lambda lr, lam, g: -2 * g / lam,
     "The penalty (λ/2)w² has slope λw (the 2 comes down and cancels the ½), so the pull "
     "towards 0 is exactly λw"),
    (lambda lr, lam, g: -g / (2 * lam),
     "The penalty (λ/2)w² has slope λw (the 2 comes down and cancels the ½), so the pull "
     "towards 0 is exactly λw"),
    (lambda lr, lam, g: -g, "λ is missing: the decay's pull is λw, and it must cancel the "
                            "gradient g"),
    (lambda lr, lam, g: -g / lr, "you divided by η, not by λ: it is the decay rate λ that "
                                 "balances g, −g/λ (η cancels)"),
    (lambda lr, lam, g: 0.0,
     "Decay alone would shrink w to 0, but here the loss pushes with the same g every step: "
     "w settles where the two pulls cancel, (1 − ηλ)w − ηg = w"),
    (lambda lr, lam, g: 1 - lr * lam,
     "That is one step's shrink factor, not a weight: set w_new = w in the full update with "
     "gradient g and solve for w"),
]


def check_decay_equilibrium(decay_equilibrium) -> None:
    """``decay_equilibrium(lr, lam, g)`` = ``−g / λ``, the fixed point of w ← (1 − ηλ)w − ηg;
    at six points (g negative, in (0, 1) and large; λ from 0.01 to 3)."""

    def run():
        results = []
        for lr, lam, g in _decay_cases():
            got = number(call(decay_equilibrium, lr, lam, g, name="decay_equilibrium"),
                         f"decay_equilibrium({fmt(lr)}, {fmt(lam)}, {fmt(g)})")
            results.append(((lr, lam, g), got))
        if all(close(got, -g / lam) for (lr, lam, g), got in results):
            return ("w settles at −g/λ, whatever η: the learning rate sets how fast w gets "
                    "there (each step closes a fraction ηλ of the gap), not where. The decay's "
                    "pull λw balances the loss's push g, so a larger λ keeps every weight "
                    "smaller.")
        (lr, lam, g), got = next(((c, v) for c, v in results if not close(v, -c[2] / c[1])))
        want = -g / lam
        where = (f"for η = {fmt(lr)}, λ = {fmt(lam)}, g = {fmt(g)}: got {fmt(got)}, "
                 f"want {fmt(want)}")
        if "//" in _d.code_ops(decay_equilibrium):
            raise Hint(f"{where}. Your code uses //, floor division, which rounds down to a "
                       f"whole number: divide with /")
        for candidate, text in _DECAY_SLIPS:
            if _d.explains(lambda case, c=candidate: c(*case), results):
                raise Hint(f"{where}. {text}")
        rounded_ = rounded([v for _, v in results], [-c[2] / c[1] for c, _ in results])
        if rounded_:
            floor = " (// is floor division)" if "//" in _d.code_ops(decay_equilibrium) else ""
            raise Hint(f"{where}. {rounded_[0].upper()}{rounded_[1:]}{floor}")
        raise Hint(f"{where}. Set w_new = w in w_new = (1 − ηλ)w − ηg and solve for w")

    report(LESSON, "decay_equilibrium", run)


# ---------------------------------------------------------------- exercise 2
def _leaky(n_in, s, var_prev, alpha):
    return n_in * s ** 2 * var_prev * (1 + alpha ** 2) / 2


def _leaky_cases():
    """The worked points, then seeded random ones: n_in from 1 to 500, s and var_prev in
    (0, 1) and above 1, α in [0, 1] (the ends included)."""
    rng = np.random.default_rng(10)
    cases = [(100, 0.1, 1.0, 0.1), (64, 0.2, 2.0, 0.5), (10, 0.5, 0.3, 0.3)]
    for alpha in (0.0, 1.0, float(rng.uniform(0, 1)), float(rng.uniform(0, 0.2))):
        cases.append((int(rng.integers(1, 500)), float(rng.uniform(0.01, 1.5)),
                      float(rng.uniform(0.1, 5.0)), alpha))
    return cases


def _var_a(n_in, s, v, a):
    """n_in s² Var[a] (instead of E[a²]): E[a] = ½(1 − α)·E|z_prev| = ½(1 − α)·√(2 v / π)."""
    mean = 0.5 * (1 - a) * np.sqrt(2 * v / np.pi)
    return n_in * s ** 2 * (v * (1 + a ** 2) / 2 - mean ** 2)


_LEAKY_SLIPS = [
    (lambda n, s, v, a: n * s ** 2 * v / 2,
     "That is plain ReLU's answer: Leaky ReLU does not zero the negative half, it keeps "
     "α·z_prev there, whose square is α²·z_prev²"),
    (lambda n, s, v, a: n * s ** 2 * v,
     "That is the answer without any kink (a = z_prev): the negative half is shrunk to "
     "α·z_prev, so its square shrinks by α²"),
    (lambda n, s, v, a: n * s ** 2 * v * (1 + a) / 2,
     "Square the leak too: on the negative half a² = α²·z_prev², so the factor is α², not α"),
    (lambda n, s, v, a: n * s ** 2 * v * (1 + a) ** 2 / 2,
     "(1 + α)² is not 1 + α²: square each half's value separately, then add the halves, "
     "½·var_prev + ½·α²·var_prev"),
    (lambda n, s, v, a: n * s ** 2 * v * (1 + a ** 2),
     "2× too large: each half (z_prev > 0 and z_prev < 0) happens only half the time, so "
     "each contributes ½ of its square"),
    (lambda n, s, v, a: n * s ** 2 * v * (0.5 + a ** 2),
     "the ½ is on the positive half only: the negative half also happens only half the time, "
     "so it contributes ½·α²·var_prev, not α²·var_prev"),
    (lambda n, s, v, a: n * s ** 2 * v * (1 + a ** 2 / 2),
     "the ½ is on the negative half only: the positive half also happens only half the time, "
     "so it contributes ½·var_prev, not var_prev"),
    (lambda n, s, v, a: n * s ** 2 * v * a ** 2 / 2,
     "The positive half is missing: there a = z_prev and contributes ½·var_prev too"),
    (lambda n, s, v, a: n * s * v * (1 + a ** 2) / 2,
     "s is the std of W: the variance of W is s², so square it"),
    (lambda n, s, v, a: s ** 2 * v * (1 + a ** 2) / 2,
     "z adds up n_in terms, and their variances add: multiply by n_in"),
    (lambda n, s, v, a: np.sqrt(_leaky(n, s, v, a)),
     "That is the std of z: return the variance (no square root)"),
    (lambda n, s, v, a: n * s ** 2 * v * (1 - a) ** 2 / 2,
     "The two halves add, they do not cancel: E[a²] is ½ of var_prev from the positive half "
     "plus ½·α² of it from the negative"),
    (lambda n, s, v, a: n * s ** 2 * v * (1 - a ** 2) / 2,
     "The two halves add, they do not cancel: E[a²] is ½ of var_prev from the positive half "
     "plus ½·α² of it from the negative"),
    (_var_a,
     "you used Var[a] = E[a²] − E[a]²: the formula needs E[a²] itself. With W of mean 0, "
     "Var[a·W] = E[a²]·s², whatever the mean of a (which is not 0 here)"),
]


def check_leaky_layer_variance(leaky_layer_variance) -> None:
    """``leaky_layer_variance(n_in, s, var_prev, alpha)`` = ``n_in s² var_prev (1 + α²)/2``;
    at seven points (α = 0, α = 1, values in (0, 1) and above 1)."""

    def run():
        results = []
        for n_in, s, var_prev, alpha in _leaky_cases():
            got = number(call(leaky_layer_variance, n_in, s, var_prev, alpha,
                              name="leaky_layer_variance"),
                         f"leaky_layer_variance({n_in}, {fmt(s)}, {fmt(var_prev)}, {fmt(alpha)})")
            results.append(((n_in, s, var_prev, alpha), got))
        if all(close(got, _leaky(*case)) for case, got in results):
            return ("Var[z] = ½(1 + α²) n_in s² var_prev. It stays level when "
                    "s = √(2 / ((1 + α²) n_in)): α = 0 gives He, α = 1 (no kink at all) gives "
                    "Xavier's 1/√n_in, and this is the rule libraries use for Leaky ReLU.")
        (n_in, s, var_prev, alpha), got = next((c, v) for c, v in results
                                               if not close(v, _leaky(*c)))
        want = _leaky(n_in, s, var_prev, alpha)
        where = (f"for n_in = {n_in}, s = {fmt(s)}, var_prev = {fmt(var_prev)}, "
                 f"α = {fmt(alpha)}: got {fmt(got)}, want {fmt(want)}")
        if "//" in _d.code_ops(leaky_layer_variance):
            raise Hint(f"{where}. Your code uses //, floor division, which rounds down to a "
                       f"whole number (1 // 2 is 0): divide with /")
        for candidate, text in _LEAKY_SLIPS:
            if _d.explains(lambda case, c=candidate: c(*case), results):
                raise Hint(f"{where}. {text}")
        rounded_ = rounded([v for _, v in results], [_leaky(*c) for c, _ in results])
        if rounded_:
            raise Hint(f"{where}. {rounded_[0].upper()}{rounded_[1:]}")
        raise Hint(f"{where}. Use Var[z] = n_in · s² · E[a²], then work out E[a²] for "
                   f"Leaky ReLU, one half of z_prev at a time")

    report(LESSON, "leaky_layer_variance", run)


# ---------------------------------------------------------------- exercise 3
_CASES = (
    [0.9, 0.5, 0.35, 0.31, 0.33, 0.32, 0.52],   # the lesson's list: the buggy rule says 5
    [0.8, 0.6, 0.7, 0.65, 0.9],                 # the buggy rule says 3
    [1.0, 0.4, 0.4, 0.6],                       # a tie: keep the earlier epoch
    [0.3, 0.5, 0.6],                            # the first epoch is best
    [0.9, 0.7, 0.5, 0.45],                      # still improving: the last epoch is best
    [0.7],                                      # one epoch
    [2.5, 1.8, 1.9, 1.2, 1.3, 1.2, 1.25, 0.95, 1.1],   # large values, a late best, a later tie
    [0.52, 0.41, 0.44, 0.41, 0.39, 0.47, 0.39],  # a tie, then a lower one, then a tie again
)


def _buggy(v):
    best = 0
    for e in range(1, len(v)):
        if v[e] < v[e - 1]:
            best = e
    return best


def _first_rise(v):
    for e in range(1, len(v)):
        if v[e] > v[e - 1]:
            return e - 1
    return len(v) - 1


def _last_of_ties(v):
    return len(v) - 1 - int(np.argmin(v[::-1]))


def check_best_epoch(best_epoch) -> None:
    """``best_epoch(val_losses)``: the 0-based index of the lowest validation loss, the earliest on
    a tie; on eight lists (ties, one epoch, the first or the last best), on copies."""

    def run():
        results = []
        for val in _CASES:
            given = list(val)
            try:
                got = call(best_epoch, given, name="best_epoch", copy_inputs=False)
            except Hint:
                if any(g != int(np.argmin(v)) for v, g in results):
                    break                 # diagnose from the lists that ran
                raise
            if given != list(val):
                how = (" (.sort() sorts the very list it is given; sorted(...) makes a new "
                       "one)" if "sort" in _d.code_names(best_epoch) else "")
                raise Hint(f"your function changed the caller's list `val_losses`{how}; "
                           f"compute the answer without changing the list you are given")
            if isinstance(got, (float, np.floating)) and not float(got).is_integer():
                raise Hint(f"for {fmt(val)} you returned {fmt(got)}, a loss value: return the "
                           f"index (position) of the lowest loss")
            if isinstance(got, (list, tuple, np.ndarray)) and np.ndim(got) > 0:
                raise Hint(f"returned {fmt(got)}: return one index, an int")
            if isinstance(got, (bool, np.bool_)):
                raise Hint(f"returned {got}: return the index of the best epoch, an int")
            try:
                got = int(got)
            except (TypeError, ValueError):
                raise Hint(f"returned {fmt(got)}: return the index, an int") from None
            results.append((val, got))
        if all(got == int(np.argmin(val)) for val, got in results):
            return ("Compare with the best so far, not with the previous epoch: one small dip "
                    "after a rise is not a new best. Keep those weights: early stopping.")
        val, got = next((v, g) for v, g in results if g != int(np.argmin(v)))
        want = int(np.argmin(val))
        on = f"for {fmt(val)} you return {got}"

        def fits(rule):
            return all(g == rule(v) for v, g in results)

        if fits(_buggy):
            raise Hint(f"{on}, like the buggy rule: it compares each epoch with the one before "
                       f"it, so any small dip wins. Compare with the best epoch so far")
        if fits(_first_rise):
            raise Hint(f"{on}: you stop at the first rise, but the loss can fall lower again "
                       f"later (here to {fmt(val[want])} at index {want}); look at every "
                       f"epoch and keep the lowest")
        if fits(_last_of_ties):
            how = ("`<=` (or `>=`) lets a later equal loss replace the best: use the strict <"
                   if {"<=", ">="} & _d.compares(best_epoch) else
                   "keep the earliest epoch when two losses are equal")
            raise Hint(f"{on}, the later of two equal losses ({fmt(val[got])}): {how}")
        if fits(lambda v: int(np.argmin(v)) + 1):
            raise Hint(f"{on}, one too far: return the 0-based index (the first epoch is "
                       f"index 0)")
        if fits(lambda v: int(np.argmax(v))):
            raise Hint(f"{on}, the highest loss: early stopping keeps the *lowest* validation "
                       f"loss")
        if fits(lambda v: len(v) - 1):
            raise Hint(f"{on}, the last epoch: the validation loss rose again after index "
                       f"{want}; return the index of the lowest loss, not the loop's last one")
        if fits(lambda v: max(1, int(np.argmin(v[1:])) + 1) if len(v) > 1 else 1):
            raise Hint(f"{on}: epoch 0 is never considered; start with best = 0 (the first "
                       f"epoch is index 0)")
        raise Hint(f"{on}, but the lowest loss {fmt(min(val))} sits at index {want}")

    report(LESSON, "best_epoch", run)

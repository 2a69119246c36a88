"""Lesson 09 exercises: weight decay's shrink factor, one ReLU layer's variance, early stopping.

Each ``check_<name>(fn)`` calls the learner's function on known inputs, compares the result
with the maths (never with the learner's own code) and prints one line: ✓ with an insight or
✗ with a hint that names the slip.
"""

from __future__ import annotations

import numpy as np

from ._core import Exercise, Hint, call, check_all, close, fmt, ladder, number, register, report

__all__ = ["check_decay_factor", "check_relu_layer_variance", "check_best_epoch", "check_all",
           "hint", "show_solution", "LESSON"]

LESSON = "09"
register(LESSON, [
    Exercise("decay_factor", kind="derive",
             idea="With ∂L/∂w = 0 only the decay term is left in the update. Write one step as "
                  "w_new = (something) · w, then apply it `steps` times.",
             formula="w ← w − η(0 + λw) = (1 − ηλ)·w per step, so after k steps the factor is "
                     "(1 − ηλ)^k."),
    Exercise("relu_layer_variance", kind="derive",
             idea="Var[z] = n_in · s² · E[a²] (a sum of n_in independent products a·W). For "
                  "ReLU, half of the z_prev are set to 0 and the other half keep their square.",
             formula="E[a²] = ½ · Var[z_prev] for a = ReLU(z_prev), so "
                     "Var[z] = n_in · s² · var_prev / 2."),
    Exercise("best_epoch", kind="debug",
             idea="The buggy rule compares each epoch with the one just before it. It must "
                  "compare with the best epoch found so far.",
             formula="keep `best`; at each epoch, if val_losses[epoch] < val_losses[best]: "
                     "best = epoch (strict <, so ties keep the earlier epoch)."),
])
hint, show_solution = ladder(LESSON)


# ---------------------------------------------------------------- exercise 1
def check_decay_factor(decay_factor) -> None:
    """``decay_factor(lr, lam, steps)`` = ``(1 − η λ)^steps``."""

    def run():
        for lr, lam, steps in ((0.1, 0.5, 10), (0.05, 0.2, 3), (0.1, 0.5, 1), (0.2, 0.0, 5),
                               (0.1, 0.5, 0)):
            got = number(call(decay_factor, lr, lam, steps, name="decay_factor"),
                         f"decay_factor({fmt(lr)}, {fmt(lam)}, {steps})")
            want = (1 - lr * lam) ** steps
            if close(got, want):
                continue
            where = f"for η = {fmt(lr)}, λ = {fmt(lam)}, {steps} steps: got {fmt(got)}, want {fmt(want)}"
            if close(got, 1 - lr * lam):
                raise Hint(f"{where}. That is one step's factor (1 − ηλ): each step multiplies "
                           f"again, so raise it to the power `steps`")
            if close(got, 1 - lr * lam * steps):
                raise Hint(f"{where}. The steps multiply, they do not add: each step scales the "
                           f"*current* w by (1 − ηλ), so use a power, not ηλ·steps")
            if close(got, (1 - lam) ** steps):
                raise Hint(f"{where}. η is missing: the decay term λw is multiplied by the "
                           f"learning rate like the rest of the gradient")
            if close(got, (1 + lr * lam) ** steps):
                raise Hint(f"{where}. Sign flipped: weight decay pulls w towards 0, so the "
                           f"factor is below 1")
            if close(got, (1 - lr * lam / 2) ** steps):
                raise Hint(f"{where}. The penalty (λ/2)w² has slope λw (the 2 comes down), not "
                           f"λw/2")
            if close(got, (1 - lr * lam) ** (steps + 1)) or close(got, (1 - lr * lam) ** (steps - 1)):
                raise Hint(f"{where}. Off by one step: `steps` updates apply the factor exactly "
                           f"`steps` times (0 steps leave w unchanged)")
            if close(got, np.exp(-lr * lam * steps), rtol=1e-12):
                raise Hint(f"{where}. e^(−ηλ·steps) is only an approximation: compute the exact "
                           f"product of the per-step factors")
            raise Hint(f"{where}. Write one step as w_new = (factor) · w first")
        return ("Each step multiplies w by (1 − ηλ) = 0.95 for η = 0.1, λ = 0.5: about 14 steps "
                "halve a weight the loss does not need. Weights that matter are held up by "
                "their gradient.")

    report(LESSON, "decay_factor", run)


# ---------------------------------------------------------------- exercise 2
def check_relu_layer_variance(relu_layer_variance) -> None:
    """``relu_layer_variance(n_in, s, var_prev)`` = ``n_in · s² · var_prev / 2``."""

    def run():
        for n_in, s, var_prev in ((100, 0.1, 1.0), (64, 0.2, 2.0), (10, 0.5, 0.3)):
            got = number(call(relu_layer_variance, n_in, s, var_prev,
                              name="relu_layer_variance"),
                         f"relu_layer_variance({n_in}, {fmt(s)}, {fmt(var_prev)})")
            want = n_in * s ** 2 * var_prev / 2
            if close(got, want):
                continue
            where = f"for n_in = {n_in}, s = {fmt(s)}, var_prev = {fmt(var_prev)}: got {fmt(got)}, want {fmt(want)}"
            if close(got, 2 * want):
                raise Hint(f"{where}. That is the tanh/linear answer n_in·s²·var_prev: ReLU sets "
                           f"half the inputs to 0, so E[a²] is only half of var_prev")
            if close(got, 4 * want):
                raise Hint(f"{where}. 4× too large: ReLU halves E[a²], it does not double it")
            if close(got, n_in * s * var_prev / 2):
                raise Hint(f"{where}. s is the std of W: the variance of W is s², so square it")
            if close(got, s ** 2 * var_prev / 2):
                raise Hint(f"{where}. z adds up n_in terms, and their variances add: multiply "
                           f"by n_in")
            if close(got, np.sqrt(want)):
                raise Hint(f"{where}. That is the std of z: return the variance (no square root)")
            if close(got, n_in * s ** 2 * var_prev / 4):
                raise Hint(f"{where}. 2× too small: E[a²] = ½·var_prev, and nothing else halves it "
                           f"(the variance of W is s², not s²/2)")
            raise Hint(f"{where}. Use Var[z] = n_in · s² · E[a²], then work out E[a²] for ReLU")
        return ("Var[z] = ½ n_in s² var_prev. It equals var_prev, layer after layer, exactly "
                "when s = √(2/n_in): He initialization, and the √2 pays for the half ReLU zeroes.")

    report(LESSON, "relu_layer_variance", run)


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

"""Lesson 01 exercises: a derivative by hand, predicting an error, partials, choosing a step.

Each ``check_<name>(fn)`` calls the learner's function on known inputs, compares the
result with closed-form maths (never with the learner's own code) and prints one line:
✓ with an insight or ✗ with a hint that names the slip.
"""

from __future__ import annotations

import numpy as np

from ..explore.derivatives import curve
from ._core import (
    Exercise,
    Hint,
    call,
    check_all,
    close,
    fmt,
    ladder,
    number,
    ratio_hint,
    register,
    report,
)

__all__ = ["check_df", "check_predict_central_error", "check_partials", "check_pick_step",
           "check_all", "hint", "show_solution", "LESSON"]

LESSON = "01"
register(LESSON, [
    Exercise("df", kind="derive",
             idea="Differentiate f(x) = 3x² − 4x + 2 term by term: each term's slope, then add "
                  "them up (sum rule).",
             formula="d(x^k)/dx = k·x^(k−1); d(c·f)/dx = c·f'; the slope of a constant is 0. "
                     "So 3x² → 3·2x, −4x → −4, +2 → 0."),
    Exercise("predict_central_error", kind="predict",
             idea="The central difference's error shrinks like h²: what happens to h² when h "
                  "shrinks 10×?",
             formula="For f(x) = x³/3 − x + 1 the central-difference error is exactly h²/3 "
                     "(3.3e-3 at h = 0.1)."),
    Exercise("partials", kind="derive",
             idea="Freeze one variable at a time: for ∂f/∂x treat y as a constant number, "
                  "for ∂f/∂y treat x as one. Then use the rules of section 3.",
             formula="∂(x²·y)/∂x = y·2x and ∂(3y)/∂x = 0; ∂(x²·y)/∂y = x² and ∂(3y)/∂y = 3."),
    Exercise("pick_step", kind="design",
             idea="Same two competing errors as section 4, but for the forward difference: its "
                  "truncation error shrinks only like h, so its best h is not the central one's.",
             formula="forward error ≈ 1.5·h (truncation, section 4) + machine epsilon·|f(1.5)|/h "
                     "(rounding, with f(1.5) = 0.625 and a run of h, not 2h). Keep each term "
                     "below 1e-7: 1.5h < 1e-7 and 0.625·2.2e-16/h < 1e-7."),
])
hint, show_solution = ladder(LESSON)

_XS = (-2.0, -0.5, 0.0, 1.0, 3.0)


# ---------------------------------------------------------------- exercise 1
def check_df(df) -> None:
    """Check ``df(x)`` = the derivative of ``f(x) = 3x² − 4x + 2``, which is ``f'(x) = 6x − 4``."""

    def run():
        for x in _XS:
            got = number(call(df, x, name="df"), f"df({fmt(x)})")
            want = 6 * x - 4
            if close(got, want):
                continue
            if close(got, 3 * x ** 2 - 4 * x + 2):
                raise Hint(f"df({fmt(x)}) returned f({fmt(x)}) itself: return the slope f'(x), "
                           f"not the value of f")
            if close(got, 6 * x):
                raise Hint(f"df({fmt(x)}) = {fmt(got)}, want {fmt(want)}: the term −4x has "
                           f"slope −4; did you drop it?")
            if close(got, 3 * x - 4) or close(got, 3 * x ** 2 - 4):
                raise Hint(f"df({fmt(x)}) = {fmt(got)}, want {fmt(want)}: power rule, bring "
                           f"the exponent 2 down and lower it by one: d(3x²)/dx = 3·2x = 6x")
            if close(got, 6 * x - 4 + 2) or close(got, 6 * x - 2):
                raise Hint(f"df({fmt(x)}) = {fmt(got)}, want {fmt(want)}: the constant +2 does "
                           f"not change with x, so its slope is 0")
            if close(got, 6 * x + 4):
                raise Hint(f"df({fmt(x)}) = {fmt(got)}, want {fmt(want)}: sign of the −4x term: "
                           f"its slope is −4, not +4")
            slip = ratio_hint(got, want)
            raise Hint(f"df({fmt(x)}) = {fmt(got)}, want {fmt(want)}" + (f": {slip}" if slip else
                       ": use the power rule, d(x^k)/dx = k·x^(k−1), term by term"))
        return ("f'(x) = 6x − 4 is 0 at x = 2/3: that is where f has its minimum, "
                "the idea behind gradient descent.")

    report(LESSON, "df", run)


# ---------------------------------------------------------------- exercise 2
def check_predict_central_error(predict_central_error) -> None:
    """Check the predicted central-difference error at h = 0.01: exactly h²/3 = 3.33e-5."""

    def run():
        got = number(call(predict_central_error, name="predict_central_error"),
                     "your prediction")
        want = 0.01 ** 2 / 3
        if got <= 0:
            raise Hint(f"an error is a distance, |estimate − 1.25|, so it is positive; "
                       f"got {fmt(got)}")
        if abs(got - want) <= 0.1 * want:
            return ("The error h²/3 fell 100× when h fell 10×: that is what 'error ∝ h²' means, "
                    "and why the central difference beats the forward one (error ∝ h).")
        if abs(got - 3.333e-4) <= 0.1 * 3.333e-4:
            raise Hint(f"{fmt(got)} is 10× smaller than at h = 0.1: that is how the forward "
                       f"difference behaves (error ∝ h). The central error ∝ h², so 10× smaller "
                       f"h gives ...× smaller error?")
        if abs(got - 3.333e-3) <= 0.1 * 3.333e-3:
            raise Hint("the error does not stay the same: it depends on h. Shrinking h 10× "
                       "shrinks h² by how much?")
        if abs(got - 0.01 * 1.5) <= 0.2 * 0.015 or abs(got - 0.015033) <= 0.2 * 0.015:
            raise Hint(f"{fmt(got)} is the forward difference's error 1.5h + h²/3; the central "
                       f"difference cancels the term in h")
        if got > 3.4e-3:
            raise Hint(f"{fmt(got)} is larger than the error at h = 0.1: a smaller h (still far "
                       f"above rounding trouble) makes the estimate better, not worse")
        if abs(got - 3.333e-7) <= 0.1 * 3.333e-7 or abs(got - 3.333e-6) <= 0.1 * 3.333e-6:
            raise Hint(f"{fmt(got)} is too small: h² shrinks 100× when h shrinks 10×, not more")
        raise Hint(f"{fmt(got)} is not close: the central-difference error of this curve is "
                   f"h²/3. How much smaller is h² at h = 0.01 than at h = 0.1?")

    report(LESSON, "predict_central_error", run)


# ---------------------------------------------------------------- exercise 3
def check_partials(partials) -> None:
    """Check ``partials(x, y)`` = ``(∂f/∂x, ∂f/∂y)`` for ``f(x, y) = x² y + 3y``.

    The answer worked out by hand is ``(2xy, x² + 3)``.
    """

    def run():
        for x, y in ((1.0, 2.0), (-2.0, 0.5), (3.0, -1.0)):
            out = call(partials, x, y, name="partials")
            if np.ndim(out) == 0 or len(out) != 2:
                raise Hint(f"partials({fmt(x)}, {fmt(y)}) should return two numbers "
                           f"(df_dx, df_dy), got {fmt(out)}")
            got_x = number(out[0], "df_dx")
            got_y = number(out[1], "df_dy")
            want_x, want_y = 2 * x * y, x ** 2 + 3
            if close(got_x, want_x) and close(got_y, want_y):
                continue
            if close(got_x, want_y) and close(got_y, want_x):
                raise Hint("the two slopes are swapped: return (df_dx, df_dy) in that order")
            if close(got_x, x ** 2 * y + 3 * y) or close(got_y, x ** 2 * y + 3 * y):
                raise Hint("one of them is f itself: return slopes, not the value of f")
            if not close(got_x, want_x):
                if close(got_x, 2 * x * y + 3 * y) or close(got_x, 2 * x * y + 3):
                    raise Hint("df_dx: 3y does not change when x moves, so its slope in x is 0")
                if close(got_x, 2 * x):
                    raise Hint("df_dx: y is held fixed but still multiplies: "
                               "∂(x²y)/∂x = 2x·y")
                if close(got_x, x * y):
                    raise Hint("df_dx: power rule, the exponent 2 comes down: ∂(x²)/∂x = 2x")
                raise Hint(f"df_dx at ({fmt(x)}, {fmt(y)}) = {fmt(got_x)}, want {fmt(want_x)}: "
                           f"treat y as a constant and differentiate x²y + 3y with respect to x")
            if close(got_y, x ** 2):
                raise Hint("df_dy: the term 3y has slope 3 in y; did you drop it?")
            if close(got_y, 3.0):
                raise Hint("df_dy: x²y also changes with y: ∂(x²y)/∂y = x²")
            if close(got_y, 2 * x + 3):
                raise Hint("df_dy: x is frozen, so x² is a constant factor and stays x²; "
                           "only y is differentiated")
            raise Hint(f"df_dy at ({fmt(x)}, {fmt(y)}) = {fmt(got_y)}, want {fmt(want_y)}: "
                       f"treat x as a constant and differentiate x²y + 3y with respect to y")
        return ("A partial derivative is an ordinary slope along one axis: freeze every "
                "other variable, then differentiate.")

    report(LESSON, "partials", run)


# ---------------------------------------------------------------- exercise 4
_TARGET = 1e-7
_EPS = float(np.finfo(float).eps)
_F = abs(float(curve(1.5)))          # f(1.5) = 0.625, the size the rounding noise scales with


def _forward(h: float) -> float:
    return (float(curve(1.5 + h)) - float(curve(1.5))) / h


def check_pick_step(pick_step) -> None:
    """Check that ``pick_step()`` returns an h whose forward difference at 1.5 is within 1e-7.

    Judged by the true error |(f(1.5 + h) − f(1.5))/h − 1.25|. Hints use the lesson's estimate:
    truncation 1.5·h, rounding machine epsilon·|f(1.5)|/h.
    """

    def run():
        h = number(call(pick_step, name="pick_step"), "h")
        if h <= 0:
            raise Hint(f"h = {fmt(h)}: the step must be a positive number")
        err = abs(_forward(h) - 1.25)
        trunc, rnd = 1.5 * h, _EPS * _F / h
        if err <= _TARGET:
            return (f"h = {fmt(h)} gives error {fmt(err)} (estimate: truncation 1.5h = "
                    f"{fmt(trunc)}, rounding ≈ {fmt(rnd)}). The forward difference's best h is "
                    f"near √(machine epsilon), far below the central difference's 1e-5.")
        if 5e-6 <= h <= 2e-5:
            raise Hint(f"h = {fmt(h)} is the central difference's best step. The forward "
                       f"difference's truncation error shrinks only like h: 1.5h = {fmt(trunc)}, "
                       f"far above 1e-7. Solve 1.5h < 1e-7 for h")
        if trunc >= rnd:
            raise Hint(f"h = {fmt(h)} is too large: truncation alone is 1.5h = {fmt(trunc)}, "
                       f"above 1e-7 (error {fmt(err)}). Solve 1.5h < 1e-7 for h")
        if rnd <= _TARGET:
            raise Hint(f"h = {fmt(h)} sits at the edge of the range: rounding ≈ machine "
                       f"epsilon·|f(1.5)|/h = {fmt(rnd)} is barely below 1e-7 and the error here "
                       f"is {fmt(err)}. Move h towards the middle of your range")
        raise Hint(f"h = {fmt(h)} is too small: rounding takes over (about machine "
                   f"epsilon·|f(1.5)|/h = {fmt(rnd)}), and the error is {fmt(err)}. Make h larger, "
                   f"but keep 1.5h below 1e-7")

    report(LESSON, "pick_step", run)

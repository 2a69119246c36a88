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
    explain,
    fmt,
    ladder,
    number,
    precedence_slip,
    register,
    report,
    rounded,
    sequence,
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


def _points(seed: int) -> tuple:
    """Seeded random points in every regime: negative, between 0 and 1, non-integer, large."""
    rng = np.random.default_rng(seed)
    return (round(float(rng.uniform(-5, -1)), 3), round(float(rng.uniform(0.05, 0.95)), 3),
            round(float(rng.uniform(1, 5)), 3), round(float(rng.uniform(100, 1000)), 3))


_DF_POINTS = _XS + _points(101)          # (…, -4.9, 0.35, 2.78, 815.2): whole and fractional


def _values(fn, cases, what, name):
    """The learner's number for each case (each case: an argument tuple)."""
    return [number(call(fn, *case, name=name), what(*case)) for case in cases]


def _near_miss(got, want) -> bool:
    """Close, but not exact, everywhere: a numerical estimate (a difference quotient)."""
    g, w = np.asarray(got, dtype=float), np.asarray(want, dtype=float)
    return bool(np.all(np.abs(g - w) <= 1e-3 * (1 + np.abs(w)))) and not close(g, w)


def _first_wrong(cases, got, want):
    for case, g, w in zip(cases, got, want, strict=True):
        if not close(g, w):
            return case, g, w
    return cases[0], got[0], want[0]


# ---------------------------------------------------------------- exercise 1
def check_df(df) -> None:
    """Check ``df(x)`` = the derivative of ``f(x) = 3x² − 4x + 2``, which is ``f'(x) = 6x − 4``,
    at whole, negative, fractional and large points (seeded)."""

    def run():
        xs = np.array(_DF_POINTS)
        cases = [(float(x),) for x in xs]
        got = _values(df, cases, lambda x: f"df({fmt(x)})", "df")
        want = 6 * xs - 4
        if close(got, want):
            return (f"f'(x) = 6x − 4 matched at {len(xs)} points, negative, fractional and "
                    f"large. It is 0 at x = 2/3: that is where f has its minimum, the idea "
                    f"behind gradient descent.")
        (x,), g, w = _first_wrong(cases, got, want)
        at = f"df({fmt(x)}) = {fmt(g)}, want {fmt(w)}"
        slip = explain(got, [
            ("you returned f(x) itself: return the slope f'(x), not the value of f",
             3 * xs ** 2 - 4 * xs + 2),
            ("the term −4x has slope −4; did you drop it?", 6 * xs),
            ("the slope of −4x is the number −4, not −4x (x disappears when you differentiate "
             "a term in x¹)", 6 * xs - 4 * xs),
            ("d(3x²)/dx = 3·2x = 6x: the coefficient 3 stays as a factor, and the power rule "
             "brings the 2 down beside it", 2 * xs - 4),
            ("power rule: bring the exponent 2 down and lower it by one, "
             "d(3x²)/dx = 3·2x = 6x", 3 * xs - 4),
            ("power rule: lower the exponent by one, d(x²)/dx = 2x¹ (not 2x²)",
             6 * xs ** 2 - 4),
            ("power rule: bring the exponent down as a factor, d(3x²)/dx = 6x",
             3 * xs ** 2 - 4),
            ("the constant +2 does not change with x, so its slope is 0", 6 * xs - 2),
            ("sign of the −4x term: its slope is −4, not +4", 6 * xs + 4),
            ("right size, wrong sign everywhere: the slope of 3x² − 4x + 2 is +(6x − 4)",
             -(6 * xs - 4)),
            ("2× too large everywhere: check the factor the power rule brings down",
             2 * (6 * xs - 4)),
            ("2× too small everywhere: the power rule brings the exponent 2 down as a factor",
             (6 * xs - 4) / 2),
        ])
        if slip:
            raise Hint(f"{at}: {slip}")
        slip = rounded(got, want) or precedence_slip(df, cases, list(want))
        if slip:
            raise Hint(f"{at}: {slip}")
        if _near_miss(got, want):
            raise Hint(f"{at}: close but not exact at every point, as a numerical estimate "
                       f"(a difference quotient) is. Work the slope out by hand with the power "
                       f"rule: it is exact")
        raise Hint(f"{at}: differentiate 3x² − 4x + 2 term by term with the power rule, "
                   f"d(x^k)/dx = k·x^(k−1), and add the slopes")

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
        if abs(got - want) <= 0.1001 * want:   # "within 10 %": 3e-5 counts
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
        if abs(got - 1e-4) <= 0.1 * 1e-4:
            raise Hint(f"{fmt(got)} is h² itself: the central-difference error of this curve is "
                       f"h²/3 (0.1²/3 = 3.3e-3 at h = 0.1), so the 1/3 stays")
        if got > 3.4e-3:
            raise Hint(f"{fmt(got)} is larger than the error at h = 0.1: a smaller h (still far "
                       f"above rounding trouble) makes the estimate better, not worse")
        if abs(got - 3.333e-7) <= 0.1 * 3.333e-7 or abs(got - 3.333e-6) <= 0.1 * 3.333e-6:
            raise Hint(f"{fmt(got)} is too small: h² shrinks 100× when h shrinks 10×, not more")
        raise Hint(f"{fmt(got)} is not close: the central-difference error of this curve is "
                   f"h²/3. How much smaller is h² at h = 0.01 than at h = 0.1?")

    report(LESSON, "predict_central_error", run)


# ---------------------------------------------------------------- exercise 3
_PARTIAL_POINTS = ((1.0, 2.0), (-2.0, 0.5), (3.0, -1.0)) + tuple(
    zip(_points(303), _points(304)[::-1], strict=True))


def check_partials(partials) -> None:
    """Check ``partials(x, y)`` = ``(∂f/∂x, ∂f/∂y)`` for ``f(x, y) = x² y + 3y``.

    The answer worked out by hand is ``(2xy, x² + 3)``; checked at whole, negative,
    fractional and large points (seeded).
    """

    def run():
        got_x, got_y = [], []
        for x, y in _PARTIAL_POINTS:
            out = call(partials, x, y, name="partials")
            pair = sequence(out, f"partials({fmt(x)}, {fmt(y)})", 2, "(df_dx, df_dy)")
            got_x.append(float(pair[0]))
            got_y.append(float(pair[1]))
        x = np.array([p[0] for p in _PARTIAL_POINTS])
        y = np.array([p[1] for p in _PARTIAL_POINTS])
        want_x, want_y = 2 * x * y, x ** 2 + 3
        ok_x, ok_y = close(got_x, want_x), close(got_y, want_y)
        if ok_x and ok_y:
            return (f"(2xy, x² + 3) matched at {len(x)} points, negative, fractional and "
                    f"large. A partial derivative is an ordinary slope along one axis: freeze "
                    f"every other variable, then differentiate.")
        if close(got_x, want_y) and close(got_y, want_x):
            raise Hint("the two slopes are swapped: return (df_dx, df_dy) in that order")
        f = x ** 2 * y + 3 * y
        if close(got_x, f) or close(got_y, f):
            raise Hint("one of them is f itself: return slopes, not the value of f")
        cases = list(_PARTIAL_POINTS)
        if not ok_x:
            i = next(k for k in range(len(x)) if not close(got_x[k], want_x[k]))
            at = f"df_dx at ({fmt(x[i])}, {fmt(y[i])}) = {fmt(got_x[i])}, want {fmt(want_x[i])}"
            slip = explain(got_x, [
                ("3y does not change when x moves, so its slope in x is 0", 2 * x * y + 3 * y),
                ("3y does not change when x moves, so its slope in x is 0", 2 * x * y + 3),
                ("y is held fixed but still multiplies: ∂(x²y)/∂x = 2x·y", 2 * x),
                ("power rule, the exponent 2 comes down: ∂(x²)/∂x = 2x, so ∂(x²y)/∂x = 2xy",
                 x * y),
                ("sign flipped: ∂(x²y)/∂x = +2xy", -2 * x * y),
            ]) or rounded(got_x, want_x) or precedence_slip(
                partials, cases, list(want_x), pick=lambda v: v[0])
            raise Hint(f"{at}: " + (slip or "treat y as a constant and differentiate x²y + 3y "
                                            "with respect to x"))
        i = next(k for k in range(len(x)) if not close(got_y[k], want_y[k]))
        at = f"df_dy at ({fmt(x[i])}, {fmt(y[i])}) = {fmt(got_y[i])}, want {fmt(want_y[i])}"
        slip = explain(got_y, [
            ("the term 3y has slope 3 in y; did you drop it?", x ** 2),
            ("x²y also changes with y: ∂(x²y)/∂y = x²", np.full_like(x, 3.0)),
            ("x is frozen, so x² is a constant factor and stays x²; only y is differentiated",
             2 * x + 3),
            ("the slope of 3y in y is the number 3, not 3y (y disappears when you "
             "differentiate a term in y¹)", x ** 2 + 3 * y),
            ("the slope of x²y in y is x² (y disappears), not x²y", x ** 2 * y + 3),
        ]) or rounded(got_y, want_y) or precedence_slip(
            partials, cases, list(want_y), pick=lambda v: v[1])
        raise Hint(f"{at}: " + (slip or "treat x as a constant and differentiate x²y + 3y with "
                                        "respect to y"))

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

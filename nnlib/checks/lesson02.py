"""Lesson 02 exercises: predict which loss is larger, a loss slope by hand, a designed dataset.

Each ``check_<name>(fn)`` calls the learner's function on known inputs, compares the
result with the maths worked out by hand (never with the learner's own code) and prints
one line: ✓ with an insight or ✗ with a hint that names the slip.
"""

from __future__ import annotations

import numpy as np

from ._core import (
    Exercise,
    Hint,
    array,
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
)

__all__ = ["check_predict_larger_loss", "check_dloss_dc1", "check_mean_median_gap",
           "check_all", "hint", "show_solution", "LESSON"]

LESSON = "02"
register(LESSON, [
    Exercise("predict_larger_loss", kind="predict",
             idea="Compare what one error r costs under each loss when |r| < 1: r² or |r|?",
             formula="For |r| < 1, r² = |r|·|r| < |r|. MSE averages the r², MAE the |r|."),
    Exercise("dloss_dc1", kind="derive",
             idea="Expand one term (c₁x_i − y_i)² as a polynomial in c₁, differentiate it term "
                  "by term (x_i and y_i are fixed numbers), then average over i (sum rule, "
                  "constant multiple).",
             formula="(c₁x_i − y_i)² = x_i²·c₁² − 2x_i y_i·c₁ + y_i², whose slope in c₁ is "
                     "2x_i²c₁ − 2x_i y_i = 2x_i(c₁x_i − y_i). "
                     "So dL/dc₁ = (1/n) Σ 2x_i(c₁x_i − y_i)."),
    Exercise("mean_median_gap", kind="design",
             idea="One large value drags the mean but leaves the median (the middle value) "
                  "where it is.",
             formula="For [0, 0, t]: median = 0, mean = t/3. Choose t so that mean − median = 10."),
])
hint, show_solution = ladder(LESSON)


# ---------------------------------------------------------------- exercise 1
def check_predict_larger_loss(predict_larger_loss) -> None:
    """Check the prediction: with every |residual| < 1 (not all 0), MAE > MSE since r² < |r|."""

    def run():
        try:
            got = call(predict_larger_loss, name="predict_larger_loss", text=True)
        except Hint as hint:
            word = next((w for w in ("mae", "mse", "MAE", "MSE")
                         if f"`{w}`, which is not defined" in str(hint)), None)
            if word:
                raise Hint(f"write the answer as text, in quotes: return \"{word}\" (without "
                           f"the quotes Python looks for a variable called {word})") from None
            raise
        if not isinstance(got, str):
            raise Hint(f"return the text \"mse\" or \"mae\", got {fmt(got)}")
        answer = got.strip().lower()
        if answer == "mae":
            r = np.array([0.5, -0.2, 0.1, -0.4])
            return (f"Below 1, squaring shrinks an error: for residuals {fmt(r)} the MSE is "
                    f"{fmt(np.mean(r ** 2))} and the MAE {fmt(np.mean(np.abs(r)))}. Above 1 it "
                    f"is the other way round.")
        if answer == "mse":
            raise Hint("\"mse\" is the smaller one, and the question asks which is larger: "
                       "squaring a number below 1 makes it smaller (0.5² = 0.25 < 0.5). "
                       "Look at the two cost curves of section 7 between −1 and 1")
        if answer in ("same", "equal", "both", "neither"):
            raise Hint("they are equal only when every residual is 0, 1 or −1; here they all lie "
                       "strictly between −0.5 and 0.5. Compare r² with |r| there")
        raise Hint(f"return \"mse\" or \"mae\", got {fmt(got)}")

    report(LESSON, "predict_larger_loss", run)


# ---------------------------------------------------------------- exercise 2
_XA = np.array([1.0, 2.0, -1.0, 3.0])
_YA = np.array([2.0, 3.0, -2.5, 7.0])
_XB = np.array([0.5, -2.0, 4.0])
_YB = np.array([1.0, 1.0, 6.0])


def _dl(c1, x, y):
    return float(np.mean(2 * x * (c1 * x - y)))


def _dl_cases() -> list:
    """The worked cases, then seeded ones: negative and fractional x, one sample, large x."""
    rng = np.random.default_rng(202)
    x1 = np.round(rng.uniform(-3, 3, 7), 3)
    x3 = np.round(rng.uniform(-100, 100, 50), 2)
    return [(1.5, _XA, _YA), (-0.5, _XA, _YA), (1.5, _XB, _YB),
            (0.37, x1, np.round(2 * x1 + rng.normal(0, 0.5, 7), 3)),
            (-1.7, np.array([2.5]), np.array([-1.25])),
            (0.02, x3, np.round(0.5 * x3 + rng.normal(0, 3, 50), 2))]


def check_dloss_dc1(dloss_dc1) -> None:
    """Check ``dloss_dc1(c1, x, y)`` = ``(1/n) Σ 2 x_i (c₁ x_i − y_i)``, the slope of the MSE of
    ``ŷ = c₁ x``, on the worked cases and on seeded ones (negative, fractional and large x,
    n = 1), with copies of x and y (a function that changes them gets ✗)."""

    def run():
        cases = _dl_cases()
        got = [number(call(dloss_dc1, c1, x, y, name="dloss_dc1"),
                      f"dloss_dc1({fmt(c1)}, x, y)",
                      ": one slope per sample; the loss is their mean, so average them")
               for c1, x, y in cases]
        want = [_dl(c1, x, y) for c1, x, y in cases]
        if close(got, want):
            return ("dL/dc₁ = (2/n) Σ x_i (c₁x_i − y_i), matched on 6 datasets (negative, "
                    "fractional and large x, one sample), inputs left unchanged: each sample "
                    "pulls c₁ in proportion to its error times its x. Setting it to 0 gives "
                    "the best slope, c₁ = Σ x_i y_i / Σ x_i².")
        k = next(i for i in range(len(cases)) if not close(got[i], want[i]))
        c1, x, y = cases[k]
        at = f"dloss_dc1({fmt(c1)}, x={fmt(x)}, y={fmt(y)}) = {fmt(got[k])}, want {fmt(want[k])}"

        def each(f):
            return [float(f(c1, x, y)) for c1, x, y in cases]

        slip = explain(got, [
            ("that is the loss L itself, not its slope: differentiate each term with respect "
             "to c₁", each(lambda c, x, y: np.mean((c * x - y) ** 2))),
            ("missing the factor x_i: expand (c₁x_i − y_i)² = x_i²c₁² − 2x_i y_i c₁ + y_i²; "
             "every term with c₁ carries x_i", each(lambda c, x, y: np.mean(2 * (c * x - y)))),
            ("n× too large: L is a mean, so its slope has the 1/n too (mean, not sum)",
             each(lambda c, x, y: len(x) * _dl(c, x, y))),
            ("n× too small: the 1/n appears once, in front of the sum; did you divide twice?",
             each(lambda c, x, y: _dl(c, x, y) / len(x))),
            ("the middle term −2x_i y_i c₁ of the expanded square also changes with c₁: its "
             "slope is −2x_i y_i", each(lambda c, x, y: np.mean(2 * c * x ** 2))),
            ("power rule on c₁²: its slope is 2c₁, so x_i²c₁² gives 2x_i²c₁",
             each(lambda c, x, y: np.mean(x ** 2 * c - 2 * x * y))),
            ("2× too small: the power rule brings the exponent 2 of the square down in front",
             each(lambda c, x, y: _dl(c, x, y) / 2)),
            ("sign flipped: the slope of (c₁x_i − y_i)² in c₁ is +2x_i(c₁x_i − y_i). (With "
             "y_i − c₁x_i inside, its slope in c₁ is −x_i, which flips the sign back.)",
             each(lambda c, x, y: -_dl(c, x, y))),
        ]) or precedence_slip(dloss_dc1, cases, want)
        if slip:
            raise Hint(f"{at}: {slip}")
        # cases 0 and 2 share c₁ = 1.5 with different data: an answer that ignores x, y
        if close(got[0], got[2]) and not close(want[0], want[2]):
            raise Hint(f"{at}: your function gives the same answer for different x and y: does "
                       f"it use the notebook's global x, y instead of its arguments?")
        raise Hint(f"{at}: expand (c₁x_i − y_i)², differentiate in c₁, then average")

    report(LESSON, "dloss_dc1", run)


# ---------------------------------------------------------------- exercise 3
def check_mean_median_gap(mean_median_gap) -> None:
    """Check ``mean_median_gap()``: at least 3 numbers with mean − median = 10."""

    def run():
        got = call(mean_median_gap, name="mean_median_gap")
        data = array(got, "your dataset")
        if data.ndim != 1:
            raise Hint(f"return a flat list or 1-D array of numbers, got shape {fmt(data.shape)}")
        if data.size < 3:
            raise Hint(f"use at least 3 numbers (got {data.size}): with 1 or 2 values the mean "
                       f"and the median are always equal")
        mean, median = float(data.mean()), float(np.median(data))
        gap = mean - median
        if close(gap, 10.0, rtol=1e-9, atol=1e-9):
            return (f"mean {fmt(mean)}, median {fmt(median)}: one far-off value drags the mean "
                    f"but not the median. That is why MSE (best constant: the mean) chases "
                    f"outliers and MAE (the median) does not.")
        if close(gap, -10.0, rtol=1e-9, atol=1e-9):
            raise Hint(f"mean {fmt(mean)}, median {fmt(median)}: the median is 10 larger, not "
                       f"the mean. Pull one value far up instead of down")
        if close(gap, 0.0):
            raise Hint(f"mean and median are both {fmt(mean)}: make the data lopsided, with one "
                       f"value far above the others")
        n = data.size
        raise Hint(f"mean {fmt(mean)} − median {fmt(median)} = {fmt(gap)}, want 10: move the "
                   f"largest value. With n = {n} values, raising it by {n} raises the mean by 1 "
                   f"and leaves the median where it is")

    report(LESSON, "mean_median_gap", run)

"""Lesson 02 exercises: mean squared error, mean absolute error, the best constant prediction.

Each ``check_<name>(fn)`` calls the learner's function on known inputs, compares the
result with the formula worked out by hand and prints one line: ✓ with an insight or ✗
with a hint.
"""

from __future__ import annotations

import numpy as np

from ._core import Hint, call, check_all, close, number, ratio_hint, register, report

__all__ = ["check_mse", "check_mae", "check_best_constant", "check_all", "LESSON"]

LESSON = "02"
register(LESSON, ["mse", "mae", "best_constant"])

# errors ŷ − y = [−1, 1, 0, −4, 2]: mean −0.4, MSE 22/5 = 4.4, MAE 8/5 = 1.6
_Y1 = np.array([1.0, 2.0, 3.0, 4.0, 5.0])
_YHAT1 = np.array([0.0, 3.0, 3.0, 0.0, 7.0])
# errors [−0.5, 1, −2, 1]: MSE 6.25/4 = 1.5625, MAE 4.5/4 = 1.125
_Y2 = np.array([0.5, -1.0, 2.0, 0.0])
_YHAT2 = np.array([0.0, 0.0, 0.0, 1.0])



def _loss_check(fn, name: str, exact, wrong_answers, insight: str) -> None:
    """Shared body of the MSE and MAE checks: try two datasets, name the first slip found."""

    def run():
        for y_hat, y in ((_YHAT1, _Y1), (_YHAT2, _Y2)):
            got = number(call(fn, y_hat.copy(), y.copy(), name=name), f"`{name}`",
                         ": take the mean (np.mean) to turn the errors into one number")
            want = exact(y_hat - y)
            if close(got, want):
                continue
            n = len(y)
            for wrong, hint in wrong_answers(y_hat - y):
                if close(got, wrong):
                    raise Hint(hint)
            if close(got, n * want):
                raise Hint(f"{n}× too large for n = {n} samples: did you divide by n? "
                           f"Take the mean, not the sum")
            slip = ratio_hint(got, want)
            raise Hint(f"{name}(y_hat, y) = {got:g} for errors {list(y_hat - y)}, want {want:g}"
                       + (f": {slip}" if slip else ""))
        return insight

    report(LESSON, name, run)


def check_mse(mse) -> None:
    """Check ``mse(y_hat, y)`` = ``(1/n) Σ (ŷ_i − y_i)²``."""

    def wrong(d):
        return [
            (np.mean(d), "forgot to square: that's the mean error, and positive and negative "
                         "errors cancel out"),
            (np.mean(np.abs(d)), "that's the mean absolute error: square each difference "
                                 "instead of taking its absolute value"),
            (np.sqrt(np.mean(d ** 2)), "that's the root of the MSE (RMSE): drop the square root"),
            (np.mean(d) ** 2, "you squared the mean error: square each difference first, "
                              "then take the mean"),
            (np.mean(d ** 2) / 2, "2× too small: no ½ in front here, just the mean of the "
                                  "squares"),
        ]

    _loss_check(mse, "mse", lambda d: np.mean(d ** 2), wrong,
                "Squaring makes every error count and punishes big ones most: an error of 4 "
                "costs 16 times an error of 1.")


def check_mae(mae) -> None:
    """Check ``mae(y_hat, y)`` = ``(1/n) Σ |ŷ_i − y_i|``."""

    def wrong(d):
        return [
            (np.mean(d), "forgot the absolute value: that's the mean error, and positive and "
                         "negative errors cancel out"),
            (np.mean(d ** 2), "that's the mean squared error: take the absolute value np.abs "
                              "instead of squaring"),
            (abs(np.mean(d)), "you took |mean error|: take the absolute value of each "
                              "difference first, then the mean"),
        ]

    _loss_check(mae, "mae", lambda d: np.mean(np.abs(d)), wrong,
                "MAE grows in step with each error: an error of 4 costs just 4 times an error "
                "of 1, so one far-off point cannot dominate.")


def check_best_constant(best_constant) -> None:
    """Check ``best_constant(y)`` = the ``c`` minimising ``(1/n) Σ (c − y_i)²``.

    Setting ``dL/dc = (2/n) Σ (c − y_i) = 0`` gives ``c = mean(y)``.
    """

    def run():
        for y in (np.array([1.0, 2.0, 3.0, 4.0, 100.0]), np.array([-2.0, 0.0, 0.5, 7.5])):
            got = call(best_constant, y.copy(), name="best_constant")
            if isinstance(got, (list, tuple)) or np.ndim(got) != 0:
                raise Hint(f"returned shape {np.shape(got)}: the model predicts one number c "
                           f"for every sample, so return one number")
            got = float(got)
            want = float(np.mean(y))
            if close(got, want):
                continue
            if close(got, np.median(y)):
                raise Hint("that's the median: it is the best constant for MAE, not MSE. "
                           "Set dL/dc = 0 for L = (1/n) Σ (c − y_i)²")
            if close(got, (y.min() + y.max()) / 2):
                raise Hint("that's halfway between the smallest and largest y: every sample "
                           "counts, not just the extremes")
            if close(got, np.sum(y)):
                raise Hint(f"that's the sum of y: divide by n = {len(y)}")
            raise Hint(f"best_constant({list(y)}) = {got:g}, want {want:g}: solve "
                       f"dL/dc = (2/n) Σ (c − y_i) = 0 for c")
        return ("dL/dc = (2/n) Σ (c − y_i) = 0 gives c = mean(y). One outlier (100) drags "
                "the mean from 2.5 to 22; the median, MAE's answer, stays at 3.")

    report(LESSON, "best_constant", run)

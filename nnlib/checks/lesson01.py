"""Lesson 01 exercises: a derivative by hand, the central difference, partial derivatives.

Each ``check_<name>(fn)`` calls the learner's function on known inputs, compares the
result with closed-form maths and prints one line: ✓ with an insight or ✗ with a hint.
"""

from __future__ import annotations

import numpy as np

from ._core import Hint, call, check_all, close, number, ratio_hint, register, report

__all__ = ["check_df", "check_my_derivative", "check_partials", "check_all", "LESSON"]

LESSON = "01"
register(LESSON, ["df", "my_derivative", "partials"])

_XS = (-2.0, -0.5, 0.0, 1.0, 3.0)



# ---------------------------------------------------------------- exercise 1
def check_df(df) -> None:
    """Check ``df(x)`` = the derivative of ``f(x) = 3x² − 4x + 2``, which is ``f'(x) = 6x − 4``."""

    def run():
        for x in _XS:
            got = number(call(df, x, name="df"), f"df({x})")
            want = 6 * x - 4
            if close(got, want):
                continue
            if close(got, 3 * x ** 2 - 4 * x + 2):
                raise Hint(f"df({x}) returned f({x}) itself: return the slope 6x − 4, not f")
            if close(got, 6 * x):
                raise Hint(f"df({x}) = {got:g}, want {want:g}: the term −4x has slope −4; "
                           f"did you drop it?")
            if close(got, 3 * x - 4):
                raise Hint(f"df({x}) = {got:g}, want {want:g}: power rule, bring the 2 down: "
                           f"d(3x²)/dx = 2·3x = 6x")
            if close(got, 6 * x - 4 + 2) or close(got, 6 * x - 2):
                raise Hint(f"df({x}) = {got:g}, want {want:g}: the constant +2 does not "
                           f"change with x, so its slope is 0")
            slip = ratio_hint(got, want)
            raise Hint(f"df({x}) = {got:g}, want {want:g}" + (f": {slip}" if slip else
                       ": use the power rule, d(x^k)/dx = k·x^(k−1), term by term"))
        return ("f'(x) = 6x − 4 is 0 at x = 2/3: that is where f has its minimum, "
                "the idea behind gradient descent.")

    report(LESSON, "df", run)


# ---------------------------------------------------------------- exercise 2
def _cube(x):
    return x ** 3


def check_my_derivative(my_derivative) -> None:
    """Check ``my_derivative(f, x, h)`` = ``(f(x + h) − f(x − h)) / 2h``.

    Uses ``f(x) = x³``, for which the central difference is exactly ``3x² + h²`` and
    the forward difference ``(f(x+h) − f(x))/h`` is ``3x² + 3xh + h²``.
    """

    def run():
        for x, h in ((2.0, 0.1), (2.0, 0.5), (-1.0, 0.25), (0.5, 1.0)):
            got = number(call(my_derivative, _cube, x, h, name="my_derivative"),
                          f"my_derivative(x³, {x}, {h})")
            want = 3 * x ** 2 + h ** 2
            if close(got, want, rtol=1e-9):
                continue
            if close(got, 3 * x ** 2 + 3 * x * h + h ** 2, rtol=1e-9):
                raise Hint("that's the forward difference (f(x+h) − f(x))/h: its error shrinks "
                           "only like h. Use the two points x − h and x + h, 2h apart")
            if close(got, 3 * x ** 2 - 3 * x * h + h ** 2, rtol=1e-9):
                raise Hint("that's the backward difference (f(x) − f(x−h))/h: its error shrinks "
                           "only like h. Use the two points x − h and x + h, 2h apart")
            if close(got, 2 * want, rtol=1e-9):
                raise Hint("2× too large: the two points x − h and x + h are 2h apart, "
                           "so divide by 2h")
            if close(got, 3 * x ** 2, rtol=1e-4):
                raise Hint(f"with h = {h} the answer should be {want:g} (3x² + h² for x³), got "
                           f"{got:g}: use the h you are given instead of your own step")
            slip = ratio_hint(got, want)
            raise Hint(f"my_derivative(x³, x={x}, h={h}) = {got:g}, want {want:g}"
                       + (f": {slip}" if slip else ": compute (f(x + h) − f(x − h)) / (2 * h)"))
        return ("For x³ your estimate is exactly 3x² + h²: shrink h 10× and the error "
                "shrinks 100× (the forward difference gains only 10×).")

    report(LESSON, "my_derivative", run)


# ---------------------------------------------------------------- exercise 3
def check_partials(partials) -> None:
    """Check ``partials(x, y)`` = ``(∂f/∂x, ∂f/∂y)`` for ``f(x, y) = x² y + 3y``.

    The answer worked out by hand is ``(2xy, x² + 3)``.
    """

    def run():
        for x, y in ((1.0, 2.0), (-2.0, 0.5), (3.0, -1.0)):
            out = call(partials, x, y, name="partials")
            if np.ndim(out) == 0 or len(out) != 2:
                raise Hint(f"partials({x}, {y}) should return two numbers (df_dx, df_dy), "
                           f"got {out!r}")
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
                if close(got_x, 2 * x * y + 3 * y):
                    raise Hint("df_dx: 3y does not change when x moves, so its slope in x is 0")
                if close(got_x, 2 * x):
                    raise Hint("df_dx: y is held fixed but still multiplies: "
                               "∂(x²y)/∂x = 2x·y")
                raise Hint(f"df_dx at ({x}, {y}) = {got_x:g}, want {want_x:g}: treat y as a "
                           f"constant and differentiate x²y + 3y with respect to x")
            if close(got_y, x ** 2):
                raise Hint("df_dy: the term 3y has slope 3 in y; did you drop it?")
            if close(got_y, 3.0):
                raise Hint("df_dy: x²y also changes with y: ∂(x²y)/∂y = x²")
            raise Hint(f"df_dy at ({x}, {y}) = {got_y:g}, want {want_y:g}: treat x as a "
                       f"constant and differentiate x²y + 3y with respect to y")
        return ("A partial derivative is an ordinary slope along one axis: freeze every "
                "other variable, then differentiate.")

    report(LESSON, "partials", run)

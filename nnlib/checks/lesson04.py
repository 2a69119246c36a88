"""Lesson 04 checks: a neuron's weighted sum, ReLU, a double ReLU and a one-neuron AND gate."""

from __future__ import annotations

import numpy as np

from ._core import Hint, call, check_all, close, register, report

__all__ = ["check_neuron", "check_relu", "check_double_relu", "check_and_gate", "check_all"]

LESSON = "04"
register(LESSON, ["neuron", "relu", "double_relu", "and_gate"])


def check_neuron(neuron) -> None:
    """Exercise 1: ``neuron(x, w, b)`` returns ``z = x · w + b`` for one input and for a batch."""

    def run():
        x, w, b = np.array([1.0, 2.0, 3.0]), np.array([3.0, 4.0, 5.0]), 3.0
        got = call(neuron, x, w, b, name="neuron")
        if np.shape(got) == (3,):
            if close(got, x * w + b) or close(got, x * w):
                raise Hint("returned 3 numbers: multiply elementwise *and add them up* "
                           "(np.dot(x, w) does both)")
            raise Hint("returned 3 numbers: a neuron gives one number per input sample")
        if np.ndim(got) != 0:
            raise Hint(f"returned shape {np.shape(got)}: one input gives one number")
        got = float(got)
        if np.isclose(got, 26.0):
            raise Hint("26 instead of 29: you forgot the bias; add b after the dot product")
        if np.isclose(got, 6.0 * 12.0 + 3.0):
            raise Hint("multiply each input by *its own* weight, then add: "
                       "1·3 + 2·4 + 3·5, not (1+2+3)·(3+4+5)")
        if not np.isclose(got, 29.0):
            raise Hint(f"for x = [1, 2, 3], w = [3, 4, 5], b = 3 expected 1·3 + 2·4 + 3·5 + 3 "
                       f"= 29, got {got:g}")
        X = np.array([[1.0, 2.0, 3.0], [0.0, 0.0, 0.0], [-1.0, 0.5, 2.0], [2.0, -1.0, 0.0]])
        got = call(neuron, X, w, b, name="neuron")
        want = X @ w + b
        if np.shape(got) != want.shape or not close(got, want):
            raise Hint(f"works for one input but not for a batch X of shape {X.shape}: "
                       f"np.dot(X, w) + b gives one z per row (expected {want.tolist()})")
        return "29 = 1·3 + 2·4 + 3·5 + 3. np.dot does the multiply-and-add for one input or many."

    report(LESSON, "neuron", run)


def check_relu(relu) -> None:
    """Exercise 2: ``relu(z)`` is ``max(0, z)`` elementwise, same shape as z."""

    def run():
        z = np.array([-3.0, -0.5, 0.0, 0.5, 2.0])
        got = call(relu, z.copy(), name="relu")
        if np.ndim(got) == 0:
            raise Hint("returned one number: use np.maximum(0, z) (elementwise), "
                       "not max() or np.max()")
        got = np.asarray(got, dtype=float)
        if got.shape != z.shape:
            raise Hint(f"returned shape {got.shape} for input shape {z.shape}: keep every value, "
                       f"don't filter them out")
        want = np.maximum(0, z)
        if close(got, want):
            grid = np.array([[-1.0, 2.0], [3.0, -4.0]])
            got2 = call(relu, grid.copy(), name="relu")
            if not close(got2, np.maximum(0, grid)):
                raise Hint("works on a 1-D array but not on a 2-D one: use np.maximum(0, z)")
            return "ReLU keeps positive values and turns negative ones into 0: max(0, z)."
        if np.any(got[z < 0] != 0):
            raise Hint("negative values must become 0")
        if not close(got[z > 0], z[z > 0]):
            raise Hint("positive values must pass through unchanged")
        raise Hint(f"relu({z.tolist()}) should be {want.tolist()}, got {got.tolist()}")

    report(LESSON, "relu", run)


def check_double_relu(double_relu) -> None:
    """Exercise 3: ``double_relu(x, m1, b1, m2, b2) = relu(m1·x + b1) + relu(m2·x + b2)``."""

    def run():
        x = np.linspace(-2, 2, 9)
        m1, b1, m2, b2 = -3.0, -1.0, 2.0, -0.5
        got = call(double_relu, x, m1, b1, m2, b2, name="double_relu")
        got = np.asarray(got, dtype=float)
        if got.shape != x.shape:
            raise Hint(f"returned shape {got.shape}, expected {x.shape}: one output per x")
        r1, r2 = np.maximum(0, m1 * x + b1), np.maximum(0, m2 * x + b2)
        if close(got, r1 + r2):
            return ("Each ReLU adds one bend; their sum is a curve with two corners. "
                    "More ReLUs, more corners.")
        if close(got, (m1 * x + b1) + (m2 * x + b2)):
            raise Hint("that is a straight line: apply the ReLU to each term *before* adding")
        if close(got, np.maximum(0, (m1 + m2) * x + b1 + b2)):
            raise Hint("the ReLU is applied to the sum: apply it to each term separately, "
                       "then add")
        if close(got, r1) or close(got, r2):
            raise Hint("only one ReLU is in the answer: add both")
        if close(got, np.maximum(0, m1 * x) + b1 + np.maximum(0, m2 * x) + b2):
            raise Hint("the offset goes inside: relu(m·x + b), not relu(m·x) + b")
        raise Hint("expected relu(m1·x + b1) + relu(m2·x + b2)")

    report(LESSON, "double_relu", run)


def check_and_gate(and_gate) -> None:
    """Exercise 4: ``and_gate()`` gives ``(w, b)`` with ``step(w · x + b) = 1`` only at (1, 1)."""

    def run():
        out = call(and_gate, name="and_gate")
        try:
            w, b = out
            w = np.asarray(w, dtype=float).reshape(-1)
            b = float(b)
        except (TypeError, ValueError):
            raise Hint("return two things: the weights (two numbers) and the bias, "
                       "e.g. return np.array([1.0, 1.0]), -1.5") from None
        if w.shape != (2,):
            raise Hint(f"w has {w.size} numbers: the neuron has two inputs, so two weights")
        X = np.array([[0.0, 0.0], [0.0, 1.0], [1.0, 0.0], [1.0, 1.0]])
        fires = (X @ w + b > 0).astype(int)
        if fires.tolist() == [0, 0, 0, 1]:
            return (f"w = {w.tolist()}, b = {b:g}: the bias is the threshold. The weighted sum "
                    f"must beat {-b:g}, and only both inputs together do.")
        if fires.tolist() == [0, 1, 1, 1]:
            raise Hint("that is OR: one input alone is enough. Make b more negative, so that "
                       "only both inputs together pass the threshold")
        if fires[0]:
            raise Hint("the neuron fires with no input at all: with x = (0, 0) only b is left, "
                       "so b must be negative")
        if fires[3] == 0:
            raise Hint("the neuron does not fire for (1, 1): w₁ + w₂ + b must be > 0; raise the "
                       "weights or make b less negative")
        raise Hint(f"the neuron fires for {X[fires == 1].tolist()}: it should fire only for "
                   f"(1, 1); each weight alone must stay below the threshold -b")

    report(LESSON, "and_gate", run)

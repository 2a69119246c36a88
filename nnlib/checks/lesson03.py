"""Lesson 03 checks: the update rule, a descent loop, the MSE gradient of a, b, c, choosing η."""

from __future__ import annotations

import numbers

import numpy as np

from ..explore.descent import descend, quad_data, quad_features, quad_grad, quad_loss
from ._core import Hint, call, check_all, close, register, report

__all__ = ["check_gd_step", "check_descent_loop", "check_mse_grad_abc", "check_pick_lr",
           "check_all", "PICK_LR_STEPS", "PICK_LR_TARGET"]

LESSON = "03"
register(LESSON, ["gd_step", "descent_loop", "mse_grad_abc", "pick_lr"])

PICK_LR_STEPS = 20      # gradient-descent steps allowed in exercise 4
PICK_LR_TARGET = 0.14   # MSE to reach within those steps


def check_gd_step(gd_step) -> None:
    """Exercise 1: ``gd_step(w, dw, lr)`` must return ``w − lr · dw`` (numbers and arrays)."""

    def run():
        cases = [(2.0, 0.5, 0.1), (-1.0, -3.0, 0.01),
                 (np.array([1.0, -2.0, 3.0]), np.array([0.5, 0.25, -1.0]), 0.2)]
        for w, dw, lr in cases:
            w_in = np.copy(w) if isinstance(w, np.ndarray) else w
            got = call(gd_step, w_in, dw, lr, name="gd_step")
            want = w - lr * dw
            if np.shape(got) != np.shape(want):
                raise Hint(f"gd_step({w!r}, {dw!r}, {lr}) has shape {np.shape(got)}, expected "
                           f"{np.shape(want)}: return the new w, shaped like w")
            if close(got, want):
                continue
            if close(got, w + lr * dw):
                raise Hint("sign flipped: gradient descent steps *against* the gradient, "
                           "so subtract lr · dw")
            if close(got, w - dw):
                raise Hint("the step ignores η: multiply the gradient by lr before subtracting")
            if close(got, lr * dw) or close(got, -lr * dw):
                raise Hint("you returned only the step: the new value is w minus that step")
            if close(got, w):
                raise Hint("w did not change: return w - lr * dw")
            raise Hint(f"gd_step({w!r}, {dw!r}, {lr}) returned {got!r}, expected {want!r} "
                       f"(w − lr · dw)")
        return "One line is the whole learning rule: w ← w − η ∂L/∂w."

    report(LESSON, "gd_step", run)


def check_descent_loop(descent_loop) -> None:
    """Exercise 2: ``descent_loop(grad, w0, lr, num_steps)`` returns w after ``num_steps`` updates.

    Tested on ``f(w) = (w − 3)²`` with ``f'(w) = 2(w − 3)``, where ``w_k = 3 + (w0 − 3)(1 − 2η)^k``.
    """

    def grad(w):
        return 2 * (w - 3)

    def exact(w0, lr, k):
        return 3 + (w0 - 3) * (1 - 2 * lr) ** k

    def run():
        for w0, lr, k in [(0.0, 0.1, 10), (5.0, 0.25, 3), (-1.0, 0.05, 25)]:
            got = call(descent_loop, grad, w0, lr, k, name="descent_loop")
            if np.ndim(got) != 0:
                raise Hint(f"returned shape {np.shape(got)}: return the final w (one number "
                           f"here), not the whole path")
            got = float(got)
            want = exact(w0, lr, k)
            if np.isclose(got, want):
                continue
            if np.isclose(got, w0):
                raise Hint("w never moved: inside the loop, assign the step back, "
                           "w = w - lr * grad(w)")
            if np.isclose(got, exact(w0, lr, k - 1)):
                raise Hint(f"one step short: {k} steps were asked for, you took {k - 1} "
                           f"(range(num_steps) runs exactly num_steps times)")
            if np.isclose(got, exact(w0, lr, k + 1)):
                raise Hint(f"one step too many: {k} steps were asked for, you took {k + 1}")
            if np.isclose(got, exact(w0, lr, 1)):
                raise Hint("only one step was taken: is the `return` inside the loop?")
            if np.isclose(got, 3 + (w0 - 3) * (1 + 2 * lr) ** k):
                raise Hint("sign flipped: gradient descent steps *against* the gradient")
            raise Hint(f"from w0 = {w0} with η = {lr} and {k} steps, expected w = {want:.6f}, "
                       f"got {got:.6f}")
        return ("On (w − 3)² each step shrinks the distance to 3 by the factor (1 − 2η): "
                "that is why η between 0 and 1 converges here, and η > 1 diverges.")

    report(LESSON, "descent_loop", run)


def check_mse_grad_abc(mse_grad_abc) -> None:
    """Exercise 3: ``mse_grad_abc(p, x, y)`` returns ``[∂L/∂a, ∂L/∂b, ∂L/∂c]``.

    The loss is the MSE of ``ŷ = a x² + b x + c``; ``p = [a, b, c]``, x and y are (n,).
    """

    def run():
        x, y = quad_data()
        for p in ([0.0, 0.0, 0.0], [1.0, -2.0, 0.5], [3.0, 2.0, 1.0]):
            got = call(mse_grad_abc, np.array(p), x, y, name="mse_grad_abc")
            want = quad_grad(p, x, y)
            if np.shape(got) != (3,):
                raise Hint(f"returned shape {np.shape(got)}: return one number per parameter, "
                           f"np.array([da, db, dc])")
            got = np.asarray(got, dtype=float)
            if close(got, want, rtol=1e-5):
                continue
            if close(got, -want, rtol=1e-5):
                raise Hint("sign flipped: the error is ŷ − y, not y − ŷ")
            if close(got, want / 2, rtol=1e-5):
                raise Hint("2× too small: the derivative of (ŷ − y)² is 2(ŷ − y)")
            if close(got, want * len(x), rtol=1e-5):
                raise Hint(f"{len(x)}× too large: the loss is a mean, so divide by n")
            if close(got, want * len(x) / 2, rtol=1e-5):
                raise Hint("use 2(ŷ − y)/n for ∂L/∂ŷ: both the 2 and the 1/n are missing")
            if close(got[::-1], want, rtol=1e-5):
                raise Hint("the order is reversed: return [da, db, dc]")
            F = quad_features(x)
            g = 2 * (F @ np.asarray(p) - y) / len(x)
            if close(got, [g.sum()] * 3, rtol=1e-5):
                raise Hint("chain rule: multiply ∂L/∂ŷ by ∂ŷ/∂a = x², ∂ŷ/∂b = x, ∂ŷ/∂c = 1 "
                           "before summing")
            raise Hint(f"at a, b, c = {p} expected {np.round(want, 4)}, got {np.round(got, 4)}")
        return ("The chain rule: ∂L/∂a = Σ ∂L/∂ŷᵢ · xᵢ². The gradient of ŷ with respect to "
                "each parameter is just what that parameter multiplies.")

    report(LESSON, "mse_grad_abc", run)


def check_pick_lr(pick_lr) -> None:
    """Exercise 4: ``pick_lr()`` returns an η that takes the quadratic fit from ``a = b = c = 0``
    to ``MSE ≤ 0.14`` within 20 steps."""

    def run():
        lr = call(pick_lr, name="pick_lr")
        if isinstance(lr, bool) or not isinstance(lr, numbers.Real):
            raise Hint(f"return one number (the learning rate), got {type(lr).__name__}")
        lr = float(lr)
        if not np.isfinite(lr) or lr <= 0:
            raise Hint(f"η = {lr} is not a positive number: a negative η walks uphill")
        x, y = quad_data()
        path, diverged_at = descend(lambda p: quad_grad(p, x, y), (0.0, 0.0, 0.0), lr,
                                    PICK_LR_STEPS)
        if diverged_at is not None:
            raise Hint(f"diverged after {diverged_at} steps: η = {lr:g} is too large, "
                       f"each step overshoots further; try a few times smaller")
        loss = quad_loss(path[-1], x, y)
        first = quad_loss(path[0], x, y)
        if loss > first:
            raise Hint(f"the loss grew from {first:.2f} to {loss:.4g}: η = {lr:g} is too large, "
                       f"the steps overshoot the valley")
        if loss > PICK_LR_TARGET:
            steps = np.diff(path, axis=0)
            zigzag = np.any(np.sum(steps[1:] * steps[:-1], axis=1) < 0)
            if zigzag and lr > 0.2:
                raise Hint(f"MSE = {loss:.4f} after {PICK_LR_STEPS} steps: η = {lr:g} is a "
                           f"bit too large, the path zig-zags across the valley")
            raise Hint(f"MSE = {loss:.4f} after {PICK_LR_STEPS} steps (target "
                       f"{PICK_LR_TARGET}): η = {lr:g} is too small, the steps crawl; "
                       f"try a larger η")
        return (f"η = {lr:g} reaches MSE = {loss:.4f} in {PICK_LR_STEPS} steps. Good values "
                f"span about 0.08 to 0.28 here: below, it crawls; above, it overshoots.")

    report(LESSON, "pick_lr", run)

"""Lesson 03 checks: a chain-rule gradient by hand, the gradient of a new model, a descent loop
with one bug, and the learning rate that reaches the bottom of a parabola in one step.

Every expected value is computed here from the maths, never from the learner's code.
"""

from __future__ import annotations

import numpy as np

from ._core import Exercise, Hint, array, call, check_all, close, fmt, ladder, register, report

__all__ = ["check_grad_by_hand", "check_sine_fit_grad", "check_fit_line", "check_one_step_lr",
           "check_all", "hint", "show_solution", "GRAD_SAMPLE"]

LESSON = "03"
register(LESSON, [
    Exercise("grad_by_hand", kind="derive",
             idea="ℓ is a function inside a function: the inner one makes ŷ from c₁ and c₀, the "
                  "outer one squares the error ŷ − y. The chain rule multiplies the outer slope "
                  "(at the inner value) by the inner slope. Compute ŷ first.",
             formula="ŷ = c₁x + c₀; ∂ℓ/∂c₁ = 2(ŷ − y) · x; ∂ℓ/∂c₀ = 2(ŷ − y) · 1"),
    Exercise("sine_fit_grad", kind="implement",
             idea="Same chain rule as the quadratic fit: the inner slope of ŷ with respect to a "
                  "coefficient is what that coefficient multiplies (sin xᵢ for c₁, 1 for c₀). "
                  "Then average over the samples.",
             formula="∂L/∂ŷᵢ = 2(ŷᵢ − yᵢ)/n; ∂L/∂c₁ = Σᵢ ∂L/∂ŷᵢ · sin(xᵢ); "
                     "∂L/∂c₀ = Σᵢ ∂L/∂ŷᵢ"),
    Exercise("fit_line", kind="debug",
             idea="Print the MSE every few epochs: it first falls, then climbs. Which quantity "
                  "should change when c₁ and c₀ change, but never does in the buggy loop?",
             formula="every epoch: ŷ = c₁x + c₀ (with the current c₁, c₀), then "
                     "∂L/∂ŷ = 2(ŷ − y)/n, then c₁ ← c₁ − η Σ ∂L/∂ŷ · x, c₀ ← c₀ − η Σ ∂L/∂ŷ"),
    Exercise("one_step_lr", kind="design",
             idea="Write one step of the update rule for f(w) = c₂w²: the new w is the old w "
                  "times a factor. One step lands on 0 from any start when that factor is 0.",
             formula="f'(w) = 2c₂w, so w ← w − η · 2c₂w = (1 − 2ηc₂) w; solve 1 − 2ηc₂ = 0 for η"),
])
hint, show_solution = ladder(LESSON)

# --- Exercise 1: the chain rule by hand -------------------------------------------------------

GRAD_SAMPLE = dict(x=2.0, y=1.0, c1=1.0, c0=0.5)


def _pair(out, what: str, names: str):
    """The learner's answer as two finite numbers, or a Hint."""
    if np.ndim(out) == 0 and not isinstance(out, (tuple, list)):
        raise Hint(f"{what} returned one number ({fmt(out)}): return two, {names}")
    vals = array(out, what)
    if vals.shape != (2,):
        raise Hint(f"{what} returned {vals.size} numbers (shape {fmt(vals.shape)}): "
                   f"return exactly two, {names}")
    return vals


def check_grad_by_hand(grad_by_hand) -> None:
    """Exercise 1: ``grad_by_hand()`` returns ``(∂ℓ/∂c₁, ∂ℓ/∂c₀)`` for ``GRAD_SAMPLE``."""

    def run():
        s = GRAD_SAMPLE
        out = call(grad_by_hand, name="grad_by_hand")
        y_hat = s["c1"] * s["x"] + s["c0"]
        err = y_hat - s["y"]
        if np.ndim(out) == 0 and not isinstance(out, (tuple, list)) and np.isclose(
                float(out), err ** 2):
            raise Hint(f"{fmt(float(out))} is the loss ℓ = (ŷ − y)² itself: return its two "
                       f"slopes, (∂ℓ/∂c₁, ∂ℓ/∂c₀)")
        got = _pair(out, "grad_by_hand", "(∂ℓ/∂c₁, ∂ℓ/∂c₀)")
        d1, d0 = 2 * err * s["x"], 2 * err
        want = np.array([d1, d0])
        if close(got, want):
            return (f"ŷ = {fmt(y_hat)}, error ŷ − y = {fmt(err)}, outer slope 2(ŷ − y) = "
                    f"{fmt(2 * err)}, times the inner slopes x = {fmt(s['x'])} and 1. Both "
                    f"positive: the prediction is too high, so both coefficients should go down.")
        if close(got, -want):
            raise Hint(f"sign flipped: the error is ŷ − y = {fmt(y_hat)} − {fmt(s['y'])} = "
                       f"+{fmt(err)} (the prediction is too high), so both slopes are positive")
        if close(got, want / 2):
            raise Hint("both are half the right size: the slope of a square u² is 2u, "
                       "so the outer slope is 2(ŷ − y)")
        if close(got, want[::-1]):
            raise Hint("right numbers, swapped: return (∂ℓ/∂c₁, ∂ℓ/∂c₀) in that order")
        if close(got, [2 * err, 2 * err]):
            raise Hint(f"∂ℓ/∂c₁ is missing the inner slope: ŷ = c₁x + c₀ grows by x = "
                       f"{fmt(s['x'])} per unit of c₁, so multiply the outer slope by x")
        if close(got, [2 * err * s["x"] ** 2, 2 * err]):
            raise Hint(f"the inner slope of c₁x + c₀ with respect to c₁ is x = {fmt(s['x'])}, "
                       f"not x²")
        if close(got, [d1, d1]):
            raise Hint("∂ℓ/∂c₀: c₀ multiplies 1, not x, so its inner slope is 1")
        if close(got, [2 * y_hat * s["x"], 2 * y_hat]):
            raise Hint(f"the outer slope is 2(ŷ − y) = {fmt(2 * err)}, not 2ŷ: the square is "
                       f"of the error, so subtract y first")
        raise Hint(f"expected two numbers that follow from ŷ = c₁x + c₀ = {fmt(y_hat)}; "
                   f"got {fmt(got)}. Work out the outer slope 2(ŷ − y), then multiply by each "
                   f"inner slope")

    report(LESSON, "grad_by_hand", run)


# --- Exercise 2: the gradient of a sine fit ---------------------------------------------------

def _sine_case(seed: int, n: int):
    rng = np.random.default_rng(seed)
    x = np.sort(rng.uniform(-3, 3, n))
    return x, 1.5 * np.sin(x) + 0.3 + rng.normal(0, 0.2, n)


def _sine_grad(c, x, y):
    d = 2 * (c[0] * np.sin(x) + c[1] - y) / len(x)
    return np.array([np.sum(d * np.sin(x)), np.sum(d)])


def check_sine_fit_grad(sine_fit_grad) -> None:
    """Exercise 2: ``sine_fit_grad(c, x, y)`` returns ``[∂L/∂c₁, ∂L/∂c₀]`` for the MSE of
    ``ŷ = c₁ sin(x) + c₀``."""

    def run():
        for seed, n, c in [(1, 25, (0.0, 0.0)), (2, 40, (2.0, -0.5)), (3, 7, (-1.0, 1.0))]:
            x, y = _sine_case(seed, n)
            c = np.array(c)
            out = call(sine_fit_grad, c.copy(), x.copy(), y.copy(), name="sine_fit_grad")
            if np.shape(out) in ((n,), (2, n), (n, 2)):
                raise Hint(f"returned shape {fmt(np.shape(out))}: one number per sample. Sum "
                           f"over the samples to get one number per coefficient, shape (2,)")
            if np.ndim(out) == 0 and not isinstance(out, (tuple, list)):
                raise Hint(f"returned one number ({fmt(out)}): return two, [∂L/∂c₁, ∂L/∂c₀]")
            got = array(out, "sine_fit_grad's result", shape=(2,))
            want = _sine_grad(c, x, y)
            if close(got, want, rtol=1e-6):
                continue
            d = 2 * (c[0] * np.sin(x) + c[1] - y) / n
            slips = [
                (-want, "sign flipped: the error is ŷ − y (prediction minus target), not y − ŷ"),
                (want / 2, "2× too small: the slope of a square u² is 2u, so ∂L/∂ŷᵢ = "
                           "2(ŷᵢ − yᵢ)/n"),
                (want * n, f"{n}× too large (n = {n}): the loss is a mean, so ∂L/∂ŷᵢ has a "
                           f"1/n; you summed without dividing by n"),
                (want[::-1], "right numbers, swapped: return [∂L/∂c₁, ∂L/∂c₀]"),
                ([np.sum(d * np.cos(x)), np.sum(d)],
                 "∂L/∂c₁ uses cos(x): that is the slope of sin with respect to x, but you need "
                 "the slope of ŷ with respect to c₁, which is what c₁ multiplies: sin(x)"),
                ([np.sum(d), np.sum(d)],
                 "∂L/∂c₁ is missing its inner slope: multiply each ∂L/∂ŷᵢ by sin(xᵢ) before "
                 "summing"),
                ([np.sum(d * x), np.sum(d)],
                 "∂L/∂c₁ multiplies by x, as for a line: here c₁ multiplies sin(x), so the "
                 "inner slope is sin(xᵢ)"),
                ([np.sum(d * np.sin(x)), np.sum(d * np.sin(x))],
                 "∂L/∂c₀: c₀ multiplies 1, so its inner slope is 1 (no sin)"),
                (want / n,
                 f"{n}× too small (n = {n}): ∂L/∂ŷᵢ = 2(ŷᵢ − yᵢ)/n already has the 1/n, so "
                 f"sum over the samples (np.sum); don't divide by n or take the mean again"),
            ]
            for wrong, message in slips:
                if close(got, wrong, rtol=1e-6):
                    raise Hint(message)
            raise Hint(f"at c = {fmt(c)} on {n} samples expected {fmt(np.round(want, 4))}, got "
                       f"{fmt(np.round(got, 4))}: compare with a numerical gradient "
                       f"(numerical_gradient from lesson 01)")
        return ("∂L/∂c₁ = Σ ∂L/∂ŷᵢ · sin(xᵢ): the inner slope is what c₁ multiplies, however "
                "curved sin is in x. Only the model's parameters need to enter it linearly.")

    report(LESSON, "sine_fit_grad", run)


# --- Exercise 3: the descent loop with one bug ------------------------------------------------

def _line_case(seed: int, n: int, c1: float, c0: float):
    rng = np.random.default_rng(seed)
    x = rng.uniform(-2, 2, n)
    return x, c1 * x + c0 + rng.normal(0, 0.3, n)


def _fit_line(x, y, lr, num_epochs, *, stale=False, sign=1.0, factor=1.0, sequential=False,
              c0_uses_x=False):
    """The reference loop and its typical slips, from the maths."""
    n = len(x)
    c1 = c0 = 0.0
    y_hat = np.zeros_like(x)
    with np.errstate(all="ignore"):
        for _ in range(num_epochs):
            if not stale:
                y_hat = c1 * x + c0
            d = factor * 2 * (y_hat - y) / n
            c1 = c1 - sign * lr * np.sum(d * x)
            if sequential:
                d = factor * 2 * (c1 * x + c0 - y) / n
            c0 = c0 - sign * lr * np.sum(d * x if c0_uses_x else d)
    return np.array([c1, c0])


def check_fit_line(fit_line) -> None:
    """Exercise 3: ``fit_line(x, y, lr, num_epochs)`` returns ``(c₁, c₀)`` after ``num_epochs``
    full-batch gradient-descent steps on the MSE of ``ŷ = c₁x + c₀`` from ``c₁ = c₀ = 0``."""

    def run():
        # same η and epochs, different data: an answer that ignores x, y gives the same pair
        cases = [(_line_case(5, 20, 2.0, 1.0), 0.03, 25), (_line_case(6, 30, -1.0, 0.5), 0.03, 25)]
        results = []
        for (x, y), lr, k in cases:
            out = call(fit_line, x.copy(), y.copy(), lr, k, name="fit_line", finite=False)
            if isinstance(out, (tuple, list)) and len(out) > 2 or np.ndim(out) == 2:
                raise Hint(f"returned {fmt(np.shape(out))} values: return only the final pair "
                           f"(c1, c0), not the history")
            try:
                finite = bool(np.all(np.isfinite(np.asarray(out, dtype=float))))
            except (TypeError, ValueError):
                finite = True   # not numbers: _pair below names the problem
            if not finite:
                if not np.all(np.isfinite(_fit_line(x, y, lr, k, factor=len(x)))):
                    raise Hint(f"c1 and c0 blew up to inf/nan: with a sum instead of a mean "
                               f"(no 1/n) the steps are n = {len(x)}× too big")
                if not np.all(np.isfinite(_fit_line(x, y, lr, k, sign=-1.0))):
                    raise Hint("c1 and c0 blew up: the update must *subtract* η × gradient "
                               "(a + walks uphill)")
                raise Hint("returned inf or nan: each step must subtract η × gradient, with "
                           "the gradient averaged over the samples")
            got = _pair(out, "fit_line", "(c1, c0)")
            results.append(got)
        if close(results[0], results[1]):
            raise Hint("the same answer for two different datasets: does fit_line use the "
                       "notebook's x_line, y_line instead of its arguments x, y?")
        for ((x, y), lr, k), got in zip(cases, results, strict=True):
            want = _fit_line(x, y, lr, k)
            if close(got, want, rtol=1e-7):
                continue
            slips = [
                (_fit_line(x, y, lr, k, stale=True),
                 "same result as the buggy loop: ŷ is computed once, before the loop, so every "
                 "epoch reuses the first gradient. Compute ŷ from the current c1, c0 inside the "
                 "loop"),
                (_fit_line(x, y, lr, k)[::-1], "right numbers, swapped: return (c1, c0)"),
                (_fit_line(x, y, lr, k, sign=-1.0),
                 "sign flipped: gradient descent steps *against* the gradient, c ← c − η ∂L/∂c"),
                (_fit_line(x, y, lr, k - 1),
                 f"one epoch short: {k} were asked for, you took {k - 1}"),
                (_fit_line(x, y, lr, k + 1),
                 f"one epoch too many: {k} were asked for, you took {k + 1} "
                 f"(range(num_epochs) runs exactly num_epochs times)"),
                (_fit_line(x, y, lr, 1),
                 "only one step was taken: is the `return` inside the loop?"),
                (_fit_line(x, y, lr, k, factor=0.5),
                 "the steps are half as big as they should be: ∂L/∂ŷ = 2(ŷ − y)/n has a 2"),
                (_fit_line(x, y, lr, k, factor=len(x)),
                 f"the steps are n = {len(x)}× too big: the loss is a mean, so divide by n"),
                (_fit_line(x, y, lr, k, sequential=True),
                 "c0's gradient used the *new* c1: compute both gradients from the same ŷ "
                 "before changing either coefficient"),
                (_fit_line(x, y, lr, k, c0_uses_x=True),
                 "c0's gradient is multiplied by x: c0 multiplies 1, so ∂L/∂c0 = Σ ∂L/∂ŷᵢ"),
            ]
            for wrong, message in slips:
                if np.all(np.isfinite(wrong)) and close(got, wrong, rtol=1e-7):
                    raise Hint(message)
            raise Hint(f"with η = {fmt(lr)} and {k} epochs on {len(x)} points expected "
                       f"(c1, c0) = {fmt(np.round(want, 4))}, got {fmt(np.round(got, 4))}")
        return ("One misplaced line froze ŷ, so every epoch reused the first gradient and the "
                "coefficients marched on in a straight line past the minimum. Every quantity "
                "that depends on the parameters must be recomputed each step.")

    report(LESSON, "fit_line", run)


# --- Exercise 4: the learning rate that lands in one step -------------------------------------

def check_one_step_lr(one_step_lr) -> None:
    """Exercise 4: ``one_step_lr(c2)`` is the η with ``1 − 2ηc₂ = 0``, i.e. ``1 / (2c₂)``."""

    def run():
        got = {}
        for c2 in (2.5, 0.2, 1.0):
            out = call(one_step_lr, c2, name="one_step_lr")
            if np.ndim(out) != 0 or isinstance(out, (tuple, list)):
                raise Hint(f"one_step_lr({fmt(c2)}) returned {fmt(out)}: return one number, η")
            got[c2] = float(out)
        if np.isclose(got[1.0], got[2.5]) and np.isclose(got[1.0], got[0.2]):
            lr = got[1.0]
            extra = (" (η = 0.5 is right for w², where c₂ = 1)"
                     if np.isclose(lr, 0.5) else "")
            raise Hint(f"the same η = {fmt(lr)} for every c₂{extra}: a more sharply curved "
                       f"parabola needs a smaller step, so η must depend on c₂")
        for c2, lr in got.items():
            want = 1 / (2 * c2)
            if np.isclose(lr, want):
                continue
            factor = 1 - 2 * lr * c2
            if lr <= 0:
                raise Hint(f"one_step_lr({fmt(c2)}) = {fmt(lr)}: η must be positive, a "
                           f"negative η walks uphill")
            named = [
                (1 / c2, "η = 1/c₂ is the edge of stability: the factor 1 − 2ηc₂ is −1, so w "
                         "jumps to −w and back forever. Halve it"),
                (2 * c2, "2c₂ is the curvature f''(w) itself: the η you need is 1 over "
                         "something"),
                (c2 / 2, "η grows with c₂ in your answer, but a sharper parabola needs a "
                         "smaller step: invert it"),
                (c2, "η = c₂ grows with the curvature, but a sharper parabola needs a smaller "
                     "step"),
                (2 / c2, "η = 2/c₂ makes the factor 1 − 2ηc₂ = −3: every step triples the "
                         "distance. Look for the η that makes the factor 0"),
                (1 / (4 * c2), "η = 1/(4c₂) makes the factor 1/2: the step goes only half way"),
            ]
            for value, message in named:
                if np.isclose(lr, value):
                    raise Hint(message)
            raise Hint(f"with c₂ = {fmt(c2)} and your η = {fmt(lr)}, one step multiplies w by "
                       f"1 − 2ηc₂ = {fmt(round(factor, 4))}; it lands on 0 only when that "
                       f"factor is 0")
        return ("η = 1/(2c₂) = 1/f'': the step −η f'(w) = −w cancels w exactly. On a parabola "
                "the ideal step is slope ÷ curvature; twice that, 1/c₂, is the edge of "
                "stability.")

    report(LESSON, "one_step_lr", run)

"""Lesson 03 checks: a chain-rule gradient by hand, the gradient of a new model, a descent loop
with one bug, and the learning rate that reaches the bottom of a parabola in one step.

Every expected value is computed here from the maths, never from the learner's code.
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
    precedence_slip,
    register,
    report,
)

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


_SINE_CASES = [(1, 25, (0.0, 0.0)), (2, 40, (2.0, -0.5)), (3, 7, (-1.0, 1.0)),
               (4, 1, (0.35, -0.8)), (5, 13, (-250.0, 0.45))]


def _sine_inputs(seed: int, n: int, c):
    x, y = _sine_case(seed, n)
    if seed == 5:
        x = x * 40   # large x: sin(x) and x part ways
    return np.array(c, dtype=float), x, y


def check_sine_fit_grad(sine_fit_grad) -> None:
    """Exercise 2: ``sine_fit_grad(c, x, y)`` returns ``[∂L/∂c₁, ∂L/∂c₀]`` for the MSE of
    ``ŷ = c₁ sin(x) + c₀``, on five seeded datasets (c = 0, negative, fractional and large
    coefficients, large x, n = 1), with copies of the inputs."""

    def run():
        cases = [_sine_inputs(seed, n, c) for seed, n, c in _SINE_CASES]
        got_all = []
        for c, x, y in cases:
            n = len(x)
            out = call(sine_fit_grad, c, x, y, name="sine_fit_grad")
            if n > 2 and np.shape(out) in ((n,), (2, n), (n, 2)):
                raise Hint(f"returned shape {fmt(np.shape(out))}: one number per sample. Sum "
                           f"over the samples to get one number per coefficient, shape (2,)")
            if np.ndim(out) == 0 and not isinstance(out, (tuple, list)):
                raise Hint(f"returned one number ({fmt(out)}): return two, [∂L/∂c₁, ∂L/∂c₀]")
            got_all.append(array(out, "sine_fit_grad's result", shape=(2,)))
        want_all = [_sine_grad(c, x, y) for c, x, y in cases]
        if close(got_all, want_all, rtol=1e-6):
            return ("∂L/∂c₁ = Σ ∂L/∂ŷᵢ · sin(xᵢ), matched on 5 datasets (n = 1 and large x "
                    "among them), inputs left unchanged: the inner slope is what c₁ "
                    "multiplies, however curved sin is in x. Only the model's parameters need "
                    "to enter it linearly.")

        def each(f):
            out = []
            for c, x, y in cases:
                d = 2 * (c[0] * np.sin(x) + c[1] - y) / len(x)
                out.append(np.asarray(f(d, c, x, y, _sine_grad(c, x, y)), dtype=float))
            return out

        k = next(i for i in range(len(cases)) if not close(got_all[i], want_all[i], rtol=1e-6))
        c, x, y = cases[k]
        slip = explain(got_all, [
            ("sign flipped: the error is ŷ − y (prediction minus target), not y − ŷ",
             each(lambda d, c, x, y, w: -w)),
            ("2× too small: the slope of a square u² is 2u, so ∂L/∂ŷᵢ = 2(ŷᵢ − yᵢ)/n",
             each(lambda d, c, x, y, w: w / 2)),
            ("n× too large: the loss is a mean, so ∂L/∂ŷᵢ has a 1/n; you summed without "
             "dividing by n", each(lambda d, c, x, y, w: w * len(x))),
            ("right numbers, swapped: return [∂L/∂c₁, ∂L/∂c₀]",
             each(lambda d, c, x, y, w: w[::-1])),
            ("∂L/∂c₁ uses cos(x): that is the slope of sin with respect to x, but you need the "
             "slope of ŷ with respect to c₁, which is what c₁ multiplies: sin(x)",
             each(lambda d, c, x, y, w: [np.sum(d * np.cos(x)), np.sum(d)])),
            ("∂L/∂c₁ is missing its inner slope: multiply each ∂L/∂ŷᵢ by sin(xᵢ) before summing",
             each(lambda d, c, x, y, w: [np.sum(d), np.sum(d)])),
            ("∂L/∂c₁ multiplies by x, as for a line: here c₁ multiplies sin(x), so the inner "
             "slope is sin(xᵢ)", each(lambda d, c, x, y, w: [np.sum(d * x), np.sum(d)])),
            ("∂L/∂c₀: c₀ multiplies 1, so its inner slope is 1 (no sin)",
             each(lambda d, c, x, y, w: [np.sum(d * np.sin(x)), np.sum(d * np.sin(x))])),
            ("n× too small: ∂L/∂ŷᵢ = 2(ŷᵢ − yᵢ)/n already has the 1/n, so sum over the "
             "samples (np.sum); don't divide by n or take the mean again",
             each(lambda d, c, x, y, w: w / len(x))),
        ], rtol=1e-6) or precedence_slip(sine_fit_grad, cases, want_all)
        if slip:
            raise Hint(slip)
        raise Hint(f"at c = {fmt(c)} on {len(x)} samples expected "
                   f"{fmt(np.round(want_all[k], 4))}, got {fmt(np.round(got_all[k], 4))}: "
                   f"compare with a numerical gradient (numerical_gradient from lesson 01)")

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
    full-batch gradient-descent steps on the MSE of ``ŷ = c₁x + c₀`` from ``c₁ = c₀ = 0``, on
    four seeded datasets (n = 20, 30, 3 and 1; different η and epoch counts), with copies."""

    def run():
        # two datasets with the same η and epochs (an answer that ignores x, y gives the same
        # pair), then a small one with another η and epoch count, and a single sample
        cases = [(_line_case(5, 20, 2.0, 1.0), 0.03, 25), (_line_case(6, 30, -1.0, 0.5), 0.03, 25),
                 (_line_case(7, 3, 0.5, -2.0), 0.2, 7), (_line_case(8, 1, -1.5, 0.7), 0.1, 4)]
        results = []
        for (x, y), lr, k in cases:
            out = call(fit_line, x, y, lr, k, name="fit_line", finite=False)
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
            results.append(_pair(out, "fit_line", "(c1, c0)"))
        want = [_fit_line(x, y, lr, k) for (x, y), lr, k in cases]
        if close(results, want, rtol=1e-7):
            return ("Matched on four datasets (n = 20, 30, 3 and 1, two step sizes), inputs "
                    "left unchanged. One misplaced line froze ŷ, so every epoch reused the "
                    "first gradient and the coefficients marched on in a straight line past "
                    "the minimum. Every quantity that depends on the parameters must be "
                    "recomputed each step.")
        if close(results[0], results[1]):
            raise Hint("the same answer for two different datasets: does fit_line use the "
                       "notebook's x_line, y_line instead of its arguments x, y?")

        def each(**kw):
            out = []
            for (x, y), lr, k in cases:
                epochs = kw.get("epochs", lambda k: k)(k)
                opts = {key: (v(len(x)) if callable(v) else v) for key, v in kw.items()
                        if key != "epochs"}
                out.append(_fit_line(x, y, lr, epochs, **opts))
            return out

        slip = explain(results, [
            ("same result as the buggy loop: ŷ is computed once, before the loop, so every "
             "epoch reuses the first gradient. Compute ŷ from the current c1, c0 inside the "
             "loop", each(stale=True)),
            ("right numbers, swapped: return (c1, c0)", [w[::-1] for w in want]),
            ("sign flipped: gradient descent steps *against* the gradient, c ← c − η ∂L/∂c",
             each(sign=-1.0)),
            ("one epoch short: range(num_epochs) runs exactly num_epochs times; you took one "
             "fewer", each(epochs=lambda k: k - 1)),
            ("one epoch too many: range(num_epochs) runs exactly num_epochs times; you took one "
             "more", each(epochs=lambda k: k + 1)),
            ("only one step was taken: is the `return` inside the loop?",
             each(epochs=lambda k: 1)),
            ("the steps are half as big as they should be: ∂L/∂ŷ = 2(ŷ − y)/n has a 2",
             each(factor=0.5)),
            ("the steps are n× too big: the loss is a mean, so divide by n",
             each(factor=lambda n: float(n))),
            ("the steps are n× too small: ∂L/∂ŷ = 2(ŷ − y)/n already holds the 1/n, so the "
             "gradients are sums over the samples (np.sum); np.mean divides by n again",
             each(factor=lambda n: 1 / n)),
            ("c0's gradient used the *new* c1: compute both gradients from the same ŷ before "
             "changing either coefficient", each(sequential=True)),
            ("c0's gradient is multiplied by x: c0 multiplies 1, so ∂L/∂c0 = Σ ∂L/∂ŷᵢ",
             each(c0_uses_x=True)),
        ], rtol=1e-7) or precedence_slip(fit_line, [(x, y, lr, k) for (x, y), lr, k in cases],
                                         want, rtol=1e-7)
        if slip:
            raise Hint(slip)
        i = next(j for j in range(len(cases)) if not close(results[j], want[j], rtol=1e-7))
        (x, y), lr, k = cases[i]
        raise Hint(f"with η = {fmt(lr)} and {k} epochs on {len(x)} points expected "
                   f"(c1, c0) = {fmt(np.round(want[i], 4))}, got {fmt(np.round(results[i], 4))}"
                   f": start from c1 = c0 = 0, and in each epoch compute ŷ, then both "
                   f"gradients, then update both")

    report(LESSON, "fit_line", run)


# --- Exercise 4: the learning rate that lands in one step -------------------------------------

def check_one_step_lr(one_step_lr) -> None:
    """Exercise 4: ``one_step_lr(c2)`` is the η with ``1 − 2ηc₂ = 0``, i.e. ``1 / (2c₂)``."""

    def run():
        got = {}
        c2s = (2.5, 0.2, 1.0, 0.037, 13.7, 1000.0)
        for c2 in c2s:
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
        if all(np.isclose(lr, 1 / (2 * c2)) for c2, lr in got.items()):
            return ("η = 1/(2c₂) = 1/f'' for every c₂ tried (0.037 to 1000): the step −η f'(w) "
                    "= −w cancels w exactly. On a parabola the ideal step is slope ÷ "
                    "curvature; twice that, 1/c₂, is the edge of stability.")
        slip = precedence_slip(one_step_lr, [(c2,) for c2 in c2s], [1 / (2 * c2) for c2 in c2s])
        if slip:
            raise Hint(slip)
        c = np.array(c2s)
        lrs = [got[c2] for c2 in c2s]
        slip = explain(lrs, [
            ("η = 1/c₂ is the edge of stability: the factor 1 − 2ηc₂ is −1, so w jumps to −w "
             "and back forever. Halve it", 1 / c),
            ("2c₂ is the curvature f''(w) itself: the η you need is 1 over something", 2 * c),
            ("η grows with c₂ in your answer, but a sharper parabola needs a smaller step: "
             "invert it", c / 2),
            ("η = c₂ grows with the curvature, but a sharper parabola needs a smaller step", c),
            ("η = 2/c₂ makes the factor 1 − 2ηc₂ = −3: every step triples the distance. Look "
             "for the η that makes the factor 0", 2 / c),
            ("η = 1/(4c₂) makes the factor 1/2: the step goes only half way", 1 / (4 * c)),
        ], rtol=1e-5)
        if slip:
            raise Hint(slip)
        c2 = next(c2 for c2 in c2s if not np.isclose(got[c2], 1 / (2 * c2)))
        lr = got[c2]
        if lr <= 0:
            raise Hint(f"one_step_lr({fmt(c2)}) = {fmt(lr)}: η must be positive, a negative η "
                       f"walks uphill")
        factor = 1 - 2 * lr * c2
        raise Hint(f"with c₂ = {fmt(c2)} and your η = {fmt(lr)}, one step multiplies w by "
                   f"1 − 2ηc₂ = {fmt(round(factor, 4))}; it lands on 0 only when that factor "
                   f"is 0")

    report(LESSON, "one_step_lr", run)

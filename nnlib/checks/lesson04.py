"""Lesson 04 checks: ReLU, a ReLU neuron on a batch, a one-neuron AND gate, and a two-input
training loop with one bug.

Every expected value is computed here from the maths, never from the learner's code.
"""

from __future__ import annotations

import numpy as np

from ._core import Exercise, Hint, array, call, check_all, close, fmt, ladder, register, report

__all__ = ["check_my_relu", "check_neuron", "check_and_gate", "check_train_two_inputs",
           "check_all", "hint", "show_solution"]

LESSON = "04"
register(LESSON, [
    Exercise("my_relu", kind="implement",
             idea="Every entry on its own: keep it if it is positive, replace it by 0 if not. "
                  "Python's max compares two numbers, not arrays; NumPy has an elementwise "
                  "version.",
             formula="relu(z) = max(0, z) for every entry: np.maximum(0, z) (not max, not "
                     "np.max)"),
    Exercise("neuron", kind="implement",
             idea="Each row of X is one sample. A dot product of every row with w gives one "
                  "pre-activation per sample; then add the bias and apply ReLU.",
             formula="Z = X w + b, shape (n, n_in) @ (n_in,) → (n,); a = relu(Z)"),
    Exercise("and_gate", kind="design",
             idea="With inputs 0 or 1 the weighted sum is 0, w₁, w₂ or w₁ + w₂. The neuron "
                  "fires when that sum beats the threshold −b. Put the threshold between "
                  "'one input' and 'both inputs'.",
             formula="need b ≤ 0, w₁ + b ≤ 0, w₂ + b ≤ 0 and w₁ + w₂ + b > 0; e.g. both "
                     "weights 1 and −b between 1 and 2"),
    Exercise("train_two_inputs", kind="debug",
             idea="Print the shape of each gradient. dw must have one number per weight, "
                  "shape (2,). What shape does np.sum(X.T * dz) have, and what does it add "
                  "up?",
             formula="∂L/∂wⱼ = Σᵢ ∂L/∂zᵢ · Xᵢⱼ, a sum over the samples only: "
                     "dw = X.T @ dz, shape (2, n) @ (n,) → (2,)"),
])
hint, show_solution = ladder(LESSON)


# --- Exercise 1: ReLU ---------------------------------------------------------------------------

def check_my_relu(my_relu) -> None:
    """Exercise 1: ``my_relu(z)`` is ``max(0, z)`` elementwise, same shape as z, z unchanged."""

    def run():
        z = np.array([-3.0, -0.5, 0.0, 0.5, 2.0])
        z_in = z.copy()
        out = call(my_relu, z_in, name="my_relu")
        if not np.array_equal(z_in, z):
            raise Hint("my_relu changed the array it was given (z[z < 0] = 0 writes into the "
                       "caller's array): build a new one, e.g. with np.maximum")
        if np.ndim(out) == 0 and not isinstance(out, (list, tuple)):
            if np.isclose(float(out), z.max()):
                raise Hint("returned one number, the largest entry: np.max(z) reduces the "
                           "array; np.maximum(0, z) compares every entry with 0")
            raise Hint(f"returned one number ({fmt(out)}): ReLU keeps every entry, one "
                       f"output per input")
        got = array(out, "my_relu's result")
        if got.shape != z.shape:
            raise Hint(f"returned shape {fmt(got.shape)} for input shape {fmt(z.shape)}: keep "
                       f"every entry (set negatives to 0), don't filter them out")
        want = np.maximum(0, z)
        if not close(got, want):
            pos, neg = z > 0, z < 0
            if close(got, np.clip(z, 0, 1)):
                raise Hint("values above 1 were cut to 1: ReLU has no upper limit, only the "
                           "lower one at 0")
            if close(got, (z > 0).astype(float)):
                raise Hint("that is the step 𝟙[z > 0]: ReLU passes positive values through "
                           "unchanged (0.5 stays 0.5)")
            if np.any(got[neg] != 0):
                raise Hint(f"negative entries must become 0: my_relu({fmt(z)}) should be "
                           f"{fmt(want)}, got {fmt(got)}")
            if not close(got[pos], z[pos]):
                raise Hint("positive values must pass through unchanged")
            raise Hint(f"my_relu({fmt(z)}) should be {fmt(want)}, got {fmt(got)}")
        grid = np.array([[-1.0, 2.0], [3.0, -4.0]])
        got2 = array(call(my_relu, grid.copy(), name="my_relu"),
                     "my_relu's result on a 2-D array")
        if not close(got2, np.maximum(0, grid)):
            raise Hint(f"works on a 1-D array but not on the 2-D {fmt(grid)}: expected "
                       f"{fmt(np.maximum(0, grid))}, got {fmt(got2)}. Use np.maximum(0, z)")
        return "ReLU keeps positive values and turns negative ones into 0, entry by entry."

    report(LESSON, "my_relu", run)


# --- Exercise 2: a ReLU neuron on a batch ---------------------------------------------------------

def check_neuron(neuron) -> None:
    """Exercise 2: ``neuron(X, w, b)`` returns ``relu(X @ w + b)``, shape (n,)."""

    def run():
        X = np.array([[1.0, 2.0, 3.0], [0.0, 0.0, 0.0], [-1.0, 0.5, 2.0], [-2.0, -1.0, 0.0]])
        w, b = np.array([3.0, 4.0, 5.0]), -4.0
        cases = [(X, w, b), (X, np.array([-1.0, 2.0, 0.5]), 1.0)]
        outs = [call(neuron, Xc.copy(), wc.copy(), bc, name="neuron") for Xc, wc, bc in cases]
        if all(np.size(o) == len(X) for o in outs) and close(
                np.asarray(outs[0], dtype=float), np.asarray(outs[1], dtype=float)):
            raise Hint("the same output for different weights: does neuron use the notebook's "
                       "global w or b instead of its arguments?")
        for (Xc, wc, bc), out in zip(cases, outs, strict=True):
            n, n_in = Xc.shape
            if np.shape(out) == (n, n_in):
                raise Hint(f"returned shape {fmt(np.shape(out))}, one number per input per "
                           f"sample: `X * w` multiplies entry by entry. A neuron adds the "
                           f"products up: use the matrix product X @ w, (n, n_in) @ (n_in,) → (n,)")
            if np.shape(out) == (n_in,):
                raise Hint(f"returned shape {fmt((n_in,))}: you summed down the columns "
                           f"(over the samples). Each sample is a row: X @ w gives one number "
                           f"per row, shape ({n},)")
            got = array(out, "neuron's result", shape=(n,))
            z = Xc @ wc + bc
            want = np.maximum(0, z)
            if close(got, want):
                continue
            if close(got, z):
                raise Hint(f"negative outputs ({fmt(got[z < 0])}): that is the pre-activation "
                           f"z = X @ w + b; apply relu to it")
            if close(got, np.maximum(0, Xc @ wc)):
                raise Hint("the bias is missing: a = relu(X @ w + b)")
            if close(got, np.maximum(0, Xc @ wc) + bc):
                raise Hint("the bias goes inside: relu(X @ w + b), not relu(X @ w) + b")
            if close(got, Xc @ wc):
                raise Hint("both the bias and the ReLU are missing: a = relu(X @ w + b)")
            if close(got, np.maximum(0, Xc @ wc - bc)):
                raise Hint("the bias is subtracted: z = X @ w + b")
            raise Hint(f"for X = {fmt(Xc)}, w = {fmt(wc)}, b = {fmt(bc)} expected "
                       f"{fmt(want)}, got {fmt(got)}")
        return ("(4, 3) @ (3,) → (4,): one dot product per row, then + b broadcast to every "
                "row, then relu entry by entry. The same line serves one sample or a million.")

    report(LESSON, "neuron", run)


# --- Exercise 3: an AND gate -------------------------------------------------------------------

def check_and_gate(and_gate) -> None:
    """Exercise 3: ``and_gate()`` gives ``(w, b)`` with ``w · x + b > 0`` only at (1, 1)."""

    def run():
        out = call(and_gate, name="and_gate")
        if not isinstance(out, (tuple, list)) or len(out) != 2:
            raise Hint(f"return two things, the weights and the bias: return w, b "
                       f"(got {fmt(out)})")
        w, b = out
        try:
            w = np.asarray(w, dtype=float).reshape(-1)
            b = float(np.asarray(b, dtype=float).reshape(-1)[0]) if np.size(b) == 1 else None
        except (TypeError, ValueError):
            raise Hint("w must be two numbers and b one number") from None
        if b is None:
            raise Hint(f"b has {np.size(out[1])} numbers: a neuron has one bias")
        if w.shape != (2,):
            raise Hint(f"w has {w.size} number{'' if w.size == 1 else 's'}: the neuron has two "
                       f"inputs, so two weights")
        X = np.array([[0.0, 0.0], [0.0, 1.0], [1.0, 0.0], [1.0, 1.0]])
        z = X @ w + b
        fires = (z > 0).astype(int)
        if fires.tolist() == [0, 0, 0, 1]:
            return (f"w = {fmt(w)}, b = {fmt(b)}: one input gives at most {fmt(max(w) + b)}, "
                    f"both give {fmt(w.sum() + b)}. The threshold −b = {fmt(-b)} sits between "
                    f"'one' and 'both'.")
        if fires.tolist() == [0, 1, 1, 1]:
            raise Hint("that is OR: one input alone is enough. Make b more negative, so that "
                       "only both inputs together pass the threshold")
        if fires[0]:
            raise Hint(f"the neuron fires with no input at all: for x = (0, 0) only b = "
                       f"{fmt(b)} is left, so b must be 0 or negative")
        if fires[3] == 0 and np.isclose(z[3], 0):
            raise Hint("for (1, 1), z = w₁ + w₂ + b = 0 exactly, and the step fires only for "
                       "z > 0: move b up a little")
        if fires[3] == 0:
            raise Hint(f"the neuron does not fire for (1, 1): w₁ + w₂ + b = {fmt(z[3])} must "
                       f"be > 0; raise the weights or make b less negative")
        alone = [i + 1 for i in (0, 1) if fires[2 - i]]
        raise Hint(f"the neuron fires for input {' and '.join(f'x{_sub(i)}' for i in alone)} "
                   f"alone: each weight alone must stay at or below the threshold −b = "
                   f"{fmt(-b)}")

    report(LESSON, "and_gate", run)


def _sub(i: int) -> str:
    return "₁₂"[i - 1]


# --- Exercise 4: the two-input training loop with one bug ----------------------------------

def _two_input_case(seed: int, n: int, w_true, b_true):
    rng = np.random.default_rng(seed)
    X = rng.uniform(-2, 2, (n, 2))
    return X, np.maximum(0, X @ np.asarray(w_true) + b_true) + rng.normal(0, 0.1, n)


def _train(X, y, lr, k, *, total=False, gate=True, sign=1.0, factor=1.0, b_uses_dw=False,
           w_scale=1.0, b_scale=1.0):
    """The reference loop and its typical slips, from the maths."""
    w, b = np.array([0.5, 0.5]), 0.5
    n = len(y)
    with np.errstate(all="ignore"):
        for _ in range(k):
            z = X @ w + b
            dz = factor * 2 * (np.maximum(0, z) - y) / n * ((z > 0) if gate else 1.0)
            dw = np.sum(X.T * dz) if total else X.T @ dz
            w = w - sign * lr * w_scale * dw
            b = b - sign * lr * b_scale * (np.sum(dw) if b_uses_dw else np.sum(dz))
    return w, b


def _on_the_checks_data(message: str, X) -> str:
    """Name the check's own data in a shape message: its n differs from the notebook's X2."""
    n, n_in = X.shape
    if "shapes" in message and f"({n_in},)" in message and f"({n},)" in message:
        return (f"an update had shape ({n},), one number per sample, but w has shape "
                f"({n_in},) (the check runs your function on its own data: X of shape "
                f"({n}, {n_in}), so n = {n} here). X.T * dz has shape ({n_in}, n): summing it "
                f"over axis=0 adds up the inputs; sum over the samples instead: X.T @ dz, "
                f"shape ({n_in}, n) @ (n,) → ({n_in},)")
    if "shapes" in message:
        return (f"{message} (The check runs your function on its own data: X of shape "
                f"({n}, {n_in}).)")
    return message


def check_train_two_inputs(train_two_inputs) -> None:
    """Exercise 4: ``train_two_inputs(X, y, lr, num_epochs)`` returns ``(w, b)`` after
    ``num_epochs`` full-batch gradient steps on the MSE of ``relu(X @ w + b)``."""

    def run():
        # same η and epochs, different data: an answer that ignores X, y gives the same result
        cases = [(_two_input_case(11, 30, (1.0, -2.0), 0.5), 0.1, 60),
                 (_two_input_case(12, 25, (-1.5, 0.5), 1.0), 0.1, 60)]
        results = []
        for (X, y), lr, k in cases:
            try:
                out = call(train_two_inputs, X.copy(), y.copy(), lr, k, name="train_two_inputs",
                           finite=False)
            except Hint as slip:
                raise Hint(_on_the_checks_data(str(slip), X)) from None
            if not isinstance(out, (tuple, list)) or len(out) != 2:
                raise Hint(f"return two things, (w, b): got {fmt(out)}")
            w = array(out[0], "the returned w") if np.all(np.isfinite(
                np.asarray(out[0], dtype=float))) else None
            if w is None or not np.isfinite(np.asarray(out[1], dtype=float)).all():
                raise Hint("w or b blew up to inf/nan: each step must subtract η × gradient, "
                           "with the gradient averaged over the samples (the 1/n)")
            if w.shape != (2,):
                raise Hint(f"the returned w has shape {fmt(w.shape)}, expected (2,): one "
                           f"weight per input. dw must be a sum over the samples only")
            if np.size(out[1]) != 1:
                raise Hint(f"the returned b has shape {fmt(np.shape(out[1]))}: b is one number, "
                           f"so ∂L/∂b = Σᵢ ∂L/∂zᵢ sums over every sample")
            results.append((w, float(np.asarray(out[1]).reshape(-1)[0])))
        if close(results[0][0], results[1][0]) and np.isclose(results[0][1], results[1][1]):
            raise Hint("the same (w, b) for two different datasets: does train_two_inputs use "
                       "the notebook's X2, y2 instead of its arguments X, y?")
        for ((X, y), lr, k), (w, b) in zip(cases, results, strict=True):
            want_w, want_b = _train(X, y, lr, k)
            got = np.r_[w, b]
            if close(got, np.r_[want_w, want_b], rtol=1e-7):
                continue
            slips = [
                (dict(total=True),
                 "w₁ and w₂ still get the same update: np.sum(X.T * dz) adds up both rows "
                 "into one number. Sum over the samples only: X.T @ dz, shape (2,)"),
                (dict(gate=False),
                 "the ReLU's slope 𝟙[z > 0] is missing from ∂L/∂z: samples where the neuron "
                 "is off must contribute nothing"),
                (dict(sign=-1.0),
                 "sign flipped: gradient descent steps *against* the gradient, w ← w − η ∂L/∂w"),
                (dict(factor=0.5),
                 "the steps are half as big as they should be: ∂L/∂ŷ = 2(ŷ − y)/n has a 2"),
                (dict(factor=float(len(y))),
                 f"the steps are n = {len(y)}× too big: the loss is a mean, so divide by n"),
                (dict(w_scale=1 / len(y), b_scale=1 / len(y)),
                 f"the steps are n = {len(y)}× too small: dz already holds the 1/n of the mean, "
                 f"so ∂L/∂w and ∂L/∂b are sums over the samples; np.mean divides by n again"),
                (dict(w_scale=1 / len(y)),
                 f"w's steps are n = {len(y)}× too small: dz already holds the 1/n of the mean, "
                 f"so ∂L/∂w = Σᵢ ∂L/∂zᵢ Xᵢ is a sum (X.T @ dz); np.mean divides by n again"),
                (dict(b_scale=1 / len(y)),
                 f"b's steps are n = {len(y)}× too small: dz already holds the 1/n of the mean, "
                 f"so ∂L/∂b = Σᵢ ∂L/∂zᵢ is a sum; np.mean(dz) divides by n again"),
                (dict(b_uses_dw=True),
                 "b was updated with the weights' gradient: ∂L/∂b = Σᵢ ∂L/∂zᵢ"),
            ]
            for kwargs, message in slips:
                ww, bb = _train(X, y, lr, k, **kwargs)
                if np.all(np.isfinite(np.r_[ww, bb])) and close(got, np.r_[ww, bb], rtol=1e-7):
                    raise Hint(message)
            for kk, message in [(k - 1, f"one epoch short: {k} were asked for, you took {k - 1}"),
                                (k + 1, f"one epoch too many: {k} were asked for, you took "
                                        f"{k + 1}"),
                                (1, "only one step was taken: is the `return` inside the "
                                    "loop?")]:
                if close(got, np.r_[_train(X, y, lr, kk)], rtol=1e-7):
                    raise Hint(message)
            raise Hint(f"with η = {fmt(lr)} and {k} epochs expected w = "
                       f"{fmt(np.round(want_w, 4))}, b = {fmt(round(float(want_b), 4))}; got "
                       f"w = {fmt(np.round(w, 4))}, b = {fmt(round(b, 4))}")
        return ("np.sum over the whole array merged the two columns, so both weights moved in "
                "lockstep. Xᵀ @ dz sums over the samples only and keeps one number per "
                "weight: the shape of a gradient always matches the shape of its parameter.")

    report(LESSON, "train_two_inputs", run)

"""Lesson 04 checks: ReLU, a ReLU neuron on a batch, a one-neuron AND gate, and a two-input
training loop with one bug.

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
    number,
    precedence_slip,
    register,
    report,
    rounded,
    sequence,
)

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

def _relu_inputs() -> list:
    """The worked example, then seeded arrays in every regime: values between 0 and 0.5,
    above 3 and large, negative fractions; 2-D and 3-D; one entry; no entries."""
    rng = np.random.default_rng(404)
    return [np.array([-3.0, -0.5, 0.0, 0.5, 2.0]),
            np.array([[-1.0, 2.0], [3.0, -4.0]]),
            np.round(rng.uniform(-1, 1, 12), 3),
            np.round(rng.uniform(-0.5, 0.5, (3, 4)), 3),
            np.round(rng.normal(0, 50, (2, 3, 2)), 2),
            np.array([7.25]), np.zeros(0)]


def check_my_relu(my_relu) -> None:
    """Exercise 1: ``my_relu(z)`` is ``max(0, z)`` elementwise, same shape as z, z unchanged;
    checked on seven arrays (1-D, 2-D, 3-D, one entry, empty; values from about −110 to 57,
    several between 0 and 0.5 and above 3), on copies."""

    def run():
        zs = _relu_inputs()
        gots = []
        for z in zs:
            out = call(my_relu, z, name="my_relu")
            if np.ndim(out) == 0 and not isinstance(out, (list, tuple)) and z.size > 1:
                if np.isclose(float(np.asarray(out, dtype=float)), z.max()):
                    raise Hint("returned one number, the largest entry: np.max(z) reduces the "
                               "array; np.maximum(0, z) compares every entry with 0")
                raise Hint(f"returned one number ({fmt(out)}): ReLU keeps every entry, one "
                           f"output per input")
            got = array(out, "my_relu's result")
            if got.shape != z.shape:
                if z.ndim > 1 and gots:
                    raise Hint(f"works on a 1-D array but returns shape {fmt(got.shape)} for "
                               f"the {z.ndim}-D input of shape {fmt(z.shape)}: ReLU acts "
                               f"entry by entry on any shape. Use np.maximum(0, z)")
                raise Hint(f"returned shape {fmt(got.shape)} for input shape {fmt(z.shape)}: "
                           f"keep every entry (set negatives to 0), don't filter them out")
            gots.append(got)
        want = [np.maximum(0, z) for z in zs]
        if all(close(g, w) for g, w in zip(gots, want, strict=True)):
            every = np.concatenate([z.ravel() for z in zs])
            return (f"ReLU keeps positive values (here from {fmt(every[every > 0].min())} to "
                    f"{fmt(every.max())}) and turns negative ones (down to {fmt(every.min())}) "
                    f"into 0, entry by entry, on arrays of 1, 2 and 3 axes, and leaves its "
                    f"input unchanged.")
        flat_z = np.concatenate([z.ravel() for z in zs])
        flat_g = np.concatenate([g.ravel() for g in gots])
        flat_w = np.maximum(0, flat_z)
        kept = flat_z > 0
        cut = flat_g.max() if flat_g.size else 0
        slip = explain([flat_g], [
            ("that is the step 𝟙[z > 0]: ReLU passes positive values through unchanged "
             "(0.5 stays 0.5)", [(flat_z > 0).astype(float)]),
            ("negative entries must become 0, not their size: that is |z|, ReLU is max(0, z)",
             [np.abs(flat_z)]),
            (f"values above {fmt(cut)} were cut to {fmt(cut)}: ReLU has no upper limit, only "
             f"the lower one at 0", [np.minimum(flat_w, cut)]),
        ]) or rounded([flat_g], [flat_w])
        if slip:
            raise Hint(slip)
        dropped = kept & (flat_g == 0)
        if dropped.any() and np.all(flat_g[~dropped] == flat_w[~dropped]):
            small = flat_z[dropped].max()
            passed = kept & ~dropped
            above = (f", while {fmt(flat_z[passed].min())} and above were kept: a threshold "
                     f"above 0?" if passed.any() else "")
            raise Hint(f"positive values up to {fmt(small)} were set to 0{above} ReLU keeps "
                       f"every positive value (0.3 stays 0.3); only values below 0 become 0"
                       .replace("0 ReLU", "0: ReLU"))
        neg = flat_z < 0
        if np.any(flat_g[neg] != 0):
            i = int(np.argmax(neg & (flat_g != 0)))
            raise Hint(f"negative entries must become 0: my_relu gave {fmt(flat_g[i])} for "
                       f"{fmt(flat_z[i])}")
        i = int(np.argmax(~np.isclose(flat_g, flat_w)))
        raise Hint(f"positive values must pass through unchanged: my_relu gave "
                   f"{fmt(flat_g[i])} for {fmt(flat_z[i])}")

    report(LESSON, "my_relu", run)


# --- Exercise 2: a ReLU neuron on a batch ---------------------------------------------------------

def _neuron_cases() -> list:
    """The worked batch, the same batch with other weights, then seeded ones: one sample, one
    input, large and fractional weights, a fractional bias given as a NumPy scalar."""
    rng = np.random.default_rng(405)
    X = np.array([[1.0, 2.0, 3.0], [0.0, 0.0, 0.0], [-1.0, 0.5, 2.0], [-2.0, -1.0, 0.0]])
    return [(X, np.array([3.0, 4.0, 5.0]), -4.0),
            (X, np.array([-1.0, 2.0, 0.5]), 1.0),
            (np.round(rng.uniform(-2, 2, (6, 2)), 3), np.round(rng.uniform(-1, 1, 2), 3), 0.35),
            (np.array([[0.25, -0.75, 1.5]]), np.array([2.0, -0.5, 0.125]), -0.3),
            (np.round(rng.normal(0, 20, (5, 1)), 2), np.array([0.45]), np.float64(-2.5))]


def check_neuron(neuron) -> None:
    """Exercise 2: ``neuron(X, w, b)`` returns ``relu(X @ w + b)``, shape (n,), on five batches
    (one sample, one input, fractional and large values), on copies."""

    def run():
        cases = _neuron_cases()
        outs = [call(neuron, Xc, wc, bc, name="neuron") for Xc, wc, bc in cases[:2]]
        if all(np.size(o) == len(cases[0][0]) for o in outs[:2]) and close(
                np.asarray(outs[0], dtype=float), np.asarray(outs[1], dtype=float)):
            raise Hint("the same output for different weights: does neuron use the notebook's "
                       "global w or b instead of its arguments?")
        outs += [call(neuron, Xc, wc, bc, name="neuron") for Xc, wc, bc in cases[2:]]
        gots = []
        for (Xc, _w, _b), out in zip(cases, outs, strict=True):
            n, n_in = Xc.shape
            if n != n_in and np.shape(out) == (n, n_in):
                raise Hint(f"returned shape {fmt(np.shape(out))}, one number per input per "
                           f"sample: `X * w` multiplies entry by entry. A neuron adds the "
                           f"products up: use the matrix product X @ w, (n, n_in) @ (n_in,) → (n,)")
            if n != n_in and np.shape(out) == (n_in,):
                raise Hint(f"returned shape {fmt((n_in,))}: you summed down the columns "
                           f"(over the samples). Each sample is a row: X @ w gives one number "
                           f"per row, shape ({n},)")
            gots.append(array(out, "neuron's result", shape=(n,)))
        want = [np.maximum(0, X @ w + b) for X, w, b in cases]
        if all(close(g, v) for g, v in zip(gots, want, strict=True)):
            return ("(4, 3) @ (3,) → (4,): one dot product per row, then + b broadcast to every "
                    "row, then relu entry by entry; matched on five batches (one sample, one "
                    "input among them). The same line serves one sample or a million.")

        def each(f):
            return [np.concatenate([np.ravel(f(X, w, b)) for X, w, b in cases])]

        flat = [np.concatenate([g.ravel() for g in gots])]
        slip = explain(flat, [
            ("negative outputs: that is the pre-activation z = X @ w + b; apply relu to it",
             each(lambda X, w, b: X @ w + b)),
            ("the bias is missing: a = relu(X @ w + b)",
             each(lambda X, w, b: np.maximum(0, X @ w))),
            ("the bias goes inside: relu(X @ w + b), not relu(X @ w) + b",
             each(lambda X, w, b: np.maximum(0, X @ w) + b)),
            ("both the bias and the ReLU are missing: a = relu(X @ w + b)",
             each(lambda X, w, b: X @ w)),
            ("the bias is subtracted: z = X @ w + b",
             each(lambda X, w, b: np.maximum(0, X @ w - b))),
        ]) or rounded(flat, [np.concatenate([v.ravel() for v in want])]) or precedence_slip(
            neuron, cases, want)
        if slip:
            raise Hint(slip)
        k = next(i for i in range(len(cases)) if not close(gots[i], want[i]))
        Xc, wc, bc = cases[k]
        raise Hint(f"for X = {fmt(Xc)}, w = {fmt(wc)}, b = {fmt(bc)} expected "
                   f"{fmt(want[k])}, got {fmt(gots[k])}")

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
        if np.ndim(w) == 0 and np.size(b) == 2:
            raise Hint("the two are swapped: return (w, b), the two weights first, then the "
                       "bias")
        w = sequence(w, "w", 2, "one weight per input")
        if np.ndim(b) == 1 and np.size(b) == 1:
            b = b[0]   # a bias written as a one-element list or array
        if np.size(b) != 1:
            raise Hint(f"b has {np.size(b)} numbers: a neuron has one bias")
        b = number(b, "b")
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
           w_scale=1.0, b_scale=1.0, start=0.5):
    """The reference loop and its typical slips, from the maths."""
    w, b = np.array([start, start]), start
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
    ``num_epochs`` full-batch gradient steps on the MSE of ``relu(X @ w + b)``, on four seeded
    datasets (n = 30, 25, 7 and 1; two η and epoch counts), on copies."""

    def run():
        # two datasets with the same η and epochs (an answer that ignores X, y gives the same
        # result), then a small one with another η and epoch count, and a single sample
        cases = [(_two_input_case(11, 30, (1.0, -2.0), 0.5), 0.1, 60),
                 (_two_input_case(12, 25, (-1.5, 0.5), 1.0), 0.1, 60),
                 (_two_input_case(13, 7, (0.5, 0.25), 0.3), 0.05, 15),
                 (_two_input_case(14, 1, (2.0, 1.0), 1.5), 0.1, 5)]
        results = []
        for (X, y), lr, k in cases:
            try:
                out = call(train_two_inputs, X, y, lr, k, name="train_two_inputs",
                           finite=False)
            except Hint as slip:
                raise Hint(_on_the_checks_data(str(slip), X)) from None
            if not isinstance(out, (tuple, list)) or len(out) != 2:
                raise Hint(f"return two things, (w, b): got {fmt(out)}")
            if np.size(out[0]) == 1 and np.size(out[1]) == 2:
                raise Hint("the two are swapped: return (w, b), the weights first, then the "
                           "bias")
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
            results.append(np.r_[w, number(np.asarray(out[1]).reshape(-1)[0], "b")])
        want = [np.r_[_train(X, y, lr, k)] for (X, y), lr, k in cases]
        if all(close(g, v, rtol=1e-7) for g, v in zip(results, want, strict=True)):
            return ("Matched on four datasets (n = 30, 25, 7 and 1, two step sizes), inputs "
                    "left unchanged. np.sum over the whole array merged the two columns, so "
                    "both weights moved in lockstep. Xᵀ @ dz sums over the samples only and "
                    "keeps one number per weight: the shape of a gradient always matches the "
                    "shape of its parameter.")

        def each(epochs=None, **kw):
            out = []
            for (X, y), lr, k in cases:
                opts = {key: (v(len(y)) if callable(v) else v) for key, v in kw.items()}
                out.append(np.r_[_train(X, y, lr, epochs(k) if epochs else k, **opts)])
            return out

        slip = explain(results, [
            ("w₁ and w₂ still get the same update: np.sum(X.T * dz) adds up both rows into "
             "one number. Sum over the samples only: X.T @ dz, shape (2,)", each(total=True)),
            ("the ReLU's slope 𝟙[z > 0] is missing from ∂L/∂z: samples where the neuron is off "
             "must contribute nothing", each(gate=False)),
            ("sign flipped: gradient descent steps *against* the gradient, w ← w − η ∂L/∂w",
             each(sign=-1.0)),
            ("the steps are half as big as they should be: ∂L/∂ŷ = 2(ŷ − y)/n has a 2",
             each(factor=0.5)),
            ("the steps are n× too big: the loss is a mean, so divide by n",
             each(factor=lambda n: float(n))),
            ("the steps are n× too small: dz already holds the 1/n of the mean, so ∂L/∂w and "
             "∂L/∂b are sums over the samples; np.mean divides by n again",
             each(w_scale=lambda n: 1 / n, b_scale=lambda n: 1 / n)),
            ("w's steps are n× too small: dz already holds the 1/n of the mean, so ∂L/∂w = "
             "Σᵢ ∂L/∂zᵢ Xᵢ is a sum (X.T @ dz); np.mean divides by n again",
             each(w_scale=lambda n: 1 / n)),
            ("b's steps are n× too small: dz already holds the 1/n of the mean, so ∂L/∂b = "
             "Σᵢ ∂L/∂zᵢ is a sum; np.mean(dz) divides by n again",
             each(b_scale=lambda n: 1 / n)),
            ("b was updated with the weights' gradient: ∂L/∂b = Σᵢ ∂L/∂zᵢ",
             each(b_uses_dw=True)),
            ("one epoch short: range(num_epochs) runs exactly num_epochs times; you took one "
             "fewer", each(epochs=lambda k: k - 1)),
            ("one epoch too many: range(num_epochs) runs exactly num_epochs times; you took "
             "one more", each(epochs=lambda k: k + 1)),
            ("only one step was taken: is the `return` inside the loop?",
             each(epochs=lambda k: 1)),
            ("the start is w = (0, 0), b = 0, not w = (0.5, 0.5), b = 0.5: then z = 0 for every "
             "sample, the ReLU's slope is 0 and nothing ever moves", each(start=0.0)),
        ], rtol=1e-7)
        if slip:
            raise Hint(slip)
        if close(results[0], results[1]):
            raise Hint("the same (w, b) for two different datasets: does train_two_inputs use "
                       "the notebook's X2, y2 instead of its arguments X, y?")
        i = next(j for j in range(len(cases)) if not close(results[j], want[j], rtol=1e-7))
        (X, y), lr, k = cases[i]
        raise Hint(f"with η = {fmt(lr)} and {k} epochs on {len(y)} samples expected w = "
                   f"{fmt(np.round(want[i][:2], 4))}, b = {fmt(round(float(want[i][2]), 4))}; "
                   f"got w = {fmt(np.round(results[i][:2], 4))}, "
                   f"b = {fmt(round(float(results[i][2]), 4))}")

    report(LESSON, "train_two_inputs", run)

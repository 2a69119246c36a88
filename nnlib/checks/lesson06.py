"""Lesson 06 exercises: backprop by hand, predicting what repeated ``backward()`` calls leave,
and the whole backward pass of a 2-layer tanh network, trained with.

Answers are compared with the maths: hand-derived derivatives, the accumulation rule of
:class:`~nnlib.engine.Value`, and for the network closed-form gradients that the lesson
tests confirm against finite differences. Each check prints one line: ✓ with an insight or
✗ with a hint that names the slip.
"""

from __future__ import annotations

import numpy as np

from . import _diagnose as _d
from ._core import (
    Exercise,
    Hint,
    array,
    call,
    check_all,
    close,
    fmt,
    ladder,
    number,
    ordinal,
    register,
    report,
    sequence,
)

__all__ = ["check_backprop_by_hand", "check_predict_repeated_backward",
           "check_two_layer_backward", "check_all", "hint", "show_solution", "LESSON"]

LESSON = "06"
register(LESSON, [
    Exercise("backprop_by_hand", kind="derive",
             idea="Name the intermediate k = q·r + s, so L = k·u. Walk backwards from "
                  "∂L/∂L = 1: at each node multiply the gradient from above by the local slope.",
             formula="∂L/∂u = k and ∂L/∂k = u; a sum passes it on: ∂L/∂s = u; a product gives "
                     "the other factor: ∂L/∂q = u·r, ∂L/∂r = u·q."),
    Exercise("predict_repeated_backward", kind="predict",
             idea="First find one backward pass's gradients (w reaches L along two paths: "
                  "through g and directly). Then: which of w and g is a leaf, and what does a "
                  "leaf do on a second and third call?",
             formula="∂L/∂g = 2g = 12; ∂L/∂w = ∂L/∂g · x + 1 = 37 per call. A leaf adds each "
                     "call's gradient; a computed value is recomputed."),
    Exercise("two_layer_backward", kind="implement",
             idea="Forward first, keeping A1 and Ŷ. Then walk back: the loss gives dZ2 (with the "
                  "mean's 1/n), the output layer gives dW2, db2 and the gradient for A1, tanh' "
                  "turns that into dZ1, and the hidden layer gives dW1, db1.",
             formula="dZ2 = 2(Ŷ − Y)/n;  dW2 = A1ᵀ dZ2;  db2 = Σ_rows dZ2;  "
                     "dZ1 = (dZ2 W2ᵀ) ⊙ (1 − A1²);  dW1 = Xᵀ dZ1;  db1 = Σ_rows dZ1."),
])
hint, show_solution = ladder(LESSON)


# ---------------------------------------------------------------- exercise 1: backprop_by_hand

def _pair_of(out, n, what):
    if isinstance(out, np.ndarray) and out.ndim == 1:
        out = list(out)
    if not isinstance(out, (tuple, list)) or len(out) != n:
        got = f"{type(out).__name__}" + (f" of length {len(out)}"
                                         if isinstance(out, (tuple, list)) else "")
        raise Hint(f"return a tuple of {n} numbers {what}; got a {got}")
    return out


def _bp_cases():
    """The lesson's point, a non-integer one, values in (0, 1), large values, and random ones."""
    rng = np.random.default_rng(6)
    fixed = [(2.0, -3.0, 10.0, -2.0), (1.5, 0.5, -1.0, 3.0), (0.2, 0.7, 0.05, -0.4),
             (300.0, -120.0, 4000.0, 25.0)]
    return fixed + [tuple(float(v) for v in rng.uniform(-5, 5, size=4)) for _ in range(3)]


def _bp(q, r, s, u):
    return u * r, u * q, u, q * r + s


_BP_SLIPS = [
    (lambda q, r, s, u: (u * q, u * r, u, q * r + s),
     "∂L/∂q and ∂L/∂r are swapped: ∂(q·r)/∂q = r, the *other* factor"),
    (lambda q, r, s, u: (r, q, 1.0, q * r + s),
     "∂L/∂q, ∂L/∂r and ∂L/∂s: you have the local slopes (r, q and 1) but forgot to multiply "
     "each by the gradient from above, ∂L/∂k = u"),
    (lambda q, r, s, u: (r, q, u, q * r + s),
     "∂L/∂q and ∂L/∂r: you have the local slopes (r and q) but forgot to multiply by the "
     "gradient from above, ∂L/∂k = u"),
    (lambda q, r, s, u: (u * r, u * q, 1.0, q * r + s),
     "∂L/∂s: the local slope ∂k/∂s is 1, but the chain rule multiplies it by the gradient from "
     "above, ∂L/∂k = u"),
    (lambda q, r, s, u: (u * r, u * q, u, q * r),
     "∂L/∂u is the other factor of L = k·u, k = q·r + s: you left out s"),
    (lambda q, r, s, u: (-u * r, -u * q, u, q * r + s),
     "∂L/∂q and ∂L/∂r have the wrong sign: each is the gradient from above, u, times the other "
     "factor, with no minus sign"),
    (lambda q, r, s, u: (u * r, u * q, q * r + s, u),
     "∂L/∂s and ∂L/∂u are swapped: ∂L/∂u is the other factor of k·u, k = q·r + s, and "
     "∂L/∂s = ∂L/∂k · 1 = u"),
    (lambda q, r, s, u: tuple(float(round(v)) for v in _bp(q, r, s, u)),
     "your numbers are rounded to whole numbers: return them exactly (no round or int)"),
    (lambda q, r, s, u: tuple(float(int(v)) for v in _bp(q, r, s, u)),
     "your numbers are cut to whole numbers (int): return them exactly"),
]


def check_backprop_by_hand(backprop_by_hand) -> None:
    """``L = (q·r + s)·u``: ``(∂L/∂q, ∂L/∂r, ∂L/∂s, ∂L/∂u) = (u·r, u·q, u, q·r + s)``, at seven
    points (negative, non-integer, in (0, 1), large)."""

    def run():
        results = []
        for q, r, s, u in _bp_cases():
            out = call(backprop_by_hand, q, r, s, u, name="backprop_by_hand")
            got = _pair_of(out, 4, "(dL_dq, dL_dr, dL_ds, dL_du)")
            got = tuple(number(g, f"the {ordinal(k)} number you return")
                        for k, g in enumerate(got, 1))
            results.append(((q, r, s, u), got))
        if all(close(got, _bp(*case)) for case, got in results):
            return ("Each gradient is (gradient from above) × (local slope): that is all "
                    "backprop does.")
        for candidate, text in _BP_SLIPS:
            if _d.explains(lambda case, c=candidate: c(*case), results):
                raise Hint(text)
        names = ("∂L/∂q", "∂L/∂r", "∂L/∂s", "∂L/∂u")
        rules = ("the gradient from above, u, times the local slope r",
                 "the gradient from above, u, times the local slope q",
                 "the gradient from above, u, times the local slope 1",
                 "the other factor of L = k·u, k = q·r + s")
        for (q, r, s, u), got in results:
            want = _bp(q, r, s, u)
            for name, g, w, rule in zip(names, got, want, rules, strict=True):
                if not close(g, w):
                    raise Hint(f"{name} at q = {fmt(q)}, r = {fmt(r)}, s = {fmt(s)}, "
                               f"u = {fmt(u)} should be {fmt(w)}, got {fmt(g)}: it is {rule}")
        raise Hint("not yet")

    report(LESSON, "backprop_by_hand", run)


# ---------------------------------------------------------------- exercise 2: predict

def check_predict_repeated_backward(predict_repeated_backward) -> None:
    """``w, x = 2, 3; g = w·x; L = g² + w``; three ``backward()`` calls: ``w.grad = 3·37``,
    ``g.grad = 12``."""

    def run():
        out = call(predict_repeated_backward, name="predict_repeated_backward")
        w_grad, g_grad = (number(v, f"{what} (the {which} number)") for v, what, which in zip(
            sequence(out, "your prediction", 2, "(w_grad, g_grad)"), ("w_grad", "g_grad"),
            ("first", "second"), strict=True))
        per_call_w, g_once = 2 * 6 * 3 + 1, 2 * 6   # ∂L/∂w = 2g·x + 1, ∂L/∂g = 2g
        if close(w_grad, g_once) and close(g_grad, 3 * per_call_w):
            raise Hint("your two numbers are in the wrong order: return (w_grad, g_grad), w's "
                       "gradient first")
        if close(w_grad, per_call_w):
            raise Hint(f"w_grad = {fmt(w_grad)} is one call's gradient: w is a leaf (you made "
                       f"it with Value(...)), and a leaf adds each call's gradient to what it "
                       f"holds")
        if close(w_grad, 3 * 2 * 6 * 3) or close(w_grad, 2 * 6 * 3):
            raise Hint("w reaches L along two paths, through g and directly (the + w): the "
                       "direct path adds ∂L/∂w = 1 per call")
        if close(w_grad, 3 * (6 * 3 + 1)) or close(w_grad, 6 * 3 + 1):
            raise Hint("∂(g²)/∂g = 2g, not g: the square's local slope has a factor 2")
        if close(w_grad, 2 * per_call_w):
            raise Hint("count the calls: backward() runs three times, and the leaf w adds "
                       "each call's gradient")
        if not close(w_grad, 3 * per_call_w):
            raise Hint(f"w_grad = {fmt(w_grad)} is off: find ∂L/∂w for one call (two paths: "
                       f"via g = w·x and directly), then think about what three calls do")
        if close(g_grad, 3 * g_once):
            raise Hint("g_grad: g is computed (by w * x), not a leaf: its gradient starts again "
                       "from 0 on every call, so three calls leave one call's value")
        if not close(g_grad, g_once):
            raise Hint(f"g_grad = {fmt(g_grad)} is off: L = g² + w, so ∂L/∂g is the local slope "
                       f"of the square, at g = w·x = 6")
        return ("Leaves (inputs, weights) add up the gradients of every call; computed values "
                "are recomputed. That is why a Value training loop needs zero_grad().")

    report(LESSON, "predict_repeated_backward", run)


# ---------------------------------------------------------------- exercise 3: two_layer_backward

def _net_case():
    rng = np.random.default_rng(8)
    X = rng.normal(size=(6, 3))
    Y = rng.normal(size=(6, 1))
    W1, b1 = rng.normal(size=(3, 4)), rng.normal(size=4) * 0.5
    W2, b2 = rng.normal(size=(4, 1)), rng.normal(size=1) * 0.5
    return X, Y, W1, b1, W2, b2


def _net_case2():
    """A second network of other sizes (n = 5, 2 → 3 → 1), inputs in (0, 1) and larger ones,
    targets far from the outputs (gradients above 3, so clipped gradients are caught)."""
    rng = np.random.default_rng(9)
    X = np.column_stack([rng.uniform(0, 1, size=5), rng.uniform(-4, 4, size=5)])
    Y = rng.uniform(-30, 30, size=(5, 1))          # large targets: large gradients
    W1, b1 = rng.normal(size=(2, 3)) * 0.7, rng.uniform(-1, 1, size=3)
    W2, b2 = rng.normal(size=(3, 1)), rng.uniform(-1, 1, size=1)
    return X, Y, W1, b1, W2, b2


def _grads(X, Y, W1, b1, W2, b2, *, scale=None, sign=1.0, deriv="tanh", db_mean=False,
           extra_n=False):
    """The right gradients, or one typical slip of them (used to name the slip)."""
    n = X.shape[0]
    Z1 = X @ W1 + b1
    A1 = np.tanh(Z1)
    Y_hat = A1 @ W2 + b2
    if callable(scale):
        scale = scale(X)
    dZ2 = sign * 2 * (Y_hat - Y) / n if scale is None else scale * (Y_hat - Y)
    local = {"tanh": 1 - A1 ** 2, "relu": (Z1 > 0).astype(float), "none": np.ones_like(A1),
             "A1": A1, "1-A1": 1 - A1, "Z1": 1 - Z1 ** 2}[deriv]
    dZ1 = (dZ2 @ W2.T) * local
    dW1, dW2 = X.T @ dZ1, A1.T @ dZ2
    db1, db2 = dZ1.sum(axis=0), dZ2.sum(axis=0)
    if db_mean:
        db1, db2 = db1 / n, db2 / n
    if extra_n:
        dW1, db1, dW2, db2 = dW1 / n, db1 / n, dW2 / n, db2 / n
    return dW1, db1, dW2, db2


def _mse(X, Y, W1, b1, W2, b2):
    return float(np.mean((np.tanh(X @ W1 + b1) @ W2 + b2 - Y) ** 2))


def _all_close(got, want):
    return all(close(g, w, rtol=1e-6, atol=1e-10) for g, w in zip(got, want, strict=True))


def _diagnose(results):
    """Name the slip that turns the right gradients into the learner's on every case (or None)."""
    got, case = results[0][1], results[0][0]
    n = case[0].shape[0]
    slips = [
        (dict(scale=2.0), f"all four gradients are {n}× too large: L is a mean over the n = "
                          f"{n} samples, so dZ2 = 2(Ŷ − Y)/n"),
        (dict(scale=lambda X: 1.0 / X.shape[0]), "all four gradients are 2× too small: the "
                                                 "square's slope gives a 2, "
                                                 "dZ2 = 2(Ŷ − Y)/n"),
        (dict(scale=1.0), f"all four gradients are {2 * n}× too large: dZ2 = 2(Ŷ − Y)/n needs "
                          f"both the 2 and the 1/n"),
        (dict(scale=lambda X: 2.0 / X.size), "n is X.size, the number of entries of X "
                                             "(n · n_in); the mean is over the samples, "
                                             "n = X.shape[0], the number of rows"),
        (dict(sign=-1.0), "every gradient has the sign flipped: dZ2 = 2(Ŷ − Y)/n, prediction "
                          "minus target"),
        (dict(extra_n=True), "all four gradients are n× too small: you divided by n twice. "
                             "The 1/n is already in dZ2, and Xᵀ dZ sums over samples that "
                             "each carry it"),
        (dict(db_mean=True), "db1 and db2 are n× too small: sum dZ over the rows (the batch), "
                             "don't average; the 1/n is already in dZ2"),
        (dict(deriv="relu"), "dW1 and db1 use the ReLU mask, but this hidden layer is tanh: "
                             "φ'(Z1) = 1 − tanh²(Z1) = 1 − A1²"),
        (dict(deriv="none"), "dW1 and db1 miss the activation's slope: "
                             "dZ1 = (dZ2 W2ᵀ) ⊙ φ'(Z1), with φ'(Z1) = 1 − A1² for tanh"),
        (dict(deriv="A1"), "dZ1 multiplies by A1 = tanh(Z1), but the local slope of tanh is "
                           "its derivative, 1 − A1²"),
        (dict(deriv="1-A1"), "dZ1 multiplies by 1 − A1; the derivative of tanh is 1 − A1², "
                             "with a square"),
        (dict(deriv="Z1"), "dZ1 multiplies by 1 − Z1², the pre-activation squared: the "
                           "derivative of tanh at Z1 is 1 − tanh²(Z1) = 1 − A1²"),
    ]
    for kwargs, text in slips:
        if all(_all_close(g, _grads(*c, **kwargs)) for c, g in results):
            return text
    ratios = []
    for c, g in results:
        w = _grads(*c)
        r = float(np.sum(g[0] * w[0]) / np.sum(w[0] * w[0]))
        ratios.append(r if _all_close(g, [r * v for v in w]) else None)
    if len(results) > 1 and None not in ratios and abs(ratios[0] - 1) > 1e-6:
        fixed = [c[0].shape[0] / r for (c, _), r in zip(results, ratios, strict=True)]
        if np.allclose(fixed, fixed[0], rtol=1e-6) and not np.isclose(fixed[0], n):
            shown = ", ".join(f"{fmt(round(r, 4))}× for n = {c[0].shape[0]}"
                              for (c, _), r in zip(results, ratios, strict=True))
            return (f"all four gradients are off by a factor that depends on the batch "
                    f"({shown}): your function divides by n = {fmt(round(fixed[0], 4))} "
                    f"whatever the batch. Use the number of rows of the argument X, "
                    f"n = X.shape[0]")
    want = _grads(*case)
    ratio = float(np.sum(got[0] * want[0]) / np.sum(want[0] * want[0]))
    if abs(ratio - 1) > 1e-6 and all(_all_close(g, [ratio * w for w in _grads(*c)])
                                     for c, g in results):
        return (f"all four gradients are {fmt(round(ratio, 4))}× the right ones: a constant "
                f"factor is off in dZ2 = 2(Ŷ − Y)/n. Is your n the number of rows of the "
                f"argument X (here {n}), not a variable from the notebook?")
    return None


def _train(fn, steps=150, lr=0.1):
    """Train a 1 → 8 → 1 tanh network on a smooth curve with the learner's gradients."""
    rng = np.random.default_rng(4)
    X = np.linspace(-2.0, 2.0, 40)[:, None]
    Y = np.sin(1.5 * X) + 0.3 * X
    W1, b1 = rng.normal(size=(1, 8)), rng.normal(size=8) * 0.5
    W2, b2 = rng.normal(size=(8, 1)) * 0.5, np.zeros(1)
    start = _mse(X, Y, W1, b1, W2, b2)
    for _ in range(steps):
        out = call(fn, X, Y, W1, b1, W2, b2, name="two_layer_backward")
        params = (W1, b1, W2, b2)
        if not isinstance(out, (tuple, list)) or len(out) != 4 or any(
                np.shape(g) != p.shape for g, p in zip(out, params, strict=True)):
            raise Hint("right for the first network, but for a second one (1 → 8 → 1) your "
                       "gradients do not have the shapes of its W1, b1, W2, b2: does your "
                       "function use its arguments (not variables from the notebook)?")
        dW1, db1, dW2, db2 = (np.asarray(g, dtype=float) for g in out)
        W1, b1 = W1 - lr * dW1, b1 - lr * db1
        W2, b2 = W2 - lr * dW2, b2 - lr * db2
    return start, _mse(X, Y, W1, b1, W2, b2)


def check_two_layer_backward(two_layer_backward) -> None:
    """``two_layer_backward(X, Y, W1, b1, W2, b2)`` → ``(dW1, db1, dW2, db2)`` of the MSE of
    ``tanh(X W1 + b1) W2 + b2``; then 150 gradient-descent steps with them must lower the loss."""

    def run():
        first = _net_case()
        results = [(first, _gradients_of(two_layer_backward, first))]
        second = _net_case2()
        try:
            results.append((second, _gradients_of(two_layer_backward, second)))
        except Hint as hint:
            if _all_close(results[0][1], _grads(*first)):
                raise Hint(f"right for the first network, but for a second one (2 → 3 → 1, "
                           f"n = 5): {str(hint).rstrip('.')}. Does your function use its arguments "
                           f"only (not values computed earlier, or variables from the "
                           f"notebook)?") from None
        if not all(_all_close(got, _grads(*case)) for case, got in results):
            slip = _diagnose(results)
            if slip:
                raise Hint(slip)
            names = ["dW1", "db1", "dW2", "db2"]
            if _all_close(results[0][1], _grads(*first)):
                case, got = results[1]
                wrong = [name for name, g, w in zip(names, got, _grads(*case), strict=True)
                         if not close(g, w)]
                raise Hint(f"right for the first network (n = 6, 3 → 4 → 1), but for a second "
                           f"one (n = 5, 2 → 3 → 1) {', '.join(wrong)} "
                           f"{'is' if len(wrong) == 1 else 'are'} off: does your function use "
                           f"only its arguments (n = X.shape[0], not a number or a variable "
                           f"from the notebook)?")
            case, got = results[0]
            X = case[0]
            want = _grads(*case)
            wrong = [name for name, g, w in zip(names, got, want, strict=True) if not close(g, w)]
            n = X.shape[0]
            averaged = [name for name, g, w in zip(names, got, want, strict=True)
                        if name in wrong and close(g, w / n)]
            if averaged:
                raise Hint(f"{' and '.join(averaged)} {'is' if len(averaged) == 1 else 'are'} "
                           f"n = {n}× too small: the 1/n of the mean is already in "
                           f"dZ2 = 2(Ŷ − Y)/n, so sum over the samples (rows) and never "
                           f"divide by n again (no .mean over the rows)")
            verb = "disagrees" if len(wrong) == 1 else "disagree"
            if wrong == ["dW1", "db1"] or wrong == ["dW1"] or wrong == ["db1"]:
                raise Hint(f"{' and '.join(wrong)} {verb} with finite differences while dW2 "
                           f"and db2 are right: look at dZ1 = (dZ2 W2ᵀ) ⊙ (1 − A1²) and the "
                           f"hidden layer's input, X")
            if set(wrong) <= {"dW2", "db2"}:
                raise Hint(f"{' and '.join(wrong)} {verb} with finite differences: the output "
                           f"layer's input is A1 = tanh(X W1 + b1), so dW2 = A1ᵀ dZ2")
            raise Hint(f"{', '.join(wrong)} {verb} with finite differences: start from "
                       f"dZ2 = 2(Ŷ − Y)/n and follow the δ recursion of section 8")
        start, end = _train(two_layer_backward)
        if not end < 0.5 * start:
            raise Hint(f"the gradients match here, but training with them took the loss from "
                       f"{fmt(round(start, 4))} to {fmt(round(end, 4))}: does your function use "
                       f"its arguments (not variables from the notebook)?")
        return (f"Your gradients match finite differences on two networks (3 → 4 → 1 and "
                f"2 → 3 → 1), your function leaves its inputs unchanged, and 150 "
                f"gradient-descent steps with them took a 1 → 8 → 1 network's loss from "
                f"{fmt(round(start, 3))} to {fmt(round(end, 3))}.")

    report(LESSON, "two_layer_backward", run)


def _gradients_of(two_layer_backward, case):
    """The learner's four gradients for ``case``, checked for shape (a Hint names a slip)."""
    X, Y, W1, b1, W2, b2 = case
    def right(f):
        out = f(*(a.copy() for a in case))
        return len(out) == 4 and _all_close([np.asarray(g, dtype=float) for g in out],
                                            _grads(*case))

    out = _d.run(two_layer_backward, *case, name="two_layer_backward", verify=right)
    if not isinstance(out, (tuple, list)) or len(out) != 4:
        raise Hint(f"return four arrays, (dW1, db1, dW2, db2); got {fmt(out)}")
    shapes = [W1.shape, b1.shape, W2.shape, b2.shape]
    got_shapes = [np.shape(g) for g in out]
    if got_shapes == [W2.shape, b2.shape, W1.shape, b1.shape]:
        raise Hint("you returned (dW2, db2, dW1, db1): return the first layer's gradients "
                   "first, (dW1, db1, dW2, db2)")
    if got_shapes[0] == (X.shape[0], W1.shape[1]) or got_shapes[2] == (X.shape[0], 1):
        raise Hint(f"dW has the shape of Z, {fmt(got_shapes[0])}: you returned dZ. "
                   f"dW1 = Xᵀ dZ1 sums over the samples and has the shape of W1, "
                   f"{fmt(W1.shape)}")
    if got_shapes[1] == (X.shape[0], W1.shape[1]) or got_shapes[3] == (X.shape[0], 1):
        raise Hint("db has one row per sample: sum dZ over the rows (axis=0), so db has "
                   "the shape of b")
    for name, g, b in (("db1", got_shapes[1], b1.shape), ("db2", got_shapes[3], b2.shape)):
        if g == (1, *b):
            raise Hint(f"{name} has shape {fmt(g)}, a row where a flat array of shape "
                       f"{fmt(b)} was expected: sum with axis=0 but without keepdims=True")
    names = ["dW1", "db1", "dW2", "db2"]
    return [array(g, name, shape=shp) for g, name, shp in zip(out, names, shapes, strict=True)]

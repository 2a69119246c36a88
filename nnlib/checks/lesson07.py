"""Lesson 07 checks: the cross-entropy gradient by hand, the valley's paths, a buggy SGD epoch,
and a momentum setting that meets a target.

Every verdict is computed from the maths (the reference gradient, the factor 1 − 20 η, the
reference epoch with one slip switched on at a time), never from the learner's own code.
"""

from __future__ import annotations

import itertools

import numpy as np

from ._core import Exercise, Hint, array, call, check_all, close, fmt, ladder, register, report

__all__ = ["check_ce_grad_by_hand", "check_predict_valley_paths", "check_fix_sgd_epoch",
           "check_choose_momentum", "check_all", "hint", "show_solution"]

LESSON = "07"
register(LESSON, [
    Exercise("ce_grad_by_hand", kind="derive",
             idea="Work row by row. Softmax each row (e^{log 3} = 3), then the gradient of one "
                  "sample's loss is its probabilities minus its one-hot label. The batch mean "
                  "divides every row by n.",
             formula="∂L/∂Z = (P − E) / n, with P = softmax of each row and E's row i = e_{y_i}; "
                     "row 0: p = (3, 1, 1)/5, row 1: p = (1, 1, 1)/3"),
    Exercise("predict_valley_paths", kind="predict",
             idea="This valley is steeper than section 6's. Differentiate L with respect to w₂: "
                  "one step multiplies w₂ by a fixed factor. Its sign says whether w₂ flips; "
                  "its size says whether w₂ shrinks or grows.",
             formula="∂L/∂w₂ = 25 w₂, so w₂ ← (1 − 25 η) w₂: factor in (0, 1) smooth, "
                     "in (−1, 0) zigzag, below −1 diverge"),
    Exercise("fix_sgd_epoch", kind="debug",
             idea="Compare the loop with the recipe of section 3: shuffle, split so every "
                  "sample is visited once, and step with *this* batch's gradient only.",
             formula="order = rng.permutation(n); starts 0, B, 2B, … < n; "
                     "dw = 2 X_bᵀ(X_b w − y_b) / len(batch); w ← w − η dw"),
    Exercise("choose_momentum", kind="design",
             idea="Plain GD must keep η small for the steep direction (curvature 20) and then "
                  "crawls along the shallow one. Momentum lets the shallow steps build up "
                  "speed; too much momentum makes the path circle.",
             formula="v ← μ v − η ∇L, w ← w + v; search η around 0.03–0.1 and μ around "
                     "0.5–0.8 with the explorer"),
])
hint, show_solution = ladder(LESSON)


# --------------------------------------------------------------------------- Exercise 1

_Z = np.array([[np.log(3.0), 0.0, 0.0], [0.0, 0.0, 0.0]])
_Y = np.array([1, 0])


def _softmax(Z):
    e = np.exp(Z - Z.max(axis=1, keepdims=True))
    return e / e.sum(axis=1, keepdims=True)


def check_ce_grad_by_hand(ce_grad_by_hand):
    """``ce_grad_by_hand() -> (2, 3)``: ∂L/∂Z = (P − E)/n for the lesson's two-sample batch."""
    def run():
        got = array(call(ce_grad_by_hand, name="ce_grad_by_hand"), "your ∂L/∂Z", shape=(2, 3))
        P, E, n = _softmax(_Z), np.eye(3)[_Y], len(_Y)
        want = (P - E) / n
        if close(got, want, rtol=1e-3, atol=5e-3):
            return ("Each row sums to 0: the true logit is pulled up by exactly as much as the "
                    "others are pushed down.")
        if close(got, P - E, rtol=1e-3, atol=5e-3):
            return _fail("2× too large: L is the mean over n = 2 samples, so divide every row "
                         "by n")
        if close(got, -want, rtol=1e-3, atol=5e-3) or close(got, E - P, rtol=1e-3, atol=5e-3):
            return _fail("sign flipped: the gradient is p − e_y (probabilities minus one-hot), "
                         "so the true class gets a negative entry")
        if close(got, P / n, rtol=1e-3, atol=5e-3) or close(got, P, rtol=1e-3, atol=5e-3):
            return _fail("these are the probabilities: subtract the one-hot label, 1 at the "
                         "true class of each row")
        if close(got, (P - 1) / n, rtol=1e-3, atol=5e-3) or close(got, P - 1, rtol=1e-3,
                                                                     atol=1e-3):
            return _fail("you subtracted 1 from every entry: subtract it only at the true "
                         "class of each row (the one-hot e_y)")
        wrong_label = (P - np.eye(3)[_Y[::-1]]) / n
        if close(got, wrong_label, rtol=1e-3, atol=5e-3):
            return _fail("the 1 is subtracted at the wrong class: row 0's true class is 1, "
                         "row 1's is 0 (columns count from 0)")
        P_naive = np.exp(_Z) / np.exp(_Z).sum()          # softmax over the whole batch
        if close(got, (P_naive - E) / n, rtol=1e-3, atol=5e-3):
            return _fail("you normalised over the whole batch: softmax each row on its own, "
                         "so each row of P sums to 1")
        if close(got, (P - E) / 3, rtol=1e-3, atol=5e-3):
            return _fail("divided by K = 3: the mean is over the n = 2 samples")
        for i in range(2):
            if not close(got[i], want[i], rtol=1e-3, atol=5e-3):
                return _fail(f"row {i} is {fmt(np.round(got[i], 4))}, expected "
                             f"{fmt(np.round(want[i], 4))}: softmax of row {i} is "
                             f"{fmt(np.round(P[i], 4))}, then subtract e_y and divide by n = 2")
        return _fail("not yet: compute (P − E) / n row by row")
    report(LESSON, "ce_grad_by_hand", run)


def _fail(message):
    raise Hint(message)


# --------------------------------------------------------------------------- Exercise 2

_LRS = (0.06, 0.03, 0.09)      # on L = ½ (w₁² + 25 w₂²)
_CURV = 25.0
_WORDS = ("smooth", "zigzag", "diverge")


def _regime(lr, curvature=_CURV):
    factor = 1 - curvature * lr
    if factor >= 0:
        return "smooth"
    return "zigzag" if factor > -1 else "diverge"


def check_predict_valley_paths(predict_valley_paths):
    """``predict_valley_paths() -> (word, word, word)`` for η = 0.06, 0.03, 0.09 with μ = 0
    on the valley L = ½ (w₁² + 25 w₂²)."""
    def run():
        got = call(predict_valley_paths, name="predict_valley_paths", text=True)
        if isinstance(got, str):
            raise Hint(f"returned one word, {fmt(got)}: return three, one per η, e.g. "
                       f"(\"smooth\", \"smooth\", \"smooth\")")
        try:
            got = [str(w).strip().lower() for w in got]
        except TypeError:
            raise Hint(f"returned {fmt(got)}: return three words in a tuple or list") from None
        if len(got) != 3:
            raise Hint(f"returned {len(got)} words: one per η = 0.06, 0.03, 0.09, so three")
        bad = [w for w in got if w not in _WORDS]
        if bad:
            raise Hint(f"{fmt(bad[0])} is not one of \"smooth\", \"zigzag\", \"diverge\"")
        want = [_regime(lr) for lr in _LRS]
        if got == want:
            return ("The steep direction decides: 1 − 25 η changes sign at η = 1/25 = 0.04 "
                    "and passes −1 at η = 2/25 = 0.08.")
        if got == [_regime(lr, 1.0) for lr in _LRS]:
            raise Hint("all smooth is true along the valley (curvature 1), but the steep "
                       "direction (curvature 25) fails first: look at 1 − 25 η")
        if got == [_regime(lr, 20.0) for lr in _LRS]:
            raise Hint("those are the thresholds of section 6's valley (curvature 20, limits "
                       "0.05 and 0.1); this valley bends with 25 across: ∂L/∂w₂ = 25 w₂, so "
                       "look at 1 − 25 η")
        if got == [_regime(lr, 2 * _CURV) for lr in _LRS]:
            raise Hint("the ½ in front cancels the 2 from differentiating w₂²: ∂L/∂w₂ = 25 w₂, "
                       "not 50 w₂, so the factor is 1 − 25 η")
        for lr, g, w in zip(_LRS, got, want, strict=True):
            if g != w:
                factor = 1 - _CURV * lr
                raise Hint(f"η = {fmt(lr)}: each step multiplies w₂ by 1 − 25 η = "
                           f"{fmt(round(factor, 4))}; {_why(factor)}")
        raise Hint("not yet")
    report(LESSON, "predict_valley_paths", run)


def _why(factor):
    if factor >= 0:
        return "a positive factor below 1 keeps the sign and shrinks w₂"
    if factor > -1:
        return "a negative factor flips the sign every step, and its size below 1 still shrinks w₂"
    return "its size is above 1, so |w₂| grows every step"


# --------------------------------------------------------------------------- Exercise 3

def _epoch(w, X, y, lr, b, rng, shuffle=True, accumulate=False, drop_last=False,
           sum_not_mean=False, divide_by_n=False, divide_by_b=False, sign=1.0, one_step=False):
    """The right epoch, or the same epoch with one or more slips switched on."""
    n = len(X)
    order = rng.permutation(n) if shuffle else np.arange(n)
    if one_step:
        starts = [0]
        b = n
    else:
        starts = range(0, n - b if drop_last else n, b)
    dw = np.zeros_like(w)
    for start in starts:
        idx = order[start:start + b]
        Xb, yb = X[idx], y[idx]
        g = 2 * Xb.T @ (Xb @ w - yb)
        if not sum_not_mean:
            g = g / (n if divide_by_n else b if divide_by_b else len(idx))
        dw = dw + g if accumulate else g
        w = w - sign * lr * dw
    return w


# each slip, with its hint, in the order a hint is given when several remain
_SLIPS = [
    ("sign", dict(sign=-1.0),
     "sign flipped: each step goes against the gradient, w ← w − η · dw"),
    ("accumulate", dict(accumulate=True),
     "the gradients pile up across batches (dw += …): each step must use this batch's "
     "gradient only, so compute dw afresh inside the loop"),
    ("drop_last", dict(drop_last=True),
     "off by one batch: range(0, n − batch_size, batch_size) stops early and skips the last "
     "samples; the starts must run up to n"),
    ("shuffle", dict(shuffle=False),
     "the order is never shuffled: the batches are the same every epoch; draw the order with "
     "rng.permutation(n)"),
    ("sum_not_mean", dict(sum_not_mean=True),
     "the step is len(batch) times too large: use the batch's mean gradient, divide the sum "
     "by len(batch)"),
    ("divide_by_n", dict(divide_by_n=True),
     "1/n in the wrong place: each batch's gradient is a mean over its own samples, so divide "
     "by len(batch), not by n"),
    ("divide_by_b", dict(divide_by_b=True),
     "the last batch is smaller: with n = 10 and batch_size = 4 it holds only 2 samples, so "
     "dividing by batch_size halves its step; divide by len(idx), the batch's real size"),
]


def _data():
    rng = np.random.default_rng(3)
    X = rng.normal(size=(10, 3))
    y = X @ np.array([1.0, -2.0, 0.5]) + 0.1 * rng.normal(size=10)
    return X, y


def check_fix_sgd_epoch(fix_sgd_epoch):
    """``fix_sgd_epoch(w, X, y, lr, batch_size, rng) -> w``: one epoch of mini-batch SGD, MSE."""
    def run():
        X, y = _data()
        w0, lr, b = np.zeros(3), 0.05, 4
        got = array(call(fix_sgd_epoch, w0.copy(), X, y, lr, b, np.random.default_rng(0),
                         name="fix_sgd_epoch"), "the returned w", shape=(3,))
        want = _epoch(w0.copy(), X, y, lr, b, np.random.default_rng(0))
        if close(got, want):
            again = array(call(fix_sgd_epoch, w0.copy(), X, y, lr, b, np.random.default_rng(1),
                               name="fix_sgd_epoch"), "the returned w", shape=(3,))
            if not close(again, _epoch(w0.copy(), X, y, lr, b, np.random.default_rng(1))):
                raise Hint("right for one seed, wrong for another: shuffle with the rng "
                           "argument, rng.permutation(n), not with a fixed order or np.random")
            mine = w0.copy()
            call(fix_sgd_epoch, mine, X, y, lr, b, np.random.default_rng(0), name="fix_sgd_epoch")
            if not close(mine, w0):
                raise Hint("the right new w, but the caller's w changed too: w -= η · dw updates "
                           "the argument in place; write w = w − η · dw so a new array is returned")
            return ("Three fresh, shuffled steps per epoch, each with its own batch's mean "
                    "gradient: that is mini-batch SGD.")
        if close(got, w0):
            raise Hint("w did not change: assign the step, w = w − η · dw, and return the new w")
        if close(got, _epoch(w0.copy(), X, y, lr, b, np.random.default_rng(0), one_step=True)):
            raise Hint("that is one full-batch step: take one step per mini-batch, inside the "
                       "loop")
        # one or several slips: find the combination that reproduces the answer
        for r in range(1, 4):
            for combo in itertools.combinations(range(len(_SLIPS)), r):
                kw = {}
                for i in combo:
                    kw.update(_SLIPS[i][1])
                if close(got, _epoch(w0.copy(), X, y, lr, b, np.random.default_rng(0), **kw)):
                    first = _SLIPS[min(combo)][2]
                    more = (f" ({len(combo) - 1} more bug{'s' if len(combo) > 2 else ''} after "
                            f"this one)") if len(combo) > 1 else ""
                    raise Hint(first + more)
        other = array(call(fix_sgd_epoch, w0.copy(), X, y, lr, b, np.random.default_rng(0),
                           name="fix_sgd_epoch"), "the returned w", shape=(3,))
        if not close(other, got):
            raise Hint("the same seed gave two different results: shuffle with the rng "
                       "argument, rng.permutation(n), exactly once per epoch, not np.random")
        raise Hint(f"w = {fmt(np.round(got, 4))}, expected {fmt(np.round(want, 4))}: shuffle "
                   f"once, visit every sample once, step once per batch with that batch's "
                   f"mean gradient")
    report(LESSON, "fix_sgd_epoch", run)


# --------------------------------------------------------------------------- Exercise 4

_TARGET, _MAX_STEPS = 0.1, 15


def _steps_needed(lr, mu, steps=60):
    from ..explore.sgd import valley_loss, valley_path
    with np.errstate(all="ignore"):
        path = valley_path(lr, mu, steps=steps)
        loss = valley_loss(path[:, 0], path[:, 1])
    reached = np.flatnonzero(loss < _TARGET)
    diverged = not np.isfinite(loss[-1]) or loss[-1] > loss[0]
    return (int(reached[0]) if reached.size else None), diverged, loss


def check_choose_momentum(choose_momentum):
    """``choose_momentum() -> (lr, mu)``: the valley's loss below 0.1 within 15 steps."""
    def run():
        got = call(choose_momentum, name="choose_momentum")
        if not isinstance(got, (tuple, list, np.ndarray)) or len(got) != 2:
            raise Hint(f"returned {fmt(got)}: return two numbers, (lr, mu)")
        try:
            lr, mu = float(got[0]), float(got[1])
        except (TypeError, ValueError):
            raise Hint(f"returned {fmt(tuple(got))}: both must be numbers, (lr, mu)") from None
        if not (np.isfinite(lr) and lr > 0):
            raise Hint(f"η = {fmt(lr)}: the learning rate must be a positive number")
        if not 0 <= mu < 1:
            if mu == 1:
                raise Hint("μ = 1: momentum must be below 1; at μ = 1 the velocity keeps all "
                           "of its last value and never decays, so w never settles")
            if 1 < mu <= 100 and 0 <= mu / 100 < 1:
                raise Hint(f"μ = {fmt(mu)}: momentum is a fraction in [0, 1), e.g. 0.7, "
                           f"not a percentage")
            raise Hint(f"μ = {fmt(mu)}: momentum must be in [0, 1); at 1 or above the velocity "
                       f"never dies down")
        k, diverged, loss = _steps_needed(lr, mu)
        if k is not None and k <= _MAX_STEPS:
            return (f"L < 0.1 after {k} steps, where plain gradient descent needs at least 24: "
                    f"momentum carries speed along the shallow valley.")
        if diverged:
            raise Hint(f"η = {fmt(lr)}, μ = {fmt(mu)} diverges: the steep direction (curvature "
                       f"20) overshoots; lower η")
        if mu == 0:
            raise Hint("μ = 0 is plain gradient descent: it needs at least 24 steps at any η; "
                       "add momentum")
        where = f"after {k} steps" if k is not None else "not within 60 steps"
        k_up, d_up, _ = _steps_needed(lr, min(mu + 0.1, 0.99))
        k_down, _, _ = _steps_needed(lr, max(mu - 0.1, 0.0))
        if k_up is not None and not d_up and (k is None or k_up < k) and \
                (k_down is None or k_up <= k_down):
            raise Hint(f"L < 0.1 only {where} with η = {fmt(lr)}, μ = {fmt(mu)}: too little "
                       f"momentum, the shallow direction still crawls; raise μ (or η)")
        if k_down is not None and (k is None or k_down < k):
            raise Hint(f"L < 0.1 only {where} with η = {fmt(lr)}, μ = {fmt(mu)}: too much "
                       f"momentum, the path circles round the minimum; lower μ")
        raise Hint(f"L < 0.1 only {where} with η = {fmt(lr)}, μ = {fmt(mu)}: try a larger η "
                   f"(below 0.1) with μ around 0.6")
    report(LESSON, "choose_momentum", run)

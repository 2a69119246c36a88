"""Lesson 07 checks: the cross-entropy gradient by hand, the valley's paths, a buggy SGD epoch,
and a momentum setting that meets a target.

Every verdict is computed from the maths (the reference gradient, the factor 1 − 20 η, the
reference epoch with one slip switched on at a time), never from the learner's own code.
"""

from __future__ import annotations

import itertools

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
    register,
    report,
    sequence,
)

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
             formula="v ← μ v − η ∇L, w ← w + v; L must stay below 0.1 from step 15 on, "
                     "so watch the whole path, not its first dip: search η between 0.06 and "
                     "0.1 with μ around 0.6 in the explorer"),
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

def _epoch(w, X, y, lr, b, rng, shuffle="once", stop="n", split="slices", scale="len",
           accumulate=False, sign=1.0, first_only=False, one_step=False):
    """The right epoch, or the same epoch with slips switched on.

    shuffle: "once" (right), "none", "separate" (X and y with two permutations), "per_batch"
    (a new permutation for every batch), "x_unshuffled" (X_b sliced from X's own order);
    stop: "n" (right), "n-b", "n-1", "n+1"; split: "slices" (right) or "array_split";
    scale: "len" (right), "sum", "n", "b"."""
    n = len(X)
    if one_step:
        order = rng.permutation(n)
        return w - sign * lr * 2 * X[order].T @ (X[order] @ w - y[order]) / n
    Xs, ys = X, y
    order = np.arange(n)
    if shuffle == "once" or shuffle == "x_unshuffled":
        order = rng.permutation(n)
    elif shuffle == "separate":
        Xs, ys = X[rng.permutation(n)], y[rng.permutation(n)]
    end = {"n": n, "n-b": n - b, "n-1": n - 1, "n+1": n + 1}[stop]
    if split == "array_split":
        pieces = [(None, idx) for idx in np.array_split(order, int(np.ceil(n / b)))]
    else:
        pieces = [(start, None) for start in range(0, end, b)]
    dw = np.zeros_like(w)
    for start, idx in pieces:
        if shuffle == "per_batch":
            order = rng.permutation(n)
        if idx is None:
            idx = order[start:start + b]
        Xb, yb = Xs[idx], ys[idx]
        if shuffle == "x_unshuffled" and start is not None:
            Xb = X[start:start + b]
        g = 2 * Xb.T @ (Xb @ w - yb)
        g = g / {"len": len(idx), "sum": 1, "n": n, "b": b}[scale]
        dw = dw + g if accumulate else g
        w = w - sign * lr * dw
        if first_only:
            break
    return w


def _pieces(case):
    n, b = len(case[1]), case[4]
    return ", ".join(str(len(p)) for p in np.array_split(np.arange(n), int(np.ceil(n / b))))


def _where(case):
    return f"n = {len(case[1])}, batch_size = {case[4]}"


# each slip: (name, settings, hint(cases where it matters)), in the order a hint is given
_SLIPS = [
    ("sign", dict(sign=-1.0),
     lambda c: "sign flipped: each step goes against the gradient, w ← w − η · dw"),
    ("accumulate", dict(accumulate=True),
     lambda c: "the gradients pile up across batches (dw += …): each step must use this "
               "batch's gradient only, so compute dw afresh inside the loop"),
    ("first_only", dict(first_only=True),
     lambda c: "only the first batch takes a step: is `return` inside the loop? Return after "
               "the loop, once every batch has taken its step"),
    ("stop n-b", dict(stop="n-b"),
     lambda c: f"off by one batch: range(0, n − batch_size, batch_size) stops early and skips "
               f"the last samples (with {_where(c)} they are never visited); the starts must "
               f"run up to n"),
    ("stop n-1", dict(stop="n-1"),
     lambda c: f"the loop stops at n − 1: with {_where(c)} the last batch would hold one sample, "
               f"and range(0, n − 1, batch_size) never starts it, so that sample is never "
               f"visited; the starts must run up to n, range(0, n, batch_size)"),
    ("stop n+1", dict(stop="n+1"),
     lambda c: f"the loop runs to n + 1: with {_where(c)} it starts one more batch at n, which "
               f"is empty, and its mean gradient is 0/0 = nan; the starts must stay below n, "
               f"range(0, n, batch_size)"),
    ("separate", dict(shuffle="separate"),
     lambda c: "X and y are shuffled with two different permutations, so each row of X is "
               "paired with another sample's target: draw one order = rng.permutation(n) and "
               "index both X and y with it"),
    ("per_batch", dict(shuffle="per_batch"),
     lambda c: "a new permutation for every batch: some samples are then visited twice and "
               "others never; shuffle once per epoch, before the loop"),
    ("x_unshuffled", dict(shuffle="x_unshuffled"),
     lambda c: "X_b and y_b come from different rows: X_b is sliced from X's own order, y_b "
               "from the shuffled one; index both with the same idx = order[start:start + B]"),
    ("shuffle", dict(shuffle="none"),
     lambda c: "the order is never shuffled: the batches are the same every epoch; draw the "
               "order with rng.permutation(n)"),
    ("array_split", dict(split="array_split"),
     lambda c: f"np.array_split cuts the data into pieces of nearly equal size, not batches "
               f"of batch_size: with {_where(c)} the pieces have {_pieces(c)} samples. Slice "
               f"order[start:start + batch_size] for start = 0, B, 2B, …"),
    ("sum", dict(scale="sum"),
     lambda c: "the step is len(batch) times too large: use the batch's mean gradient, divide "
               "the sum by len(batch)"),
    ("n", dict(scale="n"),
     lambda c: "1/n in the wrong place: each batch's gradient is a mean over its own samples, "
               "so divide by len(batch), not by n"),
    ("b", dict(scale="b"),
     lambda c: f"the last batch can be smaller: with {_where(c)} it holds only "
               f"{len(c[1]) % c[4] or c[4]} sample{'s' if len(c[1]) % c[4] != 1 else ''}, so "
               f"dividing by batch_size shrinks its step; divide by len(idx), the batch's "
               f"real size"),
]


def _sgd_cases():
    """(w0, X, y, lr, batch_size, seed): the worked n = 10, B = 4, then n % B = 1, B divides n,
    B > n, B = 1 and B = n, with features of several sizes (negative, in (0, 1), large)."""
    rng = np.random.default_rng(3)
    X = rng.normal(size=(10, 3))
    y = X @ np.array([1.0, -2.0, 0.5]) + 0.1 * rng.normal(size=10)
    cases = [(np.zeros(3), X, y, 0.05, 4, 0)]
    for n, b, seed in ((9, 4, 1), (12, 4, 2), (3, 5, 3), (5, 1, 4), (6, 6, 5)):
        Xn = np.column_stack([rng.uniform(0, 1, n), rng.normal(size=n) * 3,
                              rng.uniform(-1, 1, n)])
        yn = Xn @ np.array([0.5, -0.3, 2.0]) + rng.normal(size=n)
        cases.append((rng.uniform(-1, 1, 3), Xn, yn, 0.02, b, seed))
    return cases


def _same_w(got, want):
    got, want = np.asarray(got, dtype=float), np.asarray(want, dtype=float)
    if got.shape != want.shape or not np.array_equal(np.isnan(got), np.isnan(want)):
        return False
    ok = ~np.isnan(want)
    return bool(np.allclose(got[ok], want[ok], rtol=1e-6, atol=1e-9))


def _run_epoch(case, **kw):
    w0, X, y, lr, b, seed = case
    return _epoch(w0.copy(), X, y, lr, b, np.random.default_rng(seed), **kw)


def check_fix_sgd_epoch(fix_sgd_epoch):
    """``fix_sgd_epoch(w, X, y, lr, batch_size, rng) -> w``: one epoch of mini-batch SGD, MSE;
    checked for n = 10, B = 4 and for n % B = 1, B dividing n, B > n, B = 1 and B = n."""
    def run():
        results = []
        for case in _sgd_cases():
            w0, X, y, lr, b, seed = case
            out = _d.run(fix_sgd_epoch, w0, X, y, lr, b, np.random.default_rng(seed),
                         name="fix_sgd_epoch", finite=False)
            try:
                got = np.asarray(out, dtype=float)
            except (TypeError, ValueError):
                got = array(out, "the returned w")          # a Hint naming what came back
            if got.shape != w0.shape:
                array(np.nan_to_num(got), "the returned w", shape=w0.shape)   # names the shape
            results.append((case, got))
        if all(_same_w(got, _run_epoch(case)) for case, got in results):
            case = results[0][0]
            again = array(call(fix_sgd_epoch, *case[:5], np.random.default_rng(case[5]),
                               name="fix_sgd_epoch"), "the returned w", shape=(3,))
            if not close(again, results[0][1]):
                raise Hint("the same seed gave two different results: shuffle with the rng "
                           "argument, rng.permutation(n), exactly once per epoch")
            return ("One shuffle, then one step per mini-batch with that batch's own mean "
                    "gradient, every sample visited once: right for n = 10 with B = 4, and "
                    "when n % B = 1, when B divides n, when B > n, for B = 1 and B = n.")
        if all(close(got, case[0]) for case, got in results):
            raise Hint("w did not change: assign the step, w = w − η · dw, and return the "
                       "new w")
        if all(_same_w(got, _run_epoch(case, one_step=True)) for case, got in results):
            raise Hint("that is one full-batch step: take one step per mini-batch, inside the "
                       "loop")
        # one or several slips: the combination that reproduces every result
        for r in range(1, 4):
            for combo in itertools.combinations(range(len(_SLIPS)), r):
                kw = {}
                for i in combo:
                    kw.update(_SLIPS[i][1])
                if len(kw) < sum(len(_SLIPS[i][1]) for i in combo):
                    continue   # two settings of the same knob
                if all(_same_w(got, _run_epoch(case, **kw)) for case, got in results):
                    first = _SLIPS[min(combo)]
                    matters = [case for case, _ in results
                               if not _same_w(_run_epoch(case, **first[1]), _run_epoch(case))]
                    more = (f" ({len(combo) - 1} more bug{'s' if len(combo) > 2 else ''} after "
                            f"this one)") if len(combo) > 1 else ""
                    raise Hint(first[2](matters[0] if matters else results[0][0]) + more)
        if "random" in _d.code_names(fix_sgd_epoch):
            raise Hint("shuffle with the rng argument, rng.permutation(n), not np.random: "
                       "the check gives your function its own generator")
        case, got = next((c, g) for c, g in results if not _same_w(g, _run_epoch(c)))
        want = _run_epoch(case)
        if np.isnan(got).any():
            raise Hint(f"for {_where(case)} your w contains nan: a 0/0, such as the mean "
                       f"gradient of an empty batch?")
        raise Hint(f"for {_where(case)}: w = {fmt(np.round(got, 4))}, expected "
                   f"{fmt(np.round(want, 4))}: shuffle once, visit every sample once, step "
                   f"once per batch with that batch's mean gradient")
    report(LESSON, "fix_sgd_epoch", run)


# --------------------------------------------------------------------------- Exercise 4

_TARGET, _MAX_STEPS, _RUN = 0.1, 15, 200


def _run(lr, mu, steps=_RUN):
    """The valley's loss at every step of a run with (η, μ), steps 0 … ``steps``."""
    from ..explore.sgd import valley_loss, valley_path
    with np.errstate(all="ignore"):
        path = valley_path(lr, mu, steps=steps)
        return valley_loss(path[:, 0], path[:, 1])


def _settles(lr, mu):
    """(step from which L stays below 0.1 for the whole run or None, first step below 0.1 or
    None, diverged, loss)."""
    loss = _run(lr, mu)
    below = np.isfinite(loss) & (loss < _TARGET)
    above = np.flatnonzero(~below)
    settle = 0 if not above.size else (int(above[-1]) + 1 if above[-1] < _RUN else None)
    first = np.flatnonzero(below)
    diverged = not np.isfinite(loss[-1]) or loss[-1] > loss[0]
    return settle, (int(first[0]) if first.size else None), diverged, loss


def _steps(settle):
    return f"from step {settle} on" if settle is not None else f"at no point of {_RUN} steps"


def _advice(lr, mu, settle):
    """A change of μ or η that the simulation shows helps (or None): (text, new settle)."""
    tries = []
    for new_mu, why in ((round(mu - 0.1, 4), "too much momentum: the path circles round the "
                                             "minimum; lower μ"),
                        (round(mu + 0.1, 4), "too little momentum: the shallow direction "
                                             "still crawls; raise μ")):
        if 0 <= new_mu < 1:
            tries.append((why, lr, new_mu))
    for new_lr, why in ((lr * 1.5, "the steps are small; raise η"),
                        (lr / 1.5, "the steep direction overshoots; lower η")):
        tries.append((why, round(new_lr, 4), mu))
    now = settle if settle is not None else 10 ** 6
    best = None
    for why, new_lr, new_mu in tries:
        s_new, _, div, _ = _settles(new_lr, new_mu)
        if s_new is not None and not div and s_new < now and (best is None or s_new < best[0]):
            change = (f"μ = {fmt(new_mu)}" if new_mu != mu else f"η = {fmt(new_lr)}")
            best = (s_new, f"{why}: with {change} the simulation stays below 0.1 "
                           f"{_steps(s_new)}")
    return best[1] if best else None


def check_choose_momentum(choose_momentum):
    """``choose_momentum() -> (lr, mu)``: the valley's loss below 0.1 at step 15 and at every
    later step of a 200-step run (a dip below 0.1 that climbs back does not count)."""
    def run():
        got = call(choose_momentum, name="choose_momentum")
        lr, mu = (number(v, f"{name} (the {which} number)") for v, name, which in zip(
            sequence(got, "your (lr, mu)", 2, "(lr, mu)"), ("η", "μ"), ("first", "second"),
            strict=True))
        if not lr > 0:
            raise Hint(f"η = {fmt(lr)}: the learning rate must be a positive number")
        if not 0 <= mu < 1:
            if 0 <= lr < 1 and mu > 0 and (_settles(mu, lr)[0] or _RUN) <= _MAX_STEPS:
                raise Hint(f"η = {fmt(lr)}, μ = {fmt(mu)}: swapped? Return (lr, mu), the "
                           f"learning rate first")
            if mu == 1:
                raise Hint("μ = 1: momentum must be below 1; at μ = 1 the velocity keeps all "
                           "of its last value and never decays, so w never settles")
            if 1 < mu <= 100:
                raise Hint(f"μ = {fmt(mu)}: momentum is a fraction in [0, 1), e.g. 0.7, "
                           f"not a percentage")
            raise Hint(f"μ = {fmt(mu)}: momentum must be in [0, 1); at 1 or above the velocity "
                       f"never dies down")
        settle, first, diverged, loss = _settles(lr, mu)
        if settle is not None and settle <= _MAX_STEPS and not diverged:
            return (f"L is below 0.1 from step {settle} on, at every one of the {_RUN} steps "
                    f"the check ran; plain gradient descent (μ = 0) needs at least 24 steps at "
                    f"any η. Momentum carries speed along the shallow valley.")
        where = f"η = {fmt(lr)}, μ = {fmt(mu)}"
        swapped = _settles(mu, lr)[0] if 0 < mu < 1 and 0 <= lr < 1 else None
        if swapped is not None and swapped <= _MAX_STEPS:
            raise Hint(f"{where}: swapped? With (lr, mu) = ({fmt(mu)}, {fmt(lr)}) it works; "
                       f"return the learning rate first")
        if diverged:
            smaller = next((x for x in (lr / 2, lr / 4, lr / 8)
                            if not _settles(x, mu)[2]), None)
            tip = (f"; with η = {fmt(round(smaller, 4))} the same μ no longer diverges"
                   if smaller is not None else "")
            raise Hint(f"{where} diverges: the steep direction (curvature 20) overshoots, "
                       f"lower η{tip}")
        if mu == 0:
            raise Hint("μ = 0 is plain gradient descent: it needs at least 24 steps at any η; "
                       "add momentum")
        advice = _advice(lr, mu, settle)
        tail = f"; {advice}" if advice else ""
        if first is not None and first <= _MAX_STEPS:
            after = loss[first:]
            peak = int(np.argmax(np.where(np.isfinite(after), after, -np.inf))) + first
            raise Hint(f"with {where} L dips below 0.1 at step {first} but climbs back (to "
                       f"{fmt(round(float(loss[peak]), 3))} at step {peak}) and stays below "
                       f"0.1 only {_steps(settle)}; it must stay below from step 15 on"
                       f"{tail}")
        raise Hint(f"with {where} L stays below 0.1 only {_steps(settle)}, not by step 15"
                   f"{tail or ': try η between 0.06 and 0.1 with μ around 0.6'}")
    report(LESSON, "choose_momentum", run)

"""Lesson 08 checks: what one pixel adds to a unit, counting a confusion matrix, accuracy per
class, and designing a small network judged on the validation set.

Every verdict is computed from the maths (scaled pixels times the weight, the counts of the
label pairs, the diagonal over the row totals, the parameter count and a training run with the
learner's settings), never from the learner's own code.
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
    fmt,
    ladder,
    number,
    register,
    report,
)

__all__ = ["check_pixel_push", "check_confusion_counts", "check_per_class_accuracy",
           "check_design_small_network", "check_all", "hint", "show_solution"]

LESSON = "08"
register(LESSON, [
    Exercise("pixel_push", kind="derive",
             idea="The unit adds w · x for this pixel, where x is the pixel *after* scaling to "
                  "[-1, 1]: blank paper is not 0 any more.",
             formula="x' = x / 8 − 1 for raw x in 0..16, then the contribution is w · x'"),
    Exercise("confusion_counts", kind="implement",
             idea="Start from a K × K table of zeros; every sample adds one to the cell of its "
                  "(true, predicted) pair. Rows are the true class.",
             formula="C[i, j] = number of samples with y_true = i and y_pred = j"),
    Exercise("per_class_accuracy", kind="implement",
             idea="For digit i, look only at row i: how many of its images were called i, out "
                  "of all images of digit i?",
             formula="accuracy_i = C[i, i] / Σ_j C[i, j]"),
    Exercise("design_small_network", kind="design",
             idea="Count the parameters first: each hidden unit costs 64 weights in, 10 out and "
                  "a bias. Then pick η with the training explorer, judging by validation "
                  "accuracy only.",
             formula="parameters = 64·h + h + 10·h + 10 = 75·h + 10 ≤ 1,500, so h ≤ 19; "
                     "η around 0.01–0.1; the check averages three runs (seeds 0, 1, 2)"),
])
hint, show_solution = ladder(LESSON)


def _fail(message):
    raise Hint(message)


# --------------------------------------------------------------------------- Exercise 1

_W = 0.5
_RAW = np.array([0.0, 8.0, 16.0])


def check_pixel_push(pixel_push):
    """``pixel_push() -> (blank, half, full)``: w · x' for w = 0.5 and raw pixels 0, 8, 16."""
    def run():
        got = array(call(pixel_push, name="pixel_push"), "your three contributions", shape=(3,))
        want = _W * (_RAW / 8 - 1)
        if close(got, want, atol=1e-3):
            return ("A red weight lowers the unit where the paper is blank: the pictures show "
                    "where ink helps *and* where blank paper helps.")
        if close(got, _W * _RAW, atol=1e-3):
            _fail("you used the raw pixels 0, 8, 16: the network sees them scaled to [-1, 1] "
                  "first, so blank paper is −1")
        if close(got, _W * _RAW / 16, atol=1e-3):
            _fail("that is pixels scaled to [0, 1]; the lesson scales to [-1, 1], so blank "
                  "paper is −1, not 0")
        if close(got, -want, atol=1e-3):
            _fail("sign flipped: a positive weight times an inked pixel (+1) pushes z up; "
                  "times blank paper (−1) it pushes z down")
        if close(got, _RAW / 8 - 1, atol=1e-3):
            _fail("these are the scaled pixels themselves: multiply each by the weight 0.5")
        if close(got, [0.0, 0.0, _W], atol=1e-3) or close(got, [0.0, _W / 2, _W], atol=1e-3):
            _fail("blank paper is −1 after scaling, not 0: a weight on it still contributes")
        for g, w_, raw in zip(got, want, _RAW, strict=True):
            if not np.isclose(g, w_, atol=1e-3):
                _fail(f"the pixel with raw value {fmt(raw)} gives {fmt(round(float(g), 4))}: "
                      f"scale it first (x / 8 − 1 = {fmt(raw / 8 - 1)}), then multiply by "
                      f"the weight")
        _fail("not yet")
    report(LESSON, "pixel_push", run)


# --------------------------------------------------------------------------- Exercise 2

_T = np.array([0, 0, 1, 1, 1, 2, 2, 0, 1, 1])
_P = np.array([0, 1, 1, 1, 2, 2, 0, 0, 1, 2])
_K = 4   # class 3 never appears: the table must still be 4 × 4


def _counts(t, p, k):
    C = np.zeros((k, k), dtype=int)
    np.add.at(C, (t, p), 1)
    return C


def check_confusion_counts(confusion_counts):
    """``confusion_counts(y_true, y_pred, K) -> (K, K)``: C[i, j] counts true i predicted j."""
    def run():
        out = call(confusion_counts, _T.copy(), _P.copy(), _K, name="confusion_counts")
        want = _counts(_T, _P, _K)
        got = array(out, "your table")
        if got.ndim == 2 and got.shape == (3, 3):
            _fail(f"shape {fmt(got.shape)}: the table must be K × K = (4, 4) even when a class "
                  f"never appears; use the K argument, not the largest label")
        got = array(out, "your table", shape=(_K, _K))
        if close(got, want):
            return ("The diagonal holds the right answers; every other cell is one kind of "
                    "mistake, and its row says which digit was misread.")
        if close(got, want.T):
            _fail("transposed: rows are the true class, columns the prediction, C[true, pred]")
        once = np.zeros((_K, _K))
        once[_T, _P] = 1
        if close(got, once) or close(got, want.astype(bool)):
            _fail("each pair counts only once: C[y_true, y_pred] += 1 on whole arrays adds 1 "
                  "per *distinct* pair, not per sample; loop over the samples, or use "
                  "np.add.at(C, (y_true, y_pred), 1)")
        if close(got, want / len(_T)):
            _fail("these are fractions: count the samples (integers), do not divide")
        if got.sum() != len(_T):
            _fail(f"the counts add up to {fmt(got.sum())}, but there are {len(_T)} samples: "
                  f"add exactly 1 per sample")
        if not np.any(got - np.diag(np.diag(got))):
            _fail("every sample landed on the diagonal, as if nothing were ever misread: the "
                  "row is y_true and the column y_pred (did you use one of them twice?)")
        if close(np.diag(got), np.diag(want)):
            _fail("the diagonal is right but the mistakes sit in the wrong cells: the column "
                  "is the *predicted* class")
        bad = [(int(i), int(j)) for i, j in zip(*np.nonzero(got != want), strict=True)]
        i, j = bad[0]
        _fail(f"C[{i}, {j}] is {fmt(got[i, j])}, but {int(want[i, j])} samples have true class "
              f"{i} and prediction {j}: add 1 at [true, predicted] for every sample")
    report(LESSON, "confusion_counts", run)


# --------------------------------------------------------------------------- Exercise 3

_C = np.array([[8, 2, 0], [1, 3, 0], [0, 6, 4]])   # class 2 is called 1 more often than 2


def check_per_class_accuracy(per_class_accuracy):
    """``per_class_accuracy(C) -> (K,)``: for each true class i, C[i, i] / Σ_j C[i, j]."""
    def run():
        out = call(per_class_accuracy, _C.copy(), name="per_class_accuracy")
        want = np.diag(_C) / _C.sum(axis=1)
        if np.ndim(out) == 0 and not isinstance(out, (list, tuple)):
            value = number(out, "your result")
            if np.isclose(value, np.trace(_C) / _C.sum()):
                _fail("that is the overall accuracy: return one number per class, each "
                      "class's right answers over its own total")
            _fail(f"returned one number, {fmt(value)}: return one per class, shape (3,)")
        got = array(out, "your accuracies", shape=(3,))
        if close(got, want):
            return (f"Overall {np.trace(_C) / _C.sum():.0%}, yet class 2 is right only "
                    f"{want[2]:.0%} of the time: one number hides a weak class.")
        if close(got, np.diag(_C) / _C.sum(axis=0)):
            _fail("you divided by column sums (how often each class was *predicted*): divide "
                  "by row sums, the number of true samples of each class")
        if close(got, _C.max(axis=1) / _C.sum(axis=1)):
            _fail("you took the largest entry of each row: in row 2 a mistake cell (6 images "
                  "called 1) beats the diagonal; the right answers of class i are C[i, i], "
                  "the diagonal")
        if close(got, np.diag(_C) // _C.sum(axis=1)):
            _fail("all zeros: // is floor division, which rounds each fraction down to a whole "
                  "number; divide with /")
        if close(got, np.diag(_C)):
            _fail("these are counts: divide each by the number of samples of that class")
        if close(got, 100 * want):
            _fail("these are percentages: return fractions between 0 and 1")
        if close(got, np.diag(_C) / _C.sum()):
            _fail("you divided by the total of all samples: divide by each class's own total "
                  "(its row sum)")
        if close(got, 1 - want):
            _fail("these are the error rates: return the fraction classified *correctly*")
        _fail(f"got {fmt(np.round(got, 4))}, expected {fmt(np.round(want, 4))}")
    report(LESSON, "per_class_accuracy", run)


# --------------------------------------------------------------------------- Exercise 4

_MAX_PARAMS, _TARGET, _SEEDS = 1500, 0.95, (0, 1, 2)


def _n_params(hidden):
    return 64 * hidden + hidden + hidden * 10 + 10


def _mean_val_acc(hidden, lr):
    """Mean final validation accuracy over three training runs (seeds 0, 1, 2), and whether any
    run diverged."""
    from ..explore.digits import train_digits
    accs, diverged = [], False
    for seed in _SEEDS:
        _, history = train_digits(hidden=hidden, lr=lr, seed=seed)
        diverged = diverged or bool(history.diverged)
        accs.append(history.val_acc[-1] if history.val_acc and not history.diverged else 0.0)
    return float(np.mean(accs)), diverged


def _pct(acc):
    """A percentage with one decimal, or two where one would round a miss up to the target."""
    return f"{acc:.2%}" if acc < _TARGET and round(acc * 100, 1) >= _TARGET * 100 else f"{acc:.1%}"


def check_design_small_network(design_small_network):
    """``design_small_network() -> (hidden, lr)``: ≤ 1,500 parameters and ≥ 95 % validation
    accuracy, averaged over three training runs (seeds 0, 1, 2)."""
    def run():
        got = call(design_small_network, name="design_small_network")
        if not isinstance(got, (tuple, list, np.ndarray)) or len(got) != 2:
            _fail(f"returned {fmt(got)}: return two numbers, (hidden, lr)")
        if not all(isinstance(v, (int, float, np.integer, np.floating))
                   and not isinstance(v, bool) for v in got):
            _fail(f"returned {fmt(tuple(got))}: both must be numbers, not text or lists: "
                  f"(hidden, lr), e.g. (10, 0.05) without quotes")
        hidden_f, lr = float(got[0]), float(got[1])
        if not hidden_f.is_integer() or hidden_f < 1:
            swapped = np.isfinite(lr) and float(lr).is_integer() and lr >= 1
            _fail(f"hidden = {fmt(hidden_f)}: the number of hidden units is a whole number ≥ 1"
                  + (" (swapped? return (hidden, lr), the units first)" if swapped else ""))
        hidden = int(hidden_f)
        if not (np.isfinite(lr) and lr > 0):
            _fail(f"η = {fmt(lr)}: the learning rate must be a positive number")
        n = _n_params(hidden)
        if n > _MAX_PARAMS:
            _fail(f"{hidden} hidden units make 64·{hidden} + {hidden} + {hidden}·10 + 10 = "
                  f"{n:,} parameters, over {_MAX_PARAMS:,}: the first layer alone has 64 "
                  f"weights per unit")
        acc, diverged = _mean_val_acc(hidden, lr)
        if not diverged and acc >= _TARGET - 1e-9:      # 95 % exactly passes
            return (f"{n:,} parameters read {acc:.1%} of the validation digits on average over "
                    f"three runs, chosen on validation alone; the test set is still untouched.")
        pct = _pct(acc)
        if diverged:
            _fail(f"η = {fmt(lr)} is too large for this network: training diverged; try η "
                  f"between 0.01 and 0.1")
        if lr > 0.1 or lr < 0.01:
            better = 0.05 if lr > 0.1 else 0.02
            acc_b, div_b = _mean_val_acc(hidden, better)
            if not div_b and acc_b > acc + 0.01:
                size = "large" if lr > 0.1 else "small"
                why = ("the steps overshoot" if lr > 0.1 else
                       "each step barely moves the weights")
                _fail(f"η = {fmt(lr)} is too {size}: {why}, and {hidden} units read only {pct} "
                      f"on average; with η = {fmt(better)} the same network reads "
                      f"{_pct(acc_b)}")
        biggest = max(h for h in range(1, 40) if _n_params(h) <= _MAX_PARAMS)
        if hidden < biggest:
            acc_big, div_big = _mean_val_acc(biggest, lr)
            if not div_big and acc_big >= _TARGET - 1e-9:
                _fail(f"{hidden} hidden units with η = {fmt(lr)} read {pct} on average, "
                      f"below 95 %; with the same η, {biggest} units ({_n_params(biggest):,} "
                      f"parameters, the most the budget allows) read {_pct(acc_big)}: use more "
                      f"of the budget")
        _fail(f"{hidden} hidden units with η = {fmt(lr)} read {pct} on average, below 95 %: "
              f"use more of the {_MAX_PARAMS:,}-parameter budget, or try η between 0.01 and 0.1")
    report(LESSON, "design_small_network", run)

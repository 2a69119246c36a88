"""Lesson 08 checks: what one pixel adds to a unit, counting a confusion matrix, accuracy per
class, and designing a small network judged on the validation set.

Every verdict is computed from the maths (scaled pixels times the weight, the counts of the
label pairs, the diagonal over the row totals, the parameter count and a training run with the
learner's settings), never from the learner's own code.
"""

from __future__ import annotations

import functools
import re

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
    precedence_slip,
    register,
    report,
    sequence,
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
        slip = precedence_slip(pixel_push, [()], [want])
        if slip:
            _fail(slip)
        if close(got, _W * _RAW / 8 - 1, atol=1e-3):
            _fail("w · x / 8 − 1 subtracts the 1 after multiplying by the weight: scale the "
                  "pixel first, then multiply, w · (x / 8 − 1); mind the brackets")
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


def _confusion_cases():
    """The worked labels (class 3 never appears), a 5-class set of 40 samples, a 2-class one."""
    rng = np.random.default_rng(8)
    t5 = rng.integers(0, 5, size=40)
    p5 = np.where(rng.uniform(size=40) < 0.6, t5, rng.integers(0, 5, size=40))
    t2 = np.array([1, 1, 0, 1, 0, 1, 1])
    p2 = np.array([1, 0, 0, 1, 1, 1, 0])
    return [(_T, _P, _K), (t5, p5, 5), (t2, p2, 2)]


def _shared_rows(t, p, k):
    """``[[0] * K] * K``: one row object K times, so every sample adds to every row."""
    row = np.bincount(p, minlength=k)
    return np.tile(row, (k, 1))


_CONFUSION_SLIPS = [
    (lambda t, p, k: _counts(t, p, k).T,
     "transposed: rows are the true class, columns the prediction, C[true, pred]"),
    (_shared_rows,
     "every row of your table is the same, and each sample was added to all of them: "
     "[[0] * K] * K repeats ONE list K times (K names for the same row). Build the rows "
     "separately, np.zeros((K, K), dtype=int) or [[0] * K for _ in range(K)]"),
    (lambda t, p, k: (_counts(t, p, k) > 0).astype(float),
     "each pair counts only once: C[y_true, y_pred] += 1 on whole arrays (or C[t, p] = 1) "
     "adds 1 per *distinct* pair, not per sample; loop over the samples and add 1 each time, "
     "or use np.add.at(C, (y_true, y_pred), 1)"),
    (lambda t, p, k: _counts(t, p, k) / len(t),
     "these are fractions: count the samples (integers), do not divide"),
    (lambda t, p, k: np.diag(np.diag(_counts(t, p, k))),
     "only the diagonal is filled: the mistakes (true i, predicted j ≠ i) are counts too, in "
     "row i, column j"),
    (lambda t, p, k: np.roll(_counts(t, p, k), (-1, -1), axis=(0, 1)),
     "every count sits one row up and one column left: labels count from 0, so the cell of "
     "(true t, predicted p) is C[t, p], with no − 1"),
]


def check_confusion_counts(confusion_counts):
    """``confusion_counts(y_true, y_pred, K) -> (K, K)``: C[i, j] counts true i predicted j;
    checked on three label sets (a class that never appears, 5 classes, 2 classes)."""
    def run():
        results = []
        for t, p, k in _confusion_cases():
            out = call(confusion_counts, t.copy(), p.copy(), k, name="confusion_counts")
            got = array(out, "your table")
            if got.ndim == 2 and got.shape != (k, k) and got.shape[0] == got.shape[1]:
                _fail(f"shape {fmt(got.shape)}: the table must be K × K = ({k}, {k}) even when "
                      f"a class never appears; use the K argument, not the largest label")
            got = array(out, "your table", shape=(k, k))
            results.append(((t, p, k), got))
        if all(close(got, _counts(*case)) for case, got in results):
            return ("The diagonal holds the right answers; every other cell is one kind of "
                    "mistake, and its row says which digit was misread.")
        for candidate, text in _CONFUSION_SLIPS:
            if _d.explains(lambda case, c=candidate: c(*case), results):
                _fail(text)
        (t, p, k), got = next((c, g) for c, g in results if not close(g, _counts(*c)))
        want = _counts(t, p, k)
        if got.sum() != len(t):
            _fail(f"for {len(t)} samples and K = {k} your counts add up to {fmt(got.sum())}: "
                  f"add exactly 1 per sample, at [true, predicted]")
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


def _accuracy_cases():
    """The worked table (class 2 weak), then random 5-class tables of ints and of floats."""
    rng = np.random.default_rng(5)
    C5 = rng.integers(0, 30, size=(5, 5)) + np.diag(rng.integers(20, 90, size=5))
    C4 = (rng.integers(1, 9, size=(4, 4)) * 1.0)
    return [_C, C5, C4]


_ACCURACY_SLIPS = [
    (lambda C: np.diag(C) / C.sum(axis=0),
     "you divided by column sums (how often each class was *predicted*): divide by row sums, "
     "the number of true samples of each class"),
    (lambda C: C.max(axis=1) / C.sum(axis=1),
     "you took the largest entry of each row: in row 2 of the first table a mistake cell (6 "
     "images called 1) beats the diagonal; the right answers of class i are C[i, i], the "
     "diagonal"),
    (lambda C: np.diag(C) // C.sum(axis=1),
     "all zeros: // is floor division, which rounds each fraction down to a whole number; "
     "divide with /"),
    (lambda C: np.diag(C) * 1.0,
     "these are counts: divide each by the number of samples of that class"),
    (lambda C: 100 * np.diag(C) / C.sum(axis=1),
     "these are percentages: return fractions between 0 and 1"),
    (lambda C: np.diag(C) / C.sum(),
     "you divided by the total of all samples: divide by each class's own total (its row sum)"),
    (lambda C: 1 - np.diag(C) / C.sum(axis=1),
     "these are the error rates: return the fraction classified *correctly*"),
]


def check_per_class_accuracy(per_class_accuracy):
    """``per_class_accuracy(C) -> (K,)``: for each true class i, C[i, i] / Σ_j C[i, j]; checked
    on the worked table and on random 5 × 5 (integers) and 4 × 4 (floats) tables."""
    def run():
        results = []
        for C in _accuracy_cases():
            k = len(C)
            out = call(per_class_accuracy, C.copy(), name="per_class_accuracy")
            if np.ndim(out) == 0 and not isinstance(out, (list, tuple)):
                value = number(out, "your result")
                if np.isclose(value, np.trace(C) / C.sum()):
                    _fail("that is the overall accuracy: return one number per class, each "
                          "class's right answers over its own total")
                _fail(f"returned one number, {fmt(value)}: return one per class, shape ({k},)")
            got = array(out, "your accuracies", shape=(k,))
            results.append((C, got))
        want = [np.diag(C) / C.sum(axis=1) for C, _ in results]
        if all(close(got, w) for (_, got), w in zip(results, want, strict=True)):
            return (f"Overall {np.trace(_C) / _C.sum():.0%}, yet class 2 is right only "
                    f"{want[0][2]:.0%} of the time: one number hides a weak class.")
        for candidate, text in _ACCURACY_SLIPS:
            if _d.explains(candidate, results):
                _fail(text)
        for (C, got), w in zip(results, want, strict=True):
            if not close(got, w):
                rounded = " (rounded?)" if close(got, np.round(w, 2), atol=1e-9) or close(
                    got, np.round(w, 3), atol=1e-9) else ""
                _fail(f"for the {len(C)} × {len(C)} table {fmt(C)}: got "
                      f"{fmt(np.round(got, 4))}, expected {fmt(np.round(w, 4))}{rounded}: "
                      f"C[i, i] over row i's sum, exactly")
        _fail("not yet")
    report(LESSON, "per_class_accuracy", run)


# --------------------------------------------------------------------------- Exercise 4

_MAX_PARAMS, _TARGET, _SEEDS = 1500, 0.95, (0, 1, 2)


def _n_params(hidden):
    return 64 * hidden + hidden + hidden * 10 + 10


@functools.lru_cache(maxsize=64)
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


_TEST_READERS = ("digits_splits", "load_digits", "load_mnist")


def _test_data_read(fn) -> str:
    """The names of test data the learner's function reads ("" when none): a name that starts
    a word with "test" (``X_test``, ``test_acc``, not ``latest``), or a loader that returns the
    test split."""
    names = sorted(n for n in _d.code_names(fn)
                   if re.search(r"(?:^|_)test", n, re.IGNORECASE) or n in _TEST_READERS)
    return " and ".join(f"`{n}`" for n in names[:3])


def _pct(acc):
    """A percentage with one decimal, or two where one would round a miss up to the target."""
    return f"{acc:.2%}" if acc < _TARGET and round(acc * 100, 1) >= _TARGET * 100 else f"{acc:.1%}"


def check_design_small_network(design_small_network):
    """``design_small_network() -> (hidden, lr)``: ≤ 1,500 parameters and ≥ 95 % validation
    accuracy, averaged over three training runs (seeds 0, 1, 2)."""
    def run():
        got = call(design_small_network, name="design_small_network")
        hidden_f, lr = (number(v, f"{what} (the {which} number)") for v, what, which in zip(
            sequence(got, "your (hidden, lr)", 2, "(hidden, lr)"), ("hidden", "η"),
            ("first", "second"), strict=True))
        if not hidden_f.is_integer() or hidden_f < 1:
            swapped = np.isfinite(lr) and float(lr).is_integer() and lr >= 1
            _fail(f"hidden = {fmt(hidden_f)}: the number of hidden units is a whole number ≥ 1"
                  + (" (swapped? return (hidden, lr), the units first)" if swapped else ""))
        hidden = int(hidden_f)
        if not (np.isfinite(lr) and lr > 0):
            _fail(f"η = {fmt(lr)}: the learning rate must be a positive number")
        peeks = _test_data_read(design_small_network)
        if peeks:
            _fail(f"your function reads {peeks}: the test set must not help choose the "
                  f"design. Choose h and η on the validation set only (the explorer and "
                  f"train_digits use training and validation data); the test set is read "
                  f"once, at the very end")
        n = _n_params(hidden)
        if n > _MAX_PARAMS:
            _fail(f"{hidden} hidden units make 64·{hidden} + {hidden} + {hidden}·10 + 10 = "
                  f"{n:,} parameters, over {_MAX_PARAMS:,}: the first layer alone has 64 "
                  f"weights per unit")
        acc, diverged = _mean_val_acc(hidden, lr)
        if not diverged and acc >= _TARGET - 1e-9:      # 95 % exactly passes
            return (f"{n:,} parameters read {acc:.1%} of the validation digits on average over "
                    f"three runs (seeds 0, 1, 2), and your function reads no test data: the "
                    f"test set is left for the final measurement.")
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

"""Lesson 08 checks: scaling pixels, the confusion matrix, accuracy per class."""

from __future__ import annotations

import numpy as np

from ._core import Hint, call, check_all, close, register, report

__all__ = ["check_scale_pixels", "check_confusion_matrix", "check_per_class_accuracy", "check_all"]

LESSON = "08"
register(LESSON, ["scale_pixels", "confusion_matrix", "per_class_accuracy"])


def check_scale_pixels(scale_pixels):
    """``scale_pixels(X)``: pixels 0..16 -> [-1, 1] with x' = x / 8 − 1."""
    def run():
        X = np.array([[0.0, 8.0, 16.0], [4.0, 12.0, 2.0]])
        got = np.asarray(call(scale_pixels, X.copy()), dtype=float)
        want = X / 8 - 1
        if got.shape != want.shape:
            raise Hint(f"returned shape {got.shape}, expected the input's shape {want.shape}")
        if close(got, X / 16):
            raise Hint("values land in [0, 1]: stretch them to [-1, 1] with 2 · x / 16 − 1")
        if close(got, X / 255) or close(got, X / 127.5 - 1):
            raise Hint("these digits have pixels 0..16, not 0..255: use 16 as the maximum")
        if close(got, -want):
            raise Hint("sign flipped: pixel 0 (white) should map to −1 and 16 to +1")
        if not close(got, want):
            raise Hint(f"pixels 0, 8, 16 gave {np.round(got[0], 3)}, expected [-1, 0, 1]")
        part = np.array([[2.0, 5.0, 9.0]])
        got = np.asarray(call(scale_pixels, part.copy()), dtype=float)
        if not close(got, part / 8 - 1):
            raise Hint("an image without pure black or white pixels came out differently: use "
                       "the fixed range 0..16, not X.min() and X.max() of the data you get")
        return "Centred inputs near [-1, 1] keep the first layer's pre-activations a sensible size."
    report(LESSON, "scale_pixels", run)


def check_confusion_matrix(confusion_matrix):
    """``confusion_matrix(y_true, y_pred, num_classes)``: C[i, j] counts true i predicted as j."""
    def run():
        y_true = np.array([0, 0, 1, 1, 1, 2, 2, 0])
        y_pred = np.array([0, 1, 1, 1, 2, 2, 0, 0])
        want = np.zeros((4, 4), dtype=int)
        for t, p in zip(y_true, y_pred, strict=True):
            want[t, p] += 1
        got = np.asarray(call(confusion_matrix, y_true, y_pred, 4))
        if got.shape != (4, 4):
            raise Hint(f"returned shape {got.shape}: expected (num_classes, num_classes) = (4, 4), "
                       f"even when a class never appears")
        if close(got, want.T):
            raise Hint("transposed: rows are the true class, columns the prediction, C[t, p] += 1")
        if got.sum() != len(y_true):
            raise Hint(f"the counts add up to {got.sum()}, but there are {len(y_true)} samples: "
                       f"add 1 per sample")
        if not close(got, want):
            raise Hint(f"got\n{got}\nexpected C[t, p] += 1 for every (true, predicted) pair")
        return "The diagonal holds the right answers; every other cell is one kind of mistake."
    report(LESSON, "confusion_matrix", run)


def check_per_class_accuracy(per_class_accuracy):
    """``per_class_accuracy(C)``: for each true class i, the fraction C[i, i] / Σ_j C[i, j]."""
    def run():
        C = np.array([[8, 2, 0], [1, 3, 0], [0, 5, 5]])
        got = np.asarray(call(per_class_accuracy, C.copy()), dtype=float)
        want = np.diag(C) / C.sum(axis=1)
        if got.shape != want.shape:
            if got.size == 1 and np.isclose(float(got), np.trace(C) / C.sum()):
                raise Hint("that is the overall accuracy: return one number per class, "
                           "C[i, i] / (row i's total)")
            raise Hint(f"returned shape {got.shape}: expected one number per class, "
                       f"shape {want.shape}")
        if close(got, np.diag(C) / C.sum(axis=0)):
            raise Hint("you divided by column sums (how often each digit was *predicted*): divide "
                       "by row sums, the number of true samples of each class")
        if close(got, np.diag(C)):
            raise Hint("these are counts: divide by the number of samples of each class")
        if not close(got, want):
            raise Hint(f"got {np.round(got, 3)}, expected diag(C) / C.sum(axis=1) = "
                       f"{np.round(want, 3)}")
        return ("A 97 % overall accuracy can hide one digit that the network gets wrong "
                "far more often.")
    report(LESSON, "per_class_accuracy", run)

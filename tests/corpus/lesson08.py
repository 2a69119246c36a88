"""Lesson 08 wrong-answer corpus (see ``_lessons05_09.py``)."""

OK = "OK"


def GLOBALS():
    """Notebook globals some answers read (the lesson's splits, as in the notebook)."""
    from nnlib.explore.digits import digits_splits, train_digits
    X_train, X_val, X_test, y_train, y_val, y_test = digits_splits()
    return dict(X_train=X_train, X_val=X_val, X_test=X_test, y_train=y_train, y_val=y_val,
                y_test=y_test, train_digits=train_digits)


NAMESPACE = GLOBALS()

CASES = [
    # ---------------------------------------------------------------- pixel_push
    ("pixel_push", "reference", OK, '''
def pixel_push():
    return tuple(0.5 * (raw / 8 - 1) for raw in (0, 8, 16))
'''),
    ("pixel_push", "scaled by 2x/16 - 1, a list", OK, '''
def pixel_push():
    return [0.5 * (2 * raw / 16 - 1) for raw in (0, 8, 16)]
'''),
    ("pixel_push", "raw pixels", r"raw pixels", '''
def pixel_push():
    return 0.0, 4.0, 8.0
'''),
    ("pixel_push", "scaled to [0, 1]", r"\[0, 1\]", '''
def pixel_push():
    return 0.0, 0.25, 0.5
'''),
    ("pixel_push", "sign flipped", r"sign", '''
def pixel_push():
    return 0.5, 0.0, -0.5
'''),
    ("pixel_push", "scaled pixels only", r"multiply each by the weight", '''
def pixel_push():
    return -1.0, 0.0, 1.0
'''),
    ("pixel_push", "precedence: 0.5 * raw / 8 - 1", r"bracket|parenthes|precedence", '''
def pixel_push():
    return tuple(0.5 * raw / 8 - 1 for raw in (0, 8, 16))
'''),
    ("pixel_push", "blank counted as 0", r"blank paper is −1", '''
def pixel_push():
    return 0.0, 0.0, 0.5
'''),
    ("pixel_push", "text", r"quotes", '''
def pixel_push():
    return "-0.5", "0", "0.5"
'''),
    # ---------------------------------------------------------------- confusion_counts
    ("confusion_counts", "reference", OK, '''
def confusion_counts(y_true, y_pred, K):
    C = np.zeros((K, K), dtype=int)
    for t, p in zip(y_true, y_pred):
        C[t, p] += 1
    return C
'''),
    ("confusion_counts", "floats, C[t][p]", OK, '''
def confusion_counts(y_true, y_pred, K):
    C = np.zeros((K, K))
    for i in range(len(y_true)):
        C[y_true[i]][y_pred[i]] += 1
    return C
'''),
    ("confusion_counts", "np.add.at", OK, '''
def confusion_counts(y_true, y_pred, K):
    C = np.zeros((K, K), dtype=int)
    np.add.at(C, (y_true, y_pred), 1)
    return C
'''),
    ("confusion_counts", "list of lists built right", OK, '''
def confusion_counts(y_true, y_pred, K):
    C = [[0] * K for _ in range(K)]
    for t, p in zip(y_true, y_pred):
        C[t][p] += 1
    return C
'''),
    ("confusion_counts", "transposed", r"transposed", '''
def confusion_counts(y_true, y_pred, K):
    C = np.zeros((K, K), dtype=int)
    for t, p in zip(y_true, y_pred):
        C[p, t] += 1
    return C
'''),
    ("confusion_counts", "vectorised +=", r"counts only once", '''
def confusion_counts(y_true, y_pred, K):
    C = np.zeros((K, K), dtype=int)
    C[y_true, y_pred] += 1
    return C
'''),
    ("confusion_counts", "= 1 instead of += 1", r"= 1|counts only once|only once", '''
def confusion_counts(y_true, y_pred, K):
    C = np.zeros((K, K), dtype=int)
    for t, p in zip(y_true, y_pred):
        C[t, p] = 1
    return C
'''),
    ("confusion_counts", "K from the labels", r"K argument", '''
def confusion_counts(y_true, y_pred, K):
    k = max(y_true.max(), y_pred.max()) + 1
    C = np.zeros((k, k), dtype=int)
    for t, p in zip(y_true, y_pred):
        C[t, p] += 1
    return C
'''),
    ("confusion_counts", "[[0]*K]*K: one row shared K times",
     r"same list|same row|\[\[0\] \* K\] \* K|copies",
     '''
def confusion_counts(y_true, y_pred, K):
    C = [[0] * K] * K
    for t, p in zip(y_true, y_pred):
        C[t][p] += 1
    return np.array(C)
'''),
    ("confusion_counts", "np.zeros(K, K)", r"np\.zeros\(\(K, K\)\)|tuple", '''
def confusion_counts(y_true, y_pred, K):
    C = np.zeros(K, K)
    for t, p in zip(y_true, y_pred):
        C[t, p] += 1
    return C
'''),
    ("confusion_counts", "labels taken as 1-based", r"0|from 0|1-based|minus 1", '''
def confusion_counts(y_true, y_pred, K):
    C = np.zeros((K, K), dtype=int)
    for t, p in zip(y_true, y_pred):
        C[t - 1, p - 1] += 1
    return C
'''),
    ("confusion_counts", "diagonal only", r"diagonal", '''
def confusion_counts(y_true, y_pred, K):
    C = np.zeros((K, K), dtype=int)
    for t, p in zip(y_true, y_pred):
        if t == p:
            C[t, p] += 1
    return C
'''),
    ("confusion_counts", "fractions", r"fractions", '''
def confusion_counts(y_true, y_pred, K):
    C = np.zeros((K, K))
    for t, p in zip(y_true, y_pred):
        C[t, p] += 1
    return C / len(y_true)
'''),
    # ---------------------------------------------------------------- per_class_accuracy
    ("per_class_accuracy", "reference", OK, '''
def per_class_accuracy(C):
    return np.diag(C) / C.sum(axis=1)
'''),
    ("per_class_accuracy", "a list comprehension", OK, '''
def per_class_accuracy(C):
    return [C[i, i] / C[i].sum() for i in range(len(C))]
'''),
    ("per_class_accuracy", "column sums", r"column sums", '''
def per_class_accuracy(C):
    return np.diag(C) / C.sum(axis=0)
'''),
    ("per_class_accuracy", "overall accuracy", r"overall accuracy", '''
def per_class_accuracy(C):
    return np.trace(C) / C.sum()
'''),
    ("per_class_accuracy", "floor division", r"floor division", '''
def per_class_accuracy(C):
    return np.diag(C) // C.sum(axis=1)
'''),
    ("per_class_accuracy", "percentages", r"percentages", '''
def per_class_accuracy(C):
    return 100 * np.diag(C) / C.sum(axis=1)
'''),
    ("per_class_accuracy", "keepdims", r"keepdims|column|shape", '''
def per_class_accuracy(C):
    return np.diag(C) / C.sum(axis=1, keepdims=True)
'''),
    ("per_class_accuracy", "C /= on an integer matrix", r"integer|/=|in place", '''
def per_class_accuracy(C):
    C /= C.sum(axis=1, keepdims=True)
    return np.diag(C)
'''),
    ("per_class_accuracy", "C = C / ... is fine", OK, '''
def per_class_accuracy(C):
    C = C / C.sum(axis=1, keepdims=True)
    return np.diag(C)
'''),
    ("per_class_accuracy", "row max", r"largest entry", '''
def per_class_accuracy(C):
    return C.max(axis=1) / C.sum(axis=1)
'''),
    ("per_class_accuracy", "error rates", r"error rates", '''
def per_class_accuracy(C):
    return 1 - np.diag(C) / C.sum(axis=1)
'''),
    ("per_class_accuracy", "counts", r"counts", '''
def per_class_accuracy(C):
    return np.diag(C)
'''),
    ("per_class_accuracy", "rounded to 2 decimals", None, '''
def per_class_accuracy(C):
    return np.round(np.diag(C) / C.sum(axis=1), 2)
'''),
    # ---------------------------------------------------------------- design_small_network
    ("design_small_network", "reference", OK, '''
def design_small_network():
    return 16, 0.05
'''),
    ("design_small_network", "numpy int, list", OK, '''
def design_small_network():
    return [np.int64(18), 0.05]
'''),
    ("design_small_network", "20 units: over budget", r"over 1,500", '''
def design_small_network():
    return 20, 0.05
'''),
    ("design_small_network", "swapped", r"swapped", '''
def design_small_network():
    return 0.05, 16
'''),
    ("design_small_network", "text", r"quotes", '''
def design_small_network():
    return "16", "0.05"
'''),
    ("design_small_network", "too few units", r"budget", '''
def design_small_network():
    return 2, 0.05
'''),
    ("design_small_network", "η chosen on the test set", r"test", '''
def design_small_network():
    best_lr, best_acc = None, -1.0
    for lr in (0.05,):
        model, _ = train_digits(hidden=16, lr=lr)
        acc = float(np.mean(model.forward(X_test).argmax(axis=1) == y_test))
        if acc > best_acc:
            best_lr, best_acc = lr, acc
    return 16, best_lr
'''),
]


# ------------------------------------------------ written after the checks were changed
# (a held-out check of the new checks: measured before being added here)
CASES += [
("pixel_push", "an array", OK, '''
def pixel_push():
    return np.array([-0.5, 0.0, 0.5])
'''),
("pixel_push", "raw / 32 - 0.5", None, '''
def pixel_push():
    return tuple(raw / 32 - 0.5 for raw in (0, 8, 16))
'''),
("confusion_counts", "bincount", OK, '''
def confusion_counts(y_true, y_pred, K):
    return np.bincount(y_true * K + y_pred, minlength=K * K).reshape(K, K)
'''),
("confusion_counts", "vectorised and transposed", None, '''
def confusion_counts(y_true, y_pred, K):
    C = np.zeros((K, K), dtype=int)
    C[y_pred, y_true] += 1
    return C
'''),
("per_class_accuracy", "diagonal method", OK, '''
def per_class_accuracy(C):
    return C.diagonal() / np.sum(C, axis=1, dtype=float)
'''),
("per_class_accuracy", "divided by K", None, '''
def per_class_accuracy(C):
    return np.diag(C) / len(C)
'''),
]


# ---------------------------------------------------------------- for tests/test_mutants.py
try:
    from mutants._base import right, wrong
except ImportError:  # run on its own (tests/corpus/_lessons05_09.py): CASES is enough
    pass
else:
    ANSWERS = [right(ex, src, label) if slip == OK else wrong(ex, label, slip or "", src)
               for ex, label, slip, src in CASES]

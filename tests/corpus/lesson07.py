"""Lesson 07 wrong-answer corpus (see ``_lessons05_09.py``)."""

OK = "OK"


def _sgd(order="order = rng.permutation(n)", starts="range(0, n, batch_size)",
         grad="dw = 2 * Xb.T @ (Xb @ w - yb) / len(idx)", step="w = w - lr * dw", pre="",
         post="", ret="    return w\n"):
    return f'''
def fix_sgd_epoch(w, X, y, lr, batch_size, rng):
    n = len(X)
    {order}
{pre}    for start in {starts}:
        idx = order[start:start + batch_size]
        Xb, yb = X[idx], y[idx]
        {grad}
        {step}
{post}{ret}'''


CASES = [
    # ---------------------------------------------------------------- ce_grad_by_hand
    ("ce_grad_by_hand", "reference", OK, '''
def ce_grad_by_hand():
    return np.array([[0.6, 0.2 - 1, 0.2], [1 / 3 - 1, 1 / 3, 1 / 3]]) / 2
'''),
    ("ce_grad_by_hand", "nested list, rounded by hand", OK, '''
def ce_grad_by_hand():
    return [[0.3, -0.4, 0.1], [-0.333, 0.167, 0.167]]
'''),
    ("ce_grad_by_hand", "no 1/n", r"divide every row by n", '''
def ce_grad_by_hand():
    return np.array([[0.6, -0.8, 0.2], [-2 / 3, 1 / 3, 1 / 3]])
'''),
    ("ce_grad_by_hand", "E - P", r"sign", '''
def ce_grad_by_hand():
    return -np.array([[0.6, -0.8, 0.2], [-2 / 3, 1 / 3, 1 / 3]]) / 2
'''),
    ("ce_grad_by_hand", "probabilities only", r"probabilities", '''
def ce_grad_by_hand():
    return np.array([[0.6, 0.2, 0.2], [1 / 3, 1 / 3, 1 / 3]]) / 2
'''),
    ("ce_grad_by_hand", "minus one everywhere", r"1 from every", '''
def ce_grad_by_hand():
    return (np.array([[0.6, 0.2, 0.2], [1 / 3, 1 / 3, 1 / 3]]) - 1) / 2
'''),
    ("ce_grad_by_hand", "label in the wrong column", r"wrong class", '''
def ce_grad_by_hand():
    return np.array([[0.6 - 1, 0.2, 0.2], [1 / 3, 1 / 3 - 1, 1 / 3]]) / 2
'''),
    ("ce_grad_by_hand", "divided by K", r"K = 3", '''
def ce_grad_by_hand():
    return np.array([[0.6, -0.8, 0.2], [-2 / 3, 1 / 3, 1 / 3]]) / 3
'''),
    ("ce_grad_by_hand", "transposed", r"transposed", '''
def ce_grad_by_hand():
    return np.array([[0.6, -0.8, 0.2], [-2 / 3, 1 / 3, 1 / 3]]).T / 2
'''),
    ("ce_grad_by_hand", "softmax of row 0 taken as (1, 1, 1)/3 too", r"row 0", '''
def ce_grad_by_hand():
    return np.array([[1 / 3, 1 / 3 - 1, 1 / 3], [1 / 3 - 1, 1 / 3, 1 / 3]]) / 2
'''),
    # ---------------------------------------------------------------- predict_valley_paths
    ("predict_valley_paths", "reference", OK, '''
def predict_valley_paths():
    return ("zigzag", "smooth", "diverge")
'''),
    ("predict_valley_paths", "a list, capitalised", OK, '''
def predict_valley_paths():
    return ["Zigzag", "Smooth", "Diverge"]
'''),
    ("predict_valley_paths", "section 6's limits", r"section 6", '''
def predict_valley_paths():
    return ("zigzag", "smooth", "zigzag")
'''),
    ("predict_valley_paths", "shallow direction", r"curvature 1|along the valley", '''
def predict_valley_paths():
    return ("smooth", "smooth", "smooth")
'''),
    ("predict_valley_paths", "forgot the 1/2", r"½", '''
def predict_valley_paths():
    return ("diverge", "zigzag", "diverge")
'''),
    ("predict_valley_paths", "order of the η mixed up", r"η = 0\.06", '''
def predict_valley_paths():
    return ("smooth", "zigzag", "diverge")
'''),
    ("predict_valley_paths", "two words", r"2 words|three", '''
def predict_valley_paths():
    return ("zigzag", "diverge")
'''),
    ("predict_valley_paths", "misspelt word", r"not one of", '''
def predict_valley_paths():
    return ("zig-zag", "smooth", "diverge")
'''),
    # ---------------------------------------------------------------- fix_sgd_epoch
    ("fix_sgd_epoch", "reference", OK, _sgd()),
    ("fix_sgd_epoch", "X, y reordered once, then sliced", OK, '''
def fix_sgd_epoch(w, X, y, lr, batch_size, rng):
    order = rng.permutation(len(X))
    Xs, ys = X[order], y[order]
    for start in range(0, len(X), batch_size):
        Xb, yb = Xs[start:start + batch_size], ys[start:start + batch_size]
        w = w - lr * 2 * Xb.T @ (Xb @ w - yb) / len(yb)
    return w
'''),
    ("fix_sgd_epoch", "np.split at multiples of B", OK, '''
def fix_sgd_epoch(w, X, y, lr, batch_size, rng):
    n = len(X)
    order = rng.permutation(n)
    for idx in np.split(order, np.arange(batch_size, n, batch_size)):
        err = X[idx] @ w - y[idx]
        w = w - lr * (2 / len(idx)) * X[idx].T @ err
    return w
'''),
    ("fix_sgd_epoch", "the classmate's loop, unchanged", r"sign|pile up|shuffled|off by one", _sgd(
        order="order = np.arange(n)", starts="range(0, n - batch_size, batch_size)",
        pre="    dw = np.zeros_like(w)\n", grad="dw += 2 * Xb.T @ (Xb @ w - yb) / len(idx)")),
    ("fix_sgd_epoch", "never shuffled", r"never shuffled", _sgd(order="order = np.arange(n)")),
    ("fix_sgd_epoch", "gradients pile up", r"pile up", _sgd(
        pre="    dw = np.zeros_like(w)\n", grad="dw += 2 * Xb.T @ (Xb @ w - yb) / len(idx)")),
    ("fix_sgd_epoch", "range stops at n - B", r"skips the last|up to n", _sgd(
        starts="range(0, n - batch_size, batch_size)")),
    ("fix_sgd_epoch", "range stops at n - 1: drops a sample when n % B = 1",
     r"range\(0, n − 1|last sample|up to n|every sample",
     _sgd(starts="range(0, n - 1, batch_size)")),
    ("fix_sgd_epoch", "range to n + 1: an empty batch when B divides n",
     r"empty|n \+ 1", _sgd(starts="range(0, n + 1, batch_size)")),
    ("fix_sgd_epoch", "sum, not mean", r"len\(batch\) times too large|mean gradient", _sgd(
        grad="dw = 2 * Xb.T @ (Xb @ w - yb)")),
    ("fix_sgd_epoch", "divided by n", r"not by n", _sgd(grad="dw = 2 * Xb.T @ (Xb @ w - yb) / n")),
    ("fix_sgd_epoch", "divided by batch_size", r"real size|len\(idx\)", _sgd(
        grad="dw = 2 * Xb.T @ (Xb @ w - yb) / batch_size")),
    ("fix_sgd_epoch", "sign flipped", r"sign", _sgd(step="w = w + lr * dw")),
    ("fix_sgd_epoch", "np.random instead of rng", r"rng argument", _sgd(
        order="order = np.random.permutation(n)")),
    ("fix_sgd_epoch", "w -= in place", r"caller's .?w", _sgd(step="w -= lr * dw")),
    ("fix_sgd_epoch", "X and y shuffled separately",
     r"separately|same order|same permutation|different permutations",
     '''
def fix_sgd_epoch(w, X, y, lr, batch_size, rng):
    n = len(X)
    X = X[rng.permutation(n)]
    y = y[rng.permutation(n)]
    for start in range(0, n, batch_size):
        Xb, yb = X[start:start + batch_size], y[start:start + batch_size]
        w = w - lr * 2 * Xb.T @ (Xb @ w - yb) / len(yb)
    return w
'''),
    ("fix_sgd_epoch", "rng.shuffle on X and y: in place and separately",
     r"caller's .?X|separately|same order", '''
def fix_sgd_epoch(w, X, y, lr, batch_size, rng):
    n = len(X)
    rng.shuffle(X)
    rng.shuffle(y)
    for start in range(0, n, batch_size):
        Xb, yb = X[start:start + batch_size], y[start:start + batch_size]
        w = w - lr * 2 * Xb.T @ (Xb @ w - yb) / len(yb)
    return w
'''),
    ("fix_sgd_epoch", "shuffles the caller's arrays in place, same order", r"caller's .?X", '''
def fix_sgd_epoch(w, X, y, lr, batch_size, rng):
    n = len(X)
    order = rng.permutation(n)
    X[:] = X[order]
    y[:] = y[order]
    for start in range(0, n, batch_size):
        Xb, yb = X[start:start + batch_size], y[start:start + batch_size]
        w = w - lr * 2 * Xb.T @ (Xb @ w - yb) / len(yb)
    return w
'''),
    ("fix_sgd_epoch", "return inside the loop", r"return.*inside the loop|first batch", _sgd(
        ret="", step="w = w - lr * dw\n        return w")),
    ("fix_sgd_epoch", "one full-batch step", r"full-batch", '''
def fix_sgd_epoch(w, X, y, lr, batch_size, rng):
    n = len(X)
    order = rng.permutation(n)
    Xb, yb = X[order], y[order]
    return w - lr * 2 * Xb.T @ (Xb @ w - yb) / n
'''),
    ("fix_sgd_epoch", "array_split into ceil(n / B) pieces: batches of the wrong size",
     r"array_split|batch sizes|size", '''
def fix_sgd_epoch(w, X, y, lr, batch_size, rng):
    n = len(X)
    order = rng.permutation(n)
    for idx in np.array_split(order, int(np.ceil(n / batch_size))):
        w = w - lr * 2 * X[idx].T @ (X[idx] @ w - y[idx]) / len(idx)
    return w
'''),
    ("fix_sgd_epoch", "shuffles inside the loop", r"once|every batch|exactly one", '''
def fix_sgd_epoch(w, X, y, lr, batch_size, rng):
    n = len(X)
    for start in range(0, n, batch_size):
        order = rng.permutation(n)
        idx = order[start:start + batch_size]
        w = w - lr * 2 * X[idx].T @ (X[idx] @ w - y[idx]) / len(idx)
    return w
'''),
    ("fix_sgd_epoch", "uses the unshuffled rows for X", r"order|idx|same rows|X and y", '''
def fix_sgd_epoch(w, X, y, lr, batch_size, rng):
    n = len(X)
    order = rng.permutation(n)
    for start in range(0, n, batch_size):
        idx = order[start:start + batch_size]
        Xb, yb = X[start:start + batch_size], y[idx]
        w = w - lr * 2 * Xb.T @ (Xb @ w - yb) / len(idx)
    return w
'''),
    # ---------------------------------------------------------------- choose_momentum
    ("choose_momentum", "reference", OK, '''
def choose_momentum():
    return 0.05, 0.7
'''),
    ("choose_momentum", "array, other setting", OK, '''
def choose_momentum():
    return np.array([0.1, 0.6])
'''),
    ("choose_momentum", "list", OK, '''
def choose_momentum():
    return [0.08, 0.55]
'''),
    ("choose_momentum", "dips below 0.1 then climbs back", r"climbs back|again|stay", '''
def choose_momentum():
    return 0.16, 0.9
'''),
    ("choose_momentum", "dips early, circles above 0.1", r"climbs back|again|stay", '''
def choose_momentum():
    return 0.08, 0.75
'''),
    ("choose_momentum", "too much momentum", r"too much momentum|lower μ", '''
def choose_momentum():
    return 0.05, 0.9
'''),
    ("choose_momentum", "plain GD", r"μ = 0", '''
def choose_momentum():
    return 0.05, 0.0
'''),
    ("choose_momentum", "diverges", r"diverge", '''
def choose_momentum():
    return 0.2, 0.5
'''),
    ("choose_momentum", "percentage", r"percentage", '''
def choose_momentum():
    return 0.05, 70
'''),
    ("choose_momentum", "text", r"quotes", '''
def choose_momentum():
    return "0.05", "0.7"
'''),
    ("choose_momentum", "swapped", r"swapped|\(lr, mu\)", '''
def choose_momentum():
    return 0.7, 0.05
'''),
    ("choose_momentum", "too little momentum", r"too little momentum|raise μ|raise η", '''
def choose_momentum():
    return 0.05, 0.3
'''),
    ("choose_momentum", "η too small", r"η|learning rate", '''
def choose_momentum():
    return 0.01, 0.6
'''),
]


# ------------------------------------------------ written after the checks were changed
# (a held-out check of the new checks: measured before being added here)
CASES += [
("ce_grad_by_hand", "exact thirds", OK, '''
def ce_grad_by_hand():
    return [[0.3, -0.4, 0.1], [-1 / 3, 1 / 6, 1 / 6]]
'''),
("ce_grad_by_hand", "only row 0 divided", None, '''
def ce_grad_by_hand():
    return [[0.3, -0.4, 0.1], [-2 / 3, 1 / 3, 1 / 3]]
'''),
("predict_valley_paths", "trailing space", OK, '''
def predict_valley_paths():
    return ("zigzag ", "smooth", "diverge")
'''),
("fix_sgd_epoch", "len(y)", OK, '''
def fix_sgd_epoch(w, X, y, lr, batch_size, rng):
    order = rng.permutation(len(y))
    for start in range(0, len(y), batch_size):
        b = order[start:start + batch_size]
        w = w - lr * (2 / len(b)) * X[b].T @ (X[b] @ w - y[b])
    return w
'''),
("fix_sgd_epoch", "lr squared", None, '''
def fix_sgd_epoch(w, X, y, lr, batch_size, rng):
    n = len(X)
    order = rng.permutation(n)
    for start in range(0, n, batch_size):
        idx = order[start:start + batch_size]
        w = w - lr * lr * 2 * X[idx].T @ (X[idx] @ w - y[idx]) / len(idx)
    return w
'''),
("fix_sgd_epoch", "slice one short", None, '''
def fix_sgd_epoch(w, X, y, lr, batch_size, rng):
    n = len(X)
    order = rng.permutation(n)
    for start in range(0, n, batch_size):
        idx = order[start:start + batch_size - 1]
        w = w - lr * 2 * X[idx].T @ (X[idx] @ w - y[idx]) / len(idx)
    return w
'''),
("choose_momentum", "another right one", OK, '''
def choose_momentum():
    return 0.1, 0.6
'''),
("choose_momentum", "far too much momentum", r"lower μ", '''
def choose_momentum():
    return 0.09, 0.95
'''),
("choose_momentum", "just too slow", r"μ = |η = ", '''
def choose_momentum():
    return 0.06, 0.5
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

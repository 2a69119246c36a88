"""Lesson 09 wrong-answer corpus (see ``_lessons05_09.py``)."""

OK = "OK"

CASES = [
    # ---------------------------------------------------------------- decay_equilibrium
    ("decay_equilibrium", "reference", OK, '''
def decay_equilibrium(lr, lam, g):
    return -g / lam
'''),
    ("decay_equilibrium", "the algebra kept in", OK, '''
def decay_equilibrium(lr, lam, g):
    return -lr * g / (lr * lam)
'''),
    ("decay_equilibrium", "sign", r"sign", '''
def decay_equilibrium(lr, lam, g):
    return g / lam
'''),
    ("decay_equilibrium", "η kept", r"η", '''
def decay_equilibrium(lr, lam, g):
    return -lr * g / lam
'''),
    ("decay_equilibrium", "multiplied by λ", r"divide by λ", '''
def decay_equilibrium(lr, lam, g):
    return -g * lam
'''),
    ("decay_equilibrium", "zero", r"Decay alone", '''
def decay_equilibrium(lr, lam, g):
    return 0.0
'''),
    ("decay_equilibrium", "λ missing", r"λ is missing", '''
def decay_equilibrium(lr, lam, g):
    return -g
'''),
    ("decay_equilibrium", "floor division", r"//|floor division", '''
def decay_equilibrium(lr, lam, g):
    return -g // lam
'''),
    ("decay_equilibrium", "simulated for too few steps", None, '''
def decay_equilibrium(lr, lam, g):
    w = 0.0
    for _ in range(100):
        w = (1 - lr * lam) * w - lr * g
    return w
'''),
    ("decay_equilibrium", "int() of the answer", r"whole number|int|round", '''
def decay_equilibrium(lr, lam, g):
    return int(-g / lam)
'''),
    ("decay_equilibrium", "lr and lam confused", r"η|λ", '''
def decay_equilibrium(lr, lam, g):
    return -g / lr
'''),
    # ---------------------------------------------------------------- leaky_layer_variance
    ("leaky_layer_variance", "reference", OK, '''
def leaky_layer_variance(n_in, s, var_prev, alpha):
    return n_in * s ** 2 * var_prev * (1 + alpha ** 2) / 2
'''),
    ("leaky_layer_variance", "two halves written out", OK, '''
def leaky_layer_variance(n_in, s, var_prev, alpha):
    e_a2 = 0.5 * var_prev + 0.5 * alpha * alpha * var_prev
    return n_in * s * s * e_a2
'''),
    ("leaky_layer_variance", "plain ReLU", r"plain ReLU", '''
def leaky_layer_variance(n_in, s, var_prev, alpha):
    return n_in * s ** 2 * var_prev / 2
'''),
    ("leaky_layer_variance", "α not squared", r"Square the leak", '''
def leaky_layer_variance(n_in, s, var_prev, alpha):
    return n_in * s ** 2 * var_prev * (1 + alpha) / 2
'''),
    ("leaky_layer_variance", "no ½", r"2× too large|half the time", '''
def leaky_layer_variance(n_in, s, var_prev, alpha):
    return n_in * s ** 2 * var_prev * (1 + alpha ** 2)
'''),
    ("leaky_layer_variance", "s not squared", r"square it", '''
def leaky_layer_variance(n_in, s, var_prev, alpha):
    return n_in * s * var_prev * (1 + alpha ** 2) / 2
'''),
    ("leaky_layer_variance", "floor division", r"//|floor division", '''
def leaky_layer_variance(n_in, s, var_prev, alpha):
    return n_in * s ** 2 * var_prev * (1 + alpha ** 2) // 2
'''),
    ("leaky_layer_variance", "Var[a] instead of E[a²]", r"Var\[a\]|E\[a²\]|mean of a", '''
def leaky_layer_variance(n_in, s, var_prev, alpha):
    e_a2 = 0.5 * (1 + alpha ** 2) * var_prev
    e_a = 0.5 * (1 - alpha) * np.sqrt(2 * var_prev / np.pi)
    return n_in * s ** 2 * (e_a2 - e_a ** 2)
'''),
    ("leaky_layer_variance", "½ on the positive half only", r"½|each half|both halves", '''
def leaky_layer_variance(n_in, s, var_prev, alpha):
    return n_in * s ** 2 * var_prev * (0.5 + alpha ** 2)
'''),
    ("leaky_layer_variance", "½ on the negative half only", r"½|each half|both halves", '''
def leaky_layer_variance(n_in, s, var_prev, alpha):
    return n_in * s ** 2 * var_prev * (1 + alpha ** 2 / 2)
'''),
    ("leaky_layer_variance", "(1 + α)² / 2", r"\(1 \+ α\)²|square each|sum of the squares", '''
def leaky_layer_variance(n_in, s, var_prev, alpha):
    return n_in * s ** 2 * var_prev * (1 + alpha) ** 2 / 2
'''),
    ("leaky_layer_variance", "^ for power", r"\*\*", '''
def leaky_layer_variance(n_in, s, var_prev, alpha):
    return n_in * s ** 2 * var_prev * (1 + alpha ^ 2) / 2
'''),
    ("leaky_layer_variance", "n_in missing", r"n_in", '''
def leaky_layer_variance(n_in, s, var_prev, alpha):
    return s ** 2 * var_prev * (1 + alpha ** 2) / 2
'''),
    ("leaky_layer_variance", "std returned", r"std", '''
def leaky_layer_variance(n_in, s, var_prev, alpha):
    return np.sqrt(n_in * s ** 2 * var_prev * (1 + alpha ** 2) / 2)
'''),
    ("leaky_layer_variance", "halves cancel", r"add, they do not cancel", '''
def leaky_layer_variance(n_in, s, var_prev, alpha):
    return n_in * s ** 2 * var_prev * (1 - alpha ** 2) / 2
'''),
    # ---------------------------------------------------------------- best_epoch
    ("best_epoch", "reference", OK, '''
def best_epoch(val_losses):
    best = 0
    for epoch in range(1, len(val_losses)):
        if val_losses[epoch] < val_losses[best]:
            best = epoch
    return best
'''),
    ("best_epoch", "index of min", OK, '''
def best_epoch(val_losses):
    return val_losses.index(min(val_losses))
'''),
    ("best_epoch", "np.argmin", OK, '''
def best_epoch(val_losses):
    return np.argmin(val_losses)
'''),
    ("best_epoch", "the buggy rule", r"buggy rule", '''
def best_epoch(val_losses):
    best = 0
    for epoch in range(1, len(val_losses)):
        if val_losses[epoch] < val_losses[epoch - 1]:
            best = epoch
    return best
'''),
    ("best_epoch", "<= keeps the later tie", r"<=", '''
def best_epoch(val_losses):
    best = 0
    for epoch in range(1, len(val_losses)):
        if val_losses[epoch] <= val_losses[best]:
            best = epoch
    return best
'''),
    ("best_epoch", "stops at the first rise", r"first rise|rises|stops", '''
def best_epoch(val_losses):
    for epoch in range(1, len(val_losses)):
        if val_losses[epoch] > val_losses[epoch - 1]:
            return epoch - 1
    return len(val_losses) - 1
'''),
    ("best_epoch", "sorts the caller's list", r"changed the caller's", '''
def best_epoch(val_losses):
    original = list(val_losses)
    val_losses.sort()
    return original.index(val_losses[0])
'''),
    ("best_epoch", "1-based", r"one too far|0-based", '''
def best_epoch(val_losses):
    return int(np.argmin(val_losses)) + 1
'''),
    ("best_epoch", "argmax", r"highest loss", '''
def best_epoch(val_losses):
    return int(np.argmax(val_losses))
'''),
    ("best_epoch", "returns the value", r"loss value|lowest loss value", '''
def best_epoch(val_losses):
    return min(val_losses)
'''),
    ("best_epoch", "last of the ties via reversed argmin", r"later of two equal|earliest", '''
def best_epoch(val_losses):
    return len(val_losses) - 1 - int(np.argmin(val_losses[::-1]))
'''),
    ("best_epoch", "compares with the previous epoch and the best", OK, '''
def best_epoch(val_losses):
    best = 0
    for e in range(1, len(val_losses)):
        if val_losses[e] < val_losses[e - 1] and val_losses[e] < val_losses[best]:
            best = e
    return best
'''),
    ("best_epoch", "starts best at 1", r"first epoch|index 0|epoch 0", '''
def best_epoch(val_losses):
    best = 1
    for epoch in range(2, len(val_losses)):
        if val_losses[epoch] < val_losses[best]:
            best = epoch
    return best
'''),
    ("best_epoch", "the loop variable returned", r"last epoch", '''
def best_epoch(val_losses):
    best = 0
    for epoch in range(1, len(val_losses)):
        if val_losses[epoch] < val_losses[best]:
            best = epoch
    return epoch
'''),
]


# ------------------------------------------------ written after the checks were changed
# (a held-out check of the new checks: measured before being added here)
CASES += [
("decay_equilibrium", "extra factor", None, '''
def decay_equilibrium(lr, lam, g):
    return -g / lam * (1 - lr * lam)
'''),
("decay_equilibrium", "algebra with a sign slip", r"sign", '''
def decay_equilibrium(lr, lam, g):
    return lr * g / (1 - (1 - lr * lam))
'''),
("leaky_layer_variance", "alpha not squared, halves written out", r"Square the leak", '''
def leaky_layer_variance(n_in, s, var_prev, alpha):
    return n_in * s ** 2 * (var_prev / 2 + alpha * var_prev / 2)
'''),
("leaky_layer_variance", "times 0.5", OK, '''
def leaky_layer_variance(n_in, s, var_prev, alpha):
    return n_in * s ** 2 * var_prev * (1 + alpha ** 2) * 0.5
'''),
("best_epoch", "min with key", OK, '''
def best_epoch(val_losses):
    return min(range(len(val_losses)), key=lambda i: val_losses[i])
'''),
("best_epoch", "sorted indices", OK, '''
def best_epoch(val_losses):
    return sorted(range(len(val_losses)), key=val_losses.__getitem__)[0]
'''),
("best_epoch", "enumerate", OK, '''
def best_epoch(val_losses):
    best = 0
    for e, loss in enumerate(val_losses):
        if loss < val_losses[best]:
            best = e
    return best
'''),
("best_epoch", "misses the last epoch", None, '''
def best_epoch(val_losses):
    best = 0
    for e in range(len(val_losses) - 1):
        if val_losses[e] < val_losses[best]:
            best = e
    return best
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

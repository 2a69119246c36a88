"""Lesson 06 wrong-answer corpus (see ``_lessons05_09.py``)."""

OK = "OK"

_TLB_HEAD = '''
def two_layer_backward(X, Y, W1, b1, W2, b2):
    n = X.shape[0]
    Z1 = X @ W1 + b1
    A1 = np.tanh(Z1)
    Y_hat = A1 @ W2 + b2
'''

CASES = [
    # ---------------------------------------------------------------- backprop_by_hand
    ("backprop_by_hand", "reference", OK, '''
def backprop_by_hand(q, r, s, u):
    k = q * r + s
    return u * r, u * q, u, k
'''),
    ("backprop_by_hand", "a NumPy array", OK, '''
def backprop_by_hand(q, r, s, u):
    return np.array([u * r, u * q, u, q * r + s])
'''),
    ("backprop_by_hand", "a list", OK, '''
def backprop_by_hand(q, r, s, u):
    return [u * r, u * q, u, q * r + s]
'''),
    ("backprop_by_hand", "dq and dr swapped", r"swapped", '''
def backprop_by_hand(q, r, s, u):
    return u * q, u * r, u, q * r + s
'''),
    ("backprop_by_hand", "local slopes only", r"gradient from above", '''
def backprop_by_hand(q, r, s, u):
    return r, q, 1, q * r + s
'''),
    ("backprop_by_hand", "du = q*r", r"left out s", '''
def backprop_by_hand(q, r, s, u):
    return u * r, u * q, u, q * r
'''),
    ("backprop_by_hand", "rounded", r"round|whole", '''
def backprop_by_hand(q, r, s, u):
    return round(u * r), round(u * q), round(u), round(q * r + s)
'''),
    ("backprop_by_hand", "sign flipped on dq, dr", r"wrong sign", '''
def backprop_by_hand(q, r, s, u):
    return -u * r, -u * q, u, q * r + s
'''),
    ("backprop_by_hand", "ds and du swapped", r"swapped", '''
def backprop_by_hand(q, r, s, u):
    return u * r, u * q, q * r + s, u
'''),
    ("backprop_by_hand", "three numbers", r"4 numbers", '''
def backprop_by_hand(q, r, s, u):
    return u * r, u * q, u
'''),
    ("backprop_by_hand", "ds forgot the gradient from above", r"∂L/∂s", '''
def backprop_by_hand(q, r, s, u):
    return u * r, u * q, 1, q * r + s
'''),
    ("backprop_by_hand", "dq = u*q*r (multiplied by own value)", None, '''
def backprop_by_hand(q, r, s, u):
    return u * q * r, u * q * r, u, q * r + s
'''),
    # ---------------------------------------------------------------- predict_repeated_backward
    ("predict_repeated_backward", "reference", OK, '''
def predict_repeated_backward():
    return 111.0, 12.0
'''),
    ("predict_repeated_backward", "ints in a list", OK, '''
def predict_repeated_backward():
    return [111, 12]
'''),
    ("predict_repeated_backward", "an array", OK, '''
def predict_repeated_backward():
    return np.array([111, 12])
'''),
    ("predict_repeated_backward", "one call's gradient", r"one call's", '''
def predict_repeated_backward():
    return 37, 12
'''),
    ("predict_repeated_backward", "g accumulates too", r"not a leaf", '''
def predict_repeated_backward():
    return 111, 36
'''),
    ("predict_repeated_backward", "direct path forgotten", r"two paths", '''
def predict_repeated_backward():
    return 108, 12
'''),
    ("predict_repeated_backward", "forgot the 2 of the square", r"2g", '''
def predict_repeated_backward():
    return 57, 6
'''),
    ("predict_repeated_backward", "swapped", r"swapped|order", '''
def predict_repeated_backward():
    return 12, 111
'''),
    ("predict_repeated_backward", "text", r"quotes", '''
def predict_repeated_backward():
    return "111", "12"
'''),
    # ---------------------------------------------------------------- two_layer_backward
    ("two_layer_backward", "reference", OK, _TLB_HEAD + '''
    dZ2 = 2 * (Y_hat - Y) / n
    dZ1 = (dZ2 @ W2.T) * (1 - A1 ** 2)
    return X.T @ dZ1, dZ1.sum(axis=0), A1.T @ dZ2, dZ2.sum(axis=0)
'''),
    ("two_layer_backward", "np.sum, tanh recomputed, len(Y)", OK, '''
def two_layer_backward(X, Y, W1, b1, W2, b2):
    Z1 = np.dot(X, W1) + b1
    Y_hat = np.dot(np.tanh(Z1), W2) + b2
    dZ2 = (2 / len(Y)) * (Y_hat - Y)
    dA1 = np.dot(dZ2, W2.T)
    dZ1 = dA1 * (1 - np.tanh(Z1) ** 2)
    return np.dot(X.T, dZ1), np.sum(dZ1, axis=0), np.dot(np.tanh(Z1).T, dZ2), np.sum(dZ2, axis=0)
'''),
    ("two_layer_backward", "missing 1/n", r"1/n|mean", _TLB_HEAD + '''
    dZ2 = 2 * (Y_hat - Y)
    dZ1 = (dZ2 @ W2.T) * (1 - A1 ** 2)
    return X.T @ dZ1, dZ1.sum(axis=0), A1.T @ dZ2, dZ2.sum(axis=0)
'''),
    ("two_layer_backward", "missing 2", r"a 2|factor 2|the 2", _TLB_HEAD + '''
    dZ2 = (Y_hat - Y) / n
    dZ1 = (dZ2 @ W2.T) * (1 - A1 ** 2)
    return X.T @ dZ1, dZ1.sum(axis=0), A1.T @ dZ2, dZ2.sum(axis=0)
'''),
    ("two_layer_backward", "ReLU's derivative", r"ReLU", _TLB_HEAD + '''
    dZ2 = 2 * (Y_hat - Y) / n
    dZ1 = (dZ2 @ W2.T) * (Z1 > 0)
    return X.T @ dZ1, dZ1.sum(axis=0), A1.T @ dZ2, dZ2.sum(axis=0)
'''),
    ("two_layer_backward", "Y - Y_hat", r"sign", _TLB_HEAD + '''
    dZ2 = 2 * (Y - Y_hat) / n
    dZ1 = (dZ2 @ W2.T) * (1 - A1 ** 2)
    return X.T @ dZ1, dZ1.sum(axis=0), A1.T @ dZ2, dZ2.sum(axis=0)
'''),
    ("two_layer_backward", "db by mean", r"db1 and db2|sum dZ over the rows", _TLB_HEAD + '''
    dZ2 = 2 * (Y_hat - Y) / n
    dZ1 = (dZ2 @ W2.T) * (1 - A1 ** 2)
    return X.T @ dZ1, dZ1.mean(axis=0), A1.T @ dZ2, dZ2.mean(axis=0)
'''),
    ("two_layer_backward", "returns dZ", r"returned dZ", _TLB_HEAD + '''
    dZ2 = 2 * (Y_hat - Y) / n
    dZ1 = (dZ2 @ W2.T) * (1 - A1 ** 2)
    return dZ1, dZ1.sum(axis=0), dZ2, dZ2.sum(axis=0)
'''),
    ("two_layer_backward", "output layer first", r"\(dW2, db2, dW1, db1\)", _TLB_HEAD + '''
    dZ2 = 2 * (Y_hat - Y) / n
    dZ1 = (dZ2 @ W2.T) * (1 - A1 ** 2)
    return A1.T @ dZ2, dZ2.sum(axis=0), X.T @ dZ1, dZ1.sum(axis=0)
'''),
    ("two_layer_backward", "keepdims", r"keepdims", _TLB_HEAD + '''
    dZ2 = 2 * (Y_hat - Y) / n
    dZ1 = (dZ2 @ W2.T) * (1 - A1 ** 2)
    return X.T @ dZ1, dZ1.sum(axis=0, keepdims=True), A1.T @ dZ2, dZ2.sum(axis=0, keepdims=True)
'''),
    ("two_layer_backward", "also updates the caller's weights", r"changed the caller's .?W1",
     _TLB_HEAD + '''
    dZ2 = 2 * (Y_hat - Y) / n
    dZ1 = (dZ2 @ W2.T) * (1 - A1 ** 2)
    dW1, db1, dW2, db2 = X.T @ dZ1, dZ1.sum(axis=0), A1.T @ dZ2, dZ2.sum(axis=0)
    W1 -= 0.1 * dW1
    b1 -= 0.1 * db1
    W2 -= 0.1 * dW2
    b2 -= 0.1 * db2
    return dW1, db1, dW2, db2
'''),
    ("two_layer_backward", "1 - Z1**2", r"1 − Z1²|Z1", _TLB_HEAD + '''
    dZ2 = 2 * (Y_hat - Y) / n
    dZ1 = (dZ2 @ W2.T) * (1 - Z1 ** 2)
    return X.T @ dZ1, dZ1.sum(axis=0), A1.T @ dZ2, dZ2.sum(axis=0)
'''),
    ("two_layer_backward", "1 - A1 (no square)", r"square", _TLB_HEAD + '''
    dZ2 = 2 * (Y_hat - Y) / n
    dZ1 = (dZ2 @ W2.T) * (1 - A1)
    return X.T @ dZ1, dZ1.sum(axis=0), A1.T @ dZ2, dZ2.sum(axis=0)
'''),
    ("two_layer_backward", "n = X.size", r"number of rows", '''
def two_layer_backward(X, Y, W1, b1, W2, b2):
    n = X.size
    A1 = np.tanh(X @ W1 + b1)
    Y_hat = A1 @ W2 + b2
    dZ2 = 2 * (Y_hat - Y) / n
    dZ1 = (dZ2 @ W2.T) * (1 - A1 ** 2)
    return X.T @ dZ1, dZ1.sum(axis=0), A1.T @ dZ2, dZ2.sum(axis=0)
'''),
    ("two_layer_backward", "precedence: X.T @ dZ2 @ W2.T * (1 - A1**2)",
     r"bracket|precedence|order",
     _TLB_HEAD + '''
    dZ2 = 2 * (Y_hat - Y) / n
    dW1 = X.T @ dZ2 @ W2.T * (1 - A1 ** 2)
    db1 = (dZ2 @ W2.T * (1 - A1 ** 2)).sum(axis=0)
    return dW1, db1, A1.T @ dZ2, dZ2.sum(axis=0)
'''),
    ("two_layer_backward", "dW2 uses X's activations pre-tanh", r"A1", _TLB_HEAD + '''
    dZ2 = 2 * (Y_hat - Y) / n
    dZ1 = (dZ2 @ W2.T) * (1 - A1 ** 2)
    return X.T @ dZ1, dZ1.sum(axis=0), Z1.T @ dZ2, dZ2.sum(axis=0)
'''),
    ("two_layer_backward", "dZ2 * W2.T broadcasts to the outer product (one output)", OK,
     _TLB_HEAD + '''
    dZ2 = 2 * (Y_hat - Y) / n
    dZ1 = (dZ2 * W2.T) * (1 - A1 ** 2)
    return X.T @ dZ1, dZ1.sum(axis=0), A1.T @ dZ2, dZ2.sum(axis=0)
'''),
]


# ------------------------------------------------ written after the checks were changed
# (a held-out check of the new checks: measured before being added here)
_H2 = '''
def two_layer_backward(X, Y, W1, b1, W2, b2):
    n = X.shape[0]
    A1 = np.tanh(X @ W1 + b1)
    Y_hat = A1 @ W2 + b2
    dZ2 = 2 * (Y_hat - Y) / n
'''
CASES += [
("backprop_by_hand", "du = L itself", None, '''
def backprop_by_hand(q, r, s, u):
    k = q * r + s
    return u * r, u * q, u, k * u
'''),
("predict_repeated_backward", "g reset to 0", None, '''
def predict_repeated_backward():
    return 111, 0
'''),
("two_layer_backward", "no brackets, left to right is right", OK, _H2 + '''
    dZ1 = dZ2 @ W2.T * (1 - A1 ** 2)
    return X.T @ dZ1, dZ1.sum(axis=0), A1.T @ dZ2, dZ2.sum(axis=0)
'''),
("two_layer_backward", "A1 @ dZ2", r"A1|transpos|shape|\.T", _H2 + '''
    dZ1 = (dZ2 @ W2.T) * (1 - A1 ** 2)
    return X.T @ dZ1, dZ1.sum(axis=0), A1 @ dZ2, dZ2.sum(axis=0)
'''),
("two_layer_backward", "db2 a scalar", r"shape|one number", _H2 + '''
    dZ1 = (dZ2 @ W2.T) * (1 - A1 ** 2)
    return X.T @ dZ1, dZ1.sum(axis=0), A1.T @ dZ2, dZ2.sum()
'''),
("two_layer_backward", "no 2 and no 1/n", r"2 and the 1/n|both", '''
def two_layer_backward(X, Y, W1, b1, W2, b2):
    A1 = np.tanh(X @ W1 + b1)
    dZ2 = A1 @ W2 + b2 - Y
    dZ1 = (dZ2 @ W2.T) * (1 - A1 ** 2)
    return X.T @ dZ1, dZ1.sum(axis=0), A1.T @ dZ2, dZ2.sum(axis=0)
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

"""Lesson 05 wrong-answer corpus: realistic learner answers as code, each with the slip a person
reading it would name (see ``_lessons05_09.py``)."""

OK = "OK"

CASES = [
    # ---------------------------------------------------------------- mlp_forward
    ("mlp_forward", "reference", OK, '''
def mlp_forward(X, params):
    A = X
    for k, (W, b) in enumerate(params):
        A = A @ W + b
        if k < len(params) - 1:
            A = np.maximum(A, 0)
    return A
'''),
    ("mlp_forward", "hidden layers in the loop, last one after it", OK, '''
def mlp_forward(X, params):
    A = X
    for W, b in params[:-1]:
        A = np.maximum(0, np.dot(A, W) + b)
    W, b = params[-1]
    return A @ W + b
'''),
    ("mlp_forward", "relu with clip", OK, '''
def mlp_forward(X, params):
    A = X
    for i in range(len(params)):
        W, b = params[i]
        Z = A @ W + b
        A = Z.clip(min=0) if i != len(params) - 1 else Z
    return A
'''),
    ("mlp_forward", "ReLU after the last layer too", r"last layer too", '''
def mlp_forward(X, params):
    A = X
    for W, b in params:
        A = np.maximum(A @ W + b, 0)
    return A
'''),
    ("mlp_forward", "no ReLU at all", r"no ReLU", '''
def mlp_forward(X, params):
    A = X
    for W, b in params:
        A = A @ W + b
    return A
'''),
    ("mlp_forward", "return inside the loop", r"return.*inside the loop", '''
def mlp_forward(X, params):
    A = X
    for k, (W, b) in enumerate(params):
        A = A @ W + b
        if k < len(params) - 1:
            A = np.maximum(A, 0)
        return A
'''),
    ("mlp_forward", "loop misses the last layer", r"last layer is missing", '''
def mlp_forward(X, params):
    A = X
    for k in range(len(params) - 1):
        W, b = params[k]
        A = np.maximum(A @ W + b, 0)
    return A
'''),
    ("mlp_forward", "np.max instead of np.maximum", r"np\.maximum", '''
def mlp_forward(X, params):
    A = X
    for k, (W, b) in enumerate(params):
        A = A @ W + b
        if k < len(params) - 1:
            A = np.max(A, 0)
    return A
'''),
    ("mlp_forward", "ReLU applied to each layer's input", r"input X", '''
def mlp_forward(X, params):
    A = X
    for W, b in params:
        A = np.maximum(A, 0) @ W + b
    return A
'''),
    ("mlp_forward", "W @ A, the wrong order", r"@|shape", '''
def mlp_forward(X, params):
    A = X
    for k, (W, b) in enumerate(params):
        A = W @ A + b
        if k < len(params) - 1:
            A = np.maximum(A, 0)
    return A
'''),
    ("mlp_forward", "element-wise * instead of @", r"\*|@", '''
def mlp_forward(X, params):
    A = X
    for k, (W, b) in enumerate(params):
        A = A * W + b
        if k < len(params) - 1:
            A = np.maximum(A, 0)
    return A
'''),
    ("mlp_forward", "sigmoid instead of ReLU", r"sigmoid", '''
def mlp_forward(X, params):
    A = X
    for k, (W, b) in enumerate(params):
        A = A @ W + b
        if k < len(params) - 1:
            A = 1 / (1 + np.exp(-A))
    return A
'''),
    ("mlp_forward", "first layer and last layer written out: breaks for one layer", None, '''
def mlp_forward(X, params):
    W, b = params[0]
    A = np.maximum(X @ W + b, 0)
    for W, b in params[1:-1]:
        A = np.maximum(A @ W + b, 0)
    W, b = params[-1]
    return A @ W + b
'''),
    ("mlp_forward", "pops the layers off the caller's list", r"changed the caller's .?params", '''
def mlp_forward(X, params):
    A = X
    while len(params) > 1:
        W, b = params.pop(0)
        A = np.maximum(A @ W + b, 0)
    W, b = params.pop(0)
    return A @ W + b
'''),
    ("mlp_forward", "bias added before the product", r"bias", '''
def mlp_forward(X, params):
    A = X
    for k, (W, b) in enumerate(params):
        A = A @ (W + b)
        if k < len(params) - 1:
            A = np.maximum(A, 0)
    return A
'''),
    # ---------------------------------------------------------------- count_parameters
    ("count_parameters", "reference", OK, '''
def count_parameters(sizes):
    return sum(n_in * n_out + n_out for n_in, n_out in zip(sizes[:-1], sizes[1:]))
'''),
    ("count_parameters", "numpy arrays", OK, '''
def count_parameters(sizes):
    s = np.array(sizes)
    return (s[:-1] * s[1:]).sum() + s[1:].sum()
'''),
    ("count_parameters", "index loop", OK, '''
def count_parameters(sizes):
    total = 0
    for i in range(len(sizes) - 1):
        total += sizes[i] * sizes[i + 1]
        total += sizes[i + 1]
    return total
'''),
    ("count_parameters", "weights only", r"only the weights", '''
def count_parameters(sizes):
    return sum(a * b for a, b in zip(sizes[:-1], sizes[1:]))
'''),
    ("count_parameters", "n_in biases", r"n_out biases", '''
def count_parameters(sizes):
    return sum(a * b + a for a, b in zip(sizes[:-1], sizes[1:]))
'''),
    ("count_parameters", "one bias per layer", r"one bias", '''
def count_parameters(sizes):
    return sum(a * b + 1 for a, b in zip(sizes[:-1], sizes[1:]))
'''),
    ("count_parameters", "biases on every layer including the input", r"input layer biases", '''
def count_parameters(sizes):
    weights = sum(sizes[i] * sizes[i + 1] for i in range(len(sizes) - 1))
    return weights + sum(sizes)
'''),
    ("count_parameters", "range stops one early", r"left out the last layer|off by one", '''
def count_parameters(sizes):
    total = 0
    for i in range(len(sizes) - 2):
        total += sizes[i] * sizes[i + 1] + sizes[i + 1]
    return total
'''),
    ("count_parameters", "range starts at 1: skips the first layer", r"first layer|off by one", '''
def count_parameters(sizes):
    total = 0
    for i in range(1, len(sizes) - 1):
        total += sizes[i] * sizes[i + 1] + sizes[i + 1]
    return total
'''),
    ("count_parameters", "range runs one too far", r"index", '''
def count_parameters(sizes):
    total = 0
    for i in range(len(sizes)):
        total += sizes[i] * sizes[i + 1] + sizes[i + 1]
    return total
'''),
    ("count_parameters", "product of all sizes", r"multipl", '''
def count_parameters(sizes):
    return int(np.prod(sizes)) + sum(sizes[1:])
'''),
    ("count_parameters", "pops the caller's list", r"changed the caller's .?sizes", '''
def count_parameters(sizes):
    total = 0
    prev = sizes.pop(0)
    while sizes:
        nxt = sizes.pop(0)
        total += prev * nxt + nxt
        prev = nxt
    return total
'''),
    ("count_parameters", "returns one count per layer", r"one value per layer|one number", '''
def count_parameters(sizes):
    return [a * b + b for a, b in zip(sizes[:-1], sizes[1:])]
'''),
    ("count_parameters", "returns the count as text", r"quotes", '''
def count_parameters(sizes):
    return f"{sum(a * b + b for a, b in zip(sizes[:-1], sizes[1:]))}"
'''),
    # ---------------------------------------------------------------- collapse_linear
    ("collapse_linear", "reference", OK, '''
def collapse_linear(W1, b1, W2, b2):
    return W1 @ W2, b1 @ W2 + b2
'''),
    ("collapse_linear", "np.dot, returned as a list", OK, '''
def collapse_linear(W1, b1, W2, b2):
    return [np.dot(W1, W2), np.dot(b1, W2) + b2]
'''),
    ("collapse_linear", "W2 @ W1", r"wrong order|W2 @ W1", '''
def collapse_linear(W1, b1, W2, b2):
    return W2 @ W1, b1 @ W2 + b2
'''),
    ("collapse_linear", "b = b1 + b2", r"b1 also goes through", '''
def collapse_linear(W1, b1, W2, b2):
    return W1 @ W2, b1 + b2
'''),
    ("collapse_linear", "b = b2", r"leaves out b1", '''
def collapse_linear(W1, b1, W2, b2):
    return W1 @ W2, b2
'''),
    ("collapse_linear", "returns (b, W)", r"\(b, W\)", '''
def collapse_linear(W1, b1, W2, b2):
    return b1 @ W2 + b2, W1 @ W2
'''),
    ("collapse_linear", "W1 * W2", r"element by element|W1 \* W2|\*", '''
def collapse_linear(W1, b1, W2, b2):
    return W1 * W2, b1 * W2 + b2
'''),
    ("collapse_linear", "W2 @ b1", r"W2 @ b1|order", '''
def collapse_linear(W1, b1, W2, b2):
    return W1 @ W2, W2 @ b1 + b2
'''),
    ("collapse_linear", "b2 missing", r"b2 is missing", '''
def collapse_linear(W1, b1, W2, b2):
    return W1 @ W2, b1 @ W2
'''),
    ("collapse_linear", "b2 += in place", r"changed the caller's .?b2", '''
def collapse_linear(W1, b1, W2, b2):
    b2 += b1 @ W2
    return W1 @ W2, b2
'''),
    ("collapse_linear", "W2.T", r"transpose", '''
def collapse_linear(W1, b1, W2, b2):
    return W1 @ W2.T, b1 @ W2.T + b2
'''),
    # ---------------------------------------------------------------- xnor_weights
    ("xnor_weights", "reference", OK, '''
def xnor_weights():
    W1 = np.array([[1.0, 1.0], [1.0, 1.0]])
    b1 = np.array([0.0, -1.0])
    W2 = np.array([[-1.0], [2.0]])
    b2 = np.array([1.0])
    return W1, b1, W2, b2
'''),
    ("xnor_weights", "differences, scalar b2, lists", OK, '''
def xnor_weights():
    W1 = [[1, -1], [-1, 1]]
    b1 = [0, 0]
    W2 = [[-1], [-1]]
    return W1, b1, W2, 1
'''),
    ("xnor_weights", "XOR's weights", r"XOR", '''
def xnor_weights():
    W1 = np.array([[1.0, 1.0], [1.0, 1.0]])
    b1 = np.array([0.0, -1.0])
    W2 = np.array([[1.0], [-2.0]])
    b2 = np.array([0.0])
    return W1, b1, W2, b2
'''),
    ("xnor_weights", "bias 1 added but weights not flipped", None, '''
def xnor_weights():
    W1 = np.array([[1.0, 1.0], [1.0, 1.0]])
    b1 = np.array([0.0, -1.0])
    W2 = np.array([[1.0], [-2.0]])
    b2 = np.array([1.0])
    return W1, b1, W2, b2
'''),
    ("xnor_weights", "W2 flat", r"shape", '''
def xnor_weights():
    W1 = np.array([[1.0, 1.0], [1.0, 1.0]])
    b1 = np.array([0.0, -1.0])
    W2 = np.array([-1.0, 2.0])
    b2 = np.array([1.0])
    return W1, b1, W2, b2
'''),
    ("xnor_weights", "three things", r"four things", '''
def xnor_weights():
    W1 = np.array([[1.0, 1.0], [1.0, 1.0]])
    b1 = np.array([0.0, -1.0])
    W2 = np.array([[-1.0], [2.0]])
    return W1, b1, W2
'''),
    ("xnor_weights", "both hidden units the same", r"same", '''
def xnor_weights():
    W1 = np.array([[1.0, 1.0], [1.0, 1.0]])
    b1 = np.array([0.0, 0.0])
    W2 = np.array([[-1.0], [2.0]])
    b2 = np.array([1.0])
    return W1, b1, W2, b2
'''),
]


# ------------------------------------------------ written after the checks were changed
# (a held-out check of the new checks: measured before being added here)
CASES += [
("mlp_forward", "identity test for the last layer", OK, '''
def mlp_forward(X, params):
    A = X
    for W, b in params:
        A = A @ W + b if W is params[-1][0] else np.maximum(A @ W + b, 0)
    return A
'''),
("mlp_forward", "i < len(params) is always true", r"last layer too", '''
def mlp_forward(X, params):
    A = X
    for i in range(len(params)):
        W, b = params[i]
        A = A @ W + b
        if i < len(params):
            A = np.maximum(A, 0)
    return A
'''),
("mlp_forward", "boolean mask on a copy", OK, '''
def mlp_forward(X, params):
    A = X.copy()
    for i, (W, b) in enumerate(params):
        A = A @ W + b
        if i != len(params) - 1:
            A[A < 0] = 0
    return A
'''),
("mlp_forward", "transposes twice", OK, '''
def mlp_forward(X, params):
    A = X
    for i, (W, b) in enumerate(params):
        A = np.dot(W.T, A.T).T + b
        if i < len(params) - 1:
            A = np.where(A > 0, A, 0)
    return A
'''),
("count_parameters", "n_in * (n_out + 1)", r"n_out biases|not n_in", '''
def count_parameters(sizes):
    return sum(sizes[i] * (sizes[i + 1] + 1) for i in range(len(sizes) - 1))
'''),
("count_parameters", "(n_in + 1) * n_out", OK, '''
def count_parameters(sizes):
    return sum((sizes[i] + 1) * sizes[i + 1] for i in range(len(sizes) - 1))
'''),
("count_parameters", "len(sizes) - 1 biases", r"one bias", '''
def count_parameters(sizes):
    return sum(sizes[i] * sizes[i + 1] for i in range(len(sizes) - 1)) + len(sizes) - 1
'''),
("collapse_linear", "b2 through W2 too", None, '''
def collapse_linear(W1, b1, W2, b2):
    return W1 @ W2, b1 @ W2 + b2 @ W2.T @ W2 if False else (b1 + b2) @ W2
'''),
("collapse_linear", "np.matmul", OK, '''
def collapse_linear(W1, b1, W2, b2):
    return np.matmul(W1, W2), np.matmul(b1, W2) + b2
'''),
("xnor_weights", "output bias -1", None, '''
def xnor_weights():
    return (np.array([[1.0, 1.0], [1.0, 1.0]]), np.array([0.0, -1.0]),
            np.array([[-1.0], [2.0]]), np.array([-1.0]))
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

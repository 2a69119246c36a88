"""Hand-written mutants of lesson 10's reference solutions: the slips learners make building
a network from scratch, which no systematic rewrite produces (tests/test_mutants.py runs them)."""

from __future__ import annotations

from nnlib.checks.lesson10 import ce_grad, evaluate

from ._base import Mutant

NAMESPACE = {"ce_grad": ce_grad, "evaluate": evaluate}

_TRAIN = '''
def train(params, X_train, y_train, X_val, y_val, lr, momentum, batch_size, num_epochs,
          patience, rng):
    velocity = [(np.zeros_like(W), np.zeros_like(b)) for W, b in params]
    history = {"train_loss": [], "val_loss": [], "val_acc": []}
    best_loss, best_epoch, best_params = np.inf, 0, None
    PRELUDE
    for epoch in range(num_epochs):
        ORDER
        losses = []
        for start in range(0, STOP, batch_size):
            idx = order[start:start + batch_size]
            logits, activations = forward(params, X_train[idx])
            losses.append(ce_loss(logits, y_train[idx]))
            grads = backward(params, activations, ce_grad(logits, y_train[idx]))
            for (W, b), (vW, vb), (dW, db) in zip(params, velocity, grads):
                STEP
        val_loss, val_acc = evaluate(params, X_val, y_val)
        history["train_loss"].append(np.mean(losses))
        history["val_loss"].append(val_loss)
        history["val_acc"].append(val_acc)
        if BETTER:
            best_loss, best_epoch = val_loss, epoch
            best_params = COPY
        elif HALT:
            break
    return RESULT, history
'''
_STEP = """vW *= momentum
                vW -= lr * dW
                W += vW
                vb *= momentum
                vb -= lr * db
                b += vb"""
_PARTS = dict(PRELUDE="pass", ORDER="order = rng.permutation(len(y_train))",
              STOP="len(y_train)", STEP=_STEP, BETTER="val_loss < best_loss",
              COPY="[(W.copy(), b.copy()) for W, b in params]",
              HALT="epoch - best_epoch >= patience", RESULT="best_params")


def _train(**changes):
    text = _TRAIN
    for key, value in {**_PARTS, **changes}.items():
        text = text.replace(key, value)
    return text


MUTANTS = [
    # ---------------------------------------------------------------- split_indices
    Mutant("split_indices", "file order, no shuffle", '''
def split_indices(n, n_val, n_test, rng):
    order = np.arange(n)
    return order[n_test + n_val:], order[n_test:n_test + n_val], order[:n_test]
'''),
    Mutant("split_indices", "global np.random instead of rng", '''
def split_indices(n, n_val, n_test, rng):
    order = np.random.default_rng(12345).permutation(n)
    return order[n_test + n_val:], order[n_test:n_test + n_val], order[:n_test]
'''),
    Mutant("split_indices", "validation and test swapped", '''
def split_indices(n, n_val, n_test, rng):
    order = rng.permutation(n)
    return order[n_test + n_val:], order[:n_test], order[n_test:n_test + n_val]
'''),
    Mutant("split_indices", "train overlaps validation", '''
def split_indices(n, n_val, n_test, rng):
    order = rng.permutation(n)
    return order[n_test:], order[n_test:n_test + n_val], order[:n_test]
'''),
    Mutant("split_indices", "returned (test, val, train)", '''
def split_indices(n, n_val, n_test, rng):
    order = rng.permutation(n)
    return order[:n_test], order[n_test:n_test + n_val], order[n_test + n_val:]
'''),
    Mutant("split_indices", "each pile sorted", '''
def split_indices(n, n_val, n_test, rng):
    order = rng.permutation(n)
    return (np.sort(order[n_test + n_val:]), np.sort(order[n_test:n_test + n_val]),
            np.sort(order[:n_test]))
'''),
    # ---------------------------------------------------------------- init_params
    *[Mutant("init_params", label, f'''
def init_params(sizes, rng):
    params = []
    for n_in, n_out in zip(sizes[:-1], sizes[1:]):
        W = rng.normal(0, {scale}, size=(n_in, n_out))
        params.append((W, np.zeros(n_out)))
    return params
''') for label, scale in (("std √(1/n_in)", "np.sqrt(1 / n_in)"),
                          ("variance 2/n_in as std", "2 / n_in"),
                          ("std √(2/n_out)", "np.sqrt(2 / n_out)"),
                          ("Xavier", "np.sqrt(2 / (n_in + n_out))"),
                          ("unscaled", "1.0"))],
    Mutant("init_params", "W transposed (n_out, n_in)", '''
def init_params(sizes, rng):
    params = []
    for n_in, n_out in zip(sizes[:-1], sizes[1:]):
        W = rng.normal(0, np.sqrt(2 / n_in), size=(n_out, n_in))
        params.append((W, np.zeros(n_out)))
    return params
'''),
    Mutant("init_params", "random biases", '''
def init_params(sizes, rng):
    params = []
    for n_in, n_out in zip(sizes[:-1], sizes[1:]):
        W = rng.normal(0, np.sqrt(2 / n_in), size=(n_in, n_out))
        params.append((W, rng.normal(0, 0.1, size=n_out)))
    return params
'''),
    Mutant("init_params", "own generator, seed 0", '''
def init_params(sizes, rng):
    rng = np.random.default_rng(0)
    params = []
    for n_in, n_out in zip(sizes[:-1], sizes[1:]):
        W = rng.normal(0, np.sqrt(2 / n_in), size=(n_in, n_out))
        params.append((W, np.zeros(n_out)))
    return params
'''),
    Mutant("init_params", "one layer per size", '''
def init_params(sizes, rng):
    params = []
    for n_in, n_out in zip(sizes, sizes[1:] + [sizes[-1]]):
        W = rng.normal(0, np.sqrt(2 / n_in), size=(n_in, n_out))
        params.append((W, np.zeros(n_out)))
    return params
'''),
    # ---------------------------------------------------------------- forward
    Mutant("forward", "ReLU on the logits", '''
def forward(params, X):
    activations = [X]
    for W, b in params:
        X = np.maximum(X @ W + b, 0)
        activations.append(X)
    return X, activations[:-1]
'''),
    Mutant("forward", "no ReLU", '''
def forward(params, X):
    activations = [X]
    for W, b in params[:-1]:
        X = X @ W + b
        activations.append(X)
    W, b = params[-1]
    return X @ W + b, activations
'''),
    Mutant("forward", "no biases", '''
def forward(params, X):
    activations = [X]
    for W, b in params[:-1]:
        X = np.maximum(X @ W, 0)
        activations.append(X)
    W, b = params[-1]
    return X @ W, activations
'''),
    Mutant("forward", "logits in the list", '''
def forward(params, X):
    activations = [X]
    for W, b in params[:-1]:
        X = np.maximum(X @ W + b, 0)
        activations.append(X)
    W, b = params[-1]
    activations.append(X @ W + b)
    return X @ W + b, activations
'''),
    Mutant("forward", "X missing from the list", '''
def forward(params, X):
    activations = []
    for W, b in params[:-1]:
        X = np.maximum(X @ W + b, 0)
        activations.append(X)
    W, b = params[-1]
    return X @ W + b, activations
'''),
    Mutant("forward", "Z kept instead of A", '''
def forward(params, X):
    activations = [X]
    for W, b in params[:-1]:
        Z = X @ W + b
        activations.append(Z)
        X = np.maximum(Z, 0)
    W, b = params[-1]
    return X @ W + b, activations
'''),
    Mutant("forward", "outputs swapped", '''
def forward(params, X):
    activations = [X]
    for W, b in params[:-1]:
        X = np.maximum(X @ W + b, 0)
        activations.append(X)
    W, b = params[-1]
    return activations, X @ W + b
'''),
    Mutant("forward", "ReLU in place on the input", '''
def forward(params, X):
    np.maximum(X, 0, out=X)
    activations = [X]
    A = X
    for W, b in params[:-1]:
        A = np.maximum(A @ W + b, 0)
        activations.append(A)
    W, b = params[-1]
    return A @ W + b, activations
'''),
    # ---------------------------------------------------------------- ce_loss
    Mutant("ce_loss", "lesson 07's loss (inf)", '''
def ce_loss(logits, y):
    shifted = logits - logits.max(axis=1, keepdims=True)
    probs = np.exp(shifted) / np.exp(shifted).sum(axis=1, keepdims=True)
    return -np.log(probs[np.arange(len(y)), y]).mean()
'''),
    Mutant("ce_loss", "clipped p", '''
def ce_loss(logits, y):
    shifted = logits - logits.max(axis=1, keepdims=True)
    probs = np.exp(shifted) / np.exp(shifted).sum(axis=1, keepdims=True)
    return -np.log(np.clip(probs[np.arange(len(y)), y], 1e-12, 1)).mean()
'''),
    Mutant("ce_loss", "one max for the whole batch", '''
def ce_loss(logits, y):
    shifted = logits - logits.max()
    log_p = shifted - np.log(np.exp(shifted).sum(axis=1, keepdims=True))
    return -log_p[np.arange(len(y)), y].mean()
'''),
    Mutant("ce_loss", "shift by the mean", '''
def ce_loss(logits, y):
    shifted = logits - logits.mean(axis=1, keepdims=True)
    log_p = shifted - np.log(np.exp(shifted).sum(axis=1, keepdims=True))
    return -log_p[np.arange(len(y)), y].mean()
'''),
    Mutant("ce_loss", "no shift", '''
def ce_loss(logits, y):
    log_p = logits - np.log(np.exp(logits).sum(axis=1, keepdims=True))
    return -log_p[np.arange(len(y)), y].mean()
'''),
    Mutant("ce_loss", "sum over rows", '''
def ce_loss(logits, y):
    shifted = logits - logits.max(axis=1, keepdims=True)
    log_p = shifted - np.log(np.exp(shifted).sum(axis=1, keepdims=True))
    return -log_p[np.arange(len(y)), y].sum()
'''),
    Mutant("ce_loss", "no keepdims", '''
def ce_loss(logits, y):
    shifted = logits - logits.max(axis=1)
    log_p = shifted - np.log(np.exp(shifted).sum(axis=1))
    return -log_p[np.arange(len(y)), y].mean()
'''),
    Mutant("ce_loss", "one loss per row", '''
def ce_loss(logits, y):
    shifted = logits - logits.max(axis=1, keepdims=True)
    log_p = shifted - np.log(np.exp(shifted).sum(axis=1, keepdims=True))
    return -log_p[np.arange(len(y)), y]
'''),
    # ---------------------------------------------------------------- backward
    Mutant("backward", "no ReLU slope", '''
def backward(params, activations, dZ):
    grads = [None] * len(params)
    for layer in range(len(params) - 1, -1, -1):
        W, b = params[layer]
        A = activations[layer]
        grads[layer] = (A.T @ dZ, dZ.sum(axis=0))
        if layer > 0:
            dZ = dZ @ W.T
    return grads
'''),
    Mutant("backward", "db as a mean", '''
def backward(params, activations, dZ):
    grads = [None] * len(params)
    for layer in range(len(params) - 1, -1, -1):
        W, b = params[layer]
        A = activations[layer]
        grads[layer] = (A.T @ dZ, dZ.mean(axis=0))
        if layer > 0:
            dZ = (dZ @ W.T) * (A > 0)
    return grads
'''),
    Mutant("backward", "dW divided by n again", '''
def backward(params, activations, dZ):
    grads = [None] * len(params)
    for layer in range(len(params) - 1, -1, -1):
        W, b = params[layer]
        A = activations[layer]
        grads[layer] = (A.T @ dZ / len(dZ), dZ.sum(axis=0))
        if layer > 0:
            dZ = (dZ @ W.T) * (A > 0)
    return grads
'''),
    Mutant("backward", "dW transposed", '''
def backward(params, activations, dZ):
    grads = [None] * len(params)
    for layer in range(len(params) - 1, -1, -1):
        W, b = params[layer]
        A = activations[layer]
        grads[layer] = (dZ.T @ A, dZ.sum(axis=0))
        if layer > 0:
            dZ = (dZ @ W.T) * (A > 0)
    return grads
'''),
    Mutant("backward", "grads in reverse order", '''
def backward(params, activations, dZ):
    grads = []
    for layer in range(len(params) - 1, -1, -1):
        W, b = params[layer]
        A = activations[layer]
        grads.append((A.T @ dZ, dZ.sum(axis=0)))
        if layer > 0:
            dZ = (dZ @ W.T) * (A > 0)
    return grads
'''),
    Mutant("backward", "mask of the wrong layer", '''
def backward(params, activations, dZ):
    grads = [None] * len(params)
    for layer in range(len(params) - 1, -1, -1):
        W, b = params[layer]
        A = activations[layer]
        grads[layer] = (A.T @ dZ, dZ.sum(axis=0))
        if layer > 0:
            dZ = (dZ @ W.T) * (activations[layer - 1] @ params[layer - 1][0] > 0)
    return grads
'''),
    Mutant("backward", "mask applied in place to the caller's activations", '''
def backward(params, activations, dZ):
    grads = [None] * len(params)
    for layer in range(len(params) - 1, -1, -1):
        W, b = params[layer]
        A = activations[layer]
        grads[layer] = (A.T @ dZ, dZ.sum(axis=0))
        if layer > 0:
            mask = A > 0
            A *= 0
            dZ = (dZ @ W.T) * mask
    return grads
'''),
    # ---------------------------------------------------------------- train
    Mutant("train", "best_params = params (no copy)", _train(COPY="params")),
    Mutant("train", "returns the last weights", _train(RESULT="params")),
    Mutant("train", "no shuffle", _train(ORDER="order = np.arange(len(y_train))")),
    Mutant("train", "shuffled once", _train(PRELUDE="order = rng.permutation(len(y_train))",
                                            ORDER="pass")),
    Mutant("train", "never stops early", _train(HALT="False")),
    Mutant("train", "stops one epoch late", _train(HALT="epoch - best_epoch > patience")),
    Mutant("train", "ties keep the later epoch", _train(BETTER="val_loss <= best_loss")),
    Mutant("train", "best by accuracy", _train(
        BETTER="val_acc >= max(history['val_acc'])")),
    Mutant("train", "no momentum", _train(STEP="W -= lr * dW\n                b -= lr * db")),
    Mutant("train", "W = W + v (not in place)", _train(STEP=_STEP.replace("W += vW", "W = W + vW")
                                                       .replace("b += vb", "b = b + vb"))),
    Mutant("train", "drops the last batch", _train(STOP="len(y_train) - batch_size + 1")),
    Mutant("train", "momentum sign", _train(STEP=_STEP.replace("vW -= lr", "vW += lr")
                                            .replace("vb -= lr", "vb += lr"))),
]

"""Lesson 10 checks: the learner builds a digit reader from scratch, piece by piece.

Exercises: split the data (``split_indices``), He initialization (``init_params``), the forward
pass (``forward``), a stable cross-entropy (``ce_loss``, a debug exercise), the backward pass
(``backward``), and the training loop with early stopping (``train``).

Every verdict compares the learner's result with the course's reference implementation below
(plain NumPy, the maths of lessons 03–09), computed on seeded random inputs of several sizes,
always on copies of the inputs, so a function that changes its arguments is caught. A slip is
named only when a wrong variant of the reference reproduces the learner's result on every
input tried; otherwise the ✗ line says what is wrong, with the numbers.

The lesson uses the learner's functions in later sections through :func:`use`: a function that
has passed its check is used as it is; one that has not (a stub in the learner edition) is
replaced by the reference of the same name, so the lesson runs to the end either way.
"""

from __future__ import annotations

import numpy as np

from ._core import (
    _RESULTS,
    Exercise,
    Hint,
    array,
    call,
    check_all,
    close,
    fmt,
    ladder,
    register,
    report,
)

__all__ = ["check_split_indices", "check_init_params", "check_forward", "check_ce_loss",
           "check_backward", "check_train", "check_all", "hint", "show_solution", "use",
           "ce_grad", "evaluate", "REFERENCE", "LESSON"]

LESSON = "10"
register(LESSON, [
    Exercise("split_indices", kind="implement",
             idea="The file is sorted by digit, so cut one random order of all n positions "
                  "into three pieces, never the file's own order.",
             formula="order = rng.permutation(n); test = order[:n_test], "
                     "val = order[n_test:n_test + n_val], train = the rest"),
    Exercise("init_params", kind="implement",
             idea="One (W, b) pair per pair of neighbouring sizes: W of shape (n_in, n_out) "
                  "with He's standard deviation, b all zeros.",
             formula="s = √(2 / n_in); W = rng.normal(0, s, size=(n_in, n_out)); "
                     "b = np.zeros(n_out); for n_in, n_out in zip(sizes[:-1], sizes[1:])"),
    Exercise("forward", kind="implement",
             idea="Keep the input of every layer in a list (backward needs them); apply ReLU "
                  "after every layer except the last, which gives the logits.",
             formula="A⁰ = X; Aˡ = ReLU(Aˡ⁻¹ Wˡ + bˡ) for the hidden layers; "
                     "logits = A Wᴸ + bᴸ; activations = [A⁰, A¹, …]"),
    Exercise("ce_loss", kind="debug",
             idea="The bug: softmax rounds a tiny probability to exactly 0 and then log(0) = "
                  "−inf. Never form p: take the log of the softmax on paper first.",
             formula="with m = max_k z_k: log p_y = (z_y − m) − log Σ_k e^(z_k − m); "
                     "L = mean over rows of −log p_y"),
    Exercise("backward", kind="implement",
             idea="Walk the layers from the last to the first. Each layer turns dZ into dW, "
                  "db and the dZ of the layer below (through ReLU's slope).",
             formula="dW = Aᵀ dZ, db = Σ_rows dZ, then dZ ← (dZ Wᵀ) ⊙ 𝟙[A > 0] with A this "
                     "layer's input"),
    Exercise("train", kind="implement",
             idea="Each epoch: a fresh rng.permutation, mini-batches with momentum steps, then "
                  "the validation loss; copy the weights whenever it is a new lowest, stop "
                  "after `patience` epochs without one, return the copy.",
             formula="v ← μv − η·dW, W ← W + v (in place); best = [(W.copy(), b.copy()) …] "
                     "when val_loss < best_loss; stop when epoch − best_epoch ≥ patience"),
])
hint, show_solution = ladder(LESSON)


def _fail(message):
    raise Hint(message)


# =========================================================================== the reference

def split_indices(n, n_val, n_test, rng):
    """Reference: ``(train, val, test)`` index arrays cut from one ``rng.permutation(n)``."""
    order = rng.permutation(n)
    return order[n_test + n_val:], order[n_test:n_test + n_val], order[:n_test]


def init_params(sizes, rng):
    """Reference: He-initialised ``[(W, b), ...]``; W: (n_in, n_out) ~ N(0, 2/n_in), b = 0."""
    params = []
    for n_in, n_out in zip(sizes[:-1], sizes[1:], strict=False):
        W = rng.normal(0, np.sqrt(2 / n_in), size=(n_in, n_out))
        params.append((W, np.zeros(n_out)))
    return params


def forward(params, X):
    """Reference: ``(logits, activations)``; activations[l] is the input of layer l."""
    activations = [X]
    for W, b in params[:-1]:
        X = np.maximum(X @ W + b, 0)
        activations.append(X)
    W, b = params[-1]
    return X @ W + b, activations


def ce_loss(logits, y):
    """Reference: mean cross-entropy from logits, log-sum-exp form (finite for any logits)."""
    shifted = logits - logits.max(axis=1, keepdims=True)
    log_p = shifted - np.log(np.exp(shifted).sum(axis=1, keepdims=True))
    return -log_p[np.arange(len(y)), y].mean()


def ce_grad(logits, y):
    """∂L/∂Z = (P − E) / n for the mean cross-entropy (lesson 07): (n, K) -> (n, K)."""
    e = np.exp(logits - logits.max(axis=1, keepdims=True))
    P = e / e.sum(axis=1, keepdims=True)
    P[np.arange(len(y)), y] -= 1
    return P / len(y)


def backward(params, activations, dZ):
    """Reference: ``[(dW, db), ...]`` per layer from dZ = ∂L/∂logits."""
    grads = [None] * len(params)
    for layer in range(len(params) - 1, -1, -1):
        W, b = params[layer]
        A = activations[layer]
        grads[layer] = (A.T @ dZ, dZ.sum(axis=0))
        if layer > 0:
            dZ = (dZ @ W.T) * (A > 0)
    return grads


def evaluate(params, X, y, forward_fn=None, loss_fn=None):
    """``(loss, accuracy)`` of the network ``params`` on ``(X, y)``: mean cross-entropy and the
    fraction of rows whose largest logit is the label."""
    logits, _ = (forward_fn or forward)(params, X)
    return float((loss_fn or ce_loss)(logits, y)), float(np.mean(logits.argmax(axis=1) == y))


def _train(params, X_train, y_train, X_val, y_val, lr, momentum, batch_size, num_epochs,
           patience, rng, slip=None):
    """The reference training loop; ``slip`` names a wrong variant (for diagnosing)."""
    velocity = [(np.zeros_like(W), np.zeros_like(b)) for W, b in params]
    history = {"train_loss": [], "val_loss": [], "val_acc": []}
    best_loss, best_epoch, best_params = np.inf, 0, None
    n = len(y_train)
    order = rng.permutation(n) if slip == "shuffle_once" else None
    for epoch in range(num_epochs):
        if slip == "no_shuffle":
            order = np.arange(n)
        elif slip != "shuffle_once":
            order = rng.permutation(n)
        if slip == "velocity_reset":
            velocity = [(np.zeros_like(W), np.zeros_like(b)) for W, b in params]
        losses = []
        stop = n - batch_size + 1 if slip == "drop_last" else n
        for start in range(0, stop, batch_size):
            idx = order[start:start + batch_size]
            logits, activations = forward(params, X_train[idx])
            losses.append(ce_loss(logits, y_train[idx]))
            grads = backward(params, activations, ce_grad(logits, y_train[idx]))
            for (W, b), (vW, vb), (dW, db) in zip(params, velocity, grads, strict=True):
                if slip == "no_momentum":
                    W -= lr * dW
                    b -= lr * db
                    continue
                vW *= momentum
                vW -= lr * dW
                vb *= momentum
                vb -= lr * db
                if slip != "not_in_place":
                    W += vW
                    b += vb
        val_loss, val_acc = evaluate(params, X_val, y_val)
        history["train_loss"].append(float(np.mean(losses)))
        history["val_loss"].append(val_loss)
        history["val_acc"].append(val_acc)
        better = val_loss <= best_loss if slip == "ties_latest" else val_loss < best_loss
        if slip == "by_accuracy":
            better = epoch == 0 or val_acc > max(history["val_acc"][:-1])
        if better:
            best_loss, best_epoch = val_loss, epoch
            best_params = params if slip == "no_copy" else [(W.copy(), b.copy())
                                                            for W, b in params]
        elif slip == "no_early_stop":
            continue
        elif (epoch - best_epoch > patience) if slip == "patience_plus_one" \
                else (epoch - best_epoch >= patience):
            break
    if slip == "no_restore":
        return params, history
    return best_params, history


def train(params, X_train, y_train, X_val, y_val, lr, momentum, batch_size, num_epochs,
          patience, rng):
    """Reference: mini-batch SGD with momentum and early stopping; ``(best_params, history)``."""
    return _train(params, X_train, y_train, X_val, y_val, lr, momentum, batch_size, num_epochs,
                  patience, rng)


REFERENCE = {"split_indices": split_indices, "init_params": init_params, "forward": forward,
             "ce_loss": ce_loss, "backward": backward, "train": train}


def use(fn):
    """The learner's ``fn`` if it passed its check in this session, else the reference of the
    same name (with one line saying so), so the rest of the lesson runs either way."""
    name = getattr(fn, "__name__", None)
    if name not in REFERENCE:
        raise ValueError(f"use() takes one of the exercise functions "
                         f"{', '.join(REFERENCE)}, got {fmt(fn)}")
    if _RESULTS.get(LESSON, {}).get(name):
        return fn
    print(f"(your `{name}` has not passed its check yet: the cells below use the course's "
          f"reference `{name}`)")
    return REFERENCE[name]


# =========================================================================== helpers

def _pairs(out, what, n_layers=None):
    """The learner's list of (W, b) pairs as float arrays, or a Hint."""
    if not isinstance(out, (list, tuple)):
        _fail(f"{what} is {fmt(out)}: return a list with one (W, b) pair per layer")
    if n_layers is not None and len(out) != n_layers:
        _fail(f"{what} has {len(out)} entries for a network of {n_layers} layers: one (W, b) "
              f"pair per layer, from the first to the last (off by one?)")
    pairs = []
    for k, pair in enumerate(out):
        if not isinstance(pair, (list, tuple)) or len(pair) != 2:
            _fail(f"entry {k} of {what} is {fmt(pair)}: each entry must be a pair (W, b)")
        pairs.append((array(pair[0], f"W of layer {k + 1}"), array(pair[1], f"b of layer {k + 1}")))
    return pairs


def _copy_params(params):
    return [(W.copy(), b.copy()) for W, b in params]


def _random_params(rng, sizes):
    return [(rng.normal(0, 0.6, (i, o)), rng.normal(0, 0.3, o))
            for i, o in zip(sizes[:-1], sizes[1:], strict=False)]


def _unchanged(originals, copies, what):
    for a, b in zip(originals, copies, strict=True):
        if not np.array_equal(a, b):
            _fail(f"your function changed {what} it was given: work on new arrays "
                  f"(`A = A + ...`, not `A += ...` on an input)")


# =========================================================================== Exercise 1

_SPLIT_CASES = ((10000, 1000, 1000, 0), (50, 7, 11, 3), (9, 2, 3, 5), (1, 0, 0, 1))


def check_split_indices(split_indices):
    """``split_indices(n, n_val, n_test, rng) -> (train, val, test)`` from one permutation."""
    def run():
        for n, n_val, n_test, seed in _SPLIT_CASES:
            out = call(split_indices, n, n_val, n_test, np.random.default_rng(seed),
                       name="split_indices")
            want = _reference_split(n, n_val, n_test, seed)
            where = f"for n = {n}, n_val = {n_val}, n_test = {n_test}"
            if not isinstance(out, (tuple, list)) or len(out) != 3:
                _fail(f"returned {fmt(out)} {where}: return three index arrays, "
                      f"(train, val, test)")
            got = [np.asarray(part) for part in out]
            for name, part in zip(("train", "val", "test"), got, strict=True):
                if part.ndim != 1 or (part.size and part.dtype.kind not in "iu"):
                    _fail(f"the {name} part {where} is {fmt(part)}: return 1-D arrays of "
                          f"whole-number positions (indices), such as a slice of "
                          f"rng.permutation(n)")
            sizes = tuple(len(p) for p in got)
            want_sizes = tuple(len(p) for p in want)
            if sizes == want_sizes[::-1] and sizes != want_sizes:
                _fail(f"{where} the parts have sizes {fmt(sizes)}: return them in the order "
                      f"(train, val, test)")
            if sizes != want_sizes:
                _fail(f"{where} the parts have sizes {fmt(sizes)}, expected (train, val, test) "
                      f"= {fmt(want_sizes)}")
            every = np.concatenate(got)
            if len(np.unique(every)) != n or every.min(initial=0) < 0 or \
                    every.max(initial=0) >= n:
                _fail(f"{where} the three parts do not hold each position 0..{n - 1} exactly "
                      f"once: an image in two piles, or one left out (off by one in a slice?)")
            if all(np.array_equal(g, w) for g, w in zip(got, want, strict=True)):
                continue
            if n > 20 and all(np.array_equal(np.sort(g), g) for g in got):
                _fail(f"{where} every part is in increasing order: the file is sorted by digit, "
                      f"so these piles are not random; cut them from rng.permutation(n)")
            if all(np.array_equal(np.sort(g), np.sort(w)) for g, w in zip(got, want, strict=True)):
                _fail(f"{where} the right images in each pile, in another order: take each "
                      f"part straight from the one permutation, test first, then val, then train")
            again = call(split_indices, n, n_val, n_test, np.random.default_rng(seed + 100),
                         name="split_indices")
            if isinstance(again, (tuple, list)) and len(again) == 3 and all(
                    np.array_equal(np.asarray(a), g) for a, g in zip(again, got, strict=True)):
                _fail(f"{where} your piles come out the same for a generator with another "
                      f"seed: shuffle with the rng you were given, not with np.random or a "
                      f"generator of your own")
            swapped = np.array_equal(got[1], want[2]) and np.array_equal(got[2], want[1])
            if swapped:
                _fail(f"{where} validation and test are swapped: the test pile is the first "
                      f"n_test positions of the permutation, validation the next n_val")
            _fail(f"{where} the piles differ from one rng.permutation(n) cut as test = "
                  f"order[:n_test], val = the next n_val, train = the rest (did you use the rng "
                  f"you were given, once?)")
        return ("One random order, cut in three: no position is in two piles and none is left "
                "out, whatever order the file is in.")
    report(LESSON, "split_indices", run)


def _reference_split(n, n_val, n_test, seed):
    return split_indices(n, n_val, n_test, np.random.default_rng(seed))


# =========================================================================== Exercise 2

_INIT_CASES = (([784, 64, 10], 0), ([3, 5, 4, 2], 7), ([1, 1], 3), ([30, 200, 7], 11))


def check_init_params(init_params):
    """``init_params(sizes, rng) -> [(W, b), ...]``: He-scaled normal W (n_in, n_out), b = 0."""
    def run():
        for sizes, seed in _INIT_CASES:
            out = call(init_params, list(sizes), np.random.default_rng(seed), name="init_params")
            want = _init_params_ref(sizes, seed)
            where = f"for sizes {fmt(list(sizes))}"
            if isinstance(out, (list, tuple)) and len(out) == len(sizes):
                _fail(f"{where} you returned {len(out)} pairs: a network with {len(sizes)} "
                      f"sizes has {len(sizes) - 1} layers, one per pair of neighbouring sizes")
            got = _pairs(out, f"your result {where}", len(want))
            for k, ((W, b), (W0, b0)) in enumerate(zip(got, want, strict=True), start=1):
                n_in, n_out = W0.shape
                if W.shape == (n_out, n_in) and n_in != n_out:
                    _fail(f"W of layer {k} {where} has shape {fmt(W.shape)}: the course stores "
                          f"W as (n_in, n_out) = {fmt(W0.shape)}, so that Z = X W + b")
                if W.shape != W0.shape:
                    _fail(f"W of layer {k} {where} has shape {fmt(W.shape)}, expected "
                          f"(n_in, n_out) = {fmt(W0.shape)}")
                if b.shape != b0.shape:
                    _fail(f"b of layer {k} {where} has shape {fmt(b.shape)}, expected "
                          f"(n_out,) = {fmt(b0.shape)}")
                if np.any(b != 0):
                    _fail(f"the biases of layer {k} are not all 0: He initialization draws only "
                          f"the weights; biases start at zero")
            if all(close(W, W0, rtol=1e-9, atol=1e-12) for (W, _), (W0, _) in
                   zip(got, want, strict=True)):
                continue
            other = call(init_params, list(sizes), np.random.default_rng(seed + 100),
                         name="init_params")
            if isinstance(other, (list, tuple)) and len(other) == len(got) and all(
                    close(np.asarray(o[0], float), W) for o, (W, _) in
                    zip(other, got, strict=True) if isinstance(o, (list, tuple)) and o):
                _fail(f"{where} your weights come out the same for a generator with another "
                      f"seed: draw them from the rng you were given, not from np.random or a "
                      f"generator of your own")
            _diagnose_init(got, want, sizes, where)
        return ("Every layer starts with std √(2/n_in): 0.05 for the 784 pixels, 0.18 for "
                "64 hidden units, so each layer keeps the signal's variance (lesson 09).")
    report(LESSON, "init_params", run)


def _init_params_ref(sizes, seed):
    return init_params(list(sizes), np.random.default_rng(seed))


def _diagnose_init(got, want, sizes, where):
    scales = []
    for (W, _), (W0, _) in zip(got, want, strict=True):
        with np.errstate(all="ignore"):
            ratio = W / W0
        if np.all(np.isfinite(ratio)) and np.allclose(ratio, ratio.flat[0], rtol=1e-9):
            scales.append(float(ratio.flat[0]) * np.sqrt(2 / W0.shape[0]))
        else:
            scales = None
            break
    if scales is not None:
        n_in = np.array(sizes[:-1], float)
        n_out = np.array(sizes[1:], float)
        s = np.array(scales)
        for cand, text in ((np.sqrt(1 / n_in), "√(1/n_in): He's factor is √(2/n_in), the 2 "
                                               "makes up for the half that ReLU sets to 0"),
                           (2 / n_in, "2/n_in, the variance: the std is its square root, "
                                      "√(2/n_in)"),
                           (np.sqrt(2 / n_out), "√(2/n_out): He divides by n_in, the number "
                                                "of inputs each unit sums"),
                           (np.sqrt(2 / (n_in + n_out)), "Xavier's √(2/(n_in + n_out)): for "
                                                         "ReLU use He's √(2/n_in)"),
                           (-np.sqrt(2 / n_in), "−√(2/n_in): a std is positive"),
                           (np.ones_like(n_in), "1: unscaled normal numbers; multiply by He's "
                                                "√(2/n_in)")):
            if np.allclose(s, cand, rtol=1e-6):
                _fail(f"{where} your weights have std {text}")
        _fail(f"{where} your weights have the right draws but stds {fmt(np.round(s, 4))}, "
              f"expected √(2/n_in) = {fmt(np.round(np.sqrt(2 / n_in), 4))}")
    stds = [float(W.std()) for W, _ in got]
    expected = [float(np.sqrt(2 / W0.shape[0])) for _, (W0, _) in zip(got, want, strict=True)]
    big = [k for k, (W, _) in enumerate(got) if W.size >= 400]
    if big and all(abs(stds[k] / expected[k] - 1) < 0.1 for k in big):
        _fail(f"{where} the scale is right but the numbers differ from drawing each W with "
              f"rng.normal(0, s, size=(n_in, n_out)), layer by layer from the first, using the "
              f"rng you were given (section 10 compares with nnlib, which draws that way)")
    _fail(f"{where} your weights have stds {fmt(np.round(stds, 4))}, expected √(2/n_in) = "
          f"{fmt(np.round(expected, 4))}")


# =========================================================================== Exercise 3

_FORWARD_CASES = (([5, 4, 3], 6, 0), ([8, 16, 16, 10], 9, 1), ([3, 2], 4, 2), ([6, 7, 5], 1, 3))


def _forward_variants(params, X):
    """Wrong forward passes: slip text -> (logits, activations)."""
    out = {}
    A, acts = X, [X]
    for W, b in params[:-1]:
        A = A @ W + b
        acts.append(A)
    out["no ReLU in the hidden layers: without it the layers collapse into one linear "
        "layer (lesson 05)"] = (A @ params[-1][0] + params[-1][1], acts)
    logits, acts = forward(params, X)
    out["ReLU on the last layer too: the logits must be free to be negative; ReLU only "
        "between layers"] = (np.maximum(logits, 0), acts)
    A, acts = X, [X]
    for W, _ in params[:-1]:
        A = np.maximum(A @ W, 0)
        acts.append(A)
    out["the biases are missing: Z = A W + b"] = (A @ params[-1][0], acts)
    return out


def check_forward(forward):
    """``forward(params, X) -> (logits, activations)``; activations = inputs of every layer."""
    def run():
        for sizes, n, seed in _FORWARD_CASES:
            rng = np.random.default_rng(seed)
            params = _random_params(rng, sizes)
            X = rng.normal(0, 1.5, (n, sizes[0]))
            keep_p, keep_X = _copy_params(params), X.copy()
            out = call(forward, _copy_params(params), X.copy(), name="forward")
            where = f"for a {' → '.join(map(str, sizes))} network and {n} samples"
            if not isinstance(out, (tuple, list)) or len(out) != 2:
                _fail(f"returned {fmt(out)}: return two things, (logits, activations)")
            want_logits, want_acts = _forward_ref(keep_p, keep_X)
            first, second = out
            if isinstance(first, (list, tuple)) and not isinstance(second, (list, tuple)):
                _fail("the outputs are swapped: return (logits, activations), logits first")
            logits = array(first, f"your logits {where}")
            if logits.shape != want_logits.shape:
                tip = (": transposed? Z = X W + b with W of shape (n_in, n_out)"
                       if logits.shape == want_logits.shape[::-1] else "")
                _fail(f"your logits {where} have shape {fmt(logits.shape)}, expected "
                      f"(n, K) = {fmt(want_logits.shape)}{tip}")
            if not isinstance(second, (list, tuple)):
                _fail(f"activations {where} is {fmt(second)}: return a list holding the input "
                      f"of every layer, [X, A¹, …], one array per layer")
            acts = [array(a, f"activation {k}") for k, a in enumerate(second)]
            if not close(logits, want_logits):
                for slip, (w_logits, _) in _forward_variants(keep_p, keep_X).items():
                    if close(logits, w_logits):
                        _fail(f"{where}: {slip}")
                _fail(f"{where} your logits differ from A Wᴸ + bᴸ by up to "
                      f"{fmt(float(np.abs(logits - want_logits).max()))}")
            if len(acts) != len(want_acts):
                extra = ("the logits are in the list too: keep only the inputs of the layers"
                         if len(acts) == len(want_acts) + 1 else
                         "is X missing? The first entry is X itself, the input of layer 1")
                _fail(f"{where} activations has {len(acts)} entries, expected {len(want_acts)} "
                      f"(the input of each of the {len(sizes) - 1} layers): {extra}")
            for k, (a, w) in enumerate(zip(acts, want_acts, strict=True)):
                if not close(a, w):
                    what = "X itself" if k == 0 else f"ReLU(Z) of hidden layer {k}"
                    pre = None if k == 0 else _acts_pre(keep_p, keep_X)[k]
                    if pre is not None and close(a, pre):
                        _fail(f"{where} activations[{k}] holds Z before the ReLU: keep A = "
                              f"ReLU(Z), the layer's output (backward reads ReLU's slope from "
                              f"A > 0)")
                    _fail(f"{where} activations[{k}] should be {what}")
            _unchanged([keep_X] + [w for pair in keep_p for w in pair],
                       [X] + [w for pair in params for w in pair], "an input")
        return ("One loop runs any depth: every hidden layer is ReLU(A W + b), the last gives "
                "raw logits, and the list of layer inputs is what backward will need.")
    report(LESSON, "forward", run)


def _forward_ref(params, X):
    return forward(params, X)


def _acts_pre(params, X):
    pre, A = [X], X
    for W, b in params[:-1]:
        Z = A @ W + b
        pre.append(Z)
        A = np.maximum(Z, 0)
    return pre


# =========================================================================== Exercise 4

def _ce_cases():
    rng = np.random.default_rng(4)
    cases = [(np.array([[2.0, 1.0, -1.0]]), np.array([0])),
             (rng.normal(0, 3, (7, 10)), rng.integers(0, 10, 7)),
             (rng.normal(0, 0.4, (5, 5)), rng.integers(0, 5, 5)),
             (np.array([[0.0, 1000.0], [3.0, -2.0]]), np.array([0, 1])),           # huge gap
             (np.array([[-800.0, 0.0, 5.0], [1000.0, 990.0, 995.0]]), np.array([0, 1])),
             (np.array([[0.5, 0.25], [-1e3, -1.001e3], [700.0, 0.0]]), np.array([1, 0, 1])),
             (np.array([[-1000.0, 1000.0, 0.0], [1.5, -0.5, 0.25]]), np.array([0, 2]))]
    return cases


def check_ce_loss(ce_loss):
    """``ce_loss(logits, y) -> L``: mean cross-entropy, finite for any finite logits."""
    def run():
        for logits, y in _ce_cases():
            with np.errstate(all="ignore"):
                want = float(_ce_loss_ref(logits, y))
            out = call(ce_loss, logits.copy(), y.copy(), name="ce_loss", finite=False)
            got = np.asarray(_array_or_number(out))
            huge = bool(np.abs(logits).max() > 100)
            where = f"for logits {fmt(logits)} and labels {fmt(y)}"
            if got.ndim != 0:
                if got.shape == (len(y),):
                    _fail(f"{where} you returned one loss per row: return their mean, L")
                _fail(f"{where} you returned shape {fmt(got.shape)}: return one number, L")
            got = float(got)
            if not np.isfinite(got) and len(y) > 1 and _rows_finite(ce_loss, logits, y):
                _fail(f"{where} the loss is {fmt(got)}, yet each row alone gives a finite "
                      f"loss: you subtracted one maximum for the whole batch; each row needs "
                      f"its own, logits.max(axis=1, keepdims=True)")
            if not np.isfinite(got):
                _fail(f"{where} the loss is {fmt(got)}, but the true loss is {fmt(want)}: a "
                      f"probability e^(z − max z) rounds to 0 and log(0) = −inf; take the log "
                      f"of the softmax on paper first, log p_y = (z_y − m) − log Σ e^(z_k − m)")
            if close(got, want, rtol=1e-7, atol=1e-9):
                continue
            r = _ratio_of(got, want)
            if huge and want > 30 and got < want - 1 and got > 0:
                _fail(f"{where} you get {fmt(round(got, 4))}, but the loss is {fmt(want)}: "
                      f"clipping p (or adding a small number) hides the inf but caps −log p; "
                      f"compute log p_y directly with the log-sum-exp form")
            if np.isclose(r, -1):
                _fail(f"{where} sign flipped: the loss is −log p_y, a positive number")
            if np.isclose(r, len(y)) and len(y) > 1:
                _fail(f"{where} {len(y)}× too large: you summed over the rows; take the mean")
            rowwise_global = _global_shift(logits, y)
            if rowwise_global is not None and close(got, rowwise_global):
                _fail(f"{where} you subtracted one maximum for the whole batch: each row needs "
                      f"its own, logits.max(axis=1, keepdims=True)")
            _fail(f"{where} you get {fmt(round(got, 6))}, expected {fmt(round(want, 6))}")
        return ("Finite for any logits: −log p_y = log Σ e^(z_k − m) − (z_y − m) never forms "
                "a probability, so nothing rounds to 0 before the log.")
    report(LESSON, "ce_loss", run)


def _ce_loss_ref(logits, y):
    return ce_loss(logits, y)


def _array_or_number(out):
    try:
        return np.asarray(out, dtype=float)
    except (TypeError, ValueError):
        _fail(f"returned {fmt(out)}: return one number, the mean loss")


def _ratio_of(got, want):
    return got / want if want else np.nan


def _rows_finite(fn, logits, y):
    """Does the learner's loss give a finite number for every row on its own?"""
    try:
        values = [float(np.asarray(call(fn, logits[i:i + 1].copy(), y[i:i + 1].copy(),
                                        name="ce_loss", finite=False), dtype=float))
                  for i in range(len(y))]
    except (Hint, TypeError, ValueError):
        return False
    return bool(np.all(np.isfinite(values)))


def _global_shift(logits, y):
    with np.errstate(all="ignore"):
        shifted = logits - logits.max()
        log_p = shifted - np.log(np.exp(shifted).sum(axis=1, keepdims=True))
        val = -log_p[np.arange(len(y)), y].mean()
    return val if np.isfinite(val) else None


# =========================================================================== Exercise 5

_BACKWARD_CASES = (([4, 5, 3], 6, 0), ([6, 8, 7, 4], 5, 1), ([3, 2], 4, 2), ([5, 9, 3], 1, 3))


def _backward_variants(params, acts, dZ):
    """Wrong backward passes: slip -> grads."""
    out = {}

    def walk(mask=True, db_mean=False, scale=1.0):
        grads, d = [None] * len(params), dZ
        for layer in range(len(params) - 1, -1, -1):
            W, _ = params[layer]
            A = acts[layer]
            grads[layer] = (scale * A.T @ d, d.mean(axis=0) if db_mean else d.sum(axis=0))
            if layer > 0:
                d = d @ W.T * (A > 0) if mask else d @ W.T
        return grads
    out["ReLU's slope is missing: on the way down, multiply by 𝟙[A > 0] of the layer's "
        "input"] = walk(mask=False)
    out["db is a mean: dZ already carries the 1/n (lesson 06), so db is the column sum "
        "Σ_rows dZ"] = walk(db_mean=True)
    out["every dW is n× too small: dZ already carries the 1/n, so dW = Aᵀ dZ with no extra "
        "division"] = walk(scale=1 / len(dZ))
    out["sign flipped: dW = Aᵀ dZ, not its negative"] = [(-dW, -db) for dW, db in
                                                         backward(params, acts, dZ)]
    return out


def check_backward(backward):
    """``backward(params, activations, dZ) -> [(dW, db), ...]``: exact gradients."""
    def run():
        for sizes, n, seed in _BACKWARD_CASES:
            rng = np.random.default_rng(seed)
            params = _random_params(rng, sizes)
            X = rng.normal(0, 1.5, (n, sizes[0]))
            _, acts = forward(params, X)
            dZ = rng.normal(0, 0.5, (n, sizes[-1])) / n
            keep = [w for pair in params for w in pair] + [a for a in acts] + [dZ]
            keep = [k.copy() for k in keep]
            args = (_copy_params(params), [a.copy() for a in acts], dZ.copy())
            out = call(backward, *args, name="backward")
            where = f"for a {' → '.join(map(str, sizes))} network and {n} samples"
            want = _backward_ref(params, acts, dZ)
            got_pairs = _pairs(out, f"your gradients {where}", len(want))
            if len(want) > 1 and [g[0].shape for g in got_pairs] == \
                    [w[0].shape for w in want[::-1]] != [w[0].shape for w in want]:
                _fail(f"{where} the gradients are in reverse order: grads[0] belongs to the "
                      f"first layer, like params[0]")
            for k, ((dW, db), (dW0, db0)) in enumerate(zip(got_pairs, want, strict=True), 1):
                if dW.shape != dW0.shape:
                    tip = (": transposed? dW = Aᵀ dZ has W's shape (n_in, n_out)"
                           if dW.shape == dW0.shape[::-1] else "")
                    _fail(f"dW of layer {k} {where} has shape {fmt(dW.shape)}, expected "
                          f"{fmt(dW0.shape)}{tip}")
                if db.shape != db0.shape:
                    _fail(f"db of layer {k} {where} has shape {fmt(db.shape)}, expected "
                          f"{fmt(db0.shape)}: sum dZ over the rows (axis=0)")
            if all(close(g, w) for pair, pw in zip(got_pairs, want, strict=True)
                   for g, w in zip(pair, pw, strict=True)):
                now = [w for pair in args[0] for w in pair] + list(args[1]) + [args[2]]
                _unchanged(keep, now, "an input (params, activations or dZ)")
                continue
            if len(want) > 1 and all(close(g, w) for pair, pw in
                                     zip(got_pairs, want[::-1], strict=True)
                                     for g, w in zip(pair, pw, strict=True)):
                _fail(f"{where} the gradients are in reverse order: grads[0] belongs to the "
                      f"first layer, like params[0]")
            for slip, grads in _backward_variants(params, acts, dZ).items():
                if all(close(g, w) for pair, pw in zip(got_pairs, grads, strict=True)
                       for g, w in zip(pair, pw, strict=True)):
                    _fail(f"{where}: {slip}")
            for k, ((dW, db), (dW0, db0)) in enumerate(zip(got_pairs, want, strict=True), 1):
                if not close(dW, dW0):
                    _fail(f"{where} dW of layer {k} is off by up to "
                          f"{fmt(float(np.abs(dW - dW0).max()))}")
                if not close(db, db0):
                    _fail(f"{where} db of layer {k} is off by up to "
                          f"{fmt(float(np.abs(db - db0).max()))}")
        return ("Exact gradients for networks of 1 to 3 layers: each layer hands (dZ Wᵀ) ⊙ "
                "𝟙[A > 0] down, and dW = Aᵀ dZ is already the batch average because dZ carries "
                "the 1/n.")
    report(LESSON, "backward", run)


def _backward_ref(params, acts, dZ):
    return backward(params, acts, dZ)


# =========================================================================== Exercise 6

def _train_data(seed, n_train, n_val, sizes):
    rng = np.random.default_rng(seed)
    k = sizes[-1]
    M = rng.normal(0, 1, (sizes[0], k))
    X = rng.normal(0, 1, (n_train + n_val, sizes[0]))
    y = (X @ M + rng.normal(0, 1.5, (n_train + n_val, k))).argmax(axis=1)
    params = init_params(sizes, rng)
    return params, X[:n_train], y[:n_train], X[n_train:], y[n_train:]


# (sizes, n_train, n_val, lr, momentum, batch_size, num_epochs, patience, seed)
_TRAIN_CASES = (([5, 16, 3], 23, 40, 0.05, 0.5, 5, 40, 2, 2),
                ([4, 12, 12, 3], 30, 40, 0.02, 0.9, 5, 40, 2, 1),
                ([6, 10, 4], 23, 40, 0.1, 0.5, 5, 40, 2, 2),
                ([6, 10, 4], 17, 25, 0.05, 0.5, 4, 6, 10, 2),
                ([3, 4, 2], 12, 10, 0.0, 0.9, 5, 8, 2, 3))     # η = 0: every epoch ties
_TRAIN_SLIPS = {
    "no_copy": "the weights you return are the last epoch's, not the best: best_params = params "
               "keeps a second name for the same arrays, which training goes on changing; "
               "store copies, [(W.copy(), b.copy()) for W, b in params]",
    "no_shuffle": "the batches come in the same order every epoch: draw order = "
                  "rng.permutation(n) at the start of every epoch",
    "shuffle_once": "the data are shuffled only once: draw a fresh rng.permutation(n) at the "
                    "start of every epoch",
    "no_early_stop": "training never stops early: after `patience` epochs without a new lowest "
                     "validation loss, stop",
    "patience_plus_one": "training stops one epoch late: stop when epoch − best_epoch ≥ "
                         "patience, not >",
    "ties_latest": "on a tie you keep the later epoch: a new best needs a strictly lower "
                   "validation loss (<)",
    "by_accuracy": "you choose the best epoch by validation accuracy: early stopping uses the "
                   "validation loss",
    "no_momentum": "plain SGD steps: with momentum keep a velocity per parameter, v ← μv − η·dW, "
                   "W ← W + v",
    "velocity_reset": "the velocity starts from 0 every epoch: create it once, before the "
                      "first epoch",
    "not_in_place": "the weights never change: `W = W + v` makes a new array and leaves the one "
                    "inside params as it was; update in place, W += v",
    "drop_last": "the last, smaller batch of each epoch is skipped: range(0, n, batch_size) "
                 "covers every sample",
}


def _run_train(fn, case, name="train"):
    sizes, n_train, n_val, lr, mu, bs, epochs, patience, seed = case
    params, Xt, yt, Xv, yv = _train_data(seed, n_train, n_val, sizes)
    inputs = (Xt.copy(), yt.copy(), Xv.copy(), yv.copy())
    # train changes params in place by contract: only the data must stay untouched
    out = call(fn, params, *inputs, lr, mu, bs, epochs, patience, np.random.default_rng(seed),
               name=name, copy_inputs=False)
    for a, b in zip(inputs, (Xt, yt, Xv, yv), strict=True):
        if not np.array_equal(a, b):
            _fail("your train changed the data it was given (X_train, y_train, X_val or y_val): "
                  "never write into them")
    return out, params


def _train_result(run, where):
    out, after = run
    if not isinstance(out, (tuple, list)) or len(out) != 2:
        _fail(f"returned {fmt(out)} {where}: return (best_params, history)")
    first, history = out
    if isinstance(first, dict) and isinstance(history, (list, tuple)):
        _fail("the outputs are swapped: return (best_params, history)")
    if not isinstance(history, dict):
        _fail(f"history {where} is {fmt(history)}: return a dict with the lists 'train_loss', "
              f"'val_loss' and 'val_acc', one number per epoch")
    lists = {}
    for key in ("train_loss", "val_loss", "val_acc"):
        if key not in history:
            _fail(f"history {where} has no key {key!r}: it needs 'train_loss', 'val_loss' and "
                  f"'val_acc'")
        lists[key] = array(history[key], f"history[{key!r}]")
    return _pairs(first, f"your best_params {where}"), lists, _pairs(after, "params")


def check_train(train):
    """``train(params, X_train, y_train, X_val, y_val, lr, momentum, batch_size, num_epochs,
    patience, rng) -> (best_params, history)``: the whole loop, judged epoch by epoch."""
    def run():
        results = []
        for case in _TRAIN_CASES:
            where = (f"(a {' → '.join(map(str, case[0]))} network, {case[1]} training "
                     f"samples, batch {case[5]})")
            got = _train_result(_run_train(train, case), where)
            want = _train_result(_run_train(_reference_train, case, "the reference"), where)
            results.append((case, where, got, want))
        bad = [r for r in results if not _same_run(r[2], r[3])]
        if not bad:
            return ("Your loop is the whole algorithm: shuffled mini-batches, momentum, a "
                    "validation score per epoch, and early stopping that keeps a copy of the "
                    "best weights and hands it back.")
        for slip, text in _TRAIN_SLIPS.items():
            explains = [r for r in bad if _same_run(
                r[2], _train_result(_run_train(_slipped(slip), r[0], "the variant"), r[1]))]
            if len(explains) == len(bad) and (len(bad) > 1 or slip == "no_copy"):
                _fail(text)
        case, where, (params, hist, _), (params0, hist0, _) = bad[0]
        for key in ("val_loss", "train_loss", "val_acc"):
            g, w = hist[key], hist0[key]
            m = min(len(g), len(w))
            if not close(g[:m], w[:m], rtol=1e-7):
                e = int(np.argmax(~np.isclose(g[:m], w[:m], rtol=1e-7)))
                _fail(f"{where} {key} differs first at epoch {e}: {fmt(round(float(g[e]), 6))} "
                      f"instead of {fmt(round(float(w[e]), 6))}")
            if len(g) != len(w):
                _fail(f"{where} {key} has {len(g)} entries, expected {len(w)}: one per epoch "
                      f"run; stop after `patience` epochs without a new lowest validation loss")
            if not close(g, w, rtol=1e-7):
                e = int(np.argmax(~np.isclose(g, w, rtol=1e-7)))
                _fail(f"{where} {key} differs first at epoch {e}: {fmt(round(float(g[e]), 6))} "
                      f"instead of {fmt(round(float(w[e]), 6))}")
        if not _same_run(bad[0][2][:2], bad[0][3][:2]):
            _fail(f"{where} the returned weights are not those of the epoch with the lowest "
                  f"validation loss")
        _fail(f"{where} after train returns, params should hold the last epoch's weights (the "
              f"loop trains them in place); yours were changed after training or by something "
              f"else than the updates")
    report(LESSON, "train", run)


def _reference_train(*args):
    return _train(*args)


def _slipped(slip):
    def variant(*args):
        return _train(*args, slip=slip)
    return variant


def _same_params(params, params0):
    return len(params) == len(params0) and not any(
        p.shape != q.shape or not close(p, q, rtol=1e-7, atol=1e-10)
        for pair, pair0 in zip(params, params0, strict=True)
        for p, q in zip(pair, pair0, strict=True))


def _same_run(got, want):
    params, hist = got[:2]
    params0, hist0 = want[:2]
    if not _same_params(params, params0):
        return False
    if len(got) > 2 and not _same_params(got[2], want[2]):
        return False
    return all(len(hist[k]) == len(hist0[k]) and close(hist[k], hist0[k], rtol=1e-7)
               for k in hist0)

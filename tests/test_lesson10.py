"""Lesson 10 (build it yourself): the checks, the reference network, the explorer.

- every check gives ✓ to the reference and ✗ "not written yet" to a stub;
- ``test_wrong_answer_*``: a typical slip written as real code gets exactly one ✗ line that
  names it (these are hand-written mutants from tests/mutants/lesson10.py; tests/test_mutants.py
  runs them all, with the mutants generated from the reference: 158 generated + 50
  hand-written for lesson 10, every one that differs from the reference gets ✗);
- the reference maths against independent computations (finite differences, nnlib's MLP);
- the stable loss is finite exactly where lesson 07's form gives inf;
- the explorer's scene renders, describes its frame, and every control changes the picture.
"""

from __future__ import annotations

import contextlib
import io
import sys
import warnings
from pathlib import Path

import numpy as np
import pytest

import nnlib.checks.lesson10 as L

sys.path.insert(0, str(Path(__file__).resolve().parent))


def lines_of(check, fn):
    out = io.StringIO()
    with contextlib.redirect_stdout(out):
        check(fn)
    return out.getvalue().splitlines()


def verdict(check, fn):
    lines = lines_of(check, fn)
    assert len(lines) == 1, lines
    return lines[0]


def fn_from(source, name, **names):
    ns = {"np": np, "ce_grad": L.ce_grad, "evaluate": L.evaluate, "forward": L.forward,
          "backward": L.backward, "ce_loss": L.ce_loss, **names}
    exec(source, ns)  # noqa: S102 - test code
    return ns[name]


CHECKS = {name: getattr(L, f"check_{name}") for name in L.REFERENCE}


@pytest.mark.parametrize("name", list(L.REFERENCE))
def test_reference_passes(name):
    line = verdict(CHECKS[name], L.REFERENCE[name])
    assert line.startswith("✓"), line


@pytest.mark.parametrize("name", list(L.REFERENCE))
def test_stub_gets_not_written_yet(name):
    def stub(*args, **kwargs):
        raise NotImplementedError("not written yet")
    stub.__name__ = name
    line = verdict(CHECKS[name], stub)
    assert line.startswith("✗") and "not written yet" in line, line


@pytest.mark.parametrize("bad", [None, 3, "forward", [1, 2]])
def test_checks_never_crash_on_junk(bad):
    for name, check in CHECKS.items():
        line = verdict(check, (lambda *a, _b=bad: _b))
        assert line.startswith("✗") and "internal check error" not in line, (name, line)
        assert "Traceback" not in line and "np.float64" not in line


def test_use_returns_reference_until_solved(capsys):
    def forward(params, X):
        raise NotImplementedError
    L._RESULTS.setdefault("10", {})["forward"] = False
    assert L.use(forward) is L.forward
    assert "has not passed its check" in capsys.readouterr().out
    L._RESULTS["10"]["forward"] = True
    try:
        assert L.use(forward) is forward
        assert capsys.readouterr().out == ""
    finally:
        L._RESULTS["10"]["forward"] = False


# ---------------------------------------------------------------- the maths, independently

def test_stable_loss_is_finite_where_the_naive_form_is_inf():
    logits, y = np.array([[0.0, 800.0], [2.0, 1.0]]), np.array([0, 0])
    with np.errstate(all="ignore"):
        e = np.exp(logits - logits.max(axis=1, keepdims=True))
        naive = -np.log((e / e.sum(axis=1, keepdims=True))[np.arange(2), y]).mean()
    assert np.isinf(naive)
    # row 0: 800 + log(1 + e^-800) = 800; row 1: log(1 + e^-1)
    assert L.ce_loss(logits, y) == pytest.approx((800 + np.log1p(np.exp(-1.0))) / 2, rel=1e-12)


def test_backward_matches_finite_differences():
    rng = np.random.default_rng(5)
    params = [(W.copy(), b.copy()) for W, b in L._random_params(rng, [4, 6, 5, 3])]
    X, y = rng.normal(size=(9, 4)), rng.integers(0, 3, 9)
    logits, acts = L.forward(params, X)
    grads = L.backward(params, acts, L.ce_grad(logits, y))
    h = 1e-6
    for (W, b), (dW, db) in zip(params, grads, strict=True):
        for P, dP in ((W, dW), (b, db)):
            for i in np.ndindex(P.shape):
                keep = P[i]
                P[i] = keep + h
                up = L.ce_loss(L.forward(params, X)[0], y)
                P[i] = keep - h
                down = L.ce_loss(L.forward(params, X)[0], y)
                P[i] = keep
                assert (up - down) / (2 * h) == pytest.approx(dP[i], abs=1e-7)


def test_reference_training_equals_nnlib_mlp_sgd_fit():
    """Same seeds, same settings: the reference loop and nnlib's MLP + SGD + fit agree."""
    from nnlib.layers import MLP
    from nnlib.optim import SGD
    from nnlib.train import fit

    rng = np.random.default_rng(3)
    X, y = rng.random((90, 12)), rng.integers(0, 4, 90)
    Xv, yv = rng.random((30, 12)), rng.integers(0, 4, 30)
    params = L.init_params([12, 7, 4], np.random.default_rng(0))
    L.train(params, X, y, Xv, yv, 0.1, 0.9, 16, 3, 99, np.random.default_rng(0))
    model = MLP([12, 7, 4], rng=np.random.default_rng(0), dtype=np.float64)
    fit(model, X, y, "cross_entropy", SGD(model.parameters(), lr=0.1, momentum=0.9), epochs=3,
        batch_size=16, rng=np.random.default_rng(0))
    mine = [w for pair in params for w in pair]
    theirs = [w for w, _ in model.parameters()]
    assert max(np.abs(a - b).max() for a, b in zip(mine, theirs, strict=True)) < 1e-12


def test_split_is_one_permutation_cut_in_three():
    tr, va, te = L.split_indices(50, 7, 11, np.random.default_rng(2))
    order = np.random.default_rng(2).permutation(50)
    assert np.array_equal(np.concatenate([te, va, tr]), order)


# ---------------------------------------------------------------- wrong answers, named

def _mutant(label):
    from mutants.lesson10 import MUTANTS
    found = [m for m in MUTANTS if m.label == label]
    assert found, label
    m = found[0]
    return fn_from(m.source, m.exercise)


@pytest.mark.parametrize("label, exercise, words", [
    ("file order, no shuffle", "split_indices", "sorted by digit"),
    ("validation and test swapped", "split_indices", "swapped"),
    ("returned (test, val, train)", "split_indices", "order (train, val, test)"),
    ("each pile sorted", "split_indices", "increasing order"),
    ("train overlaps validation", "split_indices", "(8000, 1000, 1000)"),
    ("std √(1/n_in)", "init_params", "√(1/n_in)"),
    ("variance 2/n_in as std", "init_params", "the variance"),
    ("std √(2/n_out)", "init_params", "√(2/n_out)"),
    ("Xavier", "init_params", "Xavier"),
    ("W transposed (n_out, n_in)", "init_params", "(n_in, n_out)"),
    ("random biases", "init_params", "biases"),
    ("one layer per size", "init_params", "one per pair"),
    ("ReLU on the logits", "forward", "ReLU on the last layer"),
    ("no ReLU", "forward", "no ReLU"),
    ("no biases", "forward", "biases are missing"),
    ("logits in the list", "forward", "logits are in the list"),
    ("X missing from the list", "forward", "X missing"),
    ("Z kept instead of A", "forward", "Z before the ReLU"),
    ("outputs swapped", "forward", "swapped"),
    ("ReLU in place on the input", "forward", "changed"),
    ("lesson 07's loss (inf)", "ce_loss", "log(0)"),
    ("clipped p", "ce_loss", "clipping"),
    ("one max for the whole batch", "ce_loss", "each row needs its own"),
    ("shift by the mean", "ce_loss", "log(0)"),
    ("sum over rows", "ce_loss", "summed over the rows"),
    ("one loss per row", "ce_loss", "one loss per row"),
    ("no ReLU slope", "backward", "ReLU's slope is missing"),
    ("db as a mean", "backward", "db is a mean"),
    ("dW divided by n again", "backward", "n× too small"),
    ("dW transposed", "backward", "transposed"),
    ("grads in reverse order", "backward", "reverse order"),
    ("mask applied in place to the caller's activations", "backward", "changed"),
    ("best_params = params (no copy)", "train", "copies"),
    ("returns the last weights", "train", "last epoch's"),
    ("no shuffle", "train", "same order every epoch"),
    ("shuffled once", "train", "shuffled only once"),
    ("never stops early", "train", "never stops early"),
    ("stops one epoch late", "train", "one epoch late"),
    ("ties keep the later epoch", "train", "tie"),
    ("no momentum", "train", "plain SGD"),
    ("drops the last batch", "train", "last, smaller batch"),
])
def test_wrong_answer_names_the_slip(label, exercise, words):
    line = verdict(CHECKS[exercise], _mutant(label))
    assert line.startswith("✗"), line
    assert words.lower() in line.lower(), line


def test_wrong_answer_train_not_in_place_says_what_is_wrong():
    line = verdict(CHECKS["train"], _mutant("W = W + v (not in place)"))
    assert line.startswith("✗") and "never change" in line, line


def test_wrong_answer_init_with_own_generator():
    line = verdict(CHECKS["init_params"], _mutant("own generator, seed 0"))
    assert line.startswith("✗") and "rng you were given" in line, line


def test_wrong_answer_split_with_own_generator():
    line = verdict(CHECKS["split_indices"], _mutant("global np.random instead of rng"))
    assert line.startswith("✗") and "rng you were given" in line, line


# ---------------------------------------------------------------- the explorer

@pytest.fixture(scope="module")
def scene():
    from nnlib.explore.capstone import DigitScene
    rng = np.random.default_rng(0)
    params = L.init_params([784, 16, 10], rng)
    X = rng.random((5, 784)) * (rng.random((5, 784)) > 0.8)
    s = DigitScene(params, X, np.arange(5))
    s.build()
    return s


def test_explorer_every_control_changes_the_picture(scene):
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        base = scene.png(index=0, strokes=0)
        assert scene.png(index=1, strokes=0) != base
        assert scene.png(index=0, strokes=1) != base
        assert scene.png(index=0, strokes=-1) != base
        assert scene.png(index=0, strokes=0) == base


def test_explorer_describes_its_frame(scene):
    text = scene.describe(index=2, strokes=-1)
    f = scene._frame
    assert "test digit 2" in text and "erased once" in text
    assert f"predicts {f['pred']} with {f['p'][f['pred']]:.1%}" in text


def test_change_strokes_thickens_and_erases():
    from nnlib.explore.capstone import change_strokes
    img = np.zeros((28, 28))
    img[10:13, 10:13] = 1
    assert change_strokes(img, 1).sum() == 9 + 12        # the 3×3 square grows by its 4 sides
    assert change_strokes(img, -1).sum() == 1            # only the centre survives
    assert np.array_equal(change_strokes(img, 0), img)


# ---------------------------------------------------------------- right answers written otherwise

RIGHT = {
    "split_indices": '''
def split_indices(n, n_val, n_test, rng):
    perm = rng.permutation(n)
    test = perm[:n_test]
    val = perm[n_test:n_test + n_val]
    train = perm[n_test + n_val:]
    return train, val, test
''',
    "init_params": '''
def init_params(sizes, rng):
    out = []
    for i in range(len(sizes) - 1):
        W = rng.standard_normal((sizes[i], sizes[i + 1])) * np.sqrt(2.0 / sizes[i])
        out.append([W, np.zeros(sizes[i + 1])])
    return out
''',
    "forward": '''
def forward(params, X):
    acts = [X]
    A = X
    for i, (W, b) in enumerate(params):
        Z = A @ W + b
        if i == len(params) - 1:
            return Z, acts
        A = np.where(Z > 0, Z, 0.0)
        acts.append(A)
''',
    "ce_loss": '''
def ce_loss(logits, y):
    m = logits.max(axis=1, keepdims=True)
    lse = m[:, 0] + np.log(np.sum(np.exp(logits - m), axis=1))
    return np.mean(lse - logits[np.arange(len(y)), y])
''',
    "backward": '''
def backward(params, activations, dZ):
    grads = []
    for (W, b), A in zip(reversed(params), reversed(activations)):
        grads.insert(0, (A.T @ dZ, np.sum(dZ, axis=0)))
        dZ = (dZ @ W.T) * (A > 0)
    return grads
''',
    "train": '''
import copy

def train(params, X_train, y_train, X_val, y_val, lr, momentum, batch_size, num_epochs,
          patience, rng):
    vel = [[np.zeros(W.shape), np.zeros(b.shape)] for W, b in params]
    history = {"train_loss": [], "val_loss": [], "val_acc": []}
    best, since = None, 0
    for epoch in range(num_epochs):
        order = rng.permutation(len(X_train))
        Xs, ys = X_train[order], y_train[order]
        losses = []
        for i in range(0, len(Xs), batch_size):
            Xb, yb = Xs[i:i + batch_size], ys[i:i + batch_size]
            logits, acts = forward(params, Xb)
            losses.append(ce_loss(logits, yb))
            grads = backward(params, acts, ce_grad(logits, yb))
            for (W, b), v, (dW, db) in zip(params, vel, grads):
                v[0][:] = momentum * v[0] - lr * dW
                v[1][:] = momentum * v[1] - lr * db
                W += v[0]
                b += v[1]
        loss, acc = evaluate(params, X_val, y_val)
        history["train_loss"].append(sum(losses) / len(losses))
        history["val_loss"].append(loss)
        history["val_acc"].append(acc)
        if best is None or loss < min(history["val_loss"][:-1]):
            best, since = copy.deepcopy(params), 0
        else:
            since += 1
            if since >= patience:
                break
    return best, history
''',
}


@pytest.mark.parametrize("name", list(RIGHT))
def test_right_answer_written_otherwise_passes(name):
    line = verdict(CHECKS[name], fn_from(RIGHT[name], name))
    assert line.startswith("✓"), line

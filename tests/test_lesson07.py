"""Lesson 07: mini-batch SGD explorers, the stacked trainer, and the exercise checks."""

from __future__ import annotations

import numpy as np
import pytest
from _helpers import not_written
from _helpers import verdict as _verdict
from matplotlib.figure import Figure

from nnlib.checks import lesson07 as checks
from nnlib.explore import sgd
from nnlib.layers import MLP
from nnlib.optim import SGD
from nnlib.train import evaluate, fit


def _texts(fig):
    out = [t.get_text() for t in fig.texts]
    for ax in fig.axes:
        out += [ax.get_title()] + [t.get_text() for t in ax.texts if t.get_visible()]
    return " | ".join(out)


# --- the maths behind the explorers ------------------------------------------------------------

def test_train_stack_matches_nnlib_fit():
    """One stacked run = MLP + SGD(momentum, weight decay) + fit, with the same seeds."""
    X, y = sgd.spiral_data()
    out = sgd.train_stack(X, y, [2, 8, 3], [0.05], batch_size=32, num_epochs=3,
                          momentum=0.9, weight_decay=1e-3, seed=4)
    rng = np.random.default_rng(4)
    model = MLP([2, 8, 3], rng=rng, dtype=np.float64)        # same init draws ...
    opt = SGD(model.parameters(), lr=0.05, momentum=0.9, weight_decay=1e-3)
    fit(model, X, y, "cross_entropy", opt, epochs=3, batch_size=32, rng=rng)  # ... same shuffles
    loss, acc = evaluate(model, X, y)
    assert out["train_loss"][0, -1] == pytest.approx(loss, rel=1e-9)
    assert out["train_acc"][0, -1] == pytest.approx(acc)


def test_train_stack_lr_grid_shapes_and_divergence():
    X, y = sgd.spiral_data()
    out = sgd.train_stack(X, y, [2, 8, 3], [0.1, 1e200], batch_size=50, num_epochs=4, seed=0)
    steps = 4 * 6
    assert out["step_loss"].shape == (2, steps)
    assert out["train_loss"].shape == (2, 5)
    assert out["train_loss"][0, 0] == pytest.approx(out["train_loss"][1, 0])  # same start
    assert out["diverged"][0] == 0 and out["train_loss"][0, -1] < out["train_loss"][0, 0]
    assert out["diverged"][1] >= 1 and np.isnan(out["train_loss"][1, -1])


def test_valley_path_plain_gd_closed_form():
    """With μ = 0: w₁ₜ = w₁₀ (1 − η)ᵗ and w₂ₜ = w₂₀ (1 − 20 η)ᵗ."""
    path = sgd.valley_path(0.02, 0.0, steps=10)
    t = np.arange(11)
    np.testing.assert_allclose(path[:, 0], sgd.VALLEY_START[0] * (1 - 0.02) ** t)
    np.testing.assert_allclose(path[:, 1], sgd.VALLEY_START[1] * (1 - 20 * 0.02) ** t)


def test_momentum_speeds_up_the_valley():
    plain = sgd.valley_path(0.02, 0.0)
    heavy = sgd.valley_path(0.02, 0.8)
    assert sgd.valley_loss(*heavy[-1]) < 0.01 * sgd.valley_loss(*plain[-1])


# --- render functions ----------------------------------------------------------------------------

def test_render_minibatch_title_and_timings_in_figure():
    fig = sgd.render_minibatch(lr=0.1, batch_size=16)
    assert isinstance(fig, Figure)
    text = _texts(fig)
    assert "η = 0.1" in text and "batch 16" in text and "ms per epoch" in text
    assert "19 updates," in text
    for ax in fig.axes:
        assert ax.get_xlabel() and ax.get_ylabel()


def test_render_boundary_epochs():
    start = _texts(sgd.render_boundary(epoch=0))
    end = _texts(sgd.render_boundary(epoch=sgd.BOUNDARY_EPOCHS))
    assert "epoch 0" in start and "random weights" in start
    acc = sgd.boundary_snapshots()[1].train_acc[-1]
    assert acc > 0.9
    assert f"accuracy {acc:.1%}" in end


def test_render_minibatch_too_large_lr_in_words():
    text = _texts(sgd.render_minibatch(lr=10.0, batch_size=1))
    assert "diverged" in text and "too large" in text and "above its start" in text
    assert "too large" not in _texts(sgd.render_minibatch(lr=0.1, batch_size=64))


def test_render_momentum_diverges_in_words():
    calm = _texts(sgd.render_momentum(lr=0.02, momentum=0.5))
    assert "diverged" not in calm and "μ = 0.50" in calm
    wild = _texts(sgd.render_momentum(lr=0.3, momentum=0.0))
    assert "diverged" in wild and "η = 0.3" in wild


# --- explorers: every control changes the picture, quickly, without warnings ---------------------

# Every control of every explorer is swept by tests/test_sweeps.py; update speed is
# measured by `make bench`, not asserted in tests.


# --- checks --------------------------------------------------------------------------------------

def ref_make_batches(n, batch_size, rng):
    order = rng.permutation(n)
    return [order[s:s + batch_size] for s in range(0, n, batch_size)]


def ref_sgd_epoch(w, X, y, lr, batch_size, rng):
    for idx in ref_make_batches(len(X), batch_size, rng):
        w = w - lr * 2 * X[idx].T @ (X[idx] @ w - y[idx]) / len(idx)
    return w


def ref_momentum_step(w, v, dw, lr, mu):
    v = mu * v - lr * dw
    return w + v, v


def test_checks_accept_reference_solutions(capsys):
    for check, fn in [(checks.check_make_batches, ref_make_batches),
                      (checks.check_sgd_epoch, ref_sgd_epoch),
                      (checks.check_momentum_step, ref_momentum_step)]:
        assert _verdict(capsys, check, fn).startswith("✓")


@pytest.mark.parametrize("check", [checks.check_make_batches, checks.check_sgd_epoch,
                                   checks.check_momentum_step])
def test_checks_not_implemented_and_none(capsys, check):
    out = _verdict(capsys, check, not_written)
    assert out.startswith("✗") and "not written yet" in out
    assert "forget `return`" in _verdict(capsys, check, lambda *a: None)


@pytest.mark.parametrize("wrong, hint", [
    (lambda n, b, rng: [np.arange(n)[s:s + b] for s in range(0, n, b)], "shuffle"),
    (lambda n, b, rng: [rng.permutation(n)[s:s + b] for s in range(0, n - b + 1, b)], "last"),
    (lambda n, b, rng: [rng.permutation(n)], "one batch"),
    (lambda n, b, rng: ref_make_batches(n, b, np.random.default_rng(7)), "rng argument"),
])
def test_make_batches_hints(capsys, wrong, hint):
    out = _verdict(capsys, checks.check_make_batches, wrong)
    assert out.startswith("✗") and hint in out


def _sum_not_mean(w, X, y, lr, b, rng):
    for idx in ref_make_batches(len(X), b, rng):
        w = w - lr * 2 * X[idx].T @ (X[idx] @ w - y[idx])
    return w


def _one_step(w, X, y, lr, b, rng):
    return w - lr * 2 * X.T @ (X @ w - y) / len(X)


@pytest.mark.parametrize("wrong, hint", [
    (lambda w, X, y, lr, b, rng: 2 * w - ref_sgd_epoch(w, X, y, lr, b, rng), "sign flipped"),
    (_sum_not_mean, "average the gradient"),
    (_one_step, "update w after every batch"),
])
def test_sgd_epoch_hints(capsys, wrong, hint):
    out = _verdict(capsys, checks.check_sgd_epoch, wrong)
    assert out.startswith("✗") and hint in out


@pytest.mark.parametrize("wrong, hint", [
    (lambda w, v, dw, lr, mu: (w - lr * dw, -lr * dw), "forgets the last step"),
    (lambda w, v, dw, lr, mu: (w + mu * v + lr * dw, mu * v + lr * dw), "sign flipped"),
    (lambda w, v, dw, lr, mu: (w + v, mu * v - lr * dw), "old v"),
    (lambda w, v, dw, lr, mu: w + mu * v - lr * dw, "two things"),
])
def test_momentum_step_hints(capsys, wrong, hint):
    out = _verdict(capsys, checks.check_momentum_step, wrong)
    assert out.startswith("✗") and hint in out


def test_check_all_counts(capsys):
    checks.check_momentum_step(ref_momentum_step)
    capsys.readouterr()
    checks.check_all("07")
    out = capsys.readouterr().out
    assert out.startswith("Lesson 07:") and "✓ Exercise 3: momentum_step" in out

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


def test_explorer_defaults_show_the_point():
    """Static previews: the boundary part-way trained, momentum and plain GD apart."""
    import inspect
    assert inspect.signature(sgd.explore_boundary).parameters["epoch"].default > 0
    mu = inspect.signature(sgd.explore_momentum).parameters["momentum"].default
    assert mu > 0
    heavy, plain = sgd.valley_path(0.02, mu), sgd.valley_path(0.02, 0.0)
    assert sgd.valley_loss(*heavy[-1]) < 0.1 * sgd.valley_loss(*plain[-1])


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

LOG3 = np.log(3.0)
P = np.array([[0.6, 0.2, 0.2], [1 / 3, 1 / 3, 1 / 3]])
E = np.array([[0.0, 1.0, 0.0], [1.0, 0.0, 0.0]])


def ref_ce_grad_by_hand():
    return (P - E) / 2


def ref_predict_valley_paths():
    return ("zigzag", "smooth", "diverge")


def ref_fix_sgd_epoch(w, X, y, lr, batch_size, rng):
    n = len(X)
    order = rng.permutation(n)
    for start in range(0, n, batch_size):
        idx = order[start:start + batch_size]
        Xb, yb = X[idx], y[idx]
        dw = 2 * Xb.T @ (Xb @ w - yb) / len(idx)
        w = w - lr * dw
    return w


def ref_choose_momentum():
    return 0.05, 0.7


REFERENCES = [(checks.check_ce_grad_by_hand, ref_ce_grad_by_hand),
              (checks.check_predict_valley_paths, ref_predict_valley_paths),
              (checks.check_fix_sgd_epoch, ref_fix_sgd_epoch),
              (checks.check_choose_momentum, ref_choose_momentum)]


def test_checks_accept_reference_solutions(capsys):
    for check, fn in REFERENCES:
        assert _verdict(capsys, check, fn).startswith("✓")


@pytest.mark.parametrize("check", [c for c, _ in REFERENCES])
def test_checks_not_written_and_none(capsys, check):
    out = _verdict(capsys, check, not_written)
    assert out.startswith("✗") and "not written yet" in out
    out = _verdict(capsys, check, lambda *a: None)
    assert out.startswith("✗") and "return" in out


def _wrong(capsys, check, fn, hint):
    out = _verdict(capsys, check, fn)
    assert out.startswith("✗") and hint in out, out


# Exercise 1: the cross-entropy gradient by hand

def test_wrong_answer_ce_forgot_mean_over_batch(capsys):
    _wrong(capsys, checks.check_ce_grad_by_hand, lambda: P - E, "divide every row by n")


def test_wrong_answer_ce_sign_flipped(capsys):
    _wrong(capsys, checks.check_ce_grad_by_hand, lambda: (E - P) / 2, "sign flipped")


def test_wrong_answer_ce_probabilities_only(capsys):
    _wrong(capsys, checks.check_ce_grad_by_hand, lambda: P / 2, "subtract the one-hot")


def test_wrong_answer_ce_minus_one_everywhere(capsys):
    _wrong(capsys, checks.check_ce_grad_by_hand, lambda: (P - 1) / 2, "every entry")


def test_wrong_answer_ce_label_in_wrong_column(capsys):
    _wrong(capsys, checks.check_ce_grad_by_hand, lambda: (P - E[::-1]) / 2, "wrong class")


def test_wrong_answer_ce_softmax_over_whole_batch(capsys):
    def whole_batch():
        Z = np.array([[LOG3, 0, 0], [0, 0, 0]])
        p = np.exp(Z) / np.exp(Z).sum()
        return (p - E) / 2
    _wrong(capsys, checks.check_ce_grad_by_hand, whole_batch, "each row on its own")


def test_wrong_answer_ce_divided_by_classes(capsys):
    _wrong(capsys, checks.check_ce_grad_by_hand, lambda: (P - E) / 3, "n = 2 samples")


def test_wrong_answer_ce_transposed(capsys):
    _wrong(capsys, checks.check_ce_grad_by_hand, lambda: ((P - E) / 2).T, "transposed")


def test_wrong_answer_ce_one_row_wrong(capsys):
    def row1_slip():
        g = (P - E) / 2
        g[1] = [-0.5, 0.25, 0.25]
        return g
    _wrong(capsys, checks.check_ce_grad_by_hand, row1_slip, "row 1 is")


# Exercise 2: predict the valley's paths

def test_wrong_answer_predict_shallow_curvature(capsys):
    _wrong(capsys, checks.check_predict_valley_paths, lambda: ("smooth",) * 3, "curvature 25")


def test_wrong_answer_predict_zigzag_diverges(capsys):
    _wrong(capsys, checks.check_predict_valley_paths,
           lambda: ("diverge", "smooth", "diverge"), "η = 0.06")


def test_wrong_answer_predict_thresholds_of_section_6(capsys):
    """Looked up 0.05 / 0.1 from section 6 instead of computing this valley's limits."""
    _wrong(capsys, checks.check_predict_valley_paths,
           lambda: ("zigzag", "smooth", "zigzag"), "section 6's valley")


def test_wrong_answer_predict_forgot_the_half(capsys):
    """Differentiated ½ · 25 w₂² as 50 w₂."""
    _wrong(capsys, checks.check_predict_valley_paths,
           lambda: ("diverge", "zigzag", "diverge"), "not 50 w₂")


def test_wrong_answer_predict_one_word(capsys):
    _wrong(capsys, checks.check_predict_valley_paths, lambda: "zigzag", "return three")


def test_wrong_answer_predict_unknown_word(capsys):
    _wrong(capsys, checks.check_predict_valley_paths,
           lambda: ("smooth", "oscillate", "diverge"), "is not one of")


# Exercise 3: debug one epoch of SGD (each bug of the given loop on its own, and together)

def _epoch_with(shuffle=True, accumulate=False, drop_last=False, sum_not_mean=False,
                divide_by_n=False, divide_by_b=False, sign=1.0):
    def epoch(w, X, y, lr, batch_size, rng):
        n = len(X)
        order = rng.permutation(n) if shuffle else np.arange(n)
        dw = np.zeros_like(w)
        for start in range(0, n - batch_size if drop_last else n, batch_size):
            idx = order[start:start + batch_size]
            Xb, yb = X[idx], y[idx]
            g = 2 * Xb.T @ (Xb @ w - yb)
            g = g if sum_not_mean else g / (n if divide_by_n else
                                              batch_size if divide_by_b else len(idx))
            if accumulate:
                dw += g
            else:
                dw = g
            w = w - sign * lr * dw
        return w
    return epoch


def test_wrong_answer_sgd_the_given_buggy_loop(capsys):
    def given(w, X, y, lr, batch_size, rng):
        n = len(X)
        order = np.arange(n)
        dw = np.zeros_like(w)
        for start in range(0, n - batch_size, batch_size):
            idx = order[start:start + batch_size]
            Xb, yb = X[idx], y[idx]
            dw += 2 * Xb.T @ (Xb @ w - yb) / len(idx)
            w = w - lr * dw
        return w
    _wrong(capsys, checks.check_fix_sgd_epoch, given, "2 more bugs")


def test_wrong_answer_sgd_missing_shuffle(capsys):
    _wrong(capsys, checks.check_fix_sgd_epoch, _epoch_with(shuffle=False), "never shuffled")


def test_wrong_answer_sgd_gradients_add_up(capsys):
    _wrong(capsys, checks.check_fix_sgd_epoch, _epoch_with(accumulate=True), "pile up")


def test_wrong_answer_sgd_off_by_one_batch(capsys):
    _wrong(capsys, checks.check_fix_sgd_epoch, _epoch_with(drop_last=True), "off by one")


def test_wrong_answer_sgd_sum_not_mean(capsys):
    _wrong(capsys, checks.check_fix_sgd_epoch, _epoch_with(sum_not_mean=True), "mean gradient")


def test_wrong_answer_sgd_one_over_n_misplaced(capsys):
    _wrong(capsys, checks.check_fix_sgd_epoch, _epoch_with(divide_by_n=True), "1/n in the wrong")


def test_wrong_answer_sgd_divided_by_batch_size(capsys):
    """/ batch_size instead of / len(idx): wrong only for the last, smaller batch."""
    _wrong(capsys, checks.check_fix_sgd_epoch, _epoch_with(divide_by_b=True), "last batch")


def test_wrong_answer_sgd_sign_flipped(capsys):
    _wrong(capsys, checks.check_fix_sgd_epoch, _epoch_with(sign=-1.0), "sign flipped")


def test_wrong_answer_sgd_two_bugs_left(capsys):
    _wrong(capsys, checks.check_fix_sgd_epoch, _epoch_with(shuffle=False, drop_last=True),
           "1 more bug")


def test_wrong_answer_sgd_global_random(capsys):
    def global_rng(w, X, y, lr, batch_size, rng):
        return ref_fix_sgd_epoch(w, X, y, lr, batch_size, np.random.default_rng())
    _wrong(capsys, checks.check_fix_sgd_epoch, global_rng, "rng argument")


def test_wrong_answer_sgd_one_full_batch_step(capsys):
    def one_step(w, X, y, lr, batch_size, rng):
        return w - lr * 2 * X.T @ (X @ w - y) / len(X)
    _wrong(capsys, checks.check_fix_sgd_epoch, one_step, "one step per mini-batch")


def test_wrong_answer_sgd_never_assigned(capsys):
    def unchanged(w, X, y, lr, batch_size, rng):
        for _start in range(0, len(X), batch_size):
            w - lr * 0.0   # noqa: B018 (the slip: the step is computed but never assigned)
        return w
    _wrong(capsys, checks.check_fix_sgd_epoch, unchanged, "did not change")


def test_wrong_answer_sgd_elementwise_instead_of_matmul(capsys):
    def star(w, X, y, lr, batch_size, rng):
        order = rng.permutation(len(X))
        for start in range(0, len(X), batch_size):
            idx = order[start:start + batch_size]
            w = w - lr * 2 * X[idx].T * (X[idx] @ w - y[idx]) / len(idx)
        return w
    out = _verdict(capsys, checks.check_fix_sgd_epoch, star)
    assert out.startswith("✗") and "shape" in out


# Exercise 4: design η and μ

def test_wrong_answer_momentum_plain_gd(capsys):
    _wrong(capsys, checks.check_choose_momentum, lambda: (0.09, 0.0), "plain gradient descent")


def test_wrong_answer_momentum_diverges(capsys):
    _wrong(capsys, checks.check_choose_momentum, lambda: (0.3, 0.5), "lower η")


def test_wrong_answer_momentum_percentage(capsys):
    _wrong(capsys, checks.check_choose_momentum, lambda: (0.05, 70), "not a percentage")


def test_wrong_answer_momentum_too_little(capsys):
    _wrong(capsys, checks.check_choose_momentum, lambda: (0.02, 0.5), "raise η: with η = 0.03")
    # the advice was simulated: η = 0.03 settles sooner than η = 0.02 (same μ)
    assert checks._settles(0.03, 0.5)[0] < checks._settles(0.02, 0.5)[0]


def test_wrong_answer_momentum_too_much_is_told_to_lower_mu(capsys):
    """Issue 20: (0.05, 0.9) was told "raise μ", but μ = 0.93 and 0.95 are slower still."""
    out = _verdict(capsys, checks.check_choose_momentum, lambda: (0.05, 0.9))
    assert out.startswith("✗") and "lower μ: with μ = 0.8" in out, out
    assert checks._settles(0.05, 0.8)[0] < checks._settles(0.05, 0.9)[0] \
        < checks._settles(0.05, 0.93)[0] < checks._settles(0.05, 0.95)[0]


def test_momentum_is_judged_over_the_whole_run(capsys):
    """A run that dips below 0.1 at step 11 and climbs back to 35 does not pass."""
    settle, first, diverged, loss = checks._settles(0.16, 0.9)
    assert first <= 15 < settle and loss[first:].max() > 25
    out = _verdict(capsys, checks.check_choose_momentum, lambda: (0.16, 0.9))
    assert out.startswith("✗") and "climbs back" in out, out


def test_plain_gradient_descent_needs_24_steps_whatever_eta():
    """The claim of the exercise text and of the ✓ line, checked on a fine grid of η."""
    settles = [checks._settles(lr, 0.0)[0] for lr in np.arange(0.001, 0.1, 0.001)]
    assert min(s for s in settles if s is not None) == 24


def test_momentum_advice_in_the_formula_and_the_fallback_is_true():
    """"η between 0.06 and 0.1 with μ around 0.6" (hint rung 2 and the last ✗ line) passes."""
    for lr in np.linspace(0.06, 0.1, 9):
        settle, _, diverged, _ = checks._settles(lr, 0.6)
        assert settle <= 15 and not diverged, lr


def test_momentum_text_is_refused_with_remove_the_quotes(capsys):
    _wrong(capsys, checks.check_choose_momentum, lambda: ("0.05", "0.7"), "remove the quotes")


def test_sgd_epoch_range_to_n_minus_one_drops_a_sample(capsys):
    """Issue 20: range(0, n − 1, B) passed with n = 10, B = 4; it drops a sample when n % B = 1."""
    def f(w, X, y, lr, batch_size, rng):
        n = len(X)
        order = rng.permutation(n)
        for start in range(0, n - 1, batch_size):
            idx = order[start:start + batch_size]
            w = w - lr * 2 * X[idx].T @ (X[idx] @ w - y[idx]) / len(idx)
        return w
    _wrong(capsys, checks.check_fix_sgd_epoch, f, "n = 9, batch_size = 4")


def test_sgd_epoch_range_to_n_plus_one_makes_an_empty_batch(capsys):
    def f(w, X, y, lr, batch_size, rng):
        n = len(X)
        order = rng.permutation(n)
        for start in range(0, n + 1, batch_size):
            idx = order[start:start + batch_size]
            w = w - lr * 2 * X[idx].T @ (X[idx] @ w - y[idx]) / len(idx)
        return w
    _wrong(capsys, checks.check_fix_sgd_epoch, f, "empty")


def test_wrong_answer_momentum_too_much(capsys):
    _wrong(capsys, checks.check_choose_momentum, lambda: (0.03, 0.93), "lower μ")


def test_wrong_answer_momentum_one_number(capsys):
    _wrong(capsys, checks.check_choose_momentum, lambda: 0.05, "two numbers")


def test_check_all_counts(capsys):
    checks.check_choose_momentum(ref_choose_momentum)
    capsys.readouterr()
    checks.check_all("07")
    out = capsys.readouterr().out
    assert out.startswith("Lesson 07:") and "✓ Exercise 4: choose_momentum" in out


def test_hint_ladder(capsys):
    checks.hint("fix_sgd_epoch")
    assert "Hint 1 of 3" in capsys.readouterr().out
    checks.hint("fix_sgd_epoch")
    assert "Hint 2 of 3" in capsys.readouterr().out


def test_wrong_answer_sgd_in_place_update(capsys):
    def in_place(w, X, y, lr, batch_size, rng):
        n = len(X)
        order = rng.permutation(n)
        for start in range(0, n, batch_size):
            idx = order[start:start + batch_size]
            Xb, yb = X[idx], y[idx]
            w -= lr * 2 * Xb.T @ (Xb @ w - yb) / len(idx)
        return w
    _wrong(capsys, checks.check_fix_sgd_epoch, in_place, "in place")


def test_wrong_answer_momentum_exactly_one(capsys):
    _wrong(capsys, checks.check_choose_momentum, lambda: (0.05, 1.0), "never decays")

"""Lesson 09: overfitting, weight decay, initialization, schedules, local minima; the checks."""

from __future__ import annotations

import numpy as np
import pytest
from _helpers import not_written
from _helpers import verdict as _verdict

from nnlib.checks import lesson09 as checks
from nnlib.explore import training
from nnlib.optim import exponential_decay, step_decay


def _texts(fig):
    out = [t.get_text() for t in fig.texts]
    for ax in fig.axes:
        out += [ax.get_title()] + [t.get_text() for t in ax.texts if t.get_visible()]
    return " | ".join(out)


# --- maths ---------------------------------------------------------------------------------------

def test_weight_decay_closes_the_gap_then_underfits():
    r = training.decay_runs()
    gap = r["val_loss"][:, -1] - r["train_loss"][:, -1]
    lam = 10.0 ** training.WD_EXPONENTS
    small, mid, huge = 0, int(np.argmin(np.abs(lam - 0.01))), len(lam) - 1
    assert gap[small] > 0.5                     # no decay: memorised, big gap
    assert gap[mid] < 0.3 * gap[small]          # λ = 0.01: gap mostly closed
    assert r["val_loss"][mid, -1] < r["val_loss"][small, -1]
    assert r["train_loss"][huge, -1] == pytest.approx(np.log(2), abs=0.01)   # flat: underfits
    assert np.all(np.diff(r["weight_norm"]) < 0)                            # decay shrinks |W|


def test_deep_net_stats_xavier_and_he_keep_signal_alive():
    _, tanh_std, _ = training.deep_net_stats(np.sqrt(2 / 200), "tanh")
    _, relu_std, _ = training.deep_net_stats(np.sqrt(2 / 100), "relu")
    assert 0.1 < tanh_std[-1] < 1 and 0.3 < relu_std[-1] < 3
    _, small, _ = training.deep_net_stats(0.01, "relu")
    _, large, _ = training.deep_net_stats(1.0, "relu")
    assert small[-1] < 1e-8 and large[-1] > 1e6
    # A ReLU layer with std s multiplies the spread by about s·√(n/2) = 0.5·√50 ≈ 3.5.
    _, stds, _ = training.deep_net_stats(0.5, "relu")
    ratio = np.exp(np.mean(np.log(stds[1:] / stds[:-1])))
    assert ratio == pytest.approx(0.5 * np.sqrt(50), rel=0.25)


def test_schedule_runs_use_nnlib_schedules_and_decay_helps():
    runs = training.schedule_runs(0.5, gamma=0.93)
    np.testing.assert_allclose(runs["step decay"][0],
                               [step_decay(0.5, 0.5, 15)(t) for t in range(60)])
    np.testing.assert_allclose(runs["exponential decay"][0],
                               [exponential_decay(0.5, 0.93)(t) for t in range(60)])
    final = {k: v[1][-1] for k, v in runs.items()}
    assert final["exponential decay"] < final["step decay"] < final["constant"]
    # Constant η on ½w² with unit noise settles at E[½w²] = η / (2 (2 − η)) = 1/12.
    assert final["constant"] == pytest.approx(0.5 / (2 * 1.5), rel=0.3)


def test_bumpy_path_minima_and_momentum():
    assert training.bumpy_path(1.0)[-1] == pytest.approx(1.88, abs=0.02)
    assert training.bumpy_path(-1.0)[-1] == pytest.approx(-2.10, abs=0.02)
    assert training.bumpy_path(3.0, momentum=0.9)[-1] < 0
    assert training.bumpy_grad(1.88) == pytest.approx(0, abs=0.02)


# --- render functions ---------------------------------------------------------------------------

def test_render_weight_decay_titles():
    text = _texts(training.render_weight_decay(weight_decay=0.01))
    assert "λ = 0.01" in text and "gap" in text and "val" in text


@pytest.mark.parametrize("scale, activation, word", [(0.01, "tanh", "vanishing"),
                                                     (1.0, "relu", "exploding"),
                                                     (1.0, "tanh", "saturated")])
def test_render_init_says_what_goes_wrong(scale, activation, word):
    assert word in _texts(training.render_init(scale=scale, activation=activation))


def test_render_init_quiet_at_he():
    text = _texts(training.render_init(scale=0.14, activation="relu"))
    assert "He: $s$ = 0.141" in text
    assert not any(w in text for w in ("vanishing", "exploding", "saturated"))


def test_render_schedules_divergence_in_words():
    assert "diverged" not in _texts(training.render_schedules(lr0=0.5))
    text = _texts(training.render_schedules(lr0=3.0))
    assert "constant: diverged" in text and "too large" in text


def test_render_minima_names_the_valley():
    assert "local minimum" in _texts(training.render_minima(w0=1.0, momentum=0.0))
    assert "global minimum (" in _texts(training.render_minima(w0=3.0, momentum=0.9))


# --- explorers --------------------------------------------------------------------------------

# Every control of every explorer is swept by tests/test_sweeps.py; update speed is
# measured by `make bench`, not asserted in tests.


# --- the derivation of section 3 ---------------------------------------------------------------

def test_relu_halves_the_second_moment_and_he_keeps_variance():
    rng = np.random.default_rng(0)
    z_prev = rng.normal(0.0, 1.0, size=(4000, 100))
    a = np.maximum(z_prev, 0)
    assert np.mean(a ** 2) == pytest.approx(0.5 * z_prev.var(), rel=0.02)
    s = np.sqrt(2 / 100)
    z = a @ rng.normal(0.0, s, size=(100, 100))
    assert z.var() == pytest.approx(100 * s ** 2 * np.mean(a ** 2), rel=0.05)
    assert z.var() == pytest.approx(z_prev.var(), rel=0.05)


# --- checks ---------------------------------------------------------------------------------------

def _bad(capsys, check, answer, *needles, number):
    out = _verdict(capsys, check, answer)
    assert out.startswith(f"✗ Exercise {number}"), out
    for needle in needles:
        assert needle in out, out
    return out


def test_registered_kinds():
    from nnlib.checks._core import exercises
    kinds = {ex.name: ex.kind for ex in exercises("09")}
    assert kinds == {"decay_equilibrium": "derive", "leaky_layer_variance": "derive",
                     "best_epoch": "debug"}
    assert all(ex.idea and ex.formula for ex in exercises("09"))


def _fixed_loop(v):
    best = 0
    for e in range(1, len(v)):
        if v[e] < v[best]:
            best = e
    return best


def _simulated_equilibrium(lr, lam, g):
    w = 0.0
    for _ in range(200_000):             # run the update until it settles
        w = (1 - lr * lam) * w - lr * g
    return w


def test_right_answers_pass(capsys):
    for check, fn, k in [(checks.check_decay_equilibrium, lambda lr, lam, g: -g / lam, 1),
                         (checks.check_decay_equilibrium, _simulated_equilibrium, 1),
                         (checks.check_leaky_layer_variance,
                          lambda n, s, v, a: n * s * s * v * (1 + a * a) / 2, 2),
                         (checks.check_best_epoch, lambda v: int(np.argmin(v)), 3),
                         (checks.check_best_epoch, _fixed_loop, 3),
                         (checks.check_best_epoch, lambda v: np.argmin(v), 3)]:
        out = _verdict(capsys, check, fn)
        assert out.startswith(f"✓ Exercise {k}"), out


@pytest.mark.parametrize("check", [checks.check_decay_equilibrium,
                                   checks.check_leaky_layer_variance, checks.check_best_epoch])
def test_stub_says_not_written_yet(capsys, check):
    out = _verdict(capsys, check, not_written)
    assert out.startswith("✗") and "not written yet" in out


# decay_equilibrium = −g/λ
def test_wrong_answer_equilibrium_sign(capsys):
    _bad(capsys, checks.check_decay_equilibrium, lambda lr, lam, g: g / lam, "Sign", number=1)


def test_wrong_answer_equilibrium_keeps_lr_up(capsys):
    _bad(capsys, checks.check_decay_equilibrium, lambda lr, lam, g: -lr * g / lam, "cancels",
         number=1)


def test_wrong_answer_equilibrium_keeps_lr_down(capsys):
    _bad(capsys, checks.check_decay_equilibrium, lambda lr, lam, g: -g / (lr * lam), "cancels",
         number=1)


def test_wrong_answer_equilibrium_multiplies(capsys):
    _bad(capsys, checks.check_decay_equilibrium, lambda lr, lam, g: -g * lam, "divide by λ",
         number=1)


def test_wrong_answer_equilibrium_half_lambda(capsys):
    _bad(capsys, checks.check_decay_equilibrium, lambda lr, lam, g: -2 * g / lam,
         "the 2 comes down", number=1)


def test_wrong_answer_equilibrium_forgets_lambda(capsys):
    _bad(capsys, checks.check_decay_equilibrium, lambda lr, lam, g: -g, "λ is missing", number=1)


def test_wrong_answer_equilibrium_zero(capsys):
    _bad(capsys, checks.check_decay_equilibrium, lambda lr, lam, g: 0.0, "cancel", number=1)


def test_wrong_answer_equilibrium_shrink_factor(capsys):
    _bad(capsys, checks.check_decay_equilibrium, lambda lr, lam, g: 1 - lr * lam,
         "shrink factor", number=1)


# leaky_layer_variance = n_in s² var_prev (1 + α²)/2
def test_wrong_answer_leaky_plain_relu(capsys):
    _bad(capsys, checks.check_leaky_layer_variance, lambda n, s, v, a: n * s ** 2 * v / 2,
         "plain ReLU", number=2)


def test_wrong_answer_leaky_no_kink(capsys):
    _bad(capsys, checks.check_leaky_layer_variance, lambda n, s, v, a: n * s ** 2 * v,
         "without any kink", number=2)


def test_wrong_answer_leaky_alpha_not_squared(capsys):
    _bad(capsys, checks.check_leaky_layer_variance,
         lambda n, s, v, a: n * s ** 2 * v * (1 + a) / 2, "Square the leak", number=2)


def test_wrong_answer_leaky_no_half(capsys):
    _bad(capsys, checks.check_leaky_layer_variance,
         lambda n, s, v, a: n * s ** 2 * v * (1 + a ** 2), "half the time", number=2)


def test_wrong_answer_leaky_positive_half_missing(capsys):
    _bad(capsys, checks.check_leaky_layer_variance, lambda n, s, v, a: n * s ** 2 * v * a ** 2 / 2,
         "positive half is missing", number=2)


def test_wrong_answer_leaky_s_not_squared(capsys):
    _bad(capsys, checks.check_leaky_layer_variance,
         lambda n, s, v, a: n * s * v * (1 + a ** 2) / 2, "square it", number=2)


def test_wrong_answer_leaky_forgets_n_in(capsys):
    _bad(capsys, checks.check_leaky_layer_variance,
         lambda n, s, v, a: s ** 2 * v * (1 + a ** 2) / 2, "multiply by n_in", number=2)


def test_wrong_answer_leaky_std(capsys):
    _bad(capsys, checks.check_leaky_layer_variance,
         lambda n, s, v, a: np.sqrt(n * s ** 2 * v * (1 + a ** 2) / 2), "std of z", number=2)


def test_wrong_answer_leaky_halves_cancel(capsys):
    _bad(capsys, checks.check_leaky_layer_variance,
         lambda n, s, v, a: n * s ** 2 * v * (1 - a ** 2) / 2, "do not cancel", number=2)


def test_wrong_answer_leaky_caret_for_power(capsys):
    _bad(capsys, checks.check_leaky_layer_variance,
         lambda n, s, v, a: n * s ** 2 * v * (1 + a ^ 2) / 2, "**", number=2)


# best_epoch: argmin, earliest on ties
def test_wrong_answer_best_epoch_the_original_bug(capsys):
    _bad(capsys, checks.check_best_epoch, checks._buggy, "like the buggy rule", number=3)


def test_wrong_answer_best_epoch_ties_take_the_later(capsys):
    def best_epoch(v):
        best = 0
        for e in range(1, len(v)):
            if v[e] <= v[best]:
                best = e
        return best
    _bad(capsys, checks.check_best_epoch, best_epoch, "use the strict <", number=3)


def test_wrong_answer_best_epoch_later_tie_without_le_is_not_told_about_le(capsys):
    """Issue 20: a slip named only from evidence: this code has no <=, so no '<=' advice."""
    def best_epoch(v):
        return len(v) - 1 - int(np.argmin(v[::-1]))
    out = _verdict(capsys, checks.check_best_epoch, best_epoch)
    assert out.startswith("✗") and "keep the earliest" in out and "<=" not in out, out


def test_wrong_answer_best_epoch_first_rise(capsys):
    """Issue 20: a first-rise rule was told "use < rather than <=" (its code has no <=)."""
    def best_epoch(v):
        for e in range(1, len(v)):
            if v[e] > v[e - 1]:
                return e - 1
        return len(v) - 1
    out = _verdict(capsys, checks.check_best_epoch, best_epoch)
    assert out.startswith("✗") and "first rise" in out and "<=" not in out, out


def test_wrong_answer_best_epoch_sorts_the_callers_list(capsys):
    def best_epoch(v):
        original = list(v)
        v.sort()
        return original.index(v[0])
    out = _verdict(capsys, checks.check_best_epoch, best_epoch)
    assert out.startswith("✗") and "changed the caller's list" in out and ".sort()" in out, out


def test_wrong_answer_leaky_floor_division(capsys):
    def f(n_in, s, var_prev, alpha):
        return n_in * s ** 2 * var_prev * (1 + alpha ** 2) // 2
    out = _verdict(capsys, checks.check_leaky_layer_variance, f)
    assert out.startswith("✗") and "floor division" in out, out


def test_wrong_answer_leaky_var_a_not_e_a2(capsys):
    def f(n_in, s, var_prev, alpha):
        mean = 0.5 * (1 - alpha) * np.sqrt(2 * var_prev / np.pi)
        return n_in * s ** 2 * (0.5 * (1 + alpha ** 2) * var_prev - mean ** 2)
    out = _verdict(capsys, checks.check_leaky_layer_variance, f)
    assert out.startswith("✗") and "Var[a]" in out, out


def test_wrong_answer_leaky_half_on_one_side(capsys):
    pos = _verdict(capsys, checks.check_leaky_layer_variance,
                   lambda n_in, s, var_prev, alpha: n_in * s ** 2 * var_prev * (0.5 + alpha ** 2))
    neg = _verdict(capsys, checks.check_leaky_layer_variance,
                   lambda n_in, s, var_prev, alpha: n_in * s ** 2 * var_prev * (1 + alpha ** 2 / 2))
    assert "positive half only" in pos and "negative half only" in neg, (pos, neg)


def test_wrong_answer_best_epoch_one_based(capsys):
    _bad(capsys, checks.check_best_epoch, lambda v: int(np.argmin(v)) + 1, "0-based", number=3)


def test_wrong_answer_best_epoch_highest(capsys):
    _bad(capsys, checks.check_best_epoch, lambda v: int(np.argmax(v)), "highest loss", number=3)


def test_wrong_answer_best_epoch_value_not_index(capsys):
    _bad(capsys, checks.check_best_epoch, lambda v: float(min(v)), "loss value", number=3)


def test_wrong_answer_best_epoch_last(capsys):
    _bad(capsys, checks.check_best_epoch, lambda v: len(v) - 1, "last epoch", number=3)


def test_check_all_counts(capsys):
    checks.check_leaky_layer_variance(lambda n, s, v, a: n * s * s * v * (1 + a * a) / 2)
    checks.check_decay_equilibrium(lambda lr, lam, g: None)
    capsys.readouterr()
    checks.check_all("09")
    out = capsys.readouterr().out
    assert "✓ Exercise 2: leaky_layer_variance" in out and "✗ Exercise 1: decay_equilibrium" in out

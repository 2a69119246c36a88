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
    assert "He: 0.141" in text
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


# --- checks ---------------------------------------------------------------------------------------


def test_checks_accept_reference_solutions(capsys):
    for check, fn in [(checks.check_weight_decay_step,
                       lambda w, dw, lr, lam: w - lr * (dw + lam * w)),
                      (checks.check_he_scale, lambda n: np.sqrt(2 / n)),
                      (checks.check_best_epoch, lambda v: int(np.argmin(v)))]:
        assert _verdict(capsys, check, fn).startswith("✓")


@pytest.mark.parametrize("check", [checks.check_weight_decay_step, checks.check_he_scale,
                                   checks.check_best_epoch])
def test_checks_not_implemented_and_none(capsys, check):
    assert "not written yet" in _verdict(capsys, check, not_written)
    assert "forget `return`" in _verdict(capsys, check, lambda *a: None)


@pytest.mark.parametrize("check, wrong, hint", [
    (checks.check_weight_decay_step, lambda w, dw, lr, lam: w - lr * dw, "λ is missing"),
    (checks.check_weight_decay_step, lambda w, dw, lr, lam: w - lr * (dw - lam * w),
     "sign flipped"),
    (checks.check_weight_decay_step, lambda w, dw, lr, lam: w - lr * (dw + lam * w / 2), "λ/2"),
    (checks.check_weight_decay_step, lambda w, dw, lr, lam: w - lr * dw - lam * w, "by η too"),
    (checks.check_he_scale, lambda n: 2 / n, "variance"),
    (checks.check_he_scale, lambda n: np.sqrt(1 / n), "LeCun"),
    (checks.check_he_scale, lambda n: np.sqrt(2 * n), "denominator"),
    (checks.check_best_epoch, lambda v: int(np.argmax(v)), "highest loss"),
    (checks.check_best_epoch, lambda v: float(min(v)), "loss value"),
    (checks.check_best_epoch, lambda v: int(np.argmin(v)) + 1, "0-based"),
    (checks.check_best_epoch, lambda v: len(v) - 1, "last epoch"),
])
def test_targeted_hints(capsys, check, wrong, hint):
    out = _verdict(capsys, check, wrong)
    assert out.startswith("✗") and hint in out


def test_check_all_counts(capsys):
    checks.check_he_scale(lambda n: np.sqrt(2 / n))
    capsys.readouterr()
    checks.check_all("09")
    assert "✓ Exercise 2: he_scale" in capsys.readouterr().out

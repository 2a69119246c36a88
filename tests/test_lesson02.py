"""Lesson 02 (loss functions): explorers, exercise checks and the maths they show."""

from __future__ import annotations

import numpy as np
import pytest
from matplotlib.figure import Figure

from nnlib.checks import lesson02 as checks
from nnlib.explore import loss as L
from nnlib.plots import fig_to_png

# ------------------------------------------------------------------ explorers


@pytest.mark.parametrize("a, b, c", [(-1.0, -3.0, -3.0), (3.0, 2.0, 1.0), (6.0, 6.0, 5.0)])
def test_render_fit_states_losses(a, b, c):
    # a, b, c here are just the test's names for the coefficients c2, c1, c0
    fig = L.render_fit(c2=a, c1=b, c0=c)
    assert isinstance(fig, Figure)
    x, y = L.fit_data()
    err = a * x ** 2 + b * x + c - y
    title = fig.axes[0].get_title()
    assert f"MSE = {np.sum(err ** 2) / len(x):.2f}" in title
    assert f"MAE = {np.sum(np.abs(err)) / len(x):.2f}" in title
    for ax in fig.axes:
        assert ax.get_xlabel() and ax.get_ylabel()
    assert fig.axes[1].get_ylim() == (0.0, L.FitScene.LOSS_MAX)
    assert fig_to_png(fig)[:4] == b"\x89PNG"


def test_fit_best_a_is_where_the_mse_parabola_bottoms_out():
    # MSE(a) = A a² + 2 B a + C with A = mean(x⁴), B = mean(x² (b x + c − y)): minimum at −B/A
    x, y = L.fit_data()
    b, c = 2.0, 1.0
    a_best = -np.sum(x ** 2 * (b * x + c - y)) / np.sum(x ** 4)
    title = L.render_fit(c2=1.0, c1=b, c0=c).axes[1].get_title()
    assert f"best c₂ = {a_best:.2f}" in title
    grid = np.array([a_best - 0.1, a_best, a_best + 0.1])
    mse, mae = L.loss_curves(x, y, grid, b, c)
    assert mse[1] < mse[0] and mse[1] < mse[2]
    # the curvature of MSE(a) is 2·mean(x⁴): a second difference recovers it
    assert (mse[0] - 2 * mse[1] + mse[2]) / 0.01 == pytest.approx(2 * np.mean(x ** 4), rel=1e-6)
    assert mae.shape == (3,)


def test_fit_data_is_the_seeded_quadratic():
    x, y = L.fit_data()
    assert x.shape == y.shape == (30,)
    x2, y2 = L.fit_data()
    assert np.array_equal(y, y2)
    # noise of standard deviation 1 around y = 3x² + 2x + 1
    resid = y - (3 * x ** 2 + 2 * x + 1)
    assert 0.4 < np.std(resid) < 1.6
    # the notebook generates the same data inline (section 4): keep the two in step
    rng = np.random.default_rng(42)
    x_nb = np.sort(rng.uniform(-2, 2, size=30))
    y_nb = 3 * x_nb ** 2 + 2 * x_nb + 1 + rng.normal(0.0, 1.0, size=30)
    assert np.array_equal(x, x_nb) and np.array_equal(y, y_nb)


@pytest.mark.parametrize("shift", [0.0, 8.0, 20.0])
def test_render_outlier(shift):
    fig = L.render_outlier(shift=shift)
    assert f"shift {shift:.1f}" in fig.axes[0].get_title()
    assert fig_to_png(fig)[:4] == b"\x89PNG"


def test_l2_line_matches_the_normal_equations():
    x, y = L.outlier_data(5.0)
    A = np.c_[x, np.ones_like(x)]
    w, b = np.linalg.solve(A.T @ A, A.T @ y)
    assert L.l2_line(x, y) == pytest.approx((w, b), rel=1e-10)


def test_l2_slope_moves_linearly_with_the_outlier():
    # pushing point k up by s adds s·(x_k − x̄)/Σ(x − x̄)² to the least-squares slope
    x, _ = L.outlier_data()
    k = L.OUTLIER_INDEX
    rate = (x[k] - x.mean()) / np.sum((x - x.mean()) ** 2)
    w0 = L.l2_line(*L.outlier_data(0.0))[0]
    w10 = L.l2_line(*L.outlier_data(10.0))[0]
    assert w10 - w0 == pytest.approx(10 * rate, rel=1e-9)


def test_l1_line_is_optimal_and_ignores_a_far_outlier():
    x, y = L.outlier_data(6.0)
    w, b = L.l1_line(x, y)
    best = np.mean(np.abs(w * x + b - y))
    # no line on a fine grid around it does better
    ws, bs = np.meshgrid(np.linspace(w - 0.5, w + 0.5, 81), np.linspace(b - 1, b + 1, 81))
    costs = np.mean(np.abs(ws[..., None] * x + bs[..., None] - y), axis=-1)
    assert costs.min() >= best - 1e-12
    # once the outlier is above the line, pushing it higher adds the same cost to every
    # line that stays below it, so the minimiser does not move
    assert L.l1_line(*L.outlier_data(20.0)) == pytest.approx((w, b))
    assert abs(w - 0.8) < 0.2


def test_exports():
    assert L.EXPLORERS == [L.explore_fit, L.explore_outlier]
    for name in L.__all__:
        obj = getattr(L, name)
        if callable(obj):
            assert obj.__doc__, f"{name} has no docstring"


@pytest.mark.parametrize("factory", L.EXPLORERS, ids=lambda f: f.__name__)
def test_explorer_controls_change_image(factory):
    # update speed is measured by `make bench` (benchmarks/run.py), not asserted here
    exp = factory()
    assert exp.error is None
    for name, w in exp.controls.items():
        pictures = set()
        for v in np.linspace(w.min, w.max, 15):
            w.value = float(v)
            assert exp.error is None, exp.error
            pictures.add(bytes(exp.image.value))
        assert len(pictures) >= 10, f"moving {name} hardly changes the picture"


# ------------------------------------------------------------------ checks
from _helpers import not_written, verdict  # noqa: E402


def _bad(capsys, check, answer, *needles, number):
    out = verdict(capsys, check, answer)
    assert out.startswith(f"✗ Exercise {number}"), out
    for needle in needles:
        assert needle in out, out
    return out


def test_registered_kinds():
    from nnlib.checks._core import exercises
    kinds = {ex.name: ex.kind for ex in exercises("02")}
    assert kinds == {"predict_larger_loss": "predict", "dloss_dc1": "derive",
                     "mean_median_gap": "design"}
    assert all(ex.idea and ex.formula for ex in exercises("02"))


def test_right_answers_pass(capsys):
    assert verdict(capsys, checks.check_predict_larger_loss,
                   lambda: "mae").startswith("✓ Exercise 1")
    assert verdict(capsys, checks.check_predict_larger_loss,
                   lambda: " MAE ").startswith("✓ Exercise 1")
    assert verdict(capsys, checks.check_dloss_dc1,
                   lambda c1, x, y: np.mean(2 * x * (c1 * x - y))).startswith("✓ Exercise 2")
    assert verdict(capsys, checks.check_dloss_dc1,       # the same maths, written differently
                   lambda c1, x, y: 2 * (c1 * np.sum(x * x) - np.sum(x * y)) / len(x)
                   ).startswith("✓ Exercise 2")
    for data in ([0, 0, 30], np.array([1.0, 2.0, 3.0, 44.0]), [5, 5, 5, 5, 55]):
        out = verdict(capsys, checks.check_mean_median_gap, lambda d=data: d)
        assert out.startswith("✓ Exercise 3"), out


def test_the_gap_answer_is_right():
    d = np.array([5, 5, 5, 5, 55.0])
    assert d.mean() - np.median(d) == 10


@pytest.mark.parametrize("check", [checks.check_predict_larger_loss, checks.check_dloss_dc1,
                                   checks.check_mean_median_gap])
def test_stub_says_not_written_yet(capsys, check):
    out = verdict(capsys, check, not_written)
    assert out.startswith("✗") and "not written yet" in out


# predict_larger_loss
def test_wrong_answer_predict_mse(capsys):
    _bad(capsys, checks.check_predict_larger_loss, lambda: "mse", "0.5² = 0.25", number=1)


def test_wrong_answer_predict_equal(capsys):
    _bad(capsys, checks.check_predict_larger_loss, lambda: "equal", "equal only when",
         number=1)


def test_wrong_answer_predict_number(capsys):
    _bad(capsys, checks.check_predict_larger_loss, lambda: 0.25, "return the text", number=1)


def test_wrong_answer_predict_other_text(capsys):
    _bad(capsys, checks.check_predict_larger_loss, lambda: "the MAE one", "\"mse\" or \"mae\"",
         number=1)


# dloss_dc1: (1/n) Σ 2 x_i (c1 x_i − y_i)
def test_wrong_answer_dloss_missing_factor_x(capsys):
    _bad(capsys, checks.check_dloss_dc1, lambda c1, x, y: np.mean(2 * (c1 * x - y)),
         "missing the factor x_i", number=2)


def test_wrong_answer_dloss_sum_not_mean(capsys):
    _bad(capsys, checks.check_dloss_dc1, lambda c1, x, y: np.sum(2 * x * (c1 * x - y)),
         "too large", "mean, not sum", number=2)


def test_wrong_answer_dloss_divides_twice(capsys):
    _bad(capsys, checks.check_dloss_dc1,
         lambda c1, x, y: np.mean(2 * x * (c1 * x - y)) / len(x), "divide twice", number=2)


def test_wrong_answer_dloss_forgot_the_2(capsys):
    _bad(capsys, checks.check_dloss_dc1, lambda c1, x, y: np.mean(x * (c1 * x - y)),
         "2× too small", "exponent 2", number=2)


def test_wrong_answer_dloss_sign_flipped(capsys):
    _bad(capsys, checks.check_dloss_dc1, lambda c1, x, y: np.mean(2 * x * (y - c1 * x)),
         "sign flipped", number=2)


def test_wrong_answer_dloss_returns_the_loss(capsys):
    _bad(capsys, checks.check_dloss_dc1, lambda c1, x, y: np.mean((c1 * x - y) ** 2),
         "the loss L itself", number=2)


def test_wrong_answer_dloss_drops_cross_term(capsys):
    _bad(capsys, checks.check_dloss_dc1, lambda c1, x, y: np.mean(2 * c1 * x ** 2),
         "middle term", number=2)


def test_wrong_answer_dloss_power_rule_on_one_term(capsys):
    _bad(capsys, checks.check_dloss_dc1, lambda c1, x, y: np.mean(x ** 2 * c1 - 2 * x * y),
         "power rule on c₁²", number=2)


def test_wrong_answer_dloss_per_sample_array(capsys):
    _bad(capsys, checks.check_dloss_dc1, lambda c1, x, y: 2 * x * (c1 * x - y),
         "one number", "average them", number=2)


def test_wrong_answer_dloss_uses_globals(capsys):
    x_global = np.array([1.0, 2.0, 3.0])
    y_global = np.array([1.0, 1.0, 4.0])

    def dloss_dc1(c1, x, y):
        return np.mean(2 * x_global * (c1 * x_global - y_global))

    _bad(capsys, checks.check_dloss_dc1, dloss_dc1, "global x, y", number=2)


def test_wrong_answer_dloss_caret_for_power(capsys):
    _bad(capsys, checks.check_dloss_dc1, lambda c1, x, y: np.mean((c1 * x - y) ^ 2), "**",
         number=2)


# mean_median_gap
def test_wrong_answer_gap_reversed(capsys):
    _bad(capsys, checks.check_mean_median_gap, lambda: [0, 0, -30], "not the mean", number=3)


def test_wrong_answer_gap_too_few_values(capsys):
    _bad(capsys, checks.check_mean_median_gap, lambda: [0, 20], "at least 3", number=3)


def test_wrong_answer_gap_symmetric_data(capsys):
    _bad(capsys, checks.check_mean_median_gap, lambda: [1, 2, 3], "both 2", number=3)


def test_wrong_answer_gap_off_target(capsys):
    # the outlier is 10 above the others, but that moves the mean by only 10/3
    _bad(capsys, checks.check_mean_median_gap, lambda: [0, 0, 10], "want 10", number=3)


def test_wrong_answer_gap_2d(capsys):
    _bad(capsys, checks.check_mean_median_gap, lambda: [[0, 0, 30]], "1-D", number=3)


def test_check_all_counts(capsys):
    checks.check_predict_larger_loss(lambda: "mae")
    checks.check_dloss_dc1(lambda c1, x, y: None)
    capsys.readouterr()
    checks.check_all("02")
    out = capsys.readouterr().out
    assert "✓ Exercise 1: predict_larger_loss" in out and "✗ Exercise 2: dloss_dc1" in out

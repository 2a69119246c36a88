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
    fig = L.render_fit(a=a, b=b, c=c)
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
    title = L.render_fit(a=1.0, b=b, c=c).axes[1].get_title()
    assert f"best a = {a_best:.2f}" in title
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


def _out(capsys):
    return capsys.readouterr().out.strip()


MSE_CASES = {
    "sum": (lambda yh, y: np.sum((yh - y) ** 2), "did you divide by n?"),
    "no square": (lambda yh, y: np.mean(yh - y), "forgot to square"),
    "abs": (lambda yh, y: np.mean(np.abs(yh - y)), "that's the mean absolute error"),
    "rmse": (lambda yh, y: np.sqrt(np.mean((yh - y) ** 2)), "drop the square root"),
    "square of mean": (lambda yh, y: np.mean(yh - y) ** 2, "square each difference first"),
    "array": (lambda yh, y: (yh - y) ** 2, "take the mean"),
    "half": (lambda yh, y: np.mean((yh - y) ** 2) / 2, "2× too small"),
    "double": (lambda yh, y: 2 * np.mean((yh - y) ** 2), "2× too large"),
}


def test_check_mse_accepts_reference(capsys):
    checks.check_mse(lambda y_hat, y: np.mean((y_hat - y) ** 2))
    assert _out(capsys).startswith("✓ Exercise 1 (mse)")


@pytest.mark.parametrize("case", MSE_CASES, ids=str)
def test_check_mse_hints(capsys, case):
    fn, hint = MSE_CASES[case]
    checks.check_mse(fn)
    out = _out(capsys)
    assert out.startswith("✗ Exercise 1 (mse)") and hint in out, out


def test_check_mse_hand_computed_value():
    # errors [−1, 1, 0, −4, 2]: (1 + 1 + 0 + 16 + 4) / 5 = 4.4
    d = checks._YHAT1 - checks._Y1
    assert list(d) == [-1, 1, 0, -4, 2]
    assert np.mean(d ** 2) == pytest.approx(4.4)


MAE_CASES = {
    "no abs": (lambda yh, y: np.mean(yh - y), "forgot the absolute value"),
    "squared": (lambda yh, y: np.mean((yh - y) ** 2), "that's the mean squared error"),
    "abs of mean": (lambda yh, y: abs(np.mean(yh - y)), "absolute value of each"),
    "sum": (lambda yh, y: np.sum(np.abs(yh - y)), "did you divide by n?"),
    "array": (lambda yh, y: np.abs(yh - y), "take the mean"),
}


def test_check_mae_accepts_reference(capsys):
    checks.check_mae(lambda y_hat, y: np.mean(np.abs(y_hat - y)))
    assert _out(capsys).startswith("✓ Exercise 2 (mae)")


@pytest.mark.parametrize("case", MAE_CASES, ids=str)
def test_check_mae_hints(capsys, case):
    fn, hint = MAE_CASES[case]
    checks.check_mae(fn)
    out = _out(capsys)
    assert out.startswith("✗ Exercise 2 (mae)") and hint in out, out


@pytest.mark.parametrize("check", [checks.check_mse, checks.check_mae, checks.check_best_constant])
def test_checks_handle_stub_and_none(capsys, check):
    def stub(*args):
        raise NotImplementedError("Exercise")

    check(stub)
    out = _out(capsys)
    assert out.startswith("✗") and "not written yet" in out
    check(lambda *args: None)
    out = _out(capsys)
    assert out.startswith("✗") and "returned None" in out


def test_check_best_constant(capsys):
    checks.check_best_constant(lambda y: np.mean(y))
    assert _out(capsys).startswith("✓ Exercise 3 (best_constant)")
    cases = [
        (lambda y: np.median(y), "that's the median"),
        (lambda y: (y.min() + y.max()) / 2, "every sample counts"),
        (lambda y: np.sum(y), "divide by n"),
        (lambda y: np.full_like(y, y.mean()), "return one number"),
        (lambda y: 0.0, "solve"),
    ]
    for fn, hint in cases:
        checks.check_best_constant(fn)
        out = _out(capsys)
        assert out.startswith("✗ Exercise 3") and hint in out, out


def test_mean_minimises_mse_of_a_constant():
    # L(c) = mean((c − y)²) is a parabola with its bottom at mean(y); the median does worse
    y = np.array([1.0, 2.0, 3.0, 4.0, 100.0])
    cs = np.linspace(0, 40, 4001)
    costs = np.mean((cs[:, None] - y) ** 2, axis=1)
    assert cs[np.argmin(costs)] == pytest.approx(22.0)
    abs_costs = np.mean(np.abs(cs[:, None] - y), axis=1)
    assert cs[np.argmin(abs_costs)] == pytest.approx(3.0)


def test_check_all_counts(capsys):
    checks.check_mse(lambda y_hat, y: np.mean((y_hat - y) ** 2))
    checks.check_mae(lambda y_hat, y: None)
    capsys.readouterr()
    checks.check_all("02")
    out = _out(capsys)
    assert "✓ Exercise 1: mse" in out and "✗ Exercise 2: mae" in out

"""Lesson 03: gradient descent — maths, explorers and exercise checks."""

from __future__ import annotations

import numpy as np
import pytest
from matplotlib.figure import Figure
from matplotlib.text import Text

from nnlib.checks import lesson03 as chk
from nnlib.explore import descent as d
from nnlib.optim import gd_step


def texts(fig):
    """All visible text in a figure (titles, banners, annotations)."""
    return [t.get_text() for t in fig.findobj(Text) if t.get_visible() and t.get_text()]


# --- maths ---------------------------------------------------------------------------------

@pytest.mark.parametrize("a,b", [(1.0, -4.0), (3.0, 2.0), (0.5, 1.0)])
def test_gd_on_a_parabola_converges_to_vertex(a, b):
    # f(w) = a w² + b w + c has its minimum at w* = −b / 2a
    path, diverged = d.descend(lambda w: 2 * a * w + b, 5.0, 0.1 / a, 300)
    assert diverged is None
    assert path[-1] == pytest.approx(-b / (2 * a), abs=1e-8)


def test_parabola_diverges_above_two_over_curvature():
    # on a w², each step multiplies (w − w*) by (1 − 2aη): |1 − 2aη| > 1 once η > 1/a
    path, diverged = d.descend(lambda w: 2 * w, 1.0, 1.05, 500)
    assert diverged is not None
    assert not np.all(np.isfinite(path[-1])) or abs(path[-1]) > d.DIVERGE_LIMIT


def test_first_step_is_proportional_to_slope():
    path, _ = d.descend(d.double_well_slope, 2.0, 0.1, 1)
    assert path[1] - path[0] == pytest.approx(-0.1 * d.double_well_slope(2.0))
    assert gd_step(2.0, d.double_well_slope(2.0), 0.1) == pytest.approx(path[1])


def test_minima_are_zeros_of_the_slope_and_global_is_lower():
    for m in (d.GLOBAL_MIN, d.LOCAL_MIN):
        assert d.double_well_slope(m) == pytest.approx(0, abs=1e-12)
        assert 3 * m ** 2 - 2 > 0          # f'' > 0: a minimum
    assert d.double_well(d.GLOBAL_MIN) < d.double_well(d.LOCAL_MIN)


@pytest.mark.parametrize("x0,where", [(2.0, d.LOCAL_MIN), (0.5, d.LOCAL_MIN),
                                      (-2.0, d.GLOBAL_MIN), (0.0, d.GLOBAL_MIN)])
def test_the_start_decides_the_valley(x0, where):
    path, diverged = d.descend(d.double_well_slope, x0, 0.05, 400)
    assert diverged is None and path[-1] == pytest.approx(where, abs=1e-6)


def test_quadratic_fit_descends_to_least_squares():
    x, y = d.quad_data()
    path, diverged = d.descend(lambda p: d.quad_grad(p, x, y), (0, 0, 0), 0.2, 400)
    assert diverged is None
    F = np.stack([x ** 2, x, np.ones_like(x)], axis=1)
    exact = np.linalg.solve(F.T @ F, F.T @ y)          # normal equations
    np.testing.assert_allclose(path[-1], exact, atol=1e-6)
    np.testing.assert_allclose(d.quad_best(), exact, atol=1e-9)


def test_quad_grad_matches_numerical_gradient():
    from nnlib.calculus import numerical_gradient
    x, y = d.quad_data()
    p = np.array([1.0, -0.5, 2.0])
    np.testing.assert_allclose(d.quad_grad(p, x, y),
                               numerical_gradient(lambda q: d.quad_loss(q, x, y), p), rtol=1e-6)


def test_schedule_is_accepted_by_descend():
    path, _ = d.descend(d.double_well_slope, -2.0, lambda t: 0.55 * 0.9 ** t, 40)
    assert path[-1] == pytest.approx(d.GLOBAL_MIN, abs=1e-3)


# --- explorers -----------------------------------------------------------------------------

@pytest.mark.parametrize("lr,x0,n", [(0.001, -2.4, 1), (0.1, 2.0, 30), (0.45, -2.0, 60),
                                     (1.0, 0.3, 10)])
def test_render_descent_makes_figures(lr, x0, n):
    fig = d.render_descent(lr=lr, x0=x0, num_steps=n)
    assert isinstance(fig, Figure)
    assert any(f"η = {lr:.3g}" in t for t in texts(fig))


def test_descent_divergence_is_reported_in_words():
    fig = d.render_descent(lr=1.0, x0=2.4, num_steps=30)
    assert any(t.startswith("diverged after") and "η too large" in t for t in texts(fig))
    calm = d.render_descent(lr=0.1, x0=2.0, num_steps=30)
    assert not any("diverged" in t for t in texts(calm))
    assert any("local minimum" in t for t in texts(calm))


def test_quad_descent_divergence_and_convergence():
    wild = d.render_quad_descent(lr=0.5, num_steps=100)
    assert any(t.startswith("diverged after") for t in texts(wild))
    calm = d.render_quad_descent(lr=0.1, num_steps=200)
    assert not any("diverged" in t for t in texts(calm))
    assert any("MSE = 0.132" in t for t in texts(calm))


def test_regimes_figure_flags_only_the_divergent_panel():
    fig = d.regimes_figure()
    flagged = [ax for ax in fig.axes if any("diverged" in t.get_text() for t in ax.texts)]
    assert flagged == [fig.axes[3]]


# tests/test_sweeps.py checks that every control of every explorer changes the picture.


# --- checks --------------------------------------------------------------------------------

def out(capsys):
    return capsys.readouterr().out


def test_check_gd_step(capsys):
    chk.check_gd_step(lambda w, dw, lr: w - lr * dw)
    assert out(capsys).startswith("✓")
    chk.check_gd_step(lambda w, dw, lr: w + lr * dw)
    assert "sign flipped" in out(capsys)
    chk.check_gd_step(lambda w, dw, lr: w - dw)
    assert "ignores η" in out(capsys)
    chk.check_gd_step(lambda w, dw, lr: lr * dw)
    assert "only the step" in out(capsys)

    def stub(w, dw, lr):
        raise NotImplementedError("Exercise 1")
    chk.check_gd_step(stub)
    assert "not written yet" in out(capsys)
    chk.check_gd_step(lambda w, dw, lr: None)
    assert "forget `return`" in out(capsys)


def test_check_descent_loop(capsys):
    def good(grad, w0, lr, num_steps):
        w = w0
        for _ in range(num_steps):
            w = w - lr * grad(w)
        return w

    def short(grad, w0, lr, num_steps):
        return good(grad, w0, lr, num_steps - 1)

    def early(grad, w0, lr, num_steps):
        w = w0
        for _ in range(num_steps):
            w = w - lr * grad(w)
            return w

    def frozen(grad, w0, lr, num_steps):
        w = w0
        for _ in range(num_steps):
            w - lr * grad(w)
        return w

    chk.check_descent_loop(good)
    assert out(capsys).startswith("✓")
    chk.check_descent_loop(short)
    assert "one step short" in out(capsys)
    chk.check_descent_loop(early)
    assert "`return` inside the loop" in out(capsys)
    chk.check_descent_loop(frozen)
    assert "never moved" in out(capsys)
    chk.check_descent_loop(lambda g, w0, lr, n: good(lambda w: -g(w), w0, lr, n))
    assert "sign flipped" in out(capsys)


def test_check_mse_grad_abc(capsys):
    def good(p, x, y):
        a, b, c = p
        g = 2 * (a * x ** 2 + b * x + c - y) / len(x)
        return np.array([np.sum(g * x ** 2), np.sum(g * x), np.sum(g)])

    chk.check_mse_grad_abc(good)
    assert out(capsys).startswith("✓")
    chk.check_mse_grad_abc(lambda p, x, y: good(p, x, y) / 2)
    assert "2× too small" in out(capsys)
    chk.check_mse_grad_abc(lambda p, x, y: -good(p, x, y))
    assert "sign flipped" in out(capsys)
    chk.check_mse_grad_abc(lambda p, x, y: good(p, x, y) * len(x))
    assert "divide by n" in out(capsys)
    chk.check_mse_grad_abc(lambda p, x, y: good(p, x, y)[:2])
    assert "one number per parameter" in out(capsys)


def test_check_pick_lr(capsys):
    chk.check_pick_lr(lambda: 0.15)
    assert out(capsys).startswith("✓")
    chk.check_pick_lr(lambda: 0.01)
    assert "too small" in out(capsys)
    chk.check_pick_lr(lambda: 0.5)
    assert "diverged after" in out(capsys)
    chk.check_pick_lr(lambda: 0.32)
    assert "too large" in out(capsys)
    chk.check_pick_lr(lambda: -0.1)
    assert "negative" in out(capsys)
    chk.check_pick_lr(lambda: None)
    assert "forget `return`" in out(capsys)


def test_check_all_counts(capsys):
    chk.check_gd_step(lambda w, dw, lr: w - lr * dw)
    chk.check_pick_lr(lambda: 0.001)
    capsys.readouterr()
    chk.check_all("03")
    text = out(capsys)
    assert "✓ Exercise 1: gd_step" in text and "✗ Exercise 4: pick_lr" in text

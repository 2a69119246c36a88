"""Lesson 03: gradient descent — maths, explorers and exercise checks."""

from __future__ import annotations

import numpy as np
import pytest
from _helpers import not_written, verdict
from matplotlib.figure import Figure
from matplotlib.text import Text

from nnlib.checks import lesson03 as chk
from nnlib.explore import descent as d
from nnlib.optim import gd_step


def texts(fig):
    """All visible text in a figure (titles, banners, annotations)."""
    return [t.get_text() for t in fig.findobj(Text) if t.get_visible() and t.get_text()]


# --- maths ---------------------------------------------------------------------------------

@pytest.mark.parametrize("c2,c1", [(1.0, -4.0), (3.0, 2.0), (0.5, 1.0)])
def test_gd_on_a_parabola_converges_to_vertex(c2, c1):
    # f(w) = c2 w² + c1 w + c0 has its minimum at w* = −c1 / 2c2
    path, diverged = d.descend(lambda w: 2 * c2 * w + c1, 5.0, 0.1 / c2, 300)
    assert diverged is None
    assert path[-1] == pytest.approx(-c1 / (2 * c2), abs=1e-8)


@pytest.mark.parametrize("lr", [0.1, 0.75, 1.0, 1.1])
def test_step_factor_on_w_squared_is_one_minus_two_eta(lr):
    # the lesson's table: on w², one step multiplies w by (1 − 2η)
    path, _ = d.descend(lambda w: 2 * w, 1.0, lr, 10)
    np.testing.assert_allclose(path, (1 - 2 * lr) ** np.arange(11), atol=1e-12)


def test_edge_on_the_double_well_is_two_over_curvature():
    # the lesson: f''(x*) = 4.61, edge 2/f'' = 0.434; η = 0.43 settles, η = 0.44 bounces
    assert d.CURVATURE_AT_GLOBAL == pytest.approx(4.61, abs=0.005)
    assert 2 / d.CURVATURE_AT_GLOBAL == pytest.approx(0.434, abs=0.0005)
    settled, _ = d.descend(d.double_well_slope, -2.0, 0.43, 300)
    bounced, _ = d.descend(d.double_well_slope, -2.0, 0.44, 300)
    assert abs(settled[-1] - settled[-2]) < 1e-3
    assert abs(bounced[-1] - bounced[-2]) > 0.1


def test_tangent_predicts_the_loss_drop_for_small_steps():
    x, lr = 2.0, 0.01
    predicted = d.double_well(x) - lr * d.double_well_slope(x) ** 2
    actual = d.double_well(x - lr * d.double_well_slope(x))
    assert actual < d.double_well(x) and abs(actual - predicted) < 0.01


def test_chain_rule_figure_states_24():
    assert any("24" in t for t in texts(d.chain_rule_figure(x0=1.0)))


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
    # the contour's colour bar exists (colour encodes the MSE)
    assert len(calm.axes) == 4


def test_regimes_figure_flags_only_the_divergent_panel():
    fig = d.regimes_figure()
    flagged = [ax for ax in fig.axes if any("diverged" in t.get_text() for t in ax.texts)]
    assert flagged == [fig.axes[3]]


def test_parabola_figure_marks_the_steps_off_the_chart():
    fig = d.parabola_figure(lrs=(0.1, 0.75, 1.0, 1.1))
    notes = [t.get_text() for ax in fig.axes for t in ax.texts]
    assert len(notes) == 1 and "steps 7–10" in notes[0] and "+6.19" in notes[0]
    assert "off the chart" in notes[0] and all(not ax.texts for ax in fig.axes[:3])


def test_decay_figure_draws_schedules_as_staircases():
    fig = d.decay_figure()
    assert all(line.get_drawstyle() == "steps-post" for line in fig.axes[0].lines)


def test_try_it_right_valley_from_one():
    # §3 Try it: x0 = 1.0, 60 steps: η = 0.2 stays left of the bottom, η = 0.56 alternates
    # sides and settles, η = 0.63 bounces for good between about 1.18 and 1.44
    lrs = {0.2: 10 ** -0.7, 0.56: 10 ** -0.25, 0.63: 10 ** -0.2}   # the log slider's notches
    sides = {}
    for name, lr in lrs.items():
        path, diverged = d.descend(d.double_well_slope, 1.0, lr, 60)
        assert diverged is None
        sides[name] = np.sign(path[1:11] - d.LOCAL_MIN)
        verdict = d._where_it_ended(path, diverged)
        assert verdict == {0.2: "local minimum", 0.56: "local minimum", 0.63: "bouncing"}[name]
    assert np.all(sides[0.2] < 0)
    assert np.all(sides[0.56] == [1, -1] * 5) and np.all(sides[0.63] == [1, -1] * 5)
    path, _ = d.descend(d.double_well_slope, 1.0, 10 ** -0.2, 60)
    assert f"{min(path[-2:]):.2f}" == "1.18" and f"{max(path[-2:]):.2f}" == "1.44"
    assert f"{3 * d.LOCAL_MIN ** 2 - 2:.2f}" == "3.32"


# tests/test_sweeps.py checks that every control of every explorer changes the picture.


# --- checks: right answers, stubs -----------------------------------------------------------

def _fit_line_good(x, y, lr, num_epochs):
    c1, c0 = 0.0, 0.0
    for _ in range(num_epochs):
        y_hat = c1 * x + c0
        dy_hat = 2 * (y_hat - y) / len(x)
        c1 = c1 - lr * np.sum(dy_hat * x)
        c0 = c0 - lr * np.sum(dy_hat)
    return c1, c0


def _sine_good(c, x, y):
    c1, c0 = c
    dy_hat = 2 * (c1 * np.sin(x) + c0 - y) / len(x)
    return np.array([np.sum(dy_hat * np.sin(x)), np.sum(dy_hat)])


RIGHT = [
    (chk.check_grad_by_hand, lambda: (6.0, 3.0)),
    (chk.check_sine_fit_grad, _sine_good),
    (chk.check_fit_line, _fit_line_good),
    (chk.check_one_step_lr, lambda c2: 1 / (2 * c2)),
]


@pytest.mark.parametrize("check,answer", RIGHT, ids=lambda v: getattr(v, "__name__", "x"))
def test_right_answers_pass(capsys, check, answer):
    assert verdict(capsys, check, answer).startswith("✓")


@pytest.mark.parametrize("check", [c for c, _ in RIGHT], ids=lambda c: c.__name__)
def test_stubs_say_not_written_yet(capsys, check):
    line = verdict(capsys, check, not_written)
    assert line.startswith("✗") and "not written yet" in line


def test_stub_in_notebook_form(capsys):
    def one_step_lr(c2):
        raise NotImplementedError("not written yet")
    assert "not written yet" in verdict(capsys, chk.check_one_step_lr, one_step_lr)


def wrong(capsys, check, answer, *phrases):
    line = verdict(capsys, check, answer)
    assert line.startswith("✗"), line
    for phrase in phrases:
        assert phrase in line, line


# --- wrong answers: Exercise 1, grad_by_hand ---------------------------------------------------

def test_wrong_answer_grad_by_hand_forgot_the_2(capsys):
    wrong(capsys, chk.check_grad_by_hand, lambda: (3.0, 1.5), "half", "2(ŷ − y)")


def test_wrong_answer_grad_by_hand_sign(capsys):
    wrong(capsys, chk.check_grad_by_hand, lambda: (-6.0, -3.0), "sign flipped")


def test_wrong_answer_grad_by_hand_swapped(capsys):
    wrong(capsys, chk.check_grad_by_hand, lambda: (3.0, 6.0), "swapped")


def test_wrong_answer_grad_by_hand_no_inner_slope(capsys):
    wrong(capsys, chk.check_grad_by_hand, lambda: (3.0, 3.0), "missing the inner slope")


def test_wrong_answer_grad_by_hand_x_squared(capsys):
    wrong(capsys, chk.check_grad_by_hand, lambda: (12.0, 3.0), "not x²")


def test_wrong_answer_grad_by_hand_c0_times_x(capsys):
    wrong(capsys, chk.check_grad_by_hand, lambda: (6.0, 6.0), "c₀ multiplies 1")


def test_wrong_answer_grad_by_hand_forgot_minus_y(capsys):
    wrong(capsys, chk.check_grad_by_hand, lambda: (10.0, 5.0), "not 2ŷ")


def test_wrong_answer_grad_by_hand_returned_the_loss(capsys):
    wrong(capsys, chk.check_grad_by_hand, lambda: 2.25, "the loss")


def test_wrong_answer_grad_by_hand_a_string(capsys):
    wrong(capsys, chk.check_grad_by_hand, lambda: "6, 3", "text")


# --- wrong answers: Exercise 2, sine_fit_grad --------------------------------------------------

def test_wrong_answer_sine_sign(capsys):
    wrong(capsys, chk.check_sine_fit_grad, lambda c, x, y: -_sine_good(c, x, y), "sign flipped")


def test_wrong_answer_sine_missing_2(capsys):
    wrong(capsys, chk.check_sine_fit_grad, lambda c, x, y: _sine_good(c, x, y) / 2,
          "2× too small")


def test_wrong_answer_sine_sum_not_mean(capsys):
    wrong(capsys, chk.check_sine_fit_grad, lambda c, x, y: _sine_good(c, x, y) * len(x),
          "too large", "divid")


def test_wrong_answer_sine_mean_twice(capsys):
    def answer(c, x, y):
        d = 2 * (c[0] * np.sin(x) + c[1] - y) / len(x)
        return np.array([np.mean(d * np.sin(x)), np.mean(d)])
    wrong(capsys, chk.check_sine_fit_grad, answer, "too small", "np.sum")


def test_wrong_answer_sine_cos(capsys):
    def answer(c, x, y):
        d = 2 * (c[0] * np.sin(x) + c[1] - y) / len(x)
        return np.array([np.sum(d * np.cos(x)), np.sum(d)])
    wrong(capsys, chk.check_sine_fit_grad, answer, "cos")


def test_wrong_answer_sine_line_copied(capsys):
    def answer(c, x, y):
        d = 2 * (c[0] * np.sin(x) + c[1] - y) / len(x)
        return np.array([np.sum(d * x), np.sum(d)])
    wrong(capsys, chk.check_sine_fit_grad, answer, "as for a line")


def test_wrong_answer_sine_no_inner_slope(capsys):
    def answer(c, x, y):
        d = 2 * (c[0] * np.sin(x) + c[1] - y) / len(x)
        return np.array([np.sum(d), np.sum(d)])
    wrong(capsys, chk.check_sine_fit_grad, answer, "missing its inner slope")


def test_wrong_answer_sine_forgot_to_sum(capsys):
    def answer(c, x, y):
        d = 2 * (c[0] * np.sin(x) + c[1] - y) / len(x)
        return np.array([d * np.sin(x), d])
    wrong(capsys, chk.check_sine_fit_grad, answer, "Sum over the samples")


def test_wrong_answer_sine_swapped(capsys):
    wrong(capsys, chk.check_sine_fit_grad, lambda c, x, y: _sine_good(c, x, y)[::-1], "swapped")


def test_wrong_answer_sine_power_with_caret(capsys):
    def answer(c, x, y):
        r = c[0] * np.sin(x) + c[1] - y
        return np.array([np.mean(r ^ 2), 0.0])
    wrong(capsys, chk.check_sine_fit_grad, answer, "**")


# --- wrong answers: Exercise 3, fit_line -------------------------------------------------------

def test_wrong_answer_fit_line_unfixed(capsys):
    def answer(x, y, lr, num_epochs):
        c1, c0 = 0.0, 0.0
        y_hat = c1 * x + c0
        for _epoch in range(num_epochs):
            dy_hat = 2 * (y_hat - y) / len(x)
            c1 = c1 - lr * np.sum(dy_hat * x)
            c0 = c0 - lr * np.sum(dy_hat)
        return c1, c0
    wrong(capsys, chk.check_fit_line, answer, "buggy loop", "inside the loop")


def test_wrong_answer_fit_line_sign(capsys):
    def answer(x, y, lr, num_epochs):
        c1, c0 = 0.0, 0.0
        for _epoch in range(num_epochs):
            dy_hat = 2 * (c1 * x + c0 - y) / len(x)
            c1 = c1 + lr * np.sum(dy_hat * x)
            c0 = c0 + lr * np.sum(dy_hat)
        return c1, c0
    wrong(capsys, chk.check_fit_line, answer, "sign flipped")


def test_wrong_answer_fit_line_off_by_one(capsys):
    def answer(x, y, lr, num_epochs):
        return _fit_line_good(x, y, lr, num_epochs - 1)
    wrong(capsys, chk.check_fit_line, answer, "one epoch short")


def test_wrong_answer_fit_line_return_in_loop(capsys):
    def answer(x, y, lr, num_epochs):
        c1, c0 = 0.0, 0.0
        for _epoch in range(num_epochs):
            dy_hat = 2 * (c1 * x + c0 - y) / len(x)
            c1 = c1 - lr * np.sum(dy_hat * x)
            c0 = c0 - lr * np.sum(dy_hat)
            return c1, c0
    wrong(capsys, chk.check_fit_line, answer, "`return` inside the loop")


def test_wrong_answer_fit_line_sum_not_mean(capsys):
    def answer(x, y, lr, num_epochs):
        c1, c0 = 0.0, 0.0
        for _epoch in range(num_epochs):
            dy_hat = 2 * (c1 * x + c0 - y)
            c1 = c1 - lr * np.sum(dy_hat * x)
            c0 = c0 - lr * np.sum(dy_hat)
        return c1, c0
    wrong(capsys, chk.check_fit_line, answer, "divide by n")


def test_wrong_answer_fit_line_sequential_update(capsys):
    def answer(x, y, lr, num_epochs):
        c1, c0 = 0.0, 0.0
        n = len(x)
        for _epoch in range(num_epochs):
            c1 = c1 - lr * np.sum(2 * (c1 * x + c0 - y) / n * x)
            c0 = c0 - lr * np.sum(2 * (c1 * x + c0 - y) / n)
        return c1, c0
    wrong(capsys, chk.check_fit_line, answer, "new* c1")


def test_wrong_answer_fit_line_c0_times_x(capsys):
    def answer(x, y, lr, num_epochs):
        c1, c0 = 0.0, 0.0
        for _epoch in range(num_epochs):
            dy_hat = 2 * (c1 * x + c0 - y) / len(x)
            c1 = c1 - lr * np.sum(dy_hat * x)
            c0 = c0 - lr * np.sum(dy_hat * x)
        return c1, c0
    wrong(capsys, chk.check_fit_line, answer, "c0 multiplies 1")


def test_wrong_answer_fit_line_swapped(capsys):
    wrong(capsys, chk.check_fit_line, lambda x, y, lr, n: _fit_line_good(x, y, lr, n)[::-1],
          "swapped")


X_GLOBAL = np.linspace(-2, 2, 40)
Y_GLOBAL = 2 * X_GLOBAL + 1


def test_wrong_answer_fit_line_uses_globals(capsys):
    def answer(x, y, lr, num_epochs):
        return _fit_line_good(X_GLOBAL, Y_GLOBAL, lr, num_epochs)
    wrong(capsys, chk.check_fit_line, answer, "instead of its arguments")


def test_wrong_answer_fit_line_returns_history(capsys):
    def answer(x, y, lr, num_epochs):
        return [_fit_line_good(x, y, lr, k) for k in range(num_epochs + 1)]
    wrong(capsys, chk.check_fit_line, answer, "history")


# --- wrong answers: Exercise 4, one_step_lr ----------------------------------------------------

def test_wrong_answer_one_step_lr_edge(capsys):
    wrong(capsys, chk.check_one_step_lr, lambda c2: 1 / c2, "edge of stability")


def test_wrong_answer_one_step_lr_constant(capsys):
    wrong(capsys, chk.check_one_step_lr, lambda c2: 0.5, "must depend on c₂")


def test_wrong_answer_one_step_lr_curvature(capsys):
    wrong(capsys, chk.check_one_step_lr, lambda c2: 2 * c2, "curvature")


def test_wrong_answer_one_step_lr_two_over(capsys):
    wrong(capsys, chk.check_one_step_lr, lambda c2: 2 / c2, "triples")


def test_wrong_answer_one_step_lr_half_way(capsys):
    wrong(capsys, chk.check_one_step_lr, lambda c2: 1 / (4 * c2), "half way")


def test_wrong_answer_one_step_lr_negative(capsys):
    wrong(capsys, chk.check_one_step_lr, lambda c2: -1 / (2 * c2), "positive")


def test_wrong_answer_one_step_lr_precedence(capsys):
    # 1 / 2 * c2 is (1/2)·c2: operator precedence
    wrong(capsys, chk.check_one_step_lr, lambda c2: 1 / 2 * c2, "invert")


def test_wrong_answer_one_step_lr_other(capsys):
    wrong(capsys, chk.check_one_step_lr, lambda c2: 0.3 / c2, "1 − 2ηc₂ = 0.4")


# --- hint ladder and check_all -----------------------------------------------------------------

def test_every_exercise_has_a_kind_and_two_rungs():
    from nnlib.checks._core import exercises
    records = exercises("03")
    assert [r.name for r in records] == ["grad_by_hand", "sine_fit_grad", "fit_line",
                                         "one_step_lr"]
    assert sum(r.kind in ("predict", "derive", "debug", "design") for r in records) >= 2
    assert all(r.idea and r.formula for r in records)


def test_hint_climbs_the_ladder(capsys):
    chk.hint("one_step_lr")
    assert "idea" in capsys.readouterr().out
    chk.hint("one_step_lr")
    assert "1 − 2ηc₂" in capsys.readouterr().out


def test_check_all_counts(capsys):
    chk.check_grad_by_hand(lambda: (6.0, 3.0))
    chk.check_one_step_lr(lambda c2: 0.5)
    capsys.readouterr()
    chk.check_all("03")
    text = capsys.readouterr().out
    assert "✓ Exercise 1: grad_by_hand" in text and "✗ Exercise 4: one_step_lr" in text


def test_exercise_3_buggy_loop_numbers_in_the_notebook():
    # the notebook prints the buggy loop's MSE: 8.015, 0.623, 2.117, 31.765, 197.703
    rng = np.random.default_rng(0)
    x = rng.uniform(-2, 2, 40)
    y = 2 * x + 1 + rng.normal(0, 0.3, 40)
    mses = []
    for k in (0, 5, 10, 20, 40):
        c1, c0 = chk._fit_line(x, y, 0.05, k, stale=True)
        mses.append(f"{np.mean((c1 * x + c0 - y) ** 2):.3f}")
    assert mses == ["8.015", "0.623", "2.117", "31.765", "197.703"]

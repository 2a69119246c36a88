"""Lesson 01 (derivatives): explorers, exercise checks and the numerical facts they show."""

from __future__ import annotations

import numpy as np
import pytest
from matplotlib.figure import Figure

from nnlib.checks import lesson01 as checks
from nnlib.explore import derivatives as d
from nnlib.plots import fig_to_png

# ------------------------------------------------------------------ explorers


@pytest.mark.parametrize("params", [dict(c1=-3.0, c0=-3.0), dict(c1=0.0, c0=0.0),
                                    dict(c1=3.0, c0=3.0)])
def test_render_line(params):
    fig = d.render_line(**params)
    assert isinstance(fig, Figure)
    ax = fig.axes[0]
    assert ax.get_xlabel() and ax.get_ylabel()
    # rise over a run of 2 is 2m, stated in the title
    assert f"{2 * params['c1']:.2f} / 2 = {params['c1']:.2f}" in ax.get_title()
    assert fig_to_png(fig)[:4] == b"\x89PNG"


@pytest.mark.parametrize("x0, h", [(-2.0, 1e-3), (1.0, 0.5), (2.0, 1.0)])
def test_render_tangent_states_secant_slope(x0, h):
    fig = d.render_tangent(x0=x0, h=h)
    title = fig.axes[0].get_title()
    # for f = x³/3 − x + 1: (f(x0+h) − f(x0))/h = x0² + x0·h + h²/3 − 1, and f'(x0) = x0² − 1
    assert f"secant slope = {x0 ** 2 + x0 * h + h ** 2 / 3 - 1:.4f}" in title
    assert f"f'(x₀) = {x0 ** 2 - 1:.4f}" in title
    assert fig_to_png(fig)[:4] == b"\x89PNG"


@pytest.mark.parametrize("h", [1e-15, 1e-8, 1e-2, 1.0])
def test_render_step_error(h):
    fig = d.render_step_error(h=h)
    ax = fig.axes[0]
    assert ax.get_xscale() == "log" and ax.get_yscale() == "log"
    assert ax.get_xlim() == pytest.approx((1e-15, 1.0))
    assert f"h = {h:.1e}" in ax.get_title()
    assert fig_to_png(fig)[:4] == b"\x89PNG"


def test_step_error_title_matches_truncation_error():
    # at h = 1e-2 rounding is negligible: forward error = 1.5h + h²/3, central error = h²/3
    title = d.render_step_error(h=1e-2).axes[0].get_title()
    assert f"forward error {1.5e-2 + 1e-4 / 3:.1e}" in title
    assert f"central error {1e-4 / 3:.1e}" in title


@pytest.mark.parametrize("x, y", [(-2.0, -2.0), (1.0, 0.5), (2.0, -1.0)])
def test_render_partials(x, y):
    fig = d.render_partials(x=x, y=y)
    titles = " | ".join(ax.get_title() for ax in fig.axes)
    assert f"2x − y = {2 * x - y:.2f}" in titles
    assert f"4y − x = {4 * y - x:.2f}" in titles
    assert f"= {x * x - x * y + 2 * y * y:.2f}" in titles
    assert fig_to_png(fig)[:4] == b"\x89PNG"


def test_exports():
    assert d.EXPLORERS == [d.explore_line, d.explore_tangent, d.explore_step_error,
                           d.explore_partials]
    for name in d.__all__:
        obj = getattr(d, name)
        if callable(obj):
            assert obj.__doc__, f"{name} has no docstring"


def _sweep_values(w, k=20):
    if hasattr(w, "base"):
        return list(10 ** np.linspace(w.min, w.max, k))
    return list(np.linspace(w.min, w.max, k))


@pytest.mark.parametrize("factory", d.EXPLORERS, ids=lambda f: f.__name__)
def test_explorer_controls_change_image(factory):
    # update speed is measured by `make bench` (benchmarks/run.py), not asserted here
    exp = factory()
    assert exp.error is None
    for name, w in exp.controls.items():
        pictures = set()
        for v in _sweep_values(w):
            w.value = float(v)
            assert exp.error is None, exp.error
            assert exp.last_ms is not None
            pictures.add(bytes(exp.image.value))
        assert len(pictures) >= 10, f"moving {name} hardly changes the picture"


# ------------------------------------------------------------------ maths


def test_curve_slope_is_the_derivative_of_curve():
    # f = x³/3 − x + 1 has f' = x² − 1: zero at ±1, 3 at x = 2
    assert d.curve_slope(np.array([-1.0, 1.0, 2.0])) == pytest.approx([0.0, 0.0, 3.0])
    assert d.curve(0.0) == 1.0 and d.curve(3.0) == pytest.approx(7.0)
    assert d.bowl_grad(1.0, 0.5) == pytest.approx((1.5, 1.0))
    assert d.bowl_grad(0.0, 0.0) == (0.0, 0.0)


def test_step_errors_follow_h_and_h_squared():
    hs = np.array([1e-1, 1e-2, 1e-3])
    fwd, cen = d.step_errors(hs)
    assert fwd == pytest.approx(1.5 * hs + hs ** 2 / 3, rel=1e-6)
    assert cen == pytest.approx(hs ** 2 / 3, rel=1e-6)


def test_step_errors_make_a_v_with_the_bottom_where_theory_says():
    fwd, cen = d.step_errors(d.STEP_HS)
    eps = np.finfo(float).eps
    h_fwd = d.STEP_HS[np.argmin(fwd)]
    h_cen = d.STEP_HS[np.argmin(cen)]
    assert np.sqrt(eps) / 100 < h_fwd < np.sqrt(eps) * 100          # √ε ≈ 1.5e-8
    assert eps ** (1 / 3) / 100 < h_cen < eps ** (1 / 3) * 100      # ε^(1/3) ≈ 6e-6
    # far left of the V, rounding dominates: both errors are much worse than at the bottom
    assert fwd[0] > 1e4 * fwd.min() and cen[0] > 1e4 * cen.min()


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
    kinds = {ex.name: ex.kind for ex in exercises("01")}
    assert kinds == {"df": "derive", "predict_central_error": "predict", "partials": "derive",
                     "pick_step": "design"}
    assert all(ex.idea and ex.formula for ex in exercises("01"))


def test_right_answers_pass(capsys):
    assert verdict(capsys, checks.check_df, lambda x: 6 * x - 4).startswith("✓ Exercise 1 (df)")
    assert verdict(capsys, checks.check_predict_central_error,
                   lambda: 3.3e-5).startswith("✓ Exercise 2")
    assert verdict(capsys, checks.check_partials,
                   lambda x, y: (2 * x * y, x ** 2 + 3)).startswith("✓ Exercise 3")
    for h in (1e-8, 1.5e-8, 3e-8, 5e-9):
        assert verdict(capsys, checks.check_pick_step, lambda h=h: h).startswith("✓ Exercise 4")


@pytest.mark.parametrize("check", [checks.check_df, checks.check_predict_central_error,
                                   checks.check_partials, checks.check_pick_step])
def test_stub_says_not_written_yet(capsys, check):
    out = verdict(capsys, check, not_written)
    assert out.startswith("✗") and "not written yet" in out


# df: f(x) = 3x² − 4x + 2
def test_wrong_answer_df_returns_f_itself(capsys):
    _bad(capsys, checks.check_df, lambda x: 3 * x ** 2 - 4 * x + 2, "returned f", number=1)


def test_wrong_answer_df_drops_linear_term(capsys):
    _bad(capsys, checks.check_df, lambda x: 6 * x, "−4x has slope −4", number=1)


def test_wrong_answer_df_exponent_not_brought_down(capsys):
    _bad(capsys, checks.check_df, lambda x: 3 * x - 4, "bring the exponent 2 down", number=1)


def test_wrong_answer_df_keeps_the_constant(capsys):
    _bad(capsys, checks.check_df, lambda x: 6 * x - 2, "slope is 0", number=1)


def test_wrong_answer_df_sign_on_one_term(capsys):
    _bad(capsys, checks.check_df, lambda x: 6 * x + 4, "sign of the −4x term", number=1)


def test_wrong_answer_df_caret_for_power(capsys):
    # 3 * x ^ 2 is a bitwise xor in Python: on floats it raises TypeError
    _bad(capsys, checks.check_df, lambda x: 3 * x ^ 2, "**", number=1)


def test_wrong_answer_df_returns_none(capsys):
    def df(x):
        6 * x - 4
    _bad(capsys, checks.check_df, df, "returned None", number=1)


# predict_central_error: h²/3 at h = 0.01
def test_wrong_answer_predict_linear_shrink(capsys):
    _bad(capsys, checks.check_predict_central_error, lambda: 3.3e-4, "error ∝ h", number=2)


def test_wrong_answer_predict_unchanged(capsys):
    _bad(capsys, checks.check_predict_central_error, lambda: 3.3e-3, "does not stay the same",
         number=2)


def test_wrong_answer_predict_forward_difference(capsys):
    _bad(capsys, checks.check_predict_central_error, lambda: 0.015, "forward difference's error",
         number=2)


def test_wrong_answer_predict_grows(capsys):
    _bad(capsys, checks.check_predict_central_error, lambda: 0.033, "larger than the error",
         number=2)


def test_wrong_answer_predict_negative(capsys):
    _bad(capsys, checks.check_predict_central_error, lambda: -3.3e-5, "positive", number=2)


def test_wrong_answer_predict_as_text(capsys):
    _bad(capsys, checks.check_predict_central_error, lambda: "3.3e-5", "remove the quotes",
         number=2)


# partials: f(x, y) = x²y + 3y
def test_wrong_answer_partials_swapped(capsys):
    _bad(capsys, checks.check_partials, lambda x, y: (x ** 2 + 3, 2 * x * y), "swapped",
         number=3)


def test_wrong_answer_partials_constant_term_kept_in_x(capsys):
    _bad(capsys, checks.check_partials, lambda x, y: (2 * x * y + 3 * y, x ** 2 + 3),
         "3y does not change", number=3)


def test_wrong_answer_partials_frozen_factor_dropped(capsys):
    _bad(capsys, checks.check_partials, lambda x, y: (2 * x, x ** 2 + 3), "2x·y", number=3)


def test_wrong_answer_partials_drops_3y(capsys):
    _bad(capsys, checks.check_partials, lambda x, y: (2 * x * y, x ** 2), "slope 3 in y",
         number=3)


def test_wrong_answer_partials_differentiates_frozen_x(capsys):
    _bad(capsys, checks.check_partials, lambda x, y: (2 * x * y, 2 * x + 3), "x is frozen",
         number=3)


def test_wrong_answer_partials_one_number(capsys):
    _bad(capsys, checks.check_partials, lambda x, y: 2 * x * y, "two numbers", number=3)


# pick_step (forward difference at 1.5 within 1e-7)
def test_wrong_answer_pick_step_too_large(capsys):
    _bad(capsys, checks.check_pick_step, lambda: 1e-6, "too large", "1.5h", number=4)


def test_wrong_answer_pick_step_central_default(capsys):
    # copying derivative's default: right for the central difference, not the forward one
    _bad(capsys, checks.check_pick_step, lambda: 1e-5, "central difference", "1.5h", number=4)


def test_wrong_answer_pick_step_central_cube_root(capsys):
    _bad(capsys, checks.check_pick_step, lambda: np.finfo(float).eps ** (1 / 3),
         "central difference", number=4)


def test_wrong_answer_pick_step_too_small(capsys):
    _bad(capsys, checks.check_pick_step, lambda: 1e-12, "too small", "rounding", number=4)


def test_wrong_answer_pick_step_edge(capsys):
    # the estimate 1.5h + eps·0.625/h is just below 1e-7, the true error just above
    _bad(capsys, checks.check_pick_step, lambda: 1.423273364980565e-09, "edge", number=4)


def test_wrong_answer_pick_step_zero(capsys):
    _bad(capsys, checks.check_pick_step, lambda: 0.0, "positive", number=4)


def test_check_all_counts(capsys):
    checks.check_df(lambda x: 6 * x - 4)
    checks.check_predict_central_error(lambda: None)
    capsys.readouterr()
    checks.check_all("01")
    out = capsys.readouterr().out
    assert "✓ Exercise 1: df" in out and "✗ Exercise 2: predict_central_error" in out

"""Lesson 01 (derivatives): explorers, exercise checks and the numerical facts they show."""

from __future__ import annotations

import numpy as np
import pytest
from matplotlib.figure import Figure

from nnlib.checks import lesson01 as checks
from nnlib.explore import derivatives as d
from nnlib.plots import fig_to_png

# ------------------------------------------------------------------ explorers


@pytest.mark.parametrize("params", [dict(m=-3.0, b=-3.0), dict(m=0.0, b=0.0), dict(m=3.0, b=3.0)])
def test_render_line(params):
    fig = d.render_line(**params)
    assert isinstance(fig, Figure)
    ax = fig.axes[0]
    assert ax.get_xlabel() and ax.get_ylabel()
    # rise over a run of 2 is 2m, stated in the title
    assert f"{2 * params['m']:.2f} / 2 = {params['m']:.2f}" in ax.get_title()
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


def _out(capsys):
    return capsys.readouterr().out.strip()


def test_check_df(capsys):
    checks.check_df(lambda x: 6 * x - 4)
    assert _out(capsys).startswith("✓ Exercise 1 (df)")
    cases = {
        (lambda x: 3 * x ** 2 - 4 * x + 2): "returned f",
        (lambda x: 6 * x): "−4x has slope −4",
        (lambda x: 3 * x - 4): "bring the 2 down",
        (lambda x: 6 * x - 2): "slope is 0",
        (lambda x: 4 - 6 * x): "wrong sign",
        (lambda x: 12 * x - 8): "2× too large",
    }
    for fn, hint in cases.items():
        checks.check_df(fn)
        out = _out(capsys)
        assert out.startswith("✗ Exercise 1 (df)") and hint in out, out


def test_check_df_handles_stub_and_none(capsys):
    def stub(x):
        raise NotImplementedError("Exercise 1")

    checks.check_df(stub)
    out = _out(capsys)
    assert out.startswith("✗") and "not written yet" in out
    checks.check_df(lambda x: None)
    out = _out(capsys)
    assert out.startswith("✗") and "returned None" in out


def test_check_my_derivative(capsys):
    checks.check_my_derivative(lambda f, x, h: (f(x + h) - f(x - h)) / (2 * h))
    assert _out(capsys).startswith("✓ Exercise 2 (my_derivative)")
    cases = {
        (lambda f, x, h: (f(x + h) - f(x)) / h): "forward difference",
        (lambda f, x, h: (f(x) - f(x - h)) / h): "backward difference",
        (lambda f, x, h: (f(x + h) - f(x - h)) / h): "divide by 2h",
        (lambda f, x, h: (f(x + 1e-6) - f(x - 1e-6)) / 2e-6): "use the h you are given",
        (lambda f, x, h: (f(x - h) - f(x + h)) / (2 * h)): "wrong sign",
    }
    for fn, hint in cases.items():
        checks.check_my_derivative(fn)
        out = _out(capsys)
        assert out.startswith("✗ Exercise 2") and hint in out, out


def test_check_my_derivative_handles_stub_none_and_arrays(capsys):
    def stub(f, x, h):
        raise NotImplementedError

    checks.check_my_derivative(stub)
    assert "not written yet" in _out(capsys)
    checks.check_my_derivative(lambda f, x, h: None)
    assert "returned None" in _out(capsys)
    checks.check_my_derivative(lambda f, x, h: np.array([1.0, 2.0]))
    assert "one number" in _out(capsys)


def test_check_partials(capsys):
    checks.check_partials(lambda x, y: (2 * x * y, x ** 2 + 3))
    assert _out(capsys).startswith("✓ Exercise 3 (partials)")
    cases = {
        (lambda x, y: (x ** 2 + 3, 2 * x * y)): "swapped",
        (lambda x, y: (2 * x * y + 3 * y, x ** 2 + 3)): "3y does not change",
        (lambda x, y: (2 * x, x ** 2 + 3)): "2x·y",
        (lambda x, y: (2 * x * y, x ** 2)): "slope 3 in y",
        (lambda x, y: (2 * x * y, 3.0)): "∂(x²y)/∂y = x²",
        (lambda x, y: 2 * x * y): "two numbers",
    }
    for fn, hint in cases.items():
        checks.check_partials(fn)
        out = _out(capsys)
        assert out.startswith("✗ Exercise 3") and hint in out, out

    def stub(x, y):
        raise NotImplementedError

    checks.check_partials(stub)
    assert "not written yet" in _out(capsys)
    checks.check_partials(lambda x, y: None)
    assert "returned None" in _out(capsys)


def test_check_all_counts(capsys):
    checks.check_df(lambda x: 6 * x - 4)
    checks.check_my_derivative(lambda f, x, h: None)
    capsys.readouterr()
    checks.check_all("01")
    out = _out(capsys)
    assert "✓ Exercise 1: df" in out and "✗ Exercise 2: my_derivative" in out

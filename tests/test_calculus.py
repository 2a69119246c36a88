"""nnlib.calculus: central differences against closed-form derivatives."""

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from nnlib.calculus import derivative, gradcheck, numerical_gradient, relative_error

FAST = settings(max_examples=30, deadline=None)
reals = st.floats(-5, 5, allow_nan=False, allow_infinity=False)


@FAST
@given(reals)
def test_derivative_of_sin_is_cos(x):
    assert derivative(np.sin, x) == pytest.approx(np.cos(x), abs=1e-8)


@FAST
@given(reals)
def test_derivative_of_cube_is_three_x_squared(x):
    # central difference of x^3 is exactly 3x^2 + h^2, so the error is about h^2 = 1e-10
    assert derivative(lambda t: t ** 3, x) == pytest.approx(3 * x ** 2, rel=1e-6, abs=1e-8)


def test_derivative_returns_float_for_a_number():
    d = derivative(np.exp, 0.0)
    assert isinstance(d, float)
    assert d == pytest.approx(1.0, abs=1e-9)


def test_derivative_is_elementwise_on_arrays():
    x = np.linspace(-3, 3, 13)
    d = derivative(np.sin, x)
    assert d.shape == x.shape
    np.testing.assert_allclose(d, np.cos(x), atol=1e-9)
    d2 = derivative(np.tanh, x.reshape(13, 1))
    assert d2.shape == (13, 1)
    np.testing.assert_allclose(d2[:, 0], 1 - np.tanh(x) ** 2, atol=1e-9)


def test_derivative_error_shrinks_like_h_squared():
    x = 1.0
    e1 = abs(derivative(np.exp, x, h=1e-2) - np.e)
    e2 = abs(derivative(np.exp, x, h=1e-3) - np.e)
    # error ≈ e h²/6, so a 10x smaller h gives a ~100x smaller error
    assert 50 < e1 / e2 < 200


def test_numerical_gradient_of_quadratic_form():
    rng = np.random.default_rng(1)
    A = rng.normal(size=(4, 4))
    x = rng.normal(size=4)
    g = numerical_gradient(lambda v: v @ A @ v, x)
    np.testing.assert_allclose(g, (A + A.T) @ x, atol=1e-7)


def test_numerical_gradient_on_a_matrix_and_does_not_modify_x():
    x = np.arange(6, dtype=float).reshape(2, 3) / 5
    before = x.copy()
    g = numerical_gradient(lambda m: np.sum(np.sin(m)), x)
    assert g.shape == (2, 3)
    np.testing.assert_allclose(g, np.cos(x), atol=1e-9)
    np.testing.assert_array_equal(x, before)


@FAST
@given(st.lists(reals, min_size=1, max_size=6))
def test_numerical_gradient_of_sum_of_squares(values):
    x = np.array(values)
    np.testing.assert_allclose(numerical_gradient(lambda v: np.sum(v ** 2), x), 2 * x, atol=1e-7)


def test_gradcheck_accepts_right_gradient():
    x = np.array([0.3, -1.2, 2.0])
    f = lambda v: np.sum(v ** 3)  # noqa: E731
    res = gradcheck(f, lambda v: 3 * v ** 2, x)
    assert res.ok and bool(res)
    assert res.max_rel_error < 1e-7
    assert "agree" in repr(res)
    # an array works as well as a function
    assert gradcheck(f, 3 * x ** 2, x).ok


def test_gradcheck_rejects_wrong_gradient():
    x = np.array([0.3, -1.2, 2.0])
    res = gradcheck(lambda v: np.sum(v ** 3), lambda v: 2 * v ** 2, x)  # should be 3v²
    assert not res.ok and not bool(res)
    assert res.max_rel_error > 0.1
    assert "differ" in repr(res)
    # a sign error gives relative error 1
    res = gradcheck(lambda v: np.sum(v ** 2), -2 * x, x)
    assert res.max_rel_error == pytest.approx(1.0)


def test_relative_error_bounds():
    assert relative_error(1.0, 1.0) == 0
    assert relative_error(1.0, -1.0) == 1
    assert relative_error(0.0, 0.0) == 0


def test_gradcheck_shape_mismatch():
    with pytest.raises(ValueError, match="shape"):
        gradcheck(lambda v: np.sum(v), np.ones(2), np.ones(3))


@pytest.mark.parametrize("fn", [derivative, numerical_gradient])
def test_bad_input(fn):
    with pytest.raises(TypeError, match="function"):
        fn("sin", 1.0)
    with pytest.raises(ValueError, match="h must be > 0"):
        fn(np.sin, 1.0, h=0)
    with pytest.raises(ValueError, match="h must be > 0"):
        fn(np.sin, 1.0, h=-1e-3)
    with pytest.raises(ValueError, match="NaN or inf"):
        fn(np.sin, np.nan)
    with pytest.raises(ValueError, match="empty"):
        fn(np.sin, [])
    with pytest.raises(TypeError, match="numbers"):
        fn(np.sin, ["a", "b"])


def test_numerical_gradient_needs_scalar_function():
    with pytest.raises(ValueError, match="single number"):
        numerical_gradient(lambda v: v * 2, np.ones(3))

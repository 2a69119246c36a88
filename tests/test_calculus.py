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


# ---- float32: the check says precision is the problem, and how to get float64 ------------------

def _mlp_weight_check(dtype):
    """gradcheck of dL/dW1 for a small MLP whose backward pass is right by construction."""
    from nnlib.layers import MLP
    from nnlib.losses import mse, mse_grad

    rng = np.random.default_rng(0)
    model = MLP([3, 4, 2], activation="tanh", rng=rng, dtype=dtype)
    X, Y = rng.normal(size=(5, 3)), rng.normal(size=(5, 2))
    layer = model.dense_layers[0]
    out = model.forward(X)
    model.backward(mse_grad(out, Y))

    def loss_of(W):
        layer.W[...] = W
        return mse(model.forward(X), Y)

    return gradcheck(loss_of, layer.dW.copy(), layer.W.copy())


def test_float32_model_gradcheck_blames_precision_not_the_gradient():
    result = _mlp_weight_check(np.float32)
    assert not result.ok and not result.conclusive
    assert result.precision == "float32"
    text = repr(result)
    assert "gradients differ" not in text
    assert "inconclusive" in text and "float32" in text and "dtype=np.float64" in text


def test_the_same_check_in_float64_passes():
    result = _mlp_weight_check(np.float64)
    assert result.ok and result.conclusive and result.precision == "float64"
    assert repr(result).endswith("✓ gradients agree")


def test_a_wrong_float64_gradient_still_differs():
    x = np.array([1.0, -2.0, 0.5])
    result = gradcheck(lambda v: float(np.sum(v ** 2)), 3 * x, x)  # right answer: 2x
    assert not result.ok and result.conclusive
    assert repr(result).endswith("✗ gradients differ")
    assert result.max_rel_error == pytest.approx(0.2)  # |3x − 2x| / (|3x| + |2x|) = 1/5

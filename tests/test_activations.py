"""nnlib.activations: values, derivatives vs central differences, stability."""

import math

import numpy as np
import pytest
from hypothesis import assume, given, settings
from hypothesis import strategies as st
from hypothesis.extra.numpy import arrays

from nnlib.activations import (
    log_softmax,
    relu,
    relu_grad,
    sigmoid,
    sigmoid_grad,
    softmax,
    step,
    tanh,
    tanh_grad,
)
from nnlib.calculus import derivative, numerical_gradient

FAST = settings(max_examples=30, deadline=None)
vals = st.floats(-5, 5, allow_nan=False, allow_infinity=False)
zs = arrays(np.float64, st.tuples(st.integers(1, 5), st.integers(1, 4)), elements=vals)


def test_closed_form_values():
    z = np.array([-2.0, 0.0, 3.0])
    np.testing.assert_array_equal(relu(z), [0, 0, 3])
    np.testing.assert_array_equal(step(z), [0, 0, 1])
    np.testing.assert_allclose(sigmoid(z), [1 / (1 + math.e ** 2), 0.5, 1 / (1 + math.e ** -3)])
    np.testing.assert_allclose(tanh(z), [math.tanh(-2), 0, math.tanh(3)])
    assert relu_grad(0.0) == 0  # documented convention at the kink
    assert sigmoid_grad(0.0) == pytest.approx(0.25)
    assert tanh_grad(0.0) == pytest.approx(1.0)


@FAST
@given(zs)
def test_relu_grad_matches_numerical(z):
    assume(np.all(np.abs(z) > 1e-3))  # the kink at 0 has no derivative
    np.testing.assert_allclose(relu_grad(z), derivative(relu, z), atol=1e-8)


@FAST
@given(zs)
def test_sigmoid_grad_matches_numerical(z):
    np.testing.assert_allclose(sigmoid_grad(z), derivative(sigmoid, z), atol=1e-9)


@FAST
@given(zs)
def test_tanh_grad_matches_numerical(z):
    np.testing.assert_allclose(tanh_grad(z), derivative(tanh, z), atol=1e-9)


@FAST
@given(zs)
def test_sigmoid_matches_definition_and_symmetry(z):
    np.testing.assert_allclose(sigmoid(z), 1 / (1 + np.exp(-z)), rtol=1e-12)
    np.testing.assert_allclose(sigmoid(-z), 1 - sigmoid(z), atol=1e-15)
    np.testing.assert_allclose(2 * sigmoid(2 * z) - 1, tanh(z), atol=1e-12)


@FAST
@given(zs, st.integers(0, 3), st.integers(0, 3))
def test_softmax_jacobian_matches_numerical(z, i, j):
    # ∂p_i/∂z_j = p_i (δ_ij − p_j), for one row
    row = z[0]
    i, j = i % row.size, j % row.size
    p = softmax(row)
    num = numerical_gradient(lambda v: softmax(v)[i], row)
    expected = p[i] * ((np.arange(row.size) == i) - p)
    np.testing.assert_allclose(num, expected, atol=1e-9)
    assert expected[j] == pytest.approx(p[i] * ((i == j) - p[j]))


@FAST
@given(zs, st.floats(-1e3, 1e3))
def test_softmax_rows_sum_to_one_and_shift_invariant(z, c):
    p = softmax(z)
    assert p.shape == z.shape
    assert np.all(p > 0)
    np.testing.assert_allclose(p.sum(axis=1), 1, rtol=1e-12)
    np.testing.assert_allclose(softmax(z + c), p, rtol=1e-9, atol=1e-12)
    np.testing.assert_allclose(np.exp(log_softmax(z)), p, rtol=1e-12)


def test_softmax_along_axis_zero():
    z = np.array([[1.0, 2.0], [3.0, 0.0]])
    np.testing.assert_allclose(softmax(z, axis=0).sum(axis=0), [1, 1])


def test_sigmoid_no_overflow_at_extremes():
    # warnings are errors under pytest, so np.exp overflow would fail here
    z = np.array([-1000.0, -745.0, 0.0, 745.0, 1000.0])
    s = sigmoid(z)
    assert s[0] == 0.0 and s[-1] == 1.0 and s[2] == 0.5
    assert np.all(np.isfinite(sigmoid_grad(z)))
    assert sigmoid(np.float32(-1000)) == 0.0


def test_softmax_and_log_softmax_huge_logits():
    z = np.array([[1000.0, 0.0, -1000.0]])
    np.testing.assert_allclose(softmax(z), [[1, 0, 0]], atol=1e-300)
    np.testing.assert_allclose(log_softmax(z), [[0, -1000, -2000]])


def test_dtype_preserved_for_float32():
    z = np.array([-1.0, 2.0], dtype=np.float32)
    for f in (relu, sigmoid, tanh, softmax, relu_grad, sigmoid_grad, tanh_grad):
        assert f(z).dtype == np.float32, f.__name__


@pytest.mark.parametrize("f", [step, relu, relu_grad, sigmoid, sigmoid_grad, tanh, tanh_grad,
                               softmax, log_softmax])
def test_bad_input(f):
    with pytest.raises(ValueError, match="NaN or inf"):
        f([0.0, np.nan])
    with pytest.raises(ValueError, match="NaN or inf"):
        f(np.array([np.inf]))
    with pytest.raises(ValueError, match="empty"):
        f([])
    with pytest.raises(TypeError, match="numbers"):
        f(["a"])
    with pytest.raises(TypeError, match="None"):
        f(None)

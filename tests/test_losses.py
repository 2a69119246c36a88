"""nnlib.losses: closed forms, stability, gradients vs numerical derivatives."""

import math

import numpy as np
import pytest
from hypothesis import assume, given, settings
from hypothesis import strategies as st
from hypothesis.extra.numpy import arrays

from nnlib.calculus import numerical_gradient
from nnlib.losses import (
    accuracy,
    cross_entropy,
    cross_entropy_grad,
    looks_like_probabilities,
    mae,
    mae_grad,
    mse,
    mse_grad,
)

FAST = settings(max_examples=30, deadline=None)
vals = st.floats(-5, 5, allow_nan=False, allow_infinity=False)
shapes = st.tuples(st.integers(1, 6), st.integers(1, 4))


@st.composite
def pairs(draw):
    shape = draw(shapes)
    return (draw(arrays(np.float64, shape, elements=vals)),
            draw(arrays(np.float64, shape, elements=vals)))


@st.composite
def logits_and_labels(draw):
    n, k = draw(st.integers(1, 6)), draw(st.integers(2, 5))
    z = draw(arrays(np.float64, (n, k), elements=vals))
    y = np.array(draw(st.lists(st.integers(0, k - 1), min_size=n, max_size=n)))
    # rows that look like softmax output are the "softmax applied twice" slip, which draws
    # nnlib's warning (tests/test_mistakes.py); logits here are everything else
    assume(not looks_like_probabilities(z))
    return z, y


# ---- closed forms -------------------------------------------------------------

def test_mse_hand_computed():
    # errors 1, -2, 0 -> (1 + 4 + 0) / 3
    assert mse([2.0, 0.0, 3.0], [1.0, 2.0, 3.0]) == pytest.approx(5 / 3)
    assert mse([[1.0], [1.0]], [[1.0], [1.0]]) == 0.0


def test_mae_hand_computed():
    assert mae([2.0, 0.0, 3.0], [1.0, 2.0, 3.0]) == pytest.approx(1.0)  # (1 + 2 + 0) / 3
    assert mae([-1.5], [1.5]) == pytest.approx(3.0)


@pytest.mark.parametrize("k", [2, 3, 10, 100])
def test_cross_entropy_uniform_logits_is_log_k(k):
    assert cross_entropy(np.zeros((4, k)), [0, 1, 0, 1]) == pytest.approx(math.log(k))
    # adding a constant to every logit of a row changes nothing
    assert cross_entropy(np.full((2, k), 7.5), [1, 0]) == pytest.approx(math.log(k))


def test_cross_entropy_hand_computed():
    z = np.array([[0.0, math.log(3.0)]])  # softmax = [1/4, 3/4]
    assert cross_entropy(z, [1]) == pytest.approx(-math.log(0.75))
    assert cross_entropy(z, [0]) == pytest.approx(math.log(4))
    # two samples: mean of the two
    z2 = np.array([[0.0, math.log(3.0)], [1.0, 1.0]])
    assert cross_entropy(z2, [1, 0]) == pytest.approx((-math.log(0.75) + math.log(2)) / 2)


def test_cross_entropy_grad_hand_computed():
    z = np.array([[0.0, math.log(3.0)], [2.0, 2.0]])
    g = cross_entropy_grad(z, [1, 0])
    expected = np.array([[0.25, 0.75 - 1], [0.5 - 1, 0.5]]) / 2
    np.testing.assert_allclose(g, expected, atol=1e-12)


def test_mse_and_mae_grad_hand_computed():
    np.testing.assert_allclose(mse_grad([2.0, 0.0], [1.0, 2.0]), [2 * 1 / 2, 2 * -2 / 2])
    np.testing.assert_allclose(mae_grad([2.0, 0.0, 1.0], [1.0, 2.0, 1.0]), [1 / 3, -1 / 3, 0])


def test_accuracy_hand_computed():
    z = np.array([[1.0, 0.0], [0.0, 1.0], [3.0, 2.0], [0.0, 5.0]])
    assert accuracy(z, [0, 1, 1, 0]) == 0.5


# ---- numerical stability ------------------------------------------------------

def test_cross_entropy_huge_logits_is_finite_and_exact():
    # pytest turns warnings into errors, so an overflow would fail this test
    z = np.array([[1e4, 0.0, -1e4], [0.0, 1e4, 0.0]])
    # sample 0: label 2 is 2e4 below the max -> loss 2e4; sample 1: correct and certain -> 0
    assert cross_entropy(z, [2, 1]) == pytest.approx(1e4)
    g = cross_entropy_grad(z, [2, 1])
    assert np.all(np.isfinite(g))
    np.testing.assert_allclose(g, np.array([[1, 0, -1], [0, 0, 0]]) / 2, atol=1e-12)
    z32 = z.astype(np.float32)
    assert np.isfinite(cross_entropy(z32, [2, 1]))
    # -z: sample 0 has label 0 at 2e4 below the max; sample 1 is a tie of two -> log 2
    assert cross_entropy(-z, [0, 0]) == pytest.approx((2e4 + math.log(2)) / 2)


def test_cross_entropy_huge_uniform_logits():
    assert cross_entropy(np.full((3, 4), 1e4), [0, 1, 2]) == pytest.approx(math.log(4))


# ---- gradients vs numerical derivatives --------------------------------------

@FAST
@given(pairs())
def test_mse_grad_matches_numerical(pair):
    y_hat, y = pair
    num = numerical_gradient(lambda v: mse(v, y), y_hat)
    np.testing.assert_allclose(mse_grad(y_hat, y), num, atol=1e-7)


@FAST
@given(pairs())
def test_mae_grad_matches_numerical(pair):
    y_hat, y = pair
    assume(np.all(np.abs(y_hat - y) > 1e-3))  # stay away from the kink at 0
    num = numerical_gradient(lambda v: mae(v, y), y_hat)
    np.testing.assert_allclose(mae_grad(y_hat, y), num, atol=1e-7)


@FAST
@given(logits_and_labels())
def test_cross_entropy_grad_matches_numerical(zy):
    z, y = zy
    num = numerical_gradient(lambda v: cross_entropy(v, y), z)
    np.testing.assert_allclose(cross_entropy_grad(z, y), num, atol=1e-7)


@FAST
@given(logits_and_labels())
def test_cross_entropy_is_positive_and_grad_rows_sum_to_zero(zy):
    z, y = zy
    assert cross_entropy(z, y) > 0
    np.testing.assert_allclose(cross_entropy_grad(z, y).sum(axis=1), 0, atol=1e-12)


# ---- means, not sums ----------------------------------------------------------

@FAST
@given(pairs(), st.integers(2, 5))
def test_mse_mae_do_not_scale_with_n(pair, reps):
    y_hat, y = pair
    Y_hat, Y = np.tile(y_hat, (reps, 1)), np.tile(y, (reps, 1))
    assert mse(Y_hat, Y) == pytest.approx(mse(y_hat, y), rel=1e-12, abs=1e-15)
    assert mae(Y_hat, Y) == pytest.approx(mae(y_hat, y), rel=1e-12, abs=1e-15)


@FAST
@given(logits_and_labels(), st.integers(2, 5))
def test_cross_entropy_does_not_scale_with_n(zy, reps):
    z, y = zy
    assert cross_entropy(np.tile(z, (reps, 1)), np.tile(y, reps)) == pytest.approx(
        cross_entropy(z, y), rel=1e-12)
    # duplicating the data halves (1/reps) each sample's gradient
    np.testing.assert_allclose(cross_entropy_grad(np.tile(z, (reps, 1)), np.tile(y, reps))[:len(y)],
                               cross_entropy_grad(z, y) / reps, atol=1e-15)


# ---- bad input ----------------------------------------------------------------

@pytest.mark.parametrize("fn", [mse, mse_grad, mae, mae_grad])
def test_regression_losses_reject_mismatched_shapes(fn):
    with pytest.raises(ValueError, match=r"y_hat has shape \(3,\) but y has shape \(2,\)"):
        fn([1.0, 2.0, 3.0], [1.0, 2.0])
    with pytest.raises(ValueError, match="reshape"):  # column vs flat: no silent broadcast
        fn(np.zeros((4, 1)), np.zeros(4))
    with pytest.raises(ValueError, match="NaN or inf"):
        fn([1.0, np.nan], [1.0, 2.0])
    with pytest.raises(ValueError, match="empty"):
        fn([], [])


@pytest.mark.parametrize("fn", [cross_entropy, cross_entropy_grad, accuracy])
def test_cross_entropy_rejects_bad_labels(fn):
    z = np.zeros((2, 3))
    with pytest.raises(ValueError, match="only 3 classes"):
        fn(z, [0, 3])
    with pytest.raises(ValueError, match="only 3 classes"):
        fn(z, [-1, 0])
    with pytest.raises(ValueError, match="2 rows .* 3 labels"):
        fn(z, [0, 1, 2])
    with pytest.raises(TypeError, match="integer class labels"):
        fn(z, [0.5, 1.0])
    with pytest.raises(ValueError, match="2-D"):
        fn(np.zeros(3), [0])
    with pytest.raises(ValueError, match="NaN or inf"):
        fn(np.array([[0.0, np.inf, 0.0]]), [0])


# --- the fused fast path used by fit -------------------------------------------------------

@settings(max_examples=30, deadline=None)
@given(n=st.integers(1, 6), k=st.integers(2, 5), seed=st.integers(0, 10_000))
def test_cross_entropy_with_grad_matches_numerical_gradient(n, k, seed):
    from nnlib.losses import cross_entropy_with_grad

    rng = np.random.default_rng(seed)
    logits = rng.normal(0, 3, (n, k))
    y = rng.integers(0, k, n)
    loss, grad = cross_entropy_with_grad(logits, y)
    # the loss against its definition, the gradient against central differences
    log_softmax = logits - logits.max(1, keepdims=True)
    log_softmax -= np.log(np.exp(log_softmax).sum(1, keepdims=True))
    assert math.isclose(loss, -log_softmax[np.arange(n), y].mean(), rel_tol=1e-12)
    numeric = numerical_gradient(lambda z: cross_entropy_with_grad(z, y)[0], logits)
    assert np.allclose(grad, numeric, atol=1e-7)


def test_cross_entropy_with_grad_stays_finite_for_huge_logits():
    from nnlib.losses import cross_entropy_with_grad

    loss, grad = cross_entropy_with_grad(np.array([[1e4, 0.0], [0.0, 1e4]]), np.array([0, 0]))
    assert math.isclose(loss, 1e4 / 2, rel_tol=1e-12)   # sample 2 pays 1e4 nats, sample 1 none
    assert np.all(np.isfinite(grad))

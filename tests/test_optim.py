"""nnlib.optim: update rules against their formulas."""

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.extra.numpy import arrays

from nnlib.optim import SGD, constant, exponential_decay, gd_step, step_decay

FAST = settings(max_examples=30, deadline=None)
vals = st.floats(-5, 5, allow_nan=False, allow_infinity=False)
lrs = st.floats(1e-4, 1.0)


@FAST
@given(arrays(np.float64, st.integers(1, 6), elements=vals), st.data(), lrs)
def test_sgd_step_is_w_minus_lr_g(w0, data, lr):
    g = data.draw(arrays(np.float64, w0.shape, elements=vals))
    w, dw = w0.copy(), g.copy()
    opt = SGD([(w, dw)], lr=lr)
    opt.step()
    np.testing.assert_array_equal(w, w0 - lr * g)  # exactly the same float operations
    np.testing.assert_array_equal(dw, g)  # the gradient is not touched
    np.testing.assert_array_equal(gd_step(w0, g, lr), w0 - lr * g)
    assert gd_step(2.0, 0.5, 0.1) == 2.0 - 0.1 * 0.5


def test_sgd_updates_in_place_on_many_parameters():
    W, dW = np.ones((2, 3)), np.full((2, 3), 2.0)
    b, db = np.zeros(3), np.array([1.0, -1.0, 0.0])
    W_id = id(W)
    SGD([(W, dW), (b, db)], lr=0.5).step()
    assert id(W) == W_id
    np.testing.assert_array_equal(W, 0.0)
    np.testing.assert_array_equal(b, [-0.5, 0.5, 0.0])


@FAST
@given(st.lists(vals, min_size=1, max_size=8), st.floats(0.0, 0.99), lrs)
def test_momentum_matches_recurrence(grads, mu, lr):
    """v_t = μ v_{t-1} − η g_t,  w_t = w_{t-1} + v_t, with a different gradient each step."""
    w, dw = np.array([1.5]), np.zeros(1)
    opt = SGD([(w, dw)], lr=lr, momentum=mu)
    v_ref, w_ref = 0.0, 1.5
    for g in grads:
        dw[0] = g
        opt.step()
        v_ref = mu * v_ref - lr * g
        w_ref = w_ref + v_ref
        assert w[0] == pytest.approx(w_ref, rel=1e-12, abs=1e-12)


def test_momentum_closed_form_for_constant_gradient():
    # constant g: v_t = −η g (1 − μ^t) / (1 − μ), w_t = w_0 + Σ v_s
    lr, mu, g, T = 0.1, 0.9, 2.0, 25
    w, dw = np.array([0.0]), np.array([g])
    opt = SGD([(w, dw)], lr=lr, momentum=mu)
    for _ in range(T):
        opt.step()
    expected = sum(-lr * g * (1 - mu ** t) / (1 - mu) for t in range(1, T + 1))
    assert w[0] == pytest.approx(expected, rel=1e-12)


def test_weight_decay_adds_lambda_w():
    w, dw = np.array([2.0, -4.0]), np.array([0.5, 0.5])
    SGD([(w, dw)], lr=0.1, weight_decay=0.01).step()
    np.testing.assert_allclose(w, [2.0 - 0.1 * (0.5 + 0.01 * 2.0), -4.0 - 0.1 * (0.5 - 0.01 * 4.0)],
                               rtol=1e-15)
    # with zero gradient, weight decay shrinks w geometrically: w_t = (1 − ηλ)^t w_0
    w, dw = np.array([3.0]), np.array([0.0])
    opt = SGD([(w, dw)], lr=0.5, weight_decay=0.2)
    for _ in range(10):
        opt.step()
    assert w[0] == pytest.approx(3.0 * 0.9 ** 10, rel=1e-12)


def test_weight_decay_with_momentum():
    lr, mu, lam = 0.1, 0.5, 0.1
    w, dw = np.array([1.0]), np.array([0.3])
    opt = SGD([(w, dw)], lr=lr, momentum=mu, weight_decay=lam)
    v_ref, w_ref = 0.0, 1.0
    for _ in range(5):
        opt.step()
        v_ref = mu * v_ref - lr * (0.3 + lam * w_ref)
        w_ref += v_ref
    assert w[0] == pytest.approx(w_ref, rel=1e-12)


def test_zero_grad():
    w, dw = np.ones(3), np.ones(3)
    SGD([(w, dw)], lr=0.1).zero_grad()
    np.testing.assert_array_equal(dw, 0)


@FAST
@given(st.floats(1e-4, 1.0), st.floats(0.05, 0.95), st.integers(1, 20), st.integers(0, 100))
def test_step_decay_formula(lr0, drop, every, epoch):
    assert step_decay(lr0, drop, every)(epoch) == pytest.approx(lr0 * drop ** (epoch // every))


def test_step_decay_hand_computed():
    s = step_decay(0.1, drop=0.5, every=10)
    assert [s(t) for t in (0, 9, 10, 19, 20, 35)] == pytest.approx(
        [0.1, 0.1, 0.05, 0.05, 0.025, 0.0125])


@FAST
@given(st.floats(1e-4, 1.0), st.floats(0.5, 1.0), st.integers(0, 100))
def test_exponential_decay_formula(lr0, gamma, epoch):
    assert exponential_decay(lr0, gamma)(epoch) == pytest.approx(lr0 * gamma ** epoch)


def test_constant_schedule():
    assert constant(0.3)(0) == constant(0.3)(99) == 0.3


@pytest.mark.parametrize("lr", [0, -0.1, float("nan"), float("inf")])
def test_nonpositive_or_nonfinite_lr_rejected(lr):
    w, dw = np.ones(2), np.ones(2)
    with pytest.raises(ValueError, match="lr"):
        SGD([(w, dw)], lr=lr)
    opt = SGD([(w, dw)], lr=0.1)
    with pytest.raises(ValueError, match="lr"):
        opt.lr = lr
    assert opt.lr == 0.1
    with pytest.raises(ValueError, match="lr"):
        gd_step(1.0, 1.0, lr)
    for schedule in (constant, step_decay, exponential_decay):
        with pytest.raises(ValueError, match="lr0"):
            schedule(lr)


def test_bad_optimizer_arguments():
    w, dw = np.ones(2), np.ones(2)
    with pytest.raises(TypeError, match="lr must be a number"):
        SGD([(w, dw)], lr="0.1")
    with pytest.raises(ValueError, match="momentum"):
        SGD([(w, dw)], lr=0.1, momentum=1.0)
    with pytest.raises(ValueError, match="momentum"):
        SGD([(w, dw)], lr=0.1, momentum=-0.1)
    with pytest.raises(ValueError, match="weight_decay"):
        SGD([(w, dw)], lr=0.1, weight_decay=-1)
    with pytest.raises(ValueError, match="no parameters"):
        SGD([], lr=0.1)
    with pytest.raises(TypeError, match="pair"):
        SGD([w], lr=0.1)
    with pytest.raises(ValueError, match=r"shape \(2,\) but its gradient has shape \(3,\)"):
        SGD([(w, np.ones(3))], lr=0.1)
    with pytest.raises(TypeError, match="every must be an integer"):
        step_decay(0.1, every=2.5)
    with pytest.raises(ValueError, match="gamma"):
        exponential_decay(0.1, gamma=0)

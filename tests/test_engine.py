"""nnlib.engine.Value: every operation's gradient vs a central difference."""

import math

import numpy as np
import pytest
from hypothesis import assume, given, settings
from hypothesis import strategies as st

from nnlib.calculus import derivative
from nnlib.engine import Value
from nnlib.layers import Dense, ReLU, Sequential
from nnlib.losses import mse

FAST = settings(max_examples=30, deadline=None)
vals = st.floats(-3, 3, allow_nan=False, allow_infinity=False)
positive = st.floats(0.1, 5, allow_nan=False)


def grad_of(op, x):
    """d op(x) / dx computed by the engine."""
    a = Value(x)
    op(a).backward()
    return a.grad


def num_grad(op, x):
    """The same derivative by central differences on plain floats."""
    return derivative(lambda t: op(float(t)), x)


UNARY = {
    "v + c": lambda v: v + 1.7,
    "c + v": lambda v: 1.7 + v,
    "v - c": lambda v: v - 1.7,
    "c - v": lambda v: 1.7 - v,
    "v * c": lambda v: v * -2.5,
    "c * v": lambda v: -2.5 * v,
    "v / c": lambda v: v / 4.0,
    "-v": lambda v: -v,
    "v ** 2": lambda v: v ** 2,
    "v ** 3": lambda v: v ** 3,
    "v * v": lambda v: v * v,
    "v + v": lambda v: v + v,
}

ELEMENTARY = {  # (engine version, math version)
    "tanh": (lambda v: v.tanh(), math.tanh),
    "sigmoid": (lambda v: v.sigmoid(), lambda t: 1 / (1 + math.exp(-t))),
    "exp": (lambda v: v.exp(), math.exp),
    "relu": (lambda v: v.relu(), lambda t: max(t, 0.0)),
}


@pytest.mark.parametrize("name", UNARY)
@FAST
@given(x=vals)
def test_arithmetic_with_numbers_on_either_side(name, x):
    op = UNARY[name]
    assert op(Value(x)).data == pytest.approx(op(x), abs=1e-12)
    assert grad_of(op, x) == pytest.approx(num_grad(op, x), rel=1e-6, abs=1e-6)


@pytest.mark.parametrize("name", ELEMENTARY)
@FAST
@given(x=vals)
def test_elementary_functions(name, x):
    eng, ref = ELEMENTARY[name]
    if name == "relu":
        assume(abs(x) > 1e-3)
    assert eng(Value(x)).data == pytest.approx(ref(x), rel=1e-12, abs=1e-12)
    assert grad_of(eng, x) == pytest.approx(num_grad(ref, x), rel=1e-6, abs=1e-7)


@FAST
@given(positive)
def test_log_division_by_value_and_fractional_power(x):
    cases = [(lambda v: v.log(), math.log), (lambda v: 2.0 / v, lambda t: 2.0 / t),
             (lambda v: v ** 0.5, math.sqrt), (lambda v: v ** -1.5, lambda t: t ** -1.5)]
    for eng, ref in cases:
        assert eng(Value(x)).data == pytest.approx(ref(x), rel=1e-12)
        assert grad_of(eng, x) == pytest.approx(num_grad(ref, x), rel=1e-5)


@FAST
@given(vals, vals, positive)
def test_binary_ops_between_values(x, y, d):
    # f(a, b, c) = (a*b + a - b) / c  and both-sides gradients
    a, b, c = Value(x), Value(y), Value(d)
    out = (a * b + a - b) / c
    out.backward()
    f = lambda p, q, r: (p * q + p - q) / r  # noqa: E731
    assert out.data == pytest.approx(f(x, y, d))
    assert a.grad == pytest.approx(derivative(lambda t: f(t, y, d), x), rel=1e-6, abs=1e-6)
    assert b.grad == pytest.approx(derivative(lambda t: f(x, t, d), y), rel=1e-6, abs=1e-6)
    assert c.grad == pytest.approx(derivative(lambda t: f(x, y, t), d), rel=1e-5, abs=1e-6)


def test_gradient_accumulates_on_reuse():
    a = Value(3.0)
    b = a + a
    b.backward()
    assert a.grad == 2.0
    a = Value(3.0)
    (a * a).backward()
    assert a.grad == 6.0  # 2a
    # diamond: c = a*b, d = a+b, e = c*d -> de/da = b*d + c = b(a+b) + ab
    a, b = Value(2.0), Value(-3.0)
    e = (a * b) * (a + b)
    e.backward()
    assert a.grad == pytest.approx(-3.0 * (2 - 3) + 2 * -3)
    assert b.grad == pytest.approx(2.0 * (2 - 3) + 2 * -3)


def test_zero_grad_resets_graph():
    a = Value(1.5)
    out = (a * 2).tanh()
    out.backward()
    assert a.grad != 0
    out.zero_grad()
    assert a.grad == 0 and out.grad == 0


def test_long_chain_backpropagates_without_recursion_error():
    x = Value(0.5)
    v = x
    for _ in range(10_000):
        v = v * 1.0001
    v.backward()
    assert x.grad == pytest.approx(1.0001 ** 10_000, rel=1e-9)


def test_value_agrees_with_vectorized_layers():
    """Same tiny 3-4-2 ReLU network, same weights: same loss and same gradients."""
    rng = np.random.default_rng(7)
    X = rng.normal(size=(5, 3))
    Y = rng.normal(size=(5, 2))
    d1, d2 = Dense(3, 4, rng=rng, dtype=np.float64), Dense(4, 2, rng=rng, dtype=np.float64)
    d1.b[:] = rng.normal(size=4)
    d2.b[:] = rng.normal(size=2)
    net = Sequential(d1, ReLU(), d2)

    out = net.forward(X)
    loss = mse(out, Y)
    dX = net.backward(2 * (out - Y) / out.size)

    W1 = [[Value(w) for w in row] for row in d1.W]
    b1 = [Value(b) for b in d1.b]
    W2 = [[Value(w) for w in row] for row in d2.W]
    b2 = [Value(b) for b in d2.b]
    Xv = [[Value(x) for x in row] for row in X]
    total = Value(0.0)
    for xi, yi in zip(Xv, Y, strict=True):
        h = [(sum((xi[i] * W1[i][j] for i in range(3)), b1[j])).relu() for j in range(4)]
        o = [sum((h[i] * W2[i][j] for i in range(4)), b2[j]) for j in range(2)]
        for j in range(2):
            total = total + (o[j] - float(yi[j])) ** 2
    L = total / Y.size
    L.backward()

    assert L.data == pytest.approx(loss, rel=1e-12)
    np.testing.assert_allclose([[w.grad for w in r] for r in W1], d1.dW, rtol=1e-10, atol=1e-14)
    np.testing.assert_allclose([b.grad for b in b1], d1.db, rtol=1e-10, atol=1e-14)
    np.testing.assert_allclose([[w.grad for w in r] for r in W2], d2.dW, rtol=1e-10, atol=1e-14)
    np.testing.assert_allclose([b.grad for b in b2], d2.db, rtol=1e-10, atol=1e-14)
    np.testing.assert_allclose([[x.grad for x in r] for r in Xv], dX, rtol=1e-10, atol=1e-14)


def test_bad_input():
    with pytest.raises(TypeError, match="real number"):
        Value("1.0")
    with pytest.raises(TypeError, match="real number"):
        Value(True)
    with pytest.raises(TypeError, match="got a Value"):
        Value(Value(1.0))
    with pytest.raises(TypeError, match="exponent"):
        Value(2.0) ** Value(2.0)
    with pytest.raises(ValueError, match="positive"):
        Value(0.0).log()
    with pytest.raises(ZeroDivisionError, match="0"):
        Value(1.0) / 0
    with pytest.raises(OverflowError, match="digits, too large for a float"):
        Value(10 ** 400)
    with pytest.raises(ValueError, match="negative base"):
        Value(-2.0) ** 0.5
    # a whole-number power of a negative base is fine
    assert (Value(-2.0) ** 3).data == -8.0


def test_sigmoid_extremes_do_not_overflow():
    assert Value(-1000.0).sigmoid().data == 0.0
    assert Value(1000.0).sigmoid().data == 1.0


# --- calling backward() more than once: PyTorch's rule --------------------------------------

def test_second_backward_doubles_the_leaf_gradient_exactly():
    """The issue's example: z = 12 x, so two backward calls give x.grad = 2 · 12 = 24."""
    x = Value(2.0)
    z = x * 3 * 4
    z.backward()
    assert x.grad == 12.0
    z.backward()
    assert x.grad == 24.0
    assert z.grad == 1.0  # a computed value is recomputed, not accumulated


def test_a_leaf_output_accumulates_too():
    x = Value(5.0)
    x.backward()
    x.backward()
    assert x.grad == 2.0


def _deep_chain(x0, w, levels=50):
    """v_{i+1} = tanh(w · v_i) + v_i, with w shared by every level and v_i used twice.

    Returns the Values and, independently, dv/dx0 and dv/dw by forward-mode chain rule on floats.
    """
    x, wv = Value(x0), Value(w)
    v, nodes = x, []
    val, dv_dx, dv_dw = x0, 1.0, 0.0
    for _ in range(levels):
        v = (wv * v).tanh() + v
        nodes.append(v)
        t = math.tanh(w * val)
        # d/dθ [tanh(w v) + v] = (1 − t²) (∂(w v)/∂θ) + dv/dθ
        dv_dx, dv_dw = (1 - t * t) * w * dv_dx + dv_dx, (1 - t * t) * (val + w * dv_dw) + dv_dw
        val = t + val
    return x, wv, v, nodes, val, dv_dx, dv_dw


@pytest.mark.parametrize("calls", [1, 2, 3, 5])
def test_deep_shared_graph_leaf_gradients_are_exact_multiples(calls):
    x, w, out, nodes, val, dx, dw = _deep_chain(0.3, 0.8)
    assert out.data == pytest.approx(val, rel=1e-12)
    for _ in range(calls):
        out.backward()
    assert x.grad == pytest.approx(calls * dx, rel=1e-12)
    assert w.grad == pytest.approx(calls * dw, rel=1e-12)
    # a computed node holds ∂out/∂node of one pass, whatever the number of calls:
    # out = nodes[-1] depends on nodes[-2] through tanh(w v) + v, slope (1 − t²) w + 1
    t = math.tanh(0.8 * nodes[-2].data)
    assert nodes[-2].grad == pytest.approx((1 - t * t) * 0.8 + 1, rel=1e-12)
    assert out.grad == 1.0


def test_zero_grad_between_calls_gives_a_fresh_gradient():
    x, w, out, _, _, dx, dw = _deep_chain(-0.5, 1.1)
    out.backward()
    out.backward()
    out.zero_grad()
    out.backward()
    assert x.grad == pytest.approx(dx, rel=1e-12)
    assert w.grad == pytest.approx(dw, rel=1e-12)


def test_backward_of_a_second_output_keeps_the_leaf_sum():
    """Two losses sharing a leaf: its grad is the sum, as gradients of L1 + L2."""
    a = Value(1.5)
    h = a * a           # shared computed node
    (h * 2).backward()  # ∂/∂a = 4a = 6
    (h + 1).backward()  # ∂/∂a = 2a = 3
    assert a.grad == pytest.approx(9.0)
    assert h.grad == 1.0  # the last pass only


# --- legal inputs at the edges: the right value, or an error at the operation ---------------

@pytest.mark.parametrize("k, data, slope", [
    (0, 1.0, 0.0),          # 0^0 = 1 is constant in x: slope 0 (was ZeroDivisionError)
    (1, 0.0, 1.0),
    (2, 0.0, 0.0),
    (1.5, 0.0, 0.0),        # 1.5 · 0^0.5
    (0.5, 0.0, math.inf),   # √x has a vertical tangent at 0 (was ZeroDivisionError)
])
def test_power_at_zero(k, data, slope):
    x = Value(0.0)
    y = x ** k
    assert y.data == data
    y.backward()
    assert x.grad == slope


def test_negative_power_of_zero_is_refused_at_the_operation():
    with pytest.raises(ZeroDivisionError, match=r"0 \*\* -1 divides by zero"):
        Value(0.0) ** -1
    with pytest.raises(ZeroDivisionError, match=r"0 \*\* -0.5"):
        Value(0.0) ** -0.5


def test_power_overflow_is_inf_like_multiplication():
    big = Value(1e200)
    assert (big ** 2).data == (Value(1e200) * Value(1e200)).data == math.inf
    assert (Value(-1e200) ** 3).data == -math.inf
    assert (Value(-1e200) ** 2).data == math.inf
    assert (Value(1e-200) ** -2).data == math.inf      # 1 / 1e-400
    y = Value(1e200) ** 3
    x = y._prev[0]
    y.backward()                                        # 3 · 1e400: inf, not OverflowError
    assert x.grad == math.inf
    x = Value(-1e200)
    (x ** 3).backward()                                 # 3 x² > 0
    assert x.grad == math.inf
    x = Value(1e200)
    (x ** 2).backward()                                 # 2x is an ordinary number
    assert x.grad == 2e200


def test_division_does_not_go_through_an_overflowing_reciprocal():
    u, v = Value(1e-10), Value(1e-310)
    assert (u / v).data == pytest.approx(1e-10 / 1e-310, rel=1e-12)   # 1e300, not inf
    u, v = Value(3.0), Value(1e-160)
    q = u / v
    q.backward()          # ∂/∂u = 1/v = 1e160; ∂/∂v = −u/v² = −3e320: below −1.8e308, so −inf
    assert u.grad == pytest.approx(1e160, rel=1e-12)
    assert v.grad == -math.inf
    u, v = Value(6.0), Value(-4.0)
    (u / v).backward()
    assert u.grad == pytest.approx(-0.25) and v.grad == pytest.approx(-6.0 / 16)
    assert (2 / Value(8.0)).data == 0.25


def test_division_by_zero_is_refused_at_the_operation():
    with pytest.raises(ZeroDivisionError, match="3 / 0"):
        Value(3.0) / Value(0.0)
    with pytest.raises(ZeroDivisionError, match="division by a Value whose data is 0"):
        1 / Value(0.0)


def test_exp_log_sigmoid_tanh_at_their_edges():
    x = Value(1000.0)
    y = x.exp()
    assert y.data == math.inf
    y.backward()
    assert x.grad == math.inf
    x = Value(-1000.0)
    y = x.exp()
    y.backward()
    assert y.data == 0.0 and x.grad == 0.0
    x = Value(1e-310)      # ln of a tiny positive number is finite; its slope 1/x overflows
    y = x.log()
    y.backward()
    assert y.data == pytest.approx(math.log(1e-310)) and x.grad == math.inf
    for big in (800.0, -800.0):
        for op in ("sigmoid", "tanh"):
            x = Value(big)
            getattr(x, op)().backward()
            assert x.grad == 0.0

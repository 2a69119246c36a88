"""Lesson 06: computation graphs, the three levers, the slope explorer and the exercise checks."""

from __future__ import annotations

import math

import numpy as np
import pytest
from _helpers import not_written as _not_written
from _helpers import verdict as _verdict
from matplotlib.figure import Figure

from nnlib.calculus import gradcheck, numerical_gradient
from nnlib.checks import lesson06
from nnlib.engine import Value
from nnlib.explore import backprop as B
from nnlib.layers import Dense, ReLU, Sequential
from nnlib.losses import mse, mse_grad
from nnlib.plots import fig_to_png


def _expression():
    a, b, c, f = Value(2.0, label="a"), Value(-3.0, label="b"), Value(10.0, label="c"), \
        Value(-2.0, label="f")
    e = a * b
    d = e + c
    L = d * f
    return a, b, c, f, e, d, L


# --- the maths of the lesson -------------------------------------------------------------

def test_hand_backprop_matches_value_backward():
    a, b, c, f, e, d, L = _expression()
    L.backward()
    assert (a.grad, b.grad, c.grad, f.grad) == (6.0, -4.0, -2.0, 4.0)
    assert (e.grad, d.grad, L.grad) == (-2.0, -2.0, 1.0)


def test_a_value_used_twice_collects_both_gradients():
    a = Value(3.0)
    b = a + a
    b.backward()
    assert a.grad == 2.0
    b.backward()          # accumulates: that is why training resets gradients
    assert a.grad == 4.0
    b.zero_grad()
    b.backward()
    assert a.grad == 2.0


def test_topological_order_matters():
    def build():
        a, b = Value(2.0), Value(3.0)
        d = a * b
        e = d + a
        L = e * d
        return a, b, d, e, L

    a, b, d, e, L = build()
    L.backward()
    # L = (ab + a)·ab: dL/da = (b + 1)·ab + (ab + a)·b
    assert a.grad == pytest.approx((3 + 1) * 6 + 8 * 3) == 48.0
    a, b, d, e, L = build()
    L.grad = 1.0
    for node in (L, d, e):
        node._backward()
    assert a.grad == 30.0  # the notebook's "wrong order" number


def test_tanh_neuron_gradients():
    x1, x2, w1, w2 = Value(2.0), Value(0.0), Value(-3.0), Value(1.0)
    b = Value(6.8813735870195432)
    o = (x1 * w1 + x2 * w2 + b).tanh()
    o.backward()
    assert o.data == pytest.approx(math.sqrt(0.5))
    assert (x1.grad, w1.grad, x2.grad, w2.grad, b.grad) == pytest.approx((-1.5, 1.0, 0.5, 0.0, 0.5))


def test_dense_backward_formulas_agree_with_numerical_gradients():
    rng = np.random.default_rng(0)
    net = Sequential(Dense(3, 4, rng=rng, dtype=np.float64), ReLU(),
                     Dense(4, 2, rng=rng, dtype=np.float64))
    X, y = rng.normal(size=(6, 3)), rng.normal(size=(6, 2))
    dX = net.backward(mse_grad(net.forward(X), y))
    first, second = net.dense_layers
    dY = mse_grad(net.forward(X), y)
    np.testing.assert_allclose(second.dW, second.X.T @ dY)
    np.testing.assert_allclose(second.db, dY.sum(axis=0))
    assert second.dW.shape == second.W.shape and first.db.shape == first.b.shape
    for param, grad in net.parameters():
        def f(values, param=param):
            saved = param.copy()
            param[...] = values
            loss = mse(net.forward(X), y)
            param[...] = saved
            return loss
        assert gradcheck(f, grad.copy(), param).ok
    assert np.allclose(numerical_gradient(lambda X_: mse(net.forward(X_), y), X), dX, atol=1e-8)


# --- draw_graph ---------------------------------------------------------------------------

def test_graph_order_is_topological():
    *_, L = _expression()
    order = B.graph_order(L)
    assert order[-1] is L and len(order) == 7
    seen = set()
    for v in order:
        assert all(id(c) in seen for c in v._prev)
        seen.add(id(v))


def test_graph_layout_puts_inputs_left_of_outputs():
    a, b, c, f, e, d, L = _expression()
    pos = B.graph_layout(L)
    x = {name: pos[id(v)][0] for name, v in zip("abcfedL", (a, b, c, f, e, d, L), strict=True)}
    assert x["a"] == x["b"] < x["e"] < x["d"] < x["L"]
    assert x["f"] < x["L"] and x["c"] < x["d"]
    positions = list(pos.values())
    assert len(set(positions)) == len(positions)  # no two boxes on top of each other


def test_draw_graph_shows_data_and_grad():
    a, b, c, f, e, d, L = _expression()
    L.backward()
    fig = B.draw_graph(L)
    assert isinstance(fig, Figure)
    texts = [t.get_text() for t in fig.axes[0].texts]
    assert "a\ndata 2\ngrad 6" in texts and "data -8\ngrad 1" in texts
    assert texts.count("×") == 2 and texts.count("+") == 1
    assert fig_to_png(fig).startswith(b"\x89PNG")


def test_draw_graph_draws_one_arrow_per_use():
    a = Value(3.0, label="a")
    b = a + a
    b.backward()
    fig = B.draw_graph(b)
    ax = fig.axes[0]
    arrows = [t for t in ax.texts if t.get_text() == "" and hasattr(t, "arrow_patch")]
    assert len(arrows) == 3  # a→+ twice, +→b once
    assert "a\ndata 3\ngrad 2" in [t.get_text() for t in ax.texts]
    fig_to_png(fig)


def test_draw_graph_of_a_single_value_and_a_deep_chain():
    fig_to_png(B.draw_graph(Value(1.0, label="x")))
    x = Value(0.5)
    y = x
    for _ in range(12):
        y = (y * 1.1).tanh()
    y.backward()
    fig_to_png(B.draw_graph(y))


# --- the three levers ---------------------------------------------------------------------------

def test_three_levers_match_the_chain_rule():
    A = np.array([[0.9, 0.1, 0.5], [0.8, 0.0, 0.9]])
    w, b, y = np.array([0.5, -1.0, 1.5]), -1.0, np.array([1.0, 0.0])
    lev = B.three_levers(A, w, b, y)
    for i in range(2):
        def cost(params, i=i):
            w_, b_, a_ = params[:3], params[3], params[4:]
            a = 1 / (1 + np.exp(-(a_ @ w_ + b_)))
            return (a - y[i]) ** 2
        g = numerical_gradient(cost, np.r_[w, b, A[i]])
        np.testing.assert_allclose(lev["dw"][i], g[:3], rtol=1e-6)
        np.testing.assert_allclose(lev["db"][i], g[3], rtol=1e-6)
        np.testing.assert_allclose(lev["da_prev"][i], g[4:], rtol=1e-6)
    # levers 2 and 3: in proportion to the previous activations, and to the weights
    np.testing.assert_allclose(lev["dw"], A * lev["db"][:, None])
    np.testing.assert_allclose(lev["da_prev"], np.outer(lev["db"], w))
    np.testing.assert_allclose(lev["mean_dw"], lev["dw"].mean(axis=0))
    table = B.format_levers(lev)
    assert table.splitlines()[-1].lstrip().startswith("average") and len(table.splitlines()) == 4
    fig_to_png(B.draw_three_levers(lev, w))


# --- the slope explorer ---------------------------------------------------------------------------

def test_tangent_slope_is_the_backprop_gradient():
    scene = B.SlopeScene()
    scene.build()
    for w in (-3.0, -1.0, 0.5, 1.5, 3.5):
        numerical = (scene.loss(w + 1e-6) - scene.loss(w - 1e-6)) / 2e-6
        assert scene.backprop_slope(w) == pytest.approx(numerical, rel=1e-5, abs=1e-8)
        scene.update(w=w)
        xs, ys = scene.tangent.get_data()
        assert (ys[1] - ys[0]) / (xs[1] - xs[0]) == pytest.approx(scene.backprop_slope(w))
        # the descent arrow points against the slope
        (x0, _), (x1, _) = scene.step._posA_posB
        assert np.sign(x1 - x0) == -np.sign(scene.backprop_slope(w))


def test_render_backprop_slope_title_states_both_slopes():
    fig = B.render_backprop_slope(w=0.5)
    title = fig.axes[0].get_title()
    scene = B.SlopeScene()
    scene.build()
    g = scene.backprop_slope(0.5)
    assert f"backprop ∂L/∂w = {g:+.4f}" in title and f"numerical slope = {g:+.4f}" in title
    assert fig.axes[0].get_xlabel() and fig.axes[0].get_ylabel() and fig.axes[1].get_xlabel()
    assert fig.axes[0].get_xlim() == B.SlopeScene.W_RANGE
    fig_to_png(fig)


def test_slope_explorer_changes():
    explorer = B.explore_backprop_slope()
    slider = explorer.controls["w"]
    assert (slider.min, slider.max) == B.SlopeScene.W_RANGE
    before = explorer.image.value
    for value in np.linspace(slider.min, slider.max, 41):
        slider.value = float(value)
        assert explorer.error is None, explorer.error
    assert explorer.image.value != before
    assert B.EXPLORERS == [B.explore_backprop_slope]


# --- the checks -------------------------------------------------------------------------------


def test_backprop_by_hand_check(capsys):
    check = lesson06.check_backprop_by_hand
    assert _verdict(capsys, check, lambda a, b, c, f: (f * b, f * a, f, a * b + c)).startswith("✓")
    assert "swapped" in _verdict(capsys, check, lambda a, b, c, f: (f * a, f * b, f, a * b + c))
    assert "forgot to multiply" in _verdict(capsys, check, lambda a, b, c, f: (b, a, f, a * b + c))
    assert "∂L/∂d = f" in _verdict(capsys, check, lambda a, b, c, f: (f * b, f * a, 1.0, a * b + c))
    assert "left out c" in _verdict(capsys, check, lambda a, b, c, f: (f * b, f * a, f, a * b))
    assert "tuple of 4" in _verdict(capsys, check, lambda a, b, c, f: f * b)
    assert "not written yet" in _verdict(capsys, check, _not_written)
    assert "returned None" in _verdict(capsys, check, lambda a, b, c, f: None)


def test_dense_backward_check(capsys):
    check = lesson06.check_dense_backward
    assert _verdict(capsys, check, lambda X, W, dY: (X.T @ dY, dY.sum(0), dY @ W.T)).startswith("✓")
    out = _verdict(capsys, check, lambda X, W, dY: (dY.T @ X, dY.sum(0), dY @ W.T))
    assert "dW has the shape of W: use X.T @ dY" in out
    assert "forgot to sum db over the batch" in _verdict(
        capsys, check, lambda X, W, dY: (X.T @ dY, dY, dY @ W.T))
    assert "don't average" in _verdict(
        capsys, check, lambda X, W, dY: (X.T @ dY, dY.mean(0), dY @ W.T))
    assert "sign flipped" in _verdict(
        capsys, check, lambda X, W, dY: (-(X.T @ dY), dY.sum(0), dY @ W.T))
    assert "dY @ W.T" in _verdict(capsys, check,
                                  lambda X, W, dY: (X.T @ dY, dY.sum(0), dY @ W.T * 2))
    assert "tuple of 3" in _verdict(capsys, check, lambda X, W, dY: X.T @ dY)
    assert "not written yet" in _verdict(capsys, check, _not_written)


def test_value_neuron_check(capsys):
    check = lesson06.check_value_neuron

    def right(xs, ws, b):
        n = b
        for w, x in zip(ws, xs, strict=True):
            n = n + w * x
        return n.tanh()

    def no_tanh(xs, ws, b):
        return sum((w * x for w, x in zip(ws, xs, strict=True)), b)

    def through_data(xs, ws, b):
        return Value(math.tanh(sum(w.data * x.data for w, x in zip(ws, xs, strict=True)) + b.data))

    assert _verdict(capsys, check, right).startswith("✓")
    assert "forgot the activation" in _verdict(capsys, check, no_tanh)
    assert "not from their .data" in _verdict(capsys, check, through_data)
    assert "not .data" in _verdict(capsys, check, lambda xs, ws, b: right(xs, ws, b).data)
    assert "forgot the bias" in _verdict(capsys, check, lambda xs, ws, b: right(xs, ws, 0.0))
    assert "not written yet" in _verdict(capsys, check, _not_written)


def test_check_all_counts_the_lesson(capsys):
    lesson06.check_dense_backward(lambda X, W, dY: (X.T @ dY, dY.sum(0), dY @ W.T))
    capsys.readouterr()
    lesson06.check_all("06")
    out = capsys.readouterr().out
    assert out.startswith("Lesson 06:") and "✓ Exercise 2: dense_backward" in out

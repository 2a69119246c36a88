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
from nnlib.explore.layers import xor_data
from nnlib.layers import Dense, ReLU, Sequential
from nnlib.losses import mse, mse_grad
from nnlib.plots import fig_to_png


def _expression():
    q, r, s, u = Value(2.0, label="q"), Value(-3.0, label="r"), Value(10.0, label="s"), \
        Value(-2.0, label="u")
    g = q * r
    k = g + s
    L = k * u
    return q, r, s, u, g, k, L


# --- the maths of the lesson -------------------------------------------------------------

def test_hand_backprop_matches_value_backward():
    q, r, s, u, g, k, L = _expression()
    L.backward()
    assert (q.grad, r.grad, s.grad, u.grad) == (6.0, -4.0, -2.0, 4.0)
    assert (g.grad, k.grad, L.grad) == (-2.0, -2.0, 1.0)


def test_a_value_used_twice_collects_both_gradients():
    x = Value(3.0)
    k = x + x
    k.backward()
    assert x.grad == 2.0


def test_backward_twice_doubles_leaves_and_recomputes_computed_values():
    x = Value(2.0)
    g = x * x
    L = g * 3
    L.backward()
    assert (x.grad, g.grad) == (12.0, 3.0)
    L.backward()
    assert (x.grad, g.grad, L.grad) == (24.0, 3.0, 1.0)
    L.zero_grad()
    L.backward()
    assert (x.grad, g.grad) == (12.0, 3.0)


def test_sum_over_paths_and_topological_order():
    def build():
        q, r = Value(2.0), Value(3.0)
        g = q * r
        k = g + q
        L = k * g
        return q, L, k, g

    q, L, k, g = build()
    L.backward()
    assert q.grad == 24 + 18 + 6 == 48.0     # the three paths of the lesson's table
    for order, want in (("Lkg", 48.0), ("Lgk", 30.0)):
        q, L, k, g = build()
        nodes = {"L": L, "k": k, "g": g}
        L.grad = 1.0
        for name in order:
            nodes[name]._backward()
        assert q.grad == want


def test_tanh_neuron_gradients():
    x1, x2, w1, w2 = Value(2.0), Value(0.0), Value(-3.0), Value(1.0)
    b = Value(6.8813735870195432)
    o = (x1 * w1 + x2 * w2 + b).tanh()
    o.backward()
    assert o.data == pytest.approx(math.sqrt(0.5))
    assert (x1.grad, w1.grad, x2.grad, w2.grad, b.grad) == pytest.approx((-1.5, 1.0, 0.5, 0.0, 0.5))


def _xor_setup():
    X, Y = xor_data()

    def unpack(p):
        return p[0:8].reshape(2, 4), p[8:12], p[12:16].reshape(4, 1), p[16:17]

    def loss_of(p):
        W1, b1, W2, b2 = unpack(p)
        return np.mean((np.maximum(X @ W1 + b1, 0) @ W2 + b2 - Y) ** 2)

    def backprop(p):
        W1, b1, W2, b2 = unpack(p)
        Z1 = X @ W1 + b1
        A1 = np.maximum(Z1, 0)
        dZ2 = 2 * (A1 @ W2 + b2 - Y) / len(X)
        dZ1 = (dZ2 @ W2.T) * (Z1 > 0)
        return np.concatenate([(X.T @ dZ1).ravel(), dZ1.sum(0), (A1.T @ dZ2).ravel(), dZ2.sum(0)])

    return X, Y, unpack, loss_of, backprop


def test_two_layer_backward_pass_of_the_lesson_matches_finite_differences_and_lesson_05():
    X, Y, unpack, loss_of, backprop = _xor_setup()
    p = np.random.default_rng(1).normal(size=17)
    assert gradcheck(loss_of, backprop(p), p).ok
    p_bp, p_num = p.copy(), p.copy()
    for _ in range(300):
        p_bp = p_bp - 0.1 * backprop(p_bp)
        p_num = p_num - 0.1 * numerical_gradient(loss_of, p_num)
    assert f"{loss_of(p_bp):.2g}" == f"{loss_of(p_num):.2g}"   # the lesson's "same losses"
    assert loss_of(p_bp) < 1e-4


def test_batch_gradient_is_the_average_of_per_example_gradients():
    X, Y, unpack, _, _ = _xor_setup()
    W1, b1, W2, b2 = unpack(np.random.default_rng(1).normal(size=17))
    A1 = np.maximum(X @ W1 + b1, 0)
    Y_hat = A1 @ W2 + b2
    dW2 = A1.T @ (2 * (Y_hat - Y) / len(X))
    per = [A1[i:i + 1].T @ (2 * (Y_hat[i:i + 1] - Y[i:i + 1])) for i in range(len(X))]
    np.testing.assert_allclose(dW2, np.mean(per, axis=0))


def test_layers_overwrite_their_gradients():
    rng = np.random.default_rng(2)
    net = Sequential(Dense(3, 4, rng=rng, dtype=np.float64), ReLU(),
                     Dense(4, 1, rng=rng, dtype=np.float64))
    X, y = rng.normal(size=(8, 3)), rng.normal(size=(8, 1))
    net.backward(mse_grad(net.forward(X), y))
    first = [g.copy() for _, g in net.parameters()]
    net.backward(mse_grad(net.forward(X), y))
    for (_, g), g0 in zip(net.parameters(), first, strict=True):
        np.testing.assert_array_equal(g, g0)


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
    q, r, s, u, g, k, L = _expression()
    pos = B.graph_layout(L)
    x = {name: pos[id(v)][0] for name, v in zip("qrsugkL", (q, r, s, u, g, k, L), strict=True)}
    assert x["q"] == x["r"] < x["g"] < x["k"] < x["L"]
    assert x["u"] < x["L"] and x["s"] < x["k"]
    positions = list(pos.values())
    assert len(set(positions)) == len(positions)  # no two boxes on top of each other


def test_draw_graph_shows_data_and_grad():
    q, r, s, u, g, k, L = _expression()
    L.backward()
    fig = B.draw_graph(L)
    assert isinstance(fig, Figure)
    texts = [t.get_text() for t in fig.axes[0].texts]
    assert "q\ndata 2\ngrad 6" in texts and "data -8\ngrad 1" in texts
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
    assert f"backprop $\\partial L/\\partial w$ = {g:+.4f}" in title
    assert f"numerical slope = {g:+.4f}" in title
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


# --- exercise checks: right answers, stubs, and one wrong-answer case per typical slip ---------

def backprop_by_hand(q, r, s, u):
    return u * r, u * q, u, q * r + s


def predict_repeated_backward():
    return 111.0, 12.0


def two_layer_backward(X, Y, W1, b1, W2, b2):
    n = X.shape[0]
    A1 = np.tanh(X @ W1 + b1)
    dZ2 = 2 * (A1 @ W2 + b2 - Y) / n
    dZ1 = (dZ2 @ W2.T) * (1 - A1 ** 2)
    return X.T @ dZ1, dZ1.sum(axis=0), A1.T @ dZ2, dZ2.sum(axis=0)


RIGHT = {"backprop_by_hand": backprop_by_hand,
         "predict_repeated_backward": predict_repeated_backward,
         "two_layer_backward": two_layer_backward}


@pytest.mark.parametrize("name", list(RIGHT))
def test_right_answer_passes(capsys, name):
    out = _verdict(capsys, getattr(lesson06, f"check_{name}"), RIGHT[name])
    assert out.startswith("✓"), out


@pytest.mark.parametrize("name", list(RIGHT))
def test_stub_says_not_written_yet(capsys, name):
    out = _verdict(capsys, getattr(lesson06, f"check_{name}"), _not_written)
    assert out.startswith("✗") and "not written yet" in out, out


def test_the_check_agrees_with_finite_differences():
    """The check's closed-form gradients are the maths: confirm them numerically."""
    case = lesson06._net_case()
    X, Y, W1, b1, W2, b2 = case
    grads = lesson06._grads(*case)
    params = [W1, b1, W2, b2]
    for i, (param, grad) in enumerate(zip(params, grads, strict=True)):
        def f(values, i=i):
            ps = [p.copy() for p in params]
            ps[i] = values
            return lesson06._mse(X, Y, *ps)
        assert gradcheck(f, grad, param).ok


def _wrong(capsys, name, fn, *words):
    out = _verdict(capsys, getattr(lesson06, f"check_{name}"), fn)
    assert out.startswith("✗"), out
    for word in words:
        assert word in out, out
    return out


# backprop_by_hand
def test_wrong_answer_hand_swapped(capsys):
    _wrong(capsys, "backprop_by_hand", lambda q, r, s, u: (u * q, u * r, u, q * r + s), "swapped")


def test_wrong_answer_hand_local_slope_only(capsys):
    _wrong(capsys, "backprop_by_hand", lambda q, r, s, u: (r, q, u, q * r + s),
           "forgot to multiply")


def test_wrong_answer_hand_ds_is_one(capsys):
    _wrong(capsys, "backprop_by_hand", lambda q, r, s, u: (u * r, u * q, 1.0, q * r + s),
           "∂L/∂k = u")


def test_wrong_answer_hand_du_without_s(capsys):
    _wrong(capsys, "backprop_by_hand", lambda q, r, s, u: (u * r, u * q, u, q * r), "left out s")


def test_wrong_answer_hand_sign(capsys):
    _wrong(capsys, "backprop_by_hand", lambda q, r, s, u: (-u * r, -u * q, u, q * r + s),
           "wrong sign")


def test_wrong_answer_hand_one_number(capsys):
    _wrong(capsys, "backprop_by_hand", lambda q, r, s, u: u * r, "tuple of 4")


# predict_repeated_backward
def test_wrong_answer_predict_one_call(capsys):
    _wrong(capsys, "predict_repeated_backward", lambda: (37.0, 12.0), "leaf adds")


def test_wrong_answer_predict_everything_accumulates(capsys):
    _wrong(capsys, "predict_repeated_backward", lambda: (111.0, 36.0), "not a leaf")


def test_wrong_answer_predict_missing_direct_path(capsys):
    _wrong(capsys, "predict_repeated_backward", lambda: (108.0, 12.0), "two paths")


def test_wrong_answer_predict_square_slope(capsys):
    _wrong(capsys, "predict_repeated_backward", lambda: (57.0, 6.0), "2g, not g")


def test_wrong_answer_predict_two_calls(capsys):
    _wrong(capsys, "predict_repeated_backward", lambda: (74.0, 12.0), "three times")


def test_wrong_answer_predict_text(capsys):
    _wrong(capsys, "predict_repeated_backward", lambda: "111, 12", "remove the quotes")


# two_layer_backward
def _variant(*, scale=None, sign=1.0, deriv="tanh", db_mean=False, extra_n=False):
    def f(X, Y, W1, b1, W2, b2):
        n = X.shape[0]
        Z1 = X @ W1 + b1
        A1 = np.tanh(Z1)
        Y_hat = A1 @ W2 + b2
        factor = scale(n) if callable(scale) else scale
        dZ2 = sign * 2 * (Y_hat - Y) / n if scale is None else factor * (Y_hat - Y)
        local = {"tanh": 1 - A1 ** 2, "relu": Z1 > 0, "none": 1.0, "A1": A1,
                 "1-A1": 1 - A1}[deriv]
        dZ1 = (dZ2 @ W2.T) * local
        dW1, db1, dW2, db2 = X.T @ dZ1, dZ1.sum(axis=0), A1.T @ dZ2, dZ2.sum(axis=0)
        if db_mean:
            db1, db2 = dZ1.mean(axis=0), dZ2.mean(axis=0)
        if extra_n:
            dW1, db1, dW2, db2 = dW1 / n, db1 / n, dW2 / n, db2 / n
        return dW1, db1, dW2, db2
    return f


def test_wrong_answer_net_forgot_one_over_n(capsys):
    _wrong(capsys, "two_layer_backward", _variant(scale=2.0), "6× too large", "mean")


def test_wrong_answer_net_forgot_the_two(capsys):
    _wrong(capsys, "two_layer_backward", _variant(scale=lambda n: 1.0 / n), "2× too small")


def test_wrong_answer_net_sign(capsys):
    _wrong(capsys, "two_layer_backward", _variant(sign=-1.0), "sign flipped")


def test_wrong_answer_net_divided_by_n_twice(capsys):
    _wrong(capsys, "two_layer_backward", _variant(extra_n=True), "divided by n twice")


def test_wrong_answer_net_db_mean(capsys):
    _wrong(capsys, "two_layer_backward", _variant(db_mean=True), "sum dZ over the rows")


def test_wrong_answer_net_relu_mask_for_tanh(capsys):
    _wrong(capsys, "two_layer_backward", _variant(deriv="relu"), "ReLU mask")


def test_wrong_answer_net_no_activation_slope(capsys):
    _wrong(capsys, "two_layer_backward", _variant(deriv="none"), "miss the activation's slope")


def test_wrong_answer_net_tanh_instead_of_its_derivative(capsys):
    _wrong(capsys, "two_layer_backward", _variant(deriv="A1"), "1 − A1²")


def test_wrong_answer_net_missing_square(capsys):
    _wrong(capsys, "two_layer_backward", _variant(deriv="1-A1"), "with a square")


def test_wrong_answer_net_no_transpose_on_w2(capsys):
    def f(X, Y, W1, b1, W2, b2):
        n = X.shape[0]
        A1 = np.tanh(X @ W1 + b1)
        dZ2 = 2 * (A1 @ W2 + b2 - Y) / n
        dZ1 = (dZ2 @ W2) * (1 - A1 ** 2)
        return X.T @ dZ1, dZ1.sum(axis=0), A1.T @ dZ2, dZ2.sum(axis=0)
    _wrong(capsys, "two_layer_backward", f, "`dZ2 @ W2`", "(6, 1) @ (4, 1)")


def test_wrong_answer_net_returns_dz_not_dw(capsys):
    def f(X, Y, W1, b1, W2, b2):
        n = X.shape[0]
        A1 = np.tanh(X @ W1 + b1)
        dZ2 = 2 * (A1 @ W2 + b2 - Y) / n
        dZ1 = (dZ2 @ W2.T) * (1 - A1 ** 2)
        return dZ1, dZ1.sum(axis=0), dZ2, dZ2.sum(axis=0)
    _wrong(capsys, "two_layer_backward", f, "you returned dZ")


def test_wrong_answer_net_db_not_summed(capsys):
    def f(X, Y, W1, b1, W2, b2):
        dW1, _, dW2, _ = two_layer_backward(X, Y, W1, b1, W2, b2)
        n = X.shape[0]
        A1 = np.tanh(X @ W1 + b1)
        dZ2 = 2 * (A1 @ W2 + b2 - Y) / n
        dZ1 = (dZ2 @ W2.T) * (1 - A1 ** 2)
        return dW1, dZ1, dW2, dZ2
    _wrong(capsys, "two_layer_backward", f, "one row per sample", "axis=0")


def test_wrong_answer_net_layers_in_wrong_order(capsys):
    def f(X, Y, W1, b1, W2, b2):
        dW1, db1, dW2, db2 = two_layer_backward(X, Y, W1, b1, W2, b2)
        return dW2, db2, dW1, db1
    _wrong(capsys, "two_layer_backward", f, "(dW2, db2, dW1, db1)")


def test_wrong_answer_net_x_instead_of_a1_for_dw2(capsys):
    def f(X, Y, W1, b1, W2, b2):
        n = X.shape[0]
        A1 = np.tanh(X @ W1 + b1)
        dZ2 = 2 * (A1 @ W2 + b2 - Y) / n
        dZ1 = (dZ2 @ W2.T) * (1 - A1 ** 2)
        Z1 = X @ W1 + b1
        return X.T @ dZ1, dZ1.sum(axis=0), Z1.T @ dZ2, dZ2.sum(axis=0)
    _wrong(capsys, "two_layer_backward", f, "A1 = tanh(X W1 + b1)")


def test_wrong_answer_net_uses_a_global(capsys):
    """A function that reads fixed arrays from outside instead of its arguments: right on the
    first case by construction, but training with it cannot lower the loss."""
    case = lesson06._net_case()
    fixed = two_layer_backward(*case)

    def f(X, Y, W1, b1, W2, b2):
        return fixed
    _wrong(capsys, "two_layer_backward", f, "use its arguments")


def test_check_all_counts_the_lesson(capsys):
    lesson06.check_predict_repeated_backward(predict_repeated_backward)
    capsys.readouterr()
    lesson06.check_all("06")
    out = capsys.readouterr().out
    assert out.startswith("Lesson 06:") and "✓ Exercise 2: predict_repeated_backward" in out


n = 4   # a notebook-level variable that a learner's function might use by mistake


def test_wrong_answer_net_global_n(capsys):
    def f(X, Y, W1, b1, W2, b2):
        A1 = np.tanh(X @ W1 + b1)
        dZ2 = 2 * (A1 @ W2 + b2 - Y) / n          # the notebook's n, not X's
        dZ1 = (dZ2 @ W2.T) * (1 - A1 ** 2)
        return X.T @ dZ1, dZ1.sum(axis=0), A1.T @ dZ2, dZ2.sum(axis=0)
    _wrong(capsys, "two_layer_backward", f, "divides by n = 4", "rows of the argument X")


def test_wrong_answer_net_db_keepdims_row(capsys):
    def f(X, Y, W1, b1, W2, b2):
        n = X.shape[0]
        A1 = np.tanh(X @ W1 + b1)
        dZ2 = 2 * (A1 @ W2 + b2 - Y) / n
        dZ1 = (dZ2 @ W2.T) * (1 - A1 ** 2)
        return X.T @ dZ1, dZ1.sum(axis=0, keepdims=True), A1.T @ dZ2, dZ2.sum(axis=0)
    _wrong(capsys, "two_layer_backward", f, "a row where a flat array", "keepdims")


def test_wrong_answer_net_db2_averaged(capsys):
    def f(X, Y, W1, b1, W2, b2):
        n = X.shape[0]
        A1 = np.tanh(X @ W1 + b1)
        dZ2 = 2 * (A1 @ W2 + b2 - Y) / n
        dZ1 = (dZ2 @ W2.T) * (1 - A1 ** 2)
        return X.T @ dZ1, dZ1.sum(axis=0), A1.T @ dZ2, dZ2.mean(axis=0)
    out = _wrong(capsys, "two_layer_backward", f, "db2 is n = ", "too small",
                 "never divide by n again")
    assert "dW2" not in out


def test_wrong_answer_net_dw2_divided_by_n_twice(capsys):
    def f(X, Y, W1, b1, W2, b2):
        n = X.shape[0]
        A1 = np.tanh(X @ W1 + b1)
        dZ2 = 2 * (A1 @ W2 + b2 - Y) / n
        dZ1 = (dZ2 @ W2.T) * (1 - A1 ** 2)
        return X.T @ dZ1, dZ1.sum(axis=0), A1.T @ dZ2 / n, dZ2.sum(axis=0)
    _wrong(capsys, "two_layer_backward", f, "dW2 is n = ", "too small")


# --- issue 20 -----------------------------------------------------------------------------------

def test_backprop_by_hand_accepts_an_array(capsys):
    """Issue 20: a NumPy array was refused here while a list passed: one type policy."""
    out = _verdict(capsys, lesson06.check_backprop_by_hand,
                   lambda q, r, s, u: np.array([u * r, u * q, u, q * r + s]))
    assert out.startswith("✓"), out


def test_backprop_by_hand_rounded_results_are_caught(capsys):
    """Non-integer points: round() no longer passes, and the slip is named."""
    out = _verdict(capsys, lesson06.check_backprop_by_hand,
                   lambda q, r, s, u: (round(u * r), round(u * q), round(u), round(q * r + s)))
    assert out.startswith("✗") and "rounded to whole numbers" in out, out


def test_two_layer_backward_that_updates_the_callers_weights(capsys):
    """Issue 20: right gradients, but the caller's weights were changed too."""
    def f(X, Y, W1, b1, W2, b2):
        grads = two_layer_backward(X, Y, W1, b1, W2, b2)
        W1 -= 0.1 * grads[0]
        return grads
    out = _verdict(capsys, lesson06.check_two_layer_backward, f)
    assert out.startswith("✗") and "changed the caller's `W1`" in out, out


def test_two_layer_backward_precedence_is_named_only_when_the_brackets_fix_it(capsys):
    def f(X, Y, W1, b1, W2, b2):
        n = X.shape[0]
        A1 = np.tanh(X @ W1 + b1)
        dZ2 = 2 * (A1 @ W2 + b2 - Y) / n
        dW1 = X.T @ dZ2 @ W2.T * (1 - A1 ** 2)
        return dW1, (dZ2 @ W2.T * (1 - A1 ** 2)).sum(axis=0), A1.T @ dZ2, dZ2.sum(axis=0)
    import inspect  # the check reads the source, as in a notebook
    assert inspect.getsource(f)
    out = _verdict(capsys, lesson06.check_two_layer_backward, f)
    assert out.startswith("✗") and "operator precedence" in out \
        and "X.T @ (dZ2 @ W2.T * (1 - A1 ** 2))" in out, out

"""Lesson 05: layers, XOR, the network diagram, the ReLU-sum explorer and the exercise checks."""

from __future__ import annotations

import numpy as np
import pytest
from _helpers import not_written as _not_written
from _helpers import verdict as _verdict
from matplotlib.figure import Figure

from nnlib.calculus import numerical_gradient
from nnlib.checks import lesson05
from nnlib.explore import layers as L
from nnlib.layers import MLP, Dense, ReLU, Sequential
from nnlib.plots import fig_to_png

X1 = np.array([1.0, 2.0, 3.0, 2.5])
W = np.array([[0.2, 0.5, -0.26], [0.8, -0.91, -0.27], [-0.5, 0.26, 0.17], [1.0, -0.5, 0.87]])
B = np.array([2.0, 3.0, 0.5])


# --- the maths of the lesson -------------------------------------------------------------

def test_hand_example_matches_the_lesson():
    np.testing.assert_allclose(X1 @ W + B, [4.8, 1.21, 2.385])
    np.testing.assert_allclose(W.T @ X1 + B, X1 @ W + B)   # the textbook form is the transpose
    batch = np.array([X1, X1])
    np.testing.assert_allclose(batch @ W + B, [[4.8, 1.21, 2.385]] * 2)


def test_dense_stores_w_as_n_in_by_n_out():
    layer = Dense(4, 3, dtype=np.float64)
    assert layer.W.shape == (4, 3)
    layer.W[:], layer.b[:] = W, B
    np.testing.assert_allclose(layer.forward(np.array([X1])), [[4.8, 1.21, 2.385]])


def test_no_line_separates_xor():
    """The lesson's proof, checked on a grid of lines: every line gets at least one point wrong."""
    X, Y = L.xor_data()
    g = np.linspace(-3, 3, 25)
    for w1 in g:
        for w2 in g:
            for b in g:
                pred = (X @ np.array([w1, w2]) + b > 0).astype(float)
                assert np.sum(pred != Y[:, 0]) >= 1


def test_the_hand_made_xor_network_and_its_hidden_points():
    X, Y = L.xor_data()
    W1, b1 = np.ones((2, 2)), np.array([0.0, -1.0])
    W2, b2 = np.array([[1.0], [-2.0]]), np.array([0.0])
    H = np.maximum(X @ W1 + b1, 0)
    np.testing.assert_allclose(H @ W2 + b2, Y)
    np.testing.assert_allclose(H[1], H[2])   # (0, 1) and (1, 0) land on the same hidden point
    net = Sequential(Dense(2, 2, dtype=np.float64), ReLU(), Dense(2, 1, dtype=np.float64))
    net.layers[0].W[:], net.layers[0].b[:] = W1, b1
    net.layers[2].W[:], net.layers[2].b[:] = W2, b2
    np.testing.assert_allclose(net.forward(X), Y)


def test_numerical_gradient_descent_learns_xor_as_the_lesson_says():
    X, Y = L.xor_data()

    def unpack(p):
        return p[0:8].reshape(2, 4), p[8:12], p[12:16].reshape(4, 1), p[16:17]

    def loss_of(p):
        W1, b1, W2, b2 = unpack(p)
        return np.mean((np.maximum(X @ W1 + b1, 0) @ W2 + b2 - Y) ** 2)

    p = np.random.default_rng(1).normal(size=17)
    for _ in range(300):
        p = p - 0.1 * numerical_gradient(loss_of, p)
    assert loss_of(p) < 1e-4
    net = MLP([2, 4, 1], dtype=np.float64)
    W1, b1, W2, b2 = unpack(p)
    net.layers[0].W[:], net.layers[0].b[:] = W1, b1
    net.layers[2].W[:], net.layers[2].b[:] = W2, b2
    np.testing.assert_allclose(net.forward(X), np.maximum(X @ W1 + b1, 0) @ W2 + b2)
    assert np.allclose(net.forward(X)[:, 0], [0, 1, 1, 0], atol=0.01)


def test_relu_sum_is_the_sum_of_its_units():
    x = np.array([-1.0, -0.5, 0.0, 0.5, 1.0])
    y_hat, parts = L.relu_sum(x, [1.0, -1.0, 1.0], [0.0, 0.0, -0.5], [0.5, 0.5, 1.0])
    np.testing.assert_allclose(parts.sum(axis=1), y_hat)
    np.testing.assert_allclose(y_hat, [0.5, 0.25, 0.0, 0.25, 1.0])
    W1, b1 = np.array([[1.0, -1.0, 1.0]]), np.array([0.0, 0.0, -0.5])
    W2 = np.array([[0.5], [0.5], [1.0]])
    np.testing.assert_allclose(np.maximum(x[:, None] @ W1 + b1, 0) @ W2, y_hat[:, None])


@pytest.mark.parametrize("draw", ["lines", "hidden", "training"])
def test_xor_figures_render_with_colour_bars(draw):
    W1, b1, W2, b2 = np.ones((2, 2)), np.array([0.0, -1.0]), np.array([[1.0], [-2.0]]), [0.0]
    if draw == "lines":
        fig = L.draw_xor_lines([(1, 1, -0.5), (-1, -1, 1.5), (1, -1, -0.5)])
        assert all("1 of 4 on the wrong side" in ax.get_title() for ax in fig.axes)
    elif draw == "hidden":
        fig = L.draw_xor_hidden(W1, b1, W2, b2)
        assert len(fig.axes) == 3   # two panels and a colour bar
    else:
        fig = L.draw_xor_training([1.0, 0.1, 0.001],
                                  lambda X: np.maximum(X @ W1 + b1, 0) @ W2 + b2)
        assert len(fig.axes) == 3
    assert fig_to_png(fig).startswith(b"\x89PNG")


# --- draw_network ---------------------------------------------------------------------------

def _diagram(weights, biases=None, **kw):
    fig = Figure()
    ax = fig.add_subplot()
    return fig, L.draw_network(ax, weights, biases, **kw)


def test_edge_widths_grow_with_the_size_of_the_weight():
    w = np.array([[0.0, 0.3, -0.6, 1.2, -2.0, 2.9]])
    _, diagram = _diagram([w], wmax=3.0)
    widths = np.asarray(diagram.edges.get_linewidths())
    order = np.argsort(np.abs(w.ravel()))
    assert np.all(np.diff(widths[order]) > 0), widths
    assert widths[0] == pytest.approx(L.MIN_LW)
    # |w| beyond wmax is drawn at full width, not wider
    assert L.edge_widths([10.0], 3.0)[0] == pytest.approx(L.MAX_LW)


def test_edge_colour_shows_the_sign():
    _, diagram = _diagram([np.array([[2.0, -2.0]])])
    (r_pos, _, b_pos, _), (r_neg, _, b_neg, _) = diagram.edges.get_colors()
    assert r_pos > b_pos  # positive: red
    assert b_neg > r_neg  # negative: blue


def test_edges_follow_nnlib_orientation():
    W = np.arange(6, dtype=float).reshape(2, 3)  # 2 inputs, 3 outputs
    _, diagram = _diagram([W], wmax=5.0)
    segments = diagram.edges.get_segments()
    assert len(segments) == 6
    # W[0, 2] joins input node 0 (top of column 0) to output node 2 (bottom of column 1)
    (x0, y0), (x1, y1) = segments[2]
    assert (x0, x1) == (0, 1) and y0 > 0 and y1 < 0
    assert diagram.edges.get_linewidths()[5] == pytest.approx(L.MAX_LW)


def test_set_weights_restyles_in_place_and_checks_the_count():
    fig, diagram = _diagram([np.ones((1, 3)), np.ones((3, 1))], [np.zeros(3), np.zeros(1)],
                            wmax=3.0, show_values=True)
    before = np.array(diagram.edges.get_linewidths())
    diagram.set_weights([np.full((1, 3), 3.0), np.zeros((3, 1))], [np.ones(3), np.zeros(1)])
    after = np.array(diagram.edges.get_linewidths())
    assert np.all(after[:3] > before[:3]) and np.all(after[3:] < before[3:])
    assert [t.get_text() for t in diagram.weight_texts][:2] == ["3.00", "3.00"]
    assert diagram.bias_texts[0].get_text() == "b=1.00"
    with pytest.raises(ValueError, match="expected 6 weights"):
        diagram.set_weights([np.ones((2, 2))])
    assert fig_to_png(fig).startswith(b"\x89PNG")


def test_draw_network_names_a_shape_mismatch():
    with pytest.raises(ValueError, match=r"shape \(4, 2\).*3 nodes"):
        _diagram([np.ones((2, 3)), np.ones((4, 2))])


# --- the explorer ---------------------------------------------------------------------------

def test_render_relu_sum_states_the_mse():
    fig = L.render_relu_sum(w1=1.0, w2=-1.0, w3=1.0, b1=0.0, b2=0.0, b3=-0.5,
                            v1=0.5, v2=0.5, v3=0.0)
    assert isinstance(fig, Figure)
    x, y = L.quadratic_target()
    mse = np.mean((0.5 * np.abs(x) - y) ** 2)
    title = fig.axes[0].get_title()
    assert f"MSE = {mse:.4f}" in title
    assert fig.axes[0].get_xlabel() and fig.axes[0].get_ylabel()
    assert fig_to_png(fig).startswith(b"\x89PNG")


def test_draw_network_colour_bar():
    fig = Figure()
    ax = fig.add_subplot()
    L.draw_network(ax, [np.ones((2, 3))], colorbar=True)
    assert len(fig.axes) == 2


# --- exercise checks: right answers, stubs, and one wrong-answer case per typical slip ---------

def mlp_forward(X, params):
    A = X
    for k, (W_, b_) in enumerate(params):
        A = A @ W_ + b_
        if k < len(params) - 1:
            A = np.maximum(A, 0)
    return A


def count_parameters(sizes):
    return sum(a * b + b for a, b in zip(sizes[:-1], sizes[1:], strict=False))


def collapse_linear(W1, b1, W2, b2):
    return W1 @ W2, b1 @ W2 + b2


def xnor_weights():
    return (np.ones((2, 2)), np.array([0.0, -1.0]), np.array([[-1.0], [2.0]]), np.array([1.0]))


RIGHT = {"mlp_forward": mlp_forward, "count_parameters": count_parameters,
         "collapse_linear": collapse_linear, "xnor_weights": xnor_weights}


@pytest.mark.parametrize("name", list(RIGHT))
def test_right_answer_passes(capsys, name):
    out = _verdict(capsys, getattr(lesson05, f"check_{name}"), RIGHT[name])
    assert out.startswith("✓"), out


@pytest.mark.parametrize("name", list(RIGHT))
def test_stub_says_not_written_yet(capsys, name):
    out = _verdict(capsys, getattr(lesson05, f"check_{name}"), _not_written)
    assert out.startswith("✗") and "not written yet" in out, out


def _wrong(capsys, name, fn, *words):
    out = _verdict(capsys, getattr(lesson05, f"check_{name}"), fn)
    assert out.startswith("✗"), out
    for word in words:
        assert word in out, out
    return out


# mlp_forward
def test_wrong_answer_mlp_relu_after_last_layer(capsys):
    def f(X, params):
        A = X
        for W_, b_ in params:
            A = np.maximum(A @ W_ + b_, 0)
        return A
    _wrong(capsys, "mlp_forward", f, "after the last layer")


def test_wrong_answer_mlp_no_relu(capsys):
    def f(X, params):
        A = X
        for W_, b_ in params:
            A = A @ W_ + b_
        return A
    _wrong(capsys, "mlp_forward", f, "no ReLU between")


def test_wrong_answer_mlp_return_inside_loop(capsys):
    def f(X, params):
        A = X
        for W_, b_ in params:
            A = np.maximum(A @ W_ + b_, 0)
            return A
    _wrong(capsys, "mlp_forward", f, "`return` inside the loop")


def test_wrong_answer_mlp_off_by_one_drops_last_layer(capsys):
    def f(X, params):
        A = X
        for k in range(len(params) - 1):
            W_, b_ = params[k]
            A = np.maximum(A @ W_ + b_, 0)
        return A
    _wrong(capsys, "mlp_forward", f, "last layer is missing", "off by one")


def test_wrong_answer_mlp_relu_on_input(capsys):
    def f(X, params):
        A = X
        for k, (W_, b_) in enumerate(params):
            if k < len(params):
                A = np.maximum(A, 0)
            A = A @ W_ + b_
        return A
    _wrong(capsys, "mlp_forward", f, "ReLU to the input")


def test_wrong_answer_mlp_transposed_weights(capsys):
    def f(X, params):
        A = X
        for k, (W_, b_) in enumerate(params):
            A = A @ W_.T + b_
            if k < len(params) - 1:
                A = np.maximum(A, 0)
        return A
    _wrong(capsys, "mlp_forward", f, "(5, 3) @ (4, 3)")


def test_wrong_answer_mlp_python_max(capsys):
    def f(X, params):
        A = X
        for k, (W_, b_) in enumerate(params):
            A = A @ W_ + b_
            if k < len(params) - 1:
                A = max(A, 0)
        return A
    _wrong(capsys, "mlp_forward", f, "np.maximum")


# count_parameters
def _pairs(sizes):
    return list(zip(sizes[:-1], sizes[1:], strict=False))


def test_wrong_answer_count_weights_only(capsys):
    _wrong(capsys, "count_parameters",
           lambda sizes: sum(a * b for a, b in _pairs(sizes)), "only the weights")


def test_wrong_answer_count_biases_for_inputs(capsys):
    _wrong(capsys, "count_parameters", lambda sizes: count_parameters(sizes) + sizes[0],
           "input layer biases")


def test_wrong_answer_count_n_in_biases(capsys):
    _wrong(capsys, "count_parameters",
           lambda sizes: sum(a * b + a for a, b in _pairs(sizes)), "not n_in")


def test_wrong_answer_count_one_bias_per_layer(capsys):
    _wrong(capsys, "count_parameters",
           lambda sizes: sum(a * b + 1 for a, b in zip(sizes[:-1], sizes[1:], strict=False)),
           "one bias")


def test_wrong_answer_count_off_by_one_misses_last_layer(capsys):
    def f(sizes):
        total = 0
        for k in range(len(sizes) - 2):
            total += sizes[k] * sizes[k + 1] + sizes[k + 1]
        return total
    _wrong(capsys, "count_parameters", f, "off by one")


def test_wrong_answer_count_skips_last_layer(capsys):
    def f(sizes):
        pairs = list(zip(sizes[:-1], sizes[1:], strict=False))
        if len(pairs) > 1:
            pairs = pairs[:-1]
        return sum(a * b + b for a, b in pairs)
    _wrong(capsys, "count_parameters", f, "left out the last layer")


def test_wrong_answer_count_per_layer_list(capsys):
    _wrong(capsys, "count_parameters",
           lambda sizes: [a * b + b for a, b in _pairs(sizes)], "one number")


# collapse_linear
def test_wrong_answer_collapse_wrong_order(capsys):
    _wrong(capsys, "collapse_linear", lambda W1, b1, W2, b2: (W2 @ W1, b1 @ W2 + b2),
           "wrong order")


def test_wrong_answer_collapse_elementwise_product(capsys):
    _wrong(capsys, "collapse_linear", lambda W1, b1, W2, b2: (W1 * W2, b1 @ W2 + b2),
           "element by element")


def test_wrong_answer_collapse_biases_added(capsys):
    _wrong(capsys, "collapse_linear", lambda W1, b1, W2, b2: (W1 @ W2, b1 + b2),
           "b1 also goes through the second layer")


def test_wrong_answer_collapse_forgot_b1(capsys):
    _wrong(capsys, "collapse_linear", lambda W1, b1, W2, b2: (W1 @ W2, b2), "leaves out b1")


def test_wrong_answer_collapse_forgot_b2(capsys):
    _wrong(capsys, "collapse_linear", lambda W1, b1, W2, b2: (W1 @ W2, b1 @ W2), "b2 is missing")


def test_wrong_answer_collapse_sign(capsys):
    _wrong(capsys, "collapse_linear", lambda W1, b1, W2, b2: (W1 @ W2, b1 @ W2 - b2),
           "sign is flipped")


def test_wrong_answer_collapse_swapped_return(capsys):
    _wrong(capsys, "collapse_linear", lambda W1, b1, W2, b2: (b1 @ W2 + b2, W1 @ W2),
           "returned (b, W)")


# xnor_weights
def test_wrong_answer_xnor_is_xor(capsys):
    _wrong(capsys, "xnor_weights",
           lambda: (np.ones((2, 2)), np.array([0.0, -1.0]), np.array([[1.0], [-2.0]]),
                    np.array([0.0])), "computes XOR")


def test_wrong_answer_xnor_w2_transposed(capsys):
    _wrong(capsys, "xnor_weights",
           lambda: (np.ones((2, 2)), np.array([0.0, -1.0]), np.array([[-1.0, 2.0]]),
                    np.array([1.0])), "W2 has shape (1, 2)", "transposed")


def test_wrong_answer_xnor_identical_hidden_units(capsys):
    _wrong(capsys, "xnor_weights",
           lambda: (np.ones((2, 2)), np.zeros(2), np.array([[-1.0], [2.0]]), np.array([1.0])),
           "both hidden units are the same")


def test_wrong_answer_xnor_constant_output(capsys):
    _wrong(capsys, "xnor_weights",
           lambda: (np.zeros((2, 2)), np.zeros(2), np.zeros((2, 1)), np.array([0.5])),
           "on every corner")


def test_wrong_answer_xnor_returns_three_things(capsys):
    _wrong(capsys, "xnor_weights",
           lambda: (np.ones((2, 2)), np.array([0.0, -1.0]), np.array([[-1.0], [2.0]])),
           "four things")


# --- issue 20 -----------------------------------------------------------------------------------

def test_mlp_forward_that_only_works_for_two_layers_or_more(capsys):
    """The first and last layers written out: right for 3 layers, wrong for one."""
    def f(X, params):
        W, b = params[0]
        A = np.maximum(X @ W + b, 0)
        for W, b in params[1:-1]:
            A = np.maximum(A @ W + b, 0)
        W, b = params[-1]
        return A @ W + b
    out = _verdict(capsys, lesson05.check_mlp_forward, f)
    assert out.startswith("✗") and "one layer" in out, out


def test_mlp_forward_that_empties_the_callers_list(capsys):
    def f(X, params):
        A = X
        while len(params) > 1:
            W, b = params.pop(0)
            A = np.maximum(A @ W + b, 0)
        W, b = params.pop(0)
        return A @ W + b
    out = _verdict(capsys, lesson05.check_mlp_forward, f)
    assert out.startswith("✗") and "changed the caller's `params`" in out, out


def test_mlp_forward_np_max_is_named_because_np_maximum_fixes_it(capsys):
    def f(X, params):
        A = X
        for k, (W, b) in enumerate(params):
            A = A @ W + b
            if k < len(params) - 1:
                A = np.max(A, 0)
        return A
    out = _verdict(capsys, lesson05.check_mlp_forward, f)
    assert out.startswith("✗") and "np.maximum" in out, out


def test_xnor_check_claims_only_what_it_measured(capsys):
    """Another right network (|x1 − x2| units): the ✓ gives its outputs, not the XOR recipe
    as if it were the learner's."""
    out = _verdict(capsys, lesson05.check_xnor_weights,
                   lambda: ([[1, -1], [-1, 1]], [0, 0], [[-1], [-1]], 1))
    assert out.startswith("✓") and "Your network gives [1, 0, 0, 1]" in out, out

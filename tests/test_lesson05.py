"""Lesson 05: layers, the network diagram, the sum-of-ReLUs explorer and the exercise checks."""

from __future__ import annotations

import numpy as np
import pytest
from _helpers import not_written as _not_written
from _helpers import verdict as _verdict
from matplotlib.figure import Figure

from nnlib.checks import lesson05
from nnlib.explore import layers as L
from nnlib.layers import Dense
from nnlib.plots import fig_to_png

HAND_INPUTS = [1.0, 2.0, 3.0, 2.5]
HAND_WEIGHTS = np.array([[0.2, 0.8, -0.5, 1.0],
                         [0.5, -0.91, 0.26, -0.5],
                         [-0.26, -0.27, 0.17, 0.87]])
HAND_BIASES = np.array([2.0, 3.0, 0.5])


# --- the maths of the lesson -------------------------------------------------------------

def test_hand_example_matches_the_lesson():
    out = np.dot(HAND_WEIGHTS, HAND_INPUTS) + HAND_BIASES
    np.testing.assert_allclose(out, [4.8, 1.21, 2.385])
    batch = np.array([HAND_INPUTS, HAND_INPUTS])
    np.testing.assert_allclose(np.dot(batch, HAND_WEIGHTS.T) + HAND_BIASES,
                               [[4.8, 1.21, 2.385]] * 2)


def test_dense_stores_the_transpose_of_the_textbook_matrix():
    layer = Dense(4, 3, dtype=np.float64)
    assert layer.W.shape == (4, 3)
    layer.W, layer.b = HAND_WEIGHTS.T.copy(), HAND_BIASES.copy()
    np.testing.assert_allclose(layer.forward(np.array([HAND_INPUTS])), [[4.8, 1.21, 2.385]])


def test_relu_sum_is_the_sum_of_its_units():
    x = np.array([-1.0, -0.5, 0.0, 0.5, 1.0])
    y_hat, parts = L.relu_sum(x, [1.0, -1.0, 1.0], [0.0, 0.0, -0.5], [0.5, 0.5, 1.0])
    np.testing.assert_allclose(parts.sum(axis=1), y_hat)
    np.testing.assert_allclose(y_hat, [0.5, 0.25, 0.0, 0.25, 1.0])
    # the same network through nnlib's layers
    W1, b1 = np.array([[1.0, -1.0, 1.0]]), np.array([0.0, 0.0, -0.5])
    W2 = np.array([[0.5], [0.5], [1.0]])
    np.testing.assert_allclose(np.maximum(x[:, None] @ W1 + b1, 0) @ W2, y_hat[:, None])


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


def test_render_relu_sum_diagram_reflects_the_sliders():
    heavy = L.ReluSumScene()
    heavy.build()
    heavy.update(v3=-2.0, w3=3.0)
    widths = heavy.diagram.edges.get_linewidths()
    # edge order: x→h1, x→h2, x→h3, h1→ŷ, h2→ŷ, h3→ŷ
    assert widths[2] == pytest.approx(L.MAX_LW) and widths[5] > widths[3]
    r, _, b, _ = heavy.diagram.edges.get_colors()[5]
    assert b > r


def test_every_control_changes_the_picture():
    explorer = L.explore_relu_sum()
    assert explorer.error is None
    for name, slider in explorer.controls.items():
        # from either end (v = 0 included), every slider must still show on the picture
        for start in (slider.min, slider.max):
            slider.value = start
            before = explorer.image.value
            slider.value = (slider.min + slider.max) / 2 + slider.step
            assert explorer.error is None, explorer.error
            assert explorer.image.value != before, name


def test_controls_have_readable_ranges():
    explorer = L.explore_relu_sum()
    assert set(explorer.controls) == {f"{p}{k}" for p in "wbv" for k in (1, 2, 3)}
    for slider in explorer.controls.values():
        assert slider.min < slider.value < slider.max and slider.description
    assert L.EXPLORERS == [L.explore_relu_sum]


# --- the checks -------------------------------------------------------------------------------


def test_layer_forward_check(capsys):
    check = lesson05.check_layer_forward
    assert _verdict(capsys, check, lambda X, W, b: X @ W + b).startswith("✓")
    assert "not written yet" in _verdict(capsys, check, _not_written)
    assert "returned None" in _verdict(capsys, check, lambda X, W, b: None)
    out = _verdict(capsys, check, lambda X, W, b: W @ X + b)
    assert out.startswith("✗") and "X (4, 3), W (3, 2)" in out
    assert "W.T" in _verdict(capsys, check, lambda X, W, b: X @ W.T + b)
    assert "forgot the bias" in _verdict(capsys, check, lambda X, W, b: X @ W)
    assert "transposed" in _verdict(capsys, check, lambda X, W, b: (X @ W + b).T)
    assert "ReLU" in _verdict(capsys, check, lambda X, W, b: np.maximum(X @ W + b, 0))


def test_count_parameters_check(capsys):
    check = lesson05.check_count_parameters

    def right(sizes):
        return sum(a * b + b for a, b in zip(sizes[:-1], sizes[1:], strict=True))

    out = _verdict(capsys, check, right)
    assert out.startswith("✓") and "13,002" in out
    assert "only the weights" in _verdict(
        capsys, check, lambda s: sum(a * b for a, b in zip(s[:-1], s[1:], strict=True)))
    assert "input layer" in _verdict(capsys, check, lambda s: right(s) + s[0])
    assert "one number" in _verdict(
        capsys, check, lambda s: [a * b + b for a, b in zip(s[:-1], s[1:], strict=True)])
    assert "not written yet" in _verdict(capsys, check, _not_written)


def test_mlp_forward_check(capsys):
    check = lesson05.check_mlp_forward

    def forward(X, params, relu_last=False, relu=True):
        A = X
        for k, (W, b) in enumerate(params):
            A = A @ W + b
            if relu and (k < len(params) - 1 or relu_last):
                A = np.maximum(A, 0)
        return A

    assert _verdict(capsys, check, forward).startswith("✓")
    assert "after the last layer" in _verdict(
        capsys, check, lambda X, p: forward(X, p, relu_last=True))
    assert "no ReLU" in _verdict(capsys, check, lambda X, p: forward(X, p, relu=False))
    assert "every (W, b)" in _verdict(capsys, check, lambda X, p: forward(X, p[:1]))
    assert "shape error" in _verdict(capsys, check,
                                     lambda X, p: forward(X, [(W.T, b) for W, b in p]))
    assert "returned None" in _verdict(capsys, check, lambda X, p: None)


def test_check_all_counts_the_lesson(capsys):
    lesson05.check_layer_forward(lambda X, W, b: X @ W + b)
    capsys.readouterr()
    lesson05.check_all("05")
    out = capsys.readouterr().out
    assert out.startswith("Lesson 05:") and "✓ Exercise 1: layer_forward" in out

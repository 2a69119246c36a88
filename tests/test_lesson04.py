"""Lesson 04: a single neuron — maths, explorers and exercise checks."""

from __future__ import annotations

import numpy as np
import pytest
from _helpers import not_written, verdict
from matplotlib.figure import Figure
from matplotlib.text import Text

from nnlib.checks import lesson04 as chk
from nnlib.explore import neuron as nr


def texts(fig):
    """All visible text in a figure (titles, banners, annotations)."""
    return [t.get_text() for t in fig.findobj(Text) if t.get_visible() and t.get_text()]


# --- maths ---------------------------------------------------------------------------------

def test_the_worked_example_is_29():
    assert 1 * 3 + 2 * 4 + 3 * 5 + 3 == 29
    assert nr.neuron_output([1, 2, 3], [3, 4, 5], 3, "relu") == pytest.approx(29)
    assert any("= 29" in t for t in texts(nr.perceptron_figure()))


def test_neuron_output_on_a_batch_matches_rows():
    X = np.array([[1.0, 2.0, 3.0], [0.0, 0.0, 0.0], [-1.0, -2.0, -3.0]])
    a = nr.neuron_output(X, [3, 4, 5], 3, "relu")
    np.testing.assert_allclose(a, [29, 3, 0])
    np.testing.assert_allclose(nr.neuron_output(X, [3, 4, 5], 3, "step"), [1, 1, 0])


def test_boundary_line_is_where_z_is_zero():
    fig = nr.render_neuron_plane(w1=1.5, w2=-0.5, b=0.5, activation="step")
    line = next(l for l in fig.axes[0].lines if l.get_label() == "boundary z = 0")
    xs, ys = line.get_data()
    np.testing.assert_allclose(1.5 * np.asarray(xs) - 0.5 * np.asarray(ys) + 0.5, 0, atol=1e-12)


def test_double_relu_is_a_sum_of_hinges():
    x = np.array([-2.0, 0.0, 1.0])
    np.testing.assert_allclose(nr.double_relu(x, -3, 0, 3, 0), 3 * np.abs(x))


def test_relu_sum_errors_stated_in_the_lesson():
    x = np.linspace(-3, 3, 300)
    target = np.sin(2 * x) + 0.3 * x ** 2
    errors = [np.max(np.abs(nr.relu_sum_fit(x, target, k)[0](x) - target)) for k in (2, 5, 20)]
    assert [f"{e:.3f}" for e in errors] == ["1.255", "0.363", "0.030"]


def test_lesson_training_numbers():
    # section 6: lr 0.3, 100 epochs from (0.5, 0.5) ends at w = 1.47, b = -0.45
    x, y = nr.hinge_data()
    run = nr.train_relu_neuron(x, y, 0.3, 100)
    assert f"{run['w']:.2f}" == "1.47" and f"{run['b']:.2f}" == "-0.45"
    # the explorer questions: dies from about 0.8 to the slider's top, 10
    assert nr.train_relu_neuron(x, y, 0.8, 100)["status"][0] == "dead"
    assert nr.train_relu_neuron(x, y, 9.0, 100)["status"][0] == "dead"
    # at 10 the jumps grow 8.68 → −174.5 → 373.1 → −1251.8, then the neuron dies at epoch 5
    run = nr.train_relu_neuron(x, y, 10.0, 100)
    assert run["status"] == ("dead", 5)
    assert [f"{w:.1f}" for w in run["history"][1:5, 0]] == ["8.7", "-174.5", "373.1", "-1251.8"]


def test_training_regimes_named_in_the_explorer_hint():
    # hint: crawls, converges (0.1 to 0.63), wobbles at 0.71, dies (0.79 to 10)
    x, y = nr.hinge_data()
    notches = [10 ** (-3 + 0.05 * k) for k in range(81)]   # the log slider's values
    for lr in notches:
        run = nr.train_relu_neuron(x, y, lr, 100)
        rises = np.any(np.diff(run["losses"]) > 0)
        if lr < 0.65:
            assert run["status"] == "ok" and not rises, lr
        elif lr < 0.75:
            assert run["status"] == "ok" and rises, lr
        else:
            assert run["status"][0] == "dead", lr
    assert nr.train_relu_neuron(x, y, 0.03, 100)["losses"][-1] > 3 * 0.0153   # still crawling
    assert nr.train_relu_neuron(x, y, 0.1, 100)["losses"][-1] < 0.02


def test_the_buggy_two_input_loop_keeps_the_weights_equal():
    # Exercise 4's text: on X2, y2 with lr 0.1 and 200 epochs the bug leaves MSE above 2, w1 == w2
    rng = np.random.default_rng(7)
    X2 = rng.uniform(-2, 2, (40, 2))
    y2 = np.maximum(0, X2 @ np.array([1.0, -2.0]) + 0.5) + rng.normal(0, 0.1, 40)
    w, b = chk._train(X2, y2, 0.1, 200, total=True)
    assert w[0] == w[1] and np.mean((np.maximum(0, X2 @ w + b) - y2) ** 2) > 2
    w, b = chk._train(X2, y2, 0.1, 200)
    assert np.mean((np.maximum(0, X2 @ w + b) - y2) ** 2) < 0.01


def test_plane_has_a_colour_bar_and_no_red_line():
    fig = nr.render_neuron_plane(w1=1.0, w2=-1.0, b=0.5, activation="sigmoid")
    assert len(fig.axes) == 2     # the plane and its colour bar
    line = next(l for l in fig.axes[0].lines if l.get_label() == "boundary z = 0")
    assert line.get_color() != "#D55E00"


def test_relu_sums_approximate_better_with_more_relus():
    x = np.linspace(-3, 3, 300)
    target = np.sin(2 * x) + 0.3 * x ** 2
    errors = [np.max(np.abs(nr.relu_sum_fit(x, target, k)[0](x) - target)) for k in (2, 5, 20)]
    assert errors[0] > errors[1] > errors[2] and errors[2] < 0.05


def test_relu_sum_reproduces_a_piecewise_linear_function_exactly():
    x = np.linspace(-1, 1, 201)
    target = np.abs(x)                  # one corner at 0: a hinge basis with a knot at 0 is exact
    predict, knots = nr.relu_sum_fit(x, target, 1)
    assert knots == pytest.approx([0.0])
    np.testing.assert_allclose(predict(x), target, atol=1e-9)


def test_training_recovers_the_hinge():
    x, y = nr.hinge_data()
    run = nr.train_relu_neuron(x, y, 0.3, 2000)
    assert run["status"] == "ok"
    assert run["w"] == pytest.approx(1.5, abs=0.1) and run["b"] == pytest.approx(-0.5, abs=0.1)
    # at the optimum the gradient vanishes on the active points: least squares on them
    active = run["w"] * x + run["b"] > 0
    A = np.c_[x[active], np.ones(active.sum())]
    w_ls, b_ls = np.linalg.lstsq(A, y[active], rcond=None)[0]
    assert run["w"] == pytest.approx(w_ls, abs=1e-6) and run["b"] == pytest.approx(b_ls, abs=1e-6)


def test_training_fails_in_words():
    x, y = nr.hinge_data()
    assert nr.train_relu_neuron(x, y, 2.0, 100)["status"][0] == "dead"
    assert nr.train_relu_neuron(x, y, 10.0, 100, limit=1e3)["status"] == ("diverged", 4)


# --- explorers -----------------------------------------------------------------------------

@pytest.mark.parametrize("activation", ["step", "relu", "sigmoid"])
@pytest.mark.parametrize("w1,w2,b", [(1.0, 1.0, 0.0), (0.0, 2.0, -1.0), (-2.0, 0.0, 1.0),
                                     (0.0, 0.0, 0.5)])
def test_render_neuron_plane(activation, w1, w2, b):
    fig = nr.render_neuron_plane(w1=w1, w2=w2, b=b, activation=activation)
    assert isinstance(fig, Figure)
    assert any(t.startswith(activation) and "correct" in t for t in texts(fig))


def test_a_good_boundary_separates_most_points():
    fig = nr.render_neuron_plane(w1=1.0, w2=1.0, b=0.0, activation="step")
    title = next(t for t in texts(fig) if "correct" in t)
    correct = int(title.split(": ")[-1].split("/")[0])
    X, y = nr.blob_data()
    assert correct == int(np.sum((X.sum(axis=1) > 0) == (y == 1))) and correct >= 36


@pytest.mark.parametrize("params", [dict(w1=-3, b1=0, w2=3, b2=0),
                                    dict(w1=-10, b1=10, w2=10, b2=-10)])
def test_render_double_relu(params):
    fig = nr.render_double_relu(**params)
    assert any("MSE = " in t for t in texts(fig))


def test_train_neuron_divergence_and_death_are_reported_in_words():
    wild = texts(nr.render_train_neuron(lr=10.0, num_epochs=100))
    assert any(t.startswith("neuron died after 5 steps") for t in wild)
    grows = texts(nr.render_train_neuron(lr=10.0, num_epochs=3))
    assert any("w = 373.066" in t for t in grows)
    dead = texts(nr.render_train_neuron(lr=2.0, num_epochs=100))
    assert any(t.startswith("neuron died after") for t in dead)
    calm = texts(nr.render_train_neuron(lr=0.3, num_epochs=100))
    assert not any("diverged" in t or "died" in t for t in calm)


# tests/test_sweeps.py checks that every control of every explorer changes the picture.


# --- checks: right answers, stubs ------------------------------------------------------------

def _relu(z):
    return np.maximum(0, z)


def _train_good(X, y, lr, num_epochs):
    w, b = np.array([0.5, 0.5]), 0.5
    for _ in range(num_epochs):
        z = X @ w + b
        dz = 2 * (np.maximum(0, z) - y) / len(y) * (z > 0)
        w = w - lr * (X.T @ dz)
        b = b - lr * np.sum(dz)
    return w, b


RIGHT = [
    (chk.check_my_relu, _relu),
    (chk.check_neuron, lambda X, w, b: _relu(X @ w + b)),
    (chk.check_and_gate, lambda: (np.array([1.0, 1.0]), -1.5)),
    (chk.check_train_two_inputs, _train_good),
]


@pytest.mark.parametrize("check,answer", RIGHT, ids=lambda v: getattr(v, "__name__", "x"))
def test_right_answers_pass(capsys, check, answer):
    assert verdict(capsys, check, answer).startswith("✓")


@pytest.mark.parametrize("check", [c for c, _ in RIGHT], ids=lambda c: c.__name__)
def test_stubs_say_not_written_yet(capsys, check):
    line = verdict(capsys, check, not_written)
    assert line.startswith("✗") and "not written yet" in line


def test_neuron_with_unsolved_relu_says_so(capsys):
    def my_relu(z):
        raise NotImplementedError("not written yet")

    def neuron(X, w, b):
        return my_relu(X @ w + b)
    line = verdict(capsys, chk.check_neuron, neuron)
    assert "calls your `my_relu`, which is not written yet" in line


def test_other_answers_that_are_right(capsys):
    assert verdict(capsys, chk.check_my_relu, lambda z: z * (z > 0)).startswith("✓")
    assert verdict(capsys, chk.check_my_relu, lambda z: np.where(z > 0, z, 0.0)).startswith("✓")
    assert verdict(capsys, chk.check_neuron,
                   lambda X, w, b: np.maximum(0, np.dot(X, w) + b)).startswith("✓")
    assert verdict(capsys, chk.check_and_gate, lambda: ([2, 2], -3)).startswith("✓")

    def other_sum(X, y, lr, num_epochs):
        w, b = np.array([0.5, 0.5]), 0.5
        for _ in range(num_epochs):
            z = X @ w + b
            dz = 2 * (np.maximum(0, z) - y) / len(y) * (z > 0)
            w = w - lr * np.sum(X * dz[:, None], axis=0)
            b = b - lr * np.sum(dz)
        return w, b
    assert verdict(capsys, chk.check_train_two_inputs, other_sum).startswith("✓")


def wrong(capsys, check, answer, *phrases):
    line = verdict(capsys, check, answer)
    assert line.startswith("✗"), line
    for phrase in phrases:
        assert phrase in line, line


# --- wrong answers: Exercise 1, relu ------------------------------------------------------------

def test_wrong_answer_relu_python_max(capsys):
    wrong(capsys, chk.check_my_relu, lambda z: max(0, z), "np.maximum")


def test_wrong_answer_relu_np_max(capsys):
    wrong(capsys, chk.check_my_relu, lambda z: np.max(z), "np.max(z) reduces")


def test_wrong_answer_relu_filtered(capsys):
    wrong(capsys, chk.check_my_relu, lambda z: z[z > 0], "filter")


def test_wrong_answer_relu_abs(capsys):
    wrong(capsys, chk.check_my_relu, lambda z: np.abs(z), "negative entries must become 0")


def test_wrong_answer_relu_in_place(capsys):
    def relu(z):
        z[z < 0] = 0
        return z
    wrong(capsys, chk.check_my_relu, relu, "changed the caller's `z`")


def test_wrong_answer_relu_step(capsys):
    wrong(capsys, chk.check_my_relu, lambda z: (z > 0).astype(float), "that is the step")


def test_wrong_answer_relu_clip(capsys):
    wrong(capsys, chk.check_my_relu, lambda z: np.clip(z, 0, 1), "no upper limit")


def test_wrong_answer_relu_list_comprehension_1d_only(capsys):
    wrong(capsys, chk.check_my_relu, lambda z: np.array([max(0.0, v) for v in z]), "np.maximum")


def test_wrong_answer_relu_returns_function(capsys):
    wrong(capsys, chk.check_my_relu, lambda z: np.maximum, "instead of its value")


# --- wrong answers: Exercise 2, neuron ----------------------------------------------------------

def test_wrong_answer_neuron_no_relu(capsys):
    wrong(capsys, chk.check_neuron, lambda X, w, b: X @ w + b, "pre-activation", "apply relu")


def test_wrong_answer_neuron_no_bias(capsys):
    wrong(capsys, chk.check_neuron, lambda X, w, b: _relu(X @ w), "bias is missing")


def test_wrong_answer_neuron_bias_outside(capsys):
    wrong(capsys, chk.check_neuron, lambda X, w, b: _relu(X @ w) + b, "bias goes inside")


def test_wrong_answer_neuron_elementwise(capsys):
    wrong(capsys, chk.check_neuron, lambda X, w, b: _relu(X * w + b), "entry by entry")


def test_wrong_answer_neuron_wrong_order(capsys):
    def neuron(X, w, b):
        return _relu(w @ X + b)
    wrong(capsys, chk.check_neuron, neuron, "(n, k) @ (k, m)")


def test_wrong_answer_neuron_sum_over_samples(capsys):
    wrong(capsys, chk.check_neuron, lambda X, w, b: _relu((X * w).sum(axis=0) + b),
          "down the columns")


def test_wrong_answer_neuron_global_weights(capsys):
    w_global = np.array([3.0, 4.0, 5.0])

    def neuron(X, w, b):
        return _relu(X @ w_global + 1.0)
    wrong(capsys, chk.check_neuron, neuron, "instead of its arguments")


def test_wrong_answer_neuron_minus_bias(capsys):
    wrong(capsys, chk.check_neuron, lambda X, w, b: _relu(X @ w - b), "subtracted")


# --- wrong answers: Exercise 3, and_gate --------------------------------------------------------

def test_wrong_answer_and_gate_or(capsys):
    wrong(capsys, chk.check_and_gate, lambda: ([1.0, 1.0], -0.5), "that is OR")


def test_wrong_answer_and_gate_positive_bias(capsys):
    wrong(capsys, chk.check_and_gate, lambda: ([1.0, 1.0], 0.5), "no input at all")


def test_wrong_answer_and_gate_too_strict(capsys):
    wrong(capsys, chk.check_and_gate, lambda: ([1.0, 1.0], -3.0), "does not fire for (1, 1)")


def test_wrong_answer_and_gate_on_the_threshold(capsys):
    wrong(capsys, chk.check_and_gate, lambda: ([1.0, 1.0], -2.0), "exactly")


def test_wrong_answer_and_gate_one_strong_input(capsys):
    wrong(capsys, chk.check_and_gate, lambda: ([2.0, 0.5], -1.5), "x₁ alone")


def test_wrong_answer_and_gate_one_thing(capsys):
    wrong(capsys, chk.check_and_gate, lambda: 3.0, "return two things")


def test_wrong_answer_and_gate_one_weight(capsys):
    wrong(capsys, chk.check_and_gate, lambda: ([1.0], -1.5), "w has 1 number:")


def test_wrong_answer_and_gate_three_weights(capsys):
    wrong(capsys, chk.check_and_gate, lambda: ([1.0, 1.0, 1.0], -1.5),
          "exactly two, one weight per input")


# --- wrong answers: Exercise 4, train_two_inputs ------------------------------------------------

def _variant(line_dw="X.T @ dz", gate=True, sign=-1, scale="2 / len(y)", epochs_offset=0,
             b_grad="np.sum(dz)"):
    """Build a wrong answer as real code, one slip at a time."""
    src = f"""
def train_two_inputs(X, y, lr, num_epochs):
    w, b = np.array([0.5, 0.5]), 0.5
    for epoch in range(num_epochs + ({epochs_offset})):
        z = X @ w + b
        y_hat = np.maximum(0, z)
        dz = {scale} * (y_hat - y){' * (z > 0)' if gate else ''}
        dw = {line_dw}
        w = w + ({sign}) * lr * dw
        b = b + ({sign}) * lr * {b_grad}
    return w, b
"""
    scope = {"np": np}
    exec(src, scope)
    return scope["train_two_inputs"]


def test_wrong_answer_two_inputs_unfixed(capsys):
    wrong(capsys, chk.check_train_two_inputs, _variant(line_dw="np.sum(X.T * dz)"),
          "same update", "X.T @ dz")


def test_wrong_answer_two_inputs_unfixed_other_spelling(capsys):
    wrong(capsys, chk.check_train_two_inputs, _variant(line_dw="np.sum(X * dz[:, None])"),
          "same update", "X.T @ dz")


def test_wrong_answer_two_inputs_mean_not_sum(capsys):
    wrong(capsys, chk.check_train_two_inputs,
          _variant(line_dw="np.mean(X.T * dz, axis=1)", b_grad="np.mean(dz)"),
          "too small", "np.mean divides by n again")


def test_wrong_answer_two_inputs_mean_for_w_only(capsys):
    wrong(capsys, chk.check_train_two_inputs, _variant(line_dw="X.T @ dz / len(y)"),
          "w's steps are n× too small")


def test_wrong_answer_two_inputs_mean_for_b_only(capsys):
    wrong(capsys, chk.check_train_two_inputs, _variant(b_grad="np.mean(dz)"),
          "b's steps are n× too small")


def test_wrong_answer_two_inputs_no_transpose(capsys):
    wrong(capsys, chk.check_train_two_inputs, _variant(line_dw="X @ dz"), "(n, k) @ (k, m)")


def test_wrong_answer_two_inputs_summed_over_the_inputs(capsys):
    # np.sum(X.T * dz, axis=0) gives one number per sample: the message names the check's data
    wrong(capsys, chk.check_train_two_inputs, _variant(line_dw="np.sum(X.T * dz, axis=0)"),
          "one number per sample", "its own data: X of shape (30, 2)", "X.T @ dz")


def test_wrong_answer_two_inputs_broadcast_product(capsys):
    wrong(capsys, chk.check_train_two_inputs, _variant(line_dw="np.sum(X * dz)"), "shapes")


def test_wrong_answer_two_inputs_no_relu_slope(capsys):
    wrong(capsys, chk.check_train_two_inputs, _variant(gate=False), "𝟙[z > 0] is missing")


def test_wrong_answer_two_inputs_sign(capsys):
    wrong(capsys, chk.check_train_two_inputs, _variant(sign=+1), "sign flipped")


def test_wrong_answer_two_inputs_missing_2(capsys):
    wrong(capsys, chk.check_train_two_inputs, _variant(scale="1 / len(y)"), "has a 2")


def test_wrong_answer_two_inputs_sum_not_mean(capsys):
    wrong(capsys, chk.check_train_two_inputs, _variant(scale="2"), "divide by n")


def test_wrong_answer_two_inputs_off_by_one(capsys):
    wrong(capsys, chk.check_train_two_inputs, _variant(epochs_offset=-1), "one epoch short")


def test_wrong_answer_two_inputs_b_with_dw(capsys):
    wrong(capsys, chk.check_train_two_inputs, _variant(b_grad="np.sum(dw)"),
          "weights' gradient")


def test_wrong_answer_two_inputs_globals(capsys):
    X_glob = np.random.default_rng(0).uniform(-2, 2, (40, 2))
    y_glob = np.maximum(0, X_glob @ np.array([1.0, -2.0]) + 0.5)

    def train_two_inputs(X, y, lr, num_epochs):
        return _train_good(X_glob, y_glob, lr, num_epochs)
    wrong(capsys, chk.check_train_two_inputs, train_two_inputs, "instead of its arguments")


def test_wrong_answer_two_inputs_b_per_sample(capsys):
    wrong(capsys, chk.check_train_two_inputs, _variant(b_grad="dz"), "b is one number")


# --- hint ladder and check_all ------------------------------------------------------------------

def test_every_exercise_has_a_kind_and_two_rungs():
    from nnlib.checks._core import exercises
    records = exercises("04")
    assert [r.name for r in records] == ["my_relu", "neuron", "and_gate", "train_two_inputs"]
    assert sum(r.kind in ("predict", "derive", "debug", "design") for r in records) >= 2
    assert all(r.idea and r.formula for r in records)


def test_check_all_counts(capsys):
    chk.check_my_relu(_relu)
    chk.check_and_gate(lambda: ([1.0, 1.0], 0.5))
    capsys.readouterr()
    chk.check_all("04")
    text = capsys.readouterr().out
    assert "✓ Exercise 1: my_relu" in text and "✗ Exercise 3: and_gate" in text

"""Lesson 04: a single neuron — maths, explorers and exercise checks."""

from __future__ import annotations

import numpy as np
import pytest
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
    assert nr.train_relu_neuron(x, y, 10.0, 100)["status"][0] == "diverged"


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


@pytest.mark.parametrize("params", [dict(m1=-3, b1=0, m2=3, b2=0),
                                    dict(m1=-10, b1=10, m2=10, b2=-10)])
def test_render_double_relu(params):
    fig = nr.render_double_relu(**params)
    assert any("MSE = " in t for t in texts(fig))


def test_train_neuron_divergence_and_death_are_reported_in_words():
    wild = texts(nr.render_train_neuron(lr=10.0, num_epochs=100))
    assert any(t.startswith("diverged after") and "η too large" in t for t in wild)
    dead = texts(nr.render_train_neuron(lr=2.0, num_epochs=100))
    assert any(t.startswith("neuron died after") for t in dead)
    calm = texts(nr.render_train_neuron(lr=0.3, num_epochs=100))
    assert not any("diverged" in t or "died" in t for t in calm)


# tests/test_sweeps.py checks that every control of every explorer changes the picture.


# --- checks --------------------------------------------------------------------------------

def out(capsys):
    return capsys.readouterr().out


def test_check_neuron(capsys):
    chk.check_neuron(lambda x, w, b: np.dot(x, w) + b)
    assert out(capsys).startswith("✓")
    chk.check_neuron(lambda x, w, b: np.dot(x, w))
    assert "forgot the bias" in out(capsys)
    chk.check_neuron(lambda x, w, b: x * w + b)
    assert "add them up" in out(capsys)
    chk.check_neuron(lambda x, w, b: sum(xi * wi for xi, wi in zip(x, w, strict=False)) + b)
    assert "batch" in out(capsys)

    def stub(x, w, b):
        raise NotImplementedError("Exercise 1")
    chk.check_neuron(stub)
    assert "not written yet" in out(capsys)
    chk.check_neuron(lambda x, w, b: None)
    assert "forget `return`" in out(capsys)


def test_check_relu(capsys):
    chk.check_relu(lambda z: np.maximum(0, z))
    assert out(capsys).startswith("✓")
    chk.check_relu(lambda z: z)
    assert "negative values must become 0" in out(capsys)
    chk.check_relu(lambda z: np.abs(z))
    assert "negative values must become 0" in out(capsys)
    chk.check_relu(lambda z: np.max(z))
    assert "np.maximum" in out(capsys)
    chk.check_relu(lambda z: z[z > 0])
    assert "shape" in out(capsys)
    chk.check_relu(lambda z: np.where(z > 0, 1.0, 0.0))
    assert "unchanged" in out(capsys)


def test_check_double_relu(capsys):
    def relu(z):
        return np.maximum(0, z)

    chk.check_double_relu(lambda x, m1, b1, m2, b2: relu(m1 * x + b1) + relu(m2 * x + b2))
    assert out(capsys).startswith("✓")
    chk.check_double_relu(lambda x, m1, b1, m2, b2: (m1 * x + b1) + (m2 * x + b2))
    assert "before* adding" in out(capsys)
    chk.check_double_relu(lambda x, m1, b1, m2, b2: relu(m1 * x + b1))
    assert "only one ReLU" in out(capsys)
    chk.check_double_relu(lambda x, m1, b1, m2, b2: relu(m1 * x) + b1 + relu(m2 * x) + b2)
    assert "offset goes inside" in out(capsys)


def test_check_and_gate(capsys):
    chk.check_and_gate(lambda: (np.array([1.0, 1.0]), -1.5))
    assert out(capsys).startswith("✓")
    chk.check_and_gate(lambda: ([1.0, 1.0], -0.5))
    assert "that is OR" in out(capsys)
    chk.check_and_gate(lambda: ([1.0, 1.0], 0.5))
    assert "no input at all" in out(capsys)
    chk.check_and_gate(lambda: ([1.0, 1.0], -3.0))
    assert "does not fire for (1, 1)" in out(capsys)
    chk.check_and_gate(lambda: 3.0)
    assert "return two things" in out(capsys)
    chk.check_and_gate(lambda: None)
    assert "forget `return`" in out(capsys)


def test_check_all_counts(capsys):
    chk.check_relu(lambda z: np.maximum(0, z))
    chk.check_and_gate(lambda: ([1.0, 1.0], 0.5))
    capsys.readouterr()
    chk.check_all("04")
    text = out(capsys)
    assert "✓ Exercise 2: relu" in text and "✗ Exercise 4: and_gate" in text

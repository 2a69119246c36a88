"""The classic beginner's mistakes nnlib catches, one test each (docs/mistakes.md).

Each test either checks that the slip now *works* (against the maths, not a copied
output) or that it stops or warns with the one sentence naming the slip and its fix.
Warnings are ``nnlib.NNLibWarning``; pytest runs with ``filterwarnings = error``, so
every other test in the suite also proves that nnlib raises no false alarm there.
"""

import warnings

import numpy as np
import pytest

from nnlib import NNLibWarning
from nnlib.activations import softmax
from nnlib.data import minibatches, one_hot, scale_to_range, standardize, train_val_split
from nnlib.layers import MLP, Dense, Sequential
from nnlib.losses import cross_entropy, cross_entropy_grad, mse
from nnlib.optim import SGD
from nnlib.train import DivergedError, evaluate, fit


def _blobs(n_per_class=30, k=3, seed=0):
    """k well separated Gaussian blobs in 2-D: X (n, 2), y (n,) int labels."""
    rng = np.random.default_rng(seed)
    centres = np.array([[np.cos(a), np.sin(a)] for a in np.linspace(0, 2 * np.pi, k,
                                                                      endpoint=False)])
    X = np.concatenate([c + 0.15 * rng.standard_normal((n_per_class, 2)) for c in centres])
    y = np.repeat(np.arange(k), n_per_class)
    return X, y


def _train(model, X, y, **kw):
    args = dict(loss="cross_entropy", epochs=3, batch_size=8, rng=np.random.default_rng(0))
    args.update(kw)
    opt = args.pop("optimizer", None) or SGD(model.parameters(), lr=0.1)
    return fit(model, X, y, optimizer=opt, **args)


# ---- the slips of issue 18 -------------------------------------------------------------------

def test_lists_into_minibatches_are_converted():
    X = [[i, 2 * i] for i in range(10)]          # plain Python lists, as a learner types them
    y = list(range(10))
    batches = list(minibatches(X, y, 4, rng=np.random.default_rng(0)))
    assert [len(yb) for _, yb in batches] == [4, 4, 2]
    for Xb, yb in batches:
        assert isinstance(Xb, np.ndarray) and isinstance(yb, np.ndarray)
        np.testing.assert_array_equal(Xb, np.c_[yb, 2 * yb])   # rows stay with their labels
    assert sorted(np.concatenate([yb for _, yb in batches])) == y


def test_one_minibatches_object_serves_every_epoch_with_a_fresh_shuffle():
    X, y = np.arange(20.0)[:, None], np.arange(20)
    batches = minibatches(X, y, 6, rng=np.random.default_rng(1))
    assert len(batches) == 4                     # ⌈20 / 6⌉
    orders = [np.concatenate([yb for _, yb in batches]) for _ in range(3)]
    for order in orders:                         # every pass is a whole epoch ...
        assert sorted(order) == list(range(20))
    assert not np.array_equal(orders[0], orders[1])   # ... in a new order
    assert not np.array_equal(orders[1], orders[2])


def test_loop_over_one_minibatches_object_trains_like_a_new_one_each_epoch():
    """Lesson 09's loop with ``minibatches(...)`` made once before the epochs: epochs 2+ train."""
    X, y = _blobs()

    def run(once):
        rng = np.random.default_rng(0)
        model = MLP([2, 8, 3], rng=rng)
        opt = SGD(model.parameters(), lr=0.1, momentum=0.9)
        shared = minibatches(X, y, 16, rng=rng) if once else None
        snapshots = []
        for _ in range(3):
            for Xb, yb in shared if once else minibatches(X, y, 16, rng=rng):
                model.backward(cross_entropy_grad(model.forward(Xb), yb))
                opt.step()
            snapshots.append(model.layers[0].W.copy())
        return snapshots

    once, fresh = run(once=True), run(once=False)
    for a, b in zip(once, fresh, strict=True):
        np.testing.assert_array_equal(a, b)       # the same draws, the same updates
    assert np.abs(once[2] - once[1]).max() > 1e-4  # the third epoch moved the weights


def test_replaced_W_after_SGD_is_trained_not_a_stale_copy():
    rng = np.random.default_rng(0)
    model = MLP([2, 4, 3], rng=rng)
    opt = SGD(model.parameters(), lr=0.5)
    first = model.layers[0]
    first.W = rng.standard_normal((2, 4)) * 0.3   # a new array, as lesson 09's experiments do
    W_new = first.W
    X, y = _blobs(n_per_class=5)
    model.backward(cross_entropy_grad(model.forward(X), y))
    expected = W_new - 0.5 * first.dW             # w ← w − η ∂L/∂w on the *new* array
    opt.step()
    assert first.W is W_new
    np.testing.assert_allclose(first.W, expected, rtol=1e-6)


def test_fit_trains_a_replaced_W():
    X, y = _blobs()
    model = MLP([2, 8, 3], rng=np.random.default_rng(0))
    opt = SGD(model.parameters(), lr=0.1)
    model.layers[0].W = np.random.default_rng(5).standard_normal((2, 8)) * 0.5
    start = model.layers[0].W.copy()
    _train(model, X, y, optimizer=opt)
    assert np.abs(model.layers[0].W - start).max() > 1e-3


def test_optimizer_of_another_model_is_refused_before_training():
    X, y = _blobs()
    old = MLP([2, 8, 3], rng=np.random.default_rng(0))
    opt = SGD(old.parameters(), lr=0.1)
    new = MLP([2, 8, 3], rng=np.random.default_rng(1))   # re-created, optimizer not rebuilt
    before = [w.copy() for w, _ in new.parameters()]
    with pytest.raises(ValueError, match="another model's weights.*SGD\\(model.parameters\\(\\)"):
        _train(new, X, y, optimizer=opt)
    for (w, _), w0 in zip(new.parameters(), before, strict=True):
        np.testing.assert_array_equal(w, w0)      # refused before any update


def test_optimizer_built_from_stale_pairs_is_refused():
    X, y = _blobs()
    model = MLP([2, 8, 3], rng=np.random.default_rng(0))
    opt = SGD(list(model.parameters()), lr=0.1)   # a plain list: it cannot follow the model
    model.layers[2].W = np.zeros((8, 3))
    with pytest.raises(ValueError, match="1 of the optimizer's 4 arrays.*build the optimizer"):
        _train(model, X, y, optimizer=opt)


def test_integer_weights_are_refused_by_SGD_and_converted_by_layers():
    w = np.array([1, 2, 3])                        # np.array of ints: dtype int64
    with pytest.raises(TypeError, match="holds int64 numbers.*dtype=float"):
        SGD([(w, np.zeros(3))], lr=0.1)
    layer = Dense(2, 3)
    layer.W = [[1, 2, 3], [4, 5, 6]]
    assert layer.W.dtype == np.float32
    np.testing.assert_array_equal(layer.W, [[1, 2, 3], [4, 5, 6]])
    layer.dW[...] = 0.25
    SGD(layer.parameters(), lr=1.0).step()        # a fractional step now lands
    np.testing.assert_allclose(layer.W, np.array([[1, 2, 3], [4, 5, 6]]) - 0.25)


def test_zero_init_warns_and_the_warning_is_true():
    with pytest.warns(NNLibWarning, match="every weight is 0.*identical.*random.*'he'.*'xavier'"):
        model = MLP([2, 6, 3], activation="tanh", init=0.0)
    X, y = _blobs()
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", NNLibWarning)
        _train(model, X, y, epochs=20)
    W1 = model.layers[0].W
    np.testing.assert_allclose(W1, np.repeat(W1[:, :1], 6, axis=1), atol=1e-6)  # units stay equal


def test_zeroed_hidden_layer_warns_in_fit():
    X, y = _blobs()
    model = MLP([2, 6, 3], rng=np.random.default_rng(0))
    model.layers[0].W[:] = 0.0                     # zeroed after construction
    with pytest.warns(NNLibWarning, match=r"Dense\(2→6\): every weight is 0"):
        _train(model, X, y, epochs=1)


def test_probabilities_into_cross_entropy_warn():
    Z = np.array([[2.0, -1.0, 0.5], [0.1, 3.0, -2.0]])
    y = np.array([0, 1])
    P = softmax(Z)
    with pytest.warns(NNLibWarning, match="look like probabilities.*pass the logits"):
        wrong = cross_entropy(P, y)
    right = -np.mean(np.log(P[[0, 1], y]))        # the loss the learner meant
    assert cross_entropy(Z, y) == pytest.approx(right)
    assert abs(wrong - right) > 0.3               # why it matters: the value is off
    with pytest.warns(NNLibWarning, match="cross_entropy_grad got rows"):
        cross_entropy_grad(P, y)


class _Softmax:
    """A learner's output layer that applies softmax: the model then outputs probabilities."""

    def forward(self, Z):
        self.P = softmax(Z)
        return self.P

    def backward(self, dP):
        return self.P * (dP - (dP * self.P).sum(axis=1, keepdims=True))

    def parameters(self):
        return []


def test_model_ending_in_softmax_warns_in_fit():
    X, y = _blobs()
    model = Sequential(Dense(2, 8, rng=np.random.default_rng(0)), _Softmax())
    with pytest.warns(NNLibWarning, match="outputs look like probabilities.*logits"):
        _train(model, X, y, epochs=1)


def test_standardize_of_a_single_row_stops():
    with pytest.raises(ValueError, match=r"one row \(shape \(1, 3\)\).*mean=X_train"):
        standardize([[1.0, 5.0, 9.0]])
    with pytest.raises(ValueError, match="one row.*data_min=X_train"):
        scale_to_range(np.array([[1.0, 5.0, 9.0]]))
    out = standardize([[1.0, 5.0, 9.0]], mean=[1.0, 3.0, 5.0], std=[2.0, 2.0, 4.0])
    np.testing.assert_allclose(out, [[0.0, 1.0, 1.0]])   # (x − μ) / σ with the given stats


def test_held_out_split_scaled_with_its_own_statistics_warns():
    rng = np.random.default_rng(0)
    X = rng.normal(5.0, 2.0, size=(50, 3))
    X_tr, X_va, _, _ = train_val_split(X, np.arange(50), val_fraction=0.2, seed=0)
    standardize(X_tr)                              # the training set's own: right
    with pytest.warns(NNLibWarning, match="held-out part.*training set's"):
        standardize(X_va)
    with pytest.warns(NNLibWarning, match="held-out part"):
        scale_to_range(X_va)
    mu, sd = X_tr.mean(axis=0), X_tr.std(axis=0)
    np.testing.assert_allclose(standardize(X_va, mean=mu, std=sd), (X_va - mu) / sd)


def test_uint8_pixels_do_not_wrap_around():
    pixels = np.array([[0, 7, 200], [255, 8, 3]], dtype=np.uint8)
    labels = np.array([3, 1], dtype=np.uint8)
    (Xb, yb), = list(minibatches(pixels, labels, 2, shuffle=False))
    assert Xb.dtype.kind == "f" and yb.dtype == np.int64
    np.testing.assert_array_equal(Xb - 8, pixels.astype(float) - 8)   # −8, not 248
    np.testing.assert_array_equal(yb - 2, [1, -1])
    np.testing.assert_allclose(standardize(pixels), standardize(pixels.astype(float)))


# ---- ten and more from public reports --------------------------------------------------------

def test_learning_rate_given_as_a_string_is_refused():
    with pytest.raises(TypeError, match="lr must be a number, got '0.1' \\(str\\)"):
        SGD(MLP([2, 3]).parameters(), lr="0.1")


def test_backward_before_forward_names_the_order():
    model = MLP([2, 4, 3])
    with pytest.raises(RuntimeError, match=r"Dense\(4→3\).backward called before forward: run"):
        model.backward(np.zeros((5, 3)))


def test_one_hot_labels_where_integers_are_expected():
    Z, y = np.zeros((4, 3)), np.array([0, 2, 1, 2])
    with pytest.raises(ValueError, match=r"looks one-hot \(shape \(4, 3\).*y.argmax\(axis=1\)"):
        cross_entropy(Z, one_hot(y, 3))
    X, _ = _blobs(n_per_class=4)
    with pytest.raises(ValueError, match="looks one-hot"):
        _train(MLP([2, 4, 3]), X, one_hot(np.repeat([0, 1, 2], 4), 3))


def test_label_column_where_flat_labels_are_expected():
    with pytest.raises(ValueError, match=r"column of shape \(4, 1\): use y.reshape\(-1\)"):
        cross_entropy(np.zeros((4, 3)), np.array([[0], [2], [1], [2]]))


def test_integer_labels_where_regression_targets_are_expected():
    X, y = _blobs(n_per_class=4)
    with pytest.raises(ValueError, match="holds class labels.*loss='cross_entropy'.*one_hot"):
        _train(MLP([2, 4, 3]), X, y, loss="mse")


def test_float_labels_that_are_whole_numbers_work():
    X, y = _blobs()
    h_int = _train(MLP([2, 8, 3], rng=np.random.default_rng(0)), X, y)
    h_float = _train(MLP([2, 8, 3], rng=np.random.default_rng(0)), X, y.astype(float))
    assert h_int.train_loss == h_float.train_loss
    with pytest.raises(TypeError, match="integer class labels"):
        cross_entropy(np.zeros((2, 3)), [0.5, 1.0])


def test_last_layer_narrower_than_the_number_of_classes():
    X, y = _blobs(k=4)
    with pytest.raises(ValueError, match="only 3 classes.*last layer has 3 outputs.*make it 4"):
        _train(MLP([2, 8, 3]), X, y)


def test_one_output_with_cross_entropy_is_refused():
    X, y = _blobs(k=2)
    model = MLP([2, 8, 1])
    logits = model.forward(X)
    assert np.all(softmax(logits) == 1.0)         # why: softmax of one column is always 1
    with pytest.raises(ValueError, match="1 output.*always 1.*2 wide"):
        _train(model, X, y)


def test_regression_target_column_versus_flat_is_refused():
    with pytest.raises(ValueError, match=r"shape \(5, 1\) but y has shape \(5,\).*reshape"):
        mse(np.zeros((5, 1)), np.arange(5.0))
    x = np.linspace(-1, 1, 12)[:, None]
    model = MLP([1, 4, 1])
    with pytest.raises(ValueError, match=r"use y.reshape\(-1, 1\)"):
        fit(model, x, x[:, 0] ** 2, "mse", SGD(model.parameters(), lr=0.1), epochs=1,
            batch_size=4)


def test_unscaled_inputs_warn():
    X, y = _blobs()
    raw = (X - X.min()) * 255 / (X.max() - X.min())    # like raw pixels, 0..255
    with pytest.warns(NNLibWarning, match="X has values up to 255: unscaled.*scale_to_range"):
        _train(MLP([2, 8, 3]), raw, y, epochs=1)
    _train(MLP([2, 8, 3]), scale_to_range(raw, data_min=0, data_max=255), y, epochs=1)


def test_training_data_passed_as_validation_data_warns():
    X, y = _blobs()
    with pytest.warns(NNLibWarning, match="X_val is the training data itself.*train_val_split"):
        _train(MLP([2, 8, 3]), X, y, X_val=X, y_val=y, epochs=1)
    with pytest.warns(NNLibWarning, match="X_val is the training data itself"):
        _train(MLP([2, 8, 3]), X, y, X_val=X.copy(), y_val=y, epochs=1)


def test_validation_inputs_without_labels_are_refused():
    X, y = _blobs()
    with pytest.raises(ValueError, match="X_val was given without y_val"):
        _train(MLP([2, 8, 3]), X, y, X_val=X[:5])


def test_learning_rate_too_large_stops_with_the_lesson_named():
    X, y = _blobs()
    model = MLP([2, 8, 3], rng=np.random.default_rng(0))
    with pytest.raises(DivergedError, match="diverged at epoch .*smaller learning rate"):
        _train(model, X, y, optimizer=SGD(model.parameters(), lr=1e6), epochs=5)


def test_forgetting_zero_grad_does_no_harm_gradients_are_overwritten():
    rng = np.random.default_rng(0)
    layer = Dense(3, 2, rng=rng, dtype=np.float64)
    X1, X2 = rng.standard_normal((4, 3)), rng.standard_normal((5, 3))
    dZ1, dZ2 = rng.standard_normal((4, 2)), rng.standard_normal((5, 2))
    layer.forward(X1)
    layer.backward(dZ1)
    layer.forward(X2)
    layer.backward(dZ2)                            # no zero_grad in between
    np.testing.assert_allclose(layer.dW, X2.T @ dZ2)   # the last batch's, not a running sum
    np.testing.assert_allclose(layer.db, dZ2.sum(axis=0))


def test_model_or_unbound_parameters_method_into_SGD():
    model = MLP([2, 4, 3])
    with pytest.raises(TypeError, match=r"method model.parameters itself: call it"):
        SGD(model.parameters, lr=0.1)
    with pytest.raises(TypeError, match=r"got the model .* itself: pass .*model.parameters\(\)"):
        SGD(model, lr=0.1)


def test_single_sample_as_a_flat_vector():
    with pytest.raises(ValueError, match=r"got shape \(2,\).*x.reshape\(1, -1\)"):
        MLP([2, 4, 3]).forward(np.array([0.5, -0.5]))


def test_X_and_y_stay_paired_when_minibatches_shuffles():
    X = np.arange(30.0)[:, None] * 10
    y = np.arange(30)
    for Xb, yb in minibatches(X, y, 7, rng=np.random.default_rng(3)):
        np.testing.assert_array_equal(Xb[:, 0], yb * 10)   # one permutation for both


def test_transposed_X_names_the_fix():
    X, y = _blobs(n_per_class=10)                  # X (30, 2): the transposed X is (2, 30)
    model = Sequential(Dense(30, 3))
    with pytest.raises(ValueError, match=r"X has 2 rows but y has 30 .*transposed.*X.T"):
        fit(model, X.T, y, "cross_entropy", SGD(model.parameters(), lr=0.1), epochs=1,
            batch_size=4)


def test_weights_in_the_textbook_orientation_are_refused():
    layer = Dense(3, 2)
    with pytest.raises(ValueError, match=r"W must have shape \(3, 2\), got \(2, 3\).*\.T"):
        layer.W = np.zeros((2, 3))                 # z = W x orientation: (n_out, n_in)


# ---- no false alarms -------------------------------------------------------------------------

def test_the_course_pipeline_raises_no_warning():
    """Lesson 08's steps, with every NNLibWarning turned into an error."""
    from nnlib.data import load_digits
    with warnings.catch_warnings():
        warnings.simplefilter("error", NNLibWarning)
        X, y = load_digits()
        X_rest, X_test, y_rest, y_test = train_val_split(X, y, val_fraction=0.2, seed=0)
        X_tr, X_va, y_tr, y_va = train_val_split(X_rest, y_rest, val_fraction=0.25, seed=0)
        X_tr, X_va, X_test = (scale_to_range(A, -1, 1, data_min=0, data_max=16)
                              for A in (X_tr, X_va, X_test))
        model = MLP([64, 32, 10], rng=np.random.default_rng(0))
        hist = fit(model, X_tr, y_tr, "cross_entropy", SGD(model.parameters(), lr=0.05,
                   momentum=0.9), epochs=3, batch_size=32, X_val=X_va, y_val=y_va,
                   rng=np.random.default_rng(0))
        assert hist.val_acc[-1] > 0.8
        assert evaluate(model, X_test, y_test)[1] > 0.8
        cross_entropy(model.forward(X_va), y_va)
        standardize(X_tr)

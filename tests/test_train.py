"""nnlib.train.fit: learns the digits, and fails loudly (but cleanly) when it diverges."""

import numpy as np
import pytest

from nnlib.data import load_digits, make_quadratic, make_spiral, scale_to_range, train_val_split
from nnlib.layers import MLP
from nnlib.losses import accuracy
from nnlib.optim import SGD, step_decay
from nnlib.train import DivergedError, History, evaluate, fit


@pytest.fixture(scope="module")
def digits_split():
    X, y = load_digits()
    X = scale_to_range(X, data_min=0, data_max=16)
    return train_val_split(X, y, val_fraction=0.2, seed=0)


def test_mlp_learns_digits(digits_split):
    Xtr, Xva, ytr, yva = digits_split
    model = MLP([64, 64, 10], rng=np.random.default_rng(0))
    opt = SGD(model.parameters(), lr=0.05, momentum=0.9)
    hist = fit(model, Xtr, ytr, "cross_entropy", opt, epochs=30, batch_size=32,
               X_val=Xva, y_val=yva, rng=np.random.default_rng(0))
    assert isinstance(hist, History) and hist.diverged is None
    assert len(hist.train_loss) == len(hist.val_acc) == len(hist.lr) == 30
    held_out = accuracy(model.forward(Xva), yva)
    assert held_out >= 0.95
    assert hist.val_acc[-1] == pytest.approx(held_out)
    assert hist.train_loss[-1] < hist.train_loss[0] / 5
    loss, acc = evaluate(model, Xva, yva)
    assert acc == pytest.approx(held_out) and loss == pytest.approx(hist.val_loss[-1])


def test_fit_is_reproducible_and_uses_schedule():
    X, y = make_spiral(n_per_class=30, seed=1)

    def run():
        model = MLP([2, 16, 3], rng=np.random.default_rng(5))
        opt = SGD(model.parameters(), lr=0.1)
        return fit(model, X, y, "cross_entropy", opt, epochs=4, batch_size=16,
                   rng=np.random.default_rng(2), lr_schedule=step_decay(0.1, 0.5, every=2))

    h1, h2 = run(), run()
    assert h1.train_loss == h2.train_loss
    assert h1.lr == pytest.approx([0.1, 0.1, 0.05, 0.05])


def test_fit_regression_with_mse_and_callback():
    rng = np.random.default_rng(0)
    X = rng.uniform(-1, 1, size=(200, 1))
    Y = 3 * X - 1
    model = MLP([1, 1], rng=rng)
    seen = []
    hist = fit(model, X, Y, "mse", SGD(model.parameters(), lr=0.1), epochs=40, batch_size=20,
               callback=lambda epoch, h: seen.append(epoch))
    assert seen == list(range(40))
    assert hist.train_acc == []
    assert hist.train_loss[-1] < 1e-4
    np.testing.assert_allclose(model.layers[0].W, [[3]], atol=0.02)
    np.testing.assert_allclose(model.layers[0].b, [-1], atol=0.02)


def _diverging_run(on_diverge, lr=100.0):
    # regression with MSE: the gradient grows with the error, so a too-large η blows up
    # geometrically until float32 overflows to inf/NaN
    x, y = make_quadratic(n=100, seed=0)
    model = MLP([1, 16, 1], rng=np.random.default_rng(0))
    opt = SGD(model.parameters(), lr=lr)
    return fit(model, x.reshape(-1, 1), y.reshape(-1, 1), "mse", opt, epochs=20, batch_size=10,
               rng=np.random.default_rng(0), on_diverge=on_diverge)


def test_divergence_raises_clear_error_without_warnings():
    # pytest runs with filterwarnings=error: an overflow RuntimeWarning would surface as an error
    with pytest.raises(DivergedError, match=r"^diverged at epoch 1: try a smaller learning rate"):
        _diverging_run("raise")


def test_divergence_stop_returns_history():
    hist = _diverging_run("stop")
    assert hist.diverged is not None
    assert hist.diverged.startswith("diverged at epoch 1: try a smaller learning rate")
    assert hist.train_loss == []  # nothing finite to record


def test_sane_lr_does_not_diverge():
    hist = _diverging_run("raise", lr=0.01)
    assert hist.diverged is None and len(hist.train_loss) == 20
    assert hist.train_loss[-1] < hist.train_loss[0]


def test_fit_bad_input():
    X, y = make_spiral(n_per_class=5)
    model = MLP([2, 3])
    opt = SGD(model.parameters(), lr=0.1)
    with pytest.raises(ValueError, match="batch_size must be > 0"):
        fit(model, X, y, "cross_entropy", opt, epochs=1, batch_size=0)
    with pytest.raises(ValueError, match="epochs must be > 0"):
        fit(model, X, y, "cross_entropy", opt, epochs=0, batch_size=4)
    with pytest.raises(ValueError, match="15 rows but y has 14"):
        fit(model, X, y[:-1], "cross_entropy", opt, epochs=1, batch_size=4)
    with pytest.raises(ValueError, match="loss must be one of"):
        fit(model, X, y, "hinge", opt, epochs=1, batch_size=4)
    with pytest.raises(ValueError, match="on_diverge"):
        fit(model, X, y, "cross_entropy", opt, epochs=1, batch_size=4, on_diverge="ignore")
    with pytest.raises(ValueError, match="NaN or inf"):
        fit(model, np.where(X > 0.5, np.nan, X), y, "cross_entropy", opt, epochs=1, batch_size=4)
    with pytest.raises(ValueError, match="expected X with 2 columns"):
        fit(model, np.zeros((15, 3)), y, "cross_entropy", opt, epochs=1, batch_size=4)
    with pytest.raises(ValueError, match="only 3 classes"):
        fit(model, X, y + 1, "cross_entropy", opt, epochs=1, batch_size=4)


# ---- divergence is reported wherever it shows, and the history stays aligned ----------------

def _issue_run(**kw):
    """The reported case: the last update of the only epoch blows the weights up."""
    x, t = make_quadratic(50)
    X, Y = x[:, None], t[:, None]
    m = MLP([1, 8, 1])
    return fit(m, X, Y, "mse", SGD(m.parameters(), lr=0.9116), epochs=1, batch_size=10,
               X_val=X[::2], y_val=Y[::2], **kw)  # held-out data is not needed to see a NaN


def test_blow_up_in_the_last_update_is_reported():
    with pytest.raises(DivergedError, match=r"^diverged at epoch 1: .*validation loss .* is nan"):
        _issue_run()
    hist = _issue_run(on_diverge="stop")
    assert "validation loss" in hist.diverged
    assert all(v == [] for v in hist.values())  # the epoch did not complete: no entry anywhere


def test_batch_divergence_names_the_batch():
    hist = _diverging_run("stop")
    assert " in batch " in hist.diverged and " of 10" in hist.diverged


def test_history_lists_stay_aligned_when_a_later_epoch_diverges():
    X, y = make_spiral(n_per_class=30, seed=1)
    model = MLP([2, 16, 3], rng=np.random.default_rng(2))
    opt = SGD(model.parameters(), lr=0.1)
    calls = []
    hist = fit(model, X, y, "cross_entropy", opt, epochs=6, batch_size=15, X_val=X[::3],
               y_val=y[::3],
               lr_schedule=lambda e: 0.1 if e < 2 else 1e30, on_diverge="stop",
               callback=lambda e, h: calls.append(e), rng=np.random.default_rng(0))
    assert hist.diverged.startswith("diverged at epoch 3:")
    assert {k: len(v) for k, v in hist.items()} == dict.fromkeys(hist, 2)
    assert calls == [0, 1]
    assert all(np.isfinite(v).all() for v in hist.values())


def test_evaluate_on_a_blown_up_classifier_gives_nan_accuracy():
    X, y = make_spiral(n_per_class=5)
    model = MLP([2, 3], dtype=np.float64)
    model.dense_layers[0].W[:] = np.inf
    loss, acc = evaluate(model, X, y)
    assert np.isnan(loss) and np.isnan(acc)  # argmax of NaN logits is not an accuracy
    loss, acc = evaluate(model, X, np.zeros((len(X), 3)), "mse")
    assert np.isnan(loss) and acc is None


def test_fit_errors_name_the_shape_passed():
    X = np.zeros((4, 2))
    model = MLP([3, 5, 2])
    opt = SGD(model.parameters(), lr=0.1)
    with pytest.raises(ValueError, match=r"expected X with 3 columns, got shape \(4, 2\)"):
        fit(model, X, [0, 1, 0, 1], "cross_entropy", opt, epochs=1, batch_size=2)


def test_fit_checks_validation_data_before_training():
    X, y = make_spiral(n_per_class=5)
    model = MLP([2, 3])
    opt = SGD(model.parameters(), lr=0.1)
    with pytest.raises(ValueError, match="X_val was given without y_val"):
        fit(model, X, y, "cross_entropy", opt, epochs=1, batch_size=4, X_val=X)
    with pytest.raises(ValueError, match=r"X_val has 15 rows but y_val has 3 entries"):
        fit(model, X, y, "cross_entropy", opt, epochs=1, batch_size=4, X_val=X, y_val=y[:3])
    with pytest.raises(ValueError, match=r"y_val has labels from 5 to 7"):
        fit(model, X, y, "cross_entropy", opt, epochs=1, batch_size=4, X_val=X, y_val=y + 5)
    W0 = model.dense_layers[0].W.copy()
    np.testing.assert_array_equal(model.dense_layers[0].W, W0)  # nothing was trained


def test_history_holds_plain_floats_whatever_the_loss_returns():
    """Printed histories read the same on NumPy 1 and 2 (no ``np.float64(...)`` reprs)."""
    x, y = make_quadratic(n=20, seed=0)
    model = MLP([1, 4, 1], rng=np.random.default_rng(0))
    loss = (lambda y_hat, t: np.float64(np.mean((y_hat - t) ** 2)),
            lambda y_hat, t: 2 * (y_hat - t) / y_hat.size)
    hist = fit(model, x[:, None], y[:, None], loss, SGD(model.parameters(), lr=0.01), epochs=2,
               batch_size=5, X_val=x[::2, None], y_val=y[::2, None])
    for key in ("train_loss", "val_loss", "lr"):
        assert [type(v) for v in hist[key]] == [float, float], key
    assert "np." not in repr(hist)
    loss_value, acc = evaluate(model, x[:, None], y[:, None], loss)
    assert type(loss_value) is float and acc is None


def test_regression_target_shape_errors_name_the_callers_shapes():
    """A flat y for a one-output model: the error names (50,) and (50, 1), not a batch's shapes."""
    x, y = make_quadratic(50)
    model = MLP([1, 4, 1])
    opt = SGD(model.parameters(), lr=0.01)
    with pytest.raises(ValueError, match=r"X of shape \(50, 1\) to outputs of shape \(50, 1\), "
                                         r"but y has shape \(50,\).*reshape\(-1, 1\)"):
        fit(model, x[:, None], y, "mse", opt, epochs=1, batch_size=10)
    with pytest.raises(ValueError, match=r"y_val has shape \(50, 2\)"):
        fit(model, x[:, None], y[:, None], "mae", opt, epochs=1, batch_size=10,
            X_val=x[:, None], y_val=np.c_[y, y])

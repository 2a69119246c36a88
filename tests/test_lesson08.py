"""Lesson 08: the digit classifier, its explorers and pictures, and the exercise checks."""

from __future__ import annotations

import numpy as np
import pytest
from _helpers import not_written
from _helpers import verdict as _verdict
from matplotlib.figure import Figure

from nnlib.checks import lesson08 as checks
from nnlib.explore import digits
from nnlib.train import evaluate


def _texts(fig):
    out = [t.get_text() for t in fig.texts]
    for ax in fig.axes:
        out += [ax.get_title()] + [t.get_text() for t in ax.texts if t.get_visible()]
    return " | ".join(out)


# --- data and the default model -----------------------------------------------------------------

def test_digits_data_split_and_scale():
    X_train, X_val, y_train, y_val = digits.digits_data()
    assert X_train.shape == (1438, 64) and X_val.shape == (359, 64)
    assert X_train.min() == -1 and X_train.max() == 1
    assert set(np.unique(y_val)) == set(range(10))


def test_default_model_reaches_97_percent_held_out():
    model, history = digits.default_model()
    _, X_val, _, y_val = digits.digits_data()
    loss, acc = evaluate(model, X_val, y_val)
    assert acc >= 0.97
    assert history.val_acc[-1] == pytest.approx(acc)
    assert history.diverged is None and len(history.val_acc) == digits.DEFAULTS["num_epochs"]


def test_softmax_probs_rows_sum_to_one_and_match_argmax():
    model, _ = digits.default_model()
    _, X_val, _, _ = digits.digits_data()
    p = digits.softmax_probs(model, X_val[:20])
    np.testing.assert_allclose(p.sum(axis=1), 1.0)
    assert np.array_equal(p.argmax(axis=1), model.forward(X_val[:20]).argmax(axis=1))


def test_confusion_matrix_counts():
    C = digits.confusion_matrix([0, 1, 1, 2], [0, 2, 1, 2], num_classes=3)
    assert C.tolist() == [[1, 0, 0], [0, 1, 1], [0, 0, 1]]


# --- pictures -------------------------------------------------------------------------------------

def test_static_pictures():
    model, history = digits.default_model()
    _, X_val, _, y_val = digits.digits_data()
    probs = digits.softmax_probs(model, X_val)
    C = digits.confusion_matrix(y_val, probs.argmax(axis=1))
    wrong = int(np.sum(probs.argmax(axis=1) != y_val))
    assert f"{C.trace()} of 359 right" in _texts(digits.plot_confusion(C))
    assert f"{wrong} mistakes" in _texts(digits.plot_mistakes(X_val, y_val, probs))
    assert "validation accuracy" in _texts(digits.plot_curves(history, 0.5))
    assert "red +" in _texts(digits.plot_weights(model))
    assert isinstance(digits.plot_digits(X_val, y_val), Figure)


def test_render_digit_training_states():
    empty = _texts(digits.render_digit_training(lr=0.05, hidden=64))
    assert "64 → 64 → 10 (4,810 parameters)" in empty and "press Train" in empty
    _, history = digits.default_model()
    done = _texts(digits.render_digit_training(lr=0.05, hidden=32, history=history))
    assert "64 → 32 → 10" in done and f"val acc {history.val_acc[-1]:.1%}" in done


def test_render_predictions_mistakes_only():
    text = _texts(digits.render_predictions(index=0, which="mistakes only"))
    assert "mistake 1 of" in text and "wrong" in text
    assert "image 0: true digit" in _texts(digits.render_predictions(index=0))


# --- explorers ---------------------------------------------------------------------------------

# Every control of every explorer is swept by tests/test_sweeps.py; update speed is
# measured by `make bench`, not asserted in tests.


def test_explorer_opens_on_the_default_run_or_the_given_one():
    ex = digits.explore_digit_training()
    _, history = digits.default_model()
    assert ex.scene.history is history
    assert f"val acc {history.val_acc[-1]:.1%}" in _texts(ex.scene.fig)
    _, other = digits.train_digits(hidden=16, num_epochs=3)
    ex = digits.explore_digit_training(history=other)
    assert ex.scene.history is other and "your run above" in _texts(ex.scene.fig)


def test_train_button_draws_curves_and_reports_accuracy():
    ex = digits.explore_digit_training()
    ex.controls["lr"].value = 0.001          # a visibly different run: η 50× smaller
    before = ex.image.value
    ex.buttons["Train"].click()
    assert ex.error is None
    assert ex.image.value != before          # the button drew the new run's curves
    slow = ex.scene.history
    assert slow is not digits.default_model()[1] and slow.val_acc[-1] < 0.97
    ex.controls["lr"].value = 0.05
    ex.buttons["Train"].click()
    assert "epoch 30/30" in ex.status.value and "val acc" in ex.status.value
    acc = float(ex.status.value.split("val acc ")[1].split(" %")[0])
    assert acc >= 97
    assert len(ex.scene.history.val_acc) == 30


def test_train_button_too_large_lr_says_so():
    ex = digits.explore_digit_training(lr=3.0)
    ex.buttons["Train"].click()
    assert ex.error is None
    text = _texts(ex.scene.fig) + " " + ex.scene.message.get_text()
    assert "diverged" in text and "too large" in text


# --- checks --------------------------------------------------------------------------------------

def ref_scale(X):
    return X / 8 - 1


def ref_confusion(y_true, y_pred, k):
    C = np.zeros((k, k), dtype=int)
    for t, p in zip(y_true, y_pred, strict=True):
        C[t, p] += 1
    return C


def ref_per_class(C):
    return np.diag(C) / C.sum(axis=1)


def test_checks_accept_reference_solutions(capsys):
    for check, fn in [(checks.check_scale_pixels, ref_scale),
                      (checks.check_confusion_matrix, ref_confusion),
                      (checks.check_per_class_accuracy, ref_per_class)]:
        assert _verdict(capsys, check, fn).startswith("✓")


@pytest.mark.parametrize("check", [checks.check_scale_pixels, checks.check_confusion_matrix,
                                   checks.check_per_class_accuracy])
def test_checks_not_implemented_and_none(capsys, check):
    assert "not written yet" in _verdict(capsys, check, not_written)
    assert "forget `return`" in _verdict(capsys, check, lambda *a: None)


@pytest.mark.parametrize("check, wrong, hint", [
    (checks.check_scale_pixels, lambda X: X / 16, "[0, 1]"),
    (checks.check_scale_pixels, lambda X: X / 127.5 - 1, "0..255"),
    (checks.check_scale_pixels, lambda X: 2 * (X - X.min()) / (X.max() - X.min()) - 1,
     "fixed range"),
    (checks.check_confusion_matrix, lambda t, p, k: ref_confusion(t, p, k).T, "transposed"),
    (checks.check_confusion_matrix, lambda t, p, k: ref_confusion(t, p, max(t) + 1), "(4, 4)"),
    (checks.check_per_class_accuracy, lambda C: np.diag(C) / C.sum(axis=0), "column sums"),
    (checks.check_per_class_accuracy, lambda C: np.trace(C) / C.sum(), "overall accuracy"),
    (checks.check_per_class_accuracy, lambda C: np.diag(C), "counts"),
])
def test_targeted_hints(capsys, check, wrong, hint):
    out = _verdict(capsys, check, wrong)
    assert out.startswith("✗") and hint in out


def test_check_all_counts(capsys):
    checks.check_scale_pixels(ref_scale)
    capsys.readouterr()
    checks.check_all("08")
    assert "✓ Exercise 1: scale_pixels" in capsys.readouterr().out

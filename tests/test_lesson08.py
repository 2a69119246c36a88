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


def test_digits_splits_three_ways_test_kept_apart():
    X_train, X_val, X_test, y_train, y_val, y_test = digits.digits_splits()
    assert (len(X_train), len(X_val), len(X_test)) == (1078, 360, 359)
    assert X_train.min() == -1 and X_test.max() == 1
    # the test part is digits_data()'s held-out 20 %; training never sees it
    assert np.array_equal(X_test, digits.digits_data()[1])
    rows = {r.tobytes() for r in X_test}
    assert not any(r.tobytes() in rows for r in X_train[:200])


def test_default_model_reaches_97_percent_held_out():
    model, history = digits.default_model()
    _, X_val, _, _, y_val, _ = digits.digits_splits()
    loss, acc = evaluate(model, X_val, y_val)
    assert acc >= 0.97
    assert history.val_acc[-1] == pytest.approx(acc)
    assert history.diverged is None and len(history.val_acc) == digits.DEFAULTS["num_epochs"]


def test_softmax_probs_rows_sum_to_one_and_match_argmax():
    model, _ = digits.default_model()
    _, X_val, _, _, _, _ = digits.digits_splits()
    p = digits.softmax_probs(model, X_val[:20])
    np.testing.assert_allclose(p.sum(axis=1), 1.0)
    assert np.array_equal(p.argmax(axis=1), model.forward(X_val[:20]).argmax(axis=1))


def test_confusion_matrix_counts():
    C = digits.confusion_matrix([0, 1, 1, 2], [0, 2, 1, 2], num_classes=3)
    assert C.tolist() == [[1, 0, 0], [0, 1, 1], [0, 0, 1]]


# --- pictures -------------------------------------------------------------------------------------

def test_static_pictures():
    model, history = digits.default_model()
    _, X_val, _, _, y_val, _ = digits.digits_splits()
    probs = digits.softmax_probs(model, X_val)
    C = digits.confusion_matrix(y_val, probs.argmax(axis=1))
    wrong = int(np.sum(probs.argmax(axis=1) != y_val))
    assert f"{C.trace()} of 360 right" in _texts(digits.plot_confusion(C))
    assert f"{wrong} mistakes" in _texts(digits.plot_mistakes(X_val, y_val, probs))
    assert "validation accuracy" in _texts(digits.plot_curves(history, 0.5))
    assert "red +" in _texts(digits.plot_weights(model))
    assert isinstance(digits.plot_digits(X_val, y_val), Figure)


def _images(fig):
    return [im for ax in fig.axes for im in ax.images]


def test_grids_are_single_images_with_labels():
    """Issue 13 §4: one imshow of a mosaic, not one small axes per tile."""
    model, _ = digits.default_model()
    _, X_val, _, _, y_val, _ = digits.digits_splits()
    fig = digits.plot_digits(X_val, y_val)
    assert len(fig.axes) == 1 and len(_images(fig)) == 1
    assert [t.get_text() for t in fig.axes[0].texts][:3] == [str(v) for v in y_val[:3]]
    fig = digits.plot_weights(model)
    assert len(_images(fig)) == 1 and len(fig.axes) == 2          # mosaic + colour bar
    probs = digits.softmax_probs(model, X_val)
    assert len(_images(digits.plot_mistakes(X_val, y_val, probs))) == 1
    grid, centres = digits.mosaic(np.zeros((5, 64)), cols=3, pad=1, band=2)
    assert grid.shape == (2 * (8 + 1 + 2) + 1, 3 * 9 + 1) and len(centres) == 5
    assert np.isnan(grid[0]).all() and not np.isnan(grid).all()


def test_weight_pictures_centred_at_zero_with_colour_bar_and_change():
    from nnlib.layers import MLP
    model, _ = digits.default_model()
    W0 = MLP([64, 64, 10], rng=np.random.default_rng(0)).dense_layers[0].W
    fig = digits.plot_weights(model, W0=W0)
    ims = _images(fig)
    assert len(ims) == 2 and len(fig.axes) == 4                    # W, W − W0, two colour bars
    for im in ims:
        lo, hi = im.get_clim()
        assert lo == pytest.approx(-hi) and hi > 0
    r = digits.weight_correlation(model, W0)
    assert 0.5 < r < 0.95 and f"r = {r:.2f}" in _texts(fig)


def test_confusion_has_colour_bar():
    C = digits.confusion_matrix([0, 1, 1, 2], [0, 2, 1, 2], num_classes=3)
    fig = digits.plot_confusion(C)
    assert len(fig.axes) == 2 and "number of images" in fig.axes[1].get_ylabel()


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

def ref_pixel_push():
    return tuple(0.5 * (raw / 8 - 1) for raw in (0, 8, 16))


def ref_confusion(y_true, y_pred, K):
    C = np.zeros((K, K), dtype=int)
    for t, p in zip(y_true, y_pred, strict=True):
        C[t, p] += 1
    return C


def ref_per_class(C):
    return np.diag(C) / C.sum(axis=1)


def ref_design_small_network():
    return 16, 0.05


REFERENCES = [(checks.check_pixel_push, ref_pixel_push),
              (checks.check_confusion_counts, ref_confusion),
              (checks.check_per_class_accuracy, ref_per_class),
              (checks.check_design_small_network, ref_design_small_network)]


def test_checks_accept_reference_solutions(capsys):
    for check, fn in REFERENCES:
        assert _verdict(capsys, check, fn).startswith("✓")
    def np_add_at(t, p, K):
        C = np.zeros((K, K))
        np.add.at(C, (t, p), 1)
        return C
    assert _verdict(capsys, checks.check_confusion_counts, np_add_at).startswith("✓")


@pytest.mark.parametrize("check", [c for c, _ in REFERENCES])
def test_checks_not_written_and_none(capsys, check):
    out = _verdict(capsys, check, not_written)
    assert out.startswith("✗") and "not written yet" in out
    out = _verdict(capsys, check, lambda *a: None)
    assert out.startswith("✗") and "return" in out


def _wrong(capsys, check, fn, hint):
    out = _verdict(capsys, check, fn)
    assert out.startswith("✗") and hint in out, out


# Exercise 1: what one pixel adds

def test_wrong_answer_pixel_raw_values(capsys):
    _wrong(capsys, checks.check_pixel_push, lambda: (0.0, 4.0, 8.0), "raw pixels")


def test_wrong_answer_pixel_zero_to_one(capsys):
    _wrong(capsys, checks.check_pixel_push, lambda: (0.0, 0.25, 0.5), "[0, 1]")


def test_wrong_answer_pixel_sign_flipped(capsys):
    _wrong(capsys, checks.check_pixel_push, lambda: (0.5, 0.0, -0.5), "sign flipped")


def test_wrong_answer_pixel_forgot_weight(capsys):
    _wrong(capsys, checks.check_pixel_push, lambda: (-1.0, 0.0, 1.0), "multiply each by the")


def test_wrong_answer_pixel_blank_is_zero(capsys):
    _wrong(capsys, checks.check_pixel_push, lambda: (0.0, 0.0, 0.5), "not 0")


def test_wrong_answer_pixel_one_number(capsys):
    out = _verdict(capsys, checks.check_pixel_push, lambda: -0.5)
    assert out.startswith("✗") and "shape" in out


# Exercise 2: counting the confusion matrix

def test_wrong_answer_confusion_transposed(capsys):
    _wrong(capsys, checks.check_confusion_counts, lambda t, p, K: ref_confusion(t, p, K).T,
           "transposed")


def test_wrong_answer_confusion_fancy_index_repeated_pairs(capsys):
    def vectorised(y_true, y_pred, K):
        C = np.zeros((K, K), dtype=int)
        C[y_true, y_pred] += 1          # repeated (true, pred) pairs count only once
        return C
    _wrong(capsys, checks.check_confusion_counts, vectorised, "np.add.at")


def test_wrong_answer_confusion_size_from_labels(capsys):
    _wrong(capsys, checks.check_confusion_counts,
           lambda t, p, K: ref_confusion(t, p, max(t.max(), p.max()) + 1), "K argument")


def test_wrong_answer_confusion_fractions(capsys):
    _wrong(capsys, checks.check_confusion_counts,
           lambda t, p, K: ref_confusion(t, p, K) / len(t), "fractions")


def test_wrong_answer_confusion_off_by_one_loop(capsys):
    def skips_last(y_true, y_pred, K):
        C = np.zeros((K, K), dtype=int)
        for i in range(len(y_true) - 1):
            C[y_true[i], y_pred[i]] += 1
        return C
    _wrong(capsys, checks.check_confusion_counts, skips_last, "add exactly 1 per sample")


def test_wrong_answer_confusion_prediction_twice(capsys):
    _wrong(capsys, checks.check_confusion_counts, lambda t, p, K: ref_confusion(p, p, K),
           "use one of them twice")


def test_wrong_answer_confusion_swapped_mistakes(capsys):
    def swapped(y_true, y_pred, K):
        C = ref_confusion(y_true, y_pred, K)
        off = C - np.diag(np.diag(C))
        return np.diag(np.diag(C)) + off[::-1, ::-1]
    _wrong(capsys, checks.check_confusion_counts, swapped, "column is the *predicted*")


# Exercise 3: accuracy per class

def test_wrong_answer_per_class_column_sums(capsys):
    _wrong(capsys, checks.check_per_class_accuracy, lambda C: np.diag(C) / C.sum(axis=0),
           "column sums")


def test_wrong_answer_per_class_overall(capsys):
    _wrong(capsys, checks.check_per_class_accuracy, lambda C: np.trace(C) / C.sum(),
           "overall accuracy")


def test_wrong_answer_per_class_counts(capsys):
    _wrong(capsys, checks.check_per_class_accuracy, lambda C: np.diag(C), "counts")


def test_wrong_answer_per_class_percent(capsys):
    _wrong(capsys, checks.check_per_class_accuracy, lambda C: 100 * np.diag(C) / C.sum(axis=1),
           "percentages")


def test_wrong_answer_per_class_total(capsys):
    _wrong(capsys, checks.check_per_class_accuracy, lambda C: np.diag(C) / C.sum(),
           "each class's own total")


def test_wrong_answer_per_class_errors(capsys):
    _wrong(capsys, checks.check_per_class_accuracy, lambda C: 1 - np.diag(C) / C.sum(axis=1),
           "error rates")


def test_wrong_answer_per_class_axis_error(capsys):
    out = _verdict(capsys, checks.check_per_class_accuracy, lambda C: np.diag(C) / C.sum(axis=2))
    assert out.startswith("✗") and "axis" in out.lower()


# Exercise 4: design a small network

def test_wrong_answer_design_too_many_parameters(capsys):
    _wrong(capsys, checks.check_design_small_network, lambda: (32, 0.05), "2,410 parameters")


def test_wrong_answer_design_lr_too_large(capsys):
    _wrong(capsys, checks.check_design_small_network, lambda: (16, 2.0), "too large")


def test_wrong_answer_design_lr_too_small(capsys):
    _wrong(capsys, checks.check_design_small_network, lambda: (16, 0.001), "too small")


def test_wrong_answer_design_too_few_units(capsys):
    _wrong(capsys, checks.check_design_small_network, lambda: (8, 0.05), "use more of the budget")


def test_wrong_answer_design_lr_a_little_too_large(capsys):
    """η = 0.2 does not diverge, but one of the three runs collapses: the mean says so."""
    _wrong(capsys, checks.check_design_small_network, lambda: (16, 0.2), "too large")


def test_design_passes_on_the_mean_of_three_runs(capsys):
    """(10, 0.05) reads 94.2 % on average and fails; (10, 0.02) reads 95.4 % and passes: the
    verdict is about the design, not about 'too few units' in general."""
    _wrong(capsys, checks.check_design_small_network, lambda: (10, 0.05), "94.2% on average")
    assert _verdict(capsys, checks.check_design_small_network, lambda: (10, 0.02))[0] == "✓"


def test_wrong_answer_design_swapped(capsys):
    _wrong(capsys, checks.check_design_small_network, lambda: (0.05, 16), "whole number")


def test_wrong_answer_design_one_number(capsys):
    _wrong(capsys, checks.check_design_small_network, lambda: 16, "(hidden, lr)")


def test_check_all_counts(capsys):
    checks.check_per_class_accuracy(ref_per_class)
    capsys.readouterr()
    checks.check_all("08")
    assert "✓ Exercise 3: per_class_accuracy" in capsys.readouterr().out


def test_wrong_answer_per_class_row_max_not_diagonal(capsys):
    _wrong(capsys, checks.check_per_class_accuracy, lambda C: C.max(axis=1) / C.sum(axis=1),
           "largest entry of each row")


def test_wrong_answer_per_class_floor_division(capsys):
    _wrong(capsys, checks.check_per_class_accuracy, lambda C: np.diag(C) // C.sum(axis=1),
           "floor division")


def test_wrong_answer_design_lr_as_text(capsys):
    _wrong(capsys, checks.check_design_small_network, lambda: (19, "0.05"), "remove the quotes")


X_test = np.zeros((3, 64))   # notebook-level test data that a design function might read


def test_wrong_answer_design_reads_the_test_set(capsys):
    """Issue 20: the ✓ claimed "the test set is still untouched" without checking it."""
    def design():
        if X_test.shape[0] > 0:          # any use of the test set to choose
            return 16, 0.05
        return 16, 0.1
    _wrong(capsys, checks.check_design_small_network, design, "`X_test`")


def test_design_check_reads_the_names_of_the_function():
    from nnlib.explore.digits import digits_splits

    def peeks():
        return 16, 0.05 if len(digits_splits()[2]) else 0.1
    assert checks._test_data_read(lambda: (16, 0.05)) == ""
    assert checks._test_data_read(peeks) == "`digits_splits`"


def test_wrong_answer_pixel_push_precedence(capsys):
    _wrong(capsys, checks.check_pixel_push,
           lambda: tuple(0.5 * raw / 8 - 1 for raw in (0, 8, 16)), "brackets")


def test_wrong_answer_confusion_one_row_shared(capsys):
    def f(y_true, y_pred, K):
        C = [[0] * K] * K
        for t, p in zip(y_true, y_pred, strict=True):
            C[t][p] += 1
        return C
    _wrong(capsys, checks.check_confusion_counts, f, "[[0] * K] * K repeats ONE list")


def test_wrong_answer_confusion_zeros_k_k(capsys):
    def f(y_true, y_pred, K):
        C = np.zeros(K, K)
        for t, p in zip(y_true, y_pred, strict=True):
            C[t, p] += 1
        return C
    _wrong(capsys, checks.check_confusion_counts, f, "np.zeros((K, K))")


def test_wrong_answer_accuracy_rounded(capsys):
    """The worked table's fractions are exact in 2 decimals: only the random tables catch it."""
    _wrong(capsys, checks.check_per_class_accuracy,
           lambda C: np.round(np.diag(C) / C.sum(axis=1), 2), "rounded")


def test_wrong_answer_accuracy_divides_in_place(capsys):
    def f(C):
        C /= C.sum(axis=1, keepdims=True)
        return np.diag(C)
    _wrong(capsys, checks.check_per_class_accuracy, f, "integers")


def test_verified_designs_meet_the_contract():
    """The designs tests/mutants/lesson08.py skips as right answers really are right:
    ≤ 1,500 parameters and ≥ 95 % mean validation accuracy over seeds 0, 1, 2."""
    import sys
    from pathlib import Path
    sys.path.insert(0, str(Path(__file__).resolve().parent))
    from mutants.lesson08 import VERIFIED_DESIGNS
    for (hidden, lr), shown in VERIFIED_DESIGNS.items():
        acc, diverged = checks._mean_val_acc(hidden, lr)
        assert 75 * hidden + 10 <= 1500 and not diverged and acc >= 0.95, (hidden, lr, acc)
        assert f"{acc:.1%}".replace("%", " %") == shown, (hidden, lr, acc)

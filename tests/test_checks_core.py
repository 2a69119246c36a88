"""The shared check plumbing (nnlib.checks._core): every generic slip, written as real learner
code, gives exactly one ✗ line that names the slip; numbers print as a person writes them;
report never raises; the hint ladder climbs idea → formula → code.

Lesson-specific slips are in tests/test_lessonNN.py.
"""

from __future__ import annotations

import json

import numpy as np
import pytest

from nnlib.checks import _core
from nnlib.checks._core import Exercise, Hint, array, call, fmt, ladder, number, register, report

LESSON = "core-test"


@pytest.fixture(autouse=True)
def _lesson():
    register(LESSON, [Exercise("relu", "implement", idea="Keep the positive part.",
                               formula="ReLU(z) = max(0, z), element by element"),
                      Exercise("double_relu", "predict"), "plain_name"])
    yield
    for table in (_core._LESSONS, _core._EXERCISES, _core._RESULTS):
        table.pop(LESSON, None)
    for key in [k for k in _core._RUNGS if k[0] == LESSON]:
        del _core._RUNGS[key]


def verdict(capsys, fn, *args, name=None, **kwargs) -> str:
    """Run ``fn`` through call() inside report(); return the single line printed."""
    ok = report(LESSON, "relu", lambda: (call(fn, *args, name=name, **kwargs), "fine")[1])
    out = capsys.readouterr().out
    lines = out.splitlines()
    assert len(lines) == 1, f"expected exactly one line, got {lines!r}"
    line = lines[0]
    assert line.startswith("✓" if ok else "✗"), line
    assert "Traceback" not in line and "np.float64" not in line
    return line


def failed(capsys, fn, *args, **kwargs) -> str:
    line = verdict(capsys, fn, *args, **kwargs)
    assert line.startswith("✗ Exercise 1 (relu): "), line
    return line


# ---------------------------------------------------------------- slips the learner raises

def test_not_written_yet(capsys):
    def relu(z):
        """Keep the positive part."""
        raise NotImplementedError("not written yet")
    line = failed(capsys, relu, np.array([-1.0, 2.0]))
    assert "`relu` is not written yet" in line


def test_not_written_yet_in_another_learner_function(capsys):
    def relu(z):
        raise NotImplementedError("not written yet")

    def double_relu(z):
        return 2 * relu(z)
    line = failed(capsys, double_relu, np.array([-1.0, 2.0]))
    assert "`double_relu` calls your `relu`, which is not written yet" in line


def test_not_written_yet_reached_through_a_lambda(capsys):
    def forward(X):
        raise NotImplementedError("not written yet")
    line = failed(capsys, lambda: forward(np.ones(2)), name="forward")
    assert "`forward` is not written yet" in line


def test_matmul_shape_mismatch_names_both_shapes_and_the_rule(capsys):
    def layer(X, W):
        return X @ W
    line = failed(capsys, layer, np.ones((4, 3)), np.ones((2, 3)))
    assert "(4, 3) @ (2, 3)" in line
    assert "(n, k) @ (k, m) → (n, m)" in line
    assert "`X @ W`" in line and "transposed" in line
    assert "gufunc" not in line and "core dimension" not in line


def test_matmul_in_the_wrong_order(capsys):
    def layer(X, W):
        return W @ X        # W (3, 2), X (4, 3): X @ W was meant
    line = failed(capsys, layer, np.ones((4, 3)), np.ones((3, 2)))
    assert "(3, 2) @ (4, 3)" in line and "Swap the order" in line


def test_np_dot_shape_mismatch(capsys):
    def layer(X, W):
        return np.dot(X, W)
    line = failed(capsys, layer, np.ones((5, 2)), np.ones((3, 1)))
    assert "(5, 2)" in line and "(3, 1)" in line and "(n, k) @ (k, m)" in line
    assert "not aligned" not in line


def test_elementwise_product_of_mismatched_shapes(capsys):
    def layer(X, W):
        return X * W        # * where @ was meant
    line = failed(capsys, layer, np.ones((4, 3)), np.ones((3, 2)))
    assert "(4, 3) and (3, 2)" in line and "`@`" in line
    assert "broadcast" not in line


def test_python_max_on_an_array(capsys):
    def relu(z):
        return max(0, z)
    line = failed(capsys, relu, np.array([-1.0, 2.0, 0.5]))
    assert "np.maximum" in line and "Python's `max`" in line
    assert "ambiguous" not in line and "a.any()" not in line


def test_if_on_an_array(capsys):
    def relu(z):
        if z > 0:
            return z
        return 0 * z
    line = failed(capsys, relu, np.array([-1.0, 2.0]))
    assert "np.where" in line and "`if`" in line


def test_caret_for_power_on_floats(capsys):
    def square(x):
        return x ^ 2
    line = failed(capsys, square, 1.5)
    assert "^ is XOR in Python; use ** for powers" in line


def test_caret_for_power_on_float_arrays(capsys):
    def square(x):
        return x ^ 2
    line = failed(capsys, square, np.array([1.5, 2.0]))
    assert "^ is XOR in Python; use ** for powers" in line and "bitwise_xor" not in line


def test_axis_that_does_not_exist(capsys):
    def total(y):
        return y.sum(axis=1)
    line = failed(capsys, total, np.array([1.0, 2.0, 3.0]))
    assert "axis 1 of an array with 1 axis" in line and "axes count from 0" in line
    assert "AxisError" not in line


def test_name_error_names_the_missing_name(capsys):
    def predict(x):
        return w_true * x   # noqa: F821 (a name from outside the function, not defined here)
    line = failed(capsys, predict, 2.0)
    assert "`w_true`" in line and "use the arguments" in line.lower()


def test_zero_division(capsys):
    def mean(values):
        return sum(values) / (len(values) - 3)
    line = failed(capsys, mean, [1.0, 2.0, 3.0])
    assert "divided by zero" in line


def test_off_by_one_index(capsys):
    def last(y):
        return y[len(y)]
    line = failed(capsys, last, np.array([1.0, 2.0, 3.0]))
    assert "index 3" in line and "size 3" in line and "0 to 2" in line and "Off by one" in line


def test_arithmetic_on_a_list(capsys):
    def shift(values):
        return values - 1.0
    line = failed(capsys, shift, [1.0, 2.0])
    assert "Python list" in line and "np.asarray" in line
    assert "unsupported operand" not in line


def test_generic_exception_gives_kind_and_plain_reason_without_its_text(capsys):
    def lookup(key):
        return {"a": 1.0}[key]
    line = failed(capsys, lookup, "secret-text-xyz")
    assert "`lookup` raised KeyError" in line and "secret-text-xyz" not in line


def test_error_in_a_helper_names_the_helper(capsys):
    def helper(z):
        return z.sum(axis=3)

    def loss(z):
        return helper(z) * 2
    line = failed(capsys, loss, np.ones((2, 2)))
    assert "`loss` (in `helper`)" in line


def test_wrong_number_of_arguments_names_the_function_not_the_checker(capsys):
    def fit_line(x):
        return x
    line = failed(capsys, fit_line, 1.0, 2.0)
    assert "`fit_line` was called with arguments it does not accept" in line
    assert "(in `call`)" not in line


def test_an_error_the_learner_raises_on_purpose_keeps_their_words(capsys):
    def relu(z):
        raise ValueError("z must be an array")
    line = failed(capsys, relu, 1.0)
    assert "`relu` raised ValueError: z must be an array" in line
    assert "NumPy" not in line


def test_row_and_column_where_a_flat_array_was_expected_are_told_apart():
    with pytest.raises(Hint, match="a row where a flat array"):
        array(np.ones((1, 4)), "db", shape=(4,))
    with pytest.raises(Hint, match="a column where a flat array"):
        array(np.ones((4, 1)), "db", shape=(4,))


# ---------------------------------------------------------------- slips the learner returns

def test_returns_none(capsys):
    def mse(y_hat, y):
        np.mean((y_hat - y) ** 2)
    line = failed(capsys, mse, np.ones(3), np.zeros(3))
    assert "returned None: did you forget `return`?" in line


def test_returns_a_method_instead_of_its_value(capsys):
    def mse(y_hat, y):
        return ((y_hat - y) ** 2).mean
    line = failed(capsys, mse, np.ones(3), np.zeros(3))
    assert "returned the function `mean` instead of its value" in line and "parentheses" in line


def test_returns_a_string(capsys):
    def slope():
        return "0.5"
    line = failed(capsys, slope)
    assert "returned the text '0.5'" in line and "quotes" in line


def test_string_allowed_for_predictions(capsys):
    def predict_direction():
        return "up"
    line = verdict(capsys, predict_direction, text=True)
    assert line.startswith("✓")


def test_returns_nan(capsys):
    def loss(p):
        return np.log(p) * 0     # log(0) * 0 = nan
    line = failed(capsys, loss, np.array([0.0, 0.5]))
    assert "nan" in line and "log(0)" in line


def test_nan_allowed_when_asked(capsys):
    def blow_up(x):
        return np.exp(x)
    line = verdict(capsys, blow_up, 1000.0, finite=False)
    assert line.startswith("✓")


def test_not_callable(capsys):
    line = failed(capsys, 0.25)
    assert "expected a function, got 0.25" in line and "without calling it" in line


def test_numpy_warnings_are_silenced(capsys, recwarn):
    def ratio(a, b):
        return a / b
    failed(capsys, ratio, np.array([1.0]), np.array([0.0]))
    assert len(recwarn) == 0


# ---------------------------------------------------------------- report never raises

def test_report_catches_a_bug_in_the_check_itself(capsys):
    def buggy_check():
        return {}["missing"]          # the check's own code is wrong
    ok = report(LESSON, "double_relu", buggy_check)
    lines = capsys.readouterr().out.splitlines()
    assert ok is False and len(lines) == 1
    assert lines[0].startswith("✗ Exercise 2 (double_relu):")
    assert "(internal check error: please report)" in lines[0]
    assert _core._RESULTS[LESSON]["double_relu"] is False


def test_report_keeps_a_multiline_hint_on_one_line(capsys):
    def run():
        raise Hint("first part\nsecond part")
    report(LESSON, "relu", run)
    assert capsys.readouterr().out == "✗ Exercise 1 (relu): first part second part\n"


def test_report_success_records_the_result(capsys):
    assert report(LESSON, "plain_name", lambda: "An insight.")
    assert capsys.readouterr().out == "✓ Exercise 3 (plain_name) solved. An insight.\n"
    _core.assert_solved(LESSON, "plain_name")
    with pytest.raises(AssertionError):
        _core.assert_solved(LESSON, "relu")


# ---------------------------------------------------------------- fmt, number, array

@pytest.mark.parametrize("value, text", [
    (np.float64(0.14142135), "0.1414"),
    ([np.float64(-1.0), np.float64(1.0), 0], "[-1, 1, 0]"),
    (np.array([-1.0, 1.0, 0.0, -4.0, 2.0]), "[-1, 1, 0, -4, 2]"),
    (1e-8, "1e-08"),
    (np.float32(0.1), "0.1"),
    (-0.0, "0"),
    (2.5, "2.5"),
    (np.int64(7), "7"),
    (123456.7, "123457"),
    (float("nan"), "nan"),
    (-np.inf, "-inf"),
    ((4, 3), "(4, 3)"),
    ((3,), "(3,)"),
    (np.array([[1.5, 2.0], [3.0, 4.0]]), "[[1.5, 2], [3, 4]]"),
    (np.arange(100.0), "[0, 1, 2, …, 99] (100 values)"),
    (np.zeros((10, 5)), "an array of shape (10, 5)"),
    (np.bool_(True), "True"),
    ("up", "'up'"),
    (None, "None"),
])
def test_fmt(value, text):
    assert fmt(value) == text


def test_fmt_names_functions_instead_of_their_repr():
    def relu(z):
        return z
    assert fmt(relu) == "the function `relu`"
    assert "0x" not in fmt(object())


def test_number():
    assert number(np.float64(2.5), "the loss") == 2.5
    with pytest.raises(Hint, match=r"the loss should be one number, got ndarray of shape \(3,\)"):
        number(np.ones(3), "the loss")
    with pytest.raises(Hint, match="the loss is None"):
        number(None, "the loss")
    with pytest.raises(Hint, match="the loss is nan"):
        number(float("nan"), "the loss")
    with pytest.raises(Hint, match="text '1.0'"):
        number("1.0", "the loss")


def test_array():
    out = array([1, 2], "dW", shape=(2,))
    assert out.dtype == float and out.tolist() == [1.0, 2.0]
    assert array(np.ones((5, 3)), "A", shape=(None, 3)).shape == (5, 3)
    with pytest.raises(Hint, match=r"dW has shape \(2, 3\), expected \(3, 2\): transposed"):
        array(np.ones((2, 3)), "dW", shape=(3, 2))
    with pytest.raises(Hint, match=r"a column where a flat array was expected"):
        array(np.ones((4, 1)), "db", shape=(4,))
    with pytest.raises(Hint, match=r"db contains nan"):
        array([1.0, np.nan], "db")
    with pytest.raises(Hint, match="the function `mean`"):
        array(np.ones(3).mean, "y_hat")


# ---------------------------------------------------------------- Exercise, register, ladder

def test_exercise_kind_is_checked():
    with pytest.raises(ValueError, match="kind must be one of"):
        Exercise("gd_step", "guess")


def test_register_accepts_plain_names():
    register("core-plain", ["a", "b"])
    try:
        assert _core._LESSONS["core-plain"] == ["a", "b"]
        assert [e.kind for e in _core.exercises("core-plain")] == ["implement", "implement"]
    finally:
        _core._LESSONS.pop("core-plain")
        _core._EXERCISES.pop("core-plain")
        _core._RESULTS.pop("core-plain")


@pytest.fixture
def solutions_file(tmp_path, monkeypatch):
    path = tmp_path / "solutions.json"
    code = 'def relu(z):\n    """Keep the positive part."""\n    return np.maximum(0, z)\n'
    path.write_text(json.dumps({LESSON: {"relu": code}}))
    monkeypatch.setattr(_core, "SOLUTIONS", path)
    return code


def test_hint_ladder_climbs_idea_formula_code(capsys, solutions_file):
    hint, _ = ladder(LESSON)
    hint("relu")
    first = capsys.readouterr().out
    assert first.startswith("Hint 1 of 3 (the idea): Keep the positive part.\n")
    assert "formula" not in first.splitlines()[0] and "np.maximum" not in first
    hint("relu")
    second = capsys.readouterr().out
    assert second.startswith("Hint 2 of 3 (the formula): ReLU(z) = max(0, z)")
    assert "np.maximum" not in second
    hint("relu")
    assert capsys.readouterr().out == "Hint 3 of 3 (the code):\n" + solutions_file
    hint("relu")   # stays on the last rung
    assert capsys.readouterr().out == "Hint 3 of 3 (the code):\n" + solutions_file


def test_show_solution_at_once_and_by_function(capsys, solutions_file):
    _, show_solution = ladder(LESSON)

    def relu(z):
        raise NotImplementedError
    show_solution(relu)
    assert capsys.readouterr().out == "The solution of `relu`:\n" + solutions_file


def test_ladder_unknown_name_suggests_and_never_raises(capsys, solutions_file):
    hint, show_solution = ladder(LESSON)
    hint("rleu")
    show_solution("nothing_like_it")
    lines = capsys.readouterr().out.splitlines()
    assert len(lines) == 2
    assert "no exercise called 'rleu'" in lines[0] and "Did you mean 'relu'?" in lines[0]
    assert "relu, double_relu, plain_name" in lines[1] and "Did you mean" not in lines[1]


def test_ladder_without_idea_goes_to_the_code(capsys, solutions_file):
    hint, _ = ladder(LESSON)
    hint("double_relu")     # registered without idea or formula, and no code stored
    out = capsys.readouterr().out
    assert out.startswith("Hint 3 of 3 (the code):\n")
    assert "not in this installation" in out


def test_committed_solutions_cover_every_registered_exercise():
    """solutions.json (tools/editions.py) has code for each exercise the lessons register."""
    import importlib
    stored = _core.solutions()
    missing = []
    for nn in [f"{i:02d}" for i in range(1, 10)]:
        importlib.import_module(f"nnlib.checks.lesson{nn}")
        for name in _core._LESSONS.get(nn, []):
            if name not in stored.get(nn, {}):
                missing.append(f"{nn}/{name}")
    assert not missing, f"no stored solution for {missing}: run tools/editions.py --solutions"


# ---------------------------------------------------------------- data from outside the function

Y_OUTSIDE = np.array([1.0, 2.0, 3.0])   # a notebook variable the learner's function reads


def test_a_wrong_answer_names_data_read_from_outside_the_function(capsys):
    def mse(y_hat, y):
        return float(np.mean((y_hat - Y_OUTSIDE) ** 2))   # Y_OUTSIDE instead of y

    def run():
        got = call(mse, np.zeros(3), np.ones(3))
        if got != 1.0:
            raise Hint(f"got {fmt(got)}, expected 1")
        return "fine"
    report(LESSON, "relu", run)
    line = capsys.readouterr().out.strip()
    assert line == ("✗ Exercise 1 (relu): got 4.667, expected 1 (note: `mse` uses "
                    "`Y_OUTSIDE` from outside the function: use its arguments instead)")


def test_outside_data_ignores_modules_functions_and_arguments():
    def helper(v):
        return v

    def mse(y_hat, y):
        return np.mean(helper(y_hat - y) ** 2)
    assert _core.outside_data(mse) == []
    assert _core.outside_data(lambda y: [v for v in Y_OUTSIDE]) == ["Y_OUTSIDE"]
    assert _core.outside_data(lambda: Y_OUTSIDE) == []   # no arguments it could use instead


def test_a_callable_object_is_a_result_not_a_forgotten_call(capsys):
    class Model:
        def __call__(self, X):
            return X

    def build():
        return Model()
    assert verdict(capsys, build).startswith("✓")

    def build_np():
        return np.mean          # a NumPy function, not its value
    assert "returned the function `mean`" in failed(capsys, build_np)


def test_an_endless_loop_is_stopped_with_a_hint(capsys):
    def descend(w, lr):
        steps = 0
        while abs(w) > 1e-3:      # lr = 0: w never changes
            w = w - lr * 2 * w
            steps += 1
        return steps
    line = failed(capsys, descend, 1.0, 0.0, time_limit=0.2)
    assert "`descend` ran for more than 0.2 s without returning" in line
    assert "loop that never ends" in line


def test_a_tuple_with_a_nan_and_ragged_parts(capsys):
    def grads(x):
        return np.ones(2), np.array([np.nan, 1.0, 2.0])
    assert "nan (not a number) in its result" in failed(capsys, grads, 1.0)


def test_report_rewrites_numpy_reprs_a_check_slipped_into_its_hint(capsys):
    got = [np.float64(-1.0), np.float64(0.25)]
    want = np.array([1.0, 0.25])
    report(LESSON, "relu", lambda: (_ for _ in ()).throw(
        Hint(f"returned {got!r}, expected {want!r}, flag {np.True_!r}, w={np.float32(2.5)!r}")))
    # NumPy 2 writes np.float64(-1.0) (rewritten to -1); NumPy 1 already writes a plain -1.0
    first = "[-1, 0.25]" if np.lib.NumpyVersion(np.__version__) >= "2.0.0" else "[-1.0, 0.25]"
    assert capsys.readouterr().out == (f"✗ Exercise 1 (relu): returned {first}, expected "
                                       "[1, 0.25], flag True, w=2.5\n")


# ---------------------------------------------------------------- issue 20: the new standard

@pytest.mark.parametrize("k, text", [(1, "1st"), (2, "2nd"), (3, "3rd"), (4, "4th"),
                                     (11, "11th"), (12, "12th"), (13, "13th"), (21, "21st"),
                                     (22, "22nd"), (101, "101st"), (111, "111th")])
def test_ordinal(k, text):
    assert _core.ordinal(k) == text


def test_call_passes_copies_and_names_the_changed_input(capsys):
    W1 = np.array([[1.0, -2.0], [3.0, 4.0]])
    before = W1.copy()

    def step(W1, lr):
        W1 -= lr * W1
        return W1

    line = verdict(capsys, step, W1, 0.1)
    assert "changed the caller's `W1`" in line and "compute new arrays instead" in line, line
    assert np.array_equal(W1, before)   # the caller's array is untouched


def test_call_names_a_changed_list_inside_a_list(capsys):
    params = [(np.ones(2), np.zeros(1))]

    def f(params):
        params[0][0][0] = 5.0
        return 1.0

    assert "changed the caller's `params`" in verdict(capsys, f, params)


def test_call_lets_a_random_generator_advance(capsys):
    rng = np.random.default_rng(0)
    assert verdict(capsys, lambda r: r.normal(), rng).startswith("✓")


def test_call_may_leave_inputs_alone_when_told(capsys):
    def f(z):
        z[0] = 1.0
        return z
    ok = report(LESSON, "relu", lambda: (call(f, np.zeros(2), copy_inputs=False), "fine")[1])
    assert ok


def test_none_inside_a_returned_pair_names_its_position(capsys):
    line = verdict(capsys, lambda: (np.ones(2), None))
    assert "2nd value is None" in line and "nan" not in line, line


def test_numbers_as_text_inside_a_result_say_remove_the_quotes(capsys):
    line = verdict(capsys, lambda: ([1, 1], "-1.5"))
    assert "remove the quotes" in line, line


def test_np_max_with_two_arguments(capsys):
    def my_relu(z):
        return np.max(0, z)
    line = verdict(capsys, my_relu, np.array([1.0, -2.0]))
    assert "np.maximum(0, z)" in line and "axis" in line and "TypeError" not in line, line


def test_np_zeros_with_two_sizes(capsys):
    def counts(K):
        return np.zeros(K, K)
    line = verdict(capsys, counts, 3)
    assert "np.zeros((K, K))" in line and "TypeError" not in line, line


def test_in_place_division_of_an_integer_array(capsys):
    def normalise(C):
        C /= C.sum(axis=1, keepdims=True)
        return C
    line = verdict(capsys, normalise, np.ones((2, 2), dtype=int))
    assert "whole numbers" in line and "C = C / …" in line, line


def test_unpacking_the_wrong_number_of_layers(capsys):
    def forward(X, params):
        (W1, b1), (W2, b2) = params
        return X @ W1 + b1
    params = [(np.ones((2, 2)), np.zeros(2))] * 3
    line = verdict(capsys, forward, np.ones((1, 2)), params)
    assert "unpacks into 2 names" in line and "`params`" in line, line


def test_the_variable_that_is_none_is_named(capsys):
    def f(x):
        ordered = x.sort()
        return ordered[0]
    line = verdict(capsys, f, [3, 1, 2])
    # .sort() works in place: the check names both the side effect and the None
    assert "changed the caller's `x`" in line or "`ordered` is None" in line, line

    def g(x):
        ordered = sorted(x).reverse()
        return ordered * 2
    line = verdict(capsys, g, [3, 1, 2])
    assert "`ordered` is None" in line, line


def test_sequence_policy():
    for value in ((1, 2), [1, 2], np.array([1.0, 2.0]), (np.float64(1), np.int64(2))):
        assert _core.sequence(value, "w", 2).tolist() == [1.0, 2.0]
    for value, needle in [(["1", "1"], "remove the quotes"), ({"w": 1}, "dictionary"),
                          (3.0, "one number"), ([1, 2, 3], "exactly two"),
                          (np.ones((2, 1)), "flat")]:
        with pytest.raises(Hint, match=needle):
            _core.sequence(value, "w", 2)


def test_number_policy():
    for value in (3, 3.5, np.float32(3.5), np.int64(3), np.array(2.0)):
        assert number(value, "b") == float(value)
    for value, needle in [("-1.5", "remove the quotes"), (True, "yes/no"), ([1.0], "one number")]:
        with pytest.raises(Hint, match=needle):
            number(value, "b")


def test_explain_names_a_slip_only_when_it_fits_every_case():
    got = [2.0, 4.0, 6.0]
    assert _core.explain(got, [("double", [2.0, 4.0, 6.0])]) == "double"
    # fits the first case only: never named
    assert _core.explain(got, [("guess", [2.0, 5.0, 7.0])]) is None


def test_rounded_spots_int_and_round():
    assert "cut off the fraction" in _core.rounded([1, -1], [1.9, -1.9])
    assert "rounded to whole numbers" in _core.rounded([2, -2], [1.9, -1.9])
    assert _core.rounded([1.9, -1.9], [1.9, -1.9]) is None
    assert _core.rounded([3, 3], [1.9, -1.9]) is None


def one_step_lr(c2):
    return 1 / 2 * c2


def one_step_lr_inverted(c2):
    return c2 / 2


def test_precedence_slip_is_verified_on_every_case():
    cases, want = [(2.5,), (0.2,), (13.0,)], [1 / 5, 1 / 0.4, 1 / 26]
    line = _core.precedence_slip(one_step_lr, cases, want)
    assert line and "`1 / (2 * c2)`" in line and "(1 / 2) * c2" in line
    # the same numbers written without a precedence slip: nothing to regroup into the answer
    assert _core.precedence_slip(one_step_lr_inverted, cases, want) is None


def test_improves_simulates_the_advice():
    steps = {0.9: 33, 0.95: 63, 0.7: 12}
    assert _core.improves(steps.get, 0.9, 0.7)
    assert not _core.improves(steps.get, 0.9, 0.95)


def test_check_all_reruns_on_the_current_functions(capsys):
    from nnlib.checks import lesson01

    def df(x):
        return 6 * x - 4

    ns = {"df": df}
    lesson01.check_df(df)
    capsys.readouterr()
    lesson01.check_all("01", namespace=ns)
    assert "✓ Exercise 1: df" in capsys.readouterr().out

    def df(x):  # noqa: F811 - redefined wrongly after its ✓
        return 6 * x + 4

    ns["df"] = df
    lesson01.check_all("01", namespace=ns)
    out = capsys.readouterr().out
    assert "✗ Exercise 1: df" in out and "0 of 4" in out, out


@pytest.mark.parametrize("lesson", ["4", 4, "lesson4", None, 4.0, "99"])
def test_check_all_never_raises_on_a_wrong_lesson(capsys, lesson):
    _core.check_all(lesson)
    lines = capsys.readouterr().out.splitlines()
    assert len(lines) == 1 and lines[0].startswith("✗"), lines
    assert "01, 02" in lines[0]
    if lesson == "4" or type(lesson) is int:
        assert 'check_all("04")' in lines[0]

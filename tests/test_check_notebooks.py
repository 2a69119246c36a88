"""tools/check_notebooks.py: what it accepts, what it rejects (both editions), and the committed
notebooks."""

from __future__ import annotations

import base64
import importlib.util
import subprocess
import sys
from pathlib import Path

import nbformat
import pytest

ROOT = Path(__file__).resolve().parents[1]
SCRIPT = ROOT / "tools" / "check_notebooks.py"
WIDGET_VIEW = "application/vnd.jupyter.widget-view+json"
PNG = base64.b64encode(b"\x89PNG\r\n\x1a\n" + b"\0" * 16).decode()

_spec = importlib.util.spec_from_file_location("check_notebooks", SCRIPT)
check_notebooks = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(check_notebooks)


def good_notebook():
    """What ``make notebooks`` stores: Colab cell first, counts 1..n, explorer with a PNG."""
    nb = nbformat.v4.new_notebook()
    colab = nbformat.v4.new_code_cell('pip install "nn-first-principles @ git+https://x"',
                                      execution_count=1)
    colab.metadata["tags"] = ["colab-setup"]
    explorer = nbformat.v4.new_code_cell("explore_tangent()", execution_count=3, outputs=[
        nbformat.v4.new_output("display_data", data={
            "text/markdown": "🎛️ Shrink **h**.",
            "text/plain": "<IPython.core.display.Markdown object>"}),
        nbformat.v4.new_output("display_data", data={"text/plain": "[explorer] Shrink **h**.",
                                                     "image/png": PNG}),
    ])
    nb.cells = [
        nbformat.v4.new_markdown_cell("# 01 · Derivatives"),
        colab,
        nbformat.v4.new_code_cell("print(1)", execution_count=2, outputs=[
            nbformat.v4.new_output("stream", name="stdout", text="1\n")]),
        explorer,
        nbformat.v4.new_code_cell("1 + 1", execution_count=4, outputs=[
            nbformat.v4.new_output("execute_result", data={"text/plain": "2"},
                                   execution_count=4)]),
    ]
    return nb


SOLUTION = '''def gd_step(w, dw, lr):
    """One gradient-descent step."""
    ### BEGIN SOLUTION
    return w - lr * dw
    ### END SOLUTION'''
CHECK = '''check_gd_step(gd_step)
### BEGIN HIDDEN TESTS
from nnlib.checks import assert_solved
assert_solved("99", "gd_step")
### END HIDDEN TESTS'''
STUB = ('def gd_step(w, dw, lr):\n    """One gradient-descent step."""\n'
        '    raise NotImplementedError("not written yet")')


def with_exercise(nb, learner: bool):
    """Append an exercise (solution cell + check cell) in the instructor or learner form."""
    n = len([c for c in nb.cells if c.cell_type == "code"])
    solution = nbformat.v4.new_code_cell(STUB if learner else SOLUTION, execution_count=n + 1)
    solution.metadata["nbgrader"] = {"grade": False, "solution": True, "locked": False,
                                     "grade_id": "ex99_gd_step", "schema_version": 3}
    printed = ("✗ Exercise 1 (gd_step): `gd_step` is not written yet: replace ...\n" if learner
               else "✓ Exercise 1 (gd_step) solved. One line is the whole learning rule.\n")
    check = nbformat.v4.new_code_cell(
        "check_gd_step(gd_step)" if learner else CHECK, execution_count=n + 2,
        outputs=[nbformat.v4.new_output("stream", name="stdout", text=printed)])
    check.metadata["nbgrader"] = {"grade": True, "solution": False, "locked": True,
                                  "points": 1, "grade_id": "ex99_gd_step_check",
                                  "schema_version": 3}
    nb.cells += [solution, check]
    return nb


def _write(tmp_path, nb, name="99_test.ipynb"):
    path = tmp_path / name
    path.parent.mkdir(parents=True, exist_ok=True)
    nbformat.write(nb, path)
    return path


def _learner(tmp_path, nb):
    return _write(tmp_path, nb, "lessons/99_test.ipynb")


def _explorer_output(nb):
    return nb.cells[3].outputs[1]


def test_good_notebook_passes(tmp_path):
    assert check_notebooks.check_notebook(_write(tmp_path, good_notebook())) == []


def test_good_exercise_passes_in_both_editions(tmp_path):
    instructor = with_exercise(good_notebook(), learner=False)
    learner = with_exercise(good_notebook(), learner=True)
    assert check_notebooks.check_notebook(_write(tmp_path, instructor)) == []
    assert check_notebooks.check_notebook(_learner(tmp_path, learner)) == []


def test_each_edition_rejects_the_other_editions_form(tmp_path):
    instructor = with_exercise(good_notebook(), learner=False)
    learner = with_exercise(good_notebook(), learner=True)
    as_learner = check_notebooks.check_notebook(_learner(tmp_path, instructor))
    assert any("still contains 'BEGIN SOLUTION'" in p for p in as_learner), as_learner
    assert any("still contains 'assert_solved'" in p for p in as_learner), as_learner
    assert any("without the stub" in p for p in as_learner), as_learner
    assert any("should print ✗ … not written yet" in p for p in as_learner), as_learner
    as_instructor = check_notebooks.check_notebook(_write(tmp_path, learner))
    assert any("without a ### BEGIN SOLUTION" in p for p in as_instructor), as_instructor
    assert any("without a ### BEGIN HIDDEN TESTS" in p for p in as_instructor), as_instructor
    assert any("does not pass its check" in p for p in as_instructor), as_instructor


def test_learner_check_that_crashed_or_passed_is_reported(tmp_path):
    nb = with_exercise(good_notebook(), learner=True)
    nb.cells[-1].outputs = []        # Run All stopped before the check printed
    problems = check_notebooks.check_notebook(_learner(tmp_path, nb))
    assert problems == ["cell 6 (ex99_gd_step_check): an open exercise's check should print "
                        "✗ … not written yet, printed: nothing"]


def test_exercise_names_must_agree(tmp_path):
    nb = with_exercise(good_notebook(), learner=False)
    nb.cells[-2].metadata["nbgrader"]["grade_id"] = "ex99_step"
    nb.cells[-1].source = nb.cells[-1].source.replace("check_gd_step(gd_step)", "check(gd_step)")
    problems = check_notebooks.check_notebook(_write(tmp_path, nb))
    assert problems == [
        "cell 5: solution cell of `gd_step` has grade_id 'ex99_step', expected 'ex99_gd_step'",
        "cell 6: check cell of `gd_step` does not call check_gd_step(gd_step)"]


def test_exercise_names_must_match_the_registered_ones(tmp_path):
    """Lesson 03's real check module registers other names than this notebook's gd_step only
    (it has more exercises), which is reported."""
    nb = with_exercise(good_notebook(), learner=True)
    for cell in nb.cells[-2:]:
        meta = cell.metadata["nbgrader"]
        meta["grade_id"] = meta["grade_id"].replace("ex99", "ex03")
    problems = check_notebooks.check_notebook(_write(tmp_path, nb, "lessons/03_test.ipynb"))
    assert len(problems) == 1, problems
    assert problems[0].startswith("nnlib.checks.lesson03 registers [")
    assert problems[0].endswith("the notebook's exercises are ['gd_step']")


def _old_colab_cell(nb):
    nb.cells[1].source = 'pip install "nnlib @ git+https://x"'


def _no_tag(nb):
    nb.cells[1].metadata["tags"] = []


def _counts_out_of_order(nb):
    nb.cells[2].execution_count, nb.cells[3].execution_count = 3, 2


def _unexecuted(nb):
    nb.cells[4].execution_count = None
    nb.cells[4].outputs = []


def _error(nb):
    nb.cells[2].outputs.append(nbformat.v4.new_output(
        "error", ename="ValueError", evalue="bad shape", traceback=["Traceback ..."]))


def _stderr(nb):
    nb.cells[2].outputs.append(nbformat.v4.new_output("stream", name="stderr",
                                                      text="RuntimeWarning: overflow\n"))


def _widget_view(nb):
    _explorer_output(nb).data[WIDGET_VIEW] = {"version_major": 2, "version_minor": 0,
                                              "model_id": "abc"}


def _no_png(nb):
    del _explorer_output(nb).data["image/png"]


def _raw_repr(nb):
    _explorer_output(nb).data = {"text/plain": "VBox(children=(HBox(children=(FloatSlider("}


def _widget_state(nb):
    nb.metadata["widgets"] = {"application/vnd.jupyter.widget-state+json": {"state": {}}}


@pytest.mark.parametrize("mutate, expected", [
    (_no_tag, "not tagged 'colab-setup'"),
    (_old_colab_cell, "does not install 'nn-first-principles @ git+...'"),
    (_counts_out_of_order, "execution counts are not 1..4"),
    (_unexecuted, "execution counts are not 1..4"),
    (_error, "stored error output ValueError: bad shape"),
    (_stderr, "stderr output: RuntimeWarning"),
    (_widget_view, "stores a live widget view"),
    (_no_png, "explorer output without a static image preview"),
    (_raw_repr, "raw widget repr"),
    (_widget_state, "widget state"),
], ids=lambda v: v.__name__.strip("_") if callable(v) else None)
def test_bad_notebook_is_reported(tmp_path, mutate, expected):
    nb = good_notebook()
    mutate(nb)
    problems = check_notebooks.check_notebook(_write(tmp_path, nb))
    assert any(expected in p for p in problems), problems


def test_invalid_file_is_reported(tmp_path):
    path = tmp_path / "01_broken.ipynb"
    path.write_text('{"cells": [}', encoding="utf-8")
    problems = check_notebooks.check_notebook(path)
    assert len(problems) == 1 and "not a readable notebook" in problems[0]


def test_cli_exit_status_and_messages(tmp_path):
    good = _write(tmp_path, good_notebook(), "01_good.ipynb")
    bad_nb = good_notebook()
    _error(bad_nb)
    bad = _write(tmp_path, bad_nb, "02_bad.ipynb")
    ok = subprocess.run([sys.executable, str(SCRIPT), str(good)], capture_output=True, text=True)
    assert ok.returncode == 0, ok.stdout + ok.stderr
    assert "1 notebook(s) OK" in ok.stdout
    fail = subprocess.run([sys.executable, str(SCRIPT), str(good), str(bad)],
                          capture_output=True, text=True)
    assert fail.returncode == 1
    assert "02_bad.ipynb: cell 2: stored error output ValueError" in fail.stdout
    assert "01_good" not in fail.stdout


def test_committed_notebooks():
    """The real notebooks, both editions (``make test`` runs the script too; this reports it
    earlier)."""
    paths = (sorted((ROOT / "notebooks").glob("[0-9][0-9]_*.ipynb"))
             + sorted((ROOT / "lessons").glob("[0-9][0-9]_*.ipynb")))
    if not paths:
        pytest.skip("no lesson notebook yet")
    problems = [f"{p.parent.name}/{p.name}: {msg}" for p in paths
                for msg in check_notebooks.check_notebook(p)]
    assert not problems, "\n".join(problems)

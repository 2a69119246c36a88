"""The learner edition ``lessons/`` (tools/editions.py): no solution code in it, it runs to the
end with no exercise done, and the committed copy is what the generator makes.

The full comparison (with a fresh execution of every lesson) is ``tools/editions.py --check``
in ``make test``; strict nbval re-runs ``lessons/`` too. Here: the generator's pieces, the
committed cells against a generation without a kernel, and one lesson executed end to end.
"""

from __future__ import annotations

import ast
import importlib.util
import json
import re
from pathlib import Path

import nbformat
import pytest

ROOT = Path(__file__).resolve().parents[1]
NOTEBOOKS = sorted((ROOT / "notebooks").glob("[0-9][0-9]_*.ipynb"))
LESSONS = ROOT / "lessons"
STUB = 'raise NotImplementedError("not written yet")'


def _load_tool(name):
    spec = importlib.util.spec_from_file_location(name, ROOT / "tools" / f"{name}.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


editions = _load_tool("editions")


def _solution_cells(nb):
    return [c for c in nb.cells if c.metadata.get("nbgrader", {}).get("solution")]


def _check_cells(nb):
    return [c for c in nb.cells if c.metadata.get("nbgrader", {}).get("grade")]


def _stdout(cell) -> str:
    return "".join(o.get("text", "") for o in cell.get("outputs", [])
                   if o.get("output_type") == "stream" and o.get("name") == "stdout")


# ---------------------------------------------------------------- the generator's pieces

INSTRUCTOR = nbformat.v4.new_notebook()
INSTRUCTOR.metadata["kernelspec"] = {"name": "python3", "language": "python",
                                     "display_name": "Python 3"}
_sol = nbformat.v4.new_code_cell('''def mean_abs(y):
    """The mean of |y|. y: (n,) array. Returns a number."""
    ### BEGIN SOLUTION
    total = np.abs(y).sum()
    return total / len(y)
    ### END SOLUTION''')
_sol.metadata["nbgrader"] = {"grade": False, "solution": True, "locked": False,
                             "grade_id": "ex42_mean_abs", "schema_version": 3}
_chk = nbformat.v4.new_code_cell('''check_mean_abs(mean_abs)
### BEGIN HIDDEN TESTS
assert_solved("42", "mean_abs")
### END HIDDEN TESTS''')
_chk.metadata["nbgrader"] = {"grade": True, "solution": False, "locked": True, "points": 2,
                             "grade_id": "ex42_mean_abs_check", "schema_version": 3}
INSTRUCTOR.cells = [nbformat.v4.new_markdown_cell("# 42 · Test"), _sol, _chk]


def test_learner_notebook_stubs_the_region_and_drops_the_hidden_test():
    nb = editions.learner_notebook(INSTRUCTOR)
    colab, solution, check = [c for c in nb.cells if c.cell_type == "code"]
    assert "colab-setup" in colab.metadata["tags"]
    assert solution.source == ('def mean_abs(y):\n'
                               '    """The mean of |y|. y: (n,) array. Returns a number."""\n'
                               '    raise NotImplementedError("not written yet")')
    assert check.source == "check_mean_abs(mean_abs)"
    # nbgrader's release metadata: locks and checksums, grade ids and points kept
    assert check.metadata["editable"] is False and check.metadata["deletable"] is False
    assert solution.metadata["deletable"] is False and "editable" not in solution.metadata
    assert check.metadata["nbgrader"]["points"] == 2
    assert re.fullmatch(r"[0-9a-f]{32}", solution.metadata["nbgrader"]["checksum"])
    # the instructor notebook itself is untouched
    assert "### BEGIN SOLUTION" in INSTRUCTOR.cells[1].source


def test_solutions_json_entries_are_the_function_without_markers():
    code = editions.solutions_of(INSTRUCTOR, "42")
    assert code == {"mean_abs": 'def mean_abs(y):\n'
                                '    """The mean of |y|. y: (n,) array. Returns a number."""\n'
                                '    total = np.abs(y).sum()\n'
                                '    return total / len(y)\n'}


def test_check_reports_a_changed_lesson_and_a_stale_solutions_file(tmp_path):
    committed, fresh = tmp_path / "committed", tmp_path / "fresh"
    committed.mkdir()
    fresh.mkdir()
    nb = editions.learner_notebook(INSTRUCTOR)
    nbformat.write(nb, fresh / "42_test.ipynb")
    (tmp_path / "fresh.json").write_text('{"42": {}}\n')
    (tmp_path / "committed.json").write_text('{"42": {}}\n')
    args = (committed, fresh, tmp_path / "committed.json", tmp_path / "fresh.json")
    assert editions.differences(*args) == ["lessons/42_test.ipynb is missing"]
    nbformat.write(nb, committed / "42_test.ipynb")
    assert editions.differences(*args) == []
    nb.cells[2].outputs = [nbformat.v4.new_output("stream", name="stdout", text="✓ edited\n")]
    nbformat.write(nb, committed / "42_test.ipynb")
    (tmp_path / "committed.json").write_text('{"42": {"mean_abs": "old"}}\n')
    problems = editions.differences(*args)
    assert len(problems) == 2
    assert problems[0].startswith("lessons/42_test.ipynb differs from the generated copy")
    assert "-  > stdout: ✓ edited" in problems[0]
    assert problems[1] == "nnlib/checks/solutions.json differs from the instructor notebooks"


# ---------------------------------------------------------------- the committed learner edition

def _lesson(path: Path) -> Path:
    return LESSONS / path.name


def test_every_lesson_has_a_learner_edition():
    assert NOTEBOOKS, "no instructor notebooks"
    missing = [p.name for p in NOTEBOOKS if not _lesson(p).exists()]
    extra = sorted({p.name for p in LESSONS.glob("[0-9][0-9]_*.ipynb")}
                   - {p.name for p in NOTEBOOKS})
    assert not missing and not extra, f"run tools/editions.py: missing {missing}, extra {extra}"


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.stem)
def test_no_solution_code_in_the_learner_edition(path):
    instructor = nbformat.read(path, as_version=4)
    learner = nbformat.read(_lesson(path), as_version=4)
    text = "\n".join(c.source for c in learner.cells)
    for marker in ("BEGIN SOLUTION", "END SOLUTION", "HIDDEN TESTS", "assert_solved"):
        assert marker not in text
    solutions = _solution_cells(instructor)
    stubs = _solution_cells(learner)
    assert len(solutions) == len(stubs) >= 2
    for solution, stub in zip(solutions, stubs, strict=True):
        lines = solution.source.split("\n")
        begin = next(i for i, l in enumerate(lines) if "### BEGIN SOLUTION" in l)
        end = next(i for i, l in enumerate(lines) if "### END SOLUTION" in l)
        indent = lines[begin][: len(lines[begin]) - len(lines[begin].lstrip())]
        # everything outside the region is kept, the region is one stub line
        assert stub.source.split("\n") == lines[:begin] + [indent + STUB] + lines[end + 1:]
        ast.parse(stub.source)  # still a valid function definition


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.stem)
def test_committed_cells_match_the_generator(path):
    """Sources and metadata of the committed copy equal a fresh generation (no kernel needed;
    outputs are compared by ``tools/editions.py --check`` and nbval)."""
    fresh = editions.learner_notebook(nbformat.read(path, as_version=4))
    committed = nbformat.read(_lesson(path), as_version=4)

    def cells(nb):
        return [(c.cell_type, c.source, c.metadata) for c in nb.cells]
    assert cells(committed) == cells(fresh), "run tools/editions.py and commit lessons/"


@pytest.mark.parametrize("path", NOTEBOOKS, ids=lambda p: p.stem)
def test_stored_learner_run_reached_the_end(path):
    """The stored outputs come from Run All with no exercise done: every check printed one
    ✗ line saying "not written yet", no cell raised, check_all says 0 solved."""
    nb = nbformat.read(_lesson(path), as_version=4)
    code = [c for c in nb.cells if c.cell_type == "code"]
    assert [c.execution_count for c in code] == list(range(1, len(code) + 1))
    assert not [o for c in code for o in c.outputs if o.output_type == "error"]
    for cell in _check_cells(nb):
        lines = _stdout(cell).splitlines()   # the check's line (then check_all's, if here)
        verdicts = [line for line in lines if line.startswith(("✓", "✗"))]
        assert len(verdicts) == 1 and lines[0] == verdicts[0], lines
        assert lines[0].startswith("✗") and "not written yet" in lines[0], lines
    summary = "".join(_stdout(c) for c in code if "check_all(" in c.source)
    n = len(_check_cells(nb))
    assert re.search(rf"\b0 of {n} exercises solved", summary), summary


def test_committed_solutions_json_matches_the_instructor_notebooks():
    stored = json.loads((ROOT / "nnlib" / "checks" / "solutions.json").read_text("utf-8"))
    assert stored == editions.all_solutions(NOTEBOOKS), "run tools/editions.py --solutions"


def test_one_lesson_regenerated_end_to_end_matches(tmp_path):
    """A fresh execution of the smallest lesson gives the committed text outputs."""
    path = min(NOTEBOOKS, key=lambda p: len(nbformat.read(p, as_version=4).cells))
    written = editions.build(tmp_path / "lessons", [path], solutions_path=tmp_path / "s.json",
                             quiet=True)
    assert [p.name for p in written] == [path.name]
    problems = [p for p in editions.differences(LESSONS, tmp_path / "lessons",
                                                tmp_path / "s.json", tmp_path / "s.json")
                if path.name in p]
    assert not problems, "\n".join(problems)


def test_show_solution_code_solves_the_learner_edition(tmp_path):
    """Pasting what ``show_solution`` prints into each stub of a learner notebook makes every
    check pass (the stored code is complete). One lesson, the smallest; the instructor edition
    of every lesson is validated by strict nbval anyway."""
    path = min(NOTEBOOKS, key=lambda p: len(nbformat.read(p, as_version=4).cells))
    lesson = path.name[:2]
    stored = json.loads((ROOT / "nnlib" / "checks" / "solutions.json").read_text("utf-8"))
    nb = editions.learner_notebook(nbformat.read(path, as_version=4))
    for cell in _solution_cells(nb):
        name = cell.metadata["nbgrader"]["grade_id"].removeprefix(f"ex{lesson}_")
        cell.source = stored[lesson][name]
    editions.notebooks.run(nb, tmp_path)
    verdicts = [_stdout(c).splitlines()[0] for c in _check_cells(nb)]
    assert verdicts and all(v.startswith("✓") for v in verdicts), verdicts

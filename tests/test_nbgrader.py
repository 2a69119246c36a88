"""A teacher's nbgrader run on the instructor edition, as it is: real nbgrader, real kernels.

A course directory in a temporary folder (``nbgrader_config.py``, ``source/lesson01/``) gets
lesson 01 copied from ``notebooks/``. ``nbgrader generate_assignment`` releases it; then
``nbgrader autograde`` grades three submissions: the instructor's solutions (every check
passes, so every hidden ``assert_solved`` passes: full marks), the released stubs handed in
untouched (every check prints "not written yet": zero), and the release with only its first
stub filled in, with what ``show_solution`` prints (that exercise's points only).
The release must also equal our learner edition ``lessons/01_*``, cell for cell: both come
from nbgrader's preprocessors.
"""

from __future__ import annotations

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import nbformat
import pytest

ROOT = Path(__file__).resolve().parents[1]
BIN = Path(sys.executable).parent            # the venv's bin/: nbgrader runs `alembic` from PATH
SOURCE = sorted((ROOT / "notebooks").glob("01_*.ipynb"))[0]
LEARNER = ROOT / "lessons" / SOURCE.name
ASSIGNMENT = "lesson01"
CODE_STUB = 'raise NotImplementedError("not written yet")'

CONFIG = f"""\
c = get_config()
c.CourseDirectory.course_id = "nn-first-principles"
c.ClearSolutions.code_stub = {{"python": {CODE_STUB!r}}}
c.Execute.timeout = 300
"""


def nbgrader(course: Path, *args: str) -> subprocess.CompletedProcess:
    env = dict(os.environ, PATH=f"{BIN}{os.pathsep}{os.environ.get('PATH', '')}",
               OPENBLAS_NUM_THREADS="1", OMP_NUM_THREADS="1", MKL_NUM_THREADS="1",
               JUPYTER_PLATFORM_DIRS="1")
    result = subprocess.run([str(BIN / "nbgrader"), *args], cwd=course, env=env,
                            capture_output=True, text=True, timeout=900)
    assert result.returncode == 0, (f"nbgrader {' '.join(args)} failed:\n"
                                    f"{result.stdout[-3000:]}\n{result.stderr[-3000:]}")
    return result


def gradebook_scores(course: Path) -> dict[str, tuple[float, float]]:
    from nbgrader.api import Gradebook
    with Gradebook(f"sqlite:///{course / 'gradebook.db'}") as gb:
        return {s.student_id: (s.score, s.max_score)
                for s in gb.assignment_submissions(ASSIGNMENT)}


@pytest.fixture(scope="module")
def course(tmp_path_factory) -> Path:
    course = tmp_path_factory.mktemp("course")
    (course / "nbgrader_config.py").write_text(CONFIG)
    (course / "source" / ASSIGNMENT).mkdir(parents=True)
    shutil.copy(SOURCE, course / "source" / ASSIGNMENT / f"{ASSIGNMENT}.ipynb")
    nbgrader(course, "generate_assignment", ASSIGNMENT, "--force")
    released = course / "release" / ASSIGNMENT / f"{ASSIGNMENT}.ipynb"
    for student, notebook in [("teacher", SOURCE), ("untouched", released)]:
        target = course / "submitted" / student / ASSIGNMENT
        target.mkdir(parents=True)
        shutil.copy(notebook, target / f"{ASSIGNMENT}.ipynb")
    # a learner who solved only the first exercise, with what show_solution prints
    stored = json.loads((ROOT / "nnlib" / "checks" / "solutions.json").read_text("utf-8"))
    nb = nbformat.read(released, as_version=4)
    first = next(c for c in nb.cells if c.metadata.get("nbgrader", {}).get("solution"))
    first.source = stored["01"][first.metadata["nbgrader"]["grade_id"].removeprefix("ex01_")]
    target = course / "submitted" / "first_only" / ASSIGNMENT
    target.mkdir(parents=True)
    nbformat.write(nb, target / f"{ASSIGNMENT}.ipynb")
    nbgrader(course, "autograde", ASSIGNMENT, "--create", "--force")
    return course


def _check_cells(nb):
    return [c for c in nb.cells if c.metadata.get("nbgrader", {}).get("grade")]


def test_release_has_stubs_and_no_solution_or_hidden_test(course):
    released = nbformat.read(course / "release" / ASSIGNMENT / f"{ASSIGNMENT}.ipynb", 4)
    text = "\n".join(c.source for c in released.cells)
    assert "BEGIN SOLUTION" not in text and "BEGIN HIDDEN TESTS" not in text
    assert "assert_solved" not in text
    solutions = [c for c in released.cells if c.metadata.get("nbgrader", {}).get("solution")]
    assert len(solutions) >= 2
    assert all(CODE_STUB in c.source for c in solutions)


def test_instructor_solutions_score_full_marks_and_stubs_zero(course):
    nb = nbformat.read(SOURCE, as_version=4)
    points = sum(c.metadata["nbgrader"]["points"] for c in _check_cells(nb))
    assert points >= 2
    scores = gradebook_scores(course)
    assert scores["teacher"] == (points, points)
    assert scores["untouched"] == (0, points)
    first = _check_cells(nb)[0].metadata["nbgrader"]["points"]
    assert scores["first_only"] == (first, points)


def test_autograded_stub_cells_fail_on_the_hidden_test_not_on_a_crash(course):
    graded = nbformat.read(course / "autograded" / "untouched" / ASSIGNMENT
                           / f"{ASSIGNMENT}.ipynb", 4)
    for cell in _check_cells(graded):
        errors = [o for o in cell.outputs if o.output_type == "error"]
        assert [e.ename for e in errors] == ["AssertionError"], cell.source
        printed = "".join(o.get("text", "") for o in cell.outputs if o.output_type == "stream")
        assert printed.startswith("✗") and "not written yet" in printed, printed


def test_learner_edition_equals_the_release(course):
    """lessons/01 is nbgrader's release plus our Colab cell and outputs: same cells, same
    nbgrader metadata (grade ids, points, locks, checksums)."""
    released = nbformat.read(course / "release" / ASSIGNMENT / f"{ASSIGNMENT}.ipynb", 4)
    learner = nbformat.read(LEARNER, as_version=4)

    def cells(nb):
        return [(c.cell_type, c.source.rstrip("\n"), c.metadata.get("nbgrader"))
                for c in nb.cells if "colab-setup" not in c.metadata.get("tags", [])]
    assert cells(learner) == cells(released)

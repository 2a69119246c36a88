"""The student edition: stubs raise, checks give hints, and the reference solutions pass.

Both tests execute the real student notebooks in a real kernel (nbclient).
"""

from __future__ import annotations

import importlib.util
import re
from pathlib import Path

import nbformat
import pytest
from nbclient import NotebookClient

ROOT = Path(__file__).resolve().parents[1]
NOTEBOOKS = sorted((ROOT / "notebooks").glob("[0-9][0-9]_*.ipynb"))


def _load_tool(name):
    spec = importlib.util.spec_from_file_location(name, ROOT / "tools" / f"{name}.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


student = _load_tool("student")


def _run(nb, workdir: Path, allow_errors: bool):
    NotebookClient(nb, timeout=180, kernel_name="python3", allow_errors=allow_errors,
                   resources={"metadata": {"path": str(workdir)}}).execute()
    return nb


def _text(cell) -> str:
    return "".join(o.get("text", "") for o in cell.outputs if o.get("output_type") == "stream")


def _errors(cell):
    return [o for o in cell.outputs if o.get("output_type") == "error"]


def _check_cell_after(nb, index):
    return next(c for c in nb.cells[index + 1:] if c.cell_type == "code")


def _check_all_output(nb) -> str:
    return "".join(_text(c) for c in nb.cells if c.cell_type == "code" and "check_all(" in c.source)


def _with_exercises():
    found = []
    for path in NOTEBOOKS:
        nb = nbformat.read(path, as_version=4)
        if any(student.is_solution(c) for c in nb.cells):
            found.append(path)
    return found


EXERCISED = _with_exercises()


def test_every_notebook_has_exercises():
    assert NOTEBOOKS, "no notebooks found"
    missing = [p.name for p in NOTEBOOKS if p not in EXERCISED]
    assert not missing, f"notebooks without solution-tagged exercises: {missing}"


@pytest.mark.parametrize("path", EXERCISED, ids=lambda p: p.stem)
def test_student_edition_stubs_raise_and_checks_hint(path, tmp_path):
    nb, exercises = student.student_notebook(nbformat.read(path, as_version=4))
    nb = _run(nb, tmp_path, allow_errors=True)
    stub_cells = [i for i, c in enumerate(nb.cells) if "exercise" in c.metadata.get("tags", [])]
    assert len(stub_cells) == len(exercises) >= 2
    for (number, name), i in zip(exercises, stub_cells, strict=True):
        errors = _errors(nb.cells[i])
        assert len(errors) == 1, f"exercise {number} ({name}) cell should raise once, got {errors}"
        assert errors[0]["ename"] == "NotImplementedError"
        assert errors[0]["evalue"].startswith(f"Exercise {number}:"), errors[0]["evalue"]
        check = _check_cell_after(nb, i)
        assert not _errors(check), f"check after exercise {number} crashed: {_errors(check)}"
        assert "✗" in _text(check) and "✓" not in _text(check), _text(check)
    others = [c for i, c in enumerate(nb.cells) if c.cell_type == "code" and i not in stub_cells]
    crashed = [(c.source[:60], _errors(c)[0]["ename"]) for c in others if _errors(c)]
    assert not crashed, f"cells other than the exercises raised: {crashed}"
    summary = _check_all_output(nb)
    assert re.search(rf"0 of {len(exercises)} exercises solved", summary), summary


@pytest.mark.parametrize("path", EXERCISED, ids=lambda p: p.stem)
def test_reference_solutions_pass_in_student_edition(path, tmp_path):
    original = nbformat.read(path, as_version=4)
    solutions = [c.source for c in original.cells if student.is_solution(c)]
    nb, exercises = student.student_notebook(original)
    stub_cells = [c for c in nb.cells if "exercise" in c.metadata.get("tags", [])]
    for cell, source in zip(stub_cells, solutions, strict=True):
        assert "NotImplementedError" in cell.source
        cell.source = source
    nb = _run(nb, tmp_path, allow_errors=False)
    for i, cell in enumerate(nb.cells):
        if cell in stub_cells:
            assert "✓" in _text(_check_cell_after(nb, i))
    summary = _check_all_output(nb)
    n = len(exercises)
    assert f"{n} of {n} exercises solved" in summary, summary

"""Build the learner edition ``lessons/`` from the instructor edition ``notebooks/``.

``notebooks/NN_*.ipynb`` is the one source (solutions written out, nbgrader markup).
For each of them this writes ``lessons/NN_*.ipynb``:

1. nbgrader's own preprocessors, in the order ``nbgrader generate_assignment`` runs them
   (without the database steps): ``LockCells``, ``ClearSolutions`` (each
   ``### BEGIN SOLUTION`` … ``### END SOLUTION`` region becomes
   ``raise NotImplementedError("not written yet")``, indented like the markers),
   ``ClearOutput``, ``CheckCellMetadata``, ``ClearHiddenTests``, ``ClearMarkScheme``,
   ``ComputeChecksums``, ``CheckCellMetadata``. So the nbgrader metadata (grade ids, points,
   locks, checksums) is what nbgrader's release would hand out.
2. Ours, because nbgrader does not do it: the Colab setup cell is set (it installs the
   course package, so the lessons' Colab links work); the notebook is executed with nbclient
   exactly as ``tools/notebooks.py`` executes the instructor edition (``notebooks.run``), and
   the deterministic outputs are stored, so the learner edition shows every picture and every
   "not written yet" before it is run.
3. Ours too: ``nnlib/checks/solutions.json``, ``{lesson: {exercise: code}}``, the instructor's
   function of every solution cell without the nbgrader marker lines: the third rung of the
   hint ladder and ``show_solution`` print it.

Usage:
    python tools/editions.py                  # all lessons -> lessons/, and solutions.json
    python tools/editions.py notebooks/03_*.ipynb   # only these lessons (solutions.json: all)
    python tools/editions.py --solutions      # only solutions.json (no kernel, ~1 s)
    python tools/editions.py --check          # regenerate into a temp dir; exit 1 if the
                                              # committed lessons/ or solutions.json differ
"""

from __future__ import annotations

import argparse
import ast
import copy
import difflib
import json
import re
import sys
import tempfile
from pathlib import Path

import nbformat
from nbclient.exceptions import CellExecutionError

sys.path.insert(0, str(Path(__file__).resolve().parent))
from nbgrader.preprocessors import (  # noqa: E402
    CheckCellMetadata,
    ClearHiddenTests,
    ClearMarkScheme,
    ClearOutput,
    ClearSolutions,
    ComputeChecksums,
    LockCells,
)

import notebooks  # noqa: E402  (tools/notebooks.py: the Colab cell and the executor)

ROOT = Path(__file__).resolve().parents[1]
NOTEBOOKS = ROOT / "notebooks"
LESSONS = ROOT / "lessons"
SOLUTIONS = ROOT / "nnlib" / "checks" / "solutions.json"
PATTERN = "[0-9][0-9]_*.ipynb"
CODE_STUB = 'raise NotImplementedError("not written yet")'
BEGIN_SOLUTION, END_SOLUTION = "BEGIN SOLUTION", "END SOLUTION"  # nbgrader's delimiters
TEXT_MIME = ("text/plain", "text/markdown", "text/html", "text/latex", "application/json")
# a figure's PNG inside its <img> (nnlib.plots.show): images are not compared, its alt text is
PNG_IN_HTML = re.compile(r"(data:image/(?:png|jpeg);base64,)[A-Za-z0-9+/=]+")


# ---------------------------------------------------------------- solutions.json

def lesson_of(path: Path) -> str:
    """``notebooks/03_gradient_descent.ipynb`` -> ``"03"``."""
    return Path(path).name[:2]


def is_solution_cell(cell) -> bool:
    return cell.cell_type == "code" and bool(cell.metadata.get("nbgrader", {}).get("solution"))


def exercise_name(cell, lesson: str) -> str:
    """The exercise's name: the grade id ``exNN_<name>``, else the cell's first function."""
    grade_id = cell.metadata.get("nbgrader", {}).get("grade_id", "")
    prefix = f"ex{lesson}_"
    if grade_id.startswith(prefix):
        return grade_id[len(prefix):]
    tree = ast.parse(cell.source)
    funcs = [n.name for n in tree.body if isinstance(n, (ast.FunctionDef, ast.ClassDef))]
    if not funcs:
        raise SystemExit(f"lesson {lesson}: a solution cell defines no function:\n{cell.source}")
    return funcs[0]


def solution_code(source: str) -> str:
    """The cell's source without nbgrader's marker lines (the same test nbgrader uses)."""
    lines = [line for line in source.split("\n")
             if BEGIN_SOLUTION not in line and END_SOLUTION not in line]
    return "\n".join(lines).strip("\n") + "\n"


def solutions_of(nb, lesson: str) -> dict[str, str]:
    """``{exercise: code}`` for every solution cell of an instructor notebook."""
    return {exercise_name(c, lesson): solution_code(c.source)
            for c in nb.cells if is_solution_cell(c)}


def all_solutions(paths) -> dict[str, dict[str, str]]:
    return {lesson_of(p): solutions_of(nbformat.read(p, as_version=4), lesson_of(p))
            for p in paths}


def solutions_text(solutions: dict) -> str:
    return json.dumps(solutions, indent=1, sort_keys=True, ensure_ascii=False) + "\n"


# ---------------------------------------------------------------- the learner edition

def learner_notebook(nb):
    """A learner copy of instructor notebook ``nb`` (not executed): nbgrader's release steps."""
    nb = copy.deepcopy(nb)
    resources: dict = {}
    steps = [LockCells(), ClearSolutions(code_stub={"python": CODE_STUB}), ClearOutput(),
             CheckCellMetadata(), ClearHiddenTests(), ClearMarkScheme(), ComputeChecksums(),
             CheckCellMetadata()]
    for step in steps:
        nb, resources = step.preprocess(nb, resources)
    for cell in nb.cells:
        if cell.cell_type == "code":
            cell.source = cell.source.rstrip("\n")  # what a hidden-test region leaves behind
    notebooks.ensure_colab_cell(nb)
    return nb


def build(out_dir: Path, paths=None, execute: bool = True, solutions_path: Path = SOLUTIONS,
          quiet: bool = False) -> list[Path]:
    """Write the learner edition of ``paths`` (default: every lesson) into ``out_dir`` and
    ``solutions_path`` (always from every instructor notebook); returns the written lessons."""
    everything = sorted(NOTEBOOKS.glob(PATTERN))
    paths = [Path(p).resolve() for p in paths] if paths else everything
    solutions_path.parent.mkdir(parents=True, exist_ok=True)
    solutions_path.write_text(solutions_text(all_solutions(everything)), encoding="utf-8")
    out_dir.mkdir(parents=True, exist_ok=True)
    if paths == everything:  # a full build: drop lessons whose instructor notebook is gone
        for stale in sorted(set(out_dir.glob(PATTERN)) - {out_dir / p.name for p in paths}):
            stale.unlink()
            if not quiet:
                print(f"{stale.name:32s} removed (no notebooks/{stale.name})")
    written = []
    total = 0.0
    failed = []
    for path in paths:
        nb = learner_notebook(nbformat.read(path, as_version=4))
        try:
            seconds = notebooks.run(nb, out_dir) if execute else 0.0
        except CellExecutionError as exc:  # Run All must reach the end: report, go on
            failed.append(path.name)
            print(f"{path.name:32s} FAILED: the learner edition stops with "
                  f"{exc.ename}: {exc.evalue}", flush=True)
            continue
        total += seconds
        target = out_dir / path.name
        nbformat.write(nb, target)
        written.append(target)
        if not quiet:
            print(f"{path.name:32s} {seconds:6.1f} s", flush=True)
    if not quiet:
        print(f"{'total':32s} {total:6.1f} s")
    if failed:
        raise BuildError(failed)
    return written


class BuildError(Exception):
    """Some learner editions did not run to the end (``.failed``: their file names)."""

    def __init__(self, failed: list[str]):
        self.failed = failed
        super().__init__(f"the learner edition of {', '.join(failed)} does not run to the end "
                         f"(error printed above; a common cause: a cell after an exercise uses "
                         f"the exercise's function, which is a stub there); not written")


# ---------------------------------------------------------------- --check

def comparable(nb) -> list[str]:
    """What ``--check`` compares, as lines: notebook metadata, and per cell its type, source,
    metadata and text outputs (images are left out: PNG bytes may differ across platforms)."""
    lines = ["notebook metadata: " + json.dumps(nb.metadata, sort_keys=True, ensure_ascii=False)]
    for i, cell in enumerate(nb.cells):
        lines.append(f"--- cell {i} ({cell.cell_type}) metadata: "
                     + json.dumps(cell.metadata, sort_keys=True, ensure_ascii=False))
        lines += [f"  | {line}" for line in cell.source.split("\n")]
        for out in cell.get("outputs", []):
            kind = out.get("output_type")
            if kind == "stream":
                text = out.get("text", "")
                lines += [f"  > {out.get('name')}: {line}" for line in text.split("\n")]
            elif kind == "error":
                lines.append(f"  > error: {out.get('ename')}: {out.get('evalue')}")
            else:
                for mime in TEXT_MIME:
                    if mime in out.get("data", {}):
                        value = out["data"][mime]
                        value = value if isinstance(value, str) else json.dumps(value)
                        value = PNG_IN_HTML.sub(r"\1PNG", value)  # alt text stays compared
                        lines += [f"  > {mime}: {line}" for line in value.split("\n")]
    return lines


def differences(committed_dir: Path, fresh_dir: Path, committed_solutions: Path,
                fresh_solutions: Path, limit: int = 40, skip=()) -> list[str]:
    """Readable differences between a committed and a fresh learner edition (lessons named in
    ``skip``, e.g. those that failed to build, are left out)."""
    problems = []
    committed = {p.name for p in committed_dir.glob(PATTERN)} - set(skip)
    fresh = {p.name for p in fresh_dir.glob(PATTERN)} - set(skip)
    for name in sorted(fresh - committed):
        problems.append(f"lessons/{name} is missing")
    for name in sorted(committed - fresh):
        problems.append(f"lessons/{name} has no instructor notebook notebooks/{name}")
    for name in sorted(committed & fresh):
        old = comparable(nbformat.read(committed_dir / name, as_version=4))
        new = comparable(nbformat.read(fresh_dir / name, as_version=4))
        if old != new:
            diff = list(difflib.unified_diff(old, new, f"lessons/{name} (committed)",
                                             f"lessons/{name} (generated)", lineterm="", n=1))
            problems.append(f"lessons/{name} differs from the generated copy:\n"
                            + "\n".join(diff[:limit]) + ("\n  ..." if len(diff) > limit else ""))
    old = committed_solutions.read_text(encoding="utf-8") if committed_solutions.exists() else ""
    if old != fresh_solutions.read_text(encoding="utf-8"):
        problems.append("nnlib/checks/solutions.json differs from the instructor notebooks")
    return problems


def check() -> int:
    with tempfile.TemporaryDirectory(prefix="editions-") as tmp:
        fresh, fresh_solutions = Path(tmp) / "lessons", Path(tmp) / "solutions.json"
        try:
            build(fresh, solutions_path=fresh_solutions, quiet=True)
            problems, failed = [], []
        except BuildError as exc:
            problems, failed = [str(exc)], exc.failed
        problems += differences(LESSONS, fresh, SOLUTIONS, fresh_solutions, skip=failed)
    for problem in problems:
        print(problem)
    if problems:
        print("editions: the committed learner edition is out of date: run "
              "`.venv/bin/python tools/editions.py` (or `make notebooks`) and commit lessons/ "
              "and nnlib/checks/solutions.json", file=sys.stderr)
        return 1
    print(f"editions: lessons/ and solutions.json match notebooks/ "
          f"({len(list(LESSONS.glob(PATTERN)))} lessons)")
    return 0


def main(argv: list[str]) -> int:
    parser = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    parser.add_argument("notebooks", nargs="*", help="instructor notebooks (default: all)")
    parser.add_argument("--check", action="store_true",
                        help="regenerate into a temp dir and fail if lessons/ differs")
    parser.add_argument("--solutions", action="store_true",
                        help="only write nnlib/checks/solutions.json (fast, no kernel)")
    args = parser.parse_args(argv)
    if args.check:
        return check()
    if args.solutions:
        SOLUTIONS.write_text(solutions_text(all_solutions(sorted(NOTEBOOKS.glob(PATTERN)))),
                             encoding="utf-8")
        print(f"wrote {SOLUTIONS.relative_to(ROOT)}")
        return 0
    try:
        build(LESSONS, args.notebooks or None)
    except BuildError as exc:
        print(f"editions: {exc}", file=sys.stderr)
        return 1
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))

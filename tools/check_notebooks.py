"""Check the *stored* state of every committed lesson notebook (last step of ``make test``).

nbval re-runs the notebooks and compares outputs; this script checks what is committed,
i.e. what learners see on GitHub, nbviewer, Colab and in JupyterLab before running:

- the file is a valid nbformat 4 notebook;
- code cells were executed top to bottom in one fresh kernel: execution counts 1..n;
- no stored error outputs and no stderr stream outputs;
- no live-widget view (``application/vnd.jupyter.widget-view+json``) and no widget state:
  the static PNG preview is what is stored (``make notebooks`` strips the rest);
- every explorer output (text/plain starting with "[explorer]") carries a static image
  preview (an `<img alt>` in text/html, or image/png),
  and no raw widget repr such as ``VBox(children=...)`` is stored as text;
- the first code cell is the Colab setup cell (tagged ``colab-setup``), and it installs the
  distribution ``nn-first-principles`` (the import name stays ``nnlib``).

Both editions are checked. The edition is told by the folder: ``lessons/`` holds the learner
edition (``tools/editions.py``), any other folder the instructor edition. Per edition:

- instructor (``notebooks/``): every solution cell (nbgrader ``solution: true``) has its
  ``### BEGIN SOLUTION`` / ``### END SOLUTION`` region; every check cell (nbgrader
  ``grade: true``) has its hidden test and printed a ✓ line (the solutions pass);
- both: one name per exercise: the solution cell defines ``name`` with grade id
  ``exNN_name``, the next code cell is its check ``exNN_name_check`` calling
  ``check_name(name)`` (and ``assert_solved("NN", "name")`` in its hidden test), and
  ``nnlib.checks.lessonNN`` registers the same names in the same order;
- learner (``lessons/``): no solution region, hidden test or ``assert_solved`` is left; every
  solution cell holds the stub ``raise NotImplementedError("not written yet")``; every
  check cell printed one ✗ line saying "not written yet" (Run All went on to the end).

Usage: python tools/check_notebooks.py [NOTEBOOK ...]
       (default: notebooks/[0-9][0-9]_*.ipynb and lessons/[0-9][0-9]_*.ipynb)
Exit status 1 when any check fails, with one line per problem.
"""

from __future__ import annotations

import ast
import importlib
import sys
from pathlib import Path

import nbformat

ROOT = Path(__file__).resolve().parents[1]
NOTEBOOKS = ROOT / "notebooks"
LESSONS = ROOT / "lessons"
LEARNER_FOLDER = "lessons"
COLAB_INSTALL = "nn-first-principles @ git+"
CODE_STUB = 'raise NotImplementedError("not written yet")'
WIDGET_VIEW = "application/vnd.jupyter.widget-view+json"
WIDGET_STATE = "application/vnd.jupyter.widget-state+json"
COLAB_TAG = "colab-setup"
EXPLORER_PREFIX = "[explorer]"
RAW_WIDGET_REPRS = ("VBox(children=", "HBox(children=", "interactive(children=",
                    "Image(value=", "FloatSlider(value=", "IntSlider(value=")


def _text(value) -> str:
    return "".join(value) if isinstance(value, list) else str(value or "")


def _short(text: str, limit: int = 120) -> str:
    text = " ".join(text.split())
    return text if len(text) <= limit else text[: limit - 1] + "…"


def check_notebook(path: Path) -> list[str]:
    """Every problem found in ``path``, one readable line each (empty list: all good)."""
    path = Path(path)
    try:
        nb = nbformat.read(path, as_version=nbformat.NO_CONVERT)
    except Exception as exc:
        return [f"not a readable notebook: {_short(str(exc))}"]
    if nb.get("nbformat") != 4:
        return [f"nbformat {nb.get('nbformat')} (expected 4)"]
    problems = []
    try:
        nbformat.validate(nb)
    except nbformat.ValidationError as exc:
        problems.append(f"invalid nbformat: {_short(exc.message, 200)}")

    if "widgets" in nb.metadata:
        problems.append("notebook metadata stores widget state (run `make notebooks`)")

    code = [(i, c) for i, c in enumerate(nb.cells) if c.cell_type == "code"]
    if not code:
        problems.append("no code cells")
        return problems
    first_index, first = code[0]
    if COLAB_TAG not in first.metadata.get("tags", []):
        problems.append(f"cell {first_index}: the first code cell is not tagged '{COLAB_TAG}' "
                        "(tools/notebooks.py inserts the Colab setup cell)")
    elif COLAB_INSTALL not in first.source:
        problems.append(f"cell {first_index}: the Colab setup cell does not install "
                        f"'{COLAB_INSTALL}...' (run `make notebooks`)")

    counts = [c.get("execution_count") for _, c in code]
    expected = list(range(1, len(code) + 1))
    if counts != expected:
        bad = [(i, n, want) for (i, _), n, want in zip(code, counts, expected, strict=True)
               if n != want]
        detail = ", ".join(f"cell {i} has {n} (expected {want})" for i, n, want in bad[:5])
        problems.append(f"execution counts are not 1..{len(code)} in order: {detail} "
                        "(run `make notebooks`)")

    for i, cell in code:
        where = f"cell {i}"
        for out in cell.get("outputs", []):
            kind = out.get("output_type")
            if kind == "error":
                problems.append(f"{where}: stored error output {out.get('ename')}: "
                                f"{_short(_text(out.get('evalue')))}")
                continue
            if kind == "stream":
                if out.get("name") == "stderr":
                    problems.append(f"{where}: stderr output: {_short(_text(out.get('text')))}")
                continue
            data = out.get("data", {})
            if kind == "execute_result" and out.get("execution_count") != cell.get(
                    "execution_count"):
                problems.append(f"{where}: execute_result count {out.get('execution_count')} "
                                f"differs from the cell's {cell.get('execution_count')}")
            if WIDGET_VIEW in data:
                problems.append(f"{where}: stores a live widget view ({WIDGET_VIEW}); the "
                                "static preview must be stored instead (run `make notebooks`)")
            if WIDGET_STATE in data:
                problems.append(f"{where}: stores widget state ({WIDGET_STATE})")
            plain = _text(data.get("text/plain"))
            if plain.startswith(EXPLORER_PREFIX) and "image/png" not in data \
                    and "<img" not in _text(data.get("text/html")):
                problems.append(f"{where}: explorer output without a static image preview "
                                f"({_short(plain, 80)})")
            raw = next((r for r in RAW_WIDGET_REPRS if plain.startswith(r)), None)
            if raw:
                problems.append(f"{where}: a raw widget repr is stored as text "
                                f"({_short(plain, 60)}); display an Explorer instead")
    learner = path.resolve().parent.name == LEARNER_FOLDER
    problems += check_exercises(code, learner)
    problems += check_names(code, path.name[:2], learner)
    return problems


def _function_name(source: str) -> str | None:
    try:
        tree = ast.parse(source)
    except SyntaxError:
        return None
    return next((n.name for n in tree.body if isinstance(n, ast.FunctionDef)), None)


def registered(lesson: str) -> list[str] | None:
    """The exercise names ``nnlib.checks.lesson<NN>`` registers (None: no such module)."""
    try:
        importlib.import_module(f"nnlib.checks.lesson{lesson}")
    except ImportError:
        return None
    from nnlib.checks import _core
    return _core._LESSONS.get(lesson)


def check_names(code, lesson: str, learner: bool) -> list[str]:
    """One name per exercise (authoring.md): the solution cell defines ``name``, its grade id
    is ``exNN_name``; the next code cell is its check cell ``exNN_name_check``, which calls
    ``check_name(name)`` (and, in the instructor edition, ``assert_solved("NN", "name")``);
    ``nnlib.checks.lessonNN`` registers the same names in the same order."""
    problems, names = [], []
    for k, (i, cell) in enumerate(code):
        meta = cell.metadata.get("nbgrader", {})
        if not meta.get("solution"):
            continue
        name = _function_name(cell.source)
        if name is None:
            problems.append(f"cell {i}: a solution cell must define one function")
            continue
        names.append(name)
        grade_id = f"ex{lesson}_{name}"
        if meta.get("grade_id") != grade_id:
            problems.append(f"cell {i}: solution cell of `{name}` has grade_id "
                            f"{meta.get('grade_id')!r}, expected {grade_id!r}")
        nxt = code[k + 1][1] if k + 1 < len(code) else None
        nxt_meta = nxt.metadata.get("nbgrader", {}) if nxt is not None else {}
        if nxt is None or not nxt_meta.get("grade"):
            problems.append(f"cell {i}: the code cell after `{name}` must be its check cell "
                            f"(nbgrader grade: true)")
            continue
        if nxt_meta.get("grade_id") != f"{grade_id}_check":
            problems.append(f"cell {code[k + 1][0]}: check cell of `{name}` has grade_id "
                            f"{nxt_meta.get('grade_id')!r}, expected {grade_id + '_check'!r}")
        if f"check_{name}({name})" not in nxt.source:
            problems.append(f"cell {code[k + 1][0]}: check cell of `{name}` does not call "
                            f"check_{name}({name})")
        if not learner and f'assert_solved("{lesson}", "{name}")' not in nxt.source:
            problems.append(f"cell {code[k + 1][0]}: hidden test of `{name}` does not call "
                            f'assert_solved("{lesson}", "{name}")')
    known = registered(lesson) if names else None
    if known is not None and known != names:
        problems.append(f"nnlib.checks.lesson{lesson} registers {known}, the notebook's "
                        f"exercises are {names}")
    return problems


def _printed(cell) -> str:
    return "".join(_text(o.get("text")) for o in cell.get("outputs", [])
                   if o.get("output_type") == "stream" and o.get("name") == "stdout")


def check_exercises(code, learner: bool) -> list[str]:
    """The edition's exercise rules (see the module docstring) for the code cells ``code``."""
    problems = []
    for i, cell in code:
        meta = cell.metadata.get("nbgrader", {})
        where = f"cell {i} ({meta.get('grade_id', '?')})"
        source = cell.source
        if learner:
            for marker in ("BEGIN SOLUTION", "END SOLUTION", "BEGIN HIDDEN TESTS",
                           "assert_solved"):
                if marker in source:
                    problems.append(f"{where}: the learner edition still contains "
                                    f"'{marker}' (run tools/editions.py)")
        if meta.get("solution"):
            if learner and CODE_STUB not in source:
                problems.append(f"{where}: solution cell without the stub {CODE_STUB}")
            if not learner and not ("### BEGIN SOLUTION" in source
                                    and "### END SOLUTION" in source):
                problems.append(f"{where}: solution cell without a "
                                "### BEGIN SOLUTION / ### END SOLUTION region")
        if meta.get("grade"):
            printed = _printed(cell)
            if not learner and "### BEGIN HIDDEN TESTS" not in source:
                problems.append(f"{where}: check cell without a ### BEGIN HIDDEN TESTS region")
            if learner and not (printed.startswith("✗") and "not written yet" in printed):
                problems.append(f"{where}: an open exercise's check should print ✗ … not "
                                f"written yet, printed: {_short(printed) or 'nothing'}")
            if not learner and not printed.startswith("✓"):
                problems.append(f"{where}: the instructor solution does not pass its check: "
                                f"{_short(printed) or 'nothing printed'}")
    return problems


def main(argv: list[str]) -> int:
    paths = [Path(p) for p in argv] or (sorted(NOTEBOOKS.glob("[0-9][0-9]_*.ipynb"))
                                         + sorted(LESSONS.glob("[0-9][0-9]_*.ipynb")))
    if not paths:
        print("check_notebooks: no lesson notebooks found (notebooks/, lessons/)")
        return 0
    total = 0
    for path in paths:
        problems = check_notebook(path)
        total += len(problems)
        try:
            shown = path.resolve().relative_to(ROOT)
        except ValueError:
            shown = path
        for problem in problems:
            print(f"{shown}: {problem}")
    if total:
        print(f"check_notebooks: {total} problem(s) in {len(paths)} notebook(s)", file=sys.stderr)
        return 1
    print(f"check_notebooks: {len(paths)} notebook(s) OK")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))

"""Build the student edition (``make student``): ``build/student/NN_*.ipynb``.

Every cell tagged ``solution`` keeps its function's signature and docstring
hint, but its body becomes ``raise NotImplementedError("Exercise k: ...")``.
Any demo line after the function stays, so running the cell shows the
learner at once that the exercise is still open; the cell gets nbval's
``raises-exception`` tag. Outputs are cleared, except the static previews
of the explorers, so the handout still shows every picture.

Usage: python tools/student.py [OUT_DIR]   (default: build/student)
"""

from __future__ import annotations

import ast
import sys
from pathlib import Path

import nbformat

ROOT = Path(__file__).resolve().parents[1]
NOTEBOOKS = ROOT / "notebooks"
SOLUTION_TAG = "solution"


def is_solution(cell) -> bool:
    return cell.cell_type == "code" and SOLUTION_TAG in cell.metadata.get("tags", [])


def stub_source(source: str, number: int) -> str:
    """Replace the body of the cell's function with a ``NotImplementedError`` stub."""
    tree = ast.parse(source)
    funcs = [node for node in tree.body if isinstance(node, ast.FunctionDef)]
    if len(funcs) != 1:
        raise ValueError(f"exercise {number}: a solution cell must define exactly one function, "
                         f"found {len(funcs)}:\n{source}")
    func = funcs[0]
    lines = source.splitlines()
    doc = ast.get_docstring(func)
    first_body = func.body[0]
    if doc is not None:
        keep_until = first_body.end_lineno          # signature + docstring
        body_start = func.body[1] if len(func.body) > 1 else None
    else:
        keep_until = first_body.lineno - 1          # signature only
        body_start = first_body
    indent = " " * (body_start.col_offset if body_start is not None else func.col_offset + 4)
    hint = (doc or func.name).strip().splitlines()[0].replace('"', "'")
    stub = [f'{indent}raise NotImplementedError("Exercise {number}: {hint}")']
    head = lines[func.lineno - 1 - len(func.decorator_list):keep_until]
    before = lines[:func.lineno - 1 - len(func.decorator_list)]
    after = lines[func.end_lineno:]
    return "\n".join(before + head + stub + after).rstrip() + "\n"


def is_explorer_output(out) -> bool:
    text = out.get("data", {}).get("text/plain", "")
    return out.get("output_type") == "display_data" and (
        text.startswith("[explorer]") or "text/markdown" in out.get("data", {})
        and out["data"]["text/markdown"].startswith("▸ "))


def student_notebook(nb):
    """Return a student copy of ``nb`` and the list of its exercise (number, function name)."""
    nb = nbformat.from_dict(nb)
    exercises = []
    for cell in nb.cells:
        if cell.cell_type != "code":
            continue
        if is_solution(cell):
            number = len(exercises) + 1
            tree = ast.parse(cell.source)
            name = next(n.name for n in tree.body if isinstance(n, ast.FunctionDef))
            exercises.append((number, name))
            cell.source = stub_source(cell.source, number)
            tags = [t for t in cell.metadata.get("tags", []) if t != SOLUTION_TAG]
            cell.metadata["tags"] = tags + ["exercise", "raises-exception"]
            cell.outputs = []
        else:
            cell.outputs = [o for o in cell.get("outputs", []) if is_explorer_output(o)]
        cell.execution_count = None
    return nb, exercises


def build(out_dir: Path) -> list[Path]:
    out_dir.mkdir(parents=True, exist_ok=True)
    written = []
    for path in sorted(NOTEBOOKS.glob("[0-9][0-9]_*.ipynb")):
        nb, exercises = student_notebook(nbformat.read(path, as_version=4))
        target = out_dir / path.name
        nbformat.write(nb, target)
        written.append(target)
        print(f"{path.name:32s} {len(exercises)} exercise(s): "
              + ", ".join(name for _, name in exercises))
    return written


if __name__ == "__main__":
    build(Path(sys.argv[1]) if len(sys.argv) > 1 else ROOT / "build" / "student")

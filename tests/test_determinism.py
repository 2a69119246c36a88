"""``make notebooks`` is reproducible: running a lesson twice gives identical text outputs.

Executes ONE notebook twice (fresh kernels, temporary copies; the committed file is never
written) with ``tools/notebooks.execute`` and compares every text output: text/plain,
text/markdown and stdout. Strict nbval in ``make test`` compares every notebook's committed
outputs with a fresh run anyway; this test pins down *run-to-run* nondeterminism (unseeded
generators, dict/set ordering, timings, addresses) in seconds, with a precise diff.

The notebook is ``NB_DETERMINISM=03`` if set, else the lesson with the fewest code cells
(keeps the test under ~15 s).
"""

from __future__ import annotations

import difflib
import importlib.util
import os
import shutil
from pathlib import Path

import nbformat
import pytest

ROOT = Path(__file__).resolve().parents[1]
NOTEBOOKS = sorted((ROOT / "notebooks").glob("[0-9][0-9]_*.ipynb"))
TEXT_MIMES = ("text/plain", "text/markdown")

_spec = importlib.util.spec_from_file_location("nb_tools", ROOT / "tools" / "notebooks.py")
nb_tools = importlib.util.module_from_spec(_spec)
_spec.loader.exec_module(nb_tools)


def _code_cells(path: Path) -> int:
    nb = nbformat.read(path, as_version=4)
    return sum(c.cell_type == "code" for c in nb.cells)


def _chosen() -> Path | None:
    wanted = os.environ.get("NB_DETERMINISM")
    if wanted:
        matches = [p for p in NOTEBOOKS if p.name.startswith(f"{wanted}_")]
        return matches[0] if matches else None
    return min(NOTEBOOKS, key=lambda p: (_code_cells(p), p.name)) if NOTEBOOKS else None


def _text_outputs(path: Path) -> list[str]:
    """One line per text output, labelled with cell index and kind."""
    nb = nbformat.read(path, as_version=4)
    lines = []
    for i, cell in enumerate(nb.cells):
        for out in cell.get("outputs", []):
            if out.output_type == "stream" and out.name == "stdout":
                lines.append(f"[cell {i} stdout] {out.text}")
            for mime in TEXT_MIMES:
                value = out.get("data", {}).get(mime)
                if value is not None:
                    lines.append(f"[cell {i} {mime}] {value}")
    return lines


def _run_copy(src: Path, dest_dir: Path) -> Path:
    """Copy ``notebooks/`` (the lesson may read files next to it) and execute the copy."""
    shutil.copytree(src.parent, dest_dir, ignore=shutil.ignore_patterns(
        ".ipynb_checkpoints", "[0-9][0-9]_*.ipynb"))
    dest = dest_dir / src.name
    shutil.copy2(src, dest)
    nb_tools.execute(dest)
    return dest


@pytest.mark.skipif(not NOTEBOOKS, reason="no lesson notebook yet")
def test_two_runs_give_identical_text_outputs(tmp_path):
    src = _chosen()
    assert src is not None, f"NB_DETERMINISM={os.environ.get('NB_DETERMINISM')} matches no lesson"
    before = src.read_bytes()
    first = _text_outputs(_run_copy(src, tmp_path / "run1"))
    second = _text_outputs(_run_copy(src, tmp_path / "run2"))
    assert src.read_bytes() == before, "the committed notebook was modified"
    assert first, f"{src.name} produced no text output at all"
    if first != second:
        diff = "\n".join(difflib.unified_diff(first, second, "run 1", "run 2", lineterm="", n=1))
        pytest.fail(f"{src.name}: text outputs differ between two runs:\n{diff[:4000]}",
                    pytrace=False)

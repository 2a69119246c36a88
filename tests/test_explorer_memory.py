"""Explorer memory (issue 12 §3): re-running an explorer cell must not keep the old figure.

- in-process: ``close()`` releases the figure, the PNG and every widget; and N simulated
  re-runs of one cell leave exactly one figure of that explorer alive (gc + weakref);
- in a real kernel (nbclient, as nbval runs the lessons): a whole lesson, then every explorer
  cell run again until it has run ``RERUNS`` times. The kernel's resident memory must stay
  within the 200 MB budget, and exactly one figure per explorer cell is alive afterwards.

``EXPLORER_MEMORY_LESSONS=all`` runs every lesson (``make bench`` reports all of them);
by default lesson 03 runs (the issue's example; ~40 s).
"""

from __future__ import annotations

import gc
import json
import os
import re
import weakref
from pathlib import Path

import ipywidgets as widgets
import nbformat
import pytest
from matplotlib.figure import Figure

from nnlib.explore import _base
from nnlib.explore.descent import explore_descent

ROOT = Path(__file__).resolve().parents[1]
NOTEBOOK_DIR = ROOT / "notebooks"
RERUNS = 30
BUDGET_MB = 200.0
EXPLORER_CALL = re.compile(r"\bexplore_\w+\(")
DEFAULT_LESSONS = ("03",)
REPORT = ROOT / "build" / "test-reports" / "explorer-memory.txt"


def _figures():
    gc.collect()
    return [o for o in gc.get_objects() if isinstance(o, Figure)]


def _live_widget_ids():
    """Model ids of every widget ipywidgets keeps registered (open comms).

    ipywidgets 8 keeps them in ``ipywidgets.widgets.widget._instances`` (``Widget.widgets``
    is deprecated there); ipywidgets 7, Colab's, in the class attribute ``Widget.widgets``."""
    registry = getattr(widgets.widget, "_instances", None)
    if registry is None:  # ipywidgets 7
        registry = widgets.Widget.widgets
    return set(registry)


# --------------------------------------------------------------------------- in-process
def test_close_releases_figure_png_and_widgets():
    before = _live_widget_ids()
    explorer = explore_descent()
    fig_ref = weakref.ref(explorer.scene.fig)
    owned = {w.model_id for w in (*explorer.controls.values(), explorer.image, explorer.status,
                                  explorer)}
    assert owned <= _live_widget_ids()
    explorer.close()
    gc.collect()
    assert fig_ref() is None, "the figure is still alive after close()"
    assert not (owned & _live_widget_ids()), "widgets stay registered after close()"
    assert _live_widget_ids() <= before, "close() left new widgets registered"
    assert not bytes(explorer.image.value), "the PNG is still held after close()"
    explorer.update()  # a late slider event after close is ignored, not an error
    assert explorer.error is None


def test_reruns_of_one_cell_keep_one_figure(monkeypatch):
    """As a kernel re-running one cell: each execution closes the previous explorer."""
    run = {"id": None}
    monkeypatch.setattr(_base, "_current_execution", lambda: ("cell-1", run["id"]))
    monkeypatch.setattr(_base, "_LIVE", {})
    figures_before = len(_figures())
    refs = []
    for i in range(20):
        run["id"] = f"execution-{i}"
        explorer = explore_descent()
        refs.append(weakref.ref(explorer.scene.fig))
    gc.collect()
    alive = [r for r in refs if r() is not None]
    assert len(alive) == 1 and alive[0] is refs[-1], f"{len(alive)} of 20 figures alive"
    assert len(_figures()) - figures_before == 1
    assert not explorer.closed


def test_two_explorers_in_one_execution_both_stay(monkeypatch):
    monkeypatch.setattr(_base, "_current_execution", lambda: ("cell-2", "execution-0"))
    monkeypatch.setattr(_base, "_LIVE", {})
    first, second = explore_descent(), explore_descent()
    assert not first.closed and not second.closed
    other = {"cell": "cell-3"}
    monkeypatch.setattr(_base, "_current_execution", lambda: (other["cell"], "execution-1"))
    third = explore_descent()  # another cell: the first cell's explorers stay live
    assert not first.closed and not second.closed and not third.closed
    for e in (first, second, third):
        e.close()


def test_outside_a_kernel_nothing_is_closed():
    assert _base._current_execution() is None
    a, b = explore_descent(), explore_descent()
    assert not a.closed and not b.closed
    a.close()
    b.close()


# --------------------------------------------------------------------------- a real kernel
def _lessons():
    wanted = os.environ.get("EXPLORER_MEMORY_LESSONS", ",".join(DEFAULT_LESSONS))
    paths = sorted(NOTEBOOK_DIR.glob("[0-9][0-9]_*.ipynb"))
    if wanted != "all":
        keep = {w.strip() for w in wanted.split(",")}
        paths = [p for p in paths if p.name[:2] in keep]
    return paths


COUNT_FIGURES = """
import gc as _gc, json as _json
from matplotlib.figure import Figure as _Figure
_gc.collect()
print(_json.dumps(sum(isinstance(_o, _Figure) for _o in _gc.get_objects())))
"""


def _count_figures(client, nb) -> int:
    probe = nbformat.v4.new_code_cell(COUNT_FIGURES)
    nb.cells.append(probe)
    try:
        client.execute_cell(probe, len(nb.cells) - 1)
        return json.loads(probe.outputs[0]["text"])
    finally:
        nb.cells.pop()


def run_lesson_with_reruns(path: Path, reruns: int = RERUNS) -> dict:
    """Run ``path`` in a fresh kernel, then each explorer cell until it has run ``reruns``
    times. Returns RSS before/after the re-runs, figure counts and explorer cell count."""
    import psutil
    from nbclient import NotebookClient

    nb = nbformat.read(path, as_version=4)
    cells = [i for i, c in enumerate(nb.cells)
             if c.cell_type == "code" and EXPLORER_CALL.search(c.source)]
    env_backup = {k: os.environ.get(k) for k in ("OPENBLAS_NUM_THREADS", "OMP_NUM_THREADS")}
    os.environ.update(OPENBLAS_NUM_THREADS="1", OMP_NUM_THREADS="1")
    client = NotebookClient(nb, timeout=600, kernel_name="python3",
                            resources={"metadata": {"path": str(path.parent)}},
                            store_widget_state=False, record_timing=False)
    try:
        with client.setup_kernel():
            kernel = psutil.Process(client.km.provisioner.process.pid)
            peak = 0.0
            for i, cell in enumerate(nb.cells):
                client.execute_cell(cell, i)
            after_lesson = kernel.memory_info().rss / 2**20
            figures_after_lesson = _count_figures(client, nb)
            for _ in range(reruns - 1):
                for i in cells:
                    client.execute_cell(nb.cells[i], i)
                    peak = max(peak, kernel.memory_info().rss / 2**20)
            figures = _count_figures(client, nb)
            final = kernel.memory_info().rss / 2**20
    finally:
        for k, v in env_backup.items():
            if v is None:
                os.environ.pop(k, None)
            else:
                os.environ[k] = v
    errors = [f"cell {i}: {o.get('ename')}: {o.get('evalue')}"
              for i, c in enumerate(nb.cells) if c.cell_type == "code"
              for o in c.get("outputs", []) if o.get("output_type") == "error"]
    return dict(explorer_cells=len(cells), rss_after_lesson_mb=after_lesson,
                rss_peak_mb=max(peak, final), rss_final_mb=final, figures=figures,
                figures_after_lesson=figures_after_lesson,
                errors=errors)


RESULTS: dict[str, dict] = {}


@pytest.fixture(scope="module", autouse=True)
def _write_report():
    yield
    if not RESULTS:
        return
    lines = [f"explorer memory: every explorer cell run {RERUNS} times in a real kernel "
             f"(budget {BUDGET_MB:.0f} MB)"]
    for name, r in RESULTS.items():
        lines.append(f"  {name:32s} {r['explorer_cells']} explorer cells: RSS "
                     f"{r['rss_after_lesson_mb']:.0f} MB after the lesson, peak "
                     f"{r['rss_peak_mb']:.0f} MB, figures alive "
                     f"{r['figures_after_lesson']} → {r['figures']}")
    REPORT.parent.mkdir(parents=True, exist_ok=True)
    REPORT.write_text("\n".join(lines) + "\n", encoding="utf-8")


@pytest.mark.parametrize("path", [pytest.param(p, id=p.stem) for p in _lessons()])
def test_lesson_with_every_explorer_rerun_stays_in_budget(path):
    r = RESULTS[path.name] = run_lesson_with_reruns(path)
    print(f"\n{path.name}: {r}")
    assert not r["errors"], r["errors"]
    assert r["explorer_cells"] >= 1, "no explorer cell found"
    assert r["figures"] <= r["figures_after_lesson"], (
        f"{r['figures']} figures alive after re-running {r['explorer_cells']} explorer cells "
        f"{RERUNS} times, {r['figures_after_lesson']} after the lesson: old explorers keep "
        "their figures")
    assert r["rss_peak_mb"] <= BUDGET_MB, f"kernel RSS peaked at {r['rss_peak_mb']:.0f} MB"


def test_no_two_explorer_cells_share_their_code():
    """Without a cellId (nbclient, Voila, some front ends) a cell is known by its code, so two
    explorer cells with the same code would close each other's explorer."""
    problems = []
    for path in sorted(NOTEBOOK_DIR.glob("[0-9][0-9]_*.ipynb")):
        seen = {}
        for i, cell in enumerate(nbformat.read(path, as_version=4).cells):
            if cell.cell_type == "code" and EXPLORER_CALL.search(cell.source):
                if cell.source in seen:
                    problems.append(f"{path.name}: cells {seen[cell.source]} and {i} both run "
                                    f"{cell.source.strip()!r}")
                seen.setdefault(cell.source, i)
    assert not problems, "\n".join(problems)

"""Execute the instructor notebooks in place, deterministically (``make notebooks``).

``make notebooks`` runs this on ``notebooks/`` and then ``tools/editions.py``, which builds
the learner edition ``lessons/`` and executes it with :func:`run`, the same way.

For each notebook: make sure the first code cell is the Colab setup cell,
run every cell in a fresh kernel from the ``notebooks/`` folder, then tidy
the stored outputs:

- the live-widget part of each explorer's output is dropped, so the stored
  notebook shows the explorer's static PNG preview everywhere (GitHub,
  nbviewer, JupyterLab before running) instead of "Error displaying widget";
- no widget state and no timing metadata are stored;
- execution counts run 1..n.

Usage: python tools/notebooks.py [NOTEBOOK ...]   (default: notebooks/*.ipynb)
"""

from __future__ import annotations

import re
import sys
import time
from pathlib import Path

import nbformat
from nbclient import NotebookClient

ROOT = Path(__file__).resolve().parents[1]
NOTEBOOKS = ROOT / "notebooks"
WIDGET_VIEW = "application/vnd.jupyter.widget-view+json"



def repo_url() -> str:
    """The course repository URL: defined once, in pyproject.toml's [project.urls]."""
    text = (ROOT / "pyproject.toml").read_text()
    match = re.search(r'^Repository\s*=\s*"([^"]+)"', text, flags=re.M)
    if not match:
        raise SystemExit("pyproject.toml lacks [project.urls] Repository = \"...\"")
    return match.group(1)


REPO_URL = repo_url()
COLAB_TAG = "colab-setup"
DISTRIBUTION = "nn-first-principles"  # the pip name; the import name stays nnlib
COLAB_CELL = f'''# Runs only on Google Colab: installs the course package (import name nnlib, with
# its data) from the repository. --no-deps keeps Colab's own numpy, matplotlib, ipywidgets.
import sys
if "google.colab" in sys.modules:
    import subprocess
    subprocess.run([sys.executable, "-m", "pip", "install", "-q", "--no-deps",
                    "{DISTRIBUTION} @ git+{REPO_URL}"], check=True)'''


def ensure_colab_cell(nb) -> None:
    """Make the first code cell the Colab setup cell (prints nothing elsewhere)."""
    cell = next((c for c in nb.cells if COLAB_TAG in c.metadata.get("tags", [])), None)
    if cell is None:
        code = [i for i, c in enumerate(nb.cells) if c.cell_type == "code"]
        first_code = code[0] if code else len(nb.cells)
        cell = nbformat.v4.new_code_cell(COLAB_CELL)
        cell.metadata["tags"] = [COLAB_TAG]
        nb.cells.insert(first_code, cell)
    cell.source = COLAB_CELL


def merge_streams(outputs):
    """Join consecutive stdout (or stderr) pieces: how text is split depends on timing."""
    merged = []
    for out in outputs:
        if (out.get("output_type") == "stream" and merged
                and merged[-1].get("output_type") == "stream" and merged[-1].name == out.name):
            merged[-1].text += out.text
        else:
            merged.append(out)
    return merged


def tidy(nb) -> None:
    """Strip live-widget views, widget state and timings; merge split text; keep counts."""
    nb.metadata.pop("widgets", None)
    nb.metadata["kernelspec"] = {"display_name": "Python 3 (ipykernel)", "language": "python",
                                 "name": "python3"}
    nb.metadata.get("language_info", {}).pop("version", None)
    for cell in nb.cells:
        cell.metadata.pop("execution", None)
        if cell.cell_type == "code":
            cell.outputs = merge_streams(cell.outputs)
        for out in cell.get("outputs", []):
            data = out.get("data")
            if data and WIDGET_VIEW in data:
                del data[WIDGET_VIEW]


def run(nb, workdir: Path, timeout: int = 300) -> float:
    """Execute ``nb`` in place, top to bottom in a fresh kernel started in ``workdir``, then
    :func:`tidy` it; returns seconds taken. Used for both editions (``tools/editions.py``)."""
    ensure_colab_cell(nb)
    start = time.perf_counter()
    client = NotebookClient(nb, timeout=timeout, kernel_name="python3",
                            resources={"metadata": {"path": str(workdir)}},
                            store_widget_state=False, record_timing=False)
    client.execute()
    seconds = time.perf_counter() - start
    tidy(nb)
    nbformat.validate(nb)
    return seconds


def execute(path: Path, timeout: int = 300) -> float:
    """Run ``path`` top to bottom in a fresh kernel and write it back; returns seconds taken."""
    nb = nbformat.read(path, as_version=4)
    seconds = run(nb, path.parent, timeout)
    nbformat.write(nb, path)
    return seconds


def main(argv: list[str]) -> int:
    paths = [Path(p) for p in argv] or sorted(NOTEBOOKS.glob("[0-9][0-9]_*.ipynb"))
    total = 0.0
    for path in paths:
        seconds = execute(path.resolve())
        total += seconds
        print(f"{path.name:32s} {seconds:6.1f} s", flush=True)
    print(f"{'total':32s} {total:6.1f} s")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))

"""The latency report's two reference sliders (tests/browser/latency.py, ``00_floor.ipynb``).

They are only useful as a floor if each key press really sends a new image, and if the
figure floor does (almost) no kernel work: both are checked here without a browser.
"""

import importlib.util
from pathlib import Path

import nbformat
import pytest

ROOT = Path(__file__).resolve().parents[1]


@pytest.fixture(scope="module")
def latency():
    spec = importlib.util.spec_from_file_location(
        "latency_for_tests", ROOT / "tests" / "browser" / "latency.py")
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


@pytest.fixture(scope="module")
def floor(latency, tmp_path_factory):
    """The floor notebook's cells run in one namespace, as a kernel would run them."""
    path = latency.write_floor_notebook(tmp_path_factory.mktemp("floor"))
    nb = nbformat.read(path, as_version=4)
    nbformat.validate(nb)
    namespace = {}
    for cell in nb.cells:
        exec(compile(cell.source, str(path), "exec"), namespace)  # noqa: S102
    return path, namespace


def test_floor_notebook_is_named_so_reports_keep_it_apart(latency, floor):
    path, _ = floor
    assert path.name == latency.FLOOR_NOTEBOOK and latency.is_floor(path.name)
    assert not latency.is_floor("03_gradient_descent.ipynb")
    # the browser names an explorer by the explore_* call in its cell
    sources = [c.source for c in nbformat.read(path, as_version=4).cells]
    assert any("explore_floor_trivial()" in s for s in sources)
    assert any("explore_floor_figure()" in s for s in sources)


def test_trivial_floor_sends_a_new_image_on_every_step(floor):
    _, ns = floor
    box = ns["explore_floor_trivial"]()
    slider, image = box.children
    assert "nnlib-explorer" in box._dom_classes
    seen = [bytes(image.value)]
    for _ in range(4):
        slider.value += 1
        seen.append(bytes(image.value))
    assert all(a != b for a, b in zip(seen, seen[1:], strict=False))
    assert len(seen[0]) < 100  # one pixel: no figure involved


def test_figure_floor_swaps_full_size_images_without_rendering(floor):
    _, ns = floor
    explorer = ns["explore_floor_figure"]()
    first = bytes(explorer.image.value)
    slider = explorer.controls["x0"]
    seen = [first]
    for _ in range(6):
        slider.value = round(slider.value - 0.05, 2)
        seen.append(bytes(explorer.image.value))
    assert all(a != b for a, b in zip(seen, seen[1:], strict=False))
    # the same size as the real explorer's image, so the browser does the same work
    assert all(len(s) > 10_000 for s in seen)
    assert explorer.image.width == explorer.image.width.strip() and int(explorer.image.width) > 400
    # two precomputed frames, no drawing: the scene's figure is never touched again
    assert len({*seen}) <= 3  # the first render (defaults) plus the two frames
    explorer.close()

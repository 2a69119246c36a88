"""Every lesson in a real browser: JupyterLab (static previews, run all, drive the sliders)
and one lesson in Voilà app mode.

See tests/README.md for how to enable or skip these tests and what they cost.
"""

from __future__ import annotations

import os
import time
from pathlib import Path

import nbformat
import pytest
from conftest import axe_counts, run_axe
from latency import measure_page, report_lines, summarize

RUN_TIMEOUT_S = 60
EXPLORER = ".nnlib-explorer"
# any other live slider+image widget (e.g. a hand-made VBox or ipywidgets.interact), innermost
OTHER_SLIDER_WIDGET = (".widget-vbox:not(.nnlib-explorer):not(.nnlib-explorer *)"
                       ":has(.widget-slider):has(img):not(:has(.nnlib-explorer))"
                       ":not(:has(.widget-vbox:has(.widget-slider):has(img)))")
BAD_TEXT = ["Error displaying widget", "interactive(children=", "VBox(children=",
            "Model not found", "Failed to load model class"]

NOTEBOOK_DIR = Path(os.environ.get("BROWSER_NOTEBOOKS")  # same rule as conftest.NOTEBOOK_DIR
                    or Path(__file__).resolve().parents[2] / "notebooks").resolve()
NOTEBOOKS = sorted(NOTEBOOK_DIR.glob("[0-9][0-9]_*.ipynb"))
NB_PARAMS = [pytest.param(p.name, id=p.stem) for p in NOTEBOOKS] or [
    pytest.param(None, id="no-notebooks", marks=pytest.mark.skip("no lesson notebook yet"))]

STATS = {"notebooks": 0, "explorers": 0, "controls": 0, "voila": "not run"}
# keypress → new image painted, per explorer (report only: timings are not asserted here;
# the targets are checked by `make bench`)
LATENCY: dict[str, dict] = {}
LATENCY_SAMPLES = int(os.environ.get("BROWSER_LATENCY_SAMPLES", "4"))  # key presses a slider
REPORT = Path(__file__).resolve().parents[2] / "build" / "test-reports" / "browser.txt"
# axe-core violations per notebook: {name: {"stored": {rule: counts}, "live": {rule: counts}}}
AXE: dict[str, dict] = {}
AXE_REPORT = REPORT.with_name("axe.txt")


@pytest.fixture(scope="module", autouse=True)
def _write_summary():
    start = time.monotonic()
    yield
    REPORT.parent.mkdir(parents=True, exist_ok=True)
    from nnlib.plots import DPI
    nodelay = os.environ.get("BROWSER_NODELAY", "1") != "0"  # conftest.NODELAY
    text = (f"browser: {STATS['notebooks']}/{len(NOTEBOOKS)} notebooks passed in JupyterLab, "
            f"{STATS['explorers']} live explorers, {STATS['controls']} controls driven; "
            f"Voila: {STATS['voila']}; {time.monotonic() - start:.0f} s\n")
    if LATENCY:
        text += "\n".join(report_lines(
            LATENCY, f"slider latency, keypress → new image painted (ms; report only, "
                     f"targets in make bench), {'with' if nodelay else 'without'} "
                     f"nnlib_nodelay, {DPI:g} dpi, {NOTEBOOK_DIR.name}/, load average "
                     f"{os.getloadavg()[0]:.1f}")) + "\n"
    REPORT.write_text(text, encoding="utf-8")
    if AXE:
        AXE_REPORT.write_text(_axe_report(), encoding="utf-8")


def _axe_report() -> str:
    """axe-core's violations per notebook and state, by rule: impact, nodes (in outputs)."""
    lines = ["axe-core violations in JupyterLab, by rule: impact, nodes (of them in notebook "
             "outputs); 'stored' = the notebook as opened, 'live' = after run all and every "
             "control moved"]
    for name, states in AXE.items():
        for state, counts in states.items():
            lines.append(f"{name} [{state}]: " + (", ".join(
                f"{rule} ({c['impact']}) {c['nodes']} ({c['in_outputs']})"
                for rule, c in sorted(counts.items())) or "none"))
    return "\n".join(lines) + "\n"

# --------------------------------------------------------------------------- JavaScript
JS_NOTEBOOK_READY = """(path) => {
  const app = window.jupyterapp;
  const w = app && app.shell.currentWidget;
  if (!w || !w.context || w.context.path !== path || !w.sessionContext) return false;
  const kernel = w.sessionContext.session && w.sessionContext.session.kernel;
  return !!kernel && kernel.status === 'idle' && w.content.widgets.length > 0;
}"""

JS_KERNEL_IDLE = """() => {
  const w = window.jupyterapp.shell.currentWidget;
  const kernel = w.sessionContext.session && w.sessionContext.session.kernel;
  const busy = Array.from(w.node.querySelectorAll('.jp-InputPrompt'))
                    .some(p => p.textContent.includes('*'));
  return !!kernel && kernel.status === 'idle' && !busy;
}"""

JS_STATE = """() => {
  const w = window.jupyterapp && window.jupyterapp.shell.currentWidget;
  if (!w) return 'no current widget';
  const kernel = w.sessionContext && w.sessionContext.session && w.sessionContext.session.kernel;
  const prompts = Array.from(w.node.querySelectorAll('.jp-InputPrompt'))
                       .map(p => p.textContent.trim()).join(' ');
  const dialog = document.querySelector('.jp-Dialog');
  return `current tab ${w.title.label}, kernel ${kernel ? kernel.status : 'none'}, `
       + `prompts ${prompts}` + (dialog ? `, dialog open: ${dialog.innerText}` : '');
}"""

JS_RUN_ALL = """async (timeoutMs) => {
  const app = window.jupyterapp;
  const timeout = new Promise((_, reject) =>
      setTimeout(() => reject(new Error('run-all did not finish within ' + timeoutMs + ' ms')),
                 timeoutMs));
  return await Promise.race([app.commands.execute('notebook:run-all-cells'), timeout]);
}"""

# problems stored in the notebook *model* after running: error outputs and stderr streams
JS_MODEL_PROBLEMS = """() => {
  const w = window.jupyterapp.shell.currentWidget;
  const problems = [];
  const cells = w.content.model.cells;
  for (let i = 0; i < cells.length; i++) {
    const cell = cells.get(i);
    if (cell.type !== 'code') continue;
    const outputs = cell.outputs.toJSON();
    for (const out of outputs) {
      if (out.output_type === 'error') {
        problems.push(`cell ${i}: ${out.ename}: ${out.evalue}`);
      } else if (out.output_type === 'stream' && out.name === 'stderr') {
        const text = Array.isArray(out.text) ? out.text.join('') : out.text;
        problems.push(`cell ${i}: stderr: ${text.slice(0, 300)}`);
      }
    }
    if (cell.executionCount === null) problems.push(`cell ${i}: did not run`);
  }
  return problems;
}"""

JS_CELL_IMAGES = """() => Array.from(document.querySelectorAll('.jp-Notebook .jp-Cell')).map(c =>
  c.querySelectorAll('.jp-OutputArea-output img').length)"""

# the accessible name of an explorer's image: its alt, else its title (what a screen reader
# reads, in the order of the accessible-name computation for <img>)
JS_IMG_NAME = """(root) => {
  const img = root.querySelector('img');
  if (!img) return null;
  return (img.getAttribute('alt') || img.getAttribute('title') || '').trim();
}"""


# --------------------------------------------------------------------------- helpers
def _bad_text(page, where):
    text = page.inner_text("body")
    found = [t for t in BAD_TEXT if t in text]
    assert not found, f"{where}: the page shows {found}"


def _explorer_outputs(path: Path) -> tuple[dict[int, int], int]:
    """``({cell index: number of explorer outputs}, number of cells)`` of the stored file."""
    nb = nbformat.read(path, as_version=4)
    counts = {}
    for i, cell in enumerate(nb.cells):
        n = sum(1 for out in cell.get("outputs", [])
                if str(out.get("data", {}).get("text/plain", "")).startswith("[explorer]"))
        if n:
            counts[i] = n
    return counts, len(nb.cells)


def _wait(page, js, arg, what, timeout_s=RUN_TIMEOUT_S):
    """``page.wait_for_function`` that fails with a sentence instead of a bare timeout."""
    from playwright.sync_api import TimeoutError as PlaywrightTimeout

    try:
        page.wait_for_function(js, arg=arg, timeout=timeout_s * 1000, polling=100)
    except PlaywrightTimeout:
        state = page.evaluate(JS_STATE)
        pytest.fail(f"timed out after {timeout_s} s waiting for {what}; {state}", pytrace=False)


def _wait_idle(page, timeout_s=RUN_TIMEOUT_S):
    _wait(page, JS_KERNEL_IDLE, None, "the kernel to become idle", timeout_s)


def _img_src(explorer):
    return explorer.locator("img").first.get_attribute("src")


def _img_name(explorer):
    return explorer.evaluate(JS_IMG_NAME)


def _wait_src_change(page, explorer, old, timeout_s=15):
    deadline = time.monotonic() + timeout_s
    while time.monotonic() < deadline:
        src = _img_src(explorer)
        if src and src != old:
            return src
        page.wait_for_timeout(50)
    return None


def _move_slider(page, explorer, slider):
    """Keyboard-drive one ipywidgets slider; returns (old readout, new readout)."""
    handle = slider.locator(".noUi-handle").first
    readout = slider.locator(".widget-readout").first
    before = readout.inner_text()
    handle.scroll_into_view_if_needed()
    handle.focus()
    for _ in range(3):
        page.keyboard.press("ArrowRight")
    after = readout.inner_text()
    if after == before:  # already at the maximum: go the other way
        for _ in range(3):
            page.keyboard.press("ArrowLeft")
        after = readout.inner_text()
    return before, after


def _drive_explorer(page, explorer, label):
    """Move every slider (and dropdown) of one explorer; the image must change each time."""
    problems = []
    sliders = explorer.locator(".widget-slider")
    dropdowns = explorer.locator(".widget-dropdown select")
    n_sliders, n_dropdowns = sliders.count(), dropdowns.count()
    if n_sliders + n_dropdowns == 0:
        return [f"{label}: no slider or dropdown found"], 0
    driven = 0
    name = _img_name(explorer)
    if not name:
        problems.append(f"{label}: its image has no alt text (alt or title)")
    for j in range(n_sliders):
        _wait_idle(page)
        old = _img_src(explorer)
        before, after = _move_slider(page, explorer, sliders.nth(j))
        if before == after:
            problems.append(f"{label} slider {j}: the keyboard did not move it (readout {before})")
            continue
        driven += 1
        if _wait_src_change(page, explorer, old) is None:
            problems.append(f"{label} slider {j}: moved {before} → {after} but the image "
                            "did not change")
            continue
        _wait_idle(page)
        new_name = _img_name(explorer)
        if not new_name or new_name == name:
            problems.append(f"{label} slider {j}: moved {before} → {after}, the image changed "
                            f"but its alt text did not ({new_name!r})")
        name = new_name
    for j in range(n_dropdowns):
        _wait_idle(page)
        select = dropdowns.nth(j)
        options = select.locator("option")
        if options.count() < 2:
            continue
        old = _img_src(explorer)
        current = select.evaluate("s => s.selectedIndex")
        select.select_option(index=(current + 1) % options.count())
        driven += 1
        if _wait_src_change(page, explorer, old) is None:
            problems.append(f"{label} dropdown {j}: a new option did not change the image")
            continue
        _wait_idle(page)
        new_name = _img_name(explorer)
        if not new_name or new_name == name:
            problems.append(f"{label} dropdown {j}: the image changed but its alt text did "
                            f"not ({new_name!r})")
        name = new_name
    _wait_idle(page)
    status = explorer.locator(".widget-html").all_inner_texts()
    errors = [s for s in status if "⚠" in s]
    if errors:
        problems.append(f"{label}: explorer reports {errors}")
    return problems, driven


# --------------------------------------------------------------------------- tests
@pytest.mark.parametrize("name", NB_PARAMS)
def test_notebook_in_jupyterlab(name, lab, lab_page, axe_js):
    page = lab_page
    explorer_cells, n_cells = _explorer_outputs(lab.root / name)
    t0 = time.monotonic()
    page.evaluate("(path) => window.jupyterapp.commands.execute('docmanager:open', "
                  "{path, factory: 'Notebook', kernel: {name: 'python3'}})", name)
    _wait(page, JS_NOTEBOOK_READY, name, "the notebook to open with an idle kernel")

    t_open = time.monotonic() - t0
    # 1. before running: the stored static previews show, nothing is broken
    images = page.evaluate(JS_CELL_IMAGES)
    assert len(images) == n_cells, f"{len(images)} cells rendered, the file has {n_cells}"
    missing = [i for i, n in explorer_cells.items() if images[i] < n]
    assert not missing, f"explorer outputs without a static <img> preview in cells {missing}"
    _bad_text(page, "before running")
    # axe-core on the notebook as opened (stored figures and explorer previews)
    stored = run_axe(page, axe_js)
    AXE[name] = {"stored": axe_counts(stored)}

    # 2. run all cells in the kernel
    page.evaluate(JS_RUN_ALL, RUN_TIMEOUT_S * 1000)
    _wait_idle(page)
    problems = page.evaluate(JS_MODEL_PROBLEMS)
    assert not problems, "cells failed:\n" + "\n".join(problems)
    stderr = page.locator(
        '.jp-OutputArea-output[data-mime-type="application/vnd.jupyter.stderr"]')
    assert stderr.count() == 0, "error/stderr output shown:\n" + "\n".join(
        t[:400] for t in stderr.all_inner_texts())
    assert page.locator(".jp-OutputArea-output:has-text('Traceback')").count() == 0, \
        "a traceback is shown"
    _bad_text(page, "after running")

    t_run = time.monotonic() - t0 - t_open
    # 3. every live explorer answers its controls
    explorers = page.locator(f"{EXPLORER}, {OTHER_SLIDER_WIDGET}")
    n_explorers = explorers.count()
    expected = sum(explorer_cells.values())
    assert n_explorers >= expected, \
        f"{expected} explorers stored in the notebook, {n_explorers} live ones rendered"
    problems, driven = [], 0
    for i in range(n_explorers):
        explorer = explorers.nth(i)
        explorer.scroll_into_view_if_needed()
        assert explorer.locator("img").count() >= 1, f"explorer {i} has no <img>"
        p, d = _drive_explorer(page, explorer, f"explorer {i}")
        problems += p
        driven += d
    # axe-core on the live notebook: figures, explorers after their controls moved
    live = run_axe(page, axe_js)
    AXE[name]["live"] = axe_counts(live)
    for state, violations in (("as opened", stored), ("after running", live)):
        missing_alt = [n["target"] for v in violations if v["id"] == "image-alt"
                       for n in v["nodes"]]
        problems += [f"axe-core image-alt, {state}: {len(missing_alt)} image(s) without alt "
                     f"text: {missing_alt[:5]}"] if missing_alt else []
    assert not problems, "\n".join(problems)
    _bad_text(page, "after moving the sliders")
    assert not page.problems, "browser console errors:\n" + "\n".join(page.problems)
    # 4. slider latency, keypress → new image painted (recorded, not asserted)
    t_lat = time.monotonic()
    if LATENCY_SAMPLES > 0:
        LATENCY[name] = measure_page(page, LATENCY_SAMPLES)
        every = [ms for r in LATENCY[name].values() for ms in r["samples"]]
        s = summarize(every)
        print(f"\n{name}: slider latency median {s['median_ms']:.1f} ms, p95 "
              f"{s['p95_ms']:.1f} ms over {s['n']} key presses "
              f"({time.monotonic() - t_lat:.1f} s)")
    assert not page.problems, "browser console errors:\n" + "\n".join(page.problems)
    STATS["notebooks"] += 1
    STATS["explorers"] += n_explorers
    STATS["controls"] += driven
    print(f"\n{name}: {n_explorers} explorers, {driven} controls driven; open {t_open:.1f} s, "
          f"run {t_run:.1f} s, drive {time.monotonic() - t0 - t_open - t_run:.1f} s")


def test_voila_app_mode(voila, page):
    """``make present``: the lesson renders in Voilà, and a slider updates the image."""
    page.goto(f"{voila.base}/", timeout=60_000)
    page.wait_for_selector(EXPLORER, timeout=90_000)
    explorer = page.locator(EXPLORER).first
    explorer.locator("img").first.wait_for(timeout=30_000)
    text = page.inner_text("body")
    assert "Error displaying widget" not in text and "Traceback" not in text
    # Voilà strips the sources: no code cell input in app mode
    assert page.locator(".jp-InputArea-editor").count() == 0, "code is visible in app mode"
    sliders = explorer.locator(".widget-slider")
    assert sliders.count() >= 1, "the first explorer has no slider"
    old, old_name = _img_src(explorer), _img_name(explorer)
    assert old_name, "the explorer's image has no alt text (alt or title) in Voila"
    unnamed = page.evaluate("""() => Array.from(document.querySelectorAll('.jp-OutputArea img'))
        .filter(i => !(i.getAttribute('alt') || i.getAttribute('title') || '').trim()).length""")
    assert unnamed == 0, f"{unnamed} figure(s) without alt text in Voila"
    before, after = _move_slider(page, explorer, sliders.first)
    assert before != after, f"the keyboard did not move the slider (readout {before})"
    assert _wait_src_change(page, explorer, old) is not None, \
        f"moved {before} → {after} but the image did not change"
    page.wait_for_timeout(500)
    assert _img_name(explorer) not in ("", old_name), \
        f"moved {before} → {after}: the image changed but its alt text did not"
    page.wait_for_timeout(300)  # let late messages (and late errors) arrive
    assert not page.problems, "browser console errors:\n" + "\n".join(page.problems)
    STATS["voila"] = f"{voila.notebook} OK"

"""Slider latency in a real browser: keypress → new explorer image painted.

Used by the browser suite (``test_browser.py`` adds a report, no timing assertion) and by
``make bench`` (``benchmarks/run.py`` runs this file as a script; the targets live there).

What one sample is: the slider handle has focus; the page records ``performance.now()`` when
the ``keydown`` of ArrowRight (or ArrowLeft at the slider's end) reaches the document; the
slider sends the new value to the kernel, the kernel renders, the widget sets a new ``src``
on the explorer's ``<img>``; the sample ends in the first ``requestAnimationFrame`` after that
image has loaded and decoded. Everything is timed inside the page (one clock), so
Playwright's own round trips do not count.

Explorers are found by their ``.nnlib-explorer`` class and named by the ``explore_*`` call in
their cell, so it works on ``notebooks/`` (instructor edition) and ``lessons/`` (learner
edition) alike; an explorer whose cell failed (an unwritten exercise) is simply not there.

Standalone: ``python tests/browser/latency.py [--folder lessons] [--samples 20]
[--no-nodelay] [--no-floor] [--json out.json]`` starts its own JupyterLab (private HOME,
temporary copy of the folder) and Chromium, runs every lesson and prints median / p95 per
explorer.

**The floor.** Before the lessons it measures two reference sliders in the same page
(``00_floor.ipynb``, written by :func:`write_floor_notebook`), so every report shows what
JupyterLab, ipywidgets and Chromium cost on their own on the machine at hand:

- ``floor_trivial``: an ``IntSlider`` whose callback swaps a 1×1-pixel image; no figure at all.
- ``floor_figure``: lesson 03's ``explore_descent`` whose update only swaps between two PNGs
  rendered in advance (the course's pixel ratio), so the kernel does almost nothing and the
  browser still receives, decodes and paints a full-size explorer image.

An explorer's latency minus ``floor_figure`` is what its own rendering costs.
"""

from __future__ import annotations

import argparse
import json
import os
import secrets
import shutil
import signal
import socket
import statistics
import subprocess
import sys
import tempfile
import time
import urllib.request
from pathlib import Path

ROOT = Path(__file__).resolve().parents[2]
EXPLORER = ".nnlib-explorer"
SAMPLE_TIMEOUT_MS = 5000

# Arms one measurement on the explorer ``root``: resolves with the latency in ms, or with
# null when no new image arrives within the timeout (e.g. a step that draws the same picture).
JS_ARM = """([root, timeoutMs]) => {
  const img = root.querySelector('img');
  const old = img.getAttribute('src');
  let t0 = null;
  const onKey = () => { if (t0 === null) t0 = performance.now(); };
  document.addEventListener('keydown', onKey, {capture: true});
  window.__nnlibLatency = new Promise((resolve) => {
    const finish = (value) => {
      obs.disconnect();
      clearTimeout(timer);
      document.removeEventListener('keydown', onKey, {capture: true});
      resolve(value);
    };
    const painted = () => requestAnimationFrame(() => finish(performance.now() - t0));
    const obs = new MutationObserver(() => {
      if (img.getAttribute('src') === old || t0 === null) return;
      obs.disconnect();
      img.decode().then(painted, painted);
    });
    obs.observe(img, {attributes: true, attributeFilter: ['src']});
    const timer = setTimeout(() => finish(null), timeoutMs);
  });
  return true;
}"""

JS_AWAIT = "() => window.__nnlibLatency"

# name of the explorer: the explore_* call in its cell's input (JupyterLab), else null (Voila)
JS_NAME = """(root) => {
  const cell = root.closest('.jp-Cell');
  const input = cell && cell.querySelector('.jp-InputArea');
  const m = input && input.innerText.match(/\\b(explore_\\w+)\\s*\\(/);
  return m ? m[1] : null;
}"""

JS_HANDLE_STATE = """(h) => [parseFloat(h.getAttribute('aria-valuenow')),
                             parseFloat(h.getAttribute('aria-valuemin')),
                             parseFloat(h.getAttribute('aria-valuemax'))]"""


def percentile(values, q):
    """The ``q``-th percentile (linear interpolation, like numpy's default)."""
    xs = sorted(values)
    if not xs:
        return float("nan")
    k = (len(xs) - 1) * q / 100
    lo, hi = int(k), min(int(k) + 1, len(xs) - 1)
    return xs[lo] + (xs[hi] - xs[lo]) * (k - lo)


def summarize(samples):
    return dict(n=len(samples), median_ms=statistics.median(samples) if samples else float("nan"),
                p95_ms=percentile(samples, 95), max_ms=max(samples) if samples else float("nan"))


FLOOR_NOTEBOOK = "00_floor.ipynb"
FLOOR_CELLS = [
    "# Reference sliders for the latency report (tests/browser/latency.py): not a lesson.\n"
    "import struct, zlib\n"
    "import ipywidgets as widgets\n"
    "from nnlib.explore._base import _png_chunk\n"
    "from nnlib.explore.descent import explore_descent\n\n"
    "def one_pixel_png(rgb):\n"
    "    header = struct.pack('>IIBBBBB', 1, 1, 8, 2, 0, 0, 0)\n"
    "    return (b'\\x89PNG\\r\\n\\x1a\\n' + _png_chunk(b'IHDR', header)\n"
    "            + _png_chunk(b'IDAT', zlib.compress(b'\\x00' + bytes(rgb)))"
    " + _png_chunk(b'IEND', b''))",
    "def explore_floor_trivial():\n"
    "    frames = [one_pixel_png((0, 114, 178)), one_pixel_png((230, 159, 0))]\n"
    "    slider = widgets.IntSlider(value=50, min=0, max=100, description='n')\n"
    "    image = widgets.Image(value=frames[0], format='png', width='40')\n"
    "    slider.observe(lambda change: setattr(image, 'value', frames[change['new'] % 2]),"
    " names='value')\n"
    "    box = widgets.VBox([slider, image])\n"
    "    box.add_class('nnlib-explorer')\n"
    "    return box\n\n"
    "explore_floor_trivial()",
    "def explore_floor_figure():\n"
    "    explorer = explore_descent()\n"
    "    frames = [explorer.scene.png(lr=0.1, x0=x0, num_steps=20) for x0 in (1.0, -1.0)]\n"
    "    moves = [0]\n\n"
    "    def swap():\n"
    "        moves[0] += 1\n"
    "        explorer._set_png(frames[moves[0] % 2])\n\n"
    "    explorer.update = swap\n"
    "    return explorer\n\n"
    "explore_floor_figure()",
]


def write_floor_notebook(folder: Path) -> Path:
    """``folder/00_floor.ipynb``: the two reference sliders (see the module docstring)."""
    import nbformat

    nb = nbformat.v4.new_notebook()
    nb.cells = [nbformat.v4.new_code_cell(src) for src in FLOOR_CELLS]
    nb.metadata["kernelspec"] = {"name": "python3", "display_name": "Python 3",
                                 "language": "python"}
    path = folder / FLOOR_NOTEBOOK
    nbformat.write(nb, path)
    return path


def is_floor(notebook: str) -> bool:
    return notebook == FLOOR_NOTEBOOK


def wait_kernel_idle(page, timeout_ms=60_000):
    page.wait_for_function("""() => {
      const w = window.jupyterapp && window.jupyterapp.shell.currentWidget;
      const k = w && w.sessionContext && w.sessionContext.session
                && w.sessionContext.session.kernel;
      return !k || k.status === 'idle';
    }""", timeout=timeout_ms, polling=50)


def measure_explorer(page, explorer, samples_per_slider=5, lab=True):
    """Latency samples (ms) for every continuous slider of one explorer.

    Returns ``dict(samples=[...], missed=k)``; ``missed`` counts key presses after which no new
    image arrived within ``SAMPLE_TIMEOUT_MS``.
    """
    samples, missed = [], 0
    sliders = explorer.locator(".widget-slider .noUi-handle")
    root = explorer.element_handle()
    for j in range(sliders.count()):
        handle = sliders.nth(j)
        handle.scroll_into_view_if_needed()
        handle.focus()
        direction = "ArrowRight"
        for _ in range(samples_per_slider):
            now, lo, hi = handle.evaluate(JS_HANDLE_STATE)
            if direction == "ArrowRight" and now >= hi:
                direction = "ArrowLeft"
            elif direction == "ArrowLeft" and now <= lo:
                direction = "ArrowRight"
            if lab:
                wait_kernel_idle(page)
            page.evaluate(JS_ARM, [root, SAMPLE_TIMEOUT_MS])
            page.keyboard.press(direction)
            ms = page.evaluate(JS_AWAIT)
            if ms is None:
                missed += 1
            else:
                samples.append(float(ms))
    return dict(samples=samples, missed=missed)


def measure_page(page, samples_per_slider=5, lab=True):
    """``{explorer name: dict(samples, missed)}`` for every live explorer on the page."""
    out = {}
    explorers = page.locator(EXPLORER)
    for i in range(explorers.count()):
        explorer = explorers.nth(i)
        explorer.scroll_into_view_if_needed()
        name = explorer.evaluate(JS_NAME) or f"explorer {i}"
        while name in out:
            name += "'"
        out[name] = measure_explorer(page, explorer, samples_per_slider, lab=lab)
    return out


def report_lines(results: dict, title: str) -> list[str]:
    """``results``: {notebook: {explorer: dict(samples, missed)}} → readable table lines."""
    lines = [title, f"  {'notebook / explorer':52s} {'median':>7s} {'p95':>7s} {'n':>4s}"]
    every = []
    for nb, explorers in results.items():
        for name, r in explorers.items():
            s = summarize(r["samples"])
            if not is_floor(nb):
                every += r["samples"]
            missed = f"  ({r['missed']} key presses drew no new image)" if r["missed"] else ""
            label = f"floor: {name}" if is_floor(nb) else nb[:22] + " " + name
            lines.append(f"  {label:52s} {s['median_ms']:7.1f} {s['p95_ms']:7.1f} "
                         f"{s['n']:4d}{missed}")
    s = summarize(every)
    lines.append(f"  {'all explorers':52s} {s['median_ms']:7.1f} {s['p95_ms']:7.1f} {s['n']:4d}")
    return lines


# --------------------------------------------------------------------------- standalone run
def _free_port():
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def _chromium():
    if os.environ.get("CHROMIUM"):
        return os.environ["CHROMIUM"]
    return shutil.which("chromium") or shutil.which("chromium-browser") or "/usr/bin/chromium"


def run(folder: Path, samples_per_slider=10, nodelay=True, only=None, log=print,
        pixel_ratio=None, floor=True):
    """Start JupyterLab + Chromium, run every lesson in ``folder``, measure every explorer."""
    sys.path.insert(0, str(Path(__file__).resolve().parent))
    from conftest import CHROMIUM_ARGS, JS_CLOSE_ALL, JS_LAB_STARTED, private_env
    from playwright.sync_api import sync_playwright

    results = {}
    with tempfile.TemporaryDirectory(prefix="nnlib-latency-") as tmp:
        work = Path(tmp)
        root = work / "lessons"
        shutil.copytree(folder, root, ignore=shutil.ignore_patterns(".ipynb_checkpoints"))
        if floor:
            write_floor_notebook(root)
        home = work / "home"
        home.mkdir()
        port, token = _free_port(), secrets.token_hex(16)
        cmd = [sys.executable, "-m", "jupyter", "lab", "--no-browser",
               "--ServerApp.ip=127.0.0.1", f"--ServerApp.port={port}",
               "--ServerApp.port_retries=0", f"--IdentityProvider.token={token}",
               f"--ServerApp.root_dir={root}", "--LabApp.expose_app_in_browser=True",
               f"--ServerApp.jpserver_extensions=nnlib_nodelay={nodelay}",
               "--LabApp.check_for_updates_class="
               "jupyterlab.handlers.announcements.NeverCheckForUpdate"]
        if hasattr(os, "geteuid") and os.geteuid() == 0:
            cmd.append("--ServerApp.allow_root=True")
        env = private_env(home)
        env.update(OPENBLAS_NUM_THREADS="1", OMP_NUM_THREADS="1", MKL_NUM_THREADS="1")
        if pixel_ratio is not None:  # the kernels inherit it: nnlib.plots.PIXEL_RATIO
            env["NNLIB_PIXEL_RATIO"] = str(pixel_ratio)
        log_path = work / "lab.log"
        with open(log_path, "w") as log_file:
            proc = subprocess.Popen(cmd, env=env, cwd=root, stdout=log_file,
                                    stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL)
            try:
                base = f"http://127.0.0.1:{port}"
                deadline = time.monotonic() + 90
                while True:
                    if proc.poll() is not None or time.monotonic() > deadline:
                        raise RuntimeError("JupyterLab did not start:\n"
                                           + log_path.read_text()[-3000:])
                    try:
                        urllib.request.urlopen(f"{base}/api/status?token={token}", timeout=2)
                        break
                    except OSError:
                        time.sleep(0.25)
                with sync_playwright() as pw:
                    browser = pw.chromium.launch(executable_path=_chromium(), args=CHROMIUM_ARGS)
                    page = browser.new_page(viewport={"width": 1280, "height": 1000})
                    page.set_default_timeout(60_000)
                    page.goto(f"{base}/lab?reset&token={token}", timeout=90_000)
                    page.wait_for_function(JS_LAB_STARTED, timeout=90_000, polling=200)
                    for nb in sorted(root.glob("[0-9][0-9]_*.ipynb")):
                        if only and nb.name[:2] not in only and not is_floor(nb.name):
                            continue
                        page.evaluate("(path) => window.jupyterapp.commands.execute("
                                      "'docmanager:open', {path, factory: 'Notebook', "
                                      "kernel: {name: 'python3'}})", nb.name)
                        page.wait_for_function(
                            """(p) => { const w = window.jupyterapp.shell.currentWidget;
                              return w && w.context && w.context.path === p && w.sessionContext
                                && w.sessionContext.session && w.sessionContext.session.kernel
                                && w.sessionContext.session.kernel.status === 'idle'; }""",
                            arg=nb.name, timeout=90_000, polling=100)
                        page.evaluate("() => window.jupyterapp.commands.execute("
                                      "'notebook:run-all-cells')")
                        page.wait_for_function(
                            """() => { const w = window.jupyterapp.shell.currentWidget;
                              return !Array.from(w.node.querySelectorAll('.jp-InputPrompt'))
                                .some(p => p.textContent.includes('*')); }""",
                            timeout=120_000, polling=100)
                        wait_kernel_idle(page)
                        results[nb.name] = measure_page(page, samples_per_slider)
                        for name, r in results[nb.name].items():
                            s = summarize(r["samples"])
                            log(f"  {nb.name} {name}: median {s['median_ms']:.1f} ms, "
                                f"p95 {s['p95_ms']:.1f} ms, n={s['n']}, missed {r['missed']}")
                        page.evaluate(JS_CLOSE_ALL)
                        req = urllib.request.Request(f"{base}/api/sessions",
                                                     headers={"Authorization": f"token {token}"})
                        with urllib.request.urlopen(req, timeout=10) as resp:
                            for sess in json.load(resp):
                                urllib.request.urlopen(urllib.request.Request(
                                    f"{base}/api/sessions/{sess['id']}", method="DELETE",
                                    headers={"Authorization": f"token {token}"}),
                                    timeout=10).close()
                    browser.close()
            finally:
                proc.terminate()
                try:
                    proc.wait(timeout=20)
                except subprocess.TimeoutExpired:
                    proc.kill()
                    proc.wait(timeout=5)
        nodelay_log = [ln for ln in log_path.read_text().splitlines() if "nnlib_nodelay" in ln]
    return dict(results=results, nodelay=nodelay, server_log_nodelay=nodelay_log)


def default_folder() -> Path:
    """``$BROWSER_NOTEBOOKS``, else ``lessons/`` (learner edition) if present, else notebooks/."""
    if os.environ.get("BROWSER_NOTEBOOKS"):
        return Path(os.environ["BROWSER_NOTEBOOKS"]).resolve()
    lessons = ROOT / "lessons"
    return lessons if any(lessons.glob("[0-9][0-9]_*.ipynb")) else ROOT / "notebooks"


def main(argv=None):
    ap = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    ap.add_argument("--folder", type=Path, default=None)
    ap.add_argument("--samples", type=int, default=10, help="key presses per slider")
    ap.add_argument("--no-nodelay", action="store_true",
                    help="measure without the nnlib_nodelay server extension (the 'before')")
    ap.add_argument("--only", default="", help="comma-separated lesson numbers, e.g. 03,07")
    ap.add_argument("--json", type=Path, default=None, help="write the samples here")
    ap.add_argument("--no-floor", action="store_true",
                    help="skip the two reference sliders (00_floor.ipynb)")
    ap.add_argument("--pixel-ratio", type=float, default=None,
                    help="NNLIB_PIXEL_RATIO for the kernels (default: nnlib's, 2)")
    args = ap.parse_args(argv)
    # on SIGTERM unwind normally, so the JupyterLab server started here is stopped too
    signal.signal(signal.SIGTERM, lambda *_: sys.exit(143))
    folder = (args.folder or default_folder()).resolve()
    only = {x.strip() for x in args.only.split(",") if x.strip()} or None
    load = os.getloadavg()[0]
    if args.pixel_ratio is not None:
        os.environ["NNLIB_PIXEL_RATIO"] = str(args.pixel_ratio)
    from nnlib.plots import DPI, PIXEL_RATIO
    out = run(folder, args.samples, nodelay=not args.no_nodelay, only=only,
              log=lambda m: print(m, file=sys.stderr, flush=True), pixel_ratio=PIXEL_RATIO,
              floor=not args.no_floor)
    out.update(folder=str(folder), samples_per_slider=args.samples,
               load_average=dict(before=load, after=os.getloadavg()[0]))
    out.update(dpi=DPI, pixel_ratio=PIXEL_RATIO)
    title = (f"slider latency in Chromium (keypress → new image painted), "
             f"{'with' if out['nodelay'] else 'without'} nnlib_nodelay, {DPI:g} dpi "
             f"({PIXEL_RATIO:g}× pixels), {folder.name}/, load {load:.1f}")
    print("\n".join(report_lines(out["results"], title)))
    if args.json:
        args.json.write_text(json.dumps(out, indent=1))
    return 0


if __name__ == "__main__":
    sys.exit(main())

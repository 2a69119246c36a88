"""Fixtures for the real-browser tests: one JupyterLab server, one Voilà server, one Chromium.

Everything runs against *temporary copies* of ``notebooks/`` (the committed notebooks are
never touched), with a private HOME and private Jupyter/IPython directories, so the
tests neither read nor write the user's own configuration.

Enabling/skipping: the tests need Debian's Chromium (Playwright's own browser download is
not used). Set ``CHROMIUM=/path/to/chromium`` to use another binary. Without Chromium the
tests are skipped locally and *fail* on CI (``CI=true``), so CI cannot silently lose them.
"""

from __future__ import annotations

import json
import os
import secrets
import shutil
import socket
import subprocess
import sys
import time
import urllib.error
import urllib.request
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[2]
# BROWSER_NOTEBOOKS=/some/folder runs the suite on other notebooks (e.g. a draft lesson)
NOTEBOOK_DIR = Path(os.environ.get("BROWSER_NOTEBOOKS") or ROOT / "notebooks").resolve()
ARTIFACTS = ROOT / "build" / "browser"
PYTHON = sys.executable  # the venv's python when run as .venv/bin/python -m pytest
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--disable-sync", "--no-first-run",
                 "--disable-dev-shm-usage"]
SERVER_START_TIMEOUT = int(os.environ.get("BROWSER_SERVER_TIMEOUT", "120"))  # s (loaded box)
# BROWSER_NODELAY=0 runs the servers without the nnlib_nodelay extension (to compare latency)
NODELAY = os.environ.get("BROWSER_NODELAY", "1") != "0"
FONT_AWESOME_CDN = "https://cdn.jsdelivr.net/npm/@fortawesome/fontawesome-free*/**"


def notebooks() -> list[Path]:
    """Every lesson notebook, discovered now (lessons are being added all the time)."""
    return sorted(NOTEBOOK_DIR.glob("[0-9][0-9]_*.ipynb"))


def chromium_path() -> str | None:
    """``$CHROMIUM`` if set (and only that), else Debian's chromium on PATH or /usr/bin."""
    if os.environ.get("CHROMIUM"):
        path = Path(os.environ["CHROMIUM"])
        return str(path) if path.is_file() and os.access(path, os.X_OK) else None
    for candidate in (shutil.which("chromium"),
                      shutil.which("chromium-browser"), "/usr/bin/chromium"):
        if candidate and Path(candidate).is_file() and os.access(candidate, os.X_OK):
            return candidate
    return None


def _require(condition: bool, message: str) -> None:
    """Skip locally, fail on CI: a CI run must never silently lose the browser tests."""
    if condition:
        return
    if os.environ.get("CI") == "true":
        pytest.fail(message + " (CI=true, so this is an error, not a skip)", pytrace=False)
    pytest.skip(message)


# --------------------------------------------------------------------------- hooks
@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_makereport(item, call):
    outcome = yield
    report = outcome.get_result()
    setattr(item, f"rep_{report.when}", report)


# --------------------------------------------------------------------------- helpers
def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


def private_env(home: Path) -> dict:
    """Environment with a throw-away HOME and Jupyter/IPython dirs, and quiet lab settings."""
    settings = home / ".jupyter" / "lab" / "user-settings"
    files = {
        # no "Would you like to receive official Jupyter news?" toast, no update checks
        "@jupyterlab/apputils-extension/notification.jupyterlab-settings":
            {"fetchNews": "false", "checkForUpdates": False},
        # render every cell (no virtual scrolling), so every output is in the DOM
        "@jupyterlab/notebook-extension/tracker.jupyterlab-settings": {"windowingMode": "none"},
    }
    for rel, content in files.items():
        path = settings / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(json.dumps(content), encoding="utf-8")
    # the server side of the same: never fetch the announcements feed
    config = {"LabApp": {"news_url": None}}
    for rel, content in {"jupyter_lab_config.json": config}.items():
        path = home / ".jupyter" / rel
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(json.dumps(content), encoding="utf-8")
    env = dict(os.environ)
    env.update(
        HOME=str(home),
        JUPYTER_CONFIG_DIR=str(home / ".jupyter"),
        JUPYTER_DATA_DIR=str(home / ".local" / "share" / "jupyter"),
        JUPYTER_RUNTIME_DIR=str(home / ".local" / "share" / "jupyter" / "runtime"),
        IPYTHONDIR=str(home / ".ipython"),
        JUPYTERLAB_SETTINGS_DIR=str(settings),
        JUPYTERLAB_WORKSPACES_DIR=str(home / ".jupyter" / "lab" / "workspaces"),
        MPLCONFIGDIR=str(home / ".matplotlib"),
        PYTHONWARNINGS="",  # the server's own deprecation chatter is not what we test
    )
    env.pop("JUPYTER_PATH", None)
    env.pop("JUPYTER_TOKEN", None)
    return env


def copy_notebooks(dest: Path) -> Path:
    """A copy of ``notebooks/`` (with any data files next to them), never the originals."""
    shutil.copytree(NOTEBOOK_DIR, dest, ignore=shutil.ignore_patterns(".ipynb_checkpoints"))
    return dest


class Server:
    """A background Jupyter/Voilà process with its log in ``build/browser/``."""

    def __init__(self, name: str, cmd: list[str], env: dict, cwd: Path, base: str, ready: str):
        ARTIFACTS.mkdir(parents=True, exist_ok=True)
        self.name, self.base = name, base
        self.log_path = ARTIFACTS / f"{name}.log"
        self._log = open(self.log_path, "w", encoding="utf-8")
        self.proc = subprocess.Popen(cmd, env=env, cwd=cwd, stdout=self._log,
                                     stderr=subprocess.STDOUT, stdin=subprocess.DEVNULL)
        deadline = time.monotonic() + SERVER_START_TIMEOUT
        while True:
            if self.proc.poll() is not None:
                self.stop()
                log = self.log_path.read_text(encoding="utf-8")[-3000:]
                pytest.fail(f"{name} exited with code {self.proc.returncode}; "
                            f"see {self.log_path}:\n{log}", pytrace=False)
            try:
                with urllib.request.urlopen(ready, timeout=2) as resp:
                    if resp.status == 200:
                        break
            except (urllib.error.URLError, ConnectionError, TimeoutError, OSError):
                pass
            if time.monotonic() > deadline:
                self.stop()
                pytest.fail(f"{name} did not answer {ready} within {SERVER_START_TIMEOUT} s; "
                            f"see {self.log_path}", pytrace=False)
            time.sleep(0.25)

    def stop(self):
        if self.proc.poll() is None:
            self.proc.terminate()
            try:
                self.proc.wait(timeout=15)
            except subprocess.TimeoutExpired:
                self.proc.kill()
                self.proc.wait(timeout=5)
        self._log.close()


# --------------------------------------------------------------------------- fixtures
@pytest.fixture(scope="session")
def chromium():
    path = chromium_path()
    _require(path is not None,
             "Chromium not found: install it (`apt-get install chromium`) or set "
             "CHROMIUM=/path/to/chromium to enable the browser tests")
    try:
        import playwright.sync_api  # noqa: F401
    except ImportError:
        _require(False, "Python package playwright missing: `make setup` installs it")
    return path


@pytest.fixture(scope="session")
def browser(chromium):
    from playwright.sync_api import sync_playwright

    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=chromium, args=CHROMIUM_ARGS)
        yield browser
        browser.close()


@pytest.fixture(scope="session")
def lab(chromium, tmp_path_factory):
    """One JupyterLab server for every notebook: ``lab.base``, ``lab.token``, ``lab.root``."""
    work = tmp_path_factory.mktemp("lab")
    root = copy_notebooks(work / "notebooks")
    home = work / "home"
    home.mkdir()
    port, token = free_port(), secrets.token_hex(24)
    cmd = [PYTHON, "-m", "jupyter", "lab", "--no-browser",
           "--ServerApp.ip=127.0.0.1", f"--ServerApp.port={port}", "--ServerApp.port_retries=0",
           f"--IdentityProvider.token={token}", f"--ServerApp.root_dir={root}",
           "--LabApp.expose_app_in_browser=True", "--ServerApp.disable_check_xsrf=False",
           "--LabApp.check_for_updates_class="
           "jupyterlab.handlers.announcements.NeverCheckForUpdate",
           # as `make lab`: TCP_NODELAY on kernel websockets (docs/nodelay.md)
           f"--ServerApp.jpserver_extensions=nnlib_nodelay={NODELAY}"]
    if hasattr(os, "geteuid") and os.geteuid() == 0:
        cmd.append("--ServerApp.allow_root=True")
    base = f"http://127.0.0.1:{port}"
    server = Server("jupyterlab", cmd, private_env(home), root, base,
                    ready=f"{base}/api/status?token={token}")
    server.token, server.root = token, root
    yield server
    server.stop()


@pytest.fixture(scope="session")
def voila_notebook() -> Path | None:
    """The lesson shown in app mode: notebooks/03_*.ipynb, else the first notebook."""
    nbs = notebooks()
    preferred = [p for p in nbs if p.name.startswith("03_")]
    return (preferred or nbs or [None])[0]


@pytest.fixture(scope="session")
def voila(chromium, voila_notebook, tmp_path_factory):
    if voila_notebook is None:
        pytest.skip("no lesson notebook yet")
    work = tmp_path_factory.mktemp("voila")
    root = copy_notebooks(work / "notebooks")
    home = work / "home"
    home.mkdir()
    port = free_port()
    # as `make present`: the nnlib_nodelay launcher, then Voila
    cmd = [PYTHON, "-m", "nnlib_nodelay" if NODELAY else "voila"] + (["voila"] if NODELAY else [])
    cmd += ["--no-browser", f"--port={port}", "--Voila.ip=127.0.0.1",
           "--Voila.port_retries=0", "--strip_sources=True",
           # as `make present`: nbgrader's and Notebook 7's lab extensions need JupyterLab
           # modules that Voila does not provide (a console error each): not loaded in Voila
           "--VoilaConfiguration.extension_denylist=@jupyter/nbgrader",
           "--VoilaConfiguration.extension_denylist=@jupyter-notebook/lab-extension",
           voila_notebook.name]
    base = f"http://127.0.0.1:{port}"
    server = Server("voila", cmd, private_env(home), root, base,
                    ready=f"{base}/voila/static/voila.js")
    server.notebook = voila_notebook.name
    yield server
    server.stop()


def _new_page(browser):
    """A page in its own context that records console errors, page errors, failed requests."""
    context = browser.new_context(viewport={"width": 1280, "height": 1000})
    context.set_default_timeout(30_000)
    # Voila's lab template links Font Awesome from a CDN; answer it locally with an empty
    # stylesheet so the test is hermetic (offline CI) instead of logging a console error.
    context.route(FONT_AWESOME_CDN, lambda route: route.fulfill(
        status=200, content_type="text/css", body="/* offline: font awesome not needed */"))
    pg = context.new_page()
    pg.problems = []
    pg.failed_requests = []

    def on_console(msg):
        if msg.type == "error":
            url = (msg.location or {}).get("url") or ""
            pg.problems.append(f"console.error: {msg.text}" + (f" [{url}]" if url else ""))

    pg.on("console", on_console)
    pg.on("pageerror", lambda exc: pg.problems.append(f"page error: {exc}"))
    pg.on("requestfailed", lambda req: pg.failed_requests.append(
        f"{req.method} {req.url}: {req.failure}"))
    return pg


def _screenshot_on_failure(pg, request):
    report = getattr(request.node, "rep_call", None)
    if report is None or not report.failed:
        return
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    name = "".join(c if c.isalnum() or c in "-_." else "_" for c in request.node.name)
    try:
        pg.screenshot(path=str(ARTIFACTS / f"{name}.png"), full_page=True)
        print(f"screenshot: {ARTIFACTS / (name + '.png')}")
    except Exception as exc:  # a crashed page must not hide the real failure
        print(f"screenshot failed: {exc}")


@pytest.fixture
def page(browser, request):
    """A fresh page of its own; on failure a screenshot goes to build/browser/."""
    pg = _new_page(browser)
    yield pg
    _screenshot_on_failure(pg, request)
    pg.context.close()


JS_LAB_STARTED = """() => !!(window.jupyterapp && window.jupyterapp.shell
                          && document.querySelector('#jp-main-dock-panel'))"""

JS_CLOSE_ALL = """async () => {
  const app = window.jupyterapp;
  for (const w of Array.from(app.shell.widgets('main'))) {
    if (w.context && w.context.model) w.context.model.dirty = false;  // no "save?" dialog
    w.dispose();
  }
}"""


@pytest.fixture(scope="session")
def lab_session_page(browser, lab):
    """One JupyterLab page for the whole session (loading the lab once saves ~5 s a notebook)."""
    pg = _new_page(browser)
    pg.goto(f"{lab.base}/lab?reset&token={lab.token}", timeout=60_000)
    pg.wait_for_function(JS_LAB_STARTED, timeout=60_000, polling=200)
    yield pg
    pg.context.close()


@pytest.fixture
def lab_page(lab_session_page, lab, request):
    """The shared lab page, with this test's console errors only; everything closed after."""
    pg = lab_session_page
    pg.problems.clear()
    pg.failed_requests.clear()
    yield pg
    _screenshot_on_failure(pg, request)
    try:
        pg.evaluate(JS_CLOSE_ALL)
    finally:
        shutdown_sessions(lab)
        pg.wait_for_timeout(200)


def shutdown_sessions(lab):
    """Shut every kernel down between notebooks (keeps memory low, avoids cross-talk)."""
    headers = {"Authorization": f"token {lab.token}"}
    req = urllib.request.Request(f"{lab.base}/api/sessions", headers=headers)
    with urllib.request.urlopen(req, timeout=10) as resp:
        sessions = json.load(resp)
    for s in sessions:
        req = urllib.request.Request(f"{lab.base}/api/sessions/{s['id']}", method="DELETE",
                                     headers=headers)
        urllib.request.urlopen(req, timeout=10).close()


# --------------------------------------------------------------------------- axe-core
# axe-core (Deque's accessibility engine) comes from npm, like configurable-http-proxy in
# .ci/run: installed once into a private prefix under build/, never from a CDN.
AXE_VERSION = "4"
AXE_PREFIX = ROOT / "build" / "a11y" / "npm"
AXE_JS = AXE_PREFIX / "node_modules" / "axe-core" / "axe.min.js"


def install_axe() -> Path | None:
    """``build/a11y/npm/node_modules/axe-core/axe.min.js``, installed with npm if missing."""
    if AXE_JS.is_file():
        return AXE_JS
    npm = shutil.which("npm")
    if npm is None:
        return None
    AXE_PREFIX.mkdir(parents=True, exist_ok=True)
    subprocess.run([npm, "install", "--silent", "--no-audit", "--no-fund", "--prefix",
                    str(AXE_PREFIX), f"axe-core@{AXE_VERSION}"], check=False,
                   stdout=subprocess.DEVNULL, stderr=subprocess.STDOUT, timeout=300)
    return AXE_JS if AXE_JS.is_file() else None


@pytest.fixture(scope="session")
def axe_js() -> str:
    """The source of axe.min.js (to inject into a page with :func:`run_axe`)."""
    path = install_axe()
    _require(path is not None, "axe-core not installed and npm not found: install Node.js and "
                               "npm (`apt-get install nodejs npm`), or run "
                               f"`npm install --prefix {AXE_PREFIX} axe-core@{AXE_VERSION}`")
    return path.read_text(encoding="utf-8")


JS_AXE_RUN = """async (within) => {
  const result = await window.axe.run(document, {resultTypes: ['violations']});
  return result.violations.map(v => {
    const nodes = v.nodes.map(n => ({target: n.target.join(' '), html: n.html.slice(0, 160),
                                     inside: !!document.querySelector(n.target.join(' '))
                                              ?.closest(within)}));
    return {id: v.id, impact: v.impact, help: v.help, nodes};
  });
}"""


def run_axe(page, axe_source: str, within: str = ".jp-OutputArea") -> list[dict]:
    """axe-core's violations on ``page``: ``[{id, impact, help, nodes: [{target, html,
    inside}]}]``; ``inside`` says whether the node is within the CSS selector ``within``
    (by default a notebook output, i.e. what the course put on the page)."""
    if not page.evaluate("() => !!window.axe"):
        page.add_script_tag(content=axe_source)
    return page.evaluate(JS_AXE_RUN, within)


def axe_counts(violations: list[dict]) -> dict[str, dict]:
    """``{rule id: {impact, nodes, in_outputs}}`` from :func:`run_axe`'s violations."""
    return {v["id"]: {"impact": v["impact"], "nodes": len(v["nodes"]),
                      "in_outputs": sum(n["inside"] for n in v["nodes"])} for v in violations}

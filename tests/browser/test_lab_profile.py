"""`make lab` opens the learner's JupyterLab, `make teach` the teacher's (issue 19 §4).

Both commands run for real (``make lab`` / ``make teach``, with JupyterLab's options for a
private port and token in ``LAB_ARGS``), each on a temporary copy of lesson 01 (the learner
edition for ``make lab``, the instructor edition for ``make teach``), with a private HOME
whose Jupyter settings are empty: what a learner sees must come from the project's own
configuration (``jupyter-config/learner/``), not from settings left on the machine.

In Chromium, with the lesson open:

- learner: no nbgrader menu, no "Validate" toolbar button, no "Create Assignment" side
  panel, no "Would you like to get notified about official Jupyter news?" prompt; nbgrader's
  lab plugins and JupyterLab's announcements plugin are not loaded; nbgrader's formgrader
  page does not exist on the server;
- teacher: each of those is there (so the learner's checks can see them when they exist).

Screenshots of both go to ``build/browser/lab-profile-*.png``.
"""

from __future__ import annotations

import secrets
import shutil
import urllib.error
import urllib.request
from pathlib import Path

import pytest
from conftest import (
    ARTIFACTS,
    JS_LAB_STARTED,
    ROOT,
    Server,
    _new_page,
    _require,
    _screenshot_on_failure,
    free_port,
    private_env,
)

LESSON = "01_*.ipynb"
NEWS_PROMPT = "Would you like to get notified about official Jupyter news?"
NBGRADER_PLUGINS = ["@jupyter/nbgrader:menu", "@jupyter/nbgrader:validate-assignment",
                    "@jupyter/nbgrader:create-assignment", "@jupyter/nbgrader:formgrader",
                    "@jupyter/nbgrader:assignment-list", "@jupyter/nbgrader:course-list"]
ANNOUNCEMENTS = "@jupyterlab/apputils-extension:announcements"
START_TIMEOUT_S = 180  # `make` + JupyterLab (+ nbgrader's imports) on a loaded 2-core machine

JS_OPEN = """(path) => window.jupyterapp.commands.execute('docmanager:open',
                 {path, factory: 'Notebook', kernel: {name: 'python3'}})"""

JS_NOTEBOOK_SHOWN = """(path) => {
  const w = window.jupyterapp.shell.currentWidget;
  return !!(w && w.context && w.context.path === path && w.isVisible
            && w.node.querySelector('.jp-NotebookPanel-toolbar .jp-Toolbar-item')
            && w.content.widgets.length > 0);
}"""

# What the page shows: the menu bar's menus, the notebook toolbar's buttons, the side bars'
# tabs, any notification toast, and which of the plugins are loaded.
JS_SEEN = """(plugins) => {
  const app = window.jupyterapp;
  const texts = (sel) => Array.from(document.querySelectorAll(sel))
      .map((e) => (e.textContent || '').trim()).filter((t) => t);
  const tabs = Array.from(document.querySelectorAll('.jp-SideBar .lm-TabBar-tab'))
      .map((t) => [t.title, t.getAttribute('aria-label'), t.dataset.id, t.textContent]
                  .filter((x) => x).join(' | '));
  const panel = app.shell.currentWidget;
  const toolbar = panel ? Array.from(panel.node.querySelectorAll(
      '.jp-NotebookPanel-toolbar .jp-Toolbar-item')).map((e) =>
      [(e.textContent || '').trim(), e.title || '',
       ...Array.from(e.querySelectorAll('[title]')).map((b) => b.title)]
      .filter((x) => x).join(' | ')) : [];
  return {
    menus: texts('#jp-menu-panel .lm-MenuBar-itemLabel'),
    toolbar,
    tabs,
    toasts: texts('.Toastify__toast'),
    news: document.body.innerText.includes(%r),
    plugins: plugins.filter((id) => app.hasPlugin(id)),
  };
}""" % NEWS_PROMPT


def _make() -> str:
    make = shutil.which("make")
    _require(make is not None, "make not found: the test runs `make lab` and `make teach`")
    return make


def _status(url: str) -> int:
    try:
        with urllib.request.urlopen(url, timeout=20) as resp:
            return resp.status
    except urllib.error.HTTPError as err:
        return err.code


def _start(name: str, target: str, folder_var: str, folder: Path, work: Path) -> Server:
    """``make <target> <folder_var>=<folder>`` as a user types it, on a private port."""
    home = work / "home"
    home.mkdir()
    env = private_env(home)
    # private_env answers the news question for the other browser tests (user settings and a
    # server option); here the answer must come from the profile under test: take them out.
    (Path(env["JUPYTERLAB_SETTINGS_DIR"]) / "@jupyterlab" / "apputils-extension"
     / "notification.jupyterlab-settings").unlink()
    (home / ".jupyter" / "jupyter_lab_config.json").unlink()
    for var in ("MAKEFLAGS", "MFLAGS", "MAKELEVEL", "JUPYTER_CONFIG_PATH"):
        env.pop(var, None)  # as typed in a fresh shell, not as a sub-make of `make test`
    port, token = free_port(), secrets.token_hex(24)
    lab_args = (f"--no-browser --ServerApp.ip=127.0.0.1 --ServerApp.port={port} "
                f"--ServerApp.port_retries=0 --IdentityProvider.token={token} "
                "--LabApp.expose_app_in_browser=True")
    # -o: the venv this test runs in is installed already (no pip run from inside a test)
    cmd = [_make(), "--no-print-directory", "-o", ".venv/.installed-stamp", target,
           f"{folder_var}={folder}", f"LAB_ARGS={lab_args}"]
    base = f"http://127.0.0.1:{port}"
    with pytest.MonkeyPatch.context() as mp:
        import conftest
        mp.setattr(conftest, "SERVER_START_TIMEOUT", START_TIMEOUT_S)
        server = Server(name, cmd, env, ROOT, base, ready=f"{base}/api/status?token={token}")
    server.token = token
    return server


def _stop(server: Server) -> None:
    """Stop JupyterLab and its kernels (children of `make`), then `make` itself."""
    import psutil

    try:
        children = psutil.Process(server.proc.pid).children(recursive=True)
    except psutil.NoSuchProcess:
        children = []
    for proc in children:
        try:
            proc.terminate()
        except psutil.NoSuchProcess:
            pass
    _, alive = psutil.wait_procs(children, timeout=20)
    for proc in alive:
        try:
            proc.kill()
        except psutil.NoSuchProcess:
            pass
    server.stop()


def _lesson(folder: Path) -> Path:
    found = sorted(folder.glob(LESSON))
    if not found:
        pytest.skip(f"no {folder.name}/{LESSON}")
    return found[0]


@pytest.fixture(scope="module")
def learner_lab(chromium, tmp_path_factory):
    work = tmp_path_factory.mktemp("learner")
    lessons = work / "lessons"
    lessons.mkdir()
    shutil.copy2(_lesson(ROOT / "lessons"), lessons)
    server = _start("lab-learner", "lab", "LAB_DIR", lessons, work)
    server.notebook = _lesson(lessons).name
    yield server
    _stop(server)


@pytest.fixture(scope="module")
def teacher_lab(chromium, tmp_path_factory):
    course = tmp_path_factory.mktemp("teacher") / "course"
    course.mkdir()
    shutil.copy2(_lesson(ROOT / "notebooks"), course)
    server = _start("lab-teacher", "teach", "COURSE", course, course.parent)
    server.notebook = _lesson(course).name
    yield server
    _stop(server)


def _open_lesson(browser, server, request, who: str, wait_for_news: bool):
    """The lab as a user opens it, with the lesson open: ``(page, what it shows)``."""
    pg = _new_page(browser)
    request.addfinalizer(lambda: (_screenshot_on_failure(pg, request), pg.context.close()))
    pg.goto(f"{server.base}/lab?token={server.token}", timeout=90_000)
    pg.wait_for_function(JS_LAB_STARTED, timeout=90_000, polling=200)
    pg.evaluate("() => window.jupyterapp.restored")
    pg.evaluate(JS_OPEN, server.notebook)
    pg.wait_for_function(JS_NOTEBOOK_SHOWN, arg=server.notebook, timeout=60_000, polling=200)
    if wait_for_news:  # the prompt comes once the lab is restored; give it time to show
        pg.wait_for_function(f"() => document.body.innerText.includes({NEWS_PROMPT!r})",
                             timeout=30_000, polling=200)
    else:
        pg.wait_for_timeout(3_000)  # as long as the teacher's prompt takes, and more
    ARTIFACTS.mkdir(parents=True, exist_ok=True)
    pg.screenshot(path=str(ARTIFACTS / f"lab-profile-{who}.png"))
    seen = pg.evaluate(JS_SEEN, NBGRADER_PLUGINS + [ANNOUNCEMENTS])
    print(f"\n{who}: {seen}")
    return pg, seen


def _has(items: list[str], word: str) -> list[str]:
    return [item for item in items if word.lower() in item.lower()]


def test_teacher_command_shows_nbgrader_and_jupyter_as_shipped(browser, teacher_lab, request):
    pg, seen = _open_lesson(browser, teacher_lab, request, "teacher", wait_for_news=True)
    assert _has(seen["menus"], "nbgrader"), f"no nbgrader menu in {seen['menus']}"
    assert _has(seen["toolbar"], "validate"), f"no Validate button in {seen['toolbar']}"
    assert _has(seen["tabs"], "create assignment"), \
        f"no Create Assignment panel in the side bars: {seen['tabs']}"
    assert seen["news"], "JupyterLab's news prompt did not show (the learner's check is blind)"
    assert sorted(seen["plugins"]) == sorted(NBGRADER_PLUGINS + [ANNOUNCEMENTS])
    assert _status(f"{teacher_lab.base}/formgrader?token={teacher_lab.token}") == 200


def test_learner_lab_shows_no_teacher_tools_and_no_news_prompt(browser, learner_lab, request):
    pg, seen = _open_lesson(browser, learner_lab, request, "learner", wait_for_news=False)
    assert not _has(seen["menus"], "nbgrader"), f"an nbgrader menu: {seen['menus']}"
    assert not _has(seen["toolbar"], "validate"), f"a Validate button: {seen['toolbar']}"
    assert not _has(seen["tabs"], "assignment"), f"an nbgrader panel: {seen['tabs']}"
    assert not seen["news"], f"the news prompt shows: {seen['toasts']}"
    assert seen["plugins"] == [], f"loaded for a learner: {seen['plugins']}"
    # nbgrader's server extensions are off too: no formgrader page on the learner's server
    assert _status(f"{learner_lab.base}/formgrader?token={learner_lab.token}") == 404
    # and the lab itself is healthy: the lesson opened with its kernel, no console errors
    assert not pg.problems, pg.problems

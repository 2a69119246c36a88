"""Smoke test of `make classroom`: a real JupyterHub with 3 students, one lesson, and the
nbgrader round trip (one student right, one wrong, one not attempted).

Everything is real: jupyterhub from the venv, configurable-http-proxy from npm (installed by
tools/classroom.py into build/classroom/npm on first use), single-user servers, kernels,
widget comm messages over the kernel websocket, nbgrader's exchange, collect and autograde.
Only the numbers are not checked here: timings belong to `make classroom` and `make bench`.
"""

import json
import os
import shutil
import subprocess
import sys
from pathlib import Path

import psutil
import pytest

ROOT = Path(__file__).resolve().parents[1]
# one directory per run: two test sessions (say, two virtualenvs) may run it at the same time
STATE = ROOT / "build" / "classroom" / f"smoke-{os.getpid()}"


def _need_node():
    if shutil.which("npm") and shutil.which("node"):
        return
    if os.environ.get("CI"):
        pytest.fail("CI must run the classroom smoke test: install nodejs and npm (.ci/run)")
    pytest.skip("node and npm are needed for configurable-http-proxy")


@pytest.fixture(scope="module")
def smoke():
    _need_node()
    out = STATE.with_suffix(".json")
    out.unlink(missing_ok=True)
    env = {**os.environ, "OPENBLAS_NUM_THREADS": "1", "OMP_NUM_THREADS": "1"}
    proc = subprocess.Popen(
        [sys.executable, str(ROOT / "tools" / "classroom.py"), "--students", "3",
         "--lessons", "01", "--drags", "3", "--reruns", "2", "--nbgrader", "01",
         "--state", str(STATE), "--json", str(out), "--timeout", "600"],
        cwd=ROOT, env=env, stdout=subprocess.PIPE, stderr=subprocess.PIPE, text=True)
    try:
        stdout, stderr = proc.communicate(timeout=900)
    except subprocess.TimeoutExpired:   # SIGTERM: the tool then stops its hub, by pid
        proc.terminate()
        stdout, stderr = proc.communicate(timeout=120)
    assert out.exists(), stdout[-3000:] + stderr[-3000:]
    result = json.loads(out.read_text())
    result["stdout"], result["returncode"] = stdout, proc.returncode
    yield result
    if not result["summary"]["errors"]:    # kept for a look when something failed
        shutil.rmtree(STATE, ignore_errors=True)
        out.unlink(missing_ok=True)


def test_every_student_ran_the_lesson_without_an_error(smoke):
    s = smoke["summary"]
    assert s["errors"] == [], smoke["stdout"]
    assert smoke["returncode"] == 0
    assert s["spawned"] == 3
    assert s["lessons"]["01"]["ran"] == 3
    assert "| errors" in smoke["stdout"]          # the table was printed


def test_slider_moves_come_back_as_new_images(smoke):
    s = smoke["summary"]
    n_alone, n_load = s["slider_alone_ms"][2], s["slider_load_ms"][2]
    assert n_load > 0 and n_alone > 0
    assert s["no_redraw"] == [], "a slider move that produced no new image"
    records = smoke["records"]
    assert all(r["lessons"]["01"]["explorers"] > 0 for r in records)


def test_memory_was_measured_after_the_lesson_and_after_re_runs(smoke):
    for r in smoke["records"]:
        labels = list(r["memory"])
        assert labels[0] == "after 01" and labels[-1].startswith("after 2 re-runs")
        for m in r["memory"].values():
            assert m["server_mb"] > 20 and m["kernels_mb"] > 20


def test_nbgrader_scores_match_what_each_student_did(smoke):
    g = smoke["summary"]["nbgrader"]
    assert g["matched"] == g["students"] == 3, g["errors"]
    plans = {name: set(s["plan"].values()) for name, s in g["scores"].items()}
    assert plans == {"student01": {"right"}, "student02": {"wrong"}, "student03": {"blank"}}
    right = g["scores"]["student01"]
    assert sum(right["got"].values()) == sum(right["expected"].values()) > 0
    for name in ("student02", "student03"):
        assert sum(g["scores"][name]["got"].values()) == 0


def test_nothing_it_started_is_left_running(smoke):
    assert smoke["summary"]["survivors_killed"] == []
    left = []
    for p in psutil.process_iter(["pid", "cmdline"]):
        try:
            if any(str(STATE) in part for part in (p.info["cmdline"] or [])):
                left.append((p.pid, p.info["cmdline"]))
        except psutil.Error:
            pass
    assert left == []

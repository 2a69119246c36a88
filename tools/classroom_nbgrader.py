"""One nbgrader assignment round trip through the hub that :mod:`classroom` started.

1. The teacher (nbgrader's command line, in a private course directory) generates the
   assignment from the instructor notebook and releases it to nbgrader's own exchange, a
   private directory under the run's state.
2. Each student, through their single-user server on the hub, fetches it (the assignment_list
   server extension's ``/assignments/fetch``, what the Assignments tab calls), answers through
   the contents API and submits (``/assignments/submit``).
   Student 1 answers every exercise right, student 2 every one wrong (the right computation,
   but without ``return``: the classic slip), student 3 attempts nothing; further students
   mix the three, exercise by exercise.
3. The teacher collects and runs ``nbgrader autograde``. Every autograded cell's score must
   equal what that student did: full points for a right answer, 0 otherwise.

All students run as the same OS user here, so each one's ``nbgrader_config.py`` names its
``student_id``; on a real hub each user has their own account (or ``JUPYTERHUB_USER`` in a
container) and that line is not needed.
"""

from __future__ import annotations

import ast
import asyncio
import json
import os
import sys
import time
from pathlib import Path

import httpx

ROOT = Path(__file__).resolve().parents[1]
VENV_BIN = Path(sys.executable).parent
COURSE_ID = "nnfp"
MODES = ("right", "wrong", "blank")
STUB = 'raise NotImplementedError("not written yet")'


def course_dir(state: Path) -> Path:
    return state / "course"


def exchange_dir(state: Path) -> Path:
    return state / "exchange"


def student_config(state: Path, name: str) -> str:
    """A student's ``~/.jupyter/nbgrader_config.py``: the course and its exchange."""
    return ("c = get_config()  # noqa\n"
            f"c.CourseDirectory.course_id = {COURSE_ID!r}\n"
            f"c.Exchange.root = {str(exchange_dir(state))!r}\n"
            f"c.CourseDirectory.student_id = {name!r}\n")


def mode(k: int, j: int) -> str:
    """What student ``k`` (0-based) does with exercise ``j``."""
    return MODES[k] if k < len(MODES) else MODES[(k + j) % len(MODES)]


def solution_body(source: str) -> list[str]:
    """The instructor's cell without the ``### BEGIN/END SOLUTION`` marker lines."""
    return [line for line in source.splitlines() if line.strip() not in
            ("### BEGIN SOLUTION", "### END SOLUTION")]


def answer(instructor_source: str, what: str) -> str | None:
    """The cell a student writes: the right code, or the same without ``return``; None: blank."""
    if what == "blank":
        return None
    lines = solution_body(instructor_source)
    if what == "right":
        return "\n".join(lines)
    inside, slip, blank = False, [], []
    for line in instructor_source.splitlines():
        s = line.strip()
        if s in ("### BEGIN SOLUTION", "### END SOLUTION"):
            if s == "### BEGIN SOLUTION":
                blank.append(line.replace("### BEGIN SOLUTION", "pass"))
            inside = s == "### BEGIN SOLUTION"
            continue
        if not inside:
            blank.append(line)
        elif s.startswith("return "):
            line = line.replace("return ", "", 1)
        slip.append(line)
    code = "\n".join(slip)
    try:
        ast.parse(code)
    except SyntaxError:   # the plainest slip then: a body that returns nothing
        code = "\n".join(blank)
    return code


def _meta(cell) -> dict:
    return cell.get("metadata", {}).get("nbgrader", {})


def expected_scores(released: dict, modes: dict[str, str]) -> dict[str, float]:
    """grade_id -> score for every autograded test cell, from the exercise before it."""
    out, last = {}, None
    for cell in released["cells"]:
        m = _meta(cell)
        if m.get("solution") and not m.get("grade"):
            last = m["grade_id"]
        elif m.get("grade") and not m.get("solution"):
            out[m["grade_id"]] = float(m["points"]) if modes.get(last) == "right" else 0.0
    return out


async def _run(*cmd, cwd: Path, timeout: float) -> str:
    env = {**os.environ, "PATH": f"{VENV_BIN}{os.pathsep}{os.environ.get('PATH', '')}",
           "OMP_NUM_THREADS": "1", "OPENBLAS_NUM_THREADS": "1", "MKL_NUM_THREADS": "1"}
    proc = await asyncio.create_subprocess_exec(
        *cmd, cwd=cwd, env=env, stdout=asyncio.subprocess.PIPE, stderr=asyncio.subprocess.STDOUT)
    try:
        out, _ = await asyncio.wait_for(proc.communicate(), timeout)
    except asyncio.TimeoutError:
        proc.kill()
        await proc.wait()
        raise RuntimeError(f"{' '.join(map(str, cmd))}: no answer within {timeout} s") from None
    text = out.decode(errors="replace")
    if proc.returncode != 0:
        raise RuntimeError(f"{' '.join(map(str, cmd))} exited {proc.returncode}:\n{text[-2000:]}")
    return text


def setup_course(state: Path, lesson: str) -> tuple[str, Path]:
    """The teacher's course directory with the instructor notebook as the assignment source."""
    course, exchange = course_dir(state), exchange_dir(state)
    src = sorted((ROOT / "notebooks").glob(f"{lesson}_*.ipynb"))[0]
    assignment = f"lesson{lesson}"
    (course / "source" / assignment).mkdir(parents=True, exist_ok=True)
    (course / "source" / assignment / src.name).write_bytes(src.read_bytes())
    exchange.mkdir(parents=True, exist_ok=True)
    os.chmod(exchange, 0o777)
    (course / "nbgrader_config.py").write_text(
        "c = get_config()  # noqa\n"
        f"c.CourseDirectory.course_id = {COURSE_ID!r}\n"
        f"c.CourseDirectory.root = {str(course)!r}\n"
        f"c.Exchange.root = {str(exchange)!r}\n"
        f"c.ClearSolutions.code_stub = {{'python': {STUB!r}}}\n"
        "c.ExecutePreprocessor.timeout = 300\n")
    return assignment, src


async def round_trip(hub, n: int, lesson: str, state: Path, password: str,
                     students=None) -> dict:
    """Release, fetch, answer, submit, collect, autograde; compare every score."""
    t0 = time.perf_counter()
    errors: list[str] = []
    course = course_dir(state)
    assignment, src = setup_course(state, lesson)
    instructor = json.loads(src.read_text())
    solutions = {_meta(c)["grade_id"]: "".join(c["source"]) for c in instructor["cells"]
                 if _meta(c).get("solution") and not _meta(c).get("grade")}
    await _run("nbgrader", "generate_assignment", assignment, "--force", cwd=course, timeout=300)
    await _run("nbgrader", "release_assignment", assignment, "--force", cwd=course, timeout=120)
    released = json.loads((course / "release" / assignment / src.name).read_text())
    exercises = [_meta(c)["grade_id"] for c in released["cells"]
                 if _meta(c).get("solution") and not _meta(c).get("grade")]

    names = [f"student{k + 1:02d}" for k in range(n)]
    tokens = {st.name: st.token for st in (students or []) if st.token}
    plans = {name: {ex: mode(k, j) for j, ex in enumerate(exercises)}
             for k, name in enumerate(names)}

    async def student(name: str):
        token = tokens.get(name)
        async with httpx.AsyncClient(base_url=f"{hub.url}/user/{name}", timeout=300,
                                     headers={"Authorization": f"token {token}"}) as http:
            body = {"course_id": COURSE_ID, "assignment_id": assignment}
            r = await http.post("/assignments/fetch", json=body)
            r.raise_for_status()
            path = f"/api/contents/{assignment}/{src.name}"
            nb = (await http.get(path + "?content=1")).raise_for_status().json()["content"]
            for cell in nb["cells"]:
                m = _meta(cell)
                if m.get("solution") and not m.get("grade"):
                    code = answer(solutions[m["grade_id"]], plans[name][m["grade_id"]])
                    if code is not None:
                        cell["source"] = code
            (await http.put(path, json={"type": "notebook", "format": "json",
                                        "content": nb})).raise_for_status()
            r = await http.post("/assignments/submit", json=body)
            r.raise_for_status()
            if isinstance(r.json(), dict) and not r.json().get("success", True):
                raise RuntimeError(f"submit: {r.json().get('value')}")

    results = await asyncio.gather(*(student(name) for name in names), return_exceptions=True)
    for name, res in zip(names, results, strict=True):
        if isinstance(res, BaseException):
            errors.append(f"{name} nbgrader fetch/answer/submit: {type(res).__name__}: {res}")

    await _run("nbgrader", "collect", assignment, cwd=course, timeout=300)
    t_auto = time.perf_counter()
    await _run("nbgrader", "autograde", assignment, "--force", cwd=course, timeout=1800)
    autograde_s = time.perf_counter() - t_auto

    from nbgrader.api import Gradebook, MissingEntry
    scores, matched = {}, 0
    notebook = Path(src.name).stem
    with Gradebook(f"sqlite:///{course / 'gradebook.db'}") as gb:
        for name in names:
            want = expected_scores(released, plans[name])
            got = {}
            for grade_id in want:
                try:
                    got[grade_id] = gb.find_grade(grade_id, notebook, assignment, name).score
                except MissingEntry:
                    got[grade_id] = None
            scores[name] = {"plan": plans[name], "expected": want, "got": got}
            if got == want:
                matched += 1
            else:
                errors.append(f"{name} nbgrader scores: expected {want}, got {got}")
    return {"students": n, "matched": matched, "assignment": assignment,
            "seconds": time.perf_counter() - t0, "autograde_s": autograde_s,
            "scores": scores, "errors": errors}

"""Run the wrong-answer corpus of lessons 05–09 (``tests/corpus/lessonNN.py``).

Each corpus file defines ``CASES``: ``(exercise, label, slip, source)`` tuples, where ``source``
is a learner's answer as real code (a ``def`` of the exercise's function) and ``slip`` is

- ``OK``: a correct variant, which must get ✓;
- a regular expression (case-insensitive) that the ✗ line must match: the slip a person reading
  the code would name;
- ``None``: a wrong answer with no single nameable cause; it must get ✗ and the line must
  show numbers.

``python tests/corpus/_lessons05_09.py`` prints the measure: false passes, false fails and
misnamed slips, per lesson.
"""

from __future__ import annotations

import contextlib
import importlib
import importlib.util
import io
import linecache
import re
import sys
from pathlib import Path

import numpy as np

OK = "OK"
HERE = Path(__file__).resolve().parent


def load(lesson: str):
    """The corpus module of ``lesson`` ("05" … "09")."""
    path = HERE / f"lesson{lesson}.py"
    spec = importlib.util.spec_from_file_location(f"corpus_lesson{lesson}", path)
    mod = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(mod)
    return mod


def answer(source: str, exercise: str, extra_globals: dict | None = None):
    """The learner's function defined by ``source``, in a fresh notebook-like namespace."""
    ns = {"np": np, "__name__": "__corpus__"}
    ns.update(extra_globals or {})
    filename = f"<corpus {exercise} {abs(hash(source))}>"
    linecache.cache[filename] = (len(source), None, source.splitlines(True), filename)
    exec(compile(source, filename, "exec"), ns)
    return ns[exercise]


def verdict(lesson: str, exercise: str, source: str, extra_globals=None) -> str:
    checks = importlib.import_module(f"nnlib.checks.lesson{lesson}")
    fn = answer(source, exercise, extra_globals)
    buf = io.StringIO()
    with contextlib.redirect_stdout(buf):
        getattr(checks, f"check_{exercise}")(fn)
    return buf.getvalue().strip()


def judge(slip, line: str) -> str:
    """'ok', 'false pass', 'false fail', 'misnamed', 'no numbers' or 'lines' for one case."""
    if "\n" in line:
        return "lines"
    if slip == OK:
        return "ok" if line.startswith("✓") else "false fail"
    if not line.startswith("✗"):
        return "false pass"
    if slip is None:
        return "ok" if re.search(r"\d", line.split(":", 1)[-1]) else "no numbers"
    return "ok" if re.search(slip, line, flags=re.IGNORECASE) else "misnamed"


def measure(lessons=("05", "06", "07", "08", "09"), verbose=False) -> dict:
    totals = {}
    for lesson in lessons:
        mod = load(lesson)
        extra = getattr(mod, "GLOBALS", lambda: {})()
        counts = {"cases": 0, "wrong": 0, "correct": 0, "named": 0}
        for exercise, label, slip, source in mod.CASES:
            line = verdict(lesson, exercise, source, extra)
            result = judge(slip, line)
            counts["cases"] += 1
            counts["correct" if slip == OK else "wrong"] += 1
            counts["named"] += slip not in (OK, None)
            if result != "ok":
                counts[result] = counts.get(result, 0) + 1
                if verbose:
                    print(f"[{lesson} {exercise}] {result}: {label}\n    {line}")
        totals[lesson] = counts
    return totals


if __name__ == "__main__":
    sys.path.insert(0, str(HERE.parents[1]))
    out = measure(sys.argv[1:] or ("05", "06", "07", "08", "09"), verbose=True)
    for lesson, counts in out.items():
        print(lesson, counts)

"""Mutation test of every exercise check: each wrong version of a reference solution gets ✗.

Mutants come from two places (see tests/mutants/_base.py): the systematic ones generated from
each reference solution in nnlib/checks/solutions.json, and the hand-written ``MUTANTS`` of
tests/mutants/lessonNN.py. For each mutant the runner

1. execs its ``def`` in a namespace holding ``np``, the lesson's other reference functions and
   the lesson file's ``NAMESPACE``;
2. decides honestly whether it differs from the reference at all: both are called, on copies,
   with every input the check itself used and with the lesson file's ``INPUTS`` (valid inputs in
   every regime); a different result, a different exception or a changed argument is a difference;
3. runs ``check_<exercise>`` on it and requires exactly one printed line, starting with ✗ when the
   mutant differs (an equivalent mutant may get either verdict: it is a right answer). A mutant
   the lesson file's ``ACCEPTED`` lists (a design exercise's other right answer, with the
   reason) must get ✓; ``SKIP`` leaves a generated mutant out (with the reason).

A hand-written mutant that never differs is a defect of the mutant file (it fails here).
``python tests/test_mutants.py`` prints the counts per lesson: generated, differing, caught.
"""

from __future__ import annotations

import contextlib
import copy
import functools
import importlib
import io
import linecache
import re
import sys
import warnings
from pathlib import Path

import numpy as np
import pytest

sys.path.insert(0, str(Path(__file__).resolve().parent))

from mutants._base import HELPERS, Mutant, generate, solutions  # noqa: E402

MUTANT_DIR = Path(__file__).resolve().parent / "mutants"
LESSONS = sorted(solutions())


@functools.lru_cache(maxsize=None)
def lesson_file(lesson: str):
    """The module tests/mutants/lessonNN.py, or None."""
    if not (MUTANT_DIR / f"lesson{lesson}.py").exists():
        return None
    return importlib.import_module(f"mutants.lesson{lesson}")


def _attr(lesson: str, name: str, default):
    mod = lesson_file(lesson)
    return getattr(mod, name, default) if mod is not None else default


@functools.lru_cache(maxsize=None)
def checks(lesson: str):
    return importlib.import_module(f"nnlib.checks.lesson{lesson}")


def _compile(source: str, filename: str, namespace: dict, name: str):
    linecache.cache[filename] = (len(source), None, source.splitlines(True), filename)
    exec(compile(source, filename, "exec"), namespace)  # noqa: S102 - mutants are our own code
    return namespace[name]


def namespace(lesson: str) -> dict:
    """``np``, the mutant helpers, the lesson's NAMESPACE and all its reference functions."""
    ns = {"np": np, "__name__": f"mutants_{lesson}", **HELPERS,
          **_attr(lesson, "NAMESPACE", {})}
    for exercise, source in solutions()[lesson].items():
        _compile(source, f"<reference {lesson} {exercise}>", ns, exercise)
    return ns


def build(lesson: str, mutant: Mutant):
    ns = namespace(lesson)
    return _compile(mutant.source, f"<mutant {lesson} {mutant.label}>", ns, mutant.exercise)


def run_check(lesson: str, exercise: str, fn) -> list[str]:
    """The lines ``check_<exercise>(fn)`` prints."""
    out = io.StringIO()
    with contextlib.redirect_stdout(out):
        getattr(checks(lesson), f"check_{exercise}")(fn)
    return out.getvalue().splitlines()


# ---------------------------------------------------------------- does a mutant differ at all?

@functools.lru_cache(maxsize=None)
def check_inputs(lesson: str, exercise: str) -> tuple:
    """Every argument tuple the check passes when it checks the reference solution."""
    ref = namespace(lesson)[exercise]
    seen = []

    @functools.wraps(ref)
    def recorder(*args, **kwargs):
        seen.append(copy.deepcopy((args, kwargs)))
        return ref(*args, **kwargs)

    lines = run_check(lesson, exercise, recorder)
    assert len(lines) == 1 and lines[0].startswith("✓"), (lesson, exercise, lines)
    return tuple(seen)


@functools.lru_cache(maxsize=None)
def valid_inputs(lesson: str, exercise: str) -> tuple:
    """The check's own inputs plus the lesson file's INPUTS (seeded)."""
    extra = _attr(lesson, "INPUTS", {}).get(exercise)
    more = [(tuple(args), {}) for args in extra(np.random.default_rng(20))] if extra else []
    return check_inputs(lesson, exercise) + tuple(more)


def _same(a, b) -> bool:
    if isinstance(a, (str, bytes)) or isinstance(b, (str, bytes)):
        return type(a) is type(b) and a == b
    if isinstance(a, dict) or isinstance(b, dict):
        return isinstance(a, dict) and isinstance(b, dict) and a.keys() == b.keys() and all(
            _same(a[k], b[k]) for k in a)
    if isinstance(a, (tuple, list)) and isinstance(b, (tuple, list)):
        return len(a) == len(b) and all(_same(x, y) for x, y in zip(a, b, strict=True))
    if callable(a) or callable(b):
        return a is b
    if isinstance(a, np.random.Generator) or isinstance(b, np.random.Generator):
        return type(a) is type(b) and a.bit_generator.state == b.bit_generator.state
    try:
        x = np.asarray(a)
        y = np.asarray(b)
        if x.dtype == object or y.dtype == object:
            return a is b or bool(a == b)
        return x.shape == y.shape and bool(np.allclose(x, y, rtol=1e-9, atol=1e-12,
                                                       equal_nan=True))
    except Exception:
        return a is b


def _outcome(fn, args, kwargs):
    args, kwargs = copy.deepcopy((args, kwargs))
    try:
        with np.errstate(all="ignore"), warnings.catch_warnings():
            warnings.simplefilter("ignore")
            out = fn(*args, **kwargs)
    except Exception as exc:
        return ("raised", type(exc).__name__), (args, kwargs)
    return ("returned", out), (args, kwargs)


def difference(lesson: str, exercise: str, fn) -> str | None:
    """How ``fn`` differs from the reference on some valid input (None: it never does)."""
    ref = namespace(lesson)[exercise]
    for args, kwargs in valid_inputs(lesson, exercise):
        (kind_r, out_r), after_r = _outcome(ref, args, kwargs)
        (kind_m, out_m), after_m = _outcome(fn, args, kwargs)
        if kind_r != kind_m or not _same(out_r, out_m):
            return f"result differs on {args!r:.200}"
        if not _same(after_r, after_m):
            return f"changes its arguments on {args!r:.200}"
    return None


# ---------------------------------------------------------------- the mutants

def _listed(table: dict, mutant: Mutant) -> str | None:
    """The reason ``table`` gives for ``mutant``: keys are ``(exercise, text)`` where ``text`` is
    part of the mutant's label (its changed line), so a key survives renumbering."""
    for (exercise, text), reason in table.items():
        if exercise == mutant.exercise and text in mutant.label:
            return reason
    return None


def all_mutants() -> list[tuple[str, Mutant, bool]]:
    """``(lesson, mutant, hand_written)`` for every lesson."""
    out = []
    for lesson in LESSONS:
        skip = _attr(lesson, "SKIP", {})
        for exercise, source in solutions()[lesson].items():
            out += [(lesson, m, False) for m in generate(exercise, source)
                    if _listed(skip, m) is None]
        out += [(lesson, m, True) for m in _attr(lesson, "MUTANTS", [])]
    return out


def accepted(lesson: str, mutant: Mutant) -> str | None:
    """Why a mutant is a right answer under the exercise's contract (a design exercise has many
    right answers: h = 2e-8 is as good as 1e-8), from the lesson file's ``ACCEPTED``."""
    return _listed(_attr(lesson, "ACCEPTED", {}), mutant)


MUTANTS = all_mutants()


@pytest.mark.parametrize("lesson, exercise", sorted({(lesson, m.exercise)
                                                    for lesson, m, _ in MUTANTS}))
def test_reference_passes(lesson, exercise):
    ref = namespace(lesson)[exercise]
    lines = run_check(lesson, exercise, ref)
    assert len(lines) == 1 and lines[0].startswith("✓"), lines


@pytest.mark.parametrize("lesson, mutant, hand", MUTANTS,
                         ids=[f"{lesson}-{m.exercise}-{m.label}" for lesson, m, _ in MUTANTS])
def test_mutant_gets_cross(lesson, mutant, hand):
    fn = build(lesson, mutant)
    diff = difference(lesson, mutant.exercise, fn)
    lines = run_check(lesson, mutant.exercise, fn)
    assert len(lines) == 1, f"a check must print exactly one line, got {lines!r}"
    reason = accepted(lesson, mutant)
    if reason is not None:
        assert lines[0].startswith("✓"), f"accepted ({reason}) but got: {lines[0]}"
        return
    if diff is None:
        assert not hand, (f"hand-written mutant {mutant.label!r} never differs from the "
                          f"reference on the check's inputs or INPUTS: add an input that "
                          f"separates it, or remove it")
        return
    assert lines[0].startswith("✗"), f"{diff}; the check said: {lines[0]}\n{mutant.source}"


# ---------------------------------------------------------------- the wrong-answer corpus

CORPUS_DIR = Path(__file__).resolve().parent / "corpus"


def corpus() -> list[tuple[str, int, object]]:
    """``(lesson, index, answer)`` for every answer of tests/corpus/lessonNN.py."""
    out = []
    for path in sorted(CORPUS_DIR.glob("lesson*.py")):
        lesson = path.stem.removeprefix("lesson")
        mod = importlib.import_module(f"corpus.{path.stem}")
        out += [(lesson, i, a) for i, a in enumerate(getattr(mod, "ANSWERS", []))]
    return out


def run_answer(lesson: str, index: int, answer) -> list[str]:
    """Exec a corpus answer in a fresh copy of its notebook namespace; run its check."""
    mod = importlib.import_module(f"corpus.lesson{lesson}")
    ns = {"np": np, "__name__": "__main__", **copy.deepcopy(getattr(mod, "NAMESPACE", {}))}
    fn = _compile(answer.source, f"<corpus {lesson} #{index} {answer.exercise}>", ns,
                  answer.exercise)
    return run_check(lesson, answer.exercise, fn)


def verdict_kind(answer, lines: list[str]) -> str:
    """'ok', 'false pass', 'false fail', 'misnamed' or 'not one line' (the learner's own prints
    don't count: only the verdict lines, ✓ or ✗)."""
    lines = [ln for ln in lines if ln.startswith(("✓", "✗"))]
    if len(lines) != 1:
        return "not one line"
    line = lines[0]
    if answer.correct:
        return "ok" if line.startswith("✓") else "false fail"
    if not line.startswith("✗"):
        return "false pass"
    if answer.names and not re.search(answer.names, line, re.IGNORECASE):
        return "misnamed"
    return "ok"


CORPUS = corpus()


@pytest.mark.parametrize("lesson, index, answer", CORPUS,
                         ids=[f"{lesson}-{a.exercise}-{'right' if a.correct else a.slip}-{i}"
                              for lesson, i, a in CORPUS])
def test_corpus(lesson, index, answer):
    lines = run_answer(lesson, index, answer)
    kind = verdict_kind(answer, lines)
    assert kind == "ok", f"{kind}: {answer.slip or 'a right answer'}\n{lines}\n{answer.source}"


def corpus_counts() -> dict:
    """``{lesson: {kind: count}}`` and the answers that are not 'ok'."""
    table, bad = {}, []
    for lesson, i, answer in CORPUS:
        lines = run_answer(lesson, i, answer)
        kind = verdict_kind(answer, lines)
        row = table.setdefault(lesson, {"wrong": 0, "right": 0})
        row["right" if answer.correct else "wrong"] += 1
        row[kind] = row.get(kind, 0) + 1
        if kind != "ok":
            bad.append((lesson, answer.exercise, kind, answer.slip, lines))
    return {"table": table, "bad": bad}


def counts() -> dict:
    """``{lesson: [generated+hand, differing, caught]}``, and the mutants that escaped."""
    table, escaped = {}, []
    for lesson, mutant, _ in MUTANTS:
        row = table.setdefault(lesson, [0, 0, 0])
        row[0] += 1
        fn = build(lesson, mutant)
        if accepted(lesson, mutant) is not None or \
                difference(lesson, mutant.exercise, fn) is None:
            continue
        row[1] += 1
        lines = run_check(lesson, mutant.exercise, fn)
        if len(lines) == 1 and lines[0].startswith("✗"):
            row[2] += 1
        else:
            escaped.append((lesson, mutant.exercise, mutant.label, lines))
    return {"table": table, "escaped": escaped}


if __name__ == "__main__":
    if "--corpus" in sys.argv:
        result = corpus_counts()
        for lesson, row in sorted(result["table"].items()):
            print(lesson, row)
        for lesson, exercise, kind, slip, lines in result["bad"]:
            print(f"{kind.upper()} {lesson} {exercise} [{slip}]: {lines}")
        raise SystemExit(0)
    result = counts()
    print("lesson  mutants  differ  caught")
    for lesson, (n, d, c) in sorted(result["table"].items()):
        print(f"{lesson:>6}  {n:7d}  {d:6d}  {c:6d}")
    for lesson, exercise, label, lines in result["escaped"]:
        print(f"ESCAPED {lesson} {exercise} {label}: {lines}")

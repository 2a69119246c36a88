"""Self-checking exercises: shared plumbing.

A check calls the learner's function on known inputs, compares with the
mathematically right answer and prints one line: ✓ with an insight, or ✗
with a *targeted* hint. Results are remembered per lesson so
``check_all("03")`` can say how many exercises are solved.
"""

from __future__ import annotations

import numpy as np

_LESSONS: dict[str, list[str]] = {}
_RESULTS: dict[str, dict[str, bool]] = {}


class Hint(Exception):
    """Raised inside a check to stop at the first problem with a targeted hint."""


def register(lesson: str, exercises: list[str]) -> None:
    """Declare the exercises of a lesson, in order (used by :func:`check_all`)."""
    _LESSONS[lesson] = list(exercises)
    _RESULTS.setdefault(lesson, {})


def call(fn, *args, name: str | None = None, **kwargs):
    """Call the learner's ``fn`` and turn the usual slips into hints.

    Not callable, not implemented yet, an exception, or ``None`` returned:
    each raises :class:`Hint` with a sentence saying what to do.
    """
    name = name or getattr(fn, "__name__", "your function")
    if not callable(fn):
        raise Hint(f"expected a function, got {type(fn).__name__}: pass the function itself, "
                   f"without calling it (no parentheses)")
    try:
        with np.errstate(all="ignore"):
            out = fn(*args, **kwargs)
    except NotImplementedError:
        raise Hint(f"`{name}` is not written yet: replace the `raise NotImplementedError` "
                   f"line with your code") from None
    except Hint:
        raise
    except Exception as exc:
        raise Hint(f"`{name}` raised {type(exc).__name__}: {exc}") from None
    if out is None:
        raise Hint(f"`{name}` returned None: did you forget `return`?")
    return out


def number(value, what: str, array_hint: str = "") -> float:
    """The learner's result as one finite float, or a :class:`Hint` naming what came back instead.

    ``array_hint`` is added when an array came back (e.g. ": take the mean").
    """
    if isinstance(value, (tuple, list)) or np.ndim(value) != 0:
        raise Hint(f"{what} should be one number, got {type(value).__name__} of shape "
                   f"{np.shape(value)}{array_hint}")
    try:
        out = float(value)
    except (TypeError, ValueError):
        raise Hint(f"{what} should be a number, got {type(value).__name__}") from None
    if not np.isfinite(out):
        raise Hint(f"{what} is {out}: expected a finite number")
    return out


def ratio_hint(got: float, want: float) -> str | None:
    """Name the common slips between a value and the right one (sign, factor 2, factor n)."""
    if want == 0 or not np.isfinite(got):
        return None
    r = got / want
    if np.isclose(r, -1):
        return "right size, wrong sign"
    if np.isclose(r, 2):
        return "2× too large"
    if np.isclose(r, 0.5):
        return "2× too small"
    return None


def close(got, want, rtol: float = 1e-6, atol: float = 1e-9) -> bool:
    """``True`` when arrays have the same shape and ``|got − want| ≤ atol + rtol·|want|``."""
    got, want = np.asarray(got, dtype=float), np.asarray(want, dtype=float)
    return got.shape == want.shape and bool(np.allclose(got, want, rtol=rtol, atol=atol))


def report(lesson: str, exercise: str, run) -> bool:
    """Run ``run()`` (an insight, or :class:`Hint` raised), print the verdict and record it."""
    names = _LESSONS.get(lesson, [])
    number = names.index(exercise) + 1 if exercise in names else "?"
    try:
        insight = run()
    except Hint as hint:
        print(f"✗ Exercise {number} ({exercise}): {hint}")
        ok = False
    else:
        print(f"✓ Exercise {number} ({exercise}) solved. {insight}")
        ok = True
    _RESULTS.setdefault(lesson, {})[exercise] = ok
    return ok


def check_all(lesson: str) -> None:
    """Print how many of a lesson's exercises are solved in this session."""
    names = _LESSONS.get(lesson)
    if names is None:
        known = ", ".join(sorted(_LESSONS)) or "none"
        raise ValueError(f"unknown lesson {lesson!r}; lessons with exercises: {known}")
    done = [n for n in names if _RESULTS.get(lesson, {}).get(n)]
    print(f"Lesson {lesson}: {len(done)} of {len(names)} exercises solved.")
    for i, n in enumerate(names, 1):
        state = _RESULTS.get(lesson, {}).get(n)
        mark = "✓" if state else ("✗" if state is False else "·")
        print(f"  {mark} Exercise {i}: {n}")


def assert_solved(lesson: str, exercise: str) -> None:
    """Raise ``AssertionError`` unless ``exercise`` of ``lesson`` passed its check in this session.

    Used only in nbgrader's hidden tests (removed from the learner edition, restored by
    ``nbgrader autograde``), so a check cell scores its points exactly when its check printed ✓.
    """
    if not _RESULTS.get(lesson, {}).get(exercise):
        raise AssertionError(f"lesson {lesson}, exercise {exercise!r}: not solved "
                             f"(its check did not print ✓)")

"""Shared pieces of the mutant files of lessons 05–09 (tests/mutants/lesson05.py … lesson09.py).

- :func:`from_corpus` turns chosen wrong answers of ``tests/corpus/lessonNN.py`` into hand-written
  :class:`Mutant` records (the slips issue 20 names, each as code);
- :func:`design_skips` lists the generated mutants of a *design* exercise that are right answers
  under its contract (a different (η, μ) that also works is not a wrong answer), judged by
  ``judge(value) -> reason or None`` on the value the mutant returns; the lesson files give
  them as ``ACCEPTED``, which the runner requires to get ✓.
"""

from __future__ import annotations

import importlib.util
from pathlib import Path

import numpy as np

from ._base import HELPERS, Mutant, generate, solutions

CORPUS = Path(__file__).resolve().parents[1] / "corpus"


def _corpus(lesson: str):
    spec = importlib.util.spec_from_file_location(f"_corpus_b_{lesson}",
                                                  CORPUS / f"lesson{lesson}.py")
    mod = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(mod)
    return mod


def from_corpus(lesson: str, labels: list[str]) -> list[Mutant]:
    """The corpus answers of ``lesson`` with these labels, as Mutants (each must exist)."""
    cases = {label: (ex, src) for ex, label, slip, src in _corpus(lesson).CASES}
    missing = [label for label in labels if label not in cases]
    if missing:
        raise KeyError(f"no corpus answer labelled {missing} in lesson {lesson}")
    return [Mutant(cases[label][0], label, cases[label][1]) for label in labels]


def design_skips(lesson: str, exercise: str, judge) -> dict:
    """``{(exercise, label): reason}`` for generated mutants whose returned value ``judge``
    accepts as a right answer under the exercise's contract."""
    skips = {}
    reference = solutions()[lesson][exercise]
    for mutant in generate(exercise, reference):
        namespace = {"np": np, **HELPERS}
        try:
            exec(compile(mutant.source, "<mutant>", "exec"), namespace)  # noqa: S102
            value = namespace[exercise]()
        except Exception:
            continue
        reason = judge(value)
        if reason:
            skips[(exercise, mutant.label)] = reason
    return skips


def valley_settles(lr: float, mu: float, steps: int = 200) -> int | None:
    """The step from which the valley's loss ½(w₁² + 20 w₂²), started at (−4, 1.5), stays
    below 0.1 for ``steps`` steps of momentum GD (None if it never does). Written here from the
    update rule, independently of the check and of nnlib.explore."""
    w = np.array([-4.0, 1.5])
    v = np.zeros(2)
    losses = []
    with np.errstate(all="ignore"):
        for _ in range(steps + 1):
            losses.append(0.5 * (w[0] ** 2 + 20 * w[1] ** 2))
            v = mu * v - lr * np.array([1.0, 20.0]) * w
            w = w + v
    above = [t for t, loss in enumerate(losses) if not loss < 0.1]
    if not above:
        return 0
    return above[-1] + 1 if above[-1] < steps else None

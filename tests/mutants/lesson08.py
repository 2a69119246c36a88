"""Lesson 08 mutants (see lesson05.py). Generated mutants of the design exercise
``design_small_network`` that are right designs (≤ 1,500 parameters, ≥ 95 % mean validation
accuracy over seeds 0, 1, 2; tests/test_lesson08.py::test_verified_designs_meet_the_contract
trains each) are right answers: ACCEPTED says why, and the runner requires them to get ✓."""

import numpy as np

from ._lessons05_09 import design_skips, from_corpus

MUTANTS = from_corpus("08", [
    "precedence: 0.5 * raw / 8 - 1",
    "[[0]*K]*K: one row shared K times",
    "diagonal only",
    "labels taken as 1-based",
    "rounded to 2 decimals",
    "C /= on an integer matrix",
    "η chosen on the test set",
])

# (hidden, lr) designs measured to meet the contract (mean validation accuracy, seeds 0, 1, 2)
VERIFIED_DESIGNS = {(16, 0.1): "95.6 %", (16, 0.025): "96.3 %", (16, 0.05 / 3): "96.2 %"}


def _design_right(value):
    try:
        hidden, lr = (float(v) for v in value)
    except (TypeError, ValueError):
        return None
    for (h, eta), acc in VERIFIED_DESIGNS.items():
        if hidden == h and np.isclose(lr, eta):
            return f"({h}, {eta:.4g}) is a right design: {75 * h + 10:,} parameters, {acc}"
    return None


ACCEPTED = design_skips("08", "design_small_network", _design_right)

INPUTS = {
    "confusion_counts": lambda rng: [(rng.integers(0, 3, 12), rng.integers(0, 3, 12), 3)],
    "per_class_accuracy": lambda rng: [(rng.integers(1, 20, size=(4, 4)),)],
}

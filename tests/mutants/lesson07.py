"""Lesson 07 mutants (see lesson05.py). A generated mutant of the design exercise
``choose_momentum`` that also meets the contract (below 0.1 from step 15 on, over 200 steps,
simulated here independently of the check) is a right answer: ACCEPTED says why, and the
runner requires it to get ✓."""

from ._lessons05_09 import design_skips, from_corpus, valley_settles

MUTANTS = from_corpus("07", [
    "range stops at n - 1: drops a sample when n % B = 1",
    "range to n + 1: an empty batch when B divides n",
    "X and y shuffled separately",
    "return inside the loop",
    "sum, not mean",
    "array_split into ceil(n / B) pieces: batches of the wrong size",
    "shuffles inside the loop",
    "dips below 0.1 then climbs back",
    "dips early, circles above 0.1",
    "too much momentum",
])


def _momentum_right(value):
    try:
        lr, mu = (float(v) for v in value)
    except (TypeError, ValueError):
        return None
    if not (lr > 0 and 0 <= mu < 1):
        return None
    settle = valley_settles(lr, mu)
    if settle is not None and settle <= 15:
        return f"(η, μ) = ({lr:g}, {mu:g}) stays below 0.1 from step {settle} on: a right answer"
    return None


ACCEPTED = design_skips("07", "choose_momentum", _momentum_right)

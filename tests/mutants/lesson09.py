"""Lesson 09 mutants (see lesson05.py)."""

from ._lessons05_09 import from_corpus

MUTANTS = from_corpus("09", [
    "floor division",
    "simulated for too few steps",
    "Var[a] instead of E[a²]",
    "½ on the positive half only",
    "½ on the negative half only",
    "(1 + α)² / 2",
    "stops at the first rise",
    "sorts the caller's list",
    "last of the ties via reversed argmin",
    "starts best at 1",
])

INPUTS = {
    "decay_equilibrium": lambda rng: [(0.3, 1.7, -2.2), (0.01, 0.05, 9.5)],
    "leaky_layer_variance": lambda rng: [(7, 0.9, 3.3, 0.02), (300, 0.05, 0.4, 0.8)],
    "best_epoch": lambda rng: [([0.5, 0.2, 0.3, 0.2, 0.1, 0.4],), ([3.0],)],
}

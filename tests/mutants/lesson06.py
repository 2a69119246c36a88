"""Lesson 06 mutants (see lesson05.py)."""

from ._lessons05_09 import from_corpus

MUTANTS = from_corpus("06", [
    "rounded",
    "ds and du swapped",
    "swapped",
    "also updates the caller's weights",
    "1 - Z1**2",
    "n = X.size",
    "precedence: X.T @ dZ2 @ W2.T * (1 - A1**2)",
    "dW2 uses X's activations pre-tanh",
])


def _nets(rng):
    out = []
    for n, d, h in ((4, 1, 2), (7, 3, 5)):
        out.append((rng.normal(size=(n, d)), rng.normal(size=(n, 1)), rng.normal(size=(d, h)),
                    rng.normal(size=h), rng.normal(size=(h, 1)), rng.normal(size=1)))
    return out


INPUTS = {
    "backprop_by_hand": lambda rng: [tuple(rng.uniform(-3, 3, size=4)) for _ in range(3)],
    "two_layer_backward": _nets,
}

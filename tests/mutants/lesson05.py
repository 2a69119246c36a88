"""Lesson 05 mutants: the slips issue 20 and the corpus name, as code (the generated ones come
from tests/mutants/_base.py), and valid inputs in every regime for deciding which differ."""

from ._lessons05_09 import from_corpus

MUTANTS = from_corpus("05", [
    "first layer and last layer written out: breaks for one layer",
    "pops the layers off the caller's list",
    "sigmoid instead of ReLU",
    "bias added before the product",
    "range starts at 1: skips the first layer",
    "product of all sizes",
    "pops the caller's list",
    "W2 @ b1",
    "b2 += in place",
    "bias 1 added but weights not flipped",
])


def _nets(rng):
    out = []
    for sizes in ([3, 1], [2, 5, 1], [4, 3, 3, 2]):
        X = rng.normal(size=(6, sizes[0])) * rng.choice([0.3, 1.0, 20.0])
        params = [(rng.normal(size=(a, b)), rng.normal(size=b))
                  for a, b in zip(sizes[:-1], sizes[1:], strict=True)]
        out.append((X, params))
    return out


def _collapse(rng):
    return [(rng.normal(size=(a, h)), rng.normal(size=h), rng.normal(size=(h, c)),
             rng.normal(size=c)) for a, h, c in ((1, 1, 1), (2, 3, 4), (5, 2, 3))]


INPUTS = {
    "mlp_forward": _nets,
    "count_parameters": lambda rng: [([2, 9],), ([5, 5, 5],), ([10, 1, 10, 1],)],
    "collapse_linear": _collapse,
}

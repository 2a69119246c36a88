"""Lesson 01 mutants: valid inputs in every regime, hand-written slips, accepted variants."""

import numpy as np

from ._base import Mutant


def _xs(rng):
    return [(float(x),) for x in np.r_[rng.uniform(-1000, 1000, 6), rng.uniform(-1, 1, 6),
                                       rng.integers(-5, 6, 4), 2 / 3]]


INPUTS = {
    "df": _xs,
    "partials": lambda rng: [(float(a), float(b)) for a, b in
                             zip(np.r_[rng.uniform(-50, 50, 6), rng.uniform(-1, 1, 6)],
                                 np.r_[rng.uniform(-1, 1, 6), rng.uniform(-50, 50, 6)],
                                 strict=True)],
}

# pick_step is a design exercise: any h whose forward-difference error is within 1e-7 is right
ACCEPTED = {
    ("pick_step", "return 2 * 1e-08"): "h = 2e-8: error 3.7e-8, within 1e-7",
    ("pick_step", "return 1e-08 / 2"): "h = 5e-9: error 1.5e-8, within 1e-7",
    ("pick_step", "return 1e-08 / _n()"): "h = 3.3e-9: error 3.7e-8, within 1e-7",
}

MUTANTS = [
    Mutant("df", "int() of the slope", "def df(x):\n    return int(6 * x - 4)\n"),
    Mutant("df", "round() of the slope", "def df(x):\n    return round(6 * x - 4)\n"),
    Mutant("df", "2x − 4 (the 3 dropped)", "def df(x):\n    return 2 * x - 4\n"),
    Mutant("df", "forward difference", "def df(x):\n    h = 1e-6\n"
           "    f = lambda t: 3 * t ** 2 - 4 * t + 2\n    return (f(x + h) - f(x)) / h\n"),
    Mutant("partials", "int() of both", "def partials(x, y):\n"
           "    return int(2 * x * y), int(x ** 2 + 3)\n"),
    Mutant("partials", "3y kept", "def partials(x, y):\n    return 2 * x * y, x ** 2 + 3 * y\n"),
    Mutant("predict_central_error", "h² without 1/3",
           "def predict_central_error():\n    return 0.01 ** 2\n"),
    Mutant("pick_step", "central step", "def pick_step():\n    return 1e-5\n"),
]

"""Lesson 02 mutants: valid inputs in every regime, hand-written slips."""


from ._base import Mutant


def _dl_inputs(rng):
    out = []
    for n, scale in ((1, 1.0), (2, 0.5), (5, 3.0), (9, 100.0), (40, 0.1)):
        x = rng.uniform(-scale, scale, n)
        out.append((float(rng.uniform(-3, 3)), x, 1.7 * x + rng.normal(0, scale, n)))
    return out


INPUTS = {"dloss_dc1": _dl_inputs}

MUTANTS = [
    Mutant("dloss_dc1", "changes the caller's y",
           "def dloss_dc1(c1, x, y):\n    y -= c1 * x\n    return -2 * np.mean(x * y)\n"),
    Mutant("dloss_dc1", "precedence", "def dloss_dc1(c1, x, y):\n"
           "    return np.mean(2 * x * c1 * x - y)\n"),
    Mutant("dloss_dc1", "sum", "def dloss_dc1(c1, x, y):\n"
           "    return np.sum(2 * x * (c1 * x - y))\n"),
    Mutant("mean_median_gap", "numbers as text",
           "def mean_median_gap():\n    return ['0', '0', '30']\n"),
    Mutant("mean_median_gap", "gap 10 the other way",
           "def mean_median_gap():\n    return [0, 0, -30]\n"),
    Mutant("predict_larger_loss", "mse", "def predict_larger_loss():\n    return 'mse'\n"),
]

"""Lesson 03 mutants: valid inputs in every regime, hand-written slips."""

import numpy as np

from ._base import Mutant


def _sine_inputs(rng):
    out = []
    for n, xscale in ((1, 3.0), (4, 0.5), (20, 3.0), (15, 200.0)):
        x = rng.uniform(-xscale, xscale, n)
        c = np.round(rng.uniform(-5, 5, 2), 3)
        out.append((c, x, 1.2 * np.sin(x) - 0.4 + rng.normal(0, 0.3, n)))
    return out


def _line_inputs(rng):
    out = []
    for n, lr, k in ((1, 0.1, 3), (2, 0.05, 11), (8, 0.02, 40), (25, 0.01, 17)):
        x = rng.uniform(-2, 2, n)
        out.append((x, -0.8 * x + 2 + rng.normal(0, 0.2, n), lr, k))
    return out


INPUTS = {
    "sine_fit_grad": _sine_inputs,
    "fit_line": _line_inputs,
    "one_step_lr": lambda rng: [(float(c),) for c in np.r_[rng.uniform(0.001, 1, 4),
                                                          rng.uniform(1, 5000, 4)]],
}

MUTANTS = [
    Mutant("one_step_lr", "1 / 2 * c2 (precedence)",
           "def one_step_lr(c2):\n    return 1 / 2 * c2\n"),
    Mutant("sine_fit_grad", "changes the caller's y", "def sine_fit_grad(c, x, y):\n"
           "    y -= c[0] * np.sin(x) + c[1]\n"
           "    return np.array([-2 * np.mean(y * np.sin(x)), -2 * np.mean(y)])\n"),
    Mutant("fit_line", "ŷ computed once (the original bug)",
           "def fit_line(x, y, lr, num_epochs):\n    c1, c0 = 0.0, 0.0\n"
           "    y_hat = c1 * x + c0\n    for epoch in range(num_epochs):\n"
           "        d = 2 * (y_hat - y) / len(x)\n        c1 = c1 - lr * np.sum(d * x)\n"
           "        c0 = c0 - lr * np.sum(d)\n    return c1, c0\n"),
    Mutant("fit_line", "gradient with np.mean after 1/n",
           "def fit_line(x, y, lr, num_epochs):\n    c1, c0 = 0.0, 0.0\n"
           "    for epoch in range(num_epochs):\n        y_hat = c1 * x + c0\n"
           "        d = 2 * (y_hat - y) / len(x)\n        c1 = c1 - lr * np.mean(d * x)\n"
           "        c0 = c0 - lr * np.mean(d)\n    return c1, c0\n"),
    Mutant("grad_by_hand", "half", "def grad_by_hand():\n    return 3.0, 1.5\n"),
]

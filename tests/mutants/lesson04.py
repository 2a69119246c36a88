"""Lesson 04 mutants: valid inputs in every regime, hand-written slips, accepted variants."""

import numpy as np

from ._base import Mutant


def _relu_inputs(rng):
    return [(rng.uniform(-1, 1, 9),), (rng.uniform(0, 0.5, 5),), (rng.normal(0, 100, (3, 4)),),
            (rng.uniform(-5, 5, (2, 2, 3)),), (np.array([4.5]),), (np.zeros(0),)]


def _neuron_inputs(rng):
    out = []
    for n, n_in in ((1, 3), (6, 1), (10, 4)):
        out.append((rng.normal(0, 2, (n, n_in)), rng.normal(0, 1, n_in),
                    float(rng.uniform(-1, 1))))
    return out


def _train_inputs(rng):
    out = []
    for n, lr, k in ((1, 0.1, 4), (5, 0.05, 20), (40, 0.1, 30)):
        X = rng.uniform(-2, 2, (n, 2))
        out.append((X, np.maximum(0, X @ np.array([1.2, -0.7]) + 0.4) + rng.normal(0, 0.1, n),
                    lr, k))
    return out


INPUTS = {"my_relu": _relu_inputs, "neuron": _neuron_inputs, "train_two_inputs": _train_inputs}

# and_gate is a design exercise: any (w, b) with a step that fires only at (1, 1) is right
ACCEPTED = {
    ("and_gate", "np.trunc(-1.5)"): "b = −1 with w = (1, 1): z = 0, 0, 0, 1 fires only at (1, 1)",
}

MUTANTS = [
    Mutant("my_relu", "np.clip(z, 0, 3)", "def my_relu(z):\n    return np.clip(z, 0, 3)\n"),
    Mutant("my_relu", "threshold 0.5", "def my_relu(z):\n    return np.where(z >= 0.5, z, 0)\n"),
    Mutant("my_relu", "in place", "def my_relu(z):\n    z[z < 0] = 0\n    return z\n"),
    Mutant("my_relu", "np.max(0, z)", "def my_relu(z):\n    return np.max(0, z)\n"),
    Mutant("and_gate", "bias as text", "def and_gate():\n    return [1, 1], '-1.5'\n"),
    Mutant("and_gate", "OR gate", "def and_gate():\n    return [1, 1], -0.5\n"),
    Mutant("neuron", "bias outside", "def neuron(X, w, b):\n    return my_relu(X @ w) + b\n"),
    Mutant("train_two_inputs", "np.sum(X.T * dz) (the original bug)",
           "def train_two_inputs(X, y, lr, num_epochs):\n"
           "    w, b = np.array([0.5, 0.5]), 0.5\n"
           "    for epoch in range(num_epochs):\n        z = X @ w + b\n"
           "        dz = 2 * (np.maximum(0, z) - y) / len(y) * (z > 0)\n"
           "        w = w - lr * np.sum(X.T * dz)\n        b = b - lr * np.sum(dz)\n"
           "    return w, b\n"),
]

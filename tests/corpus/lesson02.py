"""Lesson 02 corpus: realistic learner answers (wrong ones with the slip a person names)."""

import numpy as np
from mutants._base import right, wrong

_rng = np.random.default_rng(0)
_x = _rng.uniform(0, 10, 40)
# the notebook's globals at the exercises (a learner's function may pick them up)
NAMESPACE = {"x": _x, "y": 2 * _x + 1, "x_train": _x[:30], "y_train": 2 * _x[:30] + 1,
             "y_hat": 2 * _x, "r": np.linspace(-0.5, 0.5, 5)}

ANSWERS = [
    # ---- predict_larger_loss: "mae"
    wrong("predict_larger_loss", "chose mse", r"smaller|squaring",
          "def predict_larger_loss():\n    return 'mse'\n"),
    wrong("predict_larger_loss", "equal", r"equal",
          "def predict_larger_loss():\n    return 'same'\n"),
    wrong("predict_larger_loss", "forgot the quotes", r"quote",
          "def predict_larger_loss():\n    return mae\n"),
    wrong("predict_larger_loss", "a number", r"\"mse\" or \"mae\"|text",
          "def predict_larger_loss():\n    return 1\n"),
    right("predict_larger_loss", "def predict_larger_loss():\n    return 'MAE'\n"),
    right("predict_larger_loss", "def predict_larger_loss():\n    return ' mae '\n"),

    # ---- dloss_dc1: mean(2x(c1 x − y))
    wrong("dloss_dc1", "sum instead of mean", r"mean|n×|1/n",
          "def dloss_dc1(c1, x, y):\n    return np.sum(2*x*(c1*x - y))\n"),
    wrong("dloss_dc1", "missing the factor x", r"factor x|x_i",
          "def dloss_dc1(c1, x, y):\n    return np.mean(2*(c1*x - y))\n"),
    wrong("dloss_dc1", "returned the loss", r"loss",
          "def dloss_dc1(c1, x, y):\n    return np.mean((c1*x - y)**2)\n"),
    wrong("dloss_dc1", "missing the 2", r"2×|exponent 2|power rule",
          "def dloss_dc1(c1, x, y):\n    return np.mean(x*(c1*x - y))\n"),
    wrong("dloss_dc1", "sign flipped", r"sign",
          "def dloss_dc1(c1, x, y):\n    return np.mean(2*x*(y - c1*x))\n"),
    wrong("dloss_dc1", "no average: one slope per sample", r"average|mean|one number",
          "def dloss_dc1(c1, x, y):\n    return 2*x*(c1*x - y)\n"),
    wrong("dloss_dc1", "divided by n twice", r"twice|too small",
          "def dloss_dc1(c1, x, y):\n    return np.mean(2*x*(c1*x - y)) / len(x)\n"),
    wrong("dloss_dc1", "dropped the middle term", r"middle term|2x_i y_i",
          "def dloss_dc1(c1, x, y):\n    return np.mean(2*c1*x**2)\n"),
    wrong("dloss_dc1", "used the notebook's x_train, y_train", r"x_train|outside|argument",
          "def dloss_dc1(c1, x, y):\n    return np.mean(2*x_train*(c1*x_train - y_train))\n"),
    wrong("dloss_dc1", "operator precedence", r"precedence|parenthes|bracket",
          "def dloss_dc1(c1, x, y):\n    return np.mean(2*x*c1*x - y)\n"),
    wrong("dloss_dc1", "axis=1 on a 1-D array", r"axis",
          "def dloss_dc1(c1, x, y):\n    return np.mean(2*x*(c1*x - y), axis=1)\n"),
    wrong("dloss_dc1", "changed the caller's y", r"changed|caller",
          "def dloss_dc1(c1, x, y):\n    y -= c1*x\n    return -2*np.mean(x*y)\n"),
    wrong("dloss_dc1", "text", r"quotes",
          "def dloss_dc1(c1, x, y):\n    return str(np.mean(2*x*(c1*x - y)))\n"),
    right("dloss_dc1", "def dloss_dc1(c1, x, y):\n    return sum(2*x*(c1*x - y)) / len(x)\n"),
    right("dloss_dc1", "def dloss_dc1(c1, x, y):\n    return 2 * np.dot(x, c1*x - y) / len(x)\n"),
    right("dloss_dc1", "def dloss_dc1(c1, x, y):\n    return np.mean(2*x**2*c1 - 2*x*y)\n"),
    right("dloss_dc1", "def dloss_dc1(c1, x, y):\n"
                       "    x, y = np.asarray(x), np.asarray(y)\n"
                       "    return float((2 * x * (c1 * x - y)).mean())\n"),

    # ---- mean_median_gap: mean − median = 10
    wrong("mean_median_gap", "largest value too small", r"largest|raise|move",
          "def mean_median_gap():\n    return [0, 0, 10]\n"),
    wrong("mean_median_gap", "symmetric data", r"lopsided|equal|both",
          "def mean_median_gap():\n    return [0, 10, 20]\n"),
    wrong("mean_median_gap", "pulled a value down", r"median is 10 larger|up instead",
          "def mean_median_gap():\n    return [0, 0, -30]\n"),
    wrong("mean_median_gap", "only two values", r"at least 3",
          "def mean_median_gap():\n    return [0, 30]\n"),
    wrong("mean_median_gap", "2-D array", r"flat|1-D",
          "def mean_median_gap():\n    return np.array([[0, 0, 30]])\n"),
    wrong("mean_median_gap", "text", r"quotes",
          "def mean_median_gap():\n    return '0, 0, 30'\n"),
    wrong("mean_median_gap", "numbers as text", r"quotes",
          "def mean_median_gap():\n    return ['0', '0', '30']\n"),
    right("mean_median_gap", "def mean_median_gap():\n    return [1, 2, 3, 4, 55]\n"),
    right("mean_median_gap", "def mean_median_gap():\n    return (0, 0, 30)\n"),
    right("mean_median_gap", "def mean_median_gap():\n    return np.array([0, 0, 0, 40])\n"),
    right("mean_median_gap", "def mean_median_gap():\n    return [10, 10, 40]\n"),
]

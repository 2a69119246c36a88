"""Lesson 03 corpus: realistic learner answers (wrong ones with the slip a person names)."""

import numpy as np
from mutants._base import right, wrong

_rng = np.random.default_rng(3)
_xl = _rng.uniform(-2, 2, 30)
# the notebook's globals at the exercises (a learner's function may pick them up)
NAMESPACE = {"x": np.linspace(-3, 3, 50), "y": 1.5 * np.sin(np.linspace(-3, 3, 50)) + 0.3,
             "x_line": _xl, "y_line": 2 * _xl + 1, "lr": 0.1, "c": np.array([0.0, 0.0]),
             "x1": 2.0, "y1": 1.0}

_SINE = "def sine_fit_grad(c, x, y):\n    c1, c0 = c\n{body}"
_FIT = ("def fit_line(x, y, lr, num_epochs):\n    c1, c0 = 0.0, 0.0\n"
        "    for epoch in range({epochs}):\n{body}    return {ret}\n")
_GOOD_STEP = ("        y_hat = c1 * x + c0\n        d = 2 * (y_hat - y) / len(x)\n"
              "        c1 = c1 - lr * np.sum(d * x)\n        c0 = c0 - lr * np.sum(d)\n")


def _fit(body=_GOOD_STEP, epochs="num_epochs", ret="c1, c0"):
    return _FIT.format(body=body, epochs=epochs, ret=ret)


ANSWERS = [
    # ---- grad_by_hand: x=2, y=1, c1=1, c0=0.5 → (6, 3)
    wrong("grad_by_hand", "sign flipped", r"sign",
          "def grad_by_hand():\n    return -6.0, -3.0\n"),
    wrong("grad_by_hand", "outer slope without the 2", r"2\(ŷ − y\)|half",
          "def grad_by_hand():\n    return 3.0, 1.5\n"),
    wrong("grad_by_hand", "swapped", r"swap",
          "def grad_by_hand():\n    return 3.0, 6.0\n"),
    wrong("grad_by_hand", "∂ℓ/∂c₁ without the inner slope x", r"inner slope",
          "def grad_by_hand():\n    return 3.0, 3.0\n"),
    wrong("grad_by_hand", "∂ℓ/∂c₀ multiplied by x", r"c₀ multiplies 1",
          "def grad_by_hand():\n    return 6.0, 6.0\n"),
    wrong("grad_by_hand", "inner slope x²", r"x²",
          "def grad_by_hand():\n    return 12.0, 3.0\n"),
    wrong("grad_by_hand", "2ŷ instead of 2(ŷ − y)", r"2ŷ|subtract y",
          "def grad_by_hand():\n    return 10.0, 5.0\n"),
    wrong("grad_by_hand", "returned the loss", r"loss",
          "def grad_by_hand():\n    return 2.25\n"),
    wrong("grad_by_hand", "text", r"quotes",
          "def grad_by_hand():\n    return '6, 3'\n"),
    wrong("grad_by_hand", "three numbers", r"exactly two",
          "def grad_by_hand():\n    return 6.0, 3.0, 2.25\n"),
    right("grad_by_hand", "def grad_by_hand():\n    return [6, 3]\n"),
    right("grad_by_hand", "def grad_by_hand():\n    return np.array([6.0, 3.0])\n"),
    right("grad_by_hand", "def grad_by_hand():\n    y_hat = 1.0 * 2.0 + 0.5\n"
                          "    return 2 * (y_hat - 1.0) * 2.0, 2 * (y_hat - 1.0)\n"),

    # ---- sine_fit_grad
    wrong("sine_fit_grad", "sign flipped", r"sign",
          _SINE.format(body="    d = 2 * (y - (c1*np.sin(x) + c0)) / len(x)\n"
                            "    return np.array([np.sum(d*np.sin(x)), np.sum(d)])\n")),
    wrong("sine_fit_grad", "missing the 2", r"2× too small|2u",
          _SINE.format(body="    d = (c1*np.sin(x) + c0 - y) / len(x)\n"
                            "    return np.array([np.sum(d*np.sin(x)), np.sum(d)])\n")),
    wrong("sine_fit_grad", "sum without 1/n", r"too large|1/n|mean",
          _SINE.format(body="    d = 2 * (c1*np.sin(x) + c0 - y)\n"
                            "    return np.array([np.sum(d*np.sin(x)), np.sum(d)])\n")),
    wrong("sine_fit_grad", "cos for the inner slope", r"cos",
          _SINE.format(body="    d = 2 * (c1*np.sin(x) + c0 - y) / len(x)\n"
                            "    return np.array([np.sum(d*np.cos(x)), np.sum(d)])\n")),
    wrong("sine_fit_grad", "x for the inner slope, as for a line", r"multiplies by x|sin\(x",
          _SINE.format(body="    d = 2 * (c1*np.sin(x) + c0 - y) / len(x)\n"
                            "    return np.array([np.sum(d*x), np.sum(d)])\n")),
    wrong("sine_fit_grad", "no sum over the samples", r"one number per sample|sum over",
          _SINE.format(body="    d = 2 * (c1*np.sin(x) + c0 - y) / len(x)\n"
                            "    return np.array([d*np.sin(x), d])\n")),
    wrong("sine_fit_grad", "mean after the 1/n", r"too small|mean again|n×",
          _SINE.format(body="    d = 2 * (c1*np.sin(x) + c0 - y) / len(x)\n"
                            "    return np.array([np.mean(d*np.sin(x)), np.mean(d)])\n")),
    wrong("sine_fit_grad", "changed the caller's y", r"changed|caller",
          _SINE.format(body="    y -= c1*np.sin(x) + c0\n"
                            "    return np.array([-2*np.mean(y*np.sin(x)), -2*np.mean(y)])\n")),
    wrong("sine_fit_grad", "column instead of flat", r"column|flat|ravel|shape",
          _SINE.format(body="    d = 2 * (c1*np.sin(x) + c0 - y) / len(x)\n"
                            "    return np.array([[np.sum(d*np.sin(x))], [np.sum(d)]])\n")),
    wrong("sine_fit_grad", "operator precedence in the residual", r"precedence|parenthes|bracket",
          _SINE.format(body="    d = 2 * c1*np.sin(x) + c0 - y / len(x)\n"
                            "    return np.array([np.sum(d*np.sin(x)), np.sum(d)])\n")),
    wrong("sine_fit_grad", "unpacked c into three names", r"unpack|two|c1, c0",
          "def sine_fit_grad(c, x, y):\n    c1, c0, n = c\n"
          "    d = 2 * (c1*np.sin(x) + c0 - y) / len(x)\n"
          "    return np.array([np.sum(d*np.sin(x)), np.sum(d)])\n"),
    right("sine_fit_grad", _SINE.format(body="    d = 2 * (c1*np.sin(x) + c0 - y) / len(x)\n"
                                             "    return np.sum(d*np.sin(x)), np.sum(d)\n")),
    right("sine_fit_grad", _SINE.format(body="    r = c1*np.sin(x) + c0 - y\n"
                                             "    return [2*np.mean(r*np.sin(x)),"
                                             " 2*np.mean(r)]\n")),
    right("sine_fit_grad", "def sine_fit_grad(c, x, y):\n"
                           "    S = np.column_stack([np.sin(x), np.ones_like(x)])\n"
                           "    return 2 * S.T @ (S @ c - y) / len(x)\n"),

    # ---- fit_line
    wrong("fit_line", "ŷ computed once, before the loop (the original bug)",
          r"computed once|inside the loop",
          "def fit_line(x, y, lr, num_epochs):\n    c1, c0 = 0.0, 0.0\n"
          "    y_hat = c1 * x + c0\n    for epoch in range(num_epochs):\n"
          "        d = 2 * (y_hat - y) / len(x)\n        c1 = c1 - lr * np.sum(d * x)\n"
          "        c0 = c0 - lr * np.sum(d)\n    return c1, c0\n"),
    wrong("fit_line", "one epoch short", r"one epoch short", _fit(epochs="num_epochs - 1")),
    wrong("fit_line", "one epoch too many", r"one epoch too many", _fit(epochs="num_epochs + 1")),
    wrong("fit_line", "sign flipped", r"sign|uphill|subtract",
          _fit(body=_GOOD_STEP.replace("c1 - lr", "c1 + lr").replace("c0 - lr", "c0 + lr"))),
    wrong("fit_line", "return inside the loop", r"return.*inside|one step",
          "def fit_line(x, y, lr, num_epochs):\n    c1, c0 = 0.0, 0.0\n"
          "    for epoch in range(num_epochs):\n" + _GOOD_STEP + "        return c1, c0\n"),
    wrong("fit_line", "c0's gradient from the new c1", r"new\* c1|new c1|same ŷ",
          _fit(body="        y_hat = c1 * x + c0\n        d = 2 * (y_hat - y) / len(x)\n"
                    "        c1 = c1 - lr * np.sum(d * x)\n"
                    "        d = 2 * (c1 * x + c0 - y) / len(x)\n"
                    "        c0 = c0 - lr * np.sum(d)\n")),
    wrong("fit_line", "c0's gradient multiplied by x", r"c0 multiplies 1",
          _fit(body=_GOOD_STEP.replace("np.sum(d)\n", "np.sum(d * x)\n"))),
    wrong("fit_line", "swapped", r"swap", _fit(ret="c0, c1")),
    wrong("fit_line", "used the notebook's x_line, y_line", r"x_line|outside|argument",
          _fit(body=_GOOD_STEP.replace("c1 * x + c0", "c1 * x_line + c0")
               .replace("(y_hat - y) / len(x)", "(y_hat - y_line) / len(x_line)")
               .replace("d * x)", "d * x_line)"))),
    wrong("fit_line", "mean after the 1/n", r"too small|mean|n =",
          _fit(body=_GOOD_STEP.replace("np.sum", "np.mean"))),
    wrong("fit_line", "no 1/n", r"n =|mean|divide by n",
          _fit(body=_GOOD_STEP.replace(" / len(x)", ""))),
    wrong("fit_line", "started from c1 = c0 = 1", r"start|initial|0",
          _fit().replace("c1, c0 = 0.0, 0.0", "c1, c0 = 1.0, 1.0")),
    wrong("fit_line", "returned the history", r"history|final pair",
          "def fit_line(x, y, lr, num_epochs):\n    c1, c0 = 0.0, 0.0\n    hist = []\n"
          "    for epoch in range(num_epochs):\n" + _GOOD_STEP +
          "        hist.append((c1, c0))\n    return hist\n"),
    right("fit_line", _fit(body="        y_hat = c1 * x + c0\n"
                                "        g1 = np.mean(2 * (y_hat - y) * x)\n"
                                "        g0 = np.mean(2 * (y_hat - y))\n"
                                "        c1, c0 = c1 - lr * g1, c0 - lr * g0\n")),
    right("fit_line", _fit(ret="np.array([c1, c0])")),
    right("fit_line", "def fit_line(x, y, lr, num_epochs):\n    c = np.zeros(2)\n"
                      "    A = np.column_stack([x, np.ones_like(x)])\n"
                      "    for _ in range(num_epochs):\n"
                      "        c = c - lr * 2 * A.T @ (A @ c - y) / len(x)\n"
                      "    return c[0], c[1]\n"),

    # ---- one_step_lr: 1 / (2 c2)
    wrong("one_step_lr", "1/c2: the edge of stability", r"edge of stability|halve",
          "def one_step_lr(c2):\n    return 1 / c2\n"),
    wrong("one_step_lr", "operator precedence: 1 / 2 * c2", r"precedence|parenthes|bracket",
          "def one_step_lr(c2):\n    return 1 / 2 * c2\n"),
    wrong("one_step_lr", "the curvature itself", r"curvature|1 over",
          "def one_step_lr(c2):\n    return 2 * c2\n"),
    wrong("one_step_lr", "η for w² only", r"same η|depend on c",
          "def one_step_lr(c2):\n    return 0.5\n"),
    wrong("one_step_lr", "half way", r"half way",
          "def one_step_lr(c2):\n    return 1 / (4 * c2)\n"),
    wrong("one_step_lr", "negative", r"positive|uphill",
          "def one_step_lr(c2):\n    return -1 / (2 * c2)\n"),
    wrong("one_step_lr", "text", r"quotes",
          "def one_step_lr(c2):\n    return '1/(2*c2)'\n"),
    right("one_step_lr", "def one_step_lr(c2):\n    return 0.5 / c2\n"),
    right("one_step_lr", "def one_step_lr(c2):\n    return (2 * c2) ** -1\n"),
    right("one_step_lr", "def one_step_lr(c2):\n    return 1 / 2 / c2\n"),
]

"""Lesson 04 corpus: realistic learner answers (wrong ones with the slip a person names)."""

import numpy as np
from mutants._base import right, wrong

_rng = np.random.default_rng(4)
_X2 = _rng.uniform(-2, 2, (40, 2))


def _my_relu(z):
    return np.maximum(0, z)


# the notebook's globals at the exercises (a learner's function may pick them up)
NAMESPACE = {"my_relu": _my_relu, "x": np.array([1.0, 2.0]), "w": np.array([0.5, -1.0]),
             "b": 0.5, "X": np.array([[1.0, 2.0], [-1.0, 0.5], [0.0, 3.0]]), "z": 0.3,
             "X2": _X2, "y2": np.maximum(0, _X2 @ np.array([1.0, -2.0]) + 0.5), "lr": 0.1}

_TRAIN = ("def train_two_inputs(X, y, lr, num_epochs):\n"
          "    w, b = np.array([0.5, 0.5]), 0.5\n"
          "    for epoch in range({epochs}):\n{body}    return {ret}\n")
_STEP = ("        z = X @ w + b\n        y_hat = np.maximum(0, z)\n"
         "        dz = 2 * (y_hat - y) / len(y) * (z > 0)\n"
         "        w = w - lr * (X.T @ dz)\n        b = b - lr * np.sum(dz)\n")


def _train(body=_STEP, epochs="num_epochs", ret="w, b"):
    return _TRAIN.format(body=body, epochs=epochs, ret=ret)


ANSWERS = [
    # ---- my_relu
    wrong("my_relu", "np.max for np.maximum", r"np\.maximum",
          "def my_relu(z):\n    return np.max(0, z)\n"),
    wrong("my_relu", "Python's max on an array", r"np\.maximum",
          "def my_relu(z):\n    return max(0, z)\n"),
    wrong("my_relu", "clipped at 3", r"upper|no limit|above",
          "def my_relu(z):\n    return np.clip(z, 0, 3)\n"),
    wrong("my_relu", "threshold at 0.5", r"between 0 and|pass through|threshold|0\.5",
          "def my_relu(z):\n    return np.where(z >= 0.5, z, 0)\n"),
    wrong("my_relu", "changed the caller's array", r"changed|caller",
          "def my_relu(z):\n    z[z < 0] = 0\n    return z\n"),
    wrong("my_relu", "absolute value", r"negative entries must become 0|abs",
          "def my_relu(z):\n    return np.abs(z)\n"),
    wrong("my_relu", "the step function", r"step",
          "def my_relu(z):\n    return (z > 0).astype(float)\n"),
    wrong("my_relu", "np.max(z, 0) reduces", r"np\.maximum|one number",
          "def my_relu(z):\n    return np.max(z, 0)\n"),
    wrong("my_relu", "if on an array", r"np\.maximum|np\.where",
          "def my_relu(z):\n    return z if z > 0 else 0\n"),
    wrong("my_relu", "a loop that works only in 1-D", r"2-D|np\.maximum",
          "def my_relu(z):\n    return np.array([max(0, v) for v in z])\n"),
    wrong("my_relu", "out=z changes the caller's array", r"changed|caller",
          "def my_relu(z):\n    return np.maximum(0, z, out=z)\n"),
    wrong("my_relu", "integer result", r"int|whole|fraction|round",
          "def my_relu(z):\n    return np.maximum(0, z).astype(int)\n"),
    wrong("my_relu", "filtered out the negatives", r"shape|keep every entry",
          "def my_relu(z):\n    return z[z > 0]\n"),
    right("my_relu", "def my_relu(z):\n    return z * (z > 0)\n"),
    right("my_relu", "def my_relu(z):\n    return np.where(z > 0, z, 0.0)\n"),
    right("my_relu", "def my_relu(z):\n    return np.maximum(z, 0)\n"),
    right("my_relu", "def my_relu(z):\n    return z.clip(min=0)\n"),
    right("my_relu", "def my_relu(z):\n    out = z.copy()\n    out[out < 0] = 0\n    return out\n"),

    # ---- neuron
    wrong("neuron", "X * w: entry by entry", r"entry by entry|X @ w",
          "def neuron(X, w, b):\n    return my_relu(X * w + b)\n"),
    wrong("neuron", "w @ X: wrong order", r"@|shape",
          "def neuron(X, w, b):\n    return my_relu(w @ X + b)\n"),
    wrong("neuron", "bias outside the ReLU", r"bias goes inside",
          "def neuron(X, w, b):\n    return my_relu(X @ w) + b\n"),
    wrong("neuron", "no ReLU", r"relu",
          "def neuron(X, w, b):\n    return X @ w + b\n"),
    wrong("neuron", "no bias", r"bias is missing",
          "def neuron(X, w, b):\n    return my_relu(X @ w)\n"),
    wrong("neuron", "X.T @ w", r"transpos|shape|@",
          "def neuron(X, w, b):\n    return np.maximum(0, X.T @ w + b)\n"),
    wrong("neuron", "summed down the columns", r"summed down the columns|row",
          "def neuron(X, w, b):\n    return my_relu(np.sum(X * w, axis=0) + b)\n"),
    wrong("neuron", "used the notebook's w and b", r"global|outside|argument",
          "def neuron(X, weights, bias):\n    return my_relu(X @ w + b)\n"),
    wrong("neuron", "Python's max on an array", r"np\.maximum",
          "def neuron(X, w, b):\n    return max(0, X @ w + b)\n"),
    wrong("neuron", "np.max for np.maximum", r"np\.maximum",
          "def neuron(X, w, b):\n    return np.max(0, X @ w + b)\n"),
    wrong("neuron", "bias subtracted", r"subtracted",
          "def neuron(X, w, b):\n    return my_relu(X @ w - b)\n"),
    right("neuron", "def neuron(X, w, b):\n    return my_relu(np.dot(X, w) + b)\n"),
    right("neuron", "def neuron(X, w, b):\n    return np.maximum(0, X @ w + b)\n"),
    right("neuron", "def neuron(X, w, b):\n    z = X @ w + b\n    z[z < 0] = 0\n    return z\n"),

    # ---- and_gate
    wrong("and_gate", "bias as text", r"quotes",
          "def and_gate():\n    return [1, 1], '-1.5'\n"),
    wrong("and_gate", "an OR gate", r"\bOR\b",
          "def and_gate():\n    return [1, 1], -0.5\n"),
    wrong("and_gate", "fires with no input", r"no input",
          "def and_gate():\n    return [1, 1], 0.5\n"),
    wrong("and_gate", "z = 0 exactly at (1, 1)", r"= 0 exactly|exactly",
          "def and_gate():\n    return [1, 1], -2\n"),
    wrong("and_gate", "never fires", r"does not fire",
          "def and_gate():\n    return [1, 1], -3\n"),
    wrong("and_gate", "three numbers in one list", r"two things|w, b",
          "def and_gate():\n    return [1, 1, -1.5]\n"),
    wrong("and_gate", "swapped (b, w)", r"order|swap|\(w, b\)",
          "def and_gate():\n    return -1.5, [1, 1]\n"),
    wrong("and_gate", "one weight too large", r"x₁ alone|alone",
          "def and_gate():\n    return [2, 0.5], -1\n"),
    wrong("and_gate", "weights as text", r"quotes",
          "def and_gate():\n    return ['1', '1'], -1.5\n"),
    right("and_gate", "def and_gate():\n    return (1, 1), -1.5\n"),
    right("and_gate", "def and_gate():\n    return np.array([1, 1]), np.float64(-1.5)\n"),
    right("and_gate", "def and_gate():\n    return [1, 1], -1\n"),
    right("and_gate", "def and_gate():\n    w = np.array([0.6, 0.6])\n    b = -1.0\n"
                      "    return w, b\n"),

    # ---- train_two_inputs
    wrong("train_two_inputs", "np.sum(X.T * dz): the original bug", r"same update|np\.sum\(X\.T",
          _train(body=_STEP.replace("(X.T @ dz)", "np.sum(X.T * dz)"))),
    wrong("train_two_inputs", "no ReLU slope in dz", r"slope 𝟙|off|relu",
          _train(body=_STEP.replace(" * (z > 0)", ""))),
    wrong("train_two_inputs", "sign flipped", r"sign",
          _train(body=_STEP.replace("w - lr", "w + lr").replace("b - lr", "b + lr"))),
    wrong("train_two_inputs", "mean after the 1/n", r"too small|mean",
          _train(body=_STEP.replace("(X.T @ dz)", "np.mean(X.T * dz, axis=1)")
                 .replace("np.sum(dz)", "np.mean(dz)"))),
    wrong("train_two_inputs", "b with np.mean(dz)", r"b's steps",
          _train(body=_STEP.replace("np.sum(dz)", "np.mean(dz)"))),
    wrong("train_two_inputs", "return inside the loop", r"return.*inside|one step",
          "def train_two_inputs(X, y, lr, num_epochs):\n"
          "    w, b = np.array([0.5, 0.5]), 0.5\n"
          "    for epoch in range(num_epochs):\n" + _STEP + "        return w, b\n"),
    wrong("train_two_inputs", "one epoch too many", r"one epoch too many",
          _train(epochs="num_epochs + 1")),
    wrong("train_two_inputs", "used the notebook's X2, y2", r"X2|outside|argument",
          _train(body=_STEP.replace("X @", "X2 @").replace("X.T", "X2.T")
                 .replace("- y)", "- y2)").replace("len(y)", "len(y2)"))),
    wrong("train_two_inputs", "no 1/n", r"too big|n =|mean",
          _train(body=_STEP.replace(" / len(y)", ""))),
    wrong("train_two_inputs", "X.T * dz without a sum", r"shape",
          _train(body=_STEP.replace("(X.T @ dz)", "(X.T * dz)"))),
    wrong("train_two_inputs", "started from zeros", r"start|initial|0\.5",
          _train().replace("np.array([0.5, 0.5]), 0.5", "np.zeros(2), 0.0")),
    wrong("train_two_inputs", "swapped (b, w)", r"order|swap|\(w, b\)",
          _train(ret="b, w")),
    right("train_two_inputs", _train(body=_STEP.replace("(X.T @ dz)", "(dz @ X)"))),
    right("train_two_inputs", _train(body=_STEP.replace("(X.T @ dz)",
                                                        "np.sum(X * dz[:, None], axis=0)"))),
    right("train_two_inputs", _train(body=_STEP.replace("(z > 0)", "(y_hat > 0)"))),
    right("train_two_inputs", _train(ret="list(w), float(b)")),
]

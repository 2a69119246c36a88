"""Lesson 05 checks: a layer's forward pass, counting parameters, chaining layers.

Every check compares with the maths (``Z = X W + b`` with ``W`` of shape
``(n_in, n_out)``), never with the learner's own code.
"""

from __future__ import annotations

import numbers

import numpy as np

from ._core import Hint, call, check_all, close, register, report

__all__ = ["check_layer_forward", "check_count_parameters", "check_mlp_forward", "check_all"]

LESSON = "05"
register(LESSON, ["layer_forward", "count_parameters", "mlp_forward"])


def _shape_call(fn, X, *params, name):
    """Call ``fn``; turn NumPy's shape errors into a hint that names the shapes."""
    try:
        return call(fn, X, *params, name=name)
    except Hint as hint:
        text = str(hint)
        if "raised ValueError" in text and ("shape" in text or "align" in text
                                             or "mismatch" in text):
            shapes = f"X {np.shape(X)}, W {np.shape(params[0])}"
            raise Hint(f"shape error with {shapes}: nnlib stores W as (n_in, n_out), so a batch "
                       f"goes through as X @ W, (n, n_in) @ (n_in, n_out) -> (n, n_out). "
                       f"Did you write W @ X, or use W.T?") from None
        raise


def _as_float_array(out, what):
    try:
        return np.asarray(out, dtype=float)
    except (TypeError, ValueError):
        raise Hint(f"{what} should be a NumPy array of numbers, got {type(out).__name__}") from None


def _layer_case():
    rng = np.random.default_rng(5)
    X = rng.normal(size=(4, 3))
    W = rng.normal(size=(3, 2))
    b = np.array([0.5, -1.5])
    return X, W, b


def check_layer_forward(layer_forward) -> None:
    """``layer_forward(X, W, b)`` must return ``Z = X W + b``, shape (n, n_out)."""

    def run():
        X, W, b = _layer_case()
        want = X @ W + b
        got = _as_float_array(_shape_call(layer_forward, X, W, b, name="layer_forward"),
                              "layer_forward's result")
        if got.shape == want.T.shape and got.shape != want.shape:
            raise Hint(f"shape {got.shape} is transposed: each row of Z is one sample, so Z has "
                       f"shape (n, n_out) = {want.shape}; use X @ W + b")
        if got.shape != want.shape:
            raise Hint(f"expected shape (n, n_out) = {want.shape}, got {got.shape}")
        if close(got, X @ W):
            raise Hint("forgot the bias: add b (one number per neuron, broadcast over the rows)")
        if close(got, X @ W - b):
            raise Hint("the bias has the wrong sign: Z = X W + b")
        if close(got, np.maximum(want, 0)):
            raise Hint("you applied ReLU: a layer's linear part is just Z = X W + b; the "
                       "activation comes after, as its own step")
        if not close(got, want):
            raise Hint("the numbers differ from X @ W + b; remember W[i, j] joins input i to "
                       "neuron j")
        # a square W catches a transposed weight matrix that a non-square one turns into an error
        S = np.array([[1.0, 2.0], [-3.0, 0.5]])
        Xs, bs = X[:, :2], np.array([0.1, 0.2])
        got_s = _as_float_array(_shape_call(layer_forward, Xs, S, bs, name="layer_forward"),
                                "layer_forward's result")
        if close(got_s, Xs @ S.T + bs):
            raise Hint("you used W.T: in nnlib W has shape (n_in, n_out), so Z = X @ W + b "
                       "needs no transpose")
        if not close(got_s, Xs @ S + bs):
            raise Hint("right for one example, wrong for a square W: compute X @ W + b")
        return "A whole batch goes through a layer in one matrix product."

    report(LESSON, "layer_forward", run)


def _count(sizes):
    return sum(a * b + b for a, b in zip(sizes[:-1], sizes[1:], strict=True))


def check_count_parameters(count_parameters) -> None:
    """``count_parameters(sizes)``: Σ over layers of ``n_in·n_out`` weights + ``n_out`` biases."""

    def run():
        for sizes in ([4, 3], [2, 3, 1], [784, 16, 16, 10]):
            got = call(count_parameters, list(sizes), name="count_parameters")
            if isinstance(got, (list, tuple, np.ndarray)):
                raise Hint("return one number, the total over all layers (use sum)")
            if not isinstance(got, numbers.Real):
                raise Hint(f"expected a number, got {type(got).__name__}")
            want = _count(sizes)
            weights_only = sum(a * b for a, b in zip(sizes[:-1], sizes[1:], strict=True))
            if got == weights_only:
                raise Hint(f"for sizes {sizes} you counted only the weights ({got}): each neuron "
                           f"also has a bias, n_out per layer")
            if got == want + sizes[0]:
                raise Hint(f"for sizes {sizes} you gave the input layer biases too: inputs are "
                           f"data, not neurons, so they have no bias")
            if got == sum(a * b + a for a, b in zip(sizes[:-1], sizes[1:], strict=True)):
                raise Hint(f"for sizes {sizes}: a layer has n_out biases (one per neuron), "
                           f"not n_in")
            if got != want:
                raise Hint(f"for sizes {sizes} expected {want}, got {got}: a layer n_in → n_out "
                           f"has n_in·n_out weights and n_out biases")
        return (f"A 784→16→16→10 digit classifier already has {_count([784, 16, 16, 10]):,} "
                f"numbers to learn.")

    report(LESSON, "count_parameters", run)


def _mlp_case():
    rng = np.random.default_rng(11)
    X = rng.normal(size=(5, 3))
    params = [(rng.normal(size=(3, 4)), rng.normal(size=4)),
              (rng.normal(size=(4, 4)), rng.normal(size=4)),
              (rng.normal(size=(4, 2)), rng.normal(size=2))]
    return X, params


def _mlp(X, params, relu_last=False, relu_none=False):
    A = X
    for k, (W, b) in enumerate(params):
        A = A @ W + b
        last = k == len(params) - 1
        if not relu_none and (not last or relu_last):
            A = np.maximum(A, 0)
    return A


def check_mlp_forward(mlp_forward) -> None:
    """``mlp_forward(X, params)``: ``A ← relu(A W + b)`` per layer, no ReLU after the last one."""

    def run():
        X, params = _mlp_case()
        want = _mlp(X, params)
        try:
            got = call(mlp_forward, X, [(W.copy(), b.copy()) for W, b in params],
                       name="mlp_forward")
        except Hint as hint:
            if "raised ValueError" in str(hint):
                raise Hint(f"shape error: X is {X.shape} and the layers are "
                           f"{[W.shape for W, _ in params]}; each step is A @ W + b with W of "
                           f"shape (n_in, n_out)") from None
            raise
        got = _as_float_array(got, "mlp_forward's result")
        if got.shape != want.shape:
            raise Hint(f"expected shape (n, n_out of the last layer) = {want.shape}, got "
                       f"{got.shape}: did you loop over every (W, b) pair and return the last A?")
        if close(got, _mlp(X, params, relu_last=True)):
            raise Hint("you applied ReLU after the last layer too: the output layer stays linear "
                       "so it can give negative values")
        if close(got, _mlp(X, params, relu_none=True)):
            raise Hint("no ReLU between the layers: without it the layers collapse into one "
                       "linear map")
        if not close(got, want):
            raise Hint("the numbers differ: for each (W, b) compute A @ W + b, then ReLU unless "
                       "it is the last layer")
        return "Stacking layers is just a loop: the output of one layer is the input of the next."

    report(LESSON, "mlp_forward", run)

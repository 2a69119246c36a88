"""Lesson 05 exercises: a whole network's forward pass, counting parameters, two linear layers
collapse into one, and a network designed for XNOR.

Every check compares with the maths (``Z = X W + b`` with ``W`` of shape ``(n_in, n_out)``),
never with the learner's own code, and prints one line: ✓ with an insight or ✗ with a hint
that names the slip.
"""

from __future__ import annotations

import numbers

import numpy as np

from ._core import Exercise, Hint, array, call, check_all, close, fmt, ladder, register, report

__all__ = ["check_mlp_forward", "check_count_parameters", "check_collapse_linear",
           "check_xnor_weights", "check_all", "hint", "show_solution", "LESSON"]

LESSON = "05"
register(LESSON, [
    Exercise("mlp_forward", kind="implement",
             idea="A network is a loop over its layers: each layer's output is the next layer's "
                  "input. Every layer but the last is followed by a ReLU.",
             formula="A⁰ = X;  Zˡ = Aˡ⁻¹ Wˡ + bˡ;  Aˡ = max(0, Zˡ) for every layer but the last; "
                     "return the last Z."),
    Exercise("count_parameters", kind="derive",
             idea="Count one layer first: every edge between n_in inputs and n_out neurons is a "
                  "weight, and every neuron (not every input) has a bias. Then add up the layers.",
             formula="one layer: n_in·n_out + n_out;  total = Σ over consecutive pairs "
                     "(n_in, n_out) of sizes."),
    Exercise("collapse_linear", kind="derive",
             idea="Multiply out the brackets of (X W1 + b1) W2 + b2: one term has X in it, the "
                  "others do not. The term with X is the new weight, the rest is the new bias.",
             formula="(X W1 + b1) W2 + b2 = X (W1 W2) + (b1 W2 + b2), so W = W1 W2 and "
                     "b = b1 W2 + b2."),
    Exercise("xnor_weights", kind="design",
             idea="Compare XNOR's table with XOR's, row by row: how is each XNOR output related "
                  "to the XOR output? Which of the XOR network's layers already does the hard "
                  "part?",
             formula="XOR: ŷ = h₁ − 2h₂. So XNOR: ŷ = 1 − h₁ + 2h₂, i.e. W2 = [[−1], [2]], "
                     "b2 = [1]."),
])
hint, show_solution = ladder(LESSON)


# ---------------------------------------------------------------- exercise 1: mlp_forward

def _mlp_case():
    rng = np.random.default_rng(11)
    X = rng.normal(size=(5, 3))
    params = [(rng.normal(size=(3, 4)), rng.normal(size=4)),
              (rng.normal(size=(4, 4)), rng.normal(size=4)),
              (rng.normal(size=(4, 2)), rng.normal(size=2))]
    return X, params


def _mlp(X, params, relu_last=False, relu_none=False, relu_input=False):
    A = np.maximum(X, 0) if relu_input else X
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
        got = call(mlp_forward, X.copy(), [(W.copy(), b.copy()) for W, b in params],
                   name="mlp_forward")
        got = array(got, "mlp_forward's result")
        if got.shape != want.shape:
            after_one = _mlp(X, params[:1])
            if got.shape == after_one.shape and (close(got, after_one)
                                                 or close(got, np.maximum(after_one, 0))):
                raise Hint("you returned after the first layer: is `return` inside the loop? "
                           "Return once, after every (W, b) pair has been applied")
            if close(got, _mlp(X, params[:-1], relu_last=True)) or \
                    close(got, _mlp(X, params[:-1])):
                raise Hint("the last layer is missing: off by one in the loop? Apply every "
                           "(W, b) pair of params, first to last")
            raise Hint(f"expected shape (n, n_out of the last layer) = {fmt(want.shape)}, got "
                       f"{fmt(got.shape)}: loop over every (W, b) pair and return the last "
                       f"layer's output")
        if close(got, _mlp(X, params, relu_last=True)):
            raise Hint("you applied ReLU after the last layer too: the output layer stays linear "
                       "so it can give negative values")
        if close(got, _mlp(X, params, relu_none=True)):
            raise Hint("no ReLU between the layers: without it the layers collapse into one "
                       "linear map")
        if close(got, _mlp(X, params, relu_input=True)):
            raise Hint("you applied ReLU to the input X before the first layer: the activation "
                       "comes after a layer's X W + b, not before it")
        if not close(got, want):
            raise Hint("the numbers differ: for each (W, b) compute A @ W + b, then ReLU unless "
                       "it is the last layer")
        return "Stacking layers is just a loop: the output of one layer is the input of the next."

    report(LESSON, "mlp_forward", run)


# ---------------------------------------------------------------- exercise 2: count_parameters

def _count(sizes):
    return sum(a * b + b for a, b in zip(sizes[:-1], sizes[1:], strict=True))


def check_count_parameters(count_parameters) -> None:
    """``count_parameters(sizes)``: Σ over layers of ``n_in·n_out`` weights + ``n_out`` biases."""

    def run():
        for sizes in ([4, 3], [3, 4, 2], [784, 16, 16, 10]):
            got = call(count_parameters, list(sizes), name="count_parameters")
            if isinstance(got, (list, tuple, np.ndarray)):
                raise Hint(f"for sizes {fmt(sizes)} you returned {fmt(got)}, one value per "
                           f"layer: return one number, the total over all layers")
            if isinstance(got, bool) or not isinstance(got, numbers.Real):
                raise Hint(f"expected a number, got {type(got).__name__}")
            want = _count(sizes)
            pairs = list(zip(sizes[:-1], sizes[1:], strict=True))
            if got == want:
                continue
            if got == sum(a * b for a, b in pairs):
                raise Hint(f"for sizes {fmt(sizes)} you counted only the weights ({fmt(got)}): "
                           f"each neuron also has a bias, n_out per layer")
            if got == want + sizes[0]:
                raise Hint(f"for sizes {fmt(sizes)} you gave the input layer biases too: inputs "
                           f"are data, not neurons, so they have no bias")
            if got == sum(a * b + a for a, b in pairs):
                raise Hint(f"for sizes {fmt(sizes)}: a layer has n_out biases (one per neuron), "
                           f"not n_in")
            if got == sum(a * b + 1 for a, b in pairs):
                raise Hint(f"for sizes {fmt(sizes)} you gave each layer one bias: every neuron "
                           f"has its own bias, so a layer has n_out of them")
            if got == 0 and len(pairs) == 1:
                raise Hint(f"for sizes {fmt(sizes)} you returned 0, but that network has one "
                           f"layer, {fmt(sizes[0])} → {fmt(sizes[1])}: off by one in the loop? "
                           f"There are len(sizes) − 1 layers with weights")
            if len(pairs) > 1 and got == _count(sizes[:-1]):
                raise Hint(f"for sizes {fmt(sizes)} you left out the last layer "
                           f"({fmt(_count(sizes[-2:]))} parameters): off by one in the loop? "
                           f"There are len(sizes) − 1 layers with weights")
            if got == _count(sizes[:2]) and len(pairs) > 1:
                raise Hint(f"for sizes {fmt(sizes)} you counted only the first layer: add up "
                           f"every consecutive pair (n_in, n_out)")
            raise Hint(f"for sizes {fmt(sizes)} expected {fmt(want)}, got {fmt(got)}: a layer "
                       f"n_in → n_out has n_in·n_out weights and n_out biases")
        return (f"3Blue1Brown's 784→16→16→10 digit network already has "
                f"{_count([784, 16, 16, 10]):,} numbers to learn.")

    report(LESSON, "count_parameters", run)


# ---------------------------------------------------------------- exercise 3: collapse_linear

def _maybe(f, *args):
    """``f(*args)``, or None when the shapes do not allow it (a wrong answer that cannot occur)."""
    try:
        return f(*args)
    except (ValueError, TypeError):
        return None


def _collapse_cases():
    rng = np.random.default_rng(7)
    square = [rng.normal(size=(2, 2)), rng.normal(size=2), rng.normal(size=(2, 2)),
              rng.normal(size=2)]
    wide = [rng.normal(size=(3, 4)), rng.normal(size=4), rng.normal(size=(4, 2)),
            rng.normal(size=2)]
    return square, wide


def check_collapse_linear(collapse_linear) -> None:
    """``collapse_linear(W1, b1, W2, b2)`` must return ``(W1 W2, b1 W2 + b2)``."""

    def run():
        for W1, b1, W2, b2 in _collapse_cases():
            out = call(collapse_linear, W1.copy(), b1.copy(), W2.copy(), b2.copy(),
                       name="collapse_linear")
            if not isinstance(out, (tuple, list)) or len(out) != 2:
                raise Hint(f"return two things, (W, b); got {fmt(out)}")
            n_in, n_out = W1.shape[0], W2.shape[1]
            W = array(out[0], "W (the first thing you return)")
            b = array(out[1], "b (the second thing you return)")
            if W.shape == (n_out,) and b.shape == (n_in, n_out):
                raise Hint("you returned (b, W): return W first, then b")
            W = array(W, "W", shape=(n_in, n_out))
            b = array(b, "b", shape=(n_out,))
            want_W, want_b = W1 @ W2, b1 @ W2 + b2
            if not close(W, want_W):
                if close(W, _maybe(np.matmul, W2, W1)):
                    raise Hint("W is W2 @ W1, the wrong order: X meets W1 first, so "
                               "X W1 W2 = X (W1 @ W2)")
                if close(W, _maybe(np.multiply, W1, W2)):
                    raise Hint("W is W1 * W2, element by element: a layer after a layer is the "
                               "matrix product, W1 @ W2")
                if close(W, W1) or close(W, W2) or close(W, _maybe(np.matmul, W1, W2.T)):
                    raise Hint("W is off: W1 and W2 both act on X, one after the other, and "
                               "multiplying out X W1 W2 needs no transpose")
                raise Hint(f"W is off: multiply out (X W1 + b1) W2 and collect the term that "
                           f"contains X; for these inputs W should be {fmt(want_W)}")
            # X = 0 gives the bias: compare against the maths
            if close(b, _maybe(np.add, b1, b2)):
                raise Hint("b = b1 + b2 forgets that b1 also goes through the second layer: "
                           "(X W1 + b1) W2 contains the term b1 W2")
            if close(b, b2):
                raise Hint("b = b2 leaves out b1: multiplying out (X W1 + b1) W2 gives a term "
                           "b1 W2 without X, which belongs to the bias")
            if close(b, b1 @ W2):
                raise Hint("b is b1 @ W2 but the second layer's own bias b2 is missing")
            if close(b, b1 @ W2 - b2) or close(b, -(b1 @ W2) + b2):
                raise Hint("a sign is flipped in b: both terms are added, b = b1 W2 + b2")
            if not close(b, want_b):
                raise Hint(f"b is off: for X = 0 the two layers give b1 W2 + b2 = "
                           f"{fmt(want_b)}, got {fmt(b)}")
        return ("Two linear layers are one linear layer with W = W1 W2: without an activation "
                "between them, depth adds nothing.")

    report(LESSON, "collapse_linear", run)


# ---------------------------------------------------------------- exercise 4: xnor_weights

_CORNERS = np.array([[0.0, 0.0], [0.0, 1.0], [1.0, 0.0], [1.0, 1.0]])
_XNOR = np.array([1.0, 0.0, 0.0, 1.0])


def check_xnor_weights(xnor_weights) -> None:
    """``xnor_weights()`` → a 2 → 2 → 1 ReLU network with output within 0.1 of XNOR."""

    def run():
        out = call(xnor_weights, name="xnor_weights")
        if not isinstance(out, (tuple, list)) or len(out) != 4:
            raise Hint(f"return four things, (W1, b1, W2, b2); got {fmt(out)}")
        W1 = array(out[0], "W1", shape=(2, 2))
        b1 = array(out[1], "b1", shape=(2,))
        W2 = array(out[2], "W2", shape=(2, 1))
        b2 = array(np.ravel(out[3]) if np.size(out[3]) == 1 else out[3], "b2", shape=(1,))
        H = np.maximum(_CORNERS @ W1 + b1, 0.0)
        y_hat = (H @ W2 + b2)[:, 0]
        if np.all(np.abs(y_hat - _XNOR) <= 0.1):
            return ("XNOR is 1 − XOR: the same hidden layer, an output layer with flipped "
                    "weights and bias 1. Hidden features can be reused for a new answer.")
        if np.all(np.abs(y_hat - (1 - _XNOR)) <= 0.1):
            raise Hint("your network computes XOR (1 when the inputs differ): XNOR is the "
                       "opposite, 1 − XOR. Which weights and bias turn ŷ into 1 − ŷ?")
        if np.allclose(y_hat, y_hat[0]):
            raise Hint(f"your network gives {fmt(round(float(y_hat[0]), 4))} on every corner: "
                       f"the hidden units must respond differently to the corners (look at "
                       f"h = relu(X W1 + b1) for each one)")
        if np.allclose(b1, 0) and np.allclose(W1[:, 0], W1[:, 1]):
            raise Hint("both hidden units are the same: give them different biases, so one "
                       "switches on later than the other (as in the XOR network)")
        shown = fmt(np.round(y_hat, 3))
        raise Hint(f"on the corners (0, 0), (0, 1), (1, 0), (1, 1) your network gives {shown}; "
                   f"XNOR wants [1, 0, 0, 1] (each within 0.1)")

    report(LESSON, "xnor_weights", run)

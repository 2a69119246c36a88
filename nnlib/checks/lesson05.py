"""Lesson 05 exercises: a whole network's forward pass, counting parameters, two linear layers
collapse into one, and a network designed for XNOR.

Every check compares with the maths (``Z = X W + b`` with ``W`` of shape ``(n_in, n_out)``),
never with the learner's own code, and prints one line: ✓ with an insight or ✗ with a hint
that names the slip.
"""

from __future__ import annotations

import numbers

import numpy as np

from . import _diagnose as _d
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

def _mlp_cases():
    """Three networks: the worked one (3 layers), one layer alone, and 5 → 1 → 3 with large
    and small values (every regime: negative, in (0, 1), large; a hidden width of 1)."""
    rng = np.random.default_rng(11)
    X = rng.normal(size=(5, 3))
    three = [(rng.normal(size=(3, 4)), rng.normal(size=4)),
             (rng.normal(size=(4, 4)), rng.normal(size=4)),
             (rng.normal(size=(4, 2)), rng.normal(size=2))]
    one = [(rng.normal(size=(2, 3)), rng.normal(size=3))]
    X1 = rng.uniform(-1, 1, size=(4, 2))
    narrow = [(rng.normal(size=(5, 1)) * 10, rng.uniform(0, 1, size=1)),
              (rng.normal(size=(1, 3)), rng.normal(size=3) * 0.1)]
    X2 = np.concatenate([rng.uniform(0, 1, size=(4, 5)), -50 * rng.uniform(size=(3, 5))])
    return [("the lesson's 3-layer network", X, three),
            ("a network of one layer, params = [(W, b)]", X1, one),
            ("a 5 → 1 → 3 network", X2, narrow)]


def _mlp(X, params, relu_last=False, relu_none=False, relu_input=False, act=None,
         bias_inside=False):
    act = act or (lambda z: np.maximum(z, 0))
    A = act(X) if relu_input else X
    for k, (W, b) in enumerate(params):
        A = A @ (W + b) if bias_inside else A @ W + b
        last = k == len(params) - 1
        if not relu_none and (not last or relu_last) and not relu_input:
            A = act(A)
        elif relu_input and not last:
            A = act(A)
    return A


_MLP_SLIPS = [
    (dict(relu_last=True), "you applied ReLU after the last layer too: the output layer stays "
                           "linear so it can give negative values"),
    (dict(relu_none=True), "no ReLU between the layers: without it the layers collapse into one "
                           "linear map"),
    (dict(relu_input=True), "you applied ReLU to the input X before the first layer: the "
                            "activation comes after a layer's X W + b, not before it"),
    (dict(act=lambda z: 1 / (1 + np.exp(-z))), "your hidden layers use the sigmoid 1/(1 + e⁻ᶻ): "
                                                "this network's activation is ReLU, "
                                                "np.maximum(Z, 0)"),
    (dict(act=np.tanh), "your hidden layers use tanh: this network's activation is ReLU, "
                        "np.maximum(Z, 0)"),
    (dict(bias_inside=True), "you added the bias to W before the product, A @ (W + b): the "
                             "bias is added after it, A @ W + b"),
]


def check_mlp_forward(mlp_forward) -> None:
    """``mlp_forward(X, params)``: ``A ← relu(A W + b)`` per layer, no ReLU after the last one;
    checked on a 3-layer, a 1-layer and a 5 → 1 → 3 network, on copies of the inputs."""

    def run():
        results = []
        for k, (desc, X, params) in enumerate(_mlp_cases()):
            where = "" if k == 0 else f"for {desc}: "
            try:
                got = _d.run(mlp_forward, X, params, name="mlp_forward",
                             verify=lambda f, X=X, params=params: close(
                                 f(X.copy(), [(W.copy(), b.copy()) for W, b in params]),
                                 _mlp(X, params)))
                got = array(got, "mlp_forward's result")
            except Hint as hint:
                raise Hint(f"{where}{hint}") from None
            want = _mlp(X, params)
            if got.shape != want.shape:
                after_one = _mlp(X, params[:1])
                if got.shape == after_one.shape and len(params) > 1 and (
                        close(got, after_one) or close(got, np.maximum(after_one, 0))):
                    raise Hint("you returned after the first layer: is `return` inside the "
                               "loop? Return once, after every (W, b) pair has been applied")
                if len(params) > 1 and (close(got, _mlp(X, params[:-1], relu_last=True))
                                        or close(got, _mlp(X, params[:-1]))):
                    raise Hint("the last layer is missing: off by one in the loop? Apply every "
                               "(W, b) pair of params, first to last")
                raise Hint(f"{where}expected shape (n, n_out of the last layer) = "
                           f"{fmt(want.shape)}, got {fmt(got.shape)}: loop over every (W, b) "
                           f"pair and return the last layer's output")
            results.append(((X, params), got))
        if all(close(got, _mlp(*case)) for case, got in results):
            return ("Stacking layers is just a loop: the output of one layer is the input of "
                    "the next (checked on networks of 3, 1 and 2 layers).")
        for kwargs, text in _MLP_SLIPS:
            if _d.explains(lambda case, kw=kwargs: _mlp(*case, **kw), results):
                raise Hint(text)
        names = _d.code_names(mlp_forward)
        if "max" in names and "maximum" not in names:
            raise Hint("np.max(A, 0) is the largest entry along axis 0 (a reduction), not a "
                       "ReLU: the element-wise one is np.maximum(A, 0)")
        for k, ((X, params), got) in enumerate(results):
            want = _mlp(X, params)
            if not close(got, want):
                desc = _mlp_cases()[k][0]
                i, j = np.unravel_index(np.argmax(np.abs(got - want)), want.shape)
                raise Hint(f"for {desc}, entry [{i}, {j}] is {fmt(round(float(got[i, j]), 4))}, "
                           f"expected {fmt(round(float(want[i, j]), 4))}: for each (W, b) "
                           f"compute A @ W + b, then ReLU unless it is the last layer")
        raise Hint("the numbers differ")

    report(LESSON, "mlp_forward", run)


# ---------------------------------------------------------------- exercise 2: count_parameters

def _count(sizes):
    return sum(a * b + b for a, b in zip(sizes[:-1], sizes[1:], strict=True))


_SIZES = ([4, 3], [3, 4, 2], [784, 16, 16, 10], [1, 1], [13, 1, 6, 3], [2, 50, 50, 50, 1])


def _pairs(s):
    return list(zip(s[:-1], s[1:], strict=True))


_COUNT_SLIPS = [
    (lambda s: sum(a * b for a, b in _pairs(s)),
     "you counted only the weights: each neuron also has a bias, n_out per layer"),
    (lambda s: _count(s) + s[0],
     "you gave the input layer biases too: inputs are data, not neurons, so they have no bias"),
    (lambda s: sum(a * b + a for a, b in _pairs(s)),
     "a layer has n_out biases (one per neuron), not n_in"),
    (lambda s: sum(a * b + 1 for a, b in _pairs(s)),
     "you gave each layer one bias: every neuron has its own bias, so a layer has n_out of them"),
    (lambda s: _count(s[:-1]),
     "you left out the last layer: off by one in the loop? There are len(sizes) − 1 layers "
     "with weights"),
    (lambda s: _count(s[:-1]) if len(s) > 2 else _count(s),
     "you left out the last layer of every network with more than one layer: off by one? "
     "There are len(sizes) − 1 layers with weights, the last one included"),
    (lambda s: _count(s[1:]),
     "you left out the first layer (its n_in·n_out weights and n_out biases): off by one in the "
     "loop? The layers are the pairs (sizes[i], sizes[i + 1]) for i = 0 … len(sizes) − 2"),
    (lambda s: _count(s[:2]),
     "you counted only the first layer: add up every consecutive pair (n_in, n_out)"),
    (lambda s: int(np.prod(s)) + sum(s[1:]),
     "you multiplied all the sizes together: the weights are counted layer by layer, "
     "n_in·n_out for each consecutive pair, then added"),
    (lambda s: int(np.prod(s)),
     "you multiplied all the sizes together: count each layer, n_in·n_out weights plus n_out "
     "biases, then add the layers"),
]


def check_count_parameters(count_parameters) -> None:
    """``count_parameters(sizes)``: Σ over layers of ``n_in·n_out`` weights + ``n_out`` biases,
    on six networks (one layer, widths of 1, deep ones), on copies of the list."""

    def run():
        results = []
        for sizes in _SIZES:
            got = _d.run(count_parameters, list(sizes), name="count_parameters")
            if isinstance(got, (list, tuple, np.ndarray)) and np.ndim(got) > 0:
                raise Hint(f"for sizes {fmt(sizes)} you returned {fmt(got)}, one value per "
                           f"layer: return one number, the total over all layers")
            if isinstance(got, (bool, np.bool_)) or not isinstance(got, (numbers.Real,
                                                                          np.ndarray)):
                raise Hint(f"expected a number, got {fmt(got)}")
            got = float(got)
            results.append((sizes, got))
        wrong = [(s, g) for s, g in results if g != _count(s)]
        if not wrong:
            return (f"3Blue1Brown's 784→16→16→10 digit network already has "
                    f"{_count([784, 16, 16, 10]):,} numbers to learn.")
        sizes, got = wrong[0]
        for candidate, text in _COUNT_SLIPS:
            if _d.explains(candidate, results):
                raise Hint(f"for sizes {fmt(sizes)} you returned {fmt(got)}: {text}")
        if got == 0 and len(sizes) == 2:
            raise Hint(f"for sizes {fmt(sizes)} you returned 0, but that network has one "
                       f"layer, {fmt(sizes[0])} → {fmt(sizes[1])}: off by one in the loop? "
                       f"There are len(sizes) − 1 layers with weights")
        raise Hint(f"for sizes {fmt(sizes)} expected {fmt(_count(sizes))}, got {fmt(got)}: a "
                   f"layer n_in → n_out has n_in·n_out weights and n_out biases")

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
    narrow = [rng.uniform(-20, 20, size=(3, 1)), rng.uniform(0, 1, size=1),
              rng.uniform(0, 1, size=(1, 5)), rng.normal(size=5)]
    return square, wide, narrow


def check_collapse_linear(collapse_linear) -> None:
    """``collapse_linear(W1, b1, W2, b2)`` must return ``(W1 W2, b1 W2 + b2)``; three shapes
    (square, 3 → 4 → 2, 3 → 1 → 5), on copies of the inputs."""

    def run():
        for W1, b1, W2, b2 in _collapse_cases():
            out = _d.run(collapse_linear, W1, b1, W2, b2, name="collapse_linear")
            if isinstance(out, np.ndarray) or not isinstance(out, (tuple, list)) \
                    or len(out) != 2:
                raise Hint(f"return two things, (W, b); got {fmt(out)}")
            n_in, n_out = W1.shape[0], W2.shape[1]
            W = array(out[0], "W (the first thing you return)")
            b = array(out[1], "b (the second thing you return)")
            if W.shape == (n_out,) and b.shape == (n_in, n_out):
                raise Hint("you returned (b, W): return W first, then b")
            want_W, want_b = W1 @ W2, b1 @ W2 + b2
            if W.shape == want_W.shape and not close(W, want_W) or W.shape != want_W.shape:
                if close(W, _maybe(np.matmul, W2, W1)):
                    raise Hint("W is W2 @ W1, the wrong order: X meets W1 first, so "
                               "X W1 W2 = X (W1 @ W2)")
                if close(W, _maybe(np.multiply, W1, W2)):
                    raise Hint("W is W1 * W2, element by element: a layer after a layer is the "
                               "matrix product, W1 @ W2")
                if close(W, _maybe(np.matmul, W1, W2.T)) or close(W, _maybe(np.matmul, W1.T,
                                                                              W2)):
                    raise Hint("W has a transpose in it: W1 and W2 both act on X, one after "
                               "the other, and multiplying out X W1 W2 needs no transpose")
                W = array(W, "W", shape=(n_in, n_out))
                raise Hint(f"W is off: multiply out (X W1 + b1) W2 and collect the term that "
                           f"contains X; for these inputs W should be {fmt(want_W)}, got "
                           f"{fmt(W)}")
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
            if close(b, _maybe(lambda x, y, z: y @ x + z, b1, W2, b2)):
                raise Hint("b uses W2 @ b1, the other order: b1 is a row like a row of X, so it "
                           "meets W2 from the left, b1 @ W2 + b2")
            if close(b, _maybe(lambda x, y, z: x @ y.T + z, b1, W2, b2)):
                raise Hint("b has a transpose in it: b1 goes through W2 exactly as a row of "
                           "X W1 does, b1 @ W2 + b2")
            b = array(b, "b", shape=(n_out,))
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
            return (f"Your network gives {fmt(np.round(y_hat, 3))} on the corners (0, 0), "
                    f"(0, 1), (1, 0), (1, 1), each within 0.1 of XNOR's [1, 0, 0, 1]. XNOR is "
                    f"1 − XOR, so the XOR network's hidden layer also works with flipped "
                    f"output weights and bias 1: hidden features can be reused.")
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

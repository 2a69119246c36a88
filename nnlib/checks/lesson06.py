"""Lesson 06 checks: backprop by hand, a Dense layer's backward pass, a neuron in ``Value``.

Answers are compared with the maths: hand-derived derivatives, and for the
layer the numerical gradient of ``L = Σ (X W + b) ⊙ dY`` (whose ``∂L/∂Z`` is ``dY``)
through :func:`nnlib.calculus.gradcheck`.
"""

from __future__ import annotations

import math
import numbers

import numpy as np

from ..calculus import gradcheck
from ..engine import Value
from ._core import Hint, call, check_all, close, register, report

__all__ = ["check_backprop_by_hand", "check_dense_backward", "check_value_neuron", "check_all"]

LESSON = "06"
register(LESSON, ["backprop_by_hand", "dense_backward", "value_neuron"])


def _numbers(out, n, what):
    if not isinstance(out, (tuple, list)) or len(out) != n:
        raise Hint(f"return a tuple of {n} values {what}, got {type(out).__name__}"
                   + (f" of length {len(out)}" if isinstance(out, (tuple, list)) else ""))
    return out


def check_backprop_by_hand(backprop_by_hand) -> None:
    """``L = (a·b + c)·f``: ``(∂L/∂a, ∂L/∂b, ∂L/∂c, ∂L/∂f) = (f·b, f·a, f, a·b + c)``."""

    def run():
        for a, b, c, f in ((2.0, -3.0, 10.0, -2.0), (1.5, 0.5, -1.0, 3.0)):
            got = _numbers(call(backprop_by_hand, a, b, c, f, name="backprop_by_hand"), 4,
                           "(dL_da, dL_db, dL_dc, dL_df)")
            if not all(isinstance(g, numbers.Real) for g in got):
                raise Hint("each gradient should be a plain number")
            da, db, dc, df = got
            want = (f * b, f * a, f, a * b + c)
            if not math.isclose(df, want[3]):
                if math.isclose(df, a * b):
                    raise Hint("∂L/∂f is d = a·b + c, the other factor of L = d·f: you left out c")
                raise Hint(f"∂L/∂f should be the other factor of L = d·f, d = a·b + c = "
                           f"{want[3]:g}; got {df:g}")
            if not math.isclose(dc, want[2]):
                if math.isclose(dc, 1.0):
                    raise Hint("∂L/∂c: the local slope ∂d/∂c is 1, but the chain rule multiplies "
                               "it by the gradient arriving from above, ∂L/∂d = f")
                raise Hint(f"∂L/∂c = ∂L/∂d · ∂d/∂c = f · 1 = {f:g}; got {dc:g}")
            if math.isclose(da, f * a) and math.isclose(db, f * b) and a != b:
                raise Hint("∂L/∂a and ∂L/∂b are swapped: ∂(a·b)/∂a = b, the *other* factor")
            if math.isclose(da, b) and math.isclose(db, a):
                raise Hint("∂L/∂a and ∂L/∂b: you have the local slopes (b and a) but forgot to "
                           "multiply by the gradient from above, ∂L/∂e = f")
            for name, g, w in (("∂L/∂a", da, want[0]), ("∂L/∂b", db, want[1])):
                if not math.isclose(g, w):
                    raise Hint(f"{name} for a={a:g}, b={b:g}, c={c:g}, f={f:g} should be {w:g}, "
                               f"got {g:g}: multiply the local slope by ∂L/∂e = f")
        return "Each gradient is (gradient from above) × (local slope): that is all backprop does."

    report(LESSON, "backprop_by_hand", run)


def _dense_case():
    rng = np.random.default_rng(6)
    X = rng.normal(size=(5, 3))
    W = rng.normal(size=(3, 2))
    b = rng.normal(size=2)
    dY = rng.normal(size=(5, 2))
    return X, W, b, dY


def check_dense_backward(dense_backward) -> None:
    """``dense_backward(X, W, dY)`` must return ``(Xᵀ dY, Σ_rows dY, dY Wᵀ)`` (gradcheck)."""

    def run():
        X, W, b, dY = _dense_case()
        n = X.shape[0]
        got = _numbers(call(dense_backward, X.copy(), W.copy(), dY.copy(), name="dense_backward"),
                       3, "(dW, db, dX)")
        try:
            dW, db, dX = (np.asarray(g, dtype=float) for g in got)
        except (TypeError, ValueError):
            raise Hint("dW, db and dX should be NumPy arrays of numbers") from None
        if not all(np.all(np.isfinite(g)) for g in (dW, db, dX)):
            raise Hint("some gradients are NaN or infinite: look for a division by zero")
        if dW.shape != W.shape:
            raise Hint(f"dW has shape {dW.shape} but W has shape {W.shape}: dW has the shape of W: "
                       f"use X.T @ dY, (n_in, n) @ (n, n_out)")
        if db.shape == dY.shape:
            raise Hint(f"db has shape {db.shape}: forgot to sum db over the batch "
                       f"(dY.sum(axis=0), shape {b.shape})")
        if db.shape != b.shape:
            raise Hint(f"db should have the shape of b, {b.shape}: dY.sum(axis=0); "
                       f"got {db.shape}")
        if dX.shape != X.shape:
            raise Hint(f"dX has shape {dX.shape} but X has shape {X.shape}: dX has the shape of X: "
                       f"use dY @ W.T")

        # L = Σ (X W + b) ⊙ dY has ∂L/∂Z = dY: compare with its numerical gradient
        def loss(X_=X, W_=W, b_=b):
            return float(np.sum((X_ @ W_ + b_) * dY))

        if not gradcheck(lambda W_: loss(W_=W_), dW, W):
            if close(dW, -(X.T @ dY)):
                raise Hint("dW has the sign flipped: dW = X.T @ dY")
            if close(dW, X.T @ dY / n):
                raise Hint(f"dW is {n}× too small: no division by n here (dY already holds "
                           f"any 1/n from the loss)")
            raise Hint("dW disagrees with the numerical gradient: dW = X.T @ dY")
        if not gradcheck(lambda b_: loss(b_=b_), db, b):
            if close(db, dY.mean(axis=0)):
                raise Hint(f"db is {n}× too small: sum dY over the batch, don't average")
            raise Hint("db disagrees with the numerical gradient: db = dY.sum(axis=0)")
        if not gradcheck(lambda X_: loss(X_=X_), dX, X):
            raise Hint("dX disagrees with the numerical gradient: dX = dY @ W.T")
        return ("dW = Xᵀ dY, db = Σ dY, dX = dY Wᵀ: each gradient has the shape of what it "
                "belongs to.")

    report(LESSON, "dense_backward", run)


def check_value_neuron(value_neuron) -> None:
    """``value_neuron(xs, ws, b)`` must return the ``Value`` ``tanh(Σ wᵢ xᵢ + b)``."""

    def run():
        cases = (([2.0, 0.0], [-3.0, 1.0], 6.8813735870195432),
                 ([0.5, -1.0, 2.0], [0.4, 0.3, -0.2], 0.1))
        for x_data, w_data, b_data in cases:
            xs = [Value(v) for v in x_data]
            ws = [Value(v) for v in w_data]
            b = Value(b_data)
            out = call(value_neuron, xs, ws, b, name="value_neuron")
            if isinstance(out, numbers.Real):
                raise Hint("returned a plain number: return the Value itself (not .data), so "
                           "backward() can reach the inputs")
            if not isinstance(out, Value):
                raise Hint(f"expected a Value, got {type(out).__name__}")
            n = sum(w * x for w, x in zip(w_data, x_data, strict=True)) + b_data
            t = math.tanh(n)
            if not math.isclose(out.data, t, abs_tol=1e-9):
                if math.isclose(out.data, n, abs_tol=1e-9):
                    raise Hint("forgot the activation: return (Σ wᵢ xᵢ + b).tanh()")
                if math.isclose(out.data, math.tanh(n - b_data), abs_tol=1e-9):
                    raise Hint("forgot the bias b inside the tanh")
                raise Hint(f"for x={x_data}, w={w_data}, b={b_data:g} expected "
                           f"tanh({n:.4f}) = {t:.4f}, got {out.data:.4f}")
            out.backward()
            want_w = [(1 - t * t) * x for x in x_data]
            got_w = [w.grad for w in ws]
            if all(g == 0 for g in got_w + [b.grad]):
                raise Hint("the gradients stay 0: build the output from the Value objects with "
                           "their operators (w * x, +, .tanh()), not from their .data numbers")
            if not (close(got_w, want_w) and math.isclose(b.grad, 1 - t * t)):
                raise Hint("the forward value is right but the gradients are not: use only Value "
                           "operations, so every step is recorded in the graph")
        return "Value recorded every operation, so backward() found all the gradients for you."

    report(LESSON, "value_neuron", run)

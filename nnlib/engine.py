"""Lesson 06: a scalar autograd engine (after Karpathy's micrograd).

Every operation builds an output ``Value`` and a ``_backward`` closure that
applies the chain rule locally (``u``, ``v`` are the operation's inputs):

    out = f(u, v)      u.grad += ∂out/∂u · out.grad      v.grad += ∂out/∂v · out.grad

``backward()`` visits the graph in reverse topological order, so each node's
gradient is complete before it is passed on. Gradients *accumulate* (``+=``)
because a value used twice receives a contribution from each use.

Calling ``backward()`` again follows PyTorch: the *leaves* (values not computed from
other values: inputs, weights, constants) add the new gradient to the one they hold,
while every computed value's ``.grad`` is recomputed from scratch. So two calls give
each leaf exactly twice its gradient; ``zero_grad()`` resets the leaves.

Arithmetic follows floating point: a result too large for a float is ``inf`` (as
``1e200 * 1e200`` is), whichever operation produces it. Inputs where an operation
or its derivative is undefined (``0 ** -1``, ``x / 0``, ``log 0``) raise an error at
that operation, naming it, never later inside ``backward()``.
"""

from __future__ import annotations

import math
import numbers


def _power(x: float, k: float) -> float:
    """``x ** k`` as floating point does it: ``±inf`` when the result is too large.

    Python's own ``**`` raises ``OverflowError`` there, while ``*`` returns inf.
    The caller makes sure ``x ** k`` is real and does not divide by zero.
    """
    try:
        return x ** k
    except OverflowError:  # |x ** k| > 1.8e308; negative only for x < 0 and an odd k
        odd = float(k).is_integer() and int(k) % 2 == 1
        return -math.inf if x < 0 and odd else math.inf


class Value:
    """A number that remembers how it was computed, so it can be differentiated.

    ``.data`` holds the number, ``.grad`` holds ``∂L/∂(this value)`` after
    ``L.backward()``. Leaves (values you create) accumulate gradients over
    repeated ``backward()`` calls; see :meth:`backward`.
    """

    __slots__ = ("data", "grad", "_backward", "_prev", "_op", "label")

    def __init__(self, data, _children=(), _op: str = "", label: str = ""):
        if isinstance(data, Value):
            raise TypeError("Value(...) got a Value; use it directly instead of wrapping it")
        if isinstance(data, bool) or not isinstance(data, numbers.Real):
            raise TypeError(f"Value holds a single real number, got {type(data).__name__}")
        try:
            self.data = float(data)
        except OverflowError:  # a Python int beyond the float range
            digits = int(data.bit_length() * 0.30103) + 1
            raise OverflowError(f"Value got a whole number with about {digits} digits, too "
                                f"large for a float (the largest is about 1.8e308)") from None
        self.grad = 0.0
        self._backward = lambda: None
        self._prev = tuple(_children)
        self._op = _op
        self.label = label

    @staticmethod
    def _wrap(other):
        return other if isinstance(other, Value) else Value(other)

    def __add__(self, other):
        """``u + v``, with ``∂/∂u = ∂/∂v = 1``; a plain number is wrapped in a ``Value``."""
        other = self._wrap(other)
        out = Value(self.data + other.data, (self, other), "+")

        def _backward():  # ∂(u+v)/∂u = 1, ∂(u+v)/∂v = 1
            self.grad += out.grad
            other.grad += out.grad
        out._backward = _backward
        return out

    def __mul__(self, other):
        """``u · v``, with ``∂/∂u = v`` and ``∂/∂v = u``; a plain number becomes a ``Value``."""
        other = self._wrap(other)
        out = Value(self.data * other.data, (self, other), "*")

        def _backward():  # ∂(uv)/∂u = v, ∂(uv)/∂v = u
            self.grad += other.data * out.grad
            other.grad += self.data * out.grad
        out._backward = _backward
        return out

    def __pow__(self, k):
        """``u ** k`` for a plain number ``k``, with ``∂/∂u = k u^(k−1)``; returns a new ``Value``.

        A negative ``u`` needs a whole-number ``k`` (``ValueError``); ``0 ** k`` with
        ``k < 0`` divides by zero (``ZeroDivisionError``). A result too large for a
        float is ``±inf``. At ``u = 0``: the derivative is 0 for ``k = 0``, and ``inf``
        for ``0 < k < 1`` (the slope of ``√u`` at 0 is vertical).
        """
        if not isinstance(k, numbers.Real) or isinstance(k, bool):
            raise TypeError("only a plain number exponent is supported: "
                            "Value ** 2, not Value ** Value")
        k = float(k)
        x = self.data
        if x < 0 and not k.is_integer():
            raise ValueError(f"({x:g}) ** {k:g} is not a real number: "
                             f"a negative base needs a whole-number exponent")
        if x == 0 and k < 0:
            raise ZeroDivisionError(f"0 ** {k:g} divides by zero: a Value whose data is 0 "
                                    f"cannot be raised to a negative power")
        out = Value(_power(x, k), (self,), f"**{k:g}")

        def _backward():  # ∂(x^k)/∂x = k x^(k-1)
            if k == 0 or out.grad == 0:  # x^0 = 1 is constant; nothing flows back
                return
            if x == 0 and k < 1:  # 0 < k < 1: x^(k-1) = 1/x^(1-k) is infinite at 0
                slope = math.inf
            else:
                slope = k * _power(x, k - 1)
            self.grad += slope * out.grad
        out._backward = _backward
        return out

    def relu(self):
        """``relu(u) = max(0, u)``, with ``∂/∂u = 1 if u > 0 else 0``; returns a new ``Value``."""
        out = Value(self.data if self.data > 0 else 0.0, (self,), "relu")

        def _backward():  # 1 where the input was positive, else 0
            self.grad += (out.data > 0) * out.grad
        out._backward = _backward
        return out

    def tanh(self):
        """``tanh(u)``, with ``∂/∂u = 1 − tanh(u)²``; returns a new ``Value``."""
        t = math.tanh(self.data)
        out = Value(t, (self,), "tanh")

        def _backward():  # tanh' = 1 - tanh²
            self.grad += (1 - t * t) * out.grad
        out._backward = _backward
        return out

    def sigmoid(self):
        """``σ(u) = 1 / (1 + e^{−u})`` (computed without overflow), ``∂/∂u = σ(u) (1 − σ(u))``."""
        x = self.data
        s = 1 / (1 + math.exp(-x)) if x >= 0 else math.exp(x) / (1 + math.exp(x))
        out = Value(s, (self,), "sigmoid")

        def _backward():  # σ' = σ (1 - σ)
            self.grad += s * (1 - s) * out.grad
        out._backward = _backward
        return out

    def exp(self):
        """``e^u``, with ``∂/∂u = e^u``; ``inf`` when e^u is too large for a float (u > 709.78)."""
        try:
            e = math.exp(self.data)
        except OverflowError:  # as 1e200 * 1e200: too large is inf, not an error
            e = math.inf
        out = Value(e, (self,), "exp")

        def _backward():  # (e^u)' = e^u
            self.grad += e * out.grad
        out._backward = _backward
        return out

    def log(self):
        """Natural log ``ln u`` for ``u > 0`` (else ``ValueError``), with ``∂/∂u = 1 / u``."""
        if self.data <= 0:
            raise ValueError(f"log is only defined for positive numbers, got {self.data:g}")
        out = Value(math.log(self.data), (self,), "log")

        def _backward():  # (ln u)' = 1 / u
            self.grad += out.grad / self.data
        out._backward = _backward
        return out

    def _graph(self) -> list:
        """Every value this one depends on (itself included), children before parents."""
        topo, visited = [], set()
        stack = [(self, False)]
        while stack:
            node, children_done = stack.pop()
            if children_done:
                topo.append(node)
                continue
            if id(node) in visited:
                continue
            visited.add(id(node))
            stack.append((node, True))
            for child in node._prev:
                if id(child) not in visited:
                    stack.append((child, False))
        return topo

    def backward(self):
        """Backpropagate from this value: afterwards ``v.grad = ∂self/∂v`` for every ``v`` it uses.

        Starts from ``∂self/∂self = 1`` and visits the graph in reverse topological
        order, each operation adding ``local slope × out.grad`` to its inputs.

        Calling it again works as in PyTorch: the gradient of every *computed*
        value (this one included) is recomputed from scratch, while every *leaf*
        (a value not computed from others: inputs, weights, constants) **adds** the
        new gradient to what it already holds. So ``x = Value(2.0); z = x * 3 * 4``
        then ``z.backward(); z.backward()`` leaves ``x.grad == 24``: twice 12.
        Call :meth:`zero_grad` (or set ``.grad = 0``) to start the leaves afresh,
        as every training step does.

        The topological order is built with an explicit stack rather than
        recursion, so a chain of 10,000 operations is fine.
        """
        topo = self._graph()
        for node in topo:
            if node._prev:  # computed values start from 0 on every call; leaves keep theirs
                node.grad = 0.0
        self.grad = 1.0 if self._prev else self.grad + 1.0
        for node in reversed(topo):
            node._backward()

    def zero_grad(self):
        """Reset ``.grad`` to 0 on this value and everything it depends on."""
        stack, seen = [self], set()
        while stack:
            node = stack.pop()
            if id(node) in seen:
                continue
            seen.add(id(node))
            node.grad = 0.0
            stack.extend(node._prev)

    # the remaining operators are built from the ones above
    def __neg__(self):
        return self * -1

    def __radd__(self, other):
        return self + other

    def __sub__(self, other):
        return self + (-self._wrap(other))

    def __rsub__(self, other):
        return self._wrap(other) + (-self)

    def __rmul__(self, other):
        return self * other

    def __truediv__(self, other):
        """``u / v``, with ``∂/∂u = 1/v``, ``∂/∂v = −u/v²``; ``v = 0`` raises ``ZeroDivisionError``.

        Computed directly, not as ``u · v^(−1)``: the reciprocal of a tiny ``v``
        can overflow even when ``u / v`` is an ordinary number.
        """
        other = self._wrap(other)
        if other.data == 0:
            raise ZeroDivisionError(f"{self.data:g} / 0: division by a Value whose data is 0")
        out = Value(self.data / other.data, (self, other), "/")

        def _backward():  # ∂(u/v)/∂u = 1/v,  ∂(u/v)/∂v = -u/v² = -(u/v)/v
            if out.grad == 0:
                return
            self.grad += out.grad / other.data
            other.grad -= out.data / other.data * out.grad
        out._backward = _backward
        return out

    def __rtruediv__(self, other):
        return self._wrap(other) / self

    def __repr__(self):
        return f"Value(data={self.data:.4g}, grad={self.grad:.4g})"

"""Lesson 06: a scalar autograd engine (after Karpathy's micrograd).

Every operation builds an output ``Value`` and a ``_backward`` closure that
applies the chain rule locally:

    out = f(a, b)      a.grad += ∂out/∂a · out.grad      b.grad += ∂out/∂b · out.grad

``backward()`` visits the graph in reverse topological order, so each node's
gradient is complete before it is passed on. Gradients *accumulate* (``+=``)
because a value used twice receives a contribution from each use.
"""

from __future__ import annotations

import math
import numbers


class Value:
    """A number that remembers how it was computed, so it can be differentiated.

    ``.data`` holds the number, ``.grad`` holds ``∂L/∂(this value)`` after
    ``L.backward()``.
    """

    __slots__ = ("data", "grad", "_backward", "_prev", "_op", "label")

    def __init__(self, data, _children=(), _op: str = "", label: str = ""):
        if isinstance(data, Value):
            raise TypeError("Value(...) got a Value; use it directly instead of wrapping it")
        if isinstance(data, bool) or not isinstance(data, numbers.Real):
            raise TypeError(f"Value holds a single real number, got {type(data).__name__}")
        self.data = float(data)
        self.grad = 0.0
        self._backward = lambda: None
        self._prev = tuple(_children)
        self._op = _op
        self.label = label

    @staticmethod
    def _wrap(other):
        return other if isinstance(other, Value) else Value(other)

    def __add__(self, other):
        other = self._wrap(other)
        out = Value(self.data + other.data, (self, other), "+")

        def _backward():  # ∂(a+b)/∂a = 1, ∂(a+b)/∂b = 1
            self.grad += out.grad
            other.grad += out.grad
        out._backward = _backward
        return out

    def __mul__(self, other):
        other = self._wrap(other)
        out = Value(self.data * other.data, (self, other), "*")

        def _backward():  # ∂(ab)/∂a = b, ∂(ab)/∂b = a
            self.grad += other.data * out.grad
            other.grad += self.data * out.grad
        out._backward = _backward
        return out

    def __pow__(self, k):
        if not isinstance(k, numbers.Real) or isinstance(k, bool):
            raise TypeError("only a plain number exponent is supported: "
                            "Value ** 2, not Value ** Value")
        if self.data < 0 and not float(k).is_integer():
            raise ValueError(f"({self.data:g}) ** {k:g} is not a real number: "
                             f"a negative base needs a whole-number exponent")
        out = Value(self.data ** k, (self,), f"**{k:g}")

        def _backward():  # ∂(a^k)/∂a = k a^(k-1)
            self.grad += k * self.data ** (k - 1) * out.grad
        out._backward = _backward
        return out

    def relu(self):
        """``relu(a) = max(0, a)``, with ``∂/∂a = 1 if a > 0 else 0``; returns a new ``Value``."""
        out = Value(self.data if self.data > 0 else 0.0, (self,), "relu")

        def _backward():  # 1 where the input was positive, else 0
            self.grad += (out.data > 0) * out.grad
        out._backward = _backward
        return out

    def tanh(self):
        """``tanh(a)``, with ``∂/∂a = 1 − tanh(a)²``; returns a new ``Value``."""
        t = math.tanh(self.data)
        out = Value(t, (self,), "tanh")

        def _backward():  # tanh' = 1 - tanh²
            self.grad += (1 - t * t) * out.grad
        out._backward = _backward
        return out

    def sigmoid(self):
        """``σ(a) = 1 / (1 + e^{−a})`` (computed without overflow), ``∂/∂a = σ(a) (1 − σ(a))``."""
        x = self.data
        s = 1 / (1 + math.exp(-x)) if x >= 0 else math.exp(x) / (1 + math.exp(x))
        out = Value(s, (self,), "sigmoid")

        def _backward():  # σ' = σ (1 - σ)
            self.grad += s * (1 - s) * out.grad
        out._backward = _backward
        return out

    def exp(self):
        """``e^a``, with ``∂/∂a = e^a``; an ``OverflowError`` names ``a`` when e^a is too large."""
        try:
            e = math.exp(self.data)
        except OverflowError:
            raise OverflowError(f"exp({self.data:g}) is too large for a float") from None
        out = Value(e, (self,), "exp")

        def _backward():  # (e^a)' = e^a
            self.grad += e * out.grad
        out._backward = _backward
        return out

    def log(self):
        """Natural log ``ln a`` for ``a > 0`` (else ``ValueError``), with ``∂/∂a = 1 / a``."""
        if self.data <= 0:
            raise ValueError(f"log is only defined for positive numbers, got {self.data:g}")
        out = Value(math.log(self.data), (self,), "log")

        def _backward():  # (ln a)' = 1 / a
            self.grad += out.grad / self.data
        out._backward = _backward
        return out

    def backward(self):
        """Fill ``.grad`` of every value this one depends on, with ``∂self/∂self = 1``.

        The topological order is built with an explicit stack rather than
        recursion, so a chain of 10,000 operations is fine.
        """
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
        self.grad = 1.0
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
        other = self._wrap(other)
        if other.data == 0:
            raise ZeroDivisionError("division by a Value whose data is 0")
        return self * other ** -1

    def __rtruediv__(self, other):
        return self._wrap(other) / self

    def __repr__(self):
        return f"Value(data={self.data:.4g}, grad={self.grad:.4g})"

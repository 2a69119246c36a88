"""Lesson 05 (forward) and lesson 06 (backward): layers that work on batches.

Weight orientation: ``W`` has shape ``(n_in, n_out)`` and a batch ``X`` has one
sample per row, so a layer computes

    Z = X W + b          X: (n, n_in)   W: (n_in, n_out)   b: (n_out,)   Z: (n, n_out)

Textbooks that use column vectors write ``z = W a + b`` with a matrix of shape
``(n_out, n_in)``; ours is its transpose, so a whole batch is one product.

Every layer has ``forward(X)`` and ``backward(dY)``; ``backward`` takes
``∂L/∂(output)`` and returns ``∂L/∂(input)``, storing parameter gradients
(``dW``, ``db``) on the layer.
"""

from __future__ import annotations

import numbers

import numpy as np

from .validate import as_array


def _check_batch(X, n_cols: int, layer, what: str, dtype, step: str = "") -> np.ndarray:
    """Check a batch ``X`` of shape (n, n_cols); the error names ``layer`` (+ ``step``)."""
    if not isinstance(X, np.ndarray) or X.dtype != dtype:
        X = as_array(X, what, dtype=dtype)
    elif X.size == 0:
        raise ValueError(f"{layer.name}{step} got an empty {what} (shape {X.shape})")
    if X.ndim != 2 or X.shape[1] != n_cols:
        hint = " (a single sample needs shape (1, n): use x.reshape(1, -1))" if X.ndim == 1 else ""
        raise ValueError(f"{layer.name}{step} expected {what} with {n_cols} columns, "
                         f"got shape {X.shape}{hint}")
    if X.shape[0] == 0:
        raise ValueError(f"{layer.name}{step} got an empty {what} (shape {X.shape})")
    return X


class Dense:
    """Fully connected layer ``Z = X W + b``.

    ``init`` chooses the starting weights (drawn from ``rng``, biases start at 0):

    - ``"he"``: ``W ~ N(0, 2 / n_in)``, suits ReLU
    - ``"xavier"``: ``W ~ N(0, 2 / (n_in + n_out))``, suits tanh and sigmoid
    - a float ``s``: ``W ~ N(0, s²)``

    Gradients after ``backward(dY)``: ``dW = Xᵀ dY``, ``db = Σ_rows dY``, ``dX = dY Wᵀ``.
    """

    def __init__(self, n_in: int, n_out: int, init="he", rng=None, dtype=np.float32):
        for name, v in (("n_in", n_in), ("n_out", n_out)):
            if isinstance(v, bool) or not isinstance(v, numbers.Integral) or v <= 0:
                raise ValueError(f"Dense: {name} must be a positive integer, got {v!r}")
        self.n_in, self.n_out, self.dtype = int(n_in), int(n_out), np.dtype(dtype)
        rng = np.random.default_rng(0) if rng is None else rng
        if isinstance(init, str):
            scales = {"he": np.sqrt(2 / n_in), "xavier": np.sqrt(2 / (n_in + n_out))}
            if init not in scales:
                raise ValueError(f"Dense: init must be 'he', 'xavier' or a number, got {init!r}")
            scale = scales[init]
        elif isinstance(init, numbers.Real) and not isinstance(init, bool) and init >= 0:
            scale = float(init)
        else:
            raise ValueError(f"Dense: init must be 'he', 'xavier' or a number >= 0, got {init!r}")
        self.W = (rng.standard_normal((n_in, n_out)) * scale).astype(self.dtype)
        self.b = np.zeros(n_out, dtype=self.dtype)
        self.dW = np.zeros_like(self.W)
        self.db = np.zeros_like(self.b)
        self.X = None

    @property
    def name(self) -> str:
        """``"Dense(n_in→n_out)"``: how errors and ``repr`` name this layer."""
        return f"Dense({self.n_in}→{self.n_out})"

    def forward(self, X):
        """``Z = X W + b``; X: (n, n_in) -> Z: (n, n_out)."""
        X = _check_batch(X, self.n_in, self, "X", self.dtype)
        self.X = X
        Z = X @ self.W
        Z += self.b
        return Z

    def backward(self, dY, input_grad: bool = True):
        """Given ``dY = ∂L/∂Z`` (n, n_out): store ``dW = Xᵀ dY``, ``db = Σ dY``.

        Returns ``dX = dY Wᵀ`` (n, n_in). With ``input_grad=False`` it returns
        ``None`` instead: the first layer's ``dX`` is not needed for training and
        costs as much as ``dW``, so ``fit`` skips it.
        """
        if self.X is None:
            raise RuntimeError(f"{self.name}.backward called before forward")
        dY = _check_batch(dY, self.n_out, self, "dY", self.dtype, step=".backward")
        if dY.shape[0] != self.X.shape[0]:
            raise ValueError(f"{self.name}.backward: dY has {dY.shape[0]} rows but the last "
                             f"forward saw X with {self.X.shape[0]} rows")
        np.matmul(self.X.T, dY, out=self.dW)
        dY.sum(axis=0, out=self.db)
        return dY @ self.W.T if input_grad else None

    def parameters(self):
        """``[(W, dW), (b, db)]``: each parameter array with its gradient array."""
        return [(self.W, self.dW), (self.b, self.db)]

    def __repr__(self):
        return self.name


class _Activation:
    """Elementwise layer: ``A = g(Z)`` forward, ``dZ = dA * g'(Z)`` backward."""

    def forward(self, Z):
        """``A = g(Z)`` elementwise; Z: (n, d) -> A: (n, d). Keeps ``A`` for ``backward``."""
        if not isinstance(Z, np.ndarray) or Z.dtype.kind != "f":  # "f": any float dtype
            Z = as_array(Z, "Z")
        self.out = self._f(Z)
        return self.out

    def backward(self, dA):
        """``dZ = dA · g'(Z)`` elementwise; dA: (n, d) -> dZ: (n, d), as the last forward."""
        if getattr(self, "out", None) is None:
            raise RuntimeError(f"{type(self).__name__}.backward called before forward")
        dA = np.asarray(dA)
        if dA.shape != self.out.shape:
            raise ValueError(f"{type(self).__name__}.backward: dA has shape {dA.shape} but the "
                             f"last forward output had shape {self.out.shape}")
        return self._grad(dA)

    def parameters(self):
        """``[]``: an activation layer has nothing to train."""
        return []

    def __repr__(self):
        return f"{type(self).__name__}()"


class ReLU(_Activation):
    """``A = max(0, Z)``; backward ``dZ = dA · [Z > 0]``."""

    def _f(self, Z):
        return np.maximum(Z, 0)

    def _grad(self, dA):
        return dA * (self.out > 0)


class Sigmoid(_Activation):
    """``A = σ(Z) = 1 / (1 + e^{-Z})``; backward ``dZ = dA · A (1 - A)``."""

    def _f(self, Z):
        e = np.exp(-np.abs(Z))
        return np.where(Z >= 0, 1 / (1 + e), e / (1 + e)).astype(Z.dtype, copy=False)

    def _grad(self, dA):
        return dA * self.out * (1 - self.out)


class Tanh(_Activation):
    """``A = tanh(Z)``; backward ``dZ = dA · (1 - A²)``."""

    def _f(self, Z):
        return np.tanh(Z)

    def _grad(self, dA):
        return dA * (1 - self.out * self.out)


ACTIVATION_LAYERS = {"relu": ReLU, "sigmoid": Sigmoid, "tanh": Tanh}


class Sequential:
    """Layers applied in order: ``forward`` left to right, ``backward`` right to left."""

    def __init__(self, *layers):
        if not layers:
            raise ValueError("Sequential needs at least one layer")
        for layer in layers:
            if not (hasattr(layer, "forward") and hasattr(layer, "backward")):
                raise TypeError(f"{layer!r} is not a layer: it needs forward and backward methods")
        self.layers = list(layers)

    def forward(self, X):
        """Feed ``X`` through every layer: ``a_0 = X``, ``a_l = layer_l(a_{l-1})``.

        X: (n, n_in) of the first layer -> (n, n_out) of the last layer.
        """
        for layer in self.layers:
            X = layer.forward(X)
        return X

    __call__ = forward

    def backward(self, dY, input_grad: bool = True):
        """Chain rule through the layers in reverse; returns ``∂L/∂X``.

        dY = ∂L/∂(output): (n, n_out) -> dX = ∂L/∂X: (n, n_in); every layer
        on the way stores its own ``dW``, ``db``.

        dY = ∂L/∂(output): (n, n_out) -> dX = ∂L/∂X: (n, n_in); every layer
        on the way stores its own ``dW``, ``db``.

        ``input_grad=False`` lets a first ``Dense`` layer skip ``∂L/∂X`` (and
        return ``None``): training only needs the parameter gradients.
        """
        first, *rest = self.layers
        for layer in reversed(rest):
            dY = layer.backward(dY)
        if isinstance(first, Dense):
            return first.backward(dY, input_grad=input_grad)
        return first.backward(dY)

    def parameters(self):
        """Every ``(parameter, gradient)`` pair, first layer first."""
        return [p for layer in self.layers for p in layer.parameters()]

    @property
    def dense_layers(self):
        """The ``Dense`` layers only, first to last (the ones that hold ``W`` and ``b``)."""
        return [layer for layer in self.layers if isinstance(layer, Dense)]

    def __repr__(self):
        return "Sequential(" + ", ".join(map(repr, self.layers)) + ")"


class MLP(Sequential):
    """Multi-layer perceptron: ``Dense`` layers with an activation between them.

    ``MLP([64, 32, 10])`` is Dense(64→32), ReLU, Dense(32→10); the last layer
    has no activation (its outputs are logits or regression values).
    With ``sizes = [n_in, …, n_out]`` it maps X: (n, n_in) -> (n, n_out).
    With ``sizes = [n_in, …, n_out]`` it maps X: (n, n_in) -> (n, n_out).
    """

    def __init__(self, sizes, activation: str = "relu", init=None, rng=None, dtype=np.float32):
        sizes = list(sizes)
        if len(sizes) < 2 or any(isinstance(s, bool) or not isinstance(s, numbers.Integral)
                                 or s <= 0 for s in sizes):
            raise ValueError(f"MLP sizes must be at least two positive integers, got {sizes}")
        if activation not in ACTIVATION_LAYERS:
            raise ValueError(f"activation must be one of {sorted(ACTIVATION_LAYERS)}, "
                             f"got {activation!r}")
        if init is None:
            init = "he" if activation == "relu" else "xavier"
        rng = np.random.default_rng(0) if rng is None else rng
        layers = []
        for i, (n_in, n_out) in enumerate(zip(sizes[:-1], sizes[1:], strict=True)):
            layers.append(Dense(n_in, n_out, init=init, rng=rng, dtype=dtype))
            if i < len(sizes) - 2:
                layers.append(ACTIVATION_LAYERS[activation]())
        super().__init__(*layers)
        self.sizes = sizes
        self.activation = activation

"""Lesson 05 (forward) and lesson 06 (backward): layers that work on batches.

Weight orientation: ``W`` has shape ``(n_in, n_out)`` and a batch ``X`` has one
sample per row, so a layer computes

    Z = X W + b          X: (n, n_in)   W: (n_in, n_out)   b: (n_out,)   Z: (n, n_out)

Textbooks that use column vectors write ``z = W x + b`` with a matrix of shape
``(n_out, n_in)``; ours is its transpose, so a whole batch is one product.

Every layer has ``forward`` and ``backward``. ``Dense.backward(dZ)`` takes
``dZ = ∂L/∂Z`` and returns ``dX = ∂L/∂X``; an activation layer's ``backward(dA)``
takes ``dA = ∂L/∂A`` and returns ``dZ = ∂L/∂Z``. Parameter gradients (``dW``,
``db``) are stored on the layer and **overwritten** by every ``backward`` call:
unlike the leaves of :class:`nnlib.engine.Value`, which accumulate, a layer's
gradients always belong to the last backward pass alone.

Every public ``forward``/``backward`` checks its input the same way whatever its
dtype: a 2-D batch with at least one row, the right number of columns, and no
NaN or inf. Errors name the layer and the shape that was passed. Inside a
``Sequential`` only the first input and the last gradient are checked: the
arrays in between come from the layers themselves (and may hold inf or NaN when
training diverges, which :func:`nnlib.train.fit` reports).
"""

from __future__ import annotations

import numbers

import numpy as np

from .validate import as_array, warn

# Bumped whenever a layer's parameter or gradient array is *replaced* (``layer.W = ...``), not
# when it is changed in place. An optimizer compares it with the value it last saw, so the check
# in ``SGD.step`` costs one integer comparison per step.
_generation = 0


class ParameterList(list):
    """``[(parameter, gradient), ...]`` as ``parameters()`` returns it, remembering its ``source``.

    A plain list in every way; ``source`` is the layer or model it came from, so an optimizer
    built from it can follow that model when one of its arrays is replaced.
    """

    __slots__ = ("source",)

    def __init__(self, pairs, source):
        super().__init__(pairs)
        self.source = source


def _parameter(name: str, doc: str):
    """A ``Dense`` attribute whose assignment is checked (shape, float dtype) and counted."""
    key = "_" + name

    def get(self):
        return self.__dict__[key]

    def set(self, value):
        global _generation
        self.__dict__[key] = self._checked(name, value)
        _generation += 1

    return property(get, set, doc=doc)


def _check_batch(X, n_cols: int | None, layer_name: str, what: str, dtype) -> np.ndarray:
    """Check a batch ``X`` of shape (n, n_cols), n ≥ 1, all finite; errors name ``layer_name``.

    ``dtype=None`` keeps a float array's dtype (and turns anything else into float64);
    ``n_cols=None`` accepts any number of columns. The same checks run whether or not
    ``X`` needs converting, so a float32 batch is checked exactly like a list.
    """
    if not isinstance(X, np.ndarray) or X.dtype.kind != "f" or (dtype is not None
                                                                 and X.dtype != dtype):
        X = as_array(X, what, dtype=dtype if dtype is not None else np.float64,
                     allow_empty=True, finite=False)
    if X.size == 0:
        raise ValueError(f"{layer_name} got an empty {what} (shape {X.shape}): "
                         f"a batch needs at least one row")
    if X.ndim != 2 or (n_cols is not None and X.shape[1] != n_cols):
        hint = " (a single sample needs shape (1, n): use x.reshape(1, -1))" if X.ndim == 1 else ""
        want = f"with {n_cols} columns" if n_cols is not None else "of shape (n, d)"
        raise ValueError(f"{layer_name} expected {what} {want}, got shape {X.shape}{hint}")
    if not np.isfinite(X).all():
        bad = int(X.size - np.count_nonzero(np.isfinite(X)))
        raise ValueError(f"{layer_name}: {what} contains {bad} NaN or inf value(s) "
                         f"(shape {X.shape})")
    return X


class Dense:
    """Fully connected layer ``Z = X W + b``.

    ``init`` chooses the starting weights (drawn from ``rng``, biases start at 0):

    - ``"he"``: ``W ~ N(0, 2 / n_in)``, suits ReLU
    - ``"xavier"``: ``W ~ N(0, 2 / (n_in + n_out))``, suits tanh and sigmoid
    - a float ``s``: ``W ~ N(0, s²)``

    Gradients after ``backward(dZ)``: ``dW = Xᵀ dZ``, ``db = Σ_rows dZ``, ``dX = dZ Wᵀ``.
    Each ``backward`` overwrites ``dW`` and ``db`` (they never accumulate).

    Errors: ``ValueError`` naming the layer and the shape passed, for a batch
    with the wrong number of columns, no rows, or NaN/inf values.
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
        self.W = rng.standard_normal((n_in, n_out)) * scale
        self.b = np.zeros(n_out, dtype=self.dtype)
        self.dW = np.zeros_like(self.W)
        self.db = np.zeros_like(self.b)
        self.X = None

    W = _parameter("W", "Weights, shape (n_in, n_out); assigning checks the shape and casts to "
                        "the layer's dtype.")
    b = _parameter("b", "Biases, shape (n_out,).")
    dW = _parameter("dW", "∂L/∂W from the last backward, shape (n_in, n_out).")
    db = _parameter("db", "∂L/∂b from the last backward, shape (n_out,).")

    def _checked(self, name: str, value) -> np.ndarray:
        """``value`` as this layer's ``name`` array: the right shape, in the layer's float dtype."""
        want = (self.n_in, self.n_out) if name in ("W", "dW") else (self.n_out,)
        arr = value if isinstance(value, np.ndarray) else as_array(
            value, f"{self.name}.{name}", dtype=None, finite=False)
        if arr.shape != want:
            hint = ""
            if name in ("W", "dW") and arr.shape == want[::-1]:
                hint = (" (that is the (n_out, n_in) orientation of z = W x: nnlib's W has one "
                        "row per input, so assign its transpose, .T)")
            raise ValueError(f"{self.name}.{name} must have shape {want}, got {arr.shape}{hint}")
        if arr.dtype != self.dtype:  # integer weights could not take fractional updates
            arr = as_array(arr, f"{self.name}.{name}", dtype=self.dtype, finite=False)
        return arr

    @property
    def name(self) -> str:
        """``"Dense(n_in→n_out)"``: how errors and ``repr`` name this layer."""
        return f"Dense({self.n_in}→{self.n_out})"

    def forward(self, X):
        """``Z = X W + b``; X: (n, n_in) -> Z: (n, n_out), in the layer's dtype.

        ``X`` must be 2-D with ``n_in`` columns, at least one row and no NaN/inf
        (``ValueError`` naming the shape passed otherwise).
        """
        return self._forward(_check_batch(X, self.n_in, self.name, "X", self.dtype))

    def _forward(self, X):
        """``forward`` without the input checks, for inputs a ``Sequential`` made itself."""
        self.X = X
        Z = X @ self._W  # the arrays behind the W and b properties: no property call per batch
        Z += self._b
        return Z

    def backward(self, dZ, input_grad: bool = True):
        """Given ``dZ = ∂L/∂Z`` (n, n_out): store ``dW = Xᵀ dZ`` and ``db = Σ_rows dZ``.

        Returns ``dX = ∂L/∂X = dZ Wᵀ`` (n, n_in). ``dW`` and ``db`` are
        overwritten, not accumulated. With ``input_grad=False`` it returns
        ``None`` instead of ``dX``: the first layer's ``dX`` is not needed for
        training and costs as much as ``dW``, so ``fit`` skips it.
        ``dZ`` is checked like ``X`` in :meth:`forward`, and must have as many
        rows as the last forward's ``X``.
        """
        if self.X is None:
            raise RuntimeError(f"{self.name}.backward called before forward: run forward on the "
                               f"batch first (backward needs the X that forward keeps)")
        dZ = _check_batch(dZ, self.n_out, f"{self.name}.backward", "dZ", self.dtype)
        if dZ.shape[0] != self.X.shape[0]:
            raise ValueError(f"{self.name}.backward: dZ has {dZ.shape[0]} rows (shape "
                             f"{dZ.shape}) but the last forward saw X with {self.X.shape[0]} "
                             f"rows (shape {self.X.shape})")
        return self._backward(dZ, input_grad)

    def _backward(self, dZ, input_grad: bool = True):
        """``backward`` without the checks, for gradients a ``Sequential`` made itself."""
        np.matmul(self.X.T, dZ, out=self._dW)
        dZ.sum(axis=0, out=self._db)
        return dZ @ self._W.T if input_grad else None

    def parameters(self):
        """``[(W, dW), (b, db)]``: each parameter array with its gradient array."""
        return ParameterList([(self.W, self.dW), (self.b, self.db)], self)

    def __repr__(self):
        return self.name


class _Activation:
    """Elementwise layer: ``A = φ(Z)`` forward, ``dZ = dA ⊙ φ'(Z)`` backward (φ: the activation).

    No parameters, so nothing to overwrite or accumulate: ``backward`` just returns ``dZ``.
    Inputs are checked like :class:`Dense`'s: a 2-D batch (n, d) with at least one
    row and no NaN/inf, whatever its float dtype (float32 stays float32).
    """

    def forward(self, Z):
        """``A = φ(Z)`` elementwise; Z: (n, d) -> A: (n, d). Keeps ``A`` for ``backward``."""
        return self._forward(_check_batch(Z, None, type(self).__name__, "Z", None))

    def _forward(self, Z):
        """``forward`` without the input checks, for inputs a ``Sequential`` made itself."""
        self.out = self._f(Z)
        return self.out

    def backward(self, dA):
        """``dZ = dA ⊙ φ'(Z)`` elementwise; dA = ∂L/∂A: (n, d) -> dZ = ∂L/∂Z: (n, d).

        ``dA`` must have the shape of the last forward's output (and no NaN/inf).
        """
        if getattr(self, "out", None) is None:
            raise RuntimeError(f"{type(self).__name__}.backward called before forward: run "
                               f"forward on the batch first")
        name = f"{type(self).__name__}.backward"
        dA = _check_batch(dA, None, name, "dA", None)
        if dA.shape != self.out.shape:
            raise ValueError(f"{name}: dA has shape {dA.shape} but the "
                             f"last forward output had shape {self.out.shape}")
        return self._grad(dA)

    def _backward(self, dA, input_grad: bool = True):
        """``backward`` without the checks, for gradients a ``Sequential`` made itself."""
        return self._grad(dA)

    def parameters(self):
        """``[]``: an activation layer has nothing to train."""
        return []

    def __repr__(self):
        return f"{type(self).__name__}()"


class ReLU(_Activation):
    """``A = max(0, Z)``; backward ``dZ = dA ⊙ 𝟙[Z > 0]`` (0 at Z = 0)."""

    def _f(self, Z):
        return np.maximum(Z, 0)

    def _grad(self, dA):
        return dA * (self.out > 0)


class Sigmoid(_Activation):
    """``A = σ(Z) = 1 / (1 + e^{-Z})``; backward ``dZ = dA ⊙ A ⊙ (1 - A)``."""

    def _f(self, Z):
        e = np.exp(-np.abs(Z))
        return np.where(Z >= 0, 1 / (1 + e), e / (1 + e)).astype(Z.dtype, copy=False)

    def _grad(self, dA):
        return dA * self.out * (1 - self.out)


class Tanh(_Activation):
    """``A = tanh(Z)``; backward ``dZ = dA ⊙ (1 - A²)``."""

    def _f(self, Z):
        return np.tanh(Z)

    def _grad(self, dA):
        return dA * (1 - self.out * self.out)


ACTIVATION_LAYERS = {"relu": ReLU, "sigmoid": Sigmoid, "tanh": Tanh}


class Sequential:
    """Layers applied in order: ``forward`` left to right, ``backward`` right to left.

    The first layer checks the input ``X`` and the last layer checks the gradient
    passed to ``backward``; the arrays handed between layers are not checked again.
    """

    def __init__(self, *layers):
        if not layers:
            raise ValueError("Sequential needs at least one layer")
        for layer in layers:
            if not (hasattr(layer, "forward") and hasattr(layer, "backward")):
                raise TypeError(f"{layer!r} is not a layer: it needs forward and backward methods")
        self.layers = list(layers)
        self._warned_symmetry = warn_if_symmetric(self)

    def forward(self, X):
        """Feed ``X`` through every layer: ``A^[0] = X``, ``A^[l] = layer_l(A^[l−1])``.

        X: (n, n_in) of the first layer -> (n, n_out) of the last layer.
        """
        first, *rest = self.layers
        X = first.forward(X)
        for layer in rest:
            X = getattr(layer, "_forward", layer.forward)(X)
        return X

    __call__ = forward

    def backward(self, dZ, input_grad: bool = True):
        """Chain rule through the layers in reverse; returns ``dX = ∂L/∂X``.

        dZ = ∂L/∂(output of the last layer): (n, n_out) -> dX: (n, n_in). For an
        ``MLP`` the output is the last ``Dense`` layer's ``Z``, hence the name.
        Every layer on the way overwrites its own ``dW``, ``db``.

        ``input_grad=False`` lets a first ``Dense`` layer skip ``∂L/∂X`` (and
        return ``None``): training only needs the parameter gradients.
        """
        *rest, last = self.layers
        if not rest:
            return (last.backward(dZ, input_grad=input_grad) if isinstance(last, Dense)
                    else last.backward(dZ))
        grad = last.backward(dZ)
        first, *middle = rest
        for layer in reversed(middle):
            grad = getattr(layer, "_backward", layer.backward)(grad)
        if isinstance(first, (Dense, _Activation)):
            return first._backward(grad, input_grad)
        return first.backward(grad)

    def parameters(self):
        """Every ``(parameter, gradient)`` pair, first layer first."""
        return ParameterList([p for layer in self.layers for p in layer.parameters()], self)

    @property
    def dense_layers(self):
        """The ``Dense`` layers only, first to last (the ones that hold ``W`` and ``b``)."""
        return [layer for layer in self.layers if isinstance(layer, Dense)]

    def __repr__(self):
        return "Sequential(" + ", ".join(map(repr, self.layers)) + ")"


def warn_if_symmetric(model) -> bool:
    """Warn (``NNLibWarning``) if a hidden ``Dense`` layer starts with all its units identical.

    With every column of ``W`` equal and equal biases (``init=0.0``, say), all hidden units of
    that layer compute the same thing, get the same gradient and stay identical: the layer
    acts as one unit. Returns whether it warned.
    """
    dense = [layer for layer in getattr(model, "layers", []) if isinstance(layer, Dense)]
    for layer in dense[:-1]:  # a hidden layer: another Dense layer reads its output
        W, b = layer.W, layer.b
        if layer.n_out < 2 or W[0, 0] != W[0, 1] or np.any(W != W[:, :1]) or np.any(b != b[0]):
            continue
        what = ("every weight is 0" if not W.any()
                else "all its units start with the same weights")
        warn(f"{layer.name}: {what}, so its {layer.n_out} hidden units compute the same thing "
             f"and stay identical in training; start from small random numbers "
             f"(init='he' for ReLU, 'xavier' for tanh: MLP's defaults)")
        return True
    return False


class MLP(Sequential):
    """Multi-layer perceptron: ``Dense`` layers with an activation between them.

    ``MLP([64, 32, 10])`` is Dense(64→32), ReLU, Dense(32→10); the last layer
    has no activation (its outputs are logits or regression values).
    With ``sizes = [n_in, …, n_out]`` it maps X: (n, n_in) -> (n, n_out).
    ``forward``, ``backward`` and the gradient rules are :class:`Sequential`'s.
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

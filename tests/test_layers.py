"""nnlib.layers: backward passes vs numerical gradients, initialisation, bad input."""

import numpy as np
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis.extra.numpy import arrays

from nnlib.calculus import gradcheck, numerical_gradient
from nnlib.layers import MLP, Dense, ReLU, Sequential, Sigmoid, Tanh

FAST = settings(max_examples=30, deadline=None)
vals = st.floats(-3, 3, allow_nan=False, allow_infinity=False)
dims = st.integers(1, 5)


@st.composite
def dense_case(draw):
    n, n_in, n_out = draw(dims), draw(dims), draw(dims)
    X = draw(arrays(np.float64, (n, n_in), elements=vals))
    dY = draw(arrays(np.float64, (n, n_out), elements=vals))
    seed = draw(st.integers(0, 2 ** 16))
    return X, dY, Dense(n_in, n_out, rng=np.random.default_rng(seed), dtype=np.float64)


@FAST
@given(dense_case())
def test_dense_backward_matches_numerical(case):
    """With L = Σ Z ⊙ dY, ∂L/∂Z = dY, so backward(dY) must equal the numerical ∂L/∂(W, b, X)."""
    X, dY, layer = case
    layer.b[:] = np.linspace(-1, 1, layer.n_out)
    layer.forward(X)
    dX = layer.backward(dY)
    dW, db = layer.dW.copy(), layer.db.copy()

    def loss_of_W(W):
        return np.sum((X @ W + layer.b) * dY)

    np.testing.assert_allclose(dW, numerical_gradient(loss_of_W, layer.W), atol=1e-7)
    np.testing.assert_allclose(db, numerical_gradient(lambda b: np.sum((X @ layer.W + b) * dY),
                                                      layer.b), atol=1e-7)
    np.testing.assert_allclose(dX, numerical_gradient(lambda x: np.sum(layer.forward(x) * dY), X),
                               atol=1e-7)
    # closed forms from the docstring
    np.testing.assert_allclose(dW, X.T @ dY, atol=1e-12)
    np.testing.assert_allclose(db, dY.sum(axis=0), atol=1e-12)


def test_dense_forward_closed_form():
    layer = Dense(2, 3, dtype=np.float64)
    layer.W[:] = [[1, 2, 3], [4, 5, 6]]
    layer.b[:] = [0.5, 0, -0.5]
    np.testing.assert_allclose(layer.forward([[1.0, -1.0]]), [[-3 + 0.5, -3, -3 - 0.5]])


@pytest.mark.parametrize("cls", [ReLU, Sigmoid, Tanh])
@FAST
@given(Z=arrays(np.float64, st.tuples(dims, dims), elements=vals), seed=st.integers(0, 99))
def test_activation_backward_matches_numerical(cls, Z, seed):
    if cls is ReLU:
        Z = np.where(np.abs(Z) < 1e-3, 0.5, Z)  # keep away from the kink
    dA = np.random.default_rng(seed).normal(size=Z.shape)
    layer = cls()
    layer.forward(Z)
    dZ = layer.backward(dA)
    num = numerical_gradient(lambda z: np.sum(cls().forward(z) * dA), Z)
    np.testing.assert_allclose(dZ, num, atol=1e-8)


@pytest.mark.parametrize("activation", ["relu", "tanh", "sigmoid"])
def test_whole_mlp_gradcheck(activation):
    rng = np.random.default_rng(3)
    model = MLP([4, 5, 3, 2], activation=activation, rng=rng, dtype=np.float64)
    for layer in model.dense_layers:
        layer.b[:] = rng.normal(size=layer.b.shape) * 0.1
    X = rng.normal(size=(6, 4))
    Y = rng.normal(size=(6, 2))

    def loss(out):
        return 0.5 * np.sum((out - Y) ** 2)

    out = model.forward(X)
    dX = model.backward(out - Y)
    analytic = [g.copy() for _, g in model.parameters()]
    for (p, _), g in zip(model.parameters(), analytic, strict=True):
        def f(v, p=p):
            saved = p.copy()
            p[...] = v
            value = loss(model.forward(X))
            p[...] = saved
            return value
        res = gradcheck(f, g, p.copy())
        assert res.max_rel_error < 1e-6, res
    res = gradcheck(lambda x: loss(model.forward(x)), dX, X)
    assert res.max_rel_error < 1e-6, res


@pytest.mark.parametrize("init,expected_std", [
    ("he", np.sqrt(2 / 400)),
    ("xavier", np.sqrt(2 / (400 + 300))),
    (0.05, 0.05),
])
def test_init_std(init, expected_std):
    layer = Dense(400, 300, init=init, rng=np.random.default_rng(0))
    # 120,000 normal draws: the sample std is within ~0.2 % (1 s.e.) of the truth
    assert layer.W.std() == pytest.approx(expected_std, rel=0.02)
    assert abs(layer.W.mean()) < 0.02 * expected_std * 3
    np.testing.assert_array_equal(layer.b, 0)
    assert layer.W.dtype == np.float32


def test_init_zero_and_reproducible():
    assert np.all(Dense(3, 2, init=0.0).W == 0)
    a = Dense(5, 4, rng=np.random.default_rng(1)).W
    b = Dense(5, 4, rng=np.random.default_rng(1)).W
    np.testing.assert_array_equal(a, b)


def test_mlp_default_init_follows_activation():
    rng = np.random.default_rng(0)
    relu_std = MLP([500, 400], rng=rng).layers[0].W.std()
    tanh_std = MLP([500, 400], activation="tanh", rng=rng).layers[0].W.std()
    assert relu_std == pytest.approx(np.sqrt(2 / 500), rel=0.02)
    assert tanh_std == pytest.approx(np.sqrt(2 / 900), rel=0.02)


def test_parameters_pairs():
    layer = Dense(3, 2)
    (W, dW), (b, db) = layer.parameters()
    assert W is layer.W and dW is layer.dW and b is layer.b and db is layer.db
    assert W.shape == dW.shape == (3, 2) and b.shape == db.shape == (2,)
    model = MLP([4, 8, 3])
    pairs = model.parameters()
    assert len(pairs) == 4
    assert [p.shape for p, _ in pairs] == [(4, 8), (8,), (8, 3), (3,)]
    assert all(p.shape == g.shape for p, g in pairs)
    assert ReLU().parameters() == []
    # backward writes into the same gradient arrays (an optimizer holds references to them)
    model.forward(np.ones((2, 4)))
    model.backward(np.ones((2, 3)))
    assert pairs[0][1] is model.layers[0].dW and np.any(pairs[0][1] != 0)


def test_mlp_structure():
    model = MLP([64, 32, 10])
    assert [type(layer) for layer in model.layers] == [Dense, ReLU, Dense]
    assert repr(model) == "Sequential(Dense(64→32), ReLU(), Dense(32→10))"
    assert model(np.zeros((7, 64))).shape == (7, 10)


# ---- bad input ----------------------------------------------------------------

def test_dense_forward_shape_mismatch_names_shapes():
    layer = Dense(3, 2)
    with pytest.raises(ValueError) as info:
        layer.forward(np.zeros((4, 5)))
    assert str(info.value) == "Dense(3→2) expected X with 3 columns, got shape (4, 5)"
    with pytest.raises(ValueError, match=r"reshape\(1, -1\)"):
        layer.forward(np.zeros(3))
    with pytest.raises(ValueError, match="empty"):
        layer.forward(np.zeros((0, 3), dtype=np.float32))


def test_dense_backward_shape_mismatch_names_shapes():
    layer = Dense(3, 2)
    with pytest.raises(RuntimeError, match="before forward"):
        layer.backward(np.zeros((4, 2)))
    layer.forward(np.zeros((4, 3)))
    with pytest.raises(ValueError, match=r"expected dZ with 2 columns, got shape \(4, 3\)"):
        layer.backward(np.zeros((4, 3)))
    with pytest.raises(ValueError, match="dZ has 5 rows .* X with 4 rows"):
        layer.backward(np.zeros((5, 2)))


def test_activation_backward_shape_mismatch():
    layer = Tanh()
    with pytest.raises(RuntimeError, match="before forward"):
        layer.backward(np.zeros((2, 2)))
    layer.forward(np.zeros((2, 3)))
    with pytest.raises(ValueError, match=r"dA has shape \(3, 2\) .* \(2, 3\)"):
        layer.backward(np.zeros((3, 2)))


@pytest.mark.parametrize("args,match", [
    ((0, 3), "n_in must be a positive integer"),
    ((3, -1), "n_out must be a positive integer"),
    ((2.5, 3), "n_in"),
])
def test_dense_bad_sizes(args, match):
    with pytest.raises(ValueError, match=match):
        Dense(*args)


def test_bad_constructor_arguments():
    with pytest.raises(ValueError, match="init"):
        Dense(3, 2, init="glorot")
    with pytest.raises(ValueError, match="init"):
        Dense(3, 2, init=-1.0)
    with pytest.raises(ValueError, match="sizes"):
        MLP([5])
    with pytest.raises(ValueError, match="activation"):
        MLP([2, 2], activation="softplus")
    with pytest.raises(ValueError, match="at least one layer"):
        Sequential()
    with pytest.raises(TypeError, match="not a layer"):
        Sequential(Dense(2, 2), "relu")


def test_backward_without_input_grad_keeps_parameter_gradients():
    """``input_grad=False`` skips only dX: dW and db equal their closed forms Xᵀ dY and Σ dY."""
    rng = np.random.default_rng(3)
    layer = Dense(4, 3, rng=rng, dtype=np.float64)
    X, dY = rng.normal(size=(5, 4)), rng.normal(size=(5, 3))
    layer.forward(X)
    assert layer.backward(dY, input_grad=False) is None
    assert np.allclose(layer.dW, X.T @ dY) and np.allclose(layer.db, dY.sum(axis=0))
    model = MLP([4, 6, 2], rng=rng, dtype=np.float64)
    model.forward(X)
    assert model.backward(rng.normal(size=(5, 2)), input_grad=False) is None


# ---- one rule for every layer and every dtype ---------------------------------

LAYERS = [lambda dt: Dense(3, 3, dtype=dt), lambda dt: ReLU(), lambda dt: Sigmoid(),
          lambda dt: Tanh(), lambda dt: MLP([3, 4, 3], dtype=dt)]
LAYER_IDS = ["Dense", "ReLU", "Sigmoid", "Tanh", "MLP"]


@pytest.mark.parametrize("make", LAYERS, ids=LAYER_IDS)
@pytest.mark.parametrize("dtype", [np.float32, np.float64])
def test_every_layer_refuses_an_empty_batch(make, dtype):
    layer = make(dtype)
    with pytest.raises(ValueError, match=r"empty X|empty Z") as info:
        layer.forward(np.zeros((0, 3), dtype=dtype))
    assert "(0, 3)" in str(info.value)
    layer.forward(np.ones((2, 3), dtype=dtype))
    with pytest.raises(ValueError, match=r"empty d[ZA] \(shape \(0, 3\)\)"):
        layer.backward(np.zeros((0, 3), dtype=dtype))


@pytest.mark.parametrize("make", LAYERS, ids=LAYER_IDS)
@pytest.mark.parametrize("dtype", [np.float32, np.float64, None])  # None: a plain list
@pytest.mark.parametrize("bad", [np.nan, np.inf])
def test_every_layer_refuses_nan_whatever_the_dtype(make, dtype, bad):
    layer = make(dtype or np.float32)
    X = [[1.0, bad, 0.0], [0.0, 1.0, 2.0]]
    X = X if dtype is None else np.array(X, dtype=dtype)
    with pytest.raises(ValueError, match=r"X contains 1 NaN or inf|Z contains 1 NaN or inf"):
        layer.forward(X)
    layer.forward(np.ones((2, 3), dtype=dtype or np.float32))
    with pytest.raises(ValueError, match=r"d[ZA] contains 1 NaN or inf value\(s\) "
                                         r"\(shape \(2, 3\)\)"):
        layer.backward(X)


def test_activation_layers_refuse_what_dense_refuses():
    for layer in (ReLU(), Sigmoid(), Tanh()):
        with pytest.raises(ValueError, match=r"got shape \(3,\).*reshape"):
            layer.forward(np.zeros(3, dtype=np.float32))
        with pytest.raises(TypeError, match="Z must hold numbers"):
            layer.forward(np.array([["a", "b"]]))


def test_sequential_passes_non_finite_hidden_values_through():
    """Only the input is checked: a blown-up weight gives inf/NaN out, for fit to report."""
    model = MLP([2, 3, 2], dtype=np.float64)
    model.dense_layers[0].W[:] = 1e300
    with np.errstate(over="ignore", invalid="ignore"):
        out = model.forward(np.full((4, 2), 1e10))
    assert not np.all(np.isfinite(out))


def test_layers_overwrite_their_gradients():
    """Unlike Value leaves, dW and db hold the last backward pass only (never the sum)."""
    rng = np.random.default_rng(5)
    X, dZ = rng.normal(size=(4, 3)), rng.normal(size=(4, 2))
    layer = Dense(3, 2, rng=rng, dtype=np.float64)
    layer.forward(X)
    layer.backward(dZ)
    layer.backward(dZ)
    np.testing.assert_allclose(layer.dW, X.T @ dZ, rtol=1e-12)
    np.testing.assert_allclose(layer.db, dZ.sum(axis=0), rtol=1e-12)
    model = MLP([3, 4, 2], rng=rng, dtype=np.float64)
    model.forward(X)
    model.backward(dZ)
    once = [g.copy() for _, g in model.parameters()]
    model.backward(dZ)
    for g1, (_, g2) in zip(once, model.parameters(), strict=True):
        np.testing.assert_array_equal(g1, g2)


def test_sequential_backward_equals_chaining_the_layers_by_hand():
    rng = np.random.default_rng(8)
    d1, act, d2 = Dense(3, 4, rng=rng, dtype=np.float64), Tanh(), Dense(4, 2, rng=rng,
                                                                       dtype=np.float64)
    X, dZ2 = rng.normal(size=(5, 3)), rng.normal(size=(5, 2))
    Z1 = X @ d1.W + d1.b
    A1 = np.tanh(Z1)
    dA1 = dZ2 @ d2.W.T
    dZ1 = dA1 * (1 - A1 ** 2)
    net = Sequential(d1, act, d2)
    net.forward(X)
    dX = net.backward(dZ2)
    np.testing.assert_allclose(dX, dZ1 @ d1.W.T, rtol=1e-12)
    np.testing.assert_allclose(d1.dW, X.T @ dZ1, rtol=1e-12)
    np.testing.assert_allclose(d2.dW, A1.T @ dZ2, rtol=1e-12)
    assert Sequential(Dense(3, 2, dtype=np.float64)).forward(X).shape == (5, 2)

"""Every public function refuses bad input with a ValueError/TypeError that names the problem.

The point is the learner never sees an IndexError or a NumPy broadcasting error
from deep inside the library.
"""

import numpy as np
import pytest

from nnlib import activations, calculus, data, losses, optim, train
from nnlib.engine import Value
from nnlib.layers import MLP, Dense, ReLU, Sigmoid, Tanh


def _dense_after_forward():
    layer = Dense(3, 2)
    layer.forward(np.zeros((4, 3)))
    return layer


def _act_after_forward(cls=ReLU):
    layer = cls()
    layer.forward(np.zeros((4, 3)))
    return layer


def _fit(X=None, y=None, **kw):
    model = MLP([2, 3])
    X = np.zeros((6, 2)) if X is None else X
    y = np.array([0, 1, 2, 0, 1, 2]) if y is None else y
    args = dict(loss="cross_entropy", optimizer=optim.SGD(model.parameters(), lr=0.1),
                epochs=1, batch_size=2)
    args.update(kw)
    return train.fit(model, X, y, **args)


Z23 = np.zeros((2, 3))
NAN = [1.0, np.nan]
INF = [1.0, np.inf]

CASES = [
    # shape mismatches
    ("Dense.forward wrong columns", lambda: Dense(3, 2).forward(np.zeros((4, 5))),
     ValueError, r"Dense\(3→2\) expected X with 3 columns, got shape \(4, 5\)"),
    ("Dense.forward 1-D sample", lambda: Dense(3, 2).forward(np.zeros(3)),
     ValueError, r"got shape \(3,\).*reshape"),
    ("Dense.forward 3-D", lambda: Dense(3, 2).forward(np.zeros((2, 2, 3))),
     ValueError, r"got shape \(2, 2, 3\)"),
    ("Dense.backward wrong columns", lambda: _dense_after_forward().backward(np.zeros((4, 3))),
     ValueError, r"expected dZ with 2 columns, got shape \(4, 3\)"),
    ("Dense.backward wrong rows", lambda: _dense_after_forward().backward(np.zeros((3, 2))),
     ValueError, r"dZ has 3 rows \(shape \(3, 2\)\)"),
    ("ReLU.backward wrong shape", lambda: _act_after_forward().backward(np.zeros((3, 4))),
     ValueError, r"dA has shape \(3, 4\).*\(4, 3\)"),
    ("Sigmoid.backward wrong shape", lambda: _act_after_forward(Sigmoid).backward(np.zeros(3)),
     ValueError, "shape"),
    ("mse lengths", lambda: losses.mse([1.0, 2.0, 3.0], [1.0, 2.0]),
     ValueError, r"y_hat has shape \(3,\) but y has shape \(2,\)"),
    ("mse_grad column vs flat", lambda: losses.mse_grad(np.zeros((3, 1)), np.zeros(3)),
     ValueError, r"shape \(3, 1\).*shape \(3,\).*reshape"),
    ("mae lengths", lambda: losses.mae([1.0], [1.0, 2.0]), ValueError, "shape"),
    ("cross_entropy label count", lambda: losses.cross_entropy(Z23, [0, 1, 2]),
     ValueError, "2 rows .* 3 labels"),
    ("cross_entropy 2-D labels", lambda: losses.cross_entropy(Z23, [[0], [1]]),
     ValueError, r"1-D array of labels, got a column of shape \(2, 1\): use y.reshape\(-1\)"),
    ("gradcheck shapes", lambda: calculus.gradcheck(np.sum, np.ones(2), np.ones(3)),
     ValueError, "shape"),
    ("gd_step shapes", lambda: optim.gd_step(np.zeros(3), np.zeros(2), 0.1),
     ValueError, r"shape \(3,\) but dw has shape \(2,\)"),
    ("SGD pair shapes", lambda: optim.SGD([(np.zeros(3), np.zeros(2))], lr=0.1),
     ValueError, r"shape \(3,\) but its gradient has shape \(2,\)"),
    ("train_val_split lengths", lambda: data.train_val_split(np.zeros((5, 2)), np.zeros(4)),
     ValueError, "5 rows but y has 4"),
    ("train_val_split scalar y", lambda: data.train_val_split(np.zeros((5, 2)), 3),
     ValueError, "one row per sample"),
    ("minibatches lengths", lambda: data.minibatches(np.zeros((5, 2)), np.zeros(4), 2),
     ValueError, "5 rows but y has 4"),
    ("minibatches scalar y", lambda: data.minibatches(np.zeros((5, 2)), 3, 2),
     ValueError, "one row per sample"),
    ("scale_to_range stats shape",
     lambda: data.scale_to_range(np.zeros((3, 2)), data_min=[0, 0, 0], data_max=[1, 1, 1]),
     ValueError, r"data_min has shape \(3,\) but X has shape \(3, 2\)"),
    ("standardize stats shape", lambda: data.standardize(np.zeros((3, 2)), mean=[0, 0, 0]),
     ValueError, r"mean has shape \(3,\) but X has shape \(3, 2\)"),
    ("fit lengths", lambda: _fit(y=np.zeros(5, dtype=int)), ValueError, "6 rows but y has 5"),
    ("fit scalar y", lambda: _fit(y=3), ValueError, "6 rows but y has no entries"),
    ("fit X columns", lambda: _fit(X=np.zeros((6, 4))), ValueError, "expected X with 2 columns"),
    ("fit mse output vs target shape", lambda: _fit(loss="mse", y=np.zeros(6)),
     ValueError, r"outputs of shape \(6, 3\), but y has shape \(6,\)"),  # not a batch's
    # labels out of range
    ("cross_entropy label too big", lambda: losses.cross_entropy(Z23, [0, 3]),
     ValueError, r"labels from 0 to 3, but there are only 3 classes \(valid labels are 0..2\)"),
    ("cross_entropy negative label", lambda: losses.cross_entropy_grad(Z23, [-1, 0]),
     ValueError, "only 3 classes"),
    ("accuracy label too big", lambda: losses.accuracy(Z23, [0, 5]), ValueError, "only 3 classes"),
    ("cross_entropy float labels", lambda: losses.cross_entropy(Z23, [0.5, 1.0]),
     TypeError, "integer class labels"),
    ("one_hot out of range", lambda: data.one_hot([0, 4], num_classes=3),
     ValueError, "only 3 classes"),
    ("one_hot fractional classes", lambda: data.one_hot([0, 1], num_classes=2.5),
     TypeError, "num_classes must be an integer"),
    ("fit labels out of range", lambda: _fit(y=np.array([0, 1, 2, 3, 0, 1])),
     ValueError, "only 3 classes"),
    # NaN / inf
    ("mse NaN", lambda: losses.mse(NAN, [1.0, 2.0]), ValueError, "y_hat contains 1 NaN or inf"),
    ("mse inf target", lambda: losses.mse([1.0, 2.0], INF), ValueError, "y contains 1 NaN or inf"),
    ("cross_entropy inf", lambda: losses.cross_entropy([[0.0, np.inf]], [0]),
     ValueError, "logits contains 1 NaN or inf"),
    ("cross_entropy NaN label", lambda: losses.cross_entropy(Z23, [0, np.nan]),
     TypeError, "integer class labels"),
    ("sigmoid NaN", lambda: activations.sigmoid(NAN), ValueError, "NaN or inf"),
    ("softmax inf", lambda: activations.softmax(INF), ValueError, "NaN or inf"),
    ("relu_grad NaN", lambda: activations.relu_grad(NAN), ValueError, "NaN or inf"),
    ("Dense.forward NaN", lambda: Dense(2, 2).forward([NAN]), ValueError,
     r"Dense\(2→2\): X contains 1 NaN"),
    ("Dense.forward inf (float64 into float32 layer)",
     lambda: Dense(2, 2).forward(np.array([INF])), ValueError, "NaN or inf"),
    ("Dense.backward NaN", lambda: _dense_after_forward().backward([[np.nan, 0.0]] * 4),
     ValueError, "dZ contains 4 NaN"),
    ("Tanh.forward NaN list", lambda: Tanh().forward([NAN]), ValueError,
     "Tanh: Z contains 1 NaN"),
    ("derivative NaN", lambda: calculus.derivative(np.sin, np.nan), ValueError, "NaN or inf"),
    ("numerical_gradient inf", lambda: calculus.numerical_gradient(np.sum, INF),
     ValueError, "NaN or inf"),
    ("gradcheck NaN grad", lambda: calculus.gradcheck(np.sum, NAN, [1.0, 2.0]),
     ValueError, "analytic_grad contains 1 NaN"),
    ("scale_to_range NaN", lambda: data.scale_to_range([NAN]), ValueError, "NaN or inf"),
    ("standardize inf", lambda: data.standardize([INF]), ValueError, "NaN or inf"),
    ("fit NaN X", lambda: _fit(X=np.full((6, 2), np.nan)), ValueError, "X contains 12 NaN"),
    ("SGD NaN lr", lambda: optim.SGD([(np.zeros(2), np.zeros(2))], lr=float("nan")),
     ValueError, "lr must be finite"),
    ("Value NaN exponent base", lambda: Value(-1.0) ** 0.5, ValueError, "negative base"),
    # empty arrays
    ("mse empty", lambda: losses.mse([], []), ValueError, "y_hat is empty"),
    ("cross_entropy empty", lambda: losses.cross_entropy(np.zeros((0, 3)), []),
     ValueError, "logits is empty"),
    ("one_hot empty", lambda: data.one_hot([]), ValueError, "y is empty"),
    ("relu empty", lambda: activations.relu([]), ValueError, "z is empty"),
    ("Dense.forward empty", lambda: Dense(3, 2).forward(np.zeros((0, 3), dtype=np.float32)),
     ValueError, "empty"),
    ("Dense.forward empty list", lambda: Dense(3, 2).forward([]), ValueError, "empty"),
    ("derivative empty", lambda: calculus.derivative(np.sin, []), ValueError, "x is empty"),
    ("minibatches empty", lambda: data.minibatches(np.zeros((0, 2)), np.zeros(0), 2),
     ValueError, "empty dataset"),
    ("scale_to_range empty", lambda: data.scale_to_range(np.zeros((0, 2))),
     ValueError, "X is empty"),
    ("fit empty", lambda: _fit(X=np.zeros((0, 2)), y=np.zeros(0, dtype=int)),
     ValueError, "X is empty"),
    ("train_val_split empty", lambda: data.train_val_split(np.zeros((0, 2)), np.zeros(0)),
     ValueError, "empty split"),
    # batch_size, lr and other hyper-parameters
    ("minibatches batch_size 0", lambda: data.minibatches(np.zeros((4, 2)), np.zeros(4), 0),
     ValueError, "batch_size must be > 0, got 0"),
    ("minibatches batch_size -1", lambda: data.minibatches(np.zeros((4, 2)), np.zeros(4), -1),
     ValueError, "batch_size must be > 0"),
    ("minibatches batch_size float", lambda: data.minibatches(np.zeros((4, 2)), np.zeros(4), 2.0),
     TypeError, "batch_size must be an integer"),
    ("fit batch_size 0", lambda: _fit(batch_size=0), ValueError, "batch_size must be > 0"),
    ("fit epochs -1", lambda: _fit(epochs=-1), ValueError, "epochs must be > 0"),
    ("SGD lr 0", lambda: optim.SGD([(np.zeros(2), np.zeros(2))], lr=0),
     ValueError, "lr must be > 0, got 0"),
    ("SGD lr negative", lambda: optim.SGD([(np.zeros(2), np.zeros(2))], lr=-0.1),
     ValueError, "lr must be > 0"),
    ("SGD lr string", lambda: optim.SGD([(np.zeros(2), np.zeros(2))], lr="0.1"),
     TypeError, "lr must be a number"),
    ("gd_step lr 0", lambda: optim.gd_step(1.0, 1.0, 0), ValueError, "lr must be > 0"),
    ("step_decay lr0 negative", lambda: optim.step_decay(-1.0), ValueError, "lr0 must be > 0"),
    ("exponential_decay lr0 0", lambda: optim.exponential_decay(0), ValueError, "lr0 must be > 0"),
    ("derivative h 0", lambda: calculus.derivative(np.sin, 1.0, h=0), ValueError, "h must be > 0"),
    ("SGD momentum 1", lambda: optim.SGD([(np.zeros(2), np.zeros(2))], lr=0.1, momentum=1),
     ValueError, "momentum must be in"),
    ("Dense n_in 0", lambda: Dense(0, 2), ValueError, "n_in must be a positive integer"),
    ("train_val_split fraction", lambda: data.train_val_split(np.zeros((4, 1)), np.zeros(4), 1.5),
     ValueError, "val_fraction"),
    # wrong types
    ("mse None", lambda: losses.mse(None, [1.0]), TypeError, "y_hat is None"),
    ("mae strings", lambda: losses.mae(["a", "b"], [1.0, 2.0]), TypeError, "must hold numbers"),
    ("mse ragged", lambda: losses.mse([[1.0, 2.0], [3.0]], [1.0, 2.0]), TypeError, "ragged|array"),
    ("sigmoid complex", lambda: activations.sigmoid([1j]), TypeError, "real numbers"),
    ("ReLU.forward string", lambda: ReLU().forward("abc"), TypeError, "Z must be a number"),
    ("Value string", lambda: Value("3"), TypeError, "single real number"),
    ("make_moons float seed", lambda: data.make_moons(seed=0.5), TypeError, "seed"),
    ("fit unknown loss", lambda: _fit(loss="hinge"), ValueError, "loss must be one of"),
    ("fit loss type", lambda: _fit(loss=42), TypeError, "loss must be a name"),
]


@pytest.mark.parametrize("name,call,exc,match", CASES, ids=[c[0] for c in CASES])
def test_bad_input_is_refused_clearly(name, call, exc, match):
    with pytest.raises((ValueError, TypeError)) as info:
        result = call()
        if hasattr(result, "__next__"):  # a generator would hide a late error: force it
            next(result)
    err = info.value
    assert isinstance(err, exc), f"{name}: expected {exc.__name__}, got {type(err).__name__}: {err}"
    assert not isinstance(err, IndexError), f"{name}: raised an IndexError: {err}"
    message = str(err)
    assert "broadcast" not in message, f"{name}: a raw NumPy broadcasting error leaked: {message}"
    assert "index" not in message.lower() or "IDX" in message
    assert info.match(match)

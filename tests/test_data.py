"""nnlib.data: the shipped digits, IDX files, generators and preparation helpers."""

import gzip
import shutil
import struct

import numpy as np
import pytest

from nnlib import data
from nnlib.data import (
    load_digits,
    load_idx,
    make_moons,
    make_quadratic,
    make_spiral,
    minibatches,
    one_hot,
    scale_to_range,
    standardize,
    train_val_split,
)

# ---- digits -------------------------------------------------------------------

@pytest.fixture(scope="module")
def digits():
    return load_digits()


def test_digits_shape_labels_and_range(digits):
    X, y = digits
    assert X.shape == (1797, 64)
    assert y.shape == (1797,)
    assert set(np.unique(y)) == set(range(10))
    assert X.min() == 0 and X.max() == 16
    np.testing.assert_array_equal(X, np.round(X))  # pixel counts are whole numbers
    counts = np.bincount(y, minlength=10)
    assert counts.sum() == 1797
    assert counts.min() >= 170 and counts.max() <= 190  # roughly balanced classes


def test_digits_corrupted_copy_fails_checksum(tmp_path):
    bad = tmp_path / "digits.csv.gz"
    raw = bytearray(data.DIGITS_PATH.read_bytes())
    raw[len(raw) // 2] ^= 0xFF
    bad.write_bytes(bytes(raw))
    with pytest.raises(ValueError, match="corrupt: sha256 .* does not match"):
        load_digits(bad)


def test_digits_good_copy_loads(tmp_path, digits):
    copy = tmp_path / "digits.csv.gz"
    shutil.copy(data.DIGITS_PATH, copy)
    X, y = load_digits(copy)
    np.testing.assert_array_equal(X, digits[0])


def test_digits_missing_file(tmp_path):
    with pytest.raises(FileNotFoundError, match="digits data not found"):
        load_digits(tmp_path / "nope.csv.gz")


# ---- IDX ----------------------------------------------------------------------

def idx_bytes(arr, code=0x08):
    return bytes([0, 0, code, arr.ndim]) + struct.pack(f">{arr.ndim}I", *arr.shape) + arr.tobytes()


@pytest.mark.parametrize("gz", [False, True])
def test_load_idx_images_and_labels(tmp_path, gz):
    rng = np.random.default_rng(0)
    images = rng.integers(0, 256, size=(3, 4, 5), dtype=np.uint8)
    lab = np.array([7, 0, 9], dtype=np.uint8)
    for name, arr in (("img", images), ("lab", lab)):
        raw = idx_bytes(arr)
        path = tmp_path / (name + (".gz" if gz else ""))
        path.write_bytes(gzip.compress(raw) if gz else raw)
        out = load_idx(path)
        assert out.dtype == np.uint8
        np.testing.assert_array_equal(out, arr)


def test_load_idx_big_endian_types(tmp_path):
    arr = np.array([[1.5, -2.25], [3.0, 1e9]])
    path = tmp_path / "f8.idx"
    header = bytes([0, 0, 0x0E, 2]) + struct.pack(">2I", 2, 2)  # type 0x0E: big-endian float64
    path.write_bytes(header + arr.astype(">f8").tobytes())
    out = load_idx(path)
    np.testing.assert_array_equal(out, arr)
    assert out.dtype.isnative


def test_load_idx_bad_magic(tmp_path):
    path = tmp_path / "bad.idx"
    path.write_bytes(b"\x01\x02\x08\x01" + struct.pack(">I", 1) + b"\x00")
    with pytest.raises(ValueError, match="not an IDX file"):
        load_idx(path)
    path.write_bytes(b"\x00\x00\x77\x01" + struct.pack(">I", 1) + b"\x00")  # unknown type code
    with pytest.raises(ValueError, match="not an IDX file"):
        load_idx(path)
    path.write_bytes(b"\x00")
    with pytest.raises(ValueError, match="not an IDX file"):
        load_idx(path)


def test_load_idx_truncated(tmp_path):
    raw = idx_bytes(np.arange(12, dtype=np.uint8).reshape(3, 4))
    path = tmp_path / "short.idx"
    path.write_bytes(raw[:-1])
    with pytest.raises(ValueError, match=r"shape \(3, 4\) \(12 bytes\) .* 11 bytes"):
        load_idx(path)
    path.write_bytes(raw[:6])  # header itself cut short
    with pytest.raises(ValueError, match="truncated"):
        load_idx(path)
    path.write_bytes(gzip.compress(raw)[:-5])  # a truncated download of a .gz file
    with pytest.raises(ValueError, match="truncated"):
        load_idx(path)


def test_load_idx_missing(tmp_path):
    with pytest.raises(FileNotFoundError, match="no IDX file"):
        load_idx(tmp_path / "missing.idx")


# ---- generators ---------------------------------------------------------------

GENERATORS = [make_quadratic, make_spiral, make_moons]


@pytest.mark.parametrize("make", GENERATORS)
def test_generators_deterministic_per_seed(make):
    a, b = make(seed=3), make(seed=3)
    c = make(seed=4)
    for u, v in zip(a, b, strict=True):
        np.testing.assert_array_equal(u, v)
    assert not np.array_equal(a[0], c[0]) or not np.array_equal(a[1], c[1])


def test_generator_shapes():
    x, y = make_quadratic(n=30, noise=0.0, a=1.0, b=-2.0, c=0.5)
    assert x.shape == y.shape == (30,)
    np.testing.assert_allclose(y, x ** 2 - 2 * x + 0.5)  # no noise: exactly the parabola
    assert np.all(np.diff(x) >= 0)
    X, y = make_spiral(n_per_class=20, n_classes=4)
    assert X.shape == (80, 2) and np.array_equal(np.bincount(y), [20] * 4)
    X, y = make_moons(n=51)
    assert X.shape == (51, 2) and set(np.unique(y)) == {0, 1}


def test_generator_bad_input():
    with pytest.raises(ValueError, match="n must be > 0"):
        make_quadratic(n=0)
    with pytest.raises(TypeError, match="seed"):
        make_moons(seed=1.5)
    with pytest.raises(ValueError, match="noise"):
        make_moons(noise=-1)
    with pytest.raises(TypeError, match="n_classes must be an integer"):
        make_spiral(n_classes=2.0)


# ---- preparation --------------------------------------------------------------

def test_train_val_split():
    X = np.arange(100).reshape(50, 2)
    y = np.arange(50)
    Xtr, Xva, ytr, yva = train_val_split(X, y, val_fraction=0.2, seed=1)
    assert len(yva) == 10 and len(ytr) == 40
    np.testing.assert_array_equal(np.sort(np.r_[ytr, yva]), y)  # a partition
    np.testing.assert_array_equal(Xtr[:, 0] // 2, ytr)  # rows stay paired with labels
    np.testing.assert_array_equal(Xva[:, 0] // 2, yva)
    again = train_val_split(X, y, val_fraction=0.2, seed=1)
    np.testing.assert_array_equal(again[3], yva)
    with pytest.raises(ValueError, match="val_fraction"):
        train_val_split(X, y, val_fraction=1.0)
    with pytest.raises(ValueError, match="empty split"):
        train_val_split(X[:2], y[:2], val_fraction=0.1)
    with pytest.raises(ValueError, match="50 rows but y has 49"):
        train_val_split(X, y[:-1])


def test_scale_to_range():
    X = np.array([[0.0, 5.0, 2.0], [16.0, 10.0, 2.0], [8.0, 7.5, 2.0]])
    S = scale_to_range(X)
    np.testing.assert_allclose(S.min(axis=0)[:2], -1)
    np.testing.assert_allclose(S.max(axis=0)[:2], 1)
    np.testing.assert_allclose(S[2, :2], [0, 0])  # midpoints map to 0
    np.testing.assert_array_equal(S[:, 2], 0)  # a constant column goes to the middle
    # explicit range, as for the digits' 0..16 pixels
    np.testing.assert_allclose(scale_to_range([[0.0, 4.0, 16.0]], data_min=0, data_max=16),
                               [[-1, -0.5, 1]])
    np.testing.assert_allclose(scale_to_range(X[:, :1], low=0, high=1)[:, 0], [0, 1, 0.5])


def test_standardize():
    X = np.random.default_rng(0).normal(3, 2, size=(200, 3))
    X[:, 2] = 5.0
    Z = standardize(X)
    np.testing.assert_allclose(Z[:, :2].mean(axis=0), 0, atol=1e-12)
    np.testing.assert_allclose(Z[:, :2].std(axis=0), 1, rtol=1e-12)
    np.testing.assert_array_equal(Z[:, 2], 0)
    np.testing.assert_allclose(standardize([[1.0], [3.0]], mean=1.0, std=2.0), [[0], [1]])


def test_one_hot():
    np.testing.assert_array_equal(one_hot([2, 0, 1]), np.eye(3)[[2, 0, 1]])
    out = one_hot(np.array([1, 1]), num_classes=4)
    assert out.shape == (2, 4) and np.all(out.sum(axis=1) == 1) and np.all(out[:, 1] == 1)
    with pytest.raises(ValueError, match="only 3 classes"):
        one_hot([0, 3], num_classes=3)
    with pytest.raises(ValueError, match="empty"):
        one_hot([])


@pytest.mark.parametrize("batch_size", [1, 7, 32, 100, 500])
@pytest.mark.parametrize("shuffle", [True, False])
def test_minibatches_cover_every_sample_once(batch_size, shuffle):
    n = 103
    X = np.arange(n * 2).reshape(n, 2)
    y = np.arange(n)
    batches = list(minibatches(X, y, batch_size, shuffle=shuffle, rng=np.random.default_rng(0)))
    seen = np.concatenate([yb for _, yb in batches])
    np.testing.assert_array_equal(np.sort(seen), y)  # each exactly once
    assert all(len(yb) == batch_size for _, yb in batches[:-1])
    assert 1 <= len(batches[-1][1]) <= batch_size
    assert len(batches) == -(-n // batch_size)
    for Xb, yb in batches:
        np.testing.assert_array_equal(Xb[:, 0] // 2, yb)
    if not shuffle:
        np.testing.assert_array_equal(seen, y)


def test_minibatches_shuffle_differs_between_epochs():
    X, y = np.zeros((50, 1)), np.arange(50)
    rng = np.random.default_rng(0)
    e1 = np.concatenate([b for _, b in minibatches(X, y, 10, rng=rng)])
    e2 = np.concatenate([b for _, b in minibatches(X, y, 10, rng=rng)])
    assert not np.array_equal(e1, e2)


@pytest.mark.parametrize("bs,err", [(0, ValueError), (-4, ValueError), (2.5, TypeError)])
def test_minibatches_rejects_bad_batch_size_at_call_time(bs, err):
    with pytest.raises(err, match="batch_size"):
        minibatches(np.zeros((4, 2)), np.zeros(4), bs)  # no iteration needed


def test_minibatches_rejects_mismatched_or_empty():
    with pytest.raises(ValueError, match="4 rows but y has 3"):
        minibatches(np.zeros((4, 2)), np.zeros(3), 2)
    with pytest.raises(ValueError, match="empty"):
        minibatches(np.zeros((0, 2)), np.zeros(0), 2)


def test_make_quadratic_coefficients_follow_the_notation():
    """y = c2 x² + c1 x + c0 + ε (docs/notation.md); a, b, c still work as old keywords."""
    x, y = make_quadratic(n=20, c2=1.0, c1=-2.0, c0=0.5, noise=0.0)
    np.testing.assert_allclose(y, x ** 2 - 2 * x + 0.5, atol=1e-12)
    x2, y2 = make_quadratic(n=20, a=1.0, b=-2.0, c=0.5, noise=0.0)
    np.testing.assert_array_equal(y, y2)
    x3, y3 = make_quadratic(20, 1.0, -2.0, 0.5, 0.0)
    np.testing.assert_array_equal(y, y3)
    with pytest.raises(TypeError, match="both c2 and its old name a"):
        make_quadratic(c2=2.0, a=1.0)

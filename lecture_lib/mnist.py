"""MNIST as NumPy arrays, read straight from the original IDX files (notebooks 01, 02, 04).

``keras.datasets.mnist.load_data()`` downloads mnist.npz and cannot work offline; the IDX reader
below works on whatever :func:`lecture_lib.data.get` found (mirror, Kaggle, URL or synthetic).
"""

from __future__ import annotations

import gzip
from pathlib import Path

import numpy as np


class IdxFormatError(ValueError):
    """The file is not a valid IDX file (wrong magic number or size)."""


def read_idx(path: str | Path) -> np.ndarray:
    """Read one IDX file (``.gz`` or not) into a uint8 array of the shape its header gives."""
    path = Path(path)
    opener = gzip.open if path.suffix == ".gz" else open
    with opener(path, "rb") as f:
        raw = f.read()
    if len(raw) < 4 or raw[0] != 0 or raw[1] != 0 or raw[2] != 0x08:
        raise IdxFormatError(f"{path}: not an unsigned-byte IDX file (magic {raw[:4].hex()})")
    ndim = raw[3]
    shape = tuple(int.from_bytes(raw[4 + 4 * i : 8 + 4 * i], "big") for i in range(ndim))
    expected = 4 + 4 * ndim + int(np.prod(shape))
    if len(raw) != expected:
        raise IdxFormatError(f"{path}: {len(raw):,} bytes, but its header promises {expected:,}")
    return np.frombuffer(raw, np.uint8, offset=4 + 4 * ndim).reshape(shape)


def load(folder: str | Path) -> tuple[tuple[np.ndarray, np.ndarray], tuple[np.ndarray, np.ndarray]]:
    """``(x_train, y_train), (x_test, y_test)`` like ``keras.datasets.mnist.load_data()``."""
    from .datasets.mnist import files

    f = files(Path(folder))
    return (
        (read_idx(f["train-images-idx3-ubyte"]), read_idx(f["train-labels-idx1-ubyte"])),
        (read_idx(f["t10k-images-idx3-ubyte"]), read_idx(f["t10k-labels-idx1-ubyte"])),
    )


def write_idx(path: Path, array: np.ndarray) -> None:
    """Write a uint8 array as a gzipped IDX file (the format of the original MNIST files)."""
    a = np.ascontiguousarray(array, dtype=np.uint8)
    header = bytes([0, 0, 0x08, a.ndim]) + b"".join(int(n).to_bytes(4, "big") for n in a.shape)
    with gzip.open(path, "wb", compresslevel=6) as f:
        f.write(header + a.tobytes())

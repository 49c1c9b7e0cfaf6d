"""datasets/mnist: the IDX files read and written, bad ones refused with the reason."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest

from lecture_lib.datasets import mnist

ROOT = Path(__file__).resolve().parent.parent


def test_idx_round_trip_and_bad_files(tmp_path):
    a = np.arange(2 * 28 * 28, dtype=np.uint8).reshape(2, 28, 28)
    mnist.write_idx(tmp_path / "x.gz", a)
    assert np.array_equal(mnist.read_idx(tmp_path / "x.gz"), a)
    (tmp_path / "bad").write_bytes(b"\x00\x00\x09\x01" + bytes(8))
    with pytest.raises(mnist.IdxFormatError, match="magic"):
        mnist.read_idx(tmp_path / "bad")
    raw = tmp_path / "cut"
    raw.write_bytes(b"\x00\x00\x08\x01" + (10).to_bytes(4, "big") + bytes(5))
    with pytest.raises(mnist.IdxFormatError, match="promises"):
        mnist.read_idx(raw)

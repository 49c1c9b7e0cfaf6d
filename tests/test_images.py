"""images: each kind of bad or odd file gets its verdict; standard JPEGs, sizes and squares."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest
from PIL import Image

from lecture_lib import images


def _save(path: Path, mode: str = "RGB", size=(48, 40), fmt: str = "JPEG") -> Path:
    colour = {"L": 120, "P": 120, "RGB": (120, 60, 30), "CMYK": (10, 20, 30, 40)}[mode]
    Image.new(mode, size, colour).save(path, fmt)
    return path


@pytest.fixture
def odd(tmp_path: Path) -> Path:
    """One good JPEG and one file of every kind ``check_image`` must recognize."""
    _save(tmp_path / "good.jpg")
    (tmp_path / "empty.jpg").write_bytes(b"")
    big = _save(tmp_path / "big.jpg", size=(400, 300)).read_bytes()
    (tmp_path / "truncated.jpg").write_bytes(big[: len(big) // 2])
    (tmp_path / "html.jpg").write_text("<html>not an image</html>")
    _save(tmp_path / "png.jpg", fmt="PNG")
    _save(tmp_path / "grey.jpg", mode="L")
    _save(tmp_path / "cmyk.jpg", mode="CMYK")
    _save(tmp_path / "huge.jpg", size=(5000, 16))
    return tmp_path


def test_check_image_gives_each_file_its_verdict(odd):
    verdict = {f.name: images.check_image(f) for f in odd.iterdir()}
    assert verdict["good.jpg"] == images.ImageCheck("ok")
    assert verdict["big.jpg"] == images.ImageCheck("ok")
    assert verdict["empty.jpg"] == images.ImageCheck("bad", "empty file (0 bytes)")
    assert (
        verdict["truncated.jpg"].verdict == "bad" and "truncated" in verdict["truncated.jpg"].reason
    )
    assert verdict["html.jpg"] == images.ImageCheck("bad", "not an image")
    assert verdict["png.jpg"] == images.ImageCheck("convert", "PNG named .jpg")
    assert verdict["grey.jpg"] == images.ImageCheck("convert", "greyscale")
    assert verdict["cmyk.jpg"] == images.ImageCheck("convert", "CMYK")
    assert verdict["huge.jpg"] == images.ImageCheck("convert", "huge (5000x16)")


def test_standardize_image_writes_an_rgb_jpeg_no_larger_than_the_standard(odd, tmp_path):
    for name in ("grey.jpg", "cmyk.jpg", "png.jpg", "huge.jpg"):
        out = tmp_path / "std" / name
        images.standardize_image(odd / name, out)
        with Image.open(out) as img:
            assert (img.format, img.mode) == ("JPEG", "RGB")
            assert max(img.size) <= images.STANDARD_MAX_SIDE
        assert images.check_image(out) == images.ImageCheck("ok")


def test_image_sizes_skips_what_is_not_an_image(odd):
    sizes = images.image_sizes([odd / "good.jpg", odd / "html.jpg", odd / "huge.jpg"])
    assert sizes == [(48, 40), (5000, 16)]


def test_load_square_centre_crops_and_resizes(tmp_path):
    a = np.zeros((40, 80, 3), np.uint8)
    a[:, 20:60] = 255  # a white square in the middle of a wide black image
    Image.fromarray(a).save(tmp_path / "wide.png")
    square = images.load_square(tmp_path / "wide.png", 16)
    assert square.shape == (16, 16, 3) and square.dtype == np.uint8
    assert square.min() == 255  # only the centre square is kept

"""One image at a time: is this file usable, write it as a standard RGB JPEG, read its size, load it.

``prepare`` checks and standardizes every image of a split with these; notebooks and exercises load
single photos with :func:`load_square`. Nothing here knows a dataset or a folder layout.
"""

from __future__ import annotations

import warnings
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path

import numpy as np
from PIL import Image, UnidentifiedImageError

MAX_SIDE = 4096  # larger images are downscaled to STANDARD_MAX_SIDE when prepared
STANDARD_MAX_SIDE = 1024


@dataclass(frozen=True)
class ImageCheck:
    """The verdict on one file: ``ok`` (link as is), ``convert`` (re-encode) or ``bad`` (leave out)."""

    verdict: str
    reason: str = ""


def check_image(path: Path) -> ImageCheck:
    """Open and fully decode ``path`` once; say whether it is usable and whether it needs converting."""
    try:
        if path.stat().st_size == 0:
            return ImageCheck("bad", "empty file (0 bytes)")
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            with Image.open(path) as img:
                fmt, mode, size = img.format, img.mode, img.size
                if fmt == "JPEG":  # decode at reduced scale: same stream, truncation still caught
                    img.draft("RGB", (max(1, size[0] // 4), max(1, size[1] // 4)))
                img.load()
    except (Image.DecompressionBombError, Image.DecompressionBombWarning):
        return ImageCheck("bad", "too many pixels (decompression bomb?)")
    except UnidentifiedImageError:
        return ImageCheck("bad", "not an image")
    except (OSError, SyntaxError, ValueError) as e:
        return ImageCheck("bad", f"corrupt or truncated ({e})")
    reasons = []
    if fmt != "JPEG" and path.suffix.lower() in (".jpg", ".jpeg"):
        reasons.append(f"{fmt} named {path.suffix}")
    elif fmt not in ("JPEG", "PNG"):
        reasons.append(f"{fmt} file")
    if mode != "RGB":
        reasons.append(
            {"L": "greyscale", "CMYK": "CMYK", "P": "palette", "RGBA": "has alpha"}.get(
                mode, f"mode {mode}"
            )
        )
    if max(size) > MAX_SIDE:
        reasons.append(f"huge ({size[0]}x{size[1]})")
    return ImageCheck("convert", ", ".join(reasons)) if reasons else ImageCheck("ok")


def standardize_image(src: Path, dst: Path) -> None:
    """Write ``src`` as an RGB JPEG no larger than STANDARD_MAX_SIDE at ``dst``."""
    with Image.open(src) as img:
        img = img.convert("RGB")
        if max(img.size) > STANDARD_MAX_SIDE:
            img.thumbnail((STANDARD_MAX_SIDE, STANDARD_MAX_SIDE))
        dst.parent.mkdir(parents=True, exist_ok=True)
        img.save(dst.with_suffix(".jpg"), "JPEG", quality=95)


def image_sizes(files: Iterable[Path]) -> list[tuple[int, int]]:
    """(width, height) of each readable image, from its header only (fast)."""
    sizes = []
    for f in files:
        try:
            with Image.open(f) as img:
                sizes.append(img.size)
        except (OSError, UnidentifiedImageError):
            continue
    return sizes


def load_square(path: str | Path, size: int) -> np.ndarray:
    """An image as RGB uint8, centre-cropped to a square and resized to size x size."""
    with Image.open(path) as img:
        img = img.convert("RGB")
        w, h = img.size
        s = min(w, h)
        img = img.crop(((w - s) // 2, (h - s) // 2, (w - s) // 2 + s, (h - s) // 2 + s)).resize(
            (size, size), Image.BILINEAR
        )
        return np.asarray(img)

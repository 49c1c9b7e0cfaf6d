"""Synthetic stand-ins with the real layouts, for smoke mode only when no real data can be had.

They prove that every notebook cell runs; they teach nothing about the real data, and
:func:`lecture_lib.data.get` says so in large letters whenever one is used.
"""

from __future__ import annotations

from pathlib import Path

import numpy as np
from PIL import Image, ImageDraw

from . import layouts

BANNER = """
##########################################################################
#  SYNTHETIC STAND-IN DATA for {name!r}: NOT THE REAL DATASET.
#  No real copy could be reached (see the attempts above), so smoke mode
#  made random pictures with the real layout. Every number below is
#  meaningless. Set LECTURE_MIRROR or Kaggle credentials for real data.
##########################################################################
"""


def _shape_image(rng: np.random.Generator, size: int, label: int, n_labels: int) -> Image.Image:
    """A coloured shape whose hue and shape depend on the label (learnable, clearly not a photo)."""
    hue = int(255 * label / max(n_labels, 1))
    img = Image.new("RGB", (size, size), tuple(int(v) for v in rng.integers(0, 80, 3)))
    d = ImageDraw.Draw(img)
    a, b = rng.integers(size // 8, size // 3, 2)
    box = (int(a), int(b), int(size - b), int(size - a))
    colour = (hue, 255 - hue, int(rng.integers(0, 255)))
    (d.ellipse if label % 2 else d.rectangle)(box, fill=colour)
    return img


def make(name: str, target: Path, seed: int = 0) -> Path:
    """Write a small synthetic dataset with the layout of ``name`` into ``target``."""
    rng = np.random.default_rng(seed)
    target.mkdir(parents=True, exist_ok=True)
    if name == "mnist":
        for split, n in (("train", 2000), ("t10k", 500)):
            labels = rng.integers(0, 10, n).astype(np.uint8)
            images = np.zeros((n, 28, 28), np.uint8)
            for i, y in enumerate(labels):  # a bar whose position encodes the digit
                images[i, 4:24, 2 + 2 * y: 5 + 2 * y] = 255
            images = np.clip(images + rng.integers(0, 40, images.shape), 0, 255).astype(np.uint8)
            layouts.write_idx(target / f"{split}-images-idx3-ubyte.gz", images)
            layouts.write_idx(target / f"{split}-labels-idx1-ubyte.gz", labels)
    elif name == "flowers17":
        for i in range(layouts.FLOWERS17_COUNT):
            path = target / "jpg" / f"image_{i + 1:04d}.jpg"
            path.parent.mkdir(parents=True, exist_ok=True)
            _shape_image(rng, 64, i // 80, 17).save(path, quality=85)
    elif name == "dogs-vs-cats":
        for label, cls in enumerate(("cat", "dog")):
            for i in range(120):
                path = target / "train" / f"{cls}.{i}.jpg"
                path.parent.mkdir(parents=True, exist_ok=True)
                _shape_image(rng, 96, label, 2).save(path, quality=85)
    else:
        raise KeyError(name)
    return target

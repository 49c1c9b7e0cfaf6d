"""What each dataset looks like on disk, and how to build that layout from what a source delivers.

A *check* answers "is this folder a complete copy?"; an *assemble* function builds the canonical
layout (DESIGN.md data flow step 1) in ``out`` from the folders a source gave (Kaggle, an extracted
archive, downloaded files), linking rather than copying where it can. Used by :mod:`lecture_lib.data`.
"""

from __future__ import annotations

import gzip
import os
import re
import shutil
from collections.abc import Iterable
from pathlib import Path

from .archives import safe_extract

MNIST_STEMS = (
    "train-images-idx3-ubyte",
    "train-labels-idx1-ubyte",
    "t10k-images-idx3-ubyte",
    "t10k-labels-idx1-ubyte",
)
FLOWERS17_COUNT = 1360
_PET_NAME = re.compile(r"^(cat|dog)\.(\d+)\.jpg$", re.IGNORECASE)


class LayoutError(RuntimeError):
    """What a source delivered does not contain the dataset in a form we know."""


def link_or_copy(src: Path, dst: Path) -> None:
    """Hard-link ``src`` to ``dst`` (free, same bytes); copy when linking is impossible."""
    dst.parent.mkdir(parents=True, exist_ok=True)
    try:
        os.link(src, dst)
    except OSError:
        shutil.copy2(src, dst)


# --- checks -----------------------------------------------------------------------------------

def check_mnist(root: Path) -> tuple[bool, str]:
    missing = [s for s in MNIST_STEMS if not _mnist_file(root, s)]
    return (not missing, "complete" if not missing else f"missing {', '.join(missing)}")


def _mnist_file(root: Path, stem: str) -> Path | None:
    for name in (stem + ".gz", stem):
        p = root / name
        if p.is_file() and p.stat().st_size > 0:
            return p
    return None


def mnist_files(root: Path) -> dict[str, Path]:
    """The four IDX files of a checked MNIST folder, by stem."""
    found = {s: _mnist_file(root, s) for s in MNIST_STEMS}
    if not all(found.values()):
        raise LayoutError(f"{root}: {check_mnist(root)[1]}")
    return found  # type: ignore[return-value]


def check_flowers17(root: Path) -> tuple[bool, str]:
    jpg = root / "jpg"
    if not jpg.is_dir():
        return False, "no jpg/ folder"
    missing = [i for i in range(1, FLOWERS17_COUNT + 1) if not (jpg / f"image_{i:04d}.jpg").is_file()]
    if missing:
        return False, f"{len(missing)} of {FLOWERS17_COUNT} images missing (first: image_{missing[0]:04d}.jpg)"
    return True, f"{FLOWERS17_COUNT} images"


def check_dogs_vs_cats(root: Path) -> tuple[bool, str]:
    train = root / "train"
    if not train.is_dir():
        return False, "no train/ folder"
    counts = {"cat": 0, "dog": 0}
    for entry in os.scandir(train):
        m = _PET_NAME.match(entry.name)
        if m:
            counts[m.group(1).lower()] += 1
    if min(counts.values()) == 0:
        return False, f"train/ has {counts['cat']} cat.N.jpg and {counts['dog']} dog.N.jpg files"
    return True, f"{counts['cat']} cats, {counts['dog']} dogs"


# --- assemble ---------------------------------------------------------------------------------

def _walk_files(roots: Iterable[Path]) -> Iterable[Path]:
    for root in roots:
        if root.is_file():
            yield root
            continue
        for dirpath, _dirs, files in os.walk(root):
            for f in sorted(files):
                yield Path(dirpath) / f


def assemble_mnist(roots: list[Path], out: Path, work: Path) -> None:
    """Canonical: the 4 IDX files (``.gz`` or not). Accepts Kaggle's dotted names and Keras' npz."""
    pattern = re.compile(r"^(train|t10k)-(images|labels)[.-](idx[13])-ubyte(\.gz)?$")
    found: dict[str, Path] = {}
    npz: Path | None = None
    for f in _walk_files(roots):
        m = pattern.match(f.name)
        if m:
            stem = f"{m.group(1)}-{m.group(2)}-{m.group(3)}-ubyte"
            found.setdefault(stem + (m.group(4) or ""), f)
        elif f.name == "mnist.npz":
            npz = npz or f
    out.mkdir(parents=True, exist_ok=True)
    for stem in MNIST_STEMS:
        src = found.get(stem + ".gz") or found.get(stem)
        if src is not None:
            link_or_copy(src, out / (stem + (".gz" if src.name.endswith(".gz") else "")))
    if check_mnist(out)[0]:
        return
    if npz is None:
        raise LayoutError(f"no MNIST IDX files or mnist.npz found ({check_mnist(out)[1]})")
    import numpy as np

    with np.load(npz, allow_pickle=False) as d:
        arrays = {
            "train-images-idx3-ubyte": d["x_train"], "train-labels-idx1-ubyte": d["y_train"],
            "t10k-images-idx3-ubyte": d["x_test"], "t10k-labels-idx1-ubyte": d["y_test"],
        }
    for stem, a in arrays.items():
        write_idx(out / (stem + ".gz"), a)


def write_idx(path: Path, array) -> None:  # noqa: ANN001 - numpy array
    """Write a uint8 array as a gzipped IDX file (the format of the original MNIST files)."""
    import numpy as np

    a = np.ascontiguousarray(array, dtype=np.uint8)
    header = bytes([0, 0, 0x08, a.ndim]) + b"".join(int(n).to_bytes(4, "big") for n in a.shape)
    with gzip.open(path, "wb", compresslevel=6) as f:
        f.write(header + a.tobytes())


def assemble_flowers17(roots: list[Path], out: Path, work: Path) -> None:
    """Canonical: ``jpg/image_NNNN.jpg`` as in Oxford's 17flowers.tgz."""
    for f in _walk_files(roots):
        if f.name == "image_0001.jpg":
            src_dir = f.parent
            for i in range(1, FLOWERS17_COUNT + 1):
                name = f"image_{i:04d}.jpg"
                if (src_dir / name).is_file():
                    link_or_copy(src_dir / name, out / "jpg" / name)
            return
    raise LayoutError("no jpg/image_0001.jpg found")


def assemble_dogs_vs_cats(roots: list[Path], out: Path, work: Path) -> None:
    """Canonical: Kaggle's ``train/cat.N.jpg``. Accepts Kaggle's train.zip (nested in the
    competition download) and Microsoft's PetImages/{Cat,Dog}/N.jpg layout."""
    files = list(_walk_files(roots))
    kaggle = [f for f in files if _PET_NAME.match(f.name) and f.parent.name == "train"]
    if kaggle:
        for f in kaggle:
            link_or_copy(f, out / "train" / f.name.lower())
        return
    pet = [f for f in files if f.parent.name in ("Cat", "Dog") and f.parent.parent.name == "PetImages"]
    if pet:
        for f in pet:
            if f.suffix.lower() == ".jpg" and f.stem.isdigit():  # skips Thumbs.db
                link_or_copy(f, out / "train" / f"{f.parent.name.lower()}.{f.stem}.jpg")
        return
    nested = [f for f in files if f.name == "train.zip"]
    if nested:
        inner = safe_extract(nested[0], work / "train_zip")
        assemble_dogs_vs_cats([inner], out, work)
        return
    raise LayoutError("found neither train/cat.N.jpg, PetImages/Cat/N.jpg nor train.zip")

"""Kaggle's Dogs vs. Cats (Asirra, Elson et al. 2007): ``train/cat.N.jpg``."""

from __future__ import annotations

import os
import re
from pathlib import Path

import numpy as np

from ..archives import safe_extract
from .common import DatasetSpec, LayoutError, RemoteFile, link_or_copy, shape_image, walk_files

_NAME = re.compile(r"^(cat|dog)\.(\d+)\.jpg$", re.IGNORECASE)
_CLASS_FILE = re.compile(r"^(cat|dog)\.\d+\.(jpe?g|png)$", re.IGNORECASE)
# The course's split, the one of *Deep Learning with Python* (notebook 01 writes it out by hand; 03
# and 08 use it). A copy is complete when it holds enough photos for the full-mode split; the
# offline mirror's 4,002 photos are, a handful is not.
SPLIT_PLAN = {
    "full": {"train": 1000, "validation": 500, "test": 500},
    "smoke": {"train": 40, "validation": 20, "test": 20},
}
NEEDED_PER_CLASS = sum(SPLIT_PLAN["full"].values())  # a complete copy has at least this many
_PETIMAGES = "https://download.microsoft.com/download/3/E/1/3E1C3F21-ECDB-4869-8368-6DEBA77B919F/"


def check(root: Path) -> tuple[bool, str]:
    train = root / "train"
    if not train.is_dir():
        return False, "no train/ folder"
    counts = {"cat": 0, "dog": 0}
    for entry in os.scandir(train):
        m = _NAME.match(entry.name)
        if m:
            counts[m.group(1).lower()] += 1
    if min(counts.values()) < NEEDED_PER_CLASS:
        return False, (
            f"train/ has {counts['cat']:,} cat.N.jpg and {counts['dog']:,} dog.N.jpg files; the notebooks' "
            f"full-mode splits need {NEEDED_PER_CLASS:,} of each (1,000 train + 500 validation + 500 test)"
        )
    return True, f"{counts['cat']:,} cats, {counts['dog']:,} dogs"


def assemble(roots: list[Path], out: Path, work: Path) -> None:
    """Canonical: Kaggle's ``train/cat.N.jpg``. Accepts Kaggle's train.zip (nested in the
    competition download) and Microsoft's PetImages/{Cat,Dog}/N.jpg layout."""
    found = list(walk_files(roots))
    kaggle = [f for f in found if _NAME.match(f.name) and f.parent.name == "train"]
    if kaggle:
        for f in kaggle:
            link_or_copy(f, out / "train" / f.name.lower())
        return
    pet = [
        f for f in found if f.parent.name in ("Cat", "Dog") and f.parent.parent.name == "PetImages"
    ]
    if pet:
        for f in pet:
            if f.suffix.lower() == ".jpg" and f.stem.isdigit():  # skips Thumbs.db
                link_or_copy(f, out / "train" / f"{f.parent.name.lower()}.{f.stem}.jpg")
        return
    nested = [f for f in found if f.name == "train.zip"]
    if nested:
        inner = safe_extract(nested[0], work / "train_zip")
        assemble([inner], out, work)
        return
    raise LayoutError("found neither train/cat.N.jpg, PetImages/Cat/N.jpg nor train.zip")


def files_by_class(raw: Path) -> dict[str, list[Path]]:
    """``train/cat.N.jpg`` -> {"cats": [...], "dogs": [...]} (folder names as in the lecture)."""
    out: dict[str, list[Path]] = {"cats": [], "dogs": []}
    for f in sorted((Path(raw) / "train").iterdir()):
        m = _CLASS_FILE.match(f.name)
        if m:
            out[m.group(1).lower() + "s"].append(f)
    return out


def synthesize(target: Path, seed: int = 0) -> None:
    """120 + 120 96-px shapes (smoke mode only)."""
    rng = np.random.default_rng(seed)
    for label, cls in enumerate(("cat", "dog")):
        for i in range(120):
            path = target / "train" / f"{cls}.{i}.jpg"
            path.parent.mkdir(parents=True, exist_ok=True)
            shape_image(rng, 96, label, 2).save(path, quality=85)


SPEC = DatasetSpec(
    name="dogs-vs-cats",
    title="Kaggle Dogs vs. Cats (Asirra): 25,000 labelled photos",
    kaggle_kind="competition",
    kaggle_handle="dogs-vs-cats",  # competitions have no versions on Kaggle
    url_routes=(
        # Microsoft's current PetImages zip publishes no hash: it is recorded on first download
        (
            RemoteFile(
                _PETIMAGES + "kagglecatsanddogs_5340.zip", None, "kagglecatsanddogs_5340.zip"
            ),
        ),
        (
            RemoteFile(
                _PETIMAGES + "kagglecatsanddogs_3367a.zip",  # the older zip, as TFDS pins it
                "f9553e426bd725354ed3a27e3c6920caadb55c835d1ebd880d2e56d3f1fbb22b",
                "kagglecatsanddogs_3367a.zip",
            ),
        ),
    ),
    check=check,
    assemble=assemble,
    synthesize=synthesize,
    files_by_class=files_by_class,
    split_plan=SPLIT_PLAN,
    prepared_name="dogs-vs-cats",
    layout="dogs-vs-cats/train/cat.N.jpg, dog.N.jpg",
    citation=(
        "J. Elson, J. Douceur, J. Howell, J. Saul: Asirra: A CAPTCHA that Exploits "
        "Interest-Aligned Manual Image Categorization. ACM CCS 2007."
    ),
    terms=(
        "Microsoft Research / Kaggle rules: non-commercial research and teaching only; "
        "the images may not be re-published (never commit them)."
    ),
    mirror_archives=(
        "dogs-vs-cats.zip",
        "train.zip",
        "kagglecatsanddogs_5340.zip",
        "kagglecatsanddogs_3367a.zip",
    ),
)

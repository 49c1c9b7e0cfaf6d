"""Oxford's Flowers17 (Nilsback & Zisserman): 17 species x 80 photos."""

from __future__ import annotations

from pathlib import Path

import numpy as np

from .common import DatasetSpec, LayoutError, RemoteFile, link_or_copy, shape_image, walk_files

COUNT = 1360
# Oxford's jpg/image_NNNN.jpg: the species are consecutive blocks of 80, in this order
CLASSES = (
    "daffodil",
    "snowdrop",
    "lily_valley",
    "bluebell",
    "crocus",
    "iris",
    "tigerlily",
    "tulip",
    "fritillary",
    "sunflower",
    "daisy",
    "colts_foot",
    "dandelion",
    "cowslip",
    "buttercup",
    "windflower",
    "pansy",
)


def check(root: Path) -> tuple[bool, str]:
    jpg = root / "jpg"
    if not jpg.is_dir():
        return False, "no jpg/ folder"
    missing = [i for i in range(1, COUNT + 1) if not (jpg / f"image_{i:04d}.jpg").is_file()]
    if missing:
        return (
            False,
            f"{len(missing)} of {COUNT} images missing (first: image_{missing[0]:04d}.jpg)",
        )
    return True, f"{COUNT} images"


def assemble(roots: list[Path], out: Path, work: Path) -> None:
    """Canonical: ``jpg/image_NNNN.jpg`` as in Oxford's 17flowers.tgz."""
    for f in walk_files(roots):
        if f.name == "image_0001.jpg":
            src_dir = f.parent
            for i in range(1, COUNT + 1):
                name = f"image_{i:04d}.jpg"
                if (src_dir / name).is_file():
                    link_or_copy(src_dir / name, out / "jpg" / name)
            return
    raise LayoutError("no jpg/image_0001.jpg found")


def files_by_class(raw: Path) -> dict[str, list[Path]]:
    """``jpg/image_NNNN.jpg`` -> {species: [photos]}: consecutive blocks of 80, in CLASSES order."""
    out: dict[str, list[Path]] = {c: [] for c in CLASSES}
    for f in sorted((Path(raw) / "jpg").glob("image_*.jpg")):
        idx = int(f.stem.split("_")[1]) - 1
        out[CLASSES[min(idx // 80, 16)]].append(f)
    return out


def synthesize(target: Path, seed: int = 0) -> None:
    """1,360 64-px shapes, one colour per species (smoke mode only)."""
    rng = np.random.default_rng(seed)
    for i in range(COUNT):
        path = target / "jpg" / f"image_{i + 1:04d}.jpg"
        path.parent.mkdir(parents=True, exist_ok=True)
        shape_image(rng, 64, i // 80, 17).save(path, quality=85)


SPEC = DatasetSpec(
    name="flowers17",
    title="Oxford 17 Category Flower Dataset (17 classes x 80 images)",
    kaggle_kind="dataset",
    kaggle_handle="",  # no Kaggle copy is used: Oxford's own archive is public
    url_routes=(
        (
            RemoteFile(
                "https://www.robots.ox.ac.uk/~vgg/data/flowers/17/17flowers.tgz",
                "fe38a60f8b4a95e657551247d3e7d799a3fafcdbc595be504b12839967823d70",  # as intel/dffml pins it
                "17flowers.tgz",
            ),
        ),
    ),
    check=check,
    assemble=assemble,
    synthesize=synthesize,
    files_by_class=files_by_class,
    # Oxford's own split sizes, 40 / 20 / 20 per species
    split_plan={
        "full": {"train": 40, "validation": 20, "test": 20},
        "smoke": {"train": 6, "validation": 3, "test": 3},
    },
    prepared_name="flowers17",
    layout="flowers17/jpg/image_0001.jpg ... image_1360.jpg",
    citation="M.-E. Nilsback, A. Zisserman: A Visual Vocabulary for Flower Classification. CVPR 2006.",
    terms="Research and teaching use with citation (Oxford VGG states no other licence).",
    mirror_archives=("17flowers.tgz", "flowers17.tgz", "flowers17.zip"),
)

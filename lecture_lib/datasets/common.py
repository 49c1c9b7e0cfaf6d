"""What every dataset entry is made of, and the helpers the entries share.

A :class:`DatasetSpec` holds everything the course knows about one dataset: where it comes from
(Kaggle, public URLs with sha256, archive names in a mirror), how to check that a folder holds a
complete copy, how to assemble the canonical layout from what a source delivers, its files by
class (for ``prepare.split_directories``), the course's split of it into train / validation /
test (for the full and the smoke mode, and the folder it is prepared in), and its synthetic
stand-in for smoke mode.
"""

from __future__ import annotations

import os
import shutil
from collections.abc import Callable, Iterable
from dataclasses import dataclass, field
from pathlib import Path

import numpy as np
from PIL import Image, ImageDraw


class LayoutError(RuntimeError):
    """What a source delivered does not contain the dataset in a form we know."""


@dataclass(frozen=True)
class RemoteFile:
    """One file at a public URL; ``sha256=None`` only where no hash is published anywhere."""

    url: str
    sha256: str | None
    filename: str


@dataclass(frozen=True)
class DatasetSpec:
    """One dataset: sources, layout, its files by class and its synthetic stand-in."""

    name: str
    title: str
    kaggle_kind: str  # "competition" or "dataset"
    kaggle_handle: str  # datasets carry a pinned version: owner/slug/versions/N
    url_routes: tuple[
        tuple[RemoteFile, ...], ...
    ]  # each route: files that together are the dataset
    check: Callable[[Path], tuple[bool, str]]  # is this folder a complete copy? (and why not)
    assemble: Callable[[list[Path], Path, Path], None]  # (what a source gave, out, scratch folder)
    synthesize: Callable[
        [Path, int], None
    ]  # a small stand-in with the same layout (smoke mode only)
    layout: str
    citation: str
    terms: str
    mirror_archives: tuple[str, ...] = field(default=())
    files_by_class: Callable[[Path], dict[str, list[Path]]] | None = (
        None  # None: not a folder of images
    )
    # the course's split, images per class: {"full": {"train": n, ...}, "smoke": {...}} (folders only)
    split_plan: dict[str, dict[str, int]] = field(default_factory=dict)
    prepared_name: str = ""  # data/prepared/<this>/ (smoke mode: <this>-small/)

    def split(self, smoke: bool) -> dict[str, int]:
        """Images per class in train / validation / test, for this mode (a copy: callers may keep it)."""
        if not self.split_plan:
            raise TypeError(f"{self.name} has no split plan: it is not a folder of images by class")
        return dict(self.split_plan["smoke" if smoke else "full"])

    def prepared_folder(self, data_dir: Path, smoke: bool) -> Path:
        """Where the course's split of it is built: ``data/prepared/<name>[-small]/``."""
        return (
            data_dir / "prepared" / (f"{self.prepared_name}-small" if smoke else self.prepared_name)
        )

    @property
    def kaggle_url(self) -> str:
        if self.kaggle_kind == "competition":
            return f"https://www.kaggle.com/c/{self.kaggle_handle}"
        return "https://www.kaggle.com/datasets/" + "/".join(self.kaggle_handle.split("/")[:2])

    @property
    def kaggle_rules_url(self) -> str:
        return f"{self.kaggle_url}/rules" if self.kaggle_kind == "competition" else self.kaggle_url


def link_or_copy(src: Path, dst: Path) -> None:
    """Hard-link ``src`` to ``dst`` (free, same bytes); copy when linking is impossible (another
    drive, a file system without hard links such as FAT or some Windows and network shares)."""
    dst.parent.mkdir(parents=True, exist_ok=True)
    try:
        os.link(src, dst)
    except (OSError, NotImplementedError, AttributeError):
        shutil.copy2(src, dst)


def walk_files(roots: Iterable[Path]) -> Iterable[Path]:
    """Every file under ``roots`` (a root that is a file is itself), in a stable order."""
    for root in roots:
        if root.is_file():
            yield root
            continue
        for dirpath, _dirs, files in os.walk(root):
            for f in sorted(files):
                yield Path(dirpath) / f


def shape_image(rng: np.random.Generator, size: int, label: int, n_labels: int) -> Image.Image:
    """A synthetic picture: a coloured shape whose hue and form depend on the label (learnable,
    clearly not a photo). For the stand-ins only."""
    hue = int(255 * label / max(n_labels, 1))
    img = Image.new("RGB", (size, size), tuple(int(v) for v in rng.integers(0, 80, 3)))
    d = ImageDraw.Draw(img)
    a, b = rng.integers(size // 8, size // 3, 2)
    box = (int(a), int(b), int(size - b), int(size - a))
    colour = (hue, 255 - hue, int(rng.integers(0, 255)))
    (d.ellipse if label % 2 else d.rectangle)(box, fill=colour)
    return img

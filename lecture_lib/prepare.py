"""Standardize directories: ``train/ validation/ test/`` with one folder per class.

Each image is checked once (``images.check_image``; the verdict is cached by size and mtime): unusable files (empty,
truncated, not an image, decompression bombs) are left out and listed; usable files that a
``tf.data`` pipeline would choke on (PNG/BMP/GIF named .jpg, greyscale, CMYK, palette, huge) are
written as RGB JPEG; the rest are hard-linked. Originals are never moved, changed or deleted.
The split is stratified and seeded; a re-run with the same inputs is a no-op and says so.
"""

from __future__ import annotations

import json
import random
import shutil
from collections.abc import Iterable, Mapping, Sequence
from concurrent.futures import ThreadPoolExecutor
from dataclasses import dataclass, field
from pathlib import Path

from .config import Settings, read_json, settings
from .data import DatasetLocation
from .datasets import link_or_copy
from .images import ImageCheck, check_image, standardize_image

SPLITS = ("train", "validation", "test")
MANIFEST = "manifest.json"
SPLIT_SEED = 42  # the course's splits are fixed; LECTURE_SEED varies training, not which photo is in which split


class CheckCache:
    """Verdicts kept in a JSON file, keyed by path and invalidated by size or mtime changes."""

    def __init__(self, path: Path) -> None:
        self.path = path
        self._d: dict[str, list] = read_json(path) or {}
        self.dirty = False

    def check_many(self, files: Sequence[Path], workers: int = 4) -> dict[Path, ImageCheck]:
        todo = []
        out: dict[Path, ImageCheck] = {}
        for f in files:
            st = f.stat()
            hit = self._d.get(str(f))
            if hit and hit[0] == st.st_size and hit[1] == st.st_mtime_ns:
                out[f] = ImageCheck(hit[2], hit[3])
            else:
                todo.append(f)
        if todo:
            with ThreadPoolExecutor(workers) as pool:  # PIL releases the GIL while decoding
                for f, c in zip(todo, pool.map(check_image, todo), strict=True):
                    st = f.stat()
                    self._d[str(f)] = [st.st_size, st.st_mtime_ns, c.verdict, c.reason]
                    out[f] = c
            self.dirty = True
        return out

    def save(self) -> None:
        if self.dirty:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            self.path.write_text(json.dumps(self._d))
            self.dirty = False


@dataclass
class SplitReport:
    """What :func:`split_directories` built (or found already built), to print in a notebook."""

    root: Path
    counts: dict[str, dict[str, int]]
    excluded: list[tuple[str, str]] = field(default_factory=list)
    converted: list[tuple[str, str]] = field(default_factory=list)
    requested: dict[str, int] = field(default_factory=dict)
    changed: bool = True
    checked: int = 0

    def dir(self, split: str) -> Path:
        return self.root / split

    def __str__(self) -> str:
        classes = sorted({c for per in self.counts.values() for c in per})
        rows = [
            f"{'class':<14}" + "".join(f"{sp:>12}" for sp in SPLITS)
        ]  # one row per class: fits 17 classes
        for c in classes:
            rows.append(
                f"{c:<14}" + "".join(f"{self.counts.get(sp, {}).get(c, 0):>12,}" for sp in SPLITS)
            )
        rows.append(
            f"{'total':<14}"
            + "".join(f"{sum(self.counts.get(sp, {}).values()):>12,}" for sp in SPLITS)
        )
        state = (
            "built now" if self.changed else "already prepared: nothing to do (a re-run is a no-op)"
        )
        lines = [f"{self.root} ({state})", *rows, f"checked {self.checked:,} images once"]
        lines.append(
            f"left out {len(self.excluded)} unusable file(s)" + (":" if self.excluded else "")
        )
        lines += [f"  - {n}: {why}" for n, why in self.excluded[:20]]
        if len(self.excluded) > 20:
            lines.append(f"  ... and {len(self.excluded) - 20} more (report.excluded)")
        if self.converted:
            lines.append(
                f"converted {len(self.converted)} file(s) to RGB JPEG: "
                + "; ".join(f"{n} ({why})" for n, why in self.converted[:5])
            )
        return "\n".join(lines)


def split_directories(
    files_by_class: Mapping[str, Iterable[Path]],
    out: str | Path,
    per_class: Mapping[str, int],
    *,
    seed: int = SPLIT_SEED,
    check_cache: Path | None = None,
) -> SplitReport:
    """Build ``out/{train,validation,test}/<class>/`` with ``per_class[split]`` images per class.

    Stratified (each class split separately), seeded, checked (bad images left out and reported),
    and idempotent: the plan is recorded in ``out/manifest.json``; the same plan again changes
    nothing. Any other state (another plan, an interrupted run) is rebuilt from scratch beside ``out``
    and swapped in whole, so the tree is always exactly what a clean run gives. Where a class has
    fewer usable images than asked, the splits shrink in proportion.
    """
    out = Path(out)
    cache = CheckCache(check_cache or out.parent / ".image-checks.json")
    plan: dict[str, dict[str, list[str]]] = {sp: {} for sp in SPLITS}
    sources: dict[str, str] = {}
    excluded: list[tuple[str, str]] = []
    converted: list[tuple[str, str]] = []
    checked = 0
    want_total = sum(per_class.get(sp, 0) for sp in SPLITS)
    for cls in sorted(files_by_class):
        files = sorted(Path(f) for f in files_by_class[cls])
        random.Random(f"{seed}-{cls}").shuffle(files)
        chosen: list[Path] = []
        verdicts: dict[Path, ImageCheck] = {}
        i = 0
        while len(chosen) < want_total and i < len(files):  # check only as many as needed
            batch = files[i : i + (want_total - len(chosen)) + 8]
            i += len(batch)
            verdicts.update(cache.check_many(batch))
            for f in batch:
                c = verdicts[f]
                if c.verdict == "bad":
                    excluded.append((f"{cls}/{f.name}", c.reason))
                elif len(chosen) < want_total:
                    chosen.append(f)
                    if c.verdict == "convert":
                        converted.append((f"{cls}/{f.name}", c.reason))
        checked += len(verdicts)
        scale = min(1.0, len(chosen) / want_total) if want_total else 1.0
        start = 0
        for sp in SPLITS:
            n = int(per_class.get(sp, 0) * scale)
            names = []
            for f in chosen[start : start + n]:
                rel = (
                    f"{sp}/{cls}/{f.stem}.jpg"
                    if verdicts[f].verdict == "convert"
                    else f"{sp}/{cls}/{f.name}"
                )
                names.append(rel)
                sources[rel] = f"{verdicts[f].verdict}:{f}"
            plan[sp][cls] = names
            start += n
    cache.save()

    manifest = {"seed": seed, "per_class": dict(per_class), "files": sources}
    report = SplitReport(
        out,
        {sp: {c: len(v) for c, v in plan[sp].items()} for sp in SPLITS},
        excluded,
        converted,
        dict(per_class),
        True,
        checked,
    )
    if _read_manifest(out) == manifest and all((out / rel).is_file() for rel in sources):
        report.changed = False
        return report
    # Anything else (another plan, or what an interrupted run left) is rebuilt from scratch beside
    # it and swapped in whole: nothing half-written or from an earlier plan survives, and a tree in
    # ``out`` is always one complete plan (its manifest is written last, inside the new tree).
    partial = out.with_name(f".{out.name}.partial")
    if partial.exists():
        shutil.rmtree(partial)  # ours, from an interrupted run
    for rel, src in sources.items():
        verdict, path = src.split(":", 1)
        if verdict == "convert":
            standardize_image(Path(path), partial / rel)
        else:
            link_or_copy(Path(path), partial / rel)
    for sp in SPLITS:
        for cls in files_by_class:
            (partial / sp / cls).mkdir(parents=True, exist_ok=True)
    (partial / MANIFEST).write_text(json.dumps(manifest, indent=0))
    if out.exists():
        old = out.with_name(f".{out.name}.old")
        if old.exists():
            shutil.rmtree(old)
        out.rename(old)
        partial.rename(out)
        shutil.rmtree(old)  # our own earlier tree (links and converted copies; the originals stay)
    else:
        out.parent.mkdir(parents=True, exist_ok=True)
        partial.rename(out)
    return report


def _read_manifest(out: Path) -> dict | None:
    return read_json(out / MANIFEST)


def course_split(location: DatasetLocation, cfg: Settings | None = None) -> SplitReport:
    """The course's split of a dataset :func:`lecture_lib.data.get` found: its spec's plan for this
    mode, built (or found built) in its spec's folder under ``data/prepared/``. The notebooks after
    01 call this, so one plan per dataset holds for all of them."""
    cfg = cfg or settings()
    sp = location.spec
    return split_directories(
        location.files_by_class(), sp.prepared_folder(cfg.data_dir, cfg.smoke), sp.split(cfg.smoke)
    )

"""``get(name)``: the raw dataset as its source lays it out, from the first source that has it.

A chain of small sources (docs/architecture.md, the data flow), each giving a folder or its reason:
the data dir (a complete copy already there) -> ``LECTURE_MIRROR`` (a folder used in place, or an
archive) -> Kaggle via kagglehub when credentials exist -> public URLs (sha256-checked) -> a clear
error that lists every attempt. Only in smoke mode, and only when all of those fail, a synthetic
stand-in is made, and said so loudly. ``status`` (for ``doctor``) asks the first two sources,
which only look, never fetch.

A finished copy is published atomically: built in ``raw/.NAME.partial``, its completion marker
written last, then renamed into place. An interrupted run leaves only the ``.partial`` folder,
which the next run discards and redoes. A folder that a user placed by hand is used if complete,
and set aside (never deleted) if not.
"""

from __future__ import annotations

import json
import shutil
import time
from collections.abc import Callable
from dataclasses import dataclass, field
from pathlib import Path

from . import download as dl
from . import kaggle_source
from .archives import ArchiveError, archive_kind, safe_extract
from .config import Settings, read_json, settings
from .datasets import DATASETS, DatasetSpec, LayoutError, spec

MARKER = ".complete.json"
NETWORK_BUDGET_S = 45.0  # all network attempts of one get() together: offline fails within a minute
BANNER = """
##########################################################################
#  SYNTHETIC STAND-IN DATA for {name!r}: NOT THE REAL DATASET.
#  No real copy could be reached (see the attempts above), so smoke mode
#  made random pictures with the real layout. Every number below is
#  meaningless. Set LECTURE_MIRROR or Kaggle credentials for real data.
##########################################################################
"""


SYNTHETIC_IN_USE: set[str] = set()  # datasets this process got as a synthetic stand-in (plots)


class DataUnavailableError(RuntimeError):
    """No source could deliver the dataset. ``attempts`` holds (source, reason) pairs."""

    def __init__(self, name: str, attempts: list[tuple[str, str]], cfg: Settings) -> None:
        self.name, self.attempts = name, attempts
        sp = spec(name)
        lines = [f"Could not get the dataset {name!r} ({sp.title}). Tried, in order:"]
        lines += [f"  {i}. {src:<9} {why}" for i, (src, why) in enumerate(attempts, 1)]
        lines += [
            "How to fix it (any one is enough):",
            f"  - a classroom without internet: set LECTURE_MIRROR to a folder holding "
            f"datasets/{sp.layout} (ask your instructor): restart the kernel after setting it (or "
            f"set it in the notebook with %env LECTURE_MIRROR=/path), then run again;",
            f"  - put the files yourself under {cfg.data_dir / 'raw' / name} "
            f"(layout: {sp.layout.split('/', 1)[1]});",
        ]
        if sp.kaggle_handle:
            lines.append(
                f"  - Kaggle: {kaggle_source.TOKEN_HELP}"
                + (
                    f"; then accept the rules at {sp.kaggle_rules_url}"
                    if sp.kaggle_kind == "competition"
                    else ""
                )
                + ";"
            )
        lines.append(
            "  - to only check that the notebooks run, use smoke mode: LECTURE_SMOKE=1 (synthetic data)."
        )
        super().__init__("\n".join(lines))


@dataclass
class DatasetLocation:
    """Where a dataset is and where it came from; usable wherever a path is (``os.fspath``)."""

    name: str
    path: Path
    source: str
    synthetic: bool = False
    attempts: list[tuple[str, str]] = field(default_factory=list)

    def __fspath__(self) -> str:
        return str(self.path)

    @property
    def spec(self) -> DatasetSpec:
        """Everything the course knows about this dataset (``datasets/<name>.py``)."""
        return spec(self.name)

    def __truediv__(self, other: str) -> Path:
        return self.path / other

    def __str__(self) -> str:
        tag = "  <-- SYNTHETIC, NOT REAL DATA" if self.synthetic else ""
        return f"{self.name:<13} {self.source}: {self.path}{tag}"

    def files_by_class(self) -> dict[str, list[Path]]:
        """{class: [image files]} of this dataset, for ``prepare.split_directories``."""
        if self.spec.files_by_class is None:
            raise TypeError(f"{self.name} is not a folder of images by class")
        return self.spec.files_by_class(self.path)


@dataclass
class Found:
    path: Path
    source: str
    missed: list[tuple[str, str]] = field(default_factory=list)  # what failed in this source first


@dataclass
class Request:
    """What every source needs: the dataset, the settings, where a finished copy goes."""

    sp: DatasetSpec
    cfg: Settings
    progress: bool

    @property
    def final(self) -> Path:
        return self.cfg.data_dir / "raw" / self.sp.name


SourceResult = Found | list[tuple[str, str]]  # a folder, or the (source, reason) of each failure


# --- publishing what a source delivered ---------------------------------------------------------


def _publish(sp: DatasetSpec, roots: list[Path], final: Path, source: str, work: Path) -> Path:
    """Assemble the canonical layout from ``roots`` in ``work``, check it, mark it, rename it."""
    out = work / "out"
    sp.assemble(roots, out, work)
    ok, why = sp.check(out)
    if not ok:
        raise LayoutError(f"what {source} delivered is incomplete: {why}")
    (out / MARKER).write_text(
        json.dumps(
            {
                "dataset": sp.name,
                "source": source,
                "when": time.strftime("%Y-%m-%d %H:%M:%S"),
                "check": why,
            },
            indent=1,
        )
    )
    out.replace(final)
    shutil.rmtree(work, ignore_errors=True)
    return final


def _fresh_work(final: Path) -> Path:
    work = final.parent / f".{final.name}.partial"
    if work.exists():  # ours, from an interrupted run: never trusted
        shutil.rmtree(work)
    work.mkdir(parents=True)
    return work


def _from_files(r: Request, files: list[Path], source: str) -> Path:
    work = _fresh_work(r.final)
    roots: list[Path] = []
    for i, f in enumerate(files):
        if f.is_dir():
            roots.append(f)
        elif archive_kind(f):
            roots.append(safe_extract(f, work / f"x{i}", progress=r.progress))
        else:
            roots.append(f)
    return _publish(r.sp, roots, r.final, source, work)


# --- the sources, in order ----------------------------------------------------------------------


def look_in_data_dir(r: Request) -> SourceResult:
    """A complete copy already in the data dir (looks only)."""
    final = r.final
    if not final.is_dir():
        return [("data dir", f"{final}: not there yet")]
    ok, why = r.sp.check(final)
    if not ok:
        return [("data dir", f"{final} is incomplete ({why})")]
    marker = read_json(final / MARKER)
    return Found(
        final,
        f"data dir (from {marker.get('source', '?')})" if marker else "data dir (placed by hand)",
    )


def data_dir(r: Request) -> SourceResult:
    """:func:`look_in_data_dir`, and an incomplete copy is moved aside (never deleted) for a fresh one."""
    got = look_in_data_dir(r)
    if isinstance(got, Found) or not r.final.is_dir():
        return got
    aside = r.final.with_name(f"{r.final.name}.incomplete-{time.strftime('%Y%m%d-%H%M%S')}")
    r.final.rename(aside)
    return [("data dir", f"{got[0][1]}; moved aside to {aside.name}, nothing deleted")]


def mirror_folder(r: Request) -> SourceResult:
    """``LECTURE_MIRROR/datasets/NAME`` in the canonical layout, used in place, read-only (looks only)."""
    if r.cfg.mirror is None:
        return [("mirror", "LECTURE_MIRROR is not set")]
    folder = r.cfg.mirror / "datasets" / r.sp.name
    ok, why = r.sp.check(folder) if folder.is_dir() else (False, "no such folder")
    return (
        Found(folder, "mirror (read-only, used in place)")
        if ok
        else [("mirror", f"{folder}: {why}")]
    )


def mirror_archives(r: Request) -> SourceResult:
    """An archive in the mirror (``17flowers.tgz``, ``train.zip``, …), extracted into the data dir."""
    if r.cfg.mirror is None:
        return []
    folder = r.cfg.mirror / "datasets" / r.sp.name
    candidates = [r.cfg.mirror / "datasets" / a for a in r.sp.mirror_archives] + [
        folder / a for a in r.sp.mirror_archives
    ]
    archives = [c for c in candidates if c.is_file()]
    if not archives:
        return [("mirror", f"no archive ({', '.join(r.sp.mirror_archives)})")]
    missed = []
    for a in archives:
        try:
            return Found(
                _from_files(r, [a], f"mirror archive {a.name}"), f"mirror archive {a}", missed
            )
        except (ArchiveError, LayoutError, OSError) as e:
            missed.append(("mirror", f"{a}: {e}"))
    return missed


def kaggle(r: Request) -> SourceResult:
    """Kaggle through kagglehub, when credentials exist (never printed)."""
    if not r.sp.kaggle_handle:
        return []
    if not kaggle_source.credentials_present():
        return [
            (
                "Kaggle",
                "skipped: no credentials (KAGGLE_USERNAME/KAGGLE_KEY or ~/.kaggle/kaggle.json)",
            )
        ]
    try:
        got = kaggle_source.download(r.sp, r.cfg.data_dir / "downloads" / "kaggle" / r.sp.name)
        return Found(
            _from_files(r, [got], f"Kaggle {r.sp.kaggle_handle}"), f"Kaggle {r.sp.kaggle_handle}"
        )
    except (kaggle_source.KaggleError, ArchiveError, LayoutError) as e:
        return [("Kaggle", str(e))]


def public_urls(r: Request) -> SourceResult:
    """The public addresses, sha256-checked, all together within NETWORK_BUDGET_S of waiting."""
    deadline = time.monotonic() + NETWORK_BUDGET_S
    missed = []
    for route in r.sp.url_routes:
        if deadline - time.monotonic() <= 1:
            missed.append(
                ("URL", f"{route[0].url}: skipped, no time left after the failures above")
            )
            continue
        try:
            files = [
                dl.download(
                    f.url,
                    r.cfg.data_dir / "downloads" / r.sp.name / f.filename,
                    f.sha256,
                    timeout=min(dl.DEFAULT_TIMEOUT_S, max(1.0, deadline - time.monotonic())),
                    progress=r.progress,
                )
                for f in route
            ]
            for f, p in zip(route, files, strict=True):
                if f.sha256 is None:
                    digest = dl.sha256_file(p)
                    p.with_name(p.name + ".sha256").write_text(f"{digest}  {p.name}\n")
                    print(
                        f"note: {f.filename} has no published sha256; this download's is {digest} "
                        "(recorded next to it: compare it with a colleague's before trusting it)"
                    )
            return Found(
                _from_files(r, files, f"URL {route[0].url}"), f"URL {route[0].url}", missed
            )
        except dl.DownloadError as e:
            missed.append(("URL", str(e)))
        except (ArchiveError, LayoutError) as e:
            missed.append(("URL", f"{route[0].url}: {e}"))
    return missed


SOURCES: tuple[Callable[[Request], SourceResult], ...] = (
    data_dir,
    mirror_folder,
    mirror_archives,
    kaggle,
    public_urls,
)


def _synthetic(r: Request) -> Path:
    """Smoke mode's last resort: a marked stand-in under ``synthetic/`` (ours to replace)."""
    target = r.cfg.data_dir / "synthetic" / r.sp.name
    if not (target.is_dir() and (read_json(target / MARKER) or {}).get("synthetic")):
        if target.exists():
            shutil.rmtree(target)  # our own synthetic folder, marked as such
        target.mkdir(parents=True)
        r.sp.synthesize(target, 0)
        (target / MARKER).write_text(json.dumps({"dataset": r.sp.name, "synthetic": True}))
    return target


def get(
    name: str, *, progress: bool = True, cfg: Settings | None = None, quiet: bool = False
) -> DatasetLocation:
    """Return the folder holding dataset ``name``, fetching it from the first source that has it."""
    r = Request(
        spec(name), cfg or settings(), progress
    )  # writes nothing unless a source must fetch: a
    # read-only data dir works when the data is there (a shared classroom volume, a graded submission)
    attempts: list[tuple[str, str]] = []
    for source in SOURCES:
        got = source(r)
        if isinstance(got, Found):
            loc = DatasetLocation(name, got.path, got.source, False, attempts + got.missed)
            break
        attempts += got
    else:
        if not r.cfg.smoke or r.cfg.require_real:
            if r.cfg.require_real:
                attempts.append(
                    (
                        "smoke",
                        "no synthetic stand-in: LECTURE_REQUIRE_REAL=1 (CI with a mirror) asks for real data",
                    )
                )
            raise DataUnavailableError(name, attempts, r.cfg)
        print("\n".join(f"  tried {src}: {why}" for src, why in attempts))
        print(BANNER.format(name=name))
        loc = DatasetLocation(
            name, _synthetic(r), "SYNTHETIC stand-in (smoke mode)", True, attempts
        )
        SYNTHETIC_IN_USE.add(name)  # every figure this process draws from now on says so
    if not quiet:
        print(loc)
    return loc


def status(cfg: Settings | None = None) -> dict[str, str]:
    """Which datasets are present, and where, without fetching or moving anything (for ``doctor``)."""
    cfg = cfg or settings()
    out: dict[str, str] = {}
    for name, sp in DATASETS.items():
        r = Request(sp, cfg, progress=False)
        got = next(
            (g for g in (look_in_data_dir(r), mirror_folder(r)) if isinstance(g, Found)), None
        )
        out[name] = f"{got.source.split(' (')[0]}: {got.path}" if got else "missing"
    return out

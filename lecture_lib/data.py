"""``get(name)``: the raw dataset as its source lays it out, from the first source that has it.

Order (DESIGN.md data flow, step 1): already complete in the data dir -> ``LECTURE_MIRROR``
(folder or archive) -> Kaggle via kagglehub when credentials exist -> public URLs (sha256-checked)
-> a clear error that lists every attempt. Only in smoke mode, and only when all of those fail, a
synthetic stand-in is made, and said so loudly. Used by every notebook and ``python -m lecture_lib fetch``.

A finished copy is published atomically: built in ``raw/.NAME.partial``, its completion marker
written last, then renamed into place. An interrupted run leaves only the ``.partial`` folder,
which the next run discards and redoes. A folder that a user placed by hand is used if complete,
and set aside (never deleted) if not.
"""

from __future__ import annotations

import json
import shutil
import time
from dataclasses import dataclass, field
from pathlib import Path

from . import download as dl
from . import kaggle_source, synthetic
from .archives import ArchiveError, archive_kind, safe_extract
from .config import Settings, settings
from .layouts import LayoutError
from .registry import DATASETS, DatasetSpec, spec

MARKER = ".complete.json"
NETWORK_BUDGET_S = 45.0  # all network attempts of one get() together: offline fails within a minute


class DataUnavailableError(RuntimeError):
    """No source could deliver the dataset. ``attempts`` holds (source, reason) pairs."""

    def __init__(self, name: str, attempts: list[tuple[str, str]], s: Settings) -> None:
        self.name, self.attempts = name, attempts
        sp = spec(name)
        lines = [f"Could not get the dataset {name!r} ({sp.title}). Tried, in order:"]
        lines += [f"  {i}. {src:<9} {why}" for i, (src, why) in enumerate(attempts, 1)]
        lines += [
            "How to fix it (any one is enough):",
            f"  - a classroom without internet: set LECTURE_MIRROR to a folder holding "
            f"datasets/{sp.layout} (ask your instructor), then run again;",
            f"  - put the files yourself under {s.data_dir / 'raw' / name} "
            f"(layout: {sp.layout.split('/', 1)[1]});",
        ]
        if sp.kaggle_handle:
            lines.append(
                f"  - Kaggle: {kaggle_source.TOKEN_HELP}"
                + (f"; then accept the rules at {sp.kaggle_rules_url}" if sp.kaggle_kind == "competition" else "")
                + ";"
            )
        lines.append("  - to only check that the notebooks run, use smoke mode: LECTURE_SMOKE=1 (synthetic data).")
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

    def __truediv__(self, other: str) -> Path:
        return self.path / other

    def __str__(self) -> str:
        tag = "  <-- SYNTHETIC, NOT REAL DATA" if self.synthetic else ""
        return f"{self.name:<13} {self.source}: {self.path}{tag}"


def _read_marker(folder: Path) -> dict | None:
    try:
        return json.loads((folder / MARKER).read_text())
    except (OSError, ValueError):
        return None


def _publish(sp: DatasetSpec, roots: list[Path], final: Path, source: str, work: Path) -> Path:
    """Assemble the canonical layout from ``roots`` in ``work``, check it, mark it, rename it."""
    out = work / "out"
    sp.assemble(roots, out, work)
    ok, why = sp.check(out)
    if not ok:
        raise LayoutError(f"what {source} delivered is incomplete: {why}")
    (out / MARKER).write_text(
        json.dumps({"dataset": sp.name, "source": source, "when": time.strftime("%Y-%m-%d %H:%M:%S"), "check": why}, indent=1)
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


def _from_files(sp: DatasetSpec, files: list[Path], final: Path, source: str, progress: bool) -> Path:
    work = _fresh_work(final)
    roots: list[Path] = []
    for i, f in enumerate(files):
        if f.is_dir():
            roots.append(f)
        elif archive_kind(f):
            roots.append(safe_extract(f, work / f"x{i}", progress=progress))
        else:
            roots.append(f)
    return _publish(sp, roots, final, source, work)


def _set_aside(folder: Path) -> Path:
    aside = folder.with_name(f"{folder.name}.incomplete-{time.strftime('%Y%m%d-%H%M%S')}")
    folder.rename(aside)
    return aside


def get(name: str, *, progress: bool = True, s: Settings | None = None, quiet: bool = False) -> DatasetLocation:
    """Return the folder holding dataset ``name``, fetching it from the first source that has it."""
    s = s or settings()
    sp = spec(name)
    final = s.data_dir / "raw" / name
    final.parent.mkdir(parents=True, exist_ok=True)
    attempts: list[tuple[str, str]] = []

    def done(path: Path, source: str, synth: bool = False) -> DatasetLocation:
        loc = DatasetLocation(name, path, source, synth, attempts)
        if not quiet:
            print(loc)
        return loc

    # 1. the data dir
    if final.is_dir():
        ok, why = sp.check(final)
        marker = _read_marker(final)
        if ok and marker:
            return done(final, f"data dir (from {marker.get('source', '?')})")
        if ok:
            return done(final, "data dir (placed by hand)")
        aside = _set_aside(final)
        attempts.append(("data dir", f"{final} was incomplete ({why}); moved aside to {aside.name}, nothing deleted"))
    else:
        attempts.append(("data dir", f"{final}: not there yet"))

    # 2. the mirror: a folder in the canonical layout (used in place, read-only) or an archive
    if s.mirror is None:
        attempts.append(("mirror", "LECTURE_MIRROR is not set"))
    else:
        folder = s.mirror / "datasets" / name
        ok, why = sp.check(folder) if folder.is_dir() else (False, "no such folder")
        if ok:
            return done(folder, "mirror (read-only, used in place)")
        candidates = [s.mirror / "datasets" / a for a in sp.mirror_archives] + [
            folder / a for a in sp.mirror_archives
        ]
        archives = [c for c in candidates if c.is_file()]
        if not archives:
            attempts.append(("mirror", f"{folder}: {why}; no archive ({', '.join(sp.mirror_archives)})"))
        for a in archives:
            try:
                return done(_from_files(sp, [a], final, f"mirror archive {a.name}", progress), f"mirror archive {a}")
            except (ArchiveError, LayoutError, OSError) as e:
                attempts.append(("mirror", f"{a}: {e}"))

    # 3. Kaggle
    if not sp.kaggle_handle:
        pass
    elif not kaggle_source.credentials_present():
        attempts.append(("Kaggle", "skipped: no credentials (KAGGLE_USERNAME/KAGGLE_KEY or ~/.kaggle/kaggle.json)"))
    else:
        try:
            got = kaggle_source.download(sp, s.data_dir / "downloads" / "kaggle" / name)
            return done(_from_files(sp, [got], final, f"Kaggle {sp.kaggle_handle}", progress), f"Kaggle {sp.kaggle_handle}")
        except (kaggle_source.KaggleError, ArchiveError, LayoutError) as e:
            attempts.append(("Kaggle", str(e)))

    # 4. public URLs, all of them together within NETWORK_BUDGET_S of waiting for the network
    deadline = time.monotonic() + NETWORK_BUDGET_S
    for route in sp.url_routes:
        left = deadline - time.monotonic()
        if left <= 1:
            attempts.append(("URL", f"{route[0].url}: skipped, no time left after the failures above"))
            continue
        try:
            files = [
                dl.download(f.url, s.data_dir / "downloads" / name / f.filename, f.sha256,
                            timeout=min(dl.DEFAULT_TIMEOUT_S, max(1.0, deadline - time.monotonic())), progress=progress)
                for f in route
            ]
            for f, p in zip(route, files, strict=True):
                if f.sha256 is None:
                    digest = dl.sha256_file(p)
                    p.with_name(p.name + ".sha256").write_text(f"{digest}  {p.name}\n")
                    print(f"note: {f.filename} has no published sha256; this download's is {digest} "
                          "(recorded next to it: compare it with a colleague's before trusting it)")
            return done(_from_files(sp, files, final, f"URL {route[0].url}", progress), f"URL {route[0].url}")
        except dl.DownloadError as e:
            attempts.append(("URL", str(e)))
        except (ArchiveError, LayoutError) as e:
            attempts.append(("URL", f"{route[0].url}: {e}"))

    # 5. nothing worked
    if not s.smoke:
        raise DataUnavailableError(name, attempts, s)
    target = s.data_dir / "synthetic" / name
    if not (target.is_dir() and (_read_marker(target) or {}).get("synthetic")):
        if target.exists():
            shutil.rmtree(target)  # our own synthetic folder, marked as such
        synthetic.make(name, target)
        (target / MARKER).write_text(json.dumps({"dataset": name, "synthetic": True}))
    print("\n".join(f"  tried {src}: {why}" for src, why in attempts))
    print(synthetic.BANNER.format(name=name))
    return done(target, "SYNTHETIC stand-in (smoke mode)", True)


def status(s: Settings | None = None) -> dict[str, str]:
    """Which datasets are present, and where, without fetching anything (for ``doctor``)."""
    s = s or settings()
    out: dict[str, str] = {}
    for name, sp in DATASETS.items():
        final = s.data_dir / "raw" / name
        if final.is_dir() and sp.check(final)[0]:
            out[name] = f"data dir: {final}"
        elif s.mirror and (s.mirror / "datasets" / name).is_dir() and sp.check(s.mirror / "datasets" / name)[0]:
            out[name] = f"mirror: {s.mirror / 'datasets' / name}"
        else:
            out[name] = "missing"
    return out


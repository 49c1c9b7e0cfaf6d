"""Executed notebooks for the site: run once per content and settings, kept, stamped.

A notebook's executed copy is ``<cache>/<stem>-<key>.ipynb``, where the key hashes the notebook's
code cells (their sources, not outputs), the mode and the settings that change outputs (backbone,
seed, precision) and the library's version. Prose is not in the key: after an edit of a markdown
cell the site shows the new text over the kept outputs (:func:`with_current_prose`), nothing is
retrained; a changed code cell re-runs that notebook. Each copy carries in its
metadata (``lecture_site``) the settings, the machine with its instruction set and the date its
outputs came from, which every page shows. The notebooks run with the student's environment
(no ``TF_CPP_MIN_LOG_LEVEL``): what the page shows is what a student sees.
"""

from __future__ import annotations

import hashlib
import json
import os
import time
from pathlib import Path

from .. import config, results

NOTEBOOKS = config.REPO_ROOT / "notebooks"
STAMP = "lecture_site"


def lecture_notebooks() -> list[Path]:
    """The lecture notebooks in the lecture's order (01, 02, 03, 04, 04b, 05, ...): also the order
    they must run in (04 reads 02's model, 08 reads 03's)."""
    return sorted(NOTEBOOKS.glob("[0-9][0-9]*_*.ipynb"))


def cache_key(notebook: Path, mode: str, cfg: config.Settings) -> str:
    """What decides a notebook's outputs: its code cells' sources, the mode and the settings."""
    from .. import __version__

    cells = json.loads(notebook.read_text())["cells"]
    code = ["".join(c["source"]) for c in cells if c["cell_type"] == "code"]
    what = [code, mode, cfg.backbone, cfg.seed, cfg.precision, __version__]
    return hashlib.sha256(json.dumps(what).encode()).hexdigest()[:16]


def stamp(nb: dict, name: str, mode: str, cfg: config.Settings, seconds: float | None) -> dict:
    """Put in ``nb``'s metadata what its outputs came from (the run's recorded settings too)."""
    recorded = (results.load(name, cfg) or {}).get("settings", {})
    nb.setdefault("metadata", {})[STAMP] = {
        "mode": mode,
        "backbone": cfg.backbone,
        "seed": cfg.seed,
        "precision": recorded.get("precision", cfg.precision),
        "image_size": recorded.get("image_size"),
        "machine": results.machine_description(),
        "date": time.strftime("%Y-%m-%d"),
        "seconds": None if seconds is None else round(seconds, 1),
    }
    return nb


def keep(executed: Path, cache: Path, mode: str) -> Path:
    """File a notebook another run executed (the browser test's saved copy) into the cache,
    stamped, under the key of the committed notebook it came from."""
    cfg = config.settings()
    source = NOTEBOOKS / executed.name
    nb = stamp(json.loads(executed.read_text()), source.stem, mode, cfg, None)
    cache.mkdir(parents=True, exist_ok=True)
    target = copy_path(source, cache, mode, cfg)
    target.write_text(json.dumps(nb, indent=1))
    return target


def copy_path(notebook: Path, cache: Path, mode: str, cfg: config.Settings) -> Path:
    """Where the executed copy of ``notebook`` for this mode and these settings is kept."""
    return cache / f"{notebook.stem}-{cache_key(notebook, mode, cfg)}.ipynb"


def cached(notebook: Path, cache: Path, mode: str, cfg: config.Settings) -> Path | None:
    path = copy_path(notebook, cache, mode, cfg)
    return path if path.is_file() else None


def execute(mode: str, cache: Path, timeout: int = 3600) -> list[Path]:
    """Every lecture notebook executed in ``mode`` (full or smoke), from the cache where its key is
    there; the executed copies, in lecture order."""
    import nbformat
    from nbclient import NotebookClient

    os.environ["LECTURE_SMOKE"] = "1" if mode == "smoke" else "0"
    os.environ.pop(
        "TF_CPP_MIN_LOG_LEVEL", None
    )  # the student's environment: quiet.install hides the log
    cfg = config.settings()
    out = []
    for notebook in lecture_notebooks():
        hit = cached(notebook, cache, mode, cfg)
        if hit:
            print(f"{notebook.name}: unchanged, from the cache ({hit.name})", flush=True)
            out.append(hit)
            continue
        nb = nbformat.read(notebook, as_version=4)
        t0 = time.time()
        print(f"{notebook.name}: executing ({mode} mode) ...", flush=True)
        NotebookClient(nb, timeout=timeout, kernel_name="python3",
                       resources={"metadata": {"path": str(NOTEBOOKS)}}).execute()  # fmt: skip
        seconds = time.time() - t0
        print(f"{notebook.name}: {seconds:.0f} s", flush=True)
        stamped = stamp(json.loads(nbformat.writes(nb)), notebook.stem, mode, cfg, seconds)
        cache.mkdir(parents=True, exist_ok=True)
        target = copy_path(notebook, cache, mode, cfg)
        target.write_text(json.dumps(stamped, indent=1))
        out.append(target)
    return out


def from_cache(mode: str, cache: Path) -> tuple[list[Path], list[str]]:
    """The cached copies for the current notebooks and settings, and the names of those missing."""
    cfg = config.settings()
    found, missing = [], []
    for notebook in lecture_notebooks():
        hit = cached(notebook, cache, mode, cfg)
        if hit:
            found.append(hit)
        else:
            missing.append(notebook.name)
    return found, missing


def with_current_prose(executed: Path, notebook: Path) -> dict:
    """The executed copy with the committed notebook's cells: its markdown as it is now, each code
    cell with the outputs of the same code cell in the executed copy (same key: same code)."""
    run = json.loads(executed.read_text())
    now = json.loads(notebook.read_text())
    outputs = iter([c for c in run["cells"] if c["cell_type"] == "code"])
    cells = []
    for cell in now["cells"]:
        if cell["cell_type"] == "code":
            done = next(outputs)
            cell = {
                **cell,
                "outputs": done.get("outputs", []),
                "execution_count": done.get("execution_count"),
            }
        cells.append(cell)
    return {
        **now,
        "cells": cells,
        "metadata": {**now.get("metadata", {}), STAMP: run["metadata"].get(STAMP, {})},
    }

"""Build the student notebooks from the exercise sources with ``otter assign``; check they are in sync.

Sources (solution notebooks, otter's format, plus our hidden tests: :mod:`.questions`) live in
``exercises/source/``; ``build`` writes each student notebook to ``notebooks/exercises/`` (no
solutions, no hidden tests: otter drops the ``# IGNORE`` cells that hold them), with deterministic
cell ids so a rebuild changes nothing unless a source changed, stamped with the exercise's version.
"""

from __future__ import annotations

import hashlib
import json
import os
import subprocess
import sys
import tempfile
from pathlib import Path

import nbformat

from .. import colab
from ..config import REPO_ROOT

SOURCE_DIR = REPO_ROOT / "exercises" / "source"
STUDENT_DIR = REPO_ROOT / "notebooks" / "exercises"
TESTS = "tests"  # notebooks/exercises/tests/<exercise>/<question>.py: the public tests as files
# otter's init cell becomes the course's grader (lecture_lib.feedback): this exercise's tests only,
# every verdict one sentence
INIT = "# Initialize Otter"
OTTER_CHECK_ALL = (
    "To double-check your work, the cell below will rerun all of the autograder tests."
)
CHECK_ALL = (
    "To double-check your work, the cell below checks every question of this exercise again "
    "(the public checks; your instructor's tests decide the score)."
)
GRADER_CELL = (
    "# The checks of this exercise (each says in a sentence what is right or still wrong)\n"
    "from lecture_lib.feedback import Grader\n\n"
    'grader = Grader("{name}")'
)
STAMP = "lecture_exercise"  # notebook metadata key: {"name", "version"}


def version(source: Path) -> str:
    """The exercise's version: a short hash of its source notebook (questions, tests and points)."""
    return hashlib.sha256(source.read_bytes()).hexdigest()[:12]


def stamp_of(path: Path) -> dict:
    """The ``{"name", "version"}`` stamp of a student notebook, or {} (missing, or not a notebook)."""
    try:
        meta = json.loads(Path(path).read_text(errors="replace")).get("metadata", {})
        stamp = meta.get(STAMP, {})
        return stamp if isinstance(stamp, dict) else {}
    except (OSError, ValueError, AttributeError):
        return {}


def sources() -> list[Path]:
    return sorted(SOURCE_DIR.glob("*.ipynb"))


def _otter() -> str:
    exe = Path(sys.executable).parent / "otter"
    return str(exe) if exe.exists() else "otter"


def assign(source: Path, dist: Path) -> Path:
    """Run ``otter assign`` (the sources set ``run_tests: false``: the test suite runs the solutions
    and every test itself); return ``dist``."""
    dist.mkdir(parents=True, exist_ok=True)
    r = subprocess.run(
        [_otter(), "assign", "--no-pdfs", str(source.resolve()), str(dist.resolve())],
        cwd=source.parent,
        capture_output=True,
        text=True,
        timeout=600,
    )
    if r.returncode != 0:
        raise RuntimeError(
            f"otter assign failed for {source.name}:\n{r.stdout[-3000:]}\n{r.stderr[-3000:]}"
        )
    return dist


def _normalize(nb: nbformat.NotebookNode, stem: str, stamp: str = "") -> nbformat.NotebookNode:
    if stamp:
        nb.metadata[STAMP] = {"name": stem, "version": stamp}
    for i, cell in enumerate(nb.cells):
        cell["id"] = f"{stem}-{i:02d}"
        if cell.cell_type == "code" and cell.source.startswith(INIT):
            cell.source = GRADER_CELL.format(name=stem)
        if cell.cell_type == "markdown" and OTTER_CHECK_ALL in cell.source:
            cell.source = cell.source.replace(
                OTTER_CHECK_ALL, CHECK_ALL
            )  # otter's words promise "all of the autograder tests": not so
        if cell.cell_type == "code":
            cell.outputs, cell.execution_count = [], None
        cell.metadata.pop("execution", None)
    return nb


def build(
    out_dir: Path = STUDENT_DIR, *, dist_root: Path | None = None, workers: int | None = None
) -> list[Path]:
    """Write every student notebook into ``out_dir``; return their paths.

    ``otter assign`` runs once per exercise in its own process, ``workers`` at a time (default: one
    per CPU core), since each spends most of its time starting a kernel and running the solution.
    """
    from concurrent.futures import ThreadPoolExecutor

    out_dir.mkdir(parents=True, exist_ok=True)
    written = []
    with tempfile.TemporaryDirectory() as tmp:
        srcs = sources()
        with ThreadPoolExecutor(max_workers=workers or os.cpu_count() or 1) as pool:
            dists = list(
                pool.map(lambda src: assign(src, (dist_root or Path(tmp)) / src.stem), srcs)
            )
        repository, revision = colab.course_repository()
        tests: dict[str, str] = {}  # "<exercise>/<question>" -> the test file
        for src, dist in zip(srcs, dists, strict=True):
            nb = _normalize(
                nbformat.read(dist / "student" / src.name, as_version=4), src.stem, version(src)
            )
            nb = colab.with_colab_cells(nb, STUDENT_DIR / src.name, repository, revision)
            for q, body in nb.metadata.get("otter", {}).get("tests", {}).items():
                tests[f"{src.stem}/{q}"] = body
            target = out_dir / src.name
            nbformat.write(nb, target)
            written.append(target)
        # the public tests as files, one folder per exercise: the course's grader reads them (on
        # Colab too, which has no notebook file), and a check_all sees its own exercise's only
        for old in (out_dir / TESTS).glob("**/*.py"):
            if old.relative_to(out_dir / TESTS).with_suffix("").as_posix() not in tests:
                old.unlink()
        for key, body in sorted(tests.items()):
            target = out_dir / TESTS / f"{key}.py"
            target.parent.mkdir(parents=True, exist_ok=True)
            target.write_text(body)
            written.append(target)
        for folder in (out_dir / TESTS).glob("*"):
            if folder.is_dir() and not any(folder.iterdir()):
                folder.rmdir()
    return written


def out_of_sync() -> list[str]:
    """Names of student notebooks that a rebuild would change (or add, or remove)."""
    with tempfile.TemporaryDirectory() as tmp:
        fresh = {p.relative_to(tmp).as_posix(): p.read_text() for p in build(Path(tmp))}
    committed = {
        p.relative_to(STUDENT_DIR).as_posix(): p.read_text()
        for p in [*STUDENT_DIR.glob("*.ipynb"), *(STUDENT_DIR / TESTS).glob("**/*.py")]
    }
    return sorted(n for n in fresh.keys() | committed.keys() if fresh.get(n) != committed.get(n))

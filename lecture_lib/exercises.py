"""Graded exercises with otter-grader: build student notebooks, check they are in sync, grade.

Sources (solution notebooks with public and hidden tests, otter's format) live in
``exercises/source/``; ``build`` runs ``otter assign`` on each and writes the student notebook
to ``notebooks/exercises/`` (no solutions, no hidden tests), with deterministic cell ids so a
rebuild changes nothing unless a source changed. ``grade`` scores a folder of submissions with
``otter.api.grade_submission`` (no Docker, unlike ``otter grade``) into a CSV.
"""

from __future__ import annotations

import csv
import os
import subprocess
import sys
import tempfile
import time
from pathlib import Path

import nbformat

from .config import REPO_ROOT

SOURCE_DIR = REPO_ROOT / "exercises" / "source"
STUDENT_DIR = REPO_ROOT / "notebooks" / "exercises"


def sources() -> list[Path]:
    return sorted(SOURCE_DIR.glob("*.ipynb"))


def _otter() -> str:
    exe = Path(sys.executable).parent / "otter"
    return str(exe) if exe.exists() else "otter"


def assign(source: Path, dist: Path) -> Path:
    """Run ``otter assign`` (which also runs every test against the solution); return ``dist``."""
    dist.mkdir(parents=True, exist_ok=True)
    r = subprocess.run([_otter(), "assign", "--no-pdfs", str(source.resolve()), str(dist.resolve())],
                       cwd=source.parent, capture_output=True, text=True, timeout=600)
    if r.returncode != 0:
        raise RuntimeError(f"otter assign failed for {source.name}:\n{r.stdout[-3000:]}\n{r.stderr[-3000:]}")
    return dist


def _normalize(nb: nbformat.NotebookNode, stem: str) -> nbformat.NotebookNode:
    for i, cell in enumerate(nb.cells):
        cell["id"] = f"{stem}-{i:02d}"
        if cell.cell_type == "code":
            cell.outputs, cell.execution_count = [], None
        cell.metadata.pop("execution", None)
    return nb


def build(out_dir: Path = STUDENT_DIR, *, dist_root: Path | None = None, workers: int | None = None) -> list[Path]:
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
            dists = list(pool.map(lambda src: assign(src, (dist_root or Path(tmp)) / src.stem), srcs))
        for src, dist in zip(srcs, dists, strict=True):
            nb = _normalize(nbformat.read(dist / "student" / src.name, as_version=4), src.stem)
            target = out_dir / src.name
            nbformat.write(nb, target)
            written.append(target)
    return written


def out_of_sync() -> list[str]:
    """Names of student notebooks that a rebuild would change (or add, or remove)."""
    with tempfile.TemporaryDirectory() as tmp:
        fresh = {p.name: p.read_text() for p in build(Path(tmp))}
    committed = {p.name: p.read_text() for p in STUDENT_DIR.glob("*.ipynb")}
    return sorted(n for n in fresh.keys() | committed.keys() if fresh.get(n) != committed.get(n))


def autograder(name: str, workdir: Path) -> Path:
    """Build the autograder zip of exercise ``name`` (hidden tests included) in ``workdir``."""
    src = SOURCE_DIR / f"{name}.ipynb"
    if not src.is_file():
        raise FileNotFoundError(f"no exercise {name!r}; known: {', '.join(p.stem for p in sources())}")
    dist = assign(src, workdir / name)
    return next((dist / "autograder").glob("*.zip"))


def grade(name: str, submissions: Path, out_csv: Path) -> list[dict]:
    """Grade every ``*.ipynb`` under ``submissions`` against exercise ``name``; write ``out_csv``."""
    import otter.api

    files = sorted(p for p in Path(submissions).rglob("*.ipynb") if ".ipynb_checkpoints" not in p.parts)
    if not files:
        raise FileNotFoundError(f"no .ipynb files under {submissions}")
    rows = []
    with tempfile.TemporaryDirectory() as tmp:
        zip_path = autograder(name, Path(tmp))
        for f in files:
            t0 = time.time()
            try:
                res = otter.api.grade_submission(str(f), str(zip_path), quiet=True)
                scores = {q: res.get_score(q) for q in res.test_files}
                row = {"submission": str(f.relative_to(submissions)), **scores, "total": res.total,
                       "possible": res.possible, "percent": round(100 * res.total / res.possible, 1) if res.possible else 0,
                       "error": "", "seconds": round(time.time() - t0, 1)}
            except Exception as e:  # noqa: BLE001 - a broken submission is a row, not a crash
                row = {"submission": str(f.relative_to(submissions)), "total": 0, "possible": "", "percent": 0,
                       "error": f"{type(e).__name__}: {e}"[:300], "seconds": round(time.time() - t0, 1)}
            rows.append(row)
    fields = ["submission"] + sorted({k for r in rows for k in r} - {"submission", "total", "possible", "percent", "error", "seconds"})
    fields += ["total", "possible", "percent", "error", "seconds"]
    out_csv.parent.mkdir(parents=True, exist_ok=True)
    with open(out_csv, "w", newline="") as fh:
        w = csv.DictWriter(fh, fieldnames=fields)
        w.writeheader()
        w.writerows(rows)
    return rows


def main(action: str, name: str | None = None, submissions: str | None = None, output: str | None = None) -> int:
    """``python -m lecture_lib exercises build | check | grade NAME FOLDER [-o scores.csv]``."""
    if action == "build":
        for p in build():
            print("wrote", p.relative_to(REPO_ROOT))
        return 0
    if action == "check":
        bad = out_of_sync()
        print("in sync" if not bad else "out of sync (run `python -m lecture_lib exercises build`): " + ", ".join(bad))
        return 1 if bad else 0
    out = Path(output or f"scores-{name}.csv")
    rows = grade(str(name), Path(str(submissions)), out)
    for r in rows:
        print(f"{r['submission']:<40} {r['total']:>5} / {r['possible']:<5} {r['error']}")
    print(f"wrote {out}")
    return 0

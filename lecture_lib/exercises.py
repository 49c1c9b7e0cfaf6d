"""Graded exercises with otter-grader: build student notebooks, check they are in sync, grade.

Sources (solution notebooks with public and hidden tests, otter's format) live in
``exercises/source/``; ``build`` runs ``otter assign`` on each and writes the student notebook
to ``notebooks/exercises/`` (no solutions, no hidden tests), with deterministic cell ids so a
rebuild changes nothing unless a source changed, and stamped with the exercise's version.
``grade`` scores a folder of submissions into a CSV, a per-question summary and a bar chart. Each
submission is untrusted code: it runs through ``otter.api.grade_submission`` (no Docker) inside
``sandbox`` (own process tree, time and memory limits, no secrets, writes only to its scratch
folder), several at a time, so one bad submission is one error row and the class goes on.
"""

from __future__ import annotations

import csv
import hashlib
import json
import os
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

import nbformat

from . import colab, sandbox
from .config import REPO_ROOT

SOURCE_DIR = REPO_ROOT / "exercises" / "source"
STUDENT_DIR = REPO_ROOT / "notebooks" / "exercises"
TESTS = "tests"  # notebooks/exercises/tests/<question>.py: the public tests as files
STAMP = "lecture_exercise"  # notebook metadata key: {"name", "version"}
MAX_OUTPUT_BYTES = 1_000_000  # a submission printing more gets an error row
# the columns of a score row after the questions' points
ROW_COLUMNS = (
    "total",
    "possible",
    "percent",
    "error",
    "note",
    "feedback",
    "seconds",
    "peak_mb",
)


class GradingRefused(RuntimeError):
    """Grading would run untrusted code without isolation; the message says why and how to override."""


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
        repository, revision = colab.settings()
        tests: dict[str, str] = {}
        for src, dist in zip(srcs, dists, strict=True):
            nb = _normalize(
                nbformat.read(dist / "student" / src.name, as_version=4), src.stem, version(src)
            )
            nb = colab.with_colab_cells(nb, STUDENT_DIR / src.name, repository, revision)
            for q, body in nb.metadata.get("otter", {}).get("tests", {}).items():
                if q in tests:
                    raise ValueError(f"question {q} of {src.stem} repeats another exercise's name")
                tests[q] = body
            target = out_dir / src.name
            nbformat.write(nb, target)
            written.append(target)
        # the public tests as files too: grader.check reads them where it cannot read the notebook
        # itself (Colab, which has no notebook file); otter prefers ./tests when it exists
        (out_dir / TESTS).mkdir(exist_ok=True)
        for old in (out_dir / TESTS).glob("*.py"):
            if old.stem not in tests:
                old.unlink()
        for q, body in sorted(tests.items()):
            (out_dir / TESTS / f"{q}.py").write_text(body)
            written.append(out_dir / TESTS / f"{q}.py")
    return written


def out_of_sync() -> list[str]:
    """Names of student notebooks that a rebuild would change (or add, or remove)."""
    with tempfile.TemporaryDirectory() as tmp:
        fresh = {p.relative_to(tmp).as_posix(): p.read_text() for p in build(Path(tmp))}
    committed = {
        p.relative_to(STUDENT_DIR).as_posix(): p.read_text()
        for p in [*STUDENT_DIR.glob("*.ipynb"), *(STUDENT_DIR / TESTS).glob("*.py")]
    }
    return sorted(n for n in fresh.keys() | committed.keys() if fresh.get(n) != committed.get(n))


def autograder(name: str, workdir: Path) -> Path:
    """Build the autograder zip of exercise ``name`` (hidden tests included) in ``workdir``."""
    src = SOURCE_DIR / f"{name}.ipynb"
    if not src.is_file():
        raise FileNotFoundError(
            f"no exercise {name!r}; known: {', '.join(p.stem for p in sources())}"
        )
    dist = assign(src, workdir / name)
    return next((dist / "autograder").glob("*.zip"))


def points_possible(zip_path: Path) -> dict[str, float]:
    """Each question's points, read from the autograder zip we built (its ``points = [...]`` lines,
    parsed, never executed): the row's ``possible`` never comes from the graded process."""
    import ast
    import math
    import zipfile

    possible: dict[str, float] = {}
    with zipfile.ZipFile(zip_path) as z:
        for member in z.namelist():
            if not (member.startswith("tests/") and member.endswith(".py")):
                continue
            values = {}
            for node in ast.parse(z.read(member).decode()).body:
                if isinstance(node, ast.Assign) and len(node.targets) == 1:
                    target = node.targets[0]
                    if isinstance(target, ast.Name) and target.id in ("name", "points"):
                        values[target.id] = ast.literal_eval(node.value)
            pts = values.get("points", 1)
            total = float(sum(pts) if isinstance(pts, list | tuple) else pts)
            if not math.isfinite(total) or total < 0:
                raise ValueError(f"{member}: points must be a finite number >= 0")
            possible[str(values.get("name", Path(member).stem))] = total
    return possible


def _checked_scores(result: dict, possible: dict[str, float]) -> tuple[dict[str, float], str]:
    """The scores of a grading result if each is a number between 0 and its question's points, for
    exactly the exercise's questions; else ({}, why). The result comes from a process that ran the
    submission, so a number it could not have earned is a sign of tampering, never a score."""
    import math

    scores = result.get("scores") if isinstance(result, dict) else None
    if not isinstance(scores, dict) or set(scores) != set(possible):
        return {}, "its grading result did not list this exercise's questions"
    for q, v in scores.items():
        if isinstance(v, bool) or not isinstance(v, int | float) or not math.isfinite(v):
            return {}, f"its grading result gave {q} a score that is not a number"
        if not 0 <= v <= possible[q] + 1e-9:
            return {}, f"its grading result gave {q} {v:g} points of {possible[q]:g}"
    return {q: float(v) for q, v in scores.items()}, ""


def _grade_one(
    f: Path,
    rel: str,
    zip_path: Path,
    scratch: Path,
    current: str,
    limits: sandbox.Limits,
    isolate: bool,
    possible: dict[str, float],
) -> dict:
    """One row: the submission's scores, or an error and its reason; never raises for a bad submission."""
    try:
        return _grade_one_row(f, rel, zip_path, scratch, current, limits, isolate, possible)
    except Exception as e:  # noqa: BLE001 - one submission's failure is its row, never the class's
        return {
            "submission": rel,
            "error": f"could not be graded ({type(e).__name__}: {str(e)[:200]})",
            "note": "",
            "total": 0,
            "possible": sum(possible.values()),
            "percent": 0,
        }


def _grade_one_row(
    f: Path,
    rel: str,
    zip_path: Path,
    scratch: Path,
    current: str,
    limits: sandbox.Limits,
    isolate: bool,
    possible: dict[str, float],
) -> dict:
    row: dict = {"submission": rel, "error": "", "note": ""}
    stamp = stamp_of(f)
    if not stamp:
        row["note"] = f"no exercise version in the notebook; graded against version {current}"
    elif stamp.get("version") != current:
        row["note"] = (
            f"made from version {stamp.get('version')} of the exercise; graded against version "
            f"{current}, whose questions or tests differ"
        )
    scratch.mkdir(parents=True)
    shutil.copyfile(f, scratch / "submission.ipynb")
    shutil.copyfile(zip_path, scratch / "autograder.zip")
    o = sandbox.run(
        [
            sys.executable,
            "-m",
            "lecture_lib.grade_one",
            "submission.ipynb",
            "autograder.zip",
            str(MAX_OUTPUT_BYTES),
        ],
        scratch,
        limits,
        isolate=isolate,
        result_fd=True,
    )
    result = o.extra.get("result")
    row["seconds"], row["peak_mb"] = o.seconds, o.peak_mb
    if o.problem:
        row["error"] = o.problem
    elif o.violations:
        row["error"] = (
            "tried to write or delete outside its folder (blocked): "
            + ", ".join(o.violations[:3])
            + (" ..." if len(o.violations) > 3 else "")
        )
    elif not result:
        row["error"] = (
            f"no result: the grading process ended with code {o.returncode} "
            "(the notebook crashed it, or it tried to write outside its folder)"
        )
    elif not isinstance(result, dict) or not isinstance(result.get("printed_bytes", 0), int):
        row["error"] = "no result: its grading process sent something that is not a result"
    elif result.get("printed_bytes", 0) > MAX_OUTPUT_BYTES:
        row["error"] = (
            f"printed {result['printed_bytes'] / 1e6:.1f} MB of output (limit "
            f"{MAX_OUTPUT_BYTES / 1e6:.0f} MB): print less, e.g. a shape instead of an array"
        )
    elif result.get("error"):
        row["error"] = str(result["error"])[:300]
    scores = {}
    if not row["error"]:
        scores, why = _checked_scores(result, possible)
        if why:
            row["error"] = f"not graded: {why} (a sign the notebook tampered with its grading)"
    row["possible"] = sum(possible.values())
    if row["error"]:
        row.update(total=0, percent=0)
        return row
    row.update(scores)
    row["total"] = round(sum(scores.values()), 2)
    row["percent"] = round(100 * row["total"] / row["possible"], 1) if row["possible"] else 0
    feedback = result.get("feedback")
    feedback = feedback if isinstance(feedback, dict) else {}
    row["feedback"] = "; ".join(
        f"{q}: {str(msg)[:300]}" for q, msg in feedback.items() if q in possible
    )
    return row


def grade(
    name: str,
    submissions: Path,
    out_csv: Path,
    *,
    workers: int | None = None,
    limits: sandbox.Limits | None = None,
    allow_unsandboxed: bool = False,
) -> list[dict]:
    """Grade every ``*.ipynb`` under ``submissions`` against exercise ``name``; write ``out_csv``.

    Refuses (``GradingRefused``) where no isolation is available, unless ``allow_unsandboxed``.
    Writes beside the CSV a per-question summary (``*.summary.txt``) and a bar chart (``*.png``).
    """
    from concurrent.futures import ThreadPoolExecutor

    problem = sandbox.isolation_problem()
    if problem and not allow_unsandboxed:
        raise GradingRefused(
            f"Refusing to grade: {problem}. Grading runs each student's code; without isolation a "
            "submission could read your credentials or delete your files. Grade on Linux >= 5.13 with "
            "the 'landlock' package, or, on a machine with nothing to lose, pass --unsafe-no-sandbox."
        )
    submissions = Path(submissions)
    files = sorted(p for p in submissions.rglob("*.ipynb") if ".ipynb_checkpoints" not in p.parts)
    if not files:
        raise FileNotFoundError(f"no .ipynb files under {submissions}")
    src = SOURCE_DIR / f"{name}.ipynb"
    with tempfile.TemporaryDirectory() as tmp:
        zip_path = autograder(name, Path(tmp))
        possible = points_possible(zip_path)
        current = version(src)
        with ThreadPoolExecutor(max_workers=workers or os.cpu_count() or 1) as pool:
            rows = list(
                pool.map(
                    lambda i: _grade_one(
                        files[i],
                        str(files[i].relative_to(submissions)),
                        zip_path,
                        Path(tmp) / f"s{i:04d}",
                        current,
                        limits or sandbox.Limits(),
                        not problem,
                        possible,
                    ),
                    range(len(files)),
                )
            )
    questions = sorted({k for r in rows for k in r} - {"submission", *ROW_COLUMNS})
    fields = ["submission", *questions, *ROW_COLUMNS]
    out_csv.parent.mkdir(parents=True, exist_ok=True)
    with open(out_csv, "w", newline="") as fh:
        w = csv.DictWriter(fh, fieldnames=fields)
        w.writeheader()
        w.writerows(rows)
    text, _ = summarize(
        rows, questions, out_csv.with_suffix(".png"), title=f"{name}: {len(rows)} submissions"
    )
    out_csv.with_suffix(".summary.txt").write_text(text + "\n")
    return rows


def summarize(
    rows: list[dict], questions: list[str], chart: Path | None = None, *, title: str = ""
) -> tuple[str, dict[str, float]]:
    """Mean points per question over graded rows, the question most missed, and a bar chart."""
    graded = [r for r in rows if not r.get("error")]
    means = {
        q: sum(float(r.get(q) or 0) for r in graded) / len(graded) if graded else 0.0
        for q in questions
    }
    lines = [
        title,
        f"{len(graded)} graded, {len(rows) - len(graded)} with an error",
        f"{'question':<36}{'mean points':>12}",
    ]
    lines += [f"{q:<36}{m:>12.2f}" for q, m in means.items()]
    if graded and means:
        lines.append(f"most missed: {min(means, key=means.get)}")
    if chart is not None and means:
        import matplotlib

        matplotlib.use("Agg")
        import matplotlib.pyplot as plt

        fig, ax = plt.subplots(figsize=(max(4, 0.9 * len(means)), 3))
        ax.bar(list(means), list(means.values()), color="tab:blue")
        ax.set_ylabel("mean points")
        ax.set_title(title)
        ax.tick_params(axis="x", rotation=45)
        for lbl in ax.get_xticklabels():
            lbl.set_horizontalalignment("right")
        fig.tight_layout()
        fig.savefig(chart, dpi=100)
        plt.close(fig)
    return "\n".join(lines), means


def main(
    action: str,
    name: str | None = None,
    submissions: str | None = None,
    output: str | None = None,
    *,
    workers: int | None = None,
    timeout: float | None = None,
    memory_mb: int | None = None,
    unsafe_no_sandbox: bool = False,
) -> int:
    """``python -m lecture_lib exercises build | check | grade NAME FOLDER [-o scores.csv]``."""
    if action == "build":
        for p in build():
            print("wrote", p.relative_to(REPO_ROOT))
        return 0
    if action == "check":
        bad = out_of_sync()
        print(
            "in sync"
            if not bad
            else "out of sync (run `python -m lecture_lib exercises build`): " + ", ".join(bad)
        )
        return 1 if bad else 0
    out = Path(output or f"scores-{name}.csv")
    defaults = sandbox.Limits()
    limits = sandbox.Limits(
        seconds=timeout or defaults.seconds, memory_mb=memory_mb or defaults.memory_mb
    )
    try:
        rows = grade(
            str(name),
            Path(str(submissions)),
            out,
            workers=workers,
            limits=limits,
            allow_unsandboxed=unsafe_no_sandbox,
        )
    except GradingRefused as e:
        print(e, file=sys.stderr)
        return 2
    for r in rows:
        print(
            f"{r['submission']:<40} {r['total']:>5} / {r.get('possible', ''):<5} {r['error'] or r['note']}"
        )
    print(out.with_suffix(".summary.txt").read_text())
    print(f"wrote {out}, {out.with_suffix('.summary.txt').name}, {out.with_suffix('.png').name}")
    return 0

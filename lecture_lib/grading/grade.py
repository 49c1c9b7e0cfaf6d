"""Grade a class: every submission confined, its answers checked outside it, one row each.

``grade`` scores a folder of submissions of one exercise into a CSV, a per-question summary and a
bar chart. Each submission is untrusted code: :mod:`.worker` runs it inside :mod:`.confine` (own
process tree, time and memory limits, no secrets, writes only to its scratch folder) and writes
its answers as data; a :mod:`.checker` process, which runs no student code, decides them against
hidden tests the submission never sees. Several run at a time; whatever one submission does is
its own row, and the CSV and summary are always written.
"""

from __future__ import annotations

import csv
import json
import os
import queue
import shutil
import sys
import tempfile
from dataclasses import dataclass
from pathlib import Path

from ..config import REPO_ROOT
from . import build, checker, confine, questions

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


@dataclass
class _Class:
    """What every submission of one grading run shares."""

    name: str
    version: str
    possible: dict[str, float]
    plan: str  # the extract plan as JSON: what each kernel runs after the submission
    limits: confine.Limits
    isolate: bool
    checkers: queue.Queue  # one checker.Checker per worker thread
    font_cache: tuple[Path, ...] = ()  # Matplotlib's font list, built once for the class


def _error_row(rel: str, why: str, possible: dict[str, float]) -> dict:
    return {
        "submission": rel,
        "error": why,
        "note": "",
        "total": 0,
        "possible": sum(possible.values()),
        "percent": 0,
    }


def _font_cache(folder: Path) -> tuple[Path, ...]:
    """Matplotlib's font list, built once here: in each fresh scratch folder Matplotlib would spend
    3.4 s building it again (measured on 03: 9.1 s a submission without, 5.7 s with)."""
    import subprocess

    folder.mkdir(parents=True, exist_ok=True)
    env = {k: v for k, v in os.environ.items() if k in confine.SAFE_ENV}
    subprocess.run(
        [sys.executable, "-c", "import matplotlib.font_manager"],
        env={**env, "MPLCONFIGDIR": str(folder), "HOME": str(folder)},
        capture_output=True,
        timeout=300,
        check=False,
    )
    return tuple(sorted(folder.glob("fontlist-*.json")))


def _grade_one(f: Path, rel: str, scratch: Path, job: _Class) -> dict:
    """One row: the submission's scores, or an error and its reason; never raises for a bad submission."""
    try:
        return _grade_one_row(f, rel, scratch, job)
    except Exception as e:  # noqa: BLE001 - one submission's failure is its row, never the class's
        return _error_row(
            rel, f"could not be graded ({type(e).__name__}: {str(e)[:200]})", job.possible
        )
    finally:
        shutil.rmtree(scratch, ignore_errors=True)


def _grade_one_row(f: Path, rel: str, scratch: Path, job: _Class) -> dict:
    row: dict = {"submission": rel, "error": "", "note": ""}
    stamp = build.stamp_of(f)
    if not stamp:
        row["note"] = f"no exercise version in the notebook; graded against version {job.version}"
    elif stamp.get("version") != job.version:
        row["note"] = (
            f"made from version {stamp.get('version')} of the exercise; graded against version "
            f"{job.version}, whose questions or tests differ"
        )
    scratch.mkdir(parents=True)
    shutil.copyfile(f, scratch / "submission.ipynb")
    (scratch / "home" / "mpl").mkdir(parents=True)  # confine.safe_env's MPLCONFIGDIR
    for cached in job.font_cache:
        shutil.copyfile(cached, scratch / "home" / "mpl" / cached.name)
    (scratch / "plan.json").write_text(job.plan)
    o = confine.run(
        [
            sys.executable,
            "-m",
            "lecture_lib.grading.worker",
            "submission.ipynb",
            "plan.json",
            "answers",
            str(job.limits.seconds),
        ],
        scratch,
        job.limits,
        isolate=job.isolate,
        result_fd=True,
    )
    result = o.extra.get("result")
    row["seconds"], row["peak_mb"] = o.seconds, o.peak_mb
    if o.problem:
        row["error"] = o.problem
    elif not isinstance(result, dict) or not isinstance(result.get("printed_bytes", 0), int):
        row["error"] = (
            f"no result: its grading process ended with code {o.returncode} "
            "(the notebook stopped or crashed it)"
        )
    elif result.get("printed_bytes", 0) > MAX_OUTPUT_BYTES:
        row["error"] = (
            f"printed {result['printed_bytes'] / 1e6:.1f} MB of output (limit "
            f"{MAX_OUTPUT_BYTES / 1e6:.0f} MB): print less, e.g. a shape instead of an array"
        )
    elif result.get("error"):
        row["error"] = str(result["error"])[:300]
    broke = result.get("cell_errors") if isinstance(result, dict) else None
    if isinstance(broke, list) and broke:  # the student's own code raised: say where, as a note
        said = "; ".join(str(b)[:200] for b in broke[:5])
        row["note"] = "; ".join(filter(None, [row["note"], f"its code raised errors ({said})"]))
    if o.violations:
        row["note"] = "; ".join(
            filter(
                None,
                [
                    row["note"],
                    "tried to write or delete outside its folder (blocked; as its kernel logged it): "
                    + ", ".join(o.violations[:3])
                    + (" ..." if len(o.violations) > 3 else ""),
                ],
            )
        )
    row["possible"] = sum(job.possible.values())
    if row["error"]:
        row.update(total=0, percent=0)
        return row
    checker_ = job.checkers.get()
    try:
        verdict = checker_.check(job.name, scratch / "answers")
    except checker.CheckFailed as e:
        row.update(error=f"not graded: {e}", total=0, percent=0)
        return row
    finally:
        job.checkers.put(checker_)
    scores, why = _checked_scores(verdict, job.possible)
    if why:  # the checker is ours: this is a bug, never the submission's score
        row.update(error=f"not graded: {why}", total=0, percent=0)
        return row
    row.update(scores)
    row["total"] = round(sum(scores.values()), 2)
    row["percent"] = round(100 * row["total"] / row["possible"], 1) if row["possible"] else 0
    row["feedback"] = "; ".join(f"{q}: {msg}" for q, msg in verdict.get("feedback", {}).items())
    return row


def grade(
    name: str,
    submissions: Path,
    out_csv: Path,
    *,
    workers: int | None = None,
    limits: confine.Limits | None = None,
    allow_unsandboxed: bool = False,
) -> list[dict]:
    """Grade every ``*.ipynb`` under ``submissions`` against exercise ``name``; write ``out_csv``.

    Refuses (``GradingRefused``) where no isolation is available, unless ``allow_unsandboxed``.
    Writes beside the CSV a per-question summary (``*.summary.txt``) and a bar chart (``*.png``).
    """
    from concurrent.futures import ThreadPoolExecutor

    problem = confine.isolation_problem()
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
    possible = questions.possible(name)  # also: the exercise exists and its tests are well formed
    n_workers = max(1, min(workers or os.cpu_count() or 1, len(files)))
    checkers: queue.Queue = queue.Queue()
    env = {k: v for k, v in os.environ.items() if k in confine.SAFE_ENV}
    for _ in range(n_workers):
        checkers.put(checker.Checker(env))
    job = _Class(
        name,
        build.version(build.SOURCE_DIR / f"{name}.ipynb"),
        possible,
        json.dumps(questions.extract_plan(name)),
        limits or confine.Limits(),
        not problem,
        checkers,
    )
    # scratch folders outside the submissions' and the course's folders, one per submission
    with tempfile.TemporaryDirectory(prefix="lecture-grading-") as tmp:
        job.font_cache = _font_cache(Path(tmp) / "font-cache")
        try:
            with ThreadPoolExecutor(max_workers=n_workers) as pool:
                rows = list(
                    pool.map(
                        lambda i: _grade_one(
                            files[i],
                            str(files[i].relative_to(submissions)),
                            Path(tmp) / f"s{i:04d}",
                            job,
                        ),
                        range(len(files)),
                    )
                )
        finally:
            while not checkers.empty():
                checkers.get().close()
    questions_ = list(possible)
    fields = ["submission", *questions_, *ROW_COLUMNS]
    out_csv.parent.mkdir(parents=True, exist_ok=True)
    with open(out_csv, "w", newline="") as fh:
        w = csv.DictWriter(fh, fieldnames=fields, extrasaction="ignore")
        w.writeheader()
        w.writerows(csv_row(r, questions_) for r in rows)
    text, _ = summarize(
        rows,
        questions_,
        out_csv.with_suffix(".png"),
        title=f"{name}: {len(rows)} submissions",
        possible=possible,
    )
    out_csv.with_suffix(".summary.txt").write_text(text + "\n")
    return rows


def csv_row(row: dict, questions_: list[str]) -> dict:
    """``row`` with one number format: points with two decimals (``1.00``, ``0.50``), the percent
    with one, seconds with one, memory in whole megabytes; an error row's questions left empty."""
    out = dict(row)
    for key in [*questions_, "total", "possible"]:
        if isinstance(out.get(key), int | float):
            out[key] = f"{float(out[key]):.2f}"
    for key, digits in (("percent", 1), ("seconds", 1), ("peak_mb", 0)):
        if isinstance(out.get(key), int | float):
            out[key] = f"{float(out[key]):.{digits}f}"
    return out


def summarize(
    rows: list[dict],
    questions: list[str],
    chart: Path | None = None,
    *,
    title: str = "",
    possible: dict[str, float] | None = None,
) -> tuple[str, dict[str, float]]:
    """Per question: its possible points, the mean points and that mean as a percent of possible;
    the question most missed; a chart of the percents, sorted, each bar labelled."""
    graded = [r for r in rows if not r.get("error")]
    means = {
        q: sum(float(r.get(q) or 0) for r in graded) / len(graded) if graded else 0.0
        for q in questions
    }
    possible = possible or {q: 1.0 for q in questions}
    percent = {q: 100 * means[q] / possible[q] if possible[q] else 0.0 for q in questions}
    lines = [
        title,
        f"{len(graded)} graded, {len(rows) - len(graded)} with an error",
        f"{'question':<36}{'possible':>9}{'mean':>8}{'percent':>9}",
    ]
    lines += [f"{q:<36}{possible[q]:>9.2f}{means[q]:>8.2f}{percent[q]:>8.0f}%" for q in questions]
    total = sum(possible.values())
    mean_total = sum(means.values())
    lines.append(
        f"{'total':<36}{total:>9.2f}{mean_total:>8.2f}{100 * mean_total / total if total else 0:>8.0f}%"
    )
    if graded and means:
        worst = min(percent, key=percent.get)
        lines.append(f"most missed: {worst} ({percent[worst]:.0f}% of its points)")
    if chart is not None and means:
        _chart(percent, means, possible, chart, f"{title} ({len(graded)} graded)")
    return "\n".join(lines), means


def _chart(
    percent: dict[str, float],
    means: dict[str, float],
    possible: dict[str, float],
    path: Path,
    title: str,
) -> None:
    """Horizontal bars, one per question, the most missed at the top: readable names, a 0-100 %
    axis, each bar labelled with its percent and mean points of possible."""
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt

    order = sorted(percent, key=lambda q: (-percent[q], q))  # barh draws the first at the bottom
    fig, ax = plt.subplots(figsize=(8, 1.2 + 0.45 * len(order)))
    colors = [
        "#cf222e" if percent[q] < 50 else "#bf8700" if percent[q] < 80 else "#1a7f37" for q in order
    ]
    bars = ax.barh(order, [percent[q] for q in order], color=colors)
    for bar, q in zip(bars, order, strict=True):
        ax.text(
            min(bar.get_width(), 100) + 1,
            bar.get_y() + bar.get_height() / 2,
            f"{percent[q]:.0f}%  ({means[q]:.2f} of {possible[q]:g} points)",
            va="center",
            fontsize=9,
        )
    ax.set_xlim(0, 135)
    ax.set_xticks(range(0, 101, 20))
    ax.set_xlabel("mean score, % of the question's points")
    ax.axvline(100, color="0.7", lw=0.8)
    ax.spines["bottom"].set_bounds(0, 100)
    ax.set_title(title, fontsize=11)
    ax.spines[["top", "right"]].set_visible(False)
    fig.tight_layout()
    fig.savefig(path, dpi=150)
    plt.close(fig)


def exercises_command(
    action: str,
    name: str | None = None,
    submissions: str | None = None,
    output: str | None = None,
    *,
    workers: int | None = None,
    timeout: float | None = None,
    memory_mb: int | None = None,
    scratch_mb: int | None = None,
    unsafe_no_sandbox: bool = False,
) -> int:
    """``python -m lecture_lib exercises build | check | grade NAME FOLDER [-o scores.csv]``."""
    if action == "build":
        for p in build.build():
            print("wrote", p.relative_to(REPO_ROOT))
        return 0
    if action == "check":
        bad = build.out_of_sync()
        print(
            "in sync"
            if not bad
            else "out of sync (run `python -m lecture_lib exercises build`): " + ", ".join(bad)
        )
        return 1 if bad else 0
    out = Path(output or f"scores-{name}.csv")
    defaults = confine.Limits()
    limits = confine.Limits(
        seconds=timeout or defaults.seconds,
        memory_mb=memory_mb or defaults.memory_mb,
        scratch_mb=scratch_mb or defaults.scratch_mb,
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

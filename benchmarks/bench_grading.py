"""Time grading a class: N copies of an exercise's solution, graded in the sandbox, W at a time (#13, #24).

Adds its rows to ``benchmarks/results/grading.json`` (the table README quotes; each row names its
machine and instruction set, and rows of other exercises or machines stay). Run it alone on the machine:

    .venv/bin/python benchmarks/bench_grading.py 02_cnn --submissions 30 --workers 1 2 3
"""

from __future__ import annotations

import argparse
import json
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("exercises", nargs="+", help="e.g. 02_cnn")
    parser.add_argument("--submissions", type=int, default=30)
    parser.add_argument("--workers", type=int, nargs="+", default=[2])
    args = parser.parse_args(argv)

    import nbformat

    from lecture_lib import results
    from lecture_lib.grading import build, grade

    path = results.benchmark_file("grading")
    old = json.loads(path.read_text()) if path.is_file() else {}
    machine = results.machine_description()
    rows = dict(old.get("rows", {}))
    for name in args.exercises:
        with tempfile.TemporaryDirectory() as tmp:
            dist = build.assign(build.SOURCE_DIR / f"{name}.ipynb", Path(tmp) / "dist")
            solution = nbformat.read(dist / "autograder" / f"{name}.ipynb", as_version=4)
            subs = Path(tmp) / "submissions"
            subs.mkdir()
            for i in range(args.submissions):
                nbformat.write(solution, subs / f"student{i:03d}.ipynb")
            for w in args.workers:
                t0 = time.time()
                graded = grade.grade(name, subs, Path(tmp) / f"scores-{w}.csv", workers=w)
                wall = time.time() - t0
                full = sum(1 for r in graded if not r["error"] and r["total"] == r["possible"])
                for r in graded:
                    if r["error"] or r["total"] != r["possible"]:
                        print(
                            f"  {r['submission']}: {r['total']} of {r.get('possible')}: {r['error'] or r.get('feedback')}"
                        )
                rows[f"{name}, {w} at a time, {machine}"] = [round(wall, 1), full]
                print(
                    f"{name}: {args.submissions} submissions, {w} at a time: {wall:.0f} s, {full} with full marks",
                    flush=True,
                )
    doc = {
        "title": f"Grading {args.submissions} submissions in the sandbox (seconds; submissions with full marks)",
        "when": time.strftime("%Y-%m-%d"),
        "machine": "each row's last part",
        "settings": "solution notebooks, sandbox on; the checks outside the kernel since 2026-12-03 (#24)",
        "columns": ["seconds", "all full"],
        "rows": rows,
    }
    path.write_text(json.dumps(doc, indent=1) + "\n")
    print(results.benchmark_summary("grading"))
    print(f"saved {path}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

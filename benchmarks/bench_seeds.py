"""Run a notebook over several seeds and keep the table: the course's one source for "X beats Y".

Executes the notebook itself (not a copy of its code) once per seed with ``LECTURE_SEED`` set, reads
the headline numbers each run records in ``data/results/<notebook>.json``, prints one row per seed
plus mean ± standard deviation, and in full mode writes ``benchmarks/results/<notebook>.seeds.json``
(committed), which notebooks print with ``results.seeds_summary``. The seed changes initial weights,
shuffling and augmentation; the train/validation/test split stays the course's (seed 42).
Run it alone on the machine (two heavy jobs on two cores double both times):

    LECTURE_MIRROR=../shared/mirror LECTURE_BACKBONE=mobilenet \
        .venv/bin/python benchmarks/bench_seeds.py 07_fine_tuning --seeds 1 2 3
"""

from __future__ import annotations

import argparse
import json
import os
import sys
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))


def run_once(notebook: Path, seed: int, timeout: int) -> float:
    """Execute ``notebook`` with LECTURE_SEED=seed in a fresh kernel; return its wall time in seconds."""
    import nbformat
    from nbclient import NotebookClient

    os.environ["LECTURE_SEED"] = str(seed)
    os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")
    nb = nbformat.read(notebook, as_version=4)
    t0 = time.time()
    NotebookClient(nb, timeout=timeout, kernel_name="python3", resources={"metadata": {"path": str(notebook.parent)}}).execute()
    return time.time() - t0


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("notebook", help="e.g. 07_fine_tuning (a file under notebooks/)")
    parser.add_argument("--seeds", type=int, nargs="+", default=[1, 2, 3])
    parser.add_argument("--timeout", type=int, default=3600, help="seconds per cell")
    args = parser.parse_args(argv)

    from lecture_lib import config, results

    s = config.settings()
    notebook = REPO / "notebooks" / f"{args.notebook.removesuffix('.ipynb')}.ipynb"
    name = notebook.stem
    runs = []
    for seed in args.seeds:
        print(f"== {name}, seed {seed} ...", flush=True)
        wall = run_once(notebook, seed, args.timeout)
        doc = results.load(name, s)
        if not doc or doc.get("settings", {}).get("seed") != seed:
            raise SystemExit(f"{name} did not record a result for seed {seed} in {results.results_dir(s)}")
        runs.append({"seed": seed, "metrics": doc["metrics"], "notebook_settings": doc["settings"],
                     "seconds": round(wall, 1), "recorded_seconds": doc.get("seconds")})
        print(f"   {wall:.0f} s: " + ", ".join(f"{k}={v}" for k, v in doc["metrics"].items()), flush=True)
    out = {
        "notebook": name,
        "when": time.strftime("%Y-%m-%d"),
        "machine": results.machine_description(),
        "mode": "smoke" if s.smoke else "full",
        "settings": {k: v for k, v in runs[0]["notebook_settings"].items()
                     if k in ("backbone", "image_size", "epochs", "learning_rates", "batch_size")},
        "runs": runs,
    }
    keys = [k for k, v in runs[0]["metrics"].items()  # numbers that vary (not parameter counts)
            if isinstance(v, float) or (isinstance(v, int) and len({r["metrics"][k] for r in runs}) > 1)]
    keys += ["seconds"]
    print(results.seeds_summary(name, keys, doc=out))
    if s.smoke:
        print("(smoke mode: the table is not the lecture's, and nothing was written)")
        return 0
    path = results.seeds_file(name)
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(out, indent=1) + "\n")
    print(f"saved {path}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

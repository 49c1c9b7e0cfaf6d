"""Run a notebook over several seeds and keep the table: the course's one source for "X beats Y".

Executes the notebook itself (not a copy of its code) once per seed with ``LECTURE_SEED`` set, reads
the headline numbers each run records in ``data/results/<notebook>.json``, prints one row per seed
plus mean ± standard deviation, and in full mode writes ``benchmarks/results/<notebook>.seeds.json``
(committed), which notebooks print with ``results.seeds_summary``. The seed changes initial weights,
shuffling and augmentation; the train/validation/test split stays the course's (seed 42).
Run it alone on the machine (two heavy jobs on two cores double both times):

    LECTURE_MIRROR=../shared/mirror LECTURE_BACKBONE=mobilenet \
        .venv/bin/python benchmarks/bench_seeds.py 07_fine_tuning --seeds 1 2 3
        .venv/bin/python benchmarks/bench_seeds.py 03_cnn_dogs_vs_cats 08_data_augmentation  # 08 needs 03
        .venv/bin/python benchmarks/bench_seeds.py 02_cnn_mnist --anchor anchor_mnist_convnet.py

``--cpu-class avx2`` runs with a laptop's instruction set and precision on any machine: oneDNN capped
at AVX2 (``ONEDNN_MAX_CPU_ISA=AVX2``; TensorFlow's convolutions run through oneDNN) and float32
(``LECTURE_PRECISION``); the table's machine then names the cap ("..., oneDNN capped at AVX2"). It
isolates what AVX-512 and bfloat16 buy, but it does not make a newer core as slow as an older one:
notebook 03's network (pooling after the ReLU) trained at 121 images/s capped on a 2-core Zen 4
EPYC (130 uncapped in float32, 163 in bfloat16), at 93 capped on a 2-core Ice Lake Xeon (126
uncapped in float32) and at 57 on a real 2-core Zen 3 EPYC with AVX2 only
(``benchmarks/results/03_speed.json``), so laptop times come from a real AVX2 CPU.
``native`` (the default) leaves the machine and its precision as they are. ``--table-suffix``
keeps another class's table beside the one the notebook prints.

``--anchor SCRIPT`` also runs a yardstick script (e.g. ``anchor_mnist_convnet.py``, keras-io's MNIST
recipe, for notebook 02) with the same seeds on the same machine, right after each notebook run, and
sets its table beside the notebook's: the script prints one JSON line with ``test_accuracy``,
``train_seconds`` and ``seconds``.
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))
# the environment each CPU class runs under (kernels and yardstick scripts inherit it)
CPU_CLASSES = {
    "native": {},
    "avx2": {"ONEDNN_MAX_CPU_ISA": "AVX2", "LECTURE_PRECISION": "float32"},
}


def slowest_cells(nb, n: int = 5) -> list[dict]:  # noqa: ANN001 - an executed nbformat notebook
    """The ``n`` code cells that took longest, from the timing nbclient records in each cell's metadata."""
    from datetime import datetime

    rows = []
    for index, cell in enumerate(nb.cells):
        times = cell.get("metadata", {}).get("execution", {})
        start, end = times.get("iopub.execute_input"), times.get("shell.execute_reply")
        if cell.cell_type != "code" or not (start and end):
            continue
        seconds = (
            datetime.fromisoformat(end.replace("Z", "+00:00"))
            - datetime.fromisoformat(start.replace("Z", "+00:00"))
        ).total_seconds()
        first = next((ln for ln in cell.source.splitlines() if ln and not ln.startswith("#")), "")
        rows.append({"cell": index, "seconds": round(seconds, 1), "first_line": first[:80]})
    return sorted(rows, key=lambda r: -r["seconds"])[:n]


def run_once(notebook: Path, seed: int, timeout: int) -> tuple[float, list[dict]]:
    """Execute ``notebook`` with LECTURE_SEED=seed in a fresh kernel: its wall time, its slowest cells."""
    import nbformat
    from nbclient import NotebookClient

    os.environ["LECTURE_SEED"] = str(seed)
    os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")
    nb = nbformat.read(notebook, as_version=4)
    t0 = time.time()
    NotebookClient(
        nb,
        timeout=timeout,
        kernel_name="python3",
        resources={"metadata": {"path": str(notebook.parent)}},
    ).execute()
    return time.time() - t0, slowest_cells(nb)


def run_anchor(script: Path, seed: int) -> dict:
    """Run a yardstick script in a fresh process (its wall time counts the imports, like a notebook's)."""
    r = subprocess.run(
        [sys.executable, str(script), "--seed", str(seed)],
        capture_output=True,
        text=True,
        env={**os.environ, "LECTURE_SEED": str(seed)},
        check=False,
    )
    lines = [ln for ln in r.stdout.splitlines() if ln.startswith("{")]
    if r.returncode != 0 or not lines:
        raise SystemExit(f"{script.name} failed for seed {seed}:\n{r.stderr[-2000:]}")
    return json.loads(lines[-1])


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument(
        "notebooks",
        nargs="+",
        help="e.g. 07_fine_tuning (files under notebooks/), run in this order for each seed: "
        "08_data_augmentation needs 03_cnn_dogs_vs_cats of the same seed before it",
    )
    parser.add_argument("--seeds", type=int, nargs="+", default=[1, 2, 3])
    parser.add_argument(
        "--anchor", help="a yardstick script under benchmarks/ to run with the same seeds"
    )
    parser.add_argument("--timeout", type=int, default=3600, help="seconds per cell")
    parser.add_argument(
        "--table-suffix",
        default="",
        help="keep the table as <notebook>.<suffix>.seeds.json (e.g. avx512: another CPU class's "
        "table beside the one the notebook prints)",
    )
    parser.add_argument(
        "--cpu-class",
        choices=list(CPU_CLASSES),
        default="native",
        help="avx2: oneDNN capped at AVX2 and float32, on any machine (a laptop's instruction "
        "set and precision, not its speed)",
    )
    args = parser.parse_args(argv)
    os.environ.update(CPU_CLASSES[args.cpu_class])  # before TensorFlow starts, here or in a kernel

    from lecture_lib import config, results

    s = config.settings()
    notebooks = [REPO / "notebooks" / f"{n.removesuffix('.ipynb')}.ipynb" for n in args.notebooks]
    runs: dict[str, list[dict]] = {nb.stem: [] for nb in notebooks}
    anchor_runs = []
    anchor = REPO / "benchmarks" / args.anchor if args.anchor else None
    for seed in args.seeds:
        for notebook in notebooks:
            name = notebook.stem
            print(f"== {name}, seed {seed} ...", flush=True)
            wall, slowest = run_once(notebook, seed, args.timeout)
            doc = results.load(name, s)
            if not doc or doc.get("settings", {}).get("seed") != seed:
                raise SystemExit(
                    f"{name} did not record a result for seed {seed} in {results.results_dir(s)}"
                )
            runs[name].append(
                {
                    "seed": seed,
                    "metrics": doc["metrics"],
                    "notebook_settings": doc["settings"],
                    "seconds": round(wall, 1),
                    "recorded_seconds": doc.get("seconds"),
                    "slowest_cells": slowest,
                }
            )
            print(
                f"   {wall:.0f} s: " + ", ".join(f"{k}={v}" for k, v in doc["metrics"].items()),
                flush=True,
            )
        if anchor:
            print(f"== {anchor.stem}, seed {seed} ...", flush=True)
            a = run_anchor(anchor, seed)
            anchor_runs.append(
                {
                    "seed": seed,
                    "metrics": {k: v for k, v in a.items() if k not in ("seed", "seconds")},
                    "seconds": a["seconds"],
                }
            )
            print(
                f"   {a['seconds']:.0f} s: " + ", ".join(f"{k}={v}" for k, v in a.items()),
                flush=True,
            )
    for i, (name, nb_runs) in enumerate(runs.items()):
        out = {
            "notebook": name,
            "when": time.strftime("%Y-%m-%d"),
            "machine": results.machine_description(),
            "mode": "smoke" if s.smoke else "full",
            "settings": {
                k: v
                for k, v in nb_runs[0]["notebook_settings"].items()
                if k
                in ("backbone", "image_size", "epochs", "learning_rates", "batch_size", "precision")
            },
            "runs": nb_runs,
        }
        if anchor_runs and i == 0:
            out["anchor"] = {"script": f"benchmarks/{anchor.name}", "runs": anchor_runs}
        keys = [
            k
            for k, v in nb_runs[0]["metrics"].items()  # numbers that vary (not parameter counts)
            if isinstance(v, float)
            or (isinstance(v, int) and len({r["metrics"][k] for r in nb_runs}) > 1)
        ]
        keys += ["seconds"]
        print(results.seeds_summary(name, keys, doc=out))
        if "anchor" in out:
            print(results.anchor_summary(name, doc=out))
        if s.smoke:
            print("(smoke mode: the table is not the lecture's, and nothing was written)")
            continue
        path = results.seeds_file(f"{name}.{args.table_suffix}" if args.table_suffix else name)
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(json.dumps(out, indent=1) + "\n")
        print(f"saved {path}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

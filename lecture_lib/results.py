"""Each notebook's headline numbers in ``data/results/<notebook>.json`` (docs/architecture.md, results).

``record`` writes ``{"notebook", "metrics", "settings", "seconds", "when"}`` and returns a table
that sets this run beside the previous one, for the last cell "What we measured".
"""

from __future__ import annotations

import json
import time
from pathlib import Path

from .config import REPO_ROOT, Settings, read_json, settings
from .devices import cpu_flags


def results_dir(cfg: Settings | None = None) -> Path:
    """``data/results/<mode>/``: a smoke run is never compared with a full one."""
    return (cfg or settings()).outputs("results")


def load(notebook: str, cfg: Settings | None = None) -> dict | None:
    return read_json(results_dir(cfg) / f"{notebook}.json")


def record(
    notebook: str,
    metrics: dict[str, float | int | str],
    run_settings: dict,
    seconds: float,
    cfg: Settings | None = None,
) -> str:
    """Write this run's results and return a printable comparison with the previous run."""
    previous = load(notebook, cfg)
    doc = {
        "notebook": notebook,
        "metrics": metrics,
        "settings": run_settings,
        "seconds": round(float(seconds), 1),
        "when": time.strftime("%Y-%m-%d %H:%M:%S"),
    }
    path = results_dir(cfg) / f"{notebook}.json"
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(doc, indent=2, default=str))
    prev_metrics = (previous or {}).get("metrics", {})
    width = max([28, *(len(k) + 2 for k in metrics)])  # long names stay aligned
    lines = [
        f"What we measured ({notebook}, saved to {path}):",
        f"{'metric':<{width}}{'this run':>14}{'previous':>14}",
    ]
    for k, v in {**metrics, "seconds": doc["seconds"]}.items():
        p = prev_metrics.get(k) if k != "seconds" else (previous or {}).get("seconds")
        lines.append(f"{k:<{width}}{_fmt(v, k):>14}{(_fmt(p, k) if p is not None else '-'):>14}")
    lines.append("settings: " + ", ".join(f"{k}={v}" for k, v in run_settings.items()))
    return "\n".join(lines)


def _fmt(x: object, key: str) -> str:
    if isinstance(x, float) and key.endswith("seconds"):
        return f"{x:.1f}"
    return f"{x:.4f}" if isinstance(x, float) else str(x)


def seeds_file(notebook: str) -> Path:
    """Where ``benchmarks/bench_seeds.py`` keeps a notebook's runs over several seeds (committed)."""
    return REPO_ROOT / "benchmarks" / "results" / f"{notebook}.seeds.json"


def seeds_summary(notebook: str, keys: list[str], *, doc: dict | None = None) -> str:
    """The seeds benchmark's table for ``notebook``: one row per seed, then mean ± standard deviation.

    Notebooks print this instead of quoting numbers in their prose, so the words come from a file
    the benchmark wrote (with its machine, backbone and settings), not from memory.
    """
    doc = doc or read_json(seeds_file(notebook))
    if not doc or not doc.get("runs"):
        return (
            f"No seeds benchmark for {notebook} yet: run `python benchmarks/bench_seeds.py {notebook} "
            "--seeds 1 2 3` (full mode) to measure the spread over seeds."
        )
    runs = doc["runs"]
    values = {
        k: [r["metrics"].get(k) if k != "seconds" else r.get("seconds") for r in runs] for k in keys
    }
    width = max(len(k) for k in keys) + 2
    lines = [
        f"Seeds benchmark ({doc.get('when', '?')}; {doc.get('machine', '?')}; mode {doc.get('mode', '?')}; "
        f"{', '.join(f'{k}={v}' for k, v in doc.get('settings', {}).items())})",
        f"{'seed':<{width}}"
        + "".join(f"{r['seed']:>10}" for r in runs)
        + f"{'mean':>10}{'± sd':>9}",
    ]
    for k, vs in values.items():
        nums = [float(v) for v in vs if isinstance(v, int | float)]
        mean = sum(nums) / len(nums) if nums else float("nan")
        sd = (sum((v - mean) ** 2 for v in nums) / (len(nums) - 1)) ** 0.5 if len(nums) > 1 else 0.0
        whole = nums and all(isinstance(v, int) for v in vs if v is not None)  # epochs, counts
        form = "{:.0f}" if k.endswith("seconds") or whole else "{:.4f}"
        cells = "".join(f"{form.format(v) if v is not None else '-':>10}" for v in vs)
        lines.append(f"{k:<{width}}{cells}{form.format(mean):>10}{form.format(sd):>9}")
    return "\n".join(lines)


def anchor_summary(notebook: str, *, doc: dict | None = None) -> str:
    """The yardstick run beside a notebook in its seeds benchmark (``bench_seeds.py --anchor``), as a table."""
    doc = doc or read_json(seeds_file(notebook)) or {}
    anchor = doc.get("anchor")
    if not anchor:
        return "No yardstick in this seeds benchmark."
    keys = ["test_accuracy", "train_seconds", "seconds"]
    table = seeds_summary(notebook, keys, doc={**doc, "runs": anchor["runs"], "settings": {}})
    return f"Yardstick: {anchor['script']}, same seeds, same machine\n" + table.split("\n", 1)[1]


def instruction_set(flags: set[str], onednn_cap: str = "") -> str:
    """The widest vector instruction set the CPU flags show, as the course names the two classes
    (AVX-512 with bfloat16/AMX, or AVX2 like most laptops), and oneDNN's cap when one is set."""
    if {"amx_bf16", "amx_tile"} <= flags:
        isa = "AVX-512 + AMX (bfloat16)"
    elif "avx512_bf16" in flags:
        isa = "AVX-512 (bfloat16)"
    elif "avx512f" in flags:
        isa = "AVX-512"
    elif "avx2" in flags:
        isa = "AVX2"
    else:
        isa = "no AVX2" if flags else "instruction set unknown"
    return f"{isa}, oneDNN capped at {onednn_cap}" if onednn_cap else isa


def machine_description() -> str:
    """CPU model, core count and instruction set (benchmark times differ 4-5x between the classes)."""
    import os
    import platform

    model = platform.processor() or platform.machine()
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                model = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    isa = instruction_set(cpu_flags(), os.environ.get("ONEDNN_MAX_CPU_ISA", ""))
    return f"{model}, {os.cpu_count()} cores, {isa}"


def benchmark_file(name: str) -> Path:
    """Where a benchmark under ``benchmarks/`` keeps its last table (committed)."""
    return REPO_ROOT / "benchmarks" / "results" / f"{name}.json"


def benchmark_summary(name: str) -> str:
    """A benchmark's saved table (rows of numbers per epoch, then ratios), for a notebook to print."""
    doc = read_json(benchmark_file(name))
    if not doc:
        return f"No results of benchmarks/bench_{name}.py yet: run it to measure."
    lines = [f"{doc['title']} ({doc['when']}; {doc['machine']}; {doc['settings']})"]
    columns = doc["columns"]
    lines.append(f"{'':<46}" + "".join(f"{c:>10}" for c in columns))
    for row, values in doc["rows"].items():
        lines.append(f"{row:<46}" + "".join(f"{v:>10.0f}" for v in values))
    lines += doc.get("notes", [])
    return "\n".join(lines)


def append_row(path: Path, row: dict) -> None:
    """Add one benchmark row to the ``{"rows": [...]}`` table at ``path`` (committed, like the
    seeds tables) and print it: a benchmark that stops half-way keeps the rows it measured."""
    doc = read_json(path) or {"rows": []}
    doc["rows"].append(row)
    path.write_text(json.dumps(doc, indent=1) + "\n")
    print(json.dumps(row), flush=True)

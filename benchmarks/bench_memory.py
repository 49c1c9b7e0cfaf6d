"""Peak memory of every lecture notebook: the resident memory (RSS) of its Jupyter kernel (#14).

Executes the notebooks in course order (04 needs 02's model, 08 needs 03's) with nbconvert, in the
mode of ``LECTURE_SMOKE``, and samples the kernel's RSS every 0.2 s (the kernel and its children,
not nbconvert itself). Writes ``benchmarks/results/memory.json``; README's notebook table quotes it.
Run it alone on the machine, once per mode:

    LECTURE_SMOKE=1 .venv/bin/python benchmarks/bench_memory.py
    .venv/bin/python benchmarks/bench_memory.py
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import tempfile
import threading
import time
from pathlib import Path

import psutil

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))


def kernel_rss_mb(parent: psutil.Process) -> float:
    """RSS of the kernel processes under ``parent`` (and their children), in MB."""
    total = 0
    for p in parent.children(recursive=True):
        try:
            if "ipykernel" in " ".join(p.cmdline()):
                total += p.memory_info().rss + sum(
                    c.memory_info().rss for c in p.children(recursive=True)
                )
        except (psutil.NoSuchProcess, psutil.AccessDenied):
            continue
    return total / 2**20


def peak_of(notebook: Path, out_dir: Path) -> tuple[float, float, int]:
    """(peak kernel RSS in MB, seconds, exit code) of one notebook executed by nbconvert."""
    cmd = [
        sys.executable,
        "-m",
        "jupyter",
        "nbconvert",
        "--to",
        "notebook",
        "--execute",
        str(notebook),
        "--output-dir",
        str(out_dir),
        "--ExecutePreprocessor.timeout=1800",
    ]
    t0 = time.time()
    proc = subprocess.Popen(
        cmd, cwd=notebook.parent, stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL
    )
    parent, peak, done = psutil.Process(proc.pid), [0.0], threading.Event()

    def sample() -> None:
        while not done.is_set():
            peak[0] = max(peak[0], kernel_rss_mb(parent))
            time.sleep(0.2)

    sampler = threading.Thread(target=sample, daemon=True)
    sampler.start()
    rc = proc.wait()
    done.set()
    sampler.join()
    return peak[0], time.time() - t0, rc


def main() -> int:
    from lecture_lib import results
    from lecture_lib.config import settings

    mode = settings().mode_name
    path = results.benchmark_file("memory")
    doc = json.loads(path.read_text()) if path.is_file() else {}
    doc.update(
        title="Peak memory of each notebook: RSS of its kernel (MB)",
        when=time.strftime("%Y-%m-%d"),
        machine=results.machine_description(),
        settings=f"LECTURE_BACKBONE={os.environ.get('LECTURE_BACKBONE', 'vgg16')}, nbconvert, notebooks in course order",
    )
    rows = doc.setdefault("modes", {}).setdefault(mode, {})
    with tempfile.TemporaryDirectory() as out:
        for nb in sorted((REPO / "notebooks").glob("[0-9]*.ipynb")):
            mb, seconds, rc = peak_of(nb, Path(out))
            rows[nb.stem] = {"peak_mb": round(mb), "seconds": round(seconds, 1), "ok": rc == 0}
            print(
                f"{mode:<6}{nb.stem:<40}{mb:>8.0f} MB{seconds:>8.0f} s{'' if rc == 0 else '  FAILED'}",
                flush=True,
            )
    path.write_text(json.dumps(doc, indent=1) + "\n")
    print(f"saved {path}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

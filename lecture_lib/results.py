"""Each notebook's headline numbers in ``data/results/<notebook>.json`` (DESIGN.md step 6).

``record`` writes ``{"notebook", "metrics", "settings", "seconds", "when"}`` and returns a table
that sets this run beside the previous one, for the last cell "What we measured".
"""

from __future__ import annotations

import json
import time
from pathlib import Path

from .config import Settings, settings


def results_dir(s: Settings | None = None) -> Path:
    return (s or settings()).data_dir / "results"


def load(notebook: str, s: Settings | None = None) -> dict | None:
    try:
        return json.loads((results_dir(s) / f"{notebook}.json").read_text())
    except (OSError, ValueError):
        return None


def record(notebook: str, metrics: dict[str, float | int | str], run_settings: dict, seconds: float,
           s: Settings | None = None) -> str:
    """Write this run's results and return a printable comparison with the previous run."""
    previous = load(notebook, s)
    doc = {
        "notebook": notebook,
        "metrics": metrics,
        "settings": run_settings,
        "seconds": round(float(seconds), 1),
        "when": time.strftime("%Y-%m-%d %H:%M:%S"),
    }
    path = results_dir(s) / f"{notebook}.json"
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(json.dumps(doc, indent=2, default=str))
    prev_metrics = (previous or {}).get("metrics", {})
    width = max([28, *(len(k) + 2 for k in metrics)])  # long names stay aligned
    lines = [f"What we measured ({notebook}, saved to {path}):", f"{'metric':<{width}}{'this run':>14}{'previous':>14}"]
    for k, v in {**metrics, "seconds": doc["seconds"]}.items():
        p = prev_metrics.get(k) if k != "seconds" else (previous or {}).get("seconds")
        lines.append(f"{k:<{width}}{_fmt(v, k):>14}{(_fmt(p, k) if p is not None else '-'):>14}")
    lines.append("settings: " + ", ".join(f"{k}={v}" for k, v in run_settings.items()))
    return "\n".join(lines)


def _fmt(x: object, key: str) -> str:
    return f"{x:.4f}" if isinstance(x, float) and key != "seconds" else str(x)

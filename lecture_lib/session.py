"""The first and last cell of every notebook: print the settings, seed, time, record results."""

from __future__ import annotations

import os
import time
from dataclasses import dataclass, field

from . import results
from .config import Settings, seed_everything, settings


@dataclass
class Run:
    notebook: str
    settings: Settings
    t0: float = field(default_factory=time.time)

    @property
    def smoke(self) -> bool:
        return self.settings.smoke

    def pick(self, full, smoke):  # noqa: ANN001, ANN201 - any value
        """The lecture's value in full mode, the tiny one in smoke mode."""
        return smoke if self.settings.smoke else full

    def seconds(self) -> float:
        return time.time() - self.t0

    def finish(self, metrics: dict, run_settings: dict | None = None) -> None:
        """Record ``metrics`` in data/results/<notebook>.json and print them beside the last run."""
        merged = {"mode": "smoke" if self.smoke else "full", "seed": self.settings.seed, **(run_settings or {})}
        print(results.record(self.notebook, metrics, merged, self.seconds(), self.settings))


def start(notebook: str) -> Run:
    """Read and print the settings, seed every generator, start the clock."""
    os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")
    s = settings()
    seed_everything(s.seed)
    print(f"notebook  : {notebook}\n{s.describe()}")
    if s.smoke:
        print("\n*** SMOKE MODE: tiny subsets and 1 epoch. The numbers below are NOT the lecture's. ***")
    return Run(notebook, s)

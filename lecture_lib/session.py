"""The first and last cell of every notebook, and the models notebooks hand to each other.

``start`` prints the settings, seeds every generator and starts the clock; ``Run.finish`` records
the results. ``Run.save_model`` / ``Run.load_model`` pass a trained model from one notebook to another
(02 -> 04, 03 -> 08) inside one mode's folder, with a note of the settings it was made with: a
model from the other mode, or made with another seed or other settings, is refused with the fix.
"""

from __future__ import annotations

import json
import os
import sys
import time
from dataclasses import dataclass, field
from pathlib import Path

from . import devices, results
from .config import Settings, read_json, seed_everything, settings


class StaleOutputError(RuntimeError):
    """Another notebook's saved model is missing, or was made in another mode or with other settings."""


def _same(a: object, b: object) -> bool:
    """Equal after a JSON round trip (tuples come back as lists)."""
    return json.loads(json.dumps(a, default=str)) == json.loads(json.dumps(b, default=str))


@dataclass
class Run:
    notebook: str
    settings: Settings
    t0: float = field(default_factory=time.time)

    @property
    def smoke(self) -> bool:
        return self.settings.smoke

    @property
    def models_dir(self) -> Path:
        """``data/models/<mode>/``, created on first use."""
        path = self.settings.outputs("models")
        path.mkdir(parents=True, exist_ok=True)
        return path

    def pick(self, full, smoke):  # noqa: ANN001, ANN201 - any value
        """The lecture's value in full mode, the tiny one in smoke mode."""
        return smoke if self.settings.smoke else full

    def seconds(self) -> float:
        return time.time() - self.t0

    def finish(self, metrics: dict, run_settings: dict | None = None) -> None:
        """Record ``metrics`` in data/results/<mode>/<notebook>.json and print them beside the last run."""
        merged = {
            "mode": self.settings.mode_name,
            "seed": self.settings.seed,
            **(run_settings or {}),
        }
        print(results.record(self.notebook, metrics, merged, self.seconds(), self.settings))

    def save_model(self, model, name: str, **made_with: object) -> Path:  # noqa: ANN001 - keras.Model
        """Save ``model`` as ``data/models/<mode>/<name>.keras`` beside a note of how it was made."""
        path = self.models_dir / f"{name}.keras"
        model.save(path)
        note = {
            "notebook": self.notebook,
            "mode": self.settings.mode_name,
            "seed": self.settings.seed,
            **made_with,
        }
        path.with_suffix(".json").write_text(json.dumps(note, indent=1, default=str))
        return path

    def load_model(self, name: str, made_by: str, *, same_seed: bool = True, **expected: object):  # noqa: ANN201
        """The model notebook ``made_by`` saved in this mode, and its note; refuse a stale one.

        Refused, with the fix in one sentence: a missing model; one made in the other mode; one made
        with another seed (when ``same_seed``) or with other ``expected`` settings.
        """
        import keras

        path = self.models_dir / f"{name}.keras"
        note = read_json(path.with_suffix(".json"))
        mode = self.settings.mode_name
        fix = (
            f"run notebook {made_by} first with this run's settings (LECTURE_SMOKE={'1' if self.smoke else '0'}, "
            f"LECTURE_SEED={self.settings.seed})."
        )
        if not path.is_file() or note is None:
            raise StaleOutputError(
                f"No model of notebook {made_by} for {mode} mode at {path}: {fix}"
                + (
                    " On Colab, run it in this same session: Colab forgets files when a session ends."
                    if "google.colab" in sys.modules
                    else ""
                )
            )
        want = {"mode": mode, **({"seed": self.settings.seed} if same_seed else {}), **expected}
        differ = [k for k, v in want.items() if not _same(note.get(k), v)]
        if differ:
            had = ", ".join(f"{k}={note.get(k)}" for k in differ)
            has = ", ".join(f"{k}={want[k]}" for k in differ)
            raise StaleOutputError(
                f"{path.name} was made by notebook {made_by} with {had}, but this run has {has}: {fix}"
            )
        return keras.models.load_model(path), note


def start(notebook: str) -> Run:
    """Read and print the settings, seed every generator, start the clock."""
    os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")
    s = settings()
    seed_everything(s.seed)
    devices.untune_array_inputs()
    print(f"notebook  : {notebook}\n{s.describe()}")
    if s.smoke:
        print(
            "\n*** SMOKE MODE: tiny subsets and 1 epoch. The numbers below are NOT the lecture's. ***"
        )
    return Run(notebook, s)

"""The course's settings, read from the environment in one place (docs/architecture.md, "Settings").

Every notebook calls :func:`settings` and prints it first, so a run always says what it ran with.
"""

from __future__ import annotations

import json
import os
import random
from dataclasses import dataclass
from pathlib import Path

from .backbone_specs import SPECS as BACKBONE_SPECS

REPO_ROOT = Path(__file__).resolve().parent.parent
PRECISIONS = ("auto", "float32", "mixed_bfloat16")  # training precision of the from-scratch CNNs
_TRUE = {"1", "true", "yes", "on"}


class SettingsError(ValueError):
    """A setting has a value the course cannot use; the message says which and what to do."""


@dataclass(frozen=True)
class Settings:
    """The resolved settings. ``smoke`` shrinks every notebook so that CI proves each cell runs."""

    smoke: bool
    data_dir: Path
    mirror: Path | None
    backbone: str
    seed: int = 42
    require_real: bool = (
        False  # LECTURE_REQUIRE_REAL=1: no synthetic data or random weights, even in smoke mode
    )
    precision: str = (
        "auto"  # LECTURE_PRECISION: auto | float32 | mixed_bfloat16 (devices.training_precision)
    )

    @property
    def mode_name(self) -> str:
        """``smoke`` or ``full``: the name of the folder each mode's models and results go to."""
        return "smoke" if self.smoke else "full"

    def outputs(self, kind: str) -> Path:
        """``data/<kind>/<mode>/`` (kind: ``models`` or ``results``): smoke and full runs never mix."""
        return self.data_dir / kind / self.mode_name

    @property
    def mode(self) -> str:
        return (
            "SMOKE (tiny subsets, 1 epoch: proves the cells run, not the lecture's numbers)"
            if self.smoke
            else "full (the lecture's settings)"
        )

    def describe(self) -> str:
        lines = [
            f"mode      : {self.mode}",
            f"data dir  : {self.data_dir}",
            f"mirror    : {self.mirror or '(none: LECTURE_MIRROR is not set)'}",
            f"backbone  : {self.backbone}",
            f"seed      : {self.seed}  (LECTURE_SEED: initial weights, shuffling, augmentation; the splits keep seed 42)",
            f"precision : {self.precision}  (LECTURE_PRECISION: auto = bfloat16 where the CPU computes it natively)",
        ]
        return "\n".join(lines)


def _flag(name: str) -> bool:
    return os.environ.get(name, "").strip().lower() in _TRUE


def settings() -> Settings:
    """Read the ``LECTURE_*`` settings (smoke, data dir, mirror, backbone, seed, require real, precision).

    The data directory defaults to the repository's ``data/`` (never the working directory), so a
    notebook finds the same data whichever folder JupyterLab was started in.
    """
    data_dir = Path(os.environ.get("LECTURE_DATA_DIR") or REPO_ROOT / "data").expanduser().resolve()
    mirror_env = os.environ.get("LECTURE_MIRROR", "").strip()
    mirror = Path(mirror_env).expanduser().resolve() if mirror_env else None
    if mirror is not None and not mirror.is_dir():
        raise SettingsError(
            f"LECTURE_MIRROR={mirror_env!r} is not a folder. Point it at a folder laid out as "
            "datasets/<name>/... and models/<keras weight file>, or unset it."
        )
    seed_env = os.environ.get("LECTURE_SEED", "").strip() or "42"
    try:
        seed = int(seed_env)
    except ValueError:
        raise SettingsError(
            f"LECTURE_SEED={seed_env!r} is not a whole number (e.g. LECTURE_SEED=1)."
        ) from None
    backbone = os.environ.get("LECTURE_BACKBONE", "vgg16").strip().lower() or "vgg16"
    if backbone not in BACKBONE_SPECS:
        raise SettingsError(
            f"LECTURE_BACKBONE={backbone!r} is not one of {', '.join(BACKBONE_SPECS)}."
        )
    precision = os.environ.get("LECTURE_PRECISION", "auto").strip().lower() or "auto"
    if precision not in PRECISIONS:
        raise SettingsError(
            f"LECTURE_PRECISION={precision!r} is not one of {', '.join(PRECISIONS)}."
        )
    return Settings(
        smoke=_flag("LECTURE_SMOKE"),
        data_dir=data_dir,
        mirror=mirror,
        backbone=backbone,
        seed=seed,
        require_real=_flag("LECTURE_REQUIRE_REAL"),
        precision=precision,
    )


def seed_everything(seed: int = 42) -> None:
    """Seed Python, NumPy and (if imported) TensorFlow/Keras so a run can be repeated."""
    random.seed(seed)
    try:
        import numpy as np

        np.random.seed(seed)
    except ImportError:  # pragma: no cover - numpy is a dependency
        pass
    import sys

    if "keras" in sys.modules or "tensorflow" in sys.modules:
        import keras

        keras.utils.set_random_seed(seed)


def read_json(path: str | Path) -> dict | None:
    """The JSON object in ``path``, or None when the file is missing, unreadable or not JSON.

    The one reader of the course's small state files (completion markers, split manifests, image
    checks, results), which all treat "absent" and "damaged" alike: redo the work.
    """
    try:
        value = json.loads(Path(path).read_text())
    except (OSError, ValueError):
        return None
    return value if isinstance(value, dict) else None

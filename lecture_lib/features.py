"""The feature cache: computed features on disk, keyed by what determines them.

The notebook writes the extraction loop itself (``predict`` over batches of
``image_dataset_from_directory``); this module only decides whether that loop must run. The key
covers everything that changes the numbers: the model (its architecture, pooling and input size
from ``get_config``, and a hash of its weights themselves, so two random models never share an
entry), the preprocessing, the image size, and every file's name and content hash.
"""

from __future__ import annotations

import hashlib
import json
import time
from collections.abc import Callable
from dataclasses import dataclass
from pathlib import Path

import numpy as np

from .download import sha256_file


@dataclass
class Features:
    """Features of one folder: x (one row per image), y, class names, files; where they came from."""

    x: np.ndarray
    y: np.ndarray
    class_names: list[str]
    files: list[str]
    seconds: float
    cached: bool
    path: Path


def weights_digest(model) -> str:  # noqa: ANN001 - a keras.Model
    """sha256 over every weight tensor of ``model``, in order (shapes, dtypes and values; not names)."""
    h = hashlib.sha256()
    for w in model.weights:
        a = np.asarray(w.numpy() if hasattr(w, "numpy") else w)
        h.update(f"{a.shape}:{a.dtype}".encode())
        h.update(np.ascontiguousarray(a).tobytes())
    return h.hexdigest()


def folder_digest(folder: str | Path) -> list[tuple[str, str]]:
    """(relative path, sha256 of content) of every file under ``folder``, sorted."""
    folder = Path(folder)
    files = sorted(p for p in folder.rglob("*") if p.is_file() and not p.name.startswith("."))
    return [(p.relative_to(folder).as_posix(), sha256_file(p)) for p in files]


def key(model, *, preprocessing: str, image_size: tuple[int, int], folder: str | Path) -> str:  # noqa: ANN001
    """A short hash of everything that determines the features of ``folder`` under ``model``."""
    blob = json.dumps(
        {
            "config": model.get_config(),
            "weights": weights_digest(model),
            "preprocessing": preprocessing,
            "image_size": list(image_size),
            "files": folder_digest(folder),
        },
        sort_keys=True,
        default=str,
    )
    return hashlib.sha256(blob.encode()).hexdigest()[:20]


def cached(
    cache_dir: str | Path,
    compute: Callable[[], dict],
    *,
    model,
    preprocessing: str,  # noqa: ANN001
    image_size: tuple[int, int],
    folder: str | Path,
) -> Features:
    """Load the features of ``folder`` from ``cache_dir``, or ``compute()`` and store them.

    ``compute`` returns a dict with ``x``, ``y``, ``class_names`` and ``files``. The file is written
    to a temporary name and renamed, so an interrupted run never leaves half a cache entry.
    """
    t0 = time.time()
    k = key(model, preprocessing=preprocessing, image_size=image_size, folder=folder)
    path = Path(cache_dir) / f"{model.name}-{Path(folder).name}-{k}.npz"
    if path.is_file():
        with np.load(path, allow_pickle=False) as d:
            return Features(
                d["x"],
                d["y"],
                list(d["class_names"]),
                list(d["files"]),
                time.time() - t0,
                True,
                path,
            )
    got = compute()
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_name(path.name + ".part.npz")
    np.savez(
        tmp,
        x=got["x"],
        y=got["y"],
        class_names=np.array(got["class_names"]),
        files=np.array(got["files"]),
    )
    tmp.replace(path)
    return Features(
        np.asarray(got["x"]),
        np.asarray(got["y"]),
        list(got["class_names"]),
        list(got["files"]),
        time.time() - t0,
        False,
        path,
    )

"""Backbone features for a folder of images, cached on disk (notebook 06).

The cache key covers everything that changes the numbers: backbone, weights file (its sha256, or
the seed for random weights), image size and the exact file list (names, sizes, mtimes). A
re-run with the same key loads an .npz instead of running the network.
"""

from __future__ import annotations

import hashlib
import json
import os
import time
from dataclasses import dataclass
from pathlib import Path

import numpy as np
from tqdm.auto import tqdm

from . import pipelines
from .download import sha256_file
from .models import Backbone


@dataclass
class Features:
    x: np.ndarray
    y: np.ndarray
    class_names: list[str]
    files: list[str]
    seconds: float
    cached: bool
    path: Path


def _key(bb: Backbone, image_size: tuple[int, int], files: list[str], seed: int) -> str:
    weights = f"sha256:{sha256_file(bb.weights)}" if bb.pretrained else f"random:seed={seed}"
    listing = [(os.path.relpath(f, os.path.dirname(os.path.dirname(f))), os.path.getsize(f), os.stat(f).st_mtime_ns)
               for f in files]
    blob = json.dumps({"backbone": bb.name, "weights": weights, "size": list(image_size),
                       "input": list(bb.model.input_shape), "files": listing}, sort_keys=True)
    return hashlib.sha256(blob.encode()).hexdigest()[:20]


def extract(bb: Backbone, folder: str | Path, cache_dir: str | Path, *, image_size: tuple[int, int] = (224, 224),
            batch_size: int = 32, seed: int = 42) -> Features:
    """Pooled features of every image under ``folder`` (class subfolders), cached in ``cache_dir``."""
    t0 = time.time()
    src = pipelines.from_directory(folder, image_size, batch_size=batch_size, cache=False)
    path = Path(cache_dir) / f"{bb.name}-{Path(folder).name}-{_key(bb, image_size, src.file_paths, seed)}.npz"
    if path.is_file():
        with np.load(path, allow_pickle=False) as d:
            return Features(d["x"], d["y"], list(d["class_names"]), list(d["files"]), time.time() - t0, True, path)
    xs, ys = [], []
    for images, labels in tqdm(src.ds, total=-(-src.count // batch_size), desc=f"{bb.name} features: {Path(folder).name}",
                               unit="batch"):
        xs.append(np.asarray(bb.model(bb.preprocess(images.numpy()), training=False)))
        ys.append(labels.numpy())
    x, y = np.concatenate(xs).reshape(src.count, -1), np.concatenate(ys)
    path.parent.mkdir(parents=True, exist_ok=True)
    tmp = path.with_suffix(".part.npz")
    np.savez(tmp, x=x, y=y, class_names=np.array(src.class_names), files=np.array(src.file_paths))
    tmp.replace(path)
    return Features(x, y, src.class_names, src.file_paths, time.time() - t0, False, path)

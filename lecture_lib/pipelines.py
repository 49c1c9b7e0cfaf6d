"""``tf.data`` input pipelines over the prepared class folders.

Images are decoded, cropped to the aspect ratio and resized once, stored as uint8 in the cache
(4x smaller than float32), then shuffled per epoch, batched and prefetched. The model rescales.
tf.data's autotuner is off (``untuned``): on 2 cores its own work slowed training (docs/architecture.md).
"""

from __future__ import annotations

from dataclasses import dataclass
from pathlib import Path
from typing import NamedTuple

import numpy as np
import tensorflow as tf

AUTOTUNE = tf.data.AUTOTUNE


def untuned(ds: tf.data.Dataset) -> tf.data.Dataset:
    """``ds`` with tf.data's autotuner off: on the course's 2 cores its work competed with training.

    Measured on a 2-core AMD EPYC (Zen 3, AVX2, float32), notebook 03's pipeline feeding a 64 px
    network: 143-172 training images/s without it, 98-121 with it (docs/architecture.md).
    """
    options = tf.data.Options()
    options.autotune.enabled = False
    return ds.with_options(options)


@dataclass
class Splits:
    train: tf.data.Dataset
    validation: tf.data.Dataset
    test: tf.data.Dataset
    class_names: list[str]
    counts: dict[str, int]


class Folder(NamedTuple):
    """A class-per-folder directory as a pipeline, with its class names and files in pipeline order."""

    ds: tf.data.Dataset
    class_names: list[str]
    count: int
    file_paths: list[str]


def from_directory(
    folder: str | Path,
    image_size: tuple[int, int],
    *,
    batch_size: int = 32,
    shuffle: bool = False,
    seed: int = 42,
    label_mode: str = "int",
    cache: bool = True,
) -> Folder:
    """One class-per-folder directory as a batched dataset of (uint8 image, label)."""
    import keras

    ds = keras.utils.image_dataset_from_directory(
        str(folder),
        labels="inferred",
        label_mode=label_mode,
        image_size=image_size,
        batch_size=None,
        shuffle=False,
        crop_to_aspect_ratio=True,
        verbose=False,
    )
    names, files = list(ds.class_names), list(ds.file_paths)
    n = len(files)
    ds = ds.map(lambda x, y: (tf.cast(tf.round(x), tf.uint8), y), num_parallel_calls=AUTOTUNE)
    if cache:
        ds = ds.cache()
    if shuffle:
        ds = ds.shuffle(n, seed=seed, reshuffle_each_iteration=True)
    return Folder(untuned(ds.batch(batch_size).prefetch(AUTOTUNE)), names, n, files)


def load_splits(
    root: str | Path,
    image_size: tuple[int, int],
    *,
    batch_size: int = 32,
    seed: int = 42,
    label_mode: str = "int",
) -> Splits:
    """``root/{train,validation,test}`` as cached pipelines; only train is shuffled."""
    root = Path(root)
    parts = {
        sp: from_directory(
            root / sp,
            image_size,
            batch_size=batch_size,
            shuffle=sp == "train",
            seed=seed,
            label_mode=label_mode,
        )
        for sp in ("train", "validation", "test")
    }
    return Splits(
        parts["train"].ds,
        parts["validation"].ds,
        parts["test"].ds,
        parts["train"].class_names,
        {sp: p.count for sp, p in parts.items()},
    )


def collect(ds: tf.data.Dataset) -> tuple[np.ndarray, np.ndarray]:  # noqa: F821
    """All (images, labels) of a finite dataset as two NumPy arrays (for plots and metrics)."""
    import numpy as np

    xs, ys = zip(*((x.numpy(), y.numpy()) for x, y in ds), strict=True)
    return np.concatenate(xs), np.concatenate(ys)

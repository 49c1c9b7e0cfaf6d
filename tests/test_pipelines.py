"""pipelines: class folders as cached uint8 datasets without tf.data's autotuner; collect."""

from __future__ import annotations

import keras
import numpy as np
from PIL import Image

from lecture_lib import augment, pipelines


def _folders(root, per_class: int = 3) -> None:
    rng = np.random.default_rng(0)
    for split in ("train", "validation", "test"):
        for name in ("cat", "dog"):
            (root / split / name).mkdir(parents=True)
            for i in range(per_class):
                pixels = rng.integers(0, 256, (20, 30, 3), dtype=np.uint8)  # 3:2, cropped to square
                Image.fromarray(pixels).save(root / split / name / f"{name}.{i}.png")


def test_a_folder_is_a_batched_uint8_dataset_in_file_order_without_the_autotuner(tmp_path):
    _folders(tmp_path)
    folder = pipelines.from_directory(tmp_path / "train", (8, 8), batch_size=4)
    assert folder.class_names == ["cat", "dog"] and folder.count == 6
    x, y = pipelines.collect(folder.ds)
    assert x.shape == (6, 8, 8, 3) and x.dtype == np.uint8
    assert list(y) == [0, 0, 0, 1, 1, 1]
    assert [p.split("/")[-1] for p in folder.file_paths][:1] == ["cat.0.png"]
    assert folder.ds.options().autotune.enabled is False
    again, _ = pipelines.collect(folder.ds)  # the cached second pass gives the same pixels
    assert np.array_equal(x, again)


def test_splits_shuffle_only_train_and_augmentation_keeps_the_autotuner_off(tmp_path):
    _folders(tmp_path, per_class=6)
    splits = pipelines.load_splits(tmp_path, (8, 8), batch_size=12, seed=1)
    assert splits.counts == {"train": 12, "validation": 12, "test": 12}
    orders = [tuple(pipelines.collect(splits.train)[1]) for _ in range(3)]
    assert len(set(orders)) > 1  # reshuffled each epoch
    assert list(pipelines.collect(splits.test)[1]) == [0] * 6 + [1] * 6
    flipped = augment.augment_dataset(splits.train, keras.layers.RandomFlip("horizontal"))
    assert flipped.options().autotune.enabled is False
    assert pipelines.collect(flipped)[0].dtype == np.uint8

"""Images/s of the lecture's ImageDataGenerator.flow_from_directory vs the course's tf.data pipeline.

Same Dogs vs Cats training images, same augmentations (augment.LECTURE_IDG vs augment.lecture_stack),
same image size and batch size, in one run. Run by hand (not a test):

    LECTURE_MIRROR=../shared/mirror .venv/bin/python benchmarks/bench_augmentation_pipelines.py

Needs the prepared split of notebook 01 (built here if missing).
"""

from __future__ import annotations

import argparse
import os
import time

os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")


def main() -> None:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--size", type=int, default=150, help="image side in pixels (the lecture uses 150)")
    p.add_argument("--batch", type=int, default=32)
    p.add_argument("--epochs", type=int, default=2, help="passes over the training images for each pipeline")
    a = p.parse_args()

    from tensorflow.keras.preprocessing.image import ImageDataGenerator

    from lecture_lib import augment, config, data, pipelines, prepare

    s = config.settings()
    root = s.data_dir / "prepared" / "dogs-vs-cats"
    prepare.split_directories(prepare.dogs_vs_cats_files(data.get("dogs-vs-cats", quiet=True)), root,
                              {"train": 1000, "validation": 500, "test": 500}, seed=s.seed)
    train = root / "train"
    size = (a.size, a.size)

    gen = ImageDataGenerator(**augment.LECTURE_IDG).flow_from_directory(
        str(train), target_size=size, batch_size=a.batch, class_mode="binary", seed=s.seed)
    n = gen.samples
    idg = []
    for _ in range(a.epochs):
        t0, seen = time.perf_counter(), 0
        for _ in range(len(gen)):
            x, _ = next(gen)
            seen += len(x)
        idg.append(seen / (time.perf_counter() - t0))

    folder = pipelines.from_directory(train, size, batch_size=a.batch, shuffle=True, seed=s.seed)
    ds = augment.augment_dataset(folder.ds, augment.lecture_stack(seed=s.seed))
    tfd = []
    for _ in range(a.epochs):
        t0, seen = time.perf_counter(), 0
        for x, _ in ds:
            seen += int(x.shape[0])
        tfd.append(seen / (time.perf_counter() - t0))

    print(f"{n} training images, {a.size}x{a.size}, batch {a.batch}, {os.cpu_count()} CPU cores")
    print(f"{'pipeline':<44}" + "".join(f"{'epoch ' + str(i + 1):>12}" for i in range(a.epochs)) + "  images/s")
    print(f"{'(a) ImageDataGenerator.flow_from_directory':<44}" + "".join(f"{v:>12.0f}" for v in idg))
    print(f"{'(b) tf.data: decode once, cache, augment':<44}" + "".join(f"{v:>12.0f}" for v in tfd))
    print(f"ratio (b)/(a): first epoch {tfd[0] / idg[0]:.1f}x, last epoch {tfd[-1] / idg[-1]:.1f}x")


if __name__ == "__main__":
    main()

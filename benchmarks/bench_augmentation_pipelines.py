"""Images/s of the lecture's ImageDataGenerator.flow_from_directory vs the course's tf.data pipeline.

Same Dogs vs Cats training images, same augmentations (the lecture's settings, ``augment.LECTURE_IDG``),
same image size and batch size, in one run:

(a) the lecture's ImageDataGenerator.flow_from_directory (decodes and transforms each image in Python);
(b) tf.data, images decoded once and cached, then Keras' preprocessing layers (one resampling each);
(c) the same tf.data pipeline with ``augment.RandomAffine``: all transforms fused into one resampling.

Run by hand (not a test):

    LECTURE_MIRROR=../shared/mirror .venv/bin/python benchmarks/bench_augmentation_pipelines.py

Needs the prepared split of notebook 01 (built here if missing).
"""

from __future__ import annotations

import argparse
import json
import os
import time

os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")


def _images_per_second(epoch, epochs: int) -> list[float]:  # noqa: ANN001 - epoch() yields batches
    """Images/s of each of ``epochs`` passes; ``epoch()`` returns an iterable of one pass's batches."""
    rates = []
    for _ in range(epochs):
        t0, seen = time.perf_counter(), 0
        for x, _ in epoch():
            seen += int(x.shape[0])
        rates.append(seen / (time.perf_counter() - t0))
    return rates


def main() -> None:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument(
        "--size", type=int, default=150, help="image side in pixels (the lecture uses 150)"
    )
    p.add_argument("--batch", type=int, default=32)
    p.add_argument(
        "--epochs", type=int, default=5, help="passes over the training images for each pipeline"
    )
    a = p.parse_args()

    from tensorflow.keras.preprocessing.image import ImageDataGenerator

    from lecture_lib import augment, config, data, pipelines, prepare, results

    s = config.settings()
    root = prepare.course_split(data.get("dogs-vs-cats", quiet=True), s).root
    train = root / "train"
    size = (a.size, a.size)

    gen = ImageDataGenerator(**augment.LECTURE_IDG).flow_from_directory(
        str(train), target_size=size, batch_size=a.batch, class_mode="binary", seed=s.seed
    )
    n = gen.samples
    idg = _images_per_second(lambda: (next(gen) for _ in range(len(gen))), a.epochs)

    pipelines_b_c = {
        "(b) tf.data cache + Keras layers (5 passes)": augment.lecture_stack(seed=s.seed),
        "(c) tf.data cache + RandomAffine (1 pass)": augment.lecture_affine(seed=s.seed),
    }
    rates = {"(a) ImageDataGenerator.flow_from_directory": idg}
    for name, layer in pipelines_b_c.items():
        folder = pipelines.from_directory(
            train, size, batch_size=a.batch, shuffle=True, seed=s.seed
        )
        ds = augment.augment_dataset(folder.ds, layer)
        rates[name] = _images_per_second(lambda ds=ds: ds, a.epochs)

    import tensorflow as tf

    print(
        f"{n} training images, {a.size}x{a.size}, batch {a.batch}, {os.cpu_count()} CPU cores, "
        f"tensorflow {tf.__version__}"
    )
    print(f"{'images/s':<46}" + "".join(f"{'epoch ' + str(i + 1):>10}" for i in range(a.epochs)))
    for name, values in rates.items():
        print(f"{name:<46}" + "".join(f"{v:>10.0f}" for v in values))

    def overall(values: list[float]) -> float:  # images/s over all epochs together
        return len(values) / sum(1 / v for v in values)

    notes = [
        f"ratio {name[:3]}/(a): first epoch {values[0] / idg[0]:.1f}x, last epoch {values[-1] / idg[-1]:.1f}x, "
        f"all {a.epochs} epochs {overall(values) / overall(idg):.1f}x"
        for name, values in list(rates.items())[1:]
    ]
    print("\n".join(notes))
    path = results.benchmark_file("augmentation_pipelines")
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text(
        json.dumps(
            {
                "title": "images/s",
                "when": time.strftime("%Y-%m-%d"),
                "machine": results.machine_description(),
                "settings": f"{n} training photos, {a.size}x{a.size}, batch {a.batch}, tensorflow {tf.__version__}",
                "columns": [f"epoch {i + 1}" for i in range(a.epochs)],
                "rows": {k: [round(v, 1) for v in vs] for k, vs in rates.items()},
                "notes": notes,
            },
            indent=1,
        )
        + "\n"
    )
    print(f"saved {path}")


if __name__ == "__main__":
    main()

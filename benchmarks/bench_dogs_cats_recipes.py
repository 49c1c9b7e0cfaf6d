"""Notebooks 03 and 08 over several seeds: what each addition to the plain CNN buys on 2,000 photos,
and which augmentation pays.

One table, ``benchmarks/results/03_additions.seeds.json`` (the format of ``bench_seeds.py``), which
notebooks 03 and 08 print with ``results.seeds_summary``. Each recipe adds one idea to the one
before it:

* ``baseline``: five Conv(ReLU)-pool blocks, Flatten, the sigmoid output, Adam at Keras' default
  1e-3; then ``batch norm`` (BatchNormalization, momentum 0.9), ``global average pooling`` (instead
  of Flatten), ``dropout`` (0.4), ``adamw + cosine`` (AdamW, weight decay 5e-4, cosine decay from
  2e-3): the last one is notebook 03's network and training as they were when the table was
  measured, with each block's pooling after its ReLU (notebook 03 now pools first:
  ``bench_dogs_cats_speed.py --table 03_pool_first`` measured both orders);
* ``flip``: notebook 03's plus a random left-right flip (notebook 08); ``lecture transforms``:
  notebook 03's plus the lecture's ImageDataGenerator settings (rotation 40°, shifts 0.2, shear,
  zoom 0.2, flip, channel shift) as one resampling, ``augment.lecture_affine``.

All with notebook 03's split (1,000 / 500 / 500 photos per class), 96 px, batch 32, 32 epochs, its
precision, the best validation epoch's weights, and the test accuracy with and without test-time
flip averaging. One fresh process per seed and recipe; the table is rewritten after each run.
Run it alone on the machine (two heavy jobs on two cores double both times):

    LECTURE_MIRROR=../shared/mirror .venv/bin/python benchmarks/bench_dogs_cats_recipes.py --seeds 1 2 3
"""

from __future__ import annotations

import argparse
import datetime
import json
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))
OUT = REPO / "benchmarks" / "results" / "03_additions.seeds.json"  # results.seeds_summary reads it
IMAGE_SIZE, BATCH, EPOCHS = (96, 96), 32, 32

NOTEBOOK_03 = {
    "batchnorm": True,
    "pooling": "gap",
    "dropout": 0.4,
    "optimizer": "adamw + cosine",
    "augmentation": None,
}
RECIPES: dict[str, dict] = {
    "baseline": {**NOTEBOOK_03, "batchnorm": False, "pooling": "flatten", "dropout": 0.0, "optimizer": "adam"},
    "batch norm": {**NOTEBOOK_03, "pooling": "flatten", "dropout": 0.0, "optimizer": "adam"},
    "global average pooling": {**NOTEBOOK_03, "dropout": 0.0, "optimizer": "adam"},
    "dropout": {**NOTEBOOK_03, "optimizer": "adam"},
    "adamw + cosine": NOTEBOOK_03,
    "flip": {**NOTEBOOK_03, "augmentation": "flip"},
    "lecture transforms": {**NOTEBOOK_03, "augmentation": "lecture"},
}  # fmt: skip


def split_root() -> Path:
    """Notebook 03's split folders, built (or found) by the call the notebook makes."""
    from lecture_lib import data, prepare

    return prepare.course_split(data.get("dogs-vs-cats")).root


def build(recipe: dict, seed: int):  # noqa: ANN201 - a keras.Model
    """The network a recipe describes (notebook 03's when every addition is on)."""
    import keras

    from lecture_lib import augment

    inputs = keras.Input((*IMAGE_SIZE, 3))
    x = inputs
    if recipe["augmentation"] == "flip":
        x = keras.layers.RandomFlip("horizontal", seed=seed)(x)
    elif recipe["augmentation"] == "lecture":
        x = augment.lecture_affine(seed=seed)(x)
    x = keras.layers.Rescaling(1 / 255)(x)
    for filters in (32, 64, 128, 256, 256):
        if recipe["batchnorm"]:
            x = keras.layers.Conv2D(filters, 3, padding="same", use_bias=False)(x)
            x = keras.layers.BatchNormalization(momentum=0.9)(x)
            x = keras.layers.ReLU()(x)
        else:
            x = keras.layers.Conv2D(filters, 3, padding="same", activation="relu")(x)
        x = keras.layers.MaxPooling2D(2)(x)
    pooling = (
        keras.layers.GlobalAveragePooling2D()
        if recipe["pooling"] == "gap"
        else keras.layers.Flatten()
    )
    x = pooling(x)
    if recipe["dropout"]:
        x = keras.layers.Dropout(recipe["dropout"])(x)
    outputs = keras.layers.Dense(1, activation="sigmoid", dtype="float32")(x)
    return keras.Model(inputs, outputs)


def optimizer(recipe: dict, steps: int):  # noqa: ANN201 - a Keras optimizer
    """Adam at its default rate, or notebook 03's AdamW with cosine decay."""
    import keras

    if recipe["optimizer"] == "adam":
        return keras.optimizers.Adam()
    return keras.optimizers.AdamW(
        keras.optimizers.schedules.CosineDecay(2e-3, steps), weight_decay=5e-4
    )


def train_once(name: str, seed: int, root: Path) -> dict:
    """One run in this process: best-epoch test accuracy (one view, and flip-averaged), time."""
    import keras

    from lecture_lib import config, devices, pipelines

    recipe = RECIPES[name]
    keras.utils.set_random_seed(seed)
    precision = devices.training_precision(config.settings().precision)
    keras.mixed_precision.set_global_policy(precision)
    splits = pipelines.load_splits(root, IMAGE_SIZE, batch_size=BATCH, seed=seed)
    model = build(recipe, seed)
    model.compile(
        optimizer=optimizer(recipe, len(splits.train) * EPOCHS),
        loss="binary_crossentropy",
        metrics=["accuracy"],
    )
    return {
        "recipe": name,
        "seed": seed,
        "precision": precision,
        "params": int(model.count_params()),
        **fit_best_and_score(model, splits, EPOCHS),
    }


def fit_best_and_score(model, splits, epochs: int) -> dict:  # noqa: ANN001 - keras.Model, Splits
    """Notebook 03's training: ``epochs`` epochs, the best validation epoch's weights, then the test
    accuracy on one view and flip-averaged (also used by ``bench_dogs_cats_speed.py``)."""
    import keras
    import numpy as np

    from lecture_lib import pipelines

    with tempfile.TemporaryDirectory() as tmp:
        best = keras.callbacks.ModelCheckpoint(
            str(Path(tmp) / "best.weights.h5"), monitor="val_accuracy", save_best_only=True,
            save_weights_only=True,
        )  # fmt: skip
        t0 = time.time()
        history = model.fit(
            splits.train,
            validation_data=splits.validation,
            epochs=epochs,
            callbacks=[best],
            verbose=0,
        )
        seconds = time.time() - t0
        model.load_weights(best.filepath)
    x_test, y_test = pipelines.collect(splits.test)
    p_one = model.predict(x_test, batch_size=64, verbose=0)[:, 0]
    p_mirror = model.predict(x_test[:, :, ::-1], batch_size=64, verbose=0)[:, 0]
    h = history.history
    return {
        "train_seconds": round(seconds, 1),
        "best_epoch": int(np.argmax(h["val_accuracy"])) + 1,
        "best_val_accuracy": round(float(max(h["val_accuracy"])), 4),
        "train_accuracy_last": round(float(h["accuracy"][-1]), 4),
        "test_accuracy_single_view": round(float(((p_one > 0.5) == y_test).mean()), 4),
        "test_accuracy": round(float((((p_one + p_mirror) / 2 > 0.5) == y_test).mean()), 4),
    }


def seeds_doc(runs: list[dict], machine: str) -> dict:
    """The runs as a seeds table: per seed, each recipe's test accuracy (flip-averaged and one
    view), best validation accuracy and training time."""
    by_seed: dict[int, dict] = {}
    for r in runs:
        key = r["recipe"].replace(" ", "_").replace("+", "and")
        by_seed.setdefault(r["seed"], {}).update(
            {
                f"{key}_test_accuracy": r["test_accuracy"],
                f"{key}_test_accuracy_single_view": r["test_accuracy_single_view"],
                f"{key}_best_val_accuracy": r["best_val_accuracy"],
                f"{key}_train_seconds": r["train_seconds"],
            }
        )
    return {
        "notebook": "03_cnn_dogs_vs_cats, 08_data_augmentation (benchmarks/bench_dogs_cats_recipes.py)",
        "when": datetime.date.today().isoformat(),
        "machine": machine,
        "mode": "full",
        "settings": {
            "image_size": list(IMAGE_SIZE),
            "epochs": EPOCHS,
            "batch_size": BATCH,
            "precision": runs[0]["precision"],
        },  # fmt: skip
        "runs": [{"seed": seed, "metrics": m} for seed, m in sorted(by_seed.items())],
        "seeds_measured": {r: sorted(x["seed"] for x in runs if x["recipe"] == r) for r in RECIPES},
        "raw": runs,
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seeds", type=int, nargs="+", default=[1, 2, 3])
    parser.add_argument("--recipes", nargs="+", default=list(RECIPES), choices=list(RECIPES))
    parser.add_argument(
        "--resume", action="store_true", help="keep the runs the table already holds, run the rest"
    )
    parser.add_argument("--one", nargs=2, metavar=("RECIPE", "SEED"), help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.one:  # the child process: one run, one JSON line
        print(json.dumps(train_once(args.one[0], int(args.one[1]), split_root())))
        return 0

    from lecture_lib import results

    print(split_root(), flush=True)  # prepared once, before the timed runs
    runs = json.loads(OUT.read_text())["raw"] if args.resume and OUT.exists() else []
    for seed in args.seeds:
        for name in args.recipes:
            if any(r["recipe"] == name and r["seed"] == seed for r in runs):
                continue  # measured before (--resume)
            r = subprocess.run(
                [sys.executable, __file__, "--one", name, str(seed)],
                capture_output=True, text=True, check=True,
            )  # fmt: skip
            runs.append(json.loads(r.stdout.strip().splitlines()[-1]))
            print(json.dumps(runs[-1]), flush=True)
            OUT.write_text(
                json.dumps(seeds_doc(runs, results.machine_description()), indent=1) + "\n"
            )
    for name in args.recipes:
        acc = [r["test_accuracy"] for r in runs if r["recipe"] == name]
        secs = [r["train_seconds"] for r in runs if r["recipe"] == name]
        spread = statistics.stdev(acc) if len(acc) > 1 else 0.0
        print(
            f"{name}: test accuracy {statistics.mean(acc):.4f} ± {spread:.4f}, {statistics.mean(secs):.0f} s"
        )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

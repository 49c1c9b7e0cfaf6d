"""Notebook 02's "Going further" recipe over several seeds: what a bigger CNN with shifted digits buys.

Notebook 02's network (three Conv-BN-ReLU-pool blocks, 5 epochs) against the recipe its last section
suggests: two convolutions per block (32, 32, then 64, 64 filters), a Dense(64) layer, digits shifted
at random by up to 10 % while training (``RandomTranslation(0.1, 0.1)``, notebook 08's idea) and 12
epochs; both with notebook 02's split (5,000 validation images), Adam with warm-up and cosine decay,
batch 128 and its precision. One fresh process per seed and network; writes
``benchmarks/results/02_going_further.seeds.json`` (committed, the format of ``bench_seeds.py``),
which notebook 02 prints with ``results.seeds_summary``.
Run it alone on the machine (two heavy jobs on two cores double both times):

    LECTURE_MIRROR=../shared/mirror .venv/bin/python benchmarks/bench_mnist_going_further.py --seeds 1 2 3
"""

from __future__ import annotations

import argparse
import datetime
import json
import statistics
import subprocess
import sys
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))
OUT = (
    REPO / "benchmarks" / "results" / "02_going_further.seeds.json"
)  # results.seeds_summary reads it
RECIPES = {"notebook 02": 5, "going further": 12}  # recipe -> epochs


def build(recipe: str):  # noqa: ANN201 - a keras.Model
    """Notebook 02's network, or the bigger one with random shifts in front."""
    import keras

    layers: list = [keras.Input((28, 28, 1))]
    if recipe == "notebook 02":
        blocks, dense = ((32,), (64,), (128,)), []
    else:
        layers.append(keras.layers.RandomTranslation(0.1, 0.1))
        blocks, dense = ((32, 32), (64, 64)), [keras.layers.Dense(64, activation="relu")]
    for block in blocks:
        for filters in block:
            layers += [
                keras.layers.Conv2D(filters, 3, padding="same", use_bias=False),
                keras.layers.BatchNormalization(),
                keras.layers.ReLU(),
            ]
        layers.append(keras.layers.MaxPooling2D(2))
    layers += [keras.layers.Flatten(), keras.layers.Dropout(0.3), *dense]
    layers.append(keras.layers.Dense(10, activation="softmax", dtype="float32"))
    return keras.Sequential(layers)


def train_once(recipe: str, seed: int) -> dict:
    """One run in this process: test accuracy after each epoch, and the training time."""
    import keras
    import numpy as np

    from lecture_lib import config, data, devices, mnist

    keras.utils.set_random_seed(seed)
    precision = devices.training_precision(config.settings().precision)
    keras.mixed_precision.set_global_policy(precision)
    (x_train, y_train), (x_test, y_test) = mnist.load(data.get("mnist"))
    x_train = (x_train.astype("float32") / 255.0)[..., None]
    x_test = (x_test.astype("float32") / 255.0)[..., None]
    order = np.random.default_rng(seed).permutation(len(x_train))
    n_val = len(x_train) // 12
    x_tr, y_tr = x_train[order[n_val:]], y_train[order[n_val:]]
    x_val, y_val = x_train[order[:n_val]], y_train[order[:n_val]]
    epochs, batch = RECIPES[recipe], 128
    steps = int(np.ceil(len(x_tr) / batch)) * epochs
    warmup = steps // epochs
    schedule = keras.optimizers.schedules.CosineDecay(
        1e-4, decay_steps=steps - warmup, warmup_target=3e-3, warmup_steps=warmup
    )
    model = build(recipe)
    model.compile(
        optimizer=keras.optimizers.Adam(schedule),
        loss="sparse_categorical_crossentropy",
        metrics=["accuracy"],
    )
    per_epoch = []
    score = keras.callbacks.LambdaCallback(
        on_epoch_end=lambda epoch, logs: per_epoch.append(
            round(float(model.evaluate(x_test, y_test, batch_size=512, verbose=0)[1]), 4)
        )
    )
    t0 = time.time()
    model.fit(
        x_tr, y_tr, validation_data=(x_val, y_val), epochs=epochs, batch_size=batch, verbose=0,
        callbacks=[score],
    )  # fmt: skip
    return {
        "recipe": recipe,
        "seed": seed,
        "precision": precision,
        "params": int(model.count_params()),
        "train_seconds": round(time.time() - t0, 1),  # includes the per-epoch test scoring
        "test_accuracy_by_epoch": per_epoch,
        "test_accuracy": per_epoch[-1],
    }


def seeds_doc(runs: list[dict], machine: str) -> dict:
    """The runs as a seeds table: per seed, each recipe's test accuracy, training time, and the first
    epoch at which the test accuracy reached 99.5 % (None: never)."""
    by_seed: dict[int, dict] = {}
    for r in runs:
        key = r["recipe"].replace(" ", "_")
        reached = next(
            (i + 1 for i, a in enumerate(r["test_accuracy_by_epoch"]) if a >= 0.995), None
        )
        by_seed.setdefault(r["seed"], {}).update(
            {
                f"{key}_test_accuracy": r["test_accuracy"],
                f"{key}_first_epoch_at_99.5": reached,
                f"{key}_train_seconds": r["train_seconds"],
            }
        )
    return {
        "notebook": "02_cnn_mnist (benchmarks/bench_mnist_going_further.py)",
        "when": datetime.date.today().isoformat(),
        "machine": machine,
        "mode": "full",
        "settings": {"epochs": RECIPES, "batch_size": 128, "precision": runs[0]["precision"]},
        "runs": [{"seed": seed, "metrics": m} for seed, m in sorted(by_seed.items())],
        "raw": runs,
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seeds", type=int, nargs="+", default=[1, 2, 3])
    parser.add_argument("--one", nargs=2, metavar=("RECIPE", "SEED"), help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.one:  # the child process: one run, one JSON line
        print(json.dumps(train_once(args.one[0], int(args.one[1]))))
        return 0

    from lecture_lib import results

    runs = []
    for seed in args.seeds:
        for recipe in RECIPES:
            r = subprocess.run(
                [sys.executable, __file__, "--one", recipe, str(seed)],
                capture_output=True, text=True, check=True,
            )  # fmt: skip
            runs.append(json.loads(r.stdout.strip().splitlines()[-1]))
            print(json.dumps(runs[-1]), flush=True)
    OUT.write_text(json.dumps(seeds_doc(runs, results.machine_description()), indent=1) + "\n")
    for recipe in RECIPES:
        acc = [r["test_accuracy"] for r in runs if r["recipe"] == recipe]
        secs = [r["train_seconds"] for r in runs if r["recipe"] == recipe]
        print(
            f"{recipe}: test accuracy {statistics.mean(acc):.4f} ± {statistics.stdev(acc):.4f}, "
            f"{statistics.mean(secs):.0f} s (seeds {args.seeds})"
        )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

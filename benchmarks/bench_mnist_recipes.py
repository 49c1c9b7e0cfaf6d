"""Notebook 02's networks over several seeds: what each addition to the baseline buys, and the
"Going further" recipe.

Two sets of recipes, each written as a seeds table (the format of ``bench_seeds.py``) that notebook
02 prints with ``results.seeds_summary``:

* ``additions`` -> ``benchmarks/results/02_additions.seeds.json``: the plain baseline (three
  Conv(ReLU)-pool blocks, Flatten, the softmax layer, Adam at Keras' default 1e-3), then batch
  normalization, then dropout, then the warm-up + cosine learning rate, added one at a time, and a
  control that takes batch normalization out again: that last row is notebook 02's network (the
  table showed batch normalization does not pay on MNIST). 5 epochs each. ``NOTEBOOK_02`` names the
  network as it was when the tables were measured, with batch normalization.
* ``laptop`` -> ``benchmarks/results/02_laptop.seeds.json``: notebook 02's network with and
  without batch normalization, and the "going further" recipe without it (issue #27: on a 2-core
  AVX2 CPU in float32, batch normalization is most of the training time).
* ``going_further`` -> ``benchmarks/results/02_going_further.seeds.json``: notebook 02's network
  against two convolutions per block (32, 32, then 64, 64 filters), a Dense(64) layer, digits shifted
  at random by up to 10 % while training (``RandomTranslation(0.1, 0.1)``, notebook 08's idea) and 12
  epochs.

All with notebook 02's split (5,000 validation images), batch 128 and its precision; one fresh
process per seed and recipe. Run it alone on the machine (two heavy jobs on two cores double both
times):

    LECTURE_MIRROR=../shared/mirror .venv/bin/python benchmarks/bench_mnist_recipes.py additions --seeds 1 2 3
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
RESULTS = REPO / "benchmarks" / "results"  # results.seeds_summary reads the tables there

NOTEBOOK_02 = {
    "blocks": ((32,), (64,), (128,)),
    "batchnorm": True,
    "dropout": 0.3,
    "schedule": "cosine",
    "epochs": 5,
}
RECIPE_SETS: dict[str, dict[str, dict]] = {
    "additions": {
        "baseline": {**NOTEBOOK_02, "batchnorm": False, "dropout": 0.0, "schedule": "constant"},
        "batch norm": {**NOTEBOOK_02, "dropout": 0.0, "schedule": "constant"},
        "dropout": {**NOTEBOOK_02, "schedule": "constant"},
        "schedule": NOTEBOOK_02,
        # the control: does the schedule pay without batch normalization too?
        "schedule without batch norm": {**NOTEBOOK_02, "batchnorm": False},
    },
    # issue 27: what runs in minutes on a 2-core AVX2 laptop in float32, where BatchNorm costs most
    "laptop": {
        "notebook 02": NOTEBOOK_02,
        "without batch norm": {**NOTEBOOK_02, "batchnorm": False},
        "going further without batch norm": {
            **NOTEBOOK_02, "batchnorm": False, "blocks": ((32, 32), (64, 64)), "dense": 64,
            "translate": 0.1, "epochs": 12,
        },
        "going further without batch norm, 8 epochs": {
            **NOTEBOOK_02, "batchnorm": False, "blocks": ((32, 32), (64, 64)), "dense": 64,
            "translate": 0.1, "epochs": 8,
        },
    },
    "going_further": {
        "notebook 02": NOTEBOOK_02,
        "going further": {
            **NOTEBOOK_02, "blocks": ((32, 32), (64, 64)), "dense": 64, "translate": 0.1, "epochs": 12,
        },
    },
}  # fmt: skip


def build(recipe: dict):  # noqa: ANN201 - a keras.Model
    """The network a recipe describes: conv blocks (BatchNorm or not), Flatten, dropout, dense."""
    import keras

    layers: list = [keras.Input((28, 28, 1))]
    if recipe.get("translate"):
        layers.append(keras.layers.RandomTranslation(recipe["translate"], recipe["translate"]))
    for block in recipe["blocks"]:
        for filters in block:
            if recipe["batchnorm"]:
                layers += [
                    keras.layers.Conv2D(filters, 3, padding="same", use_bias=False),
                    keras.layers.BatchNormalization(),
                    keras.layers.ReLU(),
                ]
            else:
                layers.append(keras.layers.Conv2D(filters, 3, padding="same", activation="relu"))
        layers.append(keras.layers.MaxPooling2D(2))
    layers.append(keras.layers.Flatten())
    if recipe["dropout"]:
        layers.append(keras.layers.Dropout(recipe["dropout"]))
    if recipe.get("dense"):
        layers.append(keras.layers.Dense(recipe["dense"], activation="relu"))
    layers.append(keras.layers.Dense(10, activation="softmax", dtype="float32"))
    return keras.Sequential(layers)


def learning_rate(recipe: dict, steps_per_epoch: int):  # noqa: ANN201 - a float or a Keras schedule
    """Keras' default 1e-3, or notebook 02's warm-up (one epoch) + cosine decay to a 3e-3 peak."""
    import keras

    if recipe["schedule"] == "constant":
        return 1e-3
    steps = steps_per_epoch * recipe["epochs"]
    return keras.optimizers.schedules.CosineDecay(
        1e-4, decay_steps=steps - steps_per_epoch, warmup_target=3e-3, warmup_steps=steps_per_epoch
    )


def train_once(recipe_set: str, name: str, seed: int) -> dict:
    """One run in this process: test accuracy after each epoch, and the training time."""
    import keras
    import numpy as np

    from lecture_lib import config, data, devices
    from lecture_lib.datasets import mnist

    recipe = RECIPE_SETS[recipe_set][name]
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
    batch = 128
    model = build(recipe)
    model.compile(
        optimizer=keras.optimizers.Adam(learning_rate(recipe, int(np.ceil(len(x_tr) / batch)))),
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
    history = model.fit(
        x_tr, y_tr, validation_data=(x_val, y_val), epochs=recipe["epochs"], batch_size=batch,
        verbose=0, callbacks=[score],
    )  # fmt: skip
    return {
        "recipe": name,
        "seed": seed,
        "precision": precision,
        "params": int(model.count_params()),
        "train_seconds": round(time.time() - t0, 1),  # includes the per-epoch test scoring
        "val_accuracy": round(float(history.history["val_accuracy"][-1]), 4),
        "test_accuracy_by_epoch": per_epoch,
        "test_accuracy": per_epoch[-1],
    }


def seeds_doc(runs: list[dict], machine: str, recipe_set: str = "going_further") -> dict:
    """The runs as a seeds table: per seed, each recipe's test accuracy (after the first and the
    last epoch), training time, and the first epoch at which the test accuracy reached 99.5 %
    (None: never)."""
    by_seed: dict[int, dict] = {}
    for r in runs:
        key = r["recipe"].replace(" ", "_")
        reached = next(
            (i + 1 for i, a in enumerate(r["test_accuracy_by_epoch"]) if a >= 0.995), None
        )
        by_seed.setdefault(r["seed"], {}).update(
            {
                f"{key}_test_accuracy": r["test_accuracy"],
                f"{key}_test_accuracy_epoch_1": r["test_accuracy_by_epoch"][0],
                f"{key}_first_epoch_at_99.5": reached,
                f"{key}_train_seconds": r["train_seconds"],
            }
        )
    recipes = RECIPE_SETS[recipe_set]
    return {
        "notebook": f"02_cnn_mnist (benchmarks/bench_mnist_recipes.py {recipe_set})",
        "when": datetime.date.today().isoformat(),
        "machine": machine,
        "mode": "full",
        "settings": {
            "epochs": {name: r["epochs"] for name, r in recipes.items()},
            "batch_size": 128,
            "precision": runs[0]["precision"],
        },
        "runs": [{"seed": seed, "metrics": m} for seed, m in sorted(by_seed.items())],
        "raw": runs,
    }


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("recipe_set", choices=sorted(RECIPE_SETS))
    parser.add_argument("--seeds", type=int, nargs="+", default=[1, 2, 3])
    parser.add_argument("--recipes", nargs="+", help="only these (default: all of the set)")
    parser.add_argument(
        "--resume", action="store_true", help="keep the runs the table already holds, run the rest"
    )
    parser.add_argument("--one", nargs=2, metavar=("RECIPE", "SEED"), help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    if args.one:  # the child process: one run, one JSON line
        print(json.dumps(train_once(args.recipe_set, args.one[0], int(args.one[1]))))
        return 0

    from lecture_lib import results

    out = RESULTS / f"02_{args.recipe_set}.seeds.json"
    runs = json.loads(out.read_text())["raw"] if args.resume and out.exists() else []
    names = args.recipes or list(RECIPE_SETS[args.recipe_set])
    for seed in args.seeds:
        for name in names:
            if any(r["recipe"] == name and r["seed"] == seed for r in runs):
                continue  # measured before (--resume)
            r = subprocess.run(
                [sys.executable, __file__, args.recipe_set, "--one", name, str(seed)],
                capture_output=True, text=True, check=True,
            )  # fmt: skip
            runs.append(json.loads(r.stdout.strip().splitlines()[-1]))
            print(json.dumps(runs[-1]), flush=True)
    doc = seeds_doc(runs, results.machine_description(), args.recipe_set)
    out.write_text(json.dumps(doc, indent=1) + "\n")
    for name in names:
        acc = [r["test_accuracy"] for r in runs if r["recipe"] == name]
        secs = [r["train_seconds"] for r in runs if r["recipe"] == name]
        spread = statistics.stdev(acc) if len(acc) > 1 else 0.0
        print(
            f"{name}: test accuracy {statistics.mean(acc):.4f} ± {spread:.4f}, "
            f"{statistics.mean(secs):.0f} s (seeds {args.seeds})"
        )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

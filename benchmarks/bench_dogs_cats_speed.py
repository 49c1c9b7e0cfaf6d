"""Notebook 03's network on a 2-core CPU: which lever buys speed, and what it costs in accuracy (#27).

Two measurements, each in a fresh process per setting, run alone on the machine:

* ``--probe``: training images per second of one network variant (one epoch of the 2,000 training
  photos, held in memory, after a warm-up epoch), so the levers can be ranked in minutes;
* ``--train``: the variant trained as notebook 03 trains it (its split, best validation epoch, test
  accuracy one view and flip-averaged) for each seed: the accuracy-time frontier.

A variant is ``key=value`` pairs over notebook 03's network and training (``NOTEBOOK_03``), e.g.
``size=64 epochs=16``, ``stem=strided``, ``widths=32-64-128-128-256``. Rows are appended to
``benchmarks/results/03_speed.json`` with the machine, its instruction set and the precision:

    .venv/bin/python benchmarks/bench_dogs_cats_speed.py --probe notebook03 "size=64" "bn=0"
    .venv/bin/python benchmarks/bench_dogs_cats_speed.py --train "size=64 epochs=16" --seeds 1 2 3

``--frontier`` prints every ``--train`` variant's mean test accuracy against its mean training
seconds, machine by machine, marking the variants no faster one beats (``docs/speed.md`` shows it).

``--table NAME`` also writes the ``--train`` variants' rows measured on this machine (with this
instruction-set cap) as a seeds table, ``benchmarks/results/NAME.seeds.json``, which a notebook
prints with ``results.seeds_summary`` (notebook 03's pooling order: ``--table 03_pool_first``).
"""

from __future__ import annotations

import argparse
import json
import os
import subprocess
import sys
import time
from pathlib import Path

REPO = Path(__file__).resolve().parent.parent
sys.path[:0] = [str(REPO), str(REPO / "benchmarks")]
from bench_dogs_cats_recipes import fit_best_and_score, split_root  # noqa: E402 - after the path

OUT = REPO / "benchmarks" / "results" / "03_speed.json"
NOTEBOOK_03 = {
    "size": 96,  # pixels, square
    "widths": "32-64-128-256-256",  # filters of the five conv + pool blocks
    "stem": "pool",  # pool: the first block as the others; strided: its conv has stride 2, no pool
    "bn": 1,
    # pool-bn: max-pool the convolution's output first, then batch norm + ReLU on the 4x smaller map
    # (notebook 03 since 2026-12-07; rows before that date, "notebook03" too, had bn-pool)
    "order": "pool-bn",
    "separable": 0,  # 1: depthwise-separable convolutions after the first block
    "dropout": 0.4,
    "epochs": 32,
    "batch": 32,
    "lr": 2e-3,  # AdamW, cosine decay to zero, weight decay 5e-4
    "warmup": 0,  # epochs of linear warm-up before the cosine (0: none)
    "flip": 0,  # 1: RandomFlip("horizontal") in the model (notebook 08)
    "translate": 0.0,  # > 0: RandomTranslation by up to this fraction of the side, after the flip
    "zoom": 0.0,  # > 0: RandomZoom in or out by up to this fraction, after the flip
}


def parse(spec: str) -> dict:
    """``"size=64 bn=0"`` over notebook 03's settings."""
    cfg = dict(NOTEBOOK_03)
    for part in spec.replace("notebook03", "").split():
        key, value = part.split("=", 1)
        if key not in cfg:
            raise SystemExit(f"unknown setting {key!r}; known: {', '.join(cfg)}")
        cfg[key] = type(cfg[key])(value) if not isinstance(cfg[key], str) else value
    return cfg


def build(cfg: dict, seed: int):  # noqa: ANN201 - a keras.Model
    import keras

    layers = keras.layers
    inputs = keras.Input((cfg["size"], cfg["size"], 3))
    x = layers.RandomFlip("horizontal", seed=seed)(inputs) if cfg["flip"] else inputs
    if cfg["translate"]:
        x = layers.RandomTranslation(cfg["translate"], cfg["translate"], "reflect", seed=seed)(x)
    if cfg["zoom"]:
        x = layers.RandomZoom(cfg["zoom"], fill_mode="reflect", seed=seed)(x)
    x = layers.Rescaling(1 / 255)(x)
    for i, filters in enumerate(int(f) for f in cfg["widths"].split("-")):
        strided = i == 0 and cfg["stem"] == "strided"
        conv = layers.SeparableConv2D if cfg["separable"] and i > 0 else layers.Conv2D
        x = conv(
            filters,
            3,
            strides=2 if strided else 1,
            padding="same",
            use_bias=not cfg["bn"],
            activation=None if cfg["bn"] else "relu",
        )(x)
        pool_first = cfg["order"] == "pool-bn" and not strided
        if pool_first:
            x = layers.MaxPooling2D(2)(x)
        if cfg["bn"]:
            x = layers.BatchNormalization(momentum=0.9)(x)
            x = layers.ReLU()(x)
        if not strided and not pool_first:
            x = layers.MaxPooling2D(2)(x)
    x = layers.GlobalAveragePooling2D()(x)
    if cfg["dropout"]:
        x = layers.Dropout(cfg["dropout"])(x)
    outputs = layers.Dense(1, activation="sigmoid", dtype="float32")(x)
    return keras.Model(inputs, outputs)


def compile_for(model, cfg: dict, steps_per_epoch: int) -> None:  # noqa: ANN001
    import keras

    total = steps_per_epoch * cfg["epochs"]
    warm = steps_per_epoch * cfg["warmup"]
    schedule = keras.optimizers.schedules.CosineDecay(
        cfg["lr"] if not warm else cfg["lr"] / 10,
        total - warm,
        warmup_target=cfg["lr"] if warm else None,
        warmup_steps=warm,
    )
    model.compile(
        optimizer=keras.optimizers.AdamW(schedule, weight_decay=5e-4),
        loss="binary_crossentropy",
        metrics=["accuracy"],
    )


def _setup(seed: int) -> str:
    import keras

    from lecture_lib import config, devices

    keras.utils.set_random_seed(seed)
    precision = devices.training_precision(config.settings().precision)
    keras.mixed_precision.set_global_policy(precision)
    return precision


def probe(cfg: dict, seed: int = 1) -> dict:
    """Training images per second over one epoch of the training photos held in memory."""
    import tensorflow as tf

    from lecture_lib import pipelines

    precision = _setup(seed)
    folder = pipelines.from_directory(split_root() / "train", (cfg["size"], cfg["size"]))
    x, y = pipelines.collect(folder.ds)
    ds = tf.data.Dataset.from_tensor_slices((x, y)).shuffle(len(x), seed=seed)
    options = tf.data.Options()
    options.autotune.enabled = (
        False  # autotuned, some processes ran at half speed (docs/architecture.md)
    )
    ds = ds.batch(cfg["batch"]).prefetch(1).with_options(options)
    model = build(cfg, seed)
    compile_for(model, cfg, len(ds))
    model.fit(ds.take(10), epochs=1, verbose=0)  # warm-up: graph tracing, oneDNN kernels
    t0 = time.perf_counter()
    model.fit(ds, epochs=1, verbose=0)
    seconds = time.perf_counter() - t0
    return {
        "images_per_second": round(len(x) / seconds, 1),
        "epoch_seconds": round(seconds, 1),
        "params": int(model.count_params()),
        "precision": precision,
    }


def train(cfg: dict, seed: int) -> dict:
    """Notebook 03's training of the variant: best validation epoch, test accuracy, seconds."""

    from lecture_lib import pipelines

    precision = _setup(seed)
    t_start = time.perf_counter()
    size = (cfg["size"], cfg["size"])
    splits = pipelines.load_splits(split_root(), size, batch_size=cfg["batch"], seed=seed)
    model = build(cfg, seed)
    compile_for(model, cfg, len(splits.train))
    return {
        "precision": precision,
        "params": int(model.count_params()),
        **fit_best_and_score(model, splits, cfg["epochs"]),
        "seconds": round(time.perf_counter() - t_start, 1),
    }


def variant_key(spec: str) -> str:
    """A variant as a seeds-table key prefix: ``"order=pool-bn"`` -> ``"order_pool_bn"``."""
    return "_".join(spec.replace("=", " ").replace("-", " ").split())


def seeds_table(rows: list[dict], variants: list[str], machine: str) -> dict:
    """The ``--train`` rows of ``variants`` measured on ``machine`` as a seeds table (the format of
    ``bench_seeds.py``): per seed, each variant's test accuracy (flip-averaged and one view), best
    epoch and training seconds; the newest row wins where a seed was measured twice."""
    by_seed: dict[int, dict] = {}
    used = [
        r
        for r in rows
        if r["what"] == "train" and r["machine"] == machine and r["variant"] in variants
    ]
    for r in used:
        key = variant_key(r["variant"])
        by_seed.setdefault(r["seed"], {}).update({
            f"{key}_test_accuracy": r["test_accuracy"],
            f"{key}_test_accuracy_single_view": r["test_accuracy_single_view"],
            f"{key}_best_epoch": r["best_epoch"],
            f"{key}_train_seconds": r["train_seconds"],
        })  # fmt: skip
    first = parse(variants[0])
    return {
        "notebook": "03_cnn_dogs_vs_cats (benchmarks/bench_dogs_cats_speed.py --train)",
        "when": max((r["when"][:10] for r in used), default="?"),
        "machine": machine,
        "mode": "full",
        "settings": {
            "variants": variants,
            "image_size": [first["size"]] * 2,
            "epochs": first["epochs"],
            "batch_size": first["batch"],
            "precision": used[0]["precision"] if used else "?",
        },
        "runs": [{"seed": seed, "metrics": m} for seed, m in sorted(by_seed.items())],
    }


POOL_FIRST_SINCE = "2026-12-07 21:44"  # NOTEBOOK_03's order before this: bn-pool


def settings_of(row: dict) -> dict:
    """A row's full settings: its variant over notebook 03's network as it was when measured."""
    cfg = parse(row["variant"])
    if row["when"] < POOL_FIRST_SINCE and "order=" not in row["variant"]:
        cfg["order"] = "bn-pool"
    return cfg


def frontier(rows: list[dict]) -> list[dict]:
    """Accuracy against training seconds of every ``--train`` variant, per machine (its name holds
    the instruction-set cap) and precision: the mean over its seeds, and whether it is on the
    frontier (no other variant on that machine in that precision is as accurate in less time)."""
    groups: dict[tuple, list[dict]] = {}
    for r in rows:
        if r["what"] == "train":
            cfg = settings_of(r)
            label = " ".join(f"{k}={v}" for k, v in cfg.items() if v != NOTEBOOK_03[k])
            key = (r["machine"], r["precision"], label or "notebook03")
            groups.setdefault(key, []).append(r)
    points = [
        {
            "machine": machine,
            "precision": precision,
            "variant": label,
            "seeds": sorted(r["seed"] for r in rs),
            "test_accuracy": round(sum(r["test_accuracy"] for r in rs) / len(rs), 4),
            "train_seconds": round(sum(r["train_seconds"] for r in rs) / len(rs), 1),
        }
        for (machine, precision, label), rs in groups.items()
    ]
    for p in points:
        p["on_frontier"] = not any(
            q is not p
            and (q["machine"], q["precision"]) == (p["machine"], p["precision"])
            and q["test_accuracy"] >= p["test_accuracy"]
            and q["train_seconds"] < p["train_seconds"]
            for q in points
        )
    return sorted(points, key=lambda p: (p["machine"], p["train_seconds"]))


def frontier_markdown(points: list[dict]) -> str:
    """The frontier as a Markdown table, one row per variant, machine by machine."""
    lines = [
        "| machine | precision | variant (vs notebook 03) | seeds | test accuracy | training s | frontier |",
        "|---|---|---|---|---|---|---|",
    ]
    for p in points:
        seeds = " ".join(map(str, p["seeds"]))
        mark = "yes" if p["on_frontier"] else ""
        lines.append(
            f"| {p['machine']} | {p['precision']} | {p['variant']} | {seeds} | "
            f"{100 * p['test_accuracy']:.1f} % | {p['train_seconds']:.0f} | {mark} |"
        )
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    group = parser.add_mutually_exclusive_group()
    group.add_argument("--probe", nargs="+", metavar="VARIANT")
    group.add_argument("--train", nargs="+", metavar="VARIANT")
    group.add_argument(
        "--frontier", action="store_true", help="print accuracy against time of the --train rows"
    )
    parser.add_argument("--seeds", type=int, nargs="+", default=[1])
    parser.add_argument(
        "--table", metavar="NAME", help="also write the --train variants as NAME.seeds.json"
    )
    parser.add_argument(
        "--resume", action="store_true", help="skip a variant and seed this machine measured before"
    )
    parser.add_argument("--one", nargs=3, help=argparse.SUPPRESS)  # child: what, variant, seed
    args = parser.parse_args(argv)
    if args.one:
        what, spec, seed = args.one
        fn = probe if what == "probe" else train
        print(json.dumps(fn(parse(spec), int(seed))))
        return 0

    if args.frontier:
        from lecture_lib import config

        print(frontier_markdown(frontier(config.read_json(OUT)["rows"])))
        return 0
    if not (args.probe or args.train):
        parser.error("--probe or --train needs at least one variant")
    from lecture_lib import config, results

    print(split_root(), flush=True)  # prepared once, before anything is timed
    what = "probe" if args.probe else "train"
    machine = results.machine_description()
    done = {
        (r["variant"], r["seed"])
        for r in (config.read_json(OUT) or {"rows": []})["rows"]
        if args.resume and r["what"] == what and r["machine"] == machine
    }
    for spec in args.probe or args.train:
        for seed in args.seeds:
            if (spec, seed) in done:
                continue  # measured on this machine before (--resume)
            r = subprocess.run(
                [sys.executable, __file__, "--one", what, spec, str(seed)],
                capture_output=True, text=True,
            )  # fmt: skip
            if r.returncode:
                print(r.stderr[-2000:], file=sys.stderr)
                return 1
            row = {
                "what": what,
                "variant": spec,
                "seed": seed,
                "machine": machine,
                "isa_cap": os.environ.get("ONEDNN_MAX_CPU_ISA", ""),
                "env": " ".join(
                    f"{k}={v}" for k, v in os.environ.items() if k.startswith("TF_NUM_")
                ),
                "when": time.strftime("%Y-%m-%d %H:%M"),
                **json.loads(r.stdout.strip().splitlines()[-1]),
            }
            results.append_row(OUT, row)
    if args.table and args.train:
        doc = seeds_table(config.read_json(OUT)["rows"], args.train, machine)
        (OUT.parent / f"{args.table}.seeds.json").write_text(json.dumps(doc, indent=1) + "\n")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

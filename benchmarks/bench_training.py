"""Training speed of notebooks 02 and 03's CNNs in float32 and in mixed bfloat16 (images per second).

Clones the architectures the notebooks saved in full mode (run them first) with each precision, in
a fresh process per measurement (the precision policy is global), trains one warm-up epoch and
two measured epochs on real data with the notebooks' batch sizes, and writes
``benchmarks/results/training_precision.json``, which notebook 03 prints. Run it alone:

    LECTURE_MIRROR=../shared/mirror .venv/bin/python benchmarks/bench_training.py
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
import time
from pathlib import Path

os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")
REPO = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(REPO))
MODELS = {"02": "02_mnist_cnn", "03": "03_dogs_cats_cnn"}


def measure(which: str, precision: str) -> float:
    """Images per second of one notebook's architecture at one precision (this process only)."""
    import keras

    from lecture_lib import config, data, pipelines
    from lecture_lib.datasets import mnist

    s = config.settings()
    keras.utils.set_random_seed(0)
    saved = keras.models.load_model(s.outputs("models") / f"{MODELS[which]}.keras", compile=False)
    last = saved.layers[-1].name

    def with_precision(layer):  # noqa: ANN001, ANN202
        cfg = layer.get_config()
        cfg["dtype"] = "float32" if layer.name == last else precision
        return layer.__class__.from_config(cfg)

    model = keras.models.clone_model(saved, clone_function=with_precision)
    if which == "02":
        (x, y), _ = mnist.load(data.get("mnist", quiet=True))
        x, y = (x.astype("float32") / 255)[..., None], keras.utils.to_categorical(y, 10)
        model.compile("adam", "categorical_crossentropy")
        fit, n = {"x": x, "y": y, "batch_size": 128}, len(x)
    else:
        size = tuple(saved.input_shape[1:3])
        splits = pipelines.load_splits(
            s.data_dir / "prepared" / "dogs-vs-cats", size, batch_size=32
        )
        model.compile("adam", "binary_crossentropy")
        fit, n = {"x": splits.train}, splits.counts["train"]
    model.fit(**fit, epochs=1, verbose=0)  # warm-up: tracing, the pipeline's cache
    t0 = time.perf_counter()
    model.fit(**fit, epochs=2, verbose=0)
    return 2 * n / (time.perf_counter() - t0)


def main() -> int:
    if len(sys.argv) == 4 and sys.argv[1] == "--one":
        print(json.dumps({"images_per_second": measure(sys.argv[2], sys.argv[3])}))
        return 0
    from lecture_lib import devices, results

    rows = {}
    for which, name in MODELS.items():
        speeds = []
        for precision in ("float32", "mixed_bfloat16"):
            r = subprocess.run(
                [sys.executable, __file__, "--one", which, precision],
                capture_output=True,
                text=True,
                check=True,
            )
            speeds.append(
                round(json.loads(r.stdout.strip().splitlines()[-1])["images_per_second"], 1)
            )
            print(f"{name} {precision}: {speeds[-1]} images/s", flush=True)
        rows[f"{name} (notebook {which})"] = [*speeds, round(100 * speeds[1] / speeds[0])]
    doc = {
        "title": "Training speed in images/s: float32, mixed bfloat16, and bfloat16 as % of float32",
        "when": time.strftime("%Y-%m-%d"),
        "machine": results.machine_description(),
        "settings": f"native bfloat16 on this CPU: {devices.cpu_has_bfloat16()}; 2 epochs after a warm-up",
        "columns": ["float32", "bf16", "bf16 %"],
        "rows": rows,
    }
    path = results.benchmark_file("training_precision")
    path.write_text(json.dumps(doc, indent=1) + "\n")
    print(results.benchmark_summary("training_precision"))
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

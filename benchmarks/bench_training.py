"""Training throughput (images/s) of the MNIST CNN (notebook 02) and the Dogs vs Cats CNN (03).

Clones the architectures the notebooks saved (run them first), trains one warm-up epoch and one
measured epoch on real data with the notebooks' batch sizes. Run by hand (not a test):

    LECTURE_MIRROR=../shared/mirror .venv/bin/python benchmarks/bench_training.py
"""

from __future__ import annotations

import os
import time

os.environ.setdefault("TF_CPP_MIN_LOG_LEVEL", "2")


def _throughput(model, fit_args: dict, n_images: int) -> float:  # noqa: ANN001
    model.fit(**fit_args, epochs=1, verbose=0)  # warm-up: tracing, caches
    t0 = time.perf_counter()
    model.fit(**fit_args, epochs=1, verbose=0)
    return n_images / (time.perf_counter() - t0)


def main() -> None:
    import keras
    import numpy as np

    from lecture_lib import config, data, mnist, pipelines

    s = config.settings()
    models_dir = s.data_dir / "models"
    rows = []

    path = models_dir / "02_mnist_cnn.keras"
    if path.exists():
        m = keras.models.clone_model(keras.models.load_model(path))
        m.compile("adam", "categorical_crossentropy")
        (x, y), _ = mnist.load(data.get("mnist", quiet=True))
        x, y = (x[:20000].astype("float32") / 255)[..., None], keras.utils.to_categorical(y[:20000], 10)
        rows.append(("MNIST CNN (02), 28x28, batch 128", m.count_params(),
                     _throughput(m, {"x": x, "y": y, "batch_size": 128}, len(x))))
    else:
        print(f"skip MNIST: {path} missing (run notebook 02)")

    path = models_dir / "03_dogs_cats_cnn.keras"
    if path.exists():
        m = keras.models.clone_model(keras.models.load_model(path))
        m.compile("adam", "binary_crossentropy")
        size = tuple(m.input_shape[1:3])
        root = s.data_dir / "prepared" / "dogs-vs-cats"
        folder = pipelines.from_directory(root / "train", size, batch_size=32, shuffle=True)
        rows.append((f"Dogs vs Cats CNN (03), {size[0]}x{size[1]}, batch 32", m.count_params(),
                     _throughput(m, {"x": folder.ds}, folder.count)))
    else:
        print(f"skip Dogs vs Cats: {path} missing (run notebook 03)")

    print(f"{os.cpu_count()} CPU cores, keras {keras.__version__}, numpy {np.__version__}")
    print(f"{'model':<42}{'params':>10}{'train images/s':>16}")
    for name, params, ips in rows:
        print(f"{name:<42}{params:>10,}{ips:>16.0f}")


if __name__ == "__main__":
    main()

"""keras-io's "Simple MNIST convnet" recipe, the yardstick notebook 02 is measured against (#15).

The recipe (https://keras.io/examples/vision/mnist_convnet/, F. Chollet): Conv2D(32, 3, relu) →
MaxPool(2) → Conv2D(64, 3, relu) → MaxPool(2) → Flatten → Dropout(0.5) → Dense(10, softmax); Adam
with its default learning rate, categorical cross-entropy, batch 128, 15 epochs, the last 10 % of the
training images held out for validation. Written here from that description, reading MNIST through
the course's own data chain (keras-io downloads ``mnist.npz``, unreachable offline; same images).
Run by ``bench_seeds.py 02_cnn_mnist --anchor``: one fresh process per seed, so its wall time,
like a notebook's, includes importing TensorFlow and loading the data. Prints one JSON line.
"""

from __future__ import annotations

import argparse
import json
import sys
import time
from pathlib import Path

T_START = time.time()
sys.path.insert(0, str(Path(__file__).resolve().parent.parent))


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--seed", type=int, default=42)
    parser.add_argument("--epochs", type=int, default=15)
    args = parser.parse_args(argv)

    import keras
    import numpy as np

    from lecture_lib import data, devices
    from lecture_lib.datasets import mnist

    devices.untune_array_inputs()  # as session.start does in the notebook: a race of recipes, not of input pipelines
    keras.utils.set_random_seed(args.seed)
    (x_train, y_train), (x_test, y_test) = mnist.load(data.get("mnist"))
    x_train = np.expand_dims(x_train.astype("float32") / 255, -1)
    x_test = np.expand_dims(x_test.astype("float32") / 255, -1)
    y_train, y_test = (
        keras.utils.to_categorical(y_train, 10),
        keras.utils.to_categorical(y_test, 10),
    )

    model = keras.Sequential(
        [
            keras.Input(shape=(28, 28, 1)),
            keras.layers.Conv2D(32, kernel_size=(3, 3), activation="relu"),
            keras.layers.MaxPooling2D(pool_size=(2, 2)),
            keras.layers.Conv2D(64, kernel_size=(3, 3), activation="relu"),
            keras.layers.MaxPooling2D(pool_size=(2, 2)),
            keras.layers.Flatten(),
            keras.layers.Dropout(0.5),
            keras.layers.Dense(10, activation="softmax"),
        ]
    )
    model.compile(loss="categorical_crossentropy", optimizer="adam", metrics=["accuracy"])
    t0 = time.time()
    model.fit(x_train, y_train, batch_size=128, epochs=args.epochs, validation_split=0.1, verbose=0)
    train_seconds = time.time() - t0
    _, test_acc = model.evaluate(x_test, y_test, verbose=0)
    print(
        json.dumps(
            {
                "seed": args.seed,
                "test_accuracy": round(float(test_acc), 4),
                "train_seconds": round(train_seconds, 1),
                "seconds": round(time.time() - T_START, 1),
                "epochs": args.epochs,
                "params": int(model.count_params()),
            }
        )
    )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

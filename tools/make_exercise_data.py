"""Record the real runs that exercise 03 reads: two training histories and 1,000 test predictions.

Run once after notebooks 03 and 08 ran in full mode with the same seed (their models and notes are
in ``data/models/full/``):

    .venv/bin/python tools/make_exercise_data.py

It writes ``lecture_lib/exercise_runs/dogs_vs_cats_runs.json`` (about 40 KB: numbers only, no
photos, so nothing of the Dogs-vs-Cats data is republished): notebook 03's and 08's histories
(train and validation loss and accuracy per epoch) and the probability of *dog* that notebook 03's
model gives each test photo (one view, no flip averaging), with the settings and machine they come from.
"""

from __future__ import annotations

import json
import sys

import keras

from lecture_lib import pipelines, results
from lecture_lib.config import settings
from lecture_lib.exercise_data import RUNS_FILE


def main() -> int:
    s = settings()
    models = s.data_dir / "models" / "full"
    n03 = json.loads((models / "03_dogs_cats_cnn.json").read_text())
    n08 = json.loads((models / "08_dogs_cats_augmented.json").read_text())
    if n03["seed"] != n08["seed"]:
        print(
            f"03 ran with seed {n03['seed']}, 08 with {n08['seed']}: run both with one seed.",
            file=sys.stderr,
        )
        return 1
    model = keras.models.load_model(models / "03_dogs_cats_cnn.keras")
    test = pipelines.from_directory(
        s.data_dir / "prepared" / "dogs-vs-cats" / "test", tuple(n03["image_size"])
    )
    x, y = pipelines.collect(test.ds)
    p = model.predict(x, batch_size=64, verbose=0).ravel()

    def hist(note: dict) -> dict:
        return {k: [round(float(v), 4) for v in vals] for k, vals in note["history"].items()}

    doc = {
        "about": (
            "Real runs on Kaggle's Dogs vs. Cats (1,000/500/500 photos per class; 96 px; full mode): "
            "notebook 03's CNN without augmentation and notebook 08's same CNN with a random "
            "horizontal flip, both 32 epochs, AdamW with a cosine schedule, mixed bfloat16, seed "
            f"{n03['seed']}; recorded by tools/make_exercise_data.py on {results.machine_description()}."
        ),
        "seed": n03["seed"],
        "image_size": n03["image_size"],
        "histories": {
            "A (notebook 03, no augmentation)": hist(n03),
            "B (notebook 08, random flip)": hist(n08),
        },
        "test_predictions": {
            "class_names": test.class_names,
            "y_true": [int(v) for v in y],
            "p_dog": [round(float(v), 4) for v in p],
        },
    }
    RUNS_FILE.parent.mkdir(parents=True, exist_ok=True)
    RUNS_FILE.write_text(json.dumps(doc, indent=None, separators=(",", ":")) + "\n")
    acc = float(((p > 0.5).astype(int) == y).mean())
    print(
        f"wrote {RUNS_FILE} ({RUNS_FILE.stat().st_size / 1e3:.0f} KB): {len(y)} test predictions, accuracy {acc:.3f}"
    )
    return 0


if __name__ == "__main__":
    raise SystemExit(main())

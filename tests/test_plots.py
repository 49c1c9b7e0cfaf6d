"""Every plot helper draws (notebook 04's own cells check the losses against Keras)."""

from __future__ import annotations

import matplotlib

matplotlib.use("Agg")
import numpy as np

from lecture_lib import plots


def test_every_plot_helper_draws():
    rng = np.random.default_rng(0)
    imgs = rng.integers(0, 255, (5, 16, 16, 3), dtype=np.uint8)
    f = plots.image_grid(imgs, list("abcde"), ncols=3, title="t")
    assert len(f.axes) == 6 and f.axes[0].get_title() == "a"
    f = plots.class_counts({"train": {"cats": 3, "dogs": 4}, "test": {"cats": 1, "dogs": 1}})
    assert len(f.axes[0].patches) == 4
    f = plots.size_histogram([(500, 375), (300, 280), (1023, 768)])
    assert "median" in f.axes[0].get_legend().get_texts()[0].get_text()
    f = plots.training_curves({"a": {"loss": [1, 0.5], "val_loss": [1.1, 0.7], "accuracy": [0.5, 0.8],
                                     "val_accuracy": [0.5, 0.7]}}, marks={"switch": 1.5})
    assert len(f.axes) == 2 and len(f.axes[0].lines) == 3
    f = plots.confusion_matrix([0, 1, 1, 2], [0, 1, 2, 2], ["x", "y", "z"])
    assert [t.get_text() for t in f.axes[0].texts] == ["1", "1", "1", "1"]
    f = plots.misclassified(imgs, [0, 1, 1, 0, 1], [0, 0, 1, 1, 1], [0.9, 0.8, 0.7, 0.99, 0.6], ["cat", "dog"])
    assert [a.get_title() for a in f.axes[:2]] == ["cat→dog\n99%", "dog→cat\n80%"]

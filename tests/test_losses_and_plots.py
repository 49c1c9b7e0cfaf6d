"""Reference losses against hand-computed values and Keras; every plot helper draws."""

from __future__ import annotations

import math

import matplotlib

matplotlib.use("Agg")
import numpy as np
import pytest

from lecture_lib import losses, plots


def test_activations_known_values():
    assert losses.sigmoid(np.array([0.0]))[0] == 0.5
    assert np.allclose(losses.sigmoid(np.array([-1000.0, 1000.0])), [0.0, 1.0])  # no overflow warning
    p = losses.softmax(np.array([[1.0, 2.0, 3.0]]))
    assert np.isclose(p.sum(), 1) and np.allclose(p, np.exp([1, 2, 3]) / np.exp([1, 2, 3]).sum())
    assert np.all(np.isfinite(losses.softmax(np.array([[1000.0, 0.0]]))))


def test_losses_known_values():
    assert losses.one_hot(np.array([5]), 10).tolist() == [[0, 0, 0, 0, 0, 1, 0, 0, 0, 0]]
    assert math.isclose(losses.binary_cross_entropy([1, 0], [0.9, 0.2]), -(math.log(0.9) + math.log(0.8)) / 2)
    y = losses.one_hot(np.array([5]), 10)
    p = np.full((1, 10), 0.05)
    p[0, 5] = 0.55
    assert math.isclose(losses.categorical_cross_entropy(y, p), -math.log(0.55), rel_tol=1e-12)
    assert math.isclose(losses.cross_entropy([0, 1], [0.3, 0.7]), -math.log(0.7))
    z = np.array([[2.0, -1.0, 0.5]])
    yz = losses.one_hot(np.array([0]), 3)
    assert math.isclose(losses.categorical_cross_entropy_from_logits(yz, z),
                        losses.categorical_cross_entropy(yz, losses.softmax(z)), rel_tol=1e-9)
    assert math.isclose(losses.binary_cross_entropy_from_logits([1.0], [3.0]),
                        -math.log(losses.sigmoid(np.array([3.0]))[0]), rel_tol=1e-9)


def test_agrees_with_keras():
    keras = pytest.importorskip("keras")
    rng = np.random.default_rng(0)
    z = rng.normal(size=(6, 4)).astype("float32")
    y = losses.one_hot(rng.integers(0, 4, 6), 4).astype("float32")
    kcce = float(keras.losses.CategoricalCrossentropy(from_logits=True)(y, z))
    assert abs(kcce - losses.categorical_cross_entropy_from_logits(y, z)) < 1e-6
    yb = rng.integers(0, 2, (6, 1)).astype("float32")
    pb = losses.sigmoid(z[:, :1]).astype("float32")
    assert abs(float(keras.losses.BinaryCrossentropy()(yb, pb)) - losses.binary_cross_entropy(yb, pb)) < 1e-6


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

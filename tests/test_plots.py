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
    f = plots.training_curves(
        {
            "a": {
                "loss": [1, 0.5],
                "val_loss": [1.1, 0.7],
                "accuracy": [0.5, 0.8],
                "val_accuracy": [0.5, 0.7],
            }
        },
        marks={"switch": 1.5},
    )
    assert len(f.axes) == 2 and len(f.axes[0].lines) == 3
    f = plots.confusion_matrix([0, 1, 1, 2], [0, 1, 2, 2], ["x", "y", "z"])
    assert [t.get_text() for t in f.axes[0].texts] == ["1", "1", "1", "1"]
    f = plots.misclassified(
        imgs, [0, 1, 1, 0, 1], [0, 0, 1, 1, 1], [0.9, 0.8, 0.7, 0.99, 0.6], ["cat", "dog"]
    )
    assert [a.get_title() for a in f.axes[:2]] == ["cat→dog\n99%", "dog→cat\n80%"]


def test_roc_and_reliability_plots_draw_what_they_claim():
    rng = np.random.default_rng(1)
    y = rng.integers(0, 2, 200)
    score = np.clip(y * 0.6 + rng.uniform(0, 0.4, 200), 0, 1)  # separable: AUC 1
    f = plots.roc_and_threshold(y, score, threshold=0.5, positive="dog")
    assert "AUC = 1.000" in [t.get_text() for t in f.axes[0].get_legend().get_texts()][0]
    f = plots.reliability_diagram(y, score, positive="dog")
    xs, ys = f.axes[0].lines[1].get_data()
    assert len(xs) >= 1 and all(0 <= v <= 1 for v in ys)


def test_gradcam_overlay_and_feature_maps_draw():
    rng = np.random.default_rng(2)
    imgs = rng.integers(0, 255, (3, 32, 32, 3), dtype=np.uint8)
    heat = np.zeros((3, 4, 4))
    heat[:, 0, 0] = 1  # evidence in the top-left corner
    f = plots.gradcam_overlay(imgs, heat, ["a", "b", "c\nd"], ncols=3)
    shown = f.axes[0].images[0].get_array()
    assert (
        shown.shape == (32, 32, 3) and shown[:4, :4, 0].mean() > shown[-4:, -4:, 0].mean()
    )  # red where the map is hot
    f = plots.feature_maps(
        imgs[0], {"conv": rng.random((8, 8, 4)), "pool": rng.random((4, 4, 4))}, n=4
    )
    assert len(f.axes) == 12 and f.axes[4].get_title(loc="left").startswith("conv 8×8×4")
    f = plots.filters(rng.normal(size=(3, 3, 1, 5)))
    assert sum(bool(ax.images) for ax in f.axes) == 5


def test_convolution_network_and_step_losses_draw_what_they_are_given():
    import keras

    image = np.zeros((8, 8))
    kernel = np.array([[1.0, 0, -1], [2, 0, -2], [1, 0, -1]])
    output = np.arange(36.0).reshape(6, 6)
    f = plots.convolution(image, kernel, output, at=(2, 3))
    assert len(f.axes[1].texts) == 9 and f.axes[1].texts[3].get_text() == "2"
    assert f.axes[2].get_title().endswith("15.00 at (2, 3)")  # output[2, 3]

    model = keras.Sequential(
        [
            keras.Input((28, 28, 1)),
            keras.layers.Conv2D(8, 3, padding="same"),
            keras.layers.BatchNormalization(),
            keras.layers.ReLU(),
            keras.layers.MaxPooling2D(2),
            keras.layers.Flatten(),
            keras.layers.Dense(10),
        ]
    )
    f = plots.network(model)
    labels = [t.get_text() for t in f.axes[0].texts if t.get_text()]  # not the arrows
    assert labels == [
        "input\n28×28×1",
        "Conv2D\nBatchNormalization\nReLU\n28×28×8",
        "MaxPooling2D\n14×14×8",
        "Flatten\n1,568",
        "Dense\n10",
    ]
    functional = keras.Model(model.inputs, model.outputs)  # lists an InputLayer among its layers
    assert [t.get_text() for t in plots.network(functional).axes[0].texts if t.get_text()] == labels
    heights = [p.get_height() for p in f.axes[0].patches]
    assert heights[1] == 2 * heights[2]  # 28 high against 14 high
    same_shape = keras.Sequential([keras.Input((8, 8, 4)), keras.layers.Conv2D(4, 3, padding="same"),
                                   keras.layers.Conv2D(4, 3, padding="same")])  # fmt: skip
    assert len(plots.network(same_shape).axes[0].patches) == 3  # two convolutions, two blocks
    f = plots.step_losses({"a": [2.3, 1.0], "b": [2.3, 2.4, 2.2]}, reference=("guess", 2.3))
    assert [len(line.get_xdata()) for line in f.axes[0].lines] == [2, 3, 2]  # the reference: a line
    assert [t.get_text() for t in f.axes[0].get_legend().get_texts()] == ["a", "b", "guess"]


def test_a_figure_drawn_from_a_synthetic_stand_in_says_so(monkeypatch):
    from lecture_lib import data

    monkeypatch.setattr(data, "SYNTHETIC_IN_USE", set())
    plain = plots.class_counts({"a": 1, "b": 2}, title="t")
    assert not [t for t in plain.texts if "SYNTHETIC" in t.get_text()]
    data.SYNTHETIC_IN_USE.add("mnist")
    marked = plots.class_counts({"a": 1, "b": 2}, title="t")
    assert [t for t in marked.texts if "SYNTHETIC stand-in data (mnist)" in t.get_text()]


def test_class_counts_keeps_short_names_upright_with_a_label_and_the_legend_aside():
    fig = plots.class_counts(
        {"train": {str(d): 60 for d in range(10)}, "test": {str(d): 10 for d in range(10)}},
        xlabel="digit",
    )
    ax = fig.axes[0]
    assert ax.get_xlabel() == "digit"
    assert all(t.get_rotation() == 0 for t in ax.get_xticklabels())
    assert ax.get_legend().get_bbox_to_anchor().x0 > ax.get_window_extent().x1 - 1

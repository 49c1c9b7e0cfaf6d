"""backbones: the Keras call for each backbone, its deepest blocks, its preprocessing as a layer."""

from __future__ import annotations

import keras
import numpy as np
import pytest

from lecture_lib import backbones
from lecture_lib.backbone_specs import SPECS


@pytest.mark.parametrize("name", sorted(SPECS))
def test_every_backbone_builds_and_its_top_blocks_are_its_deepest_layers(name):
    """Notebook 07 unfreezes ``spec.top_blocks`` by name prefix: each prefix names real layers, and
    together they hold the deepest layer with weights, not some middle block."""
    model = backbones.build(name, weights=None, input_shape=(64, 64, 3))
    prefixes = backbones.spec(name).top_blocks
    top = [layer for layer in model.layers if layer.name.startswith(prefixes)]
    for prefix in prefixes:
        assert any(layer.name.startswith(prefix) for layer in top), (
            f"{name}: {prefix!r} names no layer"
        )
    assert [layer for layer in model.layers if layer.weights][-1] in top
    if name == "vgg16":
        names = [layer.name for layer in top if layer.weights]
        assert names == ["block5_conv1", "block5_conv2", "block5_conv3"]


@pytest.mark.parametrize("name", sorted(SPECS))
def test_every_backbones_preprocessing_layer_matches_its_function_and_call_text(name):
    image = np.random.default_rng(0).integers(0, 256, (2, 8, 8, 3)).astype("uint8")
    by_layer = keras.ops.convert_to_numpy(backbones.preprocessing_layer(name)(image))
    by_function = backbones.preprocess_input(name)(image.astype("float32"))
    np.testing.assert_allclose(by_layer, by_function, rtol=1e-5, atol=1e-4)
    assert backbones.keras_call(name).startswith(f"keras.applications.{SPECS[name].keras_class}(")


def test_random_weight_mobilenet_features_are_tiny_but_not_constant():
    """Notebook 06's contrast: without ImageNet's training the pooled features of a random MobileNet
    shrink to ~1e-19, so an SVM on the raw numbers can only guess; they still differ between images,
    which is why the notebook standardizes both feature sets before comparing."""
    keras.utils.set_random_seed(0)
    net = backbones.build("mobilenet", weights=None, input_shape=(96, 96, 3), pooling="avg")
    rng = np.random.default_rng(0)
    images = rng.uniform(-1, 1, (6, 96, 96, 3)).astype("float32")  # MobileNet's input range
    f = keras.ops.convert_to_numpy(net.predict(images, verbose=0)).astype("float64")
    assert np.abs(f).mean() < 1e-9  # numerically dead on the raw scale
    spread = f.std(axis=0)
    assert (spread > 0).mean() > 0.5  # ... but not constant: standardized, they carry differences
